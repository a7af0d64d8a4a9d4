package clv

import (
	"math"

	"github.com/cxkit/cxkit"
	"gonum.org/v1/gonum/mathext"
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
	d, err := cmBuild("FitBGNBD", customers)
	if err != nil {
		return BGNBD{}, err
	}
	p, fit, err := cmFitBG("FitBGNBD", d, 0)
	m := BGNBD{Fit: fit}
	if err != nil {
		return m, err
	}
	m.R, m.Alpha, m.A, m.B = p[0], p[1], p[2], p[3]
	return m, nil
}

func (m BGNBD) core() (cmBG, error) {
	err := cmCheckParams("BG/NBD", []string{"R", "Alpha", "A", "B"}, m.R, m.Alpha, m.A, m.B)
	return cmBG{r: m.R, alpha: m.Alpha, a: m.A, b: m.B, k: 0, name: "BG/NBD"}, err
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
	return cmFinite(c.name, "expected purchases", t)(c.expected(t))
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
	return cmFinite(k.name, "conditional expected purchases", t)(k.conditional(t, c))
}

// ProbabilityAlive is the probability that a customer with history c is still active at T
// (FHL 2005, appendix); it is 1 for a customer with no repeat purchase.
func (m BGNBD) ProbabilityAlive(c Customer) (float64, error) {
	k, err := m.core()
	if err != nil {
		return 0, err
	}
	if err := cmCheckCustomer(k.name, c); err != nil {
		return 0, err
	}
	return k.alive(c), nil
}

// Predict fills expected[i] with ConditionalExpectedPurchases(t, customers[i]) and alive[i]
// with ProbabilityAlive(customers[i]), using all cores. Either slice may be nil to skip it;
// otherwise it must have one element per customer. An invalid customer is an error naming its
// index.
func (m BGNBD) Predict(t float64, customers []Customer, expected, alive []float64) error {
	k, err := m.core()
	if err != nil {
		return err
	}
	return k.predict(t, customers, expected, alive)
}

// cmBG is the BG/NBD family: k = 0 is BG/NBD, k = 1 is MBG/NBD (a drop-out opportunity at the
// first purchase as well).
type cmBG struct {
	r, alpha, a, b, k float64
	name              string
}

// cmFitBG fits the BG family on compressed data, returning (r, α, a, b).
func cmFitBG(who string, d *cmData, k float64) ([]float64, cxkit.Fit, error) {
	meanT := 0.0
	for i, T := range d.T {
		meanT += d.w[i] * T
	}
	meanT /= d.W
	start := []float64{1, math.Max(meanT, 1e-3), 1, 1}
	return cmFit(who, []string{"r", "alpha", "a", "b"}, d, start, start, true, func(d *cmData) func(theta, grad []float64) float64 {
		return cmBGObjective(d, k)
	})
}

// cmBGObjective is the negative mean log-likelihood of the BG family on d and its gradient
// with respect to the logs of (r, α, a, b).
func cmBGObjective(d *cmData, k float64) func(theta, grad []float64) float64 {
	nx := len(d.ux)
	perX := make([]float64, 4*nx) // lbx, ibx, has4 (as 0/1), spare
	eval := func(theta, grad []float64) float64 {
		r, alpha, a, b := math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2]), math.Exp(theta[3])
		la, lalpha := math.Log(a), math.Log(alpha)
		lgr, _ := math.Lgamma(r)
		lgb, _ := math.Lgamma(b)
		lgab, _ := math.Lgamma(a + b)
		psr, psb, psab := mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
		var f, gr, galpha, ga, gb float64
		for g, x := range d.ux {
			w := d.uw[g]
			l1, _ := math.Lgamma(r + x)
			l2, _ := math.Lgamma(b + x + k)
			l3, _ := math.Lgamma(a + b + x + k)
			f += w * (l1 - lgr + r*lalpha + lgab + l2 - lgb - l3)
			if grad != nil {
				pabx := mathext.Digamma(a + b + x + k)
				gr += w * (mathext.Digamma(r+x) - psr + lalpha)
				galpha += w * r / alpha
				ga += w * (psab - pabx)
				gb += w * (mathext.Digamma(b+x+k) - psb + psab - pabx)
			}
			bx := b + x - 1 + k
			perX[4*g] = math.Log(bx)
			perX[4*g+1] = 1 / bx
			perX[4*g+2] = 0
			if x > 0 || k == 1 {
				perX[4*g+2] = 1
			}
		}
		acc := chunkedSum(len(d.w), func(lo, hi int) [5]float64 {
			var f, gr, galpha, ga, gb float64
			for i := lo; i < hi; i++ {
				g := d.grp[i]
				w := d.w[i]
				rx := r + d.x[i]
				aT := alpha + d.T[i]
				lT := math.Log(aT)
				a3 := -rx * lT
				if perX[4*g+2] == 0 {
					f += w * a3
					gr -= w * lT
					galpha -= w * rx / aT
					continue
				}
				atx := alpha + d.tx[i]
				ltx := math.Log(atx)
				l, w4 := cmLogAddExp(a3, la-perX[4*g]-rx*ltx)
				f += w * l
				gr -= w * ((1-w4)*lT + w4*ltx)
				galpha -= w * rx * ((1-w4)/aT + w4/atx)
				ga += w * w4
				gb -= w * w4 * perX[4*g+1]
			}
			return [5]float64{f, gr, galpha, ga, gb}
		})
		f += acc[0]
		if grad != nil {
			gr += acc[1]
			galpha += acc[2]
			ga += acc[3] / a
			gb += acc[4]
			// d(−LL/W)/dθ = −(dLL/dp)·p/W for θ = ln p.
			grad[0] = -gr * r / d.W
			grad[1] = -galpha * alpha / d.W
			grad[2] = -ga * a / d.W
			grad[3] = -gb * b / d.W
		}
		return -f / d.W
	}
	return eval
}

func (m cmBG) logLikelihood(customers []Customer) (float64, error) {
	d, err := cmBuild(m.name+" LogLikelihood", customers)
	if err != nil {
		return 0, err
	}
	var ll float64
	for i := range d.w {
		ll += d.w[i] * m.logLik1(d.x[i], d.tx[i], d.T[i])
	}
	return ll, nil
}

// logLik1 is the log-likelihood of one history.
func (m cmBG) logLik1(x, tx, T float64) float64 {
	l1, _ := math.Lgamma(m.r + x)
	l0, _ := math.Lgamma(m.r)
	ll := l1 - l0 + m.r*math.Log(m.alpha) + mathext.Lbeta(m.a, m.b+x+m.k) - mathext.Lbeta(m.a, m.b)
	a3 := -(m.r + x) * math.Log(m.alpha+T)
	if x == 0 && m.k == 0 {
		return ll + a3
	}
	l, _ := cmLogAddExp(a3, math.Log(m.a)-math.Log(m.b+x-1+m.k)-(m.r+x)*math.Log(m.alpha+tx))
	return ll + l
}

// alive is P(alive at T) for a validated customer.
func (m cmBG) alive(c Customer) float64 {
	x := float64(c.Frequency)
	if x == 0 && m.k == 0 {
		return 1
	}
	e := math.Log(m.a) - math.Log(m.b+x-1+m.k) + (m.r+x)*(math.Log(m.alpha+c.T)-math.Log(m.alpha+c.Recency))
	return 1 / (1 + math.Exp(e))
}

// tail is E[purchases in (T, T+t] | alive at T] for a customer with x repeat purchases and age
// T: c/(a−1) (1 − (1−z)^(a−1) 2F1(c−r−x, a−1; c; z)) with c = a+b+x−1+k and z = t/(α+T+t),
// the Euler-transformed form of FHL 2005 eq. 10 that does not overflow for large x. At a = 1
// the expression has a removable singularity; it is then the mean of the values at 1 ± 1e-6.
func (m cmBG) tail(x, T, t float64) float64 {
	if t == 0 {
		return 0
	}
	if math.Abs(m.a-1) < 1e-6 {
		return (m.tailAt(1-1e-6, x, T, t) + m.tailAt(1+1e-6, x, T, t)) / 2
	}
	return m.tailAt(m.a, x, T, t)
}

// tailAt is tail with the parameter a replaced by a (a ≠ 1).
func (m cmBG) tailAt(a, x, T, t float64) float64 {
	m.a = a
	c := m.a + m.b + x - 1 + m.k
	z := t / (m.alpha + T + t)
	if math.Abs((c-m.r-x)*(m.a-1))/c*z/(1-z) < 1e4 { // else the series needs too many terms
		lp := (m.a-1)*math.Log1p(-z) + math.Log(cmHypergeo(c-m.r-x, m.a-1, c, z))
		if e := c / (m.a - 1) * -math.Expm1(lp); e >= 0 && !math.IsInf(e, 0) {
			return e
		}
	}
	// The series overflows or cancels for extreme parameters: integrate the definition,
	// E[(1 − (1 + p t/(α+T))^−(r+x)) / p] over the posterior p ~ Beta(a, b+x+k).
	q, rx := t/(m.alpha+T), m.r+x
	return math.Exp(cmLogBetaExpect(m.a, m.b+x+m.k, func(lp, _ float64) float64 { return cmLogTailH(lp, q, rx) }))
}

// cmLogTailH is ln[(1 − (1 + q p)^−n) / p] at ln p = lp, with its limit ln(n q) at p = 0.
func cmLogTailH(lp, q, n float64) float64 {
	v := n * math.Log1p(q*math.Exp(lp))
	if v == 0 {
		return math.Log(n) + math.Log(q)
	}
	return math.Log(-math.Expm1(-v)) - lp
}

func (m cmBG) conditional(t float64, c Customer) (float64, error) {
	if err := cmCheckHorizon(m.name, t); err != nil {
		return 0, err
	}
	if err := cmCheckCustomer(m.name, c); err != nil {
		return 0, err
	}
	return m.alive(c) * m.tail(float64(c.Frequency), c.T, t), nil
}

func (m cmBG) expected(t float64) (float64, error) {
	if err := cmCheckHorizon(m.name, t); err != nil {
		return 0, err
	}
	e := m.tail(0, 0, t)
	if m.k == 1 {
		e *= m.b / (m.a + m.b) // the share that survives the first purchase
	}
	return e, nil
}

// pmf is P(X(t) = n): FHL 2005 eq. 8 (k = 0) and its MBG/NBD analogue (k = 1), with the
// negative binomial tail P(N ≥ n) = I_{t/(α+t)}(n, r).
func (m cmBG) pmf(n int, t float64) (float64, error) {
	if err := cmCheckHorizon(m.name, t); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, cmErrNegativeCount(m.name, n)
	}
	x := float64(n)
	lb := mathext.Lbeta(m.a, m.b)
	p := cmNBDLogPMF(n, m.r, m.alpha, t)
	out := math.Exp(mathext.Lbeta(m.a, m.b+x+m.k) - lb + p)
	if n > 0 || m.k == 1 {
		tailProb := 1.0
		if n > 0 {
			tailProb = mathext.RegIncBeta(x, m.r, t/(m.alpha+t))
		}
		out += math.Exp(mathext.Lbeta(m.a+1, m.b+x-1+m.k)-lb) * tailProb
	}
	return out, nil
}

func (m cmBG) predict(t float64, customers []Customer, expected, alive []float64) error {
	if err := cmCheckHorizon(m.name, t); err != nil {
		return err
	}
	// The conditional expectation is P(alive) times a factor that depends on x and T only
	// (the hypergeometric part, the costly one), so each worker caches that factor by (x, T):
	// real data, with ages on a day grid, repeat (x, T) far more often than (x, t_x, T).
	return cmPredictBatch(m.name, customers, expected, alive, func() func(Customer) (float64, float64) {
		type tailEntry struct {
			x  int
			T  float64
			v  float64
			ok bool
		}
		tails := make([]tailEntry, 1<<12)
		return func(c Customer) (float64, float64) {
			pa := m.alive(c)
			if expected == nil {
				return 0, pa
			}
			h := (uint64(c.Frequency)*0x9E3779B97F4A7C15 ^ math.Float64bits(c.T)*0xC2B2AE3D27D4EB4F) >> 52
			e := &tails[h]
			if !e.ok || e.x != c.Frequency || e.T != c.T {
				*e = tailEntry{x: c.Frequency, T: c.T, v: m.tail(float64(c.Frequency), c.T, t), ok: true}
			}
			return pa * e.v, pa
		}
	})
}

// Estimates returns R, Alpha, A and B with their asymptotic standard errors on the customers
// the model was fitted to: the inverse of the observed information (the Hessian of the
// negative log-likelihood at the estimates), as lifetimes' summary reports them. Use
// Estimate.Interval for Wald intervals. Invalid customers are errors as in FitBGNBD.
func (m BGNBD) Estimates(customers []Customer) ([]cxkit.Estimate, error) {
	return cmEstimates("BG/NBD", []string{"R", "Alpha", "A", "B"}, []float64{m.R, m.Alpha, m.A, m.B}, customers,
		func(d *cmData) func(theta, grad []float64) float64 { return cmBGObjective(d, 0) })
}
