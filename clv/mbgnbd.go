package clv

import (
	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv/internal/countmodel"
)

// MBGNBD is a fitted modified BG/NBD model (Batislam, Denizel & Filiztekin 2007): as BG/NBD,
// purchase rates λ ~ Gamma(R, Alpha) and drop-out probabilities p ~ Beta(A, B), but a customer
// may drop out right after the first purchase too, so even a customer with no repeat purchase
// may be inactive. Times are in the unit of the data it was fitted on.
type MBGNBD struct {
	R     float64   `json:"r"`     // shape of the Gamma distribution of purchase rates
	Alpha float64   `json:"alpha"` // rate (inverse scale) of the Gamma distribution of purchase rates, in time units
	A     float64   `json:"a"`     // first shape of the Beta distribution of drop-out probabilities
	B     float64   `json:"b"`     // second shape of the Beta distribution of drop-out probabilities
	Fit   cxkit.Fit `json:"fit"`   // how the maximum-likelihood fit ended
	// Unit is the time unit of the histories the model was fitted on, which every time given
	// to it is in: recorded by RFMSummary.FitMBGNBD, zero when fitted on bare histories (set it
	// yourself then). A [Projection] in another unit is an error. It encodes as its name
	// ("week"); see [RFMOptions.Unit] for how a unit measures time.
	Unit cxkit.Period `json:"unit,omitempty"`
}

// TimeUnit returns the recorded time unit (zero when unknown).
func (m MBGNBD) TimeUnit() cxkit.Period { return m.Unit }

// FitMBGNBD fits the model to the summary's histories (as [FitMBGNBD]) and records the summary's
// time unit in it.
func (s RFMSummary) FitMBGNBD() (MBGNBD, error) {
	m, err := FitMBGNBD(s.Histories())
	m.Unit = s.Unit
	return m, err
}

// FitMBGNBD fits a modified BG/NBD model by maximum likelihood, with the same validation and
// errors as FitBGNBD.
func FitMBGNBD(customers []Customer) (MBGNBD, error) {
	d, err := countData("FitMBGNBD", customers)
	if err != nil {
		return MBGNBD{}, err
	}
	p, fit, probe, err := countmodel.FitBG("FitMBGNBD", d, 1)
	m := MBGNBD{Fit: fit}
	if err != nil {
		return m, err
	}
	m.R, m.Alpha, m.A, m.B = p[0], p[1], p[2], p[3]
	histories.keepProbe(d, "MBG/NBD", probe)
	return m, nil
}

func (m MBGNBD) core() (bgFamily, error) {
	err := checkParams("MBG/NBD", []string{"R", "Alpha", "A", "B"}, m.R, m.Alpha, m.A, m.B)
	return bgFamily{countmodel.BG{R: m.R, Alpha: m.Alpha, A: m.A, B: m.B, K: 1}, "MBG/NBD"}, err
}

// LogLikelihood is the log-likelihood of the customers under the model (Batislam et al. 2007),
// summed over customers with their weights.
func (m MBGNBD) LogLikelihood(customers []Customer) (float64, error) {
	c, err := m.core()
	if err != nil {
		return 0, err
	}
	return c.logLikelihood(customers)
}

// ExpectedPurchases is E[X(t)] = b/(a−1) (1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))), the
// expected number of repeat purchases of a new customer in a period of length t.
func (m MBGNBD) ExpectedPurchases(t float64) (float64, error) {
	c, err := m.core()
	if err != nil {
		return 0, err
	}
	return finiteAt(c.name, "expected purchases", t)(c.expected(t))
}

// ProbabilityOfPurchases is P(X(t) = n) for a new customer:
// B(a, b+n+1)/B(a, b) NB(n) + B(a+1, b+n)/B(a, b) P(NB ≥ n), where NB is the negative binomial
// count of a customer who never drops out.
func (m MBGNBD) ProbabilityOfPurchases(n int, t float64) (float64, error) {
	c, err := m.core()
	if err != nil {
		return 0, err
	}
	return c.pmf(n, t)
}

// ConditionalExpectedPurchases is the expected number of purchases in (T, T+t] of a customer
// with history c (Batislam et al. 2007), computed stably for heavy buyers.
func (m MBGNBD) ConditionalExpectedPurchases(t float64, c Customer) (float64, error) {
	k, err := m.core()
	if err != nil {
		return 0, err
	}
	return finiteAt(k.name, "conditional expected purchases", t)(k.conditional(t, c))
}

// ProbabilityAlive is 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)), the probability that a customer
// with history c is still active at T; unlike BG/NBD it is below 1 when x = 0.
func (m MBGNBD) ProbabilityAlive(c Customer) (float64, error) {
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
// with ProbabilityAlive(customers[i]), as BGNBD.Predict does.
func (m MBGNBD) Predict(t float64, customers []Customer, expected, alive []float64) error {
	k, err := m.core()
	if err != nil {
		return err
	}
	return k.predict(t, customers, expected, alive)
}

// Estimates returns R, Alpha, A and B with their asymptotic standard errors on the customers
// the model was fitted to, as BGNBD.Estimates does.
func (m MBGNBD) Estimates(customers []Customer) ([]cxkit.Estimate, error) {
	return estimates("MBG/NBD", []string{"R", "Alpha", "A", "B"}, []float64{m.R, m.Alpha, m.A, m.B}, customers,
		func(d *countmodel.Data) func(theta, grad []float64) float64 { return countmodel.BGObjective(d, 1) })
}
