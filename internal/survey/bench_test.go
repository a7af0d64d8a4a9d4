package survey

import (
	"math/rand/v2"
	"testing"
)

var testKind = &Kind{Name: "test", Tag: "TEST", Good: "good", Bad: "bad",
	Default: Scale{Min: 1, Max: 5, TopBoxes: 2, BottomBoxes: 2}, Reversible: true, Bottom: true}

const benchN = 10_000_000

func benchBytes(s Scale) []uint8 {
	rng := rand.New(rand.NewPCG(42, 42))
	b := make([]uint8, benchN)
	for i := range b {
		b[i] = uint8(s.Min + rng.IntN(s.Points()))
	}
	return b
}

// BenchmarkScoreUint8 scores 10 M byte ratings (the SWAR path) on 5-, 7- and 11-point scales.
func BenchmarkScoreUint8(b *testing.B) {
	for _, s := range []Scale{
		{Min: 1, Max: 5, TopBoxes: 2},
		{Min: 1, Max: 7, TopBoxes: 3, BottomBoxes: 3},
		{Min: 0, Max: 10, TopBoxes: 2},
	} {
		b.Run(testKind.Describe(s), func(b *testing.B) {
			data := benchBytes(s)
			b.SetBytes(benchN) // MB/s reads as M ratings/s
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Score(testKind, s, data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/rating")
		})
	}
}
