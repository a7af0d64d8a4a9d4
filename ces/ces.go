package ces

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

// Scale is a CES answer scale: consecutive whole-number answers Min..Max. On an agreement
// scale (CES 2.0, "The company made it easy for me to handle my issue") higher answers mean
// easier; on an effort scale (CES 1.0, "How much effort did you personally have to put
// forth?") LowerIsEasier is true and the lowest answers are the easiest.
//
// EasyBoxes counts the answers at the easy end that count as easy; HardBoxes counts the answers
// at the hard end that count as hard (0 if net effort is not wanted). Scales are checked where
// they are used: 0 ≤ Min < Max ≤ 100, at most 11 answers, 1 ≤ EasyBoxes < number of answers,
// EasyBoxes + HardBoxes ≤ number of answers; a bad scale is an error wrapping ErrInvalid.
//
// The zero Scale stands for FivePoint, so that the zero Tally is ready to use.
type Scale struct {
	Min           int  `json:"min"`
	Max           int  `json:"max"`
	LowerIsEasier bool `json:"lower_is_easier"` // an effort scale: Min is the least effort
	EasyBoxes     int  `json:"easy_boxes"`      // answers at the easy end counted as easy
	HardBoxes     int  `json:"hard_boxes"`      // answers at the hard end counted as hard
}

// The scales in use.
var (
	// FivePoint is a 1-5 ease or agreement scale, higher = easier: easy = 4-5 and hard = 1-2,
	// the top and bottom two boxes around the neutral 3. It is the scale of the seed formula
	// "top boxes (4-5 on a 1-5 scale) / responses".
	FivePoint = Scale{Min: 1, Max: 5, EasyBoxes: 2, HardBoxes: 2}
	// SevenPoint is CES 2.0 (CEB/Gartner, 2013): "The company made it easy for me to handle my
	// issue", 1 strongly disagree .. 7 strongly agree. Easy = 5-7 (somewhat agree or more),
	// hard = 1-3 (somewhat disagree or less), 4 is neutral: the agreement boxes as reported by
	// the scale's authors and by most CX vendors.
	SevenPoint = Scale{Min: 1, Max: 7, EasyBoxes: 3, HardBoxes: 3}
	// FivePointEffort is CES 1.0 (Dixon, Freeman & Toman 2010): "How much effort did you
	// personally have to put forth to handle your request?", 1 very low effort .. 5 very high
	// effort, so lower is easier. Easy = raw 1-2, hard = raw 4-5. Answers are read as
	// 6 − raw (1 → 5, 2 → 4, 3 → 3, 4 → 2, 5 → 1) so that the score and the mean read
	// "higher = easier" like every other scale; [Result.RawMean] gives the mean on the raw
	// effort scale.
	FivePointEffort = Scale{Min: 1, Max: 5, LowerIsEasier: true, EasyBoxes: 2, HardBoxes: 2}
)

// kind is what the shared survey engine needs to know about CES.
var kind = &survey.Kind{
	Name: "ces", Tag: "CEST", Good: "easy", Bad: "hard",
	Default: FivePoint.engine(), Reversible: true, Bottom: true,
}

func (s Scale) engine() survey.Scale {
	return survey.Scale{Min: s.Min, Max: s.Max, LowerIsBetter: s.LowerIsEasier, TopBoxes: s.EasyBoxes, BottomBoxes: s.HardBoxes}
}

func scaleOf(s survey.Scale) Scale {
	return Scale{Min: s.Min, Max: s.Max, LowerIsEasier: s.LowerIsBetter, EasyBoxes: s.TopBoxes, HardBoxes: s.BottomBoxes}
}

// Check returns nil if s is a valid scale (the zero Scale is: it stands for FivePoint), or an
// error wrapping ErrInvalid that says what is wrong.
func (s Scale) Check() error { return kind.Check(kind.Resolve(s.engine())) }

// Easy reports whether a raw rating counts as easy on this scale (false off the scale).
func (s Scale) Easy(rating int) bool {
	e := kind.Resolve(s.engine())
	return rating >= e.Min && rating <= e.Max && e.IsTop(rating)
}

// Hard reports whether a raw rating counts as hard on this scale (false off the scale).
func (s Scale) Hard(rating int) bool {
	e := kind.Resolve(s.engine())
	return rating >= e.Min && rating <= e.Max && e.IsBottom(rating)
}

// Ease maps a raw rating to the "higher = easier" reading that scores and means use: the
// rating itself, or Min + Max − rating on a LowerIsEasier scale.
func (s Scale) Ease(rating int) int { return kind.Resolve(s.engine()).Oriented(rating) }

// String formats the scale as "1-7, easy 5-7" or "1-5 (lower is better), easy 1-2".
func (s Scale) String() string { return kind.Describe(kind.Resolve(s.engine())) }

// Score computes the CES of a slice of raw ratings on a scale in one pass. Any integer type is
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

// ScoreFloats computes the CES of ratings held as float64, as they arrive from JSON or a
// data frame. Every value must be a whole number on the scale: a fractional answer or a NaN is
// an error naming the value and its index that wraps ErrInvalid (e.g. "ces: rating 4.5 at
// index 2 is not a whole number"); a whole number off the scale or an infinity wraps
// ErrOutOfRange. Nothing is rounded or dropped.
func ScoreFloats(scale Scale, ratings []float64) (Result, error) {
	r, err := survey.ScoreFloats(kind, scale.engine(), ratings)
	if err != nil {
		return Result{}, err
	}
	return fromEngine(r), nil
}

// Result is a Customer Effort Score with its counts, the mean ease and their uncertainty.
// Weighted counts are sums of weights. Score and Mean always read "higher = easier". All
// fields are finite, so a Result always encodes to JSON; the spread of the answers is kept as
// SumSqDev, from which StdDev, MeanStdErr and MeanInterval are computed.
type Result struct {
	Scale      Scale   `json:"scale"`       // the scale (never the zero Scale)
	Responses  int     `json:"responses"`   // number of answers
	N          float64 `json:"n"`           // total weight; equals Responses for unweighted data
	EffectiveN float64 `json:"effective_n"` // Kish effective sample size (Σw)²/Σw²
	Easy       float64 `json:"easy"`        // weight of the easy answers
	Hard       float64 `json:"hard"`        // weight of the hard answers (0 without hard boxes)
	Score      float64 `json:"score"`       // CES = 100 × Easy / N, 0..100
	StdErr     float64 `json:"std_err"`     // standard error of Score, 100·sqrt(p(1−p)/EffectiveN)
	NetEffort  float64 `json:"net_effort"`  // 100 × (Easy − Hard) / N, −100..100
	Mean       float64 `json:"mean"`        // weighted mean ease (answers mapped to higher = easier)
	SumSqDev   float64 `json:"sum_sq_dev"`  // Σw(ease − Mean)²
}

func fromEngine(r survey.Result) Result {
	return Result{
		Scale: scaleOf(r.Scale), Responses: r.Responses, N: r.N, EffectiveN: r.EffectiveN,
		Easy: r.Top, Hard: r.Bottom, Score: r.Score(), StdErr: r.StdErr(), NetEffort: r.Net(),
		Mean: r.Mean, SumSqDev: r.SumSqDev,
	}
}

func (r Result) engine() survey.Result {
	return survey.Result{
		Scale: kind.Resolve(r.Scale.engine()), Responses: r.Responses, N: r.N, EffectiveN: r.EffectiveN,
		Top: r.Easy, Bottom: r.Hard, Mean: r.Mean, SumSqDev: r.SumSqDev,
	}
}

// Interval returns the Wilson score interval for Score, in points (Wilson 1927), computed on
// the Kish effective sample size. Both bounds are NaN for an empty Result or a confidence
// outside (0, 1).
func (r Result) Interval(confidence float64) cxkit.Interval { return r.engine().Interval(confidence) }

// RawMean returns the mean on the raw answer scale: Mean itself, or Min + Max − Mean on a
// LowerIsEasier scale (the mean effort CES 1.0 reports, lower = easier).
func (r Result) RawMean() float64 {
	if r.Scale.LowerIsEasier {
		return float64(r.Scale.Min+r.Scale.Max) - r.Mean
	}
	return r.Mean
}

// StdDev returns the standard deviation of the answers (the n − 1 formula; for weights, the
// reliability-weights formula). It is NaN when EffectiveN ≤ 1.
func (r Result) StdDev() float64 { return r.engine().StdDev() }

// MeanStdErr returns the standard error of Mean, StdDev / sqrt(EffectiveN). It is NaN when
// EffectiveN ≤ 1.
func (r Result) MeanStdErr() float64 { return r.engine().MeanStdErr() }

// MeanInterval returns the Student t interval for Mean (on the higher = easier reading),
// Mean ± t(EffectiveN − 1)·MeanStdErr, clamped to the scale. Both bounds are NaN when
// EffectiveN ≤ 1 or the confidence is outside (0, 1).
func (r Result) MeanInterval(confidence float64) cxkit.Interval {
	return r.engine().MeanInterval(confidence)
}

// String formats the result as "CES 71.4 (n=7, 1-7, easy 5-7; net effort 42.9; mean 5.29)".
func (r Result) String() string {
	return fmt.Sprintf("CES %.1f (n=%g, %v; net effort %.1f; mean %.2f)", r.Score, r.N, r.Scale, r.NetEffort, r.Mean)
}

// Compare tests the difference a − b between two independent CES scores with the N−1
// two-proportion test (Campbell 2007) on the Kish effective sample sizes. Difference and
// StdErr (the pooled standard error) are in points. Results on different scales are
// ErrInvalid; an empty one is ErrEmpty.
func Compare(a, b Result) (cxkit.Comparison, error) {
	return survey.Compare(kind, a.engine(), b.engine())
}

// CompareMeans tests the difference a − b between two mean eases with Welch's t test on the
// effective sample sizes: Z holds the t statistic and P its two-sided p-value with
// Welch–Satterthwaite degrees of freedom. Each result needs EffectiveN > 1 (ErrEmpty); results
// on different scales are ErrInvalid.
func CompareMeans(a, b Result) (cxkit.Comparison, error) {
	return survey.CompareMeans(kind, a.engine(), b.engine())
}

// SampleSize returns the number of responses needed for a margin of error (in points, e.g. 5
// for ±5) at a confidence level, in the worst case of a 50% score: n = z²·0.25·(100/margin)².
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
// independent samples (two months, two channels) to detect a change of delta CES points
// with a two-sided test at the given confidence (1 − α) and power (1 − β), when the score is
// expected to be about pct: n = (z_{1−α/2} + z_{1−β})²·2·p(1 − p)·(100/delta)².
func SampleSizeDifference(pct, delta, confidence, power float64) (int, error) {
	return survey.SampleSizeDifference(kind, pct, delta, confidence, power)
}

// ParallelThreshold is the slice length from which [Score] counts on several cores
// (runtime.GOMAXPROCS): the slice is cut into one contiguous part per core and the integer
// counts of the parts are added, so the result is identical to a serial count.
const ParallelThreshold = survey.ParallelThreshold
