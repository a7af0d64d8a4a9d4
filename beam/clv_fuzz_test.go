package cxbeam

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cxkit/cxkit/clv"
)

// FuzzDistinctHistories checks DistinctHistories' combine functions without a runner: however
// the customers are spread over per-triple partial counts and however the gathered rows are
// split and merged, the histogram equals clv.Compress of the customers in ID order (the order
// of a clv.Summarize result), row for row and weight for weight.
func FuzzDistinctHistories(f *testing.F) {
	f.Add([]byte{1, 2, 3, 0, 0, 5, 1, 2, 3, 2, 7, 7}, uint8(3))
	f.Add([]byte{0, 0, 0}, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		var cs []clv.Customer
		for i := 0; i+3 <= len(data) && len(cs) < 2000; i += 3 {
			x, T := int(data[i]%4), 1+float64(data[i+2]%8)
			tx := 0.0
			if x > 0 {
				tx = 1 + float64(int(data[i+1])%int(T))
			}
			cs = append(cs, clv.Customer{ID: fmt.Sprintf("c%05d", len(cs)), Frequency: x, Recency: tx, T: T})
		}
		if len(cs) == 0 {
			return
		}
		want, err := clv.Compress(cs)
		require.NoError(t, err)

		// Per-triple counts, built from the customers in reverse order (a worker sees them in
		// any order).
		counts := map[Triple]tripleCount{}
		for i := len(cs) - 1; i >= 0; i-- {
			k, c := tripleOf(cs[i].ID, clv.RFM{ID: cs[i].ID, Customer: cs[i]})
			if old, ok := counts[k]; ok {
				c = mergeTripleCount(old, c)
			}
			counts[k] = c
		}
		// Gather them in two partial accumulators, merged second into first.
		var g gatherTriples
		a, b := g.CreateAccumulator(), g.CreateAccumulator()
		n := 0
		for k, c := range counts {
			if n%(int(split%5)+1) == 0 {
				a = g.AddInput(a, rowOf(k, c))
			} else {
				b = g.AddInput(b, rowOf(k, c))
			}
			n++
		}
		h := g.ExtractOutput(g.MergeAccumulators(b, a))
		require.Equal(t, int64(len(cs)), h.Customers)
		require.Len(t, h.Histories, len(want))
		for i, w := range want {
			got := h.Histories[i]
			require.Equal(t, [4]float64{float64(w.Frequency), w.Recency, w.T, w.Weight},
				[4]float64{float64(got.Frequency), got.Recency, got.T, got.Weight}, "row %d", i)
		}
	})
}
