package journey

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Paths and conversions by hand (minutes; lookback 60):
//
//	a: Email 0, Web 10, Email 20, converts 30 (value 100), Store 40 (after: a null tail)
//	b: Ad 0, converts 100 (value 50): Ad is 100 minutes old, outside the lookback → unattributed
//	c: Web 0, Web 5 (never converts: null)
//	d: converts 10 with no events → unattributed
func attributionLog() ([]Event, []Conversion) {
	e := func(c, tp string, m int) Event { return Event{Customer: c, Touchpoint: tp, Time: at(m)} }
	ev := []Event{e("a", "Email", 0), e("c", "Web", 0), e("a", "Web", 10), e("a", "Email", 20), e("b", "Ad", 0),
		e("a", "Store", 40), e("c", "Web", 5)}
	cv := []Conversion{{"b", at(100), 50}, {"a", at(30), 100}, {"d", at(10), 7}}
	return ev, cv
}

func TestPaths(t *testing.T) {
	ev, cv := attributionLog()
	set, err := Paths(ev, cv, PathsOptions{Lookback: time.Hour})
	require.NoError(t, err)
	assert.Equal(t, 3.0, set.Conversions)
	assert.Equal(t, 157.0, set.Value)
	assert.Equal(t, 2.0, set.Unattributed)
	assert.Equal(t, 57.0, set.UnattributedValue)
	assert.Equal(t, []Path{
		{Touchpoints: []string{"Email", "Web", "Email"}, Conversions: 1, Value: 100},
		{Touchpoints: []string{"Store"}, Nulls: 1},
		{Touchpoints: []string{"Web", "Web"}, Nulls: 1},
	}, set.Paths)
	// Without a lookback b's Ad path converts.
	set, err = Paths(ev, cv, PathsOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1.0, set.Unattributed)
	assert.Contains(t, set.Paths, Path{Touchpoints: []string{"Ad"}, Conversions: 1, Value: 50})

	_, err = Paths(ev, []Conversion{{"a", at(1), -1}}, PathsOptions{})
	assert.ErrorIs(t, err, ErrOutOfRange)
	assert.ErrorContains(t, err, `conversion 0 (customer "a") has value -1`)
	_, err = Paths(ev, []Conversion{{"", at(1), 1}}, PathsOptions{})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = Paths(nil, nil, PathsOptions{})
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = Paths(ev, cv, PathsOptions{Lookback: -time.Second})
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestHeuristicAttribution(t *testing.T) {
	paths := []Path{
		{Touchpoints: []string{"A", "B", "C", "D"}, Conversions: 2, Value: 20},
		{Touchpoints: []string{"A", "B"}, Conversions: 1, Value: 10},
		{Touchpoints: []string{"B"}, Conversions: 1, Value: 5, Nulls: 4},
		{Touchpoints: []string{"C", "A", "C"}, Nulls: 2},
	}
	want := map[HeuristicModel]map[string]float64{
		FirstTouch: {"A": 3, "B": 1},
		LastTouch:  {"D": 2, "B": 2},
		// 2·(¼ each) + 1·(½, ½) + 1·B
		Linear: {"A": 1, "B": 2, "C": 0.5, "D": 0.5},
		// 4 touches: 0.4, 0.1, 0.1, 0.4 (×2); 2 touches: 0.5/0.5; 1 touch: 1.
		PositionBased: {"A": 1.3, "B": 1.7, "C": 0.2, "D": 0.8},
	}
	for model, credit := range want {
		a, err := HeuristicAttribution(paths, Heuristic{Model: model})
		require.NoError(t, err, model)
		assert.InDeltaMapValues(t, credit, nonZero(a.Credit), 1e-12, model.String())
		assert.InDelta(t, 4.0/10, a.ConversionProbability, 1e-12)
		checkAttribution(t, paths, a)
	}
	// Position based 30/40/30 on two touches: 50/50; on four: 0.3, 0.2, 0.2, 0.3.
	a, err := HeuristicAttribution(paths[:2], Heuristic{Model: PositionBased, First: 0.3, Last: 0.3})
	require.NoError(t, err)
	assert.InDeltaMapValues(t, map[string]float64{"A": 1.1, "B": 0.9, "C": 0.4, "D": 0.6}, a.Credit, 1e-12)
	assert.Equal(t, "position based 0.3/0.4/0.3", a.Model)
	// Value follows the same shares: first touch gives A 20 + 10.
	a, err = HeuristicAttribution(paths, Heuristic{Model: FirstTouch})
	require.NoError(t, err)
	assert.InDelta(t, 30, a.Value["A"], 1e-12)

	_, err = HeuristicAttribution(paths, Heuristic{Model: TimeDecay})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = HeuristicAttribution(paths, Heuristic{Model: PositionBased, First: 0.7, Last: 0.7})
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = HeuristicAttribution(paths, Heuristic{Model: 9})
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = HeuristicAttribution([]Path{{Touchpoints: []string{"A"}, Nulls: 1}}, Heuristic{})
	assert.ErrorIs(t, err, ErrEmpty)
}

func nonZero(m map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

// Time decay on the event form: a's conversion at 30 with touches at 0, 10, 20 minutes and a
// 10-minute half-life weighs them 2^-3, 2^-2, 2^-1 (sum 7/8): Email (0 and 20) gets
// (1/8 + 1/2)/(7/8) = 5/7, Web 2/7 of the conversion, and the same shares of its value 100.
func TestHeuristicTimeDecayEvents(t *testing.T) {
	ev, cv := attributionLog()
	a, err := HeuristicAttributionEvents(ev, cv, Heuristic{Model: TimeDecay, HalfLife: 10 * time.Minute}, PathsOptions{Lookback: time.Hour})
	require.NoError(t, err)
	assert.InDelta(t, 5.0/7, a.Credit["Email"], 1e-12)
	assert.InDelta(t, 2.0/7, a.Credit["Web"], 1e-12)
	assert.InDelta(t, 500.0/7, a.Value["Email"], 1e-9)
	assert.Equal(t, 1.0, a.Conversions)
	assert.Equal(t, 2.0, a.Unattributed)
	assert.Equal(t, 57.0, a.UnattributedValue)
	assert.InDelta(t, 1.0/3, a.ConversionProbability, 1e-12) // 1 conversion, 2 null tails
	assert.Equal(t, "time decay (half-life 10m0s)", a.Model)
	// Default half-life 7 days: weights nearly equal, still ordered by recency.
	a, err = HeuristicAttributionEvents(ev, cv, Heuristic{Model: TimeDecay}, PathsOptions{})
	require.NoError(t, err)
	assert.Greater(t, a.Credit["Email"], a.Credit["Web"])
	assert.False(t, math.IsNaN(a.Credit["Ad"]))
	// The event form of linear matches the path form on the same data.
	set, err := Paths(ev, cv, PathsOptions{})
	require.NoError(t, err)
	lp, err := HeuristicAttribution(set.Paths, Heuristic{Model: Linear})
	require.NoError(t, err)
	le, err := HeuristicAttributionEvents(ev, cv, Heuristic{Model: Linear}, PathsOptions{})
	require.NoError(t, err)
	assert.InDeltaMapValues(t, lp.Credit, le.Credit, 1e-12)
}
