package csvload

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
)

// Sentinel errors. A bad row's error wraps ErrBadRow and its reason's sentinel
// (cxkit.ErrInvalid or cxkit.ErrOutOfRange); a bad header wraps ErrHeader.
var (
	ErrBadRow = errors.New("bad row")
	ErrHeader = errors.New("bad header")
)

// Policy says what a bad row does.
type Policy int

const (
	// Strict stops at the first bad row with a *RowError.
	Strict Policy = iota
	// Skip skips bad rows and counts them, by reason, in the Summary.
	Skip
)

// Options configure a read. The zero value reads strictly, in UTC, with the default scales.
type Options struct {
	// File names the source in errors and examples (e.g. "data/survey.csv"); empty: "input".
	File string
	// Policy is Strict (default) or Skip.
	Policy Policy
	// Examples is how many bad rows Skip keeps as examples (0: 5).
	Examples int
	// Location is the time zone of dates and of instants without an offset (nil: UTC).
	Location *time.Location
}

func (o Options) file() string {
	if o.File == "" {
		return "input"
	}
	return o.File
}

// RowError is one bad row: where it is, which cell, and why.
type RowError struct {
	File   string `json:"file"`
	Line   int    `json:"line"`   // 1-based line of the cell in the file
	Column string `json:"column"` // the column's name, or "" for a row-level problem
	Value  string `json:"value"`  // the offending cell
	Reason string `json:"reason"` // short, stable text used to count bad rows, e.g. "nps rating off 0..10"
	Err    error  `json:"-"`      // the sentinel of the reason (cxkit.ErrInvalid, cxkit.ErrOutOfRange)
}

// Error reads e.g. `survey.csv:12: column nps: "11": nps rating off 0..10`.
func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: column %s: %q: %s", e.File, e.Line, e.Column, e.Value, e.Reason)
}

// Unwrap gives ErrBadRow and the reason's sentinel, for errors.Is.
func (e *RowError) Unwrap() []error { return []error{ErrBadRow, e.Err} }

// ReasonCount is how many rows were skipped for one reason.
type ReasonCount struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// Summary describes one read: rows kept, rows skipped by reason with the first examples, and
// the range of the rows' timestamps (the zero time when the layout has none).
type Summary struct {
	File     string        `json:"file"`
	Rows     int           `json:"rows"` // good rows passed to the callback
	Bad      int           `json:"bad"`  // rows skipped (Skip policy)
	Reasons  []ReasonCount `json:"reasons,omitempty"`
	Examples []*RowError   `json:"examples,omitempty"`
	Earliest time.Time     `json:"earliest,omitzero"`
	Latest   time.Time     `json:"latest,omitzero"`
}

func (s *Summary) seen(t time.Time) {
	if t.IsZero() {
		return
	}
	if s.Earliest.IsZero() || t.Before(s.Earliest) {
		s.Earliest = t
	}
	if t.After(s.Latest) {
		s.Latest = t
	}
}

// Column is one column of a layout.
type Column struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Doc      string `json:"doc"`
}

// Layout documents one input kind's CSV file.
type Layout struct {
	Kind    string   `json:"kind"` // e.g. "survey responses"
	File    string   `json:"file"` // conventional file name, e.g. "survey.csv"
	Columns []Column `json:"columns"`
	Example string   `json:"example"` // a header line and one data row
}

// Names lists the layout's column names, required ones first.
func (l Layout) Names() []string {
	var req, opt []string
	for _, c := range l.Columns {
		if c.Required {
			req = append(req, c.Name)
		} else {
			opt = append(opt, c.Name)
		}
	}
	return append(req, opt...)
}

// Layouts lists every layout: survey, tickets, subscriptions, transactions, journey events,
// and the journey map's touchpoints and personas.
func Layouts() []Layout {
	return []Layout{SurveyLayout, TicketsLayout, SubscriptionsLayout, TransactionsLayout,
		JourneyEventsLayout, TouchpointsLayout, PersonasLayout}
}

// row is the current record with the header's column positions.
type row struct {
	file string
	cr   *csv.Reader
	rec  []string
	pos  map[string]int
	loc  *time.Location
}

// get returns the cell of a column and whether the column is in the header.
func (r *row) get(col string) (string, bool) {
	i, ok := r.pos[col]
	if !ok {
		return "", false
	}
	return strings.TrimSpace(r.rec[i]), true
}

func (r *row) bad(col, value, reason string, sentinel error) *RowError {
	line := 0
	if len(r.rec) > 0 {
		line, _ = r.cr.FieldPos(0)
	}
	if i, ok := r.pos[col]; ok && col != "" && i < len(r.rec) {
		line, _ = r.cr.FieldPos(i)
	}
	return &RowError{File: r.file, Line: line, Column: col, Value: value, Reason: reason, Err: sentinel}
}

// required returns a required column's non-empty cell.
func (r *row) required(col string) (string, *RowError) {
	v, _ := r.get(col)
	if v == "" {
		return "", r.bad(col, v, col+" is empty", cxkit.ErrInvalid)
	}
	return v, nil
}

func (r *row) date(col string, v string) (time.Time, *RowError) {
	if t, err := time.ParseInLocation(time.DateOnly, v, r.loc); err == nil {
		return t, nil
	}
	return r.instant(col, v)
}

func (r *row) instant(col string, v string) (time.Time, *RowError) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, f := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.ParseInLocation(f, v, r.loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, r.bad(col, v, col+" is not a date or RFC 3339 time", cxkit.ErrInvalid)
}

// read is the common streaming loop: header check, then parse and callback per record.
func read[T any](src io.Reader, l Layout, opt Options, parse func(*row) (T, time.Time, *RowError), fn func(T) error) (Summary, error) {
	sum := Summary{File: opt.file()}
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return sum, fmt.Errorf("%s: empty file, want a header with columns %s: %w", sum.File, strings.Join(l.Names(), ","), ErrHeader)
	}
	if err != nil {
		return sum, fmt.Errorf("%s: header: %w", sum.File, err)
	}
	pos := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := pos[h]; dup && h != "" {
			return sum, fmt.Errorf("%s: header names column %q twice: %w", sum.File, h, ErrHeader)
		}
		pos[h] = i
	}
	var missing []string
	for _, c := range l.Columns {
		if _, ok := pos[c.Name]; c.Required && !ok {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return sum, fmt.Errorf("%s: header lacks required column(s) %s; %s needs %s (optional: %s): %w", sum.File,
			strings.Join(missing, ","), l.File, strings.Join(requiredNames(l), ","), strings.Join(optionalNames(l), ","), ErrHeader)
	}
	width := len(header)
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	r := &row{file: sum.File, cr: cr, pos: pos, loc: loc}
	maxEx := opt.Examples
	if maxEx <= 0 {
		maxEx = 5
	}
	reasons := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var bad *RowError
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			bad = &RowError{File: sum.File, Line: pe.Line, Reason: "malformed CSV: " + pe.Err.Error(), Err: cxkit.ErrInvalid}
		case err != nil:
			return sum, fmt.Errorf("%s: %w", sum.File, err)
		case len(rec) != width:
			r.rec = rec
			bad = r.bad("", "", fmt.Sprintf("%d fields, header has %d", len(rec), width), cxkit.ErrInvalid)
		}
		var v T
		var t time.Time
		if bad == nil {
			r.rec = rec
			v, t, bad = parse(r)
		}
		if bad != nil {
			if opt.Policy != Skip {
				return sum, bad
			}
			sum.Bad++
			reasons[bad.Reason]++
			if len(sum.Examples) < maxEx {
				sum.Examples = append(sum.Examples, bad)
			}
			continue
		}
		if err := fn(v); err != nil {
			return sum, err
		}
		sum.Rows++
		sum.seen(t)
	}
	for k, n := range reasons {
		sum.Reasons = append(sum.Reasons, ReasonCount{k, n})
	}
	slices.SortFunc(sum.Reasons, func(a, b ReasonCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	return sum, nil
}

func requiredNames(l Layout) []string {
	var out []string
	for _, c := range l.Columns {
		if c.Required {
			out = append(out, c.Name)
		}
	}
	return out
}

func optionalNames(l Layout) []string {
	var out []string
	for _, c := range l.Columns {
		if !c.Required {
			out = append(out, c.Name)
		}
	}
	return out
}

// collect adapts a Read function into a Load: the good rows in a slice.
func collect[T any](readFn func(func(T) error) (Summary, error)) ([]T, Summary, error) {
	var out []T
	s, err := readFn(func(v T) error { out = append(out, v); return nil })
	return out, s, err
}
