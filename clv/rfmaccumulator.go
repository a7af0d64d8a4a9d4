package clv

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/wire"
)

// RFMAccumulator builds an RFM summary from a transaction log in pieces, for logs too large
// for one slice or spread over the workers of a distributed engine (Beam, Spark, Flink): each
// worker adds its transactions, the partial accumulators are merged, in any grouping and
// order, and [RFMAccumulator.Result] gives the summary that [Summarize] gives on the whole log
// with the same options.
//
// It keeps, per customer and purchase period, the sum of the amounts and the number of
// transactions, so its size grows with the number of distinct (customer, period) pairs.
// The zero value is ready to use: daily periods in UTC, days as the unit, and the calibration
// period ending with the period of the last transaction. Set Options before the first Add for
// others; they become part of the accumulator at its first Add (or the first Merge into a
// zero accumulator, which adopts the other's options), are encoded with it, and accumulators
// with different options cannot be merged ([ErrIncompatible]).
// It is not safe for concurrent use.
type RFMAccumulator struct {
	// Options are the summary's options, as for [Summarize], except that a zero Unit means
	// cxkit.Day. They are fixed by the first Add or Merge: changing them afterwards makes Add,
	// Merge and Result fail with [ErrIncompatible].
	Options RFMOptions

	opt   RFMOptions // normalised options once fixed (Unit, Period, Location set; times in UTC), zero before
	loc   string     // location name once fixed
	cells map[string]map[int64]periodCell
	n     int // transactions added
}

// The accumulator contract, checked at compile time.
var _ cxkit.Accumulator[Transaction, RFMSummary, *RFMAccumulator] = (*RFMAccumulator)(nil)

// periodCell is one customer's purchases in one period.
type periodCell struct {
	amount float64
	count  int64
}

// maxCellCount bounds the transactions of one customer in one period (the encodings hold
// at most this many).
const maxCellCount = math.MaxInt32

// normalize checks accumulator options and returns them normalised (Unit and Period set,
// Location set, times in UTC) with the location's name.
func normalize(who string, o RFMOptions) (RFMOptions, string, error) {
	if o.Unit == 0 {
		o.Unit = cxkit.Day
	}
	o, loc, err := checkRFMOptions(who, o)
	if err != nil {
		return RFMOptions{}, "", err
	}
	o.Location = loc
	if !o.CalibrationEnd.IsZero() {
		o.CalibrationEnd = o.CalibrationEnd.UTC()
	}
	if !o.HoldoutEnd.IsZero() {
		o.HoldoutEnd = o.HoldoutEnd.UTC()
		if periodOf(o.HoldoutEnd, loc, o.Period) <= periodOf(o.CalibrationEnd, loc, o.Period) {
			return RFMOptions{}, "", fmt.Errorf("clv: %s: holdout end %v is not after the calibration period ending %v: %w",
				who, o.HoldoutEnd, o.CalibrationEnd, ErrInvalid)
		}
	}
	return o, loc.String(), nil
}

// sameOptions reports whether two normalised option sets are equal.
func sameOptions(a RFMOptions, b RFMOptions) bool {
	return a.Unit == b.Unit && a.Period == b.Period && a.Location.String() == b.Location.String() &&
		a.CalibrationEnd.Equal(b.CalibrationEnd) && a.HoldoutEnd.Equal(b.HoldoutEnd)
}

// describe formats normalised options for error messages.
func describe(o RFMOptions) string {
	s := fmt.Sprintf("unit %v, purchase periods of a %v in %s", o.Unit, o.Period, o.Location)
	if !o.CalibrationEnd.IsZero() {
		s += fmt.Sprintf(", calibration end %v", o.CalibrationEnd)
	}
	if !o.HoldoutEnd.IsZero() {
		s += fmt.Sprintf(", holdout end %v", o.HoldoutEnd)
	}
	return s
}

// fixOptions fixes the options on first use, and afterwards checks that they have not changed.
func (a *RFMAccumulator) fixOptions() error {
	o, loc, err := normalize("RFMAccumulator", a.Options)
	if err != nil {
		return err
	}
	if a.opt.Period != 0 {
		if !sameOptions(o, a.opt) {
			return fmt.Errorf("clv: RFMAccumulator: options changed after the first Add (%s, now %s): %w",
				describe(a.opt), describe(o), ErrIncompatible)
		}
		return nil
	}
	a.opt, a.loc = o, loc
	a.cells = map[string]map[int64]periodCell{}
	return nil
}

// Add adds one transaction. An empty customer ID, a zero time or a negative or non-finite
// amount is an error (wrapping [ErrInvalid] or [ErrOutOfRange]), and so is a transaction that
// would overflow its customer's period (more than 2³¹−1 transactions, or an amount sum beyond
// the largest float64); each leaves the accumulator unchanged.
func (a *RFMAccumulator) Add(t Transaction) error {
	if err := checkTransaction(t); err != nil {
		return fmt.Errorf("clv: RFMAccumulator: transaction%w", err)
	}
	if err := a.fixOptions(); err != nil {
		return err
	}
	p := periodOf(t.Time, a.opt.Location, a.opt.Period)
	c := a.cells[t.Customer][p]
	if err := checkSum(t.Customer, p, c, periodCell{amount: t.Amount, count: 1}, a.n, 1); err != nil {
		return err
	}
	a.addPurchase(t.Customer, p, t.Amount, 1)
	return nil
}

// checkSum reports whether adding cell d (of n transactions) to cell c (of customer id,
// period p) of an accumulator holding total transactions would overflow.
func checkSum(id string, p int64, c, d periodCell, total, n int) error {
	if c.count > maxCellCount-d.count || !finite(c.amount+d.amount) {
		return fmt.Errorf("clv: RFMAccumulator: customer %q, period %d: %d+%d transactions worth %v+%v overflow: %w",
			id, p, c.count, d.count, c.amount, d.amount, ErrOutOfRange)
	}
	if total > math.MaxInt-n {
		return fmt.Errorf("clv: RFMAccumulator: %d+%d transactions overflow: %w", total, n, ErrOutOfRange)
	}
	return nil
}

// AddAll adds the transactions in order; an invalid one is an error naming its index, and the
// transactions before it stay added.
func (a *RFMAccumulator) AddAll(tx []Transaction) error {
	for i, t := range tx {
		if err := a.Add(t); err != nil {
			return fmt.Errorf("transaction at index %d: %w", i, err)
		}
	}
	return nil
}

func (a *RFMAccumulator) addPurchase(id string, p int64, amount float64, count int64) {
	m := a.cells[id]
	if m == nil {
		m = map[int64]periodCell{}
		a.cells[id] = m
	}
	c := m[p]
	c.amount += amount
	c.count += count
	m[p] = c
	a.n += int(count)
}

// Merge adds the transactions of o to a. A zero a adopts o's options; otherwise both must
// have the same options (an error wrapping [ErrIncompatible] names them), and counts or sums
// that would overflow are an error wrapping [ErrOutOfRange]. On error a is unchanged; an
// empty o changes nothing.
func (a *RFMAccumulator) Merge(o *RFMAccumulator) error {
	if o == nil || o.opt.Period == 0 {
		return nil
	}
	saved := *a
	if a.opt.Period == 0 && a.Options == (RFMOptions{}) {
		a.Options = o.opt
	}
	if err := a.fixOptions(); err != nil {
		*a = saved
		return err
	}
	if !sameOptions(a.opt, o.opt) {
		err := fmt.Errorf("clv: RFMAccumulator: cannot merge an accumulator with %s into one with %s: %w",
			describe(o.opt), describe(a.opt), ErrIncompatible)
		*a = saved
		return err
	}
	if a == o {
		// Merging an accumulator into itself doubles it; copy first.
		o = o.clone()
	}
	// Check every cell before changing anything.
	for id, m := range o.cells {
		am := a.cells[id]
		for p, c := range m {
			if err := checkSum(id, p, am[p], c, a.n, o.n); err != nil {
				*a = saved
				return err
			}
		}
	}
	for id, m := range o.cells {
		for p, c := range m {
			a.addPurchase(id, p, c.amount, c.count)
		}
	}
	return nil
}

func (a *RFMAccumulator) clone() *RFMAccumulator {
	b := *a
	b.cells = make(map[string]map[int64]periodCell, len(a.cells))
	for id, m := range a.cells {
		b.cells[id] = maps.Clone(m)
	}
	return &b
}

// Transactions is the number of transactions added so far.
func (a *RFMAccumulator) Transactions() int { return a.n }

// Result returns the RFM summary of the transactions added, as [Summarize] computes it from
// them with the accumulator's options. An empty accumulator is [ErrEmpty]; options changed
// after the first Add are [ErrIncompatible].
func (a *RFMAccumulator) Result() (RFMSummary, error) {
	if a.opt.Period == 0 || a.n == 0 {
		return RFMSummary{}, fmt.Errorf("clv: RFMAccumulator: no transactions: %w", ErrEmpty)
	}
	if o, _, err := normalize("RFMAccumulator", a.Options); err != nil || !sameOptions(o, a.opt) {
		return RFMSummary{}, fmt.Errorf("clv: RFMAccumulator: options changed after the first Add (%s): %w",
			describe(a.opt), ErrIncompatible)
	}
	ids := slices.Sorted(maps.Keys(a.cells))
	cells := 0
	for _, m := range a.cells {
		cells += len(m)
	}
	entries := make([]txEntry, 0, cells)
	lastP := int64(math.MinInt64)
	for s, id := range ids {
		for p, c := range a.cells[id] {
			entries = append(entries, txEntry{slot: int32(s), count: c.count, period: p, amount: c.amount})
			lastP = max(lastP, p)
		}
	}
	return finish("RFMAccumulator", ids, entries, lastP, a.opt, a.opt.Location)
}

// rfmState is the accumulator's content in canonical order, shared by the encodings.
type rfmState struct {
	Unit           cxkit.Period  `json:"unit"`   // by name: "week"
	Period         cxkit.Period  `json:"period"` // by name: "day"
	Location       string        `json:"location"`
	CalibrationEnd time.Time     `json:"calibration_end,omitzero"`
	HoldoutEnd     time.Time     `json:"holdout_end,omitzero"`
	Customers      []rfmCustomer `json:"customers"`
}

type rfmCustomer struct {
	ID      string     `json:"id"`
	Periods []rfmCellJ `json:"periods"`
}

type rfmCellJ struct {
	Period int64   `json:"period"` // index of the period, from the one holding Monday 1970-01-05
	Amount float64 `json:"amount"`
	Count  int64   `json:"count"`
}

func (a *RFMAccumulator) snapshot() rfmState {
	if a.opt.Period == 0 {
		return rfmState{}
	}
	st := rfmState{Unit: a.opt.Unit, Period: a.opt.Period, Location: a.loc,
		CalibrationEnd: a.opt.CalibrationEnd, HoldoutEnd: a.opt.HoldoutEnd}
	for _, id := range slices.Sorted(maps.Keys(a.cells)) {
		m := a.cells[id]
		c := rfmCustomer{ID: id}
		for _, p := range slices.Sorted(maps.Keys(m)) {
			c.Periods = append(c.Periods, rfmCellJ{Period: p, Amount: m[p].amount, Count: m[p].count})
		}
		st.Customers = append(st.Customers, c)
	}
	return st
}

// load validates a decoded state and replaces a's content with it.
func (a *RFMAccumulator) load(st rfmState, who string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("clv: %s: %s: %w", who, fmt.Sprintf(format, args...), ErrInvalid)
	}
	if st.Period == 0 {
		if st.Location != "" || len(st.Customers) != 0 || st.Unit != 0 || !st.CalibrationEnd.IsZero() || !st.HoldoutEnd.IsZero() {
			return bad("options or customers without a period")
		}
		*a = RFMAccumulator{}
		return nil
	}
	if !st.Period.Valid() {
		return bad("purchase period %v", st.Period)
	}
	if !st.Unit.Valid() {
		return bad("unit %v", st.Unit)
	}
	for _, t := range []time.Time{st.CalibrationEnd, st.HoldoutEnd} {
		if !t.IsZero() && (t.Unix() > maxSeconds || t.Unix() < -maxSeconds) {
			return bad("end time %v is out of range", t)
		}
	}
	loc := time.UTC
	switch st.Location {
	case "UTC":
	case "":
		return bad("no location")
	default:
		l, err := time.LoadLocation(st.Location)
		if err != nil {
			return bad("location %q: %v", st.Location, err)
		}
		loc = l
	}
	opt := RFMOptions{Unit: st.Unit, Period: st.Period, Location: loc,
		CalibrationEnd: st.CalibrationEnd, HoldoutEnd: st.HoldoutEnd}
	norm, locName, err := normalize(who, opt)
	if err != nil {
		return bad("options: %v", err)
	}
	if len(st.Customers) == 0 {
		return bad("options without customers")
	}
	cells := make(map[string]map[int64]periodCell, len(st.Customers))
	n := 0
	maxP := maxIndex(st.Period)
	for i, c := range st.Customers {
		if c.ID == "" || i > 0 && c.ID <= st.Customers[i-1].ID {
			return bad("customer %d: ID %q empty or out of order", i, c.ID)
		}
		if len(c.Periods) == 0 {
			return bad("customer %q has no purchases", c.ID)
		}
		m := make(map[int64]periodCell, len(c.Periods))
		for j, p := range c.Periods {
			if j > 0 && p.Period <= c.Periods[j-1].Period {
				return bad("customer %q: periods out of order", c.ID)
			}
			if p.Period > maxP || p.Period < -maxP {
				return bad("customer %q: period %d is out of range", c.ID, p.Period)
			}
			if !finite(p.Amount) || p.Amount < 0 || p.Count < 1 || p.Count > maxCellCount {
				return bad("customer %q: amount %v or count %d out of range", c.ID, p.Amount, p.Count)
			}
			if n > math.MaxInt-int(p.Count) {
				return bad("too many transactions")
			}
			m[p.Period] = periodCell{amount: p.Amount, count: p.Count}
			n += int(p.Count)
		}
		cells[c.ID] = m
	}
	*a = RFMAccumulator{Options: norm, opt: norm, loc: locName, cells: cells, n: n}
	return nil
}

const (
	// maxSeconds bounds decoded period starts to ±10^13 s (±317,000 years) from 1970.
	maxSeconds = int64(1e13)
	rfmTag     = "CLVR"
	// rfmVersion 3 names the unit and the purchase period ("week", "day"); version 2 held
	// them as nanoseconds and seconds, and is refused.
	rfmVersion = 3
)

// MarshalBinary encodes the accumulator (versioned; customers and periods in canonical order,
// so equal contents give equal bytes).
func (a *RFMAccumulator) MarshalBinary() ([]byte, error) {
	st := a.snapshot()
	w := wire.NewWriter(rfmTag, rfmVersion, 64)
	unit, _ := st.Unit.MarshalText() // valid or zero: the accumulator normalised them
	period, _ := st.Period.MarshalText()
	w.Bytes(unit)
	w.Bytes(period)
	w.Bytes([]byte(st.Location))
	writeTime(w, st.CalibrationEnd)
	writeTime(w, st.HoldoutEnd)
	w.Uint64(uint64(len(st.Customers)))
	for _, c := range st.Customers {
		w.Bytes([]byte(c.ID))
		w.Uint64(uint64(len(c.Periods)))
		for _, p := range c.Periods {
			w.Uint64(uint64(p.Period))
			w.Float64(p.Amount)
			w.Uint64(uint64(p.Count))
		}
	}
	return w.B, nil
}

// UnmarshalBinary decodes an encoding made by MarshalBinary, replacing the accumulator's
// content. Corrupt, truncated or foreign bytes are an error wrapping [ErrInvalid], and leave
// the accumulator unchanged.
func (a *RFMAccumulator) UnmarshalBinary(b []byte) error {
	r := wire.NewReader(b, rfmTag, rfmVersion, "clv.RFMAccumulator")
	var st rfmState
	if err := st.Unit.UnmarshalText(r.Bytes()); err != nil {
		r.Fail("unit: %v", err)
	}
	if err := st.Period.UnmarshalText(r.Bytes()); err != nil {
		r.Fail("purchase period: %v", err)
	}
	st.Location = string(r.Bytes())
	st.CalibrationEnd = readTime(r)
	st.HoldoutEnd = readTime(r)
	nc := r.Uint64()
	// Each customer takes at least 8+8 bytes and each period 24: bound the counts by the
	// input length before allocating.
	if nc > uint64(len(b))/16 {
		r.Fail("%d customers in %d bytes", nc, len(b))
		nc = 0
	}
	for i := uint64(0); i < nc; i++ { // after an error the reader returns zeros: cheap
		c := rfmCustomer{ID: string(r.Bytes())}
		np := r.Uint64()
		if np > uint64(len(b))/24 {
			r.Fail("%d periods in %d bytes", np, len(b))
			break
		}
		for j := uint64(0); j < np; j++ {
			c.Periods = append(c.Periods, rfmCellJ{Period: int64(r.Uint64()), Amount: r.Float64(), Count: int64(r.Uint64())})
		}
		st.Customers = append(st.Customers, c)
	}
	if err := r.Done(); err != nil {
		return err
	}
	var tmp RFMAccumulator
	if err := tmp.load(st, "clv.RFMAccumulator"); err != nil {
		return err
	}
	*a = tmp
	return nil
}

// MarshalJSON encodes the accumulator as {"unit", "period", "location", "calibration_end",
// "holdout_end", "customers": [{"id", "periods": [{"period", "amount", "count"}]}]}, in
// canonical order, with the unit and the purchase period by name ("week", "day") and each
// purchase period by its index from the one holding Monday 1970-01-05.
func (a *RFMAccumulator) MarshalJSON() ([]byte, error) {
	return json.Marshal(a.snapshot())
}

// UnmarshalJSON decodes the encoding of MarshalJSON with the same checks as UnmarshalBinary.
// An encoding from before units were named (a "period_seconds" field, a unit in nanoseconds)
// is refused with an error saying so.
func (a *RFMAccumulator) UnmarshalJSON(b []byte) error {
	var old struct {
		PeriodSeconds json.RawMessage `json:"period_seconds"`
	}
	if json.Unmarshal(b, &old) == nil && old.PeriodSeconds != nil {
		return fmt.Errorf(`clv: RFMAccumulator: an old encoding with "period_seconds" and a unit in nanoseconds: `+
			`the unit and the purchase period are now names such as "week" and "day" (re-encode with this version): %w`, ErrInvalid)
	}
	var st rfmState
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("clv: RFMAccumulator: %v: %w", err, ErrInvalid)
	}
	var tmp RFMAccumulator
	if err := tmp.load(st, "RFMAccumulator"); err != nil {
		return err
	}
	*a = tmp
	return nil
}

// writeTime encodes a time as a flag (0 for the zero time), Unix seconds and nanoseconds.
func writeTime(w *wire.Writer, t time.Time) {
	if t.IsZero() {
		w.Uint64(0)
		return
	}
	w.Uint64(1)
	w.Uint64(uint64(t.Unix()))
	w.Uint64(uint64(t.Nanosecond()))
}

// readTime decodes a time written by writeTime, in UTC.
func readTime(r *wire.Reader) time.Time {
	switch flag := r.Uint64(); flag {
	case 0:
		return time.Time{}
	case 1:
		s, ns := int64(r.Uint64()), r.Uint64()
		if ns >= 1e9 || s > maxSeconds || s < -maxSeconds {
			r.Fail("time %d s %d ns out of range", s, ns)
			return time.Time{}
		}
		return time.Unix(s, int64(ns)).UTC()
	default:
		r.Fail("time flag %d", flag)
		return time.Time{}
	}
}
