package clv

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// awkwardZones are time zones with awkward calendars: daylight saving at 02:00 (New York, Paris),
// at midnight (Santiago: some days have no midnight), a half-hour offset (Kolkata), and a zone
// that skipped a whole day (Apia, 30 December 2011).
func awkwardZones(t *testing.T) []*time.Location {
	locs := []*time.Location{time.UTC, time.FixedZone("X", -9*3600-30*60)}
	for _, name := range []string{"America/New_York", "Europe/Paris", "America/Santiago", "Asia/Kolkata", "Pacific/Apia"} {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err, "zone %s (the tests need the system's tz database)", name)
		locs = append(locs, loc)
	}
	return locs
}

// The purchase periods are cxkit.Period's calendar periods: the start of the period holding
// an instant is Period.Truncate's, Period.Next starts the next index, and index 0 holds
// Monday 1970-01-05.
func TestPurchasePeriodsFollowTruncate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, loc := range awkwardZones(t) {
		for p := cxkit.Day; p <= cxkit.Year; p++ {
			assert.Equal(t, int64(0), periodOf(time.Date(1970, 1, 5, 12, 0, 0, 0, loc), loc, p), "%v in %v", p, loc)
			for range 2000 {
				// Instants from 1800 to 2200, and around the Apia and Santiago changes.
				at := time.Unix(r.Int64N(400*365*86400)-170*365*86400, 0)
				if r.IntN(4) == 0 {
					at = time.Date(2011, 12, 29+r.IntN(3), r.IntN(24), 0, 0, 0, time.UTC)
				}
				i := periodOf(at, loc, p)
				start := periodStart(i, loc, p)
				require.True(t, start.Equal(p.Truncate(at, loc)), "%v of %v in %v: start %v, Truncate %v", p, at, loc, start, p.Truncate(at, loc))
				require.Equal(t, i, periodOf(start, loc, p), "%v of %v in %v", p, at, loc)
				// The next period's index is one more, or two after Apia's skipped day.
				next := p.Next(at, loc)
				require.Equal(t, i, periodOf(next.Add(-time.Nanosecond), loc, p), "%v before %v in %v", p, next, loc)
				require.Contains(t, []int64{i + 1, i + 2}, periodOf(next, loc, p), "%v after %v in %v", p, at, loc)
			}
		}
	}
}

// Calendar purchase periods: an ISO week runs Monday to Sunday across a year's end; a month
// is a calendar month of any length, counted at its mean length (365.2425/12 days) in the
// unit.
func TestSummarizeCalendarPeriods(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 15, 0, 0, 0, time.UTC) }
	// ISO week 2025-W01 runs from Monday 30 December 2024 to Sunday 5 January 2025.
	wk, err := Summarize([]Transaction{
		{"a", d(2024, 12, 29), 1}, // Sunday: week 2024-W52
		{"a", d(2024, 12, 30), 2}, // 2025-W01
		{"a", d(2025, 1, 5), 3},   // 2025-W01: merged with the one before
		{"a", d(2025, 1, 6), 4},   // 2025-W02
	}, RFMOptions{Unit: cxkit.Day, Period: cxkit.Week, CalibrationEnd: d(2025, 1, 22)})
	require.NoError(t, err)
	assert.Equal(t, Customer{ID: "a", Frequency: 2, Recency: 14, T: 28, MonetaryValue: 4.5}, wk.Customers[0].Customer)
	assert.Equal(t, time.Date(2024, 12, 23, 0, 0, 0, 0, time.UTC), wk.Customers[0].First)
	assert.Equal(t, time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC), wk.CalibrationEnd)

	tx := []Transaction{
		{"a", d(2024, 1, 31), 10},
		{"a", d(2024, 2, 1), 5},  // the next month, a day later
		{"a", d(2024, 2, 29), 7}, // the same month: one purchase of 12
		{"a", d(2024, 4, 15), 20},
		{"b", d(2024, 3, 1), 1},
	}
	end := d(2024, 6, 10)
	months, err := Summarize(tx, RFMOptions{Unit: cxkit.Month, Period: cxkit.Month, CalibrationEnd: end})
	require.NoError(t, err)
	assert.Equal(t, cxkit.Month, months.Unit)
	assert.Equal(t, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), months.CalibrationEnd)
	assert.Equal(t, Customer{ID: "a", Frequency: 2, Recency: 3, T: 5, MonetaryValue: 16}, months.Customers[0].Customer)
	assert.Equal(t, Customer{ID: "b", Frequency: 0, Recency: 0, T: 3}, months.Customers[1].Customer)
	ds, err := months.Discrete()
	require.NoError(t, err)
	assert.Equal(t, []Discrete{{Frequency: 2, Recency: 3, Periods: 5}, {Frequency: 0, Recency: 0, Periods: 3}}, ds)
	// The same months in weeks: 30.436875/7 weeks a month, whatever the month's length.
	weeks, err := Summarize(tx, RFMOptions{Unit: cxkit.Week, Period: cxkit.Month, CalibrationEnd: end})
	require.NoError(t, err)
	m := 365.2425 / 12 / 7
	a := weeks.Customers[0].Customer
	assert.InDelta(t, 3*m, a.Recency, 1e-12)
	assert.InDelta(t, 5*m, a.T, 1e-12)
	assert.Equal(t, 2, a.Frequency)
	// Quarterly periods in yearly units.
	q, err := Summarize(tx, RFMOptions{Unit: cxkit.Year, Period: cxkit.Quarter, CalibrationEnd: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, Customer{ID: "a", Frequency: 1, Recency: 0.25, T: 1, MonetaryValue: 20}, q.Customers[0].Customer)
}

// unitFits summarises the CDNOW sample with daily purchase periods in one unit and fits
// the BG/NBD and Pareto/NBD models to it.
func unitFits(t *testing.T, tx []Transaction, unit cxkit.Period) (RFMSummary, BGNBD, ParetoNBD) {
	opt := cdnowOptions
	opt.Unit = unit
	s, err := Summarize(tx, opt)
	require.NoError(t, err)
	bg, err := s.FitBGNBD()
	require.NoError(t, err, "BG/NBD in %v", unit)
	pn, err := s.FitParetoNBD()
	require.NoError(t, err, "Pareto/NBD in %v", unit)
	assert.Equal(t, unit, bg.Unit)
	assert.Equal(t, unit, pn.Unit)
	return s, bg, pn
}

// Issue 10: a change of unit rescales time and nothing else. The CDNOW sample summarised in
// days, weeks and months gives BG/NBD and Pareto/NBD fits whose shape parameters (r, a, b, s)
// are the same, whose rates α and β scale with the unit's nominal length (7 days a week,
// 365.2425/12 days a month), whose log-likelihoods differ by exactly the Jacobian of the time
// change (each of the Σx purchase times is a density: ln L_day = ln L_week − Σx·ln 7), and
// whose predictions over the same span of time agree. The weekly fit is the published one (FHL
// 2005: r = 0.243, α = 4.414, a = 0.793, b = 2.426).
func TestUnitChangeInvariance(t *testing.T) {
	tx := cdnowTransactions(t)
	sw, bgW, pnW := unitFits(t, tx, cxkit.Week)
	assert.InDelta(t, 0.243, bgW.R, 0.0005)
	assert.InDelta(t, 4.414, bgW.Alpha, 0.0005)
	assert.InDelta(t, 0.793, bgW.A, 0.0005)
	assert.InDelta(t, 2.426, bgW.B, 0.0005)
	sumX := 0
	for _, c := range sw.Histories() {
		sumX += c.Frequency
	}
	require.Equal(t, 2457, sumX)

	month := 365.2425 / 12 // days
	for _, tc := range []struct {
		unit    cxkit.Period
		perWeek float64 // units in a week
	}{{cxkit.Day, 7}, {cxkit.Month, 7 / month}} {
		s, bg, pn := unitFits(t, tx, tc.unit)
		// The histories are the weekly ones rescaled.
		for i, c := range s.Histories() {
			w := sw.Customers[i].Customer
			require.Equal(t, w.Frequency, c.Frequency)
			require.InEpsilon(t, w.T*tc.perWeek, c.T, 1e-12, "customer %s", c.ID)
		}
		// Shapes unchanged, rates scaled: to the optimiser's tolerance.
		assert.InEpsilon(t, bgW.R, bg.R, 1e-4, "%v: r", tc.unit)
		assert.InEpsilon(t, bgW.Alpha*tc.perWeek, bg.Alpha, 1e-4, "%v: α", tc.unit)
		assert.InEpsilon(t, bgW.A, bg.A, 1e-4, "%v: a", tc.unit)
		assert.InEpsilon(t, bgW.B, bg.B, 1e-4, "%v: b", tc.unit)
		assert.InEpsilon(t, pnW.R, pn.R, 1e-3, "%v: Pareto/NBD r", tc.unit)
		assert.InEpsilon(t, pnW.Alpha*tc.perWeek, pn.Alpha, 1e-3, "%v: Pareto/NBD α", tc.unit)
		assert.InEpsilon(t, pnW.S, pn.S, 1e-2, "%v: Pareto/NBD s", tc.unit)
		assert.InEpsilon(t, pnW.Beta*tc.perWeek, pn.Beta, 2e-2, "%v: Pareto/NBD β", tc.unit)
		// The maximised log-likelihoods differ by the Jacobian, to the optimiser's tolerance.
		jac := float64(sumX) * math.Log(tc.perWeek)
		assert.InDelta(t, bgW.Fit.LogLikelihood-jac, bg.Fit.LogLikelihood, 1e-6*math.Abs(bg.Fit.LogLikelihood), "%v: BG/NBD LL", tc.unit)
		assert.InDelta(t, pnW.Fit.LogLikelihood-jac, pn.Fit.LogLikelihood, 1e-6*math.Abs(pn.Fit.LogLikelihood), "%v: Pareto/NBD LL", tc.unit)
		// The weekly model evaluated on the rescaled parameters has exactly that likelihood:
		// the invariance is the models', not the optimiser's luck.
		exact := BGNBD{R: bgW.R, Alpha: bgW.Alpha * tc.perWeek, A: bgW.A, B: bgW.B}
		ll, err := exact.LogLikelihood(s.Histories())
		require.NoError(t, err)
		assert.InDelta(t, bgW.Fit.LogLikelihood-jac, ll, 1e-9*math.Abs(ll), "%v: BG/NBD LL at the rescaled weekly parameters", tc.unit)
		// Predictions for the next 52 weeks, and P(alive), agree customer by customer.
		for i, c := range s.Histories()[:50] {
			w := sw.Customers[i].Customer
			for _, m := range []struct {
				name       string
				inW, inU   PurchaseModel
				tol, tolPA float64
			}{{"BG/NBD", bgW, bg, 1e-3, 1e-4}, {"Pareto/NBD", pnW, pn, 2e-2, 2e-2}} {
				ew, err := m.inW.ConditionalExpectedPurchases(52, w)
				require.NoError(t, err)
				eu, err := m.inU.ConditionalExpectedPurchases(52*tc.perWeek, c)
				require.NoError(t, err)
				assert.InEpsilon(t, ew, eu, m.tol, "%v %s: E[X] of %s", tc.unit, m.name, c.ID)
				pw, err := m.inW.ProbabilityAlive(w)
				require.NoError(t, err)
				pu, err := m.inU.ProbabilityAlive(c)
				require.NoError(t, err)
				assert.InDelta(t, pw, pu, m.tolPA, "%v %s: P(alive) of %s", tc.unit, m.name, c.ID)
			}
		}
	}
}

// A month-unit model projects in months: 12 monthly steps give the values of the weekly model
// over 12 steps of 365.2425/12/7 weeks, and a projection in weeks of the monthly model is
// refused.
func TestProjectionInMonths(t *testing.T) {
	tx := cdnowTransactions(t)
	sw, bgW, _ := unitFits(t, tx, cxkit.Week)
	opt := cdnowOptions
	opt.Unit = cxkit.Month
	sm, err := Summarize(tx, opt)
	require.NoError(t, err)
	bgM, err := sm.FitBGNBD()
	require.NoError(t, err)
	spenders, _ := Spenders(sw.Histories())
	gg, err := FitGammaGamma(spenders)
	require.NoError(t, err)

	inMonths := Projection{Purchases: bgM, Spend: gg, Unit: cxkit.Month, Step: 1, Horizon: 12, DiscountRate: 0.01}
	vm, err := inMonths.Values(sm.Histories()[:40])
	require.NoError(t, err)
	inWeeks := Projection{Purchases: bgW, Spend: gg, Unit: cxkit.Week, Step: PeriodLength(cxkit.Month, cxkit.Week),
		Horizon: PeriodLength(cxkit.Year, cxkit.Week), DiscountRate: 0.01}
	vw, err := inWeeks.Values(sw.Histories()[:40])
	require.NoError(t, err)
	for i := range vm {
		assert.InEpsilon(t, vw[i], vm[i], 1e-3, "customer %s", sm.Customers[i].ID)
	}
	// The monthly model in a weekly projection: refused, naming both units.
	wrong := inWeeks
	wrong.Purchases = bgM
	_, err = wrong.Values(sm.Histories()[:40])
	assert.ErrorIs(t, err, ErrIncompatible)
	_, err = wrong.Value(sm.Histories()[0])
	assert.ErrorIs(t, err, ErrIncompatible)
	assert.ErrorContains(t, err, "projection unit week differs from the unit month the purchase model was fitted in")
	// A model with an invalid recorded unit is refused too.
	bad := inMonths
	bad.Purchases = BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: cxkit.Year + 3}
	_, err = bad.Value(sm.Histories()[0])
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "not a period")
}

func TestPeriodLength(t *testing.T) {
	assert.Equal(t, 7.0, PeriodLength(cxkit.Week, cxkit.Day))
	assert.Equal(t, 1.0/7, PeriodLength(cxkit.Day, cxkit.Week))
	assert.Equal(t, 1.0, PeriodLength(cxkit.Month, cxkit.Month))
	assert.InDelta(t, 365.2425/12/7, PeriodLength(cxkit.Month, cxkit.Week), 1e-15)
	assert.InDelta(t, 12, PeriodLength(cxkit.Year, cxkit.Month), 1e-15)
	assert.InDelta(t, 3, PeriodLength(cxkit.Quarter, cxkit.Month), 1e-15)
	assert.Zero(t, PeriodLength(0, cxkit.Week))
	assert.Zero(t, PeriodLength(cxkit.Week, cxkit.Year+1))
}

// The models and the summary carry their unit by name in JSON; encodings with the old
// nanosecond unit are refused with an error that says what happened.
func TestUnitEncodings(t *testing.T) {
	m := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: cxkit.Week}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"unit":"week"`)
	var back BGNBD
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, m, back)
	for _, v := range []any{&BGNBD{}, &MBGNBD{}, &ParetoNBD{}, &RFMSummary{}} {
		err := json.Unmarshal([]byte(`{"r":0.243,"unit":604800000000000}`), v)
		assert.ErrorIs(t, err, ErrInvalid, "%T", v)
		assert.ErrorContains(t, err, "unit 604800000000000 is a number (a duration in nanoseconds", "%T", v)
		err = json.Unmarshal([]byte(`{"unit":"fortnight"}`), v)
		assert.ErrorIs(t, err, ErrInvalid, "%T", v)
		assert.ErrorContains(t, err, `unknown period "fortnight"`, "%T", v)
	}
	// A model without a unit encodes none, and decodes to none.
	b, err = json.Marshal(ParetoNBD{R: 1, Alpha: 2, S: 3, Beta: 4})
	require.NoError(t, err)
	assert.NotContains(t, string(b), "unit")
	var pn ParetoNBD
	require.NoError(t, json.Unmarshal(b, &pn))
	assert.Zero(t, pn.Unit)
	mb := MBGNBD{R: 1, Alpha: 2, A: 3, B: 4, Unit: cxkit.Month}
	b, err = json.Marshal(mb)
	require.NoError(t, err)
	var mb2 MBGNBD
	require.NoError(t, json.Unmarshal(b, &mb2))
	assert.Equal(t, mb, mb2)

	s, err := Summarize(zeroSpendLog(), RFMOptions{Unit: cxkit.Week, CalibrationEnd: time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	b, err = json.Marshal(s)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"unit":"week"`)
	var s2 RFMSummary
	require.NoError(t, json.Unmarshal(b, &s2))
	assert.Equal(t, cxkit.Week, s2.Unit)
	assert.Equal(t, s.Histories(), s2.Histories())
	assert.True(t, s.CalibrationEnd.Equal(s2.CalibrationEnd))
}

// The accumulator's encodings name the unit and the purchase period; the previous layouts
// (version 2, seconds and nanoseconds) are refused, and so are unknown names.
func TestRFMAccumulatorEncodesPeriods(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	opt := RFMOptions{Unit: cxkit.Week, Period: cxkit.Month, Location: tokyo,
		CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC), HoldoutEnd: time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC)}
	tx := cdnowTransactions(t)
	a := RFMAccumulator{Options: opt}
	require.NoError(t, a.AddAll(tx))
	want, err := Summarize(tx, opt)
	require.NoError(t, err)
	got, err := a.Result()
	require.NoError(t, err)
	assertSameSummary(t, want, got)

	js, err := a.MarshalJSON()
	require.NoError(t, err)
	assert.Contains(t, string(js), `"unit":"week","period":"month","location":"Asia/Tokyo"`)
	bin, err := a.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, byte(3), bin[4], "layout version")
	for name, decode := range map[string]func(*RFMAccumulator) error{
		"JSON":   func(d *RFMAccumulator) error { return d.UnmarshalJSON(js) },
		"binary": func(d *RFMAccumulator) error { return d.UnmarshalBinary(bin) },
	} {
		var d RFMAccumulator
		require.NoError(t, decode(&d), name)
		r, err := d.Result()
		require.NoError(t, err, name)
		assertSameSummary(t, want, r)
		assert.Equal(t, cxkit.Month, d.Options.Period, name)
	}

	var d RFMAccumulator
	err = d.UnmarshalJSON([]byte(`{"unit":604800000000000,"period_seconds":86400,"location":"UTC","customers":[{"id":"a","periods":[{"period":1,"amount":1,"count":1}]}]}`))
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, `old encoding with "period_seconds"`)
	for _, js := range []string{
		`{"unit":"fortnight","period":"day","location":"UTC","customers":[{"id":"a","periods":[{"period":1,"amount":1,"count":1}]}]}`,
		`{"unit":"week","period":"","location":"UTC","customers":[{"id":"a","periods":[{"period":1,"amount":1,"count":1}]}]}`,
		`{"unit":"","period":"day","location":"UTC","customers":[{"id":"a","periods":[{"period":1,"amount":1,"count":1}]}]}`,
		`{"unit":"week","period":"year","location":"UTC","customers":[{"id":"a","periods":[{"period":400000,"amount":1,"count":1}]}]}`,
	} {
		assert.ErrorIs(t, d.UnmarshalJSON([]byte(js)), ErrInvalid, js)
	}
	// A version 2 encoding (unit in nanoseconds, period in seconds), checksum and all.
	w := wire.NewWriter(rfmTag, 2, 64)
	w.Uint64(uint64(7 * 24 * time.Hour))
	w.Uint64(86400)
	w.Bytes([]byte("UTC"))
	w.Uint64(0)
	w.Uint64(0)
	w.Uint64(0)
	err = d.UnmarshalBinary(w.B)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "version")
	// Names the binary layout does not know are refused.
	w = wire.NewWriter(rfmTag, rfmVersion, 64)
	w.Bytes([]byte("week"))
	w.Bytes([]byte("fortnight"))
	w.Bytes([]byte("UTC"))
	w.Uint64(0)
	w.Uint64(0)
	w.Uint64(0)
	err = d.UnmarshalBinary(w.B)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "purchase period")
}

// FuzzUnitJSON decodes arbitrary JSON into the models and the summary: an error wraps
// ErrInvalid; what decodes has a valid or zero unit and re-encodes to JSON that decodes to the
// same value (decode ∘ encode = identity on the decoded value).
func FuzzUnitJSON(f *testing.F) {
	f.Add([]byte(`{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426,"unit":"week"}`), uint8(0))
	f.Add([]byte(`{"r":0.243,"unit":604800000000000}`), uint8(1))
	f.Add([]byte(`{"r":1,"alpha":2,"s":3,"beta":4,"unit":" Month "}`), uint8(2))
	f.Add([]byte(`{"customers":[{"id":"a","frequency":1,"recency":2,"T":3}],"unit":"day","calibration_end":"2024-01-01T00:00:00Z"}`), uint8(3))
	f.Add([]byte(`{"unit":null}`), uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, kind uint8) {
		var v, w any
		var unit func() cxkit.Period
		switch kind % 4 {
		case 0:
			m, m2 := &BGNBD{}, &BGNBD{}
			v, w, unit = m, m2, func() cxkit.Period { return m.Unit }
		case 1:
			m, m2 := &MBGNBD{}, &MBGNBD{}
			v, w, unit = m, m2, func() cxkit.Period { return m.Unit }
		case 2:
			m, m2 := &ParetoNBD{}, &ParetoNBD{}
			v, w, unit = m, m2, func() cxkit.Period { return m.Unit }
		default:
			m, m2 := &RFMSummary{}, &RFMSummary{}
			v, w, unit = m, m2, func() cxkit.Period { return m.Unit }
		}
		if err := json.Unmarshal(b, v); err != nil {
			if !errors.Is(err, ErrInvalid) {
				var syn *json.SyntaxError
				if !errors.As(err, &syn) { // malformed JSON is refused by encoding/json before the method runs
					t.Fatalf("%T: error without ErrInvalid: %v", v, err)
				}
			}
			return
		}
		if u := unit(); u != 0 && !u.Valid() {
			t.Fatalf("%T decoded the invalid unit %v", v, u)
		}
		again, err := json.Marshal(v)
		if err != nil {
			return // e.g. a NaN cannot come from JSON, but a time out of range can fail to encode
		}
		if err := json.Unmarshal(again, w); err != nil {
			t.Fatalf("%T: re-encoded JSON %s does not decode: %v", v, again, err)
		}
		third, _ := json.Marshal(w)
		if string(third) != string(again) {
			t.Fatalf("%T: decode ∘ encode is not the identity:\n%s\n%s", v, again, third)
		}
	})
}
