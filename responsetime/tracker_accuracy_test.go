package responsetime

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrackerRelativeErrorLarge checks the stated guarantee (RelativeAccuracy) on a million
// queries added one at a time through the hot path, against the exact order statistics of a
// full sort: every percentile 1..99, p99.9, p99.99, min and max of the first-response times
// (log-normal around 2 h with a heavy tail, some of them zero) and of the resolution times
// (first response plus up to 30 days, uniform). Each estimate must be within
// RelativeAccuracy·x + 0.5 ns of the order statistic x of rank ⌊q·(n−1)⌋ or the next one, and
// the sketches must stay a few kilobytes.
func TestTrackerRelativeErrorLarge(t *testing.T) {
	const n = 1_000_000
	r := rand.New(rand.NewPCG(2026, 16))
	firsts, ress := make([]time.Duration, 0, n), make([]time.Duration, 0, n)
	var tr Tracker
	for i := range n {
		rec := t0.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
		f := time.Duration(math.Exp(r.NormFloat64()*2) * float64(2*time.Hour))
		if i%1000 == 0 {
			f = 0
		}
		res := f + time.Duration(r.Int64N(int64(30*24*time.Hour)))
		require.NoError(t, tr.Add(Query{Received: rec, FirstResponse: rec.Add(f), Resolved: rec.Add(res)}))
		firsts, ress = append(firsts, f), append(ress, res)
	}
	slices.Sort(firsts)
	slices.Sort(ress)
	qs := []float64{0, 0.999, 0.9999, 1}
	for k := 1; k < 100; k++ {
		qs = append(qs, float64(k)/100)
	}
	worst := 0.0
	for _, q := range qs {
		for _, c := range []struct {
			exact []time.Duration
			f     func(float64) (time.Duration, error)
		}{{firsts, tr.Quantile}, {ress, tr.ResolutionQuantile}} {
			got, err := c.f(q)
			require.NoError(t, err)
			rank := int(math.Floor(q * float64(n-1)))
			best := math.Inf(1)
			for _, x := range c.exact[rank:min(rank+2, n)] {
				if x == 0 {
					best = math.Min(best, math.Abs(float64(got)))
					continue
				}
				best = math.Min(best, (math.Abs(float64(got-x))-0.5)/float64(x))
			}
			worst = math.Max(worst, best)
			assert.LessOrEqual(t, best, RelativeAccuracy, "q=%v: got %v, exact %v", q, got, c.exact[rank])
		}
	}
	t.Logf("worst relative error over %d quantiles of 2 × %d durations: %.5f (bound %v)", len(qs), n, worst, RelativeAccuracy)
	s, err := tr.Result()
	require.NoError(t, err)
	assert.Equal(t, firsts[0], s.Min)
	assert.Equal(t, firsts[n-1], s.Max)
	assert.Equal(t, n, s.Queries)
	assert.Less(t, 8*(len(tr.first.bins.counts)+len(tr.res.bins.counts)), 40000, "sketch bytes")
	t.Logf("sketch bins: %d + %d (%d bytes)", len(tr.first.bins.counts), len(tr.res.bins.counts), 8*(len(tr.first.bins.counts)+len(tr.res.bins.counts)))
}
