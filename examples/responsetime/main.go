// Command responsetime summarises a small embedded export of support tickets: first-response
// and resolution times in calendar time and in New York business hours (Monday to Friday,
// 9 to 5, US federal holidays), SLA results per priority and a breakdown per channel.
//
//	go run ./examples/responsetime
package main

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"

	"github.com/cxkit/cxkit/responsetime"
)

//go:embed tickets.csv
var tickets string

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run writes the walkthrough to out.
func run(out io.Writer) error {
	queries, err := load(tickets)
	if err != nil {
		return err
	}

	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		return err
	}
	c := cal.NewBusinessCalendar()
	c.AddHoliday(us.Holidays...)
	business := responsetime.BusinessHours{Calendar: c, Location: ny}

	calendar, err := responsetime.Summarize(queries, responsetime.Options{FirstResponseTarget: 4 * time.Hour})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "== calendar time ==")
	fmt.Fprint(out, calendar)

	policy := &responsetime.Policy{ByPriority: map[string]responsetime.Targets{
		"urgent": {FirstReply: responsetime.Target{Within: time.Hour, Calendar: business},
			Resolution: responsetime.Target{Within: 8 * time.Hour, Calendar: business}},
		"high": {FirstReply: responsetime.Target{Within: 2 * time.Hour, Calendar: business},
			Resolution: responsetime.Target{Within: 16 * time.Hour, Calendar: business}},
	}, Default: &responsetime.Targets{FirstReply: responsetime.Target{Within: 8 * time.Hour, Calendar: business}}}
	now := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
	bh, err := responsetime.Summarize(queries, responsetime.Options{Calendar: business,
		FirstResponseTarget: 4 * time.Hour, SLA: policy, Now: now})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "\n== business hours (New York, Mon-Fri 9-5, US holidays) ==")
	fmt.Fprint(out, bh)
	for _, b := range bh.SLA.FirstReply.Breaches {
		fmt.Fprintf(out, "  first-reply breach: %s (%s) %v against %v, open %v\n", b.ID, b.Priority, b.Elapsed, b.Target, b.Open)
	}

	groups, err := responsetime.GroupBy(queries, responsetime.ByChannel, responsetime.Options{Calendar: business})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "\n== by channel, business hours ==")
	for _, g := range groups {
		s := g.Summary
		fmt.Fprintf(out, "%-6s queries %2d  answered %2d  mean %-9v median %-9v unanswered %d\n",
			g.Key, s.Queries, s.Answered, s.Mean.Round(time.Minute), s.Median.Round(time.Minute), s.Unanswered)
	}
	return nil
}

// load parses the CSV export; an empty time means "not yet".
func load(data string) ([]responsetime.Query, error) {
	rows, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("no tickets after the header")
	}
	var qs []responsetime.Query
	for i, r := range rows[1:] {
		if len(r) < 7 {
			return nil, fmt.Errorf("row %d: %d fields, want 7 (id, channel, priority, team, received, first response, resolved)", i+2, len(r))
		}
		var ts [3]time.Time
		for k, s := range r[4:7] {
			if s == "" {
				continue
			}
			if ts[k], err = time.Parse(time.RFC3339, s); err != nil {
				return nil, fmt.Errorf("row %d: %w", i+2, err)
			}
		}
		qs = append(qs, responsetime.Query{ID: r[0], Channel: r[1], Priority: r[2], Team: r[3],
			Received: ts[0], FirstResponse: ts[1], Resolved: ts[2]})
	}
	return qs, nil
}
