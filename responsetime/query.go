package responsetime

import (
	"fmt"
	"time"
)

// Query is one customer query (a ticket, conversation or case) with the instants that support
// teams measure. A zero time.Time means "not yet": a zero FirstResponse is an unanswered query,
// a zero Resolved an unresolved one. Received is required; FirstResponse, FirstResolved and
// Resolved must not be before it, and a query answered and resolved must not be resolved
// before its first response (a query resolved without any response is allowed).
//
// The grouping fields (Channel, Priority, Team, Agent) are free text; GroupBy and the SLA
// Policy (by Priority) use them as given, so normalise their spelling before summarising.
type Query struct {
	ID             string    `json:"id,omitempty"`               // optional; named in errors and breaches
	Received       time.Time `json:"received"`                   // when the query arrived (ticket created)
	FirstResponse  time.Time `json:"first_response,omitzero"`    // first public reply by a person; zero = unanswered
	FirstResolved  time.Time `json:"first_resolved,omitzero"`    // first time solved, if reopened since; zero = same as Resolved
	Resolved       time.Time `json:"resolved,omitzero"`          // last time solved (full resolution); zero = unresolved
	Channel        string    `json:"channel,omitempty"`          // e.g. "email", "chat", "phone"
	Priority       string    `json:"priority,omitempty"`         // e.g. "low", "normal", "high", "urgent"
	Team           string    `json:"team,omitempty"`             // group or queue
	Agent          string    `json:"agent,omitempty"`            // assignee
	Waits          []Span    `json:"waits,omitempty"`            // next-reply waits after the first reply; To zero = still waiting
	Paused         []Span    `json:"paused,omitempty"`           // intervals excluded from resolution time (pending, on hold)
	Pending        []Span    `json:"pending,omitempty"`          // periods in status pending (Zendesk's agent wait time)
	OnHold         []Span    `json:"on_hold,omitempty"`          // periods in status on-hold (Zendesk's on-hold time)
	CreatedByAgent bool      `json:"created_by_agent,omitempty"` // informational: the ticket was opened by an agent (outbound)
}

// Span is an interval of time [From, To). In Query.Waits, From is a customer message that
// waits for a reply and To the next public agent reply (zero while still waiting). In
// Query.Paused, the resolution clock is stopped from From to To; the last pause of an unresolved
// query may have a zero To (still paused). Pauses must be in time order, not overlapping, and
// within Received .. Resolved. Query.Pending and Query.OnHold follow the same rules; they
// record the status periods for the wait-time figures and stop no clock by themselves.
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitzero"`
}

// where names a query in errors: its ID if it has one, and always its index.
func where(q *Query, i int) string {
	if q.ID != "" {
		return fmt.Sprintf("query %q (index %d)", q.ID, i)
	}
	return fmt.Sprintf("query at index %d", i)
}

func ts(t time.Time) string { return t.Format(time.RFC3339) }

// validate checks the fields of query i.
func (q *Query) validate(i int) error {
	if q.Received.IsZero() {
		return fmt.Errorf("responsetime: %s: Received is missing: %w", where(q, i), ErrInvalid)
	}
	if !q.FirstResponse.IsZero() && q.FirstResponse.Before(q.Received) {
		return fmt.Errorf("responsetime: %s: FirstResponse %s is before Received %s: %w",
			where(q, i), ts(q.FirstResponse), ts(q.Received), ErrOutOfRange)
	}
	if !q.Resolved.IsZero() && q.Resolved.Before(q.Received) {
		return fmt.Errorf("responsetime: %s: Resolved %s is before Received %s: %w",
			where(q, i), ts(q.Resolved), ts(q.Received), ErrOutOfRange)
	}
	if !q.Resolved.IsZero() && !q.FirstResponse.IsZero() && q.Resolved.Before(q.FirstResponse) {
		return fmt.Errorf("responsetime: %s: Resolved %s is before FirstResponse %s: %w",
			where(q, i), ts(q.Resolved), ts(q.FirstResponse), ErrOutOfRange)
	}
	// FirstResolved may precede FirstResponse: a ticket solved once without a public reply
	// (by automation, or closed as a duplicate), then reopened by the customer and answered.
	// The final Resolved may not: a resolution before the first reply is a data error.
	if !q.FirstResolved.IsZero() {
		if q.FirstResolved.Before(q.Received) || (!q.Resolved.IsZero() && q.FirstResolved.After(q.Resolved)) {
			return fmt.Errorf("responsetime: %s: FirstResolved %s is outside Received %s .. Resolved %s: %w",
				where(q, i), ts(q.FirstResolved), ts(q.Received), ts(q.Resolved), ErrOutOfRange)
		}
	}
	for j, w := range q.Waits {
		if w.From.IsZero() {
			return fmt.Errorf("responsetime: %s: Waits[%d].From is missing: %w", where(q, i), j, ErrInvalid)
		}
		if w.From.Before(q.Received) {
			return fmt.Errorf("responsetime: %s: Waits[%d].From %s is before Received %s: %w",
				where(q, i), j, ts(w.From), ts(q.Received), ErrOutOfRange)
		}
		if !w.To.IsZero() && w.To.Before(w.From) {
			return fmt.Errorf("responsetime: %s: Waits[%d].To %s is before its From %s: %w",
				where(q, i), j, ts(w.To), ts(w.From), ErrOutOfRange)
		}
	}
	for _, l := range []struct {
		name  string
		spans []Span
	}{{"Paused", q.Paused}, {"Pending", q.Pending}, {"OnHold", q.OnHold}} {
		if err := q.validatePeriods(i, l.name, l.spans); err != nil {
			return err
		}
	}
	return nil
}

// validatePeriods checks a list of status periods (Paused, Pending or OnHold).
func (q *Query) validatePeriods(i int, name string, spans []Span) error {
	for j, p := range spans {
		if p.From.IsZero() {
			return fmt.Errorf("responsetime: %s: %s[%d].From is missing: %w", where(q, i), name, j, ErrInvalid)
		}
		if p.To.IsZero() && (j != len(spans)-1 || !q.Resolved.IsZero()) {
			return fmt.Errorf("responsetime: %s: %s[%d].To is missing, allowed only for the last period of an unresolved query: %w",
				where(q, i), name, j, ErrInvalid)
		}
		if !p.To.IsZero() && p.To.Before(p.From) {
			return fmt.Errorf("responsetime: %s: %s[%d].To %s is before its From %s: %w",
				where(q, i), name, j, ts(p.To), ts(p.From), ErrOutOfRange)
		}
		if p.From.Before(q.Received) || (!q.Resolved.IsZero() && p.To.After(q.Resolved)) {
			return fmt.Errorf("responsetime: %s: %s[%d] %s .. %s is outside Received %s .. Resolved: %w",
				where(q, i), name, j, ts(p.From), ts(p.To), ts(q.Received), ErrOutOfRange)
		}
		if j > 0 && p.From.Before(spans[j-1].To) {
			return fmt.Errorf("responsetime: %s: %s[%d] starts at %s, before %s[%d] ends at %s: %w",
				where(q, i), name, j, ts(p.From), name, j-1, ts(spans[j-1].To), ErrInvalid)
		}
	}
	return nil
}

// meter measures elapsed time by one calendar, caching the working intervals of each local day
// it has seen (for the calendars of this package).
type meter struct {
	c    Calendar
	memo map[int64][]span
}

func newMeter(c Calendar) *meter {
	m := &meter{c: c}
	if _, ok := c.(dayer); ok {
		m.memo = make(map[int64][]span)
	}
	return m
}

func (m *meter) between(a, b time.Time) (time.Duration, error) { return elapsed(m.c, a, b, m.memo) }

// resolution is the time from Received to end less the paused time (each pause clipped to end).
func (m *meter) resolution(q *Query, end time.Time) (time.Duration, error) {
	d, err := m.between(q.Received, end)
	if err != nil {
		return 0, err
	}
	p, err := m.periods(q.Paused, end)
	return d - p, err
}

// periods is the total time of the spans up to end (each clipped to end; an open one runs to end).
func (m *meter) periods(spans []Span, end time.Time) (time.Duration, error) {
	var d time.Duration
	for _, p := range spans {
		if !p.From.Before(end) {
			break
		}
		to := p.To
		if to.IsZero() || to.After(end) {
			to = end
		}
		pd, err := m.between(p.From, to)
		if err != nil {
			return 0, err
		}
		d += pd
	}
	return d, nil
}

// measured holds the durations of one valid query.
type measured struct {
	first, resolution, firstResolution  time.Duration
	calendarResolution, pending, onHold time.Duration // to Resolved: without subtracting Paused; in Pending; in OnHold
	answered, resolved, firstResolved   bool
}

func (m *meter) measure(q *Query, i int) (measured, error) {
	var r measured
	var err error
	if !q.FirstResponse.IsZero() {
		r.answered = true
		if r.first, err = m.between(q.Received, q.FirstResponse); err != nil {
			return r, fmt.Errorf("responsetime: %s: first response: %w", where(q, i), err)
		}
	}
	if !q.Resolved.IsZero() {
		r.resolved = true
		if r.resolution, err = m.resolution(q, q.Resolved); err != nil {
			return r, fmt.Errorf("responsetime: %s: resolution: %w", where(q, i), err)
		}
		r.firstResolution, r.firstResolved = r.resolution, true
		r.calendarResolution = r.resolution
		if len(q.Paused) > 0 {
			r.calendarResolution, err = m.between(q.Received, q.Resolved)
		}
		if err == nil {
			if r.pending, err = m.periods(q.Pending, q.Resolved); err == nil {
				r.onHold, err = m.periods(q.OnHold, q.Resolved)
			}
		}
		if err != nil {
			return r, fmt.Errorf("responsetime: %s: wait times: %w", where(q, i), err)
		}
	}
	if !q.FirstResolved.IsZero() {
		r.firstResolved = true
		if r.firstResolution, err = m.resolution(q, q.FirstResolved); err != nil {
			return r, fmt.Errorf("responsetime: %s: first resolution: %w", where(q, i), err)
		}
	}
	return r, nil
}
