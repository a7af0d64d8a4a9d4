package clv

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// fuzzModelsCM builds the three models from fuzzed parameters, mapped through exp of a value
// clamped to ±15 so that they are valid (the data path is what is fuzzed; bad parameters are
// covered by the table tests).
func fuzzModelsCM(u1, u2, u3, u4 float64) []countModelCM {
	p := func(u float64) float64 {
		if math.IsNaN(u) {
			return 1
		}
		return math.Exp(math.Max(-15, math.Min(15, u)))
	}
	r, alpha, a, b := p(u1), p(u2), p(u3), p(u4)
	return []countModelCM{
		BGNBD{R: r, Alpha: alpha, A: a, B: b},
		MBGNBD{R: r, Alpha: alpha, A: a, B: b},
		ParetoNBD{R: r, Alpha: alpha, S: a, Beta: b},
	}
}

// FuzzCountModelPredictionsCM: for any customer and horizon, the likelihood and predictions
// of every model either fail with an error that agrees with Customer.Validate, or are finite
// (P(alive) in [0, 1], expectations ≥ 0); Predict gives the single calls' values (P(alive)
// bit for bit, the expectation to rounding: predictAgrees); nothing panics.
func FuzzCountModelPredictionsCM(f *testing.F) {
	f.Add(2, 30.43, 38.86, 39.0, -1.4, 1.48, -0.23, 0.89)
	f.Add(3000, 38.85, 38.86, 52.0, -0.6, 2.36, -0.5, 2.46)
	f.Add(0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Add(-1, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0)
	f.Add(1, 2.0, 1.0, math.NaN(), 0.0, 0.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, x int, tx, T, horizon, u1, u2, u3, u4 float64) {
		c := Customer{Frequency: x, Recency: tx, T: T}
		invalid := c.Validate() != nil
		badHorizon := math.IsNaN(horizon) || math.IsInf(horizon, 0) || horizon < 0
		for _, m := range fuzzModelsCM(u1, u2, u3, u4) {
			ll, err := m.LogLikelihood([]Customer{c})
			if (err != nil) != invalid {
				t.Fatalf("%T LogLikelihood(%+v): err %v, Validate says invalid=%v", m, c, err, invalid)
			}
			if err == nil && (math.IsNaN(ll) || math.IsInf(ll, 1)) {
				t.Fatalf("%T LogLikelihood(%+v) = %v", m, c, ll)
			}
			pa, err := m.ProbabilityAlive(c)
			if (err != nil) != invalid {
				t.Fatalf("%T ProbabilityAlive(%+v): err %v", m, c, err)
			}
			if err == nil && !(pa >= 0 && pa <= 1) {
				t.Fatalf("%T ProbabilityAlive(%+v) = %v", m, c, pa)
			}
			e, err := m.ConditionalExpectedPurchases(horizon, c)
			if (err != nil) != (invalid || badHorizon) {
				t.Fatalf("%T ConditionalExpectedPurchases(%v, %+v): err %v", m, horizon, c, err)
			}
			if err != nil && !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("%T: error %v does not wrap ErrOutOfRange", m, err)
			}
			if err == nil && !(e >= 0) {
				t.Fatalf("%T ConditionalExpectedPurchases(%v, %+v) = %v", m, horizon, c, e)
			}
			es, as := make([]float64, 2), make([]float64, 2)
			err = m.Predict(horizon, []Customer{c, c}, es, as)
			if (err != nil) != (invalid || badHorizon) {
				t.Fatalf("%T Predict(%v, %+v): err %v", m, horizon, c, err)
			}
			if err == nil && (!predictAgrees(m, c, es[1], e, pa) || as[1] != pa || es[0] != es[1]) {
				t.Fatalf("%T Predict(%v, %+v) = %v, %v; single calls give %v, %v", m, horizon, c, es[1], as[1], e, pa)
			}
		}
	})
}

// fuzzCustomersCM decodes up to 16 customers from bytes: per customer one byte of frequency
// and two signed bytes for recency and T (in tenths), so invalid histories occur too.
func fuzzCustomersCM(data []byte) []Customer {
	var out []Customer
	for len(data) >= 5 && len(out) < 16 {
		x := int(int8(data[0]))
		tx := float64(int16(binary.LittleEndian.Uint16(data[1:3]))) / 10
		T := float64(int16(binary.LittleEndian.Uint16(data[3:5]))) / 10
		out = append(out, Customer{Frequency: x, Recency: tx, T: T})
		data = data[5:]
	}
	return out
}

// FuzzFitCountModelsCM: fitting any small data set either succeeds with finite positive
// parameters and a finite log-likelihood, or fails with an error wrapping a sentinel (or the
// optimiser's non-convergence); nothing panics.
func FuzzFitCountModelsCM(f *testing.F) {
	f.Add([]byte{2, 0x2f, 0x01, 0x84, 0x01, 0, 0, 0, 0x84, 0x01, 5, 0x10, 0x01, 0x20, 0x01})
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 10, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		cs := fuzzCustomersCM(data)
		invalid := len(cs) == 0
		for _, c := range cs {
			invalid = invalid || c.Validate() != nil
		}
		check := func(name string, err error, params ...float64) {
			if err != nil {
				if !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotConverged) && !errors.Is(err, ErrNotIdentified) {
					t.Fatalf("%s: unexpected error %v", name, err)
				}
				return
			}
			if invalid {
				t.Fatalf("%s accepted invalid data %+v", name, cs)
			}
			for _, p := range params {
				if !(p > 0) || math.IsInf(p, 0) {
					t.Fatalf("%s: parameter %v on %+v", name, p, cs)
				}
			}
		}
		comp, err := Compress(cs)
		if (err != nil) != invalid {
			t.Fatalf("Compress(%+v): err %v, want error %v", cs, err, invalid)
		}
		var w float64
		for _, c := range comp {
			w += c.Weight
		}
		if err == nil && w != float64(len(cs)) {
			t.Fatalf("Compress(%+v): total weight %v, want %d", cs, w, len(cs))
		}
		bg, err := FitBGNBD(cs)
		check("FitBGNBD", err, bg.R, bg.Alpha, bg.A, bg.B)
		mbg, err := FitMBGNBD(cs)
		check("FitMBGNBD", err, mbg.R, mbg.Alpha, mbg.A, mbg.B)
		pn, err := FitParetoNBD(cs)
		check("FitParetoNBD", err, pn.R, pn.Alpha, pn.S, pn.Beta)
		if err == nil {
			// Standard errors of a fitted model: no error, and each one positive or NaN
			// (a flat likelihood on tiny data), never negative or infinite.
			est, err := pn.Estimates(cs)
			if err != nil {
				t.Fatalf("Estimates after a successful fit: %v", err)
			}
			for _, e := range est {
				if e.StdErr <= 0 || math.IsInf(e.StdErr, 0) {
					t.Fatalf("Estimates on %+v: %v", cs, e)
				}
			}
		}
	})
}
