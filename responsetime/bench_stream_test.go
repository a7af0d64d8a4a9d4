package responsetime

import (
	"github.com/cxkit/cxkit/internal/benchcpu"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// streamQueries is a million answered and resolved queries with log-normal first-response
// times (median 1 h) and resolution after the first response (built once).
var streamQueries = sync.OnceValue(func() []Query {
	r := rand.New(rand.NewPCG(11, 12))
	qs := make([]Query, 1_000_000)
	for i := range qs {
		rec := t0.Add(time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
		fr := rec.Add(time.Duration(math.Exp(r.NormFloat64()*1.5) * float64(time.Hour)))
		qs[i] = Query{Received: rec, FirstResponse: fr, Resolved: fr.Add(time.Duration(math.Exp(r.NormFloat64()) * float64(24*time.Hour)))}
	}
	return qs
})

// BenchmarkTrackerStream1M feeds a million queries (two durations each) to a fresh Tracker
// and reads its Result (median, p90, p95): the streaming use, per query.
func BenchmarkTrackerStream1M(b *testing.B) {
	qs := streamQueries()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var t Tracker
		for _, q := range qs {
			if err := t.Add(q); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := t.Result(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(qs)), "ns/query")
}

// BenchmarkTrackerAddFirstResponse adds queries with a first response only (one duration per
// Add), the case of the issue 16 measurement (1e7 durations).
func BenchmarkTrackerAddFirstResponse(b *testing.B) {
	qs := append([]Query(nil), streamQueries()[:4096]...)
	for i := range qs {
		qs[i].Resolved = time.Time{}
	}
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

// BenchmarkTrackerAddAll adds the queries of BenchmarkTrackerAddFirstResponse in batches of
// 4096 with AddAll, which does not copy them; ns/query is the cost of one Add.
func BenchmarkTrackerAddAll(b *testing.B) {
	qs := append([]Query(nil), streamQueries()[:4096]...)
	for i := range qs {
		qs[i].Resolved = time.Time{}
	}
	var t Tracker
	defer benchcpu.Start(b)()
	b.ReportAllocs()
	for b.Loop() {
		if err := t.AddAll(qs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(qs)), "ns/query")
}
