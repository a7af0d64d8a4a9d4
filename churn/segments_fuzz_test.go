package churn

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

// FuzzBySegment checks the segment report on arbitrary subjects and keys: invalid subjects are
// an error wrapping ErrOutOfRange; otherwise each segment's curve is exactly KaplanMeier of its
// subjects, the pooled curve KaplanMeier of all, the segment tallies of any split merged give
// the same report as one pass, observed events add up, and no statistic is NaN.
func FuzzBySegment(f *testing.F) {
	f.Add([]byte{0, 9, 0, 0, 0, 0, 1, 0, 19, 0, 0, 0, 0, 1, 0, 50, 0, 0, 0, 0, 0}, []byte{0, 1, 2}, uint8(1))
	f.Add([]byte{0, 9, 0, 0, 0, 0, 1, 0, 9, 0, 0, 0, 0, 1, 0, 5, 0, 0, 0, 0, 1, 0, 5, 0, 0, 0, 0, 0}, []byte{3, 3, 1, 1}, uint8(2))
	f.Add([]byte{0xff, 0, 0, 0, 0, 0, 1}, []byte{0}, uint8(0))
	f.Fuzz(func(t *testing.T, data, keys []byte, split uint8) {
		subjects := fuzzSubjects(data)
		if len(keys) == 0 {
			keys = []byte{0}
		}
		key := func(i int) byte { return keys[i%len(keys)] % 5 }
		var invalid error
		for _, s := range subjects {
			if invalid = s.Validate(); invalid != nil {
				break
			}
		}
		opt := SegmentOptions{Pairwise: true}
		rep, err := BySegment(subjects, key, opt)
		switch {
		case len(subjects) == 0:
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("no subjects: %v", err)
			}
			return
		case invalid != nil:
			if !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("invalid subject (%v): %v", invalid, err)
			}
			return
		case err != nil:
			if errors.Is(err, ErrOutOfRange) { // total weight above MaxTotalWeight
				return
			}
			t.Fatalf("valid subjects rejected: %v", err)
		}
		var seg SegmentTally[byte]
		var parts [3]SegmentTally[byte]
		events := 0.0
		for g, s := range rep.Segments {
			var mine []Subject
			for i, sj := range subjects {
				if key(i) == s.Key {
					mine = append(mine, sj)
				}
			}
			want, err := KaplanMeier(mine)
			if err != nil || !reflect.DeepEqual(s.Curve, want) {
				t.Fatalf("segment %v: curve differs from KaplanMeier of its %d subjects (%v)", s.Key, len(mine), err)
			}
			if g > 0 && rep.Segments[g-1].Key >= s.Key {
				t.Fatalf("segments out of order: %v then %v", rep.Segments[g-1].Key, s.Key)
			}
			if math.IsNaN(s.Observed) || math.IsNaN(s.Expected) {
				t.Fatalf("segment %v: O %v E %v", s.Key, s.Observed, s.Expected)
			}
			events += s.Curve.Events
		}
		all, _ := KaplanMeier(subjects)
		if !reflect.DeepEqual(rep.All, all) {
			t.Fatal("pooled curve differs from KaplanMeier")
		}
		if lr := rep.LogRank; lr != nil {
			if math.IsNaN(lr.ChiSquare) || !(lr.P >= 0 && lr.P <= 1) || lr.DF < 1 || lr.DF > len(rep.Segments)-1 {
				t.Fatalf("log-rank %+v", lr)
			}
			o := 0.0
			for _, v := range lr.Observed {
				o += v
			}
			if math.Abs(o-events) > 1e-9*math.Max(1, events) {
				t.Fatalf("observed %v, events %v", o, events)
			}
		}
		for _, pr := range rep.Pairs {
			if (pr.LogRank == nil) != (pr.AdjustedP == nil) {
				t.Fatalf("pair %v–%v: test %v adjusted %v", pr.A, pr.B, pr.LogRank, pr.AdjustedP)
			}
			if pr.LogRank != nil && !(*pr.AdjustedP >= pr.LogRank.P && *pr.AdjustedP <= 1) {
				t.Fatalf("pair %v–%v: p %v adjusted %v", pr.A, pr.B, pr.LogRank.P, *pr.AdjustedP)
			}
		}
		for i, s := range subjects {
			if err := seg.Add(key(i), s); err != nil {
				t.Fatal(err)
			}
			if err := parts[(i+int(split))%3].Add(key(i), s); err != nil {
				t.Fatal(err)
			}
		}
		var merged SegmentTally[byte]
		for k := range parts {
			if err := merged.Merge(&parts[(k+int(split))%3]); err != nil {
				t.Fatal(err)
			}
		}
		for _, st := range []*SegmentTally[byte]{&seg, &merged} {
			got, err := st.Report(opt)
			if err != nil {
				t.Fatal(err)
			}
			if !reportsEqual(got, rep, 1e-9) {
				t.Fatal("segment tally report differs from BySegment")
			}
		}
	})
}
