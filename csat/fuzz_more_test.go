package csat

import (
	"errors"
	"math"
	"testing"

	"github.com/cxkit/cxkit"
)

// FuzzSampleSize: every planner returns an error wrapping ErrOutOfRange, or a positive size
// that is the formula rounded up (never a wrapped-around negative number).
func FuzzSampleSize(f *testing.F) {
	f.Add(5.0, 0.95, 80.0, 0.8)
	f.Add(1e-8, 0.95, 50.0, 0.8)
	f.Add(5.0, 0.9999999999999999, 30.0, 0.99)
	f.Fuzz(func(t *testing.T, margin, conf, pct, power float64) {
		z := func(c float64) float64 { return cxkit.Estimate{StdErr: 1}.Interval(c).Upper }
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
		p := pct / 100
		n, err := SampleSize(margin, conf)
		check("SampleSize", n, err, func() float64 { return z(conf) * z(conf) * 0.25 * 1e4 / (margin * margin) })
		n, err = SampleSizeExpected(pct, margin, conf)
		check("SampleSizeExpected", n, err, func() float64 { return z(conf) * z(conf) * p * (1 - p) * 1e4 / (margin * margin) })
		n, err = SampleSizeDifference(pct, margin, conf, power)
		check("SampleSizeDifference", n, err, func() float64 {
			s := z(conf) + z(2*power-1)
			return s * s * 2 * p * (1 - p) * 1e4 / (margin * margin)
		})
	})
}

// FuzzGroupsAndCompare: groups hold exactly the keys with an accepted answer, in ascending
// order; the total is the one-pass result; report rows name the key they compared with;
// adjusted p-values lie between the raw p-value and 1; every comparison is finite with P in
// [0, 1], or an error wrapping ErrTooSmall or ErrEmpty.
func FuzzGroupsAndCompare(f *testing.F) {
	f.Add([]byte{1, 5, 4, 2, 1, 4, 1, 4, 4, 3, 3, 4, 2, 5, 4})
	f.Add([]byte{0, 6, 4, 5, 3, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var g Groups[int8]
		var all Tally
		has := map[int8]bool{}
		for i := 0; i+2 < len(b); i += 3 {
			key, r, w := int8(b[i]%6)-2, int(b[i+1]), float64(b[i+2]%16)/4
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
		if (err == nil) != (errW == nil) || (err == nil && math.Abs(tot.Score-want.Score) > 1e-9) {
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
			if row.Key != keys[i] || (row.VsPrevious == nil) != (row.Previous == nil) || (row.Previous != nil && *row.Previous != keys[i-1]) {
				t.Fatalf("row %d: key %v, VsPrevious %v against %v", i, row.Key, row.VsPrevious, row.Previous)
			}
			for _, pair := range []struct {
				c   *cxkit.Comparison
				adj *float64
			}{{row.VsPrevious, row.VsPreviousAdjustedP}, {row.VsRest, row.VsRestAdjustedP}} {
				if (pair.c == nil) != (pair.adj == nil) || (pair.c != nil && !(*pair.adj >= pair.c.P && *pair.adj <= 1)) {
					t.Fatalf("row %d: comparison %v, adjusted p %v", i, pair.c, pair.adj)
				}
			}
			if i == 0 {
				continue
			}
			for _, cmp := range []func(a, b Result) (cxkit.Comparison, error){Compare, CompareMeans} {
				c, err := cmp(row.Result, rows[i-1].Result)
				if err != nil {
					if !errors.Is(err, ErrTooSmall) && !errors.Is(err, ErrEmpty) {
						t.Fatalf("compare error %v wraps no documented sentinel", err)
					}
					continue
				}
				if math.IsNaN(c.Z) || math.IsInf(c.Z, 0) || !(c.StdErr > 0) || !(c.P >= 0 && c.P <= 1) {
					t.Fatalf("bad comparison %+v", c)
				}
			}
		}
	})
}
