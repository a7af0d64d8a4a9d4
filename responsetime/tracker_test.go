package responsetime

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomQueries draws n queries with log-normal first-response and resolution times (median
// about 1h and 1 day), a fifth unanswered and a third unresolved.
func randomQueries(n int, seed uint64) []Query {
	r := rand.New(rand.NewPCG(seed, 1))
	qs := make([]Query, n)
	for i := range qs {
		rec := t0.Add(time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
		q := Query{ID: "q", Received: rec}
		if r.IntN(5) > 0 {
			q.FirstResponse = rec.Add(time.Duration(math.Exp(r.NormFloat64()*1.5) * float64(time.Hour)))
		}
		if r.IntN(3) > 0 {
			q.Resolved = rec.Add(time.Duration(math.Exp(r.NormFloat64()) * float64(24*time.Hour)))
		}
		if r.IntN(50) == 0 {
			q.FirstResponse, q.Resolved = rec, rec // zero durations
		}
		if !q.FirstResponse.IsZero() && q.Resolved.Before(q.FirstResponse) && !q.Resolved.IsZero() {
			q.FirstResponse, q.Resolved = q.Resolved, q.FirstResponse // no resolution before the first response
		}
		qs[i] = q
	}
	return qs
}

// TestTrackerAgainstSummarize: the tracker's counts, means and maxima equal Summarize's exactly;
// its percentiles are within the DDSketch guarantee of the exact order statistics.
func TestTrackerAgainstSummarize(t *testing.T) {
	qs := randomQueries(5000, 7)
	var tr Tracker
	for _, q := range qs {
		require.NoError(t, tr.Add(q))
	}
	got, err := tr.Result()
	require.NoError(t, err)
	want, err := Summarize(qs, Options{})
	require.NoError(t, err)
	assert.Equal(t, want.Queries, got.Queries)
	assert.Equal(t, want.Answered, got.Answered)
	assert.Equal(t, want.Unanswered, got.Unanswered)
	assert.Equal(t, want.Mean, got.Mean)
	assert.Equal(t, want.Max, got.Max)
	assert.Equal(t, want.Resolved, got.Resolved)
	assert.Equal(t, want.Resolution.Mean, got.Resolution.Mean)
	assert.Equal(t, want.Resolution.Min, got.Resolution.Min)
	assert.Equal(t, RelativeAccuracy, got.RelativeAccuracy)
	assert.Contains(t, got.String(), "percentiles ±1%")

	var first, res []time.Duration
	for _, q := range qs {
		if !q.FirstResponse.IsZero() {
			first = append(first, q.FirstResponse.Sub(q.Received))
		}
		if !q.Resolved.IsZero() {
			res = append(res, q.Resolved.Sub(q.Received))
		}
	}
	checkGuarantee(t, first, map[float64]time.Duration{0.5: got.Median, 0.9: got.P90, 0.95: got.P95})
	checkGuarantee(t, res, map[float64]time.Duration{0.5: got.Resolution.Median, 0.9: got.Resolution.P90, 0.95: got.Resolution.P95})
}

// checkGuarantee asserts that each estimate lies within RelativeAccuracy of the order statistic
// of rank ⌊q(n−1)⌋ or ⌈q(n−1)⌉ (plus a nanosecond of rounding).
func checkGuarantee(t *testing.T, ds []time.Duration, est map[float64]time.Duration) {
	t.Helper()
	slices.Sort(ds)
	for q, e := range est {
		h := q * float64(len(ds)-1)
		lo, hi := ds[int(math.Floor(h))], ds[int(math.Ceil(h))]
		assert.GreaterOrEqual(t, float64(e), (1-RelativeAccuracy)*float64(lo)-1, "q=%v", q)
		assert.LessOrEqual(t, float64(e), (1+RelativeAccuracy)*float64(hi)+1, "q=%v", q)
	}
}

// TestTrackerMergeProperty: for many random splits into parts, merging the parts' trackers (in a
// shuffled order, some through their binary or JSON encodings) gives exactly the figures of one
// pass, including the percentiles (the merged sketch is the sketch of the union).
func TestTrackerMergeProperty(t *testing.T) {
	qs := randomQueries(2000, 11)
	var one Tracker
	for _, q := range qs {
		require.NoError(t, one.Add(q))
	}
	want, err := one.Result()
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 25 {
		parts := make([]*Tracker, 1+r.IntN(6))
		for i := range parts {
			parts[i] = &Tracker{}
		}
		for _, q := range qs {
			require.NoError(t, parts[r.IntN(len(parts))].Add(q))
		}
		r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		var merged Tracker
		for i, p := range parts {
			switch i % 3 {
			case 1:
				b, err := p.MarshalBinary()
				require.NoError(t, err)
				p = &Tracker{}
				require.NoError(t, p.UnmarshalBinary(b))
			case 2:
				b, err := json.Marshal(p)
				require.NoError(t, err)
				p = &Tracker{}
				require.NoError(t, json.Unmarshal(b, p))
			}
			require.NoError(t, merged.Merge(p))
		}
		got, err := merged.Result()
		require.NoError(t, err)
		assert.Equal(t, want, got, "trial %d with %d parts", trial, len(parts))
	}
	require.NoError(t, one.Merge(nil))
	got, err := one.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestTrackerEncoding(t *testing.T) {
	var empty Tracker
	_, err := empty.Result()
	assert.ErrorIs(t, err, ErrEmpty)
	b, err := empty.MarshalBinary()
	require.NoError(t, err)
	var back Tracker
	require.NoError(t, back.UnmarshalBinary(b))
	_, err = back.Result()
	assert.ErrorIs(t, err, ErrEmpty)

	var tr Tracker
	for _, q := range randomQueries(300, 5) {
		require.NoError(t, tr.Add(q))
	}
	b, err = tr.MarshalBinary()
	require.NoError(t, err)
	want, _ := tr.Result()

	// Every truncation and every single-byte corruption is either an error wrapping
	// ErrInvalid or decodes to a consistent tracker; it never panics.
	for n := 0; n < len(b); n++ {
		var x Tracker
		assert.ErrorIs(t, x.UnmarshalBinary(b[:n]), ErrInvalid, "truncated to %d", n)
	}
	for i := range b {
		c := slices.Clone(b)
		c[i] ^= 0x5a
		x := Tracker{}
		if err := x.UnmarshalBinary(c); err != nil {
			assert.ErrorIs(t, err, ErrInvalid)
			continue
		}
		got, err := x.Result()
		if err == nil {
			assert.LessOrEqual(t, got.Answered, got.Queries)
		}
	}
	// A failed decode leaves the tracker unchanged.
	keep := tr
	assert.Error(t, keep.UnmarshalBinary([]byte("RTtr\x01garbage")))
	got, err := keep.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got)

	// Wrong version and wrong tag.
	c := slices.Clone(b)
	c[4] = 9
	assert.ErrorIs(t, new(Tracker).UnmarshalBinary(c), ErrInvalid)
	assert.ErrorIs(t, new(Tracker).UnmarshalBinary([]byte("NPStally")), ErrInvalid)

	// JSON errors.
	for _, s := range []string{`{`, `{"version":1}`, `{"version":3}`, `{"version":2,"queries":1,"first_response":{"n":2}}`,
		`{"version":2,"queries":1,"first_response":{"n":1,"min_ns":5,"max_ns":5,"sum_lo":5,"bins":[[999999,1]]}}`,
		`{"version":2,"queries":1,"first_response":{"n":1,"min_ns":5,"max_ns":5,"sum_lo":5,"bins":[[3,1]]}}`} {
		assert.ErrorIs(t, new(Tracker).UnmarshalJSON([]byte(s)), ErrInvalid, s)
	}
}

func TestTrackerBusinessHours(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	tr := Tracker{Calendar: usBusiness(t)}
	require.NoError(t, tr.Add(Query{Received: time.Date(2026, 11, 20, 16, 0, 0, 0, ny), FirstResponse: time.Date(2026, 11, 23, 10, 0, 0, 0, ny)}))
	s, err := tr.Result()
	require.NoError(t, err)
	assert.Equal(t, 2*time.Hour, s.Mean) // hand-computed in TestWorkingTime
	assert.Equal(t, 2*time.Hour, s.Median)

	bad := Tracker{Calendar: Schedule{}}
	assert.ErrorIs(t, bad.Add(Query{Received: t0}), ErrInvalid)
}

// TestTrackerMergeRefusesOtherCalendars: before issue 10, Merge accepted a tracker measured on
// another calendar and mixed business hours with calendar time.
func TestTrackerMergeRefusesOtherCalendars(t *testing.T) {
	q := Query{Received: t0, FirstResponse: t0.Add(time.Hour)}
	week := [7][]Shift{time.Monday: {{9 * time.Hour, 17 * time.Hour}}}
	nine := Schedule{Location: time.UTC, Week: week}
	ten := Schedule{Location: time.UTC, Week: [7][]Shift{time.Monday: {{10 * time.Hour, 17 * time.Hour}}}}
	plain, a, b, c := Tracker{}, Tracker{Calendar: nine}, Tracker{Calendar: ten}, Tracker{Calendar: Schedule{Location: time.UTC, Week: week}}
	for _, tr := range []*Tracker{&plain, &a, &b, &c} {
		require.NoError(t, tr.Add(q))
	}
	before, _ := plain.Result()
	assert.ErrorIs(t, plain.Merge(&a), ErrIncompatible)
	assert.ErrorIs(t, a.Merge(&plain), ErrIncompatible)
	assert.ErrorIs(t, a.Merge(&b), ErrIncompatible)
	after, _ := plain.Result()
	assert.Equal(t, before, after, "a refused merge leaves the receiver unchanged")
	require.NoError(t, a.Merge(&c), "an equal schedule in another value merges")
	require.NoError(t, a.Merge(&a))
	s, err := a.Result()
	require.NoError(t, err)
	assert.Equal(t, 4, s.Queries)
	require.NoError(t, plain.Merge(&Tracker{Calendar: nine}), "an empty tracker adds nothing")

	big := Tracker{queries: maxTrackerCount}
	one := Tracker{queries: 1}
	assert.ErrorIs(t, big.Merge(&one), ErrOutOfRange)
}

// TestTrackerCalendarFixedAtFirstAdd: before issue 10, a Calendar set after the first Add was
// silently ignored.
func TestTrackerCalendarFixedAtFirstAdd(t *testing.T) {
	var tr Tracker
	require.NoError(t, tr.Add(Query{Received: t0, FirstResponse: t0.Add(time.Hour)}))
	tr.Calendar = Schedule{Location: time.UTC, Week: [7][]Shift{time.Monday: {{9 * time.Hour, 17 * time.Hour}}}}
	assert.ErrorIs(t, tr.Add(Query{Received: t0}), ErrIncompatible)
	tr.Calendar = nil
	require.NoError(t, tr.Add(Query{Received: t0}))
}

// TestTrackerQuantileGuarantee checks Quantile and ResolutionQuantile at every percentile,
// p99 and p99.9 included, against the exact order statistics of heavy-tailed durations (from
// 1 ns to years), merged from parts: each estimate is within RelativeAccuracy·x + 0.5 ns of the
// order statistic of rank ⌊q·(n−1)⌋ or the next one.
func TestTrackerQuantileGuarantee(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var parts [3]Tracker
	var firsts, ress []time.Duration
	for i := range 20000 {
		f := time.Duration(min(math.Exp(r.NormFloat64()*5+math.Log(float64(time.Minute))), 1e18) + 1)
		res := f + time.Duration(r.Int64N(int64(30*24*time.Hour)))
		if i%97 == 0 {
			f = 0
		}
		q := Query{Received: t0, FirstResponse: t0.Add(f), Resolved: t0.Add(res)}
		require.NoError(t, parts[i%3].Add(q))
		firsts, ress = append(firsts, f), append(ress, res)
	}
	var tr Tracker
	for i := range parts {
		require.NoError(t, tr.Merge(&parts[i]))
	}
	slices.Sort(firsts)
	slices.Sort(ress)
	qs := []float64{0, 0.001, 0.5, 0.9, 0.95, 0.99, 0.999, 1}
	for k := 1; k < 100; k++ {
		qs = append(qs, float64(k)/100)
	}
	for _, q := range qs {
		for _, c := range []struct {
			exact []time.Duration
			f     func(float64) (time.Duration, error)
		}{{firsts, tr.Quantile}, {ress, tr.ResolutionQuantile}} {
			got, err := c.f(q)
			require.NoError(t, err)
			rank := int(math.Floor(q * float64(len(c.exact)-1)))
			ok := false
			for _, x := range c.exact[rank:min(rank+2, len(c.exact))] {
				ok = ok || math.Abs(float64(got-x)) <= RelativeAccuracy*float64(x)+0.5
			}
			assert.True(t, ok, "q=%v: %v vs %v", q, got, c.exact[rank])
		}
	}
	_, err := tr.Quantile(1.5)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = tr.Quantile(math.NaN())
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = new(Tracker).Quantile(0.5)
	assert.ErrorIs(t, err, ErrEmpty)
	// Memory: the bins cover the range seen, a few kilobytes.
	assert.Less(t, 8*(len(tr.first.bins.counts)+len(tr.res.bins.counts)), 40000)
}

// TestTrackerAddAll: AddAll gives the tracker of one Add per query, and stops at the first
// invalid query (naming it), keeping those before it.
func TestTrackerAddAll(t *testing.T) {
	qs := randomQueries(500, 9)
	var one, all Tracker
	for _, q := range qs {
		require.NoError(t, one.Add(q))
	}
	require.NoError(t, all.AddAll(qs))
	a, _ := one.Result()
	b, _ := all.Result()
	assert.Equal(t, a, b)
	bad := slices.Clone(qs[:10])
	bad[6].ID, bad[6].FirstResponse = "late", bad[6].Received.Add(-time.Second)
	var part Tracker
	err := part.AddAll(bad)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), `"late" (index 6)`)
	s, _ := part.Result()
	assert.Equal(t, 6, s.Queries)
}
