package churn

import (
	"math"
	"testing"
)

// FuzzFitCox checks that a fit (with case weights and late entries) either fails or is finite
// and consistent: finite coefficients and positive standard errors, the log partial likelihood,
// score (0 at the estimate) and information those of brute force (bruteCoxAt), concordance in [0, 1], a non-negative likelihood-ratio
// statistic, p-values in [0, 1], survival in [0, 1] and non-increasing; and that doubling the
// covariate halves its coefficient (scale equivariance) and reversing the subjects changes
// nothing.
func FuzzFitCox(f *testing.F) {
	f.Add([]byte{1, 10, 3, 20, 5, 0, 2, 30, 7, 11, 4, 8, 9, 1, 6, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		n := len(b) / 2
		if n < 2 || n > 64 {
			return
		}
		subs := make([]Subject, n)
		x := make([][]float64, n)
		for i := range n {
			subs[i] = Subject{Duration: float64(b[2*i] % 16), Churned: b[2*i]&16 != 0, Weight: float64(b[2*i]>>5) / 2}
			x[i] = []float64{float64(b[2*i+1]%8) - 3}
			// Bit 3 of the covariate byte: a late entry at (its top four bits)/2.
			if e := float64(b[2*i+1]>>4) / 2; b[2*i+1]&8 != 0 && e < subs[i].Duration {
				subs[i].Entry = e
			}
		}
		m, err := FitCox(subs, x, []string{"x"}, CoxOptions{Ties: opt0(b)})
		if err != nil {
			return
		}
		if math.IsNaN(m.Coef[0]) || math.IsInf(m.Coef[0], 0) || !(m.StdErr[0] > 0) || math.IsInf(m.StdErr[0], 0) {
			t.Fatalf("coef %v se %v", m.Coef, m.StdErr)
		}
		if !(m.Concordance >= 0 && m.Concordance <= 1) && !math.IsNaN(m.Concordance) {
			t.Fatalf("concordance %v", m.Concordance)
		}
		if m.LikelihoodRatio.ChiSquare < -1e-9*math.Abs(m.LogLik) {
			t.Fatalf("LR %v", m.LikelihoodRatio)
		}
		if g := m.PH.Global.P; !(g >= 0 && g <= 1) && !math.IsNaN(g) {
			t.Fatalf("PH p-value %v", g)
		}
		for _, p := range []float64{m.LikelihoodRatio.P, m.Wald.P, m.Score.P} {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("p-value %v", p)
			}
		}
		// The fit against brute force (every risk set summed directly, no running sums): its
		// log partial likelihood at the estimate, and the estimate is where the brute-force
		// score vanishes (the brute-force Newton step from it is nil), late entry or not,
		// whatever the span of the risk scores.
		bf := bruteCoxAt(subs, x, m.Coef, opt0(b), nil)
		if math.Abs(bf.loglik-m.LogLik) > 1e-9*(1+math.Abs(bf.loglik)) {
			t.Fatalf("log partial likelihood %v, brute force %v", m.LogLik, bf.loglik)
		}
		if !(bf.imat[0] > 0) || math.Abs(bf.u[0]/bf.imat[0]) > 1e-6*(1+math.Abs(m.Coef[0])) {
			t.Fatalf("β = %v: brute-force score %v, information %v", m.Coef[0], bf.u[0], bf.imat[0])
		}
		if v := 1 / m.Var[0][0]; math.Abs(v-bf.imat[0]) > 1e-6*bf.imat[0] {
			t.Fatalf("β = %v: information %v, brute force %v", m.Coef[0], v, bf.imat[0])
		}
		prev := 1.0
		for tt := 0.0; tt < 17; tt++ {
			s, err := m.Survival(tt, []float64{1})
			if err != nil || !(s >= 0 && s <= prev+1e-12) {
				t.Fatalf("S(%v) = %v after %v (%v)", tt, s, prev, err)
			}
			prev = s
		}
		x2 := make([][]float64, n)
		rs, rx := make([]Subject, n), make([][]float64, n)
		for i := range n {
			x2[i] = []float64{2 * x[i][0]}
			rs[n-1-i], rx[n-1-i] = subs[i], x[i]
		}
		opt := CoxOptions{Ties: opt0(b)}
		if m2, err := FitCox(subs, x2, []string{"x"}, opt); err == nil {
			if d := math.Abs(2*m2.Coef[0] - m.Coef[0]); d > 1e-6*(1+math.Abs(m.Coef[0])) {
				t.Fatalf("doubled covariate: %v vs %v", m2.Coef[0], m.Coef[0])
			}
		}
		if m3, err := FitCox(rs, rx, []string{"x"}, opt); err != nil || math.Abs(m3.Coef[0]-m.Coef[0]) > 1e-6*(1+math.Abs(m.Coef[0])) {
			t.Fatalf("reversed subjects: %v (%v) vs %v", m3.Coef, err, m.Coef)
		}
	})
}

// opt0 is the tie handling FuzzFitCox reads from its input.
func opt0(b []byte) Ties { return Ties(b[0] & 1) }

// BenchmarkFitCox1M fits 1 M subjects with 5 covariates (a synthetic proportional-hazards
// sample; see bench/cox for the comparison with R's coxph).
func BenchmarkFitCox1M(b *testing.B) { benchFitCox1M(b, false) }

// BenchmarkFitCox1MLateEntry is BenchmarkFitCox1M with a late entry for every other subject
// (at a uniform share in [0, 0.5) of its duration): the compensated risk-set sums of riskSums.
func BenchmarkFitCox1MLateEntry(b *testing.B) { benchFitCox1M(b, true) }

func benchFitCox1M(b *testing.B, lateEntry bool) {
	const n, p = 1_000_000, 5
	subs := make([]Subject, n)
	x := make([][]float64, n)
	seed := uint64(1)
	rnd := func() float64 {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return float64(seed>>11) / (1 << 53)
	}
	beta := []float64{0.5, -0.3, 0.2, 0.1, -0.4}
	for i := range n {
		row := make([]float64, p)
		eta := 0.0
		for j := range p {
			row[j] = rnd()*2 - 1
			eta += beta[j] * row[j]
		}
		tt := -math.Log(rnd()+1e-300) / math.Exp(eta)
		c := rnd() * 2
		subs[i] = Subject{Duration: math.Min(tt, c), Churned: tt <= c}
		if lateEntry && i%2 == 1 {
			subs[i].Entry = rnd() / 2 * subs[i].Duration
		}
		x[i] = row
	}
	names := []string{"a", "b", "c", "d", "e"}
	b.ResetTimer()
	for range b.N {
		if _, err := FitCox(subs, x, names, CoxOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
