package clv

import (
	"fmt"
	"math"
	"slices"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/stat"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
)

// cmCache memoises an objective that computes its value and gradient together, since BFGS
// asks for both at the same point.
type cmCache struct {
	eval  func(theta, grad []float64) float64
	x, g  []float64
	f     float64
	valid bool
}

func (c *cmCache) at(theta []float64) {
	if c.valid && slices.Equal(c.x, theta) {
		return
	}
	if c.g == nil {
		c.g = make([]float64, len(theta))
		c.x = make([]float64, len(theta))
	}
	copy(c.x, theta)
	c.f = c.eval(theta, c.g)
	c.valid = true
}

// cmWarmRows is the number of distinct histories above which a fit first runs on a systematic
// subsample of about cmSubRows histories and starts the full fit from that optimum,
// preconditioned by the subsample's Hessian (see cmPrecondition), which saves most of the
// expensive full-data iterations.
const (
	cmWarmRows = 20_000
	cmSubRows  = 5_000
)

// cmFit maximises a log-likelihood over the logs of positive parameters. mk(d) returns, for
// data d, negMean(theta, grad): the negative log-likelihood divided by the total weight (so
// that the optimiser's tolerances do not depend on the number of customers), filling grad
// when it is non-nil and the model has an analytic gradient (analytic says whether it does).
// Without any repeat purchase the models are not identified, which is ErrInvalid. names
// label the parameters in errors, and scale gives each parameter's natural scale for the
// run-off check (see cmIdentify): a fit that the data do not identify is an error wrapping
// ErrNotIdentified. It returns the parameters and the fit diagnostics, with the
// total log-likelihood.
func cmFit(who string, names []string, d *cmData, start, scale []float64, analytic bool, mk func(*cmData) func(theta, grad []float64) float64) ([]float64, cxkit.Fit, error) {
	if d.repeat == 0 {
		return nil, cxkit.Fit{}, fmt.Errorf("clv: %s: no customer has a repeat purchase, so purchase and drop-out rates are not identified: %w", who, ErrInvalid)
	}
	theta0 := make([]float64, len(start))
	for i, p := range start {
		theta0[i] = math.Log(p)
	}
	var warm cxkit.Fit
	full := cmGuard(mk(d))
	toTheta := func(x []float64) []float64 { return x }
	if len(d.w) > cmWarmRows {
		if sub := d.subsample(len(d.w) / cmSubRows); sub.repeat > 0 {
			subObj := cmGuard(mk(sub))
			if th, f, err := cmMinimize(subObj, theta0, analytic); err == nil {
				warm = f
				theta0 = th
				if pf, pt, ok := cmPrecondition(subObj, full, th); ok {
					full, toTheta = cmScaleFirstStep(pf, pt, len(th), analytic)
					theta0 = make([]float64, len(th)) // φ = 0 is θ = th
				}
			}
		}
	}
	phi, fit, err := cmMinimize(full, theta0, analytic)
	fit.Iterations += warm.Iterations
	fit.Evaluations += warm.Evaluations
	fit.LogLikelihood *= d.W
	if err != nil || len(phi) != len(theta0) {
		if err == nil {
			err = ErrNotConverged
		}
		fit.Converged = false
		return nil, fit, fmt.Errorf("clv: %s: %w", who, err)
	}
	theta := toTheta(phi)
	err = cmIdentify(names, theta, scale, func() *mat.SymDense {
		return cmInformation(func() func(theta, grad []float64) float64 { return cmGuard(mk(d)) }, theta, d.W, false)
	})
	if err != nil {
		fit.Converged = false
		return nil, fit, fmt.Errorf("clv: %s: %w", who, err)
	}
	p := make([]float64, len(theta))
	for i, v := range theta {
		p[i] = math.Exp(v)
	}
	return p, fit, nil
}

// cmPrecondition rewrites the full objective in coordinates φ in which the subsample's
// Hessian H at its optimum th is the identity: θ = th + U⁻¹φ with H = UᵀU (Cholesky), so that
// the gradient is U⁻ᵀ∇θ. The objectives are means, so the full Hessian is close to H, and
// BFGS, which starts from an identity Hessian, then needs a handful of full-data iterations
// instead of the dozens it takes to learn the curvature (along the flat s–β ridge of
// Pareto/NBD especially). It returns the φ-objective and the map back to θ; ok is false when
// H is not positive definite.
func cmPrecondition(sub, full func(theta, grad []float64) float64, th []float64) (func(phi, grad []float64) float64, func([]float64) []float64, bool) {
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

// cmScaleFirstStep rescales the preconditioned coordinates φ = c·ψ so that BFGS's first step,
// which gonum takes with unit length along the negative gradient, is the Newton step: where the
// Hessian is the identity that step is the gradient itself, whose norm c at φ = 0 is small when
// the subsample's optimum is close to the full data's. Without it the first trial point lies
// far along the ridge (β of Pareto/NBD at 10⁶), where every customer's likelihood needs
// quadrature and one evaluation costs as much as the whole fit. c is at most 1.
func cmScaleFirstStep(obj func(phi, grad []float64) float64, toTheta func([]float64) []float64, n int, analytic bool) (func(psi, grad []float64) float64, func([]float64) []float64) {
	g := make([]float64, n)
	zero := make([]float64, n)
	if analytic {
		obj(zero, g)
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
	scaled := func(psi, grad []float64) float64 {
		f := obj(scale(psi), grad)
		for i := range grad {
			grad[i] *= c
		}
		return f
	}
	return scaled, func(psi []float64) []float64 { return toTheta(scale(psi)) }
}

// cmThetaBound bounds the log-parameters the objectives are evaluated at: beyond it the
// objective is +Inf, so that the optimiser backs off instead of evaluating special functions
// at overflowing parameters (the fit then reports a run-off, see cmFit).
const cmThetaBound = 30

// cmGuard wraps an objective in θ so that it is +Inf (with a zero gradient) beyond
// cmThetaBound.
func cmGuard(negMean func(theta, grad []float64) float64) func(theta, grad []float64) float64 {
	return func(theta, grad []float64) float64 {
		for _, v := range theta {
			if !(math.Abs(v) <= cmThetaBound) {
				for i := range grad {
					grad[i] = 0
				}
				return math.Inf(1)
			}
		}
		return negMean(theta, grad)
	}
}

// cmMinimize runs stat.Minimize on negMean, with the gradient when analytic.
func cmMinimize(negMean func(theta, grad []float64) float64, theta0 []float64, analytic bool) ([]float64, cxkit.Fit, error) {
	obj := stat.Objective{Func: func(theta []float64) float64 { return negMean(theta, nil) }}
	if !analytic {
		// Central differences with a step that balances truncation (h²) against the rounding
		// noise of the special functions (ε/h): 1e-4 on log-parameters.
		obj.Grad = func(g, theta []float64) {
			fd.Gradient(g, obj.Func, theta, &fd.Settings{Formula: fd.Central, Step: 1e-4})
		}
	} else {
		c := &cmCache{eval: negMean}
		obj.Func = func(theta []float64) float64 { c.at(theta); return c.f }
		obj.Grad = func(g, theta []float64) { c.at(theta); copy(g, c.g) }
	}
	return stat.Minimize(obj, theta0, 2000)
}

// cmCheckParams reports a model whose parameters are not finite and positive (a zero-value or
// hand-made model), naming the parameter.
func cmCheckParams(model string, names []string, values ...float64) error {
	for i, v := range values {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("clv: %s parameter %s = %v must be finite and positive: %w", model, names[i], v, ErrOutOfRange)
		}
	}
	return nil
}

// cmCheckHorizon validates a prediction horizon t.
func cmCheckHorizon(model string, t float64) error {
	if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
		return fmt.Errorf("clv: %s: horizon t = %v must be finite and non-negative: %w", model, t, ErrOutOfRange)
	}
	return nil
}

// cmFinite returns a function that passes on a prediction (v, err) of the model at horizon t,
// turning a value that is not finite into an error wrapping ErrOutOfRange: at horizons such
// as 1e300 the closed forms overflow, and no NaN or ±Inf leaves the package.
func cmFinite(model, what string, t float64) func(v float64, err error) (float64, error) {
	return func(v float64, err error) (float64, error) {
		if err != nil {
			return 0, err
		}
		if !finite(v) {
			return 0, fmt.Errorf("clv: %s: %s at horizon t = %v is %v, not finite (the horizon is beyond what the numerics hold): %w",
				model, what, t, v, ErrOutOfRange)
		}
		return v, nil
	}
}

// cmCheckCustomer validates one customer for a prediction.
func cmCheckCustomer(model string, c Customer) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("clv: %s: %w", model, err)
	}
	return nil
}

// cmLogSumExp returns log(e^a + e^b) without overflow.
func cmLogSumExp(a, b float64) float64 {
	l, _ := cmLogAddExp(a, b)
	return l
}

// cmLogAddExp returns log(e^a + e^b) and the weight e^b / (e^a + e^b) of b, without overflow
// (log(0 + 0) = −∞ with weight 0).
func cmLogAddExp(a, b float64) (float64, float64) {
	if math.IsInf(b, -1) {
		return a, 0
	}
	if math.IsInf(a, -1) {
		return b, 1
	}
	if b > a {
		e := math.Exp(a - b)
		return b + math.Log1p(e), 1 / (1 + e)
	}
	e := math.Exp(b - a)
	return a + math.Log1p(e), e / (1 + e)
}

// cmPredictBatch fills expected[i] (when expected is non-nil) and alive[i] (when alive is
// non-nil) for every customer, in parallel chunks. newPredict makes, for each worker, the
// function that computes both for one validated customer (it may keep caches of its own).
// Each worker keeps a small direct-mapped cache of recent histories, since real data
// repeat (x, t_x, T) triples heavily (CDNOW's 2,357 customers have 1,016 distinct ones); a
// cache hit costs a few nanoseconds instead of the special functions. Customers are validated
// on the way; the first invalid one (lowest index) is reported, and the slices' contents are
// then unspecified.
func cmPredictBatch(model string, customers []Customer, expected, alive []float64,
	newPredict func() func(c Customer) (e, a float64)) error {
	if expected != nil && len(expected) != len(customers) {
		return fmt.Errorf("clv: %s: expected has length %d, want %d (one per customer): %w", model, len(expected), len(customers), ErrInvalid)
	}
	if alive != nil && len(alive) != len(customers) {
		return fmt.Errorf("clv: %s: alive has length %d, want %d (one per customer): %w", model, len(alive), len(customers), ErrInvalid)
	}
	// Each worker keeps a direct-mapped cache of recent histories; errors are kept per chunk
	// so that the first invalid customer (lowest index) is the one reported.
	type entry struct {
		x     int
		tx, T float64
		e, a  float64
		ok    bool
	}
	errs := make([]error, (len(customers)+parallelChunk-1)/parallelChunk)
	forChunks(len(customers), parallelChunk, func() func(k, lo, hi int) {
		cache := make([]entry, 1<<14)
		predict := newPredict()
		return func(k, lo, hi int) {
			for i := lo; i < hi; i++ {
				c := customers[i]
				h := (uint64(c.Frequency)*0x9E3779B97F4A7C15 ^ math.Float64bits(c.Recency)*0xC2B2AE3D27D4EB4F ^
					math.Float64bits(c.T)*0x165667B19E3779F9) >> 50
				ent := &cache[h]
				if !ent.ok || ent.x != c.Frequency || ent.tx != c.Recency || ent.T != c.T {
					if err := c.Validate(); err != nil {
						errs[k] = fmt.Errorf("clv: %s: %s: %w", model, pbWho(i, c), err)
						return
					}
					e, a := predict(c)
					if !finite(e) || !finite(a) {
						errs[k] = fmt.Errorf("clv: %s: %s: expected purchases %v or P(alive) %v is not finite (the horizon is beyond what the numerics hold): %w",
							model, pbWho(i, c), e, a, ErrOutOfRange)
						return
					}
					*ent = entry{x: c.Frequency, tx: c.Recency, T: c.T, e: e, a: a, ok: true}
				}
				if expected != nil {
					expected[i] = ent.e
				}
				if alive != nil {
					alive[i] = ent.a
				}
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// cmNBDLogPMF is the log of the negative binomial probability that a customer with purchase
// rate λ ~ Gamma(r, α) makes n purchases in a period of length t:
// Γ(r+n)/(Γ(r) n!) (α/(α+t))^r (t/(α+t))^n.
func cmNBDLogPMF(n int, r, alpha, t float64) float64 {
	x := float64(n)
	l1, _ := math.Lgamma(r + x)
	l0, _ := math.Lgamma(r)
	ln, _ := math.Lgamma(x + 1)
	out := l1 - l0 - ln + r*(math.Log(alpha)-math.Log(alpha+t))
	if n > 0 {
		out += x * (math.Log(t) - math.Log(alpha+t))
	}
	return out
}

// cmErrNegativeCount reports a negative purchase count given to ProbabilityOfPurchases.
func cmErrNegativeCount(model string, n int) error {
	return fmt.Errorf("clv: %s: purchase count n = %d is negative: %w", model, n, ErrOutOfRange)
}

// cmLogBetaExpect is ln E[h(p)] for p ~ Beta(A, B), A, B > 0, given logh(ln p, ln(1−p)) = ln h,
// by Gauss–Legendre quadrature in u = logit(p) around the mode of the integrand. It serves the
// parameter regions where the hypergeometric series of the closed forms overflow.
func cmLogBetaExpect(A, B float64, logh func(lp, lq float64) float64) float64 {
	if !(A > 0) || !(B > 0) {
		return math.NaN()
	}
	f := func(u float64) float64 {
		lp, lq := -math.Log1p(math.Exp(-u)), -math.Log1p(math.Exp(u)) // ln p, ln(1−p)
		return A*lp + B*lq + logh(lp, lq)
	}
	step := func(u float64) float64 { return 1e-5 * math.Max(1, math.Abs(u)) }
	df := func(u float64) float64 { h := step(u); return (f(u+h) - f(u-h)) / (2 * h) }
	// The log-integrand rises from −∞ and falls back to −∞: bisect its slope for the mode.
	lo, hi := -1.0, 1.0
	for df(lo) < 0 && lo > -1e4 {
		lo *= 2
	}
	for df(hi) > 0 && hi < 1e4 {
		hi *= 2
	}
	for i := 0; i < 200 && hi-lo > 1e-10*math.Max(1, math.Abs(lo)); i++ {
		mid := (lo + hi) / 2
		if df(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	mode := (lo + hi) / 2
	h := 1e-3 * math.Max(1, math.Abs(mode))
	curv := -(f(mode+h) - 2*f(mode) + f(mode-h)) / (h * h)
	width := math.Min(1/math.Sqrt(math.Max(curv, 1e-300)), 100)
	fm := f(mode)
	integral := quad.Fixed(func(u float64) float64 { return math.Exp(f(u) - fm) },
		mode-40*width, mode+40*width, 512, quad.Legendre{}, 0)
	return math.Log(integral) + fm - mathext.Lbeta(A, B)
}

// The count models are purchase models for the CLV projection.
var (
	_ PurchaseModel = BGNBD{}
	_ PurchaseModel = MBGNBD{}
	_ PurchaseModel = ParetoNBD{}
)

// cmEstimates returns the parameters of a count model with their asymptotic standard errors
// on the customers: the inverse of the observed information, taken on the compressed
// histories from central differences of the analytic gradient that the fit uses (mk makes
// the mean objective on the data), the gradients evaluated in parallel. The cost grows with
// the distinct histories.
func cmEstimates(model string, names []string, values []float64, customers []Customer,
	mk func(*cmData) func(theta, grad []float64) float64) ([]cxkit.Estimate, error) {
	if err := cmCheckParams(model, names, values...); err != nil {
		return nil, err
	}
	d, err := cmBuild(model+" Estimates", customers)
	if err != nil {
		return nil, err
	}
	return cmEstimatesFrom(names, values, func() func(theta, grad []float64) float64 { return mk(d) }, d.W), nil
}

// cmHypergeo is mathext.Hypergeo(a, b, c, z) for 0 ≤ z < 1, except where gonum's port of
// Cephes can loop forever: for z > 0.9 with c − a − b within 1e-13 of an integer it sums a
// psi-function series whose stopping test never holds once its terms overflow to NaN (found by
// fuzzing FitParetoNBD, with r + s + x near 2.7e5). There it returns NaN, and every caller
// then integrates the defining expression instead.
func cmHypergeo(a, b, c, z float64) float64 {
	if d := c - a - b; z > 0.9 && math.Abs(d-math.Round(d)) <= 1e-12 {
		return math.NaN()
	}
	return mathext.Hypergeo(a, b, c, z)
}
