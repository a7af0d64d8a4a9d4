// Command journey analyses a small customer journey: a map of touchpoints over the default
// stages, two personas, a few lines of feedback, support contacts and churn, and prints the
// per-touchpoint scores, the emotion curve, the ranked pain points with their evidence, the
// key drivers and the Mermaid journey diagram.
//
//	go run ./examples/journey
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cxkit/cxkit/journey"
	"github.com/cxkit/cxkit/responsetime"
)

// The designed journey.
var shop = journey.Map{
	Name: "Online shop",
	Touchpoints: []journey.Touchpoint{
		{ID: "ad", Name: "Social ad", Stage: journey.Awareness, Channel: journey.Social},
		{ID: "site", Name: "Product pages", Stage: journey.Consideration, Channel: journey.Web},
		{ID: "checkout", Name: "Checkout", Stage: journey.Purchase, Channel: journey.Web},
		{ID: "welcome", Name: "Welcome email", Stage: journey.Onboarding, Channel: journey.Email},
		{ID: "support", Name: "Support chat", Stage: journey.UseSupport, Channel: journey.Chat},
	},
	Personas: []journey.Persona{
		{ID: "pro", Name: "Busy professional", Needs: []string{"speed"}},
		{ID: "senior", Name: "Senior shopper", Needs: []string{"larger fonts", "fewer steps"}},
	},
}

// feedback: customer, persona, day; CSAT (1-5) at site, checkout, welcome, support; NPS (0-10).
const feedback = `c01 pro 1 5 4 5 5 9
c02 pro 2 4 4 4 5 9
c03 pro 3 5 5 4 4 10
c04 pro 4 4 3 5 4 8
c05 pro 5 5 4 4 5 9
c06 senior 1 4 2 4 4 6
c07 senior 2 3 1 4 3 3
c08 senior 3 4 2 5 4 5
c09 senior 4 4 3 4 4 7
c10 senior 5 5 2 4 5 6
c11 pro 6 4 5 5 4 10
c12 senior 6 3 1 3 3 2`

// churned: customers who left, with the day.
var churned = map[string]int{"c07": 40, "c12": 35, "c06": 70, "c04": 80}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "journey:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	day0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(d int) time.Time { return day0.Add(time.Duration(d) * 24 * time.Hour) }
	acc, err := journey.NewAccumulator(shop, journey.Options{MinGroup: 5, AsOf: at(120), Horizon: 90 * 24 * time.Hour})
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(strings.NewReader(feedback))
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) != 8 {
			return fmt.Errorf("feedback line %d: %d fields, want 8", line, len(f))
		}
		n := make([]int, 6)
		for i := range n {
			if n[i], err = strconv.Atoi(f[i+2]); err != nil {
				return fmt.Errorf("feedback line %d: %v", line, err)
			}
		}
		cust, persona, d := f[0], f[1], n[0]
		if err := acc.AddVisit(journey.Visit{Customer: cust, Persona: persona, Touchpoint: "ad", Time: at(d)}); err != nil {
			return err
		}
		for i, tp := range []string{"site", "checkout", "welcome", "support"} {
			if err := acc.AddFeedback(journey.Feedback{Customer: cust, Persona: persona, Touchpoint: tp,
				Time: at(d + i), Metric: journey.CSAT, Rating: n[i+1]}); err != nil {
				return fmt.Errorf("feedback line %d: %w", line, err)
			}
		}
		if err := acc.AddFeedback(journey.Feedback{Customer: cust, Persona: persona, Touchpoint: "support",
			Time: at(d + 5), Metric: journey.NPS, Rating: n[5]}); err != nil {
			return fmt.Errorf("feedback line %d: %w", line, err)
		}
		// Every customer opened one support chat, answered after 10 minutes per line number.
		q := responsetime.Query{ID: "t-" + cust, Received: at(d + 3), FirstResponse: at(d + 3).Add(time.Duration(10*line) * time.Minute)}
		if err := acc.AddContact(journey.Contact{Customer: cust, Persona: persona, Touchpoint: "support", Query: q}); err != nil {
			return err
		}
		if d, ok := churned[cust]; ok {
			if err := acc.AddOutcome(journey.Outcome{Customer: cust, Kind: journey.Churned, Time: at(d)}); err != nil {
				return err
			}
		}
	}
	r, err := acc.Report()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d customers, %d answers, %d contacts, %d visits (as of %s)\n\n",
		r.Map, r.Customers, r.Feedback, r.Contacts, r.Visits, r.AsOf.Format("2006-01-02"))
	fmt.Fprintln(w, "touchpoint      stage          reach  CSAT [95% interval]     emotion")
	for i, g := range r.Touchpoints {
		e := r.Emotion[i]
		csat := "   -"
		if g.CSAT != nil {
			iv := g.CSAT.Interval(0.95)
			csat = fmt.Sprintf("%5.1f [%5.1f, %5.1f]", g.CSAT.Score, iv.Lower, iv.Upper)
		}
		fmt.Fprintf(w, "%-15s %-14s %5d  %-22s  %5.1f (%d/5)\n", g.Label, g.Stage, g.Reach, csat, e.Value, e.Mermaid)
	}
	fmt.Fprintln(w)
	for _, g := range r.Personas {
		fmt.Fprintf(w, "persona %-18s CSAT %5.1f  NPS %6.1f\n", g.Label, g.CSAT.Score, g.NPS.Score)
	}
	if s := r.Touchpoints[4].Support; s != nil {
		fmt.Fprintf(w, "support chat: %d contacts, mean first response %v\n", s.Queries, s.Mean)
	}
	fmt.Fprintf(w, "\npain points (%s correction):\n", r.Correction)
	for _, p := range r.PainPoints {
		fmt.Fprintf(w, "%d. %s — %v %.1f, impact %.2f points\n", p.Rank, p.Label, p.Metric, p.Score, p.Impact)
		for _, e := range p.Evidence {
			fmt.Fprintf(w, "   - %s\n", e)
		}
	}
	if r.Drivers != nil {
		fmt.Fprintf(w, "\nkey drivers of likelihood to recommend (R² %.2f, %d customers):\n", r.Drivers.R2, r.Drivers.N)
		for _, id := range r.Drivers.Names {
			fmt.Fprintf(w, "  %-15s LMG %.3f  relative weight %.3f\n", r.Drivers.Labels[id], r.Drivers.LMG[id], r.Drivers.RelativeWeights[id])
		}
	} else {
		fmt.Fprintf(w, "\nkey drivers: %s\n", r.DriversNote)
	}
	for _, d := range r.PersonaDifferences {
		if d.Significant {
			fmt.Fprintf(w, "persona difference: %s at %s, %v %.1f vs %.1f (adjusted %s)\n", d.Persona, d.Touchpoint, d.Metric, d.Score, d.Others, pValue(d.AdjustedP))
		}
	}
	fmt.Fprintln(w, "\nMermaid:")
	fmt.Fprint(w, r.Mermaid())
	return nil
}

// pValue prints p as "p = 0.012", or "p < 0.001".
func pValue(p float64) string {
	if p < 0.001 {
		return "p < 0.001"
	}
	return fmt.Sprintf("p = %.3f", p)
}
