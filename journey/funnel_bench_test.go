package journey

import (
	"fmt"
	"github.com/cxkit/cxkit/internal/benchcpu"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// benchStream calls add for n events of customers customers, sorted by customer, each
// customer's events over 30 touchpoints (uniform, so that nearly every customer's path is
// distinct) in random time order.
func benchStream(b *testing.B, n, customers int, add func(Event) error) {
	benchStreamDist(b, n, customers, nil, add)
}

// benchStreamDist is benchStream with the touchpoints drawn from zipf when it is not nil.
func benchStreamDist(b *testing.B, n, customers int, zipf *rand.Zipf, add func(Event) error) {
	b.Helper()
	ids := make([]string, customers)
	for i := range ids {
		ids[i] = fmt.Sprintf("cust%08d", i)
	}
	tps := make([]string, 30)
	for i := range tps {
		tps[i] = "tp" + strconv.Itoa(i)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	per := n / customers
	b.ResetTimer()
	for c := range customers {
		for range per {
			tp := rng.IntN(len(tps))
			if zipf != nil {
				tp = int(zipf.Uint64())
			}
			e := Event{Customer: ids[c], Touchpoint: tps[tp], Time: tpath0.Add(time.Duration(rng.IntN(86400)) * time.Second)}
			if err := add(e); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / 1e6
}

// 10 M events of 1 M customers, sorted by customer, through the streaming counter.
func BenchmarkFunnelCounter10M(b *testing.B) {
	steps := []string{"tp0", "tp1", "tp2", "tp3"}
	for b.Loop() {
		f, err := NewFunnelCounter(steps, FunnelOptions{Window: 12 * time.Hour})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		benchStream(b, 10_000_000, 1_000_000, f.Add)
		r, err := f.Result()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(1e7/time.Since(start).Seconds(), "events/s")
		b.ReportMetric(heapMB(), "heapMB")
		runtime.KeepAlive(f)
		_ = r
	}
}

// The same stream without any analysis: the cost of making the events, to subtract.
func BenchmarkEventStream10M(b *testing.B) {
	var n int
	for b.Loop() {
		start := time.Now()
		benchStream(b, 10_000_000, 1_000_000, func(e Event) error { n += len(e.Touchpoint); return nil })
		b.ReportMetric(1e7/time.Since(start).Seconds(), "events/s")
	}
}

// 10 M events of 1 M customers through the streaming path analyzer.
func BenchmarkPathAnalyzer10M(b *testing.B) {
	defer benchcpu.Start(b)()
	for b.Loop() {
		a, err := NewPathAnalyzer(PathOptions{})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		benchStream(b, 10_000_000, 1_000_000, a.Add)
		r, err := a.Result()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(1e7/time.Since(start).Seconds(), "events/s")
		b.ReportMetric(heapMB(), "heapMB")
		runtime.KeepAlive(a)
		_ = r
	}
}

// The path analyzer on a skewed log: touchpoints drawn from a Zipf law (s = 1.5), so that
// paths repeat as in real logs.
func BenchmarkPathAnalyzer10MZipf(b *testing.B) {
	for b.Loop() {
		a, err := NewPathAnalyzer(PathOptions{})
		if err != nil {
			b.Fatal(err)
		}
		zipf := rand.NewZipf(rand.New(rand.NewPCG(3, 3)), 1.5, 1, 29)
		start := time.Now()
		benchStreamDist(b, 10_000_000, 1_000_000, zipf, a.Add)
		if _, err := a.Result(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(1e7/time.Since(start).Seconds(), "events/s")
		b.ReportMetric(heapMB(), "heapMB")
		runtime.KeepAlive(a)
	}
}

// The one-call Funnel on a slice of 1 M events of 100,000 customers in random order (it
// groups them by customer first).
func BenchmarkFunnelSliceUnsorted1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	ev := randomEvents(rng, 1_000_000, 100_000, 30)
	steps := []string{"t0", "t1", "t2", "t3"}
	for b.Loop() {
		if _, err := Funnel(ev, steps, FunnelOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ev))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// Markov attribution over 100,000 distinct paths of 1..30 steps over 30 touchpoints.
func BenchmarkMarkov100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 9))
	seen := map[string]bool{}
	var paths []Path
	for len(paths) < 100_000 {
		p := randomPaths(rng, 1, 30, 30)[0]
		if k := p.String(); !seen[k] {
			seen[k] = true
			if p.Conversions+p.Nulls == 0 {
				p.Nulls = 1
			}
			paths = append(paths, p)
		}
	}
	for _, order := range []int{1, 3} {
		b.Run("order"+strconv.Itoa(order), func(b *testing.B) {
			for b.Loop() {
				if _, err := MarkovAttribution(paths, order); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
