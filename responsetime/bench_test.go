package responsetime

import (
	"github.com/cxkit/cxkit/internal/benchcpu"
	"sync"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"
)

// benchQueries is a million queries over 90 days (built once, shared by the benchmarks).
var benchQueries = sync.OnceValue(func() []Query { return randomQueries(1_000_000, 42) })

func benchBusinessHours(b *testing.B) BusinessHours {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(us.Holidays...)
	return BusinessHours{Calendar: c, Location: mustLoc(b, "America/New_York")}
}

// BenchmarkSummarizeCalendar1M summarises one million queries in calendar time.
func BenchmarkSummarizeCalendar1M(b *testing.B) {
	qs := benchQueries()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Summarize(qs, Options{FirstResponseTarget: time.Hour}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSummarizeBusiness1M summarises one million queries in business hours (US
// holidays, New York).
func BenchmarkSummarizeBusiness1M(b *testing.B) {
	qs := benchQueries()
	bh := benchBusinessHours(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Summarize(qs, Options{Calendar: bh, FirstResponseTarget: time.Hour}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrackerAdd adds one query (calendar time) to a Tracker.
func BenchmarkTrackerAdd(b *testing.B) {
	qs := randomQueries(4096, 1)
	var t Tracker
	defer benchcpu.Start(b)()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := t.Add(qs[i&4095]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkTrackerAddBusiness adds one query measured in business hours to a Tracker.
func BenchmarkTrackerAddBusiness(b *testing.B) {
	qs := randomQueries(4096, 1)
	t := Tracker{Calendar: benchBusinessHours(b)}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := t.Add(qs[i&4095]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkWorkingTime measures one business-hours interval of about a week, without the
// per-call memo that Summarize uses.
func BenchmarkWorkingTime(b *testing.B) {
	bh := benchBusinessHours(b)
	start := time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)
	end := start.Add(7 * 24 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bh.WorkingTime(start, end); err != nil {
			b.Fatal(err)
		}
	}
}
