package churn

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func month(m time.Month) time.Time { return time.Date(2026, m, 15, 12, 0, 0, 0, time.UTC) }

// revenueLog is the hand-worked bridge of TestRevenueRetention:
//
//	Jan: A 100, B 50, C 30
//	Feb: A 120 (+20 expansion), B 40 (−10 contraction), C 0 (30 churned), D 60 (new)
//	Mar: A 120, B 40, D 0 (60 churned), C 30 (returns: new), E 10 (new)
//	Apr: nothing (all 200 churned)        May: A 100 (new; no base)
func revenueLog() []RevenueRecord {
	r := func(c string, m time.Month, v float64) RevenueRecord {
		return RevenueRecord{Customer: c, Time: month(m), Revenue: v}
	}
	return []RevenueRecord{
		r("A", 1, 60), r("A", 1, 40), r("B", 1, 50), r("C", 1, 30), // A's two plans add up
		r("A", 2, 120), r("B", 2, 40), r("D", 2, 60), r("C", 2, 0),
		r("A", 3, 120), r("B", 3, 40), r("C", 3, 30), r("E", 3, 10),
		r("A", 5, 100),
	}
}

func TestRevenueRetention(t *testing.T) {
	rows, err := RevenueRetention(revenueLog(), cxkit.Month, nil)
	require.NoError(t, err)
	require.Len(t, rows, 4)
	feb, mar, apr, may := rows[0], rows[1], rows[2], rows[3]
	assert.Equal(t, "2026-02", feb.Key)
	assert.Equal(t, RevenuePeriod{Key: "2026-02", Start: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
		Starting: 180, Expansion: 20, Contraction: 10, Churned: 30, New: 60, Ending: 220,
		Customers: 3, ChurnedCustomers: 1, GRR: 140.0 / 180, NRR: 160.0 / 180, Defined: true}, feb)
	assert.Equal(t, 220.0, mar.Starting)
	assert.Equal(t, 60.0, mar.Churned)
	assert.Equal(t, 40.0, mar.New) // C's return and E
	assert.Equal(t, 200.0, mar.Ending)
	assert.InDelta(t, 160.0/220, mar.GRR, 1e-15)
	assert.InDelta(t, 160.0/220, mar.NRR, 1e-15)
	assert.Equal(t, 200.0, apr.Churned)
	assert.Equal(t, 0.0, apr.GRR)
	assert.True(t, apr.Defined)
	assert.False(t, may.Defined, "no base revenue in April")
	assert.Equal(t, 100.0, may.New)
	for _, r := range rows { // the bridge balances
		assert.InDelta(t, r.Starting+r.New+r.Expansion-r.Contraction-r.Churned, r.Ending, 1e-9, r.Key)
	}
}

func TestRevenueRetentionErrors(t *testing.T) {
	good := RevenueRecord{Customer: "A", Time: month(1), Revenue: 1}
	for _, tc := range []struct {
		name string
		recs []RevenueRecord
		want error
		text string
	}{
		{"empty", nil, ErrEmpty, "no revenue"},
		{"no customer", []RevenueRecord{good, {Time: month(2), Revenue: 1}}, ErrInvalid, "record 1"},
		{"no time", []RevenueRecord{good, {Customer: "B", Revenue: 1}}, ErrInvalid, "record 1"},
		{"negative", []RevenueRecord{good, {Customer: "B", Time: month(2), Revenue: -3}}, ErrOutOfRange, "-3"},
		{"NaN", []RevenueRecord{good, {Customer: "B", Time: month(2), Revenue: math.NaN()}}, ErrOutOfRange, "NaN"},
		{"one period", []RevenueRecord{good, {Customer: "B", Time: month(1), Revenue: 2}}, ErrEmpty, "one month"},
	} {
		_, err := RevenueRetention(tc.recs, cxkit.Month, nil)
		require.Error(t, err, tc.name)
		assert.True(t, errors.Is(err, tc.want), "%s: %v", tc.name, err)
		assert.Contains(t, err.Error(), tc.text, tc.name)
	}
	// Daily periods from 2026 to 9000: over 2.5 million days.
	_, err := RevenueRetention([]RevenueRecord{good, {Customer: "B", Time: time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC), Revenue: 2}}, cxkit.Day, nil)
	assert.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "100000")
	_, err = RevenueRetention([]RevenueRecord{good}, cxkit.Period(0), nil)
	assert.ErrorIs(t, err, ErrInvalid)
}

// FuzzRevenueRetention: for any valid log the bridge balances, GRR ≤ 1 ≤ … never negative,
// NRR ≥ GRR, and splitting a customer's revenue into two records changes nothing.
func FuzzRevenueRetention(f *testing.F) {
	f.Add([]byte{0, 1, 100, 1, 1, 50, 0, 2, 120, 2, 2, 7})
	f.Fuzz(func(t *testing.T, data []byte) {
		var recs, split []RevenueRecord
		for ; len(data) >= 3; data = data[3:] {
			r := RevenueRecord{Customer: string('A' + rune(data[0]%6)), Time: month(time.Month(1 + data[1]%6)), Revenue: float64(data[2])}
			recs = append(recs, r)
			half := r
			half.Revenue /= 2
			split = append(split, half, half)
		}
		rows, err := RevenueRetention(recs, cxkit.Month, time.UTC)
		if err != nil {
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		rows2, err := RevenueRetention(split, cxkit.Month, time.UTC)
		require.NoError(t, err)
		for i, r := range rows {
			if math.Abs(r.Starting+r.New+r.Expansion-r.Contraction-r.Churned-r.Ending) > 1e-9*(1+r.Ending) {
				t.Fatalf("bridge does not balance: %+v", r)
			}
			if r.Defined && (r.GRR < -1e-12 || r.GRR > 1+1e-12 || r.NRR < r.GRR-1e-12) {
				t.Fatalf("ratios out of range: %+v", r)
			}
			if math.Abs(r.NRR-rows2[i].NRR) > 1e-9 || math.Abs(r.Ending-rows2[i].Ending) > 1e-9 {
				t.Fatalf("splitting records changes the result: %+v vs %+v", r, rows2[i])
			}
		}
	})
}
