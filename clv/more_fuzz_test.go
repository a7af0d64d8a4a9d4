package clv

import (
	"math"
	"strings"
	"testing"

	"github.com/cxkit/cxkit"
)

// fuzzDiscrete decodes bytes into BG/BB histories, 3 bytes each (x, t_x, n below 12).
func fuzzDiscrete(b []byte) []Discrete {
	var ds []Discrete
	for ; len(b) >= 3; b = b[3:] {
		ds = append(ds, Discrete{Frequency: int(b[0] % 12), Recency: int(b[1] % 12), Periods: int(b[2] % 12)})
	}
	return ds
}

// FuzzFitBGBB fits arbitrary discrete histories. Invariants: an error wraps a sentinel and
// names no doubled prefix; a fit that succeeds has converged, finite positive parameters,
// a log-likelihood that equals LogLikelihood at the estimates and is at least that of the
// starting-point-like model α = β = γ = δ = 1, finite positive standard errors, and
// P(alive) in [0, 1] for every history; weighting a history by 2 is the same as listing it
// twice.
func FuzzFitBGBB(f *testing.F) {
	f.Add([]byte{1, 1, 6, 2, 5, 6, 0, 0, 6, 6, 6, 6, 3, 4, 6, 0, 0, 3})
	f.Add([]byte{2, 3, 5, 2, 3, 5, 2, 3, 5})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		ds := fuzzDiscrete(b)
		m, err := FitBGBB(ds)
		if err != nil {
			if !knownErr(err) || strings.Contains(err.Error(), "clv: clv:") {
				t.Fatalf("error %v", err)
			}
			return
		}
		if !m.Fit.Converged {
			t.Fatalf("nil error on a fit that did not converge: %+v", m)
		}
		for _, p := range []float64{m.Alpha, m.Beta, m.Gamma, m.Delta} {
			if !(p > 0) || math.IsInf(p, 0) {
				t.Fatalf("parameter %v", p)
			}
		}
		ll, err := m.LogLikelihood(ds)
		if err != nil || math.Abs(ll-m.Fit.LogLikelihood) > 1e-6*(1+math.Abs(ll)) {
			t.Fatalf("log-likelihood %v vs fit %v (%v)", ll, m.Fit.LogLikelihood, err)
		}
		if ll0, _ := (BGBB{Alpha: 1, Beta: 1, Gamma: 1, Delta: 1}).LogLikelihood(ds); ll < ll0-1e-6*(1+math.Abs(ll0)) {
			t.Fatalf("maximum %v below the likelihood %v at (1, 1, 1, 1)", ll, ll0)
		}
		es, err := m.Estimates(ds)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if !(e.StdErr > 0) || math.IsInf(e.StdErr, 0) {
				t.Fatalf("identified fit with standard error %v", e)
			}
		}
		for _, d := range ds {
			if p, err := m.ProbabilityAlive(d); err != nil || !(p >= 0 && p <= 1) {
				t.Fatalf("P(alive) %v, %v", p, err)
			}
		}
		if len(ds) > 0 {
			w := append([]Discrete{}, ds...)
			w[0].Weight = 2
			a, _ := m.LogLikelihood(w)
			c, _ := m.LogLikelihood(append(ds, ds[0]))
			if math.Abs(a-c) > 1e-9*(1+math.Abs(a)) {
				t.Fatalf("weight 2 gives %v, a repeated history %v", a, c)
			}
		}
	})
}

// FuzzEstimates computes standard errors of the count models and Gamma-Gamma at arbitrary
// parameters on arbitrary customers: an error wraps a sentinel; otherwise every estimate
// carries its parameter's value and a standard error that is either positive and finite or
// NaN for all of them (a singular information matrix), never ±Inf or negative; compressing
// the customers first changes nothing.
func FuzzEstimates(f *testing.F) {
	f.Add(0.243, 4.414, 0.793, 2.426, []byte{2, 0x2f, 0x01, 0x84, 0x01, 0, 0, 0, 0x84, 0x01, 5, 0x10, 0x01, 0x20, 0x01})
	f.Add(1e-3, 1e3, 50.0, 1e-2, []byte{1, 0, 0, 10, 0})
	f.Fuzz(func(t *testing.T, a, b, c, d float64, data []byte) {
		cs := fuzzCustomersCM(data)
		for i := range cs {
			if cs[i].Frequency > 0 {
				cs[i].MonetaryValue = 1 + float64(i%7)
			}
		}
		comp, cerr := Compress(cs)
		for _, m := range []interface {
			Estimates([]Customer) ([]cxkit.Estimate, error)
		}{BGNBD{R: a, Alpha: b, A: c, B: d}, ParetoNBD{R: a, Alpha: b, S: c, Beta: d}, MBGNBD{R: a, Alpha: b, A: c, B: d}} {
			es, err := m.Estimates(cs)
			if err != nil {
				if !knownErr(err) {
					t.Fatalf("error without a sentinel: %v", err)
				}
				continue
			}
			nan := 0
			for _, e := range es {
				if math.IsNaN(e.StdErr) {
					nan++
				} else if !(e.StdErr > 0) || math.IsInf(e.StdErr, 0) {
					t.Fatalf("standard error %v", e)
				}
			}
			if nan != 0 && nan != len(es) {
				t.Fatalf("some standard errors NaN: %v", es)
			}
			if cerr == nil {
				es2, err := m.Estimates(comp)
				if err != nil {
					t.Fatalf("compressed: %v", err)
				}
				for i := range es {
					if es[i].Value != es2[i].Value || !(math.IsNaN(es[i].StdErr) && math.IsNaN(es2[i].StdErr) ||
						math.Abs(es[i].StdErr-es2[i].StdErr) <= 1e-6*es[i].StdErr) {
						t.Fatalf("compression changed %v to %v", es[i], es2[i])
					}
				}
			}
		}
		if sp, _ := Spenders(cs); len(sp) > 0 {
			es, err := GammaGamma{P: a, Q: b, V: c}.Estimates(sp)
			if err != nil && !knownErr(err) {
				t.Fatalf("Gamma-Gamma: %v", err)
			}
			for _, e := range es {
				if math.IsInf(e.StdErr, 0) || e.StdErr <= 0 {
					t.Fatalf("Gamma-Gamma standard error %v", e)
				}
			}
		}
	})
}

// FuzzProjectionValues projects arbitrary customers with every zero-spend policy. Invariants:
// an error wraps a sentinel, has one "clv: " prefix and names the customer by ID; otherwise
// every value is finite and non-negative, equal to Value of the same customer, a zero-value
// repeat buyer gets 0 under ZeroSpendZero, and a longer horizon never gives less.
func FuzzProjectionValues(f *testing.F) {
	f.Add([]byte{2, 0x2f, 0x01, 0x84, 0x01, 0, 0, 0, 0x84, 0x01, 5, 0x10, 0x01, 0x20, 0x01}, uint8(4), uint8(3), uint8(1), 0.01)
	f.Add([]byte{1, 0, 0, 10, 0}, uint8(1), uint8(1), uint8(0), 0.0)
	f.Fuzz(func(t *testing.T, data []byte, stepWeeks, steps, policy uint8, d float64) {
		cs := fuzzCustomersCM(data)
		for i := range cs {
			cs[i].ID = "c" + string(rune('a'+i%26))
			if cs[i].Frequency > 0 && i%3 != 0 {
				cs[i].MonetaryValue = float64(i % 5) // some zero-value repeat buyers
			}
		}
		p := Projection{
			Purchases: BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: cxkit.Week},
			Spend:     GammaGamma{P: 6.25, Q: 3.74, V: 15.44},
			Step:      float64(stepWeeks % 53), Horizon: float64(stepWeeks%53) * float64(steps),
			DiscountRate: d, ZeroSpend: ZeroSpendPolicy(policy % 4),
		}
		vs, err := p.Values(cs)
		if err != nil {
			msg := err.Error()
			if !knownErr(err) || strings.Contains(msg, "clv: clv:") || !strings.HasPrefix(msg, "clv: ") {
				t.Fatalf("error %v", err)
			}
			if strings.Contains(msg, "index") && !strings.Contains(msg, `customer "c`) {
				t.Fatalf("error names no ID: %v", err)
			}
			return
		}
		longer := p
		longer.Horizon += p.Step
		ls, err := longer.Values(cs)
		for i, v := range vs {
			if !finite(v) || v < 0 {
				t.Fatalf("value %v", v)
			}
			if one, err := p.Value(cs[i]); err != nil || one != v {
				t.Fatalf("Value %v, %v; Values %v", one, err, v)
			}
			if p.ZeroSpend == ZeroSpendZero && cs[i].Frequency > 0 && cs[i].MonetaryValue == 0 && v != 0 {
				t.Fatalf("zero-value buyer valued %v", v)
			}
			if err == nil && d >= 0 && ls[i] < v-1e-9*(1+v) {
				t.Fatalf("longer horizon gives %v < %v", ls[i], v)
			}
		}
	})
}

// FuzzMarginCLV checks the margin formulas: an error wraps ErrOutOfRange; a value is finite,
// has the sign of the margin, the finite-horizon value is at most the infinite one in size
// and grows with the number of periods, and the closed form matches the explicit sum for
// short horizons.
func FuzzMarginCLV(f *testing.F) {
	f.Add(100.0, 0.8, 0.1, 10)
	f.Add(1e308, 1.0, 0.0, 10)
	f.Add(-5.0, 0.999999, 1e-9, 100000)
	f.Fuzz(func(t *testing.T, m, r, d float64, n int) {
		n %= 1 << 20
		fin, err := MarginCLVFinite(m, r, d, n)
		if err != nil {
			if !knownErr(err) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		if !finite(fin) || fin*m < 0 {
			t.Fatalf("finite-horizon CLV %v for margin %v", fin, m)
		}
		if n < 200 && math.Abs(m) < 1e100 {
			q, sum, pw := r/(1+d), 0.0, 1.0
			for k := 1; k <= n; k++ {
				pw *= q
				sum += m * pw
			}
			if math.Abs(sum-fin) > 1e-9*(math.Abs(sum)+math.Abs(m)) {
				t.Fatalf("closed form %v, sum %v", fin, sum)
			}
		}
		if more, err := MarginCLVFinite(m, r, d, n+1); err == nil && math.Abs(more) < math.Abs(fin)*(1-1e-12) {
			t.Fatalf("%v periods give %v, %v periods %v", n+1, more, n, fin)
		}
		if inf, err := MarginCLV(m, r, d); err == nil {
			if !finite(inf) || math.Abs(fin) > math.Abs(inf)*(1+1e-9)+1e-300 {
				t.Fatalf("finite %v beyond infinite %v", fin, inf)
			}
		} else if !knownErr(err) {
			t.Fatal(err)
		}
	})
}
