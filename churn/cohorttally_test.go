package churn

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cxkit/cxkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	ctOrigin = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ctAsOf   = time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)
)

// randomSubscriptions draws subscriptions starting between ctOrigin and ctAsOf, a third of
// them still active, the others ending up to two years later.
func randomSubscriptions(rng *rand.Rand, n int) []Subscription {
	span := ctAsOf.Sub(ctOrigin)
	subs := make([]Subscription, n)
	for i := range subs {
		start := ctOrigin.Add(time.Duration(rng.Int64N(int64(span))))
		s := Subscription{Customer: "c", Start: start}
		if rng.IntN(3) > 0 {
			s.End = start.Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
		}
		subs[i] = s
	}
	return subs
}

func TestCohortTallyEqualsCohortRetention(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	subs := randomSubscriptions(rng, 5000)
	want, err := CohortRetention(subs, ctOrigin, cxkit.Month, ctAsOf)
	require.NoError(t, err)

	one := CohortTally{Origin: ctOrigin, Step: cxkit.Month, AsOf: ctAsOf}
	for _, s := range subs {
		require.NoError(t, one.Add(s))
	}
	got, err := one.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got, "one pass")

	// any split, merged in a shuffled order into a zero tally
	parts := make([]CohortTally, 7)
	for i := range parts {
		parts[i] = CohortTally{Origin: ctOrigin, Step: cxkit.Month, AsOf: ctAsOf}
	}
	for _, s := range subs {
		require.NoError(t, parts[rng.IntN(len(parts))].Add(s))
	}
	var merged CohortTally
	for _, i := range rng.Perm(len(parts)) {
		require.NoError(t, merged.Merge(&parts[i]))
	}
	got, err = merged.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got, "merged split")
	assert.Equal(t, len(subs), merged.Subscriptions())

	// self-merge doubles
	twice := one
	twice.cells = map[[2]int]float64{}
	for k, v := range one.cells {
		twice.cells[k] = v
	}
	require.NoError(t, twice.Merge(&twice))
	d, err := twice.Result()
	require.NoError(t, err)
	assert.Equal(t, 2*want.Cohorts[0].Size, d.Cohorts[0].Size)
}

func TestCohortTallyEncoding(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2))
	ct := CohortTally{Origin: ctOrigin, Step: cxkit.Quarter, AsOf: ctAsOf}
	for _, s := range randomSubscriptions(rng, 300) {
		require.NoError(t, ct.Add(s))
	}
	want, err := ct.Result()
	require.NoError(t, err)

	b, err := ct.MarshalBinary()
	require.NoError(t, err)
	var back CohortTally
	require.NoError(t, back.UnmarshalBinary(b))
	got, err := back.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got)

	j, err := json.Marshal(&ct)
	require.NoError(t, err)
	var backJ CohortTally
	require.NoError(t, json.Unmarshal(j, &backJ))
	got, err = backJ.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got)

	// every single-byte change is refused, and leaves the receiver unchanged
	for i := range b {
		c := append([]byte(nil), b...)
		c[i] ^= 0x01
		keep := back
		err := keep.UnmarshalBinary(c)
		require.Error(t, err, "byte %d", i)
		assert.ErrorIs(t, err, ErrInvalid)
		assert.Equal(t, back.n, keep.n)
	}

	// an empty tally round-trips and stays empty
	var zero CohortTally
	zb, err := zero.MarshalBinary()
	require.NoError(t, err)
	require.NoError(t, back.UnmarshalBinary(zb))
	assert.Equal(t, 0, back.Subscriptions())

	// inconsistent JSON: counts that do not add up
	assert.ErrorIs(t, backJ.UnmarshalJSON([]byte(`{"origin":"2024-01-01T00:00:00Z","step":"month","as_of":"2025-01-01T00:00:00Z","subscriptions":3,"cells":[[0,0,1]]}`)), ErrInvalid)
	assert.ErrorIs(t, backJ.UnmarshalJSON([]byte(`{"origin":"2024-01-01T00:00:00Z","step":"month","as_of":"2025-01-01T00:00:00Z","subscriptions":1,"cells":[[40,0,1]]}`)), ErrInvalid)
}

func TestCohortTallyErrors(t *testing.T) {
	var zero CohortTally
	_, err := zero.Result()
	assert.ErrorIs(t, err, ErrEmpty)
	assert.ErrorIs(t, zero.Add(Subscription{Start: ctOrigin}), ErrInvalid, "no step set")

	ct := CohortTally{Origin: ctOrigin, Step: cxkit.Month, AsOf: ctAsOf}
	err = ct.Add(Subscription{Customer: "early", Start: ctOrigin.Add(-time.Hour)})
	assert.ErrorIs(t, err, ErrOutOfRange)
	assert.ErrorContains(t, err, "early")
	assert.ErrorIs(t, ct.Add(Subscription{Customer: "x"}), ErrOutOfRange)
	assert.ErrorIs(t, ct.Add(Subscription{Customer: "x", Start: ctAsOf, End: ctOrigin}), ErrOutOfRange)
	assert.Equal(t, 0, ct.Subscriptions())

	require.NoError(t, ct.Add(Subscription{Customer: "a", Start: ctOrigin}))
	other := CohortTally{Origin: ctOrigin, Step: cxkit.Week, AsOf: ctAsOf}
	require.NoError(t, other.Add(Subscription{Customer: "b", Start: ctOrigin}))
	err = ct.Merge(&other)
	assert.True(t, errors.Is(err, cxkit.ErrIncompatible), "%v", err)
	assert.Equal(t, 1, ct.Subscriptions())

	ct.Step = cxkit.Week // options changed after the first Add
	assert.ErrorIs(t, ct.Add(Subscription{Customer: "c", Start: ctOrigin}), ErrInvalid)
}
