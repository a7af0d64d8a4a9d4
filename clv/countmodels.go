package clv

import (
	"fmt"
	"math"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv/internal/countmodel"
)

// build validates customers and compresses them into distinct histories, for the count
// models (without the monetary values). who prefixes the error messages ("FitBGNBD", ...); an
// invalid customer is named by describeCustomer.
func build(who string, customers []Customer) (*countmodel.Data, error) {
	d, _, err := buildWith(who, customers, countmodel.BuildOptions{})
	return d, err
}

// buildWith is build with options: the monetary values, the customer → row index (see
// countmodel.BuildOptions).
func buildWith(who string, customers []Customer, opt countmodel.BuildOptions) (*countmodel.Data, []int32, error) {
	check, row := buildFuncs(who, customers)
	return countmodel.Build(who, len(customers), check, row, opt)
}

// buildFuncs returns the validation and row functions that countmodel.Build reads customers
// with.
func buildFuncs(who string, customers []Customer) (func(lo, hi int) error, func(i int) countmodel.Row) {
	check := func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			if err := customers[i].Validate(); err != nil {
				return fmt.Errorf("clv: %s: %s: %w", who, describeCustomer(i, customers[i]), err)
			}
		}
		return nil
	}
	row := func(i int) countmodel.Row {
		c := &customers[i]
		return countmodel.Row{X: float64(c.Frequency), Tx: c.Recency, T: c.T, W: c.weight(), MV: c.MonetaryValue}
	}
	return check, row
}

// checkParams reports a model whose parameters are not finite and positive (a zero-value or
// hand-made model), naming the parameter.
func checkParams(model string, names []string, values ...float64) error {
	for i, v := range values {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("clv: %s parameter %s = %v must be finite and positive: %w", model, names[i], v, ErrOutOfRange)
		}
	}
	return nil
}

// checkHorizon validates a prediction horizon t.
func checkHorizon(model string, t float64) error {
	if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
		return fmt.Errorf("clv: %s: horizon t = %v must be finite and non-negative: %w", model, t, ErrOutOfRange)
	}
	return nil
}

// finiteAt returns a function that passes on a prediction (v, err) of the model at horizon t,
// turning a value that is not finite into an error wrapping ErrOutOfRange: at horizons such
// as 1e300 the closed forms overflow, and no NaN or ±Inf leaves the package.
func finiteAt(model, what string, t float64) func(v float64, err error) (float64, error) {
	return func(v float64, err error) (float64, error) {
		if err != nil {
			return 0, err
		}
		if !finite(v) {
			return 0, fmt.Errorf("clv: %s: %s at horizon t = %v is %v, not finite (the horizon is beyond what the numerics hold): %w",
				model, what, t, v, ErrOutOfRange)
		}
		return v, nil
	}
}

// checkCustomer validates one customer for a prediction.
func checkCustomer(model string, c Customer) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("clv: %s: %w", model, err)
	}
	return nil
}

// historyKey is the part of a customer's history that the count models read.
type historyKey struct {
	x     int
	tx, T float64
}

func hashHistory(k historyKey) uint64 {
	return countmodel.Mix(uint64(k.x), math.Float64bits(k.tx), math.Float64bits(k.T))
}

// prediction is a customer's conditional expectation and P(alive).
type prediction struct{ e, a float64 }

// predictBatch fills expected[i] (when expected is non-nil) and alive[i] (when alive is
// non-nil) for every customer, in parallel chunks. newPredict makes, for each worker, the
// function that computes both for one validated customer (it may keep caches of its own).
// Each worker keeps a small cache of recent histories, since real data repeat (x, t_x, T)
// triples heavily (CDNOW's 2,357 customers have 1,016 distinct ones); a cache hit costs a
// few nanoseconds instead of the special functions. Customers are validated on the way; the
// first invalid one (lowest index) is reported, and the slices' contents are then
// unspecified.
func predictBatch(model string, customers []Customer, expected, alive []float64,
	newPredict func() func(c Customer) (e, a float64)) error {
	if expected != nil && len(expected) != len(customers) {
		return fmt.Errorf("clv: %s: expected has length %d, want %d (one per customer): %w", model, len(expected), len(customers), ErrInvalid)
	}
	if alive != nil && len(alive) != len(customers) {
		return fmt.Errorf("clv: %s: alive has length %d, want %d (one per customer): %w", model, len(alive), len(customers), ErrInvalid)
	}
	// Errors are kept per chunk so that the first invalid customer (lowest index) is the one
	// reported.
	errs := make([]error, (len(customers)+countmodel.Chunk-1)/countmodel.Chunk)
	countmodel.ForChunks(len(customers), countmodel.Chunk, func() func(k, lo, hi int) {
		cache := countmodel.NewCache[historyKey, prediction](14, hashHistory)
		var gate countmodel.CacheGate
		predict := newPredict()
		return func(k, lo, hi int) {
			for i := lo; i < hi; i++ {
				c := customers[i]
				key := historyKey{c.Frequency, c.Recency, c.T}
				var p prediction
				use, ok := gate.Use(), false
				if use {
					if p, ok = cache.Get(key); ok {
						gate.Hit()
					}
				}
				if !ok {
					if err := c.Validate(); err != nil {
						errs[k] = fmt.Errorf("clv: %s: %s: %w", model, describeCustomer(i, c), err)
						return
					}
					e, a := predict(c)
					if !finite(e) || !finite(a) {
						errs[k] = fmt.Errorf("clv: %s: %s: expected purchases %v or P(alive) %v is not finite (the horizon is beyond what the numerics hold): %w",
							model, describeCustomer(i, c), e, a, ErrOutOfRange)
						return
					}
					p = prediction{e, a}
					if use {
						cache.Put(key, p)
					}
				}
				if expected != nil {
					expected[i] = p.e
				}
				if alive != nil {
					alive[i] = p.a
				}
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// errNegativeCount reports a negative purchase count given to ProbabilityOfPurchases.
func errNegativeCount(model string, n int) error {
	return fmt.Errorf("clv: %s: purchase count n = %d is negative: %w", model, n, ErrOutOfRange)
}

// The count models are purchase models for the CLV projection.
var (
	_ PurchaseModel = BGNBD{}
	_ PurchaseModel = MBGNBD{}
	_ PurchaseModel = ParetoNBD{}
)

// estimates returns the parameters of a count model with their asymptotic standard errors
// on the customers: the inverse of the observed information, taken on the compressed
// histories from central differences of the analytic gradient that the fit uses (mk makes
// the mean objective on the data), the gradients evaluated in parallel. The cost grows with
// the distinct histories; the compressed histories of the fit are reused when customers are
// exactly the fitted ones (see historyCache), and so are the gradients of the fit's
// identification check when the model has the fitted parameters (see countmodel.Probe).
func estimates(model string, names []string, values []float64, customers []Customer,
	mk func(*countmodel.Data) func(theta, grad []float64) float64) ([]cxkit.Estimate, error) {
	if err := checkParams(model, names, values...); err != nil {
		return nil, err
	}
	d, err := countData(model+" Estimates", customers)
	if err != nil {
		return nil, err
	}
	return countmodel.EstimatesFrom(names, values, func() func(theta, grad []float64) float64 { return mk(d) }, d.Total,
		histories.probe(d, model)), nil
}
