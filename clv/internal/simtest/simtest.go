// Package simtest draws customers' purchase histories from the BG/NBD and Pareto/NBD
// processes, for the tests and benchmarks of clv and its internal packages: one simulator, so
// that both see the same data for the same seed.
package simtest

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// History is one customer's summary: X repeat purchases, the last at Tx, observed for T (all
// times in weeks from the first purchase).
type History struct {
	X     int
	Tx, T float64
}

// BGNBD draws n histories from a BG/NBD process with the CDNOW estimates of Fader, Hardie & Lee
// (2005) (r 0.243, α 4.414, a 0.793, b 2.426) and ages uniform on [1, 39] weeks, so that the
// (x, t_x, T) triples are all distinct. The same seed gives the same histories.
func BGNBD(n int, seed uint64) []History {
	src := rand.NewPCG(seed, 7)
	rng := rand.New(src)
	lam := distuv.Gamma{Alpha: 0.243, Beta: 4.414, Src: src}
	drop := distuv.Beta{Alpha: 0.793, Beta: 2.426, Src: src}
	out := make([]History, n)
	for i := range out {
		l, p := lam.Rand(), drop.Rand()
		h := History{T: 1 + 38*rng.Float64()}
		for t := rng.ExpFloat64() / l; t <= h.T; t += rng.ExpFloat64() / l {
			h.X++
			h.Tx = t
			if rng.Float64() < p { // the customer drops out after this purchase
				break
			}
		}
		out[i] = h
	}
	return out
}

// ParetoNBD draws n histories from a Pareto/NBD process with the CDNOW estimates of Fader,
// Hardie & Lee (2005) (r 0.553, α 10.578, s 0.606, β 11.669) and ages uniform on [1, 39]
// weeks. The same seed gives the same histories.
func ParetoNBD(n int, seed uint64) []History {
	src := rand.NewPCG(seed, 11)
	rng := rand.New(src)
	lam := distuv.Gamma{Alpha: 0.553, Beta: 10.578, Src: src}
	mu := distuv.Gamma{Alpha: 0.606, Beta: 11.669, Src: src}
	out := make([]History, n)
	for i := range out {
		l := lam.Rand()
		h := History{T: 1 + 38*rng.Float64()}
		end := math.Min(h.T, rng.ExpFloat64()/mu.Rand()) // alive until then
		for t := rng.ExpFloat64() / l; t <= end; t += rng.ExpFloat64() / l {
			h.X++
			h.Tx = t
		}
		out[i] = h
	}
	return out
}
