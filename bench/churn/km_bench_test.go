package churnbench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cxkit/cxkit/churn"
)

// csvPath is the data set shared with survfit.R: $CHURN_CSV, or a 1 M-subject file generated
// into the test's temporary directory with the default seed when unset.
func loadSubjects(b *testing.B) []churn.Subject {
	path := os.Getenv("CHURN_CSV")
	if path == "" {
		path = filepath.Join(b.TempDir(), "churn_1m.csv")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteCSV(f, Generate(1_000_000, 2026)); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	s, err := ReadCSV(path)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkKaplanMeierCSV times churn.KaplanMeier on the subjects read from the shared CSV,
// the Go side of the comparison with survfit (data already in memory on both sides).
func BenchmarkKaplanMeierCSV(b *testing.B) {
	subjects := loadSubjects(b)
	b.ReportAllocs()
	b.ResetTimer()
	var c churn.Curve
	for b.Loop() {
		var err error
		if c, err = churn.KaplanMeier(subjects); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(c.Time)), "distinct_times")
	for _, t := range []float64{6, 12, 24} {
		b.Logf("S(%v) = %.10f  n.risk = %v", t, c.At(t), c.NumberAtRisk(t))
	}
	b.Logf("median = %.6f, subjects = %v, events = %v", c.Median(), c.Subjects, c.Events)
}
