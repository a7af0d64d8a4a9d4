package simtest_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/cxkit/cxkit/clv"
	"github.com/cxkit/cxkit/clv/internal/simtest"
)

// TestSimulators: histories are well formed, the same seed gives the same draws, and the mean
// number of repeat purchases matches the model's own expectation E[X(T)] at each customer's age
// (FHL 2005 eq. 9 for BG/NBD; Schmittlein, Morrison & Colombo 1987 for Pareto/NBD, as clv
// computes them) within four standard errors: the simulators draw from the models they claim.
func TestSimulators(t *testing.T) {
	const n = 200_000
	for _, tc := range []struct {
		name     string
		draw     func(int, uint64) []simtest.History
		expected func(float64) (float64, error)
	}{
		{"BG/NBD", simtest.BGNBD, clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}.ExpectedPurchases},
		{"Pareto/NBD", simtest.ParetoNBD, clv.ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}.ExpectedPurchases},
	} {
		hs := tc.draw(n, 1)
		if !reflect.DeepEqual(hs[:100], tc.draw(100, 1)) {
			t.Fatalf("%s: the same seed gave other histories", tc.name)
		}
		if reflect.DeepEqual(hs[:100], tc.draw(100, 2)) {
			t.Fatalf("%s: another seed gave the same histories", tc.name)
		}
		var sum, sumSq float64
		for i, h := range hs {
			if h.T < 1 || h.T > 39 || h.Tx < 0 || h.Tx > h.T || (h.X == 0) != (h.Tx == 0) {
				t.Fatalf("%s: history %d is %+v", tc.name, i, h)
			}
			e, err := tc.expected(h.T)
			if err != nil {
				t.Fatal(err)
			}
			d := float64(h.X) - e
			sum += d
			sumSq += d * d
		}
		mean := sum / n
		se := math.Sqrt((sumSq/n - mean*mean) / n)
		if math.Abs(mean) > 4*se {
			t.Errorf("%s: mean of X − E[X(T)] is %.4f, %.1f standard errors from 0", tc.name, mean, mean/se)
		}
	}
}
