package countmodel

import (
	"math"

	"github.com/cxkit/cxkit"
	"gonum.org/v1/gonum/integrate/quad"
)

// ParetoObjective is the negative mean log-likelihood of Pareto/NBD on d and its analytic
// gradient with respect to the logs of (r, α, s, β).
func ParetoObjective(d *Data) func(theta, grad []float64) float64 {
	return func(theta, grad []float64) float64 {
		p := Pareto{R: math.Exp(theta[0]), Alpha: math.Exp(theta[1]), S: math.Exp(theta[2]), Beta: math.Exp(theta[3])}
		if grad == nil {
			return -p.SumLogLik(d) / d.Total
		}
		ll, g := p.SumLogLikGrad(d)
		for i, v := range [4]float64{p.R, p.Alpha, p.S, p.Beta} {
			grad[i] = -v * g[i] / d.Total
		}
		return -ll / d.Total
	}
}

// Pareto holds Pareto/NBD parameters (purchase rates λ ~ Gamma(R, Alpha), drop-out rates
// μ ~ Gamma(S, Beta)) for the computations. When hasL1zero is set, l1zero is the first
// hypergeometric term of ln A0 for x = 0, t_x = 0, which every customer without a repeat
// purchase shares (see Prepared).
type Pareto struct {
	R, Alpha, S, Beta float64
	l1zero            float64
	hasL1zero         bool
}

// Prepared returns p with the term shared by customers without repeat purchases computed
// once (by gonum's Hypergeo, as the likelihood computes it), which saves one of the two
// hypergeometric functions for each of them in the likelihood; P(alive) sums its series
// where it can (see logATerm).
func (p Pareto) Prepared() Pareto {
	p.hasL1zero = false
	if !p.needsQuad(0) {
		p.l1zero = p.logATerm(nil, 0, 0, p.logHi(0))
		p.hasL1zero = true
	}
	return p
}

// needsQuad reports whether the hypergeometric series of A0 for x repeat purchases would need
// too many terms (or overflow), so that A0 is integrated instead.
func (p Pareto) needsQuad(x float64) bool {
	hi, lo, b := p.Alpha, p.Beta, p.S+1
	if p.Alpha < p.Beta {
		hi, lo, b = p.Beta, p.Alpha, p.R+x
	}
	z := (hi - lo) / hi
	return !(b*z/(1-z) <= 1e3)
}

// logHi is ln(h+τ), h = max(α, β), the logarithm logATerm takes.
func (p Pareto) logHi(tau float64) float64 { return math.Log(math.Max(p.Alpha, p.Beta) + tau) }

// logATerm is ln F(τ) − a ln(h+τ), one of the two terms of A0 (see logA0), given lh =
// ln(h+τ) (logHi; the callers have it from the likelihood's other terms). h, when not nil,
// is the power series of F for x (see series): F is then summed by it where it converges
// (exact to rounding: all its terms are positive), and by gonum's Hypergeo elsewhere; with h
// nil, by gonum's Hypergeo alone (the likelihood's choice).
func (p Pareto) logATerm(h *hypSeries, x, tau, lh float64) float64 {
	a := p.R + p.S + x
	hi, lo, b := p.Alpha, p.Beta, p.S+1
	if p.Alpha < p.Beta {
		hi, lo, b = p.Beta, p.Alpha, p.R+x
	}
	z := (hi - lo) / (hi + tau)
	if d, ok := h.evalM1(z); ok {
		return math.Log1p(d) - a*lh
	}
	if x == 0 && tau == 0 && p.hasL1zero {
		return p.l1zero
	}
	return math.Log(Hypergeo(a, b, a+1, z)) - a*lh
}

// series returns the power series of F(a, b; a+1; ·) = 2F1 of A0 for x repeat purchases: from
// c's tables when c is not nil (and x in its range), else in *scratch, which keeps no table
// (the same values, nothing allocated); nil when the parameters are outside the series'
// well-conditioned region (they are not for a valid model: a, b > 0).
func (p Pareto) series(c *AliveCache, x float64, scratch *hypSeries) *hypSeries {
	a, b := p.R+p.S+x, p.S+1
	if p.Alpha < p.Beta {
		b = p.R + x
	}
	if c == nil || !(x >= 0 && x < tailCacheMaxX) {
		if !scratch.set(a, b, a+1) {
			return nil
		}
		return scratch
	}
	i := int(x)
	if i >= len(c.tabs) {
		c.tabs = append(c.tabs, make([]*hypSeries, i+1-len(c.tabs))...)
	}
	if h := c.tabs[i]; h != nil {
		return h
	}
	h := newHypSeries(a, b, a+1)
	if h == nil {
		return nil
	}
	c.tabs[i] = h
	return h
}

// AliveCache computes Pareto.Alive for many customers of one model. It keeps, for each
// purchase count it has seen, the series coefficients of the 2F1 of A0 (they depend on x and
// the model only), so that a customer costs a multiply-add a term instead of a division. Its
// values equal Pareto.Alive's bit for bit (the coefficients come from the same recurrence;
// no anchors, which would change the last bits). It is not safe for concurrent use: give each
// worker its own.
type AliveCache struct {
	p     Pareto
	tabs  []*hypSeries // by x
	heads []float64    // by x: p.head(x), NaN until computed
}

// NewAliveCache returns an empty cache for p.
func (p Pareto) NewAliveCache() *AliveCache { return &AliveCache{p: p.Prepared()} }

// Alive is p.Alive(x, tx, T).
func (c *AliveCache) Alive(x, tx, T float64) float64 {
	var scratch hypSeries // for x beyond the tables' range
	h := c.p.series(c, x, &scratch)
	if !(x >= 0 && x < tailCacheMaxX) {
		return c.p.alive(h, c.p.head(x), x, tx, T)
	}
	i := int(x)
	if i >= len(c.heads) {
		n := len(c.heads)
		c.heads = append(c.heads, make([]float64, i+1-n)...)
		for j := n; j <= i; j++ {
			c.heads[j] = math.NaN()
		}
	}
	if math.IsNaN(c.heads[i]) {
		c.heads[i] = c.p.head(x)
	}
	return c.p.alive(h, c.heads[i], x, tx, T)
}

// SumLogLik is the weighted log-likelihood of compressed data.
func (p Pareto) SumLogLik(d *Data) float64 {
	p = p.Prepared()
	lgr, _ := math.Lgamma(p.R)
	head := p.R*math.Log(p.Alpha) + p.S*math.Log(p.Beta) - lgr
	var ll float64
	for g, x := range d.UX {
		l, _ := math.Lgamma(p.R + x)
		ll += d.UW[g] * (l + head)
	}
	acc := ChunkedSum(len(d.W), func(lo, hi int) [5]float64 {
		var f float64
		for i := lo; i < hi; i++ {
			f += d.W[i] * p.logLikTail(d.X[i], d.Tx[i], d.T[i])
		}
		return [5]float64{f}
	})
	return ll + acc[0]
}

// logLikTail is the part of one customer's log-likelihood that depends on t_x and T:
// ln[(α+T)^−(r+x) (β+T)^−s + s/(r+s+x) A0].
func (p Pareto) logLikTail(x, tx, T float64) float64 {
	lA, lB := math.Log(p.Alpha+T), math.Log(p.Beta+T)
	a := -(p.R+x)*lA - p.S*lB
	l, _ := LogAddExp(a, p.head(x)+p.logA0(nil, x, tx, T, p.pickHi(lA, lB)))
	return l
}

// pickHi is, of lA = ln(α+T) and lB = ln(β+T), the one of h = max(α, β): logHi(T).
func (p Pareto) pickHi(lA, lB float64) float64 {
	if p.Alpha < p.Beta {
		return lB
	}
	return lA
}

// logA0 is ln A0 of note 008: with a = r+s+x,
// A0 = F(t_x)/(α+t_x)^a − F(T)/(α+T)^a, F(τ) = 2F1(a, s+1; a+1; (α−β)/(α+τ)) when α ≥ β, and
// the same with α and β swapped and s+1 replaced by r+x when α < β, so that the argument of
// 2F1 is always in [0, 1). It is −Inf when t_x = T. h is the series of the 2F1 (see
// logATerm), nil for gonum's Hypergeo; lhT is logHi(T).
func (p Pareto) logA0(h *hypSeries, x, tx, T, lhT float64) float64 {
	if tx == T {
		return math.Inf(-1)
	}
	if p.needsQuad(x) {
		// The series needs many terms (and may overflow): integrate instead.
		return p.logA0Quad(x, tx, T)
	}
	l1, l2 := p.logATerm(h, x, tx, p.logHi(tx)), p.logATerm(h, x, T, lhT)
	if l2 >= l1 || math.IsInf(l1, 0) || math.IsNaN(l1) || math.IsNaN(l2) {
		// Cancellation or overflow of the series (huge x with α far from β): integrate.
		return p.logA0Quad(x, tx, T)
	}
	return l1 + math.Log(-math.Expm1(l2-l1))
}

// logA0Quad is ln A0 from its definition, A0 = (r+s+x) ∫_{t_x}^T (α+τ)^−(r+x) (β+τ)^−(s+1) dτ,
// by Gauss–Legendre quadrature in v = K ln((m+τ)/(m+t_x)), m = min(α, β), K = r+s+x, on
// panels of doubling length, so that the integrand is near e^−v whatever the parameters.
func (p Pareto) logA0Quad(x, tx, T float64) float64 {
	m := math.Min(p.Alpha, p.Beta)
	K := p.R + p.S + x
	logf := func(v float64) float64 {
		mt := (m + tx) * math.Exp(v/K) // m + τ
		tau := mt - m
		return -(p.R+x)*math.Log(p.Alpha+tau) - (p.S+1)*math.Log(p.Beta+tau) + math.Log(mt) - math.Log(K)
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

// Alive is P(alive at T) = 1 / (1 + s/(r+s+x) (α+T)^(r+x) (β+T)^s A0). The 2F1 of A0 is
// summed as a power series where that is exact to rounding (see hypSeries), otherwise by
// gonum's Hypergeo or, where the series would need too many terms, by quadrature.
func (p Pareto) Alive(x, tx, T float64) float64 {
	var scratch hypSeries
	return p.alive(p.series(nil, x, &scratch), p.head(x), x, tx, T)
}

// head is ln(s/(r+s+x)), the part of ln(1/P(alive) − 1) that depends on x alone.
func (p Pareto) head(x float64) float64 { return math.Log(p.S) - math.Log(p.R+p.S+x) }

// alive is Alive with h the series of A0's 2F1 (nil: gonum's Hypergeo) and head = p.head(x).
func (p Pareto) alive(h *hypSeries, head, x, tx, T float64) float64 {
	lA, lB := math.Log(p.Alpha+T), math.Log(p.Beta+T)
	e := head + (p.R+x)*lA + p.S*lB + p.logA0(h, x, tx, T, p.pickHi(lA, lB))
	return 1 / (1 + math.Exp(e))
}

// Tail is E[purchases in (T, T+t] | alive at T] = (r+x)/(α+T) E[min(lifetime, t)].
func (p Pareto) Tail(x, T, t float64) float64 {
	return (p.R + x) / (p.Alpha + T) * (p.Beta + T) * PowTail(p.S-1, t/(p.Beta+T))
}

// PowTail is (1 − (1+u)^−σ)/σ, and its limit ln(1+u) at σ = 0, without cancellation.
func PowTail(sigma, u float64) float64 {
	l := math.Log1p(u)
	if sigma == 0 {
		return l
	}
	return -math.Expm1(-sigma*l) / sigma
}

// FitPareto fits Pareto/NBD on compressed data, returning (r, α, s, β) and the Probe of the
// fit (see Fit).
func FitPareto(who string, d *Data) ([]float64, cxkit.Fit, *Probe, error) {
	meanT := 0.0
	for i, T := range d.T {
		meanT += d.W[i] * T
	}
	meanT /= d.Total
	start := []float64{1, math.Max(meanT, 1e-3), 1, math.Max(meanT, 1e-3)}
	return Fit(who, []string{"r", "alpha", "s", "beta"}, d, start, start, true, ParetoObjective)
}
