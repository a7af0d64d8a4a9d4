package nps

import (
	"fmt"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/survey"
)

var _ cxkit.Accumulator[int, Result, *Tally] = (*Tally)(nil)

// kind is what the shared survey engine needs to know about NPS: the one scale 0..10 whose two
// top boxes (9-10) are promoters and seven bottom boxes (0-6) detractors.
var kind = &survey.Kind{
	Name: "nps", Tag: "NPST", Good: "promoter", Bad: "detractor",
	Default: survey.Scale{Min: MinRating, Max: MaxRating, TopBoxes: 2, BottomBoxes: 7},
	Bottom:  true, Fixed: true,
}

// Tally accumulates NPS answers. Its zero value is an empty tally ready to use. Tallies of
// different parts of the data can be merged, and encoded with MarshalBinary or JSON to move
// between processes; merging any split of the data gives the result of one pass (up to
// floating-point rounding of weight sums).
//
// A Tally keeps the weight of every rating 0..10, so it can also report the distribution of
// answers. It is not safe for concurrent use; give each goroutine its own and Merge them.
type Tally struct {
	t survey.Tally
}

// engineOf is the survey.Access of Tally: the engine tally inside.
func engineOf(t *Tally) *survey.Tally { return &t.t }

// Add adds one unweighted answer. A rating outside 0..10 is an error wrapping ErrOutOfRange
// that names the rating and its position in this tally, and leaves the tally unchanged.
func (t *Tally) Add(rating int) error { return t.t.Add(kind, rating) }

// AddWeighted adds one answer with a survey weight. The weight must be 0 (the response is
// counted but has no influence) or lie between 1e-100 and 1e100, so that sums of weights and
// of their squares stay finite and the standard error defined; NaN, infinite and negative
// weights are errors. Errors wrap ErrOutOfRange, name the value and the position, and leave
// the tally unchanged.
func (t *Tally) AddWeighted(rating int, weight float64) error {
	return t.t.AddWeighted(kind, rating, weight)
}

// Merge adds everything in o to t. o is not changed; a nil o is a no-op. A merge whose
// response count would overflow an int is an error wrapping ErrOutOfRange, and t is then
// unchanged.
func (t *Tally) Merge(o *Tally) error {
	if o == nil {
		return nil
	}
	return t.t.Merge(kind, &o.t)
}

// Reset empties the tally.
func (t *Tally) Reset() { t.t.Reset() }

// Responses returns the number of answers added.
func (t *Tally) Responses() int { return t.t.Responses() }

// Weight returns the total weight of the answers with the given rating (0 for a rating outside
// 0..10).
func (t *Tally) Weight(rating int) float64 { return t.t.Weight(kind, rating) }

// Result computes the score. An empty tally (or one whose weights are all zero) is ErrEmpty;
// weights whose sums cannot be formed are ErrOutOfRange.
func (t *Tally) Result() (Result, error) { return resultOf(&t.t) }

// resultOf computes the NPS of an engine tally.
func resultOf(t *survey.Tally) (Result, error) {
	r, err := t.Result(kind)
	if err != nil {
		return Result{}, err
	}
	pas := t.Weight(kind, 7) + t.Weight(kind, 8)
	return newResult(r.Responses, r.N, r.EffectiveN, r.Top, pas, r.Bottom), nil
}

// MarshalBinary encodes the tally in a versioned, checksummed binary format: a 9-byte header
// (the tag "NPST", version 2 and a CRC-32 of the whole encoding), then the scale word, the
// response count, the 11 per-rating weights and the sum of squared weights, 8 bytes each
// (121 bytes; 33 for a zero Tally).
func (t *Tally) MarshalBinary() ([]byte, error) { return t.t.EncodeBinary(kind), nil }

// UnmarshalBinary replaces t with a tally encoded by MarshalBinary. A checksum mismatch, bytes
// of another type or version, truncated or padded bytes and impossible contents (negative or
// non-finite weights, sums no set of responses could give) are errors wrapping ErrInvalid; t
// is then unchanged.
func (t *Tally) UnmarshalBinary(data []byte) error { return t.t.DecodeBinary(kind, data) }

// MarshalJSON encodes the tally as {"version":1,"responses":…,"weights":[w0,…,w10],"sum_sq_weights":…}.
func (t *Tally) MarshalJSON() ([]byte, error) { return t.t.EncodeJSON(kind, nil) }

// UnmarshalJSON decodes the form written by MarshalJSON; malformed or impossible contents
// (including sums no set of responses could give, such as an effective size above the number
// of responses) are errors wrapping ErrInvalid and leave t unchanged.
func (t *Tally) UnmarshalJSON(data []byte) error {
	return t.t.DecodeJSON(kind, data, func([]byte) (survey.Scale, error) {
		return survey.Scale{}, fmt.Errorf("nps has one scale")
	})
}
