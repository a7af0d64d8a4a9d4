package countmodel

import "math"

// hypMaxTerms caps the terms of a series table: arguments that would need more go to gonum.
const hypMaxTerms = 1024

// hypTol is the stopping tolerance of the series: the proven bound on the rest of the
// series, relative to the partial sum, is below it (so below half an ulp of the sum).
const hypTol = 1e-17

// hypSeries evaluates 2F1(a, b; c; z) = Σ_n (a)_n (b)_n / ((c)_n n!) z^n for 0 ≤ z < 1 by its
// power series, for parameters where the series is well-conditioned: a > 0, b > −1, c > 0,
// so that the terms from n = 1 on all have the sign of b (no cancellation among them). It
// keeps the coefficients (a)_n (b)_n / ((c)_n n!) it has computed, so that evaluating it at
// many arguments costs a multiplication and an addition a term (no division); grown lazily,
// it is not safe for concurrent use.
//
// Stopping rule. With ρ_k = (a+k)(b+k)/((c+k)(k+1)), term k+1 is term k times ρ_k z, and
// |ρ_k − 1| = |(a+b−c−1)k + ab − c| / ((c+k)(k+1)) ≤ |a+b−c−1|/(c+m) + |ab−c|/((c+m)(m+1))
// =: e_m for every k ≥ m, the bound decreasing in m. So after term m the rest of the series
// is at most |term m| u/(1−u) with u = z(1+e_m) < 1 (a geometric tail); the sum stops when
// that is below hypTol times the partial sum. It gives up (ok = false) when that needs more
// than hypMaxTerms terms, when b < 0 and the sum falls below 1/2 (1 − X with X near 1 loses
// digits), or when a term overflows.
type hypSeries struct {
	a, b, c float64
	ok      bool      // the parameters are in the well-conditioned region
	table   bool      // coef and bound are kept (else computed afresh by each eval)
	coef    []float64 // coef[n] = (a)_n (b)_n / ((c)_n n!)
	bound   []float64 // bound[n] = 1 + e_n
}

// set makes h the series of 2F1(a, b; c; ·) without tables (nothing allocated: each
// evaluation computes its coefficients by the same recurrence, so the values are the same
// bit for bit), reporting whether the parameters are in the well-conditioned region.
func (h *hypSeries) set(a, b, c float64) bool {
	*h = hypSeries{a: a, b: b, c: c}
	h.ok = a > 0 && b > -1 && c > 0 && !math.IsInf(a, 0) && !math.IsInf(b, 0) && !math.IsInf(c, 0)
	return h.ok
}

// newHypSeries returns the series of 2F1(a, b; c; ·) that keeps its coefficients, or nil when
// its parameters are outside the well-conditioned region (see hypSeries).
func newHypSeries(a, b, c float64) *hypSeries {
	h := &hypSeries{}
	if !h.set(a, b, c) {
		return nil
	}
	h.table = true
	h.coef = make([]float64, 1, 64)
	h.bound = make([]float64, 1, 64)
	h.coef[0] = 1
	h.bound[0] = 1 + h.e(0)
	return h
}

// e is e_m of the stopping rule.
func (h *hypSeries) e(m float64) float64 {
	return math.Abs(h.a+h.b-h.c-1)/(h.c+m) + math.Abs(h.a*h.b-h.c)/((h.c+m)*(m+1))
}

// next is coefficient k from coefficient k−1 (the one recurrence both modes use).
func (h *hypSeries) next(prev float64, k int) float64 {
	f := float64(k - 1)
	return prev * ((h.a + f) * (h.b + f) / ((h.c + f) * (f + 1)))
}

// grow extends the tables to at least n entries (n ≤ hypMaxTerms).
func (h *hypSeries) grow(n int) {
	for k := len(h.coef); k < n; k++ {
		h.coef = append(h.coef, h.next(h.coef[k-1], k))
		h.bound = append(h.bound, 1+h.e(float64(k)))
	}
}

// eval returns 2F1(a, b; c; z) for 0 ≤ z < 1, or ok = false where the series is not used
// (see hypSeries).
func (h *hypSeries) eval(z float64) (float64, bool) {
	d, ok := h.evalM1(z)
	return 1 + d, ok
}

// evalM1 returns 2F1(a, b; c; z) − 1, summed without the leading 1 so that it keeps its
// relative accuracy when the 2F1 is near 1 (ln 2F1 = log1p of it), or ok = false where the
// series is not used (see hypSeries) or h is nil.
func (h *hypSeries) evalM1(z float64) (float64, bool) {
	if h == nil || !h.ok || !(z >= 0 && z < 1) {
		return 0, false
	}
	if z == 0 {
		return 0, true
	}
	z2 := z * z
	z3 := z2 * z
	z4 := z2 * z2
	// Four running sums and four running powers (independent fused multiply-adds), eight
	// terms a step; the stopping rule is checked on the last term of each step.
	var s0, s1, s2, s3 float64
	p0, p1, p2, p3 := z, z2, z3, z4 // z^n … z^(n+3)
	var buf [8]float64
	prev := 1.0 // coefficient n−1, without tables
	for n := 1; n+8 <= hypMaxTerms; n += 8 {
		var c []float64
		var bnd float64
		if h.table {
			if len(h.coef) < n+8 {
				h.grow(min(hypMaxTerms, max(n+8, 2*len(h.coef))))
			}
			c, bnd = h.coef[n:n+8:n+8], h.bound[n+7]
		} else {
			for j := range buf {
				prev = h.next(prev, n+j)
				buf[j] = prev
			}
			c, bnd = buf[:], 1+h.e(float64(n+7))
		}
		s0 = math.FMA(c[0], p0, s0)
		s1 = math.FMA(c[1], p1, s1)
		s2 = math.FMA(c[2], p2, s2)
		s3 = math.FMA(c[3], p3, s3)
		p0, p1, p2, p3 = p0*z4, p1*z4, p2*z4, p3*z4
		s0 = math.FMA(c[4], p0, s0)
		s1 = math.FMA(c[5], p1, s1)
		s2 = math.FMA(c[6], p2, s2)
		t7 := c[7] * p3
		s3 += t7
		p0, p1, p2, p3 = p0*z4, p1*z4, p2*z4, p3*z4
		d := (s0 + s1) + (s2 + s3)
		if u := z * bnd; u < 1 && math.Abs(t7)*u <= hypTol*(1-u)*math.Abs(1+d) {
			if h.b < 0 && d < -0.5 || math.IsInf(d, 0) {
				return 0, false
			}
			return d, true
		}
	}
	return 0, false
}
