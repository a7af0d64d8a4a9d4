package clv

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
)

// knownErr reports whether err wraps one of the package's sentinels.
func knownErr(err error) bool {
	return errors.Is(err, ErrOutOfRange) || errors.Is(err, ErrEmpty) || errors.Is(err, ErrInvalid) ||
		errors.Is(err, ErrIncompatible) || errors.Is(err, ErrNotIdentified) || errors.Is(err, ErrNotConverged)
}

// FuzzSummarize feeds arbitrary transaction logs (decoded from bytes: customer, time offset,
// amount) to Summarize: it must not panic, errors must wrap a sentinel, and a summary must be
// consistent (valid histories, transactions accounted for).
func FuzzSummarize(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 10, 1, 5, 0, 0, 0, 20, 2}, uint8(1), uint8(0))
	f.Add([]byte{0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}, uint8(7), uint8(3))
	f.Add([]byte{}, uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, b []byte, periodDays, holdoutDays uint8) {
		var tx []Transaction
		base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		for len(b) >= 6 {
			id := string(rune('a' + b[0]%8))
			if b[0] == 255 {
				id = ""
			}
			off := time.Duration(binary.LittleEndian.Uint16(b[1:3])) * time.Hour
			amt := float64(int8(b[3])) + float64(b[4])/256
			if b[5] == 255 {
				amt = math.NaN()
			}
			tx = append(tx, Transaction{Customer: id, Time: base.Add(off), Amount: amt})
			b = b[6:]
		}
		opt := RFMOptions{Unit: cxkit.Period(periodDays % 7), Period: cxkit.Period(periodDays / 7 % 7)} // 0 and 6: unset and invalid
		if holdoutDays > 0 {
			opt.CalibrationEnd = base.Add(2000 * time.Hour)
			opt.HoldoutEnd = opt.CalibrationEnd.AddDate(0, 0, int(holdoutDays))
		}
		s, err := Summarize(tx, opt)
		if err != nil {
			if !knownErr(err) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		if s.Transactions+s.AfterEnd != len(tx) {
			t.Fatalf("%d used + %d after the end != %d transactions", s.Transactions, s.AfterEnd, len(tx))
		}
		for i, r := range s.Customers {
			if err := r.Validate(); err != nil {
				t.Fatalf("customer %d (%s): invalid history %+v: %v", i, r.ID, r.Customer, err)
			}
			if i > 0 && s.Customers[i-1].ID >= r.ID {
				t.Fatalf("customers not sorted by ID")
			}
		}
	})
}

// FuzzGammaGammaLogLikelihood checks that the Gamma-Gamma likelihood never panics, returns a
// finite value or an error wrapping a sentinel, and that fitting arbitrary data does too.
func FuzzGammaGammaLogLikelihood(f *testing.F) {
	f.Add(6.25, 3.74, 15.44, 2, 22.35, 1.0)
	f.Add(1e-300, 1e300, 1.0, 5000, 1e6, 0.0)
	f.Add(1.0, 1.0, 1.0, 0, 0.0, -1.0)
	f.Fuzz(func(t *testing.T, p, q, v float64, x int, z, w float64) {
		c := Customer{Frequency: x % 100000, MonetaryValue: z, Weight: w}
		g := GammaGamma{P: p, Q: q, V: v}
		ll, err := g.LogLikelihood([]Customer{c})
		if err != nil {
			if !knownErr(err) {
				t.Fatalf("error without a sentinel: %v", err)
			}
		} else if math.IsNaN(ll) {
			t.Fatalf("NaN log-likelihood for %+v %+v", g, c)
		}
		if s, err := g.ConditionalExpectedSpend(c); err == nil && (math.IsNaN(s) || s < 0) {
			t.Fatalf("conditional spend %v for %+v %+v", s, g, c)
		} else if err != nil && !knownErr(err) {
			t.Fatalf("error without a sentinel: %v", err)
		}
		if fg, err := FitGammaGamma([]Customer{c, {Frequency: 1 + x%7, MonetaryValue: 10}}); err == nil {
			if !(fg.P > 0 && fg.Q > 0 && fg.V > 0) {
				t.Fatalf("fit without error gave %+v", fg)
			}
		}
	})
}

// FuzzBGBBLogLikelihood checks that the BG/BB likelihood and predictions never panic and are
// finite probabilities for valid input, errors wrapping a sentinel otherwise.
func FuzzBGBBLogLikelihood(f *testing.F) {
	f.Add(1.204, 0.750, 0.657, 2.783, 2, 4, 6, 1.0)
	f.Add(1e-5, 1e5, 1e3, 1e-3, 300, 300, 400, 0.0)
	f.Add(1.0, 1.0, 1.0, 1.0, 0, 1, 0, -1.0)
	f.Fuzz(func(t *testing.T, a, b, g, d float64, x, tx, n int, w float64) {
		h := Discrete{Frequency: x % 2000, Recency: tx % 2000, Periods: n % 2000, Weight: w}
		m := BGBB{Alpha: a, Beta: b, Gamma: g, Delta: d}
		ll, err := m.LogLikelihood([]Discrete{h})
		if err != nil {
			if !knownErr(err) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		if math.IsNaN(ll) || ll > 1e-9 {
			t.Fatalf("log-likelihood %v for %+v %+v", ll, m, h)
		}
		p, err := m.ProbabilityAlive(h)
		if err != nil || math.IsNaN(p) || p < 0 || p > 1+1e-9 {
			t.Fatalf("P(alive) %v, %v for %+v %+v", p, err, m, h)
		}
		e, err := m.ConditionalExpectedTransactions(3, h)
		if err != nil || math.IsNaN(e) || e < 0 || e > 3+1e-9 {
			t.Fatalf("E[X] %v, %v for %+v %+v", e, err, m, h)
		}
	})
}

// FuzzProjection projects arbitrary customers with the CDNOW BG/NBD and Gamma-Gamma
// estimates: no panic, a finite non-negative value or an error wrapping a sentinel.
func FuzzProjection(f *testing.F) {
	f.Add(2, 30.43, 38.86, 22.35, uint8(4), uint8(13), 0.01)
	f.Add(5000, 38.0, 38.5, 1e6, uint8(1), uint8(200), 0.0)
	f.Add(0, 0.0, 1e-9, 0.0, uint8(0), uint8(1), -0.5)
	f.Fuzz(func(t *testing.T, x int, tx, T, z float64, stepWeeks, steps uint8, d float64) {
		p := Projection{
			Purchases: BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426},
			Spend:     GammaGamma{P: 6.25, Q: 3.74, V: 15.44},
			Unit:      cxkit.Week, Step: float64(stepWeeks), Horizon: float64(stepWeeks) * float64(steps),
			DiscountRate: d,
		}
		v, err := p.Value(Customer{Frequency: x % 100000, Recency: tx, T: T, MonetaryValue: z})
		if err != nil {
			if !knownErr(err) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < -1e-9 {
			t.Fatalf("value %v", v)
		}
	})
}

// FuzzRFMAccumulatorDecode feeds arbitrary bytes to UnmarshalBinary: no panic, errors wrap
// ErrInvalid, and whatever decodes re-encodes to the same bytes (the encoding is canonical)
// and summarises without panicking.
func FuzzRFMAccumulatorDecode(f *testing.F) {
	var a RFMAccumulator
	_ = a.AddAll([]Transaction{
		{"a", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 5},
		{"a", time.Date(2024, 1, 9, 0, 0, 0, 0, time.UTC), 7},
		{"b", time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC), 1},
	})
	b, _ := a.MarshalBinary()
	f.Add(b)
	q := RFMAccumulator{Options: RFMOptions{Unit: cxkit.Month, Period: cxkit.Quarter, Location: time.FixedZone("", 0)}}
	_ = q.AddAll([]Transaction{{"a", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 5}, {"a", time.Date(2024, 5, 9, 0, 0, 0, 0, time.UTC), 7}})
	b, _ = q.MarshalBinary()
	f.Add(b)
	var empty RFMAccumulator
	eb, _ := empty.MarshalBinary()
	f.Add(eb)
	f.Add([]byte("CLVR\x02"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var a RFMAccumulator
		if err := a.UnmarshalBinary(b); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			return
		}
		again, err := a.MarshalBinary()
		if err != nil || string(again) != string(b) {
			t.Fatalf("re-encoding differs: %v", err)
		}
		if _, err := a.Result(); err != nil && !knownErr(err) {
			t.Fatalf("summary error without a sentinel: %v", err)
		}
	})
}
