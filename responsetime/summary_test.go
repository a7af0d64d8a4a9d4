package responsetime

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cxkit/cxkit"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // a Monday

func minutes(m float64) time.Duration { return time.Duration(m * float64(time.Minute)) }

// tenQueries answered after 5, 10, 15, 20, 30, 45, 60, 90, 120 and 240 minutes, plus two
// unanswered queries.
func tenQueries() []Query {
	mins := []float64{60, 5, 240, 15, 30, 10, 120, 20, 90, 45} // unsorted on purpose
	qs := make([]Query, 0, 12)
	for i, m := range mins {
		qs = append(qs, Query{ID: string(rune('a' + i)), Received: t0.Add(time.Duration(i) * time.Hour),
			FirstResponse: t0.Add(time.Duration(i)*time.Hour + minutes(m))})
	}
	qs = append(qs, Query{ID: "open1", Received: t0}, Query{ID: "open2", Received: t0.Add(time.Hour)})
	return qs
}

// TestSummarizeFirstResponse checks the figures on ten answered and two unanswered queries.
// Reference values, hand-computed:
//   - mean, the seed formula: (5+10+15+20+30+45+60+90+120+240)/10 = 635/10 = 63.5 min;
//   - type-7 percentiles (h = p·(n−1), interpolate; numpy.percentile's default "linear"):
//     median h=4.5 → (30+45)/2 = 37.5; p90 h=8.1 → 120+0.1·120 = 132; p95 h=8.55 → 120+0.55·120 = 186
//     (R 4.2.2 quantile(x, c(.5, .9, .95), type = 7) gives 37.5 132 186);
//   - within a 30-minute target: 5, 10, 15, 20, 30 → 5 of 10.
func TestSummarizeFirstResponse(t *testing.T) {
	s, err := Summarize(tenQueries(), Options{FirstResponseTarget: 30 * time.Minute})
	require.NoError(t, err)
	assert.Equal(t, 12, s.Queries)
	assert.Equal(t, 10, s.Answered)
	assert.Equal(t, 2, s.Unanswered)
	assert.Equal(t, minutes(63.5), s.Mean)
	assert.Equal(t, minutes(37.5), s.Median)
	assert.Equal(t, minutes(132), s.P90)
	assert.Equal(t, minutes(186), s.P95)
	assert.Equal(t, minutes(240), s.Max)
	assert.Equal(t, 5, s.Within)
	assert.InDelta(t, 0.5, s.WithinShare, 1e-12)
	assert.Equal(t, 12, s.Unresolved)
	assert.Equal(t, 0, s.Resolution.Count)
	fr := s.FirstResponse()
	assert.Equal(t, minutes(63.5), fr.Mean)
	assert.Contains(t, s.String(), "mean 1h3m30s, median 37m30s")
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"answered":10`)
}

// TestSummarizeResolution: resolution times by hand. Query A: received 09:00, solved 17:00, paused
// (pending) 11:00–13:00 → 6h; first solved 10:00 (reopened) → 1h. Query B: 09:00 to 12:00 → 3h.
// Query C is unresolved but was solved once at 10:30 → first resolution 1h30m.
func TestSummarizeResolution(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, time.UTC) }
	qs := []Query{
		{ID: "A", Received: at(9, 0), FirstResponse: at(9, 30), FirstResolved: at(10, 0), Resolved: at(17, 0),
			Paused: []Span{{at(11, 0), at(13, 0)}}, Waits: []Span{{at(10, 30), at(11, 0)}, {at(14, 0), time.Time{}}}},
		{ID: "B", Received: at(9, 0), Resolved: at(12, 0)},
		{ID: "C", Received: at(9, 0), FirstResolved: at(10, 30), Paused: []Span{{at(11, 0), time.Time{}}}},
	}
	for _, order := range [][]int{{0, 1, 2}, {1, 2, 0}, {1, 0, 2}} {
		checkResolution(t, []Query{qs[order[0]], qs[order[1]], qs[order[2]]})
	}
}

func checkResolution(t *testing.T, qs []Query) {
	s, err := Summarize(qs, Options{ResolutionTarget: 4 * time.Hour})
	require.NoError(t, err)
	assert.Equal(t, 2, s.Resolved)
	assert.Equal(t, 1, s.Unresolved)
	assert.Equal(t, 1, s.Answered)
	assert.Equal(t, 2, s.Resolution.Count)
	assert.Equal(t, 3*time.Hour, s.Resolution.Min)
	assert.Equal(t, 6*time.Hour, s.Resolution.Max)
	assert.Equal(t, 4*time.Hour+30*time.Minute, s.Resolution.Mean)
	assert.Equal(t, 1, s.Resolution.Within)
	assert.Equal(t, 3, s.FirstResolution.Count)
	assert.Equal(t, time.Hour, s.FirstResolution.Min)
	assert.Equal(t, 3*time.Hour, s.FirstResolution.Max)
	assert.Equal(t, 1, s.NextReply.Count) // the open wait is not measured
	assert.Equal(t, 30*time.Minute, s.NextReply.Mean)
}

func TestSummarizeExclude(t *testing.T) {
	qs := tenQueries()
	qs = append(qs, Query{ID: "spam", Channel: "spam"}) // invalid (no Received) but excluded: not validated
	s, err := Summarize(qs, Options{Exclude: func(q Query) string {
		if q.Channel == "spam" {
			return "spam"
		}
		return ""
	}})
	require.NoError(t, err)
	assert.Equal(t, 13, s.Queries)
	assert.Equal(t, 1, s.Excluded)
	assert.Equal(t, map[string]int{"spam": 1}, s.ExcludedBy)
	assert.Equal(t, 10, s.Answered)
	assert.Contains(t, s.String(), "excluded 1, spam 1")
}

// TestSummarizeBusinessHours: Fri 16:00 EST → Mon 10:00 EST is 2 business hours (see
// TestWorkingTime) and 66 calendar hours.
func TestSummarizeBusinessHours(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	q := []Query{{ID: "w", Received: time.Date(2026, 11, 20, 16, 0, 0, 0, ny), FirstResponse: time.Date(2026, 11, 23, 10, 0, 0, 0, ny)}}
	s, err := Summarize(q, Options{Calendar: usBusiness(t)})
	require.NoError(t, err)
	assert.Equal(t, 2*time.Hour, s.Mean)
	s, err = Summarize(q, Options{})
	require.NoError(t, err)
	assert.Equal(t, 66*time.Hour, s.Mean)
}

func TestSummarizeErrors(t *testing.T) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	tests := []struct {
		name    string
		q       Query
		want    error
		message string
	}{
		{"missing received", Query{ID: "T-1", FirstResponse: at(1)}, ErrInvalid, `query "T-1" (index 1): Received is missing`},
		{"response before query", Query{ID: "T-2", Received: at(2), FirstResponse: at(1)}, ErrOutOfRange, `query "T-2" (index 1): FirstResponse`},
		{"resolved before query", Query{Received: at(2), Resolved: at(1)}, ErrOutOfRange, "query at index 1: Resolved"},
		{"first resolved after resolved", Query{Received: at(0), FirstResolved: at(3), Resolved: at(2)}, ErrOutOfRange, "FirstResolved"},
		{"wait before query", Query{Received: at(2), Waits: []Span{{From: at(1)}}}, ErrOutOfRange, "Waits[0].From"},
		{"wait without start", Query{Received: at(2), Waits: []Span{{To: at(3)}}}, ErrInvalid, "Waits[0].From is missing"},
		{"wait ends before it starts", Query{Received: at(0), Waits: []Span{{at(3), at(2)}}}, ErrOutOfRange, "Waits[0].To"},
		{"pause after resolution", Query{Received: at(0), Resolved: at(2), Paused: []Span{{at(1), at(3)}}}, ErrOutOfRange, "Paused[0]"},
		{"open pause on resolved query", Query{Received: at(0), Resolved: at(2), Paused: []Span{{From: at(1)}}}, ErrInvalid, "Paused[0].To is missing"},
		{"overlapping pauses", Query{Received: at(0), Paused: []Span{{at(1), at(3)}, {at(2), at(4)}}}, ErrInvalid, "Paused[1]"},
		{"pause ends before it starts", Query{Received: at(0), Paused: []Span{{at(3), at(2)}}}, ErrOutOfRange, "Paused[0].To"},
		{"pending before the query", Query{Received: at(2), Pending: []Span{{at(1), at(3)}}}, ErrOutOfRange, "Pending[0]"},
		{"overlapping holds", Query{Received: at(0), OnHold: []Span{{at(1), at(3)}, {at(2), at(4)}}}, ErrInvalid, "OnHold[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qs := []Query{{Received: at(0)}, tc.q}
			_, err := Summarize(qs, Options{})
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.want), "%v", err)
			assert.Contains(t, err.Error(), tc.message)
			var tr Tracker
			require.NoError(t, tr.Add(qs[0]))
			err = tr.Add(tc.q)
			assert.True(t, errors.Is(err, tc.want), "Tracker: %v", err)
			r, err := tr.Result()
			require.NoError(t, err)
			assert.Equal(t, 1, r.Queries, "a rejected query is not counted")
		})
	}
	_, err := Summarize(nil, Options{})
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = Summarize([]Query{{Received: t0}}, Options{FirstResponseTarget: -time.Second})
	assert.ErrorIs(t, err, ErrOutOfRange)
}

// TestSummarizeOverflow: a million queries answered after 100 days each sum to 8.64e21 ns,
// beyond int64; the 128-bit sum keeps the mean exact.
func TestSummarizeOverflow(t *testing.T) {
	var s sum128
	d := 100 * 24 * time.Hour
	for range 1_000_000 {
		s.add(d)
	}
	assert.NotZero(t, s.hi)
	assert.Equal(t, d, s.mean(1_000_000))
}

func TestGroupBy(t *testing.T) {
	qs := tenQueries()
	for i := range qs {
		qs[i].Channel = []string{"email", "chat"}[i%2]
		qs[i].Agent = "ann"
	}
	qs[0].Received = time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC)
	qs[0].FirstResponse = qs[0].Received.Add(time.Hour)
	groups, err := GroupBy(qs, ByChannel, Options{})
	require.NoError(t, err)
	require.Len(t, groups, 2)
	assert.Equal(t, "chat", groups[0].Key)
	assert.Equal(t, "email", groups[1].Key)
	// chat: indices 1,3,5,7,9,11 → 5, 15, 10, 20, 45 answered + open2; mean 19 min
	assert.Equal(t, 6, groups[0].Summary.Queries)
	assert.Equal(t, 5, groups[0].Summary.Answered)
	assert.Equal(t, minutes(19), groups[0].Summary.Mean)
	assert.Equal(t, groups[0].Summary.Queries+groups[1].Summary.Queries, len(qs))

	ny := mustLoc(t, "America/New_York")
	months, err := GroupBy(qs, ByPeriod(cxkit.Month, ny), Options{})
	require.NoError(t, err)
	require.Len(t, months, 2)
	assert.Equal(t, "2026-10", months[0].Key) // 31 Oct 23:30 UTC is 19:30 in New York
	days, err := GroupBy(qs, ByPeriod(cxkit.Day, time.UTC), Options{})
	require.NoError(t, err)
	assert.Equal(t, "2026-10-31", days[0].Key)
	weeks, err := GroupBy(qs, ByPeriod(cxkit.Week, nil), Options{})
	require.NoError(t, err)
	assert.Equal(t, "2026-W44", weeks[0].Key) // ISO week of Sat 31 Oct 2026
	assert.Equal(t, "2026-W48", weeks[1].Key) // ISO week of Mon 23 Nov 2026

	for _, key := range []func(Query) string{ByPriority, ByTeam, ByAgent} {
		g, err := GroupBy(qs, key, Options{})
		require.NoError(t, err)
		assert.Len(t, g, 1)
	}

	bad := append([]Query{}, qs...)
	bad[7].FirstResponse = bad[7].Received.Add(-time.Minute)
	_, err = GroupBy(bad, ByChannel, Options{})
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "index 7"), "%v", err)
	_, err = GroupBy(nil, ByChannel, Options{})
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = GroupBy(qs, nil, Options{}) // a panic before issue 10
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestSummaryFirstResponseCarriesMinAndTarget(t *testing.T) {
	s, err := Summarize(tenQueries(), Options{FirstResponseTarget: 30 * time.Minute})
	require.NoError(t, err)
	// Answered after 5 … 240 minutes: the minimum is 5, and 5, 10, 15, 20, 30 are within 30.
	assert.Equal(t, minutes(5), s.Min)
	assert.Equal(t, 30*time.Minute, s.Target)
	fr := s.FirstResponse()
	assert.Equal(t, minutes(5), fr.Min)
	assert.Equal(t, minutes(240), fr.Max)
	assert.Equal(t, 30*time.Minute, fr.Target)
	assert.Equal(t, 5, fr.Within)
	assert.InDelta(t, 0.5, fr.WithinShare, 1e-12)
	assert.Contains(t, fr.String(), "within 30m0s: 5 (50.0%)")
}
