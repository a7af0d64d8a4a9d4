package clv

import (
	"math"
	"testing"

	"github.com/cxkit/cxkit/clv/internal/countmodel"
	"gonum.org/v1/gonum/diff/fd"
)

// TestParetoGradientMatchesFiniteDifferences compares the analytic gradient of the Pareto/NBD
// log-likelihood with central differences of the likelihood that LogLikelihood uses, on CDNOW
// and on histories that take the quadrature route (heavy buyers, α far from β), for α > β and
// α < β, including customers whose last purchase is at T.
func TestParetoGradientMatchesFiniteDifferences(t *testing.T) {
	cdnow := loadCDNOWSummaryCM(t)
	heavy := []Customer{
		{Frequency: 3000, Recency: 38, T: 39}, {Frequency: 500, Recency: 10, T: 39},
		{Frequency: 2, Recency: 39, T: 39}, {Frequency: 0, T: 20}, {Frequency: 7, Recency: 0.5, T: 52},
	}
	for _, tc := range []struct {
		name string
		cs   []Customer
		p    countmodel.Pareto
	}{
		{"CDNOW at FHL", cdnow, countmodel.Pareto{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}},
		{"CDNOW alpha>beta", cdnow, countmodel.Pareto{R: 0.8, Alpha: 25, S: 0.4, Beta: 3}},
		{"CDNOW far", cdnow, countmodel.Pareto{R: 2, Alpha: 0.5, S: 1.5, Beta: 400}},
		{"heavy alpha<beta", heavy, countmodel.Pareto{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}},
		{"heavy alpha>>beta", heavy, countmodel.Pareto{R: 0.3, Alpha: 3000, S: 2, Beta: 0.2}},
		{"heavy alpha<<beta", heavy, countmodel.Pareto{R: 1.5, Alpha: 0.05, S: 0.9, Beta: 5000}},
	} {
		d, err := build("test", tc.cs)
		if err != nil {
			t.Fatal(err)
		}
		ll, g := tc.p.SumLogLikGrad(d)
		if want := tc.p.SumLogLik(d); math.Abs(ll-want) > 1e-9*math.Abs(want) {
			t.Errorf("%s: value %v, sumLogLik %v", tc.name, ll, want)
		}
		// Finite differences in log-parameters of the gonum-based likelihood.
		theta := []float64{math.Log(tc.p.R), math.Log(tc.p.Alpha), math.Log(tc.p.S), math.Log(tc.p.Beta)}
		num := make([]float64, 4)
		fd.Gradient(num, func(th []float64) float64 {
			q := countmodel.Pareto{R: math.Exp(th[0]), Alpha: math.Exp(th[1]), S: math.Exp(th[2]), Beta: math.Exp(th[3])}
			return q.SumLogLik(d)
		}, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
		p := [4]float64{tc.p.R, tc.p.Alpha, tc.p.S, tc.p.Beta}
		for i := range num {
			got := g[i] * p[i]
			if math.Abs(got-num[i]) > 1e-5*math.Max(1, math.Abs(num[i])) {
				t.Errorf("%s: ∂/∂ln p%d = %v, finite difference %v", tc.name, i, got, num[i])
			}
		}
	}
}
