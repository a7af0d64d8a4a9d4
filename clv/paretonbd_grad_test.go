package clv

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mathext"
)

// TestF21SeriesMatchesGonum checks the series of cmF21 against gonum's Hypergeo, and its
// derivatives against central differences of Hypergeo.
func TestF21SeriesMatchesGonum(t *testing.T) {
	for _, c := range [][3]float64{
		{1.2, 1.6, 0.1}, {3.5, 0.7, 0.5}, {30, 2.5, 0.8}, {1e4, 1.5, 0.6}, {0.8, 40, 0.9}, {2, 1, 0}, {0.6, 1.3, 0.95},
	} {
		a, b, z := c[0], c[1], c[2]
		f, fa, fb, fz, ok := cmF21(a, b, z)
		if !ok {
			t.Fatalf("cmF21%v did not converge", c)
		}
		if _, _, _, _, ok := cmF21(a, b, 0.96); ok {
			t.Errorf("cmF21(%v, %v, 0.96) summed a slowly decaying series", a, b)
		}
		want := mathext.Hypergeo(a, b, a+1, z)
		if math.Abs(f-want) > 1e-13*want {
			t.Errorf("F%v = %v, Hypergeo %v", c, f, want)
		}
		h := 1e-6
		num := [3]float64{
			(mathext.Hypergeo(a+h, b, a+h+1, z) - mathext.Hypergeo(a-h, b, a-h+1, z)) / (2 * h),
			(mathext.Hypergeo(a, b+h, a+1, z) - mathext.Hypergeo(a, b-h, a+1, z)) / (2 * h),
			(mathext.Hypergeo(a, b, a+1, z+h) - mathext.Hypergeo(a, b, a+1, math.Abs(z-h))) / (z + h - math.Abs(z-h)),
		}
		for i, g := range [3]float64{fa, fb, fz} {
			if math.Abs(g-num[i]) > 1e-6*math.Max(1, math.Abs(num[i])) {
				t.Errorf("F%v derivative %d = %v, finite difference %v", c, i, g, num[i])
			}
		}
	}
}

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
		p    cmPNBD
	}{
		{"CDNOW at FHL", cdnow, cmPNBD{r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669}},
		{"CDNOW alpha>beta", cdnow, cmPNBD{r: 0.8, alpha: 25, s: 0.4, beta: 3}},
		{"CDNOW far", cdnow, cmPNBD{r: 2, alpha: 0.5, s: 1.5, beta: 400}},
		{"heavy alpha<beta", heavy, cmPNBD{r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669}},
		{"heavy alpha>>beta", heavy, cmPNBD{r: 0.3, alpha: 3000, s: 2, beta: 0.2}},
		{"heavy alpha<<beta", heavy, cmPNBD{r: 1.5, alpha: 0.05, s: 0.9, beta: 5000}},
	} {
		d, err := cmBuild("test", tc.cs)
		if err != nil {
			t.Fatal(err)
		}
		ll, g := tc.p.sumLogLikGrad(d)
		if want := tc.p.sumLogLik(d); math.Abs(ll-want) > 1e-9*math.Abs(want) {
			t.Errorf("%s: value %v, sumLogLik %v", tc.name, ll, want)
		}
		// Finite differences in log-parameters of the gonum-based likelihood.
		theta := []float64{math.Log(tc.p.r), math.Log(tc.p.alpha), math.Log(tc.p.s), math.Log(tc.p.beta)}
		num := make([]float64, 4)
		fd.Gradient(num, func(th []float64) float64 {
			q := cmPNBD{r: math.Exp(th[0]), alpha: math.Exp(th[1]), s: math.Exp(th[2]), beta: math.Exp(th[3])}
			return q.sumLogLik(d)
		}, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
		p := [4]float64{tc.p.r, tc.p.alpha, tc.p.s, tc.p.beta}
		for i := range num {
			got := g[i] * p[i]
			if math.Abs(got-num[i]) > 1e-5*math.Max(1, math.Abs(num[i])) {
				t.Errorf("%s: ∂/∂ln p%d = %v, finite difference %v", tc.name, i, got, num[i])
			}
		}
	}
}
