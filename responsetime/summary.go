package responsetime

import (
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"time"
)

// Options configures Summarize, GroupBy and Tracker. The zero value measures calendar
// (absolute) time with no targets, no exclusions and no SLA.
type Options struct {
	// Calendar measures elapsed time: nil for calendar time, a BusinessHours or a Schedule for
	// business hours. Summarize calls its Validate method, if it has one, first.
	Calendar Calendar
	// FirstResponseTarget and ResolutionTarget, when positive, add the count and share of
	// answered (resolved) queries within the target to the Summary, measured by Calendar.
	FirstResponseTarget time.Duration
	ResolutionTarget    time.Duration
	// Exclude, when set, returns a non-empty reason for each query to leave out of the figures
	// (spam, merged, test tickets). Excluded queries are counted by reason and not validated.
	Exclude func(Query) string
	// SLA, when set, measures every included query against its priority's targets.
	SLA *Policy
	// Now is the instant at which still-open clocks are read for the SLA: an unanswered query
	// older than its first-reply target at Now has breached. Zero leaves open clocks pending.
	Now time.Time
}

// Stats describes a set of durations. Mean is the sum over Count, computed from an exact
// 128-bit sum of nanoseconds and truncated to the nanosecond. Median, P90 and P95 are
// percentiles by linear interpolation between order statistics (Hyndman & Fan type 7, the
// default of Excel's PERCENTILE.INC, NumPy and R); a Tracker's are DDSketch estimates instead.
// With Count == 0 every duration is zero and means nothing.
type Stats struct {
	Count       int           `json:"count"`
	Mean        time.Duration `json:"mean"`
	Median      time.Duration `json:"median"`
	P90         time.Duration `json:"p90"`
	P95         time.Duration `json:"p95"`
	Min         time.Duration `json:"min"`
	Max         time.Duration `json:"max"`
	Target      time.Duration `json:"target,omitempty"`       // the target, when one was given
	Within      int           `json:"within,omitempty"`       // durations ≤ Target
	WithinShare float64       `json:"within_share,omitempty"` // Within / Count (0 when Count is 0)
}

// Summary is the report of Summarize: counts, first-response figures (the seed formula: total
// time to first response / number of answered queries), resolution figures and, when asked
// for, SLA results. Unanswered queries are counted in Unanswered, never averaged in as zero.
// Durations encode in JSON as integer nanoseconds, time.Duration's own encoding.
type Summary struct {
	Queries    int            `json:"queries"`               // all queries given
	Excluded   int            `json:"excluded"`              // left out by Options.Exclude
	ExcludedBy map[string]int `json:"excluded_by,omitempty"` // Excluded by reason
	Answered   int            `json:"answered"`              // included queries with a first response
	Unanswered int            `json:"unanswered"`            // included queries without one
	// First-response time over answered queries.
	Mean        time.Duration `json:"mean"`
	Median      time.Duration `json:"median"`
	P90         time.Duration `json:"p90"`
	P95         time.Duration `json:"p95"`
	Min         time.Duration `json:"min"`
	Max         time.Duration `json:"max"`
	Target      time.Duration `json:"target,omitempty"`       // Options.FirstResponseTarget, when given
	Within      int           `json:"within,omitempty"`       // answered within FirstResponseTarget
	WithinShare float64       `json:"within_share,omitempty"` // Within / Answered
	// Resolution.
	Resolved        int   `json:"resolved"`         // included queries with a Resolved time
	Unresolved      int   `json:"unresolved"`       // included queries without one
	Resolution      Stats `json:"resolution"`       // full resolution time (to the last solve), less pauses
	FirstResolution Stats `json:"first_resolution"` // to the first solve (FirstResolved, else Resolved), also of reopened queries
	NextReply       Stats `json:"next_reply"`       // completed next-reply waits (Query.Waits)
	Replies         Stats `json:"replies"`          // every reply: first responses and completed waits (Intercom's response time)
	// Status-period totals of resolved queries, when any included query carries Pending or
	// OnHold periods (Count is 0 otherwise): Zendesk's agent wait time and on-hold time.
	AgentWait Stats `json:"agent_wait"`
	OnHold    Stats `json:"on_hold"`
	// SLA results when Options.SLA is set.
	SLA *SLAReport `json:"sla,omitempty"`
	// RelativeAccuracy is 0 for exact percentiles (Summarize) and the DDSketch guarantee α for
	// a Tracker's: each percentile is within a factor 1 ± α of a true order statistic.
	RelativeAccuracy float64 `json:"relative_accuracy,omitempty"`
}

// FirstResponse returns the first-response figures of s as a Stats.
func (s Summary) FirstResponse() Stats {
	st := Stats{Count: s.Answered, Mean: s.Mean, Median: s.Median, P90: s.P90, P95: s.P95, Min: s.Min, Max: s.Max,
		Target: s.Target, Within: s.Within, WithinShare: s.WithinShare}
	return st
}

// String formats the summary for a report, one figure per line.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "queries %d (excluded %d", s.Queries, s.Excluded)
	reasons := make([]string, 0, len(s.ExcludedBy))
	for r := range s.ExcludedBy {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(&b, ", %s %d", r, s.ExcludedBy[r])
	}
	fmt.Fprintf(&b, "), answered %d, unanswered %d\n", s.Answered, s.Unanswered)
	approx := ""
	if s.RelativeAccuracy > 0 {
		approx = fmt.Sprintf(" (percentiles ±%g%%)", s.RelativeAccuracy*100)
	}
	fmt.Fprintf(&b, "first response: mean %v, median %v, p90 %v, p95 %v, max %v%s\n",
		round(s.Mean), round(s.Median), round(s.P90), round(s.P95), round(s.Max), approx)
	if s.Within > 0 || s.WithinShare > 0 {
		fmt.Fprintf(&b, "first response within target: %d (%.1f%%)\n", s.Within, 100*s.WithinShare)
	}
	fmt.Fprintf(&b, "resolved %d, unresolved %d\n", s.Resolved, s.Unresolved)
	if s.Resolution.Count > 0 {
		fmt.Fprintf(&b, "resolution: %s\n", s.Resolution)
	}
	if s.NextReply.Count > 0 {
		fmt.Fprintf(&b, "next reply: %s\n", s.NextReply)
		fmt.Fprintf(&b, "all replies: %s\n", s.Replies)
	}
	if s.AgentWait.Count > 0 {
		fmt.Fprintf(&b, "agent wait (pending): %s\n", s.AgentWait)
		fmt.Fprintf(&b, "on hold: %s\n", s.OnHold)
	}
	if s.SLA != nil {
		b.WriteString(s.SLA.String())
	}
	return b.String()
}

// String formats the statistics on one line.
func (st Stats) String() string {
	s := fmt.Sprintf("n %d, mean %v, median %v, p90 %v, p95 %v, max %v",
		st.Count, round(st.Mean), round(st.Median), round(st.P90), round(st.P95), round(st.Max))
	if st.Target > 0 {
		s += fmt.Sprintf(", within %v: %d (%.1f%%)", st.Target, st.Within, 100*st.WithinShare)
	}
	return s
}

// round rounds a duration to the second for display.
func round(d time.Duration) time.Duration { return d.Round(time.Second) }

// sum128 is an exact sum of non-negative nanosecond counts.
type sum128 struct{ hi, lo uint64 }

func (s *sum128) add(d time.Duration) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, uint64(d), 0)
	s.hi += c
}

func (s *sum128) merge(o sum128) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, o.lo, 0)
	s.hi += o.hi + c
}

// mean is the sum over n, truncated; n > 0 and every term ≤ MaxInt64, so the quotient fits.
func (s sum128) mean(n uint64) time.Duration {
	q, _ := bits.Div64(s.hi, s.lo, n)
	return time.Duration(q)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// percentile is the type-7 percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	h := p * float64(len(sorted)-1)
	lo := int(h)
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	frac := h - float64(lo)
	a, b := sorted[lo], sorted[lo+1]
	return a + time.Duration(float64(b-a)*frac+0.5)
}

// exactStats computes Stats of ds (sorted in place).
func exactStats(ds []time.Duration, target time.Duration) Stats {
	st := Stats{Count: len(ds), Target: target}
	if len(ds) == 0 {
		return st
	}
	slices.Sort(ds)
	var sum sum128
	for _, d := range ds {
		sum.add(d)
		if target > 0 && d <= target {
			st.Within++
		}
	}
	st.Mean = sum.mean(uint64(len(ds)))
	st.Median = percentile(ds, 0.5)
	st.P90 = percentile(ds, 0.9)
	st.P95 = percentile(ds, 0.95)
	st.Min, st.Max = ds[0], ds[len(ds)-1]
	if target > 0 {
		st.WithinShare = float64(st.Within) / float64(len(ds))
	}
	return st
}

// Summarize validates the queries and summarises their first-response, resolution and
// next-reply times by opts.Calendar (calendar time when nil), with SLA results when opts.SLA is
// set. An empty slice is an error wrapping ErrEmpty; a bad query is an error naming it (ID and
// index) and the field, wrapping ErrInvalid or ErrOutOfRange. When every query is excluded or
// unanswered the counts say so and the corresponding durations are zero: check Answered (or a
// Stats' Count) before reading them.
func Summarize(queries []Query, opts Options) (Summary, error) {
	if len(queries) == 0 {
		return Summary{}, fmt.Errorf("responsetime: no queries: %w", ErrEmpty)
	}
	idx := make([]int, len(queries))
	for i := range idx {
		idx[i] = i
	}
	e, err := newEngine(opts)
	if err != nil {
		return Summary{}, err
	}
	return e.summarize(queries, idx)
}

// engine holds the meters of one Summarize or GroupBy call.
type engine struct {
	opts Options
	m    *meter
	sla  *slaMeters
}

func newEngine(opts Options) (*engine, error) {
	if err := validate(opts.Calendar); err != nil {
		return nil, err
	}
	if opts.FirstResponseTarget < 0 || opts.ResolutionTarget < 0 {
		return nil, fmt.Errorf("responsetime: negative target (first response %v, resolution %v): %w",
			opts.FirstResponseTarget, opts.ResolutionTarget, ErrOutOfRange)
	}
	e := &engine{opts: opts, m: newMeter(opts.Calendar)}
	if opts.SLA != nil {
		s, err := newSLAMeters(opts.SLA)
		if err != nil {
			return nil, err
		}
		e.sla = s
	}
	return e, nil
}

func (e *engine) summarize(queries []Query, idx []int) (Summary, error) {
	s := Summary{Queries: len(idx)}
	first := make([]time.Duration, 0, len(idx))
	res := make([]time.Duration, 0, len(idx))
	var firstRes, next, agentWait, onHold []time.Duration
	statusData := false // some query has Pending or OnHold periods
	reopened := false   // some query has a FirstResolved: first and full resolution differ
	var rep *SLAReport
	if e.sla != nil {
		rep = &SLAReport{}
	}
	for _, i := range idx {
		q := &queries[i]
		if e.opts.Exclude != nil {
			if reason := e.opts.Exclude(*q); reason != "" {
				s.Excluded++
				if s.ExcludedBy == nil {
					s.ExcludedBy = map[string]int{}
				}
				s.ExcludedBy[reason]++
				continue
			}
		}
		if err := q.validate(i); err != nil {
			return Summary{}, err
		}
		r, err := e.m.measure(q, i)
		if err != nil {
			return Summary{}, err
		}
		if r.answered {
			s.Answered++
			first = append(first, r.first)
		} else {
			s.Unanswered++
		}
		if !statusData && (len(q.Pending) > 0 || len(q.OnHold) > 0) {
			// The resolved queries before this one had no status periods: zero wait each.
			statusData = true
			agentWait = make([]time.Duration, s.Resolved, len(idx))
			onHold = make([]time.Duration, s.Resolved, len(idx))
		}
		if r.resolved {
			s.Resolved++
			res = append(res, r.resolution)
			if statusData {
				agentWait = append(agentWait, r.pending)
				onHold = append(onHold, r.onHold)
			}
		} else {
			s.Unresolved++
		}
		if r.firstResolved {
			if !reopened && !q.FirstResolved.IsZero() {
				reopened = true
				firstRes = append(make([]time.Duration, 0, len(idx)), res[:len(res)-boolInt(r.resolved)]...)
			}
			if reopened {
				firstRes = append(firstRes, r.firstResolution)
			}
		}
		for j, w := range q.Waits {
			if w.To.IsZero() {
				continue
			}
			d, err := e.m.between(w.From, w.To)
			if err != nil {
				return Summary{}, fmt.Errorf("responsetime: %s: Waits[%d]: %w", where(q, i), j, err)
			}
			next = append(next, d)
		}
		if rep != nil {
			if err := e.sla.measure(rep, q, i, e.opts.Now); err != nil {
				return Summary{}, err
			}
		}
	}
	replies := append(append(make([]time.Duration, 0, len(first)+len(next)), first...), next...)
	fr := exactStats(first, e.opts.FirstResponseTarget)
	s.Mean, s.Median, s.P90, s.P95, s.Min, s.Max = fr.Mean, fr.Median, fr.P90, fr.P95, fr.Min, fr.Max
	s.Target, s.Within, s.WithinShare = fr.Target, fr.Within, fr.WithinShare
	s.Resolution = exactStats(res, e.opts.ResolutionTarget)
	if reopened {
		s.FirstResolution = exactStats(firstRes, e.opts.ResolutionTarget)
	} else {
		s.FirstResolution = s.Resolution // no query was reopened: the same durations
	}
	s.NextReply = exactStats(next, 0)
	s.Replies = exactStats(replies, 0)
	if statusData {
		s.AgentWait = exactStats(agentWait, 0)
		s.OnHold = exactStats(onHold, 0)
	}
	if rep != nil {
		rep.finish()
		s.SLA = rep
	}
	return s, nil
}
