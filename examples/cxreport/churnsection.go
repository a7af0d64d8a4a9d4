package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/churn"
)

// subscription is one row of the subscription export.
type subscription struct {
	churn.Subscription
	Segment, Plan string
}

// readSubscriptions parses customer,segment,plan,start,end (dates as YYYY-MM-DD; an empty end
// means still subscribed). Every malformed cell is an error naming its line.
func readSubscriptions(r io.Reader) ([]subscription, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 5
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("no subscriptions")
	}
	out := make([]subscription, 0, len(rows)-1)
	for i, row := range rows[1:] {
		s := subscription{Subscription: churn.Subscription{Customer: row[0]}, Segment: row[1], Plan: row[2]}
		if s.Start, err = time.Parse(time.DateOnly, row[3]); err != nil {
			return nil, fmt.Errorf("line %d: start %q: %w", i+2, row[3], err)
		}
		if row[4] != "" {
			if s.End, err = time.Parse(time.DateOnly, row[4]); err != nil {
				return nil, fmt.Errorf("line %d: end %q: %w", i+2, row[4], err)
			}
		}
		out = append(out, s)
	}
	return out, nil
}

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

	// Survival by segment, and whether the segments differ.
	bySeg := map[string][]churn.Subject{}
	for _, s := range subs {
		end, churned := asOf, !s.End.IsZero()
		if churned {
			end = s.End
		}
		subj, err := churn.NewSubject(s.Start, end, churned, month)
		if err != nil {
			return fmt.Errorf("customer %s: %w", s.Customer, err)
		}
		bySeg[s.Segment] = append(bySeg[s.Segment], subj)
	}
	segments := make([]string, 0, len(bySeg))
	for k := range bySeg {
		segments = append(segments, k)
	}
	slices.Sort(segments)
	fmt.Fprintf(w, "Kaplan-Meier retention by segment (months since signup, 95%% log-log intervals):\n")
	groups := make([][]churn.Subject, len(segments))
	for i, seg := range segments {
		groups[i] = bySeg[seg]
		c, err := churn.KaplanMeier(bySeg[seg])
		if err != nil {
			return fmt.Errorf("segment %s: %w", seg, err)
		}
		iv, err := c.Interval(6, 0.95)
		if err != nil {
			return err
		}
		median := "not reached"
		if m := c.Median(); !math.IsNaN(m) {
			median = fmt.Sprintf("%.1f months", m)
		}
		fmt.Fprintf(w, "  %-11s %4.0f customers  S(3) %.2f  S(6) %.2f [%.2f, %.2f]  S(12) %.2f  median %s\n",
			seg, c.Subjects, c.At(3), c.At(6), iv.Lower, iv.Upper, c.At(12), median)
	}
	lr, err := churn.LogRankTest(groups...)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  log-rank test across segments: χ² = %.2f on %d df, p = %.4f\n", lr.ChiSquare, lr.DF, lr.P)

	// Projection from monthly cohorts with the shifted-beta-geometric model.
	origin := time.Date(asOf.Year()-2, asOf.Month(), 1, 0, 0, 0, 0, asOf.Location())
	m, err := churn.CohortRetention(log, origin, cxkit.Month, asOf)
	if err != nil {
		return fmt.Errorf("cohorts: %w", err)
	}
	model, err := churn.FitSBGCohorts(m.Rows())
	if err != nil {
		return fmt.Errorf("sBG: %w", err)
	}
	est, err := model.Estimates(m.Rows()...)
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
