package main

import (
	"fmt"
	"io"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/ces"
	"github.com/cxkit/cxkit/csat"
)

// The sample asks CSAT on 1-5 and CES as CES 2.0 (1-7 agreement with "The company made it easy
// for me to handle my issue").
var (
	csatScale = csat.FivePoint
	cesScale  = ces.SevenPoint
)

// csatSection prints the CSAT score and mean with their intervals, the monthly trend and the
// breakdown by channel.
func csatSection(w io.Writer, responses []response, minN float64) error {
	all, err := csat.NewTally(csatScale)
	if err != nil {
		return err
	}
	byMonth, _ := csat.NewGroups[string](csatScale) // same scale, already checked
	byChannel, _ := csat.NewGroups[string](csatScale)
	for _, r := range responses {
		if r.CSAT < 0 {
			continue // question not answered: counted below, not scored
		}
		if err := all.Add(r.CSAT); err != nil {
			return fmt.Errorf("response %s: %w", r.ID, err)
		}
		_ = byMonth.Add(r.Date.Format("2006-01"), r.CSAT) // same rating, already validated
		_ = byChannel.Add(r.Channel, r.CSAT)
	}
	res, err := all.Result()
	if err != nil {
		return fmt.Errorf("CSAT: %w", err)
	}
	fmt.Fprintf(w, "\n== Customer Satisfaction (CSAT)\n")
	fmt.Fprintf(w, "%v\n", res)
	fmt.Fprintf(w, "95%% interval (Wilson): %v   standard error %.1f points\n", res.Interval(0.95), res.StdErr)
	fmt.Fprintf(w, "mean rating %.2f of %d, 95%% interval (Student t): %v\n", res.Mean, res.Scale.Max, res.MeanInterval(0.95))
	if skipped := len(responses) - res.Responses; skipped > 0 {
		fmt.Fprintf(w, "%d responses did not answer the CSAT question\n", skipped)
	}
	rows := func(g *csat.Groups[string]) ([]surveyRow, error) {
		rep, err := g.Report(minN)
		out := make([]surveyRow, len(rep))
		for i, r := range rep {
			out[i] = surveyRow{r.Key, r.Result.N, r.Result.Score, r.Result.Interval(0.95), r.Result.Mean, r.TooSmall, r.VsPrevious, r.VsRest}
		}
		return out, err
	}
	return printSurveyGroups(w, "CSAT", func() ([]surveyRow, error) { return rows(&byMonth) }, func() ([]surveyRow, error) { return rows(&byChannel) })
}

// cesSection prints the CES score (share of easy answers), net effort and mean with their
// intervals, the monthly trend and the breakdown by channel.
func cesSection(w io.Writer, responses []response, minN float64) error {
	all, err := ces.NewTally(cesScale)
	if err != nil {
		return err
	}
	byMonth, _ := ces.NewGroups[string](cesScale)
	byChannel, _ := ces.NewGroups[string](cesScale)
	for _, r := range responses {
		if r.CES < 0 {
			continue
		}
		if err := all.Add(r.CES); err != nil {
			return fmt.Errorf("response %s: %w", r.ID, err)
		}
		_ = byMonth.Add(r.Date.Format("2006-01"), r.CES)
		_ = byChannel.Add(r.Channel, r.CES)
	}
	res, err := all.Result()
	if err != nil {
		return fmt.Errorf("CES: %w", err)
	}
	fmt.Fprintf(w, "\n== Customer Effort Score (CES 2.0)\n")
	fmt.Fprintf(w, "%v\n", res)
	fmt.Fprintf(w, "95%% interval (Wilson): %v   standard error %.1f points\n", res.Interval(0.95), res.StdErr)
	fmt.Fprintf(w, "mean agreement %.2f of %d, 95%% interval (Student t): %v\n", res.Mean, res.Scale.Max, res.MeanInterval(0.95))
	if skipped := len(responses) - res.Responses; skipped > 0 {
		fmt.Fprintf(w, "%d responses did not answer the CES question\n", skipped)
	}
	rows := func(g *ces.Groups[string]) ([]surveyRow, error) {
		rep, err := g.Report(minN)
		out := make([]surveyRow, len(rep))
		for i, r := range rep {
			out[i] = surveyRow{r.Key, r.Result.N, r.Result.Score, r.Result.Interval(0.95), r.Result.Mean, r.TooSmall, r.VsPrevious, r.VsRest}
		}
		return out, err
	}
	return printSurveyGroups(w, "CES", func() ([]surveyRow, error) { return rows(&byMonth) }, func() ([]surveyRow, error) { return rows(&byChannel) })
}

// surveyRow is one line of a CSAT or CES trend or breakdown.
type surveyRow struct {
	key         string
	n, score    float64
	interval    cxkit.Interval
	mean        float64
	tooSmall    bool
	vsPrevious  *cxkit.Comparison
	vsRestGroup *cxkit.Comparison
}

func printSurveyGroups(w io.Writer, metric string, trend, channels func() ([]surveyRow, error)) error {
	fmt.Fprintf(w, "\nMonthly trend (counts pooled per month; change vs the previous month, N−1 two-proportion test):\n")
	rows, err := trend()
	if err != nil {
		return err
	}
	printSurveyRows(w, metric, rows, true)
	fmt.Fprintf(w, "\nBy channel (difference vs all other channels):\n")
	if rows, err = channels(); err != nil {
		return err
	}
	printSurveyRows(w, metric, rows, false)
	return nil
}

func printSurveyRows(w io.Writer, metric string, rows []surveyRow, trend bool) {
	for _, row := range rows {
		fmt.Fprintf(w, "  %-11s n=%4.0f  %s %5.1f  [%5.1f, %5.1f]  mean %.2f", row.key, row.n, metric, row.score,
			row.interval.Lower, row.interval.Upper, row.mean)
		c := row.vsRestGroup
		if trend {
			c = row.vsPrevious
		}
		if c != nil {
			mark := ""
			if c.Significant(0.05) {
				mark = "  *significant (p < 0.05)"
			}
			fmt.Fprintf(w, "  %+6.1f (p=%.3f)%s", c.Difference, c.P, mark)
		}
		if row.tooSmall {
			fmt.Fprintf(w, "  (too few responses to trust)")
		}
		fmt.Fprintln(w)
	}
}
