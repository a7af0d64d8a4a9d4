package responsetime

import (
	"fmt"
	"time"
)

// Author is who wrote a message of a conversation.
type Author int

// The authors of messages. Bot covers chatbots, triggers, automations, auto-acknowledgements
// and other system messages: none of them stops a reply clock.
const (
	Customer Author = iota + 1 // the requester or another end user
	Agent                      // a person on the support team
	Bot                        // a bot, automation or system message
)

// String names the author.
func (a Author) String() string {
	switch a {
	case Customer:
		return "customer"
	case Agent:
		return "agent"
	case Bot:
		return "bot"
	}
	return fmt.Sprintf("Author(%d)", int(a))
}

// Message is one message of a conversation. Public is false for an internal note.
type Message struct {
	At     time.Time `json:"at"`
	Author Author    `json:"author"`
	Public bool      `json:"public"`
}

// Status is a ticket status, as in Zendesk.
type Status string

// The statuses of a ticket.
const (
	New     Status = "new"
	Open    Status = "open"
	Pending Status = "pending" // waiting on the customer
	OnHold  Status = "hold"    // waiting on a third party
	Solved  Status = "solved"
	Closed  Status = "closed"
)

// StatusChange records that the conversation entered a status at an instant.
type StatusChange struct {
	At     time.Time `json:"at"`
	Status Status    `json:"status"`
}

// Conversation is the message log of one query, for teams that export it: the messages and the
// status changes, each in time order. Query derives the instants that the metrics use.
type Conversation struct {
	ID             string         `json:"id,omitempty"`
	Created        time.Time      `json:"created"`                    // when the ticket was created; required
	CreatedByAgent bool           `json:"created_by_agent,omitempty"` // outbound: opened by an agent
	Channel        string         `json:"channel,omitempty"`
	Priority       string         `json:"priority,omitempty"`
	Team           string         `json:"team,omitempty"`
	Agent          string         `json:"agent,omitempty"`
	Messages       []Message      `json:"messages"`
	Statuses       []StatusChange `json:"statuses,omitempty"`
}

// ConversationOptions chooses which waiting periods stop the resolution clock.
type ConversationOptions struct {
	ExcludePending bool // stop the clock while the ticket is pending (waiting on the customer)
	ExcludeOnHold  bool // stop the clock while the ticket is on hold (waiting on a third party)
}

// Query derives a Query from the conversation the way Zendesk defines its metrics:
//
//   - Received is Created.
//   - FirstResponse is the first public agent message. Bot messages and internal notes do not
//     count. For a ticket created by an agent whose first message is a public agent message (the
//     outbound message that opened it), FirstResponse is the next public agent message.
//   - Waits: after the first response, each public customer message that arrives while no wait
//     is open starts one (the oldest unanswered customer message); the next public agent
//     message ends it.
//   - FirstResolved is the first change to Solved (or Closed without a solve); Resolved is the
//     last one, provided the conversation is still solved or closed at the end of the log —
//     a conversation reopened since is unresolved, with FirstResolved set.
//   - Pending and OnHold hold the periods spent in those statuses; Paused holds the periods in
//     Pending or OnHold (merged where one follows the other), as opts selects.
//
// Messages and statuses must be in time order and not before Created; authors and statuses must
// be known. Errors name the conversation (ID and index i, the position to report) and the
// offending element, and wrap ErrInvalid or ErrOutOfRange. A conversation whose first public
// reply comes after its final solve (answered only once already resolved, never reopened) is
// an error wrapping ErrOutOfRange: its resolution cannot precede its first response. A first
// solve before the first reply (solved, reopened, answered) is fine.
func (c Conversation) Query(i int, opts ConversationOptions) (Query, error) {
	q := Query{ID: c.ID, Received: c.Created, Channel: c.Channel, Priority: c.Priority, Team: c.Team,
		Agent: c.Agent, CreatedByAgent: c.CreatedByAgent}
	name := func() string {
		if c.ID != "" {
			return fmt.Sprintf("conversation %q (index %d)", c.ID, i)
		}
		return fmt.Sprintf("conversation at index %d", i)
	}
	if c.Created.IsZero() {
		return Query{}, fmt.Errorf("responsetime: %s: Created is missing: %w", name(), ErrInvalid)
	}
	prev := c.Created
	for j, m := range c.Messages {
		if m.At.IsZero() {
			return Query{}, fmt.Errorf("responsetime: %s: Messages[%d].At is missing: %w", name(), j, ErrInvalid)
		}
		if m.At.Before(prev) {
			return Query{}, fmt.Errorf("responsetime: %s: Messages[%d] at %s is before %s (creation or the previous message): %w",
				name(), j, ts(m.At), ts(prev), ErrOutOfRange)
		}
		if m.Author < Customer || m.Author > Bot {
			return Query{}, fmt.Errorf("responsetime: %s: Messages[%d] has unknown author %d: %w", name(), j, int(m.Author), ErrInvalid)
		}
		prev = m.At
	}
	prev = c.Created
	for j, s := range c.Statuses {
		if s.At.IsZero() {
			return Query{}, fmt.Errorf("responsetime: %s: Statuses[%d].At is missing: %w", name(), j, ErrInvalid)
		}
		if s.At.Before(prev) {
			return Query{}, fmt.Errorf("responsetime: %s: Statuses[%d] at %s is before %s (creation or the previous change): %w",
				name(), j, ts(s.At), ts(prev), ErrOutOfRange)
		}
		switch s.Status {
		case New, Open, Pending, OnHold, Solved, Closed:
		default:
			return Query{}, fmt.Errorf("responsetime: %s: Statuses[%d] has unknown status %q: %w", name(), j, s.Status, ErrInvalid)
		}
		prev = s.At
	}

	// Replies.
	skip := c.CreatedByAgent && len(c.Messages) > 0 && c.Messages[0].Author == Agent && c.Messages[0].Public
	waiting := -1 // index in q.Waits of the open wait
	for j, m := range c.Messages {
		if !m.Public || m.Author == Bot {
			continue
		}
		switch {
		case m.Author == Agent && j == 0 && skip:
			// the outbound message that opened the ticket
		case m.Author == Agent && q.FirstResponse.IsZero():
			q.FirstResponse = m.At
		case m.Author == Agent && waiting >= 0:
			q.Waits[waiting].To = m.At
			waiting = -1
		case m.Author == Customer && !q.FirstResponse.IsZero() && waiting < 0:
			q.Waits = append(q.Waits, Span{From: m.At})
			waiting = len(q.Waits) - 1
		}
	}

	// Resolution and pauses.
	var pauseFrom time.Time
	for _, s := range c.Statuses {
		paused := (s.Status == Pending && opts.ExcludePending) || (s.Status == OnHold && opts.ExcludeOnHold)
		switch {
		case paused && pauseFrom.IsZero():
			pauseFrom = s.At
		case !paused && !pauseFrom.IsZero():
			if s.At.After(pauseFrom) {
				q.Paused = append(q.Paused, Span{From: pauseFrom, To: s.At})
			}
			pauseFrom = time.Time{}
		}
		if s.Status == Solved || s.Status == Closed {
			if q.FirstResolved.IsZero() {
				q.FirstResolved = s.At
			}
		}
	}
	last := Status("")
	if n := len(c.Statuses); n > 0 {
		last = c.Statuses[n-1].Status
	}
	if last != Solved && last != Closed {
		if !pauseFrom.IsZero() {
			q.Paused = append(q.Paused, Span{From: pauseFrom}) // still paused
		}
	} else {
		// Resolved is the start of the final solved/closed run; drop pauses after it.
		q.Resolved = finalSolve(c.Statuses)
		kept := q.Paused[:0]
		for _, p := range q.Paused {
			if !p.To.After(q.Resolved) {
				kept = append(kept, p)
			}
		}
		q.Paused = kept
	}
	q.Pending = periodsIn(c.Statuses, Pending)
	q.OnHold = periodsIn(c.Statuses, OnHold)
	if q.Resolved.Equal(q.FirstResolved) {
		q.FirstResolved = time.Time{}
	}
	if !q.Resolved.IsZero() && !q.FirstResponse.IsZero() && q.Resolved.Before(q.FirstResponse) {
		// The first public reply came after the final solve, without a reopening: the log
		// does not say whether the ticket was answered before it was resolved.
		return Query{}, fmt.Errorf("responsetime: conversation %q: first public reply %s comes after the final solve %s: %w",
			c.ID, ts(q.FirstResponse), ts(q.Resolved), ErrOutOfRange)
	}
	return q, nil
}

// periodsIn returns the periods the conversation spent in status st; the last one is open
// (zero To) if the log ends in st.
func periodsIn(ss []StatusChange, st Status) []Span {
	var out []Span
	var from time.Time
	for _, s := range ss {
		switch {
		case s.Status == st && from.IsZero():
			from = s.At
		case s.Status != st && !from.IsZero():
			if s.At.After(from) {
				out = append(out, Span{From: from, To: s.At})
			}
			from = time.Time{}
		}
	}
	if !from.IsZero() {
		out = append(out, Span{From: from})
	}
	return out
}

// finalSolve is the instant the conversation entered its final run of Solved/Closed statuses
// (a Closed after a Solved does not move the resolution).
func finalSolve(ss []StatusChange) time.Time {
	k := len(ss) - 1
	for k > 0 && (ss[k-1].Status == Solved || ss[k-1].Status == Closed) {
		k--
	}
	return ss[k].At
}
