package responsetime

import (
	"fmt"
	"math"
	"time"

	"github.com/rickar/cal/v2"
)

// Calendar measures working time: the part of the half-open interval [start, end) during which
// the team is at work. Options with a nil Calendar measure absolute (calendar) time, end − start.
//
// [BusinessHours] and [Schedule] are the two calendars of this package; a caller may supply
// its own. WorkingTime must return an error (never a negative duration) when end is before
// start, and must be safe to call with instants in any time zone. An interval longer than a
// time.Duration holds (about 292 years) is an error wrapping ErrOutOfRange, never a saturated
// value.
type Calendar interface {
	WorkingTime(start, end time.Time) (time.Duration, error)
}

// maxClosedDays is the longest run of local days without working time that a calendar of this
// package may have: a year and a day. A longer run (a holiday on every date, a workday
// function true in one week only) means the calendar cannot measure a long wait, which would
// come out as 0 s, so it is an error wrapping ErrInvalid.
const maxClosedDays = 367

// maxSpanDays bounds the number of local days a business-hours computation walks (about 100
// years), so that a corrupt timestamp cannot make a computation run for minutes.
const maxSpanDays = 36525

// span is one working interval [open, close) on one local day, as absolute instants.
type span struct{ open, close time.Time }

// dayer is implemented by the calendars of this package: the working intervals of one local
// day in the calendar's location, in time order and not overlapping.
type dayer interface {
	location() (*time.Location, error)
	spans(y int, m time.Month, d int, loc *time.Location, buf []span) ([]span, error)
}

// workingTime walks the local days of [start, end) in the calendar's location and sums the
// overlap of each day's working intervals with [start, end). Working out the intervals of each
// day with time.Date in the calendar's location makes the result right across DST changes: a
// day's shift of 00:00–06:00 lasts 5 hours on the spring-forward night in Europe and 7 on the
// fall-back night.
func workingTime(d dayer, start, end time.Time, memo map[int64][]span) (time.Duration, error) {
	if end.Before(start) {
		return 0, fmt.Errorf("end %s is before start %s: %w", end.Format(time.RFC3339), start.Format(time.RFC3339), ErrOutOfRange)
	}
	loc, err := d.location()
	if err != nil {
		return 0, err
	}
	ls, le := start.In(loc), end.In(loc)
	y, m, dd := ls.Date()
	ey, em, ed := le.Date()
	var total time.Duration
	var buf []span
	closed := 0 // consecutive days without working time
	for n := 0; ; n++ {
		if n > maxSpanDays {
			return 0, fmt.Errorf("interval %s to %s spans more than %d days: %w",
				start.Format(time.RFC3339), end.Format(time.RFC3339), maxSpanDays, ErrOutOfRange)
		}
		var sp []span
		key := int64(y)*10000 + int64(m)*100 + int64(dd)
		cached := false
		if memo != nil {
			sp, cached = memo[key]
		}
		if !cached {
			sp, err = d.spans(y, m, dd, loc, buf[:0])
			if err != nil {
				return 0, err
			}
			if memo != nil {
				sp = append([]span(nil), sp...)
				memo[key] = sp
			} else {
				buf = sp
			}
		}
		if closed++; len(sp) > 0 {
			closed = 0
		} else if closed > maxClosedDays {
			return 0, fmt.Errorf("calendar has no working time in the %d days to %04d-%02d-%02d (a holiday on every date, or workdays in too few weeks): %w",
				maxClosedDays, y, m, dd, ErrInvalid)
		}
		for _, s := range sp {
			lo, hi := s.open, s.close
			if start.After(lo) {
				lo = start
			}
			if end.Before(hi) {
				hi = end
			}
			if hi.After(lo) {
				total += hi.Sub(lo)
			}
		}
		if y == ey && m == em && dd == ed {
			return total, nil
		}
		y, m, dd = time.Date(y, m, dd+1, 12, 0, 0, 0, loc).Date()
	}
}

// elapsed is end − start in calendar time, or the working time of c.
func elapsed(c Calendar, start, end time.Time, memo map[int64][]span) (time.Duration, error) {
	switch cc := c.(type) {
	case nil:
		if end.Before(start) {
			return 0, fmt.Errorf("end %s is before start %s: %w", end.Format(time.RFC3339), start.Format(time.RFC3339), ErrOutOfRange)
		}
		return span64(start, end)
	case dayer:
		return workingTime(cc, start, end, memo)
	default:
		if _, err := span64(start, end); err != nil {
			return 0, err
		}
		d, err := c.WorkingTime(start, end)
		if err == nil && (d < 0 || d > end.Sub(start)) {
			err = fmt.Errorf("calendar %T returned working time %v for an interval of %v: %w", c, d, end.Sub(start), ErrInvalid)
		}
		return d, err
	}
}

// span64 is end − start, or an error wrapping ErrOutOfRange when it does not fit in a
// time.Duration (about 292 years), where time.Time.Sub would saturate silently.
func span64(start, end time.Time) (time.Duration, error) {
	d := end.Sub(start)
	if !start.Add(d).Equal(end) {
		return 0, fmt.Errorf("interval %s to %s is longer than the longest time.Duration (%v): %w",
			start.Format(time.RFC3339), end.Format(time.RFC3339), time.Duration(math.MaxInt64), ErrOutOfRange)
	}
	return d, nil
}

// validate checks a calendar that can check itself.
func validate(c Calendar) error {
	if v, ok := c.(interface{ Validate() error }); ok {
		return v.Validate()
	}
	return nil
}

// BusinessHours is a [Calendar] built on a rickar/cal business calendar: its work days, its
// work hours (SetWorkHours or WorkdayStartFunc/WorkdayEndFunc) and its holidays (from any of
// the country packages of github.com/rickar/cal/v2, e.g. us.Holidays).
//
// Every instant is first converted into Location, so instants stored in UTC are counted on the
// team's wall clock. The working day of a date runs from its local start clock time to its
// local end clock time, built with time.Date in Location; this package does not use
// cal.BusinessCalendar.WorkHoursInRange, which adds the start offset to local midnight and so
// shifts the working day by an hour on a workday with a DST change.
//
// rickar/cal's holiday cache (cal.Calendar.Cacheable) is not safe for concurrent use; leave it
// off if one BusinessHours is shared by goroutines.
type BusinessHours struct {
	Calendar *cal.BusinessCalendar // work days, work hours and holidays; required
	Location *time.Location        // the team's time zone; required (use time.UTC explicitly)
}

// WorkingTime returns the working time in [start, end) by the business calendar, counted in
// Location. An end before start is an error wrapping ErrOutOfRange; a BusinessHours that fails
// Validate is an error wrapping ErrInvalid.
func (b BusinessHours) WorkingTime(start, end time.Time) (time.Duration, error) {
	if err := b.Validate(); err != nil {
		return 0, err
	}
	return workingTime(b, start, end, nil)
}

func (b BusinessHours) location() (*time.Location, error) {
	if b.Calendar == nil {
		return nil, fmt.Errorf("responsetime: BusinessHours.Calendar is nil: %w", ErrInvalid)
	}
	if b.Location == nil {
		return nil, fmt.Errorf("responsetime: BusinessHours.Location is nil (use time.UTC explicitly): %w", ErrInvalid)
	}
	return b.Location, nil
}

// clockOffset is the time of day of t as an offset from midnight of the civil date (y, m, d):
// 17:00 on that date is 17h, 00:00 on the next date is 24h.
func clockOffset(t time.Time, y int, m time.Month, d int) time.Duration {
	ty, tm, td := t.Date()
	days := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).Sub(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour)
	h, mi, s := t.Clock()
	return days*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(t.Nanosecond())
}

// hours returns the local start and end clock offsets of the working day of date (noon, in
// the calendar's location), and whether it is a workday.
func (b BusinessHours) hours(y int, m time.Month, d int, loc *time.Location) (from, to time.Duration, ok bool) {
	c := b.Calendar
	noon := time.Date(y, m, d, 12, 0, 0, 0, loc)
	if !c.IsWorkday(noon) {
		return 0, 0, false
	}
	// Without the Funcs, WorkdayStart and WorkdayEnd are midnight + the configured offsets. On
	// a UTC date (no DST) of a copy that treats every day as a plain workday, that is exactly
	// the clock offset, whatever the calendar's holidays, Locations or WorkdayFunc say.
	var probe cal.BusinessCalendar
	utcNoon := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	if c.WorkdayStartFunc == nil || c.WorkdayEndFunc == nil {
		probe = *c
		probe.Calendar = cal.Calendar{}
		probe.WorkdayFunc = func(time.Time) bool { return true }
	}
	if c.WorkdayStartFunc != nil {
		from = clockOffset(c.WorkdayStartFunc(noon), y, m, d)
	} else {
		from = clockOffset(probe.WorkdayStart(utcNoon), y, m, d)
	}
	if c.WorkdayEndFunc != nil {
		to = clockOffset(c.WorkdayEndFunc(noon), y, m, d)
	} else {
		to = clockOffset(probe.WorkdayEnd(utcNoon), y, m, d)
	}
	return from, to, true
}

func (b BusinessHours) spans(y int, m time.Month, d int, loc *time.Location, buf []span) ([]span, error) {
	from, to, ok := b.hours(y, m, d, loc)
	if !ok {
		return buf, nil
	}
	if from < 0 || to > 24*time.Hour || to <= from {
		return nil, fmt.Errorf("responsetime: business calendar's working day of %04d-%02d-%02d runs from %v to %v, not a non-empty part of the day: %w",
			y, m, d, from, to, ErrInvalid)
	}
	return append(buf, span{atClock(y, m, d, from, loc), atClock(y, m, d, to, loc)}), nil
}

// atClock is the instant at local clock offset off (0..24h) on the civil date (y, m, d).
func atClock(y int, m time.Month, d int, off time.Duration, loc *time.Location) time.Time {
	return time.Date(y, m, d, 0, 0, 0, int(off), loc)
}

// Validate reports a BusinessHours that cannot measure working time: a nil Calendar or
// Location, no workday in a week, or a working day that is empty. It checks the week of
// Monday 2 January 2006 with holidays ignored, so a calendar whose WorkdayFunc varies over the
// year is checked on that week only. Summarize calls Validate before using the calendar. What
// Validate cannot see (holidays on every date, workdays in a few weeks only) is caught while
// measuring: more than 367 consecutive local days without working time inside one interval is
// an error wrapping ErrInvalid, never a wait of 0 s.
func (b BusinessHours) Validate() error {
	loc, err := b.location()
	if err != nil {
		return err
	}
	noHolidays := BusinessHours{Calendar: new(cal.BusinessCalendar), Location: loc}
	*noHolidays.Calendar = *b.Calendar
	noHolidays.Calendar.Calendar = cal.Calendar{}
	workdays := 0
	for d := 2; d < 9; d++ {
		sp, err := noHolidays.spans(2006, time.January, d, loc, nil)
		if err != nil {
			return err
		}
		workdays += len(sp)
	}
	if workdays == 0 {
		return fmt.Errorf("responsetime: business calendar has no working time in a week: %w", ErrInvalid)
	}
	return nil
}

// Shift is one working interval of a day, as offsets from local midnight: a shift from 09:00 to
// 12:30 is Shift{9 * time.Hour, 12*time.Hour + 30*time.Minute}. Start must lie in [0, 24h) and
// End in (Start, 24h]. A night shift over midnight is two shifts, one on each day.
type Shift struct {
	Start time.Duration `json:"start"`
	End   time.Duration `json:"end"`
}

// Schedule is a weekly [Calendar] in the manner of Zendesk's schedules: for each weekday, any
// number of working intervals (split shifts, different hours per weekday), in a time zone,
// closed on the holidays of a rickar/cal calendar. Use it for what a cal.BusinessCalendar
// cannot express (one interval per day, same hours every day).
//
// Shift clock times are wall-clock times in Location, so the working day stays 09:00–17:00
// across DST changes; a shift whose clock time does not exist (02:30 on a spring-forward
// night) is normalised as time.Date does.
type Schedule struct {
	Location *time.Location // the team's time zone; required (use time.UTC explicitly)
	Week     [7][]Shift     // indexed by time.Weekday, e.g. Week[time.Monday]; shifts in time order
	Holidays *cal.Calendar  // optional: closed all day on each observed holiday
}

// WorkingTime returns the working time in [start, end) by the schedule, counted in Location. An
// end before start is an error wrapping ErrOutOfRange; an invalid schedule is an error wrapping
// ErrInvalid.
func (s Schedule) WorkingTime(start, end time.Time) (time.Duration, error) {
	if err := s.Validate(); err != nil {
		return 0, err
	}
	return workingTime(s, start, end, nil)
}

func (s Schedule) location() (*time.Location, error) {
	if s.Location == nil {
		return nil, fmt.Errorf("responsetime: Schedule.Location is nil (use time.UTC explicitly): %w", ErrInvalid)
	}
	return s.Location, nil
}

func (s Schedule) spans(y int, m time.Month, d int, loc *time.Location, buf []span) ([]span, error) {
	noon := time.Date(y, m, d, 12, 0, 0, 0, loc)
	shifts := s.Week[noon.Weekday()]
	if len(shifts) == 0 {
		return buf, nil
	}
	if s.Holidays != nil {
		if _, obs, _ := s.Holidays.IsHoliday(noon); obs {
			return buf, nil
		}
	}
	for _, sh := range shifts {
		buf = append(buf, span{atClock(y, m, d, sh.Start, loc), atClock(y, m, d, sh.End, loc)})
	}
	return buf, nil
}

// Validate reports a schedule that cannot measure working time: a nil Location, a shift
// outside the day or of zero length, overlapping or unordered shifts of a day, or no shift in
// the whole week. Errors name the weekday and the shift's index and wrap ErrInvalid or
// ErrOutOfRange.
func (s Schedule) Validate() error {
	if _, err := s.location(); err != nil {
		return err
	}
	n := 0
	for wd, shifts := range s.Week {
		for i, sh := range shifts {
			if sh.Start < 0 || sh.Start >= 24*time.Hour || sh.End > 24*time.Hour {
				return fmt.Errorf("responsetime: schedule %s shift %d (%v–%v) is outside 0..24h: %w",
					time.Weekday(wd), i, sh.Start, sh.End, ErrOutOfRange)
			}
			if sh.End <= sh.Start {
				return fmt.Errorf("responsetime: schedule %s shift %d (%v–%v) has zero or negative length: %w",
					time.Weekday(wd), i, sh.Start, sh.End, ErrInvalid)
			}
			if i > 0 && sh.Start < shifts[i-1].End {
				return fmt.Errorf("responsetime: schedule %s shift %d (%v–%v) overlaps or precedes shift %d (%v–%v): %w",
					time.Weekday(wd), i, sh.Start, sh.End, i-1, shifts[i-1].Start, shifts[i-1].End, ErrInvalid)
			}
			n++
		}
	}
	if n == 0 {
		return fmt.Errorf("responsetime: schedule has no working time in the week: %w", ErrInvalid)
	}
	return nil
}
