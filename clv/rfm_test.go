package clv

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSummarizeCDNOW(t *testing.T) {
	tx := cdnowTransactions(t)
	require.Len(t, tx, 6919) // data README: 6,919 transactions
	s, err := Summarize(tx, RFMOptions{
		Unit:           cxkit.Week,
		Period:         cxkit.Day,
		CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
		HoldoutEnd:     time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC),
	})
	require.NoError(t, err)
	// Reference: cdnow_customers_summary_with_transactions.csv (lifetimes datasets, from
	// Hardie's notes; FHL 2005): 2,357 customers, Σx = 2,457. Every row is compared: x exactly,
	// t_x, T and zbar to the file's 2 decimals (half a unit of the last digit, plus 1e-9).
	ref := cdnowSpend(t)
	require.Len(t, s.Customers, len(ref))
	byID := map[string]RFM{}
	total := 0
	for _, r := range s.Customers {
		byID[r.ID] = r
		total += r.Frequency
	}
	assert.Equal(t, 2457, total)
	const tol = 0.005 + 1e-9
	for _, want := range ref {
		got, ok := byID[want.ID]
		if !assert.True(t, ok, "customer %s missing", want.ID) {
			continue
		}
		assert.Equal(t, want.Frequency, got.Frequency, "x of %s", want.ID)
		assert.InDelta(t, want.Recency, got.Recency, tol, "t_x of %s", want.ID)
		assert.InDelta(t, want.T, got.T, tol, "T of %s", want.ID)
		assert.InDelta(t, want.MonetaryValue, got.MonetaryValue, tol, "zbar of %s", want.ID)
		assert.NoError(t, got.Validate(), "customer %s", want.ID)
		assert.InDelta(t, 39, got.HoldoutDuration, 1e-12) // 273 days = 39 weeks
	}
	assert.Equal(t, 6919, s.Transactions)
	assert.Zero(t, s.AfterEnd)
	assert.Empty(t, s.NoHistory)
	// Customer 1 (sample ID 0001) bought on 1997-01-01, 01-18, 08-02 and 12-12: one holdout
	// purchase of $26.48.
	assert.Equal(t, 1, byID["1"].HoldoutFrequency)
	assert.InDelta(t, 26.48, byID["1"].HoldoutMonetaryValue, 1e-9)
}

func TestSummarizeHandWorked(t *testing.T) {
	d := func(m time.Month, day, hour int) time.Time { return time.Date(2024, m, day, hour, 0, 0, 0, time.UTC) }
	tx := []Transaction{
		{"b", d(1, 1, 9), 10},
		{"a", d(1, 8, 10), 5},
		{"a", d(1, 8, 18), 7},   // same day: merged with the one above into 12
		{"a", d(1, 15, 12), 20}, // repeat 1, one week after the first
		{"a", d(1, 29, 12), 30}, // repeat 2, three weeks after
		{"b", d(2, 12, 8), 4},   // holdout
		{"b", d(2, 19, 8), 6},   // holdout
		{"c", d(1, 31, 23), 9},  // first purchase on the calibration end day: no history
		{"d", d(3, 1, 0), 1},    // after the observation end
	}
	s, err := Summarize(tx, RFMOptions{Unit: cxkit.Week, CalibrationEnd: d(1, 31, 0), HoldoutEnd: d(2, 28, 0)})
	require.NoError(t, err)
	require.Len(t, s.Customers, 2)
	a, b := s.Customers[0], s.Customers[1]
	assert.Equal(t, "a", a.ID)
	assert.Equal(t, Customer{ID: "a", Frequency: 2, Recency: 3, T: 23.0 / 7, MonetaryValue: 25}, a.Customer)
	assert.Equal(t, d(1, 8, 0), a.First)
	assert.Equal(t, Customer{ID: "b", Frequency: 0, Recency: 0, T: 30.0 / 7}, b.Customer)
	assert.Equal(t, 2, b.HoldoutFrequency)
	assert.InDelta(t, 5, b.HoldoutMonetaryValue, 1e-12)
	assert.InDelta(t, 4, b.HoldoutDuration, 1e-12) // Jan 31 to Feb 28
	assert.Equal(t, []string{"c"}, s.NoHistory)
	assert.Equal(t, 1, s.AfterEnd)
	assert.Equal(t, 8, s.Transactions)
	assert.Equal(t, []Customer{a.Customer, b.Customer}, s.Histories())
}

func TestSummarizeLocationAndPeriod(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	// 03:00 UTC on Jan 2 is 22:00 on Jan 1 in New York: in New York's calendar both purchases
	// fall on Jan 1 and merge; in UTC they are a day apart.
	tx := []Transaction{
		{"a", time.Date(2024, 1, 1, 15, 0, 0, 0, time.UTC), 1},
		{"a", time.Date(2024, 1, 2, 3, 0, 0, 0, time.UTC), 1},
	}
	end := time.Date(2024, 1, 10, 12, 0, 0, 0, time.UTC)
	utc, err := Summarize(tx, RFMOptions{Unit: cxkit.Day, CalibrationEnd: end})
	require.NoError(t, err)
	assert.Equal(t, 1, utc.Customers[0].Frequency)
	local, err := Summarize(tx, RFMOptions{Unit: cxkit.Day, CalibrationEnd: end, Location: ny})
	require.NoError(t, err)
	assert.Equal(t, 0, local.Customers[0].Frequency)
	// Weekly periods start on Monday: Monday Jan 1 2024 and Sunday Jan 7 are one period.
	wk, err := Summarize([]Transaction{
		{"a", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 1},
		{"a", time.Date(2024, 1, 7, 23, 0, 0, 0, time.UTC), 1},
		{"a", time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC), 1},
	}, RFMOptions{Unit: cxkit.Week, Period: cxkit.Week, CalibrationEnd: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, Customer{ID: "a", Frequency: 1, Recency: 1, T: 4, MonetaryValue: 1}, wk.Customers[0].Customer)
	// Without a calibration end, the last transaction's period ends the calibration.
	last, err := Summarize(tx, RFMOptions{Unit: cxkit.Day})
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), last.CalibrationEnd)
	assert.Equal(t, Customer{ID: "a", Frequency: 1, Recency: 1, T: 1, MonetaryValue: 1}, last.Customers[0].Customer)
}

func TestSummarizeErrors(t *testing.T) {
	now := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	ok := []Transaction{{"a", now, 1}}
	for _, tc := range []struct {
		name string
		tx   []Transaction
		opt  RFMOptions
		want error
		msg  string
	}{
		{"empty", nil, RFMOptions{Unit: cxkit.Week}, ErrEmpty, "no transactions"},
		{"no unit", ok, RFMOptions{}, ErrInvalid, "unit"},
		{"invalid unit", ok, RFMOptions{Unit: cxkit.Year + 1}, ErrInvalid, "unit: cxkit: Period(6) is not a period"},
		{"invalid period", ok, RFMOptions{Unit: cxkit.Week, Period: 200}, ErrInvalid, "purchase period: cxkit: Period(200) is not a period"},
		{"calibration end far off", ok, RFMOptions{Unit: cxkit.Week, CalibrationEnd: time.Date(400_000, 1, 1, 0, 0, 0, 0, time.UTC)}, ErrOutOfRange, "calibration end"},
		{"time far off", []Transaction{{"a", now, 1}, {"b", time.Date(-400_000, 1, 1, 0, 0, 0, 0, time.UTC), 1}}, RFMOptions{Unit: cxkit.Week}, ErrOutOfRange, `index 1 (customer "b") has time`},
		{"holdout without calibration end", ok, RFMOptions{Unit: cxkit.Week, HoldoutEnd: now}, ErrInvalid, "calibration end"},
		{"holdout before calibration", ok, RFMOptions{Unit: cxkit.Week, CalibrationEnd: now, HoldoutEnd: now.Add(-time.Hour)}, ErrInvalid, "holdout end"},
		{"empty ID", []Transaction{{"a", now, 1}, {"", now, 1}}, RFMOptions{Unit: cxkit.Week}, ErrInvalid, "index 1"},
		{"zero time", []Transaction{{"a", time.Time{}, 1}}, RFMOptions{Unit: cxkit.Week}, ErrInvalid, "index 0"},
		{"negative amount", []Transaction{{"a", now, 1}, {"b", now, -3}}, RFMOptions{Unit: cxkit.Week}, ErrOutOfRange, `index 1 (customer "b") has amount -3`},
		{"NaN amount", []Transaction{{"a", now, math.NaN()}}, RFMOptions{Unit: cxkit.Week}, ErrOutOfRange, "NaN"},
		{"infinite amount", []Transaction{{"a", now, math.Inf(1)}}, RFMOptions{Unit: cxkit.Week}, ErrOutOfRange, "+Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Summarize(tc.tx, tc.opt)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.want), "%v", err)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestSummaryDiscrete(t *testing.T) {
	// Annual opportunities: a donor who gave in 2020 (first), 2021 and 2023, observed to 2025,
	// in calendar years (a March and a December gift fall in different years' campaigns).
	y := func(year int) time.Time { return time.Date(year, 3, 1, 0, 0, 0, 0, time.UTC) }
	tx := []Transaction{
		{"a", y(2020), 10}, {"a", y(2021).AddDate(0, 9, 0), 5}, {"a", y(2023), 5},
		{"b", y(2021), 1},
	}
	s, err := Summarize(tx, RFMOptions{Unit: cxkit.Year, Period: cxkit.Year, CalibrationEnd: y(2025)})
	require.NoError(t, err)
	ds, err := s.Discrete()
	require.NoError(t, err)
	assert.Equal(t, []Discrete{{Frequency: 2, Recency: 3, Periods: 5}, {Frequency: 0, Recency: 0, Periods: 4}}, ds)
	// Daily periods in weekly units are not whole opportunities.
	fine, err := Summarize(tx, RFMOptions{Unit: cxkit.Week, Period: cxkit.Day, CalibrationEnd: y(2025).AddDate(0, 0, 3)})
	require.NoError(t, err)
	_, err = fine.Discrete()
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "not whole periods")
	_, err = RFMSummary{}.Discrete()
	assert.ErrorIs(t, err, ErrEmpty)
}
