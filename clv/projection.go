package clv

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cxkit/cxkit/clv/internal/countmodel"
)

// Projection projects customer lifetime value from a purchase model and the Gamma-Gamma spend
// model: the discounted expected revenue of a customer over a horizon,
//
//	CLV = Σ_{k=1}^{K} E(Z | x, z̄) · (E[X(T, T+k·s)] − E[X(T, T+(k−1)·s)]) / (1+d)^k
//
// where s = Step/Unit is one cash-flow step in the model's time unit, K = Horizon/Step, d the
// discount rate per step, E[X(T, T+t)] the purchase model's conditional expected purchases and
// E(Z | x, z̄) the conditional expected spend per purchase. Revenue expected during a step is
// discounted as if received at its end, as lifetimes does.
//
// Every time is explicit: Unit is the time unit the purchase model was fitted in (Week for the
// CDNOW summaries), and the step and horizon are durations, so a model fitted in weeks cannot
// silently be read as days (lifetimes issues #27, #194, #215). A model fitted on an
// [RFMSummary] (RFMSummary.FitBGNBD, ...) records its unit, and a projection in another unit
// is an error wrapping [ErrIncompatible]. Multiply by a margin to turn
// revenue into profit; subtract acquisition cost separately.
type Projection struct {
	// Purchases predicts purchases (BG/NBD, Pareto/NBD, MBG/NBD, or any PurchaseModel).
	Purchases PurchaseModel
	// Spend predicts the spend per purchase.
	Spend GammaGamma
	// Unit is the time unit of the purchase model and of the customers' histories. Zero means
	// the unit the model recorded (see [BGNBD.Unit]); a unit other than the recorded one is an
	// error wrapping [ErrIncompatible].
	Unit time.Duration
	// Step is the cash-flow period at which revenue is discounted (e.g. 30 days).
	Step time.Duration
	// Horizon is how far ahead to project; it must be a whole number of steps, at most 100,000.
	Horizon time.Duration
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

// pbUnitModel is a purchase model that records the time unit it was fitted in.
type pbUnitModel interface{ TimeUnit() time.Duration }

// pbUnit returns the projection's unit: Unit, or the model's recorded unit when Unit is zero.
func (p Projection) pbUnit() (time.Duration, error) {
	var recorded time.Duration
	if m, ok := p.Purchases.(pbUnitModel); ok {
		recorded = m.TimeUnit()
	}
	switch {
	case p.Unit == 0 && recorded == 0:
		return 0, fmt.Errorf("clv: projection has no unit and the purchase model records none (set Projection.Unit to the unit of the histories): %w", ErrInvalid)
	case p.Unit == 0:
		return recorded, nil
	case recorded != 0 && p.Unit != recorded:
		return 0, fmt.Errorf("clv: projection unit %v differs from the unit %v the purchase model was fitted in: %w", p.Unit, recorded, ErrIncompatible)
	}
	return p.Unit, nil
}

// pbMaxSteps bounds the number of cash-flow steps (daily steps over 270 years), so that a
// mistaken step such as time.Second cannot make a projection run for hours.
const pbMaxSteps = 100_000

// pbCheck validates the projection's settings.
func (p Projection) pbCheck() error {
	switch {
	case p.Purchases == nil:
		return fmt.Errorf("clv: projection has no purchase model: %w", ErrInvalid)
	case p.Unit < 0:
		return fmt.Errorf("clv: projection unit %v must be positive: %w", p.Unit, ErrInvalid)
	case p.ZeroSpend < ZeroSpendError || p.ZeroSpend > ZeroSpendZero:
		return fmt.Errorf("clv: projection zero-spend policy %d is unknown: %w", p.ZeroSpend, ErrInvalid)
	case p.Step <= 0:
		return fmt.Errorf("clv: projection step %v must be positive: %w", p.Step, ErrInvalid)
	case p.Horizon <= 0:
		return fmt.Errorf("clv: projection horizon %v must be positive: %w", p.Horizon, ErrInvalid)
	case p.Horizon%p.Step != 0:
		return fmt.Errorf("clv: projection horizon %v is not a whole number of steps of %v: %w", p.Horizon, p.Step, ErrInvalid)
	case p.Horizon/p.Step > pbMaxSteps:
		return fmt.Errorf("clv: projection horizon %v has %d steps of %v, more than %d: %w",
			p.Horizon, p.Horizon/p.Step, p.Step, pbMaxSteps, ErrInvalid)
	case !finite(p.DiscountRate) || p.DiscountRate <= -1:
		return fmt.Errorf("clv: discount rate %v must be finite and greater than -1: %w", p.DiscountRate, ErrOutOfRange)
	}
	_, err := p.pbUnit()
	return err
}

// Value is the projected lifetime value of one customer over the horizon (see [Projection]).
// The customer must pass [Customer.Validate]; errors from the models are passed on, and a
// value that is not finite is an error wrapping [ErrOutOfRange].
func (p Projection) Value(c Customer) (float64, error) {
	if err := p.pbCheck(); err != nil {
		return 0, err
	}
	return p.pbValue(c)
}

func (p Projection) pbValue(c Customer) (float64, error) {
	if err := c.Validate(); err != nil {
		return 0, fmt.Errorf("clv: %w", err)
	}
	var spend float64
	var err error
	switch {
	case c.Frequency > 0 && c.MonetaryValue == 0 && p.ZeroSpend == ZeroSpendPopulationMean:
		spend, err = p.Spend.ExpectedSpend()
	case c.Frequency > 0 && c.MonetaryValue == 0 && p.ZeroSpend == ZeroSpendZero:
		err = p.Spend.pbCheck()
	case c.Frequency > 0 && c.MonetaryValue == 0:
		err = fmt.Errorf("clv: repeat buyer whose repeat purchases are all worth 0 (set Projection.ZeroSpend to choose a policy): %w", ErrOutOfRange)
	default:
		spend, err = p.Spend.ConditionalExpectedSpend(c)
	}
	if err != nil {
		return 0, err
	}
	unit, _ := p.pbUnit()
	s := float64(p.Step) / float64(unit)
	k := int(p.Horizon / p.Step)
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
	if err := p.pbCheck(); err != nil {
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
				v, err := p.pbValue(c)
				if err != nil {
					errs[k] = pbAt{pbWho(i, c), err}
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

// pbAt places an error of the package at a customer, without doubling the package prefix:
// "clv: customer "c7" (index 3): monetary value ...". It unwraps to the error.
type pbAt struct {
	where string
	err   error
}

func (e pbAt) Error() string {
	return "clv: " + e.where + ": " + strings.TrimPrefix(e.err.Error(), "clv: ")
}

func (e pbAt) Unwrap() error { return e.err }
