// Package stat is internal to cxkit and not part of its API: nothing outside the module can
// import it, and the public documentation does not refer to it. It holds the statistics that
// several cxkit packages share: normal and Student t quantiles for a confidence level,
// intervals for proportions (Wilson, adjusted Wald) and means, the N−1 two-proportion test,
// the Kish effective sample size, sample-size planning and a mergeable weighted-moments
// accumulator. Distributions come from gonum.
package stat

import (
	"fmt"
	"math"

	"github.com/cxkit/cxkit"
	"gonum.org/v1/gonum/stat/distuv"
)

var stdNormal = distuv.UnitNormal

// Z returns the two-sided standard normal critical value for a confidence level: the z with
// P(|Z| ≤ z) = confidence (1.959964 for 0.95). The confidence must lie in (0, 1).
func Z(confidence float64) (float64, error) {
	if err := CheckConfidence(confidence); err != nil {
		return 0, err
	}
	z := stdNormal.Quantile(0.5 + confidence/2)
	if math.IsInf(z, 0) { // 0.5 + confidence/2 rounds to 1 above 1 − 1.1e-16
		return 0, fmt.Errorf("confidence %v is too close to 1 for a finite critical value: %w", confidence, cxkit.ErrOutOfRange)
	}
	return z, nil
}

// CheckConfidence returns an error wrapping cxkit.ErrOutOfRange unless 0 < confidence < 1.
func CheckConfidence(confidence float64) error {
	if !(confidence > 0 && confidence < 1) {
		return fmt.Errorf("confidence %v is outside (0, 1): %w", confidence, cxkit.ErrOutOfRange)
	}
	return nil
}

// T returns the two-sided Student t critical value with df degrees of freedom for a confidence
// level (2.262157 for 0.95 and df = 9). df must be positive; a non-integer df is allowed
// (Welch–Satterthwaite).
func T(confidence, df float64) (float64, error) {
	if err := CheckConfidence(confidence); err != nil {
		return 0, err
	}
	if !(df > 0) || math.IsInf(df, 0) {
		return 0, fmt.Errorf("degrees of freedom %v must be positive and finite: %w", df, cxkit.ErrOutOfRange)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.5 + confidence/2), nil
}

// TwoSidedP returns the two-sided p-value of a standard normal statistic z: 2·P(Z > |z|).
// It is NaN for a NaN z.
func TwoSidedP(z float64) float64 {
	if math.IsNaN(z) {
		return math.NaN()
	}
	return 2 * stdNormal.Survival(math.Abs(z))
}

// TwoSidedPT returns the two-sided p-value of a Student t statistic with df degrees of freedom.
func TwoSidedPT(t, df float64) float64 {
	if math.IsNaN(t) || !(df > 0) {
		return math.NaN()
	}
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
}

// Wilson returns the Wilson score interval for a proportion with the given number of successes
// out of n trials (both may be weighted, i.e. fractional; pass the Kish effective n and the
// matching successes for weighted data). The bounds are proportions in [0, 1].
//
// Wilson (1927); Newcombe (1998) method 3. For x = 45, n = 50 at 95% it gives [0.786, 0.957].
func Wilson(successes, n, confidence float64) (lo, hi float64, err error) {
	z, err := Z(confidence)
	if err != nil {
		return 0, 0, err
	}
	if err := checkCounts(successes, n); err != nil {
		return 0, 0, err
	}
	p := successes / n
	z2 := z * z
	den := 1 + z2/n
	centre := (p + z2/(2*n)) / den
	half := z / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return clamp01(centre - half), clamp01(centre + half), nil
}

// AdjustedWald returns the adjusted-Wald (Agresti–Coull) interval for a proportion: the Wald
// interval computed after adding z²/2 successes and z²/2 failures. Bounds are clamped to [0, 1].
func AdjustedWald(successes, n, confidence float64) (lo, hi float64, err error) {
	z, err := Z(confidence)
	if err != nil {
		return 0, 0, err
	}
	if err := checkCounts(successes, n); err != nil {
		return 0, 0, err
	}
	na := n + z*z
	p := (successes + z*z/2) / na
	half := z * math.Sqrt(p*(1-p)/na)
	return clamp01(p - half), clamp01(p + half), nil
}

func checkCounts(successes, n float64) error {
	if !(n > 0) || math.IsInf(n, 0) {
		return fmt.Errorf("sample size %v must be positive and finite: %w", n, cxkit.ErrOutOfRange)
	}
	if !(successes >= 0 && successes <= n) {
		return fmt.Errorf("successes %v must lie in [0, %v]: %w", successes, n, cxkit.ErrOutOfRange)
	}
	return nil
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// TwoProportions tests p1 = x1/n1 against p2 = x2/n2 with the "N−1" two-proportion test
// recommended by Campbell (2007) for all but tiny samples: the pooled z statistic multiplied by
// sqrt((N−1)/N), N = n1 + n2, which equals the square root of the N−1 chi-squared statistic.
// It returns the difference p1 − p2, the standard error it was tested with, z and the
// two-sided p-value. When both proportions are 0 or both are 1 the difference is 0 and z and p
// are 0 and 1.
func TwoProportions(x1, n1, x2, n2 float64) (cxkit.Comparison, error) {
	if err := checkCounts(x1, n1); err != nil {
		return cxkit.Comparison{}, fmt.Errorf("first sample: %w", err)
	}
	if err := checkCounts(x2, n2); err != nil {
		return cxkit.Comparison{}, fmt.Errorf("second sample: %w", err)
	}
	n := n1 + n2
	p1, p2 := x1/n1, x2/n2
	pooled := (x1 + x2) / n
	se := math.Sqrt(pooled * (1 - pooled) * (1/n1 + 1/n2))
	c := cxkit.Comparison{Difference: p1 - p2, StdErr: se}
	if se == 0 || n <= 1 {
		c.Z, c.P = 0, 1
		return c, nil
	}
	c.Z = (p1 - p2) / se * math.Sqrt((n-1)/n)
	c.P = TwoSidedP(c.Z)
	return c, nil
}

// Kish returns the Kish effective sample size (Σw)² / Σw² of a weighted sample, given the sum
// of the weights and the sum of their squares. It is 0 when sumW2 is 0.
func Kish(sumW, sumW2 float64) float64 {
	if sumW2 == 0 {
		return 0
	}
	return sumW * sumW / sumW2
}

// ProportionSampleSize returns the number of responses needed to estimate a proportion p with
// a margin of error (half-width, as a proportion) at a confidence level, by the normal
// approximation n = z²·p(1−p)/margin², rounded up. Pass p = 0.5 for the worst case.
func ProportionSampleSize(p, margin, confidence float64) (int, error) {
	z, err := Z(confidence)
	if err != nil {
		return 0, err
	}
	if !(margin > 0 && margin < 1) {
		return 0, fmt.Errorf("margin %v must lie in (0, 1): %w", margin, cxkit.ErrOutOfRange)
	}
	if !(p >= 0 && p <= 1) {
		return 0, fmt.Errorf("proportion %v must lie in [0, 1]: %w", p, cxkit.ErrOutOfRange)
	}
	n := z * z * p * (1 - p) / (margin * margin)
	return CeilCount(n)
}

// CeilCount rounds a required sample size up to a whole number, forgiving floating-point noise
// of a few ulps (384.00000000000006 is 384), and never returns less than 1. A size that does
// not fit in an int (or is NaN) is an error naming it, wrapping cxkit.ErrOutOfRange:
// converting it would wrap to a negative number.
func CeilCount(n float64) (int, error) {
	c := math.Ceil(n - 1e-9*math.Max(1, n))
	if !(c < math.MaxInt) { // float64(MaxInt) is 2^63, itself too large; also catches NaN, +Inf
		return 0, fmt.Errorf("the sample size needed, %.4g responses, is too large to count (more than %d): %w", n, math.MaxInt, cxkit.ErrOutOfRange)
	}
	if c < 1 {
		return 1, nil
	}
	return int(c), nil
}

// Moments is a mergeable accumulator of a weighted sample's sum of weights, sum of squared
// weights, mean and sum of squared deviations (West 1979; Chan, Golub & LeVeque 1979 for the
// merge). The zero value is an empty sample.
type Moments struct {
	W    float64 // Σw
	W2   float64 // Σw²
	Mean float64 // weighted mean
	M2   float64 // Σw(x − mean)²
}

// Add adds x with weight w (w > 0; the caller validates).
func (m *Moments) Add(x, w float64) {
	m.W += w
	m.W2 += w * w
	d := x - m.Mean
	m.Mean += d * w / m.W
	m.M2 += w * d * (x - m.Mean)
}

// Merge adds the sample o to m.
func (m *Moments) Merge(o Moments) {
	if o.W == 0 {
		return
	}
	if m.W == 0 {
		*m = o
		return
	}
	w := m.W + o.W
	d := o.Mean - m.Mean
	m.Mean += d * o.W / w
	m.M2 += o.M2 + d*d*m.W*o.W/w
	m.W = w
	m.W2 += o.W2
}

// N returns the effective sample size: the Kish effective size, which equals the count for
// unit weights.
func (m Moments) N() float64 { return Kish(m.W, m.W2) }

// Variance returns the sample variance with the reliability-weights correction
// M2 / (W − W2/W), which reduces to the usual n−1 denominator for unit weights. It is NaN when
// the effective sample size is 1 or less.
func (m Moments) Variance() float64 {
	den := m.W - m.W2/m.W
	if !(m.W > 0) || den <= 0 {
		return math.NaN()
	}
	return m.M2 / den
}

// StdErr returns the standard error of the weighted mean, sqrt(Variance / N). NaN where
// Variance is.
func (m Moments) StdErr() float64 { return math.Sqrt(m.Variance() / m.N()) }

// MeanInterval returns the Student t interval for the mean with N − 1 degrees of freedom
// (N the Kish effective size). Both bounds are NaN when N ≤ 1.
func (m Moments) MeanInterval(confidence float64) (lo, hi float64, err error) {
	if err := CheckConfidence(confidence); err != nil {
		return 0, 0, err
	}
	n := m.N()
	if !(n > 1) {
		return math.NaN(), math.NaN(), nil
	}
	t, err := T(confidence, n-1)
	if err != nil {
		return 0, 0, err
	}
	h := t * m.StdErr()
	return m.Mean - h, m.Mean + h, nil
}
