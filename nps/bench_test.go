package nps

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"
)

const benchN = 10_000_000

func benchRatings() []uint8 {
	rng := rand.New(rand.NewPCG(42, 42))
	b := make([]uint8, benchN)
	for i := range b {
		b[i] = uint8(rng.IntN(11))
	}
	return b
}

// BenchmarkScoreUint8 scores 10 M ratings held as bytes (the SWAR fast path).
func BenchmarkScoreUint8(b *testing.B) {
	data := benchRatings()
	b.SetBytes(benchN) // one byte per rating: MB/s reads as M ratings/s
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/rating")
}

// BenchmarkScoreInt scores 10 M ratings held as []int (the generic path).
func BenchmarkScoreInt(b *testing.B) {
	src := benchRatings()
	data := make([]int, len(src))
	for i, x := range src {
		data[i] = int(x)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/rating")
}

// BenchmarkTallyAdd adds one rating at a time.
func BenchmarkTallyAdd(b *testing.B) {
	src := benchRatings()[:1<<16]
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

var benchSink int

// BenchmarkScoreBandwidth scores 64 MiB of ratings and reports the fraction of memory
// bandwidth reached: the bytes scored per second over the bytes a plain copy and a plain
// byte sum of the same slice move per second, timed right after on the same slice
// (frac-of-copy, frac-of-sum). Sub-benchmarks give the serial count, the parallel Score and the two
// baselines, so benchstat shows them side by side.
func BenchmarkScoreBandwidth(b *testing.B) {
	const n = 64 << 20
	src := make([]uint8, n)
	for i := range src {
		src[i] = uint8((i*7 + i>>9) % 11)
	}
	dst := make([]uint8, n)
	rate := func(f func()) float64 { // bytes per second of the best of five runs
		best := time.Duration(math.MaxInt64)
		for range 5 {
			t0 := time.Now()
			f()
			best = min(best, time.Since(t0))
		}
		return n / best.Seconds()
	}
	run := func(name string, f func()) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(n)
			for b.Loop() {
				f()
			}
			bw := float64(n) * float64(b.N) / b.Elapsed().Seconds()
			// The baselines are timed right after, on the same slice, so that the ratios
			// compare figures taken under the same load of the shared machine.
			b.StopTimer()
			b.ReportMetric(bw/rate(func() { copy(dst, src) }), "frac-of-copy")
			b.ReportMetric(bw/rate(func() {
				s := 0
				for _, x := range src {
					s += int(x)
				}
				benchSink += s
			}), "frac-of-sum")
		})
	}
	run("copy", func() { copy(dst, src) })
	run("sum", func() {
		s := 0
		for _, x := range src {
			s += int(x)
		}
		benchSink += s
	})
	run("serial", func() {
		c, _ := countBytes(src)
		benchSink += c[cPro]
	})
	run("Score", func() {
		r, err := Score(src)
		if err != nil {
			b.Fatal(err)
		}
		benchSink += r.Responses
	})
}

// BenchmarkScore1e8 scores 1e8 ratings held as bytes, the size of the issue 16 measurement
// (bench/nps). Run with -cpu 1,2 to compare the serial count (GOMAXPROCS 1) with the parallel
// one; MB/s reads as M ratings/s. Two controls, timed alike, tell the count's scaling from the
// machine's: "spin" is a fixed amount of pure arithmetic (no memory traffic) cut into one part
// per GOMAXPROCS, so its -cpu 2 speed-up is the second core's capacity at the moment of the
// run; "sum" adds the bytes of the same slice on the same parts (memory bandwidth).
func BenchmarkScore1e8(b *testing.B) {
	const n = 100_000_000
	rng := rand.New(rand.NewPCG(2026, 16))
	data := make([]uint8, n)
	for i := range data {
		data[i] = uint8(rng.IntN(11))
	}
	split := func(f func(lo, hi int) int) int {
		parts := runtime.GOMAXPROCS(0)
		out := make([]int, parts)
		var wg sync.WaitGroup
		for p := range parts {
			wg.Go(func() { out[p] = f(p*n/parts, (p+1)*n/parts) })
		}
		wg.Wait()
		t := 0
		for _, x := range out {
			t += x
		}
		return t
	}
	b.Run("Score", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Score(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("spin", func(b *testing.B) {
		b.SetBytes(n)
		for b.Loop() {
			benchSink += split(func(lo, hi int) int {
				x := uint64(lo) | 1
				for i := lo; i < hi; i += 4 { // about as many cycles a byte as the count
					x ^= x << 13
					x ^= x >> 7
					x ^= x << 17
				}
				return int(x & 1)
			})
		}
	})
	b.Run("sum", func(b *testing.B) {
		b.SetBytes(n)
		for b.Loop() {
			benchSink += split(func(lo, hi int) int {
				s := 0
				for _, x := range data[lo:hi] {
					s += int(x)
				}
				return s
			})
		}
	})
}
