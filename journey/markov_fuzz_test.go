package journey

import (
	"errors"
	"strconv"
	"testing"
	"time"
)

// pathsFromBytes decodes paths: a length byte (1..6), touchpoint bytes (0..5), conversions
// and nulls bytes (0..3).
func pathsFromBytes(b []byte) []Path {
	var paths []Path
	for len(b) >= 3 {
		n := int(b[0]%6) + 1
		b = b[1:]
		if len(b) < n+2 {
			break
		}
		tp := make([]string, n)
		for i := range tp {
			tp[i] = "t" + strconv.Itoa(int(b[i]%6))
		}
		c, nl := float64(b[n]%4), float64(b[n+1]%4)
		paths = append(paths, Path{Touchpoints: tp, Conversions: c, Nulls: nl, Value: 2.5 * c})
		b = b[n+2:]
	}
	return paths
}

// Invariants: credit and value sum to the totals; removal effects lie in [0, 1]; a first-order
// chain reproduces the observed conversion rate; heuristics credit the same totals.
func FuzzMarkovAttribution(f *testing.F) {
	f.Add([]byte{2, 0, 1, 1, 0, 0, 2, 1, 3, 0, 2}, uint8(1))
	f.Add([]byte{5, 0, 1, 0, 1, 0, 1, 2, 1, 4, 3, 0}, uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, order uint8) {
		paths := pathsFromBytes(b)
		k := int(order%4) + 1
		a, err := MarkovAttribution(paths, k)
		var conv, null float64
		for _, p := range paths {
			conv += p.Conversions
			null += p.Nulls
		}
		if conv == 0 {
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("no conversions: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		checkAttribution(t, paths, a)
		if k == 1 && abs(a.ConversionProbability-conv/(conv+null)) > 1e-9 {
			t.Fatalf("P(conv) %v, observed %v", a.ConversionProbability, conv/(conv+null))
		}
		for _, m := range []HeuristicModel{FirstTouch, LastTouch, Linear, PositionBased} {
			h, err := HeuristicAttribution(paths, Heuristic{Model: m})
			if err != nil {
				t.Fatal(err)
			}
			checkAttribution(t, paths, h)
		}
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// Invariants of Paths: the paths' conversions plus the unattributed ones are all the
// conversions; nulls are at most one per customer; the event form of linear attribution
// credits exactly the attributed conversions.
func FuzzPaths(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 1, 2, 1, 0, 5}, []byte{0, 3, 1, 9}, uint8(0))
	f.Fuzz(func(t *testing.T, eb, cb []byte, lookback uint8) {
		ev := eventsFromBytes(eb)
		var cv []Conversion
		for i := 0; i+1 < len(cb); i += 2 {
			cv = append(cv, Conversion{Customer: "c" + strconv.Itoa(int(cb[i]%8)), Time: tpath0.Add(time.Duration(cb[i+1]) * time.Minute), Value: float64(cb[i] % 3)})
		}
		opt := PathsOptions{Lookback: time.Duration(lookback) * time.Minute}
		set, err := Paths(ev, cv, opt)
		if len(ev) == 0 && len(cv) == 0 {
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("no input: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		var conv, nulls float64
		for _, p := range set.Paths {
			conv += p.Conversions
			nulls += p.Nulls
		}
		if conv+set.Unattributed != float64(len(cv)) || set.Conversions != float64(len(cv)) {
			t.Fatalf("%v in paths + %v unattributed ≠ %d conversions", conv, set.Unattributed, len(cv))
		}
		if nulls > 8 {
			t.Fatalf("%v nulls for at most 8 customers", nulls)
		}
		if conv == 0 {
			return
		}
		a, err := HeuristicAttributionEvents(ev, cv, Heuristic{Model: TimeDecay, HalfLife: time.Minute}, opt)
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		for _, v := range a.Credit {
			sum += v
		}
		if abs(sum-conv) > 1e-9 || a.Conversions != conv {
			t.Fatalf("credited %v of %v", sum, conv)
		}
	})
}
