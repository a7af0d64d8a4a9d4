package churn

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit"
)

// RevenueRecord is one customer's recurring revenue (MRR, ARR: one unit throughout) in the
// period that holds Time. Several records of one customer in one period add up (two plans).
type RevenueRecord struct {
	Customer string    `json:"customer"`
	Time     time.Time `json:"time"`    // any instant in the period
	Revenue  float64   `json:"revenue"` // recurring revenue, ≥ 0
}

// RevenuePeriod is the revenue bridge from one period to the next, as SaaS finance teams
// report it monthly. Every amount is in the records' unit.
type RevenuePeriod struct {
	Key      string    `json:"key"`      // the period's label ([cxkit.Period.Key]), e.g. "2026-03"
	Start    time.Time `json:"start"`    // start of the period
	Starting float64   `json:"starting"` // revenue of the previous period (the base)
	// Expansion is the increase of customers who had revenue in the previous period and have
	// more now (upgrades, seats, cross-sell).
	Expansion float64 `json:"expansion"`
	// Contraction is the decrease of customers who still pay, but less (downgrades).
	Contraction float64 `json:"contraction"`
	// Churned is the previous revenue of customers who pay nothing now.
	Churned float64 `json:"churned"`
	// New is the revenue of customers who paid nothing in the previous period (new customers
	// and reactivations); it is outside the retention ratios, as the definitions require.
	New float64 `json:"new"`
	// Ending is this period's revenue: Starting + New + Expansion − Contraction − Churned.
	Ending float64 `json:"ending"`
	// Customers counts those with revenue in the previous period; ChurnedCustomers those of
	// them with none now.
	Customers        int `json:"customers"`
	ChurnedCustomers int `json:"churned_customers"`
	// GRR is gross revenue retention, (Starting − Contraction − Churned) / Starting, 0..1;
	// NRR is net revenue retention, (Starting + Expansion − Contraction − Churned) / Starting.
	// Both are 0 with Defined false when Starting is 0 (nothing to retain).
	GRR     float64 `json:"grr"`
	NRR     float64 `json:"nrr"`
	Defined bool    `json:"defined"`
}

// maxRevenuePeriods bounds the span RevenueRetention walks (about 270 years of months).
const maxRevenuePeriods = 100_000

// RevenueRetention computes the revenue bridge and the gross and net revenue retention of
// every period from the first to the last that holds a record (periods without records have
// zero revenue), on the wall clock of loc (nil means UTC). The first period has no
// predecessor and is not reported, so n periods give n − 1 rows.
//
// The definitions are the standard SaaS ones (gross and net revenue retention, the "net
// dollar retention" investors quote; e.g. D. Skok, "SaaS Metrics 2.0", forEntrepreneurs.com,
// on MRR churn and expansion): the base is the previous period's revenue of the customers who had any;
// expansion, contraction and churn are measured on that base customer by customer; revenue of
// new or returning customers is excluded. GRR = (base − contraction − churn) / base, which
// cannot exceed 1; NRR = (base + expansion − contraction − churn) / base, above 1 when
// expansion outgrows the losses. This is the period-over-period ratio; an annual NRR from
// monthly data is the 12-month comparison of one cohort, not the product of monthly ratios.
//
// Errors: no records (ErrEmpty); an empty customer or a zero time (ErrInvalid), a negative,
// NaN or infinite revenue (ErrOutOfRange), each naming the record's index; an invalid period
// (ErrInvalid); a span of more than 100,000 periods (ErrOutOfRange).
func RevenueRetention(records []RevenueRecord, period cxkit.Period, loc *time.Location) ([]RevenuePeriod, error) {
	if err := period.Check(); err != nil {
		return nil, fmt.Errorf("churn: %w", err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("churn: no revenue records: %w", ErrEmpty)
	}
	if loc == nil {
		loc = time.UTC
	}
	// Index each record's period by its start; customers by first appearance.
	type cell struct {
		period   int
		customer int
	}
	starts := map[time.Time]struct{}{}
	truncated := make([]time.Time, len(records))
	customers := map[string]int{}
	for i, r := range records {
		switch {
		case r.Customer == "":
			return nil, fmt.Errorf("churn: revenue record %d has no customer: %w", i, ErrInvalid)
		case r.Time.IsZero():
			return nil, fmt.Errorf("churn: revenue record %d (customer %q) has no time: %w", i, r.Customer, ErrInvalid)
		case !(r.Revenue >= 0) || math.IsInf(r.Revenue, 0):
			return nil, fmt.Errorf("churn: revenue %v of record %d (customer %q) must be finite and ≥ 0: %w", r.Revenue, i, r.Customer, ErrOutOfRange)
		}
		s := period.Truncate(r.Time, loc)
		truncated[i] = s
		starts[s] = struct{}{}
		if _, ok := customers[r.Customer]; !ok {
			customers[r.Customer] = len(customers)
		}
	}
	first, last := truncated[0], truncated[0]
	for s := range starts {
		if s.Before(first) {
			first = s
		}
		if s.After(last) {
			last = s
		}
	}
	// Walk the periods from first to last, bounded.
	var periods []time.Time
	index := map[time.Time]int{}
	for s := first; !s.After(last); s = period.Truncate(period.Add(s, 1), loc) {
		if len(periods) == maxRevenuePeriods {
			return nil, fmt.Errorf("churn: revenue records span more than %d %v periods (%s to %s): %w",
				maxRevenuePeriods, period, first.Format(time.DateOnly), last.Format(time.DateOnly), ErrOutOfRange)
		}
		index[s] = len(periods)
		periods = append(periods, s)
	}
	// Revenue per (period, customer), summed; then, per period, the customers with revenue.
	rev := map[cell]float64{}
	for i, r := range records {
		c := cell{index[truncated[i]], customers[r.Customer]}
		rev[c] += r.Revenue
		if math.IsInf(rev[c], 0) {
			return nil, fmt.Errorf("churn: revenue of customer %q in %s overflows: %w", r.Customer, period.Key(truncated[i], loc), ErrOutOfRange)
		}
	}
	byPeriod := make([][]int, len(periods))
	for c, v := range rev {
		if v > 0 {
			byPeriod[c.period] = append(byPeriod[c.period], c.customer)
		}
	}
	out := make([]RevenuePeriod, 0, len(periods)-1)
	for p := 1; p < len(periods); p++ {
		row := RevenuePeriod{Key: period.Key(periods[p], loc), Start: periods[p]}
		prev := byPeriod[p-1]
		slices.Sort(prev) // a fixed summation order: results do not depend on map order
		for _, c := range prev {
			before, now := rev[cell{p - 1, c}], rev[cell{p, c}]
			row.Starting += before
			row.Customers++
			switch {
			case now == 0:
				row.Churned += before
				row.ChurnedCustomers++
			case now > before:
				row.Expansion += now - before
			case now < before:
				row.Contraction += before - now
			}
		}
		cur := byPeriod[p]
		slices.Sort(cur)
		for _, c := range cur {
			now := rev[cell{p, c}]
			row.Ending += now
			if rev[cell{p - 1, c}] == 0 {
				row.New += now
			}
		}
		if row.Starting > 0 {
			row.Defined = true
			row.GRR = (row.Starting - row.Contraction - row.Churned) / row.Starting
			row.NRR = (row.Starting + row.Expansion - row.Contraction - row.Churned) / row.Starting
		}
		out = append(out, row)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("churn: all revenue records fall in one %v (%s): retention needs two periods: %w",
			period, period.Key(first, loc), ErrEmpty)
	}
	return out, nil
}
