package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/us"
	"github.com/rickar/cal/v2/za"

	"github.com/cxkit/cxkit/responsetime"
)

// countries maps the -holidays codes to the national holidays of rickar/cal's country packages.
var countries = map[string][]*cal.Holiday{
	"AT": at.Holidays, "BE": be.Holidays, "BR": br.Holidays, "CA": ca.Holidays, "CH": ch.Holidays,
	"DE": de.Holidays, "DK": dk.Holidays, "ES": es.Holidays, "FR": fr.Holidays, "GB": gb.Holidays,
	"IE": ie.Holidays, "IT": it.Holidays, "JP": jp.Holidays, "NL": nl.Holidays, "NO": no.Holidays,
	"NZ": nz.Holidays, "PL": pl.Holidays, "SE": se.Holidays, "US": us.Holidays, "ZA": za.Holidays,
}

func countryCodes() string {
	var cs []string
	for c := range countries {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return strings.Join(cs, " ")
}

// schedule is the support team's calendar as the flags give it.
type schedule struct {
	tz, holidays, hours string
	hrs                 responsetime.BusinessHours
	label               string
}

// build checks the flags and makes the business calendar: Monday to Friday, the -hours
// window ("09:00-17:00") in the -tz zone, the -holidays country's national holidays ("none"
// for no holidays).
func (s *schedule) build() error {
	loc, err := time.LoadLocation(s.tz)
	if err != nil {
		return fmt.Errorf("-tz %q: %w", s.tz, err)
	}
	from, to, ok := strings.Cut(s.hours, "-")
	var start, end time.Time
	if ok {
		start, err = time.Parse("15:04", strings.TrimSpace(from))
		if err == nil {
			end, err = time.Parse("15:04", strings.TrimSpace(to))
		}
	}
	if !ok || err != nil || !end.After(start) {
		return fmt.Errorf("-hours %q: want HH:MM-HH:MM with the end after the start", s.hours)
	}
	c := cal.NewBusinessCalendar()
	c.SetWorkHours(start.Sub(start.Truncate(24*time.Hour)), end.Sub(end.Truncate(24*time.Hour)))
	cc := strings.ToUpper(s.holidays)
	hol := "no holidays"
	if cc != "NONE" {
		h, ok := countries[cc]
		if !ok {
			return fmt.Errorf("-holidays %q: not one of %s (or none)", s.holidays, countryCodes())
		}
		c.AddHoliday(h...)
		hol = cc + " holidays"
	}
	s.hrs = responsetime.BusinessHours{Calendar: c, Location: loc}
	s.label = fmt.Sprintf("%s, Mon-Fri %s, %s", loc, s.hours, hol)
	return nil
}
