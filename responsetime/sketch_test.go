package responsetime

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
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

// TestDurIndexIsTheMapping checks the table-driven durIndex against sketches-go's
// CubicallyInterpolatedMapping.Index: at both ends of every table cell, at and around every
// bin boundary the table records (±64 representable values, where a non-monotone rounding of
// the cubic would show), on every power of two and their neighbours, and on two million random
// durations, uniform and log-uniform over 1 ns .. 292 years.
func TestDurIndexIsTheMapping(t *testing.T) {
	check := func(d time.Duration) {
		if got, want := durIndex(d), sketchMapping.Index(float64(d)); got != want {
			t.Fatalf("durIndex(%d) = %d, mapping.Index = %d", int64(d), got, want)
		}
	}
	checkBits := func(b uint64) {
		v := math.Float64frombits(b)
		if v < 1 || v > float64(math.MaxInt64) {
			return
		}
		// d = v exactly when v < 2^63: the floats of these cells are integers from 2^52 on; below,
		// durIndex sees float64(d) for the integer d, so check the integers around v.
		if v >= 1<<52 {
			check(time.Duration(v))
			return
		}
		for _, d := range []float64{math.Floor(v), math.Ceil(v)} {
			if d >= 1 {
				check(time.Duration(d))
			}
		}
	}
	boundaries := 0
	for k, e := range durIndexTable {
		lo := (durKeyBase + uint64(k)) << durLowBits
		checkBits(lo)
		checkBits(lo + durLowMask)
		if th := durThreshold(e); th != durNoBoundary {
			if math.Float64frombits(lo+th) <= float64(math.MaxInt64) {
				boundaries++
			}
			for j := -64; j <= 64; j++ {
				checkBits(uint64(int64(lo+th) + int64(j)))
			}
		}
	}
	// One boundary a bin: the cells meet every bin boundary from 1 ns to 2^63 ns but those
	// that fall exactly on a cell edge.
	if n := maxSketchIndex - minSketchIndex; boundaries > n || boundaries < n*9/10 {
		t.Fatalf("%d bin boundaries inside cells, for %d bins", boundaries, n)
	}
	for e := 0; e < 63; e++ {
		d := time.Duration(1) << e
		check(d)
		check(d + 1)
		if d > 1 {
			check(d - 1)
		}
	}
	check(math.MaxInt64)
	r := rand.New(rand.NewPCG(3, 4))
	for range 1_000_000 {
		check(time.Duration(r.Int64N(math.MaxInt64-1) + 1))
		check(time.Duration(math.Exp(r.Float64()*43)) + 1)
	}
}

var indexSink int

// BenchmarkSketchIndex compares the two ways of finding a duration's bin on the same 4096
// log-normal first-response times: the cubic evaluated (sketchIndex, as sketches-go does) and
// the table (durIndex, the Add path's).
func BenchmarkSketchIndex(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	ds := make([]time.Duration, 4096)
	for i := range ds {
		ds[i] = time.Duration(math.Exp(r.NormFloat64()*1.5)*float64(time.Hour)) + 1
	}
	b.Run("cubic", func(b *testing.B) {
		s := 0
		for i := 0; b.Loop(); i++ {
			s += sketchIndex(float64(ds[i&4095]))
		}
		indexSink += s
	})
	b.Run("table", func(b *testing.B) {
		s := 0
		for i := 0; b.Loop(); i++ {
			s += durIndex(ds[i&4095])
		}
		indexSink += s
	})
}
