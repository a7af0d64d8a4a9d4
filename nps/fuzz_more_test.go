package nps

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/cxkit/cxkit"
)

// fuzzWeight turns a byte into a weight: mostly small dyadic values (sums stay exact, so a
// merged split must equal one pass bit for bit), sometimes an extreme or invalid one.
func fuzzWeight(b byte) float64 {
	switch b {
	case 255:
		return 1e155
	case 254:
		return math.NaN()
	case 253:
		return -1
	case 252:
		return math.Inf(1)
	case 251:
		return 1e100
	case 250:
		return 1e-101
	}
	return float64(b%16) / 4
}

// resultsClose reports whether two results of the same answers agree to floating-point
// rounding: equal counts, and every figure within 1e-12 relative (or 1e-12 absolute near 0).
func resultsClose(a, b Result) bool {
	if a.Responses != b.Responses {
		return false
	}
	fa := []float64{a.N, a.EffectiveN, a.Promoters, a.Passives, a.Detractors, a.PctPromoters, a.PctPassives, a.PctDetractors, a.Score, a.StdErr}
	fb := []float64{b.N, b.EffectiveN, b.Promoters, b.Passives, b.Detractors, b.PctPromoters, b.PctPassives, b.PctDetractors, b.Score, b.StdErr}
	for i := range fa {
		if d := math.Abs(fa[i] - fb[i]); !(d <= 1e-12*math.Max(1, math.Max(math.Abs(fa[i]), math.Abs(fb[i])))) {
			return false
		}
	}
	return true
}

// FuzzTallyAddWeighted: AddWeighted accepts exactly the ratings 0..10 with weights 0 or in
// [1e-100, 1e100], rejects the others with ErrOutOfRange leaving the tally unchanged; a split
// merged gives the one-pass tally (its result, to rounding, where squared weights round); the
// result has no NaN; both encodings round-trip.
func FuzzTallyAddWeighted(f *testing.F) {
	f.Add([]byte{10, 4, 9, 1, 0, 8, 7, 3}, uint8(3))
	f.Add([]byte{11, 4, 10, 255, 3, 254}, uint8(1))
	f.Add([]byte{10, 251, 0, 251}, uint8(0))
	// Found by CI's fuzz run: six weights of 1e100, split after two; Σw² = 6e200 one way and
	// 5.999999999999999e200 the other.
	f.Add([]byte{11, 251, 9, 251, 11, 251, 11, 251, 9, 251, 11, 251, 1, 0, 1, 0}, uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, cut uint8) {
		var one, left, right Tally
		for i := 0; i+1 < len(b); i += 2 {
			r, w := int(b[i])-1, fuzzWeight(b[i+1])
			before := one
			err := one.AddWeighted(r, w)
			valid := r >= 0 && r <= 10 && (w == 0 || (w >= 1e-100 && w <= 1e100))
			if valid != (err == nil) {
				t.Fatalf("AddWeighted(%d, %v) = %v", r, w, err)
			}
			if err != nil {
				if !errors.Is(err, ErrOutOfRange) || one != before {
					t.Fatalf("bad error or changed tally: %v", err)
				}
				continue
			}
			side := &left
			if i/2 >= int(cut)%8 {
				side = &right
			}
			if err := side.AddWeighted(r, w); err != nil {
				t.Fatal(err)
			}
		}
		if err := left.Merge(&right); err != nil {
			t.Fatal(err)
		}
		// The tallies are equal when the weight sums are exact (unit or quarter weights); with
		// weights like 1e100, whose squares round, Σw² may differ in the last bit by the order
		// of the additions (the Tally doc: "up to floating-point rounding of weight sums"), so
		// then the results must agree to rounding.
		if left != one {
			rl, errL := left.Result()
			ro, errO := one.Result()
			if (errL == nil) != (errO == nil) || errL == nil && !resultsClose(rl, ro) {
				t.Fatalf("merged split %+v (%+v, %v) differs from one pass %+v (%+v, %v)", left, rl, errL, one, ro, errO)
			}
		}
		res, err := one.Result()
		if err == nil {
			for _, x := range []float64{res.Score, res.StdErr, res.EffectiveN} {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("non-finite result %+v", res)
				}
			}
		} else if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrOutOfRange) {
			t.Fatalf("Result error %v", err)
		}
		bin, _ := one.MarshalBinary()
		js, _ := json.Marshal(&one)
		var fromBin, fromJSON Tally
		if err := fromBin.UnmarshalBinary(bin); err != nil || fromBin != one {
			t.Fatalf("binary round trip: %v", err)
		}
		if err := json.Unmarshal(js, &fromJSON); err != nil {
			t.Fatalf("JSON round trip: %v", err)
		}
		if r1, e1 := fromJSON.Result(); (e1 == nil) != (err == nil) || (e1 == nil && r1 != res) {
			t.Fatalf("JSON round trip changed the result")
		}
	})
}

// FuzzSampleSize: every planner returns an error wrapping ErrOutOfRange, or a positive size
// that is the formula rounded up (never a wrapped-around negative number).
func FuzzSampleSize(f *testing.F) {
	f.Add(5.0, 0.95, 50.0, 20.0, 0.8)
	f.Add(1e-8, 0.95, 50.0, 50.0, 0.8)
	f.Add(5.0, 0.9999999999999999, 30.0, 10.0, 0.99)
	f.Fuzz(func(t *testing.T, margin, conf, pro, det, power float64) {
		check := func(name string, n int, err error, formula func() float64) {
			if err != nil {
				if !errors.Is(err, ErrOutOfRange) {
					t.Fatalf("%s: error %v does not wrap ErrOutOfRange", name, err)
				}
				return
			}
			want := formula()
			if n < 1 || float64(n) < want*(1-2e-9) || (want >= 1 && float64(n-1) > want*(1+2e-9)) {
				t.Fatalf("%s = %d, formula %v", name, n, want)
			}
		}
		z := func(c float64) float64 { return -cxkitNormalQuantile((1 - c) / 2) }
		v := func() float64 { p, d := pro/100, det/100; return p + d - (p-d)*(p-d) }
		n, err := SampleSize(margin, conf)
		check("SampleSize", n, err, func() float64 { return sq(100 * z(conf) / margin) })
		n, err = SampleSizeExpected(pro, det, margin, conf)
		check("SampleSizeExpected", n, err, func() float64 { return sq(z(conf)) * v() * 1e4 / sq(margin) })
		n, err = SampleSizeDifference(pro, det, margin, conf, power)
		check("SampleSizeDifference", n, err, func() float64 {
			s := z(conf) + z(2*power-1)
			return s * s * 2 * v() * 1e4 / sq(margin)
		})
	})
}

func sq(x float64) float64 { return x * x }

// cxkitNormalQuantile is the standard normal quantile, from the root package's Estimate
// interval (gonum's distuv underneath): Interval(c) of {0, 1} has Upper = Φ⁻¹(0.5 + c/2).
func cxkitNormalQuantile(p float64) float64 {
	return -cxkit.Estimate{Value: 0, StdErr: 1}.Interval(1 - 2*p).Upper
}

// fuzzTally builds a tally from bytes (one rating per byte, modulo 11).
func fuzzTally(b []byte) Tally {
	var tl Tally
	for _, x := range b {
		_ = tl.Add(int(x % 11))
	}
	return tl
}

// FuzzCompare: Compare errors (ErrEmpty, ErrTooSmall) or gives a finite difference, a positive
// standard error, P in [0, 1], and the mirror comparison for b − a.
func FuzzCompare(f *testing.F) {
	f.Add([]byte{10}, []byte{0})
	f.Add([]byte{10, 9, 0, 7}, []byte{3, 9, 10, 8, 2})
	f.Add([]byte{}, []byte{10})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ta, tb := fuzzTally(a), fuzzTally(b)
		ra, _ := ta.Result()
		rb, _ := tb.Result()
		c, err := Compare(ra, rb)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrTooSmall) {
				t.Fatalf("error %v wraps no documented sentinel", err)
			}
			return
		}
		if !(c.StdErr > 0) || math.IsInf(c.Z, 0) || math.IsNaN(c.Z) || !(c.P >= 0 && c.P <= 1) {
			t.Fatalf("bad comparison %+v", c)
		}
		m, err := Compare(rb, ra)
		if err != nil || m.Z != -c.Z || m.P != c.P {
			t.Fatalf("mirror %+v (%v) of %+v", m, err, c)
		}
	})
}

// FuzzGroups: groups hold exactly the keys with an accepted answer, in ascending order; the
// total is the pooled one-pass result; every report row names the key it compared with, and
// Holm-adjusted p-values lie between the raw p-value and 1.
func FuzzGroups(f *testing.F) {
	f.Add([]byte{1, 10, 4, 2, 0, 4, 1, 9, 4, 3, 7, 4, 2, 9, 4})
	f.Add([]byte{0, 11, 4, 5, 3, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var g Groups[int8]
		var all Tally
		has := map[int8]bool{}
		for i := 0; i+2 < len(b); i += 3 {
			key, r, w := int8(b[i]%6)-2, int(b[i+1]), fuzzWeight(b[i+2])
			if b[i]%7 == 6 {
				_ = g.Tally(key) // asked for, not filled: no group
				continue
			}
			err := g.AddWeighted(key, r, w)
			if errAll := all.AddWeighted(r, w); (err == nil) != (errAll == nil) {
				t.Fatalf("group add %v, plain add %v", err, errAll)
			}
			if err == nil {
				has[key] = true
			}
		}
		keys := g.Keys()
		if len(keys) != len(has) {
			t.Fatalf("keys %v, want those of %v", keys, has)
		}
		for i, k := range keys {
			if !has[k] || (i > 0 && keys[i-1] >= k) {
				t.Fatalf("keys %v not the ascending set of %v", keys, has)
			}
		}
		tot, err := g.Total()
		want, errW := all.Result()
		if (err == nil) != (errW == nil) || (err == nil && math.Abs(tot.Score-want.Score) > 1e-9*math.Max(1, math.Abs(want.Score))) {
			t.Fatalf("total %v (%v), one pass %v (%v)", tot, err, want, errW)
		}
		rows, err := g.Report(30)
		if len(keys) == 0 {
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("report of no groups: %v", err)
			}
			return
		}
		if err != nil || len(rows) != len(keys) {
			t.Fatalf("report: %d rows, %v", len(rows), err)
		}
		for i, row := range rows {
			if row.Key != keys[i] {
				t.Fatalf("row %d key %v", i, row.Key)
			}
			if (row.VsPrevious == nil) != (row.Previous == nil) || (row.Previous != nil && *row.Previous != keys[i-1]) {
				t.Fatalf("row %d: VsPrevious %v against %v", i, row.VsPrevious, row.Previous)
			}
			for _, pair := range []struct {
				c   *cxkit.Comparison
				adj *float64
			}{{row.VsPrevious, row.VsPreviousAdjustedP}, {row.VsRest, row.VsRestAdjustedP}} {
				if (pair.c == nil) != (pair.adj == nil) {
					t.Fatalf("row %d: comparison and adjusted p disagree", i)
				}
				if pair.c != nil && !(*pair.adj >= pair.c.P && *pair.adj <= 1) {
					t.Fatalf("row %d: adjusted p %v for p %v", i, *pair.adj, pair.c.P)
				}
			}
		}
	})
}
