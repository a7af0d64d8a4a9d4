package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/churn"
)

const month = 30 * 24 * time.Hour // the unit of the survival curves: 30-day months

func churnSection(w io.Writer, subs []subscription, asOf time.Time) error {
	log := make([]churn.Subscription, len(subs))
	for i, s := range subs {
		log[i] = s.Subscription
	}
	fmt.Fprintf(w, "\n== Churn and retention (%d subscriptions, as of %s)\n", len(subs), asOf.Format(time.DateOnly))

	// Monthly churn for the last six months.
	first := time.Date(asOf.Year(), asOf.Month()-6, 1, 0, 0, 0, 0, asOf.Location())
	periods, err := churn.Periods(first, cxkit.Month, 6)
	if err != nil {
		return err
	}
	rates, err := churn.RatesFromLog(log, periods)
	if err != nil {
		return fmt.Errorf("churn rates: %w", err)
	}
	fmt.Fprintf(w, "Monthly churn (lost from the customers at the start of the month / those customers):\n")
	for _, r := range rates {
		annual, _ := churn.MonthlyToAnnual(r.Churn)
		fmt.Fprintf(w, "  %s  start %4.0f  acquired %3.0f  lost %3.0f  churn %5.1f%%  (%.0f%% a year at that rate)\n",
			r.Window.Start.Format("2006-01"), r.Start, r.Acquired, r.Lost, 100*r.Churn, 100*annual)
	}

	// Survival by segment, whether the segments differ, and which pairs do (one call).
	subjects := make([]churn.Subject, len(subs))
	for i, s := range subs {
		subj, err := s.Subject(asOf, month)
		if err != nil {
			return fmt.Errorf("customer %s: %w", s.Customer, err)
		}
		subjects[i] = subj
	}
	rep, err := churn.BySegment(subjects, func(i int) string { return subs[i].Segment }, churn.SegmentOptions{Pairwise: true})
	if err != nil {
		return fmt.Errorf("segments: %w", err)
	}
	fmt.Fprintf(w, "Kaplan-Meier retention by segment (months since signup, 95%% log-log intervals):\n")
	for _, seg := range rep.Segments {
		c := seg.Curve
		iv, err := c.Interval(6, 0.95)
		if err != nil {
			return err
		}
		median := "not reached"
		if m := c.Median(); !math.IsNaN(m) {
			median = fmt.Sprintf("%.1f months", m)
		}
		small := ""
		if seg.Small {
			small = "  (small: imprecise)"
		}
		fmt.Fprintf(w, "  %-11s %4.0f customers  S(3) %.2f  S(6) %.2f [%.2f, %.2f]  S(12) %.2f  median %s  churned %.0f vs %.1f expected%s\n",
			seg.Key, c.Subjects, c.At(3), c.At(6), iv.Lower, iv.Upper, c.At(12), median, seg.Observed, seg.Expected, small)
	}
	if rep.LogRank == nil {
		fmt.Fprintf(w, "  (fewer than two segments with churn: no log-rank test across segments)\n")
	} else {
		lr := rep.LogRank
		fmt.Fprintf(w, "  log-rank test across segments: χ² = %.2f on %d df, %s\n", lr.ChiSquare, lr.DF, pValue(lr.P))
		for _, pr := range rep.Pairs {
			if pr.LogRank == nil || pr.AdjustedP == nil {
				fmt.Fprintf(w, "    %s vs %s: no test (no churn in either, or no variance)\n", pr.A, pr.B)
				continue
			}
			fmt.Fprintf(w, "    %s vs %s: χ² = %.2f, unadjusted %s, %v-adjusted %s\n",
				pr.A, pr.B, pr.LogRank.ChiSquare, pValue(pr.LogRank.P), rep.Correction, pValue(*pr.AdjustedP))
		}
	}

	// Projection from monthly cohorts with the shifted-beta-geometric model.
	origin := time.Date(asOf.Year()-2, asOf.Month(), 1, 0, 0, 0, 0, asOf.Location())
	m, err := churn.CohortRetention(log, origin, cxkit.Month, asOf)
	if err != nil {
		return fmt.Errorf("cohorts: %w", err)
	}
	model, err := churn.FitSBGCohorts(m.Rows())
	var est []cxkit.Estimate
	if err == nil {
		est, err = model.Estimates(m.Rows()...)
	}
	if errors.Is(err, churn.ErrNotIdentified) || errors.Is(err, churn.ErrNotConverged) {
		// The user's cohorts may not carry the information the model needs (one period, or a
		// churn rate that does not change with tenure): say so and go on with the report.
		fmt.Fprintf(w, "Retention projection (shifted-beta-geometric): not shown, the monthly cohorts do not identify the model:\n  %v\n", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("sBG: %w", err)
	}
	fmt.Fprintf(w, "Retention projection (shifted-beta-geometric, monthly cohorts fitted jointly: α = %.2f (SE %.2f), β = %.2f (SE %.2f)):\n",
		model.Alpha, est[0].StdErr, model.Beta, est[1].StdErr)
	for _, t := range []int{1, 6, 12, 24} {
		fmt.Fprintf(w, "  after %2d months %5.1f%% of a new cohort remain; renewal rate then %.1f%%\n",
			t, 100*model.Survival(t), 100*model.RetentionRate(t))
	}
	derl, err := model.DERL(0.01, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  a new customer's discounted expected lifetime (1%%/month): %.1f months\n", derl)
	return nil
}
