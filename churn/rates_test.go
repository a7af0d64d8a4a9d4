package churn

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cxkit/cxkit"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestRates(t *testing.T) {
	// Worked by hand: 1000 customers at the start, 200 acquired, 1050 at the end: 150 lost
	// from the base of 1000, churn 15%, retention 85%.
	r, err := Rates(1000, 200, 1050)
	require.NoError(t, err)
	assert.Equal(t, PeriodRates{Start: 1000, Acquired: 200, End: 1050, Lost: 150, Churn: 0.15, Retention: 0.85}, r)

	for _, tc := range []struct {
		name            string
		start, acq, end float64
		want            error
		text            string
	}{
		{"negative start", -1, 0, 0, ErrOutOfRange, "start count -1"},
		{"NaN acquired", 10, math.NaN(), 5, ErrOutOfRange, "acquired count NaN"},
		{"infinite end", 10, 0, math.Inf(1), ErrOutOfRange, "end count +Inf"},
		{"empty base", 0, 5, 5, ErrEmpty, "no customers"},
		{"grows beyond acquisitions", 10, 5, 16, ErrOutOfRange, "exceeds"},
		{"new customers left", 10, 5, 4, ErrOutOfRange, "less than acquired"},
	} {
		_, err := Rates(tc.start, tc.acq, tc.end)
		require.ErrorIs(t, err, tc.want, tc.name)
		assert.Contains(t, err.Error(), tc.text, tc.name)
	}
}

func TestCompoundRate(t *testing.T) {
	// 1 − 0.95¹² = 0.45963991233736334 (5% monthly churn is 46% a year, not 60%).
	a, err := MonthlyToAnnual(0.05)
	require.NoError(t, err)
	assert.InDelta(t, 0.4596399123, a, 1e-10)
	m, err := AnnualToMonthly(a)
	require.NoError(t, err)
	assert.InDelta(t, 0.05, m, 1e-12)
	// 1 − 0.5^(1/12) = 0.056125687...: a 50% annual churn is 5.6% a month.
	m, err = AnnualToMonthly(0.5)
	require.NoError(t, err)
	assert.InDelta(t, 0.0561256873, m, 1e-10)
	q, err := CompoundRate(0.1, 3)
	require.NoError(t, err)
	assert.InDelta(t, 0.271, q, 1e-12)
	for _, bad := range [][2]float64{{-0.1, 1}, {1.1, 1}, {math.NaN(), 1}, {0.1, 0}, {0.1, math.Inf(1)}, {0.1, -2}} {
		_, err := CompoundRate(bad[0], bad[1])
		assert.ErrorIs(t, err, ErrOutOfRange, "%v", bad)
	}
}

// eventLog is a small hand-checked log for January–March 2025.
func eventLog() []Subscription {
	return []Subscription{
		{Customer: "a", Start: day(2024, 12, 1)},                        // active throughout
		{Customer: "b", Start: day(2024, 12, 5), End: day(2025, 1, 20)}, // base of Jan, lost in Jan
		{Customer: "c", Start: day(2024, 11, 1), End: day(2025, 2, 1)},  // base of Jan, ends exactly at Feb 1: lost in Jan
		{Customer: "d", Start: day(2025, 1, 10), End: day(2025, 1, 25)}, // acquired and lost in Jan
		{Customer: "e", Start: day(2025, 1, 15), End: day(2025, 3, 10)}, // acquired Jan, base of Feb and Mar, lost in Mar
		{Customer: "f", Start: day(2025, 2, 1)},                         // acquired Feb (exactly at its start)
	}
}

func TestRatesFromLog(t *testing.T) {
	periods, err := Periods(day(2025, 1, 1), cxkit.Month, 3)
	require.NoError(t, err)
	assert.Equal(t, day(2025, 2, 1), periods[0].End)
	assert.Equal(t, day(2025, 4, 1), periods[2].End)
	rs, err := RatesFromLog(eventLog(), periods)
	require.NoError(t, err)
	// Counted by hand from the comments of eventLog.
	for i, want := range []struct{ start, acq, end, lost, lostAcq float64 }{
		{3, 2, 2, 2, 1}, // Jan: base a b c; acquired d e; lost b c; d lost too; end a e
		{2, 1, 3, 0, 0}, // Feb: base a e; acquired f; end a e f
		{3, 0, 2, 1, 0}, // Mar: base a e f; e lost
	} {
		r := rs[i]
		assert.Equal(t, []float64{want.start, want.acq, want.end, want.lost, want.lostAcq},
			[]float64{r.Start, r.Acquired, r.End, r.Lost, r.LostAcquired}, "period %d", i)
		assert.InDelta(t, want.lost/want.start, r.Churn, 1e-15)
		assert.InDelta(t, 1-want.lost/want.start, r.Retention, 1e-15)
		assert.Equal(t, r.Start+r.Acquired-r.Lost-r.LostAcquired, r.End, "period %d balances", i)
	}

	// A period before anyone was a customer has an undefined rate, encoded as JSON null.
	early, err := RatesFromLog(eventLog(), []Window{{Start: day(2020, 1, 1), End: day(2020, 2, 1)}})
	require.NoError(t, err)
	assert.True(t, math.IsNaN(early[0].Churn))
	b, err := json.Marshal(early[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"churn":null`)
	var back PeriodRates
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, math.IsNaN(back.Retention))
	b, err = json.Marshal(rs[0])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, rs[0].Churn, back.Churn)
	assert.True(t, back.Window.Start.Equal(rs[0].Window.Start))

	_, err = RatesFromLog(nil, periods)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = RatesFromLog(eventLog(), nil)
	assert.ErrorIs(t, err, ErrEmpty)
	bad := append(eventLog(), Subscription{Customer: "z", Start: day(2025, 2, 1), End: day(2025, 1, 1)})
	_, err = RatesFromLog(bad, periods)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "subscription 6")
	assert.Contains(t, err.Error(), `"z"`)
	_, err = RatesFromLog(eventLog(), []Window{{Start: day(2025, 1, 1), End: day(2025, 1, 1)}})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = Periods(day(2025, 1, 1), cxkit.Period(0), 3)
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = Periods(day(2025, 1, 1), cxkit.Month, -1)
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestCohortRetention(t *testing.T) {
	// As of 15 March 2025, monthly cohorts from 1 December 2024.
	asOf := day(2025, 3, 15)
	_, err := CohortRetention(eventLog(), day(2024, 12, 1), cxkit.Month, asOf)
	require.ErrorIs(t, err, ErrOutOfRange, "c started in November, before the origin")
	assert.Contains(t, err.Error(), `subscription 2 (customer "c")`)

	subs := eventLog()[:2]
	subs = append(subs, eventLog()[3:]...) // drop c (November)
	m, err := CohortRetention(subs, day(2024, 12, 1), cxkit.Month, asOf)
	require.NoError(t, err)
	require.Len(t, m.Cohorts, 4) // Dec, Jan, Feb, Mar
	// Hand-checked: Dec cohort {a, b}: at Jan 1 both, Feb 1 a, Mar 1 a.
	assert.Equal(t, []float64{2, 2, 1, 1}, m.Cohorts[0].Count)
	assert.Equal(t, []float64{1, 1, 0.5, 0.5}, m.Cohorts[0].Share)
	// Jan cohort {d, e}: Feb 1 e only, Mar 1 e (ends 10 March).
	assert.Equal(t, []float64{2, 1, 1}, m.Cohorts[1].Count)
	// Feb cohort {f}: Mar 1 f. Mar cohort: nobody, and no boundary reached yet.
	assert.Equal(t, []float64{1, 1}, m.Cohorts[2].Count)
	assert.Equal(t, 0.0, m.Cohorts[3].Size)
	// Unobservable cells are marked, not zero.
	_, _, ok := m.At(1, 3)
	assert.False(t, ok, "Jan cohort at 3 months is after the as-of date")
	n, s, ok := m.At(0, 2)
	assert.True(t, ok)
	assert.Equal(t, [2]float64{1, 0.5}, [2]float64{n, s})
	_, _, ok = m.At(3, 0)
	assert.False(t, ok, "empty cohort")
	assert.Equal(t, [][]float64{{2, 2, 1, 1}, {2, 1, 1}, {1, 1}}, m.Rows())
	b, err := json.Marshal(m)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"step":"month"`)

	// A subscription that starts and ends at the same boundary instant counts in its cohort's
	// size only.
	z, err := CohortRetention([]Subscription{{Customer: "z", Start: day(2025, 1, 1), End: day(2025, 1, 1)}, {Customer: "y", Start: day(2025, 1, 1)}}, day(2024, 12, 1), cxkit.Month, asOf)
	require.NoError(t, err)
	assert.Equal(t, []float64{2, 1, 1}, z.Cohorts[1].Count)

	_, err = CohortRetention(nil, day(2024, 12, 1), cxkit.Month, asOf)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = CohortRetention(subs, day(2024, 12, 1), cxkit.Month, day(2025, 1, 31))
	require.ErrorIs(t, err, ErrOutOfRange, "f starts after the as-of time")
	assert.Contains(t, err.Error(), "subscription 4")
	_, err = CohortRetention(subs, asOf, cxkit.Month, day(2024, 1, 1))
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = CohortRetention(subs, day(2024, 12, 1), cxkit.Period(9), asOf)
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestActivityRetention(t *testing.T) {
	ev := []Activity{
		{"a", day(2025, 1, 3)}, {"a", day(2025, 1, 20)}, {"a", day(2025, 3, 2)},
		{"b", day(2025, 1, 9)}, {"b", day(2025, 2, 14)},
		{"c", day(2025, 2, 2)}, {"c", day(2025, 3, 30)},
	}
	m, err := ActivityRetention(ev, day(2025, 1, 1), cxkit.Month, day(2025, 4, 10))
	require.NoError(t, err)
	// Hand-checked. Jan cohort {a, b}: Feb active b, Mar active a → 2, 1, 1 (Apr not ended).
	assert.Equal(t, []float64{2, 1, 1}, m.Cohorts[0].Count)
	// Feb cohort {c}: Mar active c.
	assert.Equal(t, []float64{1, 1}, m.Cohorts[1].Count)
	assert.Equal(t, []float64{0}, m.Cohorts[3].Count, "April: only column 0")
	_, err = ActivityRetention(ev, day(2025, 2, 1), cxkit.Month, day(2025, 4, 10))
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "activity 0")
	_, err = ActivityRetention(nil, day(2025, 2, 1), cxkit.Month, day(2025, 4, 10))
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = ActivityRetention([]Activity{{"x", time.Time{}}}, day(2025, 2, 1), cxkit.Month, day(2025, 4, 10))
	assert.ErrorIs(t, err, ErrOutOfRange)
}
