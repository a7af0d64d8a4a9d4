package nps

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/stat"
	"github.com/cxkit/cxkit/internal/survey"
	"golang.org/x/exp/constraints"
)

// Sentinel errors, shared with the root package so errors.Is works with either name.
var (
	// ErrOutOfRange reports a rating outside 0..10, a bad weight or a bad confidence level.
	ErrOutOfRange = cxkit.ErrOutOfRange
	// ErrEmpty reports that there are no responses.
	ErrEmpty = cxkit.ErrEmpty
	// ErrInvalid reports a corrupt encoding or inconsistent input.
	ErrInvalid = cxkit.ErrInvalid
	// ErrIncompatible reports tallies, groups or results on different scales, which cannot be
	// merged or compared.
	ErrIncompatible = cxkit.ErrIncompatible
	// ErrTooSmall reports samples too small for a comparison's normal approximation.
	ErrTooSmall = cxkit.ErrTooSmall
)

// MinRating and MaxRating bound the NPS answer scale.
const (
	MinRating = 0  // "not at all likely"
	MaxRating = 10 // "extremely likely"
)

// Category is the group an answer falls in.
type Category int8

// The three NPS categories.
const (
	Detractor Category = iota // ratings 0-6
	Passive                   // ratings 7-8
	Promoter                  // ratings 9-10
)

// String returns "detractor", "passive" or "promoter".
func (c Category) String() string {
	switch c {
	case Detractor:
		return "detractor"
	case Passive:
		return "passive"
	case Promoter:
		return "promoter"
	}
	return fmt.Sprintf("Category(%d)", int8(c))
}

// Classify returns the category of a rating: detractor 0-6, passive 7-8, promoter 9-10. A
// rating outside 0..10 is an error wrapping ErrOutOfRange.
func Classify[T constraints.Integer](rating T) (Category, error) {
	switch {
	case rating < 0 || rating > MaxRating:
		return 0, fmt.Errorf("nps: rating %d is outside 0..10: %w", rating, ErrOutOfRange)
	case rating >= 9:
		return Promoter, nil
	case rating >= 7:
		return Passive, nil
	}
	return Detractor, nil
}

// Result is a Net Promoter Score with its counts and uncertainty.
type Result struct {
	Responses  int     `json:"responses"`   // number of answers
	N          float64 `json:"n"`           // total weight; equals Responses for unweighted data
	EffectiveN float64 `json:"effective_n"` // Kish effective sample size (Σw)²/Σw²
	Promoters  float64 `json:"promoters"`   // weight of ratings 9-10
	Passives   float64 `json:"passives"`    // weight of ratings 7-8
	Detractors float64 `json:"detractors"`  // weight of ratings 0-6

	PctPromoters  float64 `json:"pct_promoters"`  // 100 × Promoters / N
	PctPassives   float64 `json:"pct_passives"`   // 100 × Passives / N
	PctDetractors float64 `json:"pct_detractors"` // 100 × Detractors / N

	Score  float64 `json:"score"`   // PctPromoters − PctDetractors, −100..100
	StdErr float64 `json:"std_err"` // standard error of Score, in NPS points
}

// newResult builds a Result from the total weight n (> 0), the effective size and the
// category weights.
func newResult(responses int, n, neff, pro, pas, det float64) Result {
	r := Result{
		Responses: responses, N: n, EffectiveN: neff,
		Promoters: pro, Passives: pas, Detractors: det,
	}
	p, d := math.Min(1, pro/n), math.Min(1, det/n)
	r.PctPromoters, r.PctPassives, r.PctDetractors = 100*p, 100*math.Min(1, pas/n), 100*d
	r.Score = 100 * (p - d)
	r.StdErr = 100 * math.Sqrt(npsVariance(p, d)/r.EffectiveN)
	return r
}

// scored builds the Result of an unweighted count.
func scored(n, pro, passOrBetter int) (Result, error) {
	if n == 0 {
		return Result{}, fmt.Errorf("nps: no responses: %w", ErrEmpty)
	}
	fn := float64(n)
	return newResult(n, fn, fn, float64(pro), float64(passOrBetter-pro), float64(n-passOrBetter)), nil
}

// npsVariance is the per-response variance of the promoter share minus the detractor share.
func npsVariance(p, d float64) float64 {
	v := p + d - (p-d)*(p-d)
	return math.Max(v, 0) // rounding can leave −1e-17 when p or d is 1
}

// WaldInterval returns the Wald interval Score ± z·StdErr, clamped to [−100, 100]. For an
// invalid confidence (outside (0, 1)) both bounds are NaN.
func (r Result) WaldInterval(confidence float64) cxkit.Interval {
	z, err := stat.Z(confidence)
	if err != nil || r.N == 0 {
		return cxkit.Interval{Lower: math.NaN(), Upper: math.NaN(), Confidence: confidence}
	}
	h := z * r.StdErr
	return cxkit.Interval{Lower: clampNPS(r.Score - h), Upper: clampNPS(r.Score + h), Confidence: confidence}
}

// Interval returns the adjusted-Wald interval for the score (Rocks 2016; MeasuringU): ¾ of a
// promoter and ¾ of a detractor are added to the effective counts (n + 3 in all) and the Wald
// interval is computed around the adjusted score. Bounds are clamped to [−100, 100]. For an
// invalid confidence (outside (0, 1)) or an empty Result both bounds are NaN.
func (r Result) Interval(confidence float64) cxkit.Interval {
	z, err := stat.Z(confidence)
	if err != nil || r.N == 0 {
		return cxkit.Interval{Lower: math.NaN(), Upper: math.NaN(), Confidence: confidence}
	}
	ne := r.EffectiveN
	p := (r.Promoters/r.N*ne + 0.75) / (ne + 3)
	d := (r.Detractors/r.N*ne + 0.75) / (ne + 3)
	centre := 100 * (p - d)
	h := z * 100 * math.Sqrt(npsVariance(p, d)/(ne+3))
	return cxkit.Interval{Lower: clampNPS(centre - h), Upper: clampNPS(centre + h), Confidence: confidence}
}

// String formats the result as "NPS 30.0 (n=100: 50% promoters, 30% passives, 20% detractors)".
func (r Result) String() string {
	return fmt.Sprintf("NPS %.1f (n=%g: %.0f%% promoters, %.0f%% passives, %.0f%% detractors)",
		r.Score, r.N, r.PctPromoters, r.PctPassives, r.PctDetractors)
}

func clampNPS(x float64) float64 { return math.Max(-100, math.Min(100, x)) }

// Score computes the NPS of a slice of ratings in one pass. Any integer type is accepted;
// []uint8 (and []byte) takes a fast path that classifies eight ratings per step. From
// [ParallelThreshold] ratings on, the count runs on every core (runtime.GOMAXPROCS): the slice
// is cut into one contiguous part per core and the integer counts of the parts are added, so
// the result is identical to a serial count. A rating outside 0..10 is an error naming the
// rating and its index (the first bad one of the slice), wrapping ErrOutOfRange; an empty
// slice is ErrEmpty.
func Score[T constraints.Integer](ratings []T) (Result, error) {
	var count func([]T) (counts, int)
	if _, ok := any(ratings).([]uint8); ok {
		count = func(part []T) (counts, int) { return countBytes(any(part).([]uint8)) }
	} else {
		count = countInts[T]
	}
	c, bad := survey.Parallel(ratings, ParallelThreshold, count)
	if bad >= 0 {
		return Result{}, fmt.Errorf("nps: rating %d at index %d is outside 0..10: %w", ratings[bad], bad, ErrOutOfRange)
	}
	return scored(len(ratings), c[cPro], c[cPassOrBetter])
}

// ParallelThreshold is the slice length from which [Score] counts on several cores.
const ParallelThreshold = survey.ParallelThreshold

// counts holds the category counts of a part of a slice: promoters and passives-or-better.
type counts [survey.MaxPoints]int

const (
	cPro          = 0
	cPassOrBetter = 1
)

// countInts counts a slice of any integer type, returning the index of the first bad rating
// or −1.
func countInts[T constraints.Integer](ratings []T) (counts, int) {
	var pro, passOrBetter int
	bad := false
	for _, r := range ratings {
		bad = bad || r < 0 || r > MaxRating
		if r >= 9 {
			pro++
		}
		if r >= 7 {
			passOrBetter++
		}
	}
	var c counts
	if bad {
		for i, r := range ratings {
			if r < 0 || r > MaxRating {
				return c, i
			}
		}
	}
	c[cPro], c[cPassOrBetter] = pro, passOrBetter
	return c, -1
}

// SWAR constants: for a byte b < 128, b + (128 − k) has its high bit set exactly when b ≥ k,
// and the sum does not carry into the next byte.
const (
	highBits = 0x8080808080808080
	geq7     = 0x7979797979797979 // 128 − 7
	geq9     = 0x7777777777777777 // 128 − 9
	geq11    = 0x7575757575757575 // 128 − 11: flags ratings above 10
)

// countBytes counts categories eight bytes at a time. Bytes of 128 and above would carry into
// their neighbours, so they are flagged (with bytes 11..127) as invalid and a second pass then
// finds the first bad index.
func countBytes(b []uint8) (counts, int) {
	var pro, passOrBetter int
	var bad uint64
	i := 0
	for ; i+32 <= len(b); i += 32 {
		x0 := binary.LittleEndian.Uint64(b[i:])
		x1 := binary.LittleEndian.Uint64(b[i+8:])
		x2 := binary.LittleEndian.Uint64(b[i+16:])
		x3 := binary.LittleEndian.Uint64(b[i+24:])
		bad |= x0 | x1 | x2 | x3 | (x0 + geq11) | (x1 + geq11) | (x2 + geq11) | (x3 + geq11)
		pro += bits.OnesCount64((x0+geq9)&highBits) + bits.OnesCount64((x1+geq9)&highBits) +
			bits.OnesCount64((x2+geq9)&highBits) + bits.OnesCount64((x3+geq9)&highBits)
		passOrBetter += bits.OnesCount64((x0+geq7)&highBits) + bits.OnesCount64((x1+geq7)&highBits) +
			bits.OnesCount64((x2+geq7)&highBits) + bits.OnesCount64((x3+geq7)&highBits)
	}
	for ; i < len(b); i++ {
		r := b[i]
		if r > MaxRating {
			bad = highBits
		}
		if r >= 9 {
			pro++
		}
		if r >= 7 {
			passOrBetter++
		}
	}
	var c counts
	if bad&highBits != 0 {
		for j, r := range b {
			if r > MaxRating {
				return c, j
			}
		}
	}
	c[cPro], c[cPassOrBetter] = pro, passOrBetter
	return c, -1
}

// Compare tests the difference a − b between two independent NPS results with a z test:
// the standard error of the difference is the square root of the sum of the two squared
// standard errors. The difference and standard error are in NPS points. Either result being
// empty is ErrEmpty.
//
// The z test leans on the normal approximation to each of the two shares the score is made
// of, and that approximation fails in small samples. Compare therefore applies Campbell's
// (2007) rule for two-proportion tests, every expected count of the 2×2 table at least 1
// ([MinExpected]), to both the promoter and the detractor share: with the pooled share q and
// the effective sizes n_a, n_b, min(n_a, n_b)·min(q, 1 − q) ≥ 1 for each. It also needs a
// positive standard error. Below that (one promoter against one detractor, two samples of all
// promoters) Compare returns an error wrapping [ErrTooSmall] that names the expected count,
// never a p-value of 0 or 1 from a zero standard error.
func Compare(a, b Result) (cxkit.Comparison, error) {
	if !(a.N > 0 && a.EffectiveN > 0 && b.N > 0 && b.EffectiveN > 0) {
		return cxkit.Comparison{}, fmt.Errorf("nps: compare needs two non-empty results: %w", ErrEmpty)
	}
	na, nb := a.EffectiveN, b.EffectiveN
	for _, part := range []struct {
		name   string
		pa, pb float64
	}{{"promoter", a.Promoters / a.N, b.Promoters / b.N}, {"detractor", a.Detractors / a.N, b.Detractors / b.N}} {
		if e := survey.MinExpectedCount(part.pa, na, part.pb, nb); !(e >= MinExpected) {
			return cxkit.Comparison{}, fmt.Errorf("nps: the smallest expected %s count of the comparison is %.3g, below %g (effective sizes %.4g and %.4g): the normal approximation does not hold: %w",
				part.name, e, MinExpected, na, nb, ErrTooSmall)
		}
	}
	c := cxkit.Comparison{Difference: a.Score - b.Score, StdErr: math.Hypot(a.StdErr, b.StdErr)}
	if !(c.StdErr > 0) || math.IsInf(c.StdErr, 0) {
		return cxkit.Comparison{}, fmt.Errorf("nps: the standard error of the difference is %v (effective sizes %.4g and %.4g): the z test is undefined: %w", c.StdErr, na, nb, ErrTooSmall)
	}
	c.Z = c.Difference / c.StdErr
	c.P = stat.TwoSidedP(c.Z)
	return c, nil
}

// MinExpected is the smallest expected count (of promoters, non-promoters, detractors and
// non-detractors in either sample, under the pooled shares) at which [Compare] trusts the
// normal approximation: 1, Campbell's (2007) criterion for the N−1 two-proportion test.
const MinExpected = survey.MinExpected

// SampleSize returns the number of responses needed for a margin of error (the half-width of
// the Wald interval, in NPS points, e.g. 5 for ±5) at a confidence level, in the worst case:
// the variance p + d − (p − d)² is at most 1 (half promoters, half detractors), so
// n = (100·z / margin)². Use [SampleSizeExpected] when the score is roughly known; it usually
// needs far fewer responses.
func SampleSize(margin, confidence float64) (int, error) {
	return SampleSizeExpected(50, 50, margin, confidence)
}

// SampleSizeExpected returns the number of responses needed for a margin of error (in NPS
// points) at a confidence level, given the expected percentages of promoters and detractors
// (0..100 each, summing to at most 100): n = z²·(p + d − (p − d)²)·(100/margin)².
func SampleSizeExpected(pctPromoters, pctDetractors, margin, confidence float64) (int, error) {
	z, err := stat.Z(confidence)
	if err != nil {
		return 0, fmt.Errorf("nps: %w", err)
	}
	v, err := plannedVariance(pctPromoters, pctDetractors)
	if err != nil {
		return 0, err
	}
	if !(margin > 0 && margin <= 200) {
		return 0, fmt.Errorf("nps: margin %v must lie in (0, 200] NPS points: %w", margin, ErrOutOfRange)
	}
	n, err := stat.CeilCount(z * z * v * 1e4 / (margin * margin))
	if err != nil {
		return 0, fmt.Errorf("nps: margin %v NPS points at confidence %v: %w", margin, confidence, err)
	}
	return n, nil
}

// SampleSizeDifference returns the number of responses needed in EACH of two equal-sized
// independent samples to detect a difference of delta NPS points with a two-sided test at the
// given confidence (1 − α) and power (1 − β), when both groups have the expected promoter and
// detractor percentages: n = (z_{1−α/2} + z_{1−β})²·2·(p + d − (p − d)²)·(100/delta)².
func SampleSizeDifference(pctPromoters, pctDetractors, delta, confidence, power float64) (int, error) {
	za, err := stat.Z(confidence)
	if err != nil {
		return 0, fmt.Errorf("nps: %w", err)
	}
	if !(power > 0.5 && power < 1) {
		return 0, fmt.Errorf("nps: power %v is outside (0.5, 1): %w", power, ErrOutOfRange)
	}
	zb, _ := stat.Z(2*power - 1) // Φ⁻¹(power), the one-sided quantile
	v, err := plannedVariance(pctPromoters, pctDetractors)
	if err != nil {
		return 0, err
	}
	if !(delta > 0 && delta <= 200) {
		return 0, fmt.Errorf("nps: difference %v must lie in (0, 200] NPS points: %w", delta, ErrOutOfRange)
	}
	s := za + zb
	n, err := stat.CeilCount(s * s * 2 * v * 1e4 / (delta * delta))
	if err != nil {
		return 0, fmt.Errorf("nps: difference %v NPS points at confidence %v and power %v: %w", delta, confidence, power, err)
	}
	return n, nil
}

func plannedVariance(pctPromoters, pctDetractors float64) (float64, error) {
	if !(pctPromoters >= 0 && pctDetractors >= 0 && pctPromoters+pctDetractors <= 100) {
		return 0, fmt.Errorf("nps: expected promoters %v%% and detractors %v%% must be non-negative and sum to at most 100: %w",
			pctPromoters, pctDetractors, ErrOutOfRange)
	}
	v := npsVariance(pctPromoters/100, pctDetractors/100)
	if v == 0 {
		return 0, fmt.Errorf("nps: expected promoters %v%% and detractors %v%% leave no variance to plan for: %w",
			pctPromoters, pctDetractors, ErrOutOfRange)
	}
	return v, nil
}
