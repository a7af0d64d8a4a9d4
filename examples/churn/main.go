// Command churn walks through the churn package on an embedded sample of 80 subscriptions
// (two plans, acquired during 2024, observed on 1 January 2025): monthly churn rates, the
// cohort retention table, Kaplan–Meier curves per plan with confidence bands, a log-rank
// test between plans, and an sBG projection with the residual value of current customers.
//
//	go run ./examples/churn
package main

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/churn"
)

//go:embed subscriptions.csv
var sample string

type record struct {
	churn.Subscription
	plan string
}

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run writes the walkthrough to out.
func run(out io.Writer) error {
	recs, err := load(sample)
	if err != nil {
		return err
	}
	asOf := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	origin := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	subs := make([]churn.Subscription, len(recs))
	for i, r := range recs {
		subs[i] = r.Subscription
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)

	// 1. Monthly churn from the event log.
	fmt.Fprintln(out, "== Monthly churn (base = customers at the start of the month)")
	periods, err := churn.Periods(origin.AddDate(0, 6, 0), cxkit.Month, 6)
	if err != nil {
		return err
	}
	rates, err := churn.RatesFromLog(subs, periods)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "month\tbase\tacquired\tlost\tlost new\tend\tchurn\t")
	for _, r := range rates {
		fmt.Fprintf(w, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.1f%%\t\n", r.Window.Start.Format("2006-01"),
			r.Start, r.Acquired, r.Lost, r.LostAcquired, r.End, 100*r.Churn)
	}
	w.Flush()
	last := rates[len(rates)-1]
	annual, _ := churn.MonthlyToAnnual(last.Churn)
	fmt.Fprintf(out, "December churn %.1f%% a month compounds to %.0f%% a year\n\n", 100*last.Churn, 100*annual)

	// 2. Quarterly cohort retention: shares still subscribed, young cohorts censored.
	fmt.Fprintln(out, "== Quarterly cohorts: share still subscribed after q quarters ('.' = not observable yet)")
	m, err := churn.CohortRetention(subs, origin, cxkit.Quarter, asOf)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "cohort\tsize\tq0\tq1\tq2\tq3\t")
	for c, row := range m.Cohorts {
		fmt.Fprintf(w, "%s\t%.0f\t", row.Start.Format("2006-01"), row.Size)
		for a := range 4 {
			if _, share, ok := m.At(c, a); ok {
				fmt.Fprintf(w, "%.2f\t", share)
			} else {
				fmt.Fprint(w, ".\t")
			}
		}
		fmt.Fprintln(w)
	}
	w.Flush()
	fmt.Fprintln(out)

	// 3. Kaplan–Meier per plan, durations in months of 30 days.
	fmt.Fprintln(out, "== Kaplan–Meier by plan (months since signup)")
	groups := map[string][]churn.Subject{}
	for _, r := range recs {
		end, churned := asOf, !r.End.IsZero()
		if churned {
			end = r.End
		}
		s, err := churn.NewSubject(r.Start, end, churned, 30*24*time.Hour)
		if err != nil {
			return fmt.Errorf("customer %s: %w", r.Customer, err)
		}
		groups[r.plan] = append(groups[r.plan], s)
	}
	fmt.Fprintln(w, "plan\tcustomers\tchurned\tS(3)\t95% CI\tS(6)\tat risk at 6\tmedian\t")
	for _, plan := range []string{"basic", "premium"} {
		c, err := churn.KaplanMeier(groups[plan])
		if err != nil {
			return err
		}
		iv, _ := c.Interval(3, 0.95)
		median := "not reached"
		if med := c.Median(); !math.IsNaN(med) {
			median = fmt.Sprintf("%.1f", med)
		}
		fmt.Fprintf(w, "%s\t%.0f\t%.0f\t%.2f\t[%.2f, %.2f]\t%.2f\t%.0f\t%s\t\n", plan, c.Subjects, c.Events,
			c.At(3), iv.Lower, iv.Upper, c.At(6), c.NumberAtRisk(6), median)
	}
	w.Flush()
	lr, err := churn.LogRankTest(groups["basic"], groups["premium"])
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "log-rank: χ² = %.2f on %d df, p = %.4f (observed %v, expected %.1f)\n\n",
		lr.ChiSquare, lr.DF, lr.P, lr.Observed, lr.Expected)

	// 4. sBG on monthly cohorts: project retention and value the current customers.
	fmt.Fprintln(out, "== Shifted-beta-geometric model, monthly cohorts fitted jointly")
	monthly, err := churn.CohortRetention(subs, origin, cxkit.Month, asOf)
	if err != nil {
		return err
	}
	model, err := churn.FitSBGCohorts(monthly.Rows())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "α = %.3f, β = %.3f (mean monthly churn probability %.1f%%), log-likelihood %.1f\n",
		model.Alpha, model.Beta, 100*model.Alpha/(model.Alpha+model.Beta), model.Fit.LogLikelihood)
	for _, t := range []int{1, 3, 6, 12, 24} {
		fmt.Fprintf(out, "  month %2d: %.1f%% of a new cohort still subscribed, renewal rate %.1f%%\n",
			t, 100*model.Survival(t), 100*model.RetentionRate(t))
	}
	const margin = 30.0 // $ per customer per month
	for _, n := range []int{0, 6, 12} {
		derl, err := model.DERL(0.01, n)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  customer with %2d renewals: DERL %.1f months at 1%%/month, residual value $%.0f\n", n, derl, margin*derl)
	}
	return nil
}

// load parses the embedded CSV: customer, plan, start date, end date (empty while active).
func load(data string) ([]record, error) {
	rows, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("no subscriptions after the header")
	}
	var out []record
	for i, row := range rows[1:] {
		if len(row) < 4 {
			return nil, fmt.Errorf("row %d: %d fields, want 4 (customer, plan, start, end)", i+2, len(row))
		}
		start, err := time.Parse(time.DateOnly, row[2])
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i+2, err)
		}
		r := record{Subscription: churn.Subscription{Customer: row[0], Start: start}, plan: row[1]}
		if row[3] != "" {
			if r.End, err = time.Parse(time.DateOnly, row[3]); err != nil {
				return nil, fmt.Errorf("row %d: %w", i+2, err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}
