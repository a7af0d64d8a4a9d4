package main

import (
	"fmt"
	"io"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/ces"
	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/nps"
)

// The sample asks CSAT on 1-5 and CES as CES 2.0 (1-7 agreement with "The company made it easy
// for me to handle my issue").
var (
	csatScale = csat.FivePoint
	cesScale  = ces.SevenPoint
)

// groupRow is one line of a trend or breakdown, for any survey metric through cxkit.Scored.
type groupRow struct {
	key            string
	res            cxkit.Scored
	tooSmall       bool
	vsPrev, vsRest *cxkit.Comparison
}

// breakdown is one table of a survey section.
type breakdown struct {
	title string
	trend bool // compare with the previous row rather than with the rest
	rows  []groupRow
}

func npsSection(w io.Writer, responses []response, minN float64) error {
	var all nps.Tally
	var byMonth, byChannel, bySegment nps.Groups[string]
	for _, r := range responses {
		if r.NPS == noAnswer {
			continue // question not answered: counted below, not scored
		}
		if err := all.Add(r.NPS); err != nil {
			return fmt.Errorf("response %s: %w", r.ID, err)
		}
		_ = byMonth.Add(r.Time.Format("2006-01"), r.NPS) // same rating, already validated
		_ = byChannel.Add(r.Channel, r.NPS)
		_ = bySegment.Add(r.Segment, r.NPS)
	}
	res, err := all.Result()
	if err != nil {
		return fmt.Errorf("NPS: %w", err)
	}
	rows := func(g *nps.Groups[string]) ([]groupRow, error) {
		rep, err := g.Report(minN)
		out := make([]groupRow, len(rep))
		for i, r := range rep {
			out[i] = groupRow{r.Key, r.Result, r.TooSmall, r.VsPrevious, r.VsRest}
		}
		return out, err
	}
	return surveySection(w, "Net Promoter Score", res, len(responses), rows, &byMonth, &byChannel, &bySegment)
}

// csatSection prints the CSAT score and mean with their intervals, the monthly trend and the
// breakdowns by channel and segment.
func csatSection(w io.Writer, responses []response, minN float64) error {
	all, err := csat.NewTally(csatScale)
	if err != nil {
		return err
	}
	byMonth, _ := csat.NewGroups[string](csatScale) // same scale, already checked
	byChannel, _ := csat.NewGroups[string](csatScale)
	bySegment, _ := csat.NewGroups[string](csatScale)
	for _, r := range responses {
		if r.CSAT == noAnswer {
			continue
		}
		if err := all.Add(r.CSAT); err != nil {
			return fmt.Errorf("response %s: %w", r.ID, err)
		}
		_ = byMonth.Add(r.Time.Format("2006-01"), r.CSAT) // same rating, already validated
		_ = byChannel.Add(r.Channel, r.CSAT)
		_ = bySegment.Add(r.Segment, r.CSAT)
	}
	res, err := all.Result()
	if err != nil {
		return fmt.Errorf("CSAT: %w", err)
	}
	rows := func(g *csat.Groups[string]) ([]groupRow, error) {
		rep, err := g.Report(minN)
		out := make([]groupRow, len(rep))
		for i, r := range rep {
			out[i] = groupRow{r.Key, r.Result, r.TooSmall, r.VsPrevious, r.VsRest}
		}
		return out, err
	}
	return surveySection(w, "Customer Satisfaction (CSAT)", res, len(responses), rows, &byMonth, &byChannel, &bySegment)
}

// cesSection prints the CES score (share of easy answers), net effort and mean with their
// intervals, the monthly trend and the breakdowns.
func cesSection(w io.Writer, responses []response, minN float64) error {
	all, err := ces.NewTally(cesScale)
	if err != nil {
		return err
	}
	byMonth, _ := ces.NewGroups[string](cesScale)
	byChannel, _ := ces.NewGroups[string](cesScale)
	bySegment, _ := ces.NewGroups[string](cesScale)
	for _, r := range responses {
		if r.CES == noAnswer {
			continue
		}
		if err := all.Add(r.CES); err != nil {
			return fmt.Errorf("response %s: %w", r.ID, err)
		}
		_ = byMonth.Add(r.Time.Format("2006-01"), r.CES)
		_ = byChannel.Add(r.Channel, r.CES)
		_ = bySegment.Add(r.Segment, r.CES)
	}
	res, err := all.Result()
	if err != nil {
		return fmt.Errorf("CES: %w", err)
	}
	rows := func(g *ces.Groups[string]) ([]groupRow, error) {
		rep, err := g.Report(minN)
		out := make([]groupRow, len(rep))
		for i, r := range rep {
			out[i] = groupRow{r.Key, r.Result, r.TooSmall, r.VsPrevious, r.VsRest}
		}
		return out, err
	}
	return surveySection(w, "Customer Effort Score (CES 2.0)", res, len(responses), rows, &byMonth, &byChannel, &bySegment)
}

// surveySection prints one metric: its headline with interval (and mean, for CSAT and CES),
// and its trend and breakdowns, all through cxkit.Scored.
func surveySection[G any](w io.Writer, title string, res cxkit.Scored, total int, rows func(G) ([]groupRow, error), month, channel, segment G) error {
	fmt.Fprintf(w, "\n== %s\n%v\n", title, res)
	method := "Wilson"
	if res.Metric() == "NPS" {
		method = "adjusted Wald"
	}
	fmt.Fprintf(w, "95%% interval (%s): %v   standard error %.1f points\n", method, res.Interval(0.95), res.StandardError())
	switch r := res.(type) {
	case csat.Result:
		fmt.Fprintf(w, "mean rating %.2f of %d, 95%% interval (Student t): %v\n", r.Mean, r.Scale.Max, r.MeanInterval(0.95))
	case ces.Result:
		fmt.Fprintf(w, "mean agreement %.2f of %d, 95%% interval (Student t): %v\n", r.Mean, r.Scale.Max, r.MeanInterval(0.95))
	}
	if skipped := total - res.Count(); skipped > 0 {
		fmt.Fprintf(w, "%d responses did not answer the %s question\n", skipped, res.Metric())
	}
	for i, g := range []G{month, channel, segment} {
		b := breakdown{title: []string{
			"Monthly trend (counts pooled per month; change vs the previous month)",
			"By channel (difference vs all other channels)",
			"By segment (difference vs all other segments)"}[i], trend: i == 0}
		var err error
		if b.rows, err = rows(g); err != nil {
			return err
		}
		printBreakdown(w, res.Metric(), b)
	}
	return nil
}

func printBreakdown(w io.Writer, metric string, b breakdown) {
	fmt.Fprintf(w, "\n%s:\n", b.title)
	for _, row := range b.rows {
		iv := row.res.Interval(0.95)
		fmt.Fprintf(w, "  %-11s n=%4.0f  %s %6.1f  [%6.1f, %6.1f]", row.key, row.res.Effective(), metric, row.res.Headline(), iv.Lower, iv.Upper)
		c := row.vsRest
		if b.trend {
			c = row.vsPrev
		}
		if c != nil {
			mark := ""
			if c.Significant(0.05) {
				mark = "  *significant"
			}
			fmt.Fprintf(w, "  %+6.1f (%s)%s", c.Difference, pValue(c.P), mark)
		}
		if row.tooSmall {
			fmt.Fprintf(w, "  (too few responses to trust)")
		}
		fmt.Fprintln(w)
	}
}
