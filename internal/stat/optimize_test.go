package stat

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
)

func TestMinimizeRosenbrock(t *testing.T) {
	// Rosenbrock (1960): minimum 0 at (1, 1).
	rosen := func(x []float64) float64 {
		a, b := 1-x[0], x[1]-x[0]*x[0]
		return a*a + 100*b*b
	}
	x, fit, err := Minimize(Objective{Func: rosen}, []float64{-1.2, 1}, 0)
	require.NoError(t, err)
	assert.InDelta(t, 1, x[0], 1e-4)
	assert.InDelta(t, 1, x[1], 1e-4)
	assert.True(t, fit.Converged)
	assert.InDelta(t, 0, fit.LogLikelihood, 1e-8)
}

func TestMinimizeNormalMLE(t *testing.T) {
	// The MLE of a normal sample's (mu, log sigma) is the sample mean and the population SD.
	data := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	nll := func(p []float64) float64 {
		mu, s := p[0], math.Exp(p[1])
		v := 0.0
		for _, x := range data {
			z := (x - mu) / s
			v += 0.5*z*z + math.Log(s)
		}
		return v
	}
	x, _, err := Minimize(Objective{Func: nll}, []float64{0, 0}, 0)
	require.NoError(t, err)
	assert.InDelta(t, 5, x[0], 1e-5)
	assert.InDelta(t, 2, math.Exp(x[1]), 1e-5)
}

func TestEstimatesExponential(t *testing.T) {
	// Exponential sample: λ̂ = n/Σx and, from the information n/λ², SE(λ̂) = λ̂/√n.
	x := []float64{0.3, 1.2, 0.8, 2.5, 0.1, 0.9, 1.7, 0.4, 3.1, 0.6, 1.1, 0.2}
	var sum float64
	for _, v := range x {
		sum += v
	}
	n := float64(len(x))
	nll := func(lp []float64) float64 { lam := math.Exp(lp[0]); return -(n*lp[0] - lam*sum) }
	lam := n / sum
	est := Estimates(nll, []string{"lambda"}, []float64{lam})
	require.Len(t, est, 1)
	assert.Equal(t, "lambda", est[0].Name)
	assert.Equal(t, lam, est[0].Value)
	assert.InDelta(t, lam/math.Sqrt(n), est[0].StdErr, 1e-6*lam)
}

func TestEstimatesGamma(t *testing.T) {
	// Gamma(k, β) sample: the observed information at the MLE is
	// n·[[ψ′(k), −1/β], [−1/β, k/β²]]; its inverse gives the standard errors.
	x := []float64{2.1, 0.7, 3.3, 1.9, 4.2, 1.1, 2.8, 0.9, 1.6, 2.4, 3.9, 1.3, 2.2, 0.5, 3.0}
	n := float64(len(x))
	var sx, slx float64
	for _, v := range x {
		sx += v
		slx += math.Log(v)
	}
	nll := func(lp []float64) float64 {
		k, b := math.Exp(lp[0]), math.Exp(lp[1])
		lg, _ := math.Lgamma(k)
		return -(n*k*math.Log(b) - n*lg + (k-1)*slx - b*sx)
	}
	p, _, err := Minimize(Objective{Func: nll}, []float64{0, 0}, 0)
	require.NoError(t, err)
	k, b := math.Exp(p[0]), math.Exp(p[1])
	est := Estimates(nll, []string{"k", "beta"}, []float64{k, b})
	tri := mathext.Digamma(k+1e-5) - mathext.Digamma(k-1e-5)
	tri /= 2e-5 // ψ′(k) by a central difference of gonum's digamma
	i11, i12, i22 := n*tri, -n/b, n*k/(b*b)
	det := i11*i22 - i12*i12
	assert.InDelta(t, math.Sqrt(i22/det), est[0].StdErr, 1e-4*est[0].StdErr)
	assert.InDelta(t, math.Sqrt(i11/det), est[1].StdErr, 1e-4*est[1].StdErr)

	// A flat direction (the second parameter does not enter) gives NaN, not a number.
	flat := Estimates(func(lp []float64) float64 { return nll([]float64{lp[0], p[1]}) }, []string{"k", "unused"}, []float64{k, 1})
	assert.True(t, math.IsNaN(flat[1].StdErr))
}
