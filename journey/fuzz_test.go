package journey

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
)

// decodeObs turns fuzz bytes into observations on smallMap: each 4 bytes are one observation
// (kind, customer, touchpoint/persona, rating), including bad ones.
func decodeObs(data []byte) []Observation {
	tps := []string{"ad", "checkout", "support", "nope"}
	ps := []string{"", "young", "senior", "alien"}
	var obs []Observation
	for i := 0; i+4 <= len(data); i += 4 {
		k, c, tp, r := data[i], data[i+1], data[i+2], data[i+3]
		cust := string(rune('a' + c%16))
		if c%31 == 30 {
			cust = ""
		}
		at := t0.Add(time.Duration(c) * time.Hour)
		t, p := tps[tp%4], ps[(tp/4)%4]
		switch k % 6 {
		case 0, 1:
			obs = append(obs, Observation{Feedback: &Feedback{Customer: cust, Persona: p, Touchpoint: t, Time: at, Metric: Metric(1 + k/6%4), Rating: int(r%13) - 1}})
		case 2:
			obs = append(obs, Observation{Visit: &Visit{Customer: cust, Persona: p, Touchpoint: t, Time: at}})
		case 3:
			q := Contact{Customer: cust, Persona: p, Touchpoint: t}
			q.Query.Received = at
			if r%3 != 0 {
				q.Query.FirstResponse = at.Add(time.Duration(int(r)-100) * time.Minute)
			}
			obs = append(obs, Observation{Contact: &q})
		case 4:
			obs = append(obs, Observation{Outcome: &Outcome{Customer: cust, Kind: OutcomeKind(r % 3), Time: at}})
		default:
			obs = append(obs, Observation{})
		}
	}
	return obs
}

// FuzzAccumulator: bad observations are errors (ErrInvalid, ErrUnknown or ErrOutOfRange) that
// change nothing, or rejects under SkipInvalid; a split merges to the one-pass report; the
// encodings round-trip; no NaN in the headline figures.
func FuzzAccumulator(f *testing.F) {
	f.Add([]byte{0, 1, 1, 5, 0, 2, 2, 10, 2, 3, 0, 0, 3, 1, 2, 200, 4, 1, 0, 2, 5, 0, 0, 0, 1, 30, 3, 3})
	f.Add([]byte{6, 1, 0, 11, 6, 2, 0, 3, 12, 3, 1, 4})
	f.Fuzz(func(t *testing.T, data []byte) {
		obs := decodeObs(data)
		strict, _ := NewAccumulator(smallMap(), Options{MinGroup: 1})
		var good []Observation
		for _, o := range obs {
			before, _ := strict.MarshalBinary()
			if err := strict.Add(o); err != nil {
				if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrUnknown) && !errors.Is(err, ErrOutOfRange) {
					t.Fatalf("error without a sentinel: %v", err)
				}
				after, _ := strict.MarshalBinary()
				if string(before) != string(after) {
					t.Fatalf("a rejected observation changed the accumulator: %v", err)
				}
				continue
			}
			good = append(good, o)
		}
		lenient, _ := NewAccumulator(smallMap(), Options{MinGroup: 1, SkipInvalid: true})
		for _, o := range obs {
			if err := lenient.Add(o); err != nil {
				t.Fatalf("SkipInvalid returned %v", err)
			}
		}
		want, err := strict.Report()
		if err != nil {
			if !errors.Is(err, ErrEmpty) {
				t.Fatal(err)
			}
			return
		}
		lr, err := lenient.Report()
		if err != nil {
			t.Fatal(err)
		}
		if lr.RejectedTotal != len(obs)-len(good) {
			t.Fatalf("%d rejects counted, %d observations rejected", lr.RejectedTotal, len(obs)-len(good))
		}
		half := len(good) / 2
		x, _ := NewAccumulator(smallMap(), Options{MinGroup: 1})
		y, _ := NewAccumulator(smallMap(), Options{MinGroup: 1})
		for _, o := range good[:half] {
			_ = x.Add(o)
		}
		for _, o := range good[half:] {
			_ = y.Add(o)
		}
		if err := y.Merge(x); err != nil {
			t.Fatal(err)
		}
		got, err := y.Report()
		if err != nil {
			t.Fatal(err)
		}
		sameReport(t, want, got)
		b, _ := strict.MarshalBinary()
		var d Accumulator
		if err := d.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		dr, _ := d.Report()
		sameReport(t, want, dr)
		j, _ := strict.MarshalJSON()
		var e Accumulator
		if err := e.UnmarshalJSON(j); err != nil {
			t.Fatal(err)
		}
		er, _ := e.Report()
		sameReport(t, want, er)
		for _, g := range want.Touchpoints {
			for _, s := range g.Scores {
				if math.IsNaN(s.Value) || math.IsNaN(s.Interval.Lower) {
					t.Fatalf("NaN score %+v", s)
				}
			}
		}
		if _, err := json.Marshal(want); err != nil {
			t.Fatalf("report does not encode: %v", err)
		}
		for _, e := range want.Emotion {
			if math.IsNaN(e.Value) || e.Mermaid < 1 || e.Mermaid > 5 {
				t.Fatalf("bad emotion point %+v", e)
			}
		}
	})
}

// sameReport compares the figures that must agree exactly.
func sameReport(t *testing.T, a, b Report) {
	t.Helper()
	if a.Customers != b.Customers || a.Feedback != b.Feedback || a.Contacts != b.Contacts || a.Visits != b.Visits || a.Outcomes != b.Outcomes {
		t.Fatalf("counts differ: %+v vs %+v", a, b)
	}
	for i := range a.Touchpoints {
		x, y := a.Touchpoints[i], b.Touchpoints[i]
		if x.Reach != y.Reach || x.Responses != y.Responses || x.Volume != y.Volume || x.Converted != y.Converted || len(x.Scores) != len(y.Scores) {
			t.Fatalf("touchpoint %s differs: %+v vs %+v", x.Touchpoint, x, y)
		}
		for k := range x.Scores {
			if math.Abs(x.Scores[k].Value-y.Scores[k].Value) > 1e-9 {
				t.Fatalf("touchpoint %s score differs", x.Touchpoint)
			}
		}
	}
	if len(a.PainPoints) != len(b.PainPoints) || !a.AsOf.Equal(b.AsOf) {
		t.Fatalf("pain points or AsOf differ")
	}
}

// FuzzUnmarshal: arbitrary bytes never panic, and what decodes re-encodes to the same bytes.
func FuzzUnmarshal(f *testing.F) {
	a := mustAcc(f, append(smallObservations(), churnObservations()...))
	b, _ := a.MarshalBinary()
	j, _ := a.MarshalJSON()
	f.Add(b, false)
	f.Add(j, true)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		var d Accumulator
		var err error
		if isJSON {
			err = d.UnmarshalJSON(data)
		} else {
			err = d.UnmarshalBinary(data)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("decode error without ErrInvalid: %v", err)
			}
			return
		}
		out, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var e Accumulator
		if err := e.UnmarshalBinary(out); err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
		again, _ := e.MarshalBinary()
		if string(again) != string(out) {
			t.Fatal("decode∘encode is not the identity")
		}
		_, _ = d.Report()
	})
}

// FuzzRelativeImportance: shares are non-negative and sum to R², never NaN, or an error.
func FuzzRelativeImportance(f *testing.F) {
	f.Add([]byte{1, 5, 3, 2, 4, 4, 6, 1, 7, 9, 3, 3, 2, 8, 1, 0, 5, 5, 5, 9, 4})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 6 {
			return
		}
		p := 1 + int(data[0])%4
		data = data[1:]
		n := len(data) / (p + 1)
		y := make([]float64, n)
		x := map[string][]float64{}
		names := []string{"a", "b", "c", "d"}[:p]
		for _, k := range names {
			x[k] = make([]float64, n)
		}
		for i := 0; i < n; i++ {
			row := data[i*(p+1):]
			y[i] = float64(row[0])
			if row[0] == 255 {
				y[i] = math.NaN()
			}
			for j, k := range names {
				x[k][i] = float64(row[j+1] % 11)
			}
		}
		imp, err := RelativeImportance(y, x)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrOutOfRange) && !errors.Is(err, cxkit.ErrNotIdentified) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		s, r := 0.0, 0.0
		for _, k := range names {
			if math.IsNaN(imp.LMG[k]) || imp.LMG[k] < -1e-12 || imp.RelativeWeights[k] < -1e-12 {
				t.Fatalf("bad share %v %v", imp.LMG[k], imp.RelativeWeights[k])
			}
			s += imp.LMG[k]
			r += imp.RelativeWeights[k]
		}
		if math.IsNaN(imp.R2) || imp.R2 < 0 || imp.R2 > 1 || math.Abs(s-imp.R2) > 1e-9 || math.Abs(r-imp.R2) > 1e-6 {
			t.Fatalf("R2 %v, LMG sum %v, RW sum %v", imp.R2, s, r)
		}
	})
}
