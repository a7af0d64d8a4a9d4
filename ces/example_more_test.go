package ces_test

import (
	"fmt"

	"github.com/cxkit/cxkit/ces"
)

// The mean CES 2.0 answer of two channels, compared with Welch's t test.
func ExampleCompareMeans() {
	portal, _ := ces.Score(ces.SevenPoint, []int{6, 7, 5, 6, 6, 4, 7, 6, 5, 6})
	phone, _ := ces.Score(ces.SevenPoint, []int{5, 4, 6, 3, 5, 4, 2, 5, 4, 6, 3, 5})
	c, err := ces.CompareMeans(portal, phone)
	if err != nil {
		fmt.Println(err)
		return
	}
	// R 4.2.2, t.test(portal, phone) (Welch by default): t = 3.1952, p-value = 0.004587.
	fmt.Printf("portal %.2f, phone %.2f: difference %+.2f, t %.2f, p %.4f\n", portal.Mean, phone.Mean, c.Difference, c.Z, c.P)
	// Output: portal 5.80, phone 4.33: difference +1.47, t 3.20, p 0.0046
}

func ExampleSampleSizeExpected() {
	// CES has run at about 70% easy; how many responses for ±5 points at 95%?
	// By hand: 1.959964² × 0.70 × 0.30 × (100/5)² = 3.841459 × 84 = 322.7, rounded up to 323.
	n, err := ces.SampleSizeExpected(70, 5, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "responses")
	// Output: 323 responses
}

func ExampleSampleSizeDifference() {
	// Responses needed in each of two channels to detect an 8-point gap in a CES of about 60,
	// two-sided at 95% with 80% power.
	// By hand: (1.959964 + 0.841621)² × 2 × 0.60 × 0.40 × (100/8)² = 7.848879 × 75 = 588.7,
	// rounded up to 589.
	n, err := ces.SampleSizeDifference(60, 8, 0.95, 0.8)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "per channel")
	// Output: 589 per channel
}

// A monthly CES 1.0 trend: raw answers are effort (1 = very low), the score reads higher =
// easier, and RawMean gives the mean effort.
func ExampleNewGroups() {
	g, err := ces.NewGroups[string](ces.FivePointEffort)
	if err != nil {
		fmt.Println(err)
		return
	}
	months := map[string][]int{
		"2026-01": {1, 2, 2, 3, 1, 4, 2, 1, 5, 2},
		"2026-02": {2, 3, 4, 1, 5, 3, 4, 2, 3, 4},
	}
	for month, effort := range months {
		for _, r := range effort {
			if err := g.Add(month, r); err != nil {
				fmt.Println(err)
				return
			}
		}
	}
	rep, _ := g.Report(30)
	for _, row := range rep {
		fmt.Printf("%s CES %3.0f, mean effort %.1f", row.Key, row.Result.Score, row.Result.RawMean())
		if row.VsPrevious != nil {
			fmt.Printf(", change %+.0f (p=%.2f)", row.VsPrevious.Difference, row.VsPrevious.P)
		}
		fmt.Println()
	}
	// Output:
	// 2026-01 CES  70, mean effort 2.3
	// 2026-02 CES  30, mean effort 3.1, change -40 (p=0.08)
}

// Tallies built on separate shards merge to exactly the tally of one pass over all answers.
func ExampleTally_Merge() {
	web := []int{7, 6, 5, 3, 6, 4}
	app := []int{6, 2, 7, 5, 1}

	a, _ := ces.NewTally(ces.SevenPoint)
	b, _ := ces.NewTally(ces.SevenPoint)
	all, _ := ces.NewTally(ces.SevenPoint)
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
	// CES 63.6 (n=11, 1-7, easy 5-7; net effort 36.4; mean 4.73)
	// true
}

func ExampleResult_Interval() {
	// 60 CES 2.0 answers, 42 of them easy (5-7).
	t, _ := ces.NewTally(ces.SevenPoint)
	counts := []struct{ rating, n int }{{7, 14}, {6, 16}, {5, 12}, {4, 8}, {3, 5}, {2, 3}, {1, 2}}
	for _, c := range counts {
		for range c.n {
			_ = t.Add(c.rating)
		}
	}
	r, _ := t.Result()
	// R 4.2.2, prop.test(42, 60, correct = FALSE)$conf.int (the Wilson interval):
	// 0.5749129 0.8010183.
	fmt.Printf("CES %.0f, 95%% interval %v\n", r.Score, r.Interval(0.95))
	// Output: CES 70, 95% interval [57.49, 80.10] (95%)
}

// CES 1.0 asks about effort, so lower raw answers are easier. Ease turns a raw answer into the
// higher = easier reading (6 − raw on 1-5); Easy and Hard take the raw answer.
func ExampleScale_Ease() {
	s := ces.FivePointEffort
	for raw := s.Min; raw <= s.Max; raw++ {
		fmt.Printf("raw %d -> ease %d, easy %-5v hard %v\n", raw, s.Ease(raw), s.Easy(raw), s.Hard(raw))
	}
	// Output:
	// raw 1 -> ease 5, easy true  hard false
	// raw 2 -> ease 4, easy true  hard false
	// raw 3 -> ease 3, easy false hard false
	// raw 4 -> ease 2, easy false hard true
	// raw 5 -> ease 1, easy false hard true
}
