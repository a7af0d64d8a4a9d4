package churn

import (
	"math"
	"testing"
)

// The risk-set sums of FitCox, Cox.Residuals and the robust variance are kept as running sums
// over a sweep of the sorted data; a late entrant leaves the risk set again when the sweep
// passes its entry time. These tests check them against brute force — every risk set summed
// directly, no running sums — on late-entry data whose risk scores span e^31, where removing a
// subject by subtraction from a running sum would leave only rounding noise of the small
// subjects' sums (issue: precision of Cox with late entry).

// bruteCox holds the brute-force log partial likelihood, score, information and residuals at
// one β.
type bruteCox struct {
	loglik float64
	u      []float64
	imat   []float64 // p×p
	mart   []float64 // per subject, caller's order
	score  [][]float64
}

// bruteCoxAt evaluates the Cox partial likelihood at beta from its definition: at each
// distinct churn time t of a stratum the risk set is {i : Entry < t ≤ Duration} (Entry = 0: at
// risk from time 0 on, a churn at Duration 0 included, as Subject documents); Efron's k-th
// term (k = 0..d−1) gives the churners at t the factor 1 − k/d (Breslow: one term, factor 1).
// Every sum is over that set directly, in float64; means and covariances are taken about the
// term's mean (two passes).
func bruteCoxAt(subs []Subject, x [][]float64, beta []float64, ties Ties, strata []int) bruteCox {
	n, p := len(subs), len(beta)
	out := bruteCox{u: make([]float64, p), imat: make([]float64, p*p), mart: make([]float64, n), score: make([][]float64, n)}
	eta := make([]float64, n)
	for i := range n {
		for a := range p {
			eta[i] += beta[a] * x[i][a]
		}
		out.score[i] = make([]float64, p)
	}
	stratum := func(i int) int {
		if strata == nil {
			return 0
		}
		return strata[i]
	}
	// hz[i] accumulates exp(η_i)·Σ dΛ over its time at risk, hb[i] the same times the term
	// means (for the score residuals).
	hz := make([]float64, n)
	hb := make([][]float64, n)
	for i := range hb {
		hb[i] = make([]float64, p)
	}
	done := map[[2]float64]bool{}
	for i0 := range n {
		if !subs[i0].Churned {
			continue
		}
		t, h := subs[i0].Duration, stratum(i0)
		if done[[2]float64{float64(h), t}] {
			continue
		}
		done[[2]float64{float64(h), t}] = true
		var risk, dead []int
		dw := 0.0
		for i := range n {
			if stratum(i) != h || !((subs[i].Entry == 0 || subs[i].Entry < t) && t <= subs[i].Duration) {
				continue
			}
			risk = append(risk, i)
			if subs[i].Churned && subs[i].Duration == t {
				dead = append(dead, i)
				dw += subs[i].weight()
			}
		}
		nd := len(dead)
		if ties == Breslow {
			nd = 1
		}
		wtave := dw / float64(nd)
		xbar := make([]float64, p)
		for _, i := range dead {
			out.loglik += subs[i].weight() * eta[i]
			for a := range p {
				out.u[a] += subs[i].weight() * x[i][a]
			}
		}
		for k := range nd {
			c := float64(k) / float64(nd)
			fac := func(i int) float64 {
				if subs[i].Churned && subs[i].Duration == t {
					return 1 - c
				}
				return 1
			}
			den := 0.0
			mean := make([]float64, p)
			for _, i := range risk {
				r := fac(i) * subs[i].weight() * math.Exp(eta[i])
				den += r
				for a := range p {
					mean[a] += r * x[i][a]
				}
			}
			for a := range p {
				mean[a] /= den
				xbar[a] += mean[a] / float64(nd)
				out.u[a] -= wtave * mean[a]
			}
			out.loglik -= wtave * math.Log(den)
			for _, i := range risk {
				r := fac(i) * subs[i].weight() * math.Exp(eta[i])
				for a := range p {
					for b := range p {
						out.imat[a*p+b] += wtave * r * (x[i][a] - mean[a]) * (x[i][b] - mean[b]) / den
					}
				}
				// Residuals: unweighted risk, Efron's factor for the churners at t.
				dl := fac(i) * math.Exp(eta[i]) * wtave / den
				hz[i] += dl
				for a := range p {
					hb[i][a] += dl * (x[i][a] - mean[a])
				}
			}
		}
		for _, i := range dead {
			for a := range p {
				out.score[i][a] += x[i][a] - xbar[a]
			}
		}
	}
	for i := range n {
		out.mart[i] = -hz[i]
		if subs[i].Churned {
			out.mart[i]++
		}
		for a := range p {
			out.score[i][a] -= hb[i][a]
		}
	}
	return out
}

// lateEntrySpan is a late-entry data set with two covariates: the "big" subjects (x₁ ≈ 3)
// enter at 5, so the churn times 1–4 have only "small" subjects (x₁ ≈ 0) at risk; at β₁ = 10
// the risk scores span e^31. Ties at times 2, 4 and 8; one case weight 2.
func lateEntrySpan() ([]Subject, [][]float64) {
	subs := []Subject{
		{Entry: 0, Duration: 1, Churned: true},
		{Entry: 0, Duration: 2, Churned: true},
		{Entry: 0.5, Duration: 2, Churned: true, Weight: 2},
		{Entry: 0, Duration: 3, Churned: false},
		{Entry: 0, Duration: 3, Churned: true},
		{Entry: 0, Duration: 4, Churned: true},
		{Entry: 1.5, Duration: 4, Churned: true},
		{Entry: 0, Duration: 6, Churned: false},
		{Entry: 0, Duration: 9, Churned: true},
		{Entry: 0, Duration: 10, Churned: false},
		{Entry: 5, Duration: 7, Churned: true},
		{Entry: 5, Duration: 8, Churned: true},
		{Entry: 5, Duration: 8, Churned: true},
		{Entry: 5, Duration: 9, Churned: false},
		{Entry: 5, Duration: 10, Churned: true},
		{Entry: 4.5, Duration: 10, Churned: false},
	}
	x := [][]float64{
		{0, 1}, {0.1, -1}, {0, 0.5}, {0.2, 2}, {0.1, 0}, {0, -0.5}, {0.2, 1}, {0.1, 0},
		{0.2, -2}, {0, 1},
		{3, 0}, {3.1, 1}, {3, -1}, {3.1, 0.5}, {3, 2}, {3.1, -0.5},
	}
	return subs, x
}

func closeRel(got, want, scale, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(scale, 1e-300)
}

// wideBetas are the coefficients of the wide-span tests: at β₁ = 10 the risk scores of
// lateEntrySpan span e^31 (compensated running sums alone would suffice), at β₁ = 25 e^77.5
// (beyond what one compensated sum holds: the large and small scores must be summed apart, in
// riskSums' bands).
var wideBetas = [][]float64{{10, 0.5}, {25, 0.5}}

// TestCoxLateEntryWideSpan checks the log partial likelihood, score and information of the
// sweep against brute force at wideBetas, Efron and Breslow, with and without strata.
func TestCoxLateEntryWideSpan(t *testing.T) {
	subs, x := lateEntrySpan()
	strata := make([]int, len(subs))
	for i := range strata {
		strata[i] = i % 2
	}
	for _, beta := range wideBetas {
		for _, ties := range []Ties{Efron, Breslow} {
			for _, st := range [][]int{nil, strata} {
				opt := CoxOptions{Ties: ties, Strata: st}
				d, err := newCoxData(subs, x, []string{"a", "b"}, opt)
				if err != nil {
					t.Fatal(err)
				}
				e := newCoxEval(2)
				if !d.eval(beta, e, nil) {
					t.Fatal("eval failed")
				}
				want := bruteCoxAt(subs, x, beta, ties, st)
				if !closeRel(e.loglik, want.loglik, math.Abs(want.loglik), 1e-12) {
					t.Errorf("β %v %v strata %v: loglik %.17g, brute force %.17g", beta, ties, st != nil, e.loglik, want.loglik)
				}
				uscale := 0.0
				for _, v := range want.u {
					uscale = math.Max(uscale, math.Abs(v))
				}
				for a := range 2 {
					if !closeRel(e.u[a], want.u[a], uscale, 1e-12) {
						t.Errorf("β %v %v strata %v: score[%d] %.17g, brute force %.17g", beta, ties, st != nil, a, e.u[a], want.u[a])
					}
				}
				for a := range 4 {
					if !closeRel(e.imat[a], want.imat[a], math.Sqrt(want.imat[0]*want.imat[3]), 1e-10) {
						t.Errorf("β %v %v strata %v: information[%d] %.17g, brute force %.17g", beta, ties, st != nil, a, e.imat[a], want.imat[a])
					}
				}
			}
		}
	}
}

// TestCoxResidualsLateEntryWideSpan checks the martingale and score residuals and the robust
// variance at wideBetas against brute force on the same data.
func TestCoxResidualsLateEntryWideSpan(t *testing.T) {
	subs, x := lateEntrySpan()
	names := []string{"a", "b"}
	for _, beta := range wideBetas {
		for _, ties := range []Ties{Efron, Breslow} {
			opt := CoxOptions{Ties: ties}
			m, err := FitCox(subs, x, names, opt)
			if err != nil {
				t.Fatal(err)
			}
			m.Coef = beta // residuals at a β where the scores span e^31
			r, err := m.Residuals(subs, x, opt)
			if err != nil {
				t.Fatal(err)
			}
			want := bruteCoxAt(subs, x, beta, ties, nil)
			sum := 0.0
			for i := range subs {
				sum += subs[i].weight() * r.Martingale[i]
				if !closeRel(r.Martingale[i], want.mart[i], math.Max(1, math.Abs(want.mart[i])), 1e-12) {
					t.Errorf("β %v %v: martingale residual %d: %.17g, brute force %.17g", beta, ties, i, r.Martingale[i], want.mart[i])
				}
				for a := range 2 {
					if !closeRel(r.Score[i][a], want.score[i][a], 1+math.Abs(want.score[i][a]), 1e-11) {
						t.Errorf("β %v %v: score residual %d[%d]: %.17g, brute force %.17g", beta, ties, i, a, r.Score[i][a], want.score[i][a])
					}
				}
			}
			// Σ wᵢMᵢ = 0 exactly in exact arithmetic (the baseline hazard's score equation).
			if math.Abs(sum) > 1e-12*float64(len(subs)) {
				t.Errorf("β %v %v: weighted martingale residuals sum to %v", beta, ties, sum)
			}

			// Robust variance V·(Σ wᵢ²uᵢuᵢᵀ)·V with V the inverse of the brute-force information.
			det := want.imat[0]*want.imat[3] - want.imat[1]*want.imat[2]
			v := []float64{want.imat[3] / det, -want.imat[1] / det, -want.imat[2] / det, want.imat[0] / det}
			meat := make([]float64, 4)
			for i := range subs {
				w := subs[i].weight()
				for a := range 2 {
					for b := range 2 {
						meat[a*2+b] += w * w * want.score[i][a] * want.score[i][b]
					}
				}
			}
			rv := make([]float64, 4)
			for a := range 2 {
				for b := range 2 {
					for c := range 2 {
						for e := range 2 {
							rv[a*2+b] += v[a*2+c] * meat[c*2+e] * v[e*2+b]
						}
					}
				}
			}
			ro := opt
			ro.Robust = true
			d, err := newCoxData(subs, x, names, ro)
			if err != nil {
				t.Fatal(err)
			}
			mr := Cox{Names: names, Coef: beta, Var: [][]float64{{v[0], v[1]}, {v[2], v[3]}}, StdErr: []float64{math.Sqrt(v[0]), math.Sqrt(v[3])}}
			if err := d.robust(&mr); err != nil {
				t.Fatal(err)
			}
			for a := range 2 {
				for b := range 2 {
					if !closeRel(mr.Var[a][b], rv[a*2+b], math.Sqrt(rv[0]*rv[3]), 1e-9) {
						t.Errorf("β %v %v: robust variance [%d][%d]: %.17g, brute force %.17g", beta, ties, a, b, mr.Var[a][b], rv[a*2+b])
					}
				}
			}
		}
	}
}
