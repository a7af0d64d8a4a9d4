package churn

import (
	"testing"
)

// BenchmarkBySegment1M breaks 1 M subjects into 5 plans with the k-group log-rank test and the
// 10 pairwise tests; compare with BenchmarkKaplanMeier1M on the same subjects.
func BenchmarkBySegment1M(b *testing.B) {
	subjects := benchSubjects(1_000_000)
	plans := []string{"basic", "pro", "team", "enterprise", "trial"}
	key := func(i int) string { return plans[i%len(plans)] }
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BySegment(subjects, key, SegmentOptions{Pairwise: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCoxResiduals100k computes every residual of a 3-covariate fit on 100,000 subjects.
func BenchmarkCoxResiduals100k(b *testing.B) {
	subjects := benchSubjects(100_000)
	x := make([][]float64, len(subjects))
	for i := range x {
		x[i] = []float64{float64(i % 3), float64(i%7) / 7, float64(i % 2)}
	}
	names := []string{"a", "b", "c"}
	m, err := FitCox(subjects, x, names, CoxOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Residuals(subjects, x, CoxOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
