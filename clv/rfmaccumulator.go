package clv

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit/internal/wire"
)

// RFMAccumulator builds an RFM summary from a transaction log in pieces, for logs too large
// for one slice or spread over the workers of a distributed engine (Beam, Spark, Flink): each
// worker adds its transactions, the partial accumulators are merged, in any grouping and
// order, and [RFMAccumulator.Summary] gives the summary that [Summarize] gives on the whole log.
//
// It keeps, per customer and purchase period, the sum of the amounts and the number of
// transactions, so its size grows with the number of distinct (customer, period) pairs.
// The zero value is ready to use with daily periods in UTC; set Period and Location before the
// first Add for others. Accumulators with different periods or locations cannot be merged.
// It is not safe for concurrent use.
type RFMAccumulator struct {
	// Period is the purchase period (0 means Day), fixed by the first Add or Merge.
	Period time.Duration
	// Location is the time zone of the periods (nil means UTC), fixed by the first Add or
	// Merge. Encodings record its name, so it must be UTC, Local or a name that
	// time.LoadLocation knows on the decoding machine.
	Location *time.Location

	ps    int64  // period in seconds, 0 until fixed
	loc   string // location name once fixed
	cells map[string]map[int64]pbCell
	n     int // transactions added
}

// pbCell is one customer's purchases in one period.
type pbCell struct {
	amount float64
	count  int64
}

// pbFix fixes the period and location on first use.
func (a *RFMAccumulator) pbFix() error {
	if a.ps != 0 {
		if a.Period != 0 && a.Period != time.Duration(a.ps)*time.Second || a.pbLocName() != a.loc {
			return fmt.Errorf("clv: RFMAccumulator: period or location changed after the first Add (%v in %s): %w",
				time.Duration(a.ps)*time.Second, a.loc, ErrInvalid)
		}
		return nil
	}
	ps, _, err := pbCheckRFMOptions("RFMAccumulator", RFMOptions{Unit: Day, Period: a.Period})
	if err != nil {
		return err
	}
	a.ps, a.loc = ps, a.pbLocName()
	a.cells = map[string]map[int64]pbCell{}
	return nil
}

func (a *RFMAccumulator) pbLocName() string {
	if a.Location == nil {
		return "UTC"
	}
	return a.Location.String()
}

func (a *RFMAccumulator) pbLocation() *time.Location {
	if a.Location != nil {
		return a.Location
	}
	return time.UTC
}

// Add adds one transaction. An empty customer ID, a zero time or a negative or non-finite
// amount is an error (wrapping [ErrInvalid] or [ErrOutOfRange]) and leaves the accumulator
// unchanged.
func (a *RFMAccumulator) Add(t Transaction) error {
	if err := pbCheckTransaction(t); err != nil {
		return fmt.Errorf("clv: RFMAccumulator: transaction%w", err)
	}
	if err := a.pbFix(); err != nil {
		return err
	}
	a.pbAdd(t.Customer, pbPeriodOf(t.Time, a.pbLocation(), a.ps), t.Amount, 1)
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

func (a *RFMAccumulator) pbAdd(id string, p int64, amount float64, count int64) {
	m := a.cells[id]
	if m == nil {
		m = map[int64]pbCell{}
		a.cells[id] = m
	}
	c := m[p]
	c.amount += amount
	c.count += count
	m[p] = c
	a.n += int(count)
}

// Merge adds the transactions of o to a. Both must use the same period and location (an
// error wrapping [ErrInvalid] otherwise); an empty o changes nothing.
func (a *RFMAccumulator) Merge(o *RFMAccumulator) error {
	if o == nil || o.ps == 0 {
		return nil
	}
	if a.ps == 0 && a.Period == 0 && a.Location == nil {
		a.Period, a.Location = time.Duration(o.ps)*time.Second, o.Location
		if a.Location == nil && o.loc != "UTC" {
			loc, err := time.LoadLocation(o.loc)
			if err != nil {
				return fmt.Errorf("clv: RFMAccumulator: location %q: %v: %w", o.loc, err, ErrInvalid)
			}
			a.Location = loc
		}
	}
	if err := a.pbFix(); err != nil {
		return err
	}
	if a.ps != o.ps || a.loc != o.loc {
		return fmt.Errorf("clv: RFMAccumulator: cannot merge periods of %v in %s into %v in %s: %w",
			time.Duration(o.ps)*time.Second, o.loc, time.Duration(a.ps)*time.Second, a.loc, ErrInvalid)
	}
	if a == o {
		// Merging an accumulator into itself doubles it; copy first.
		o = o.pbClone()
	}
	for id, m := range o.cells {
		for p, c := range m {
			a.pbAdd(id, p, c.amount, c.count)
		}
	}
	return nil
}

func (a *RFMAccumulator) pbClone() *RFMAccumulator {
	b := *a
	b.cells = make(map[string]map[int64]pbCell, len(a.cells))
	for id, m := range a.cells {
		b.cells[id] = maps.Clone(m)
	}
	return &b
}

// Transactions is the number of transactions added so far.
func (a *RFMAccumulator) Transactions() int { return a.n }

// Summary returns the RFM summary of the transactions added, as [Summarize] computes it from
// them. opt.Period and opt.Location must be unset or equal to the accumulator's; an empty
// accumulator is [ErrEmpty].
func (a *RFMAccumulator) Summary(opt RFMOptions) (RFMSummary, error) {
	if a.ps == 0 || a.n == 0 {
		return RFMSummary{}, fmt.Errorf("clv: RFMAccumulator: no transactions: %w", ErrEmpty)
	}
	if opt.Period != 0 && opt.Period != time.Duration(a.ps)*time.Second ||
		opt.Location != nil && opt.Location.String() != a.loc {
		return RFMSummary{}, fmt.Errorf("clv: RFMAccumulator: options ask for periods of %v in %v, the accumulator has %v in %s: %w",
			opt.Period, opt.Location, time.Duration(a.ps)*time.Second, a.loc, ErrInvalid)
	}
	opt.Period, opt.Location = time.Duration(a.ps)*time.Second, a.pbLocation()
	ps, loc, err := pbCheckRFMOptions("RFMAccumulator", opt)
	if err != nil {
		return RFMSummary{}, err
	}
	ids := slices.Sorted(maps.Keys(a.cells))
	cells := 0
	for _, m := range a.cells {
		cells += len(m)
	}
	entries := make([]pbEntry, 0, cells)
	lastP := int64(math.MinInt64)
	for s, id := range ids {
		for p, c := range a.cells[id] {
			entries = append(entries, pbEntry{slot: int32(s), count: c.count, period: p, amount: c.amount})
			lastP = max(lastP, p)
		}
	}
	return pbFinish("RFMAccumulator", ids, entries, lastP, opt, ps, loc)
}

// pbRFMState is the accumulator's content in canonical order, shared by the encodings.
type pbRFMState struct {
	PeriodSeconds int64           `json:"period_seconds"`
	Location      string          `json:"location"`
	Customers     []pbRFMCustomer `json:"customers"`
}

type pbRFMCustomer struct {
	ID      string       `json:"id"`
	Periods []pbRFMCellJ `json:"periods"`
}

type pbRFMCellJ struct {
	Period int64   `json:"period"` // index of the period since Monday 1970-01-05
	Amount float64 `json:"amount"`
	Count  int64   `json:"count"`
}

func (a *RFMAccumulator) pbState() pbRFMState {
	st := pbRFMState{PeriodSeconds: a.ps, Location: a.loc}
	for _, id := range slices.Sorted(maps.Keys(a.cells)) {
		m := a.cells[id]
		c := pbRFMCustomer{ID: id}
		for _, p := range slices.Sorted(maps.Keys(m)) {
			c.Periods = append(c.Periods, pbRFMCellJ{Period: p, Amount: m[p].amount, Count: m[p].count})
		}
		st.Customers = append(st.Customers, c)
	}
	return st
}

// pbLoad validates a decoded state and replaces a's content with it.
func (a *RFMAccumulator) pbLoad(st pbRFMState, who string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("clv: %s: %s: %w", who, fmt.Sprintf(format, args...), ErrInvalid)
	}
	if st.PeriodSeconds == 0 {
		if st.Location != "" || len(st.Customers) != 0 {
			return bad("customers without a period")
		}
		*a = RFMAccumulator{}
		return nil
	}
	if st.PeriodSeconds < 0 || st.PeriodSeconds > math.MaxInt64/int64(time.Second) {
		return bad("period of %d seconds", st.PeriodSeconds)
	}
	var loc *time.Location
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
	cells := make(map[string]map[int64]pbCell, len(st.Customers))
	n := 0
	for i, c := range st.Customers {
		if c.ID == "" || i > 0 && c.ID <= st.Customers[i-1].ID {
			return bad("customer %d: ID %q empty or out of order", i, c.ID)
		}
		if len(c.Periods) == 0 {
			return bad("customer %q has no purchases", c.ID)
		}
		m := make(map[int64]pbCell, len(c.Periods))
		for j, p := range c.Periods {
			if j > 0 && p.Period <= c.Periods[j-1].Period {
				return bad("customer %q: periods out of order", c.ID)
			}
			if p.Period > pbMaxSeconds/st.PeriodSeconds || p.Period < -pbMaxSeconds/st.PeriodSeconds {
				return bad("customer %q: period %d is out of range", c.ID, p.Period)
			}
			if !finite(p.Amount) || p.Amount < 0 || p.Count < 1 || p.Count > math.MaxInt32 {
				return bad("customer %q: amount %v or count %d out of range", c.ID, p.Amount, p.Count)
			}
			if n > math.MaxInt-int(p.Count) {
				return bad("too many transactions")
			}
			m[p.Period] = pbCell{amount: p.Amount, count: p.Count}
			n += int(p.Count)
		}
		cells[c.ID] = m
	}
	*a = RFMAccumulator{Period: time.Duration(st.PeriodSeconds) * time.Second, Location: loc,
		ps: st.PeriodSeconds, loc: st.Location, cells: cells, n: n}
	return nil
}

const (
	// pbMaxSeconds bounds decoded period starts to ±10^13 s (±317,000 years) from 1970.
	pbMaxSeconds = int64(1e13)
	pbRFMTag     = "CLVR"
	pbRFMVersion = 1
)

// MarshalBinary encodes the accumulator (versioned; customers and periods in canonical order,
// so equal contents give equal bytes).
func (a *RFMAccumulator) MarshalBinary() ([]byte, error) {
	st := a.pbState()
	w := wire.NewWriter(pbRFMTag, pbRFMVersion, 64)
	w.Uint64(uint64(st.PeriodSeconds))
	w.Bytes([]byte(st.Location))
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
	r := wire.NewReader(b, pbRFMTag, pbRFMVersion, "clv.RFMAccumulator")
	st := pbRFMState{PeriodSeconds: int64(r.Uint64()), Location: string(r.Bytes())}
	nc := r.Uint64()
	// Each customer takes at least 8+8 bytes and each period 24: bound the counts by the
	// input length before allocating.
	if nc > uint64(len(b))/16 {
		r.Fail("%d customers in %d bytes", nc, len(b))
		nc = 0
	}
	for i := uint64(0); i < nc; i++ { // after an error the reader returns zeros: cheap
		c := pbRFMCustomer{ID: string(r.Bytes())}
		np := r.Uint64()
		if np > uint64(len(b))/24 {
			r.Fail("%d periods in %d bytes", np, len(b))
			break
		}
		for j := uint64(0); j < np; j++ {
			c.Periods = append(c.Periods, pbRFMCellJ{Period: int64(r.Uint64()), Amount: r.Float64(), Count: int64(r.Uint64())})
		}
		st.Customers = append(st.Customers, c)
	}
	if err := r.Done(); err != nil {
		return err
	}
	var tmp RFMAccumulator
	if err := tmp.pbLoad(st, "clv.RFMAccumulator"); err != nil {
		return err
	}
	*a = tmp
	return nil
}

// MarshalJSON encodes the accumulator as {"period_seconds", "location", "customers": [{"id",
// "periods": [{"period", "amount", "count"}]}]}, in canonical order.
func (a *RFMAccumulator) MarshalJSON() ([]byte, error) {
	return json.Marshal(a.pbState())
}

// UnmarshalJSON decodes the encoding of MarshalJSON with the same checks as UnmarshalBinary.
func (a *RFMAccumulator) UnmarshalJSON(b []byte) error {
	var st pbRFMState
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("clv: RFMAccumulator: %v: %w", err, ErrInvalid)
	}
	var tmp RFMAccumulator
	if err := tmp.pbLoad(st, "RFMAccumulator"); err != nil {
		return err
	}
	*a = tmp
	return nil
}
