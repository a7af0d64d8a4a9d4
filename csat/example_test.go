package csat_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/csat"
)

// A whole survey in one call: the score with its Wilson interval and the mean rating with its
// Student t interval.
func Example() {
	ratings := []int{5, 4, 3, 2, 1, 5, 4, 4}
	r, err := csat.Score(csat.FivePoint, ratings)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	fmt.Println("score interval", r.Interval(0.95))
	fmt.Println("mean interval ", r.MeanInterval(0.95))
	// Output:
	// CSAT 62.5 (n=8, 1-5, satisfied 4-5; mean 3.50)
	// score interval [30.57, 86.32] (95%)
	// mean interval  [2.32, 4.68] (95%)
}

func ExampleScore() {
	// []uint8 takes the fast path; any integer slice works.
	r, err := csat.Score(csat.SevenPoint, []uint8{7, 6, 6, 5, 7, 3, 6, 7, 4, 6})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CSAT %.0f, mean %.1f\n", r.Score, r.Mean)

	_, err = csat.Score(csat.FivePoint, []int{5, 4, 3, 2, 6})
	fmt.Println(err)
	fmt.Println(errors.Is(err, csat.ErrOutOfRange))
	// Output:
	// CSAT 70, mean 5.7
	// csat: rating 6 at index 4 is outside 1..5: value out of range
	// true
}

// Practice differs on seven-point scales: the same answers with a top-two and a top-three cut.
func ExampleScale() {
	ratings := []int{7, 6, 5, 5, 4, 6, 7, 3}
	for _, s := range []csat.Scale{csat.SevenPoint, csat.SevenPointTop3, {Min: 1, Max: 7, TopBoxes: 1}} {
		r, _ := csat.Score(s, ratings)
		fmt.Printf("%-20v CSAT %.1f\n", s, r.Score)
	}
	// Output:
	// 1-7, satisfied 6-7   CSAT 50.0
	// 1-7, satisfied 5-7   CSAT 75.0
	// 1-7, satisfied 7     CSAT 25.0
}

func ExampleTally() {
	// Two shards of a survey, tallied separately (e.g. on two machines), then merged.
	var east, west csat.Tally // zero Tallies: five-point scale
	for _, r := range []int{5, 4, 2, 4} {
		_ = east.Add(r)
	}
	for _, r := range []int{5, 3, 1} {
		_ = west.Add(r)
	}
	// Ship west's tally as bytes and merge it.
	b, _ := west.MarshalBinary()
	var received csat.Tally
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
	// Output: CSAT 57.1 (n=7, 1-5, satisfied 4-5; mean 3.43)
}

func ExampleNewTally() {
	t, err := csat.NewTally(csat.TenPointTop3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range []int{10, 9, 8, 7, 3, 10} {
		_ = t.Add(r)
	}
	r, _ := t.Result()
	fmt.Println(r)
	fmt.Println(t.Add(11))
	// Output:
	// CSAT 66.7 (n=6, 1-10, satisfied 8-10; mean 7.83)
	// csat: rating 11 at response 6 is outside 1..10: value out of range
}

func ExampleTally_AddWeighted() {
	// Post-stratification weights: the intervals use the Kish effective sample size.
	var t csat.Tally
	_ = t.AddWeighted(5, 1.5)
	_ = t.AddWeighted(4, 1.5)
	_ = t.AddWeighted(2, 0.5)
	_ = t.AddWeighted(3, 0.5)
	r, _ := t.Result()
	fmt.Printf("CSAT %.1f, mean %.2f, n %.0f, effective n %.2f\n", r.Score, r.Mean, r.N, r.EffectiveN)
	// Output: CSAT 75.0, mean 4.00, n 4, effective n 3.20
}

func ExampleTally_MarshalJSON() {
	var t csat.Tally
	_ = t.Add(5)
	_ = t.Add(1)
	b, _ := json.Marshal(&t)
	fmt.Println(string(b))
	// Output: {"version":1,"scale":{"min":1,"max":5,"top_boxes":2},"responses":2,"weights":[1,0,0,0,1],"sum_sq_weights":2}
}

func ExampleResult_Interval() {
	// 45 satisfied of 50 (Sauro & Lewis 2016, ch. 3): Wilson interval [78.6, 95.7].
	ratings := make([]int, 50)
	for i := range ratings {
		ratings[i] = 5
		if i >= 45 {
			ratings[i] = 2
		}
	}
	r, _ := csat.Score(csat.FivePoint, ratings)
	fmt.Printf("CSAT %.0f, 95%% interval %v\n", r.Score, r.Interval(0.95))
	// Output: CSAT 90, 95% interval [78.64, 95.65] (95%)
}

func ExampleResult_MeanInterval() {
	r, _ := csat.Score(csat.FivePoint, []int{5, 4, 4, 3, 5, 4, 2, 5, 4, 4})
	fmt.Printf("mean %.2f, SD %.2f, SE %.2f, 95%% %v\n", r.Mean, r.StdDev(), r.MeanStdErr(), r.MeanInterval(0.95))
	// Output: mean 4.00, SD 0.94, SE 0.30, 95% [3.33, 4.67] (95%)
}

func ExampleCompare() {
	before, _ := csat.Score(csat.FivePoint, []int{5, 4, 4, 3, 5, 4, 2, 5, 4, 4, 3, 5, 4, 4, 5, 4, 3, 4, 5, 4})
	after, _ := csat.Score(csat.FivePoint, []int{3, 4, 2, 3, 5, 4, 2, 3, 4, 1, 3, 5, 2, 4, 3, 4, 3, 2, 5, 3})
	c, _ := csat.Compare(after, before)
	fmt.Printf("CSAT change %+.0f points, z %.2f, p %.4f\n", c.Difference, c.Z, c.P)
	m, _ := csat.CompareMeans(after, before)
	fmt.Printf("mean change %+.2f, t %.2f, p %.4f\n", m.Difference, m.Z, m.P)
	// Output:
	// CSAT change -40 points, z -2.55, p 0.0108
	// mean change -0.80, t -2.57, p 0.0144
}

func ExampleSampleSize() {
	worst, _ := csat.SampleSize(5, 0.95)
	expected, _ := csat.SampleSizeExpected(80, 5, 0.95)
	perGroup, _ := csat.SampleSizeDifference(80, 5, 0.95, 0.8) // detect a 5-point change
	fmt.Println(worst, expected, perGroup)
	// Output: 385 246 1005
}

func ExampleGroups() {
	var g csat.Groups[string] // zero value: five-point scale
	months := map[string][]int{
		"2026-01": {5, 4, 4, 5, 3, 4, 5, 2, 4, 5},
		"2026-02": {3, 4, 2, 3, 5, 1, 4, 3, 2, 4},
	}
	for month, ratings := range months {
		for _, r := range ratings {
			_ = g.Add(month, r)
		}
	}
	rep, _ := g.Report(30)
	for _, row := range rep {
		fmt.Printf("%s CSAT %3.0f small=%v", row.Key, row.Result.Score, row.TooSmall)
		if row.VsPrevious != nil {
			fmt.Printf(" change %+.0f (p=%.2f)", row.VsPrevious.Difference, row.VsPrevious.P)
		}
		fmt.Println()
	}
	// Output:
	// 2026-01 CSAT  80 small=true
	// 2026-02 CSAT  40 small=true change -40 (p=0.08)
}

func ExampleScoreFloats() {
	// Ratings decoded from JSON arrive as float64: whole numbers score, fractions are errors.
	r, err := csat.ScoreFloats(csat.FivePoint, []float64{5, 4, 2, 4})
	fmt.Println(r.Score, err)
	_, err = csat.ScoreFloats(csat.FivePoint, []float64{5, 4.5})
	fmt.Println(err)
	// Output:
	// 75 <nil>
	// csat: rating 4.5 at index 1 is not a whole number: invalid input
}
