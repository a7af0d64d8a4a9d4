package countmodel

import (
	"math"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cxkit/cxkit/clv/internal/simtest"
)

// simulateBG draws n histories from BG/NBD with the CDNOW estimates and ages uniform on
// [1, 39] weeks (simtest.BGNBD, the simulator clv's tests use), each of weight 1.
func simulateBG(n int, seed uint64) []Row {
	hs := simtest.BGNBD(n, seed)
	rows := make([]Row, len(hs))
	for i, h := range hs {
		rows[i] = Row{X: float64(h.X), Tx: h.Tx, T: h.T, W: 1}
	}
	return rows
}

// TestProbeReuse checks that the standard errors taken with a fit's Probe are those computed
// without it, bit for bit, with half the gradients, and that a probe taken at other parameters
// is not used.
func TestProbeReuse(t *testing.T) {
	rows := simulateBG(20_000, 4)
	d, _, err := Build("test", len(rows), func(lo, hi int) error { return nil }, func(i int) Row { return rows[i] }, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		fit  func() ([]float64, *Probe, error)
		mk   func(*Data) func(theta, grad []float64) float64
	}{
		{"BG", func() ([]float64, *Probe, error) { p, _, pr, err := FitBG("test", d, 0); return p, pr, err },
			func(d *Data) func(theta, grad []float64) float64 { return BGObjective(d, 0) }},
		{"MBG", func() ([]float64, *Probe, error) { p, _, pr, err := FitBG("test", d, 1); return p, pr, err },
			func(d *Data) func(theta, grad []float64) float64 { return BGObjective(d, 1) }},
		{"Pareto", func() ([]float64, *Probe, error) { p, _, pr, err := FitPareto("test", d); return p, pr, err }, ParetoObjective},
	} {
		p, probe, err := tc.fit()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if probe == nil {
			t.Fatalf("%s: no probe", tc.name)
		}
		var evals atomic.Int64
		mk := func() func(theta, grad []float64) float64 {
			f := tc.mk(d)
			return func(theta, grad []float64) float64 { evals.Add(1); return f(theta, grad) }
		}
		names := []string{"p1", "p2", "p3", "p4"}
		want := EstimatesFrom(names, p, mk, d.Total, nil)
		if n := evals.Swap(0); n != 8 {
			t.Errorf("%s: %d gradients without the probe, want 8", tc.name, n)
		}
		got := EstimatesFrom(names, p, mk, d.Total, probe)
		if n := evals.Swap(0); n != 4 {
			t.Errorf("%s: %d gradients with the probe, want 4", tc.name, n)
		}
		for i := range want {
			if math.Float64bits(got[i].StdErr) != math.Float64bits(want[i].StdErr) || math.IsNaN(want[i].StdErr) {
				t.Errorf("%s: %s: SE %v with the probe, %v without", tc.name, names[i], got[i].StdErr, want[i].StdErr)
			}
		}
		// Other parameters: the probe is ignored.
		q := append([]float64(nil), p...)
		q[1] *= 1 + 1e-9
		EstimatesFrom(names, q, mk, d.Total, probe)
		if n := evals.Swap(0); n != 8 {
			t.Errorf("%s: %d gradients with a probe taken elsewhere, want 8", tc.name, n)
		}
	}
}

// TestFitNoRepeatedEvaluation checks that a warm-started fit never evaluates the full-data
// objective twice at the same point: BFGS's start is the point scaleFirstStep evaluated, and
// the identification check's gradient at the estimates is often BFGS's last one (when ln e^θ
// gives θ back, as it does here).
func TestFitNoRepeatedEvaluation(t *testing.T) {
	rows := simulateBG(3*WarmRows/2, 8)
	d, _, err := Build("test", len(rows), func(lo, hi int) error { return nil }, func(i int) Row { return rows[i] }, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.W) <= WarmRows {
		t.Fatalf("%d distinct histories: not a warm-started fit", len(d.W))
	}
	start := []float64{1, 20, 1, 1}
	var mu sync.Mutex
	seen := map[[4]float64][]int{}
	calls := 0
	_, _, _, err = Fit("test", []string{"r", "alpha", "a", "b"}, d, start, start, true, func(dd *Data) func(theta, grad []float64) float64 {
		f := BGObjective(dd, 0)
		return func(theta, grad []float64) float64 {
			if dd == d {
				mu.Lock()
				seen[[4]float64(theta)] = append(seen[[4]float64(theta)], calls)
				calls++
				mu.Unlock()
			}
			return f(theta, grad)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for th, at := range seen {
		if len(at) > 1 {
			t.Errorf("the full-data objective was evaluated at %v by calls %v of %d", th, at, calls)
		}
	}
}
