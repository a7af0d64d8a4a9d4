package responsetime

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"reflect"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/wire"
)

// RelativeAccuracy is the relative-error guarantee α of a Tracker's percentiles: each reported
// percentile q̂ of a set of durations satisfies |q̂ − x| ≤ α·x + 0.5 ns, where x is the order
// statistic of rank ⌊q·(n−1)⌋ or the next one (DDSketch, Masson, Rim & Lee, VLDB 2019;
// sketches-go's lower-rank convention; the half nanosecond is the rounding of the bin's value
// to a time.Duration). It holds for any input and after any number of merges.
const RelativeAccuracy = 0.01

func (t *durTally) stats() Stats {
	st := Stats{Count: int(t.n)}
	if t.n == 0 {
		return st
	}
	st.Mean = t.sum.mean(t.n)
	st.Median, st.P90, st.P95 = t.quantile(0.5), t.quantile(0.9), t.quantile(0.95)
	st.Min, st.Max = t.min, t.max
	return st
}

// Tracker is a mergeable streaming summary for volumes that do not fit in memory: exact counts,
// exact sums and means (128-bit nanosecond sums), exact min and max, and median, p90 and p95
// (and any other quantile on demand: Quantile, ResolutionQuantile) from a DDSketch within
// RelativeAccuracy. Memory is a few kilobytes whatever the volume (at most about 19 KB a
// sketch, for durations spread from 1 ns to 292 years). An Add in calendar time costs a few
// tens of nanoseconds: a query without status periods or FirstResolved whose Received
// carries no monotonic clock reading (times parsed, or made by time.Date or time.Unix, carry
// none; time.Now's do, and so do times computed from them with Add) takes a short path (one
// monotonic-clock test, the durations from Unix seconds and nanoseconds, the sketch's bin read
// from a table, counter increments) that gives exactly what the full path would; other
// queries take the full validation and calendar path. The zero value is ready to use and
// measures calendar time; set Calendar before the first Add to measure business hours.
// Merging trackers that used the same calendar gives, for any split of the data, exactly the
// counts, means and extremes of one pass, and percentiles within the same guarantee (the
// merged sketch is the sketch of the union). A Tracker is not safe for concurrent use.
//
// Streaming cost: a Query is a 280-byte value. Add copies its argument, and Add(Query{...})
// also builds each query in a temporary first; together that costs about as much as the
// Tracker's own work. Decoding into a reused []Query buffer in place and passing it to AddAll
// copies nothing (ExampleTracker_AddAll): on bench/responsetime's 1e7 durations that took
// 20-43 ns a query, building included, against 32-53 ns for Add(Query{...}) one at a time
// (2026-12-07, 2-core AMD EPYC, 24 runs of each).
//
// The binary and JSON encodings hold the figures, not the Calendar.
type Tracker struct {
	Calendar Calendar // nil for calendar time; set before the first Add

	cal               Calendar // the calendar fixed at the first Add
	queries, resolved uint64
	first, res        durTally
	m                 *meter
}

// Add validates q, as Summarize does, and adds it. Errors name the query by ID and by its
// position in the tracker's stream (the number of queries added before it). The Calendar in
// force at the first Add is the tracker's calendar for good: an Add after t.Calendar was
// changed is an error wrapping ErrIncompatible, and adds nothing.
func (t *Tracker) Add(q Query) error { return t.addp(&q) }

// AddAll adds queries in order, as Add does for each, without copying them; the first
// invalid one stops it with an error (naming the query by ID and by its position in the
// tracker's stream), and the queries before it stay added. The Tracker keeps nothing of the
// slice, so a stream can be decoded batch after batch into the same buffer (the fastest way in).
// AddAll of an empty slice adds nothing and returns nil.
func (t *Tracker) AddAll(queries []Query) error {
	for i := range queries {
		if err := t.addp(&queries[i]); err != nil {
			return err
		}
	}
	return nil
}

// addp is Add on a query in place.
//
// The hot path takes calendar time (fixed at an earlier Add), a query with no status periods
// and no FirstResolved, a Received with no monotonic clock reading, durations that are plainly
// valid (0 ≤ first response ≤ resolution, under 285 years), and durations that each tally can
// count in place (not its first value, a bin inside its array). It checks all of that
// before it changes anything; anything else, including every error, takes the full path (add)
// from the start, which gives the same figures for what the hot path accepts. With Received
// free of a monotonic reading, time.Time's Sub and Before measure from Received on the wall
// clock, so wall-clock differences are exactly what the full path computes. The order of
// Resolved and FirstResponse, which may both carry monotonic readings, is the wall clock's
// when either has none (Before then compares wall clocks); only when neither is in UTC without
// one does the hot path call Before, as validate does. The monotonic test of Received is first
// Received == Received.UTC(), which inlines (UTC strips the reading, so equality proves there
// is none) and settles times in UTC, the common case, in a few instructions; times in other
// locations take noMono's call to Round(0). The counting is inline, with no call on the hot
// path in UTC: checks first (durTally.slot), then the increments (durTally.put).
func (t *Tracker) addp(q *Query) error {
	if t.m == nil || t.cal != nil || t.Calendar != nil || t.queries >= maxTrackerCount ||
		len(q.Waits)|len(q.Paused)|len(q.Pending)|len(q.OnHold) != 0 || !q.FirstResolved.IsZero() ||
		q.Received.IsZero() || (q.Received != q.Received.UTC() && !noMono(q.Received)) {
		return t.add(q)
	}
	rs, rn := q.Received.Unix(), int64(q.Received.Nanosecond())
	answered, resolved := !q.FirstResponse.IsZero(), !q.Resolved.IsZero()
	var d, r time.Duration
	var fj, rj int
	if answered {
		var ok bool
		if d, ok = since(q.FirstResponse, rs, rn); !ok {
			return t.add(q)
		}
		if fj, ok = t.first.slot(d); !ok {
			return t.add(q)
		}
	}
	if resolved {
		var ok bool
		if r, ok = since(q.Resolved, rs, rn); !ok {
			return t.add(q)
		}
		if rj, ok = t.res.slot(r); !ok {
			return t.add(q)
		}
		if answered && (d > r || !(q.Resolved == q.Resolved.UTC() || q.FirstResponse == q.FirstResponse.UTC() ||
			!q.Resolved.Before(q.FirstResponse))) {
			return t.add(q)
		}
	}
	t.queries++
	if answered {
		t.first.put(d, fj)
	}
	if resolved {
		t.resolved++
		t.res.put(r, rj)
	}
	return nil
}

// noMono reports whether a carries no monotonic clock reading (Round(0) strips it and keeps
// the location).
func noMono(a time.Time) bool { return a == a.Round(0) }

// since is a − b for an instant b given by its Unix seconds bs and nanoseconds bn, with ok
// true when 0 ≤ a − b < 9·10⁹ s (285 years): then it is a.Sub(b) for a b without monotonic
// clock reading, computed without Sub's overflow check, which cannot fail in that range.
func since(a time.Time, bs, bn int64) (d time.Duration, ok bool) {
	s := a.Unix() - bs
	d = time.Duration(s)*time.Second + time.Duration(int64(a.Nanosecond())-bn)
	return d, uint64(s) < 9e9 && d >= 0
}

// add is Add's full path: validation, the calendar, the status periods.
func (t *Tracker) add(q *Query) error {
	if t.m == nil {
		if err := validate(t.Calendar); err != nil {
			return err
		}
		t.m = newMeter(t.Calendar)
		t.cal = t.Calendar
	} else if (t.Calendar != nil || t.cal != nil) && !sameCalendar(t.Calendar, t.cal) {
		return fmt.Errorf("responsetime: Tracker.Calendar changed after the first Add (was %T, now %T): %w", t.cal, t.Calendar, ErrIncompatible)
	}
	i := int(t.queries)
	if err := q.validate(i); err != nil {
		return err
	}
	r, err := t.m.measure(q, i)
	if err != nil {
		return err
	}
	if t.queries >= maxTrackerCount {
		return fmt.Errorf("responsetime: Tracker already holds %d queries, the most it counts exactly: %w", t.queries, ErrOutOfRange)
	}
	t.queries++
	if r.answered {
		t.first.add(r.first)
	}
	if r.resolved {
		t.resolved++
		t.res.add(r.resolution)
	}
	return nil
}

// maxTrackerCount is the most queries a Tracker counts: 2^53, where its sketch's float64
// bin counts stop being exact.
const maxTrackerCount = 1 << 53

// calendar is the calendar t measures with: the one fixed at the first Add, else t.Calendar.
func (t *Tracker) calendar() Calendar {
	if t.m != nil {
		return t.cal
	}
	return t.Calendar
}

// Merge adds the figures of o into t. A nil o, or one that holds no query, adds nothing.
// Trackers on different calendars (compared by value: a BusinessHours with the same
// *cal.BusinessCalendar and a Location of the same name, a Schedule with the same Location
// name, shifts and Holidays pointer; any other Calendar by reflect.DeepEqual) are refused with
// an error wrapping ErrIncompatible, and a merged count above 2^53 with one wrapping
// ErrOutOfRange; on error t is unchanged. t.Merge(t) doubles t.
func (t *Tracker) Merge(o *Tracker) error {
	if o == nil || o.queries == 0 {
		return nil
	}
	if a, b := t.calendar(), o.calendar(); !sameCalendar(a, b) {
		return fmt.Errorf("responsetime: cannot merge a Tracker on calendar %T into one on %T (or the same type with other settings): %w", b, a, ErrIncompatible)
	}
	if t.queries+o.queries > maxTrackerCount {
		return fmt.Errorf("responsetime: merged Tracker would hold %d + %d queries, above 2^53: %w", t.queries, o.queries, ErrOutOfRange)
	}
	first, res := o.first, o.res // t.Merge(t) reads o's figures before they change
	t.queries += o.queries
	t.resolved += o.resolved
	t.first.merge(&first)
	t.res.merge(&res)
	return nil
}

// sameCalendar reports whether two calendars measure working time alike.
func sameCalendar(a, b Calendar) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case BusinessHours:
		y, ok := b.(BusinessHours)
		return ok && x.Calendar == y.Calendar && sameLocation(x.Location, y.Location)
	case Schedule:
		y, ok := b.(Schedule)
		return ok && sameLocation(x.Location, y.Location) && x.Holidays == y.Holidays && reflect.DeepEqual(x.Week, y.Week)
	}
	return b != nil && reflect.DeepEqual(a, b)
}

func sameLocation(a, b *time.Location) bool {
	return a == b || (a != nil && b != nil && a.String() == b.String())
}

// Result returns the tracked figures as a Summary with RelativeAccuracy set: exact counts,
// means, and maxima; approximate medians and percentiles. With no query added it is an error
// wrapping ErrEmpty.
func (t *Tracker) Result() (Summary, error) {
	if t.queries == 0 {
		return Summary{}, fmt.Errorf("responsetime: tracker has no queries: %w", ErrEmpty)
	}
	fr := t.first.stats()
	return Summary{
		Queries: int(t.queries), Answered: fr.Count, Unanswered: int(t.queries) - fr.Count,
		Mean: fr.Mean, Median: fr.Median, P90: fr.P90, P95: fr.P95, Min: fr.Min, Max: fr.Max,
		Resolved: int(t.resolved), Unresolved: int(t.queries - t.resolved),
		Resolution: t.res.stats(), RelativeAccuracy: RelativeAccuracy,
	}, nil
}

// Tracker is a cxkit accumulator of queries with a Summary as its result.
var _ cxkit.Accumulator[Query, Summary, *Tracker] = (*Tracker)(nil)

// Quantile returns the sketch's estimate of the q-quantile (0 ≤ q ≤ 1; 0.99 for p99) of the
// first-response times tracked, within RelativeAccuracy of the order statistic of rank
// ⌊q·(n−1)⌋ or the next one (see RelativeAccuracy), and inside [Min, Max]. Quantile(0) is
// within the guarantee of Min; the exact Min and Max are in Result. A q outside [0, 1] is an
// error wrapping ErrOutOfRange; no answered query is ErrEmpty.
func (t *Tracker) Quantile(q float64) (time.Duration, error) {
	return t.first.quantileErr(q, "first-response")
}

// ResolutionQuantile is Quantile for the resolution times.
func (t *Tracker) ResolutionQuantile(q float64) (time.Duration, error) {
	return t.res.quantileErr(q, "resolution")
}

func (t *durTally) quantileErr(q float64, what string) (time.Duration, error) {
	if !(q >= 0 && q <= 1) {
		return 0, fmt.Errorf("responsetime: quantile %v is outside [0, 1]: %w", q, ErrOutOfRange)
	}
	if t.n == 0 {
		return 0, fmt.Errorf("responsetime: tracker has no %s times: %w", what, ErrEmpty)
	}
	return t.quantile(q), nil
}

// tallyState is the encoded form of a durTally.
type tallyState struct {
	N     uint64     `json:"n"`
	SumHi uint64     `json:"sum_hi"`
	SumLo uint64     `json:"sum_lo"`
	Min   int64      `json:"min_ns"`
	Max   int64      `json:"max_ns"`
	Zero  uint64     `json:"zero"`
	Bins  [][2]int64 `json:"bins"` // (sketch index, count), index ascending
}

type trackerState struct {
	Version  int        `json:"version"`
	Queries  uint64     `json:"queries"`
	Resolved uint64     `json:"resolved"`
	First    tallyState `json:"first_response"`
	Res      tallyState `json:"resolution"`
}

// trackerVersion 2: bins of the cubically interpolated mapping over nanoseconds (version 1
// held bins of the logarithmic mapping over seconds).
const trackerVersion = 2

func (t *durTally) state() tallyState {
	s := tallyState{N: t.n, SumHi: t.sum.hi, SumLo: t.sum.lo, Min: int64(t.min), Max: int64(t.max), Zero: t.zero, Bins: [][2]int64{}}
	t.bins.each(func(index int, count uint64) { s.Bins = append(s.Bins, [2]int64{int64(index), int64(count)}) })
	return s
}

// restore checks s and rebuilds the tally from it.
func (s tallyState) restore(what string) (durTally, error) {
	bad := func(format string, args ...any) (durTally, error) {
		return durTally{}, fmt.Errorf("responsetime: Tracker %s: %s: %w", what, fmt.Sprintf(format, args...), ErrInvalid)
	}
	t := durTally{n: s.N, sum: sum128{s.SumHi, s.SumLo}, min: time.Duration(s.Min), max: time.Duration(s.Max)}
	if s.N == 0 {
		if s.SumHi != 0 || s.SumLo != 0 || s.Min != 0 || s.Max != 0 || s.Zero != 0 || len(s.Bins) != 0 {
			return bad("empty tally with non-zero figures")
		}
		return t, nil
	}
	if s.Min < 0 || s.Max < s.Min {
		return bad("min %d and max %d ns are inconsistent", s.Min, s.Max)
	}
	// min·n ≤ sum ≤ max·n
	loHi, loLo := bits.Mul64(uint64(s.Min), s.N)
	hiHi, hiLo := bits.Mul64(uint64(s.Max), s.N)
	if less128(s.SumHi, s.SumLo, loHi, loLo) || less128(hiHi, hiLo, s.SumHi, s.SumLo) {
		return bad("sum is outside count × [min, max]")
	}
	total := s.Zero
	t.zero = s.Zero
	if s.Zero > 0 && s.Min != 0 {
		return bad("zero durations counted but min is %d ns", s.Min)
	}
	if s.Zero < s.N && len(s.Bins) == 0 {
		return bad("%d positive durations but no sketch bins", s.N-s.Zero)
	}
	for k, b := range s.Bins {
		if b[0] < int64(minSketchIndex) || b[0] > int64(maxSketchIndex) || b[1] <= 0 || (k > 0 && b[0] <= s.Bins[k-1][0]) {
			return bad("sketch bin %d (index %d, count %d) is invalid", k, b[0], b[1])
		}
		var carry uint64
		total, carry = bits.Add64(total, uint64(b[1]), 0)
		if carry != 0 {
			return bad("sketch counts overflow")
		}
	}
	if len(s.Bins) > 0 {
		// The lowest and highest bins are those of the smallest positive duration and of max.
		lo, hi := s.Bins[0][0], s.Bins[len(s.Bins)-1][0]
		if s.Max <= 0 || hi != int64(sketchMapping.Index(float64(s.Max))) || (s.Zero == 0 && lo != int64(sketchMapping.Index(float64(s.Min)))) {
			return bad("sketch bins %d..%d do not hold min %d and max %d ns", lo, hi, s.Min, s.Max)
		}
		t.bins.cover(int(lo), int(hi))
		for _, b := range s.Bins {
			t.bins.counts[int(b[0])-t.bins.offset] = uint64(b[1])
		}
	}
	if total != s.N {
		return bad("sketch holds %d values but the count is %d", total, s.N)
	}
	return t, nil
}

func less128(ah, al, bh, bl uint64) bool { return ah < bh || (ah == bh && al < bl) }

func (t *Tracker) state() trackerState {
	return trackerState{Version: trackerVersion, Queries: t.queries, Resolved: t.resolved, First: t.first.state(), Res: t.res.state()}
}

func (t *Tracker) restore(s trackerState) error {
	if s.Version != trackerVersion {
		return fmt.Errorf("responsetime: Tracker encoding version %d (want %d): %w", s.Version, trackerVersion, ErrInvalid)
	}
	if s.Queries > 1<<53 {
		return fmt.Errorf("responsetime: Tracker count %d exceeds 2^53: %w", s.Queries, ErrInvalid)
	}
	if s.First.N > s.Queries || s.Resolved > s.Queries || s.Res.N != s.Resolved {
		return fmt.Errorf("responsetime: Tracker counts are inconsistent (queries %d, answered %d, resolved %d, resolution times %d): %w",
			s.Queries, s.First.N, s.Resolved, s.Res.N, ErrInvalid)
	}
	first, err := s.First.restore("first response")
	if err != nil {
		return err
	}
	res, err := s.Res.restore("resolution")
	if err != nil {
		return err
	}
	t.queries, t.resolved, t.first, t.res = s.Queries, s.Resolved, first, res
	return nil
}

// MarshalBinary encodes the tracked figures (not the Calendar) in a versioned binary form.
func (t *Tracker) MarshalBinary() ([]byte, error) {
	s := t.state()
	w := wire.NewWriter("RTtr", trackerVersion, 160+16*(len(s.First.Bins)+len(s.Res.Bins)))
	w.Uint64(s.Queries)
	w.Uint64(s.Resolved)
	for _, ts := range []tallyState{s.First, s.Res} {
		w.Uint64(ts.N)
		w.Uint64(ts.SumHi)
		w.Uint64(ts.SumLo)
		w.Uint64(uint64(ts.Min))
		w.Uint64(uint64(ts.Max))
		w.Uint64(ts.Zero)
		w.Uint64(uint64(len(ts.Bins)))
		for _, b := range ts.Bins {
			w.Uint64(uint64(b[0]))
			w.Uint64(uint64(b[1]))
		}
	}
	return w.B, nil
}

// UnmarshalBinary replaces t's figures with those encoded by MarshalBinary, keeping
// t.Calendar. Truncated, corrupt or inconsistent bytes give an error wrapping ErrInvalid and
// leave t unchanged.
func (t *Tracker) UnmarshalBinary(b []byte) error {
	r := wire.NewReader(b, "RTtr", trackerVersion, "responsetime.Tracker")
	s := trackerState{Version: trackerVersion, Queries: r.Uint64(), Resolved: r.Uint64()}
	for _, ts := range []*tallyState{&s.First, &s.Res} {
		ts.N, ts.SumHi, ts.SumLo = r.Uint64(), r.Uint64(), r.Uint64()
		ts.Min, ts.Max = int64(r.Uint64()), int64(r.Uint64())
		ts.Zero = r.Uint64()
		n := r.Uint64()
		if n > uint64(maxSketchIndex-minSketchIndex+1) {
			r.Fail("sketch of %d bins", n)
			break
		}
		ts.Bins = make([][2]int64, 0, n)
		for k := uint64(0); k < n; k++ {
			ts.Bins = append(ts.Bins, [2]int64{int64(r.Uint64()), int64(r.Uint64())})
		}
	}
	if err := r.Done(); err != nil {
		return err
	}
	return t.restore(s)
}

// MarshalJSON encodes the tracked figures (not the Calendar) as JSON: counts, exact sums as
// two 64-bit halves, min and max in nanoseconds and the sketch bins.
func (t *Tracker) MarshalJSON() ([]byte, error) { return json.Marshal(t.state()) }

// UnmarshalJSON replaces t's figures with those encoded by MarshalJSON; malformed or
// inconsistent input gives an error wrapping ErrInvalid and leaves t unchanged.
func (t *Tracker) UnmarshalJSON(b []byte) error {
	var s trackerState
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("responsetime: Tracker JSON: %v: %w", err, ErrInvalid)
	}
	return t.restore(s)
}
