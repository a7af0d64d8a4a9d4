package churn

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/cxkit/cxkit/internal/wire"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func randomSubjects(rng *rand.Rand, n int) []Subject {
	s := make([]Subject, n)
	for i := range s {
		d := float64(1 + rng.IntN(60))
		s[i] = Subject{Duration: d, Churned: rng.IntN(3) > 0, Weight: float64(rng.IntN(3))}
		if rng.IntN(5) == 0 {
			s[i].Entry = float64(rng.IntN(int(d)))
		}
	}
	return s
}

func TestTallyMergeAnySplitEqualsOnePass(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 50 {
		subjects := randomSubjects(rng, 1+rng.IntN(300))
		want, err := KaplanMeier(subjects)
		require.NoError(t, err)

		// Split into random parts, tally each, merge in random order.
		parts := 1 + rng.IntN(6)
		tallies := make([]Tally, parts)
		for _, s := range subjects {
			require.NoError(t, tallies[rng.IntN(parts)].Add(s))
		}
		var total Tally
		for _, p := range rng.Perm(parts) {
			require.NoError(t, total.Merge(&tallies[p]))
		}
		got, err := total.Result()
		require.NoError(t, err)
		require.Equal(t, want, got, "trial %d", trial)

		var one Tally
		require.NoError(t, one.AddAll(subjects))
		got, err = one.Result()
		require.NoError(t, err)
		require.Equal(t, want, got)
		assert.Equal(t, want.Subjects, one.Subjects())
	}
}

func TestTallyEncoding(t *testing.T) {
	var tl Tally
	require.NoError(t, tl.AddAll(randomSubjects(rand.New(rand.NewPCG(1, 1)), 200)))
	want, err := tl.Result()
	require.NoError(t, err)

	b, err := tl.MarshalBinary()
	require.NoError(t, err)
	var back Tally
	require.NoError(t, back.UnmarshalBinary(b))
	got, err := back.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got)

	j, err := json.Marshal(&tl)
	require.NoError(t, err)
	var backJ Tally
	require.NoError(t, json.Unmarshal(j, &backJ))
	got, err = backJ.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got)

	// Corrupt bytes: every truncation, a wrong tag, a wrong version, trailing bytes, a
	// forged count, and out-of-order times all fail with ErrInvalid and leave the tally as is.
	for i := 0; i < len(b); i += 7 {
		assert.ErrorIs(t, back.UnmarshalBinary(b[:i]), ErrInvalid, "truncated at %d", i)
	}
	bad := append([]byte{}, b...)
	bad[0] = 'X'
	assert.ErrorIs(t, back.UnmarshalBinary(bad), ErrInvalid)
	bad = append([]byte{}, b...)
	bad[4] = 9
	assert.ErrorIs(t, back.UnmarshalBinary(bad), ErrInvalid)
	assert.ErrorIs(t, back.UnmarshalBinary(append(append([]byte{}, b...), 0)), ErrInvalid)
	bad = append([]byte{}, b...)
	bad[9], bad[16] = 0xff, 0x7f
	assert.ErrorIs(t, back.UnmarshalBinary(wire.Reseal(bad)), ErrInvalid)
	bad = append([]byte{}, b...)
	copy(bad[17:25], bad[41:49]) // first time := second time: not ascending
	assert.ErrorIs(t, back.UnmarshalBinary(wire.Reseal(bad)), ErrInvalid)
	got, err = back.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got, "failed decodes left the tally unchanged")

	assert.ErrorIs(t, backJ.UnmarshalJSON([]byte(`{"time":[2,1],"churned":[1,1],"censored":[0,0]}`)), ErrInvalid)
	assert.ErrorIs(t, backJ.UnmarshalJSON([]byte(`{"time":[1],"churned":[1,1],"censored":[0]}`)), ErrInvalid)
	assert.ErrorIs(t, backJ.UnmarshalJSON([]byte(`{"time":[1],"churned":[-1],"censored":[0]}`)), ErrInvalid)
	assert.ErrorIs(t, backJ.UnmarshalJSON([]byte(`[`)), ErrInvalid)
}

func TestTallyEmptyAndInvalid(t *testing.T) {
	var tl Tally
	_, err := tl.Result()
	assert.ErrorIs(t, err, ErrEmpty)
	b, err := tl.MarshalBinary()
	require.NoError(t, err)
	var back Tally
	require.NoError(t, back.UnmarshalBinary(b))
	_, err = back.Result()
	assert.ErrorIs(t, err, ErrEmpty)
	assert.ErrorIs(t, tl.Add(Subject{Duration: -1}), ErrOutOfRange)
	err = tl.AddAll([]Subject{{Duration: 1}, {Duration: 2, Entry: 3}})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "subject 1")
	require.NoError(t, tl.Merge(nil))
	require.NoError(t, tl.Merge(&tl)) // doubling itself is allowed
	c, err := tl.Result()
	require.NoError(t, err)
	assert.Equal(t, 2.0, c.Subjects)
	j, err := json.Marshal(&Tally{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"time":[],"churned":[],"censored":[]}`, string(j))
}

// TestTallyMergeOverflow: before issue 10, Merge summed weights without bound (into +Inf).
func TestTallyMergeOverflow(t *testing.T) {
	var a, b Tally
	require.NoError(t, a.UnmarshalJSON([]byte(`{"time":[3],"churned":[6e149],"censored":[0]}`)))
	require.NoError(t, b.UnmarshalJSON([]byte(`{"time":[3],"churned":[5e149],"censored":[0]}`)))
	before, _ := a.MarshalBinary()
	assert.ErrorIs(t, a.Merge(&b), ErrOutOfRange)
	after, _ := a.MarshalBinary()
	assert.Equal(t, before, after)
	assert.ErrorIs(t, a.UnmarshalJSON([]byte(`{"time":[3],"churned":[2e150],"censored":[0]}`)), ErrInvalid)
}
