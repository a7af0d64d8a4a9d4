package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv"
)

// clvSection summarises the transaction log with a holdout quarter, checks the BG/NBD
// model's holdout prediction, and projects twelve-month CLV with the Gamma-Gamma spend model.
func clvSection(w io.Writer, tx []clv.Transaction, asOf time.Time, acquisitionCost float64) error {
	holdoutEnd := time.Date(asOf.Year(), asOf.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	calEnd := time.Date(holdoutEnd.Year(), holdoutEnd.Month()-2, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	sum, err := clv.Summarize(tx, clv.RFMOptions{Unit: cxkit.Week, Period: cxkit.Day, CalibrationEnd: calEnd, HoldoutEnd: holdoutEnd})
	if err != nil {
		return fmt.Errorf("CLV: %w", err)
	}
	customers := sum.Histories()
	fmt.Fprintf(w, "\n== Customer lifetime value (%d transactions, %d customers; weeks; calibration to %s, holdout to %s)\n",
		sum.Transactions, len(customers), sum.CalibrationEnd.Format(time.DateOnly), sum.HoldoutEnd.Format(time.DateOnly))

	// The seed formula on observed revenue: average annual revenue per customer × years − CAC.
	var revenue float64
	var first, last time.Time
	buyers := map[string]bool{}
	for _, t := range tx {
		revenue += t.Amount
		buyers[t.Customer] = true
		if first.IsZero() || t.Time.Before(first) {
			first = t.Time
		}
		if t.Time.After(last) {
			last = t.Time
		}
	}
	years := last.Sub(first).Hours() / 24 / 365.25
	annual := revenue / float64(len(buyers)) / years
	simple, err := clv.Simple(annual, 3, acquisitionCost)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Simple CLV: $%.2f a year per customer × 3 years − $%.0f acquisition cost = $%.2f\n", annual, acquisitionCost, simple)

	bg, err := clv.FitBGNBD(customers)
	if err != nil {
		return fmt.Errorf("BG/NBD: %w", err)
	}
	est, err := bg.Estimates(customers)
	if err != nil {
		return fmt.Errorf("BG/NBD: %w", err)
	}
	fmt.Fprintf(w, "BG/NBD purchase model (log-likelihood %.1f; standard errors in parentheses):\n ", bg.Fit.LogLikelihood)
	for _, e := range est {
		fmt.Fprintf(w, " %s = %.3f (%.3f)", map[string]string{"R": "r", "Alpha": "α", "A": "a", "B": "b"}[e.Name], e.Value, e.StdErr)
	}
	fmt.Fprintln(w)
	holdWeeks := sum.Customers[0].HoldoutDuration
	var predicted, aliveSum float64
	actual := 0
	for _, r := range sum.Customers {
		e, err := bg.ConditionalExpectedPurchases(holdWeeks, r.Customer)
		if err != nil {
			return fmt.Errorf("customer %s: %w", r.ID, err)
		}
		p, err := bg.ProbabilityAlive(r.Customer)
		if err != nil {
			return fmt.Errorf("customer %s: %w", r.ID, err)
		}
		predicted += e
		aliveSum += p
		actual += r.HoldoutFrequency
	}
	fmt.Fprintf(w, "  holdout check (%.1f weeks): predicted %.0f repeat purchases, observed %d\n", holdWeeks, predicted, actual)
	fmt.Fprintf(w, "  customers still active at the calibration end (expected): %.0f of %d\n", aliveSum, len(customers))

	gg, err := clv.FitGammaGamma(clv.RepeatBuyers(customers))
	if err != nil {
		return fmt.Errorf("Gamma-Gamma: %w", err)
	}
	mean, err := gg.ExpectedSpend()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Gamma-Gamma spend model: p = %.2f, q = %.2f, γ = %.2f (mean spend per purchase $%.2f)\n", gg.P, gg.Q, gg.V, mean)

	// Twelve monthly steps in the weekly model: a month is 365.2425/12 days, 4.348 weeks.
	proj := clv.Projection{Purchases: bg, Spend: gg, Unit: cxkit.Week,
		Step: clv.PeriodLength(cxkit.Month, cxkit.Week), Horizon: clv.PeriodLength(cxkit.Year, cxkit.Week), DiscountRate: 0.01}
	values, err := proj.Values(customers)
	if err != nil {
		return fmt.Errorf("projection: %w", err)
	}
	var total float64
	for _, v := range values {
		total += v
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	top := sorted[len(sorted)*9/10:]
	var topSum float64
	for _, v := range top {
		topSum += v
	}
	fmt.Fprintf(w, "12-month CLV (revenue discounted at 1%%/month): mean $%.2f, median $%.2f; top 10%% of customers hold %.0f%% of it\n",
		total/float64(len(values)), sorted[len(sorted)/2], 100*topSum/total)
	return nil
}
