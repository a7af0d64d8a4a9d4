package countmodel

import (
	"fmt"
	"math"
	"slices"

	"github.com/cxkit/cxkit"
	"gonum.org/v1/gonum/mat"
)

// Identification limits of a maximum-likelihood fit (see Identify).
const (
	// RunOff bounds each log-parameter's distance from its natural scale (0 for shape
	// parameters, the log of the data's time or spend scale for rate parameters): beyond
	// e^±15 (3.3 million) the parameter is on its way to 0 or ∞, the limit of a degenerate
	// model (all customers alike, no drop-out, ...), not an estimate.
	RunOff = 15
	// MaxLogSE bounds the standard error of a log-parameter: above 10 the data do not pin
	// the parameter down to within a factor of e^20 (5·10⁸) at two standard errors.
	MaxLogSE = 10
	// infoStep is the step, in log-parameters, of the differences of analytic gradients
	// that give the information matrix.
	infoStep = 1e-4
)

// Information returns the observed information matrix in log-parameters at theta: the
// Hessian of the total negative log-likelihood W·f, where f is a mean objective with an
// analytic gradient, by differences of that gradient, symmetrised. With central differences
// (2n gradients, error O(h²)) it serves the standard errors; forward differences (n+1
// gradients, error O(h)) are enough for the identification check at the end of a fit. The
// gradients are evaluated in parallel, each goroutine on an objective of its own made by mk
// (objectives keep scratch space).
func Information(mk func() func(theta, grad []float64) float64, theta []float64, W float64, central bool) *mat.SymDense {
	h, _ := information(mk, theta, W, central, nil)
	return h
}

// information is Information that also returns the gradients it evaluated (in the order of
// its evaluations: central, 2j at θ + h e_j and 2j+1 at θ − h e_j; forward, j < n at θ + h e_j
// and n at θ) and takes gradients already known: known (nil for none) returns, for evaluation
// e at point x, the gradient at x if it is known, or nil; those are not evaluated again.
func information(mk func() func(theta, grad []float64) float64, theta []float64, W float64, central bool, known func(e int, x []float64) []float64) (*mat.SymDense, [][]float64) {
	n := len(theta)
	// Evaluation e: 2j+0 is θ + h e_j, 2j+1 is θ − h e_j (central) or θ (forward, j = n).
	evals := n + 1
	if central {
		evals = 2 * n
	}
	point := func(e int, x []float64) {
		copy(x, theta)
		if central {
			j := e / 2
			x[j] += infoStep * float64(1-2*(e%2))
		} else if e < n {
			x[e] += infoStep
		}
	}
	grads := make([][]float64, evals)
	var todo []int // the evaluations not known
	x := make([]float64, n)
	for e := range evals {
		if known != nil {
			point(e, x)
			if g := known(e, x); g != nil {
				grads[e] = g
				continue
			}
		}
		todo = append(todo, e)
	}
	ForChunks(len(todo), 1, func() func(k, lo, hi int) {
		obj := mk()
		x := slices.Clone(theta)
		return func(k, _, _ int) {
			e := todo[k]
			point(e, x)
			g := make([]float64, n)
			obj(x, g)
			grads[e] = g
		}
	})
	rows := make([][]float64, n)
	for j := range rows {
		rows[j] = make([]float64, n)
		for i := range rows[j] {
			if central {
				rows[j][i] = (grads[2*j][i] - grads[2*j+1][i]) / (2 * infoStep) * W
			} else {
				rows[j][i] = (grads[j][i] - grads[n][i]) / infoStep * W
			}
		}
	}
	h := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			h.SetSym(i, j, (rows[i][j]+rows[j][i])/2)
		}
	}
	return h, grads
}

// Probe holds the gradients that a fit's identification check evaluated at θ + h e_j, one
// per parameter (the forward differences), where θ = ln p are the fitted log-parameters
// exactly as EstimatesFrom takes them from the parameters p: the central differences of the
// standard errors at the same θ on the same data need only their other half, θ − h e_j, and
// give the same information matrix to the last bit.
type Probe struct {
	Theta []float64   // θ
	Plus  [][]float64 // Plus[j]: the gradient at θ + h e_j
}

// usable reports whether the probe's gradients are those EstimatesFrom would evaluate at
// theta: the same point, bit for bit, far enough inside ThetaBound that the guard of the fit's
// objective changed nothing.
func (p *Probe) usable(theta []float64) bool {
	if p == nil || len(p.Theta) != len(theta) || len(p.Plus) != len(theta) {
		return false
	}
	for i, v := range theta {
		if math.Float64bits(v) != math.Float64bits(p.Theta[i]) || !(math.Abs(v) < ThetaBound-1) {
			return false
		}
	}
	return true
}

// LogSE returns the standard errors of the log-parameters, the square roots of the
// diagonal of the inverse information, or an error saying why there are none: an
// information matrix that is not finite, or not positive definite (singular: the likelihood
// is flat in some direction).
func LogSE(info *mat.SymDense) ([]float64, error) {
	n := info.SymmetricDim()
	for i := range n {
		for j := range n {
			if v := info.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("the information matrix has a non-finite element %v", v)
			}
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(info) {
		return nil, fmt.Errorf("the information matrix is singular or not positive definite (the likelihood is flat along some direction)")
	}
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		return nil, fmt.Errorf("the information matrix cannot be inverted: %v", err)
	}
	se := make([]float64, n)
	for i := range se {
		se[i] = math.Sqrt(inv.At(i, i))
	}
	return se, nil
}

// Identify checks that a fit at log-parameters theta identifies the model: no parameter ran
// off beyond e^±RunOff of its scale (scale[i], 1 for shape parameters), the information
// matrix is positive definite and every log-parameter's standard error is finite and at most
// MaxLogSE. The error names the parameter and wraps cxkit.ErrNotIdentified.
func Identify(names []string, theta, scale []float64, info func() *mat.SymDense) error {
	for i, v := range theta {
		if math.IsNaN(v) || math.Abs(v-math.Log(scale[i])) > RunOff {
			return fmt.Errorf("parameter %s ran off to %v (beyond e^±%d times its scale %.4g): the data do not identify the model: %w",
				names[i], math.Exp(v), RunOff, scale[i], cxkit.ErrNotIdentified)
		}
	}
	se, err := LogSE(info())
	if err != nil {
		return fmt.Errorf("at %s: %v: the data do not identify the model: %w", describe(names, theta), err, cxkit.ErrNotIdentified)
	}
	for i, s := range se {
		if !(s <= MaxLogSE) {
			return fmt.Errorf("at %s: the standard error of ln %s is %.3g (more than %d): the data do not identify the model: %w",
				describe(names, theta), names[i], s, MaxLogSE, cxkit.ErrNotIdentified)
		}
	}
	return nil
}

// describe formats parameters for error messages: "r = 1.6e+07, alpha = 4.4e+09, ...".
func describe(names []string, theta []float64) string {
	s := ""
	for i, v := range theta {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s = %.4g", names[i], math.Exp(v))
	}
	return s
}

// EstimatesFrom pairs parameters (values, > 0) with standard errors from the central
// information matrix in log-parameters (delta method: SE(p) = p·SE(ln p)); all NaN when the
// matrix is singular, as cxkit.Estimate documents. probe, when not nil, is the fit's Probe
// on the same data with the same objective: if it was taken at these parameters, its
// gradients are used instead of being evaluated again (see Probe).
func EstimatesFrom(names []string, values []float64, mk func() func(theta, grad []float64) float64, W float64, probe *Probe) []cxkit.Estimate {
	theta := make([]float64, len(values))
	for i, v := range values {
		theta[i] = math.Log(v)
	}
	var known func(e int, x []float64) []float64
	if probe.usable(theta) {
		known = func(e int, _ []float64) []float64 {
			if e%2 == 0 { // θ + h e_j
				return probe.Plus[e/2]
			}
			return nil
		}
	}
	info, _ := information(mk, theta, W, true, known)
	se, err := LogSE(info)
	out := make([]cxkit.Estimate, len(values))
	for i, v := range values {
		out[i] = cxkit.Estimate{Name: names[i], Value: v, StdErr: math.NaN()}
		if err == nil {
			out[i].StdErr = v * se[i]
		}
	}
	return out
}
