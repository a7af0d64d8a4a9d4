package churn

import (
	"fmt"
	"sort"
	"time"

	"github.com/cxkit/cxkit"
)

// CohortMatrix is a cohort retention table: one row per acquisition period (the cohort), one
// column per period since acquisition. Rows are ragged: a young cohort has fewer observed
// columns, and a cell that cannot be observed yet (its period has not been reached at AsOf) is
// absent from the row rather than zero — this is the right-censoring of young cohorts. Use At
// to read a cell with its observability.
type CohortMatrix struct {
	// Origin is the start of the first acquisition period.
	Origin time.Time `json:"origin"`
	// Step is the calendar period of a column and of a cohort.
	Step cxkit.Period `json:"step"`
	// AsOf is the time of observation: cells after it are not observed.
	AsOf time.Time `json:"as_of"`
	// Cohorts holds one row per acquisition period from Origin to the period containing AsOf,
	// including periods in which nobody was acquired (Size 0, whose Count is just [0]). A
	// matrix is limited to 10,000,000 cells: daily cohorts over decades are ErrOutOfRange.
	Cohorts []Cohort `json:"cohorts"`
}

// Cohort is one row of a CohortMatrix.
type Cohort struct {
	// Start is the start of the acquisition period.
	Start time.Time `json:"start"`
	// Size is the number of customers acquired in the period.
	Size float64 `json:"size"`
	// Count[a] is the number of the cohort's customers retained a periods after acquisition;
	// Count[0] = Size. Its meaning depends on the constructor (CohortRetention: still
	// subscribed at the boundary; ActivityRetention: active during the period).
	Count []float64 `json:"count"`
	// Share[a] = Count[a] / Size; empty when Size is 0.
	Share []float64 `json:"share"`
}

// At returns the count and share of cohort c, a periods after acquisition. ok is false when
// the cell is not observable (the cohort is too young at AsOf, or c or a is out of range), in
// which case count and share are 0 and must not be read as churn.
func (m CohortMatrix) At(c, a int) (count, share float64, ok bool) {
	if c < 0 || c >= len(m.Cohorts) || a < 0 || a >= len(m.Cohorts[c].Count) {
		return 0, 0, false
	}
	row := m.Cohorts[c]
	if row.Size == 0 {
		return 0, 0, false
	}
	return row.Count[a], row.Share[a], true
}

// Rows returns the Count rows of the cohorts that have customers and at least two observed
// periods, ready for FitSBGCohorts when the matrix was built by CohortRetention (the sBG model
// needs counts that never increase, which activity-based counts need not satisfy).
func (m CohortMatrix) Rows() [][]float64 {
	var out [][]float64
	for _, c := range m.Cohorts {
		if c.Size > 0 && len(c.Count) >= 2 {
			out = append(out, c.Count)
		}
	}
	return out
}

// maxPeriods bounds the number of periods of a matrix (e.g. 270 years of days).
const maxPeriods = 100000

// grid returns the period boundaries b(0) = origin < b(1) < … up to the first boundary after
// asOf, checking the arguments.
func grid(origin time.Time, step cxkit.Period, asOf time.Time) ([]time.Time, error) {
	if err := step.Check(); err != nil {
		return nil, fmt.Errorf("churn: step: %w", err)
	}
	if asOf.Before(origin) {
		return nil, fmt.Errorf("churn: as-of time %s is before the origin %s: %w",
			asOf.Format(time.RFC3339), origin.Format(time.RFC3339), ErrOutOfRange)
	}
	b := []time.Time{origin}
	for k := 1; !b[len(b)-1].After(asOf); k++ {
		if k > maxPeriods {
			return nil, fmt.Errorf("churn: more than %d periods between origin and as-of time: %w", maxPeriods, ErrInvalid)
		}
		next := step.Add(origin, k)
		if !next.After(b[k-1]) {
			return nil, fmt.Errorf("churn: step %v does not move forward from %s: %w", step, b[k-1].Format(time.RFC3339), ErrInvalid)
		}
		b = append(b, next)
	}
	return b, nil
}

// periodOf returns k with b[k] ≤ t < b[k+1].
func periodOf(b []time.Time, t time.Time) int {
	return sort.Search(len(b), func(i int) bool { return b[i].After(t) }) - 1
}

// CohortRetention builds the cohort retention matrix of subscriptions: customers are grouped
// by the period of origin + k·step in which they started; Count[a] (a ≥ 1) is the number still
// subscribed at the boundary a periods after the start of their acquisition period, observed
// only if that boundary is not after asOf. Count[0] is the cohort size. The counts never
// increase along a row, so rows feed FitSBGCohorts (see Rows).
//
// No subscriptions is ErrEmpty; a subscription without a start, ending before it starts,
// starting before origin or after asOf is ErrOutOfRange naming its index; a step that does not
// move forward is ErrInvalid. The cost is linear in the subscriptions and in the cells of
// the cohorts that have customers; a matrix of more than 10,000,000 cells is ErrOutOfRange.
func CohortRetention(subs []Subscription, origin time.Time, step cxkit.Period, asOf time.Time) (CohortMatrix, error) {
	if len(subs) == 0 {
		return CohortMatrix{}, fmt.Errorf("churn: no subscriptions: %w", ErrEmpty)
	}
	b, err := grid(origin, step, asOf)
	if err != nil {
		return CohortMatrix{}, err
	}
	cohortOf := make([]int, len(subs))
	nonEmpty := make([]bool, len(b)-1)
	for i, s := range subs {
		if err := s.validate(); err != nil {
			return CohortMatrix{}, fmt.Errorf("churn: subscription %d: %w", i, err)
		}
		if err := inWindow(s.Start, origin, asOf); err != nil {
			return CohortMatrix{}, fmt.Errorf("churn: subscription %d (customer %q): %w", i, s.Customer, err)
		}
		cohortOf[i] = periodOf(b, s.Start)
		nonEmpty[cohortOf[i]] = true
	}
	m, err := newMatrix(origin, step, asOf, b, nonEmpty, 0)
	if err != nil {
		return CohortMatrix{}, err
	}
	// last[c][a]: cohort c members whose last observed column is a (still subscribed at
	// b[c+a], not at b[c+a+1] or that boundary is not observed); Count is its suffix sum.
	// This keeps the cost linear in the subscriptions and the cells.
	last := make([][]float64, len(m.Cohorts))
	for c := range last {
		last[c] = make([]float64, len(m.Cohorts[c].Count))
	}
	for i, s := range subs {
		c := cohortOf[i]
		a := len(last[c]) - 1
		if !s.End.IsZero() {
			// boundaries strictly before End are b[0 .. k−1]
			k := sort.Search(len(b), func(j int) bool { return !b[j].Before(s.End) })
			a = max(0, min(a, k-1-c)) // column 0 (the size) counts everyone
		}
		last[c][a]++
	}
	for c := range m.Cohorts {
		sum := 0.0
		for a := len(last[c]) - 1; a >= 0; a-- {
			sum += last[c][a]
			m.Cohorts[c].Count[a] = sum
		}
	}
	m.finish()
	return m, nil
}

// Activity is one dated activity of a customer (a login, an order, a session).
type Activity struct {
	// Customer identifies the customer; activities with the same Customer belong together.
	Customer string `json:"customer"`
	// At is when the activity happened.
	At time.Time `json:"at"`
}

// ActivityRetention builds the cohort matrix of activity records: a customer's cohort is the
// period of their first activity; Count[a] is the number of the cohort active at least once
// in the period a periods later (so Count[0] = Size). A cell is observed only once its period
// has ended by asOf, except column 0, which is reported for every cohort (the size of the
// current cohort can still grow). Counts may go up as well as down along a row.
//
// No activity is ErrEmpty; an activity with a zero time, before origin or after asOf is
// ErrOutOfRange naming its index.
func ActivityRetention(events []Activity, origin time.Time, step cxkit.Period, asOf time.Time) (CohortMatrix, error) {
	if len(events) == 0 {
		return CohortMatrix{}, fmt.Errorf("churn: no activity: %w", ErrEmpty)
	}
	b, err := grid(origin, step, asOf)
	if err != nil {
		return CohortMatrix{}, err
	}
	// periods in which each customer was active
	active := map[string]map[int]bool{}
	first := map[string]int{}
	for i, e := range events {
		if e.At.IsZero() {
			return CohortMatrix{}, fmt.Errorf("churn: activity %d (customer %q) has no time: %w", i, e.Customer, ErrOutOfRange)
		}
		if err := inWindow(e.At, origin, asOf); err != nil {
			return CohortMatrix{}, fmt.Errorf("churn: activity %d (customer %q): %w", i, e.Customer, err)
		}
		k := periodOf(b, e.At)
		if active[e.Customer] == nil {
			active[e.Customer] = map[int]bool{}
			first[e.Customer] = k
		}
		active[e.Customer][k] = true
		first[e.Customer] = min(first[e.Customer], k)
	}
	nonEmpty := make([]bool, len(b)-1)
	for _, k := range first {
		nonEmpty[k] = true
	}
	// In activity terms a column is observed once its whole period has ended: one fewer than
	// the boundaries reached, except column 0.
	m, err := newMatrix(origin, step, asOf, b, nonEmpty, 1)
	if err != nil {
		return CohortMatrix{}, err
	}
	for cust, k0 := range first {
		row := &m.Cohorts[k0]
		for a := range row.Count {
			if active[cust][k0+a] {
				row.Count[a]++
			}
		}
	}
	m.finish()
	return m, nil
}

// inWindow checks origin ≤ t ≤ asOf.
func inWindow(t, origin, asOf time.Time) error {
	if t.Before(origin) {
		return fmt.Errorf("time %s is before the origin %s: %w", t.Format(time.RFC3339), origin.Format(time.RFC3339), ErrOutOfRange)
	}
	if t.After(asOf) {
		return fmt.Errorf("time %s is after the as-of time %s: %w", t.Format(time.RFC3339), asOf.Format(time.RFC3339), ErrOutOfRange)
	}
	return nil
}

// maxCells bounds the cells of a matrix (Count and Share take 16 bytes a cell, so 160 MB):
// daily cohorts over 56 years would need 2·10⁸.
const maxCells = 10_000_000

// newMatrix allocates the rows: a cohort c (starting at b[c] ≤ asOf) that has customers has
// one column for its size and one for each boundary b[c+a] ≤ asOf, less drop (but at least
// the size); an empty cohort has the size column only, so the cost is proportional to the
// cells that can hold data. More than maxCells cells is ErrOutOfRange.
func newMatrix(origin time.Time, step cxkit.Period, asOf time.Time, b []time.Time, nonEmpty []bool, drop int) (CohortMatrix, error) {
	cohorts := len(b) - 1 // b[len-1] is the first boundary after asOf
	width := func(c int) int { return max(1, cohorts-c-drop) }
	cells := 0
	for c := range cohorts {
		if nonEmpty[c] {
			cells += width(c)
		} else {
			cells++
		}
	}
	if cells > maxCells {
		return CohortMatrix{}, fmt.Errorf("churn: a %v cohort matrix from %s to %s has %d cells, more than %d; use a longer step or a later origin: %w",
			step, origin.Format(time.RFC3339), asOf.Format(time.RFC3339), cells, maxCells, ErrOutOfRange)
	}
	m := CohortMatrix{Origin: origin, Step: step, AsOf: asOf, Cohorts: make([]Cohort, cohorts)}
	for c := range m.Cohorts {
		n := 1
		if nonEmpty[c] {
			n = width(c)
		}
		m.Cohorts[c] = Cohort{Start: b[c], Count: make([]float64, n)}
	}
	return m, nil
}

// finish sets sizes and shares.
func (m *CohortMatrix) finish() {
	for c := range m.Cohorts {
		row := &m.Cohorts[c]
		row.Size = row.Count[0]
		row.Share = []float64{}
		if row.Size == 0 {
			continue
		}
		row.Share = make([]float64, len(row.Count))
		for a, n := range row.Count {
			row.Share[a] = n / row.Size
		}
	}
}
