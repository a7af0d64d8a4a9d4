package responsetime

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hotPathAgrees adds q to a (through Add, hence the hot path when q qualifies) and to b
// (through the full path only) and checks that both give the same error text and the same
// figures. a and b must hold the same figures before the call.
func hotPathAgrees(t *testing.T, a, b *Tracker, q Query, name string) {
	t.Helper()
	errA := a.Add(q)
	errB := b.add(&q)
	if errB == nil {
		assert.NoError(t, errA, name)
	} else if assert.Error(t, errA, name) {
		assert.Equal(t, errB.Error(), errA.Error(), name)
	}
	require.Equal(t, b.state(), a.state(), name)
	ra, errA := a.Result()
	rb, errB := b.Result()
	require.Equal(t, errB, errA, name)
	require.Equal(t, rb, ra, name)
}

// widen adds the same queries to a and b so that both tallies have seen 0, 1 ns and 200 years:
// every valid duration of the hot path then lies within their minimum and maximum and has its
// bin in their arrays, so the hot path counts it in place rather than handing it on.
func widen(t *testing.T, a, b *Tracker) {
	t.Helper()
	base := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range []time.Duration{0, 1, 200 * 365 * 24 * time.Hour} {
		w := Query{Received: base, FirstResponse: base.Add(d), Resolved: base.Add(d)}
		require.NoError(t, a.Add(w))
		require.NoError(t, b.Add(w))
	}
}

// TestTrackerHotPathIsTheFullPath: every query the hot path of Add takes gives exactly the
// figures (and every error the same message) as the full validation and calendar path, for
// the edge cases of the hot path's tests: monotonic clock readings, zero instants with a
// location, zero and 1 ns durations, resolution before the first response, durations near the
// 285-year limit of the hot path and the 292-year limit of a time.Duration, other locations.
func TestTrackerHotPathIsTheFullPath(t *testing.T) {
	base := time.Date(2026, 3, 29, 0, 30, 0, 123456789, time.UTC)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	now := time.Now() // carries a monotonic clock reading
	year := 365 * 24 * time.Hour
	zeroIn := time.Time{}.In(paris) // IsZero, but not == time.Time{}
	cases := map[string]Query{
		"unanswered":                    {Received: base},
		"answered":                      {Received: base, FirstResponse: base.Add(time.Hour)},
		"resolved":                      {Received: base, Resolved: base.Add(time.Hour)},
		"answered and resolved":         {Received: base, FirstResponse: base.Add(time.Hour), Resolved: base.Add(2 * time.Hour)},
		"zero durations":                {Received: base, FirstResponse: base, Resolved: base},
		"1 ns":                          {Received: base, FirstResponse: base.Add(1), Resolved: base.Add(1)},
		"answer 1 ns early":             {ID: "x", Received: base, FirstResponse: base.Add(-1)},
		"answer 1 s early":              {Received: base, FirstResponse: base.Add(-time.Second)},
		"answer 1 s 1 ns early":         {Received: base, FirstResponse: base.Add(-time.Second - 1)},
		"resolve 1 ns early":            {Received: base, Resolved: base.Add(-1)},
		"resolved before answer":        {Received: base, FirstResponse: base.Add(time.Hour), Resolved: base.Add(time.Hour - 1)},
		"resolved early, answered":      {Received: base, FirstResponse: base.Add(time.Hour), Resolved: base.Add(-1)},
		"answered early, resolved":      {Received: base, FirstResponse: base.Add(-1), Resolved: base.Add(time.Hour)},
		"no Received":                   {FirstResponse: base},
		"no Received, unanswered":       {},
		"zero Received in Paris":        {Received: zeroIn},
		"zero answer in Paris":          {Received: base, FirstResponse: zeroIn},
		"zero resolution in Paris":      {Received: base, Resolved: zeroIn, FirstResponse: base.Add(time.Hour)},
		"Paris":                         {Received: base.In(paris), FirstResponse: base.Add(time.Hour).In(paris), Resolved: base.Add(25 * time.Hour)},
		"Local":                         {Received: base.Local(), FirstResponse: base.Add(time.Minute)},
		"monotonic Received":            {Received: now, FirstResponse: now.Add(time.Hour), Resolved: now.Add(2 * time.Hour)},
		"monotonic answer":              {Received: now.Round(0), FirstResponse: now.Add(time.Hour)},
		"monotonic answer, resolution":  {Received: now.Round(0), FirstResponse: now.Add(time.Hour), Resolved: now.Add(2 * time.Hour)},
		"monotonic, resolved early":     {Received: now.Round(0), FirstResponse: now.Add(time.Hour), Resolved: now.Add(time.Hour - 1)},
		"monotonic resolution":          {Received: now.Round(0), FirstResponse: now.Add(time.Hour).Round(0), Resolved: now.Add(2 * time.Hour)},
		"284 years":                     {Received: base, FirstResponse: base.Add(284 * year), Resolved: base.Add(284*year + 1)},
		"285 years":                     {Received: base, FirstResponse: base.Add(9e9 * time.Second), Resolved: base.Add(9e9*time.Second - 1)},
		"290 years":                     {Received: base, FirstResponse: base.Add(290 * year)},
		"past time.Duration":            {Received: base, FirstResponse: base.AddDate(300, 0, 0)},
		"resolution past time.Duration": {Received: base, FirstResponse: base.Add(time.Hour), Resolved: base.AddDate(300, 0, 0)},
		"long ago":                      {Received: time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC), FirstResponse: base},
		"FirstResolved":                 {Received: base, FirstResolved: base.Add(time.Hour), Resolved: base.Add(2 * time.Hour)},
		"waits":                         {Received: base, FirstResponse: base.Add(time.Hour), Waits: []Span{{From: base.Add(2 * time.Hour), To: base.Add(3 * time.Hour)}}},
		"paused":                        {Received: base, Resolved: base.Add(3 * time.Hour), Paused: []Span{{From: base.Add(time.Hour), To: base.Add(2 * time.Hour)}}},
	}
	for name, q := range cases {
		for warm := range 3 {
			var a, b Tracker
			switch warm {
			case 1: // the hot path needs an earlier Add (the calendar is fixed then)
				w := Query{Received: base, FirstResponse: base.Add(time.Minute), Resolved: base.Add(time.Hour)}
				require.NoError(t, a.Add(w))
				require.NoError(t, b.Add(w))
			case 2: // and counts in place only within the tallies' range
				widen(t, &a, &b)
			}
			hotPathAgrees(t, &a, &b, q, name)
		}
	}
}

// TestTrackerHotPathRandom: random queries around the hot path's boundaries (equal instants,
// a nanosecond or a second either side, monotonic readings) give the same figures and errors
// through Add and through the full path.
func TestTrackerHotPathRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 7))
	base := time.Date(2026, 12, 7, 1, 0, 0, 999999999, time.UTC)
	now := time.Now()
	offsets := []time.Duration{0, 1, -1, time.Second, -time.Second, time.Second - 1, time.Second + 1, time.Hour, -time.Hour, 9e9 * time.Second, 9e9*time.Second - 1}
	pick := func(from time.Time) time.Time {
		switch r.IntN(5) {
		case 0:
			return time.Time{}
		case 1:
			return from.Add(offsets[r.IntN(len(offsets))])
		default:
			return from.Add(time.Duration(r.Int64N(int64(48*time.Hour))) - time.Minute)
		}
	}
	var a, b Tracker
	n := 5000
	if testing.Short() {
		n = 1000
	}
	for i := range n {
		rec := base
		if r.IntN(4) == 0 {
			rec = now
		}
		rec = rec.Add(time.Duration(r.Int64N(int64(time.Hour))))
		q := Query{Received: rec}
		q.FirstResponse = pick(rec)
		q.Resolved = pick(rec)
		if r.IntN(3) == 0 && !q.FirstResponse.IsZero() {
			q.Resolved = q.FirstResponse.Add(offsets[r.IntN(len(offsets))])
		}
		if r.IntN(2) == 0 {
			q.FirstResponse = q.FirstResponse.Round(0)
		}
		if r.IntN(2) == 0 {
			q.Resolved = q.Resolved.Round(0)
		}
		hotPathAgrees(t, &a, &b, q, fmt.Sprint("query ", i))
	}
	assert.Greater(t, a.queries, uint64(n/4))
}

// FuzzTrackerHotPath: a query of any instants (offsets from Received, in nanoseconds, with
// or without monotonic clock readings, with zero times) gives the same figures and the same
// error through Add as through the full path, on a fresh tracker and on a used one.
func FuzzTrackerHotPath(f *testing.F) {
	f.Add(int64(0), int64(3600e9), int64(7200e9), uint8(0))
	f.Add(int64(-1), int64(0), int64(-1), uint8(0))
	f.Add(int64(1e9), int64(9e18), int64(9e18+1), uint8(0))
	f.Add(int64(5), int64(-1e9), int64(-1e9-1), uint8(7))
	f.Add(int64(0), int64(0), int64(0), uint8(0x18))
	now := time.Now()
	base := time.Date(2026, 12, 7, 1, 0, 0, 999999999, time.UTC)
	f.Fuzz(func(t *testing.T, rec, fr, rv int64, flags uint8) {
		r := base.Add(time.Duration(rec))
		if flags&1 != 0 {
			r = now.Add(time.Duration(rec)) // monotonic reading on Received
		}
		q := Query{Received: r, FirstResponse: r.Add(time.Duration(fr)), Resolved: r.Add(time.Duration(rv))}
		if flags&2 != 0 {
			q.FirstResponse = q.FirstResponse.Round(0)
		}
		if flags&4 != 0 {
			q.Resolved = q.Resolved.Round(0)
		}
		if flags&8 != 0 {
			q.FirstResponse = time.Time{}
		}
		if flags&16 != 0 {
			q.Resolved = time.Time{}
		}
		if flags&32 != 0 {
			q.Received = q.Received.Local()
		}
		var a, b Tracker
		hotPathAgrees(t, &a, &b, q, "fresh")
		w := Query{Received: base, FirstResponse: base.Add(time.Minute), Resolved: base.Add(time.Hour)}
		require.NoError(t, a.Add(w))
		require.NoError(t, b.Add(w))
		hotPathAgrees(t, &a, &b, q, "used")
		var c, d Tracker
		widen(t, &c, &d)
		hotPathAgrees(t, &c, &d, q, "wide")
	})
}

// TestTrackerHotPathExtremes: durations that set a new maximum or minimum at every query
// (ascending, then descending, as in an export sorted by response time) are counted in place
// by the hot path and give the full path's figures at every step.
func TestTrackerHotPathExtremes(t *testing.T) {
	base := time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)
	var a, b Tracker
	for i := range 400 {
		d := time.Duration(i+1) * 37 * time.Second
		hotPathAgrees(t, &a, &b, Query{Received: base, FirstResponse: base.Add(d), Resolved: base.Add(2 * d)}, fmt.Sprint("ascending ", i))
	}
	for i := range 400 {
		d := time.Second / time.Duration(i+2)
		hotPathAgrees(t, &a, &b, Query{Received: base, FirstResponse: base.Add(d), Resolved: base.Add(d + 1)}, fmt.Sprint("descending ", i))
	}
	hotPathAgrees(t, &a, &b, Query{Received: base, FirstResponse: base, Resolved: base}, "zero after positives")
}
