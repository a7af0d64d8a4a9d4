package survey

import (
	"fmt"
	"math"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/stat"
)

// Result is what the engine computes from a tally: counts (sums of weights), the top-box and
// bottom-box weights and the weighted moments of the oriented answers. Every field is finite,
// so a Result always encodes to JSON; quantities that can be undefined are methods.
type Result struct {
	Scale      Scale   // the (resolved) scale
	Responses  int     // number of answers
	N          float64 // Σw; equals Responses for unweighted data
	EffectiveN float64 // Kish effective sample size (Σw)²/Σw²
	Top        float64 // weight of the top-box answers
	Bottom     float64 // weight of the bottom-box answers
	Mean       float64 // weighted mean of the oriented answers
	SumSqDev   float64 // Σw(x − Mean)² over the oriented answers
}

// newResult builds a Result from the weight of each raw answer (h[j] for raw Min + j), the
// number of answers and Σw².
func newResult(k *Kind, s Scale, responses int, h *[MaxPoints]float64, sumW2 float64) (Result, error) {
	var n, top, bottom, sum float64
	for j := 0; j < s.Points(); j++ {
		w := h[j]
		raw := s.Min + j
		n += w
		if s.IsTop(raw) {
			top += w
		}
		if s.IsBottom(raw) {
			bottom += w
		}
		sum += w * float64(s.Oriented(raw)-s.Min)
	}
	if responses == 0 || !(n > 0) {
		return Result{}, fmt.Errorf("%s: no responses: %w", k.Name, cxkit.ErrEmpty)
	}
	if math.IsInf(n, 0) || !(sumW2 > 0) || math.IsInf(sumW2, 0) {
		return Result{}, fmt.Errorf("%s: weights too extreme to sum (Σw = %v, Σw² = %v): %w", k.Name, n, sumW2, cxkit.ErrOutOfRange)
	}
	r := Result{Scale: s, Responses: responses, N: n, EffectiveN: stat.Kish(n, sumW2), Top: top, Bottom: bottom}
	// Rounding can leave the mean a few ulps outside the scale (0.1·7/0.1); keep it on it.
	r.Mean = math.Max(float64(s.Min), math.Min(float64(s.Max), float64(s.Min)+sum/n))
	for j := 0; j < s.Points(); j++ {
		if w := h[j]; w != 0 {
			d := float64(s.Oriented(s.Min+j)) - r.Mean
			r.SumSqDev += w * d * d
		}
	}
	if math.IsInf(r.EffectiveN, 0) || math.IsInf(r.SumSqDev, 0) || math.IsInf(sum, 0) {
		return Result{}, fmt.Errorf("%s: weights too extreme to sum (Σw = %v, Σw² = %v): %w", k.Name, n, sumW2, cxkit.ErrOutOfRange)
	}
	return r, nil
}

// Share returns Top / N, the top-box proportion.
func (r Result) Share() float64 {
	if !(r.N > 0) {
		return math.NaN()
	}
	return math.Min(1, r.Top/r.N)
}

// Score returns the top-box share in percent, 100·Top/N.
func (r Result) Score() float64 { return 100 * r.Share() }

// StdErr returns the standard error of Score in points, 100·sqrt(p(1 − p)/n_eff).
func (r Result) StdErr() float64 {
	p := r.Share()
	return 100 * math.Sqrt(p*(1-p)/r.EffectiveN)
}

// Net returns the top-box share minus the bottom-box share, in points (−100..100).
func (r Result) Net() float64 {
	if !(r.N > 0) {
		return math.NaN()
	}
	return 100 * (r.Share() - math.Min(1, r.Bottom/r.N))
}

func nanInterval(confidence float64) cxkit.Interval {
	return cxkit.Interval{Lower: math.NaN(), Upper: math.NaN(), Confidence: confidence}
}

// Interval returns the Wilson score interval for Score, in points, computed on the Kish
// effective sample size. Both bounds are NaN for an empty result or a confidence outside (0, 1).
func (r Result) Interval(confidence float64) cxkit.Interval {
	if !(r.EffectiveN > 0) {
		return nanInterval(confidence)
	}
	lo, hi, err := stat.Wilson(r.Share()*r.EffectiveN, r.EffectiveN, confidence)
	if err != nil {
		return nanInterval(confidence)
	}
	return cxkit.Interval{Lower: 100 * lo, Upper: 100 * hi, Confidence: confidence}
}

// moments rebuilds the weighted moments, with Σw² = N²/n_eff so that the Kish size of the
// moments is the result's EffectiveN: the mean's interval and the share's use the same weights.
func (r Result) moments() stat.Moments {
	return stat.Moments{W: r.N, W2: r.N * r.N / r.EffectiveN, Mean: r.Mean, M2: r.SumSqDev}
}

// StdDev returns the weighted sample standard deviation of the oriented answers (reliability
// weights; the n − 1 formula for unit weights). NaN when EffectiveN ≤ 1.
func (r Result) StdDev() float64 {
	if !(r.N > 0) {
		return math.NaN()
	}
	return math.Sqrt(r.moments().Variance())
}

// MeanStdErr returns the standard error of Mean, StdDev/sqrt(n_eff). NaN when EffectiveN ≤ 1.
func (r Result) MeanStdErr() float64 {
	if !(r.N > 0) {
		return math.NaN()
	}
	return r.moments().StdErr()
}

// MeanInterval returns the Student t interval for Mean with n_eff − 1 degrees of freedom,
// clamped to the scale. Both bounds are NaN when EffectiveN ≤ 1 or the confidence is outside
// (0, 1).
func (r Result) MeanInterval(confidence float64) cxkit.Interval {
	if !(r.N > 0) {
		return nanInterval(confidence)
	}
	lo, hi, err := r.moments().MeanInterval(confidence)
	if err != nil || math.IsNaN(lo) {
		return nanInterval(confidence)
	}
	lo2, hi2 := float64(r.Scale.Min), float64(r.Scale.Max)
	clamp := func(x float64) float64 { return math.Max(lo2, math.Min(hi2, x)) }
	return cxkit.Interval{Lower: clamp(lo), Upper: clamp(hi), Confidence: confidence}
}

// MinExpected is the smallest expected cell count at which the comparisons trust their normal
// approximation: Campbell (2007) found the N−1 two-proportion test accurate when every expected
// count of the 2×2 table is at least 1, and recommends the Fisher–Irwin exact test below.
const MinExpected = 1.0

// Compare tests the top-box shares of a and b with the N−1 two-proportion test (Campbell
// 2007) on their effective sample sizes. Difference and StdErr are in points. Results on
// different scales are not comparable (ErrInvalid); an empty one is ErrEmpty. When the
// smallest expected count of the 2×2 table (group × top box or not, under the pooled share)
// is below MinExpected, the normal approximation does not hold and Compare returns an error
// wrapping cxkit.ErrTooSmall that names it, rather than a p-value.
func Compare(k *Kind, a, b Result) (cxkit.Comparison, error) {
	if err := checkComparable(k, a, b); err != nil {
		return cxkit.Comparison{}, err
	}
	if e := MinExpectedCount(a.Share(), a.EffectiveN, b.Share(), b.EffectiveN); !(e >= MinExpected) {
		return cxkit.Comparison{}, fmt.Errorf("%s: the smallest expected count of the comparison is %.3g, below %g (effective sizes %.4g and %.4g): the normal approximation does not hold; use an exact test: %w",
			k.Name, e, MinExpected, a.EffectiveN, b.EffectiveN, cxkit.ErrTooSmall)
	}
	c, err := stat.TwoProportions(a.Share()*a.EffectiveN, a.EffectiveN, b.Share()*b.EffectiveN, b.EffectiveN)
	if err != nil {
		return cxkit.Comparison{}, fmt.Errorf("%s: %w", k.Name, err)
	}
	c.Difference *= 100
	c.StdErr *= 100
	return c, nil
}

func checkComparable(k *Kind, a, b Result) error {
	if !(a.N > 0 && a.EffectiveN > 0 && b.N > 0 && b.EffectiveN > 0) {
		return fmt.Errorf("%s: compare needs two non-empty results: %w", k.Name, cxkit.ErrEmpty)
	}
	if a.Scale != b.Scale {
		return fmt.Errorf("%s: cannot compare results on different scales (%s and %s): %w (%w)",
			k.Name, k.Describe(a.Scale), k.Describe(b.Scale), cxkit.ErrIncompatible, cxkit.ErrInvalid)
	}
	return nil
}

// CompareMeans tests the means of a and b with Welch's unequal-variances t test on the
// effective sample sizes: the statistic (Z field) is a t with Welch–Satterthwaite degrees of
// freedom. Each result needs an effective size above 1 (ErrEmpty otherwise). When both standard
// errors are 0 (every answer the same in each sample) the t statistic is undefined: that is an
// error wrapping cxkit.ErrTooSmall, never a p-value of 0 from a zero standard error.
func CompareMeans(k *Kind, a, b Result) (cxkit.Comparison, error) {
	if err := checkComparable(k, a, b); err != nil {
		return cxkit.Comparison{}, err
	}
	if !(a.EffectiveN > 1 && b.EffectiveN > 1) {
		return cxkit.Comparison{}, fmt.Errorf("%s: comparing means needs an effective size above 1 in both results (have %.3g and %.3g): %w",
			k.Name, a.EffectiveN, b.EffectiveN, cxkit.ErrEmpty)
	}
	va, vb := sq(a.MeanStdErr()), sq(b.MeanStdErr())
	c := cxkit.Comparison{Difference: a.Mean - b.Mean, StdErr: math.Sqrt(va + vb)}
	if !(c.StdErr > 0) {
		return cxkit.Comparison{}, fmt.Errorf("%s: comparing means of %.4g and %.4g whose standard errors are both 0 (no spread in either sample of effective sizes %.4g and %.4g): %w",
			k.Name, a.Mean, b.Mean, a.EffectiveN, b.EffectiveN, cxkit.ErrTooSmall)
	}
	c.Z = c.Difference / c.StdErr
	df := sq(va+vb) / (va*va/(a.EffectiveN-1) + vb*vb/(b.EffectiveN-1))
	c.P = stat.TwoSidedPT(c.Z, df)
	return c, nil
}

func sq(x float64) float64 { return x * x }

// MinExpectedCount returns the smallest expected count of the 2×2 table of two samples (shares
// pa and pb of effective sizes na and nb) × (in the category or not), under the pooled share:
// min(na, nb) × min(p̄, 1 − p̄).
func MinExpectedCount(pa, na, pb, nb float64) float64 {
	pooled := (pa*na + pb*nb) / (na + nb)
	return math.Min(na, nb) * math.Min(pooled, 1-pooled)
}

// SampleSize returns the responses needed to estimate a top-box share within ±margin points at
// a confidence level, for an expected share pct (percent; 50 is the worst case), by
// n = z²·p(1 − p)/margin².
func SampleSize(k *Kind, pct, margin, confidence float64) (int, error) {
	if !(margin > 0 && margin < 100) {
		return 0, fmt.Errorf("%s: margin %v must lie in (0, 100) points: %w", k.Name, margin, cxkit.ErrOutOfRange)
	}
	if !(pct > 0 && pct < 100) {
		return 0, fmt.Errorf("%s: expected score %v%% must lie strictly between 0 and 100: %w", k.Name, pct, cxkit.ErrOutOfRange)
	}
	n, err := stat.ProportionSampleSize(pct/100, margin/100, confidence)
	if err != nil {
		return 0, fmt.Errorf("%s: margin %v points at confidence %v: %w", k.Name, margin, confidence, err)
	}
	return n, nil
}

// Describe formats a scale as "1-5, satisfied 4-5" or, for a lower-is-better scale,
// "1-5 (lower is better), easy 1-2".
func (k *Kind) Describe(s Scale) string {
	dir := ""
	if s.LowerIsBetter {
		dir = " (lower is better)"
	}
	lo, hi := s.RawRange(s.TopBoxes, true)
	return fmt.Sprintf("%d-%d%s, %s %s", s.Min, s.Max, dir, k.Good, span(lo, hi))
}

func span(lo, hi int) string {
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

// SampleSizeDifference returns the responses needed in EACH of two equal-sized independent
// samples to detect a difference of delta points between two top-box shares expected to be
// about pct, with a two-sided test at the confidence level (1 − α) and the power (1 − β):
// n = (z_{1−α/2} + z_{1−β})²·2·p(1 − p)·(100/delta)².
func SampleSizeDifference(k *Kind, pct, delta, confidence, power float64) (int, error) {
	za, err := stat.Z(confidence)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", k.Name, err)
	}
	if !(power > 0.5 && power < 1) {
		return 0, fmt.Errorf("%s: power %v is outside (0.5, 1): %w", k.Name, power, cxkit.ErrOutOfRange)
	}
	zb, _ := stat.Z(2*power - 1) // Φ⁻¹(power), the one-sided quantile
	if !(pct > 0 && pct < 100) {
		return 0, fmt.Errorf("%s: expected score %v%% must lie strictly between 0 and 100: %w", k.Name, pct, cxkit.ErrOutOfRange)
	}
	if !(delta > 0 && delta < 100) {
		return 0, fmt.Errorf("%s: difference %v must lie in (0, 100) points: %w", k.Name, delta, cxkit.ErrOutOfRange)
	}
	p, s := pct/100, za+zb
	n, err := stat.CeilCount(s * s * 2 * p * (1 - p) * 1e4 / (delta * delta))
	if err != nil {
		return 0, fmt.Errorf("%s: difference %v points at confidence %v and power %v: %w", k.Name, delta, confidence, power, err)
	}
	return n, nil
}
