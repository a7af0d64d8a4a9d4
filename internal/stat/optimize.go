package stat

import (
	"fmt"
	"math"

	"github.com/cxkit/cxkit"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// ErrNotConverged reports that an optimiser stopped before it met its convergence criterion.
// It is cxkit.ErrNotConverged, which the model packages re-export.
var ErrNotConverged = cxkit.ErrNotConverged

// Objective is a function to minimise over unconstrained parameters (typically the logs of
// positive model parameters) and, optionally, its gradient. A nil Grad means a central
// finite-difference gradient.
type Objective struct {
	Func func(x []float64) float64
	Grad func(grad, x []float64)
}

// Minimize minimises obj from x0 with BFGS (gonum/optimize), then polishes with Nelder–Mead when
// BFGS stops on a line-search failure, which happens on flat log-likelihood surfaces. It returns
// the minimiser and a cxkit.Fit whose LogLikelihood is −f(x) (objectives are negative
// log-likelihoods). A non-finite objective at the optimum, or a run that stopped on its
// iteration limit, is an error wrapping ErrNotConverged.
func Minimize(obj Objective, x0 []float64, maxIter int) ([]float64, cxkit.Fit, error) {
	if obj.Func == nil {
		panic("stat.Minimize: nil objective")
	}
	if maxIter <= 0 {
		maxIter = 1000
	}
	f := func(x []float64) float64 {
		v := obj.Func(x)
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	grad := obj.Grad
	if grad == nil {
		grad = func(g, x []float64) {
			fd.Gradient(g, f, x, &fd.Settings{Formula: fd.Central, Step: 1e-6})
		}
	}
	p := optimize.Problem{Func: f, Grad: grad}
	settings := &optimize.Settings{
		MajorIterations:   maxIter,
		GradientThreshold: 1e-7,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-12, Iterations: 50},
	}
	res, err := optimize.Minimize(p, x0, settings, &optimize.BFGS{})
	fit := cxkit.Fit{Method: "BFGS"}
	if res != nil {
		fit.Iterations = res.Stats.MajorIterations
		fit.Evaluations = res.Stats.FuncEvaluations
	}
	if res == nil || err != nil || res.Status == optimize.IterationLimit {
		// Polish or rescue with the derivative-free simplex from the best point so far.
		start := x0
		if res != nil && !math.IsInf(res.F, 1) {
			start = res.X
		}
		nm, nmErr := optimize.Minimize(optimize.Problem{Func: f}, start, &optimize.Settings{
			MajorIterations: 20 * maxIter,
			Converger:       &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-12, Iterations: 200},
		}, &optimize.NelderMead{})
		if nm == nil || nmErr != nil && nm.Status != optimize.FunctionConvergence {
			return nil, fit, fmt.Errorf("BFGS (%v) and Nelder–Mead (%v) failed: %w", err, nmErr, ErrNotConverged)
		}
		res = nm
		fit.Method = "BFGS+NelderMead"
		fit.Iterations += nm.Stats.MajorIterations
		fit.Evaluations += nm.Stats.FuncEvaluations
	}
	fit.LogLikelihood = -res.F
	fit.Converged = true
	if math.IsInf(res.F, 0) || math.IsNaN(res.F) {
		fit.Converged = false
		return res.X, fit, fmt.Errorf("objective is %v at the optimum: %w", res.F, ErrNotConverged)
	}
	if res.Status == optimize.IterationLimit {
		fit.Converged = false
		return res.X, fit, fmt.Errorf("stopped at the iteration limit after %d iterations: %w", fit.Iterations, ErrNotConverged)
	}
	return res.X, fit, nil
}

// Estimates pairs the positive maximum-likelihood estimates values (named by names) with their
// asymptotic standard errors. nll is the total negative log-likelihood as a function of the
// logs of the parameters, the space the models are fitted in. Its Hessian at log(values) is
// taken by central finite differences (gonum's fd.Hessian, step 1e-4 in log space) and inverted
// by Cholesky; by the delta method SE(p) = p·SE(ln p), exact at the maximum where the gradient
// vanishes. When the Hessian is not positive definite (the likelihood is flat or the point is
// not a maximum) every standard error is NaN.
func Estimates(nll func(logp []float64) float64, names []string, values []float64) []cxkit.Estimate {
	n := len(values)
	out := make([]cxkit.Estimate, n)
	x := make([]float64, n)
	for i, v := range values {
		out[i] = cxkit.Estimate{Name: names[i], Value: v, StdErr: math.NaN()}
		x[i] = math.Log(v)
	}
	var h mat.SymDense
	fd.Hessian(&h, nll, x, &fd.Settings{Formula: fd.Central, Step: 1e-4})
	var chol mat.Cholesky
	if !chol.Factorize(&h) {
		return out
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return out
	}
	for i := range out {
		if v := cov.At(i, i); v > 0 && !math.IsInf(v, 0) {
			out[i].StdErr = values[i] * math.Sqrt(v)
		}
	}
	return out
}
