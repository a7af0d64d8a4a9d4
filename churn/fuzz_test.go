package churn

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
)

// fuzzFloat maps a byte pair to a float64, with a few selector values producing the
// troublesome ones (NaN, ±Inf, negative, −0).
func fuzzFloat(b0, b1 byte) float64 {
	switch b0 {
	case 0xff:
		return math.NaN()
	case 0xfe:
		return math.Inf(1)
	case 0xfd:
		return -float64(b1)
	case 0xfc:
		return math.Copysign(0, -1)
	}
	return float64(uint16(b0)<<8|uint16(b1)) / 64
}

// fuzzSubjects decodes 7 bytes per subject: duration (2), entry (2), weight (2), flags (1).
func fuzzSubjects(data []byte) []Subject {
	var out []Subject
	for ; len(data) >= 7; data = data[7:] {
		s := Subject{
			Duration: fuzzFloat(data[0], data[1]),
			Entry:    fuzzFloat(data[2], data[3]) * float64(data[6]>>1&1),
			Weight:   fuzzFloat(data[4], data[5]) * float64(data[6]>>2&1),
			Churned:  data[6]&1 == 1,
		}
		out = append(out, s)
	}
	return out
}

func FuzzKaplanMeier(f *testing.F) {
	f.Add([]byte{0, 9, 0, 0, 0, 0, 1, 0, 19, 0, 0, 0, 0, 1, 0, 50, 0, 0, 0, 0, 0})
	f.Add([]byte{0xff, 0, 0, 0, 0, 0, 1})
	f.Add([]byte{1, 0, 0, 200, 0, 64, 7, 1, 0, 0, 0, 0, 0, 1, 0xfc, 0, 0, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		subjects := fuzzSubjects(data)
		var invalid error
		for _, s := range subjects {
			if err := s.Validate(); err != nil {
				invalid = err
				break
			}
		}
		c, err := KaplanMeier(subjects)
		switch {
		case len(subjects) == 0:
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("no subjects: got %v", err)
			}
			return
		case invalid != nil:
			if !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("invalid subject (%v) accepted or wrong error: %v", invalid, err)
			}
			return
		case err != nil:
			t.Fatalf("valid subjects rejected: %v", err)
		}
		prev := 1.0
		for i, s := range c.Survival {
			if !(s >= 0 && s <= prev) {
				t.Fatalf("survival %v at row %d is not in [0, %v]", s, i, prev)
			}
			prev = s
			iv, err := c.Interval(c.Time[i], 0.95)
			if err != nil || !(iv.Lower <= s && s <= iv.Upper) || iv.Lower < 0 || iv.Upper > 1 {
				t.Fatalf("interval %v does not bracket %v (err %v)", iv, s, err)
			}
		}
		if m := c.Median(); !math.IsNaN(m) && !(m >= c.Time[0] && m <= c.Time[len(c.Time)-1]) {
			t.Fatalf("median %v outside the observed times", m)
		}
		var tl Tally
		if err := tl.AddAll(subjects); err != nil {
			t.Fatal(err)
		}
		tc, err := tl.Result()
		if err != nil {
			t.Fatal(err)
		}
		for i := range c.Survival {
			if math.Abs(tc.Survival[i]-c.Survival[i]) > 1e-9 || tc.Time[i] != c.Time[i] {
				t.Fatalf("tally and KaplanMeier differ at row %d", i)
			}
		}
	})
}

func FuzzLogRank(f *testing.F) {
	f.Add([]byte{0, 9, 0, 0, 0, 0, 1, 0, 19, 0, 0, 0, 0, 1, 0, 50, 0, 0, 0, 0, 0}, uint8(1))
	f.Add([]byte{0, 9, 0, 0, 0, 0, 1, 0, 9, 0, 0, 0, 0, 1}, uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		subjects := fuzzSubjects(data)
		k := min(int(split), len(subjects))
		r, err := LogRankTest(subjects[:k], subjects[k:])
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if r.DF == 0 {
			if !math.IsNaN(r.P) {
				t.Fatalf("DF 0 with P %v", r.P)
			}
			return
		}
		if !(r.ChiSquare >= -1e-9) || !(r.P >= 0 && r.P <= 1) || r.DF != 1 {
			t.Fatalf("bad result %+v", r)
		}
	})
}

func FuzzFitSBG(f *testing.F) {
	f.Add([]byte{0x3e, 0x80, 0x27, 0x70, 0x1d, 0x40, 0x17, 0xe0})
	f.Add([]byte{1, 0, 1, 0})
	f.Add([]byte{1, 0, 2, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var alive []float64
		for ; len(data) >= 2 && len(alive) < 12; data = data[2:] {
			alive = append(alive, fuzzFloat(data[0], data[1]))
		}
		m, err := FitSBG(alive)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrEmpty) {
				// A fit that fails to converge on extreme data is reported, not a panic.
				t.Logf("fit error: %v", err)
			}
			if checkCohort(alive) == nil && (errors.Is(err, ErrOutOfRange) || errors.Is(err, ErrEmpty)) {
				t.Fatalf("valid cohort %v rejected as out of range: %v", alive, err)
			}
			return
		}
		if checkCohort(alive) != nil {
			t.Fatalf("invalid cohort %v accepted", alive)
		}
		if !(m.Alpha > 0 && m.Beta > 0) || math.IsInf(m.Alpha, 0) || math.IsInf(m.Beta, 0) {
			t.Fatalf("bad parameters %+v", m)
		}
		// A returned fit is identified: no run-off beyond the documented bound.
		if math.Abs(math.Log(m.Alpha)) > sbgRunOff || math.Abs(math.Log(m.Beta)) > sbgRunOff {
			t.Fatalf("run-off returned as a fit: %+v on %v", m, alive)
		}
		for tt := 0; tt < 20; tt++ {
			if s := m.Survival(tt); !(s >= 0 && s <= 1) {
				t.Fatalf("S(%d) = %v", tt, s)
			}
		}
	})
}

func FuzzTallyUnmarshalBinary(f *testing.F) {
	var tl Tally
	_ = tl.AddAll([]Subject{{Duration: 3, Churned: true}, {Duration: 5, Entry: 1}})
	b, _ := tl.MarshalBinary()
	f.Add(b)
	f.Add([]byte("CHKM\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var tl Tally
		if err := tl.UnmarshalBinary(b); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("decode error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		again, err := tl.MarshalBinary()
		if err != nil || string(again) != string(b) {
			t.Fatalf("round trip changed the encoding")
		}
		if c, err := tl.Result(); err == nil {
			for _, s := range c.Survival {
				if !(s >= 0 && s <= 1) {
					t.Fatalf("decoded tally gives survival %v", s)
				}
			}
		}
	})
}

func FuzzTallyUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"time":[1,2],"churned":[1,0],"censored":[0,1],"entry_time":[0.5],"entered":[1]}`))
	f.Add([]byte(`{"time":[2,1],"churned":[1,1],"censored":[0,0]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var tl Tally
		if err := tl.UnmarshalJSON(b); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("decode error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		if c, err := tl.Result(); err == nil {
			for _, s := range c.Survival {
				if !(s >= 0 && s <= 1) {
					t.Fatalf("decoded tally gives survival %v", s)
				}
			}
		}
	})
}

func FuzzRates(f *testing.F) {
	f.Add(1000.0, 200.0, 1050.0)
	f.Add(0.0, 1.0, 1.0)
	f.Add(math.NaN(), 1.0, 1.0)
	f.Fuzz(func(t *testing.T, start, acquired, end float64) {
		r, err := Rates(start, acquired, end)
		if err != nil {
			if !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrEmpty) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if !(r.Churn >= 0 && r.Churn <= 1+1e-12) || math.Abs(r.Churn+r.Retention-1) > 1e-9 {
			t.Fatalf("bad rates %+v", r)
		}
	})
}

func FuzzEventLog(f *testing.F) {
	f.Add([]byte{1, 0, 40, 3, 5, 0, 10, 10, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		origin := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		var subs []Subscription
		for ; len(data) >= 4 && len(subs) < 50; data = data[4:] {
			start := origin.AddDate(0, 0, int(int8(data[0])))
			s := Subscription{Customer: "x", Start: start}
			if data[2]&1 == 1 {
				s.End = start.AddDate(0, 0, int(int16(binary.LittleEndian.Uint16(data[1:3]))>>1))
			}
			subs = append(subs, s)
		}
		asOf := origin.AddDate(0, 4, 0)
		periods, err := Periods(origin, cxkit.Month, 4)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := RatesFromLog(subs, periods)
		if err == nil {
			for _, r := range rs {
				if r.Start+r.Acquired-r.Lost-r.LostAcquired != r.End {
					t.Fatalf("period does not balance: %+v", r)
				}
			}
		} else if !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrEmpty) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		var events []Activity
		for _, s := range subs {
			events = append(events, Activity{Customer: s.Customer, At: s.Start})
			if !s.End.IsZero() {
				events = append(events, Activity{Customer: s.Customer, At: s.End})
			}
		}
		if am, err := ActivityRetention(events, origin, cxkit.Month, asOf); err == nil {
			for _, c := range am.Cohorts {
				for _, n := range c.Count {
					if n < 0 || n > c.Size {
						t.Fatalf("activity cohort count %v outside [0, %v]", n, c.Size)
					}
				}
			}
		} else if !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrEmpty) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		m, err := CohortRetention(subs, origin, cxkit.Month, asOf)
		if err != nil {
			if !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrEmpty) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		for _, c := range m.Cohorts {
			for a := 1; a < len(c.Count); a++ {
				if c.Count[a] > c.Count[a-1] {
					t.Fatalf("cohort grows: %+v", c)
				}
			}
		}
	})
}

// FuzzFitSBGCohorts: a joint fit of several cohorts either fails with a sentinel or returns an
// identified model; one cohort alone gives exactly FitSBG's answer; the order of the cohorts
// does not change the fit beyond the optimiser's tolerance.
func FuzzFitSBGCohorts(f *testing.F) {
	f.Add([]byte{0x3e, 0x80, 0x27, 0x70, 0x1d, 0x40, 0x17, 0xe0}, uint8(4))
	f.Add([]byte{0x3e, 0x80, 0x27, 0x70, 0x1d, 0x40, 0x3e, 0x80, 0x30, 0x00}, uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, cut uint8) {
		var all []float64
		for ; len(data) >= 2 && len(all) < 16; data = data[2:] {
			all = append(all, fuzzFloat(data[0], data[1]))
		}
		k := int(cut) % (len(all) + 1)
		cohorts := [][]float64{all[:k], all[k:]}
		m, err := FitSBGCohorts(cohorts)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrEmpty) &&
				!errors.Is(err, ErrNotIdentified) && !errors.Is(err, ErrNotConverged) {
				t.Fatalf("error without a sentinel: %v", err)
			}
		} else {
			if math.Abs(math.Log(m.Alpha)) > sbgRunOff || math.Abs(math.Log(m.Beta)) > sbgRunOff {
				t.Fatalf("run-off returned as a fit: %+v", m)
			}
			r, err := FitSBGCohorts([][]float64{cohorts[1], cohorts[0]})
			if err != nil {
				// Near the identification threshold the optimiser's end point (which depends
				// on the order of the sums) may fall on either side of it.
				if !errors.Is(err, ErrNotIdentified) && !errors.Is(err, ErrNotConverged) {
					t.Fatalf("reversed cohorts fail: %v", err)
				}
				return
			}
			if math.Abs(r.Fit.LogLikelihood-m.Fit.LogLikelihood) > 1e-6*math.Max(1, math.Abs(m.Fit.LogLikelihood)) {
				t.Fatalf("order changes the maximum: %v vs %v", m.Fit.LogLikelihood, r.Fit.LogLikelihood)
			}
		}
		one, err1 := FitSBGCohorts([][]float64{all})
		single, err2 := FitSBG(all)
		if (err1 == nil) != (err2 == nil) || (err1 == nil && one != single) {
			t.Fatalf("FitSBGCohorts of one cohort %v differs from FitSBG: %+v %v / %+v %v", all, one, err1, single, err2)
		}
	})
}

// FuzzDERL: the discounted expected residual lifetime is finite, at least its first term (the
// chance of the next renewal), at most the undiscounted bound 1/d + 1 terms, and falls as the
// discount rate rises.
func FuzzDERL(f *testing.F) {
	f.Add(0.704, 1.182, 0.10, uint8(4))
	f.Add(1e-5, 1e5, 1e-6, uint8(200))
	f.Fuzz(func(t *testing.T, a, b, d float64, renewals uint8) {
		m := SBG{Alpha: a, Beta: b}
		v, err := m.DERL(d, int(renewals))
		if err != nil {
			if !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		n := float64(renewals) + 1
		first := (b + n - 1) / (a + b + n - 1)
		if math.IsNaN(v) || math.IsInf(v, 0) || v < first*(1-1e-12) || v > (1+d)/d*(1+1e-9) {
			t.Fatalf("DERL(%v, %d) of %+v = %v (first term %v)", d, renewals, m, v, first)
		}
		if w, err := m.DERL(2*d+0.01, int(renewals)); err == nil && w > v*(1+1e-9) {
			t.Fatalf("DERL rises with the discount rate: %v at %v, %v at %v", v, d, w, 2*d+0.01)
		}
	})
}
