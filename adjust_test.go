package cxkit_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/cxkit/cxkit"
)

// TestAdjustByDefinition checks Adjust on five p-values against the adjusted values worked out
// by hand from the definitions: Holm (1979), sorted p × (n − rank + 1) made non-decreasing
// (0.005·5, 0.01·4, 0.03·3, max(0.04·2, 0.09), 0.2·1); Benjamini & Hochberg (1995), sorted
// p × n / rank made non-increasing from the top (0.025, 0.025, 0.05, 0.05, 0.2). These are the
// values R's p.adjust(p, "holm") and p.adjust(p, "BH") define.
func TestAdjustByDefinition(t *testing.T) {
	p := []float64{0.01, 0.04, 0.03, 0.005, 0.20}
	want := map[cxkit.Correction][]float64{
		cxkit.Holm:              {0.04, 0.09, 0.09, 0.025, 0.20},
		cxkit.BenjaminiHochberg: {0.025, 0.05, 0.05, 0.025, 0.20},
		cxkit.NoCorrection:      p,
	}
	for c, w := range want {
		got, err := cxkit.Adjust(p, c)
		if err != nil {
			t.Fatal(err)
		}
		for i := range w {
			if math.Abs(got[i]-w[i]) > 1e-12 {
				t.Errorf("%v: adjusted[%d] = %v, want %v", c, i, got[i], w[i])
			}
		}
	}
}

func TestAdjustRejectsBadP(t *testing.T) {
	for _, bad := range []float64{math.NaN(), -0.1, 1.5} {
		_, err := cxkit.Adjust([]float64{0.1, bad}, cxkit.Holm)
		if !errors.Is(err, cxkit.ErrOutOfRange) {
			t.Errorf("p=%v: err = %v, want ErrOutOfRange", bad, err)
		}
	}
	if _, err := cxkit.Adjust([]float64{0.1}, cxkit.Correction(9)); !errors.Is(err, cxkit.ErrInvalid) {
		t.Errorf("unknown correction: err = %v", err)
	}
}

// ExampleAdjust adjusts the p-values of five touchpoint comparisons for multiplicity.
func ExampleAdjust() {
	p := []float64{0.01, 0.04, 0.03, 0.005, 0.20}
	holm, _ := cxkit.Adjust(p, cxkit.Holm)
	bh, _ := cxkit.Adjust(p, cxkit.BenjaminiHochberg)
	fmt.Printf("holm %.3f\nBH   %.3f\n", holm, bh)
	// Output:
	// holm [0.040 0.090 0.090 0.025 0.200]
	// BH   [0.025 0.050 0.050 0.025 0.200]
}
