package clv

import (
	"math"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv/internal/countmodel"
	"gonum.org/v1/gonum/integrate/quad"
)

// ParetoNBD is a fitted Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): purchase
// rates λ ~ Gamma(R, Alpha) and exponential lifetimes with rates μ ~ Gamma(S, Beta). Times are
// in the unit of the data it was fitted on.
type ParetoNBD struct {
	R     float64   `json:"r"`     // shape of the Gamma distribution of purchase rates
	Alpha float64   `json:"alpha"` // rate (inverse scale) of the Gamma distribution of purchase rates, in time units
	S     float64   `json:"s"`     // shape of the Gamma distribution of drop-out rates
	Beta  float64   `json:"beta"`  // rate (inverse scale) of the Gamma distribution of drop-out rates, in time units
	Fit   cxkit.Fit `json:"fit"`   // how the maximum-likelihood fit ended
	// Unit is the time unit of the histories the model was fitted on, which every time given
	// to it is in: recorded by RFMSummary.FitParetoNBD, zero when fitted on bare histories (set it
	// yourself then). A [Projection] in another unit is an error. It encodes as its name
	// ("week"); see [RFMOptions.Unit] for how a unit measures time.
	Unit cxkit.Period `json:"unit,omitempty"`
}

// TimeUnit returns the recorded time unit (zero when unknown).
func (m ParetoNBD) TimeUnit() cxkit.Period { return m.Unit }

// FitParetoNBD fits the model to the summary's histories (as [FitParetoNBD]) and records the summary's
// time unit in it.
func (s RFMSummary) FitParetoNBD() (ParetoNBD, error) {
	m, err := FitParetoNBD(s.Histories())
	m.Unit = s.Unit
	return m, err
}

// FitParetoNBD fits a Pareto/NBD model by maximum likelihood, with the same validation and
// errors as FitBGNBD. The likelihood is evaluated in log form with Gauss hypergeometric
// functions whose argument stays in [0, 1) (Fader & Hardie, note 008), so heavy buyers neither
// overflow nor produce NaN.
func FitParetoNBD(customers []Customer) (ParetoNBD, error) {
	d, err := countData("FitParetoNBD", customers)
	if err != nil {
		return ParetoNBD{}, err
	}
	p, fit, probe, err := countmodel.FitPareto("FitParetoNBD", d)
	m := ParetoNBD{Fit: fit}
	if err != nil {
		return m, err
	}
	m.R, m.Alpha, m.S, m.Beta = p[0], p[1], p[2], p[3]
	histories.keepProbe(d, "Pareto/NBD", probe)
	return m, nil
}

func (m ParetoNBD) core() (countmodel.Pareto, error) {
	err := checkParams("Pareto/NBD", []string{"R", "Alpha", "S", "Beta"}, m.R, m.Alpha, m.S, m.Beta)
	return countmodel.Pareto{R: m.R, Alpha: m.Alpha, S: m.S, Beta: m.Beta}, err
}

// LogLikelihood is the log-likelihood of the customers under the model (Fader & Hardie, note
// 008), summed over customers with their weights.
func (m ParetoNBD) LogLikelihood(customers []Customer) (float64, error) {
	p, err := m.core()
	if err != nil {
		return 0, err
	}
	d, err := countData("Pareto/NBD LogLikelihood", customers)
	if err != nil {
		return 0, err
	}
	return p.SumLogLik(d), nil
}

// ExpectedPurchases is E[X(t)] = rβ/(α(s−1)) (1 − (β/(β+t))^(s−1)), the expected number of
// repeat purchases of a new customer in a period of length t (rβ/α ln(1 + t/β) when s = 1).
func (m ParetoNBD) ExpectedPurchases(t float64) (float64, error) {
	p, err := m.core()
	if err != nil {
		return 0, err
	}
	if err := checkHorizon("Pareto/NBD", t); err != nil {
		return 0, err
	}
	return finiteAt("Pareto/NBD", "expected purchases", t)(p.R/p.Alpha*p.Beta*countmodel.PowTail(p.S-1, t/p.Beta), nil)
}

// ProbabilityOfPurchases is P(X(t) = n) for a new customer: the probability of n purchases
// for a customer alive throughout, times P(alive at t), plus the integral over the time of
// death τ in (0, t) of the probability of n purchases by τ, computed with 128-point
// Gauss–Legendre quadrature (the tests check on CDNOW that the probabilities sum to 1 and
// that their mean is E[X(t)], both to 1e-6).
func (m ParetoNBD) ProbabilityOfPurchases(n int, t float64) (float64, error) {
	p, err := m.core()
	if err != nil {
		return 0, err
	}
	if err := checkHorizon("Pareto/NBD", t); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, errNegativeCount("Pareto/NBD", n)
	}
	alive := math.Exp(countmodel.NBDLogPMF(n, p.R, p.Alpha, t) + p.S*(math.Log(p.Beta)-math.Log(p.Beta+t)))
	if t == 0 {
		return alive, nil
	}
	// Density of the time of death: s β^s / (β+τ)^(s+1).
	lsb := math.Log(p.S) + p.S*math.Log(p.Beta)
	dead := quad.Fixed(func(tau float64) float64 {
		return math.Exp(lsb - (p.S+1)*math.Log(p.Beta+tau) + countmodel.NBDLogPMF(n, p.R, p.Alpha, tau))
	}, 0, t, 128, quad.Legendre{}, 0)
	return alive + dead, nil
}

// ConditionalExpectedPurchases is the expected number of purchases in (T, T+t] of a customer
// with history c: P(alive) (r+x)(β+T)/((α+T)(s−1)) (1 − ((β+T)/(β+T+t))^(s−1)) (Fader &
// Hardie, note 008).
func (m ParetoNBD) ConditionalExpectedPurchases(t float64, c Customer) (float64, error) {
	p, err := m.core()
	if err != nil {
		return 0, err
	}
	if err := checkHorizon("Pareto/NBD", t); err != nil {
		return 0, err
	}
	if err := checkCustomer("Pareto/NBD", c); err != nil {
		return 0, err
	}
	x := float64(c.Frequency)
	return finiteAt("Pareto/NBD", "conditional expected purchases", t)(p.Alive(x, c.Recency, c.T)*p.Tail(x, c.T, t), nil)
}

// ProbabilityAlive is the probability that a customer with history c is still active at T
// (Fader & Hardie, note 008), computed in logs.
func (m ParetoNBD) ProbabilityAlive(c Customer) (float64, error) {
	p, err := m.core()
	if err != nil {
		return 0, err
	}
	if err := checkCustomer("Pareto/NBD", c); err != nil {
		return 0, err
	}
	return p.Alive(float64(c.Frequency), c.Recency, c.T), nil
}

// Predict fills expected[i] with ConditionalExpectedPurchases(t, customers[i]) and alive[i]
// with ProbabilityAlive(customers[i]), as BGNBD.Predict does.
func (m ParetoNBD) Predict(t float64, customers []Customer, expected, alive []float64) error {
	p, err := m.core()
	if err != nil {
		return err
	}
	if err := checkHorizon("Pareto/NBD", t); err != nil {
		return err
	}
	p = p.Prepared()
	return predictBatch("Pareto/NBD", customers, expected, alive, func() func(Customer) (float64, float64) {
		series := p.NewAliveCache() // each worker's series of A0's 2F1, by purchase count
		return func(c Customer) (float64, float64) {
			x := float64(c.Frequency)
			pa := series.Alive(x, c.Recency, c.T)
			if expected == nil {
				return 0, pa
			}
			return pa * p.Tail(x, c.T, t), pa
		}
	})
}

// Estimates returns R, Alpha, S and Beta with their asymptotic standard errors on the
// customers the model was fitted to, as BGNBD.Estimates does. Expect a large standard error for
// Beta: the likelihood is flat along a ridge in S and Beta on typical data.
func (m ParetoNBD) Estimates(customers []Customer) ([]cxkit.Estimate, error) {
	return estimates("Pareto/NBD", []string{"R", "Alpha", "S", "Beta"}, []float64{m.R, m.Alpha, m.S, m.Beta}, customers,
		countmodel.ParetoObjective)
}
