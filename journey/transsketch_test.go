package journey

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/DataDog/sketches-go/ddsketch"
)

// TestTransSketchIsDDSketch feeds the same values to a transSketch and to sketches-go's
// LogUnboundedDenseDDSketch(0.01), the sketch PathAnalyzer used before, and checks that every
// quantile (0, 0.001, ..., 1) is equal bit for bit: spans of 0 s, sub-nanosecond-scale
// floats, seconds to decades, on small and large sketches, added in increasing, decreasing and
// random order (so that the dense array grows on both sides).
func TestTransSketchIsDDSketch(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 16))
	draws := map[string]func() float64{
		"lognormal": func() float64 { return math.Exp(r.NormFloat64()*3 + 5) },
		"with zeros": func() float64 {
			if r.IntN(4) == 0 {
				return 0
			}
			return float64(r.IntN(86400))
		},
		"tiny and huge": func() float64 { return math.Exp(r.Float64()*60 - 30) },
		"constant":      func() float64 { return 3600 },
	}
	for name, draw := range draws {
		for _, n := range []int{1, 2, 3, 10, 1000, 100_000} {
			for _, order := range []string{"random", "up", "down"} {
				vals := make([]float64, n)
				for i := range vals {
					vals[i] = draw()
				}
				switch order {
				case "up":
					sortFloats(vals, false)
				case "down":
					sortFloats(vals, true)
				}
				var s transSketch
				d, err := ddsketch.LogUnboundedDenseDDSketch(0.01)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range vals {
					s.add(v)
					if err := d.Add(v); err != nil {
						t.Fatal(err)
					}
				}
				c := s.clone()
				for k := 0; k <= 1000; k++ {
					q := float64(k) / 1000
					want, err := d.GetValueAtQuantile(q)
					if err != nil {
						t.Fatal(err)
					}
					if got := s.quantile(q); math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("%s, n=%d, %s: quantile(%v) = %v, ddsketch %v", name, n, order, q, got, want)
					}
					if got := c.quantile(q); math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("clone: %s, n=%d, %s: quantile(%v) = %v, ddsketch %v", name, n, order, q, got, want)
					}
				}
			}
		}
	}
}

func sortFloats(x []float64, desc bool) {
	slices.Sort(x)
	if desc {
		slices.Reverse(x)
	}
}

// TestTransSketchCountWraps: a bin count that passes 2^32 − 1 carries on exactly (the 4-byte
// bins carry into a map), here by starting a bin just below the wrap.
func TestTransSketchCountWraps(t *testing.T) {
	var s transSketch
	s.add(60)
	s.add(7200)
	i := transMapping.Index(60)
	s.counts[i-s.offset] = math.MaxUint32 - 1
	s.total = math.MaxUint32 // the two adds and the count set above
	for range 3 {
		s.add(60)
	}
	// 2^32 + 1 values in the bin of 60 s, one in that of 7200 s: every quantile but the top is
	// in the first bin, and the top in the second.
	if got, want := s.carry[i]+int(s.counts[i-s.offset]), 1<<32+1; got != want {
		t.Fatalf("bin count %d, want %d", got, want)
	}
	if got, want := s.quantile(0.999999), transMapping.Value(i); got != want {
		t.Fatalf("quantile(0.999999) = %v, want %v", got, want)
	}
	if got, want := s.quantile(1), transMapping.Value(transMapping.Index(7200)); got != want {
		t.Fatalf("quantile(1) = %v, want %v", got, want)
	}
	if c := s.clone(); c.carry[i] != s.carry[i] || &c.counts[0] == &s.counts[0] {
		t.Fatal("clone shares or drops the carry")
	}
}
