package responsetime_test

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"

	"github.com/cxkit/cxkit/responsetime"
)

// One summary per priority; ByChannel, ByTeam and ByAgent work the same way. Keys come back in
// ascending order.
func ExampleByPriority() {
	groups, err := responsetime.GroupBy([]responsetime.Query{
		{Priority: "urgent", Received: at(23, 9, 0), FirstResponse: at(23, 9, 10)},
		{Priority: "urgent", Received: at(23, 14, 0), FirstResponse: at(23, 14, 20)},
		{Priority: "normal", Received: at(23, 9, 0), FirstResponse: at(23, 12, 0)},
		{Priority: "normal", Received: at(23, 10, 0), FirstResponse: at(23, 11, 0)},
		{Priority: "normal", Received: at(23, 16, 0)},
		{Priority: "low", Received: at(23, 8, 0), FirstResponse: at(24, 8, 0)},
	}, responsetime.ByPriority, responsetime.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// normal: (3h + 1h) / 2 answered = 2h; the unanswered query is counted, not averaged in.
	for _, g := range groups {
		fmt.Printf("%-6s answered %d, unanswered %d, mean %v\n", g.Key, g.Summary.Answered, g.Summary.Unanswered, g.Summary.Mean)
	}
	// Output:
	// low    answered 1, unanswered 0, mean 24h0m0s
	// normal answered 2, unanswered 1, mean 2h0m0s
	// urgent answered 2, unanswered 0, mean 15m0s
}

// Two workers each track a share of the stream; merging gives the counts, mean and maximum of
// a single pass exactly.
func ExampleTracker_Merge() {
	var email, chat responsetime.Tracker
	for _, m := range []int{30, 90, 120} {
		_ = email.Add(responsetime.Query{Received: at(23, 9, 0), FirstResponse: at(23, 9, m)})
	}
	for _, m := range []int{2, 4, 6, 8} {
		_ = chat.Add(responsetime.Query{Received: at(23, 9, 0), FirstResponse: at(23, 9, m)})
	}
	if err := email.Merge(&chat); err != nil {
		panic(err)
	}
	s, err := email.Result()
	if err != nil {
		fmt.Println(err)
		return
	}
	// Mean by hand: (30 + 90 + 120 + 2 + 4 + 6 + 8) / 7 = 260/7 = 37.14 minutes = 37m9s.
	fmt.Println("answered", s.Answered, "mean", s.Mean.Round(time.Second), "max", s.Max)
	// Output:
	// answered 7 mean 37m9s max 2h0m0s
}

// A tracker's state travels between workers as bytes; the decoded tracker reports the same
// figures, and corrupt bytes are an error rather than wrong figures.
func ExampleTracker_MarshalBinary() {
	var t responsetime.Tracker
	for i, m := range []int{5, 12, 45, 180} {
		q := responsetime.Query{Received: at(23, 9, 0), FirstResponse: at(23, 9, m)}
		if i%2 == 0 {
			q.Resolved = at(23, 18, 0)
		}
		_ = t.Add(q)
	}
	b, err := t.MarshalBinary()
	if err != nil {
		fmt.Println(err)
		return
	}
	var decoded responsetime.Tracker
	if err := decoded.UnmarshalBinary(b); err != nil {
		fmt.Println(err)
		return
	}
	// Mean by hand: (5 + 12 + 45 + 180) / 4 = 60.5 minutes.
	before, _ := t.Result()
	after, _ := decoded.Result()
	fmt.Println("same figures:", reflect.DeepEqual(before, after))
	fmt.Println("answered", after.Answered, "mean", after.Mean, "resolved", after.Resolved)

	err = decoded.UnmarshalBinary(b[:len(b)/2])
	fmt.Println("truncated:", errors.Is(err, responsetime.ErrInvalid))
	// Output:
	// same figures: true
	// answered 4 mean 1h0m30s resolved 2
	// truncated: true
}

// Working time across a weekend and a change of clocks: Friday 30 October 2026 16:00 to Monday
// 2 November 10:00 in New York, 9 to 5 on weekdays, is 1 hour on Friday and 1 on Monday, although
// US daylight saving time ends on the Sunday in between.
func ExampleBusinessHours_WorkingTime() {
	c := cal.NewBusinessCalendar()
	c.SetWorkHours(9*time.Hour, 17*time.Hour)
	c.AddHoliday(us.Holidays...)
	ny, _ := time.LoadLocation("America/New_York")
	bh := responsetime.BusinessHours{Calendar: c, Location: ny}

	received := time.Date(2026, 10, 30, 20, 0, 0, 0, time.UTC) // 16:00 EDT (UTC−4)
	answered := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)  // 10:00 EST (UTC−5)
	d, err := bh.WorkingTime(received, answered)
	fmt.Println("business hours:", d, err)
	fmt.Println("calendar time:", answered.Sub(received))

	_, err = bh.WorkingTime(answered, received)
	fmt.Println("end before start:", errors.Is(err, responsetime.ErrOutOfRange))
	// Output:
	// business hours: 2h0m0s <nil>
	// calendar time: 67h0m0s
	// end before start: true
}

// A team in Sydney works split shifts, 08:00–12:00 and 13:00–17:00 on weekdays; the lunch hour
// and the night do not count.
func ExampleSchedule_WorkingTime() {
	sydney, _ := time.LoadLocation("Australia/Sydney")
	s := responsetime.Schedule{Location: sydney}
	for d := time.Monday; d <= time.Friday; d++ {
		s.Week[d] = []responsetime.Shift{{Start: 8 * time.Hour, End: 12 * time.Hour}, {Start: 13 * time.Hour, End: 17 * time.Hour}}
	}
	local := func(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, sydney) }

	// Tuesday 11:30 to 13:45: 30m before lunch and 45m after it = 1h15m.
	d, _ := s.WorkingTime(local(24, 11, 30), local(24, 13, 45))
	fmt.Println(d)
	// Tuesday 16:30 to Wednesday 08:20: 30m + 20m = 50m.
	d, _ = s.WorkingTime(local(24, 16, 30), local(25, 8, 20))
	fmt.Println(d)
	// Output:
	// 1h15m0s
	// 50m0s
}

// FirstResponse presents the first-response figures of a Summary as a Stats, in the same shape
// as the resolution and next-reply figures.
func ExampleSummary_FirstResponse() {
	s, err := responsetime.Summarize([]responsetime.Query{
		{Received: at(23, 9, 0), FirstResponse: at(23, 9, 15), Resolved: at(23, 10, 0)},
		{Received: at(23, 9, 30), FirstResponse: at(23, 10, 30), Resolved: at(23, 13, 30)},
		{Received: at(23, 11, 0), FirstResponse: at(23, 11, 5), Resolved: at(23, 12, 0)},
		{Received: at(23, 13, 0), FirstResponse: at(23, 15, 0)},
	}, responsetime.Options{FirstResponseTarget: 30 * time.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}
	// First responses of 15m, 60m, 5m and 2h: mean 200m/4 = 50m; sorted 5, 15, 60, 120, the
	// median is (15 + 60)/2 = 37.5m and p90 (type 7, rank 0.9 × 3 = 2.7) 60 + 0.7 × 60 = 102m;
	// two of the four (5m and 15m) are within the 30-minute target.
	for _, m := range []struct {
		name string
		st   responsetime.Stats
	}{{"first response", s.FirstResponse()}, {"resolution", s.Resolution}} {
		fmt.Printf("%s: %v\n", m.name, m.st)
	}
	// Output:
	// first response: n 4, mean 50m0s, median 37m30s, p90 1h42m0s, p95 1h51m0s, max 2h0m0s, within 30m0s: 2 (50.0%)
	// resolution: n 3, mean 2h0m0s, median 1h0m0s, p90 3h24m0s, p95 3h42m0s, max 4h0m0s
}

// The breach rate of a month's first replies, with a Wilson interval: 3 breaches in 12
// measured replies leave the true rate quite uncertain.
func ExampleSLAMetric_Interval() {
	policy := &responsetime.Policy{Default: &responsetime.Targets{FirstReply: responsetime.Target{Within: time.Hour}}}
	var queries []responsetime.Query
	for _, m := range []int{12, 25, 40, 55, 70, 18, 33, 95, 48, 20, 61, 15} { // minutes to first reply
		queries = append(queries, responsetime.Query{Received: at(23, 9, 0), FirstResponse: at(23, 9, m)})
	}
	s, err := responsetime.Summarize(queries, responsetime.Options{SLA: policy})
	if err != nil {
		fmt.Println(err)
		return
	}
	fr := s.SLA.FirstReply
	iv, err := fr.Interval(0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	// R 4.2.2: prop.test(3, 12, correct = FALSE)$conf.int gives the same Wilson interval,
	// [0.08894, 0.53231].
	fmt.Println(fr)
	fmt.Printf("95%% interval [%.4f, %.4f]\n", iv.Lower, iv.Upper)
	// Output:
	// achieved 9, breached 3 (25.0%), pending 0
	// 95% interval [0.0889, 0.5323]
}

// Any quantile of a stream, p99 included, on demand: each is within 1% (RelativeAccuracy) of
// the true order statistic. AddAll adds a slice without copying its queries.
func ExampleTracker_Quantile() {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	qs := make([]responsetime.Query, 1000)
	for i := range qs {
		// first responses after 1, 2, …, 1000 minutes
		qs[i] = responsetime.Query{Received: start, FirstResponse: start.Add(time.Duration(i+1) * time.Minute)}
	}
	var t responsetime.Tracker
	if err := t.AddAll(qs); err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range []float64{0.5, 0.99, 0.999} {
		d, _ := t.Quantile(q)
		exact := time.Duration(math.Floor(q*999)+1) * time.Minute // rank ⌊q(n−1)⌋, 0-based
		fmt.Printf("p%v within 1%%: %v\n", q*100, math.Abs(float64(d-exact)) <= 0.01*float64(exact))
	}
	_, err := t.Quantile(1.5)
	fmt.Println(err)
	// Output:
	// p50 within 1%: true
	// p99 within 1%: true
	// p99.9 within 1%: true
	// responsetime: quantile 1.5 is outside [0, 1]: value out of range
}
