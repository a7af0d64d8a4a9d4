package keyorder

import (
	"math"
	"slices"
	"testing"
	"time"
)

type persona string

func TestNatural(t *testing.T) {
	ints := []int8{3, -2, 7, 0}
	slices.SortFunc(ints, Natural[int8]())
	if !slices.Equal(ints, []int8{-2, 0, 3, 7}) {
		t.Errorf("int8 keys sorted as %v", ints)
	}
	us := []uint64{math.MaxUint64, 1, 0}
	slices.SortFunc(us, Natural[uint64]())
	if !slices.Equal(us, []uint64{0, 1, math.MaxUint64}) {
		t.Errorf("uint64 keys sorted as %v", us)
	}
	fs := []float64{2.5, math.NaN(), -1}
	slices.SortFunc(fs, Natural[float64]())
	if !math.IsNaN(fs[0]) || fs[1] != -1 || fs[2] != 2.5 {
		t.Errorf("float keys sorted as %v, want NaN first", fs)
	}
	ps := []persona{"senior", "admin", "buyer"}
	slices.SortFunc(ps, Natural[persona]())
	if !slices.Equal(ps, []persona{"admin", "buyer", "senior"}) {
		t.Errorf("named string keys sorted as %v", ps)
	}
	d := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ts := []time.Time{d.AddDate(0, 2, 0), d, d.AddDate(0, 1, 0)}
	slices.SortFunc(ts, Natural[time.Time]())
	if !ts[0].Equal(d) || !ts[2].Equal(d.AddDate(0, 2, 0)) {
		t.Errorf("time keys not chronological: %v", ts)
	}
	if Natural[struct{ A int }]() != nil || Natural[bool]() != nil {
		t.Errorf("keys without a natural order got one")
	}
}
