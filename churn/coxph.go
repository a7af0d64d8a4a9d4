package churn

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// PHTest is the test of the proportional-hazards assumption of a Cox fit, as R's
// cox.zph(fit) computes it (survival ≥ 3.0, transform = "km"): for each covariate, a score
// test that adding the interaction βⱼ·xⱼ·g(t) with a function of time does not improve the
// fit — equivalently, that the scaled Schoenfeld residuals of xⱼ have no linear trend in g(t)
// (Grambsch & Therneau 1994). A small P says the covariate's hazard ratio changes over the
// customer's lifetime: early detractors may leave fast and late ones not at all.
//
// The time transform is "km": g(t) = 1 − Ŝ(t−), one minus the left-continuous Kaplan–Meier
// estimate of the pooled, unweighted subjects (computed with KaplanMeier), centred at its mean
// over the churn events. When the test is undefined — the information about the time
// interaction is singular, e.g. all churn events at one time — its ChiSquare and P are NaN.
// It spreads the event times evenly and is robust to a few very long
// durations.
type PHTest struct {
	// Transform is the time transform, "km".
	Transform string `json:"transform"`
	// Covariates holds one test per covariate (1 degree of freedom each), in the model's
	// order.
	Covariates []PHTerm `json:"covariates"`
	// Global is the joint test of all covariates (p degrees of freedom).
	Global CoxTest `json:"global"`
}

// PHTerm is the proportional-hazards test of one covariate.
type PHTerm struct {
	Name string `json:"name"`
	CoxTest
}

// zph computes the proportional-hazards test at the fitted beta, whose information is imat.
func (d *coxData) zph(beta, imat []float64) (PHTest, error) {
	p := d.p
	// Unweighted pooled KM with late entry, on the callers' subjects.
	subs := make([]Subject, d.n)
	for k := range subs {
		subs[k] = Subject{Duration: d.stop[k], Churned: d.event[k], Entry: d.entry[k]}
	}
	km, err := KaplanMeier(subs)
	if err != nil {
		return PHTest{}, fmt.Errorf("churn: proportional-hazards test: %w", err)
	}
	// ttime(t) = 1 − S(t−)
	ttime := func(t float64) float64 {
		i := sort.SearchFloat64s(km.Time, t) - 1 // last time < t
		if i < 0 {
			return 0
		}
		return 1 - km.Survival[i]
	}
	mean, ne := 0.0, 0
	for k := range d.n {
		if d.event[k] {
			mean += ttime(d.stop[k])
			ne++
		}
	}
	mean /= float64(ne)
	u2 := make([]float64, p)
	i12 := make([]float64, p*p)
	i22 := make([]float64, p*p)
	e := newCoxEval(p)
	d.eval(beta, e, &coxHooks{group: func(h int, t float64, u, im []float64) {
		g := ttime(t) - mean
		for a := range p {
			u2[a] += g * u[a]
			for b := range p {
				i12[a*p+b] += g * im[a*p+b]
				i22[a*p+b] += g * g * im[a*p+b]
			}
		}
	}})
	// Full 2p information [[I11, I12], [I21, I22]].
	full := mat.NewSymDense(2*p, nil)
	for a := range p {
		for b := a; b < p; b++ {
			full.SetSym(a, b, imat[a*p+b])
			full.SetSym(p+a, p+b, i22[a*p+b])
		}
		for b := range p {
			full.SetSym(a, p+b, i12[a*p+b])
		}
	}
	out := PHTest{Transform: "km", Covariates: make([]PHTerm, p)}
	for j := range p {
		// Sub-matrix on (1..p, p+j).
		idx := make([]int, 0, p+1)
		for a := range p {
			idx = append(idx, a)
		}
		idx = append(idx, p+j)
		sub := mat.NewSymDense(p+1, nil)
		for r, a := range idx {
			for c := r; c < len(idx); c++ {
				sub.SetSym(r, c, full.At(a, idx[c]))
			}
		}
		u := mat.NewVecDense(p+1, nil)
		u.SetVec(p, u2[j])
		chi, ok := quadSolve(sub, u)
		if !ok || !(i22[j*p+j] > 1e-12*imat[j*p+j]) {
			chi = math.NaN()
		}
		out.Covariates[j] = PHTerm{Name: d.names[j], CoxTest: newCoxTest(chi, 1)}
	}
	u := mat.NewVecDense(2*p, nil)
	for a := range p {
		u.SetVec(p+a, u2[a])
	}
	chi, ok := quadSolve(full, u)
	if !ok {
		chi = math.NaN()
	}
	for _, c := range out.Covariates {
		if math.IsNaN(c.ChiSquare) {
			chi = math.NaN()
		}
	}
	out.Global = newCoxTest(chi, p)
	return out, nil
}

// quadSolve returns uᵀA⁻¹u for a positive-definite A.
func quadSolve(a *mat.SymDense, u *mat.VecDense) (float64, bool) {
	var ch mat.Cholesky
	if !ch.Factorize(a) {
		return 0, false
	}
	var x mat.VecDense
	if err := ch.SolveVecTo(&x, u); err != nil {
		return 0, false
	}
	v := mat.Dot(u, &x)
	return v, !math.IsNaN(v) && !math.IsInf(v, 0)
}

// concordance computes Harrell's C of the final linear predictor (d.eta), within strata, in
// O(n log n) with a Fenwick tree over the ranks of η.
func (d *coxData) concordance() float64 {
	var conc, disc, tied float64
	for h := 0; h+1 < len(d.strata); h++ {
		lo, hi := d.strata[h], d.strata[h+1]
		m := hi - lo
		vals := slices.Clone(d.eta[lo:hi])
		slices.Sort(vals)
		vals = slices.Compact(vals)
		rank := make([]int, m)
		for k := range m {
			rank[k], _ = slices.BinarySearch(vals, d.eta[lo+k])
		}
		tree := make([]float64, len(vals)+1)
		add := func(r int, w float64) {
			for i := r + 1; i < len(tree); i += i & -i {
				tree[i] += w
			}
		}
		below := func(r int) float64 { // weight of ranks < r
			s := 0.0
			for i := r; i > 0; i -= i & -i {
				s += tree[i]
			}
			return s
		}
		total := 0.0
		var byEntry []int
		if d.byEntry != nil {
			byEntry = d.byEntry[h]
		}
		q := 0
		for i := lo; i < hi; {
			t := d.stop[i]
			for q < len(byEntry) && d.entry[byEntry[q]] >= t {
				k := byEntry[q]
				add(rank[k-lo], -d.w[k])
				total -= d.w[k]
				q++
			}
			j := i
			for ; j < hi && d.stop[j] == t; j++ {
				if !d.event[j] {
					add(rank[j-lo], d.w[j])
					total += d.w[j]
				}
			}
			for k := i; k < j; k++ {
				if d.event[k] {
					r := rank[k-lo]
					lt, le := below(r), below(r+1)
					w := d.w[k]
					conc += w * lt
					tied += w * (le - lt)
					disc += w * (total - le)
				}
			}
			for k := i; k < j; k++ {
				if d.event[k] {
					add(rank[k-lo], d.w[k])
					total += d.w[k]
				}
			}
			i = j
		}
	}
	if conc+disc+tied == 0 {
		return math.NaN()
	}
	return (conc + tied/2) / (conc + disc + tied)
}
