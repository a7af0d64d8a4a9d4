package churn

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cxkit/cxkit"
)

// The cases of issue 10 ("No silent wrong value") for churn: each returned a wrong value with
// a nil error, or panicked, before the fix.

func TestHugeWeightsAreRefused(t *testing.T) {
	// Before: S(1) = 1 and a NaN χ² with a nil error.
	subs := []Subject{{Duration: 1, Churned: true}, {Duration: 1, Churned: true, Weight: 1e308}, {Duration: 2}}
	_, err := KaplanMeier(subs)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "subject 1")
	assert.Contains(t, err.Error(), "1e+308")
	_, err = LogRankTest(subs, []Subject{{Duration: 1, Churned: true}, {Duration: 3}})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "group 0")
	assert.Contains(t, err.Error(), "subject 1")
	var tl Tally
	assert.ErrorIs(t, tl.Add(Subject{Duration: 1, Weight: 1e-300}), ErrOutOfRange)
	// The bounds themselves are accepted, and give finite results.
	c, err := KaplanMeier([]Subject{{Duration: 1, Churned: true, Weight: MaxWeight}, {Duration: 2, Weight: MaxWeight}, {Duration: 1, Churned: true, Weight: MinWeight}})
	require.NoError(t, err)
	assert.InDelta(t, 0.5, c.At(1), 1e-12)
	assert.False(t, math.IsNaN(c.StdErr(1)) || math.IsInf(c.StdErr(1), 0))
}

func TestPeriodsHugeCount(t *testing.T) {
	// Before: a panic (makeslice: len out of range).
	_, err := Periods(day(2020, 1, 1), cxkit.Month, math.MaxInt)
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = Periods(day(2020, 1, 1), cxkit.Month, maxPeriods+1)
	assert.ErrorIs(t, err, ErrInvalid)
	ps, err := Periods(day(2020, 1, 31), cxkit.Month, 2)
	require.NoError(t, err)
	assert.Equal(t, day(2020, 2, 29), ps[0].End, "month ends clamp (cxkit.Period.Add)")
}

func TestCurveUnmarshalRejectsInconsistentCurves(t *testing.T) {
	good, err := KaplanMeier(testSubjectsInternal())
	require.NoError(t, err)
	b, err := json.Marshal(good)
	require.NoError(t, err)
	var back Curve
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, good, back)
	// Before: accepted, and At(5) then panicked with an index out of range.
	for _, s := range []string{
		`{"time":[1,2,3],"survival":[0.5]}`,
		`{"time":[2,1],"at_risk":[2,1],"churned":[1,1],"censored":[0,0],"survival":[0.5,0],"greenwood":[0.5,null],"subjects":2,"events":2}`,
		`{"time":[1],"at_risk":[2],"churned":[1],"censored":[0],"survival":[0.9],"greenwood":[0.5],"subjects":1,"events":1}`,
		`{"time":[1],"at_risk":[-2],"churned":[1],"censored":[0],"survival":[1.5],"greenwood":[0],"subjects":1,"events":1}`,
		`{"time":[1],"at_risk":[2],"churned":[1],"censored":[0],"survival":[0.5],"greenwood":[0.5],"subjects":7,"events":1}`,
		`[1]`,
	} {
		before := back
		err := json.Unmarshal([]byte(s), &back)
		assert.ErrorIs(t, err, ErrInvalid, s)
		assert.Equal(t, before, back, "a refused decode leaves the curve unchanged")
	}
}

func TestTallyDecodedWithMoreEntriesThanSubjects(t *testing.T) {
	// Before: accepted, and the curve had an at-risk count of −98.
	var tl Tally
	err := tl.UnmarshalJSON([]byte(`{"time":[1,2],"churned":[1,1],"censored":[0,0],"entry_time":[0.5],"entered":[100]}`))
	require.ErrorIs(t, err, ErrInvalid)
	assert.True(t, strings.Contains(err.Error(), "enters"), "%v", err)
	// Entries that the durations account for are fine.
	require.NoError(t, tl.UnmarshalJSON([]byte(`{"time":[1,2],"churned":[1,1],"censored":[0,0],"entry_time":[0.5],"entered":[2]}`)))
	c, err := tl.Result()
	require.NoError(t, err)
	for _, r := range c.AtRisk {
		assert.GreaterOrEqual(t, r, 0.0)
	}
}

func TestCohortRetentionCostFollowsTheData(t *testing.T) {
	// Before: daily cohorts over 56 years with two customers allocated 1.7 GB and took 9 s;
	// now the empty cohorts cost one cell each.
	origin := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	subs := []Subscription{{Customer: "a", Start: origin}, {Customer: "b", Start: asOf.AddDate(0, 0, -3), End: asOf.AddDate(0, 0, -1)}}
	allocs := testing.AllocsPerRun(1, func() {
		m, err := CohortRetention(subs, origin, cxkit.Day, asOf)
		require.NoError(t, err)
		require.Len(t, m.Cohorts, 20455)
		n, share, ok := m.At(len(m.Cohorts)-4, 2)
		assert.True(t, ok)
		assert.Equal(t, 0.0, n)
		assert.Equal(t, 0.0, share)
		_, _, ok = m.At(5, 1)
		assert.False(t, ok, "an empty cohort has no observable cell")
		assert.Len(t, m.Cohorts[0].Count, 20455)
	})
	assert.Less(t, allocs, 100000.0)
	// A matrix that would need more than maxCells cells is refused, naming the count.
	many := make([]Subscription, 0, 8000)
	for k := range 8000 {
		many = append(many, Subscription{Customer: "c", Start: origin.AddDate(0, 0, k)})
	}
	_, err := CohortRetention(many, origin, cxkit.Day, asOf)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "cells")
	var events []Activity
	for _, s := range many {
		events = append(events, Activity{Customer: s.Start.String(), At: s.Start})
	}
	_, err = ActivityRetention(events, origin, cxkit.Day, asOf)
	require.ErrorIs(t, err, ErrOutOfRange)
}

func testSubjectsInternal() []Subject {
	return []Subject{{Duration: 9, Churned: true}, {Duration: 19, Churned: true}, {Duration: 32, Churned: true},
		{Duration: 34, Churned: true}, {Duration: 48}, {Duration: 50}}
}
