package clv

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 10: a model did not remember the time unit it was fitted in, so a projection in days
// of a model fitted in weeks gave 36,303 instead of 7,484 with no error.
func TestProjectionRefusesAnotherUnit(t *testing.T) {
	s, err := Summarize(cdnowTransactions(t), cdnowOptions)
	require.NoError(t, err)
	m, err := s.FitBGNBD()
	require.NoError(t, err)
	assert.Equal(t, cxkit.Week, m.Unit)
	spenders, _ := Spenders(s.Histories())
	gg, err := FitGammaGamma(spenders)
	require.NoError(t, err)
	cs := s.Histories()[:10]
	p := Projection{Purchases: m, Spend: gg, Unit: cxkit.Day, Step: 30, Horizon: 360, DiscountRate: 0.01}
	_, err = p.Values(cs)
	assert.ErrorIs(t, err, ErrIncompatible)
	assert.ErrorContains(t, err, "projection unit day differs from the unit week the purchase model was fitted in")
	// Step and Horizon are in Unit, so Unit is required: a zero one is an error naming the
	// model's unit; the right unit projects.
	p.Unit, p.Step, p.Horizon = 0, 30.0/7, 360.0/7
	_, err = p.Values(cs)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "set Projection.Unit to week")
	p.Unit = cxkit.Week
	vs, err := p.Values(cs)
	require.NoError(t, err)
	assert.Len(t, vs, len(cs))
	// A model that records no unit needs Projection.Unit.
	p.Purchases, p.Unit = BGNBD{R: m.R, Alpha: m.Alpha, A: m.A, B: m.B}, 0
	_, err = p.Values(cs)
	assert.ErrorIs(t, err, ErrInvalid)
	// The other models record it too.
	pn, err := s.FitParetoNBD()
	require.NoError(t, err)
	assert.Equal(t, cxkit.Week, pn.TimeUnit())
	mb, err := s.FitMBGNBD()
	require.NoError(t, err)
	assert.Equal(t, cxkit.Week, mb.TimeUnit())
}

// zeroSpendLog is a log in which customer "free" makes two repeat purchases worth 0.
func zeroSpendLog() []Transaction {
	d := func(day int) time.Time { return time.Date(2024, 1, day, 12, 0, 0, 0, time.UTC) }
	return []Transaction{
		{"ann", d(1), 10}, {"ann", d(5), 20}, {"ann", d(9), 30},
		{"bob", d(2), 5}, {"bob", d(12), 7},
		{"cy", d(3), 8}, {"cy", d(4), 9}, {"cy", d(20), 40}, {"cy", d(22), 11},
		{"dee", d(6), 12},
		{"free", d(2), 15}, {"free", d(8), 0}, {"free", d(15), 0},
	}
}

// Issue 10: repeat buyers whose repeat purchases are all worth 0 stopped FitGammaGamma and
// Projection.Values with an error naming an index into a filtered slice, prefixed "clv: clv:".
func TestZeroValueRepeatBuyers(t *testing.T) {
	s, err := Summarize(zeroSpendLog(), RFMOptions{Unit: cxkit.Week, CalibrationEnd: time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	_, err = FitGammaGamma(RepeatBuyers(s.Histories()))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrOutOfRange)
	assert.ErrorContains(t, err, `customer "free"`)
	assert.NotContains(t, err.Error(), "clv: clv:")

	spenders, zero := Spenders(s.Histories())
	require.Len(t, zero, 1)
	assert.Equal(t, "free", zero[0].ID)
	assert.Len(t, spenders, 3) // ann, bob, cy; dee has no repeat purchase

	gg := GammaGamma{P: 6.25, Q: 3.74, V: 15.44} // the CDNOW estimates
	bg := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: cxkit.Week}
	p := Projection{Purchases: bg, Spend: gg, Unit: cxkit.Week, Step: 4, Horizon: 52, DiscountRate: 0.01}
	_, err = p.Values(s.Histories())
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrOutOfRange)
	assert.ErrorContains(t, err, `customer "free" (index 4)`)
	assert.NotContains(t, err.Error(), "clv: clv:")
	assert.True(t, strings.HasPrefix(err.Error(), "clv: "))

	// Population mean: the zero-value buyer is valued as if its spend were E(Z).
	p.ZeroSpend = ZeroSpendPopulationMean
	vs, err := p.Values(s.Histories())
	require.NoError(t, err)
	free := s.Histories()[4]
	mean, err := gg.ExpectedSpend()
	require.NoError(t, err)
	e, err := bg.ConditionalExpectedPurchases(1, free)
	require.NoError(t, err)
	assert.Greater(t, vs[4], 0.0)
	assert.Less(t, vs[4], mean*e*100) // finite and of the right size
	// Scaling the population mean scales the value: the spend used is E(Z).
	p2 := p
	p2.Spend.V *= 2
	vs2, err := p2.Values(s.Histories())
	require.NoError(t, err)
	assert.InDelta(t, 2*vs[4], vs2[4], 1e-9*vs2[4])
	// Zero: valued at 0.
	p.ZeroSpend = ZeroSpendZero
	vs, err = p.Values(s.Histories())
	require.NoError(t, err)
	assert.Zero(t, vs[4])
	p.ZeroSpend = 7
	_, err = p.Values(s.Histories())
	assert.ErrorIs(t, err, ErrInvalid)
}

// Issue 10: predictions at a horizon of 1e300 were NaN, and the margin formulas and Simple
// could return +Inf, with nil errors.
func TestNoNonFiniteResults(t *testing.T) {
	c := Customer{Frequency: 3, Recency: 20, T: 30}
	for name, m := range map[string]countModelCM{
		"BG/NBD":  BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426},
		"MBG/NBD": MBGNBD{R: 0.525, Alpha: 6.18, A: 0.89, B: 1.61},
	} {
		_, err := m.ExpectedPurchases(1e300)
		assert.ErrorIs(t, err, ErrOutOfRange, name)
		_, err = m.ConditionalExpectedPurchases(1e300, c)
		assert.ErrorIs(t, err, ErrOutOfRange, name)
		assert.ErrorContains(t, err, "1e+300")
		err = m.Predict(1e300, []Customer{c}, make([]float64, 1), nil)
		assert.ErrorIs(t, err, ErrOutOfRange, name)
	}
	// Every prediction that is returned is finite.
	for _, m := range cdnowModelsCM() {
		for _, h := range []float64{1e6, 1e12, 1e300, math.MaxFloat64} {
			if v, err := m.ConditionalExpectedPurchases(h, c); err == nil {
				assert.True(t, finite(v), "%T at %g: %v", m, h, v)
			}
			if v, err := m.ExpectedPurchases(h); err == nil {
				assert.True(t, finite(v), "%T at %g: %v", m, h, v)
			}
		}
	}
	_, err := MarginCLVFinite(1e308, 1, 0, 10)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = MarginCLVFinite(1e308, 0.9, 0, 10)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = MarginCLV(1e308, 0.99, 0)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = Simple(1e308, 10, 0)
	assert.ErrorIs(t, err, ErrOutOfRange)
	v, err := Simple(1e300, 10, 0)
	require.NoError(t, err)
	assert.Equal(t, 1e301, v)
}
