package churn

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/wire"
)

// Tally accumulates subjects for a Kaplan–Meier curve in a form that can be merged: the
// weight of churn and censoring at each distinct duration, and of late entries at each entry
// time, which is all the estimator needs. The zero value is an empty tally ready to use.
// Merging the tallies of any split of the data gives the same curve as one pass, so a Tally
// can run inside a distributed combiner (Beam, Spark, Flink); MarshalBinary and JSON carry it
// between workers. Memory grows with the number of distinct durations, so round durations to
// the resolution you need (whole days, say) before adding millions of subjects.
//
// A Tally is not safe for concurrent use.
type Tally struct {
	rows    map[float64][2]float64 // duration → {churned, censored} weight
	entries map[float64]float64    // positive entry time → weight
	total   float64                // sum of the weights in rows
}

// Add adds one subject. An invalid subject (see Subject.Validate), or one that would take the
// total weight above MaxTotalWeight, is an error wrapping ErrOutOfRange and leaves the tally
// unchanged.
func (t *Tally) Add(s Subject) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("churn: %w", err)
	}
	if n := t.total + s.weight(); n > MaxTotalWeight {
		return fmt.Errorf("churn: total weight %v would exceed %g: %w", n, MaxTotalWeight, ErrOutOfRange)
	}
	t.total += s.weight()
	if t.rows == nil {
		t.rows = map[float64][2]float64{}
	}
	r := t.rows[s.Duration+0]
	if s.Churned {
		r[0] += s.weight()
	} else {
		r[1] += s.weight()
	}
	t.rows[s.Duration+0] = r
	if s.Entry > 0 {
		if t.entries == nil {
			t.entries = map[float64]float64{}
		}
		t.entries[s.Entry] += s.weight()
	}
	return nil
}

// AddAll adds subjects in order; the first invalid one stops it with an error naming its
// index (the subjects before it stay added).
func (t *Tally) AddAll(subjects []Subject) error {
	for i, s := range subjects {
		if err := t.Add(s); err != nil {
			return fmt.Errorf("subject %d: %w", i, err)
		}
	}
	return nil
}

// Merge adds the contents of o to t. o is unchanged; a nil o adds nothing. A total weight
// above MaxTotalWeight is an error wrapping ErrOutOfRange, and leaves t unchanged.
// t.Merge(t) doubles t.
func (t *Tally) Merge(o *Tally) error {
	if o == nil {
		return nil
	}
	if n := t.total + o.total; n > MaxTotalWeight {
		return fmt.Errorf("churn: merged tally would weigh %v, above %g: %w", n, MaxTotalWeight, ErrOutOfRange)
	}
	rows := make(map[float64][2]float64, len(o.rows))
	maps.Copy(rows, o.rows) // copy first so that t.Merge(t) doubles correctly
	entries := maps.Clone(o.entries)
	t.total += o.total
	if t.rows == nil {
		t.rows = map[float64][2]float64{}
	}
	for k, v := range rows {
		r := t.rows[k]
		t.rows[k] = [2]float64{r[0] + v[0], r[1] + v[1]}
	}
	if len(entries) > 0 && t.entries == nil {
		t.entries = map[float64]float64{}
	}
	for k, v := range entries {
		t.entries[k] += v
	}
	return nil
}

// Subjects returns the (weighted) number of subjects added.
func (t *Tally) Subjects() float64 {
	n := 0.0
	for _, k := range slices.Sorted(maps.Keys(t.rows)) {
		n += t.rows[k][0] + t.rows[k][1]
	}
	return n
}

// table returns the tally's rows sorted by time.
func (t *Tally) table() table {
	var tb table
	for _, k := range slices.Sorted(maps.Keys(t.rows)) {
		tb.t = append(tb.t, k)
		tb.d = append(tb.d, t.rows[k][0])
		tb.c = append(tb.c, t.rows[k][1])
	}
	for _, k := range slices.Sorted(maps.Keys(t.entries)) {
		tb.et = append(tb.et, k)
		tb.ew = append(tb.ew, t.entries[k])
	}
	return tb
}

// Result returns the Kaplan–Meier curve of the subjects added, identical to KaplanMeier on
// the same subjects. An empty tally is ErrEmpty.
func (t *Tally) Result() (Curve, error) {
	if len(t.rows) == 0 {
		return Curve{}, fmt.Errorf("churn: no subjects: %w", ErrEmpty)
	}
	return t.table().curve(), nil
}

// setTable replaces the tally's contents with a validated table.
func (t *Tally) setTable(tb table) error {
	if err := tb.validate(); err != nil {
		return err
	}
	t.rows, t.entries, t.total = nil, nil, 0
	for i, k := range tb.t {
		if t.rows == nil {
			t.rows = make(map[float64][2]float64, len(tb.t))
		}
		t.rows[k] = [2]float64{tb.d[i], tb.c[i]}
		t.total += tb.d[i] + tb.c[i]
	}
	for i, k := range tb.et {
		if t.entries == nil {
			t.entries = make(map[float64]float64, len(tb.et))
		}
		t.entries[k] = tb.ew[i]
	}
	return nil
}

// Tally is a cxkit accumulator of subjects with a Kaplan–Meier curve as its result.
var _ cxkit.Accumulator[Subject, Curve, *Tally] = (*Tally)(nil)

const (
	tallyTag     = "CHKM"
	tallyVersion = 2 // 2: with the CRC-32 of internal/wire
)

// MarshalBinary encodes the tally: a versioned header, then the rows (time, churned,
// censored) and the entries (time, weight) in ascending time order.
func (t *Tally) MarshalBinary() ([]byte, error) {
	tb := t.table()
	w := wire.NewWriter(tallyTag, tallyVersion, 16+24*len(tb.t)+16*len(tb.et))
	w.Uint64(uint64(len(tb.t)))
	for i := range tb.t {
		w.Float64(tb.t[i])
		w.Float64(tb.d[i])
		w.Float64(tb.c[i])
	}
	w.Uint64(uint64(len(tb.et)))
	for i := range tb.et {
		w.Float64(tb.et[i])
		w.Float64(tb.ew[i])
	}
	return w.B, nil
}

// UnmarshalBinary decodes an encoding made by MarshalBinary, replacing the tally's contents.
// Truncated, foreign or inconsistent bytes are an error wrapping ErrInvalid, and leave the
// tally unchanged.
func (t *Tally) UnmarshalBinary(b []byte) error {
	r := wire.NewReader(b, tallyTag, tallyVersion, "churn.Tally")
	var tb table
	// Each row takes 24 bytes and each entry 16: a count larger than the input allows is
	// corrupt, and checking it first keeps a forged count from looping or allocating.
	if n := r.Uint64(); n > uint64(len(b))/24 {
		r.Fail("row count %d exceeds the encoding's length", n)
	} else {
		for range n {
			tb.t = append(tb.t, r.Float64())
			tb.d = append(tb.d, r.Float64())
			tb.c = append(tb.c, r.Float64())
		}
	}
	if m := r.Uint64(); m > uint64(len(b))/16 {
		r.Fail("entry count %d exceeds the encoding's length", m)
	} else {
		for range m {
			tb.et = append(tb.et, r.Float64())
			tb.ew = append(tb.ew, r.Float64())
		}
	}
	if err := r.Done(); err != nil {
		return err
	}
	if err := t.setTable(tb); err != nil {
		return fmt.Errorf("churn.Tally: %w", err)
	}
	return nil
}

// tallyJSON is the JSON form of a Tally.
type tallyJSON struct {
	Time      []float64 `json:"time"`
	Churned   []float64 `json:"churned"`
	Censored  []float64 `json:"censored"`
	EntryTime []float64 `json:"entry_time,omitempty"`
	Entered   []float64 `json:"entered,omitempty"`
}

// MarshalJSON encodes the tally as parallel arrays in ascending time order:
// {"time", "churned", "censored", "entry_time", "entered"}.
func (t *Tally) MarshalJSON() ([]byte, error) {
	tb := t.table()
	return json.Marshal(tallyJSON{Time: nonNil(tb.t), Churned: nonNil(tb.d), Censored: nonNil(tb.c), EntryTime: tb.et, Entered: tb.ew})
}

// UnmarshalJSON decodes the form written by MarshalJSON, validating it like UnmarshalBinary.
func (t *Tally) UnmarshalJSON(b []byte) error {
	var j tallyJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("churn.Tally: %v: %w", err, ErrInvalid)
	}
	if err := t.setTable(table{t: j.Time, d: j.Churned, c: j.Censored, et: j.EntryTime, ew: j.Entered}); err != nil {
		return fmt.Errorf("churn.Tally: %w", err)
	}
	return nil
}

func nonNil(x []float64) []float64 {
	if x == nil {
		return []float64{}
	}
	return x
}
