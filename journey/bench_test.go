package journey

import (
	"testing"
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
