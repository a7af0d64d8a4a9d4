package stat

import (
	"math"
	"testing"
)

// TestLogBetaAgainstLgamma checks the large-argument paths against the direct formula where the
// direct formula is still accurate (both meet at the 1e6 switch), and known closed forms.
func TestLogBetaAgainstLgamma(t *testing.T) {
	direct := func(a, b float64) float64 {
		la, _ := math.Lgamma(a)
		lb, _ := math.Lgamma(b)
		lab, _ := math.Lgamma(a + b)
		return la + lb - lab
	}
	// B(1, b) = 1/b exactly, for any b.
	for _, b := range []float64{2, 1e6, 3.5e7, 1e20, 1e300} {
		if got, want := LogBeta(1, b), -math.Log(b); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("LogBeta(1, %g) = %v, want %v", b, got, want)
		}
	}
	// Just above the switch, the Stirling paths agree with lgamma to its own precision
	// (ln Γ(1e6) ≈ 1.3e7, so lgamma's absolute error is about 1e-9).
	for _, c := range [][2]float64{{2.5, 1.0000001e6}, {913000, 1.2e6}, {1.5e6, 2e6}, {0.3, 4e6}} {
		got, want := LogBeta(c[0], c[1]), direct(c[0], c[1])
		if math.Abs(got-want) > 1e-8*math.Max(1, math.Abs(want)) {
			t.Errorf("LogBeta(%g, %g) = %v, direct %v", c[0], c[1], got, want)
		}
	}
	// Symmetric, and finite far beyond where ln Γ(a+b) overflows.
	if LogBeta(3, 1e307) != LogBeta(1e307, 3) || math.IsInf(LogBeta(1e306, 1.7e306), 0) {
		t.Errorf("LogBeta not symmetric or not finite for huge arguments")
	}
	// ln Γ(x+1) − ln Γ(x) = ln x exactly.
	for _, x := range []float64{3, 2e6, 1e100, 1.7e306} {
		if got, want := LogGammaRatio(x, 1), math.Log(x); math.Abs(got-want) > 1e-13*math.Abs(want) {
			t.Errorf("LogGammaRatio(%g, 1) = %v, want %v", x, got, want)
		}
	}
}
