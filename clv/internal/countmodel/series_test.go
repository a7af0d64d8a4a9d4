package countmodel

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// tailGonum is BG.Tail as it was before the series path (commit 4461878): the same formula
// with every 2F1 from gonum's Hypergeo. It is the reference the series path must reproduce.
func tailGonum(m BG, x, T, t float64) float64 {
	if t == 0 {
		return 0
	}
	if math.Abs(m.A-1) < 1e-6 {
		return (tailAtGonum(m, 1-1e-6, x, T, t) + tailAtGonum(m, 1+1e-6, x, T, t)) / 2
	}
	return tailAtGonum(m, m.A, x, T, t)
}

func tailAtGonum(m BG, a, x, T, t float64) float64 {
	m.A = a
	c := m.A + m.B + x - 1 + m.K
	z := t / (m.Alpha + T + t)
	if math.Abs((c-m.R-x)*(m.A-1))/c*z/(1-z) < 1e4 {
		lp := (m.A-1)*math.Log1p(-z) + math.Log(Hypergeo(c-m.R-x, m.A-1, c, z))
		if e := c / (m.A - 1) * -math.Expm1(lp); e >= 0 && !math.IsInf(e, 0) {
			return e
		}
	}
	q, rx := t/(m.Alpha+T), m.R+x
	return math.Exp(LogBetaExpect(m.A, m.B+x+m.K, func(lp, _ float64) float64 { return logTailH(lp, q, rx) }))
}

// seriesTestModels are the parameter sets of the comparisons: CDNOW's BG/NBD estimates (FHL
// 2005: r 0.243, α 4.414, a 0.793, b 2.426) for BG/NBD and MBG/NBD, and others with a > 1,
// a near 1, a small, b large, r large (a + b − 1 − r < 0: the gonum path) and α small.
var seriesTestModels = []BG{
	{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, K: 0},
	{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, K: 1},
	{R: 0.525, Alpha: 6.183, A: 0.891, B: 1.614, K: 1},
	{R: 1.5, Alpha: 20, A: 2.5, B: 7, K: 0},
	{R: 0.3, Alpha: 2, A: 1 + 5e-7, B: 3, K: 0},
	{R: 0.3, Alpha: 2, A: 1.001, B: 3, K: 0},
	{R: 0.1, Alpha: 0.5, A: 0.05, B: 0.2, K: 0},
	{R: 2, Alpha: 100, A: 0.4, B: 40, K: 1},
	{R: 8, Alpha: 3, A: 0.7, B: 1.2, K: 0},
	{R: 0.243, Alpha: 0.01, A: 3, B: 0.5, K: 0},
}

// TestTailSeriesMatchesGonum compares BG.Tail (series path), and the per-worker TailCache,
// with the gonum path on a dense grid of (x, t_x, T, t) and the models above, on the tail and
// on the conditional expectation P(alive) × tail: they agree to 1e-12 relative wherever the
// gonum path is accurate. Where they differ by more, the exact tail (256-bit arithmetic,
// bigTail) must show that the gonum path is the inaccurate one (off by more than 5e-13) and
// that the series path is at least as close. That happens where 1 − e^lp, lp = (a−1) ln(1−z)
// + ln F, cancels (t ≪ α+T, or a near 1): the gonum path rounds F ≈ 1 before taking its log,
// and that rounding is amplified by 1/|lp|; the series path sums F − 1 and takes log1p.
func TestTailSeriesMatchesGonum(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 50, 80, 120, 200, 400, 1000}
	Ts := []float64{0.5, 1, 2, 5, 10, 20, 30.86, 38.86, 39, 52, 78, 104, 250}
	hs := []float64{1e-4, 0.01, 0.1, 0.5, 1, 2, 5, 13, 26, 39, 52, 78, 104, 156, 260, 520, 2000}
	worst, n, exact, total := 0.0, 0, 0, 0
	for _, m := range seriesTestModels {
		tc := m.NewTailCache()
		for _, x := range xs {
			for _, T := range Ts {
				for _, h := range hs {
					want := tailGonum(m, x, T, h)
					got := m.Tail(x, T, h)
					if cached := tc.Tail(x, T, h); cached != got {
						t.Fatalf("%+v x=%v T=%v t=%v: TailCache %v, Tail %v", m, x, T, h, cached, got)
					}
					total++
					d := 0.0
					if got != want {
						d = relDiff(got, want)
					}
					for _, frac := range []float64{0, 0.3, 0.97, 1} {
						if x == 0 && frac > 0 {
							continue
						}
						pa := m.Alive(x, frac*T, T)
						if ca := tc.Alive(x, frac*T, T); ca != pa {
							t.Fatalf("%+v x=%v tx=%v T=%v: TailCache.Alive %v, Alive %v", m, x, frac*T, T, ca, pa)
						}
						if pa*got != pa*want {
							d = math.Max(d, relDiff(pa*got, pa*want))
						}
					}
					if d <= 1e-12 {
						worst = math.Max(worst, d)
						n++
						continue
					}
					exact++
					truth := bigTailModel(m, x, T, h)
					eNew, eOld := relDiff(got, truth), relDiff(want, truth)
					// Within 1e-6 of a = 1 Tail is the mean of two variants at 1 ± 1e-6, each
					// cancelling by a factor ~1e6 in both paths: there the series path may be
					// up to twice as far off as the gonum path (both ~1e-11).
					closeEnough := eNew <= eOld || math.Abs(m.A-1) < 1e-6 && eNew <= 2*eOld
					if !(eOld > 5e-13 && closeEnough) {
						t.Errorf("%+v x=%v T=%v t=%v: series %.17g, gonum %.17g (rel %.2e); exact %.17g: series off by %.2e, gonum by %.2e",
							m, x, T, h, got, want, d, truth, eNew, eOld)
					}
				}
			}
		}
	}
	t.Logf("%d of %d points agree to 1e-12 (largest difference %.2e); at the other %d the gonum path is off by more than 5e-13 and the series path is closer to the exact value", n, total, worst, exact)
}

// TestHypSeriesMatchesGonum checks hypSeries.eval against gonum's Hypergeo on random
// well-conditioned parameters and arguments, to 1e-13 relative, that the series without
// tables gives the same values bit for bit, and that it declines (ok = false) rather than
// return a value outside its region.
func TestHypSeriesMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	worst := 0.0
	used := 0
	for range 20000 {
		a := math.Exp(rng.Float64()*8 - 4)
		b := rng.Float64()*20 - 1
		if rng.IntN(2) == 0 {
			b = math.Exp(rng.Float64()*6-3) - 1
		}
		c := math.Exp(rng.Float64()*9 - 3)
		z := rng.Float64() * 0.98
		h := newHypSeries(a, b, c)
		if h == nil {
			t.Fatalf("newHypSeries(%v, %v, %v) = nil", a, b, c)
		}
		got, ok := h.eval(z)
		var scratch hypSeries
		scratch.set(a, b, c)
		if d, ok2 := scratch.evalM1(z); ok2 != ok || ok && 1+d != got {
			t.Fatalf("2F1(%v, %v; %v; %v): without tables %v (%v), with %v (%v)", a, b, c, z, 1+d, ok2, got, ok)
		}
		if !ok {
			continue
		}
		used++
		want := Hypergeo(a, b, c, z)
		if d := relDiff(got, want); d > 1e-13 || math.IsNaN(d) {
			t.Errorf("2F1(%v, %v; %v; %v): series %.17g, gonum %.17g (rel %.2e)", a, b, c, z, got, want, d)
		}
		worst = math.Max(worst, relDiff(got, want))
	}
	if used < 10000 {
		t.Errorf("series used on %d of 20000 draws only", used)
	}
	t.Logf("series used on %d of 20000; largest relative difference %.2e", used, worst)
	for _, p := range [][3]float64{{-1.5, 1, 2}, {1, -1.5, 2}, {1, 1, 0}, {1, 1, -1.5}, {math.Inf(1), 1, 1}} {
		if newHypSeries(p[0], p[1], p[2]) != nil {
			t.Errorf("newHypSeries%v accepted", p)
		}
	}
}

// big2F1 is 2F1(a, b; c; z) in 256-bit arithmetic (its power series).
func big2F1(a, b, c, z float64) float64 {
	const prec = 256
	bf := func(v float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(v) }
	f := bigSeries(func(n int, r *big.Float) {
		fn := float64(n)
		r.Mul(bf(a+fn), bf(b+fn)) // exact: a+n, b+n, c+n are exact for these arguments
		r.Quo(r, bf(c+fn))
		r.Quo(r, bf(fn+1))
		r.Mul(r, bf(z))
	})
	out, _ := f.Float64()
	return out
}

// TestHypSeriesNegativeA checks the series where a or c is in (−1, 0) (the terms from n = 1
// on still share the sign of abc) against the 256-bit series, to 1e-14 relative.
func TestHypSeriesNegativeA(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2))
	worst, worstGonum, used := 0.0, 0.0, 0
	for range 400 {
		// Parameters on a 1/1024 grid, so that a+n, b+n, c+n are exact in float64.
		q := func(v float64) float64 { return math.Round(v*1024) / 1024 }
		a := q(-rng.Float64()*0.99 - 0.005)
		b := q(rng.Float64()*4 - 0.99)
		c := q(math.Exp(rng.Float64()*6 - 3))
		if rng.IntN(3) == 0 {
			c = q(-rng.Float64()*0.99 - 0.005)
		}
		z := rng.Float64() * 0.99
		h := newHypSeries(a, b, c)
		if h == nil {
			t.Fatalf("newHypSeries(%v, %v, %v) = nil", a, b, c)
		}
		got, ok := h.eval(z)
		if !ok {
			continue
		}
		used++
		want := big2F1(a, b, c, z)
		d := relDiff(got, want)
		if d > 1e-14 || math.IsNaN(d) {
			t.Errorf("2F1(%v, %v; %v; %v): series %.17g, exact %.17g (rel %.2e)", a, b, c, z, got, want, d)
		}
		worst = math.Max(worst, d)
		worstGonum = math.Max(worstGonum, relDiff(Hypergeo(a, b, c, z), want))
	}
	if used < 250 {
		t.Errorf("series used on %d of 400 draws only", used)
	}
	t.Logf("a or c in (−1, 0): series used on %d of 400; largest error %.2e (gonum's Hypergeo: %.2e)", used, worst, worstGonum)
}

// TestTailNegative2F1 is a regression test: with a + b < 1 the tail's 2F1 at x = 0 has c < 0
// and can be negative; its logarithm was NaN and the tail fell back to a quadrature that was
// off by 7e-5 (r 0.1, α 0.5, a 0.05, b 0.2). It is now 1 − (1−z)^(a−1) 2F1 directly, a sum of
// positive terms: checked against the 256-bit tail to 1e-13.
func TestTailNegative2F1(t *testing.T) {
	m := BG{R: 0.1, Alpha: 0.5, A: 0.05, B: 0.2}
	for _, T := range []float64{0.77, 1.24, 11.8, 39} {
		for _, h := range []float64{1, 13.86, 52, 200, 641} {
			c := m.A + m.B - 1
			z := h / (m.Alpha + T + h)
			truth := bigTail(m, 0, T, h)
			for _, tc := range []*TailCache{nil, m.NewTailCache(), m.NewAnchoredTailCache()} {
				got := m.Tail(0, T, h)
				if tc != nil {
					got = tc.Tail(0, T, h)
				}
				if d := relDiff(got, truth); d > 1e-13 || math.IsNaN(d) {
					t.Errorf("T=%v t=%v (2F1(%v, %v; %v; %.4f) = %.3g): tail %.17g, exact %.17g (rel %.2e)",
						T, h, c-m.R, m.A-1, c, z, Hypergeo(c-m.R, m.A-1, c, z), got, truth, d)
				}
			}
		}
	}
}

// bigSeries sums Σ_n term_n with term_0 = 1 and term_{n+1} = term_n ratio(n) in 256-bit
// floats until a term is below 1e-60 of the sum.
func bigSeries(ratio func(n int, r *big.Float)) *big.Float {
	const prec = 256
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	r := new(big.Float).SetPrec(prec)
	tiny := new(big.Float).SetPrec(prec).SetFloat64(1e-60)
	for n := 0; n < 1_000_000; n++ {
		ratio(n, r)
		term.Mul(term, r)
		sum.Add(sum, term)
		at, bound := new(big.Float).Abs(term), new(big.Float).Mul(new(big.Float).Abs(sum), tiny)
		if n > 5 && at.Cmp(bound) < 0 {
			break
		}
	}
	return sum
}

// bigTailModel is BG.Tail in 256-bit arithmetic (the mean of the two variants near a = 1, as
// Tail defines it).
func bigTailModel(m BG, x, T, t float64) float64 {
	if math.Abs(m.A-1) < 1e-6 {
		lo, hi := m, m
		lo.A, hi.A = 1-1e-6, 1+1e-6
		return (bigTail(lo, x, T, t) + bigTail(hi, x, T, t)) / 2
	}
	return bigTail(m, x, T, t)
}

// bigTail is Tail's c/(a−1) (1 − (1−z)^(a−1) 2F1(c−r−x, a−1; c; z)) in 256-bit arithmetic
// (series for the 2F1, for ln(1−z) = −Σ z^k/k and for exp), for 0 ≤ z < 1 (slow near 1).
func bigTail(m BG, x, T, t float64) float64 {
	const prec = 256
	bf := func(v float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(v) }
	c := m.A + m.B + x - 1 + m.K
	a, b, z := bf(c-m.R-x), bf(m.A-1), new(big.Float).SetPrec(prec).Quo(bf(t), bf(m.Alpha+T+t))
	cc := bf(c)
	f := bigSeries(func(n int, r *big.Float) {
		fn := bf(float64(n))
		r.Mul(new(big.Float).SetPrec(prec).Add(a, fn), new(big.Float).SetPrec(prec).Add(b, fn))
		r.Quo(r, new(big.Float).SetPrec(prec).Add(cc, fn))
		r.Quo(r, bf(float64(n+1)))
		r.Mul(r, z)
	})
	// ln(1−z) = −z Σ_k z^k/(k+1)
	l := bigSeries(func(n int, r *big.Float) {
		r.Mul(z, bf(float64(n+1)))
		r.Quo(r, bf(float64(n+2)))
	})
	l.Mul(l, z).Neg(l)
	y := new(big.Float).SetPrec(prec).Mul(b, l) // (a−1) ln(1−z)
	p := bigSeries(func(n int, r *big.Float) { r.Quo(y, bf(float64(n+1))) })
	one := bf(1)
	v := new(big.Float).SetPrec(prec).Sub(one, p.Mul(p, f))
	v.Mul(v, cc).Quo(v, b)
	out, _ := v.Float64()
	return out
}

// TestTailSeriesCancellation checks, where 1 − e^lp cancels (|lp| < 0.01, z ≤ 1/2), the series
// path and the gonum path against the tail computed in 256-bit arithmetic: the series path
// is never more than 1e-13 + 2× the gonum path's error away from it, so the differences that
// TestTailSeriesMatchesGonum allows there are the gonum path's own rounding, not a loss of
// the series path.
func TestTailSeriesCancellation(t *testing.T) {
	n := 0
	worstNew, worstOld := 0.0, 0.0
	for _, m := range seriesTestModels {
		if math.Abs(m.A-1) < 1e-6 {
			continue // the mean of two variants; each variant is covered by A = 1.001
		}
		for _, x := range []float64{0, 1, 3, 5, 10, 30, 100} {
			for _, T := range []float64{0.5, 5, 38.86, 104} {
				for _, h := range []float64{1e-4, 0.01, 0.1, 1, 2, 13, 39} {
					c := m.A + m.B + x - 1 + m.K
					z := h / (m.Alpha + T + h)
					lp := math.Abs((m.A-1)*math.Log1p(-z) + math.Log(Hypergeo(c-m.R-x, m.A-1, c, z)))
					if z > 0.5 || lp >= 1e-2 {
						continue
					}
					truth := bigTail(m, x, T, h)
					eNew, eOld := relDiff(m.Tail(x, T, h), truth), relDiff(tailGonum(m, x, T, h), truth)
					if eNew > 1e-13+2*eOld || math.IsNaN(eNew) {
						t.Errorf("%+v x=%v T=%v t=%v: series off by %.2e, gonum by %.2e (|lp| %.1e)", m, x, T, h, eNew, eOld, lp)
					}
					worstNew, worstOld = math.Max(worstNew, eNew), math.Max(worstOld, eOld)
					n++
				}
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d points in the cancellation region", n)
	}
	t.Logf("%d points: largest error vs 256-bit, series %.2e, gonum %.2e", n, worstNew, worstOld)
}

// TestCacheGate checks that the gate turns a never-hitting cache off after its probe of each
// window (and probes again in the next window, which is twice as long after a probe that did
// not pay, up to gateMaxWindow), keeps a hitting one on, and goes back to the short window
// once the probe pays again.
func TestCacheGate(t *testing.T) {
	var g CacheGate
	window := gateWindow
	for w := range 8 {
		used := 0
		for range window {
			if g.Use() {
				used++
			}
		}
		if used != gateProbe {
			t.Fatalf("no hits, window %d (%d lookups): %d consulted the cache, want %d", w, window, used, gateProbe)
		}
		window = min(2*window, gateMaxWindow)
	}
	// The probe of the next window hits: the rest of that window uses the cache, and the
	// window after it is short again.
	for range gateProbe {
		if !g.Use() {
			t.Fatal("the probe does not consult the cache")
		}
		g.Hit()
	}
	for i := gateProbe; i < window; i++ {
		if !g.Use() {
			t.Fatalf("a probe that hit did not keep the cache on (lookup %d of the window)", i)
		}
	}
	if g.Use(); g.window != gateWindow {
		t.Errorf("after a probe that paid the window is %d, want %d", g.window, gateWindow)
	}
	var h CacheGate
	for i := range 3 * gateWindow {
		if !h.Use() {
			t.Fatalf("hitting cache turned off at lookup %d", i)
		}
		if i%4 == 0 {
			h.Hit()
		}
	}
}
