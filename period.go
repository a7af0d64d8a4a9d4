package cxkit

import (
	"fmt"
	"strings"
	"time"
)

// Period is a calendar period: a day, an ISO 8601 week, a month, a quarter or a year. It is the
// one way cxkit names a period of time — the step of a churn cohort table
// (churn.CohortRetention), the key of a grouped response-time report (responsetime.ByPeriod),
// the time unit of a lifetime-value model.
//
// A Period is a unit, not an interval: it says how long a step is and where steps begin on the
// calendar, and its methods place instants on that calendar in a given time zone:
//
//   - [Period.Truncate] gives the start of the period holding an instant, on the wall clock of a
//     location (midnight; Monday for a week; the 1st for a month; 1 January, April, July or
//     October for a quarter; 1 January for a year);
//   - [Period.Add] steps an instant forward or back by whole periods on its own location's wall
//     clock (so a day is a calendar day, 23 or 25 hours across a daylight-saving change, and a
//     month is a calendar month);
//   - [Period.Key] labels the period holding an instant ("2026-03-29", "2026-W13", "2026-03",
//     "2026-Q1", "2026"); keys of one Period sort in time order for years 0 to 9999;
//   - [Period.Nominal] is the fixed length of Day (24 h) and Week (7 × 24 h), and the mean
//     Gregorian length of the others (a month is 365.2425/12 days), for models that measure time
//     as a real number of periods.
//
// The zero Period is not a period: it is "unset", Valid reports false, and functions that
// take a Period reject it with an error wrapping [ErrInvalid]. A Period encodes as its name in
// text and JSON ("day", "week", "month", "quarter", "year"; the zero Period as "").
type Period uint8

// The calendar periods.
const (
	// Day is a calendar day, starting at midnight.
	Day Period = iota + 1
	// Week is an ISO 8601 week, starting on Monday at midnight.
	Week
	// Month is a calendar month, starting on the 1st at midnight.
	Month
	// Quarter is a calendar quarter (three months), starting on 1 January, April, July or
	// October at midnight.
	Quarter
	// Year is a calendar year, starting on 1 January at midnight.
	Year
)

var periodNames = [...]string{Day: "day", Week: "week", Month: "month", Quarter: "quarter", Year: "year"}

// Valid reports whether p is one of Day, Week, Month, Quarter and Year.
func (p Period) Valid() bool { return p >= Day && p <= Year }

// String returns the period's name: "day", "week", "month", "quarter" or "year"; "Period(n)"
// for an invalid value.
func (p Period) String() string {
	if !p.Valid() {
		return fmt.Sprintf("Period(%d)", uint8(p))
	}
	return periodNames[p]
}

// ParsePeriod parses a period name as String writes it (case-insensitive; surrounding space
// ignored). An unknown name is an error wrapping [ErrInvalid].
func ParsePeriod(s string) (Period, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for p := Day; p <= Year; p++ {
		if periodNames[p] == name {
			return p, nil
		}
	}
	return 0, fmt.Errorf("cxkit: unknown period %q (want day, week, month, quarter or year): %w", s, ErrInvalid)
}

// MarshalText encodes p as its name; the zero Period as the empty string. Any other invalid
// value is an error wrapping [ErrInvalid].
func (p Period) MarshalText() ([]byte, error) {
	if p == 0 {
		return []byte{}, nil
	}
	if !p.Valid() {
		return nil, fmt.Errorf("cxkit: cannot encode %v: %w", p, ErrInvalid)
	}
	return []byte(periodNames[p]), nil
}

// UnmarshalText decodes a name written by MarshalText (the empty string is the zero Period).
// An unknown name is an error wrapping [ErrInvalid], and leaves p unchanged.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = 0
		return nil
	}
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// Check returns nil for a valid period and an error wrapping [ErrInvalid] naming the value
// otherwise, for functions that take a Period argument.
func (p Period) Check() error {
	if p.Valid() {
		return nil
	}
	if p == 0 {
		return fmt.Errorf("cxkit: period not set: %w", ErrInvalid)
	}
	return fmt.Errorf("cxkit: %v is not a period: %w", p, ErrInvalid)
}

// Truncate returns the start of the period that holds t, on the wall clock of loc (nil means
// UTC), as an instant in loc. On a day whose midnight does not exist (a daylight-saving change
// at 00:00, as in Santiago or Havana) the start is the first instant of that day, the moment
// of the change (01:00 on the new clock). An invalid Period returns t unchanged in loc.
func (p Period) Truncate(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	y, m, d := t.Date()
	switch p {
	case Day:
		return midnight(y, m, d, loc)
	case Week:
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		return midnight(y, m, d-back, loc)
	case Month:
		return midnight(y, m, 1, loc)
	case Quarter:
		return midnight(y, m-(m-1)%3, 1, loc)
	case Year:
		return midnight(y, time.January, 1, loc)
	}
	return t
}

// midnight returns the first instant of the date y-m-d (normalised as time.Date does) in loc.
// Where midnight falls in a daylight-saving gap, time.Date may move it back into the previous
// day (23:00 on the old clock); the day then starts at the end of that zone period, the
// change. A date a zone skipped altogether (Apia, 30 December 2011) gives the first instant
// after it.
func midnight(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	wy, wm, wd := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Date()
	if ty, tm, td := t.Date(); ty == wy && tm == wm && td == wd {
		return t // midnight, or the change that replaced it
	}
	if _, end := t.ZoneBounds(); !end.IsZero() && end.After(t) {
		return end
	}
	return t
}

// Add returns t moved by n periods (n may be negative) on the wall clock of t's location.
// Days and weeks move by calendar days (time.AddDate), keeping the time of day. Months,
// quarters and years keep the day of the month where it exists and otherwise clamp to the
// month's last day, so 31 January + 1 month is 28 (or 29) February, not 3 March, and the k-th
// step from an origin is always in the k-th following month. An invalid Period returns t.
//
// Add does not check for overflow; a caller stepping by a count it does not control should
// bound it (there are about 3.6 million days between years 1 and 9999).
func (p Period) Add(t time.Time, n int) time.Time {
	switch p {
	case Day:
		return t.AddDate(0, 0, n)
	case Week:
		return t.AddDate(0, 0, 7*n)
	case Month:
		return addMonths(t, n)
	case Quarter:
		return addMonths(t, 3*n)
	case Year:
		return addMonths(t, 12*n)
	}
	return t
}

// addMonths moves t by n calendar months, clamping the day to the target month's length.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	total := int(m) - 1 + n
	ty, tm := y+total/12, total%12
	if tm < 0 {
		tm += 12
		ty--
	}
	last := time.Date(ty, time.Month(tm+2), 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(ty, time.Month(tm+1), min(d, last), hh, mm, ss, t.Nanosecond(), t.Location())
}

// Next returns the start of the period after the one that holds t, on the wall clock of loc
// (nil means UTC): Truncate(Add(Truncate(t, loc), 1), loc), which is Add(Truncate(t, loc), 1)
// except where the next period's midnight does not exist (Next then gives the first instant
// of that day, where Add keeps the wall-clock time that time.Date moves back an hour).
func (p Period) Next(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	if !p.Valid() {
		return t.In(loc)
	}
	s := p.Truncate(t, loc)
	y, m, d := s.Date()
	switch p {
	case Day:
		return midnight(y, m, d+1, loc)
	case Week:
		return midnight(y, m, d+7, loc)
	case Month:
		return midnight(y, m+1, 1, loc)
	case Quarter:
		return midnight(y, m+3, 1, loc)
	}
	return midnight(y+1, time.January, 1, loc)
}

// Key labels the period that holds t on the wall clock of loc (nil means UTC): "2026-03-29"
// for a day, the ISO 8601 week "2026-W13" (whose year is the ISO week-numbering year), "2026-03"
// for a month, "2026-Q1" for a quarter, "2026" for a year. Keys of one Period sort in time
// order for years 0 to 9999. An invalid Period gives the RFC 3339 time.
func (p Period) Key(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	switch p {
	case Day:
		return t.Format("2006-01-02")
	case Week:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case Month:
		return t.Format("2006-01")
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", t.Year(), (int(t.Month())+2)/3)
	case Year:
		return fmt.Sprintf("%04d", t.Year())
	}
	return t.Format(time.RFC3339Nano)
}

// Nominal returns the period's length as a duration: exactly 24 h for Day and 7 × 24 h for
// Week; the mean Gregorian length for the others (Year 365.2425 days, Quarter a quarter and
// Month a twelfth of that). exact reports whether the length is fixed (Day and Week; a calendar
// day across a daylight-saving change still differs from 24 h of elapsed time, which is what
// Nominal measures). An invalid Period returns 0, false.
func (p Period) Nominal() (d time.Duration, exact bool) {
	const year = 365.2425 * 24 * float64(time.Hour)
	switch p {
	case Day:
		return 24 * time.Hour, true
	case Week:
		return 7 * 24 * time.Hour, true
	case Month:
		return time.Duration(year / 12), false
	case Quarter:
		return time.Duration(year / 4), false
	case Year:
		return time.Duration(year), false
	}
	return 0, false
}
