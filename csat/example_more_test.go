package csat_test

import (
	"fmt"

	"github.com/cxkit/cxkit/csat"
)

// The mean rating of two support channels, compared with Welch's t test.
func ExampleCompareMeans() {
	chat, _ := csat.Score(csat.FivePoint, []int{5, 4, 5, 4, 4, 5, 3, 5, 4, 5, 4, 5})
	email, _ := csat.Score(csat.FivePoint, []int{4, 3, 2, 4, 3, 5, 3, 2, 4, 3, 4, 3, 2, 4})
	c, err := csat.CompareMeans(chat, email)
	if err != nil {
		fmt.Println(err)
		return
	}
	// R 4.2.2, t.test(chat, email) (Welch by default): t = 3.6331, p-value = 0.001358.
	fmt.Printf("chat %.2f, email %.2f: difference %+.2f, t %.2f, p %.4f\n", chat.Mean, email.Mean, c.Difference, c.Z, c.P)
	// Output: chat 4.42, email 3.29: difference +1.13, t 3.63, p 0.0014
}

func ExampleSampleSizeExpected() {
	// CSAT has run at about 85%; how many responses for ±5 points at 95%?
	// By hand: 1.959964² × 0.85 × 0.15 × (100/5)² = 3.841459 × 51 = 195.9, rounded up to 196.
	n, err := csat.SampleSizeExpected(85, 5, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	worst, _ := csat.SampleSize(5, 0.95)
	fmt.Println(n, "responses, against", worst, "for a score near 50")
	// Output: 196 responses, against 385 for a score near 50
}

func ExampleSampleSizeDifference() {
	// Responses needed in each of two months to detect a 10-point change in a CSAT of about
	// 80, two-sided at 95% with 80% power.
	// By hand: (1.959964 + 0.841621)² × 2 × 0.80 × 0.20 × (100/10)² = 7.848879 × 32 = 251.2,
	// rounded up to 252.
	n, err := csat.SampleSizeDifference(80, 10, 0.95, 0.8)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "per month")
	// Output: 252 per month
}

// A breakdown by channel on a seven-point scale, each channel against the rest.
func ExampleNewGroups() {
	g, err := csat.NewGroups[string](csat.SevenPoint)
	if err != nil {
		fmt.Println(err)
		return
	}
	answers := map[string][]int{
		"chat":  {7, 6, 6, 7, 5, 6, 7, 4, 6, 7},
		"email": {5, 6, 3, 4, 7, 5, 2, 6, 4, 5},
		"phone": {6, 7, 5, 6, 3, 7, 6, 5, 6, 4},
	}
	for channel, ratings := range answers {
		for _, r := range ratings {
			if err := g.Add(channel, r); err != nil {
				fmt.Println(err)
				return
			}
		}
	}
	// Checked in R from the formula: chat 8/10 against the rest 9/20 gives the pooled z 1.824,
	// times sqrt(29/30) for the N−1 test: z 1.793, p 0.073.
	rep, _ := g.Report(0)
	for _, row := range rep {
		fmt.Printf("%-5s CSAT %3.0f  vs rest %+4.0f (p=%.2f)\n", row.Key, row.Result.Score, row.VsRest.Difference, row.VsRest.P)
	}
	// Output:
	// chat  CSAT  80  vs rest  +35 (p=0.07)
	// email CSAT  30  vs rest  -40 (p=0.04)
	// phone CSAT  60  vs rest   +5 (p=0.80)
}

// Tallies built on separate shards merge to exactly the tally of one pass; tallies on
// different scales refuse to merge.
func ExampleTally_Merge() {
	web := []int{5, 4, 4, 2, 5, 3}
	app := []int{4, 5, 1, 4, 5}

	var a, b, all csat.Tally // zero Tallies: five-point scale
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

	ten, _ := csat.NewTally(csat.TenPoint)
	_ = ten.Add(9)
	fmt.Println(a.Merge(&ten))
	// Output:
	// CSAT 72.7 (n=11, 1-5, satisfied 4-5; mean 3.82)
	// true
	// csat: cannot merge a tally on scale 1-10, satisfied 9-10 into one on scale 1-5, satisfied 4-5: incompatible values (invalid input)
}

func ExampleTally_MarshalBinary() {
	t, _ := csat.NewTally(csat.SevenPoint)
	for _, r := range []int{7, 6, 5, 6, 2, 7, 4} {
		_ = t.Add(r)
	}
	b, err := t.MarshalBinary()
	if err != nil {
		fmt.Println(err)
		return
	}

	// Decode on the receiving side: the scale and the counts come back unchanged.
	var back csat.Tally
	if err := back.UnmarshalBinary(b); err != nil {
		fmt.Println(err)
		return
	}
	before, _ := t.Result()
	after, _ := back.Result()
	fmt.Println(after)
	fmt.Println(before == after)
	// Output:
	// CSAT 57.1 (n=7, 1-7, satisfied 6-7; mean 5.29)
	// true
}

func ExampleScale_Satisfied() {
	var satisfied []int
	for r := csat.FivePoint.Min; r <= csat.FivePoint.Max; r++ {
		if csat.FivePoint.Satisfied(r) {
			satisfied = append(satisfied, r)
		}
	}
	fmt.Println("satisfied on five points:", satisfied)
	// On ten points the top-two and top-three cuts disagree about an 8.
	fmt.Println("8 on", csat.TenPoint, "->", csat.TenPoint.Satisfied(8))
	fmt.Println("8 on", csat.TenPointTop3, "->", csat.TenPointTop3.Satisfied(8))
	// Output:
	// satisfied on five points: [4 5]
	// 8 on 1-10, satisfied 9-10 -> false
	// 8 on 1-10, satisfied 8-10 -> true
}
