package clv

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertSameSummary compares two summaries; monetary values may differ in the last bits
// because sums are added in another order.
func assertSameSummary(t *testing.T, want, got RFMSummary) {
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
	tx := cdnowTransactions(t)
	want, err := Summarize(tx, cdnowOptions)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := 0; trial < 5; trial++ {
		parts := make([]RFMAccumulator, 1+rng.IntN(6))
		for k := range parts {
			parts[k].Options = cdnowOptions
		}
		for _, i := range rng.Perm(len(tx)) {
			require.NoError(t, parts[rng.IntN(len(parts))].Add(tx[i]))
		}
		var all RFMAccumulator // zero: adopts the options of the first merged
		for _, k := range rng.Perm(len(parts)) {
			require.NoError(t, all.Merge(&parts[k]))
		}
		assert.Equal(t, len(tx), all.Transactions())
		got, err := all.Result()
		require.NoError(t, err)
		assertSameSummary(t, want, got)
	}
}

func TestRFMAccumulatorEncodings(t *testing.T) {
	a := RFMAccumulator{Options: cdnowOptions}
	require.NoError(t, a.AddAll(cdnowTransactions(t)[:500]))
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
	s1, err := a.Result()
	require.NoError(t, err)
	s2, err := back.Result()
	require.NoError(t, err)
	assert.Equal(t, s1, s2)
	// The empty accumulator round-trips too.
	var empty, e2 RFMAccumulator
	eb, err := empty.MarshalBinary()
	require.NoError(t, err)
	require.NoError(t, e2.UnmarshalBinary(eb))
	_, err = e2.Result()
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
	assert.ErrorIs(t, back.UnmarshalJSON([]byte(`{"unit":"day","period":"day","location":"UTC","customers":[{"id":"b","periods":[{"period":1,"amount":1,"count":1}]},{"id":"a","periods":[{"period":1,"amount":1,"count":1}]}]}`)), ErrInvalid)
	assert.ErrorIs(t, back.UnmarshalJSON([]byte(`{"unit":"day","period":"day","location":"UTC","customers":[{"id":"a","periods":[{"period":1,"amount":-1,"count":1}]}]}`)), ErrInvalid)
	assert.ErrorIs(t, back.UnmarshalJSON([]byte(`{"unit":"day","period":"day","location":"Nowhere/Atlantis","customers":[]}`)), ErrInvalid)
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
	// Options fixed at the first Add cannot change, and differing accumulators do not merge.
	a.Options.Period = cxkit.Week
	assert.ErrorIs(t, a.Add(Transaction{"x", day, 1}), ErrIncompatible)
	_, err = a.Result()
	assert.ErrorIs(t, err, ErrIncompatible)
	a.Options.Period = 0
	weekly := RFMAccumulator{Options: RFMOptions{Period: cxkit.Week}}
	require.NoError(t, weekly.Add(Transaction{"z", day, 1}))
	assert.ErrorIs(t, a.Merge(&weekly), ErrIncompatible)
	// Merging into itself doubles, like merging a copy.
	require.NoError(t, a.Merge(&a))
	assert.Equal(t, 2, a.Transactions())
	// A zero accumulator adopts the options of the first one merged into it.
	var z RFMAccumulator
	require.NoError(t, z.Merge(&weekly))
	assert.Equal(t, cxkit.Week, z.Options.Period)
	s, err := z.Result()
	require.NoError(t, err)
	assert.Empty(t, s.Customers) // one purchase in the last period: no history
	assert.Equal(t, []string{"z"}, s.NoHistory)
	require.NoError(t, z.Merge(nil))
	// Bad options are refused at the first Add.
	bad := RFMAccumulator{Options: RFMOptions{HoldoutEnd: day}}
	assert.ErrorIs(t, bad.Add(Transaction{"x", day, 1}), ErrInvalid)
	assert.Zero(t, bad.Transactions())
}

// Issue 10: an RFM accumulator with other options merged without complaint (only the period
// and location were compared; the unit and calibration end were the caller's to pass to
// Summary), and counts or sums that overflow were accepted.
func TestRFMAccumulatorMergeRefusesOtherOptions(t *testing.T) {
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	base := RFMOptions{Unit: cxkit.Week, CalibrationEnd: day.AddDate(0, 3, 0)}
	for name, other := range map[string]RFMOptions{
		"unit":            {Unit: cxkit.Day, CalibrationEnd: base.CalibrationEnd},
		"period":          {Unit: cxkit.Week, Period: cxkit.Week, CalibrationEnd: base.CalibrationEnd},
		"location":        {Unit: cxkit.Week, Location: time.FixedZone("X", 3600), CalibrationEnd: base.CalibrationEnd},
		"calibration end": {Unit: cxkit.Week, CalibrationEnd: base.CalibrationEnd.AddDate(0, 0, 1)},
		"holdout":         {Unit: cxkit.Week, CalibrationEnd: base.CalibrationEnd, HoldoutEnd: base.CalibrationEnd.AddDate(0, 1, 0)},
	} {
		a := RFMAccumulator{Options: base}
		require.NoError(t, a.Add(Transaction{"a", day, 1}))
		b := RFMAccumulator{Options: other}
		require.NoError(t, b.Add(Transaction{"b", day, 2}))
		before, _ := a.MarshalBinary()
		err := a.Merge(&b)
		assert.ErrorIs(t, err, ErrIncompatible, name)
		after, _ := a.MarshalBinary()
		assert.Equal(t, before, after, "%s: receiver unchanged", name)
	}
	// The same options in another time zone's notation are the same options.
	a := RFMAccumulator{Options: base}
	require.NoError(t, a.Add(Transaction{"a", day, 1}))
	same := base
	same.CalibrationEnd = same.CalibrationEnd.In(time.FixedZone("Y", -7200))
	b := RFMAccumulator{Options: same}
	require.NoError(t, b.Add(Transaction{"b", day, 2}))
	require.NoError(t, a.Merge(&b))
	assert.Equal(t, 2, a.Transactions())

	// Overflowing sums: the receiver is unchanged, the error names the customer.
	big := RFMAccumulator{}
	require.NoError(t, big.Add(Transaction{"a", day, 1e308}))
	assert.ErrorIs(t, big.Add(Transaction{"a", day, 1e308}), ErrOutOfRange)
	other := RFMAccumulator{}
	require.NoError(t, other.Add(Transaction{"b", day, 1}))
	require.NoError(t, other.Add(Transaction{"a", day.Add(time.Hour), 1e308}))
	before, _ := big.MarshalBinary()
	err := big.Merge(&other)
	assert.ErrorIs(t, err, ErrOutOfRange)
	assert.ErrorContains(t, err, `customer "a"`)
	after, _ := big.MarshalBinary()
	assert.Equal(t, before, after)
	// A count at the encoding's limit cannot grow.
	var full RFMAccumulator
	require.NoError(t, full.UnmarshalJSON([]byte(`{"unit":"day","period":"day","location":"UTC","customers":[{"id":"a","periods":[{"period":1,"amount":1,"count":2147483647}]}]}`)))
	assert.ErrorIs(t, full.Add(Transaction{"a", periodStart(1, time.UTC, cxkit.Day), 1}), ErrOutOfRange)
	assert.ErrorIs(t, full.Merge(&full), ErrOutOfRange)
	assert.Equal(t, math.MaxInt32, full.Transactions())
}

// The options are part of the accumulator: they survive both encodings.
func TestRFMAccumulatorEncodesOptions(t *testing.T) {
	a := RFMAccumulator{Options: cdnowOptions}
	require.NoError(t, a.AddAll(cdnowTransactions(t)[:300]))
	want, err := a.Result()
	require.NoError(t, err)
	b, err := a.MarshalBinary()
	require.NoError(t, err)
	var fromBinary, fromJSON RFMAccumulator
	require.NoError(t, fromBinary.UnmarshalBinary(b))
	js, err := a.MarshalJSON()
	require.NoError(t, err)
	require.NoError(t, fromJSON.UnmarshalJSON(js))
	for _, d := range []*RFMAccumulator{&fromBinary, &fromJSON} {
		got, err := d.Result()
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.True(t, sameOptions(a.opt, d.opt))
	}
}

// Every single-byte change of an encoding is an error (the CRC-32 of internal/wire), never a
// different accumulator; flipping each byte by XOR 0x01 and, over the header, by every value.
func TestRFMAccumulatorByteFlips(t *testing.T) {
	a := RFMAccumulator{Options: cdnowOptions}
	require.NoError(t, a.AddAll(cdnowTransactions(t)[:40]))
	b, err := a.MarshalBinary()
	require.NoError(t, err)
	require.Greater(t, len(b), 100)
	for i := range b {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			bad := append([]byte{}, b...)
			bad[i] ^= x
			var got RFMAccumulator
			err := got.UnmarshalBinary(bad)
			require.Error(t, err, "byte %d ^ %#x decoded", i, x)
			assert.ErrorIs(t, err, ErrInvalid)
		}
	}
	for i := 0; i < 9; i++ {
		for x := 1; x < 256; x++ {
			bad := append([]byte{}, b...)
			bad[i] ^= byte(x)
			var got RFMAccumulator
			require.Error(t, got.UnmarshalBinary(bad), "byte %d ^ %#x decoded", i, x)
		}
	}
}
