package nps

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/wire"
)

var _ cxkit.Accumulator[int, Result, *Tally] = (*Tally)(nil)

// Tally accumulates NPS answers. Its zero value is an empty tally ready to use. Tallies of
// different parts of the data can be merged, and encoded with MarshalBinary or JSON to move
// between processes; merging any split of the data gives the result of one pass (up to
// floating-point rounding of weight sums).
//
// A Tally keeps the weight of every rating 0..10, so it can also report the distribution of
// answers. It is not safe for concurrent use; give each goroutine its own and Merge them.
type Tally struct {
	weights   [MaxRating + 1]float64 // Σw per rating
	sumW2     float64                // Σw², for the Kish effective sample size
	responses int                    // number of answers added
}

// Add adds one unweighted answer. A rating outside 0..10 is an error wrapping ErrOutOfRange
// that names the rating and its position in this tally, and leaves the tally unchanged.
func (t *Tally) Add(rating int) error {
	if uint(rating) > MaxRating {
		return fmt.Errorf("nps: rating %d at response %d is outside 0..10: %w", rating, t.responses, ErrOutOfRange)
	}
	t.weights[rating]++
	t.sumW2++
	t.responses++
	return nil
}

// AddWeighted adds one answer with a survey weight. The weight must be finite and
// non-negative; a zero weight counts the response but gives it no influence. A bad rating or
// weight is an error wrapping ErrOutOfRange and leaves the tally unchanged.
func (t *Tally) AddWeighted(rating int, weight float64) error {
	if uint(rating) > MaxRating {
		return fmt.Errorf("nps: rating %d at response %d is outside 0..10: %w", rating, t.responses, ErrOutOfRange)
	}
	if !(weight >= 0) || math.IsInf(weight, 1) {
		return fmt.Errorf("nps: weight %v at response %d must be finite and non-negative: %w", weight, t.responses, ErrOutOfRange)
	}
	t.weights[rating] += weight
	t.sumW2 += weight * weight
	t.responses++
	return nil
}

// Merge adds everything in o to t. o is not changed; a nil o is a no-op. A merge whose
// response count would overflow an int is an error wrapping ErrOutOfRange, and t is then
// unchanged.
func (t *Tally) Merge(o *Tally) error {
	if o == nil {
		return nil
	}
	if t.responses > math.MaxInt-o.responses {
		return fmt.Errorf("nps: merging %d responses into %d would overflow the response count: %w", o.responses, t.responses, ErrOutOfRange)
	}
	for i, w := range o.weights {
		t.weights[i] += w
	}
	t.sumW2 += o.sumW2
	t.responses += o.responses
	return nil
}

// Reset empties the tally.
func (t *Tally) Reset() { *t = Tally{} }

// Responses returns the number of answers added.
func (t *Tally) Responses() int { return t.responses }

// Weight returns the total weight of the answers with the given rating (0 for a rating outside
// 0..10).
func (t *Tally) Weight(rating int) float64 {
	if uint(rating) > MaxRating {
		return 0
	}
	return t.weights[rating]
}

// Result computes the score. An empty tally (or one whose weights are all zero) is ErrEmpty.
func (t *Tally) Result() (Result, error) {
	var pro, pas, det float64
	for r, w := range t.weights {
		switch {
		case r >= 9:
			pro += w
		case r >= 7:
			pas += w
		default:
			det += w
		}
	}
	return newResult(t.responses, pro, pas, det, t.sumW2)
}

const (
	tallyTag = "NPST"
	// tallyVersion is that of the JSON form; binaryVersion that of the binary form (2: with
	// the CRC-32 checksum).
	tallyVersion  = 1
	binaryVersion = 2
)

// MarshalBinary encodes the tally in a versioned, checksummed binary format: a 9-byte header
// (the tag "NPST", version 2 and a CRC-32 of the whole encoding), then the response count, the
// 11 per-rating weights and the sum of squared weights, 8 bytes each (113 bytes).
func (t *Tally) MarshalBinary() ([]byte, error) {
	w := wire.NewWriter(tallyTag, binaryVersion, 8*(len(t.weights)+2))
	w.Uint64(uint64(t.responses))
	for _, x := range t.weights {
		w.Float64(x)
	}
	w.Float64(t.sumW2)
	return w.B, nil
}

// UnmarshalBinary replaces t with a tally encoded by MarshalBinary. Bytes of another type or
// version, truncated bytes and impossible contents (negative or non-finite weights) are errors
// wrapping ErrInvalid; t is then unchanged.
func (t *Tally) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data, tallyTag, binaryVersion, "nps.Tally")
	var n Tally
	resp := r.Uint64()
	for i := range n.weights {
		n.weights[i] = r.Float64()
	}
	n.sumW2 = r.Float64()
	if err := r.Done(); err != nil {
		return err
	}
	if resp > uint64(math.MaxInt) {
		return fmt.Errorf("nps.Tally: response count %d is implausible: %w", resp, ErrInvalid)
	}
	n.responses = int(resp)
	if err := n.check(); err != nil {
		return err
	}
	*t = n
	return nil
}

// check validates decoded contents.
func (t *Tally) check() error {
	total := 0.0
	for i, w := range t.weights {
		if !(w >= 0) || math.IsInf(w, 1) {
			return fmt.Errorf("nps.Tally: weight %v of rating %d is not a finite non-negative number: %w", w, i, ErrInvalid)
		}
		total += w
	}
	if !(t.sumW2 >= 0) || math.IsInf(t.sumW2, 1) {
		return fmt.Errorf("nps.Tally: sum of squared weights %v is not a finite non-negative number: %w", t.sumW2, ErrInvalid)
	}
	if t.responses == 0 && (total != 0 || t.sumW2 != 0) {
		return fmt.Errorf("nps.Tally: weights without responses: %w", ErrInvalid)
	}
	return nil
}

// tallyJSON is the JSON form of a Tally.
type tallyJSON struct {
	Version      int       `json:"version"`
	Responses    int       `json:"responses"`
	Weights      []float64 `json:"weights"` // index = rating 0..10
	SumSqWeights float64   `json:"sum_sq_weights"`
}

// MarshalJSON encodes the tally as {"version":1,"responses":…,"weights":[w0,…,w10],"sum_sq_weights":…}.
func (t *Tally) MarshalJSON() ([]byte, error) {
	return json.Marshal(tallyJSON{Version: tallyVersion, Responses: t.responses, Weights: t.weights[:], SumSqWeights: t.sumW2})
}

// UnmarshalJSON decodes the form written by MarshalJSON; malformed or impossible contents are
// errors wrapping ErrInvalid and leave t unchanged.
func (t *Tally) UnmarshalJSON(data []byte) error {
	var j tallyJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("nps.Tally: %v: %w", err, ErrInvalid)
	}
	if j.Version != tallyVersion {
		return fmt.Errorf("nps.Tally: unsupported JSON version %d: %w", j.Version, ErrInvalid)
	}
	if len(j.Weights) != MaxRating+1 {
		return fmt.Errorf("nps.Tally: %d weights, want 11: %w", len(j.Weights), ErrInvalid)
	}
	if j.Responses < 0 {
		return fmt.Errorf("nps.Tally: negative response count %d: %w", j.Responses, ErrInvalid)
	}
	var n Tally
	copy(n.weights[:], j.Weights)
	n.sumW2, n.responses = j.SumSqWeights, j.Responses
	if err := n.check(); err != nil {
		return err
	}
	*t = n
	return nil
}
