package countmodel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAnchoredTailExact compares the anchored TailCache (Taylor expansions at anchors above
// z = 1/2) with the exact tail (256-bit arithmetic) and with the plain series path, on random
// ages and horizons that put z all over (1/2, 1) for the models of seriesTestModels and small
// purchase counts (where anchors are used): the anchored value is as close to the exact one
// as the series path is, within a small multiple of the unit roundoff.
func TestAnchoredTailExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 12))
	worstA, worstS := 0.0, 0.0
	anchored, n := 0, 0
	for _, m := range seriesTestModels {
		tc := m.NewAnchoredTailCache()
		for range 80 {
			x := float64(rng.IntN(12))
			if rng.IntN(4) == 0 {
				x = float64(rng.IntN(200))
			}
			T := math.Exp(rng.Float64()*6 - 1)
			// z = t/(α+T+t) uniform-ish on (1/2, 0.995): t = (α+T) z/(1−z).
			z := 0.5 + rng.Float64()*0.495
			h := (m.Alpha + T) * z / (1 - z)
			got := tc.Tail(x, T, h)
			plain := m.Tail(x, T, h)
			truth := bigTailModel(m, x, T, h)
			eA, eS := relDiff(got, truth), relDiff(plain, truth)
			if !(eA <= math.Max(4*eS, 4e-15)) {
				t.Errorf("%+v x=%v T=%v t=%v (z %.4f): anchored %.17g off by %.2e, series %.17g by %.2e; exact %.17g",
					m, x, T, h, z, got, eA, plain, eS, truth)
			}
			if math.Abs(m.A-1) >= 1e-6 { // near a = 1 both cancel by ~1e6 (see TestTailSeriesMatchesGonum)
				worstA, worstS = math.Max(worstA, eA), math.Max(worstS, eS)
			}
			if s := tc.tabs[0][int(x)]; s != nil && s.anchored {
				if zz := h / (m.Alpha + T + h); zz > 0.5 && s.anchor(zz) != nil {
					anchored++
				}
			}
			n++
		}
	}
	// A case the fuzzer found (b = e^15, x = 110): 1 − P cancels by ~1e4, both paths are
	// ~1e-12 off; the anchored one may not be further off than the series.
	m := BG{R: math.Exp(-15), Alpha: math.Exp(1.7066666666666668), A: math.Exp(1.134625), B: math.Exp(15)}
	x, T, h := 110.0, 30.317777777777778, 47.0
	truth := bigTailModel(m, x, T, h)
	if eA, eS := relDiff(m.NewAnchoredTailCache().Tail(x, T, h), truth), relDiff(m.Tail(x, T, h), truth); eA > math.Max(eS, 4e-15) {
		t.Errorf("%+v x=%v T=%v t=%v: anchored off by %.2e, series by %.2e", m, x, T, h, eA, eS)
	}
	if anchored < n/4 {
		t.Errorf("anchors used for only %d of %d values", anchored, n)
	}
	t.Logf("%d points (%d from anchors): largest error vs 256-bit, anchored %.2e, series %.2e", n, anchored, worstA, worstS)
}
