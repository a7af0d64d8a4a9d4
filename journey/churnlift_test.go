package journey

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChurnLiftByHand: eight customers rate the checkout on day 0; b1..b4 rate it 1 (a bad
// experience), g1..g4 rate it 5. b1 churns on day 10, b2 on day 20; nobody else churns; AsOf is
// day 100. Kaplan–Meier for the bad group: at day 10, 4 at risk, 1 churn → 3/4; at day 20, 3
// at risk, 1 churn → 3/4 · 2/3 = 1/2. The good group keeps 1. Retention at 90 days: 0.5 vs 1,
// a lift of 0.5. Greenwood: Var = S² Σ d/(n(n−d)) = 0.25·(1/12 + 1/6) = 0.0625, SE 0.25, so
// the 95% interval is 0.5 ± 1.95996·0.25 = [0.0100, 0.9900].
func TestChurnLiftByHand(t *testing.T) {
	a, err := NewAccumulator(smallMap(), Options{MinGroup: 2, AsOf: t0.Add(100 * 24 * time.Hour)})
	require.NoError(t, err)
	for i := 1; i <= 4; i++ {
		require.NoError(t, a.AddFeedback(Feedback{Customer: fmt.Sprint("b", i), Touchpoint: "checkout", Time: t0, Metric: CSAT, Rating: 1}))
		require.NoError(t, a.AddFeedback(Feedback{Customer: fmt.Sprint("g", i), Touchpoint: "checkout", Time: t0, Metric: CSAT, Rating: 5}))
	}
	require.NoError(t, a.AddOutcome(Outcome{Customer: "b1", Kind: Churned, Time: t0.Add(10 * 24 * time.Hour)}))
	require.NoError(t, a.AddOutcome(Outcome{Customer: "b2", Kind: Churned, Time: t0.Add(20 * 24 * time.Hour)}))
	lifts, err := a.churnLifts(a.opt.AsOf)
	require.NoError(t, err)
	l := lifts[1]
	require.NotNil(t, l)
	assert.Equal(t, 4, l.Bad)
	assert.Equal(t, 4, l.Good)
	assert.InDelta(t, 0.5, l.RetentionBad, 1e-12)
	assert.InDelta(t, 1, l.RetentionGood, 1e-12)
	assert.InDelta(t, 0.5, l.Lift, 1e-12)
	assert.InDelta(t, 0.5-1.959964*0.25, l.Interval.Lower, 1e-6)
	assert.InDelta(t, 0.5+1.959964*0.25, l.Interval.Upper, 1e-6)
	// Log-rank by hand: day 10: 8 at risk (4 bad), 1 churn: E_bad = 0.5, V = 1·7/7·(4/8)(4/8) =
	// 0.25; day 20: 7 at risk (3 bad), 1 churn: E_bad = 3/7, V = (3/7)(4/7) = 12/49.
	// O − E = 2 − 0.5 − 3/7 = 1.0714; V = 0.25 + 0.2449 = 0.4949; χ² = 1.0714²/0.4949 = 2.3195.
	assert.InDelta(t, 2.3195, l.LogRankChiSquare, 1e-3)
	assert.Nil(t, lifts[0], "nobody rated the ad")
}
