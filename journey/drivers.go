package journey

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"

	"github.com/cxkit/cxkit"
	"gonum.org/v1/gonum/mat"
)

// MaxPredictors is the largest number of predictors RelativeImportance decomposes exactly
// (over all 2^p subsets: 32,768 regressions at 15).
const MaxPredictors = 15

// Importance decomposes the R² of a linear regression of y on the predictors into the share
// each predictor contributes.
type Importance struct {
	// R2 is the coefficient of determination of the regression on all predictors.
	R2 float64 `json:"r2"`
	// LMG is the Lindeman–Merenda–Gold share of each predictor (Lindeman, Merenda & Gold 1980;
	// Kruskal 1987): the increase in R² from adding it, averaged over all orderings of the
	// predictors — the Shapley value of R², as R's relaimpo computes type "lmg". Non-negative,
	// summing to R2. Computed exactly over all subsets.
	LMG map[string]float64 `json:"lmg"`
	// RelativeWeights are Johnson's (2000) relative weights: y is regressed on the orthogonal
	// approximation Z = R^½ of the standardised predictors (R their correlation matrix), and
	// each predictor's weight is Σ_k (R^½)_jk² β_k². Non-negative, summing to R2; close to LMG
	// and much cheaper for many predictors.
	RelativeWeights map[string]float64 `json:"relative_weights"`
	// Names are the predictors in decreasing order of LMG.
	Names []string `json:"names"`
	// N is the number of complete cases used; Dropped the cases left out for a missing value.
	N       int `json:"n"`
	Dropped int `json:"dropped"`
}

// RelativeImportance decomposes the R² of the least-squares regression of y on the predictors
// x (name → values, each as long as y) into LMG shares and relative weights; see [Importance].
// Missing answers are NaN: cases with a NaN in y or in any predictor are left out (listwise
// deletion, as lm and relaimpo do by default) and counted in Importance.Dropped.
//
// Errors: fewer than 1 or more than MaxPredictors predictors, or a predictor whose length
// differs from y's, wrap ErrInvalid; an infinite value wraps ErrOutOfRange (naming the
// predictor and the index); fewer complete cases than predictors + 2 wraps ErrEmpty; a
// constant y or predictor, or predictors that are exactly collinear, wrap
// cxkit.ErrNotIdentified.
func RelativeImportance(y []float64, x map[string][]float64) (Importance, error) {
	return RelativeImportanceWeighted(y, x, nil)
}

// RelativeImportanceWeighted is RelativeImportance with case weights w (nil: all 1): the
// regression is weighted least squares on the weighted covariance matrix, as relaimpo's
// weights argument gives. Weights must be finite and ≥ 0; a case of weight 0 is left out.
func RelativeImportanceWeighted(y []float64, x map[string][]float64, w []float64) (Importance, error) {
	p := len(x)
	if p < 1 || p > MaxPredictors {
		return Importance{}, fmt.Errorf("journey: %d predictors, want 1..%d: %w", p, MaxPredictors, ErrInvalid)
	}
	names := make([]string, 0, p)
	for k := range x {
		names = append(names, k)
	}
	sort.Strings(names)
	n := len(y)
	for _, k := range names {
		if len(x[k]) != n {
			return Importance{}, fmt.Errorf("journey: predictor %q has %d values, y has %d: %w", k, len(x[k]), n, ErrInvalid)
		}
	}
	if w != nil && len(w) != n {
		return Importance{}, fmt.Errorf("journey: %d weights for %d cases: %w", len(w), n, ErrInvalid)
	}
	// Weighted means and covariances over the complete cases, in one matrix [y, x...].
	cols := append([][]float64{y}, make([][]float64, p)...)
	for j, k := range names {
		cols[j+1] = x[k]
	}
	keep := make([]int, 0, n)
	dropped := 0
rows:
	for i := 0; i < n; i++ {
		wi := 1.0
		if w != nil {
			wi = w[i]
			if math.IsNaN(wi) || math.IsInf(wi, 0) || wi < 0 {
				return Importance{}, fmt.Errorf("journey: weight %v at index %d must be finite and non-negative: %w", wi, i, ErrOutOfRange)
			}
		}
		for j, c := range cols {
			v := c[i]
			if math.IsInf(v, 0) {
				what := "y"
				if j > 0 {
					what = fmt.Sprintf("predictor %q", names[j-1])
				}
				return Importance{}, fmt.Errorf("journey: %s is %v at index %d: %w", what, v, i, ErrOutOfRange)
			}
			if math.IsNaN(v) {
				dropped++
				continue rows
			}
		}
		if wi == 0 {
			dropped++
			continue
		}
		keep = append(keep, i)
	}
	if len(keep) < p+2 {
		return Importance{}, fmt.Errorf("journey: %d complete cases for %d predictors (need at least %d): %w", len(keep), p, p+2, ErrEmpty)
	}
	q := p + 1
	mean := make([]float64, q)
	sw := 0.0
	for _, i := range keep {
		wi := weightAt(w, i)
		sw += wi
		for j, c := range cols {
			mean[j] += wi * c[i]
		}
	}
	for j := range mean {
		mean[j] /= sw
	}
	cov := mat.NewSymDense(q, nil)
	d := make([]float64, q)
	for _, i := range keep {
		wi := weightAt(w, i)
		for j, c := range cols {
			d[j] = c[i] - mean[j]
		}
		for j := 0; j < q; j++ {
			for k := j; k < q; k++ {
				cov.SetSym(j, k, cov.At(j, k)+wi*d[j]*d[k])
			}
		}
	}
	sd := make([]float64, q)
	for j := range sd {
		sd[j] = math.Sqrt(cov.At(j, j))
		if !(sd[j] > 1e-12*(1+math.Abs(mean[j]))*math.Sqrt(sw)) {
			what := "y"
			if j > 0 {
				what = fmt.Sprintf("predictor %q", names[j-1])
			}
			return Importance{}, fmt.Errorf("journey: %s is constant over the %d complete cases: %w", what, len(keep), cxkit.ErrNotIdentified)
		}
	}
	// Correlations: rxx (p × p) and rxy (p).
	rxx := mat.NewSymDense(p, nil)
	rxy := make([]float64, p)
	for j := 0; j < p; j++ {
		rxy[j] = cov.At(0, j+1) / (sd[0] * sd[j+1])
		for k := j; k < p; k++ {
			rxx.SetSym(j, k, cov.At(j+1, k+1)/(sd[j+1]*sd[k+1]))
		}
	}
	r2, err := subsetR2(rxx, rxy)
	if err != nil {
		return Importance{}, err
	}
	full := r2[len(r2)-1]
	lmg := lmgShares(r2, p)
	rw, err := relativeWeights(rxx, rxy)
	if err != nil {
		return Importance{}, err
	}
	imp := Importance{R2: full, LMG: map[string]float64{}, RelativeWeights: map[string]float64{}, N: len(keep), Dropped: dropped}
	for j, k := range names {
		imp.LMG[k] = lmg[j]
		imp.RelativeWeights[k] = rw[j]
	}
	imp.Names = slices.Clone(names)
	slices.SortStableFunc(imp.Names, func(a, b string) int {
		switch {
		case imp.LMG[a] > imp.LMG[b]:
			return -1
		case imp.LMG[a] < imp.LMG[b]:
			return 1
		}
		return 0
	})
	return imp, nil
}

func weightAt(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

// subsetR2 returns R² of every subset of the predictors, indexed by bit mask (r2[0] = 0), from
// the correlation matrix: R²(S) = r_S' R_SS⁻¹ r_S, each by a Cholesky factorisation.
func subsetR2(rxx *mat.SymDense, rxy []float64) ([]float64, error) {
	p := len(rxy)
	r2 := make([]float64, 1<<p)
	idx := make([]int, 0, p)
	for mask := 1; mask < len(r2); mask++ {
		idx = idx[:0]
		for j := 0; j < p; j++ {
			if mask&(1<<j) != 0 {
				idx = append(idx, j)
			}
		}
		k := len(idx)
		s := mat.NewSymDense(k, nil)
		b := mat.NewVecDense(k, nil)
		for a, i := range idx {
			b.SetVec(a, rxy[i])
			for c := a; c < k; c++ {
				s.SetSym(a, c, rxx.At(i, idx[c]))
			}
		}
		var ch mat.Cholesky
		if ok := ch.Factorize(s); !ok || ch.Cond() > 1e12 {
			return nil, fmt.Errorf("journey: predictors are (nearly) collinear (condition number of their correlation matrix above 1e12): %w", cxkit.ErrNotIdentified)
		}
		var sol mat.VecDense
		if err := ch.SolveVecTo(&sol, b); err != nil {
			return nil, fmt.Errorf("journey: %v: %w", err, cxkit.ErrNotIdentified)
		}
		v := mat.Dot(b, &sol)
		r2[mask] = math.Min(1, math.Max(0, v))
	}
	return r2, nil
}

// lmgShares averages each predictor's increase in R² over all orderings: for predictor j and a
// subset S of the others, the weight of R²(S ∪ j) − R²(S) is |S|!(p−|S|−1)!/p!.
func lmgShares(r2 []float64, p int) []float64 {
	wt := make([]float64, p) // wt[s] = s!(p−s−1)!/p!
	for s := 0; s < p; s++ {
		lg := lgammaInt(s+1) + lgammaInt(p-s) - lgammaInt(p+1)
		wt[s] = math.Exp(lg)
	}
	out := make([]float64, p)
	for mask := range r2 {
		s := bits.OnesCount(uint(mask))
		if s == p {
			continue
		}
		for j := 0; j < p; j++ {
			if mask&(1<<j) == 0 {
				out[j] += wt[s] * (r2[mask|1<<j] - r2[mask])
			}
		}
	}
	return out
}

func lgammaInt(n int) float64 {
	v, _ := math.Lgamma(float64(n))
	return v
}

// relativeWeights are Johnson's (2000) weights from the correlation matrix.
func relativeWeights(rxx *mat.SymDense, rxy []float64) ([]float64, error) {
	p := len(rxy)
	var eig mat.EigenSym
	if ok := eig.Factorize(rxx, true); !ok {
		return nil, fmt.Errorf("journey: eigen-decomposition of the predictors' correlations failed: %w", cxkit.ErrNotIdentified)
	}
	vals := eig.Values(nil)
	var vec mat.Dense
	eig.VectorsTo(&vec)
	// Λ = R^½ = V diag(√λ) V'.
	sq := mat.NewDense(p, p, nil)
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			v := 0.0
			for k := 0; k < p; k++ {
				v += vec.At(i, k) * math.Sqrt(math.Max(vals[k], 0)) * vec.At(j, k)
			}
			sq.Set(i, j, v)
		}
	}
	// β = Λ⁻¹ r_xy (regression of y on the orthogonal Z = X Λ⁻¹, whose correlations with X are Λ).
	var beta mat.VecDense
	if err := beta.SolveVec(sq, mat.NewVecDense(p, slices.Clone(rxy))); err != nil {
		return nil, fmt.Errorf("journey: %v: %w", err, cxkit.ErrNotIdentified)
	}
	out := make([]float64, p)
	for j := 0; j < p; j++ {
		for k := 0; k < p; k++ {
			l := sq.At(j, k)
			out[j] += l * l * beta.AtVec(k) * beta.AtVec(k)
		}
	}
	return out, nil
}
