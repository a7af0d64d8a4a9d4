package nps

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 10: sample sizes that do not fit in an int were −9223372036854775808 with a nil error.
func TestSampleSizeOverflowIsAnError(t *testing.T) {
	_, err := SampleSize(1e-8, 0.95)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "margin 1e-08")
	_, err = SampleSizeExpected(50, 20, 5, 0.9999999999999999)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "0.9999999999999999")
	_, err = SampleSizeDifference(50, 20, 1e-8, 0.95, 0.8)
	require.ErrorIs(t, err, ErrOutOfRange)
}

// Issue 10: a weight of 1e155 gave a NaN standard error with a nil error; weights now share the
// survey engine's limits.
func TestExtremeWeightIsAnError(t *testing.T) {
	var tl Tally
	err := tl.AddWeighted(10, 1e155)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "1e+155")
	require.NoError(t, tl.AddWeighted(10, 1e100))
	require.NoError(t, tl.AddWeighted(0, 1e100))
	r, err := tl.Result()
	require.NoError(t, err)
	assert.False(t, math.IsNaN(r.StdErr))
}

// Issue 10: a tally decoded from JSON whose sums no set of responses could give (an effective
// size of 20,000 from 2 responses) was accepted.
func TestDecodedStateIsChecked(t *testing.T) {
	var tl Tally
	err := json.Unmarshal([]byte(`{"version":1,"responses":2,"weights":[100,0,0,0,0,0,0,0,0,0,100],"sum_sq_weights":2}`), &tl)
	assert.ErrorIs(t, err, ErrInvalid)
}

// Issue 10: Groups.Tally made a phantom group that Report showed as n = 0; keys of any
// comparable type (a month as time.Time) sort chronologically; VsPrevious names its key;
// the p-values of a report's families are adjusted (Holm by default).
func TestGroupsContract(t *testing.T) {
	var g Groups[time.Time]
	month := func(m time.Month) time.Time { return time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC) }
	ratings := map[time.Month][]int{
		time.March:    {10, 9, 9, 8, 7, 3, 10, 9, 10, 2, 9, 9, 10, 6, 8, 9, 10, 9, 4, 10},
		time.January:  {10, 9, 5, 8, 7, 3, 2, 9, 6, 2, 9, 1, 10, 6, 8, 9, 0, 9, 4, 10},
		time.February: {6, 9, 5, 8, 7, 3, 2, 9, 6, 2, 9, 1, 10, 6, 8, 9, 0, 9, 4, 6},
	}
	for m, rs := range ratings {
		for _, r := range rs {
			require.NoError(t, g.Add(month(m), r))
		}
	}
	_ = g.Tally(month(time.April)) // asked for, never filled
	assert.Equal(t, []time.Time{month(time.January), month(time.February), month(time.March)}, g.Keys())
	rows, err := g.Report(0)
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Nil(t, rows[0].Previous)
	for i := 1; i < 3; i++ {
		require.NotNil(t, rows[i].Previous)
		assert.Equal(t, rows[i-1].Key, *rows[i].Previous)
		require.NotNil(t, rows[i].VsPrevious)
	}
	// Holm over the two trend comparisons: the smaller p doubled, the larger kept (at least
	// the first), as R's p.adjust(c(p1, p2), "holm").
	p1, p2 := rows[1].VsPrevious.P, rows[2].VsPrevious.P
	want, err := cxkit.Adjust([]float64{p1, p2}, cxkit.Holm)
	require.NoError(t, err)
	assert.Equal(t, want[0], *rows[1].VsPreviousAdjustedP)
	assert.Equal(t, want[1], *rows[2].VsPreviousAdjustedP)
	assert.InDelta(t, math.Min(1, 2*math.Min(p1, p2)), math.Min(*rows[1].VsPreviousAdjustedP, *rows[2].VsPreviousAdjustedP), 1e-15)
	none, err := g.ReportWith(0, cxkit.NoCorrection)
	require.NoError(t, err)
	assert.Equal(t, p1, *none[1].VsPreviousAdjustedP)
	_, err = g.ReportWith(0, cxkit.Correction(9))
	assert.ErrorIs(t, err, ErrInvalid)

	// A Groups whose only key was asked for but never filled has no groups.
	var empty Groups[string]
	_ = empty.Tally("x")
	_, err = empty.Report(0)
	assert.ErrorIs(t, err, ErrEmpty)
	assert.Empty(t, empty.Keys())
}

// Keys without a natural order keep the order first seen unless SortBy sets one.
func TestGroupsOrderOfOtherKeys(t *testing.T) {
	type segment struct{ region, plan string }
	var g Groups[segment]
	for _, k := range []segment{{"west", "pro"}, {"east", "free"}, {"east", "pro"}} {
		require.NoError(t, g.Add(k, 9))
	}
	assert.Equal(t, []segment{{"west", "pro"}, {"east", "free"}, {"east", "pro"}}, g.Keys())
	g.SortBy(func(a, b segment) int {
		if a.region != b.region {
			return map[bool]int{true: -1, false: 1}[a.region < b.region]
		}
		return map[bool]int{true: -1, false: 1}[a.plan < b.plan]
	})
	assert.Equal(t, []segment{{"east", "free"}, {"east", "pro"}, {"west", "pro"}}, g.Keys())
}
