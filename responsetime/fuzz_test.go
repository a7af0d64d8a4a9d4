package responsetime

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"
)

func sentinel(err error) bool {
	return errors.Is(err, ErrInvalid) || errors.Is(err, ErrOutOfRange) || errors.Is(err, ErrEmpty)
}

// fuzzCalendars are the calendars the fuzz targets measure with: calendar time, business hours
// in New York with US holidays, and a split-shift schedule in Berlin.
func fuzzCalendars(t testing.TB) []Calendar {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(us.Holidays...)
	s := Schedule{Location: mustLoc(t, "Europe/Berlin")}
	for d := time.Monday; d <= time.Saturday; d++ {
		s.Week[d] = []Shift{{0, 2 * time.Hour}, {8 * time.Hour, 12 * time.Hour}, {13 * time.Hour, 24 * time.Hour}}
	}
	return []Calendar{nil, BusinessHours{Calendar: c, Location: mustLoc(t, "America/New_York")}, s}
}

// fuzzQueries turns bytes into queries: 4 bytes per field, a signed offset of up to ±97 days
// (so responses before their query occur) from a base instant; a zero field is a zero time.
func fuzzQueries(data []byte) []Query {
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	field := func() time.Time {
		if len(data) < 4 {
			data = nil
			return time.Time{}
		}
		v := int32(binary.LittleEndian.Uint32(data))
		data = data[4:]
		if v == 0 {
			return time.Time{}
		}
		return base.Add(time.Duration(v>>8) * time.Second)
	}
	var qs []Query
	for len(data) >= 4 && len(qs) < 50 {
		q := Query{Received: field(), FirstResponse: field(), Resolved: field(), Priority: "p"}
		if len(data) > 0 && data[0]%3 == 0 {
			q.FirstResolved = field()
		}
		if len(data) > 0 && data[0]%4 == 1 {
			q.Waits = []Span{{field(), field()}}
		}
		if len(data) > 0 && data[0]%5 == 2 {
			q.Paused = []Span{{field(), field()}}
		}
		if len(data) > 0 && data[0]%6 == 3 {
			q.Pending = []Span{{field(), field()}}
			q.OnHold = []Span{{field(), field()}}
		}
		qs = append(qs, q)
	}
	return qs
}

// FuzzSummarize: no panic; every error wraps a sentinel; a Tracker accepts exactly the inputs
// Summarize accepts and agrees on the exact figures; counts add up; mean lies within min..max.
func FuzzSummarize(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 0, 100, 0, 0, 0, 200, 0, 0, 0})
	f.Add([]byte{100, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0})
	f.Add([]byte("\x10\x00\x00\x00\x20\x00\x01\x00\x30\x00\x02\x00\x05\x00\x00\x00\x11\x00\x00\x00\x40\x00\x00\x00"))
	cals := fuzzCalendars(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		qs := fuzzQueries(data)
		policy := &Policy{Default: &Targets{FirstReply: Target{Within: time.Hour}, NextReply: Target{Within: time.Hour, Calendar: cals[2]},
			Resolution: Target{Within: 8 * time.Hour, Calendar: cals[1]}}}
		for _, c := range cals {
			s, err := Summarize(qs, Options{Calendar: c, SLA: policy, Now: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)})
			tr := Tracker{Calendar: c}
			var terr error
			for _, q := range qs {
				if terr = tr.Add(q); terr != nil {
					break
				}
			}
			if err != nil {
				if !sentinel(err) {
					t.Fatalf("error without sentinel: %v", err)
				}
				if len(qs) > 0 && terr == nil && !errors.Is(err, ErrOutOfRange) {
					t.Fatalf("Summarize failed (%v) but Tracker accepted every query", err)
				}
				continue
			}
			if terr != nil {
				t.Fatalf("Tracker rejected (%v) what Summarize accepted", terr)
			}
			if s.Answered+s.Unanswered+s.Excluded != s.Queries || s.Resolved+s.Unresolved+s.Excluded != s.Queries {
				t.Fatalf("counts do not add up: %+v", s)
			}
			if s.Answered > 0 && (s.Mean > s.Max || s.Median > s.Max || s.P95 > s.Max || s.Mean < 0) {
				t.Fatalf("inconsistent first-response figures: %+v", s)
			}
			r, err := tr.Result()
			if err != nil {
				t.Fatal(err)
			}
			if r.Answered != s.Answered || r.Mean != s.Mean || r.Max != s.Max || r.Resolution.Mean != s.Resolution.Mean {
				t.Fatalf("tracker %+v disagrees with summary %+v", r, s)
			}
		}
	})
}

// FuzzWorkingTime: 0 ≤ W(a, b) ≤ b − a, W(a, c) = W(a, b) + W(b, c), and an error (wrapping
// ErrOutOfRange) exactly when the interval is reversed or too long.
func FuzzWorkingTime(f *testing.F) {
	f.Add(int64(0), int64(3600), int64(1800))
	f.Add(int64(2419200), int64(100000), int64(5))       // around the EU spring change
	f.Add(int64(20476800), int64(7*86400), int64(86400)) // around the EU autumn change
	f.Add(int64(5), int64(-10), int64(1))
	cals := fuzzCalendars(f)[1:]
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, startSec, lenSec, midSec int64) {
		if startSec < -1e10 || startSec > 1e10 || lenSec < -1e9 || lenSec > 1e10 {
			return
		}
		a := base.Add(time.Duration(startSec) * time.Second)
		c := a.Add(time.Duration(lenSec) * time.Second)
		for _, k := range cals {
			w, err := k.WorkingTime(a, c)
			if err != nil {
				if !errors.Is(err, ErrOutOfRange) {
					t.Fatalf("error without ErrOutOfRange: %v", err)
				}
				if !c.Before(a) && c.Sub(a) < 36000*24*time.Hour {
					t.Fatalf("unexpected error for %v .. %v: %v", a, c, err)
				}
				continue
			}
			if c.Before(a) || w < 0 || w > c.Sub(a) {
				t.Fatalf("W(%v, %v) = %v", a, c, w)
			}
			if lenSec > 0 {
				b := a.Add(time.Duration(midSec%lenSec+lenSec) % time.Duration(lenSec) * time.Second)
				w1, err1 := k.WorkingTime(a, b)
				w2, err2 := k.WorkingTime(b, c)
				if err1 != nil || err2 != nil || w1+w2 != w {
					t.Fatalf("not additive at %v: %v + %v != %v (%v, %v)", b, w1, w2, w, err1, err2)
				}
			}
		}
	})
}

// FuzzTrackerUnmarshalBinary: corrupt bytes give an error wrapping ErrInvalid; bytes that decode
// give a tracker whose Result is consistent and that re-encodes to the same bytes.
func FuzzTrackerUnmarshalBinary(f *testing.F) {
	var tr Tracker
	for _, q := range randomQueries(40, 9) {
		if err := tr.Add(q); err != nil {
			f.Fatal(err)
		}
	}
	b, _ := tr.MarshalBinary()
	f.Add(b)
	e, _ := new(Tracker).MarshalBinary()
	f.Add(e)
	f.Add([]byte("RTtr\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var x Tracker
		if err := x.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			return
		}
		again, err := x.MarshalBinary()
		if err != nil || string(again) != string(data) {
			t.Fatalf("decoded bytes do not re-encode identically (%v)", err)
		}
		s, err := x.Result()
		if err != nil {
			if !errors.Is(err, ErrEmpty) {
				t.Fatal(err)
			}
			return
		}
		if s.Answered > s.Queries || s.Resolved > s.Queries || s.Mean > s.Max || s.Median > s.Max || s.Mean < 0 {
			t.Fatalf("inconsistent result %+v", s)
		}
	})
}

// FuzzTrackerUnmarshalJSON: malformed JSON gives an error wrapping ErrInvalid, never a panic.
func FuzzTrackerUnmarshalJSON(f *testing.F) {
	var tr Tracker
	for _, q := range randomQueries(20, 2) {
		_ = tr.Add(q)
	}
	b, _ := json.Marshal(&tr)
	f.Add(b)
	f.Add([]byte(`{"version":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var x Tracker
		if err := x.UnmarshalJSON(data); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			return
		}
		if s, err := x.Result(); err == nil && (s.Answered > s.Queries || s.Mean > s.Max) {
			t.Fatalf("inconsistent result %+v", s)
		}
	})
}

// FuzzConversation: a conversation built from bytes either fails with a sentinel error or
// derives a Query that passes validation.
func FuzzConversation(f *testing.F) {
	f.Add([]byte{0, 1, 1, 5, 2, 1, 9, 1, 1, 3, 4, 3}, true, true)
	f.Add([]byte{0, 2, 1, 0, 1, 0, 2, 2, 1}, false, true)
	statuses := []Status{New, Open, Pending, OnHold, Solved, Closed, "bogus"}
	f.Fuzz(func(t *testing.T, data []byte, byAgent, pending bool) {
		created := time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)
		c := Conversation{ID: "c", Created: created, CreatedByAgent: byAgent}
		at := created
		for len(data) >= 3 {
			step, kind, arg := time.Duration(int8(data[0]))*time.Minute, data[1], data[2]
			data = data[3:]
			at = at.Add(step)
			if kind%2 == 0 {
				c.Messages = append(c.Messages, Message{At: at, Author: Author(arg % 4), Public: kind%4 == 0})
			} else {
				c.Statuses = append(c.Statuses, StatusChange{At: at, Status: statuses[int(arg)%len(statuses)]})
			}
		}
		q, err := c.Query(0, ConversationOptions{ExcludePending: pending, ExcludeOnHold: !pending})
		if err != nil {
			if !sentinel(err) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		if err := q.validate(0); err != nil {
			t.Fatalf("derived query is invalid: %v\n%+v", err, q)
		}
		if _, err := Summarize([]Query{q}, Options{}); err != nil {
			t.Fatalf("derived query does not summarise: %v", err)
		}
	})
}
