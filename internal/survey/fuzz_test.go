package survey

import (
	"errors"
	"math"
	"testing"

	"github.com/cxkit/cxkit"
)

// FuzzCompare feeds arbitrary Result fields (as a caller could decode them from JSON) to the
// comparisons and intervals: nothing may panic, every error must wrap a sentinel, and a
// comparison returned has a positive standard error and P in [0, 1].
func FuzzCompare(f *testing.F) {
	f.Add(20.0, 20.0, 15.0, 3.75, 3.75, 20.0, 20.0, 8.0, 3.4, 4.8)
	f.Add(1.0, 1.0, 1.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Add(math.Inf(1), math.NaN(), -1.0, 2.0, 1e308, 3.0, 0.5, 4.0, 1.0, 1.0)
	f.Fuzz(func(t *testing.T, n1, e1, top1, m1, ss1, n2, e2, top2, m2, ss2 float64) {
		s := testKind.Default
		a := Result{Scale: s, Responses: 1, N: n1, EffectiveN: e1, Top: top1, Mean: m1, SumSqDev: ss1}
		b := Result{Scale: s, Responses: 1, N: n2, EffectiveN: e2, Top: top2, Mean: m2, SumSqDev: ss2}
		for _, cmp := range []func(*Kind, Result, Result) (cxkit.Comparison, error){Compare, CompareMeans} {
			c, err := cmp(testKind, a, b)
			if err != nil {
				if !errors.Is(err, cxkit.ErrEmpty) && !errors.Is(err, cxkit.ErrOutOfRange) && !errors.Is(err, cxkit.ErrInvalid) && !errors.Is(err, cxkit.ErrTooSmall) {
					t.Fatalf("error without a sentinel: %v", err)
				}
				continue
			}
			// A comparison that is returned never rests on a zero standard error.
			if !(c.StdErr > 0) || !(c.P >= 0 && c.P <= 1) {
				t.Fatalf("comparison %+v of %+v and %+v", c, a, b)
			}
		}
		for _, r := range []Result{a, b} {
			iv := r.Interval(0.95)
			if !math.IsNaN(iv.Lower) && !(iv.Lower >= 0 && iv.Upper <= 100 && iv.Lower <= iv.Upper) {
				t.Fatalf("interval %v out of [0, 100] for %+v", iv, r)
			}
			mi := r.MeanInterval(0.95)
			if !math.IsNaN(mi.Lower) && !(mi.Lower >= float64(s.Min) && mi.Lower <= mi.Upper && mi.Upper <= float64(s.Max)) {
				t.Fatalf("mean interval %v off the scale for %+v", mi, r)
			}
			_, _, _, _ = r.Score(), r.StdErr(), r.Net(), r.StdDev()
		}
	})
}
