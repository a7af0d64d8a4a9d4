package responsetime

import (
	"fmt"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/stat"
)

// Target is one SLA target: the elapsed time allowed, measured by Calendar (nil for calendar
// hours, a BusinessHours or Schedule for business hours). A zero Within means no target.
type Target struct {
	Within   time.Duration
	Calendar Calendar
}

// Targets are the SLA targets of one priority, as in a Zendesk SLA policy:
//   - FirstReply: Received to FirstResponse;
//   - NextReply: each of Query.Waits, a customer message to the next public agent reply;
//   - Resolution: Received to Resolved (full resolution), less the Query.Paused intervals.
type Targets struct {
	FirstReply Target
	NextReply  Target
	Resolution Target
}

// Policy assigns Targets to queries by their Priority. A query whose priority is not in
// ByPriority gets Default; with a nil Default it is counted as Uncovered in the report.
type Policy struct {
	ByPriority map[string]Targets
	Default    *Targets
}

// Breach is one measurement over its target.
type Breach struct {
	Index    int           `json:"index"`          // position of the query in the input
	ID       string        `json:"id,omitempty"`   // Query.ID
	Priority string        `json:"priority"`       // Query.Priority
	Wait     int           `json:"wait,omitempty"` // index in Query.Waits, for next-reply breaches
	Elapsed  time.Duration `json:"elapsed"`        // measured time (to Options.Now if still open)
	Target   time.Duration `json:"target"`
	Open     bool          `json:"open"` // the clock was still running at Options.Now
}

// SLAMetric counts one SLA metric. Each measurement with a target is Achieved (done within the
// target), Breached (done late, or still open at Options.Now and already over target) or
// Pending (still open and not yet over target, or open with no Options.Now, or started after
// Options.Now).
type SLAMetric struct {
	Achieved   int      `json:"achieved"`
	Breached   int      `json:"breached"`
	Pending    int      `json:"pending"`
	BreachRate float64  `json:"breach_rate"` // Breached / (Achieved + Breached); 0 when both are 0
	Breaches   []Breach `json:"breaches,omitempty"`
}

// Interval is the Wilson score interval of BreachRate at the given confidence (e.g. 0.95),
// treating the measurements as a sample of the process. It is an error wrapping ErrEmpty when
// nothing has been measured, and ErrOutOfRange for a confidence outside (0, 1).
func (m SLAMetric) Interval(confidence float64) (cxkit.Interval, error) {
	n := m.Achieved + m.Breached
	if n == 0 {
		return cxkit.Interval{}, fmt.Errorf("responsetime: no achieved or breached measurement: %w", ErrEmpty)
	}
	lo, hi, err := stat.Wilson(float64(m.Breached), float64(n), confidence)
	if err != nil {
		return cxkit.Interval{}, fmt.Errorf("responsetime: %w", err)
	}
	return cxkit.Interval{Lower: lo, Upper: hi, Confidence: confidence}, nil
}

// String formats the metric on one line.
func (m SLAMetric) String() string {
	return fmt.Sprintf("achieved %d, breached %d (%.1f%%), pending %d", m.Achieved, m.Breached, 100*m.BreachRate, m.Pending)
}

// SLAReport is the SLA part of a Summary.
type SLAReport struct {
	FirstReply SLAMetric `json:"first_reply"`
	NextReply  SLAMetric `json:"next_reply"`
	Resolution SLAMetric `json:"resolution"`
	Uncovered  int       `json:"uncovered"` // queries whose priority has no targets
}

// String formats the report, one line per metric that has measurements.
func (r SLAReport) String() string {
	var b strings.Builder
	for _, x := range []struct {
		name string
		m    SLAMetric
	}{{"first reply", r.FirstReply}, {"next reply", r.NextReply}, {"resolution", r.Resolution}} {
		if x.m.Achieved+x.m.Breached+x.m.Pending > 0 {
			fmt.Fprintf(&b, "SLA %s: %s\n", x.name, x.m)
		}
	}
	if r.Uncovered > 0 {
		fmt.Fprintf(&b, "SLA uncovered queries: %d\n", r.Uncovered)
	}
	return b.String()
}

func (r *SLAReport) finish() {
	for _, m := range []*SLAMetric{&r.FirstReply, &r.NextReply, &r.Resolution} {
		if n := m.Achieved + m.Breached; n > 0 {
			m.BreachRate = float64(m.Breached) / float64(n)
		}
	}
}

type targetMeters struct {
	t                                 Targets
	firstReply, nextReply, resolution *meter
}

type slaMeters struct {
	by  map[string]*targetMeters
	def *targetMeters
}

func newTargetMeters(name string, t Targets) (*targetMeters, error) {
	for _, x := range []struct {
		what string
		t    Target
	}{{"FirstReply", t.FirstReply}, {"NextReply", t.NextReply}, {"Resolution", t.Resolution}} {
		if x.t.Within < 0 {
			return nil, fmt.Errorf("responsetime: SLA %s %s target %v is negative: %w", name, x.what, x.t.Within, ErrOutOfRange)
		}
		if err := validate(x.t.Calendar); err != nil {
			return nil, fmt.Errorf("responsetime: SLA %s %s target: %w", name, x.what, err)
		}
	}
	return &targetMeters{t: t, firstReply: newMeter(t.FirstReply.Calendar),
		nextReply: newMeter(t.NextReply.Calendar), resolution: newMeter(t.Resolution.Calendar)}, nil
}

func newSLAMeters(p *Policy) (*slaMeters, error) {
	s := &slaMeters{by: make(map[string]*targetMeters, len(p.ByPriority))}
	for name, t := range p.ByPriority {
		tm, err := newTargetMeters(fmt.Sprintf("priority %q", name), t)
		if err != nil {
			return nil, err
		}
		s.by[name] = tm
	}
	if p.Default != nil {
		tm, err := newTargetMeters("default", *p.Default)
		if err != nil {
			return nil, err
		}
		s.def = tm
	}
	return s, nil
}

// judge classifies one clock: done (end set) or open (read at now when set).
func judge(m *SLAMetric, b Breach, target time.Duration, done bool, d time.Duration, open bool) {
	switch {
	case done && d <= target:
		m.Achieved++
	case done || (open && d > target):
		m.Breached++
		b.Elapsed, b.Target, b.Open = d, target, !done
		m.Breaches = append(m.Breaches, b)
	default:
		m.Pending++
	}
}

func (s *slaMeters) measure(r *SLAReport, q *Query, i int, now time.Time) error {
	tm, ok := s.by[q.Priority]
	if !ok {
		tm = s.def
	}
	if tm == nil {
		r.Uncovered++
		return nil
	}
	b := Breach{Index: i, ID: q.ID, Priority: q.Priority}
	// open reports whether an open clock started at from can be read at now.
	open := func(from time.Time) bool { return !now.IsZero() && !now.Before(from) }
	if w := tm.t.FirstReply.Within; w > 0 {
		done := !q.FirstResponse.IsZero()
		var d time.Duration
		var err error
		switch {
		case done:
			d, err = tm.firstReply.between(q.Received, q.FirstResponse)
		case open(q.Received):
			d, err = tm.firstReply.between(q.Received, now)
		}
		if err != nil {
			return fmt.Errorf("responsetime: %s: SLA first reply: %w", where(q, i), err)
		}
		judge(&r.FirstReply, b, w, done, d, open(q.Received))
	}
	if w := tm.t.NextReply.Within; w > 0 {
		for j, wt := range q.Waits {
			done := !wt.To.IsZero()
			var d time.Duration
			var err error
			switch {
			case done:
				d, err = tm.nextReply.between(wt.From, wt.To)
			case open(wt.From):
				d, err = tm.nextReply.between(wt.From, now)
			}
			if err != nil {
				return fmt.Errorf("responsetime: %s: SLA next reply Waits[%d]: %w", where(q, i), j, err)
			}
			bj := b
			bj.Wait = j
			judge(&r.NextReply, bj, w, done, d, open(wt.From))
		}
	}
	if w := tm.t.Resolution.Within; w > 0 {
		done := !q.Resolved.IsZero()
		var d time.Duration
		var err error
		switch {
		case done:
			d, err = tm.resolution.resolution(q, q.Resolved)
		case open(q.Received):
			d, err = tm.resolution.resolution(q, now)
		}
		if err != nil {
			return fmt.Errorf("responsetime: %s: SLA resolution: %w", where(q, i), err)
		}
		judge(&r.Resolution, b, w, done, d, open(q.Received))
	}
	return nil
}
