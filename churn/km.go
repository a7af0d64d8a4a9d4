package churn

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/stat"
)

// Curve is a Kaplan–Meier survival curve: the share of customers still customers as a
// function of time since they started, with Greenwood's variance. Row i describes the
// distinct time Time[i] at which at least one subject churned or was censored, as R's
// survfit does.
type Curve struct {
	// Time holds the distinct durations at which a subject churned or was censored, ascending.
	Time []float64 `json:"time"`
	// AtRisk is the (weighted) number at risk just before Time[i]: subjects whose duration is
	// ≥ Time[i] and who had entered observation before it.
	AtRisk []float64 `json:"at_risk"`
	// Churned is the (weighted) number who churned at Time[i].
	Churned []float64 `json:"churned"`
	// Censored is the (weighted) number censored (still customers) at Time[i].
	Censored []float64 `json:"censored"`
	// Survival is S(Time[i]), the estimated share still customers just after Time[i].
	Survival []float64 `json:"survival"`
	// Greenwood is the cumulative Greenwood sum Σ d/(n(n−d)) up to Time[i]: the estimated
	// variance of log S. It is +Inf from the time the curve reaches 0.
	Greenwood []float64 `json:"greenwood"`
	// Subjects is the (weighted) number of subjects.
	Subjects float64 `json:"subjects"`
	// Events is the (weighted) number of churn events.
	Events float64 `json:"events"`
}

// KaplanMeier estimates the survival curve of a set of customers: S(t) = Π over event times
// tᵢ ≤ t of (1 − dᵢ/nᵢ), with dᵢ the customers who churned at tᵢ and nᵢ those at risk just
// before. Censored subjects (Churned false) count as at risk up to and including their
// duration; subjects with a positive Entry count only after it; weights multiply counts.
//
// No subjects is ErrEmpty; an invalid subject is an error naming its index that wraps
// ErrOutOfRange. Subjects who are all censored give a valid curve that stays at 1.
// The cost is linear in the number of subjects (a radix sort on the durations).
func KaplanMeier(subjects []Subject) (Curve, error) {
	tb, err := tableOf(subjects)
	if err != nil {
		return Curve{}, err
	}
	return tb.curve(), nil
}

// curve computes the Kaplan–Meier curve of a table.
func (tb table) curve() Curve {
	n := len(tb.t)
	c := Curve{
		Time:      tb.t,
		AtRisk:    tb.atRisk(tb.t),
		Churned:   tb.d,
		Censored:  tb.c,
		Survival:  make([]float64, n),
		Greenwood: make([]float64, n),
	}
	s, g := 1.0, 0.0
	for i := range n {
		d, r := tb.d[i], c.AtRisk[i]
		c.Events += d
		c.Subjects += d + tb.c[i]
		if d > 0 {
			if d >= r {
				s, g = 0, math.Inf(1)
			} else {
				s *= 1 - d/r
				g += d / (r * (r - d))
			}
		}
		c.Survival[i], c.Greenwood[i] = s, g
	}
	return c
}

// MarshalJSON encodes the curve; Greenwood values that are +Inf (after the curve reaches 0)
// are written as null, since JSON has no infinity.
func (c Curve) MarshalJSON() ([]byte, error) {
	type plain Curve
	g := make([]*float64, len(c.Greenwood))
	for i, v := range c.Greenwood {
		g[i] = finiteOrNil(v)
	}
	return json.Marshal(struct {
		plain
		Greenwood []*float64 `json:"greenwood"`
	}{plain(c), g})
}

// UnmarshalJSON decodes the form written by MarshalJSON; a null Greenwood value becomes +Inf.
// The decoded curve must be one KaplanMeier could have produced: columns of equal length,
// ascending distinct finite times ≥ 0, finite counts ≥ 0 with at least the churned and
// censored at risk, and survival, Greenwood sums, Subjects and Events that agree with the
// counts (to a relative 1e-9). Anything else is an error wrapping ErrInvalid, and leaves c
// unchanged.
func (c *Curve) UnmarshalJSON(b []byte) error {
	type plain Curve
	var v struct {
		plain
		Greenwood []*float64 `json:"greenwood"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("churn.Curve: %v: %w", err, ErrInvalid)
	}
	d := Curve(v.plain)
	d.Greenwood = make([]float64, len(v.Greenwood))
	for i, p := range v.Greenwood {
		d.Greenwood[i] = math.Inf(1)
		if p != nil {
			d.Greenwood[i] = *p
		}
	}
	if err := d.validate(); err != nil {
		return fmt.Errorf("churn.Curve: %w", err)
	}
	*c = d
	return nil
}

// validate checks that a decoded curve is consistent (see UnmarshalJSON).
func (c Curve) validate() error {
	n := len(c.Time)
	if len(c.AtRisk) != n || len(c.Churned) != n || len(c.Censored) != n || len(c.Survival) != n || len(c.Greenwood) != n {
		return fmt.Errorf("columns of lengths %d, %d, %d, %d, %d, %d differ: %w", n, len(c.AtRisk), len(c.Churned),
			len(c.Censored), len(c.Survival), len(c.Greenwood), ErrInvalid)
	}
	finite := func(x float64) bool { return x >= 0 && !math.IsInf(x, 0) }
	near := func(a, b float64) bool {
		return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
	}
	s, g, subjects, events := 1.0, 0.0, 0.0, 0.0
	for i, t := range c.Time {
		if !finite(t) || (i > 0 && !(t > c.Time[i-1])) {
			return fmt.Errorf("time %v at row %d is not finite, ≥ 0 and ascending: %w", t, i, ErrInvalid)
		}
		r, d, cens := c.AtRisk[i], c.Churned[i], c.Censored[i]
		if !finite(r) || !finite(d) || !finite(cens) || d+cens == 0 || r < (d+cens)*(1-1e-9) {
			return fmt.Errorf("row %d: at risk %v, churned %v, censored %v are not finite counts ≥ 0 with churned + censored in (0, at risk]: %w",
				i, r, d, cens, ErrInvalid)
		}
		if d > 0 {
			if d >= r {
				s, g = 0, math.Inf(1)
			} else {
				s *= 1 - d/r
				g += d / (r * (r - d))
			}
		}
		subjects += d + cens
		events += d
		if !near(c.Survival[i], s) || !(near(c.Greenwood[i], g) || (math.IsInf(g, 1) && math.IsInf(c.Greenwood[i], 1))) {
			return fmt.Errorf("row %d: survival %v and Greenwood sum %v do not follow from the counts (want %v, %v): %w",
				i, c.Survival[i], c.Greenwood[i], s, g, ErrInvalid)
		}
	}
	if !near(c.Subjects, subjects) || !near(c.Events, events) {
		return fmt.Errorf("subjects %v and events %v differ from the rows' %v and %v: %w", c.Subjects, c.Events, subjects, events, ErrInvalid)
	}
	return nil
}

// index returns the index of the last time ≤ t, or −1 when t is before the first time.
func (c Curve) index(t float64) int {
	return sort.Search(len(c.Time), func(i int) bool { return c.Time[i] > t }) - 1
}

// At returns S(t), the estimated share of customers still customers at time t. The curve is a
// right-continuous step function: it is 1 before the first churn and drops at each churn
// time. Beyond the last observed time it stays at its last value (which is only an estimate
// up to that time). At(NaN) is NaN.
func (c Curve) At(t float64) float64 {
	if math.IsNaN(t) {
		return math.NaN()
	}
	i := c.index(t)
	if i < 0 {
		return 1
	}
	return c.Survival[i]
}

// NumberAtRisk returns the (weighted) number of subjects at risk just before time t: those
// whose duration is ≥ t and who had entered observation before t.
func (c Curve) NumberAtRisk(t float64) float64 {
	if math.IsNaN(t) {
		return math.NaN()
	}
	i := sort.Search(len(c.Time), func(i int) bool { return c.Time[i] >= t })
	if i == len(c.Time) {
		return 0
	}
	return c.AtRisk[i]
}

// StdErr returns Greenwood's standard error of S(t): S(t)·√(Σ d/(n(n−d))). It is 0 before the
// first churn and once the curve has reached 0.
func (c Curve) StdErr(t float64) float64 {
	if math.IsNaN(t) {
		return math.NaN()
	}
	i := c.index(t)
	if i < 0 || c.Survival[i] == 0 {
		return 0
	}
	return c.Survival[i] * math.Sqrt(c.Greenwood[i])
}

// Interval returns the confidence interval of S(t) on the log-log scale (R survfit's
// conf.type "log-log", lifelines' default): S^exp(±z·σ/log S), with σ² the Greenwood sum.
// Unlike the plain interval it stays inside [0, 1]. Where S(t) is 1 (before any churn) or 0
// the interval is that single point. A confidence outside (0, 1) is ErrOutOfRange.
func (c Curve) Interval(t, confidence float64) (cxkit.Interval, error) {
	z, err := stat.Z(confidence)
	if err != nil {
		return cxkit.Interval{}, fmt.Errorf("churn: %w", err)
	}
	if math.IsNaN(t) {
		return cxkit.Interval{}, fmt.Errorf("churn: time %v is not a number: %w", t, ErrOutOfRange)
	}
	i := c.index(t)
	if i < 0 {
		return cxkit.Interval{Lower: 1, Upper: 1, Confidence: confidence}, nil
	}
	lo, hi := logLog(c.Survival[i], c.Greenwood[i], z)
	return cxkit.Interval{Lower: lo, Upper: hi, Confidence: confidence}, nil
}

// Bands returns the log-log confidence band at every row of the curve (see Interval).
func (c Curve) Bands(confidence float64) (lower, upper []float64, err error) {
	z, err := stat.Z(confidence)
	if err != nil {
		return nil, nil, fmt.Errorf("churn: %w", err)
	}
	lower, upper = make([]float64, len(c.Time)), make([]float64, len(c.Time))
	for i, s := range c.Survival {
		lower[i], upper[i] = logLog(s, c.Greenwood[i], z)
	}
	return lower, upper, nil
}

// logLog is the log-log interval of a survival estimate s with Greenwood sum g.
func logLog(s, g, z float64) (lo, hi float64) {
	if s <= 0 || s >= 1 || math.IsInf(g, 1) {
		return s, s
	}
	k := z * math.Sqrt(g) / math.Log(s) // negative
	return math.Pow(s, math.Exp(-k)), math.Pow(s, math.Exp(k))
}

// Quantile returns the time by which a share p of customers has churned: the smallest time
// at which S(t) ≤ 1 − p. As in R's survival package, when S(t) equals 1 − p exactly over an
// interval (within 1e-9) the result is the midpoint of that interval, from the time S reached
// 1 − p to the next churn time; if no later churn is observed it is the start of the interval.
// When the curve never falls to 1 − p the quantile is undefined and the result is NaN. A p
// outside (0, 1) is ErrOutOfRange.
func (c Curve) Quantile(p float64) (float64, error) {
	if !(p > 0 && p < 1) {
		return 0, fmt.Errorf("churn: quantile %v is outside (0, 1): %w", p, ErrOutOfRange)
	}
	return c.firstBelow(c.Survival, 1-p), nil
}

// firstBelow returns the first time at which the step curve values (one per row, changing only
// at churn times) is ≤ target, with R's midpoint rule for an exact tie, or NaN.
func (c Curve) firstBelow(values []float64, target float64) float64 {
	const tol = 1e-9
	for i, s := range values {
		if c.Churned[i] == 0 || s > target+tol {
			continue
		}
		if s >= target-tol { // flat at exactly the target: midpoint to the next drop
			for j := i + 1; j < len(c.Time); j++ {
				if c.Churned[j] > 0 {
					return (c.Time[i] + c.Time[j]) / 2
				}
			}
		}
		return c.Time[i]
	}
	return math.NaN()
}

// QuantileInterval returns the confidence limits of Quantile(p) by the method of Brookmeyer
// and Crowley as R's survfit prints them: the times at which the lower and the upper log-log
// confidence band (see Bands) fall to 1 − p. A limit the data do not reach is NaN — commonly
// the upper limit, when the upper band stays above 1 − p. p or confidence outside (0, 1) is
// ErrOutOfRange.
func (c Curve) QuantileInterval(p, confidence float64) (lower, upper float64, err error) {
	if !(p > 0 && p < 1) {
		return 0, 0, fmt.Errorf("churn: quantile %v is outside (0, 1): %w", p, ErrOutOfRange)
	}
	lo, hi, err := c.Bands(confidence)
	if err != nil {
		return 0, 0, err
	}
	return c.firstBelow(lo, 1-p), c.firstBelow(hi, 1-p), nil
}

// MedianInterval returns the confidence limits of the median (QuantileInterval(0.5, …)),
// R's "0.95LCL" and "0.95UCL"; NaN where undefined.
func (c Curve) MedianInterval(confidence float64) (lower, upper float64, err error) {
	return c.QuantileInterval(0.5, confidence)
}

// Median returns the median lifetime: the time by which half the customers have churned
// (Quantile(0.5), with R's midpoint rule when S is exactly 0.5 over an interval). It is NaN
// when the curve never falls to 0.5, as when churn is low or most subjects are censored: the
// data then only say that the median is beyond the last observed time.
func (c Curve) Median() float64 {
	m, _ := c.Quantile(0.5)
	return m
}

// CompareAt compares two curves at one time t — say the share of each plan's customers still
// there after 90 days: the difference S_a(t) − S_b(t), its standard error
// √(se_a² + se_b²) from Greenwood's variances (the groups being independent), z and the
// two-sided normal p-value. When both standard errors are 0 (no churn yet in either group, or
// both curves at 0) Z is 0 and P is 1. Use LogRankTest to compare whole curves.
func CompareAt(a, b Curve, t float64) (cxkit.Comparison, error) {
	if math.IsNaN(t) {
		return cxkit.Comparison{}, fmt.Errorf("churn: time %v is not a number: %w", t, ErrOutOfRange)
	}
	if len(a.Time) == 0 || len(b.Time) == 0 {
		return cxkit.Comparison{}, fmt.Errorf("churn: comparing an empty curve: %w", ErrEmpty)
	}
	sa, sb := a.StdErr(t), b.StdErr(t)
	c := cxkit.Comparison{Difference: a.At(t) - b.At(t), StdErr: math.Hypot(sa, sb)}
	if c.StdErr == 0 {
		c.Z, c.P = 0, 1
		return c, nil
	}
	c.Z = c.Difference / c.StdErr
	c.P = stat.TwoSidedP(c.Z)
	return c, nil
}
