package journey

import (
	"math"
	"slices"
	"strconv"
	"testing"
	"time"
)

// eventsFromBytes decodes 3 bytes per event: customer (0..7), touchpoint (0..4), minute.
func eventsFromBytes(b []byte) []Event {
	var ev []Event
	for i := 0; i+2 < len(b); i += 3 {
		ev = append(ev, Event{
			Customer:   "c" + strconv.Itoa(int(b[i]%8)),
			Touchpoint: "t" + strconv.Itoa(int(b[i+1]%5)),
			Time:       tpath0.Add(time.Duration(b[i+2]) * time.Minute),
		})
	}
	return ev
}

// Invariants: counts never grow along the funnel and match FromStart; rates lie in [0, 1];
// drop-off adds up; reversing the input (ties aside, which reversal may reorder) is checked by
// feeding the streaming counter the events sorted by customer, which must equal the one-call
// result; a wider window never loses customers.
func FuzzFunnel(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 1, 2, 0, 2, 3, 1, 0, 5, 1, 2, 6}, uint8(0), uint8(0))
	f.Add([]byte{3, 1, 9, 3, 0, 8, 3, 2, 200}, uint8(2), uint8(10))
	f.Fuzz(func(t *testing.T, b []byte, mode, window uint8) {
		ev := eventsFromBytes(b)
		steps := []string{"t0", "t1", "t2"}
		opt := FunnelOptions{Order: FunnelOrder(mode % 3), Window: time.Duration(window) * time.Minute}
		r, err := Funnel(ev, steps, opt)
		if err != nil {
			if !slices.ContainsFunc(ev, func(e Event) bool { return e.Touchpoint == "t0" }) {
				return // ErrEmpty: nobody reached step 1
			}
			t.Fatalf("Funnel: %v", err)
		}
		for i, s := range r.Steps {
			if i > 0 && s.Customers > r.Steps[i-1].Customers {
				t.Fatalf("step %d has more customers than step %d: %+v", i+1, i, r.Steps)
			}
			if i > 0 && s.DropOff != r.Steps[i-1].Customers-s.Customers {
				t.Fatalf("drop-off %d at step %d", s.DropOff, i+1)
			}
			if s.FromStart < 0 || s.FromStart > 1 || math.Abs(s.FromStart*float64(r.Steps[0].Customers)-float64(s.Customers)) > 1e-9 {
				t.Fatalf("from start %v at step %d", s.FromStart, i+1)
			}
			if !(s.FromStartInterval.Lower <= s.FromStart && s.FromStart <= s.FromStartInterval.Upper) {
				t.Fatalf("interval %v misses %v", s.FromStartInterval, s.FromStart)
			}
			if s.MedianFromPrevious < 0 || s.P90FromPrevious < s.MedianFromPrevious {
				t.Fatalf("times %v %v", s.MedianFromPrevious, s.P90FromPrevious)
			}
		}
		sorted := slices.Clone(ev)
		slices.SortStableFunc(sorted, func(a, b Event) int { return compareStrings(a.Customer, b.Customer) })
		fc, err := NewFunnelCounter(steps, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range sorted {
			if err := fc.Add(e); err != nil {
				t.Fatal(err)
			}
		}
		s, err := fc.Result()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(reached(s), reached(r)) {
			t.Fatalf("stream %v, one call %v", reached(s), reached(r))
		}
		if opt.Window > 0 {
			wide, err := Funnel(ev, steps, FunnelOptions{Order: opt.Order})
			if err != nil {
				t.Fatal(err)
			}
			for i := range wide.Steps {
				if wide.Steps[i].Customers < r.Steps[i].Customers {
					t.Fatalf("no window %v < window %v", reached(wide), reached(r))
				}
			}
		}
	})
}

// Invariants of the path analysis: the frequent paths count every customer once, each step
// matrix column sums to 1, path ends sum to the customers, transitions to events − customers
// (without collapsing).
func FuzzAnalyzePaths(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 1, 2, 0, 2, 3, 1, 0, 5, 1, 2, 6}, uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, maxLen uint8) {
		ev := eventsFromBytes(b)
		r, err := AnalyzePaths(ev, PathOptions{MaxLength: int(maxLen%12) + 1, Top: -1})
		if len(ev) == 0 {
			if err == nil {
				t.Fatal("no error for no events")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		var top, ends, trans int
		for _, p := range r.Top {
			top += p.Customers
		}
		for _, e := range r.Ends {
			ends += e.Customers
		}
		for _, tr := range r.Transitions {
			trans += tr.Count
		}
		if top != r.Customers || ends != r.Customers || trans != len(ev)-r.Customers {
			t.Fatalf("top %d, ends %d, transitions %d for %d customers, %d events", top, ends, trans, r.Customers, len(ev))
		}
		for k := range r.StepMatrix.Ended {
			sum := r.StepMatrix.Ended[k]
			for i := range r.StepMatrix.Share {
				sum += r.StepMatrix.Share[i][k]
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("column %d sums to %v", k+1, sum)
			}
		}
	})
}
