package churn

import "testing"

// BenchmarkSurvival1M runs Kaplan–Meier and the log-rank test on the same million subjects
// (two groups of 500,000 for the log-rank test) side by side, so their costs compare in one run.
func BenchmarkSurvival1M(b *testing.B) {
	s := benchSubjects(1_000_000)
	b.Run("KaplanMeier", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := KaplanMeier(s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("LogRank", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := LogRankTest(s[:500_000], s[500_000:]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
