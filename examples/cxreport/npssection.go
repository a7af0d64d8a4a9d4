package main

import (
	"fmt"
	"io"

	"github.com/cxkit/cxkit/nps"
)

func npsSection(w io.Writer, responses []response, minN float64) error {
	var all nps.Tally
	var byMonth nps.Groups[string]
	var byChannel, bySegment nps.Groups[string]
	for _, r := range responses {
		if r.NPS < 0 {
			continue // question not answered: counted below, not scored
		}
		if err := all.Add(r.NPS); err != nil {
			return fmt.Errorf("response %s: %w", r.ID, err)
		}
		_ = byMonth.Add(r.Date.Format("2006-01"), r.NPS) // same rating, already validated
		_ = byChannel.Add(r.Channel, r.NPS)
		_ = bySegment.Add(r.Segment, r.NPS)
	}
	res, err := all.Result()
	if err != nil {
		return fmt.Errorf("NPS: %w", err)
	}
	fmt.Fprintf(w, "\n== Net Promoter Score\n")
	fmt.Fprintf(w, "%v\n", res)
	fmt.Fprintf(w, "95%% interval (adjusted Wald): %v   standard error %.1f points\n", res.Interval(0.95), res.StdErr)
	if skipped := len(responses) - res.Responses; skipped > 0 {
		fmt.Fprintf(w, "%d responses did not answer the NPS question\n", skipped)
	}

	fmt.Fprintf(w, "\nMonthly trend (counts pooled per month; change vs the previous month):\n")
	if err := printGroups(w, &byMonth, minN, true); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nBy channel (difference vs all other channels):\n")
	if err := printGroups(w, &byChannel, minN, false); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nBy segment (difference vs all other segments):\n")
	return printGroups(w, &bySegment, minN, false)
}

func printGroups(w io.Writer, g *nps.Groups[string], minN float64, trend bool) error {
	rows, err := g.Report(minN)
	if err != nil {
		return err
	}
	for _, row := range rows {
		iv := row.Result.Interval(0.95)
		fmt.Fprintf(w, "  %-11s n=%4.0f  NPS %6.1f  [%6.1f, %6.1f]", row.Key, row.Result.N, row.Result.Score, iv.Lower, iv.Upper)
		c := row.VsRest
		if trend {
			c = row.VsPrevious
		}
		if c != nil {
			mark := ""
			if c.Significant(0.05) {
				mark = "  *significant (p < 0.05)"
			}
			fmt.Fprintf(w, "  %+6.1f (p=%.3f)%s", c.Difference, c.P, mark)
		}
		if row.TooSmall {
			fmt.Fprintf(w, "  (too few responses to trust)")
		}
		fmt.Fprintln(w)
	}
	return nil
}
