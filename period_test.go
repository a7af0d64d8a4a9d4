package cxkit_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
)

// The expected dates below are read off the Gregorian calendar (2026-03-29 is a Sunday; ISO
// week 2026-W13 runs Monday 23 to Sunday 29 March 2026; 2020-12-31 is in ISO week 2020-W53).
func TestPeriodTruncateKeyNext(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// 2026-03-29 00:30 UTC is 01:30 in Berlin, the night clocks go forward (02:00 → 03:00).
	at := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	cases := []struct {
		p         cxkit.Period
		start     time.Time
		next      time.Time
		key, name string
	}{
		{cxkit.Day, time.Date(2026, 3, 29, 0, 0, 0, 0, berlin), time.Date(2026, 3, 30, 0, 0, 0, 0, berlin), "2026-03-29", "day"},
		{cxkit.Week, time.Date(2026, 3, 23, 0, 0, 0, 0, berlin), time.Date(2026, 3, 30, 0, 0, 0, 0, berlin), "2026-W13", "week"},
		{cxkit.Month, time.Date(2026, 3, 1, 0, 0, 0, 0, berlin), time.Date(2026, 4, 1, 0, 0, 0, 0, berlin), "2026-03", "month"},
		{cxkit.Quarter, time.Date(2026, 1, 1, 0, 0, 0, 0, berlin), time.Date(2026, 4, 1, 0, 0, 0, 0, berlin), "2026-Q1", "quarter"},
		{cxkit.Year, time.Date(2026, 1, 1, 0, 0, 0, 0, berlin), time.Date(2027, 1, 1, 0, 0, 0, 0, berlin), "2026", "year"},
	}
	for _, c := range cases {
		if got := c.p.Truncate(at, berlin); !got.Equal(c.start) || got.Location() != berlin {
			t.Errorf("%v.Truncate = %v, want %v", c.p, got, c.start)
		}
		if got := c.p.Next(at, berlin); !got.Equal(c.next) {
			t.Errorf("%v.Next = %v, want %v", c.p, got, c.next)
		}
		if got := c.p.Key(at, berlin); got != c.key {
			t.Errorf("%v.Key = %q, want %q", c.p, got, c.key)
		}
		if c.p.String() != c.name {
			t.Errorf("%v.String = %q", c.p, c.p.String())
		}
		back, err := cxkit.ParsePeriod(c.name)
		if err != nil || back != c.p {
			t.Errorf("ParsePeriod(%q) = %v, %v", c.name, back, err)
		}
	}
	// The spring-forward day lasts 23 hours of elapsed time: Add counts calendar days.
	if d := cxkit.Day.Next(at, berlin).Sub(cxkit.Day.Truncate(at, berlin)); d != 23*time.Hour {
		t.Errorf("29 March 2026 in Berlin lasts %v, want 23h", d)
	}
	// In UTC the same instant is on 2026-03-29 too; a day later in New York it is still the 28th.
	ny, _ := time.LoadLocation("America/New_York")
	if k := cxkit.Day.Key(at, ny); k != "2026-03-28" {
		t.Errorf("Day.Key in New York = %q, want 2026-03-28", k)
	}
	if k := cxkit.Week.Key(time.Date(2020, 12, 31, 12, 0, 0, 0, time.UTC), nil); k != "2020-W53" {
		t.Errorf("Week.Key(2020-12-31) = %q, want 2020-W53", k)
	}
	if k := cxkit.Week.Key(time.Date(2021, 1, 3, 12, 0, 0, 0, time.UTC), nil); k != "2020-W53" {
		t.Errorf("Week.Key(2021-01-03) = %q, want 2020-W53 (ISO year)", k)
	}
}

func TestPeriodAddClampsMonthEnds(t *testing.T) {
	jan31 := time.Date(2024, 1, 31, 10, 0, 0, 0, time.UTC)
	want := []time.Time{
		time.Date(2024, 2, 29, 10, 0, 0, 0, time.UTC), // leap year
		time.Date(2024, 3, 31, 10, 0, 0, 0, time.UTC),
		time.Date(2024, 4, 30, 10, 0, 0, 0, time.UTC),
	}
	for k, w := range want {
		if got := cxkit.Month.Add(jan31, k+1); !got.Equal(w) {
			t.Errorf("Month.Add(31 Jan, %d) = %v, want %v", k+1, got, w)
		}
	}
	if got := cxkit.Month.Add(jan31, -2); !got.Equal(time.Date(2023, 11, 30, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("Month.Add(31 Jan, -2) = %v", got)
	}
	if got := cxkit.Quarter.Add(jan31, 1); !got.Equal(time.Date(2024, 4, 30, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("Quarter.Add = %v", got)
	}
	feb29 := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	if got := cxkit.Year.Add(feb29, 1); !got.Equal(time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Year.Add(29 Feb 2024, 1) = %v", got)
	}
	if got := cxkit.Week.Add(feb29, -1); !got.Equal(time.Date(2024, 2, 22, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Week.Add = %v", got)
	}
}

// TestPeriodKeysSortInTimeOrder steps through 30 years and checks that keys strictly increase
// from one period to the next.
func TestPeriodKeysSortInTimeOrder(t *testing.T) {
	for p := cxkit.Day; p <= cxkit.Year; p++ {
		var keys []string
		at := p.Truncate(time.Date(1999, 6, 15, 0, 0, 0, 0, time.UTC), nil)
		for k := 0; k < 400; k++ {
			keys = append(keys, p.Key(p.Add(at, k), nil))
		}
		if !slices.IsSorted(keys) || len(slices.Compact(slices.Clone(keys))) != len(keys) {
			t.Errorf("%v keys are not strictly increasing", p)
		}
	}
}

func TestPeriodInvalidAndJSON(t *testing.T) {
	for _, p := range []cxkit.Period{0, 6, 255} {
		if p.Valid() || !errors.Is(p.Check(), cxkit.ErrInvalid) {
			t.Errorf("%v accepted", p)
		}
	}
	if _, err := cxkit.ParsePeriod("fortnight"); !errors.Is(err, cxkit.ErrInvalid) {
		t.Errorf("ParsePeriod(fortnight) = %v", err)
	}
	type row struct {
		Step cxkit.Period `json:"step"`
	}
	b, err := json.Marshal([]row{{cxkit.Quarter}, {0}})
	if err != nil || string(b) != `[{"step":"quarter"},{"step":""}]` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back []row
	if err := json.Unmarshal(b, &back); err != nil || back[0].Step != cxkit.Quarter || back[1].Step != 0 {
		t.Errorf("Unmarshal = %v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"step":"eon"}`), new(row)); !errors.Is(err, cxkit.ErrInvalid) {
		t.Errorf("Unmarshal of an unknown period = %v", err)
	}
	if _, err := json.Marshal(row{7}); err == nil {
		t.Error("Marshal of Period(7) succeeded")
	}
	if d, exact := cxkit.Week.Nominal(); d != 168*time.Hour || !exact {
		t.Errorf("Week.Nominal = %v, %v", d, exact)
	}
	if d, exact := cxkit.Year.Nominal(); d != time.Duration(365.2425*24*float64(time.Hour)) || exact {
		t.Errorf("Year.Nominal = %v, %v", d, exact)
	}
}

// A Period places instants on the calendar of a time zone: the start of the week holding an
// instant, the next month, a sortable key.
func ExamplePeriod() {
	tokyo := time.FixedZone("JST", 9*3600)
	at := time.Date(2026, 3, 31, 20, 0, 0, 0, time.UTC) // 1 April, 05:00 in Tokyo
	for _, p := range []cxkit.Period{cxkit.Day, cxkit.Week, cxkit.Month, cxkit.Quarter} {
		fmt.Printf("%-7v %s  starts %s  next %s\n", p, p.Key(at, tokyo),
			p.Truncate(at, tokyo).Format("2006-01-02"), p.Next(at, tokyo).Format("2006-01-02"))
	}
	fmt.Println(cxkit.Month.Add(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC), 1).Format("2006-01-02"))
	// Output:
	// day     2026-04-01  starts 2026-04-01  next 2026-04-02
	// week    2026-W14  starts 2026-03-30  next 2026-04-06
	// month   2026-04  starts 2026-04-01  next 2026-05-01
	// quarter 2026-Q2  starts 2026-04-01  next 2026-07-01
	// 2026-02-28
}

// Where midnight does not exist (Santiago moved its clocks from 00:00 to 01:00 on 27 September
// 1998; Havana does the same), a day starts at the change, on that day: time.Date alone
// would put it at 23:00 the day before, and Next on the day before would stay in that day.
func TestPeriodMidnightGap(t *testing.T) {
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Fatal(err)
	}
	change := time.Date(1998, 9, 27, 4, 0, 0, 0, time.UTC) // 00:00 −04 = 01:00 −03
	noon := time.Date(1998, 9, 27, 12, 0, 0, 0, loc)
	if s := cxkit.Day.Truncate(noon, loc); !s.Equal(change) || s.Day() != 27 {
		t.Errorf("Day.Truncate(%v) = %v, want %v", noon, s, change.In(loc))
	}
	before := time.Date(1998, 9, 26, 9, 0, 0, 0, loc)
	if n := cxkit.Day.Next(before, loc); !n.Equal(change) {
		t.Errorf("Day.Next(%v) = %v, want %v", before, n, change.In(loc))
	}
	// Sunday the 27th is in the ISO week that starts on Monday the 21st, whose midnight exists.
	if s, want := cxkit.Week.Truncate(noon, loc), time.Date(1998, 9, 21, 0, 0, 0, 0, loc); !s.Equal(want) {
		t.Errorf("Week.Truncate(%v) = %v, want %v", noon, s, want)
	}
	// Every start is the first instant of its period, and Next is the start of the next one.
	for d := 0; d < 400; d++ {
		at := time.Date(1998, 1, 1+d, 13, 0, 0, 0, loc)
		for p := cxkit.Day; p <= cxkit.Year; p++ {
			s := p.Truncate(at, loc)
			if p.Key(s, loc) != p.Key(at, loc) || p.Key(s.Add(-time.Nanosecond), loc) == p.Key(s, loc) {
				t.Fatalf("%v.Truncate(%v) = %v is not the first instant of its period", p, at, s)
			}
			n := p.Next(at, loc)
			if p.Key(n, loc) == p.Key(at, loc) || p.Key(n.Add(-time.Nanosecond), loc) != p.Key(at, loc) || !n.Equal(p.Truncate(n, loc)) {
				t.Fatalf("%v.Next(%v) = %v is not the start of the next period", p, at, n)
			}
		}
	}
}
