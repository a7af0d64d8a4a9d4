package responsetime_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/responsetime"
)

func at(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, time.UTC) }

// The seed's average response time, with the median and percentiles that a support report
// shows next to it. The unanswered query is counted, not averaged in as zero.
func ExampleSummarize() {
	queries := []responsetime.Query{
		{ID: "T-1", Received: at(23, 9, 0), FirstResponse: at(23, 9, 20), Resolved: at(23, 11, 0)},
		{ID: "T-2", Received: at(23, 9, 30), FirstResponse: at(23, 10, 30), Resolved: at(23, 15, 30)},
		{ID: "T-3", Received: at(23, 10, 0), FirstResponse: at(23, 10, 5)},
		{ID: "T-4", Received: at(23, 11, 0)},
	}
	s, err := responsetime.Summarize(queries, responsetime.Options{FirstResponseTarget: 30 * time.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("average response time:", s.Mean) // (20m + 60m + 5m) / 3 answered
	fmt.Print(s)
	// Output:
	// average response time: 28m20s
	// queries 4 (excluded 0), answered 3, unanswered 1
	// first response: mean 28m20s, median 20m0s, p90 52m0s, p95 56m0s, max 1h0m0s
	// first response within target: 2 (66.7%)
	// resolved 2, unresolved 2
	// resolution: n 2, mean 4h0m0s, median 4h0m0s, p90 5h36m0s, p95 5h48m0s, max 6h0m0s
}

// Bad input is an error that names the query and the field.
func ExampleSummarize_errors() {
	_, err := responsetime.Summarize([]responsetime.Query{
		{ID: "T-1", Received: at(23, 9, 0), FirstResponse: at(23, 8, 0)},
	}, responsetime.Options{})
	fmt.Println(err)
	fmt.Println(errors.Is(err, responsetime.ErrOutOfRange))
	// Output:
	// responsetime: query "T-1" (index 0): FirstResponse 2026-11-23T08:00:00Z is before Received 2026-11-23T09:00:00Z: value out of range
	// true
}

// Business hours from rickar/cal: Monday to Friday 9 to 5 in New York, with US holidays. The
// instants are stored in UTC; they are counted on the New York wall clock.
func ExampleBusinessHours() {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(us.Holidays...)
	ny, _ := time.LoadLocation("America/New_York")
	bh := responsetime.BusinessHours{Calendar: c, Location: ny}

	// Wednesday 25 November 21:30 UTC is 16:30 in New York; Thursday is Thanksgiving, and
	// Friday 27 November 14:30 UTC is 09:30.
	d, err := bh.WorkingTime(at(25, 21, 30), at(27, 14, 30))
	fmt.Println(d, err)

	s, _ := responsetime.Summarize([]responsetime.Query{
		{Received: at(25, 21, 30), FirstResponse: at(27, 14, 30)},
	}, responsetime.Options{Calendar: bh})
	fmt.Println("in business hours:", s.Mean)
	// Output:
	// 1h0m0s <nil>
	// in business hours: 1h0m0s
}

// A schedule with split shifts and different hours on Saturday, as Zendesk schedules allow.
func ExampleSchedule() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	s := responsetime.Schedule{Location: berlin}
	for d := time.Monday; d <= time.Friday; d++ {
		s.Week[d] = []responsetime.Shift{{Start: 8 * time.Hour, End: 12 * time.Hour}, {Start: 13 * time.Hour, End: 17 * time.Hour}}
	}
	s.Week[time.Saturday] = []responsetime.Shift{{Start: 10 * time.Hour, End: 14 * time.Hour}}

	// Friday 20 November 16:00 to Monday 23 November 08:30, Berlin time:
	// 1h on Friday, 4h on Saturday, 30m on Monday.
	d, err := s.WorkingTime(time.Date(2026, 11, 20, 16, 0, 0, 0, berlin), time.Date(2026, 11, 23, 8, 30, 0, 0, berlin))
	fmt.Println(d, err)
	// Output:
	// 5h30m0s <nil>
}

// An SLA policy with targets per priority: the urgent query breached its first-reply target.
func ExamplePolicy() {
	policy := &responsetime.Policy{ByPriority: map[string]responsetime.Targets{
		"urgent": {FirstReply: responsetime.Target{Within: time.Hour}},
		"normal": {FirstReply: responsetime.Target{Within: 8 * time.Hour}},
	}}
	s, _ := responsetime.Summarize([]responsetime.Query{
		{ID: "A", Priority: "urgent", Received: at(23, 9, 0), FirstResponse: at(23, 10, 30)},
		{ID: "B", Priority: "normal", Received: at(23, 9, 0), FirstResponse: at(23, 12, 0)},
		{ID: "C", Priority: "normal", Received: at(23, 9, 0)},
	}, responsetime.Options{SLA: policy, Now: at(23, 18, 0)})
	fmt.Print(s.SLA.FirstReply, "\n")
	for _, b := range s.SLA.FirstReply.Breaches {
		fmt.Printf("%s %s: %v over a %v target (still open: %v)\n", b.ID, b.Priority, b.Elapsed, b.Target, b.Open)
	}
	// Output:
	// achieved 1, breached 2 (66.7%), pending 0
	// A urgent: 1h30m0s over a 1h0m0s target (still open: false)
	// C normal: 9h0m0s over a 8h0m0s target (still open: true)
}

// One summary per channel.
func ExampleGroupBy() {
	groups, _ := responsetime.GroupBy([]responsetime.Query{
		{Channel: "email", Received: at(23, 9, 0), FirstResponse: at(23, 11, 0)},
		{Channel: "chat", Received: at(23, 9, 0), FirstResponse: at(23, 9, 1)},
		{Channel: "email", Received: at(23, 9, 0), FirstResponse: at(23, 13, 0)},
	}, responsetime.ByChannel, responsetime.Options{})
	for _, g := range groups {
		fmt.Println(g.Key, g.Summary.Answered, g.Summary.Mean)
	}
	// Output:
	// chat 1 1m0s
	// email 2 3h0m0s
}

// A streaming tracker, split over two workers and merged: exact counts and means, percentiles
// within 1%.
func ExampleTracker() {
	var a, b responsetime.Tracker
	for i := range 100 {
		q := responsetime.Query{Received: at(23, 9, 0), FirstResponse: at(23, 9, 0).Add(time.Duration(i+1) * time.Minute)}
		w := &a
		if i%2 == 1 {
			w = &b
		}
		if err := w.Add(q); err != nil {
			fmt.Println(err)
			return
		}
	}
	bin, _ := b.MarshalBinary() // ship b's state to the combiner
	var b2 responsetime.Tracker
	if err := b2.UnmarshalBinary(bin); err != nil {
		fmt.Println(err)
		return
	}
	if err := a.Merge(&b2); err != nil {
		panic(err)
	}
	s, _ := a.Result()
	fmt.Println(s.Answered, s.Mean, s.Max)
	fmt.Println(s.Median > 49*time.Minute && s.Median < 52*time.Minute)
	// Output:
	// 100 50m30s 1h40m0s
	// true
}

// Deriving the metrics from a message log the way Zendesk defines them: the bot's
// acknowledgement and the internal note do not stop the first-reply clock, and time pending on
// the customer is left out of the resolution time.
func ExampleConversation_Query() {
	c := responsetime.Conversation{
		ID:      "Z-1",
		Created: at(23, 9, 0),
		Messages: []responsetime.Message{
			{At: at(23, 9, 0), Author: responsetime.Customer, Public: true},
			{At: at(23, 9, 1), Author: responsetime.Bot, Public: true},
			{At: at(23, 9, 20), Author: responsetime.Agent, Public: false},
			{At: at(23, 9, 45), Author: responsetime.Agent, Public: true},
			{At: at(23, 13, 0), Author: responsetime.Customer, Public: true},
			{At: at(23, 13, 30), Author: responsetime.Agent, Public: true},
		},
		Statuses: []responsetime.StatusChange{
			{At: at(23, 9, 45), Status: responsetime.Pending},
			{At: at(23, 13, 0), Status: responsetime.Open},
			{At: at(23, 14, 0), Status: responsetime.Solved},
		},
	}
	q, err := c.Query(0, responsetime.ConversationOptions{ExcludePending: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := responsetime.Summarize([]responsetime.Query{q}, responsetime.Options{})
	fmt.Println("first reply:", s.Mean)
	fmt.Println("next reply:", s.NextReply.Mean)
	fmt.Println("resolution less pending:", s.Resolution.Mean)
	// Output:
	// first reply: 45m0s
	// next reply: 30m0s
	// resolution less pending: 1h45m0s
}

// Weekly volumes and response times, with weeks cut on the team's wall clock: Sunday 29
// November 23:30 UTC is already Monday in Berlin, so that query falls in ISO week 49.
func ExampleByPeriod() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	groups, _ := responsetime.GroupBy([]responsetime.Query{
		{Received: at(23, 9, 0), FirstResponse: at(23, 10, 0)},
		{Received: at(29, 23, 30), FirstResponse: at(30, 8, 30)},
		{Received: at(30, 9, 0), FirstResponse: at(30, 9, 30)},
	}, responsetime.ByPeriod(cxkit.Week, berlin), responsetime.Options{})
	for _, g := range groups {
		fmt.Println(g.Key, g.Summary.Queries, g.Summary.Mean)
	}
	// Output:
	// 2026-W48 1 1h0m0s
	// 2026-W49 2 4h45m0s
}

// Streaming a large export through one reused buffer: each batch is decoded into the same
// queries in place and handed to AddAll, so no query is copied or kept.
func ExampleTracker_AddAll() {
	var t responsetime.Tracker
	buf := make([]responsetime.Query, 64)
	n := 0
	flush := func() error {
		err := t.AddAll(buf[:n])
		n = 0
		return err
	}
	for i := range 1000 { // stands for the rows of a ticket export
		received := at(2, 8, 0).Add(time.Duration(i) * time.Minute)
		buf[n].ID = ""
		buf[n].Received = received
		buf[n].FirstResponse = received.Add(time.Duration(1+i%60) * time.Minute)
		buf[n].Resolved = time.Time{}
		if i%4 == 0 {
			buf[n].Resolved = received.Add(2 * time.Hour)
		}
		if n++; n == len(buf) {
			if err := flush(); err != nil {
				fmt.Println(err)
				return
			}
		}
	}
	if err := flush(); err != nil {
		fmt.Println(err)
		return
	}
	s, err := t.Result()
	if err != nil {
		fmt.Println(err)
		return
	}
	p99, _ := t.Quantile(0.99)
	fmt.Println(s.Queries, s.Answered, s.Resolved, s.Mean)
	fmt.Println(p99 >= 59*time.Minute && p99 <= 61*time.Minute)
	// Output:
	// 1000 1000 250 30m6s
	// true
}
