package stat

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
