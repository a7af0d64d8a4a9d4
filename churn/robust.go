package churn

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// robust replaces the model's variance by the robust (sandwich) variance V·(Σ_g D_g D_gᵀ)·V,
// D_g the sum of wᵢ·Lᵢ over the subjects of cluster g (Lᵢ the score residuals), and recomputes
// the standard errors and the Wald test with it.
func (d *coxData) robust(m *Cox) error {
	p := d.p
	e := newCoxEval(p)
	if !d.eval(m.Coef, e, nil) {
		return fmt.Errorf("churn: robust variance: the partial likelihood is not finite: %w", ErrOutOfRange)
	}
	_, score, _, err := d.residualPass()
	if err != nil {
		return fmt.Errorf("churn: robust variance: %w", err)
	}
	// Weighted score residuals summed by cluster (caller's order: score is indexed by the
	// caller's index, d.w by the sorted one).
	w := make([]float64, d.n)
	for k, i := range d.orig {
		w[i] = d.w[k]
	}
	sums := map[int][]float64{}
	var order []int
	for i, u := range score {
		g := i
		if d.opt.Cluster != nil {
			g = d.opt.Cluster[i]
		}
		acc, ok := sums[g]
		if !ok {
			acc = make([]float64, p)
			sums[g] = acc
			order = append(order, g)
		}
		for a := range p {
			acc[a] += w[i] * u[a]
		}
	}
	slices.Sort(order) // a fixed order of summation
	meat := mat.NewSymDense(p, nil)
	for _, g := range order {
		acc := sums[g]
		for a := range p {
			for b := a; b < p; b++ {
				meat.SetSym(a, b, meat.At(a, b)+acc[a]*acc[b])
			}
		}
	}
	v := mat.NewDense(p, p, nil)
	for a := range p {
		for b := range p {
			v.Set(a, b, m.Var[a][b])
		}
	}
	var tmp, rv mat.Dense
	tmp.Mul(v, meat)
	rv.Mul(&tmp, v)
	m.NaiveVar, m.NaiveStdErr = m.Var, m.StdErr
	m.Var, m.StdErr, m.Robust = make([][]float64, p), make([]float64, p), true
	for a := range p {
		m.Var[a] = make([]float64, p)
		for b := range p {
			m.Var[a][b] = (rv.At(a, b) + rv.At(b, a)) / 2
		}
		se := math.Sqrt(m.Var[a][a])
		if !(se > 0) || math.IsInf(se, 0) {
			return fmt.Errorf("churn: covariate %q has robust standard error %v: %w", d.names[a], se, ErrNotIdentified)
		}
		m.StdErr[a] = se
	}
	sym := mat.NewSymDense(p, nil)
	for a := range p {
		for b := a; b < p; b++ {
			sym.SetSym(a, b, m.Var[a][b])
		}
	}
	wald, ok := quadSolve(sym, mat.NewVecDense(p, slices.Clone(m.Coef)))
	if !ok {
		return fmt.Errorf("churn: the robust variance is singular (fewer clusters than covariates?): %w", ErrNotIdentified)
	}
	m.Wald = newCoxTest(wald, p)
	return nil
}
