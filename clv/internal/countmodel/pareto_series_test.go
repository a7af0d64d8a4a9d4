package countmodel

import (
	"math"
	"math/big"
	"testing"
)

// TestParetoAliveSeries checks Pareto/NBD's P(alive) through the power series of A0's 2F1,
// F(a, b; a+1; z): the series (without tables, and with the tables of an AliveCache) against
// the 2F1 summed in 256-bit arithmetic, to 4e-15 relative in F − 1; P(alive) by the cache
// equal to the single call's bit for bit; and by gonum's Hypergeo (the previous method)
// within the rounding of A0's two-term difference amplified by its condition number. Parameters are on a 1/1024 grid so that the 256-bit series is exact in a+n, b+n.
func TestParetoAliveSeries(t *testing.T) {
	models := []Pareto{
		{R: 0.5527, Alpha: 10.5781, S: 0.6061, Beta: 11.6689},    // CDNOW (FHL 2005), α < β
		{R: 0.5527, Alpha: 11.6689, S: 0.6061, Beta: 10.5781},    // swapped, α > β
		{R: 2, Alpha: 50, S: 1.5, Beta: 0.5},                     // z up to 0.99: anchors
		{R: 10.4648, Alpha: 7.9854e-03, S: 3.0518, Beta: 2.8203}, // lifetimes' overflow test
		{R: 0.25, Alpha: 0.75, S: 0.125, Beta: 40},               // α ≪ β, b = r + x
	}
	q := func(v float64) float64 { return math.Round(v*1024) / 1024 }
	checked, worstF, worstGonum := 0, 0.0, 0.0
	for _, m := range models {
		m = Pareto{R: q(m.R), Alpha: q(m.Alpha), S: q(m.S), Beta: q(m.Beta)}.Prepared()
		cache := m.NewAliveCache()
		for _, x := range []float64{0, 1, 2, 5, 26, 100, 500} {
			if m.needsQuad(x) {
				continue
			}
			a, b := m.R+m.S+x, m.S+1
			hi, lo := m.Alpha, m.Beta
			if m.Alpha < m.Beta {
				b, hi, lo = m.R+x, m.Beta, m.Alpha
			}
			var scratch hypSeries
			single := m.series(nil, x, &scratch)
			tab := m.series(cache, x, nil)
			for _, T := range []float64{0.5, 1, 5, 20, 38.86} {
				for _, frac := range []float64{0, 0.1, 0.5, 0.9, 0.999} {
					tx := frac * T
					if x == 0 {
						tx = 0
					}
					for _, tau := range []float64{tx, T} {
						z := (hi - lo) / (hi + tau)
						want := big2F1M1(a, b, a+1, z)
						for _, h := range []*hypSeries{single, tab} {
							if d, ok := h.evalM1(z); ok {
								e := math.Abs(d-want) / math.Abs(want)
								if want == 0 {
									e = math.Abs(d)
								}
								worstF = math.Max(worstF, e)
								if e > 4e-15 {
									t.Errorf("%+v x %v z %v: series F−1 = %v, 256-bit %v (%.1e)", m, x, z, d, want, e)
								}
								checked++
							}
						}
					}
					pa := m.Alive(x, tx, T)
					ca := cache.Alive(x, tx, T)
					ga := m.alive(nil, m.head(x), x, tx, T)
					// A0 = e^l1 − e^l2: its relative rounding is that of the terms times
					// 1/(1 − e^(l2−l1)); P(alive) = 1/(1+E) moves by (1−P)·P·ΔE/E.
					l1, l2 := m.logATerm(nil, x, tx, m.logHi(tx)), m.logATerm(nil, x, T, m.logHi(T))
					cond := 1 / -math.Expm1(l2-l1)
					if tx == T {
						cond = 1
					}
					scale := cond * (1 - pa) * pa
					if ca != pa {
						t.Errorf("%+v x %v tx %v T %v: cached P(alive) %v, single %v", m, x, tx, T, ca, pa)
					}
					if math.Abs(ga-pa) > 1e-12*scale+1e-16 {
						t.Errorf("%+v x %v tx %v T %v: P(alive) by gonum %v, by the series %v", m, x, tx, T, ga, pa)
					} else {
						worstGonum = math.Max(worstGonum, math.Abs(ga-pa)/math.Max(scale, 1e-300))
					}
				}
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d series values checked", checked)
	}
	t.Logf("%d series values: worst F−1 error %.1e; P(alive) gonum vs series %.1e (× cond)", checked, worstF, worstGonum)
}

// big2F1M1 is 2F1(a, b; c; z) − 1 in 256-bit arithmetic, rounded once to float64 (big2F1 − 1
// would round the 2F1 first and lose the digits of a small difference).
func big2F1M1(a, b, c, z float64) float64 {
	const prec = 256
	bf := func(v float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(v) }
	f := bigSeries(func(n int, r *big.Float) {
		fn := float64(n)
		r.Mul(bf(a+fn), bf(b+fn))
		r.Quo(r, bf(c+fn))
		r.Quo(r, bf(fn+1))
		r.Mul(r, bf(z))
	})
	out, _ := f.Sub(f, bf(1)).Float64()
	return out
}
