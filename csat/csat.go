package csat

import (
	"fmt"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/survey"
	"golang.org/x/exp/constraints"
)

// Sentinel errors, shared with the root package so errors.Is works with either name.
var (
	// ErrOutOfRange reports a rating off its scale, a bad weight, confidence or margin.
	ErrOutOfRange = cxkit.ErrOutOfRange
	// ErrEmpty reports that there are no responses (or too few for the statistic asked for).
	ErrEmpty = cxkit.ErrEmpty
	// ErrInvalid reports a malformed scale, a corrupt encoding, or tallies or results on
	// different scales.
	ErrInvalid = cxkit.ErrInvalid
	// ErrIncompatible reports tallies, groups or results on different scales, which cannot be
	// merged or compared.
	ErrIncompatible = cxkit.ErrIncompatible
	// ErrTooSmall reports samples too small for a comparison's normal approximation.
	ErrTooSmall = cxkit.ErrTooSmall
)

// Scale is a CSAT answer scale: consecutive whole-number answers Min..Max, higher meaning more
// satisfied, of which the TopBoxes highest count as "satisfied". Scales are checked where they
// are used: 0 ≤ Min < Max ≤ 100, at most 11 answers, 1 ≤ TopBoxes < number of answers; a bad
// scale is an error wrapping ErrInvalid.
//
// The zero Scale stands for FivePoint, so that the zero Tally is ready to use.
type Scale struct {
	Min      int `json:"min"`       // lowest answer, e.g. 1 "very dissatisfied"
	Max      int `json:"max"`       // highest answer, e.g. 5 "very satisfied"
	TopBoxes int `json:"top_boxes"` // how many of the highest answers count as satisfied
}

// The scales in use. Each counts its top boxes as satisfied; the comments say why.
var (
	// ThreePoint is 1-3 (dissatisfied, neutral, satisfied): satisfied = 3, the only answer
	// above the neutral midpoint.
	ThreePoint = Scale{Min: 1, Max: 3, TopBoxes: 1}
	// FivePoint is 1-5 (very dissatisfied .. very satisfied): satisfied = 4-5, "satisfied" and
	// "very satisfied", the top-two-box definition used almost everywhere and the one of the
	// seed formula.
	FivePoint = Scale{Min: 1, Max: 5, TopBoxes: 2}
	// SevenPoint is 1-7: satisfied = 6-7, the top two boxes, which keeps the meaning "clearly
	// satisfied" of 4-5 on five points. Some teams count 5-7: see SevenPointTop3.
	SevenPoint = Scale{Min: 1, Max: 7, TopBoxes: 2}
	// SevenPointTop3 is 1-7 with satisfied = 5-7: every answer above the midpoint 4.
	SevenPointTop3 = Scale{Min: 1, Max: 7, TopBoxes: 3}
	// TenPoint is 1-10: satisfied = 9-10, the top two boxes (the same cut as NPS promoters).
	// Some teams count 8-10: see TenPointTop3.
	TenPoint = Scale{Min: 1, Max: 10, TopBoxes: 2}
	// TenPointTop3 is 1-10 with satisfied = 8-10.
	TenPointTop3 = Scale{Min: 1, Max: 10, TopBoxes: 3}
)

// kind is what the shared survey engine needs to know about CSAT.
var kind = &survey.Kind{
	Name: "csat", Tag: "CSAT", Good: "satisfied", Bad: "dissatisfied",
	Default: FivePoint.engine(),
}

func (s Scale) engine() survey.Scale {
	return survey.Scale{Min: s.Min, Max: s.Max, TopBoxes: s.TopBoxes}
}

func scaleOf(s survey.Scale) Scale { return Scale{Min: s.Min, Max: s.Max, TopBoxes: s.TopBoxes} }

// Check returns nil if s is a valid scale (the zero Scale is: it stands for FivePoint), or an
// error wrapping ErrInvalid that says what is wrong.
func (s Scale) Check() error { return kind.Check(kind.Resolve(s.engine())) }

// Satisfied reports whether a rating counts as satisfied on this scale (false for a rating off
// the scale).
func (s Scale) Satisfied(rating int) bool {
	e := kind.Resolve(s.engine())
	return rating >= e.Min && rating <= e.Max && e.IsTop(rating)
}

// String formats the scale as "1-5, satisfied 4-5".
func (s Scale) String() string { return kind.Describe(kind.Resolve(s.engine())) }

// Score computes the CSAT of a slice of ratings on a scale in one pass. Any integer type is
// accepted; []uint8 (and []byte) takes a fast path that counts two answers per table
// increment. A rating off the scale is an error naming the rating and its index, wrapping
// ErrOutOfRange; an empty slice is ErrEmpty; a bad scale is ErrInvalid.
func Score[T constraints.Integer](scale Scale, ratings []T) (Result, error) {
	r, err := survey.Score(kind, scale.engine(), ratings)
	if err != nil {
		return Result{}, err
	}
	return fromEngine(r), nil
}

// ScoreFloats computes the CSAT of ratings held as float64, as they arrive from JSON or a
// data frame. Every value must be a whole number on the scale: a fractional answer or a NaN is
// an error naming the value and its index that wraps ErrInvalid (e.g. "csat: rating 4.5 at
// index 2 is not a whole number"); a whole number off the scale or an infinity wraps
// ErrOutOfRange. Nothing is rounded or dropped.
func ScoreFloats(scale Scale, ratings []float64) (Result, error) {
	r, err := survey.ScoreFloats(kind, scale.engine(), ratings)
	if err != nil {
		return Result{}, err
	}
	return fromEngine(r), nil
}

// Result is a CSAT score with its counts, the mean rating and their uncertainty. Weighted
// counts are sums of weights. All fields are finite, so a Result always encodes to JSON; the
// spread of the ratings is kept as SumSqDev, from which StdDev, MeanStdErr and MeanInterval
// are computed.
type Result struct {
	Scale      Scale   `json:"scale"`       // the scale (never the zero Scale)
	Responses  int     `json:"responses"`   // number of answers
	N          float64 `json:"n"`           // total weight; equals Responses for unweighted data
	EffectiveN float64 `json:"effective_n"` // Kish effective sample size (Σw)²/Σw²
	Satisfied  float64 `json:"satisfied"`   // weight of the satisfied (top-box) answers
	Score      float64 `json:"score"`       // CSAT = 100 × Satisfied / N, 0..100
	StdErr     float64 `json:"std_err"`     // standard error of Score, 100·sqrt(p(1−p)/EffectiveN)
	Mean       float64 `json:"mean"`        // weighted mean rating
	SumSqDev   float64 `json:"sum_sq_dev"`  // Σw(rating − Mean)²
}

func fromEngine(r survey.Result) Result {
	return Result{
		Scale: scaleOf(r.Scale), Responses: r.Responses, N: r.N, EffectiveN: r.EffectiveN,
		Satisfied: r.Top, Score: r.Score(), StdErr: r.StdErr(), Mean: r.Mean, SumSqDev: r.SumSqDev,
	}
}

func (r Result) engine() survey.Result {
	return survey.Result{
		Scale: kind.Resolve(r.Scale.engine()), Responses: r.Responses, N: r.N, EffectiveN: r.EffectiveN,
		Top: r.Satisfied, Mean: r.Mean, SumSqDev: r.SumSqDev,
	}
}

// Interval returns the Wilson score interval for Score, in points (Wilson 1927), computed on
// the Kish effective sample size: for 45 satisfied of 50, [78.6, 95.7] at 95%. Both bounds are
// NaN for an empty Result or a confidence outside (0, 1).
func (r Result) Interval(confidence float64) cxkit.Interval { return r.engine().Interval(confidence) }

// StdDev returns the standard deviation of the ratings (the n − 1 formula; for weights, the
// reliability-weights formula Σw(x − mean)² / (Σw − Σw²/Σw)). It is NaN when EffectiveN ≤ 1.
func (r Result) StdDev() float64 { return r.engine().StdDev() }

// MeanStdErr returns the standard error of Mean, StdDev / sqrt(EffectiveN). It is NaN when
// EffectiveN ≤ 1.
func (r Result) MeanStdErr() float64 { return r.engine().MeanStdErr() }

// MeanInterval returns the Student t interval for Mean, Mean ± t(EffectiveN − 1)·MeanStdErr,
// clamped to the scale. Both bounds are NaN when EffectiveN ≤ 1 or the confidence is outside
// (0, 1). When every answer is the same the interval has width 0.
func (r Result) MeanInterval(confidence float64) cxkit.Interval {
	return r.engine().MeanInterval(confidence)
}

// String formats the result as "CSAT 62.5 (n=8, 1-5, satisfied 4-5; mean 3.50)".
func (r Result) String() string {
	return fmt.Sprintf("CSAT %.1f (n=%g, %v; mean %.2f)", r.Score, r.N, r.Scale, r.Mean)
}

// Compare tests the difference a − b between two independent CSAT scores with the N−1
// two-proportion test (Campbell 2007): the pooled two-proportion z statistic multiplied by
// sqrt((N−1)/N), N = n_a + n_b, on the Kish effective sample sizes. Difference and StdErr (the
// pooled standard error) are in points. Results on different scales are ErrInvalid; an empty
// one is ErrEmpty.
func Compare(a, b Result) (cxkit.Comparison, error) {
	return survey.Compare(kind, a.engine(), b.engine())
}

// CompareMeans tests the difference a − b between two mean ratings with Welch's t test on the
// effective sample sizes: Z holds the t statistic and P its two-sided p-value with
// Welch–Satterthwaite degrees of freedom. Each result needs EffectiveN > 1 (ErrEmpty); results
// on different scales are ErrInvalid.
func CompareMeans(a, b Result) (cxkit.Comparison, error) {
	return survey.CompareMeans(kind, a.engine(), b.engine())
}

// SampleSize returns the number of responses needed for a margin of error (the half-width of
// the normal-approximation interval, in points, e.g. 5 for ±5) at a confidence level, in the
// worst case of a 50% score: n = z²·0.25·(100/margin)². Use [SampleSizeExpected] when the
// score is roughly known.
func SampleSize(margin, confidence float64) (int, error) {
	return survey.SampleSize(kind, 50, margin, confidence)
}

// SampleSizeExpected returns the number of responses needed for a margin of error (in points)
// at a confidence level when the score is expected to be about pct (strictly between 0 and
// 100): n = z²·p(1 − p)·(100/margin)².
func SampleSizeExpected(pct, margin, confidence float64) (int, error) {
	return survey.SampleSize(kind, pct, margin, confidence)
}

// SampleSizeDifference returns the number of responses needed in EACH of two equal-sized
// independent samples (two months, two channels) to detect a change of delta CSAT points
// with a two-sided test at the given confidence (1 − α) and power (1 − β), when the score is
// expected to be about pct: n = (z_{1−α/2} + z_{1−β})²·2·p(1 − p)·(100/delta)².
func SampleSizeDifference(pct, delta, confidence, power float64) (int, error) {
	return survey.SampleSizeDifference(kind, pct, delta, confidence, power)
}

// ParallelThreshold is the slice length from which [Score] counts on several cores
// (runtime.GOMAXPROCS): the slice is cut into one contiguous part per core and the integer
// counts of the parts are added, so the result is identical to a serial count.
const ParallelThreshold = survey.ParallelThreshold
