package ces_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cxkit/cxkit/ces"
)

// CES 2.0 in one call: the top-box score with its Wilson interval, net effort, and the mean
// with its Student t interval.
func Example() {
	answers := []int{7, 6, 5, 4, 3, 7, 6, 2, 5, 6} // "The company made it easy for me…", 1-7
	r, err := ces.Score(ces.SevenPoint, answers)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	fmt.Println("score interval", r.Interval(0.95))
	fmt.Println("mean interval ", r.MeanInterval(0.95))
	// Output:
	// CES 70.0 (n=10, 1-7, easy 5-7; net effort 50.0; mean 5.10)
	// score interval [39.68, 89.22] (95%)
	// mean interval  [3.91, 6.29] (95%)
}

func ExampleScore() {
	// The seed formula: top boxes 4-5 of a 1-5 scale. []uint8 takes the fast path.
	r, err := ces.Score(ces.FivePoint, []uint8{5, 4, 3, 2, 1, 5, 4, 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CES %.1f, net effort %.1f\n", r.Score, r.NetEffort)

	_, err = ces.Score(ces.SevenPoint, []int{7, 6, 5, 8})
	fmt.Println(err)
	fmt.Println(errors.Is(err, ces.ErrOutOfRange))
	// Output:
	// CES 62.5, net effort 37.5
	// ces: rating 8 at index 3 is outside 1..7: value out of range
	// true
}

// CES 1.0 asks how much effort the customer put in: 1 is very low effort. The scale maps raw
// answers to 6 − raw so the score and mean read "higher = easier"; RawMean is the mean effort.
func ExampleScale() {
	effort := []int{1, 2, 3, 4, 5, 1, 2, 2, 1, 3}
	r, _ := ces.Score(ces.FivePointEffort, effort)
	fmt.Println(ces.FivePointEffort)
	fmt.Printf("CES %.0f (easy = raw 1-2), mean ease %.1f, mean effort %.1f\n", r.Score, r.Mean, r.RawMean())
	fmt.Println("raw 1 reads as", ces.FivePointEffort.Ease(1))
	// Output:
	// 1-5 (lower is better), easy 1-2
	// CES 60 (easy = raw 1-2), mean ease 3.6, mean effort 2.4
	// raw 1 reads as 5
}

func ExampleTally() {
	// Two shards tallied separately, then merged after a trip through bytes.
	a, _ := ces.NewTally(ces.SevenPoint)
	b, _ := ces.NewTally(ces.SevenPoint)
	for _, r := range []int{7, 6, 2, 5} {
		_ = a.Add(r)
	}
	for _, r := range []int{4, 7, 1} {
		_ = b.Add(r)
	}
	bytes, _ := b.MarshalBinary()
	var received ces.Tally
	if err := received.UnmarshalBinary(bytes); err != nil {
		fmt.Println(err)
		return
	}
	if err := a.Merge(&received); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := a.Result()
	fmt.Println(r)
	// Output: CES 57.1 (n=7, 1-7, easy 5-7; net effort 28.6; mean 4.57)
}

func ExampleNewTally() {
	t, err := ces.NewTally(ces.FivePointEffort)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range []int{1, 1, 2, 4} {
		_ = t.Add(r)
	}
	fmt.Println(t.Weight(1), t.Responses())
	fmt.Println(t.Add(6))
	// Output:
	// 2 4
	// ces: rating 6 at response 4 is outside 1..5: value out of range
}

func ExampleTally_AddWeighted() {
	var t ces.Tally // zero Tally: five-point ease scale
	_ = t.AddWeighted(5, 2)
	_ = t.AddWeighted(4, 1)
	_ = t.AddWeighted(1, 1)
	r, _ := t.Result()
	fmt.Printf("CES %.0f, n %.0f, effective n %.2f\n", r.Score, r.N, r.EffectiveN)
	fmt.Println(t.AddWeighted(5, -1))
	// Output:
	// CES 75, n 4, effective n 2.67
	// ces: weight -1 at response 3 must be 0 or between 1e-100 and 1e+100: value out of range
}

func ExampleTally_MarshalJSON() {
	t, _ := ces.NewTally(ces.SevenPoint)
	_ = t.Add(7)
	b, _ := json.Marshal(&t)
	fmt.Println(string(b))
	// Output: {"version":1,"scale":{"min":1,"max":7,"lower_is_easier":false,"easy_boxes":3,"hard_boxes":3},"responses":1,"weights":[0,0,0,0,0,0,1],"sum_sq_weights":1}
}

func ExampleResult_MeanInterval() {
	r, _ := ces.Score(ces.SevenPoint, []int{6, 5, 7, 6, 4, 6, 5, 7})
	fmt.Printf("mean %.2f ± %.2f (SE), 90%% %v\n", r.Mean, r.MeanStdErr(), r.MeanInterval(0.90))
	// Output: mean 5.75 ± 0.37 (SE), 90% [5.06, 6.44] (90%)
}

func ExampleCompare() {
	q1, _ := ces.Score(ces.SevenPoint, []int{7, 6, 5, 6, 7, 4, 6, 5, 7, 6, 3, 6, 7, 5, 6})
	q2, _ := ces.Score(ces.SevenPoint, []int{4, 5, 3, 6, 2, 4, 5, 3, 6, 4, 3, 5, 2, 4, 6})
	c, _ := ces.Compare(q2, q1)
	fmt.Printf("CES change %+.1f points, p %.4f\n", c.Difference, c.P)
	m, _ := ces.CompareMeans(q2, q1)
	fmt.Printf("mean change %+.2f, p %.4f\n", m.Difference, m.P)
	// Output:
	// CES change -46.7 points, p 0.0091
	// mean change -1.60, p 0.0017
}

func ExampleSampleSize() {
	n, _ := ces.SampleSize(5, 0.95)
	perGroup, _ := ces.SampleSizeDifference(70, 10, 0.95, 0.8)
	fmt.Println(n, perGroup)
	// Output: 385 330
}

func ExampleGroups() {
	g, _ := ces.NewGroups[string](ces.SevenPoint)
	for _, r := range []int{7, 6, 6, 5, 7, 4} {
		_ = g.Add("chat", r)
	}
	for _, r := range []int{3, 5, 2, 4, 6, 1} {
		_ = g.Add("phone", r)
	}
	rep, _ := g.Report(30)
	for _, row := range rep {
		fmt.Printf("%-5s CES %3.0f vs rest %+.0f (p=%.2f)\n", row.Key, row.Result.Score, row.VsRest.Difference, row.VsRest.P)
	}
	// Output:
	// chat  CES  83 vs rest +50 (p=0.09)
	// phone CES  33 vs rest -50 (p=0.09)
}

func ExampleScoreFloats() {
	r, _ := ces.ScoreFloats(ces.SevenPoint, []float64{7, 6, 3, 5})
	fmt.Println(r.Score)
	_, err := ces.ScoreFloats(ces.SevenPoint, []float64{7, 5.5})
	fmt.Println(err)
	// Output:
	// 75
	// ces: rating 5.5 at index 1 is not a whole number: invalid input
}
