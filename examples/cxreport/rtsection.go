package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"

	"github.com/cxkit/cxkit/responsetime"
)

// readTickets parses the ticket export (id,channel,priority,team,received,first_response,
// resolved; RFC 3339 instants, an empty cell meaning "not yet"). Every malformed cell is an
// error naming its line.
func readTickets(r io.Reader) ([]responsetime.Query, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 7
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("no tickets")
	}
	qs := make([]responsetime.Query, 0, len(rows)-1)
	for i, row := range rows[1:] {
		var ts [3]time.Time
		for k, s := range row[4:7] {
			if s == "" {
				continue
			}
			if ts[k], err = time.Parse(time.RFC3339, s); err != nil {
				return nil, fmt.Errorf("line %d: %s %q: %w", i+2, rows[0][4+k], s, err)
			}
		}
		qs = append(qs, responsetime.Query{ID: row[0], Channel: row[1], Priority: row[2], Team: row[3],
			Received: ts[0], FirstResponse: ts[1], Resolved: ts[2]})
	}
	return qs, nil
}

// supportHours is the support team's calendar: New York, Monday to Friday 9 to 5, US federal
// holidays (from rickar/cal).
func supportHours() (responsetime.BusinessHours, error) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		return responsetime.BusinessHours{}, err
	}
	c := cal.NewBusinessCalendar()
	c.AddHoliday(us.Holidays...)
	return responsetime.BusinessHours{Calendar: c, Location: ny}, nil
}

func responseTimeSection(w io.Writer, tickets []responsetime.Query, now time.Time) error {
	hours, err := supportHours()
	if err != nil {
		return err
	}
	target := func(d time.Duration) responsetime.Target { return responsetime.Target{Within: d, Calendar: hours} }
	policy := &responsetime.Policy{
		ByPriority: map[string]responsetime.Targets{
			"urgent": {FirstReply: target(time.Hour), Resolution: target(8 * time.Hour)},
			"high":   {FirstReply: target(2 * time.Hour), Resolution: target(16 * time.Hour)},
		},
		Default: &responsetime.Targets{FirstReply: target(8 * time.Hour), Resolution: target(40 * time.Hour)},
	}
	abs, err := responsetime.Summarize(tickets, responsetime.Options{})
	if err != nil {
		return fmt.Errorf("response times: %w", err)
	}
	biz, err := responsetime.Summarize(tickets, responsetime.Options{Calendar: hours, SLA: policy, Now: now})
	if err != nil {
		return fmt.Errorf("response times: %w", err)
	}
	fmt.Fprintf(w, "\n== Response times (%d tickets)\n", biz.Queries)
	fmt.Fprintf(w, "Average first response time (total time to first response / answered queries):\n")
	fmt.Fprintf(w, "  calendar time  %v over %d answered; %d unanswered (counted, not averaged in)\n",
		abs.Mean.Round(time.Minute), abs.Answered, abs.Unanswered)
	fmt.Fprintf(w, "  business hours %v (New York, Mon-Fri 9-5, US holidays)\n", biz.Mean.Round(time.Minute))
	fmt.Fprintf(w, "First response, business hours: median %v, p90 %v, p95 %v, max %v\n",
		biz.Median.Round(time.Minute), biz.P90.Round(time.Minute), biz.P95.Round(time.Minute), biz.Max.Round(time.Minute))
	fmt.Fprintf(w, "Resolution, business hours:     median %v, p90 %v over %d resolved; %d open\n",
		biz.Resolution.Median.Round(time.Minute), biz.Resolution.P90.Round(time.Minute), biz.Resolved, biz.Unresolved)
	if s := biz.SLA; s != nil {
		fmt.Fprintf(w, "SLA first reply: %d met, %d breached (%.1f%%), %d pending\n",
			s.FirstReply.Achieved, s.FirstReply.Breached, 100*s.FirstReply.BreachRate, s.FirstReply.Pending)
		fmt.Fprintf(w, "SLA resolution:  %d met, %d breached (%.1f%%), %d pending\n",
			s.Resolution.Achieved, s.Resolution.Breached, 100*s.Resolution.BreachRate, s.Resolution.Pending)
	}
	groups, err := responsetime.GroupBy(tickets, responsetime.ByChannel, responsetime.Options{Calendar: hours})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "By channel (business hours):\n")
	for _, g := range groups {
		s := g.Summary
		fmt.Fprintf(w, "  %-6s %4d tickets  mean %-9v median %-9v p90 %-9v unanswered %d\n", g.Key, s.Queries,
			s.Mean.Round(time.Minute), s.Median.Round(time.Minute), s.P90.Round(time.Minute), s.Unanswered)
	}
	return nil
}
