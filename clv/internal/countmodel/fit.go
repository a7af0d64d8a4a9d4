package countmodel

import (
	"fmt"
	"math"
	"slices"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/stat"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Memo memoises an objective that computes its value and gradient together, since BFGS asks
// for both at the same point: Func and Grad, the two halves stat.Objective wants, share one
// evaluation of Eval per point. It is not safe for concurrent use.
type Memo struct {
	// Eval returns the objective at theta and fills grad (never nil here) with its gradient.
	Eval  func(theta, grad []float64) float64
	x, g  []float64
	f     float64
	valid bool
}

func (m *Memo) at(theta []float64) {
	if m.valid && slices.Equal(m.x, theta) {
		return
	}
	if m.g == nil {
		m.g = make([]float64, len(theta))
		m.x = make([]float64, len(theta))
	}
	copy(m.x, theta)
	m.f = m.Eval(theta, m.g)
	m.valid = true
}

// Func returns the objective at theta.
func (m *Memo) Func(theta []float64) float64 { m.at(theta); return m.f }

// Grad fills g with the gradient at theta.
func (m *Memo) Grad(g, theta []float64) { m.at(theta); copy(g, m.g) }

// WarmRows is the number of distinct histories above which a fit first runs on a systematic
// subsample of about SubRows histories and starts the full fit from that optimum,
// preconditioned by the subsample's Hessian (see precondition), which saves most of the
// expensive full-data iterations.
const (
	WarmRows = 20_000
	SubRows  = 5_000
)

// Fit maximises a log-likelihood over the logs of positive parameters. mk(d) returns, for
// data d, negMean(theta, grad): the negative log-likelihood divided by the total weight (so
// that the optimiser's tolerances do not depend on the number of customers), filling grad
// when it is non-nil and the model has an analytic gradient (analytic says whether it does).
// Without any repeat purchase the models are not identified, which is cxkit.ErrInvalid. names
// label the parameters in errors, and scale gives each parameter's natural scale for the
// run-off check (see Identify): a fit that the data do not identify is an error wrapping
// cxkit.ErrNotIdentified. It returns the parameters and the fit diagnostics, with the
// total log-likelihood, and the Probe of its identification check (nil unless analytic),
// which lets the standard errors at the estimates skip half of their gradients.
func Fit(who string, names []string, d *Data, start, scale []float64, analytic bool, mk func(*Data) func(theta, grad []float64) float64) ([]float64, cxkit.Fit, *Probe, error) {
	if d.Repeat == 0 {
		return nil, cxkit.Fit{}, nil, fmt.Errorf("clv: %s: no customer has a repeat purchase, so purchase and drop-out rates are not identified: %w", who, cxkit.ErrInvalid)
	}
	theta0 := make([]float64, len(start))
	for i, p := range start {
		theta0[i] = math.Log(p)
	}
	var warm cxkit.Fit
	// The full-data gradients evaluated on the way, for the identification check, whose
	// gradient at the estimates is often one of them (see below).
	var seen gradMemo
	full := seen.record(guard(mk(d)))
	toTheta := func(x []float64) []float64 { return x }
	if len(d.W) > WarmRows {
		if sub := d.Subsample(len(d.W) / SubRows); sub.Repeat > 0 {
			subObj := guard(mk(sub))
			if th, f, err := Minimize(subObj, theta0, analytic); err == nil {
				warm = f
				theta0 = th
				if pf, pt, ok := precondition(subObj, full, th); ok {
					full, toTheta = scaleFirstStep(pf, pt, len(th), analytic)
					theta0 = make([]float64, len(th)) // φ = 0 is θ = th
				}
			}
		}
	}
	phi, fit, err := Minimize(full, theta0, analytic)
	fit.Iterations += warm.Iterations
	fit.Evaluations += warm.Evaluations
	fit.LogLikelihood *= d.Total
	if err != nil || len(phi) != len(theta0) {
		if err == nil {
			err = cxkit.ErrNotConverged
		}
		fit.Converged = false
		return nil, fit, nil, fmt.Errorf("clv: %s: %w", who, err)
	}
	// The parameters, and the log-parameters as the standard errors will take them from the
	// parameters (ln e^θ may differ from θ in the last bit), where the identification check
	// evaluates its gradients so that they serve the standard errors too (see Probe).
	theta := toTheta(phi)
	p := make([]float64, len(theta))
	for i, v := range theta {
		p[i] = math.Exp(v)
		theta[i] = math.Log(p[i])
	}
	var probe *Probe
	err = Identify(names, theta, scale, func() *mat.SymDense {
		// The gradient at θ itself is known when ln e^θ gives back the θ BFGS evaluated
		// last (it often does), and is then not evaluated again.
		h, grads := information(func() func(theta, grad []float64) float64 { return guard(mk(d)) }, theta, d.Total, false,
			func(_ int, x []float64) []float64 { return seen.find(x) })
		if analytic {
			probe = &Probe{Theta: slices.Clone(theta), Plus: grads[:len(theta)]}
		}
		return h
	})
	if err != nil {
		fit.Converged = false
		return nil, fit, nil, fmt.Errorf("clv: %s: %w", who, err)
	}
	return p, fit, probe, nil
}

// precondition rewrites the full objective in coordinates φ in which the subsample's
// Hessian H at its optimum th is the identity: θ = th + U⁻¹φ with H = UᵀU (Cholesky), so that
// the gradient is U⁻ᵀ∇θ. The objectives are means, so the full Hessian is close to H, and
// BFGS, which starts from an identity Hessian, then needs a handful of full-data iterations
// instead of the dozens it takes to learn the curvature (along the flat s–β ridge of
// Pareto/NBD especially). It returns the φ-objective and the map back to θ; ok is false when
// H is not positive definite.
func precondition(sub, full func(theta, grad []float64) float64, th []float64) (func(phi, grad []float64) float64, func([]float64) []float64, bool) {
	n := len(th)
	var h mat.SymDense
	fd.Hessian(&h, func(x []float64) float64 { return sub(x, nil) }, th, &fd.Settings{Formula: fd.Central, Step: 1e-4})
	var chol mat.Cholesky
	if !chol.Factorize(&h) {
		return nil, nil, false
	}
	var u mat.TriDense
	chol.UTo(&u)
	base := append([]float64(nil), th...)
	toTheta := func(phi []float64) []float64 {
		// Solve U y = φ (back substitution); θ = th + y.
		y := make([]float64, n)
		for i := n - 1; i >= 0; i-- {
			v := phi[i]
			for j := i + 1; j < n; j++ {
				v -= u.At(i, j) * y[j]
			}
			y[i] = v / u.At(i, i)
		}
		for i := range y {
			y[i] += base[i]
		}
		return y
	}
	obj := func(phi, grad []float64) float64 {
		theta := toTheta(phi)
		if grad == nil {
			return full(theta, nil)
		}
		g := make([]float64, n)
		f := full(theta, g)
		// ∇φ = U⁻ᵀ ∇θ: solve Uᵀ z = g (forward substitution).
		for i := 0; i < n; i++ {
			v := g[i]
			for j := 0; j < i; j++ {
				v -= u.At(j, i) * grad[j]
			}
			grad[i] = v / u.At(i, i)
		}
		return f
	}
	return obj, toTheta, true
}

// scaleFirstStep rescales the preconditioned coordinates φ = c·ψ so that BFGS's first step,
// which gonum takes with unit length along the negative gradient, is the Newton step: where the
// Hessian is the identity that step is the gradient itself, whose norm c at φ = 0 is small when
// the subsample's optimum is close to the full data's. Without it the first trial point lies
// far along the ridge (β of Pareto/NBD at 10⁶), where every customer's likelihood needs
// quadrature and one evaluation costs as much as the whole fit. c is at most 1.
//
// With an analytic gradient, the objective and gradient at φ = 0, which BFGS asks for first
// (ψ = 0 is its starting point), are those computed here for c: they are returned again
// instead of being evaluated a second time on the full data.
func scaleFirstStep(obj func(phi, grad []float64) float64, toTheta func([]float64) []float64, n int, analytic bool) (func(psi, grad []float64) float64, func([]float64) []float64) {
	g := make([]float64, n)
	zero := make([]float64, n)
	var f0 float64
	if analytic {
		f0 = obj(zero, g)
	} else {
		fd.Gradient(g, func(phi []float64) float64 { return obj(phi, nil) }, zero, &fd.Settings{Formula: fd.Central, Step: 1e-4})
	}
	c := math.Min(1, math.Max(floats.Norm(g, 2), 1e-8))
	if math.IsNaN(c) {
		c = 1
	}
	scale := func(psi []float64) []float64 {
		phi := make([]float64, n)
		for i, v := range psi {
			phi[i] = c * v
		}
		return phi
	}
	g0 := slices.Clone(g)
	scaled := func(psi, grad []float64) float64 {
		if analytic && isZero(psi) {
			// ψ = 0 is φ = c·0 = 0, where obj was evaluated above.
			if grad != nil {
				copy(grad, g0)
				for i := range grad {
					grad[i] *= c
				}
			}
			return f0
		}
		f := obj(scale(psi), grad)
		for i := range grad {
			grad[i] *= c
		}
		return f
	}
	return scaled, func(psi []float64) []float64 { return toTheta(scale(psi)) }
}

// gradMemo remembers the points where an objective was evaluated with its gradient, and the
// gradients, so that an evaluation at the very same point (bit for bit) can be skipped. It is
// not safe for concurrent recording.
type gradMemo struct {
	x, g [][]float64
}

// record wraps obj so that its gradients are remembered.
func (m *gradMemo) record(obj func(theta, grad []float64) float64) func(theta, grad []float64) float64 {
	return func(theta, grad []float64) float64 {
		f := obj(theta, grad)
		if grad != nil {
			m.x = append(m.x, slices.Clone(theta))
			m.g = append(m.g, slices.Clone(grad))
		}
		return f
	}
}

// find returns the gradient remembered at x (equal bit for bit), or nil.
func (m *gradMemo) find(x []float64) []float64 {
	for i := len(m.x) - 1; i >= 0; i-- {
		if sameBits(m.x[i], x) {
			return m.g[i]
		}
	}
	return nil
}

// sameBits reports whether a and b hold the same float64 values bit for bit.
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// isZero reports whether every element of v is +0 (the bits of zero).
func isZero(v []float64) bool {
	for _, x := range v {
		if math.Float64bits(x) != 0 {
			return false
		}
	}
	return true
}

// ThetaBound bounds the log-parameters the objectives are evaluated at: beyond it the
// objective is +Inf, so that the optimiser backs off instead of evaluating special functions
// at overflowing parameters (the fit then reports a run-off, see Fit).
const ThetaBound = 30

// guard wraps an objective in θ so that it is +Inf (with a zero gradient) beyond
// ThetaBound.
func guard(negMean func(theta, grad []float64) float64) func(theta, grad []float64) float64 {
	return func(theta, grad []float64) float64 {
		for _, v := range theta {
			if !(math.Abs(v) <= ThetaBound) {
				for i := range grad {
					grad[i] = 0
				}
				return math.Inf(1)
			}
		}
		return negMean(theta, grad)
	}
}

// Minimize runs stat.Minimize on negMean, with the gradient when analytic.
func Minimize(negMean func(theta, grad []float64) float64, theta0 []float64, analytic bool) ([]float64, cxkit.Fit, error) {
	obj := stat.Objective{Func: func(theta []float64) float64 { return negMean(theta, nil) }}
	if !analytic {
		// Central differences with a step that balances truncation (h²) against the rounding
		// noise of the special functions (ε/h): 1e-4 on log-parameters.
		obj.Grad = func(g, theta []float64) {
			fd.Gradient(g, obj.Func, theta, &fd.Settings{Formula: fd.Central, Step: 1e-4})
		}
	} else {
		m := &Memo{Eval: negMean}
		obj.Func, obj.Grad = m.Func, m.Grad
	}
	return stat.Minimize(obj, theta0, 2000)
}
