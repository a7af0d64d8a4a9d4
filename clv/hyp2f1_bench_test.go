package clv

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkBGTail measures the conditional-expectation factor of BG/NBD alone (the
// hypergeometric part of Predict, issue 16) at the CDNOW estimates, t = 52, for ages uniform
// on [1, 39] and x on 0..9, on one goroutine: "Taylor" is the path of Predict (cmHypTaylor, one grid per x),
// "Gonum" the path it replaced (mathext.Hypergeo).
func BenchmarkBGTail(b *testing.B) {
	m := cmBG{r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, name: "BG/NBD"}
	rng := rand.New(rand.NewPCG(16, 3))
	const n = 4096
	xs, Ts := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i], Ts[i] = float64(rng.IntN(10)), 1+38*rng.Float64()
	}
	var sink float64
	b.Run("Taylor", func(b *testing.B) {
		hyps := make([]*cmHypTaylor, 10)
		for x := range hyps {
			hyps[x] = m.tailHyp(float64(x))
		}
		for i := 0; i < b.N; i++ {
			sink += m.tailAtH(m.a, xs[i%n], Ts[i%n], 52, hyps[int(xs[i%n])])
		}
	})
	b.Run("Gonum", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink += bgTailGonum(m, xs[i%n], Ts[i%n], 52)
		}
	})
	_ = sink
}
