package journey_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/cxkit/cxkit/journey"
)

var day = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func ev(customer, touchpoint string, minutes int) journey.Event {
	return journey.Event{Customer: customer, Touchpoint: touchpoint, Time: day.Add(time.Duration(minutes) * time.Minute)}
}

// A sequential funnel with a one-hour window: who got from the ad to the cart to payment.
func ExampleFunnel() {
	events := []journey.Event{
		ev("ana", "ad", 0), ev("ana", "cart", 10), ev("ana", "pay", 30),
		ev("ben", "ad", 0), ev("ben", "home", 5), ev("ben", "cart", 20),
		ev("cho", "ad", 0), ev("cho", "cart", 130), ev("cho", "pay", 140),
		ev("dee", "home", 0),
	}
	r, err := journey.Funnel(events, []string{"ad", "cart", "pay"}, journey.FunnelOptions{Window: time.Hour})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range r.Steps {
		fmt.Printf("%d %-4s %d customers, %3.0f%% of step 1 %v, median %v from the previous step\n",
			i+1, s.Touchpoint, s.Customers, 100*s.FromStart, s.FromStartInterval, s.MedianFromPrevious)
	}
	// Output:
	// 1 ad   3 customers, 100% of step 1 [0.44, 1.00] (95%), median 0s from the previous step
	// 2 cart 2 customers,  67% of step 1 [0.21, 0.94] (95%), median 15m0s from the previous step
	// 3 pay  1 customers,  33% of step 1 [0.06, 0.79] (95%), median 20m0s from the previous step
}

// Two periods' funnels compared step by step.
func ExampleCompareFunnels() {
	period := func(prefix string, visits, signups int) []journey.Event {
		var events []journey.Event
		for i := range visits {
			c := fmt.Sprintf("%s%d", prefix, i)
			events = append(events, ev(c, "visit", 0))
			if i < signups {
				events = append(events, ev(c, "signup", 3))
			}
		}
		return events
	}
	steps := []string{"visit", "signup"}
	march, _ := journey.Funnel(period("m", 400, 200), steps, journey.FunnelOptions{})
	april, _ := journey.Funnel(period("a", 400, 150), steps, journey.FunnelOptions{})
	cs, err := journey.CompareFunnels(march, april)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := cs[1].FromPrevious
	fmt.Printf("signup rate March − April: %+.1f points, z = %.2f, p = %.4f\n", 100*c.Difference, c.Z, c.P)
	// Output: signup rate March − April: +12.5 points, z = 3.56, p = 0.0004
}

// A stream of events sorted by customer, counted one customer at a time.
func ExampleFunnelCounter() {
	f, err := journey.NewFunnelCounter([]string{"visit", "buy"}, journey.FunnelOptions{Order: journey.Strict})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range []journey.Event{
		ev("a1", "visit", 0), ev("a1", "buy", 1),
		ev("a2", "visit", 0), ev("a2", "faq", 1), ev("a2", "buy", 2), // strict: faq breaks it
	} {
		if err := f.Add(e); err != nil {
			fmt.Println(err)
			return
		}
	}
	r, _ := f.Result()
	fmt.Println(r.Steps[0].Customers, r.Steps[1].Customers)
	// Output: 2 1
}

// Where customers go: frequent paths, transitions and ends, and a Mermaid sankey of the flows.
func ExampleAnalyzePaths() {
	events := []journey.Event{
		ev("a", "Email", 0), ev("a", "Web", 10), ev("a", "Store", 40),
		ev("b", "Email", 0), ev("b", "Web", 30),
		ev("c", "Web", 0),
		ev("d", "Email", 5), ev("d", "Web", 15), ev("d", "Store", 20),
	}
	r, err := journey.AnalyzePaths(events, journey.PathOptions{MaxLength: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Top {
		fmt.Println(p.Touchpoints, p.Customers)
	}
	fmt.Println("ended before step 3:", r.StepMatrix.Ended[2])
	s, _ := journey.MermaidSankey(r.Flows)
	fmt.Print(s)
	// Output:
	// [Email Web Store] 2
	// [Email Web] 1
	// [Web] 1
	// ended before step 3: 0.5
	// sankey-beta
	//
	// "1 Email","2 Web",3
	// "2 Web","3 Store",2
}

// Markov attribution on Bryl's (2016) three paths, with the heuristics beside it.
func ExampleMarkovAttribution() {
	paths := []journey.Path{
		{Touchpoints: []string{"C1", "C2", "C3"}, Conversions: 1, Value: 1000},
		{Touchpoints: []string{"C1"}, Nulls: 1},
		{Touchpoints: []string{"C2", "C3"}, Nulls: 1},
	}
	m, err := journey.MarkovAttribution(paths, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	last, _ := journey.HeuristicAttribution(paths, journey.Heuristic{Model: journey.LastTouch})
	fmt.Printf("P(conversion) %.4f\n", m.ConversionProbability)
	for _, c := range []string{"C1", "C2", "C3"} {
		fmt.Printf("%s removal effect %.2f, credit %.2f (value %.0f); last touch %.0f\n",
			c, m.RemovalEffect[c], m.Credit[c], m.Value[c], last.Credit[c])
	}
	// Output:
	// P(conversion) 0.3333
	// C1 removal effect 0.50, credit 0.20 (value 200); last touch 0
	// C2 removal effect 1.00, credit 0.40 (value 400); last touch 0
	// C3 removal effect 1.00, credit 0.40 (value 400); last touch 1
}

// Paths from an event log and conversions, then time-decay credit on the event form.
func ExamplePaths() {
	events := []journey.Event{ev("a", "Email", 0), ev("a", "Web", 10), ev("a", "Email", 20), ev("b", "Web", 0)}
	conversions := []journey.Conversion{{Customer: "a", Time: day.Add(30 * time.Minute), Value: 100}}
	set, err := journey.Paths(events, conversions, journey.PathsOptions{Lookback: 24 * time.Hour})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range set.Paths {
		fmt.Printf("%s: %g converted, %g not\n", p, p.Conversions, p.Nulls)
	}
	td, _ := journey.HeuristicAttributionEvents(events, conversions,
		journey.Heuristic{Model: journey.TimeDecay, HalfLife: 10 * time.Minute}, journey.PathsOptions{})
	fmt.Printf("time decay: Email %.3f, Web %.3f\n", td.Credit["Email"], td.Credit["Web"])
	// Output:
	// Email > Web > Email: 1 converted, 0 not
	// Web: 0 converted, 1 not
	// time decay: Email 0.714, Web 0.286
}

// A funnel chart as SVG.
func ExampleFunnelChart() {
	r, _ := journey.Funnel([]journey.Event{ev("a", "visit", 0), ev("a", "buy", 1), ev("b", "visit", 0)},
		[]string{"visit", "buy"}, journey.FunnelOptions{})
	svg, err := journey.FunnelChart(r, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	// os.WriteFile("funnel.svg", svg, 0o644) to keep it.
	fmt.Println(bytes.Contains(svg, []byte("<svg")))
	// Output: true
}
