package responsetime

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSketchIndexIsTheMapping checks the inline index against sketches-go's
// CubicallyInterpolatedMapping.Index on every power of two from 1 ns to 2^63 ns, their
// neighbours, and a million random durations: the Tracker's bins are the library's bins, so
// the library's relative-accuracy guarantee applies.
func TestSketchIndexIsTheMapping(t *testing.T) {
	check := func(v float64) {
		if got, want := sketchIndex(v), sketchMapping.Index(v); got != want {
			t.Fatalf("sketchIndex(%v) = %d, mapping.Index = %d", v, got, want)
		}
	}
	for e := 0; e < 63; e++ {
		v := math.Ldexp(1, e)
		check(v)
		check(math.Nextafter(v, 0))
		check(math.Nextafter(v, math.Inf(1)))
	}
	check(float64(math.MaxInt64))
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		check(float64(r.Int64N(math.MaxInt64-1) + 1))
		check(math.Exp(r.Float64() * 43)) // log-uniform over 1 ns .. 150 years
	}
}
