package clv

import (
	"fmt"
	"math"
	"strings"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv/internal/countmodel"
)

// Projection projects customer lifetime value from a purchase model and the Gamma-Gamma spend
// model: the discounted expected revenue of a customer over a horizon,
//
//	CLV = Σ_{k=1}^{K} E(Z | x, z̄) · (E[X(T, T+k·s)] − E[X(T, T+(k−1)·s)]) / (1+d)^k
//
// where s = Step is one cash-flow step in the model's time unit, K = Horizon/Step, d the
// discount rate per step, E[X(T, T+t)] the purchase model's conditional expected purchases and
// E(Z | x, z̄) the conditional expected spend per purchase. Revenue expected during a step is
// discounted as if received at its end, as lifetimes does.
//
// Every time is in the one unit the purchase model was fitted in, named by the required Unit
// (cxkit.Week for the CDNOW summaries), as every time a model takes is: Step: 4, Horizon: 52
// with Unit: cxkit.Week discounts every four weeks for 52 weeks. The unit is checked, so a
// model fitted in weeks cannot silently be read as days (lifetimes issues #27, #194, #215): a
// model fitted on an [RFMSummary] (RFMSummary.FitBGNBD, ...) records its unit, and a
// projection in another unit is an error wrapping [ErrIncompatible]. For a step that is a
// period other than the unit, give its nominal length in the unit with [PeriodLength]:
// monthly steps for a year with a model in weeks are Step: PeriodLength(cxkit.Month,
// cxkit.Week) (4.348 weeks, a twelfth of 365.2425 days) and Horizon: PeriodLength(cxkit.Year,
// cxkit.Week). Multiply by a margin to turn revenue into profit; subtract acquisition cost
// separately.
type Projection struct {
	// Purchases predicts purchases (BG/NBD, Pareto/NBD, MBG/NBD, or any PurchaseModel).
	Purchases PurchaseModel
	// Spend predicts the spend per purchase.
	Spend GammaGamma
	// Unit is the time unit of the purchase model, of the customers' histories and of Step
	// and Horizon. It is required, since Step and Horizon mean nothing without it; a unit other
	// than the one the model recorded (see [BGNBD.Unit]) is an error wrapping
	// [ErrIncompatible].
	Unit cxkit.Period
	// Step is the length of the cash-flow period at which revenue is discounted, in Unit (4
	// for four weeks in a weekly model; PeriodLength(cxkit.Month, Unit) for calendar months at
	// their mean length). It must be finite and positive.
	Step float64
	// Horizon is how far ahead to project, in Unit; it must be a whole number of steps (to a
	// relative 1e-9), at most 100,000 of them.
	Horizon float64
	// DiscountRate is the discount rate per Step (0.01 for 1% a month when Step is a month);
	// it must be finite and greater than −1.
	DiscountRate float64
	// ZeroSpend says what to do with repeat buyers whose repeat purchases are all worth 0
	// (MonetaryValue 0 with Frequency > 0), which the Gamma-Gamma model cannot take.
	ZeroSpend ZeroSpendPolicy
}

// ZeroSpendPolicy is a [Projection]'s treatment of repeat buyers whose repeat purchases are
// all worth 0 (free orders, full refunds), common in real transaction logs.
type ZeroSpendPolicy int

const (
	// ZeroSpendError, the default, makes such a customer an error naming it (by ID when the
	// customer has one): nothing is valued silently.
	ZeroSpendError ZeroSpendPolicy = iota
	// ZeroSpendPopulationMean values such a customer's future purchases at the population
	// mean spend P·V/(Q−1) ([GammaGamma.ExpectedSpend]), as for a customer without repeat
	// purchases: their zero spend so far is taken as uninformative.
	ZeroSpendPopulationMean
	// ZeroSpendZero values such a customer at 0: their future purchases are expected to be
	// free as their past ones were.
	ZeroSpendZero
)

// unitModel is a purchase model that records the time unit it was fitted in.
type unitModel interface{ TimeUnit() cxkit.Period }

// checkUnit checks the projection's unit against the one the purchase model recorded.
func (p Projection) checkUnit() (cxkit.Period, error) {
	var recorded cxkit.Period
	if m, ok := p.Purchases.(unitModel); ok {
		recorded = m.TimeUnit()
	}
	switch {
	case recorded != 0 && !recorded.Valid():
		return 0, fmt.Errorf("clv: the purchase model records the unit %v, which is not a period: %w", recorded, ErrInvalid)
	case p.Unit == 0 && recorded == 0:
		return 0, fmt.Errorf("clv: projection has no unit (set Projection.Unit to the unit of the histories, which Step and Horizon are in): %w", ErrInvalid)
	case p.Unit == 0:
		return 0, fmt.Errorf("clv: projection has no unit (set Projection.Unit to %v, the unit the purchase model was fitted in, and give Step and Horizon in it): %w", recorded, ErrInvalid)
	case !p.Unit.Valid():
		return 0, fmt.Errorf("clv: projection unit: %w", p.Unit.Check())
	case recorded != 0 && p.Unit != recorded:
		return 0, fmt.Errorf("clv: projection unit %v differs from the unit %v the purchase model was fitted in: %w", p.Unit, recorded, ErrIncompatible)
	}
	return p.Unit, nil
}

// maxSteps bounds the number of cash-flow steps (daily steps over 270 years), so that a
// mistaken step such as a second cannot make a projection run for hours.
const maxSteps = 100_000

// PeriodLength returns the nominal length of period p in unit ([cxkit.Period.Nominal]): 7 for
// a week in days, 365.2425/12/7 = 4.348125 for a month in weeks, 1 when p = unit; 0 when
// either is not a valid period. It gives a [Projection] step or horizon that is a period
// other than the model's unit.
func PeriodLength(p, unit cxkit.Period) float64 {
	if !p.Valid() || !unit.Valid() {
		return 0
	}
	return unitsPer(p, unit)
}

// cashFlowSteps returns the number of cash-flow steps of the projection, checking that the horizon
// is a whole number of steps.
func (p Projection) cashFlowSteps() (int, error) {
	if !finite(p.Step) || p.Step <= 0 {
		return 0, fmt.Errorf("clv: projection step %v must be finite and positive: %w", p.Step, ErrInvalid)
	}
	if !finite(p.Horizon) || p.Horizon <= 0 {
		return 0, fmt.Errorf("clv: projection horizon %v must be finite and positive: %w", p.Horizon, ErrInvalid)
	}
	q := p.Horizon / p.Step
	if q > maxSteps+0.5 {
		return 0, fmt.Errorf("clv: projection horizon %v has %.6g steps of %v, more than %d: %w",
			p.Horizon, q, p.Step, maxSteps, ErrInvalid)
	}
	k := math.Round(q)
	if k < 1 || math.Abs(p.Horizon-k*p.Step) > 1e-9*p.Horizon {
		return 0, fmt.Errorf("clv: projection horizon %v is not a whole number of steps of %v: %w", p.Horizon, p.Step, ErrInvalid)
	}
	return int(k), nil
}

// validate validates the projection's settings.
func (p Projection) validate() error {
	switch {
	case p.Purchases == nil:
		return fmt.Errorf("clv: projection has no purchase model: %w", ErrInvalid)
	case p.ZeroSpend < ZeroSpendError || p.ZeroSpend > ZeroSpendZero:
		return fmt.Errorf("clv: projection zero-spend policy %d is unknown: %w", p.ZeroSpend, ErrInvalid)
	case !finite(p.DiscountRate) || p.DiscountRate <= -1:
		return fmt.Errorf("clv: discount rate %v must be finite and greater than -1: %w", p.DiscountRate, ErrOutOfRange)
	}
	if _, err := p.cashFlowSteps(); err != nil {
		return err
	}
	_, err := p.checkUnit()
	return err
}

// Value is the projected lifetime value of one customer over the horizon (see [Projection]).
// The customer must pass [Customer.Validate]; errors from the models are passed on, and a
// value that is not finite is an error wrapping [ErrOutOfRange].
func (p Projection) Value(c Customer) (float64, error) {
	if err := p.validate(); err != nil {
		return 0, err
	}
	return p.customerValue(c)
}

func (p Projection) customerValue(c Customer) (float64, error) {
	if err := c.Validate(); err != nil {
		return 0, fmt.Errorf("clv: %w", err)
	}
	var spend float64
	var err error
	switch {
	case c.Frequency > 0 && c.MonetaryValue == 0 && p.ZeroSpend == ZeroSpendPopulationMean:
		spend, err = p.Spend.ExpectedSpend()
	case c.Frequency > 0 && c.MonetaryValue == 0 && p.ZeroSpend == ZeroSpendZero:
		err = p.Spend.validate()
	case c.Frequency > 0 && c.MonetaryValue == 0:
		err = fmt.Errorf("clv: repeat buyer whose repeat purchases are all worth 0 (set Projection.ZeroSpend to choose a policy): %w", ErrOutOfRange)
	default:
		spend, err = p.Spend.ConditionalExpectedSpend(c)
	}
	if err != nil {
		return 0, err
	}
	s := p.Step
	k, _ := p.cashFlowSteps()
	v, prev, disc := 0.0, 0.0, 1.0
	for i := 1; i <= k; i++ {
		e, err := p.Purchases.ConditionalExpectedPurchases(float64(i)*s, c)
		if err != nil {
			return 0, err
		}
		disc /= 1 + p.DiscountRate
		v += spend * (e - prev) * disc
		prev = e
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("clv: projected value %v is not finite: %w", v, ErrOutOfRange)
	}
	return v, nil
}

// Values is [Projection.Value] for each customer, in order. An error names the (first)
// customer that caused it, by ID when it has one, and its index. Large slices are split across GOMAXPROCS goroutines, so the
// purchase model must be safe for concurrent use, as the package's models are.
func (p Projection) Values(cs []Customer) ([]float64, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("clv: no customers: %w", ErrEmpty)
	}
	out := make([]float64, len(cs))
	const chunk = 4096
	errs := make([]error, (len(cs)+chunk-1)/chunk)
	// Each worker remembers recent histories in a small direct-mapped cache: identical
	// customers (same x, t_x, T, z̄ and weight, so that a hit needs no new validation) have the
	// same value, and real summaries repeat them a lot (every customer without a repeat
	// purchase and of the same age shares one).
	countmodel.ForChunks(len(cs), chunk, func() func(k, lo, hi int) {
		cache := countmodel.NewCache[valueKey, float64](12, hashValueKey)
		return func(k, lo, hi int) {
			for i := lo; i < hi; i++ {
				c := cs[i]
				key := valueKey{c.Frequency, c.Recency, c.T, c.MonetaryValue, c.Weight}
				if v, ok := cache.Get(key); ok {
					out[i] = v
					continue
				}
				v, err := p.customerValue(c)
				if err != nil {
					errs[k] = errorAt{describeCustomer(i, c), err}
					return
				}
				out[i] = v
				cache.Put(key, v)
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// valueKey is what a customer's projected value depends on.
type valueKey struct {
	x                 int
	tx, T, mv, weight float64
}

func hashValueKey(k valueKey) uint64 {
	return countmodel.Mix(uint64(k.x), math.Float64bits(k.tx), math.Float64bits(k.T), math.Float64bits(k.mv), math.Float64bits(k.weight))
}

// errorAt places an error of the package at a customer, without doubling the package prefix:
// "clv: customer "c7" (index 3): monetary value ...". It unwraps to the error.
type errorAt struct {
	where string
	err   error
}

func (e errorAt) Error() string {
	return "clv: " + e.where + ": " + strings.TrimPrefix(e.err.Error(), "clv: ")
}

func (e errorAt) Unwrap() error { return e.err }
