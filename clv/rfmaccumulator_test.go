package clv

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pbAssertSameSummary compares two summaries; monetary values may differ in the last bits
// because sums are added in another order.
func pbAssertSameSummary(t *testing.T, want, got RFMSummary) {
	t.Helper()
	require.Equal(t, len(want.Customers), len(got.Customers))
	for i := range want.Customers {
		w, g := want.Customers[i], got.Customers[i]
		assert.InDelta(t, w.MonetaryValue, g.MonetaryValue, 1e-9*(1+w.MonetaryValue))
		assert.InDelta(t, w.HoldoutMonetaryValue, g.HoldoutMonetaryValue, 1e-9*(1+w.HoldoutMonetaryValue))
		w.MonetaryValue, g.MonetaryValue = 0, 0
		w.HoldoutMonetaryValue, g.HoldoutMonetaryValue = 0, 0
		assert.Equal(t, w, g)
	}
	want.Customers, got.Customers = nil, nil
	assert.Equal(t, want, got)
}

func TestRFMAccumulatorMatchesSummarize(t *testing.T) {
	// Property: adding the CDNOW log in random pieces to separate accumulators and merging them
	// in random order gives the summary of one pass, which is Summarize's.
	tx := pbCDNOWTransactions(t)
	want, err := Summarize(tx, pbCDNOWOptions)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := 0; trial < 5; trial++ {
		parts := make([]RFMAccumulator, 1+rng.IntN(6))
		for _, i := range rng.Perm(len(tx)) {
			require.NoError(t, parts[rng.IntN(len(parts))].Add(tx[i]))
		}
		var all RFMAccumulator
		for _, k := range rng.Perm(len(parts)) {
			require.NoError(t, all.Merge(&parts[k]))
		}
		assert.Equal(t, len(tx), all.Transactions())
		got, err := all.Summary(pbCDNOWOptions)
		require.NoError(t, err)
		pbAssertSameSummary(t, want, got)
	}
}

func TestRFMAccumulatorEncodings(t *testing.T) {
	var a RFMAccumulator
	require.NoError(t, a.AddAll(pbCDNOWTransactions(t)[:500]))
	b, err := a.MarshalBinary()
	require.NoError(t, err)
	var back RFMAccumulator
	require.NoError(t, back.UnmarshalBinary(b))
	b2, err := back.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, b, b2, "canonical encoding")
	js, err := json.Marshal(&a)
	require.NoError(t, err)
	var fromJSON RFMAccumulator
	require.NoError(t, json.Unmarshal(js, &fromJSON))
	b3, err := fromJSON.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, b, b3)
	s1, err := a.Summary(pbCDNOWOptions)
	require.NoError(t, err)
	s2, err := back.Summary(pbCDNOWOptions)
	require.NoError(t, err)
	assert.Equal(t, s1, s2)
	// The empty accumulator round-trips too.
	var empty, e2 RFMAccumulator
	eb, err := empty.MarshalBinary()
	require.NoError(t, err)
	require.NoError(t, e2.UnmarshalBinary(eb))
	_, err = e2.Summary(pbCDNOWOptions)
	assert.ErrorIs(t, err, ErrEmpty)

	// Corrupt bytes: every truncation and a flipped version byte are errors wrapping
	// ErrInvalid, and leave the target unchanged.
	for n := 0; n < len(b); n += 1 + n/7 {
		target := back
		err := target.UnmarshalBinary(b[:n])
		require.Error(t, err, "truncated at %d", n)
		assert.ErrorIs(t, err, ErrInvalid)
		assert.Equal(t, back.Transactions(), target.Transactions())
	}
	bad := append([]byte{}, b...)
	bad[4] = 99
	assert.ErrorIs(t, back.UnmarshalBinary(bad), ErrInvalid)
	assert.ErrorIs(t, back.UnmarshalJSON([]byte(`{"period_seconds":86400,"location":"UTC","customers":[{"id":"b","periods":[{"period":1,"amount":1,"count":1}]},{"id":"a","periods":[{"period":1,"amount":1,"count":1}]}]}`)), ErrInvalid)
	assert.ErrorIs(t, back.UnmarshalJSON([]byte(`{"period_seconds":86400,"location":"UTC","customers":[{"id":"a","periods":[{"period":1,"amount":-1,"count":1}]}]}`)), ErrInvalid)
	assert.ErrorIs(t, back.UnmarshalJSON([]byte(`{"period_seconds":86400,"location":"Nowhere/Atlantis","customers":[]}`)), ErrInvalid)
	assert.ErrorIs(t, back.UnmarshalJSON([]byte(`[`)), ErrInvalid)
}

func TestRFMAccumulatorErrors(t *testing.T) {
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var a RFMAccumulator
	assert.ErrorIs(t, a.Add(Transaction{"", day, 1}), ErrInvalid)
	assert.ErrorIs(t, a.Add(Transaction{"x", time.Time{}, 1}), ErrInvalid)
	assert.ErrorIs(t, a.Add(Transaction{"x", day, -1}), ErrOutOfRange)
	err := a.AddAll([]Transaction{{"x", day, 1}, {"y", day, -2}})
	assert.ErrorContains(t, err, "index 1")
	assert.Equal(t, 1, a.Transactions())
	// Periods fixed at the first Add cannot change, and differing accumulators do not merge.
	a.Period = Week
	assert.ErrorIs(t, a.Add(Transaction{"x", day, 1}), ErrInvalid)
	a.Period = 0
	weekly := RFMAccumulator{Period: Week}
	require.NoError(t, weekly.Add(Transaction{"z", day, 1}))
	assert.ErrorIs(t, a.Merge(&weekly), ErrInvalid)
	_, err = a.Summary(RFMOptions{Unit: Week, Period: Week})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = a.Summary(RFMOptions{})
	assert.ErrorIs(t, err, ErrInvalid)
	// Merging into itself doubles, like merging a copy.
	require.NoError(t, a.Merge(&a))
	assert.Equal(t, 2, a.Transactions())
	// A zero accumulator adopts the period of the first one merged into it.
	var z RFMAccumulator
	require.NoError(t, z.Merge(&weekly))
	s, err := z.Summary(RFMOptions{Unit: Week})
	require.NoError(t, err)
	assert.Empty(t, s.Customers) // one purchase in the last period: no history
	assert.Equal(t, []string{"z"}, s.NoHistory)
	require.NoError(t, z.Merge(nil))
}
