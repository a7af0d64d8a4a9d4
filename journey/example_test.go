package journey_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cxkit/cxkit/journey"
)

// shopMap is a small designed journey: three touchpoints over the default stages and two
// personas.
func shopMap() journey.Map {
	return journey.Map{
		Name: "shop",
		Touchpoints: []journey.Touchpoint{
			{ID: "ad", Name: "Social ad", Stage: journey.Awareness, Channel: journey.Social},
			{ID: "checkout", Name: "Checkout", Stage: journey.Purchase, Channel: journey.Web},
			{ID: "support", Name: "Support chat", Stage: journey.UseSupport, Channel: journey.Chat},
		},
		Personas: []journey.Persona{
			{ID: "young", Name: "Young professional"},
			{ID: "senior", Name: "Senior", Needs: []string{"larger fonts", "fewer steps"}},
		},
	}
}

// shopFeedback: four customers rate each touchpoint on CSAT 1-5.
func shopFeedback() []journey.Observation {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	personas := []string{"young", "young", "senior", "senior"}
	ratings := map[string][]int{"ad": {4, 4, 4, 2}, "checkout": {5, 4, 2, 1}, "support": {5, 5, 4, 4}}
	var obs []journey.Observation
	for _, tp := range []string{"ad", "checkout", "support"} {
		for i, r := range ratings[tp] {
			obs = append(obs, journey.Observation{Feedback: &journey.Feedback{
				Customer: fmt.Sprint("c", i+1), Persona: personas[i], Touchpoint: tp,
				Time: t0.Add(time.Duration(i) * time.Hour), Metric: journey.CSAT, Rating: r}})
		}
	}
	return obs
}

func ExampleMap_Validate() {
	m := journey.Map{Touchpoints: []journey.Touchpoint{
		{ID: "ad", Stage: journey.Awareness},
		{ID: "ad", Stage: journey.Purchase},
		{ID: "call", Stage: "after-sales"},
	}}
	fmt.Println(m.Validate())
	// Output:
	// journey: touchpoint "ad" at index 1 repeats the ID of index 0: invalid input
	// journey: touchpoint "call" (index 2) has stage "after-sales", which the map does not hold: unknown journey element
}

func ExampleAnalyze() {
	r, err := journey.Analyze(shopMap(), shopFeedback(), journey.Options{MinGroup: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range r.Touchpoints {
		fmt.Printf("%-13s %-12s CSAT %5.1f  reach %d\n", g.Label, g.Stage, g.CSAT.Score, g.Reach)
	}
	for _, g := range r.Personas {
		fmt.Printf("%-19s CSAT %5.1f\n", g.Label, g.CSAT.Score)
	}
	for _, e := range r.Emotion {
		fmt.Printf("emotion %-13s %5.1f (Mermaid %d)\n", e.Label, e.Value, e.Mermaid)
	}
	// Output:
	// Social ad     awareness    CSAT  75.0  reach 4
	// Checkout      purchase     CSAT  50.0  reach 4
	// Support chat  use/support  CSAT 100.0  reach 4
	// Young professional  CSAT 100.0
	// Senior              CSAT  50.0
	// emotion Social ad      75.0 (Mermaid 4)
	// emotion Checkout       50.0 (Mermaid 3)
	// emotion Support chat  100.0 (Mermaid 5)
}

func ExampleReport_painPoints() {
	r, err := journey.Analyze(shopMap(), shopFeedback(), journey.Options{MinGroup: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.PainPoints {
		fmt.Printf("%d. %s %v %.1f (impact %.1f points)\n", p.Rank, p.Label, p.Metric, p.Score, p.Impact)
		for _, e := range p.Evidence {
			fmt.Println("   -", e)
		}
	}
	// Output:
	// 1. Checkout CSAT 50.0 (impact 12.5 points)
	//    - CSAT 50.0 is below the threshold 70.0
	//    - CSAT 50.0 vs 87.5 for the rest of the journey: gap 37.5 points, p = 0.176 (p = 0.527 holm-adjusted)
	//    - impact: the journey's CSAT would rise 12.50 points if this touchpoint reached the rest's level
}

func ExampleRelativeImportance() {
	// Likelihood to recommend (0-10) of eight customers, and their satisfaction (1-5) with
	// onboarding, billing and support; one customer skipped the billing question (NaN).
	ltr := []float64{9, 7, 10, 4, 8, 6, 3, 9}
	x := map[string][]float64{
		"onboarding": {5, 4, 5, 2, 4, 3, 2, 4},
		"billing":    {4, 4, 5, 3, math.NaN(), 3, 2, 5},
		"support":    {5, 3, 4, 2, 4, 4, 1, 4},
	}
	imp, err := journey.RelativeImportance(ltr, x)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("R² %.3f from %d complete answers (%d dropped)\n", imp.R2, imp.N, imp.Dropped)
	for _, k := range imp.Names {
		fmt.Printf("%-10s LMG %.3f  relative weight %.3f\n", k, imp.LMG[k], imp.RelativeWeights[k])
	}
	// Output:
	// R² 0.991 from 7 complete answers (1 dropped)
	// onboarding LMG 0.362  relative weight 0.347
	// billing    LMG 0.355  relative weight 0.364
	// support    LMG 0.274  relative weight 0.280
}

func ExampleReport_Mermaid() {
	r, err := journey.Analyze(shopMap(), shopFeedback(), journey.Options{MinGroup: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r.Mermaid())
	// Output:
	// journey
	//     title shop
	//     section awareness
	//       Social ad: 4: Young professional, Senior
	//     section purchase
	//       Checkout: 3: Young professional, Senior
	//     section use/support
	//       Support chat: 5: Young professional, Senior
}

func ExampleReport_EmotionSVG() {
	r, err := journey.Analyze(shopMap(), shopFeedback(), journey.Options{MinGroup: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	var svg bytes.Buffer
	if err := r.EmotionSVG(&svg); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Contains(svg.String(), "<svg"), strings.Contains(svg.String(), "Checkout"))
	// Output: true true
}

func ExampleAccumulator_Merge() {
	// Two shards of the same journey, accumulated apart (in two processes, or by a Beam
	// combiner), moved as bytes and merged: the report is the one of a single pass.
	obs := shopFeedback()
	left, _ := journey.NewAccumulator(shopMap(), journey.Options{MinGroup: 2})
	right, _ := journey.NewAccumulator(shopMap(), journey.Options{MinGroup: 2})
	for i, o := range obs {
		shard := left
		if i%2 == 1 {
			shard = right
		}
		if err := shard.Add(o); err != nil {
			fmt.Println(err)
			return
		}
	}
	wire, _ := right.MarshalBinary()
	var received journey.Accumulator
	if err := received.UnmarshalBinary(wire); err != nil {
		fmt.Println(err)
		return
	}
	if err := left.Merge(&received); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := left.Report()
	fmt.Printf("%d customers, %d answers, journey CSAT %.1f\n", r.Customers, r.Feedback, r.Overall.CSAT.Score)

	other := shopMap()
	other.Touchpoints = other.Touchpoints[:2]
	b, _ := journey.NewAccumulator(other, journey.Options{})
	fmt.Println(errors.Is(left.Merge(b), journey.ErrIncompatible))
	// Output:
	// 4 customers, 12 answers, journey CSAT 75.0
	// true
}
