package churn

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/wire"
)

// CohortTally accumulates subscriptions into the cells of a cohort retention matrix in a form
// that merges: for each acquisition cohort, the number of its subscriptions whose last
// observed column is a (still subscribed at the boundary a periods after the cohort's start,
// not at the next one, or that boundary is after AsOf). Result turns it into the same
// CohortMatrix as [CohortRetention] over all the subscriptions added (Count is the suffix sum
// of those cells), so a CohortTally can run inside a distributed combiner. Memory grows with
// the number of distinct (cohort, last column) cells, never with the subscriptions.
//
// Origin, Step and AsOf are the options of [CohortRetention]; set them before the first Add.
// They are part of what the tally is: tallies with other options do not merge. The zero
// CohortTally is an empty tally ready to use: it takes its options from the first tally
// merged into it, and Add on a zero CohortTally whose options were never set is an error
// wrapping ErrInvalid (a zero Step is no period).
//
// A CohortTally is not safe for concurrent use.
type CohortTally struct {
	// Origin is the start of the first acquisition period.
	Origin time.Time
	// Step is the length of a period.
	Step cxkit.Period
	// AsOf is the time of observation.
	AsOf time.Time

	b     []time.Time        // period boundaries of (Origin, Step, AsOf), built at first use
	cells map[[2]int]float64 // (cohort, last observed column) → subscriptions
	n     int                // subscriptions added
	key   cohortKey          // the options b was built for
}

// cohortKey identifies an option set.
type cohortKey struct {
	origin, asOf int64
	step         cxkit.Period
	set          bool
}

func (t *CohortTally) options() cohortKey {
	return cohortKey{origin: t.Origin.UnixNano(), asOf: t.AsOf.UnixNano(), step: t.Step, set: true}
}

// CohortTally is a cxkit accumulator of subscriptions with a cohort retention matrix as its
// result.
var _ cxkit.Accumulator[Subscription, CohortMatrix, *CohortTally] = (*CohortTally)(nil)

// empty reports whether nothing was added or merged.
func (t *CohortTally) empty() bool { return t.n == 0 }

// ensure builds the period boundaries of the options (rebuilt if the options changed while
// the tally was empty).
func (t *CohortTally) ensure() error {
	if t.b != nil && t.key == t.options() {
		return nil
	}
	if !t.empty() {
		return fmt.Errorf("churn.CohortTally: options changed after the first Add (origin %s, step %v, as of %s): %w",
			t.Origin.Format(time.RFC3339), t.Step, t.AsOf.Format(time.RFC3339), ErrInvalid)
	}
	b, err := grid(t.Origin, t.Step, t.AsOf)
	if err != nil {
		return fmt.Errorf("churn.CohortTally: %w", err)
	}
	t.b, t.key = b, t.options()
	return nil
}

// Add adds one subscription. A subscription without a start, ending before it starts,
// starting before Origin or after AsOf is an error wrapping ErrOutOfRange naming its position
// in this tally; options that do not make a period grid are ErrInvalid. On error the tally is
// unchanged.
func (t *CohortTally) Add(s Subscription) error {
	if err := t.ensure(); err != nil {
		return err
	}
	if err := s.validate(); err != nil {
		return fmt.Errorf("churn.CohortTally: subscription %d: %w", t.n, err)
	}
	if err := inWindow(s.Start, t.Origin, t.AsOf); err != nil {
		return fmt.Errorf("churn.CohortTally: subscription %d (customer %q): %w", t.n, s.Customer, err)
	}
	c := periodOf(t.b, s.Start)
	a := len(t.b) - 2 - c // the last column the cohort has: boundaries b[c+1..] ≤ AsOf
	if !s.End.IsZero() {
		// boundaries strictly before End are b[0 .. k−1]
		k := sort.Search(len(t.b), func(j int) bool { return !t.b[j].Before(s.End) })
		a = max(0, min(a, k-1-c)) // column 0 (the size) counts everyone
	}
	if t.cells == nil {
		t.cells = map[[2]int]float64{}
	}
	t.cells[[2]int{c, a}]++
	t.n++
	return nil
}

// Subscriptions returns the number of subscriptions added (merged tallies included).
func (t *CohortTally) Subscriptions() int { return t.n }

// Merge adds the contents of o to t; o is unchanged and a nil or empty o is a no-op. An empty
// t takes o's options. Tallies with other options (origin, step or as-of time) are an error
// wrapping cxkit.ErrIncompatible, and a subscription count that would overflow is
// ErrOutOfRange; t is then unchanged.
func (t *CohortTally) Merge(o *CohortTally) error {
	if o == nil || o.empty() {
		return nil
	}
	if t.empty() {
		t.Origin, t.Step, t.AsOf = o.Origin, o.Step, o.AsOf
		t.b, t.key = o.b, o.key
	} else if t.options() != o.options() {
		return fmt.Errorf("churn.CohortTally: cannot merge a tally from %s by %v as of %s into one from %s by %v as of %s: %w",
			o.Origin.Format(time.RFC3339), o.Step, o.AsOf.Format(time.RFC3339),
			t.Origin.Format(time.RFC3339), t.Step, t.AsOf.Format(time.RFC3339), cxkit.ErrIncompatible)
	}
	if t.n > maxExactCount-o.n {
		return fmt.Errorf("churn.CohortTally: %d + %d subscriptions exceed 2^53: %w", t.n, o.n, ErrOutOfRange)
	}
	cells := maps.Clone(o.cells) // copy first so that t.Merge(t) doubles correctly
	if t.cells == nil {
		t.cells = make(map[[2]int]float64, len(cells))
	}
	for k, v := range cells {
		t.cells[k] += v
	}
	t.n += o.n
	return nil
}

// maxExactCount is 2^53, the largest count a float64 holds exactly.
const maxExactCount = 1 << 53

// Result builds the cohort retention matrix, equal to CohortRetention over the subscriptions
// added. An empty tally is ErrEmpty; a matrix of more than 10,000,000 cells is ErrOutOfRange.
func (t *CohortTally) Result() (CohortMatrix, error) {
	if t.empty() {
		return CohortMatrix{}, fmt.Errorf("churn.CohortTally: no subscriptions: %w", ErrEmpty)
	}
	nonEmpty := make([]bool, len(t.b)-1)
	for k := range t.cells {
		nonEmpty[k[0]] = true
	}
	m, err := newMatrix(t.Origin, t.Step, t.AsOf, t.b, nonEmpty, 0)
	if err != nil {
		return CohortMatrix{}, err
	}
	for k, v := range t.cells {
		m.Cohorts[k[0]].Count[k[1]] = v
	}
	for c := range m.Cohorts {
		sum := 0.0
		for a := len(m.Cohorts[c].Count) - 1; a >= 0; a-- {
			sum += m.Cohorts[c].Count[a]
			m.Cohorts[c].Count[a] = sum
		}
	}
	m.finish()
	return m, nil
}

// sortedCells returns the cells in (cohort, column) order.
func (t *CohortTally) sortedCells() [][2]int {
	keys := slices.Collect(maps.Keys(t.cells))
	slices.SortFunc(keys, func(x, y [2]int) int {
		if x[0] != y[0] {
			return x[0] - y[0]
		}
		return x[1] - y[1]
	})
	return keys
}

const (
	cohortTallyTag     = "CHCT"
	cohortTallyVersion = 1
)

// MarshalBinary encodes the tally: a versioned, checksummed header, the options (origin and
// as-of time in time.Time's binary form, the step), the subscription count and the cells
// (cohort, column, count) in order.
func (t *CohortTally) MarshalBinary() ([]byte, error) {
	w := wire.NewWriter(cohortTallyTag, cohortTallyVersion, 64+24*len(t.cells))
	origin, err := t.Origin.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("churn.CohortTally: origin: %w", err)
	}
	asOf, err := t.AsOf.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("churn.CohortTally: as-of time: %w", err)
	}
	w.Bytes(origin)
	w.Bytes(asOf)
	w.Uint64(uint64(t.Step))
	w.Uint64(uint64(t.n))
	keys := t.sortedCells()
	w.Uint64(uint64(len(keys)))
	for _, k := range keys {
		w.Uint64(uint64(k[0]))
		w.Uint64(uint64(k[1]))
		w.Float64(t.cells[k])
	}
	return w.B, nil
}

// cohortState is the decoded content of an encoding, checked by load.
type cohortState struct {
	Origin time.Time    `json:"origin"`
	Step   cxkit.Period `json:"step"`
	AsOf   time.Time    `json:"as_of"`
	N      int          `json:"subscriptions"`
	Cells  [][3]float64 `json:"cells"` // cohort, column, count
}

// load checks a decoded state and replaces t with it.
func (t *CohortTally) load(st cohortState) error {
	var n CohortTally
	n.Origin, n.Step, n.AsOf = st.Origin, st.Step, st.AsOf
	if st.N < 0 || st.N > maxExactCount {
		return fmt.Errorf("subscription count %d is implausible: %w", st.N, ErrInvalid)
	}
	if st.N == 0 {
		if len(st.Cells) != 0 {
			return fmt.Errorf("%d cells but no subscriptions: %w", len(st.Cells), ErrInvalid)
		}
		*t = n
		return nil
	}
	if err := n.ensure(); err != nil {
		return err
	}
	cohorts := len(n.b) - 1
	total := 0.0
	n.cells = make(map[[2]int]float64, len(st.Cells))
	for i, cell := range st.Cells {
		c, a, v := cell[0], cell[1], cell[2]
		if c != float64(int(c)) || c < 0 || int(c) >= cohorts || a != float64(int(a)) || a < 0 || int(a) > cohorts-1-int(c) {
			return fmt.Errorf("cell %d (cohort %v, column %v) is outside the %d cohorts: %w", i, c, a, cohorts, ErrInvalid)
		}
		if !(v >= 1) || v != float64(int64(v)) || v > maxExactCount {
			return fmt.Errorf("cell %d holds %v subscriptions, not a positive whole number: %w", i, v, ErrInvalid)
		}
		k := [2]int{int(c), int(a)}
		if _, dup := n.cells[k]; dup {
			return fmt.Errorf("cell %d (cohort %v, column %v) appears twice: %w", i, c, a, ErrInvalid)
		}
		n.cells[k] = v
		total += v
	}
	if total != float64(st.N) {
		return fmt.Errorf("cells hold %v subscriptions, the count says %d: %w", total, st.N, ErrInvalid)
	}
	n.n = st.N
	*t = n
	return nil
}

// UnmarshalBinary decodes an encoding made by MarshalBinary, replacing the tally. Corrupt,
// truncated, foreign or inconsistent bytes (cells outside the options' grid, counts that do
// not add up) are an error wrapping ErrInvalid and leave the tally unchanged.
func (t *CohortTally) UnmarshalBinary(b []byte) error {
	r := wire.NewReader(b, cohortTallyTag, cohortTallyVersion, "churn.CohortTally")
	var st cohortState
	if err := st.Origin.UnmarshalBinary(r.Bytes()); err != nil {
		r.Fail("origin: %v", err)
	}
	if err := st.AsOf.UnmarshalBinary(r.Bytes()); err != nil {
		r.Fail("as-of time: %v", err)
	}
	step := r.Uint64()
	cnt := r.Uint64()
	if m := r.Uint64(); m > uint64(len(b))/24 {
		r.Fail("cell count %d exceeds the encoding's length", m)
	} else {
		for range m {
			c, a, v := r.Uint64(), r.Uint64(), r.Float64()
			if c > 1<<31 || a > 1<<31 {
				r.Fail("cell (%d, %d) is implausible", c, a)
				break
			}
			st.Cells = append(st.Cells, [3]float64{float64(c), float64(a), v})
		}
	}
	if err := r.Done(); err != nil {
		return err
	}
	if step > 255 || cnt > maxExactCount {
		return fmt.Errorf("churn.CohortTally: step %d or count %d is implausible: %w", step, cnt, ErrInvalid)
	}
	st.Step, st.N = cxkit.Period(step), int(cnt)
	if err := t.load(st); err != nil {
		return fmt.Errorf("churn.CohortTally: %w", err)
	}
	return nil
}

// MarshalJSON encodes the tally as {"origin", "step", "as_of", "subscriptions", "cells"},
// cells being [cohort, column, count] triples in order.
func (t *CohortTally) MarshalJSON() ([]byte, error) {
	st := cohortState{Origin: t.Origin, Step: t.Step, AsOf: t.AsOf, N: t.n, Cells: [][3]float64{}}
	for _, k := range t.sortedCells() {
		st.Cells = append(st.Cells, [3]float64{float64(k[0]), float64(k[1]), t.cells[k]})
	}
	return json.Marshal(st)
}

// UnmarshalJSON decodes the form written by MarshalJSON, checked like UnmarshalBinary.
func (t *CohortTally) UnmarshalJSON(b []byte) error {
	var st cohortState
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("churn.CohortTally: %v: %w", err, ErrInvalid)
	}
	if err := t.load(st); err != nil {
		return fmt.Errorf("churn.CohortTally: %w", err)
	}
	return nil
}
