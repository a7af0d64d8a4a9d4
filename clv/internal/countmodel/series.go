package countmodel

import "math"

// hypMaxTerms caps the terms of a series table: arguments that would need more go to gonum.
const hypMaxTerms = 1024

// hypTol is the stopping tolerance of the series: the proven bound on the rest of the
// series, relative to the partial sum, is below it (so below half an ulp of the sum).
const hypTol = 1e-17

// hypSeries evaluates 2F1(a, b; c; z) = Σ_n (a)_n (b)_n / ((c)_n n!) z^n for 0 ≤ z < 1 by its
// power series, for parameters where the series is well-conditioned: a > −1, b > −1, c > −1,
// c ≠ 0, so that the terms from n = 1 on all have the sign of abc (no cancellation among
// them). It
// keeps the coefficients (a)_n (b)_n / ((c)_n n!) it has computed, so that evaluating it at
// many arguments costs a multiplication and an addition a term (no division); grown lazily,
// it is not safe for concurrent use.
//
// Stopping rule. With ρ_k = (a+k)(b+k)/((c+k)(k+1)), term k+1 is term k times ρ_k z, and
// |ρ_k − 1| = |(a+b−c−1)k + ab − c| / ((c+k)(k+1)) ≤ |a+b−c−1|/(c+m) + |ab−c|/((c+m)(m+1))
// =: e_m for every k ≥ m ≥ 1 (c + m > 0), the bound decreasing in m. So after term m the rest of the series
// is at most |term m| u/(1−u) with u = z(1+e_m) < 1 (a geometric tail); the sum stops when
// that is below hypTol times the partial sum. It gives up (ok = false) when that needs more
// than hypMaxTerms terms, when abc < 0 and the sum falls below 1/2 (1 − X with X near 1 loses
// digits), or when a term overflows.
type hypSeries struct {
	a, b, c float64
	ok      bool      // the parameters are in the well-conditioned region
	table   bool      // coef and bound are kept (else computed afresh by each eval)
	coef    []float64 // coef[n] = (a)_n (b)_n / ((c)_n n!)
	bound   []float64 // bound[n] = 1 + e_n

	anchored bool         // evaluate above z = 1/2 from Taylor expansions at anchors (see hypAnchor)
	anchors  []*hypAnchor // by cell (see anchorCell), built when first needed
	scratch  []float64    // buildAnchor's weights, reused
}

// set makes h the series of 2F1(a, b; c; ·) without tables (nothing allocated: each
// evaluation computes its coefficients by the same recurrence, so the values are the same
// bit for bit), reporting whether the parameters are in the well-conditioned region.
func (h *hypSeries) set(a, b, c float64) bool {
	*h = hypSeries{a: a, b: b, c: c}
	h.ok = a > -1 && b > -1 && c > -1 && c != 0 && !math.IsInf(a, 0) && !math.IsInf(b, 0) && !math.IsInf(c, 0)
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
	if h != nil && h.anchored && z > 0.5 && z < 1 {
		if a := h.anchor(z); a != nil {
			return a.eval(z), true
		}
	}
	d, _, ok := h.sum(z)
	return d, ok
}

// sum is evalM1 by the power series alone; n is the number of terms it summed.
func (h *hypSeries) sum(z float64) (d float64, n int, ok bool) {
	if h == nil || !h.ok || !(z >= 0 && z < 1) {
		return 0, 0, false
	}
	if z == 0 {
		return 0, 0, true
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
			if h.a*h.b*h.c < 0 && d < -0.5 || math.IsInf(d, 0) {
				return 0, 0, false
			}
			return d, n + 8, true
		}
	}
	return 0, 0, false
}

// Anchored evaluation. Above z = 1/2 the power series converges slowly (hundreds of terms
// near z = 0.9), while a batch of customers evaluates the same 2F1 (one per purchase count)
// at many nearby arguments. With anchors, the interval 1/2 < z < 1 is cut into cells in
// y = 1 − z, anchorCells to an octave of y (a cell is read off the bits of y: its binary
// exponent and leading mantissa bits), and in a cell the 2F1 is the Taylor polynomial of
// G = 2F1 − 1 about the cell's centre z0:
//
//	G(z0 + h) = Σ_{n=0..N} d_n h^n,  d_n = G^(n)(z0)/n! = Σ_{m ≥ max(n,1)} C(m, n) c_m z0^(m−n),
//
// c_m being the series coefficients. Every c_m (m ≥ 1) has the sign of abc, so every d_n has
// it too and the d_n are sums without cancellation. Two bounds make the result as exact as
// the series itself:
//
//   - The Taylor remainder. Because the d_n share a sign, Σ_n |d_n| ρ^n = |G(z0+ρ)| for
//     0 < ρ < 1 − z0, so |d_n| ≤ |G(z0+ρ)|/ρ^n (Cauchy's estimate on the real axis). With
//     ρ = y0/2 (y0 = 1 − z0) and |h| ≤ H, the half-width of the cell (H ≤ y0/(2·anchorCells)),
//     the terms past N sum to at most |G(z0+ρ)| q^(N+1)/(1−q), q = H/ρ ≤ 1/anchorCells; N
//     is the least order that makes this at most hypTol·min(|G|, |1+G|) at the cell's low
//     end z0 − H (|G| increases with z, so that is its smallest value in the cell).
//   - The truncation of the sums d_n at m ≤ M. Their neglected parts, weighted by H^n and
//     added over n, are at most Σ_{m>M} |c_m| (z0+H)^m: the rest of the power series at the
//     cell's high end, which the series' own stopping rule bounds when M is the number of
//     terms it needs there.
//
// A cell whose series at z0 + H needs few terms (large purchase counts) is evaluated by the
// series: the anchor records that decision. Cells and decisions depend only on the
// parameters and the cell, so a value does not depend on which customers were evaluated
// before it; it may differ from the plain series in the last bits (rounding, not the bounds).
const (
	anchorCells  = 32  // cells per octave of 1 − z
	anchorMinExp = -30 // cells down to 1 − z = 2^−30; closer to 1 the series is used
	anchorMaxN   = 24  // highest Taylor order
	anchorMaxX   = 256 // purchase counts whose series are anchored (above, the series is short)
)

// hypAnchor is the Taylor polynomial of a series about the centre z0 of one cell, or (d nil)
// the decision to evaluate the cell by the series.
type hypAnchor struct {
	z0 float64
	n  int // order N
	d  [anchorMaxN + 1]float64
	ok bool // false: use the series
}

// anchorCell returns the cell of z (1/2 < z < 1): the octave of y = 1 − z below 1/2 and the
// anchorCells-th of it, from y's bits; ok is false below anchorMinExp.
func anchorCell(z float64) (idx, e, k int, ok bool) {
	bits := math.Float64bits(1 - z) // exact: 1/2 < z < 1
	e = int(bits>>52) - 1023        // ≤ −2, as 1 − z < 1/2
	if e < anchorMinExp {
		return 0, 0, 0, false
	}
	const shift = 52 - 5 // log2(anchorCells) = 5
	k = int(bits>>shift) & (anchorCells - 1)
	return (-2-e)*anchorCells + k, e, k, true
}

// anchor returns the anchor of z's cell, building it when first needed, or nil when z is to
// be evaluated by the series.
func (h *hypSeries) anchor(z float64) *hypAnchor {
	idx, e, k, ok := anchorCell(z)
	if !ok {
		return nil
	}
	if idx >= len(h.anchors) {
		h.anchors = append(h.anchors, make([]*hypAnchor, idx+1-len(h.anchors))...)
	}
	a := h.anchors[idx]
	if a == nil {
		a = h.buildAnchor(e, k)
		h.anchors[idx] = a
	}
	if !a.ok {
		return nil
	}
	return a
}

// buildAnchor computes the anchor of cell (e, k): y = 1 − z in [2^e (1 + k/K), 2^e (1 +
// (k+1)/K)), K = anchorCells.
func (h *hypSeries) buildAnchor(e, k int) *hypAnchor {
	a := &hypAnchor{}
	scale := math.Ldexp(1, e)
	y0 := scale * (1 + (float64(k)+0.5)/anchorCells)
	half := scale / (2 * anchorCells)
	z0 := 1 - y0 // exact: y0 has few significant bits
	a.z0 = z0
	glo, _, ok := h.sum(z0 - half)
	if !ok || glo == 0 {
		return a
	}
	_, m, ok := h.sum(z0 + half)
	if !ok {
		return a
	}
	rho := y0 / 2
	gm, _, ok := h.sum(z0 + rho)
	if !ok {
		return a
	}
	q := half / rho
	target := hypTol * math.Min(math.Abs(glo), math.Abs(1+glo))
	rest := math.Abs(gm) * q / (1 - q) // bound on the terms past order N = 0
	n := 0
	for rest > target {
		if n++; n > anchorMaxN {
			return a
		}
		rest *= q
	}
	// The polynomial costs about n/2 dependent multiply-adds; the series about m/4 (four
	// chains). Keep the series where it is not clearly dearer.
	if m <= 2*n+32 {
		return a
	}
	if len(h.coef) < m {
		h.grow(m)
	}
	// w[j] = C(j, i) c_j z0^(j−i) for the current order i, from i = 0. The sums are
	// compensated (Neumaier): hundreds of terms, built once per anchor.
	if cap(h.scratch) < m {
		h.scratch = make([]float64, m)
	}
	w := h.scratch[:m]
	p := 1.0
	var acc kahan
	for j := 1; j < m; j++ {
		p *= z0
		w[j] = h.coef[j] * p
		acc.add(w[j])
	}
	a.d[0] = acc.sum()
	inv := 1 / z0
	for i := 1; i <= n; i++ {
		s := inv / float64(i)
		acc = kahan{}
		for j := i; j < m; j++ {
			w[j] *= float64(j-i+1) * s
			acc.add(w[j])
		}
		a.d[i] = acc.sum()
	}
	a.n = n
	a.ok = true
	return a
}

// eval is the Taylor polynomial at z (in the anchor's cell): even and odd orders as two
// independent Horner chains in h².
func (a *hypAnchor) eval(z float64) float64 {
	h := z - a.z0 // exact: z and z0 are within a factor of two
	u := h * h
	n := a.n
	ne := n &^ 1 // highest even order
	ev := a.d[ne]
	for i := ne - 2; i >= 0; i -= 2 {
		ev = math.FMA(ev, u, a.d[i])
	}
	if n == 0 {
		return ev
	}
	no := n - 1 + n&1 // highest odd order ≤ n
	od := a.d[no]
	for i := no - 2; i >= 1; i -= 2 {
		od = math.FMA(od, u, a.d[i])
	}
	return math.FMA(od, h, ev)
}

// kahan is a compensated (Neumaier) sum.
type kahan struct{ s, c float64 }

func (k *kahan) add(v float64) {
	t := k.s + v
	if math.Abs(k.s) >= math.Abs(v) {
		k.c += (k.s - t) + v
	} else {
		k.c += (v - t) + k.s
	}
	k.s = t
}

func (k *kahan) sum() float64 { return k.s + k.c }
