package stat

import "math"

// stirlingFrom is the argument above which LogGammaRatio uses Stirling's series: there the
// first omitted term, 1/(1260 x⁵), is below 1e-33, while math.Lgamma's values (about x ln x)
// are so large that subtracting two of them loses every digit of a small difference.
const stirlingFrom = 1e6

// stirlingTail is ln Γ(x) − [(x−½) ln x − x + ½ ln 2π], the tail of Stirling's series,
// accurate to 1e-33 for x ≥ stirlingFrom.
func stirlingTail(x float64) float64 {
	return 1/(12*x) - 1/(360*x*x*x)
}

// LogGammaRatio returns ln Γ(x+a) − ln Γ(x) for x, a > 0 without the cancellation, or the
// overflow, of subtracting two log-gamma values when x is large: for x ≥ 1e6 it uses
//
//	(x−½) log1p(a/x) + a ln(x+a) − a + tail(x+a) − tail(x)
//
// from Stirling's series, which stays finite up to x near the largest float64.
func LogGammaRatio(x, a float64) float64 {
	if x < stirlingFrom {
		l1, _ := math.Lgamma(x + a)
		l0, _ := math.Lgamma(x)
		return l1 - l0
	}
	return (x-0.5)*math.Log1p(a/x) + a*math.Log(x+a) - a + stirlingTail(x+a) - stirlingTail(x)
}

// LogBeta returns ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b) for a, b > 0. When the larger
// argument is at least 1e6 it is computed as ln Γ(small) − LogGammaRatio(large, small), which
// stays accurate where the direct sum cancels (and finite where ln Γ(a+b) overflows); the
// result is ±Inf only when it truly exceeds the float64 range.
func LogBeta(a, b float64) float64 {
	lo, hi := math.Min(a, b), math.Max(a, b)
	if hi < stirlingFrom {
		la, _ := math.Lgamma(a)
		lb, _ := math.Lgamma(b)
		lab, _ := math.Lgamma(a + b)
		return la + lb - lab
	}
	if lo >= stirlingFrom {
		// Both large: Stirling for all three terms, arranged so that nothing large cancels:
		// ½ ln 2π + (lo−½) ln(lo/(lo+hi)) + (hi−½) ln(hi/(lo+hi)) − ½ ln(lo+hi) + tails.
		s := lo + hi
		return 0.5*math.Log(2*math.Pi) + (lo-0.5)*math.Log(lo/s) - (hi-0.5)*math.Log1p(lo/hi) -
			0.5*math.Log(s) + stirlingTail(lo) + stirlingTail(hi) - stirlingTail(s)
	}
	l, _ := math.Lgamma(lo)
	return l - LogGammaRatio(hi, lo)
}
