package responsetime

import (
	"errors"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// usBusiness is Mon–Fri 09:00–17:00 in New York with Thanksgiving and Christmas as holidays.
func usBusiness(t testing.TB) BusinessHours {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(us.ThanksgivingDay, us.ChristmasDay)
	return BusinessHours{Calendar: c, Location: mustLoc(t, "America/New_York")}
}

// TestWorkingTime checks hand-computed working times. Every expected value is worked out in
// the comment of its case from the calendar's hours; dates are checked against a 2026
// calendar (1 March 2026 and 1 November 2026 are Sundays). DST dates: US 8 March and 1 November
// 2026; EU 29 March and 25 October 2026 (second/first and last Sundays, per the tz database).
func TestWorkingTime(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	berlin := mustLoc(t, "Europe/Berlin")
	sundayWork := cal.NewBusinessCalendar()
	sundayWork.SetWorkday(time.Sunday, true)
	night := Schedule{Location: berlin}
	for d := range night.Week {
		night.Week[d] = []Shift{{0, 6 * time.Hour}}
	}
	split := Schedule{Location: ny}
	for d := time.Monday; d <= time.Friday; d++ {
		split.Week[d] = []Shift{{8 * time.Hour, 12 * time.Hour}, {13 * time.Hour, 17 * time.Hour}}
	}
	split.Week[time.Saturday] = []Shift{{10 * time.Hour, 14 * time.Hour}}
	xmas := &cal.Calendar{}
	xmas.AddHoliday(us.ChristmasDay)
	office := Schedule{Location: ny, Holidays: xmas}
	for d := time.Monday; d <= time.Friday; d++ {
		office.Week[d] = []Shift{{9 * time.Hour, 17 * time.Hour}}
	}
	utcBusiness := BusinessHours{Calendar: cal.NewBusinessCalendar(), Location: time.UTC}

	tests := []struct {
		name       string
		c          Calendar
		start, end time.Time
		want       time.Duration
	}{
		{"weekend: Fri 16:00 to Mon 10:00 = 1h Fri + 1h Mon", usBusiness(t),
			time.Date(2026, 11, 20, 16, 0, 0, 0, ny), time.Date(2026, 11, 23, 10, 0, 0, 0, ny), 2 * time.Hour},
		{"same instants given in UTC (21:00Z, 15:00Z) are counted in New York", usBusiness(t),
			time.Date(2026, 11, 20, 21, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC), 2 * time.Hour},
		{"same UTC instants by a UTC calendar: Fri 21:00Z closed, Mon 09–15 = 6h", utcBusiness,
			time.Date(2026, 11, 20, 21, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC), 6 * time.Hour},
		{"Thanksgiving: Wed 16:30 to Fri 09:30 = 30m Wed + 0 Thu 26 Nov + 30m Fri", usBusiness(t),
			time.Date(2026, 11, 25, 16, 30, 0, 0, ny), time.Date(2026, 11, 27, 9, 30, 0, 0, ny), time.Hour},
		{"US spring forward over the weekend: Fri 6 Mar 16:00 EST to Mon 9 Mar 10:00 EDT = 2h", usBusiness(t),
			time.Date(2026, 3, 6, 16, 0, 0, 0, ny), time.Date(2026, 3, 9, 10, 0, 0, 0, ny), 2 * time.Hour},
		{"calendar time over the same span is 65h, not 66h", nil,
			time.Date(2026, 3, 6, 16, 0, 0, 0, ny), time.Date(2026, 3, 9, 10, 0, 0, 0, ny), 65 * time.Hour},
		{"EU spring forward: shift 00:00–06:00 on 29 Mar lasts 5h", night,
			time.Date(2026, 3, 28, 12, 0, 0, 0, berlin), time.Date(2026, 3, 29, 12, 0, 0, 0, berlin), 5 * time.Hour},
		{"EU fall back: shift 00:00–06:00 on 25 Oct lasts 7h", night,
			time.Date(2026, 10, 24, 12, 0, 0, 0, berlin), time.Date(2026, 10, 25, 12, 0, 0, 0, berlin), 7 * time.Hour},
		{"workday on a spring-forward Sunday: 09:00–17:00 CEST is 8h", BusinessHours{Calendar: sundayWork, Location: berlin},
			time.Date(2026, 3, 29, 0, 0, 0, 0, berlin), time.Date(2026, 3, 30, 0, 0, 0, 0, berlin), 8 * time.Hour},
		{"workday on a fall-back Sunday: 09:00–17:00 CET is 8h", BusinessHours{Calendar: sundayWork, Location: berlin},
			time.Date(2026, 10, 25, 0, 0, 0, 0, berlin), time.Date(2026, 10, 26, 0, 0, 0, 0, berlin), 8 * time.Hour},
		{"split shift: Mon 11:30 to 13:30 = 30m + lunch 0 + 30m", split,
			time.Date(2026, 11, 23, 11, 30, 0, 0, ny), time.Date(2026, 11, 23, 13, 30, 0, 0, ny), time.Hour},
		{"split shifts over a weekend: Fri 16:00 to Mon 08:30 = 1h + Sat 4h + 30m", split,
			time.Date(2026, 11, 20, 16, 0, 0, 0, ny), time.Date(2026, 11, 23, 8, 30, 0, 0, ny), 5*time.Hour + 30*time.Minute},
		{"schedule holiday: Thu 24 Dec 16:00 to Mon 28 Dec 09:00 = 1h (Fri 25 Dec closed)", office,
			time.Date(2026, 12, 24, 16, 0, 0, 0, ny), time.Date(2026, 12, 28, 9, 0, 0, 0, ny), time.Hour},
		{"empty interval", office,
			time.Date(2026, 12, 24, 16, 0, 0, 0, ny), time.Date(2026, 12, 24, 16, 0, 0, 0, ny), 0},
		{"outside hours only: Sat to Sun", office,
			time.Date(2026, 11, 21, 10, 0, 0, 0, ny), time.Date(2026, 11, 22, 23, 0, 0, 0, ny), 0},
		{"a full week of the office schedule is 40h", office,
			time.Date(2026, 11, 16, 0, 0, 0, 0, ny), time.Date(2026, 11, 23, 0, 0, 0, 0, ny), 40 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := elapsed(tc.c, tc.start, tc.end, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			if tc.c != nil {
				got, err = tc.c.WorkingTime(tc.start, tc.end)
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				// the memoised path agrees
				got, err = elapsed(tc.c, tc.start, tc.end, map[int64][]span{})
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
			}
		})
	}
}

// TestRickarDSTShift documents why this package does not call WorkHoursInRange: rickar/cal
// v2.1.13 starts the working day at local midnight + 9h of absolute time, which on the
// spring-forward Sunday in Berlin is 10:00 CEST (and ends it at 18:00). Hand-computed: from
// 17:30 to 18:00 CEST the office (09:00–17:00) is closed; rickar/cal counts 8 hours.
func TestRickarDSTShift(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	c := cal.NewBusinessCalendar()
	c.SetWorkday(time.Sunday, true)
	assert.Equal(t, 10, c.WorkdayStart(time.Date(2026, 3, 29, 12, 0, 0, 0, berlin)).Hour(), "rickar/cal behaviour changed: revisit the doc")
	start, end := time.Date(2026, 3, 29, 17, 30, 0, 0, berlin), time.Date(2026, 3, 29, 18, 0, 0, 0, berlin)
	assert.Equal(t, 8*time.Hour, c.WorkHoursInRange(start, end), "rickar/cal behaviour changed: revisit the doc")
	got, err := BusinessHours{Calendar: c, Location: berlin}.WorkingTime(start, end)
	require.NoError(t, err)
	assert.Equal(t, time.Duration(0), got)
}

func TestCalendarErrors(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	noDays := cal.NewBusinessCalendar()
	for d := time.Sunday; d <= time.Saturday; d++ {
		noDays.SetWorkday(d, false)
	}
	zeroHours := cal.NewBusinessCalendar()
	zeroHours.SetWorkHours(9*time.Hour, 9*time.Hour)
	tests := []struct {
		name string
		c    interface {
			Calendar
			Validate() error
		}
		want    error
		message string
	}{
		{"BusinessHours without calendar", BusinessHours{Location: ny}, ErrInvalid, "Calendar is nil"},
		{"BusinessHours without location", BusinessHours{Calendar: cal.NewBusinessCalendar()}, ErrInvalid, "Location is nil"},
		{"no workday at all", BusinessHours{Calendar: noDays, Location: ny}, ErrInvalid, "no working time"},
		{"zero-length working day", BusinessHours{Calendar: zeroHours, Location: ny}, ErrInvalid, "not a non-empty part"},
		{"empty schedule", Schedule{Location: ny}, ErrInvalid, "no working time"},
		{"schedule without location", Schedule{Week: [7][]Shift{time.Monday: {{0, time.Hour}}}}, ErrInvalid, "Location is nil"},
		{"zero-length shift", Schedule{Location: ny, Week: [7][]Shift{time.Monday: {{time.Hour, time.Hour}}}}, ErrInvalid, "Monday shift 0"},
		{"shift past midnight", Schedule{Location: ny, Week: [7][]Shift{time.Friday: {{22 * time.Hour, 26 * time.Hour}}}}, ErrOutOfRange, "Friday shift 0"},
		{"overlapping shifts", Schedule{Location: ny, Week: [7][]Shift{time.Tuesday: {{8 * time.Hour, 12 * time.Hour}, {11 * time.Hour, 13 * time.Hour}}}}, ErrInvalid, "Tuesday shift 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate()
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.want), "%v", err)
			assert.Contains(t, err.Error(), tc.message)
			_, err = Summarize([]Query{{Received: time.Now()}}, Options{Calendar: tc.c})
			assert.True(t, errors.Is(err, tc.want), "Summarize: %v", err)
		})
	}
	// end before start
	_, err := usBusiness(t).WorkingTime(time.Date(2026, 1, 2, 0, 0, 0, 0, ny), time.Date(2026, 1, 1, 0, 0, 0, 0, ny))
	assert.ErrorIs(t, err, ErrOutOfRange)
	// a span of more than a century
	_, err = usBusiness(t).WorkingTime(time.Date(1900, 1, 1, 0, 0, 0, 0, ny), time.Date(2026, 1, 1, 0, 0, 0, 0, ny))
	assert.ErrorIs(t, err, ErrOutOfRange)
}

// TestWorkingTimeAdditive checks W(a, c) = W(a, b) + W(b, c) and W ≤ c − a on a grid of
// instants around both DST changes of 2026 in New York.
func TestWorkingTimeAdditive(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	cals := []Calendar{usBusiness(t), Schedule{Location: ny, Week: [7][]Shift{
		time.Sunday: {{0, 3 * time.Hour}, {20 * time.Hour, 24 * time.Hour}},
		time.Monday: {{9 * time.Hour, 12 * time.Hour}, {13 * time.Hour, 17 * time.Hour}},
	}}}
	for _, base := range []time.Time{time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC)} {
		for _, c := range cals {
			for a := 0; a < 96; a += 7 {
				for b := a; b < 120; b += 11 {
					ta, tb, tc := base.Add(time.Duration(a)*time.Hour), base.Add(time.Duration(b)*time.Hour), base.Add(130*time.Hour)
					wab, err1 := c.WorkingTime(ta, tb)
					wbc, err2 := c.WorkingTime(tb, tc)
					wac, err3 := c.WorkingTime(ta, tc)
					require.NoError(t, errors.Join(err1, err2, err3))
					assert.Equal(t, wac, wab+wbc)
					assert.LessOrEqual(t, wab, tb.Sub(ta))
				}
			}
		}
	}
}

// halfTime is a caller-supplied Calendar: half of every interval counts.
type halfTime struct{ bad bool }

func (h halfTime) WorkingTime(start, end time.Time) (time.Duration, error) {
	if h.bad {
		return -time.Second, nil
	}
	return end.Sub(start) / 2, nil
}

func TestCustomCalendar(t *testing.T) {
	q := []Query{{ID: "c", Received: t0, FirstResponse: t0.Add(2 * time.Hour)}}
	s, err := Summarize(q, Options{Calendar: halfTime{}})
	require.NoError(t, err)
	assert.Equal(t, time.Hour, s.Mean)
	_, err = Summarize(q, Options{Calendar: halfTime{bad: true}})
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), `query "c" (index 0)`)
}

// TestBusinessHoursFuncs: rickar/cal's WorkdayStartFunc/WorkdayEndFunc give Friday short hours
// (09:00–13:00) and other days 08:00–16:00. Hand-computed: Thu 15:00 to Mon 09:00 in New York =
// 1h Thu + 4h Fri + 1h Mon = 6h.
func TestBusinessHoursFuncs(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	c := cal.NewBusinessCalendar()
	c.WorkdayStartFunc = func(d time.Time) time.Time {
		h := 8
		if d.Weekday() == time.Friday {
			h = 9
		}
		return time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, d.Location())
	}
	c.WorkdayEndFunc = func(d time.Time) time.Time {
		h := 16
		if d.Weekday() == time.Friday {
			h = 13
		}
		return time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, d.Location())
	}
	got, err := BusinessHours{Calendar: c, Location: ny}.WorkingTime(time.Date(2026, 11, 19, 15, 0, 0, 0, ny), time.Date(2026, 11, 23, 9, 0, 0, 0, ny))
	require.NoError(t, err)
	assert.Equal(t, 6*time.Hour, got)

	// An end function returning midnight of the next day is a day ending at 24:00.
	c.WorkdayEndFunc = func(d time.Time) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, d.Location())
	}
	got, err = BusinessHours{Calendar: c, Location: ny}.WorkingTime(time.Date(2026, 11, 23, 0, 0, 0, 0, ny), time.Date(2026, 11, 24, 0, 0, 0, 0, ny))
	require.NoError(t, err)
	assert.Equal(t, 16*time.Hour, got) // Monday 08:00–24:00
}
