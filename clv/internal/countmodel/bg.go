package countmodel

import (
	"math"

	"github.com/cxkit/cxkit"
	"gonum.org/v1/gonum/mathext"
)

// BG is the BG/NBD family with purchase rates λ ~ Gamma(R, Alpha) and drop-out probabilities
// p ~ Beta(A, B): K = 0 is BG/NBD, K = 1 is MBG/NBD (a drop-out opportunity at the first
// purchase as well). Its methods take validated histories and parameters.
type BG struct {
	R, Alpha, A, B, K float64
}

// FitBG fits the BG family on compressed data, returning (r, α, a, b) and the Probe of the
// fit (see Fit).
func FitBG(who string, d *Data, k float64) ([]float64, cxkit.Fit, *Probe, error) {
	meanT := 0.0
	for i, T := range d.T {
		meanT += d.W[i] * T
	}
	meanT /= d.Total
	start := []float64{1, math.Max(meanT, 1e-3), 1, 1}
	return Fit(who, []string{"r", "alpha", "a", "b"}, d, start, start, true, func(d *Data) func(theta, grad []float64) float64 {
		return BGObjective(d, k)
	})
}

// BGObjective is the negative mean log-likelihood of the BG family on d and its gradient
// with respect to the logs of (r, α, a, b).
func BGObjective(d *Data, k float64) func(theta, grad []float64) float64 {
	nx := len(d.UX)
	perX := make([]float64, 4*nx) // lbx, ibx, has4 (as 0/1), spare
	eval := func(theta, grad []float64) float64 {
		r, alpha, a, b := math.Exp(theta[0]), math.Exp(theta[1]), math.Exp(theta[2]), math.Exp(theta[3])
		la, lalpha := math.Log(a), math.Log(alpha)
		lgr, _ := math.Lgamma(r)
		lgb, _ := math.Lgamma(b)
		lgab, _ := math.Lgamma(a + b)
		psr, psb, psab := mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
		var f, gr, galpha, ga, gb float64
		for g, x := range d.UX {
			w := d.UW[g]
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
		acc := ChunkedSum(len(d.W), func(lo, hi int) [5]float64 {
			var f, gr, galpha, ga, gb float64
			for i := lo; i < hi; i++ {
				g := d.Grp[i]
				w := d.W[i]
				rx := r + d.X[i]
				aT := alpha + d.T[i]
				lT := math.Log(aT)
				a3 := -rx * lT
				if perX[4*g+2] == 0 {
					f += w * a3
					gr -= w * lT
					galpha -= w * rx / aT
					continue
				}
				atx := alpha + d.Tx[i]
				ltx := math.Log(atx)
				l, w4 := LogAddExp(a3, la-perX[4*g]-rx*ltx)
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
			grad[0] = -gr * r / d.Total
			grad[1] = -galpha * alpha / d.Total
			grad[2] = -ga * a / d.Total
			grad[3] = -gb * b / d.Total
		}
		return -f / d.Total
	}
	return eval
}

// LogLik1 is the log-likelihood of one history.
func (m BG) LogLik1(x, tx, T float64) float64 {
	l1, _ := math.Lgamma(m.R + x)
	l0, _ := math.Lgamma(m.R)
	ll := l1 - l0 + m.R*math.Log(m.Alpha) + mathext.Lbeta(m.A, m.B+x+m.K) - mathext.Lbeta(m.A, m.B)
	a3 := -(m.R + x) * math.Log(m.Alpha+T)
	if x == 0 && m.K == 0 {
		return ll + a3
	}
	l, _ := LogAddExp(a3, math.Log(m.A)-math.Log(m.B+x-1+m.K)-(m.R+x)*math.Log(m.Alpha+tx))
	return ll + l
}

// Alive is P(alive at T) for a customer with x repeat purchases, the last at t_x.
func (m BG) Alive(x, tx, T float64) float64 {
	if x == 0 && m.K == 0 {
		return 1
	}
	return m.aliveFrom(m.aliveHead(x), x, tx, T)
}

// aliveHead is the part of ln of P(alive)'s odds that depends on x only: ln a − ln(b+x−1+k).
func (m BG) aliveHead(x float64) float64 { return math.Log(m.A) - math.Log(m.B+x-1+m.K) }

// aliveFrom is P(alive) given head = aliveHead(x). The log of the ratio (α+T)/(α+t_x) is one
// logarithm, and more accurate than the difference of two.
func (m BG) aliveFrom(head, x, tx, T float64) float64 {
	e := head + (m.R+x)*math.Log((m.Alpha+T)/(m.Alpha+tx))
	return 1 / (1 + math.Exp(e))
}

// Alive is m.Alive(x, tx, T), with the part that depends on x only kept per x.
func (tc *TailCache) Alive(x, tx, T float64) float64 {
	m := tc.m
	if x == 0 && m.K == 0 {
		return 1
	}
	if !(x >= 0 && x < tailCacheMaxX) {
		return m.Alive(x, tx, T)
	}
	i := int(x)
	if i >= len(tc.heads) {
		tc.heads = append(tc.heads, make([]aliveHead, i+1-len(tc.heads))...)
	}
	hd := &tc.heads[i]
	if !hd.ok {
		hd.v, hd.ok = m.aliveHead(x), true
	}
	return m.aliveFrom(hd.v, x, tx, T)
}

type aliveHead struct {
	v  float64
	ok bool
}

// Tail is E[purchases in (T, T+t] | alive at T] for a customer with x repeat purchases and age
// T: c/(a−1) (1 − (1−z)^(a−1) 2F1(c−r−x, a−1; c; z)) with c = a+b+x−1+k and z = t/(α+T+t),
// the Euler-transformed form of FHL 2005 eq. 10 that does not overflow for large x. At a = 1
// the expression has a removable singularity; it is then the mean of the values at 1 ± 1e-6.
// The 2F1 is summed as a power series (see hypSeries) where that is exact to rounding, and
// otherwise by gonum's Hypergeo. Tail gives the same value, bit for bit, as TailCache.Tail.
func (m BG) Tail(x, T, t float64) float64 { return m.tail(nil, x, T, t) }

// TailCache computes BG.Tail (and BG.Alive) for many customers of one model, keeping the
// series coefficients of the 2F1 for each purchase count it has seen (they depend on x and
// the model only), so that a customer costs a multiply-add a term. Its values equal BG.Tail's
// and BG.Alive's exactly. It is not safe for concurrent use: give each worker its own.
type TailCache struct {
	m        BG
	anchored bool
	tabs     [2][]*hypSeries // by variant of a (see BG.tail), then by x
	heads    []aliveHead     // by x, for Alive
}

// NewTailCache returns an empty cache for m.
func (m BG) NewTailCache() *TailCache { return &TailCache{m: m} }

// NewAnchoredTailCache returns an empty cache for m that also keeps, for purchase counts
// below anchorMaxX, Taylor expansions of each 2F1 at anchor points above z = 1/2 (see
// hypAnchor), where the series is slow: for batches of many customers. Its values agree with
// BG.Tail's to the same proven truncation bound, but not bit for bit (rounding differs).
func (m BG) NewAnchoredTailCache() *TailCache { return &TailCache{m: m, anchored: true} }

// Tail is m.Tail(x, T, t).
func (tc *TailCache) Tail(x, T, t float64) float64 { return tc.m.tail(tc, x, T, t) }

// tailCacheMaxX bounds the purchase counts whose series a TailCache keeps.
const tailCacheMaxX = 1 << 16

// series returns the series of the 2F1 of Tail for parameter a (variant v) and x: from tc's
// tables, or when tc is nil (or x beyond its range) in *scratch, which keeps no table (same
// values, nothing allocated); nil when the series is not used for these parameters.
func (tc *TailCache) series(v int, m BG, a, x float64, scratch *hypSeries) *hypSeries {
	c := a + m.B + x - 1 + m.K
	if tc == nil || !(x >= 0 && x < tailCacheMaxX) {
		if !scratch.set(c-m.R-x, a-1, c) {
			return nil
		}
		return scratch
	}
	mk := func() *hypSeries {
		h := newHypSeries(c-m.R-x, a-1, c)
		if h != nil && tc.anchored && x < anchorMaxX {
			h.anchored = true
		}
		return h
	}
	i := int(x)
	if i >= len(tc.tabs[v]) {
		tc.tabs[v] = append(tc.tabs[v], make([]*hypSeries, i+1-len(tc.tabs[v]))...)
	}
	h := tc.tabs[v][i]
	if h == nil {
		h = mk()
		if h == nil {
			return nil
		}
		tc.tabs[v][i] = h
	}
	return h
}

// tail is Tail, with the series taken from tc (nil: computed afresh).
func (m BG) tail(tc *TailCache, x, T, t float64) float64 {
	if t == 0 {
		return 0
	}
	var scratch hypSeries
	if math.Abs(m.A-1) < 1e-6 {
		lo := m.tailAt(tc.series(0, m, 1-1e-6, x, &scratch), 1-1e-6, x, T, t)
		return (lo + m.tailAt(tc.series(1, m, 1+1e-6, x, &scratch), 1+1e-6, x, T, t)) / 2
	}
	return m.tailAt(tc.series(0, m, m.A, x, &scratch), m.A, x, T, t)
}

// tailAt is Tail with the parameter a replaced by a (a ≠ 1), h being the series of its 2F1
// (or nil).
func (m BG) tailAt(h *hypSeries, a, x, T, t float64) float64 {
	m.A = a
	c := m.A + m.B + x - 1 + m.K
	z := t / (m.Alpha + T + t)
	if math.Abs((c-m.R-x)*(m.A-1))/c*z/(1-z) < 1e4 { // else the series needs too many terms
		var e float64
		if d, ok := h.evalM1(z); ok {
			// 1 − (1−z)^(a−1) (1 + d) = −(em + d (1 + em)), em = (1−z)^(a−1) − 1, with
			// d = 2F1 − 1 from the series: no rounding of 2F1 ≈ 1 before the difference.
			em := math.Expm1((m.A - 1) * math.Log1p(-z))
			e = c / (m.A - 1) * -(math.FMA(em, d, d) + em)
		} else if f := Hypergeo(c-m.R-x, m.A-1, c, z); f > 0 {
			lp := (m.A-1)*math.Log1p(-z) + math.Log(f)
			e = c / (m.A - 1) * -math.Expm1(lp)
		} else {
			// The 2F1 can be negative (c < 0: a + b < 1 at x = 0): 1 − (1−z)^(a−1) 2F1 is then
			// a sum of two positive terms.
			e = c / (m.A - 1) * (1 - math.Exp((m.A-1)*math.Log1p(-z))*f)
		}
		if e >= 0 && !math.IsInf(e, 0) {
			return e
		}
	}
	// The series overflows or cancels for extreme parameters: integrate the definition,
	// E[(1 − (1 + p t/(α+T))^−(r+x)) / p] over the posterior p ~ Beta(a, b+x+k).
	q, rx := t/(m.Alpha+T), m.R+x
	return math.Exp(LogBetaExpect(m.A, m.B+x+m.K, func(lp, _ float64) float64 { return logTailH(lp, q, rx) }))
}

// logTailH is ln[(1 − (1 + q p)^−n) / p] at ln p = lp, with its limit ln(n q) at p = 0.
func logTailH(lp, q, n float64) float64 {
	v := n * math.Log1p(q*math.Exp(lp))
	if v == 0 {
		return math.Log(n) + math.Log(q)
	}
	return math.Log(-math.Expm1(-v)) - lp
}

// SumLogLik is the weighted log-likelihood of compressed data.
func (m BG) SumLogLik(d *Data) float64 {
	var ll float64
	for i := range d.W {
		ll += d.W[i] * m.LogLik1(d.X[i], d.Tx[i], d.T[i])
	}
	return ll
}

// Expected is E[X(t)] for a new customer.
func (m BG) Expected(t float64) float64 {
	e := m.Tail(0, 0, t)
	if m.K == 1 {
		e *= m.B / (m.A + m.B) // the share that survives the first purchase
	}
	return e
}

// PMF is P(X(t) = n) for n ≥ 0: FHL 2005 eq. 8 (K = 0) and its MBG/NBD analogue (K = 1), with
// the negative binomial tail P(N ≥ n) = I_{t/(α+t)}(n, r).
func (m BG) PMF(n int, t float64) float64 {
	x := float64(n)
	lb := mathext.Lbeta(m.A, m.B)
	p := NBDLogPMF(n, m.R, m.Alpha, t)
	out := math.Exp(mathext.Lbeta(m.A, m.B+x+m.K) - lb + p)
	if n > 0 || m.K == 1 {
		tailProb := 1.0
		if n > 0 {
			tailProb = mathext.RegIncBeta(x, m.R, t/(m.Alpha+t))
		}
		out += math.Exp(mathext.Lbeta(m.A+1, m.B+x-1+m.K)-lb) * tailProb
	}
	return out
}
