package clv

import (
	"math"
	"math/rand/v2"
	"testing"
)

// compressReference is Compress written the plainest way: one map from history to its group,
// groups in order of first appearance, sums in customer order.
func compressReference(cs []Customer) []Customer {
	idx := map[historyKey]int{}
	var out []Customer
	var mv []float64
	for _, c := range cs {
		k := historyKey{c.Frequency, c.Recency, c.T}
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, Customer{Frequency: c.Frequency, Recency: c.Recency, T: c.T})
			mv = append(mv, 0)
		}
		out[j].Weight += c.weight()
		mv[j] += c.weight() * c.MonetaryValue
	}
	for j := range out {
		out[j].MonetaryValue = mv[j] / out[j].Weight
	}
	return out
}

// TestCompressMatchesReference checks Compress, whose grouping runs in parallel on large
// mostly distinct inputs, against the reference bit for bit: the same histories in the same
// order with the same weights and mean values, on all-distinct, half-repeated and heavily
// repeated inputs with fractional weights.
func TestCompressMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	distinct := simulateBGNBDCM(150_000, 77)
	for i := range distinct {
		distinct[i].Weight = 0.5 + rng.Float64()
		distinct[i].MonetaryValue = 100 * rng.Float64()
	}
	half := make([]Customer, 200_000)
	for i := range half {
		half[i] = distinct[rng.IntN(100_000)]
		half[i].Weight = 0.25 + rng.Float64()
	}
	for name, cs := range map[string][]Customer{
		"distinct": distinct, "half": half, "CDNOWx50": repeatCM(loadCDNOWSummaryCM(t), 50),
	} {
		got, err := Compress(cs)
		if err != nil {
			t.Fatal(err)
		}
		want := compressReference(cs)
		if len(got) != len(want) {
			t.Fatalf("%s: %d histories, want %d", name, len(got), len(want))
		}
		for j := range got {
			g, w := got[j], want[j]
			if g.Frequency != w.Frequency || g.Recency != w.Recency || g.T != w.T ||
				math.Float64bits(g.Weight) != math.Float64bits(w.Weight) ||
				math.Float64bits(g.MonetaryValue) != math.Float64bits(w.MonetaryValue) {
				t.Fatalf("%s: history %d = %+v, want %+v", name, j, g, w)
			}
		}
	}
}
