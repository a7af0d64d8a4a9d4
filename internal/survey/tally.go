package survey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/wire"
)

// Weights of a response must be 0 or lie in [MinWeight, MaxWeight], so that sums of weights and
// of squared weights can neither underflow to 0 nor overflow.
const (
	MinWeight = 1e-100
	MaxWeight = 1e100
)

// Tally is a weighted count of answers per raw rating on one scale. The zero Tally has no scale
// yet: its first Add fixes it to the Kind's Default, and merging into it adopts the other
// tally's scale. It is comparable with ==.
type Tally struct {
	scale     Scale              // zero until fixed
	weights   [MaxPoints]float64 // Σw per raw rating, index rating − Min
	sumW2     float64            // Σw²
	responses int                // answers added, including zero-weight ones
}

// NewTally returns an empty tally on scale s, which is checked. NewTally of the zero Scale is
// the zero Tally.
func NewTally(k *Kind, s Scale) (Tally, error) {
	if s.IsZero() {
		return Tally{}, nil
	}
	if err := k.Check(s); err != nil {
		return Tally{}, err
	}
	return Tally{scale: s}, nil
}

// Scale returns the tally's scale, the Kind's Default while none is fixed.
func (t *Tally) Scale(k *Kind) Scale { return k.Resolve(t.scale) }

// Fixed reports whether the tally's scale is fixed.
func (t *Tally) Fixed() bool { return !t.scale.IsZero() }

// Responses returns the number of answers added.
func (t *Tally) Responses() int { return t.responses }

// Weight returns the total weight of the raw rating (0 for a rating off the scale).
func (t *Tally) Weight(k *Kind, rating int) float64 {
	s := t.Scale(k)
	if rating < s.Min || rating > s.Max {
		return 0
	}
	return t.weights[rating-s.Min]
}

// Add adds one answer of weight 1.
func (t *Tally) Add(k *Kind, rating int) error {
	s := t.Scale(k)
	if rating < s.Min || rating > s.Max {
		return k.outside(rating, "response", t.responses, s)
	}
	t.scale = s
	t.weights[rating-s.Min]++
	t.sumW2++
	t.responses++
	return nil
}

// CheckWeight returns an error naming the weight and the position unless w is 0 or lies in
// [MinWeight, MaxWeight].
func (k *Kind) CheckWeight(w float64, where string, pos int) error {
	if w == 0 || (w >= MinWeight && w <= MaxWeight) {
		return nil
	}
	return fmt.Errorf("%s: weight %v at %s %d must be 0 or between %g and %g: %w", k.Name, w, where, pos, MinWeight, MaxWeight, cxkit.ErrOutOfRange)
}

// AddWeighted adds one answer with a survey weight (0, or between MinWeight and MaxWeight).
// On error the tally is unchanged.
func (t *Tally) AddWeighted(k *Kind, rating int, w float64) error {
	s := t.Scale(k)
	if rating < s.Min || rating > s.Max {
		return k.outside(rating, "response", t.responses, s)
	}
	if err := k.CheckWeight(w, "response", t.responses); err != nil {
		return err
	}
	t.scale = s
	t.weights[rating-s.Min] += w
	t.sumW2 += w * w
	t.responses++
	return nil
}

// Merge adds o to t. A tally whose scale is not fixed takes o's; otherwise the scales must be
// equal (an error wrapping cxkit.ErrIncompatible and cxkit.ErrInvalid). A response count that
// would overflow an int is an error wrapping cxkit.ErrOutOfRange. On error t is unchanged. A
// nil o or a zero o is a no-op.
func (t *Tally) Merge(k *Kind, o *Tally) error {
	if o == nil || *o == (Tally{}) {
		return nil
	}
	if t.Fixed() && o.Fixed() && t.scale != o.scale {
		return fmt.Errorf("%s: cannot merge a tally on scale %s into one on scale %s: %w (%w)",
			k.Name, k.Describe(o.scale), k.Describe(t.scale), cxkit.ErrIncompatible, cxkit.ErrInvalid)
	}
	if t.responses > math.MaxInt-o.responses {
		return fmt.Errorf("%s: merging %d responses into %d would overflow the response count: %w",
			k.Name, o.responses, t.responses, cxkit.ErrOutOfRange)
	}
	if !t.Fixed() {
		t.scale = o.scale
	}
	for i, w := range o.weights {
		t.weights[i] += w
	}
	t.sumW2 += o.sumW2
	t.responses += o.responses
	return nil
}

// Reset empties the tally and keeps its scale.
func (t *Tally) Reset() { *t = Tally{scale: t.scale} }

// Result computes the result; an empty tally, or one whose weights are all 0, is
// cxkit.ErrEmpty.
func (t *Tally) Result(k *Kind) (Result, error) {
	return newResult(k, t.Scale(k), t.responses, &t.weights, t.sumW2)
}

// version is that of the JSON form; binaryVersion that of the binary form (2: with the
// checksum of internal/wire).
const (
	version       = 1
	binaryVersion = 2
)

// packScale packs a scale into one word: min, max, flags, top, bottom bytes.
func packScale(s Scale) uint64 {
	var flags uint64
	if s.LowerIsBetter {
		flags = 1
	}
	return uint64(uint8(s.Min)) | uint64(uint8(s.Max))<<8 | flags<<16 | uint64(uint8(s.TopBoxes))<<24 | uint64(uint8(s.BottomBoxes))<<32
}

func unpackScale(u uint64) (Scale, bool) {
	if u>>40 != 0 || (u>>16)&0xff > 1 {
		return Scale{}, false
	}
	return Scale{
		Min: int(u & 0xff), Max: int(u >> 8 & 0xff), LowerIsBetter: u>>16&1 == 1,
		TopBoxes: int(u >> 24 & 0xff), BottomBoxes: int(u >> 32 & 0xff),
	}, true
}

// EncodeBinary encodes the tally in the checksummed format of internal/wire: the Kind's tag,
// version 2, the CRC-32, then the packed scale, the response count, the weight of each answer of the scale (none while the scale is not fixed)
// and Σw².
func (t *Tally) EncodeBinary(k *Kind) []byte {
	n := 0
	if t.Fixed() {
		n = t.scale.Points()
	}
	w := wire.NewWriter(k.Tag, binaryVersion, 8*(n+3))
	w.Uint64(packScale(t.scale))
	w.Uint64(uint64(t.responses))
	for _, x := range t.weights[:n] {
		w.Float64(x)
	}
	w.Float64(t.sumW2)
	return w.B
}

// DecodeBinary replaces t with the tally encoded in data. Foreign, truncated, padded or
// impossible encodings are errors wrapping cxkit.ErrInvalid and leave t unchanged.
func (t *Tally) DecodeBinary(k *Kind, data []byte) error {
	who := k.Name + ".Tally"
	r := wire.NewReader(data, k.Tag, binaryVersion, who)
	packed := r.Uint64()
	resp := r.Uint64()
	var n Tally
	s, ok := unpackScale(packed)
	if !ok {
		r.Fail("bad scale word %#x", packed)
	}
	points := 0
	if ok && !s.IsZero() {
		if k.Check(s) != nil {
			r.Fail("scale %d..%d with %d top and %d bottom boxes is not a valid scale", s.Min, s.Max, s.TopBoxes, s.BottomBoxes)
		} else {
			points = s.Points()
		}
	}
	for i := 0; i < points; i++ {
		n.weights[i] = r.Float64()
	}
	n.sumW2 = r.Float64()
	if err := r.Done(); err != nil {
		return err
	}
	if resp > uint64(math.MaxInt) {
		return fmt.Errorf("%s: response count %d is implausible: %w", who, resp, cxkit.ErrInvalid)
	}
	n.scale, n.responses = s, int(resp)
	if err := n.check(who); err != nil {
		return err
	}
	*t = n
	return nil
}

// check validates decoded contents: finite non-negative weights, and sums that some set of
// responses could have produced: (Σw)² ≥ Σw² (an effective size of at least 1) and
// (Σw)² ≤ responses·Σw² (at most the number of responses), up to rounding.
func (t *Tally) check(who string) error {
	total := 0.0
	for i, w := range t.weights {
		if !(w >= 0) || math.IsInf(w, 1) {
			return fmt.Errorf("%s: weight %v of answer %d is not a finite non-negative number: %w", who, w, t.scale.Min+i, cxkit.ErrInvalid)
		}
		total += w
	}
	if !(t.sumW2 >= 0) || math.IsInf(t.sumW2, 1) {
		return fmt.Errorf("%s: sum of squared weights %v is not a finite non-negative number: %w", who, t.sumW2, cxkit.ErrInvalid)
	}
	if !t.Fixed() && t.responses != 0 {
		return fmt.Errorf("%s: %d responses without a scale: %w", who, t.responses, cxkit.ErrInvalid)
	}
	if t.responses == 0 && (total != 0 || t.sumW2 != 0) {
		return fmt.Errorf("%s: weights without responses: %w", who, cxkit.ErrInvalid)
	}
	if (total == 0) != (t.sumW2 == 0) {
		return fmt.Errorf("%s: total weight %v and sum of squared weights %v disagree: %w", who, total, t.sumW2, cxkit.ErrInvalid)
	}
	if total > 0 {
		const tol = 1e-6
		q := total / math.Sqrt(t.sumW2) // (Σw)²/Σw² without overflowing
		neff := q * q
		if neff < 1-tol || neff > float64(t.responses)*(1+tol) {
			return fmt.Errorf("%s: effective size %v is not within 1..%d responses: %w", who, neff, t.responses, cxkit.ErrInvalid)
		}
	}
	return nil
}

// tallyJSON is the JSON form of a Tally. The scale is written in the metric package's own
// vocabulary (csat.Scale, ces.Scale), so it is carried raw here.
type tallyJSON struct {
	Version      int             `json:"version"`
	Scale        json.RawMessage `json:"scale,omitempty"` // absent while the scale is not fixed
	Responses    int             `json:"responses"`
	Weights      []float64       `json:"weights"` // index = rating − scale min
	SumSqWeights float64         `json:"sum_sq_weights"`
}

// EncodeJSON encodes the tally as
// {"version":1,"scale":…,"responses":…,"weights":[w_min,…,w_max],"sum_sq_weights":…}, with
// scale (the metric package's representation of the tally's scale) marshalled in place; the
// scale is omitted and the weights are empty while the scale is not fixed.
//
// For a Fixed Kind the scale is never written (scale is ignored) and the weights are always
// those of the Kind's Default.
func (t *Tally) EncodeJSON(k *Kind, scale any) ([]byte, error) {
	j := tallyJSON{Version: version, Responses: t.responses, Weights: []float64{}, SumSqWeights: t.sumW2}
	if k.Fixed {
		j.Weights = t.weights[:k.Default.Points()]
	} else if t.Fixed() {
		b, err := json.Marshal(scale)
		if err != nil {
			return nil, err
		}
		j.Scale, j.Weights = b, t.weights[:t.scale.Points()]
	}
	return json.Marshal(j)
}

// StrictJSON decodes data into v, rejecting unknown fields and trailing data.
func StrictJSON(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("trailing data after JSON value")
	}
	return nil
}

// DecodeJSON decodes the form written by EncodeJSON, reading the scale with parseScale;
// malformed or impossible contents are errors wrapping cxkit.ErrInvalid and leave t unchanged.
func (t *Tally) DecodeJSON(k *Kind, data []byte, parseScale func([]byte) (Scale, error)) error {
	who := k.Name + ".Tally"
	var j tallyJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%s: %v: %w", who, err, cxkit.ErrInvalid)
	}
	if j.Version != version {
		return fmt.Errorf("%s: unsupported JSON version %d: %w", who, j.Version, cxkit.ErrInvalid)
	}
	var n Tally
	points := 0
	if k.Fixed {
		if j.Scale != nil {
			return fmt.Errorf("%s: unexpected scale (the %s scale is fixed): %w", who, k.Name, cxkit.ErrInvalid)
		}
		points = k.Default.Points()
		if j.Responses > 0 {
			n.scale = k.Default
		}
	} else if j.Scale != nil {
		s, err := parseScale(j.Scale)
		if err != nil {
			return fmt.Errorf("%s: scale: %v: %w", who, err, cxkit.ErrInvalid)
		}
		if s.IsZero() {
			return fmt.Errorf("%s: zero scale: %w", who, cxkit.ErrInvalid)
		}
		if err := k.Check(s); err != nil {
			return fmt.Errorf("%s: %w", who, err)
		}
		n.scale, points = s, s.Points()
	}
	if len(j.Weights) != points {
		return fmt.Errorf("%s: %d weights, want %d: %w", who, len(j.Weights), points, cxkit.ErrInvalid)
	}
	if j.Responses < 0 {
		return fmt.Errorf("%s: negative response count %d: %w", who, j.Responses, cxkit.ErrInvalid)
	}
	copy(n.weights[:], j.Weights)
	n.sumW2, n.responses = j.SumSqWeights, j.Responses
	if err := n.check(who); err != nil {
		return err
	}
	*t = n
	return nil
}
