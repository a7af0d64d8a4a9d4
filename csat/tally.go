package csat

import (
	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/survey"
)

var _ cxkit.Accumulator[int, Result, *Tally] = (*Tally)(nil)

// Tally accumulates CSAT answers on one scale. Tallies of parts of the data merge, and encode
// with MarshalBinary or JSON to move between processes; merging any split of the data gives
// the result of one pass (up to floating-point rounding of weight sums).
//
// The zero Tally is ready to use: its scale is fixed by its first Add (FivePoint) or by the
// first tally merged into it (that tally's scale). Use [NewTally] for another scale. A Tally
// keeps the weight of every answer of its scale, so it also reports the distribution of
// answers. It is not safe for concurrent use; give each goroutine its own and Merge them.
type Tally struct {
	t survey.Tally
}

// engineOf is the survey.Access of Tally: the engine tally inside.
func engineOf(t *Tally) *survey.Tally { return &t.t }

func (t *Tally) e() *survey.Tally { return &t.t }

// NewTally returns an empty tally on the given scale; a bad scale is an error wrapping
// ErrInvalid. NewTally(Scale{}) is the zero Tally.
func NewTally(scale Scale) (Tally, error) {
	t, err := survey.NewTally(kind, scale.engine())
	return Tally{t: t}, err
}

// Scale returns the tally's scale (FivePoint while a zero Tally has none fixed).
func (t *Tally) Scale() Scale { return scaleOf(t.e().Scale(kind)) }

// Add adds one unweighted answer. A rating off the scale is an error wrapping ErrOutOfRange
// that names the rating and its position in this tally, and leaves the tally unchanged.
func (t *Tally) Add(rating int) error { return t.e().Add(kind, rating) }

// AddWeighted adds one answer with a survey weight. The weight must be 0 (the response is
// counted but has no influence) or lie between 1e-100 and 1e100, so that sums of weights and
// of their squares stay exact enough and finite; NaN, infinite and negative weights are
// errors. Errors wrap ErrOutOfRange, name the value and the position, and leave the tally
// unchanged.
func (t *Tally) AddWeighted(rating int, weight float64) error {
	return t.e().AddWeighted(kind, rating, weight)
}

// Merge adds everything in o to t; o is not changed and a nil o is a no-op. Tallies on
// different scales do not merge: that is an error wrapping ErrInvalid and t is unchanged.
func (t *Tally) Merge(o *Tally) error {
	if o == nil {
		return nil
	}
	return t.e().Merge(kind, o.e())
}

// Reset empties the tally; its scale stays.
func (t *Tally) Reset() { t.e().Reset() }

// Responses returns the number of answers added.
func (t *Tally) Responses() int { return t.e().Responses() }

// Weight returns the total weight of the answers with the given rating (0 for a rating off
// the scale).
func (t *Tally) Weight(rating int) float64 { return t.e().Weight(kind, rating) }

// Result computes the score. An empty tally (or one whose weights are all zero) is ErrEmpty.
func (t *Tally) Result() (Result, error) {
	r, err := t.e().Result(kind)
	if err != nil {
		return Result{}, err
	}
	return fromEngine(r), nil
}

// MarshalBinary encodes the tally in a versioned binary format: the tag "CSAT", version 2,
// a CRC-32 checksum, the scale, the response count, the weight of each answer and the sum of squared weights
// (73 bytes on a five-point scale).
func (t *Tally) MarshalBinary() ([]byte, error) { return t.e().EncodeBinary(kind), nil }

// UnmarshalBinary replaces t with a tally encoded by MarshalBinary. Bytes of another type or
// version, truncated or padded bytes, a bad scale and impossible contents (negative or
// non-finite weights, sums no set of responses could give) are errors wrapping ErrInvalid; t
// is then unchanged.
func (t *Tally) UnmarshalBinary(data []byte) error { return t.e().DecodeBinary(kind, data) }

// MarshalJSON encodes the tally as
// {"version":1,"scale":{…},"responses":…,"weights":[w_min,…,w_max],"sum_sq_weights":…}; the
// scale is omitted (and weights empty) while a zero Tally has none fixed.
func (t *Tally) MarshalJSON() ([]byte, error) { return t.e().EncodeJSON(kind, t.Scale()) }

// UnmarshalJSON decodes the form written by MarshalJSON; malformed or impossible contents are
// errors wrapping ErrInvalid and leave t unchanged.
func (t *Tally) UnmarshalJSON(data []byte) error { return t.e().DecodeJSON(kind, data, parseScale) }

// parseScale reads a Scale as MarshalJSON writes it; unknown fields are errors.
func parseScale(data []byte) (survey.Scale, error) {
	var s Scale
	err := survey.StrictJSON(data, &s)
	return s.engine(), err
}
