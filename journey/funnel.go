package journey

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/stat"
)

// FunnelOrder says how a funnel's steps must follow one another.
type FunnelOrder int

const (
	// Sequential (the default): the steps in their order, other events may come between.
	Sequential FunnelOrder = iota
	// Strict: the steps in their order with no other event of the customer between two
	// consecutive steps (a repeat of the step just reached also breaks the sequence).
	Strict
	// AnyOrder: a customer reaches step k when each of steps 1..k has happened, in any order.
	AnyOrder
)

// String names the order: "sequential", "strict" or "any order".
func (o FunnelOrder) String() string {
	switch o {
	case Sequential:
		return "sequential"
	case Strict:
		return "strict"
	case AnyOrder:
		return "any order"
	}
	return fmt.Sprintf("FunnelOrder(%d)", int(o))
}

// FunnelOptions configure Funnel and FunnelCounter. The zero value is a sequential funnel
// with no time limit and 95% intervals.
type FunnelOptions struct {
	// Order is Sequential, Strict or AnyOrder.
	Order FunnelOrder
	// Window is the longest time from a customer's step 1 to the last step reached (for
	// AnyOrder: from the first to the last of the steps' events); zero means no limit.
	Window time.Duration
	// Confidence of the Wilson intervals; zero means 0.95.
	Confidence float64
}

func (o FunnelOptions) check() (FunnelOptions, error) {
	if o.Order < Sequential || o.Order > AnyOrder {
		return o, fmt.Errorf("journey: funnel order %d is not Sequential, Strict or AnyOrder: %w", int(o.Order), ErrOutOfRange)
	}
	if o.Window < 0 {
		return o, fmt.Errorf("journey: funnel window %v is negative: %w", o.Window, ErrOutOfRange)
	}
	if o.Confidence == 0 {
		o.Confidence = 0.95
	}
	if err := stat.CheckConfidence(o.Confidence); err != nil {
		return o, fmt.Errorf("journey: funnel: %w", err)
	}
	return o, nil
}

// FunnelStep is one step of a funnel's result.
type FunnelStep struct {
	// Touchpoint is the step's touchpoint ID.
	Touchpoint string `json:"touchpoint"`
	// Customers is the number of distinct customers who reached the step.
	Customers int `json:"customers"`
	// FromStart is Customers / the customers of step 1, with its Wilson interval.
	FromStart         float64        `json:"from_start"`
	FromStartInterval cxkit.Interval `json:"from_start_interval"`
	// FromPrevious is Customers / the customers of the previous step (1 at step 1), with its
	// Wilson interval. It and its interval are NaN when the previous step has no customers.
	FromPrevious         float64        `json:"from_previous"`
	FromPreviousInterval cxkit.Interval `json:"from_previous_interval"`
	// DropOff is the number of customers of the previous step who did not reach this one (0 at
	// step 1); DropOffRate is DropOff over the previous step's customers (NaN when those are 0).
	DropOff     int     `json:"drop_off"`
	DropOffRate float64 `json:"drop_off_rate"`
	// MedianFromPrevious and P90FromPrevious are the median and 90th percentile of the time
	// from the previous step to this one over the customers who reached it (sample quantiles
	// of R's default type 7); zero at step 1 and when nobody reached the step.
	MedianFromPrevious time.Duration `json:"median_from_previous"`
	P90FromPrevious    time.Duration `json:"p90_from_previous"`
}

// FunnelResult is the outcome of a funnel.
type FunnelResult struct {
	Steps      []FunnelStep  `json:"steps"`
	Order      FunnelOrder   `json:"order"`
	Window     time.Duration `json:"window"`
	Confidence float64       `json:"confidence"`
	// Customers is the number of distinct customers in the events, Events the number of events.
	Customers int `json:"customers"`
	Events    int `json:"events"`
}

// Funnel counts how many customers reach each step of a funnel, in the order opt.Order asks,
// within opt.Window of their step 1 (see the package doc for the exact rules). It counts
// unique customers, each once from their first entry (the first step-1 event; for AnyOrder,
// the earliest moment the steps are complete). events may come in any order; it groups them by
// customer itself (without sorting when they already arrive sorted by customer) and needs
// memory for the events plus one index per event. For a log too big to hold, feed a
// FunnelCounter with events sorted by customer: its memory grows with customers only.
//
// It returns an error wrapping ErrEmpty for no steps or when no customer reached step 1,
// ErrInvalid for an empty or repeated step or a bad event, ErrOutOfRange for bad options.
func Funnel(events []Event, steps []string, opt FunnelOptions) (FunnelResult, error) {
	f, err := NewFunnelCounter(steps, opt)
	if err != nil {
		return FunnelResult{}, err
	}
	for i, e := range events {
		if err := checkEvent(e, i); err != nil {
			return FunnelResult{}, err
		}
	}
	err = byCustomer(events, func(_ string, idx []int32) error {
		f.buf = f.buf[:0]
		for _, i := range idx {
			f.push(events[i])
		}
		f.flush()
		return nil
	})
	if err != nil {
		return FunnelResult{}, err
	}
	f.events = len(events)
	return f.Result()
}

// FunnelCounter computes a funnel from a stream of events sorted by customer (in ascending
// byte order of Customer; a customer's events in any time order), holding one customer's
// events at a time: its memory is proportional to the number of customers (one duration per
// customer and step, for the exact quantiles), not to the number of events. Create it with
// NewFunnelCounter.
type FunnelCounter struct {
	steps  []string
	code   map[string]int32
	opt    FunnelOptions
	st     stream
	buf    []timed
	events int

	customers int
	reached   []int
	durs      [][]int64
	last      []int64 // scratch for AnyOrder
	pending   bool    // the current customer has events not yet counted
}

// NewFunnelCounter checks the steps and options and returns an empty counter.
func NewFunnelCounter(steps []string, opt FunnelOptions) (*FunnelCounter, error) {
	opt, err := opt.check()
	if err != nil {
		return nil, err
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("journey: a funnel needs at least one step: %w", ErrEmpty)
	}
	if len(steps) > math.MaxInt32 {
		return nil, fmt.Errorf("journey: %d funnel steps are too many: %w", len(steps), ErrOutOfRange)
	}
	code := make(map[string]int32, len(steps))
	for i, s := range steps {
		if s == "" {
			return nil, fmt.Errorf("journey: funnel step %d is an empty touchpoint: %w", i+1, ErrInvalid)
		}
		if j, ok := code[s]; ok {
			return nil, fmt.Errorf("journey: funnel step %d repeats touchpoint %q of step %d: %w", i+1, s, j+1, ErrInvalid)
		}
		code[s] = int32(i)
	}
	return &FunnelCounter{
		steps:   slices.Clone(steps),
		code:    code,
		opt:     opt,
		reached: make([]int, len(steps)),
		durs:    make([][]int64, len(steps)),
		last:    make([]int64, len(steps)),
	}, nil
}

// Add takes the next event. It returns an error for a bad event and for a customer that comes
// after a greater one (the stream must be sorted by customer); the counter is unchanged then.
func (f *FunnelCounter) Add(e Event) error {
	newCustomer, err := f.st.next(e)
	if err != nil {
		return err
	}
	if newCustomer {
		f.flush()
	}
	f.events++
	f.push(e)
	return nil
}

func (f *FunnelCounter) push(e Event) {
	c, ok := f.code[e.Touchpoint]
	if !ok {
		if f.opt.Order != Strict { // only Strict needs the other events
			f.pending = true
			return
		}
		c = -1
	}
	f.pending = true
	f.buf = append(f.buf, timed{t: unixNano(e.Time), code: c, seq: int32(len(f.buf))})
}

// flush evaluates the buffered customer into the counts and empties the buffer.
func (f *FunnelCounter) flush() {
	if !f.pending {
		return
	}
	f.customers++
	f.evaluate(f.buf, f.reached, f.durs)
	f.buf = f.buf[:0]
	f.pending = false
}

// evaluate adds one customer's events to reached and durs.
func (f *FunnelCounter) evaluate(b []timed, reached []int, durs [][]int64) {
	sortTimed(b)
	k := len(f.steps)
	w := int64(f.opt.Window)
	within := func(t1, tk int64) bool { return w == 0 || int64(span(t1, tk)) <= w }
	switch f.opt.Order {
	case Sequential, Strict:
		i := slices.IndexFunc(b, func(x timed) bool { return x.code == 0 })
		if i < 0 {
			return
		}
		reached[0]++
		t1, prev := b[i].t, b[i].t
		for s := int32(1); int(s) < k; s++ {
			m := -1
			if f.opt.Order == Strict {
				if i+1 < len(b) && b[i+1].code == s {
					m = i + 1
				}
			} else {
				for j := i + 1; j < len(b); j++ {
					if b[j].code == s {
						m = j
						break
					}
				}
			}
			if m < 0 || !within(t1, b[m].t) {
				return
			}
			reached[s]++
			durs[s] = append(durs[s], int64(span(prev, b[m].t)))
			i, prev = m, b[m].t
		}
	case AnyOrder:
		var prevDone int64
		for s := 0; s < k; s++ {
			// The earliest event at which steps 0..s have all occurred within the window.
			seen := 0
			for j := range f.last[:s+1] {
				f.last[j] = math.MinInt64
			}
			done, found := int64(0), false
			for _, x := range b {
				if x.code < 0 || int(x.code) > s {
					continue
				}
				if f.last[x.code] == math.MinInt64 {
					seen++
				}
				f.last[x.code] = x.t
				if seen <= s {
					continue
				}
				first := x.t
				for _, l := range f.last[:s+1] {
					first = min(first, l)
				}
				if within(first, x.t) {
					done, found = x.t, true
					break
				}
			}
			if !found {
				return
			}
			reached[s]++
			if s > 0 {
				durs[s] = append(durs[s], int64(span(prevDone, done)))
			}
			prevDone = done
		}
	}
}

// Result returns the funnel of the events added so far; the counter can go on taking events.
func (f *FunnelCounter) Result() (FunnelResult, error) {
	reached := f.reached
	durs := f.durs
	customers := f.customers
	if f.pending { // the current customer, evaluated into copies
		reached = slices.Clone(f.reached)
		durs = make([][]int64, len(f.durs))
		for i, d := range f.durs {
			durs[i] = slices.Clip(d)
		}
		f.evaluate(slices.Clone(f.buf), reached, durs)
		customers++
	}
	r := FunnelResult{Order: f.opt.Order, Window: f.opt.Window, Confidence: f.opt.Confidence,
		Customers: customers, Events: f.events}
	if reached[0] == 0 {
		return r, fmt.Errorf("journey: no customer reached funnel step 1 (%q) in %d events: %w", f.steps[0], f.events, ErrEmpty)
	}
	r.Steps = make([]FunnelStep, len(f.steps))
	for s := range f.steps {
		st := FunnelStep{Touchpoint: f.steps[s], Customers: reached[s]}
		var err error
		st.FromStart, st.FromStartInterval, err = proportion(reached[s], reached[0], f.opt.Confidence)
		if err != nil {
			return FunnelResult{}, err
		}
		prev := reached[0]
		if s > 0 {
			prev = reached[s-1]
			st.DropOff = prev - reached[s]
		}
		st.FromPrevious, st.FromPreviousInterval, err = proportion(reached[s], prev, f.opt.Confidence)
		if err != nil {
			return FunnelResult{}, err
		}
		st.DropOffRate = math.NaN()
		if prev > 0 {
			st.DropOffRate = float64(st.DropOff) / float64(prev)
		}
		if s > 0 && len(durs[s]) > 0 {
			d := slices.Clone(durs[s])
			slices.Sort(d)
			st.MedianFromPrevious = quantile7(d, 0.5)
			st.P90FromPrevious = quantile7(d, 0.9)
		}
		r.Steps[s] = st
	}
	return r, nil
}

// proportion returns x/n with its Wilson interval; NaN (documented on FunnelStep) when n is 0.
func proportion(x, n int, confidence float64) (float64, cxkit.Interval, error) {
	if n == 0 {
		return math.NaN(), cxkit.Interval{Lower: math.NaN(), Upper: math.NaN(), Confidence: confidence}, nil
	}
	lo, hi, err := stat.Wilson(float64(x), float64(n), confidence)
	if err != nil {
		return 0, cxkit.Interval{}, fmt.Errorf("journey: %w", err)
	}
	return float64(x) / float64(n), cxkit.Interval{Lower: lo, Upper: hi, Confidence: confidence}, nil
}

// quantile7 is the sample quantile of R's default type 7 (linear interpolation between order
// statistics) of sorted durations, rounded to the nanosecond.
func quantile7(sorted []int64, p float64) time.Duration {
	h := float64(len(sorted)-1) * p
	lo := int(math.Floor(h))
	if lo+1 >= len(sorted) {
		return time.Duration(sorted[len(sorted)-1])
	}
	a, b := float64(sorted[lo]), float64(sorted[lo+1])
	return time.Duration(math.Round(a + (h-float64(lo))*(b-a)))
}

// FunnelStepComparison compares one step of two funnels (A − B).
type FunnelStepComparison struct {
	Step       int    `json:"step"` // 1-based
	Touchpoint string `json:"touchpoint"`
	// FromStart and FromPrevious compare the step's conversion from step 1 and from the
	// previous step by the N−1 two-proportion test (Campbell 2007); all fields are NaN where a
	// denominator is 0 in either funnel.
	FromStart    cxkit.Comparison `json:"from_start"`
	FromPrevious cxkit.Comparison `json:"from_previous"`
	// FromPreviousAdjustedP is FromPrevious.P adjusted by Holm's method across the steps 2..K
	// that have a defined comparison (NaN elsewhere, and at step 1).
	FromPreviousAdjustedP float64 `json:"from_previous_adjusted_p"`
}

// CompareFunnels compares the step conversions of two funnels over the same steps — two
// personas, two periods, two variants — step by step, A − B. Each comparison is the N−1
// two-proportion test (Campbell 2007); the step-on-step p-values are also given
// Holm-adjusted across the steps. It returns an error wrapping ErrIncompatible when the funnels
// have different steps, order or window.
func CompareFunnels(a, b FunnelResult) ([]FunnelStepComparison, error) {
	if len(a.Steps) != len(b.Steps) || a.Order != b.Order || a.Window != b.Window {
		return nil, fmt.Errorf("journey: funnels with %d and %d steps (orders %v, %v; windows %v, %v) cannot be compared: %w",
			len(a.Steps), len(b.Steps), a.Order, b.Order, a.Window, b.Window, ErrIncompatible)
	}
	if len(a.Steps) == 0 {
		return nil, fmt.Errorf("journey: funnels without steps: %w", ErrEmpty)
	}
	for i := range a.Steps {
		if a.Steps[i].Touchpoint != b.Steps[i].Touchpoint {
			return nil, fmt.Errorf("journey: funnel step %d is %q in one funnel and %q in the other: %w",
				i+1, a.Steps[i].Touchpoint, b.Steps[i].Touchpoint, ErrIncompatible)
		}
	}
	nan := cxkit.Comparison{Difference: math.NaN(), StdErr: math.NaN(), Z: math.NaN(), P: math.NaN()}
	cmp2 := func(x1, n1, x2, n2 int) (cxkit.Comparison, error) {
		if n1 == 0 || n2 == 0 {
			return nan, nil
		}
		return stat.TwoProportions(float64(x1), float64(n1), float64(x2), float64(n2))
	}
	out := make([]FunnelStepComparison, len(a.Steps))
	var ps []float64
	var at []int
	for i := range a.Steps {
		c := FunnelStepComparison{Step: i + 1, Touchpoint: a.Steps[i].Touchpoint, FromPreviousAdjustedP: math.NaN()}
		var err error
		if c.FromStart, err = cmp2(a.Steps[i].Customers, a.Steps[0].Customers, b.Steps[i].Customers, b.Steps[0].Customers); err != nil {
			return nil, fmt.Errorf("journey: step %d: %w", i+1, err)
		}
		pa, pb := a.Steps[0].Customers, b.Steps[0].Customers
		if i > 0 {
			pa, pb = a.Steps[i-1].Customers, b.Steps[i-1].Customers
		}
		if c.FromPrevious, err = cmp2(a.Steps[i].Customers, pa, b.Steps[i].Customers, pb); err != nil {
			return nil, fmt.Errorf("journey: step %d: %w", i+1, err)
		}
		if i > 0 && !math.IsNaN(c.FromPrevious.P) {
			ps = append(ps, c.FromPrevious.P)
			at = append(at, i)
		}
		out[i] = c
	}
	if len(ps) > 0 {
		adj, err := cxkit.Adjust(ps, cxkit.Holm)
		if err != nil {
			return nil, fmt.Errorf("journey: %w", err)
		}
		for j, i := range at {
			out[i].FromPreviousAdjustedP = adj[j]
		}
	}
	return out, nil
}
