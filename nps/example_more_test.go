package nps_test

import (
	"fmt"

	"github.com/cxkit/cxkit/nps"
)

// Planning with a rough idea of the score needs far fewer responses than the worst case.
func ExampleSampleSizeExpected() {
	// Last year: about 40% promoters and 25% detractors. Target: ±5 NPS points at 95%.
	// By hand: variance 0.40 + 0.25 − 0.15² = 0.6275, and
	// 1.959964² × 0.6275 × (100/5)² = 3.841459 × 251 = 964.2, rounded up to 965.
	n, err := nps.SampleSizeExpected(40, 25, 5, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	worst, _ := nps.SampleSize(5, 0.95)
	fmt.Println(n, "responses, against", worst, "in the worst case")
	// Output: 965 responses, against 1537 in the worst case
}

func ExampleSampleSizeDifference() {
	// Responses needed in each of two quarters to detect a 10-point NPS change, two-sided at
	// 95% with 80% power, when about 40% are promoters and 25% detractors.
	// By hand: (1.959964 + 0.841621)² × 2 × 0.6275 × (100/10)² = 7.848879 × 125.5 = 985.03,
	// rounded up to 986.
	n, err := nps.SampleSizeDifference(40, 25, 10, 0.95, 0.8)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "per quarter")
	// Output: 986 per quarter
}

// Near the top of the scale the plain Wald interval runs past 100 and is clamped; the
// adjusted-Wald interval of Result.Interval is wider on the low side.
func ExampleResult_WaldInterval() {
	r, err := nps.Score([]int{10, 9, 10, 10, 9, 10, 9, 10, 8, 10}) // 9 promoters, 1 passive
	if err != nil {
		fmt.Println(err)
		return
	}
	// By hand: SE = 100 × sqrt((0.9 + 0 − 0.9²)/10) = 9.49, and 90 ± 1.959964 × 9.49 is
	// [71.41, 108.59], clamped to 100.
	fmt.Printf("NPS %.0f, SE %.2f\n", r.Score, r.StdErr)
	fmt.Println("Wald         ", r.WaldInterval(0.95))
	fmt.Println("adjusted Wald", r.Interval(0.95))
	// Output:
	// NPS 90, SE 9.49
	// Wald          [71.41, 100.00] (95%)
	// adjusted Wald [38.08, 100.00] (95%)
}

// Tallies built on separate shards merge to exactly the tally of one pass over all answers.
func ExampleTally_Merge() {
	web := []int{10, 9, 7, 3, 10, 8}
	app := []int{9, 6, 10, 2, 9}

	var a, b, all nps.Tally
	for _, r := range web {
		_ = a.Add(r)
		_ = all.Add(r)
	}
	for _, r := range app {
		_ = b.Add(r)
		_ = all.Add(r)
	}
	if err := a.Merge(&b); err != nil {
		fmt.Println(err)
		return
	}

	merged, _ := a.Result()
	onePass, _ := all.Result()
	fmt.Println(merged)
	fmt.Println(merged == onePass)
	// Output:
	// NPS 27.3 (n=11: 55% promoters, 18% passives, 27% detractors)
	// true
}

func ExampleTally_MarshalBinary() {
	var t nps.Tally
	for _, r := range []int{10, 9, 8, 6, 9, 4, 10} {
		_ = t.Add(r)
	}
	b, err := t.MarshalBinary()
	if err != nil {
		fmt.Println(err)
		return
	}

	// Decode on the receiving side: the tally comes back unchanged.
	var back nps.Tally
	if err := back.UnmarshalBinary(b); err != nil {
		fmt.Println(err)
		return
	}
	before, _ := t.Result()
	after, _ := back.Result()
	fmt.Println(after)
	fmt.Println(before == after)
	// Output:
	// NPS 28.6 (n=7: 57% promoters, 14% passives, 29% detractors)
	// true
}

func ExampleCategory_String() {
	// Count answers by category and label each count.
	counts := map[nps.Category]int{}
	for _, r := range []int{10, 9, 8, 6, 9, 4, 10, 7, 9} {
		c, err := nps.Classify(r)
		if err != nil {
			fmt.Println(err)
			return
		}
		counts[c]++
	}
	for _, c := range []nps.Category{nps.Promoter, nps.Passive, nps.Detractor} {
		fmt.Printf("%-9s %d\n", c, counts[c])
	}
	// Output:
	// promoter  5
	// passive   2
	// detractor 2
}
