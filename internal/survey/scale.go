// Package survey is the engine shared by the csat and ces packages: a rating scale that knows
// its top and bottom boxes and its direction, a weighted tally of answers on such a scale, the
// result computed from it (top-box share with its Wilson interval, net share, mean with its
// Student t interval), comparisons, sample sizes, encodings and grouped reports.
//
// The metric packages wrap it in their own types and vocabulary; a [Kind] gives the engine the
// words and defaults of the metric it serves, so that every error message starts with the
// metric package's name ("csat: ...", "ces: ...").
package survey

import (
	"fmt"

	"github.com/cxkit/cxkit"
)

// MaxPoints is the largest number of answer options a scale may have (0..10 has 11).
const MaxPoints = 11

// MaxRating is the largest raw rating a scale may use. Keeping ratings below 128 lets the byte
// fast path classify eight answers per 64-bit word without carries between them.
const MaxRating = 100

// Kind describes the metric a scale, tally or result belongs to.
type Kind struct {
	Name    string // package name, the prefix of error messages ("csat")
	Tag     string // 4-byte tag of the binary tally encoding ("CSAT")
	Good    string // what a top-box answer is called ("satisfied", "easy")
	Bad     string // what a bottom-box answer is called ("dissatisfied", "hard")
	Default Scale  // the scale that the zero Scale stands for
	// Reversible allows scales whose LowerIsBetter; Bottom allows bottom boxes. A scale using
	// what its Kind does not allow fails Check.
	Reversible, Bottom bool
	// Fixed makes Default the only scale (NPS): Check refuses any other, and the JSON form of
	// a tally carries no scale and always the Default's weights.
	Fixed bool
}

// Scale is a rating scale of consecutive integer answers Min..Max. Its answers are read on the
// "oriented" scale, on which higher is always better: for a scale whose LowerIsBetter, the raw
// answer r reads as Min + Max − r (so Min ↔ Max, Min+1 ↔ Max−1, ...). The TopBoxes best
// oriented answers count as good (satisfied, easy) and the BottomBoxes worst as bad.
//
// The zero Scale is not a scale: it stands for the Kind's Default.
type Scale struct {
	Min, Max      int
	LowerIsBetter bool
	TopBoxes      int
	BottomBoxes   int
}

// IsZero reports whether s is the zero Scale.
func (s Scale) IsZero() bool { return s == Scale{} }

// Points returns the number of answer options, Max − Min + 1.
func (s Scale) Points() int { return s.Max - s.Min + 1 }

// Oriented maps a raw answer to the higher-is-better reading.
func (s Scale) Oriented(raw int) int {
	if s.LowerIsBetter {
		return s.Min + s.Max - raw
	}
	return raw
}

// IsTop reports whether the raw answer is one of the top boxes.
func (s Scale) IsTop(raw int) bool { return s.Oriented(raw) > s.Max-s.TopBoxes }

// IsBottom reports whether the raw answer is one of the bottom boxes.
func (s Scale) IsBottom(raw int) bool { return s.Oriented(raw) < s.Min+s.BottomBoxes }

// RawRange returns the raw answers that make up n boxes at the good (top) or bad (bottom) end,
// as lo..hi. n must be at least 1.
func (s Scale) RawRange(n int, top bool) (lo, hi int) {
	if top != s.LowerIsBetter {
		return s.Max - n + 1, s.Max
	}
	return s.Min, s.Min + n - 1
}

// Resolve returns s, or the Kind's Default if s is the zero Scale.
func (k *Kind) Resolve(s Scale) Scale {
	if s.IsZero() {
		return k.Default
	}
	return s
}

// Check validates a (resolved) scale: 0 ≤ Min < Max ≤ MaxRating, at most MaxPoints answers,
// at least one top box, and the top and bottom boxes leaving at least one answer outside the
// top boxes. Errors wrap cxkit.ErrInvalid.
func (k *Kind) Check(s Scale) error {
	switch {
	case k.Fixed && s != k.Default:
		return fmt.Errorf("%s: scale %d..%d with %d top and %d bottom boxes is not the %s scale: %w", k.Name, s.Min, s.Max, s.TopBoxes, s.BottomBoxes, k.Name, cxkit.ErrInvalid)
	case s.Min < 0 || s.Max > MaxRating || s.Min >= s.Max:
		return fmt.Errorf("%s: scale %d..%d must satisfy 0 ≤ min < max ≤ %d: %w", k.Name, s.Min, s.Max, MaxRating, cxkit.ErrInvalid)
	case s.Points() > MaxPoints:
		return fmt.Errorf("%s: scale %d..%d has %d answers, more than %d: %w", k.Name, s.Min, s.Max, s.Points(), MaxPoints, cxkit.ErrInvalid)
	case s.TopBoxes < 1 || s.TopBoxes >= s.Points():
		return fmt.Errorf("%s: scale %d..%d: %d %s boxes, want 1..%d: %w", k.Name, s.Min, s.Max, s.TopBoxes, k.Good, s.Points()-1, cxkit.ErrInvalid)
	case s.LowerIsBetter && !k.Reversible:
		return fmt.Errorf("%s: scale %d..%d: lower-is-better scales are not supported: %w", k.Name, s.Min, s.Max, cxkit.ErrInvalid)
	case s.BottomBoxes != 0 && !k.Bottom:
		return fmt.Errorf("%s: scale %d..%d: %s boxes are not supported: %w", k.Name, s.Min, s.Max, k.Bad, cxkit.ErrInvalid)
	case s.BottomBoxes < 0 || s.TopBoxes+s.BottomBoxes > s.Points():
		return fmt.Errorf("%s: scale %d..%d: %d %s boxes overlap the %d %s boxes: %w", k.Name, s.Min, s.Max, s.BottomBoxes, k.Bad, s.TopBoxes, k.Good, cxkit.ErrInvalid)
	}
	return nil
}

// outside is the error for a raw rating off the scale at a position ("index 4", "response 3").
func (k *Kind) outside(rating any, where string, pos int, s Scale) error {
	return fmt.Errorf("%s: rating %v at %s %d is outside %d..%d: %w", k.Name, rating, where, pos, s.Min, s.Max, cxkit.ErrOutOfRange)
}
