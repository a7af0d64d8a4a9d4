package csvload

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/ces"
	"github.com/cxkit/cxkit/churn"
	"github.com/cxkit/cxkit/clv"
	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/responsetime"
)

// NoAnswer is the rating of a question left unanswered (an empty cell or an absent column).
const NoAnswer = -1

// SurveyLayout is the layout of survey responses (survey.csv).
var SurveyLayout = Layout{
	Kind: "survey responses", File: "survey.csv",
	Columns: []Column{
		{"response_id", true, "identifies the response; named in errors"},
		{"date", true, "when it was answered: YYYY-MM-DD or an RFC 3339 instant"},
		{"customer", false, "customer ID, linking answers to other files"},
		{"channel", false, "channel the survey came through (email, web, ...)"},
		{"segment", false, "customer segment"},
		{"persona", false, "persona ID of the journey map"},
		{"touchpoint", false, "touchpoint ID of the journey map"},
		{"nps", false, "likelihood to recommend 0..10; empty: not answered"},
		{"csat", false, "satisfaction on the CSAT scale (default 1..5); empty: not answered"},
		{"ces", false, "effort/ease on the CES scale (default CES 2.0, 1..7); empty: not answered"},
	},
	Example: "response_id,date,channel,segment,nps,csat,ces\nR00001,2026-01-11,email,smb,9,4,6",
}

// SurveyOptions are the scales survey ratings are checked against.
type SurveyOptions struct {
	Options
	CSATScale csat.Scale // zero: csat.FivePoint
	CESScale  ces.Scale  // zero: ces.SevenPoint (CES 2.0)
}

// Response is one survey response. A rating is NoAnswer when the question was not answered.
type Response struct {
	ID, Customer, Channel, Segment, Persona, Touchpoint string
	Time                                                time.Time
	NPS, CSAT, CES                                      int
}

// ReadSurvey streams survey responses from r to fn; ratings are checked against 0..10 (NPS)
// and the scales of opt. A row answering no question is bad ("no rating").
func ReadSurvey(r io.Reader, opt SurveyOptions, fn func(Response) error) (Summary, error) {
	cs, es := opt.CSATScale, opt.CESScale
	if cs == (csat.Scale{}) {
		cs = csat.FivePoint
	}
	if es == (ces.Scale{}) {
		es = ces.SevenPoint
	}
	if err := cs.Check(); err != nil {
		return Summary{File: opt.file()}, err
	}
	if err := es.Check(); err != nil {
		return Summary{File: opt.file()}, err
	}
	return read(r, SurveyLayout, opt.Options, func(w *row) (Response, time.Time, *RowError) {
		var x Response
		var bad *RowError
		if x.ID, bad = w.required("response_id"); bad != nil {
			return x, time.Time{}, bad
		}
		d, bad := w.required("date")
		if bad != nil {
			return x, time.Time{}, bad
		}
		if x.Time, bad = w.date("date", d); bad != nil {
			return x, time.Time{}, bad
		}
		x.Customer, _ = w.get("customer")
		x.Channel, _ = w.get("channel")
		x.Segment, _ = w.get("segment")
		x.Persona, _ = w.get("persona")
		x.Touchpoint, _ = w.get("touchpoint")
		answered := false
		for _, q := range []struct {
			col    string
			lo, hi int
			dst    *int
		}{{"nps", 0, 10, &x.NPS}, {"csat", cs.Min, cs.Max, &x.CSAT}, {"ces", es.Min, es.Max, &x.CES}} {
			*q.dst = NoAnswer
			v, _ := w.get(q.col)
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return x, time.Time{}, w.bad(q.col, v, q.col+" rating is not a whole number", cxkit.ErrInvalid)
			}
			if n < q.lo || n > q.hi {
				return x, time.Time{}, w.bad(q.col, v, fmt.Sprintf("%s rating off %d..%d", q.col, q.lo, q.hi), cxkit.ErrOutOfRange)
			}
			*q.dst, answered = n, true
		}
		if !answered {
			return x, time.Time{}, w.bad("", "", "no rating", cxkit.ErrInvalid)
		}
		return x, x.Time, nil
	}, fn)
}

// LoadSurvey is ReadSurvey into a slice.
func LoadSurvey(r io.Reader, opt SurveyOptions) ([]Response, Summary, error) {
	return collect(func(fn func(Response) error) (Summary, error) { return ReadSurvey(r, opt, fn) })
}

// TicketsLayout is the layout of support tickets (tickets.csv).
var TicketsLayout = Layout{
	Kind: "support tickets", File: "tickets.csv",
	Columns: []Column{
		{"id", true, "ticket ID"},
		{"received", true, "when the query arrived: RFC 3339"},
		{"first_response", false, "first reply by a person; empty: unanswered"},
		{"resolved", false, "when solved; empty: open"},
		{"channel", false, "email, chat, phone, web, ..."},
		{"priority", false, "low, normal, high, urgent (SLA targets by priority)"},
		{"team", false, "group or queue"},
		{"agent", false, "assignee"},
		{"customer", false, "customer ID"},
		{"touchpoint", false, "touchpoint ID of the journey map"},
		{"persona", false, "persona ID of the journey map"},
	},
	Example: "id,channel,priority,team,received,first_response,resolved\nT-10001,email,low,billing,2026-05-27T18:23:00Z,2026-05-27T21:47:45Z,2026-05-29T18:03:45Z",
}

// Ticket is one support ticket: its responsetime.Query and the journey columns.
type Ticket struct {
	responsetime.Query
	Customer, Touchpoint, Persona string
}

// ReadTickets streams tickets from r to fn. A reply or resolution before the query arrived is
// a bad row.
func ReadTickets(r io.Reader, opt Options, fn func(Ticket) error) (Summary, error) {
	return read(r, TicketsLayout, opt, func(w *row) (Ticket, time.Time, *RowError) {
		var t Ticket
		var bad *RowError
		if t.ID, bad = w.required("id"); bad != nil {
			return t, time.Time{}, bad
		}
		rc, bad := w.required("received")
		if bad != nil {
			return t, time.Time{}, bad
		}
		if t.Received, bad = w.instant("received", rc); bad != nil {
			return t, time.Time{}, bad
		}
		latest := t.Received
		for _, c := range []struct {
			col string
			dst *time.Time
		}{{"first_response", &t.FirstResponse}, {"resolved", &t.Resolved}} {
			v, _ := w.get(c.col)
			if v == "" {
				continue
			}
			if *c.dst, bad = w.instant(c.col, v); bad != nil {
				return t, time.Time{}, bad
			}
			if c.dst.Before(t.Received) {
				return t, time.Time{}, w.bad(c.col, v, c.col+" before received", cxkit.ErrOutOfRange)
			}
			if c.dst.After(latest) {
				latest = *c.dst
			}
		}
		t.Channel, _ = w.get("channel")
		t.Priority, _ = w.get("priority")
		t.Team, _ = w.get("team")
		t.Agent, _ = w.get("agent")
		t.Customer, _ = w.get("customer")
		t.Touchpoint, _ = w.get("touchpoint")
		t.Persona, _ = w.get("persona")
		return t, latest, nil
	}, fn)
}

// LoadTickets is ReadTickets into a slice.
func LoadTickets(r io.Reader, opt Options) ([]Ticket, Summary, error) {
	return collect(func(fn func(Ticket) error) (Summary, error) { return ReadTickets(r, opt, fn) })
}

// Queries returns the tickets' responsetime queries.
func Queries(ts []Ticket) []responsetime.Query {
	out := make([]responsetime.Query, len(ts))
	for i, t := range ts {
		out[i] = t.Query
	}
	return out
}

// SubscriptionsLayout is the layout of subscriptions (subscriptions.csv).
var SubscriptionsLayout = Layout{
	Kind: "subscriptions", File: "subscriptions.csv",
	Columns: []Column{
		{"customer", true, "customer ID"},
		{"start", true, "when the subscription began: YYYY-MM-DD or RFC 3339"},
		{"end", false, "when it ended; empty: still active"},
		{"segment", false, "customer segment (survival curves by segment)"},
		{"plan", false, "plan"},
		{"persona", false, "persona ID of the journey map"},
	},
	Example: "customer,segment,plan,start,end\nC0002,enterprise,premium,2025-10-12,2026-03-02",
}

// Subscription is one subscription: a churn.Subscription and its grouping columns.
type Subscription struct {
	churn.Subscription
	Segment, Plan, Persona string
}

// Subject is the subscription as a churn.Subject in units of unit, censored at asOf when
// still active (or ended after asOf).
func (s Subscription) Subject(asOf time.Time, unit time.Duration) (churn.Subject, error) {
	end, churned := asOf, !s.End.IsZero() && !s.End.After(asOf)
	if churned {
		end = s.End
	}
	return churn.NewSubject(s.Start, end, churned, unit)
}

// ReadSubscriptions streams subscriptions from r to fn. An end before the start is a bad row.
func ReadSubscriptions(r io.Reader, opt Options, fn func(Subscription) error) (Summary, error) {
	return read(r, SubscriptionsLayout, opt, func(w *row) (Subscription, time.Time, *RowError) {
		var s Subscription
		var bad *RowError
		if s.Customer, bad = w.required("customer"); bad != nil {
			return s, time.Time{}, bad
		}
		v, bad := w.required("start")
		if bad != nil {
			return s, time.Time{}, bad
		}
		if s.Start, bad = w.date("start", v); bad != nil {
			return s, time.Time{}, bad
		}
		latest := s.Start
		if v, _ = w.get("end"); v != "" {
			if s.End, bad = w.date("end", v); bad != nil {
				return s, time.Time{}, bad
			}
			if s.End.Before(s.Start) {
				return s, time.Time{}, w.bad("end", v, "end before start", cxkit.ErrOutOfRange)
			}
			latest = s.End
		}
		s.Segment, _ = w.get("segment")
		s.Plan, _ = w.get("plan")
		s.Persona, _ = w.get("persona")
		return s, latest, nil
	}, fn)
}

// LoadSubscriptions is ReadSubscriptions into a slice.
func LoadSubscriptions(r io.Reader, opt Options) ([]Subscription, Summary, error) {
	return collect(func(fn func(Subscription) error) (Summary, error) { return ReadSubscriptions(r, opt, fn) })
}

// TransactionsLayout is the layout of purchases (transactions.csv).
var TransactionsLayout = Layout{
	Kind: "transactions", File: "transactions.csv",
	Columns: []Column{
		{"customer", true, "customer ID"},
		{"date", true, "purchase date: YYYY-MM-DD or RFC 3339"},
		{"amount", true, "its value, a finite number ≥ 0"},
	},
	Example: "customer,date,amount\nU0002,2025-04-15,4.31",
}

// ReadTransactions streams purchases from r to fn as clv.Transaction values. A negative,
// NaN or infinite amount is a bad row.
func ReadTransactions(r io.Reader, opt Options, fn func(clv.Transaction) error) (Summary, error) {
	return read(r, TransactionsLayout, opt, func(w *row) (clv.Transaction, time.Time, *RowError) {
		var t clv.Transaction
		var bad *RowError
		if t.Customer, bad = w.required("customer"); bad != nil {
			return t, time.Time{}, bad
		}
		v, bad := w.required("date")
		if bad != nil {
			return t, time.Time{}, bad
		}
		if t.Time, bad = w.date("date", v); bad != nil {
			return t, time.Time{}, bad
		}
		if v, bad = w.required("amount"); bad != nil {
			return t, time.Time{}, bad
		}
		a, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(a) || math.IsInf(a, 0) {
			return t, time.Time{}, w.bad("amount", v, "amount is not a finite number", cxkit.ErrInvalid)
		}
		if a < 0 {
			return t, time.Time{}, w.bad("amount", v, "amount is negative", cxkit.ErrOutOfRange)
		}
		t.Amount = a
		return t, t.Time, nil
	}, fn)
}

// LoadTransactions is ReadTransactions into a slice.
func LoadTransactions(r io.Reader, opt Options) ([]clv.Transaction, Summary, error) {
	return collect(func(fn func(clv.Transaction) error) (Summary, error) { return ReadTransactions(r, opt, fn) })
}
