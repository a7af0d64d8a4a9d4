package nps_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/nps"
)

// A whole survey in one call: the score, the shares and the adjusted-Wald interval.
func Example() {
	ratings := []int{10, 9, 9, 8, 7, 10, 6, 3, 9, 10, 8, 9}
	r, err := nps.Score(ratings)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	fmt.Printf("95%% interval %v\n", r.Interval(0.95))
	// Output:
	// NPS 41.7 (n=12: 58% promoters, 25% passives, 17% detractors)
	// 95% interval [-5.50, 72.17] (95%)
}

func ExampleScore() {
	// []uint8 takes the fast path; any integer slice works.
	r, err := nps.Score([]uint8{10, 9, 8, 7, 6, 0})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("NPS %.1f ± %.1f\n", r.Score, 1.96*r.StdErr)

	_, err = nps.Score([]int{10, 9, 8, 7, 11})
	fmt.Println(err)
	fmt.Println(errors.Is(err, nps.ErrOutOfRange))
	// Output:
	// NPS 0.0 ± 65.3
	// nps: rating 11 at index 4 is outside 0..10: value out of range
	// true
}

func ExampleClassify() {
	for _, r := range []int{3, 7, 9} {
		c, _ := nps.Classify(r)
		fmt.Println(r, c)
	}
	// Output:
	// 3 detractor
	// 7 passive
	// 9 promoter
}

func ExampleTally() {
	// Two shards of a survey, tallied separately (e.g. on two machines), then merged.
	var east, west nps.Tally
	for _, r := range []int{10, 9, 6, 8} {
		_ = east.Add(r)
	}
	for _, r := range []int{9, 9, 2} {
		_ = west.Add(r)
	}
	// Ship west's tally as bytes and merge it.
	b, _ := west.MarshalBinary()
	var received nps.Tally
	if err := received.UnmarshalBinary(b); err != nil {
		fmt.Println(err)
		return
	}
	if err := east.Merge(&received); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := east.Result()
	fmt.Println(r)
	// Output: NPS 28.6 (n=7: 57% promoters, 14% passives, 29% detractors)
}

func ExampleTally_AddWeighted() {
	// Post-stratification weights: the uncertainty uses the Kish effective sample size.
	var t nps.Tally
	_ = t.AddWeighted(10, 1.5)
	_ = t.AddWeighted(9, 1.5)
	_ = t.AddWeighted(3, 0.5)
	_ = t.AddWeighted(8, 0.5)
	r, _ := t.Result()
	fmt.Printf("NPS %.1f, n %.0f, effective n %.2f\n", r.Score, r.N, r.EffectiveN)
	// Output: NPS 62.5, n 4, effective n 3.20
}

func ExampleTally_MarshalJSON() {
	var t nps.Tally
	_ = t.Add(10)
	_ = t.Add(0)
	b, _ := json.Marshal(&t)
	fmt.Println(string(b))
	// Output: {"version":1,"responses":2,"weights":[1,0,0,0,0,0,0,0,0,0,1],"sum_sq_weights":2}
}

func ExampleResult_Interval() {
	// 50 promoters, 30 passives, 20 detractors (the MeasuringU worked example).
	var t nps.Tally
	for i := 0; i < 100; i++ {
		switch {
		case i < 50:
			_ = t.Add(9)
		case i < 80:
			_ = t.Add(7)
		default:
			_ = t.Add(4)
		}
	}
	r, _ := t.Result()
	fmt.Println("adjusted Wald", r.Interval(0.95))
	fmt.Println("Wald         ", r.WaldInterval(0.95))
	// Output:
	// adjusted Wald [14.05, 44.20] (95%)
	// Wald          [14.69, 45.31] (95%)
}

func ExampleCompare() {
	q1, _ := nps.Score([]int{10, 9, 9, 9, 8, 7, 10, 10, 6, 9, 10, 9, 8, 2, 9, 10, 9, 10, 9, 7})
	q2, _ := nps.Score([]int{6, 9, 5, 8, 8, 7, 10, 4, 6, 9, 3, 9, 8, 2, 9, 7, 6, 10, 5, 7})
	c, _ := nps.Compare(q1, q2)
	fmt.Printf("change %+.0f points, SE %.1f, z %.2f, p %.4f\n", -c.Difference, c.StdErr, c.Z, c.P)
	// Output: change -70 points, SE 23.8, z 2.94, p 0.0032
}

func ExampleSampleSize() {
	worst, _ := nps.SampleSize(5, 0.95)
	expected, _ := nps.SampleSizeExpected(50, 20, 5, 0.95)
	perGroup, _ := nps.SampleSizeDifference(50, 20, 10, 0.95, 0.8)
	fmt.Println(worst, expected, perGroup)
	// Output: 1537 938 958
}

func ExampleGroups() {
	var g nps.Groups[string]
	months := map[string][]int{
		"2026-01": {10, 9, 9, 8, 6, 10, 9, 3, 10, 9},
		"2026-02": {10, 6, 5, 8, 6, 10, 7, 3, 9, 4},
	}
	for month, ratings := range months {
		for _, r := range ratings {
			_ = g.Add(month, r)
		}
	}
	rep, _ := g.Report(30)
	for _, row := range rep {
		fmt.Printf("%s NPS %5.1f small=%v", row.Key, row.Result.Score, row.TooSmall)
		if row.VsPrevious != nil {
			fmt.Printf(" change %+.0f (p=%.2f)", row.VsPrevious.Difference, row.VsPrevious.P)
		}
		fmt.Println()
	}
	// Output:
	// 2026-01 NPS  50.0 small=true
	// 2026-02 NPS -20.0 small=true change -70 (p=0.06)
}
