package churn

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/cxkit/cxkit"
)

// PeriodRates is churn and retention over one period.
//
// The rule for customers acquired during the period: they are not part of the base the rate
// is measured on. Churn = Lost / Start, where Lost counts only customers who were customers at
// the start of the period; Retention = 1 − Churn. Customers acquired during the period appear
// in Acquired, in End if still there, and in LostAcquired if they left before the period
// ended; they enter the base of the next period.
type PeriodRates struct {
	// Window is the span measured; zero for rates computed from counts alone.
	Window Window `json:"window"`
	// Start is the number of customers at the start of the period (the base).
	Start float64 `json:"start"`
	// Acquired is the number of customers acquired during the period.
	Acquired float64 `json:"acquired"`
	// End is the number of customers at the end of the period.
	End float64 `json:"end"`
	// Lost is the number of customers of the start base who left during the period.
	Lost float64 `json:"lost"`
	// LostAcquired is the number of customers acquired during the period who also left
	// during it. Counts alone cannot show them (see Rates), so it is 0 there.
	LostAcquired float64 `json:"lost_acquired"`
	// Churn is Lost / Start: the share of the base that left. NaN when Start is 0.
	Churn float64 `json:"churn"`
	// Retention is 1 − Churn = (Start − Lost) / Start. NaN when Start is 0.
	Retention float64 `json:"retention"`
}

// MarshalJSON encodes the rates with null for an undefined (NaN) churn or retention, since
// JSON has no NaN.
func (r PeriodRates) MarshalJSON() ([]byte, error) {
	type plain PeriodRates
	return json.Marshal(struct {
		plain
		Churn     *float64 `json:"churn"`
		Retention *float64 `json:"retention"`
	}{plain(r), finiteOrNil(r.Churn), finiteOrNil(r.Retention)})
}

// UnmarshalJSON decodes the form written by MarshalJSON; null becomes NaN. The decoded rates
// must be consistent: counts finite and ≥ 0, Lost ≤ Start, LostAcquired ≤ Acquired,
// End = Start − Lost + Acquired − LostAcquired, Churn = Lost / Start and Retention = 1 − Churn
// (to a relative 1e-9; both null when Start is 0), and a window that does not end before it
// starts. Anything else is an error wrapping ErrInvalid, and leaves r unchanged.
func (r *PeriodRates) UnmarshalJSON(b []byte) error {
	type plain PeriodRates
	var v struct {
		plain
		Churn     *float64 `json:"churn"`
		Retention *float64 `json:"retention"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("churn.PeriodRates: %v: %w", err, ErrInvalid)
	}
	d := PeriodRates(v.plain)
	d.Churn, d.Retention = nilToNaN(v.Churn), nilToNaN(v.Retention)
	if err := d.validate(); err != nil {
		return fmt.Errorf("churn.PeriodRates: %w", err)
	}
	*r = d
	return nil
}

// validate checks decoded rates (see UnmarshalJSON).
func (r PeriodRates) validate() error {
	for _, c := range []struct {
		name string
		x    float64
	}{{"start", r.Start}, {"acquired", r.Acquired}, {"end", r.End}, {"lost", r.Lost}, {"lost_acquired", r.LostAcquired}} {
		if !(c.x >= 0) || math.IsInf(c.x, 0) {
			return fmt.Errorf("%s count %v must be finite and ≥ 0: %w", c.name, c.x, ErrInvalid)
		}
	}
	near := func(a, b float64) bool {
		return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
	}
	if r.Lost > r.Start || r.LostAcquired > r.Acquired || !near(r.End, r.Start-r.Lost+r.Acquired-r.LostAcquired) {
		return fmt.Errorf("counts start %v, acquired %v, end %v, lost %v, lost_acquired %v do not add up: %w",
			r.Start, r.Acquired, r.End, r.Lost, r.LostAcquired, ErrInvalid)
	}
	if r.Start == 0 {
		if !math.IsNaN(r.Churn) || !math.IsNaN(r.Retention) {
			return fmt.Errorf("churn %v and retention %v must be null with no customers at the start: %w", r.Churn, r.Retention, ErrInvalid)
		}
	} else if !near(r.Churn, r.Lost/r.Start) || !near(r.Retention, (r.Start-r.Lost)/r.Start) {
		return fmt.Errorf("churn %v and retention %v differ from lost / start = %v: %w", r.Churn, r.Retention, r.Lost/r.Start, ErrInvalid)
	}
	if r.Window.End.Before(r.Window.Start) {
		return fmt.Errorf("window ends at %s, before its start %s: %w", r.Window.End.Format(time.RFC3339), r.Window.Start.Format(time.RFC3339), ErrInvalid)
	}
	return nil
}

func finiteOrNil(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func nilToNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// Rates computes churn and retention for a period from customer counts: customers at its
// start, acquired during it, and at its end. Lost = Start + Acquired − End, which assumes that
// every customer acquired during the period is still there at its end (counts cannot tell a
// new customer who left from an old one); Churn = Lost / Start.
//
// Counts must be finite and ≥ 0 (ErrOutOfRange); Start 0 is ErrEmpty; End greater than
// Start + Acquired, or less than Acquired (then some new customers must have left, and the
// counts cannot say how many of the base did), is ErrOutOfRange. Use RatesFromLog when you
// have the event log.
func Rates(start, acquired, end float64) (PeriodRates, error) {
	for _, v := range []struct {
		name string
		x    float64
	}{{"start", start}, {"acquired", acquired}, {"end", end}} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) || v.x < 0 {
			return PeriodRates{}, fmt.Errorf("churn: %s count %v must be finite and ≥ 0: %w", v.name, v.x, ErrOutOfRange)
		}
	}
	if start == 0 {
		return PeriodRates{}, fmt.Errorf("churn: no customers at the start of the period: %w", ErrEmpty)
	}
	if end > start+acquired {
		return PeriodRates{}, fmt.Errorf("churn: end count %v exceeds start %v + acquired %v: %w", end, start, acquired, ErrOutOfRange)
	}
	if end < acquired {
		return PeriodRates{}, fmt.Errorf("churn: end count %v is less than acquired %v, so some new customers left and the counts cannot separate them from the base: %w", end, acquired, ErrOutOfRange)
	}
	lost := start + acquired - end
	return PeriodRates{Start: start, Acquired: acquired, End: end, Lost: lost, Churn: lost / start, Retention: (start - lost) / start}, nil
}

// CompoundRate converts a constant per-period churn rate into the churn over `periods`
// periods: 1 − (1 − rate)^periods. periods may be fractional, so CompoundRate(annual, 1.0/12)
// is the monthly rate equivalent to an annual one. rate must lie in [0, 1] and periods be
// finite and > 0 (ErrOutOfRange).
func CompoundRate(rate, periods float64) (float64, error) {
	if !(rate >= 0 && rate <= 1) {
		return 0, fmt.Errorf("churn: rate %v is outside [0, 1]: %w", rate, ErrOutOfRange)
	}
	if !(periods > 0) || math.IsInf(periods, 0) {
		return 0, fmt.Errorf("churn: periods %v must be finite and > 0: %w", periods, ErrOutOfRange)
	}
	return 1 - math.Pow(1-rate, periods), nil
}

// MonthlyToAnnual converts a monthly churn rate into the annual rate it compounds to:
// 1 − (1 − monthly)^12. A monthly churn of 5% is an annual churn of 46%, not 60%.
func MonthlyToAnnual(monthly float64) (float64, error) { return CompoundRate(monthly, 12) }

// AnnualToMonthly converts an annual churn rate into the equivalent constant monthly rate:
// 1 − (1 − annual)^(1/12).
func AnnualToMonthly(annual float64) (float64, error) { return CompoundRate(annual, 1.0/12) }

// Subscription is one customer relationship in an event log: a customer who started at Start
// and left at End. A zero End means the customer is still active. The relationship covers the
// half-open interval [Start, End).
type Subscription struct {
	// Customer identifies the customer (it appears in error messages; it is not required to
	// be unique, so a customer who returns can have several subscriptions).
	Customer string `json:"customer"`
	// Start is when the relationship began.
	Start time.Time `json:"start"`
	// End is when it ended; the zero time means still active.
	End time.Time `json:"end,omitzero"`
}

// validate checks that Start is set and End is not before it.
func (s Subscription) validate() error {
	if s.Start.IsZero() {
		return fmt.Errorf("customer %q has no start time: %w", s.Customer, ErrOutOfRange)
	}
	if !s.End.IsZero() && s.End.Before(s.Start) {
		return fmt.Errorf("customer %q ends at %s, before its start %s: %w", s.Customer,
			s.End.Format(time.RFC3339), s.Start.Format(time.RFC3339), ErrOutOfRange)
	}
	return nil
}

// endsAfter reports whether the subscription is still active after instant x (End > x).
func (s Subscription) endsAfter(x time.Time) bool { return s.End.IsZero() || s.End.After(x) }

// Window is a half-open time interval [Start, End): the span one PeriodRates measures.
type Window struct {
	Start time.Time `json:"start"` // inclusive
	End   time.Time `json:"end"`   // exclusive
}

// Periods returns n consecutive windows of the calendar period step, the k-th running from
// step.Add(from, k) to step.Add(from, k+1) (computed from from, so nothing drifts; see
// cxkit.Period.Add for month ends). Pass step.Truncate(t, loc) as from to align the windows
// with the calendar. An invalid step, a negative n or one above 100,000 is ErrInvalid.
func Periods(from time.Time, step cxkit.Period, n int) ([]Window, error) {
	if err := step.Check(); err != nil {
		return nil, fmt.Errorf("churn: step: %w", err)
	}
	if n < 0 || n > maxPeriods {
		return nil, fmt.Errorf("churn: number of periods %d is outside 0..%d: %w", n, maxPeriods, ErrInvalid)
	}
	out := make([]Window, n)
	for k := range out {
		out[k] = Window{Start: step.Add(from, k), End: step.Add(from, k+1)}
	}
	return out, nil
}

// RatesFromLog computes churn and retention for each period from an event log. For period
// [S, E): the base (Start) is the customers who started before S and had not ended by S;
// Acquired those who started in [S, E); Lost the base members whose End falls in (S, E];
// LostAcquired the new customers whose End falls by E; End those still active at E. Churn is
// Lost / Start, so customers acquired mid-period do not enter the rate (see PeriodRates).
// A period with an empty base has NaN Churn and Retention.
//
// No subscriptions or no periods is ErrEmpty; a subscription without a start or ending before
// it starts is ErrOutOfRange naming its index; a period whose End is not after its Start is
// ErrInvalid naming its index.
func RatesFromLog(subs []Subscription, periods []Window) ([]PeriodRates, error) {
	if len(subs) == 0 {
		return nil, fmt.Errorf("churn: no subscriptions: %w", ErrEmpty)
	}
	if len(periods) == 0 {
		return nil, fmt.Errorf("churn: no periods: %w", ErrEmpty)
	}
	for i, s := range subs {
		if err := s.validate(); err != nil {
			return nil, fmt.Errorf("churn: subscription %d: %w", i, err)
		}
	}
	out := make([]PeriodRates, len(periods))
	for p, per := range periods {
		if !per.End.After(per.Start) {
			return nil, fmt.Errorf("churn: period %d ends at %s, not after its start %s: %w", p,
				per.End.Format(time.RFC3339), per.Start.Format(time.RFC3339), ErrInvalid)
		}
		r := PeriodRates{Window: per}
		for _, s := range subs {
			switch {
			case s.Start.Before(per.Start):
				if !s.endsAfter(per.Start) {
					continue // gone before the period
				}
				r.Start++
				if s.endsAfter(per.End) {
					r.End++
				} else {
					r.Lost++
				}
			case s.Start.Before(per.End):
				r.Acquired++
				if s.endsAfter(per.End) {
					r.End++
				} else {
					r.LostAcquired++
				}
			}
		}
		r.Churn, r.Retention = math.NaN(), math.NaN()
		if r.Start > 0 {
			r.Churn = r.Lost / r.Start
			r.Retention = (r.Start - r.Lost) / r.Start
		}
		out[p] = r
	}
	return out, nil
}
