package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit/csvload"
	"github.com/cxkit/cxkit/journey"
)

// conversionTouchpoint is the touchpoint whose event counts as a conversion in the sample's
// event log (the first purchase).
const conversionTouchpoint = "checkout"

// journeySection analyses the survey answers that name a touchpoint on the journey map
// (package journey): per-touchpoint and per-persona scores, the ranked pain points with their
// evidence, the key drivers, and, from the event log, the funnel along the map and the Markov
// attribution of conversions; then the Mermaid journey text.
func journeySection(w io.Writer, m journey.Map, responses []response, events []csvload.JourneyEvent, asOf time.Time, minN float64, strict bool) (*journey.Report, error) {
	fmt.Fprintf(w, "\n== Customer journey (%d touchpoints over %d stages, %d personas)\n", len(m.Touchpoints), len(m.StageList()), len(m.Personas))
	var obs []journey.Observation
	for _, r := range responses {
		if r.Touchpoint == "" {
			continue
		}
		for _, q := range []struct {
			metric journey.Metric
			rating int
		}{{journey.NPS, r.NPS}, {journey.CSAT, r.CSAT}, {journey.CES, r.CES}} {
			if q.rating == noAnswer {
				continue
			}
			customer := r.Customer
			if customer == "" {
				customer = r.ID
			}
			obs = append(obs, journey.Observation{Feedback: &journey.Feedback{Customer: customer, Persona: r.Persona,
				Touchpoint: r.Touchpoint, Time: r.Time, Metric: q.metric, Rating: q.rating}})
		}
	}
	var rep *journey.Report
	if len(obs) == 0 {
		fmt.Fprintf(w, "(no survey answer names a touchpoint: add touchpoint and persona columns to survey.csv)\n")
	} else {
		r, err := journeyFeedback(w, m, obs, asOf, minN, strict)
		if err != nil {
			return nil, err
		}
		rep = &r
	}
	if len(events) > 0 {
		return rep, journeyPaths(w, m, events)
	}
	return rep, nil
}

func journeyFeedback(w io.Writer, m journey.Map, obs []journey.Observation, asOf time.Time, minN float64, strict bool) (journey.Report, error) {
	rep, err := journey.Analyze(m, obs, journey.Options{CSATScale: csatScale, CESScale: cesScale, SkipInvalid: !strict,
		AsOf: asOf, MinGroup: int(minN)})
	if err != nil {
		return rep, fmt.Errorf("journey: %w", err)
	}
	if rep.RejectedTotal > 0 {
		fmt.Fprintf(w, "%d answers rejected by the journey map:\n", rep.RejectedTotal)
		for _, r := range rep.Rejected {
			fmt.Fprintf(w, "  %s: %d (e.g. %s)\n", r.Reason, r.Count, r.Example)
		}
	}
	score := func(g journey.Group, mt journey.Metric) string {
		s, ok := g.Score(mt)
		if !ok {
			return fmt.Sprintf("%16s", "—")
		}
		return fmt.Sprintf("%5.1f [%5.1f,%5.1f]", s.Value, s.Interval.Lower, s.Interval.Upper)
	}
	table := func(title string, gs []journey.Group, stage bool) {
		fmt.Fprintf(w, "\n%s (answers; 95%% intervals):\n  %-24s %-14s %5s  %-18s %-18s %-18s\n", title, "", "", "n", "NPS", "CSAT", "CES")
		for _, g := range gs {
			st := ""
			if stage {
				st = string(g.Stage)
			}
			small := ""
			if g.Small {
				small = "  (few)"
			}
			fmt.Fprintf(w, "  %-24s %-14s %5d  %-18s %-18s %-18s%s\n", g.Label, st, g.Responses,
				score(g, journey.NPS), score(g, journey.CSAT), score(g, journey.CES), small)
		}
	}
	table("By touchpoint, in journey order", rep.Touchpoints, true)
	table("By persona", rep.Personas, false)

	fmt.Fprintf(w, "\nEmotion curve (0..100, each metric mapped from its bounds):\n ")
	for _, e := range rep.Emotion {
		if e.HasData {
			fmt.Fprintf(w, " %s %.0f", e.Touchpoint, e.Value)
		}
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "\nPain points, ranked by impact (tests corrected by %s):\n", rep.Correction)
	if len(rep.PainPoints) == 0 {
		fmt.Fprintf(w, "  none flagged\n")
	}
	for _, p := range rep.PainPoints {
		fmt.Fprintf(w, "  %d. %s (%s) %s %.1f vs %.1f for the rest (%s, adjusted %s); impact %.1f points%s\n", p.Rank, p.Label, p.Stage,
			p.Metric, p.Score, p.Rest, pValue(p.Comparison.P), pValue(p.AdjustedP), p.Impact, quadrant(p.Quadrant))
		for _, e := range p.Evidence {
			fmt.Fprintf(w, "       - %s\n", e)
		}
	}
	if d := rep.Drivers; d != nil {
		fmt.Fprintf(w, "\nKey drivers of likelihood to recommend (R² %.2f; LMG shares of R², Johnson's relative weights):\n", d.R2)
		keys := make([]string, 0, len(d.LMG))
		for k := range d.LMG {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int {
			if d.LMG[a] != d.LMG[b] {
				if d.LMG[a] > d.LMG[b] {
					return -1
				}
				return 1
			}
			return strings.Compare(a, b)
		})
		for _, k := range keys {
			fmt.Fprintf(w, "  %-24s LMG %.3f  weight %.3f\n", d.Labels[k], d.LMG[k], d.RelativeWeights[k])
		}
	} else if rep.DriversNote != "" {
		fmt.Fprintf(w, "\nKey drivers: %s\n", rep.DriversNote)
	}
	sig := 0
	for _, d := range rep.PersonaDifferences {
		if d.Significant {
			if sig == 0 {
				fmt.Fprintf(w, "\nWhere personas differ significantly (persona vs the other respondents):\n")
			}
			sig++
			fmt.Fprintf(w, "  %s at %s: %s %.1f vs %.1f (adjusted %s)\n", d.Persona, d.Touchpoint, d.Metric, d.Score, d.Others, pValue(d.AdjustedP))
		}
	}
	fmt.Fprintf(w, "\nMermaid journey (paste into Markdown as a ```mermaid block):\n")
	return rep, rep.WriteMermaid(w)
}

func quadrant(q journey.Quadrant) string {
	if q == "" {
		return ""
	}
	return fmt.Sprintf("; quadrant %q", string(q))
}

func journeyPaths(w io.Writer, m journey.Map, es []csvload.JourneyEvent) error {
	events := make([]journey.Event, len(es))
	var conversions []journey.Conversion
	converted := map[string]bool{}
	for i, e := range es {
		events[i] = e.Event
		if e.Touchpoint == conversionTouchpoint && !converted[e.Customer] {
			converted[e.Customer] = true
			conversions = append(conversions, journey.Conversion{Customer: e.Customer, Time: e.Time})
		}
	}
	// The funnel follows the map: the first touchpoint of each stage that has events.
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.Touchpoint] = true
	}
	var steps []string
	for _, tp := range []string{"site", "checkout", "welcome", "setup", "app"} {
		if _, ok := m.Touchpoint(tp); ok && seen[tp] {
			steps = append(steps, tp)
		}
	}
	if len(steps) >= 2 {
		f, err := journey.Funnel(events, steps, journey.FunnelOptions{})
		if err != nil {
			return fmt.Errorf("funnel: %w", err)
		}
		fmt.Fprintf(w, "\nFunnel (%d events; sequential, unique customers from their first entry):\n", len(events))
		for _, s := range f.Steps {
			fmt.Fprintf(w, "  %-10s %5d customers  %5.1f%% of step 1 [%4.1f, %4.1f]  %5.1f%% of the previous  median %v\n", s.Touchpoint, s.Customers,
				100*s.FromStart, 100*s.FromStartInterval.Lower, 100*s.FromStartInterval.Upper, 100*s.FromPrevious, s.MedianFromPrevious.Round(time.Hour))
		}
	}
	if len(conversions) == 0 {
		return nil
	}
	var touches []journey.Event // the conversion's own event is the outcome, not a touchpoint
	for _, e := range events {
		if e.Touchpoint != conversionTouchpoint {
			touches = append(touches, e)
		}
	}
	ps, err := journey.Paths(touches, conversions, journey.PathsOptions{})
	if err != nil {
		return fmt.Errorf("paths: %w", err)
	}
	a, err := journey.MarkovAttribution(ps.Paths, 1)
	if err != nil {
		return fmt.Errorf("attribution: %w", err)
	}
	last, err := journey.HeuristicAttribution(ps.Paths, journey.Heuristic{Model: journey.LastTouch})
	if err != nil {
		return fmt.Errorf("attribution: %w", err)
	}
	fmt.Fprintf(w, "\nAttribution of %.0f conversions (reaching %s) over %d distinct paths; first-order Markov removal effects (exact) vs last touch:\n",
		a.Conversions, conversionTouchpoint, len(ps.Paths))
	keys := make([]string, 0, len(a.Credit))
	for k := range a.Credit {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y string) int {
		if a.Credit[x] != a.Credit[y] {
			if a.Credit[x] > a.Credit[y] {
				return -1
			}
			return 1
		}
		return strings.Compare(x, y)
	})
	for _, k := range keys {
		if a.Credit[k] == 0 && last.Credit[k] == 0 {
			continue // touched only after converting (null paths)
		}
		fmt.Fprintf(w, "  %-10s Markov %6.1f (removal effect %.2f)  last touch %6.1f\n", k, a.Credit[k], a.RemovalEffect[k], last.Credit[k])
	}
	return nil
}
