package ces

import (
	"math/rand/v2"
	"testing"
)

const benchN = 10_000_000

func benchRatings(s Scale) []uint8 {
	rng := rand.New(rand.NewPCG(42, 42))
	b := make([]uint8, benchN)
	for i := range b {
		b[i] = uint8(s.Min + rng.IntN(s.Max-s.Min+1))
	}
	return b
}

// BenchmarkScoreUint8 scores 10 M ratings held as bytes (the fast path).
func BenchmarkScoreUint8(b *testing.B) {
	for _, s := range []Scale{FivePointEffort, SevenPoint} {
		b.Run(s.String(), func(b *testing.B) {
			data := benchRatings(s)
			b.SetBytes(benchN) // one byte per rating: MB/s reads as M ratings/s
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Score(s, data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/rating")
		})
	}
}

// BenchmarkScoreInt scores 10 M ratings held as []int (the generic path).
func BenchmarkScoreInt(b *testing.B) {
	src := benchRatings(FivePoint)
	data := make([]int, len(src))
	for i, x := range src {
		data[i] = int(x)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(FivePoint, data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/rating")
}

// BenchmarkTallyAdd adds one rating at a time.
func BenchmarkTallyAdd(b *testing.B) {
	src := benchRatings(FivePoint)[:1<<16]
	var t Tally
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := t.Add(int(src[i&(1<<16-1)])); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkTallyResult computes a Result from a tally (score, mean and their spreads).
func BenchmarkTallyResult(b *testing.B) {
	var t Tally
	for _, x := range benchRatings(FivePoint)[:1000] {
		_ = t.Add(int(x))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := t.Result(); err != nil {
			b.Fatal(err)
		}
	}
}
