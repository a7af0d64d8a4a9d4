package countmodel

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

// LogAddExp returns log(e^a + e^b) and the weight e^b / (e^a + e^b) of b, without overflow
// (log(0 + 0) = −∞ with weight 0).
func LogAddExp(a, b float64) (float64, float64) {
	if math.IsInf(b, -1) {
		return a, 0
	}
	if math.IsInf(a, -1) {
		return b, 1
	}
	if b > a {
		e := math.Exp(a - b)
		return b + math.Log1p(e), 1 / (1 + e)
	}
	e := math.Exp(b - a)
	return a + math.Log1p(e), e / (1 + e)
}

// NBDLogPMF is the log of the negative binomial probability that a customer with purchase
// rate λ ~ Gamma(r, α) makes n purchases in a period of length t:
// Γ(r+n)/(Γ(r) n!) (α/(α+t))^r (t/(α+t))^n.
func NBDLogPMF(n int, r, alpha, t float64) float64 {
	x := float64(n)
	l1, _ := math.Lgamma(r + x)
	l0, _ := math.Lgamma(r)
	ln, _ := math.Lgamma(x + 1)
	out := l1 - l0 - ln + r*(math.Log(alpha)-math.Log(alpha+t))
	if n > 0 {
		out += x * (math.Log(t) - math.Log(alpha+t))
	}
	return out
}

// LogBetaExpect is ln E[h(p)] for p ~ Beta(A, B), A, B > 0, given logh(ln p, ln(1−p)) = ln h,
// by Gauss–Legendre quadrature in u = logit(p) around the mode of the integrand. It serves the
// parameter regions where the hypergeometric series of the closed forms overflow.
func LogBetaExpect(A, B float64, logh func(lp, lq float64) float64) float64 {
	if !(A > 0) || !(B > 0) {
		return math.NaN()
	}
	f := func(u float64) float64 {
		lp, lq := -math.Log1p(math.Exp(-u)), -math.Log1p(math.Exp(u)) // ln p, ln(1−p)
		return A*lp + B*lq + logh(lp, lq)
	}
	step := func(u float64) float64 { return 1e-5 * math.Max(1, math.Abs(u)) }
	df := func(u float64) float64 { h := step(u); return (f(u+h) - f(u-h)) / (2 * h) }
	// The log-integrand rises from −∞ and falls back to −∞: bisect its slope for the mode.
	lo, hi := -1.0, 1.0
	for df(lo) < 0 && lo > -1e4 {
		lo *= 2
	}
	for df(hi) > 0 && hi < 1e4 {
		hi *= 2
	}
	for i := 0; i < 200 && hi-lo > 1e-10*math.Max(1, math.Abs(lo)); i++ {
		mid := (lo + hi) / 2
		if df(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	mode := (lo + hi) / 2
	h := 1e-3 * math.Max(1, math.Abs(mode))
	curv := -(f(mode+h) - 2*f(mode) + f(mode-h)) / (h * h)
	width := math.Min(1/math.Sqrt(math.Max(curv, 1e-300)), 100)
	fm := f(mode)
	integral := quad.Fixed(func(u float64) float64 { return math.Exp(f(u) - fm) },
		mode-40*width, mode+40*width, 512, quad.Legendre{}, 0)
	return math.Log(integral) + fm - mathext.Lbeta(A, B)
}

// Hypergeo is mathext.Hypergeo(a, b, c, z) for 0 ≤ z < 1, except where gonum's port of
// Cephes can loop forever: for z > 0.9 with c − a − b within 1e-13 of an integer it sums a
// psi-function series whose stopping test never holds once its terms overflow to NaN (found by
// fuzzing FitParetoNBD, with r + s + x near 2.7e5). There it returns NaN, and every caller
// then integrates the defining expression instead.
func Hypergeo(a, b, c, z float64) float64 {
	if d := c - a - b; z > 0.9 && math.Abs(d-math.Round(d)) <= 1e-12 {
		return math.NaN()
	}
	return mathext.Hypergeo(a, b, c, z)
}
