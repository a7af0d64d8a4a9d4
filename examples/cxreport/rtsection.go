package main

import (
	"fmt"
	"io"
	"time"

	"github.com/cxkit/cxkit/responsetime"
)

func responseTimeSection(w io.Writer, tickets []responsetime.Query, now time.Time, sched schedule) error {
	hours := sched.hrs
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
	fmt.Fprintf(w, "  business hours %v (%s)\n", biz.Mean.Round(time.Minute), sched.label)
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
