package clv

import (
	"math"

	"github.com/cxkit/cxkit"
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
	d, err := cmBuild("FitParetoNBD", customers)
	if err != nil {
		return ParetoNBD{}, err
	}
	meanT := 0.0
	for i, T := range d.T {
		meanT += d.w[i] * T
	}
	meanT /= d.W
	start := []float64{1, math.Max(meanT, 1e-3), 1, math.Max(meanT, 1e-3)}
	p, fit, err := cmFit("FitParetoNBD", []string{"r", "alpha", "s", "beta"}, d, start, start, true, cmPNBDObjective)
	m := ParetoNBD{Fit: fit}
	if err != nil {
		return m, err
	}
	m.R, m.Alpha, m.S, m.Beta = p[0], p[1], p[2], p[3]
	return m, nil
}

// cmPNBDObjective is the negative mean log-likelihood of Pareto/NBD on d and its analytic
// gradient with respect to the logs of (r, α, s, β).
func cmPNBDObjective(d *cmData) func(theta, grad []float64) float64 {
	return func(theta, grad []float64) float64 {
		p := cmPNBD{r: math.Exp(theta[0]), alpha: math.Exp(theta[1]), s: math.Exp(theta[2]), beta: math.Exp(theta[3])}
		if grad == nil {
			return -p.sumLogLik(d) / d.W
		}
		ll, g := p.sumLogLikGrad(d)
		for i, v := range [4]float64{p.r, p.alpha, p.s, p.beta} {
			grad[i] = -v * g[i] / d.W
		}
		return -ll / d.W
	}
}

func (m ParetoNBD) core() (cmPNBD, error) {
	err := cmCheckParams("Pareto/NBD", []string{"R", "Alpha", "S", "Beta"}, m.R, m.Alpha, m.S, m.Beta)
	return cmPNBD{r: m.R, alpha: m.Alpha, s: m.S, beta: m.Beta}, err
}

// LogLikelihood is the log-likelihood of the customers under the model (Fader & Hardie, note
// 008), summed over customers with their weights.
func (m ParetoNBD) LogLikelihood(customers []Customer) (float64, error) {
	p, err := m.core()
	if err != nil {
		return 0, err
	}
	d, err := cmBuild("Pareto/NBD LogLikelihood", customers)
	if err != nil {
		return 0, err
	}
	return p.sumLogLik(d), nil
}

// ExpectedPurchases is E[X(t)] = rβ/(α(s−1)) (1 − (β/(β+t))^(s−1)), the expected number of
// repeat purchases of a new customer in a period of length t (rβ/α ln(1 + t/β) when s = 1).
func (m ParetoNBD) ExpectedPurchases(t float64) (float64, error) {
	p, err := m.core()
	if err != nil {
		return 0, err
	}
	if err := cmCheckHorizon("Pareto/NBD", t); err != nil {
		return 0, err
	}
	return cmFinite("Pareto/NBD", "expected purchases", t)(p.r/p.alpha*p.beta*cmPowTail(p.s-1, t/p.beta), nil)
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
	if err := cmCheckHorizon("Pareto/NBD", t); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, cmErrNegativeCount("Pareto/NBD", n)
	}
	alive := math.Exp(cmNBDLogPMF(n, p.r, p.alpha, t) + p.s*(math.Log(p.beta)-math.Log(p.beta+t)))
	if t == 0 {
		return alive, nil
	}
	// Density of the time of death: s β^s / (β+τ)^(s+1).
	lsb := math.Log(p.s) + p.s*math.Log(p.beta)
	dead := quad.Fixed(func(tau float64) float64 {
		return math.Exp(lsb - (p.s+1)*math.Log(p.beta+tau) + cmNBDLogPMF(n, p.r, p.alpha, tau))
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
	if err := cmCheckHorizon("Pareto/NBD", t); err != nil {
		return 0, err
	}
	if err := cmCheckCustomer("Pareto/NBD", c); err != nil {
		return 0, err
	}
	x := float64(c.Frequency)
	return cmFinite("Pareto/NBD", "conditional expected purchases", t)(p.alive(x, c.Recency, c.T)*p.tail(x, c.T, t), nil)
}

// ProbabilityAlive is the probability that a customer with history c is still active at T
// (Fader & Hardie, note 008), computed in logs.
func (m ParetoNBD) ProbabilityAlive(c Customer) (float64, error) {
	p, err := m.core()
	if err != nil {
		return 0, err
	}
	if err := cmCheckCustomer("Pareto/NBD", c); err != nil {
		return 0, err
	}
	return p.alive(float64(c.Frequency), c.Recency, c.T), nil
}

// Predict fills expected[i] with ConditionalExpectedPurchases(t, customers[i]) and alive[i]
// with ProbabilityAlive(customers[i]), as BGNBD.Predict does.
func (m ParetoNBD) Predict(t float64, customers []Customer, expected, alive []float64) error {
	p, err := m.core()
	if err != nil {
		return err
	}
	if err := cmCheckHorizon("Pareto/NBD", t); err != nil {
		return err
	}
	p = p.prepared()
	return cmPredictBatch("Pareto/NBD", customers, expected, alive, func() func(Customer) (float64, float64) {
		return func(c Customer) (float64, float64) {
			x := float64(c.Frequency)
			pa := p.alive(x, c.Recency, c.T)
			if expected == nil {
				return 0, pa
			}
			return pa * p.tail(x, c.T, t), pa
		}
	})
}

// cmPNBD holds Pareto/NBD parameters for the computations. When hasL1zero is set, l1zero is
// the first hypergeometric term of ln A0 for x = 0, t_x = 0, which every customer without a
// repeat purchase shares (see prepared).
type cmPNBD struct {
	r, alpha, s, beta float64
	l1zero            float64
	hasL1zero         bool
}

// prepared returns p with the term shared by customers without repeat purchases computed
// once, which saves one of the two hypergeometric functions for each of them.
func (p cmPNBD) prepared() cmPNBD {
	p.hasL1zero = false
	if !p.needsQuad(0) {
		p.l1zero = p.logATerm(0, 0)
		p.hasL1zero = true
	}
	return p
}

// needsQuad reports whether the hypergeometric series of A0 for x repeat purchases would need
// too many terms (or overflow), so that A0 is integrated instead.
func (p cmPNBD) needsQuad(x float64) bool {
	hi, lo, b := p.alpha, p.beta, p.s+1
	if p.alpha < p.beta {
		hi, lo, b = p.beta, p.alpha, p.r+x
	}
	z := (hi - lo) / hi
	return !(b*z/(1-z) <= 1e3)
}

// logATerm is ln F(τ) − a ln(h+τ), one of the two terms of A0 (see logA0).
func (p cmPNBD) logATerm(x, tau float64) float64 {
	if x == 0 && tau == 0 && p.hasL1zero {
		return p.l1zero
	}
	a := p.r + p.s + x
	hi, lo, b := p.alpha, p.beta, p.s+1
	if p.alpha < p.beta {
		hi, lo, b = p.beta, p.alpha, p.r+x
	}
	return math.Log(cmHypergeo(a, b, a+1, (hi-lo)/(hi+tau))) - a*math.Log(hi+tau)
}

// sumLogLik is the weighted log-likelihood of compressed data.
func (p cmPNBD) sumLogLik(d *cmData) float64 {
	p = p.prepared()
	lgr, _ := math.Lgamma(p.r)
	head := p.r*math.Log(p.alpha) + p.s*math.Log(p.beta) - lgr
	var ll float64
	for g, x := range d.ux {
		l, _ := math.Lgamma(p.r + x)
		ll += d.uw[g] * (l + head)
	}
	acc := chunkedSum(len(d.w), func(lo, hi int) [5]float64 {
		var f float64
		for i := lo; i < hi; i++ {
			f += d.w[i] * p.logLikTail(d.x[i], d.tx[i], d.T[i])
		}
		return [5]float64{f}
	})
	return ll + acc[0]
}

// logLikTail is the part of one customer's log-likelihood that depends on t_x and T:
// ln[(α+T)^−(r+x) (β+T)^−s + s/(r+s+x) A0].
func (p cmPNBD) logLikTail(x, tx, T float64) float64 {
	a := -(p.r+x)*math.Log(p.alpha+T) - p.s*math.Log(p.beta+T)
	l, _ := cmLogAddExp(a, math.Log(p.s)-math.Log(p.r+p.s+x)+p.logA0(x, tx, T))
	return l
}

// logA0 is ln A0 of note 008: with a = r+s+x,
// A0 = F(t_x)/(α+t_x)^a − F(T)/(α+T)^a, F(τ) = 2F1(a, s+1; a+1; (α−β)/(α+τ)) when α ≥ β, and
// the same with α and β swapped and s+1 replaced by r+x when α < β, so that the argument of
// 2F1 is always in [0, 1). It is −Inf when t_x = T.
func (p cmPNBD) logA0(x, tx, T float64) float64 {
	if tx == T {
		return math.Inf(-1)
	}
	if p.needsQuad(x) {
		// The series needs many terms (and may overflow): integrate instead.
		return p.logA0Quad(x, tx, T)
	}
	l1, l2 := p.logATerm(x, tx), p.logATerm(x, T)
	if l2 >= l1 || math.IsInf(l1, 0) || math.IsNaN(l1) || math.IsNaN(l2) {
		// Cancellation or overflow of the series (huge x with α far from β): integrate.
		return p.logA0Quad(x, tx, T)
	}
	return l1 + math.Log(-math.Expm1(l2-l1))
}

// logA0Quad is ln A0 from its definition, A0 = (r+s+x) ∫_{t_x}^T (α+τ)^−(r+x) (β+τ)^−(s+1) dτ,
// by Gauss–Legendre quadrature in v = K ln((m+τ)/(m+t_x)), m = min(α, β), K = r+s+x, on
// panels of doubling length, so that the integrand is near e^−v whatever the parameters.
func (p cmPNBD) logA0Quad(x, tx, T float64) float64 {
	m := math.Min(p.alpha, p.beta)
	K := p.r + p.s + x
	logf := func(v float64) float64 {
		mt := (m + tx) * math.Exp(v/K) // m + τ
		tau := mt - m
		return -(p.r+x)*math.Log(p.alpha+tau) - (p.s+1)*math.Log(p.beta+tau) + math.Log(mt) - math.Log(K)
	}
	vmax := K * (math.Log(m+T) - math.Log(m+tx))
	l0 := logf(0)
	var sum float64
	for lo, width, panels := 0.0, 1.0, 0; lo < vmax && panels < 100; lo, width, panels = lo+width, 2*width, panels+1 {
		if logf(lo)-l0 < -60 {
			break
		}
		hi := math.Min(lo+width, vmax)
		sum += quad.Fixed(func(v float64) float64 { return math.Exp(logf(v) - l0) }, lo, hi, 32, quad.Legendre{}, 0)
	}
	return math.Log(sum) + l0 + math.Log(K)
}

// alive is P(alive at T) = 1 / (1 + s/(r+s+x) (α+T)^(r+x) (β+T)^s A0).
func (p cmPNBD) alive(x, tx, T float64) float64 {
	e := math.Log(p.s) - math.Log(p.r+p.s+x) + (p.r+x)*math.Log(p.alpha+T) + p.s*math.Log(p.beta+T) + p.logA0(x, tx, T)
	return 1 / (1 + math.Exp(e))
}

// tail is E[purchases in (T, T+t] | alive at T] = (r+x)/(α+T) E[min(lifetime, t)].
func (p cmPNBD) tail(x, T, t float64) float64 {
	return (p.r + x) / (p.alpha + T) * (p.beta + T) * cmPowTail(p.s-1, t/(p.beta+T))
}

// cmPowTail is (1 − (1+u)^−σ)/σ, and its limit ln(1+u) at σ = 0, without cancellation.
func cmPowTail(sigma, u float64) float64 {
	l := math.Log1p(u)
	if sigma == 0 {
		return l
	}
	return -math.Expm1(-sigma*l) / sigma
}

// Estimates returns R, Alpha, S and Beta with their asymptotic standard errors on the
// customers the model was fitted to, as BGNBD.Estimates does. Expect a large standard error for
// Beta: the likelihood is flat along a ridge in S and Beta on typical data.
func (m ParetoNBD) Estimates(customers []Customer) ([]cxkit.Estimate, error) {
	return cmEstimates("Pareto/NBD", []string{"R", "Alpha", "S", "Beta"}, []float64{m.R, m.Alpha, m.S, m.Beta}, customers,
		cmPNBDObjective)
}
