package clv

import (
	"math"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv/internal/countmodel"
)

// BGNBD is a fitted BG/NBD model (Fader, Hardie & Lee 2005): purchase rates λ ~ Gamma(R, Alpha)
// and drop-out probabilities after each repeat purchase p ~ Beta(A, B). Times are in the unit
// of the data it was fitted on.
type BGNBD struct {
	R     float64   `json:"r"`     // shape of the Gamma distribution of purchase rates
	Alpha float64   `json:"alpha"` // rate (inverse scale) of the Gamma distribution of purchase rates, in time units
	A     float64   `json:"a"`     // first shape of the Beta distribution of drop-out probabilities
	B     float64   `json:"b"`     // second shape of the Beta distribution of drop-out probabilities
	Fit   cxkit.Fit `json:"fit"`   // how the maximum-likelihood fit ended
	// Unit is the time unit of the histories the model was fitted on, which every time given
	// to it is in: recorded by RFMSummary.FitBGNBD, zero when fitted on bare histories (set it
	// yourself then). A [Projection] in another unit is an error. It encodes as its name
	// ("week"); see [RFMOptions.Unit] for how a unit measures time.
	Unit cxkit.Period `json:"unit,omitempty"`
}

// TimeUnit returns the recorded time unit (zero when unknown).
func (m BGNBD) TimeUnit() cxkit.Period { return m.Unit }

// FitBGNBD fits the model to the summary's histories (as [FitBGNBD]) and records the summary's
// time unit in it.
func (s RFMSummary) FitBGNBD() (BGNBD, error) {
	m, err := FitBGNBD(s.Histories())
	m.Unit = s.Unit
	return m, err
}

// FitBGNBD fits a BG/NBD model by maximum likelihood. Customers are validated (an invalid one
// is an error naming its index, wrapping ErrOutOfRange), an empty slice is ErrEmpty, and a fit
// that does not converge is an error. Weighted customers (Customer.Weight) count as that many
// customers.
func FitBGNBD(customers []Customer) (BGNBD, error) {
	d, err := countData("FitBGNBD", customers)
	if err != nil {
		return BGNBD{}, err
	}
	p, fit, probe, err := countmodel.FitBG("FitBGNBD", d, 0)
	m := BGNBD{Fit: fit}
	if err != nil {
		return m, err
	}
	m.R, m.Alpha, m.A, m.B = p[0], p[1], p[2], p[3]
	histories.keepProbe(d, "BG/NBD", probe)
	return m, nil
}

func (m BGNBD) core() (bgFamily, error) {
	err := checkParams("BG/NBD", []string{"R", "Alpha", "A", "B"}, m.R, m.Alpha, m.A, m.B)
	return bgFamily{countmodel.BG{R: m.R, Alpha: m.Alpha, A: m.A, B: m.B, K: 0}, "BG/NBD"}, err
}

// LogLikelihood is the log-likelihood of the customers under the model (FHL 2005, eq. 6),
// summed over customers with their weights.
func (m BGNBD) LogLikelihood(customers []Customer) (float64, error) {
	c, err := m.core()
	if err != nil {
		return 0, err
	}
	return c.logLikelihood(customers)
}

// ExpectedPurchases is E[X(t)], the expected number of repeat purchases of a new customer in
// a period of length t after the first purchase (FHL 2005, eq. 9).
func (m BGNBD) ExpectedPurchases(t float64) (float64, error) {
	c, err := m.core()
	if err != nil {
		return 0, err
	}
	return finiteAt(c.name, "expected purchases", t)(c.expected(t))
}

// ProbabilityOfPurchases is P(X(t) = n), the probability that a new customer makes exactly n
// repeat purchases in a period of length t (FHL 2005, eq. 8).
func (m BGNBD) ProbabilityOfPurchases(n int, t float64) (float64, error) {
	c, err := m.core()
	if err != nil {
		return 0, err
	}
	return c.pmf(n, t)
}

// ConditionalExpectedPurchases is the expected number of purchases in (T, T+t] of a customer
// with history c (FHL 2005, eq. 10), computed stably for heavy buyers.
func (m BGNBD) ConditionalExpectedPurchases(t float64, c Customer) (float64, error) {
	k, err := m.core()
	if err != nil {
		return 0, err
	}
	return finiteAt(k.name, "conditional expected purchases", t)(k.conditional(t, c))
}

// ProbabilityAlive is the probability that a customer with history c is still active at T
// (FHL 2005, appendix); it is 1 for a customer with no repeat purchase.
func (m BGNBD) ProbabilityAlive(c Customer) (float64, error) {
	k, err := m.core()
	if err != nil {
		return 0, err
	}
	if err := checkCustomer(k.name, c); err != nil {
		return 0, err
	}
	return k.alive(c), nil
}

// Predict fills expected[i] with ConditionalExpectedPurchases(t, customers[i]) and alive[i]
// with ProbabilityAlive(customers[i]), using all cores. Either slice may be nil to skip it;
// otherwise it must have one element per customer. An invalid customer is an error naming its
// index. The expectations agree with the single calls to rounding, not bit for bit (see
// "Count models" in the package doc); the probabilities are identical.
func (m BGNBD) Predict(t float64, customers []Customer, expected, alive []float64) error {
	k, err := m.core()
	if err != nil {
		return err
	}
	return k.predict(t, customers, expected, alive)
}

// bgFamily is a validated model of the BG family (see countmodel.BG) with its name for
// errors.
type bgFamily struct {
	countmodel.BG
	name string
}

func (m bgFamily) logLikelihood(customers []Customer) (float64, error) {
	d, err := countData(m.name+" LogLikelihood", customers)
	if err != nil {
		return 0, err
	}
	return m.SumLogLik(d), nil
}

// alive is P(alive at T) for a validated customer.
func (m bgFamily) alive(c Customer) float64 { return m.Alive(float64(c.Frequency), c.Recency, c.T) }

func (m bgFamily) conditional(t float64, c Customer) (float64, error) {
	if err := checkHorizon(m.name, t); err != nil {
		return 0, err
	}
	if err := checkCustomer(m.name, c); err != nil {
		return 0, err
	}
	return m.alive(c) * m.Tail(float64(c.Frequency), c.T, t), nil
}

func (m bgFamily) expected(t float64) (float64, error) {
	if err := checkHorizon(m.name, t); err != nil {
		return 0, err
	}
	return m.Expected(t), nil
}

func (m bgFamily) pmf(n int, t float64) (float64, error) {
	if err := checkHorizon(m.name, t); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, errNegativeCount(m.name, n)
	}
	return m.PMF(n, t), nil
}

func (m bgFamily) predict(t float64, customers []Customer, expected, alive []float64) error {
	if err := checkHorizon(m.name, t); err != nil {
		return err
	}
	// The conditional expectation is P(alive) times a factor that depends on x and T only
	// (the hypergeometric part, the costly one), so each worker caches that factor by (x, T):
	// real data, with ages on a day grid, repeat (x, T) far more often than (x, t_x, T).
	return predictBatch(m.name, customers, expected, alive, func() func(Customer) (float64, float64) {
		tails := countmodel.NewCache[ageKey, float64](12, hashAge)
		series := m.NewAnchoredTailCache()
		var gate countmodel.CacheGate
		return func(c Customer) (float64, float64) {
			pa := series.Alive(float64(c.Frequency), c.Recency, c.T)
			if expected == nil {
				return 0, pa
			}
			k := ageKey{c.Frequency, c.T}
			var v float64
			use, ok := gate.Use(), false
			if use {
				if v, ok = tails.Get(k); ok {
					gate.Hit()
				}
			}
			if !ok {
				v = series.Tail(float64(c.Frequency), c.T, t)
				if use {
					tails.Put(k, v)
				}
			}
			return pa * v, pa
		}
	})
}

// ageKey is what the BG family's conditional expectation depends on besides P(alive).
type ageKey struct {
	x int
	T float64
}

func hashAge(k ageKey) uint64 { return countmodel.Mix(uint64(k.x), math.Float64bits(k.T)) }

// Estimates returns R, Alpha, A and B with their asymptotic standard errors on the customers
// the model was fitted to: the inverse of the observed information (the Hessian of the
// negative log-likelihood at the estimates), as lifetimes' summary reports them. Use
// Estimate.Interval for Wald intervals. Invalid customers are errors as in FitBGNBD. Called
// on the very slice the model was fitted on, it reuses the fit's compressed histories after
// checking that the customers are unchanged (see the package documentation).
func (m BGNBD) Estimates(customers []Customer) ([]cxkit.Estimate, error) {
	return estimates("BG/NBD", []string{"R", "Alpha", "A", "B"}, []float64{m.R, m.Alpha, m.A, m.B}, customers,
		func(d *countmodel.Data) func(theta, grad []float64) float64 { return countmodel.BGObjective(d, 0) })
}
