package journey

import (
	"testing"

	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/nps"
)

// BenchmarkAnalyze1M: 1,000,000 feedback observations (100,000 customers, 10 answers each)
// over 30 touchpoints and 5 personas: accumulate and report.
func BenchmarkAnalyze1M(b *testing.B) {
	m := genMap(30, 5)
	fb, _ := genFeedback(m, 1_000_000, 10, 1)
	b.ResetTimer()
	for b.Loop() {
		a, err := NewAccumulator(m, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := range fb {
			if err := a.AddFeedback(fb[i]); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := a.Report(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCount1M is the counting alone (no report), to show its allocations.
func BenchmarkCount1M(b *testing.B) {
	m := genMap(30, 5)
	fb, _ := genFeedback(m, 1_000_000, 10, 1)
	b.ResetTimer()
	for b.Loop() {
		a, _ := NewAccumulator(m, Options{})
		for i := range fb {
			if err := a.AddFeedback(fb[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkReport1M is the report alone over the accumulated 1M observations.
func BenchmarkReport1M(b *testing.B) {
	m := genMap(30, 5)
	fb, _ := genFeedback(m, 1_000_000, 10, 1)
	a, _ := NewAccumulator(m, Options{})
	for i := range fb {
		if err := a.AddFeedback(fb[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := a.Report(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTalliesOnly1M is the floor: the same 1M answers added straight into one csat.Tally
// and one nps.Tally per touchpoint, with no journey bookkeeping, for a side-by-side ratio.
func BenchmarkTalliesOnly1M(b *testing.B) {
	m := genMap(30, 5)
	fb, _ := genFeedback(m, 1_000_000, 10, 1)
	idx := map[string]int{}
	for i, t := range m.Touchpoints {
		idx[t.ID] = i
	}
	b.ResetTimer()
	for b.Loop() {
		c := make([]csat.Tally, 30)
		n := make([]nps.Tally, 30)
		for i := range fb {
			t := idx[fb[i].Touchpoint]
			var err error
			if fb[i].Metric == NPS {
				err = n[t].AddWeighted(fb[i].Rating, 1)
			} else {
				err = c[t].AddWeighted(fb[i].Rating, 1)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
