package stat

import (
	"errors"
	"math"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestZ(t *testing.T) {
	// Standard normal table (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.1).
	for _, tc := range []struct{ conf, want float64 }{
		{0.90, 1.644854}, {0.95, 1.959964}, {0.99, 2.575829},
	} {
		z, err := Z(tc.conf)
		require.NoError(t, err)
		assert.InDelta(t, tc.want, z, 1e-6, "confidence %v", tc.conf)
	}
	for _, bad := range []float64{0, 1, -0.5, 95, math.NaN()} {
		_, err := Z(bad)
		assert.ErrorIs(t, err, cxkit.ErrOutOfRange, "confidence %v", bad)
	}
}

func TestT(t *testing.T) {
	// Student t table (NIST/SEMATECH e-Handbook 1.3.6.7.2): t(0.975; 9) = 2.262, t(0.975; 29) = 2.045.
	got, err := T(0.95, 9)
	require.NoError(t, err)
	assert.InDelta(t, 2.262157, got, 1e-6)
	got, err = T(0.95, 29)
	require.NoError(t, err)
	assert.InDelta(t, 2.045230, got, 1e-6)
	_, err = T(0.95, 0)
	assert.ErrorIs(t, err, cxkit.ErrOutOfRange)
}

func TestTwoSidedP(t *testing.T) {
	assert.InDelta(t, 0.05, TwoSidedP(1.959964), 1e-6)
	assert.InDelta(t, 0.05, TwoSidedP(-1.959964), 1e-6)
	assert.InDelta(t, 1.0, TwoSidedP(0), 1e-12)
	assert.True(t, math.IsNaN(TwoSidedP(math.NaN())))
	assert.InDelta(t, 0.05, TwoSidedPT(2.262157, 9), 1e-6)
}

func TestWilson(t *testing.T) {
	// MeasuringU / Sauro & Lewis (2016), "Quantifying the User Experience", ch. 3:
	// 45 of 50 → [78.6%, 95.7%]; 10 of 10 → [72.2%, 100%] (95%).
	lo, hi, err := Wilson(45, 50, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 0.786, lo, 5e-4)
	assert.InDelta(t, 0.957, hi, 5e-4)
	lo, hi, err = Wilson(10, 10, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 0.722, lo, 5e-4)
	assert.Equal(t, 1.0, hi)
	// Newcombe (1998), Table I, case 81/263: Wilson 95% = 0.2553 to 0.3662.
	lo, hi, err = Wilson(81, 263, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 0.2553, lo, 5e-5)
	assert.InDelta(t, 0.3662, hi, 5e-5)
	// R 4.2.2, prop.test(x, n, correct = FALSE)$conf.int is the Wilson score interval:
	// 45/50 → [0.786398, 0.956524]; 10/10 → [0.722467, 1].
	lo, hi, _ = Wilson(45, 50, 0.95)
	assert.InDelta(t, 0.786398, lo, 1e-6)
	assert.InDelta(t, 0.956524, hi, 1e-6)
	lo, _, _ = Wilson(10, 10, 0.95)
	assert.InDelta(t, 0.722467, lo, 1e-6)

	_, _, err = Wilson(11, 10, 0.95)
	assert.ErrorIs(t, err, cxkit.ErrOutOfRange)
	_, _, err = Wilson(0, 0, 0.95)
	assert.ErrorIs(t, err, cxkit.ErrOutOfRange)
}

func TestAdjustedWald(t *testing.T) {
	// Agresti & Coull (1998): p̃ = (x + z²/2)/(n + z²). For 10 of 10 at 95%,
	// n + z² = 13.8415, p̃ = 0.86124, half-width 1.96·sqrt(p̃(1−p̃)/13.8415) = 0.18216,
	// so [0.6791, 1] after clamping (Sauro & Lewis 2016 print 67.9%..100%).
	lo, hi, err := AdjustedWald(10, 10, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 0.679, lo, 5e-4)
	assert.Equal(t, 1.0, hi)
}

func TestTwoProportions(t *testing.T) {
	// Campbell (2007) N−1 chi-squared equals Pearson's chi-squared × (N−1)/N. For the 2×2 table
	// 15/20 vs 8/20, Pearson's χ² = 5.01279 (hand computation: (15·12 − 5·8)²·40 / (20·20·23·17)),
	// so the N−1 statistic is 5.01279·39/40 = 4.88747 and z = 2.21076, two-sided p = 0.02705.
	c, err := TwoProportions(15, 20, 8, 20)
	require.NoError(t, err)
	assert.InDelta(t, 0.35, c.Difference, 1e-12)
	assert.InDelta(t, math.Sqrt(5.01279*39/40), c.Z, 1e-5)
	assert.InDelta(t, 0.02705, c.P, 1e-5)
	// Sign follows A − B.
	c2, err := TwoProportions(8, 20, 15, 20)
	require.NoError(t, err)
	assert.InDelta(t, -c.Z, c2.Z, 1e-12)
	// Degenerate: both all-successes.
	c3, err := TwoProportions(5, 5, 7, 7)
	require.NoError(t, err)
	assert.Equal(t, 1.0, c3.P)
	_, err = TwoProportions(5, 4, 1, 2)
	assert.True(t, errors.Is(err, cxkit.ErrOutOfRange))
}

func TestKishAndMoments(t *testing.T) {
	// Kish (1965): n_eff = (Σw)²/Σw²; weights 1,1,2,2 → 36/10 = 3.6.
	assert.InDelta(t, 3.6, Kish(6, 10), 1e-12)
	assert.Equal(t, 0.0, Kish(0, 0))

	var m Moments
	for _, x := range []float64{2, 4, 4, 4, 5, 5, 7, 9} {
		m.Add(x, 1)
	}
	// The textbook sample {2,4,4,4,5,5,7,9}: mean 5, population variance 4, sample variance 32/7.
	assert.InDelta(t, 5, m.Mean, 1e-12)
	assert.InDelta(t, 32.0/7, m.Variance(), 1e-12)
	assert.InDelta(t, 8, m.N(), 1e-12)

	// Merge of any split equals one pass.
	var a, b Moments
	for i, x := range []float64{2, 4, 4, 4, 5, 5, 7, 9} {
		if i < 3 {
			a.Add(x, 1)
		} else {
			b.Add(x, 1)
		}
	}
	a.Merge(b)
	assert.InDelta(t, m.Mean, a.Mean, 1e-12)
	assert.InDelta(t, m.M2, a.M2, 1e-12)

	// Integer weights behave as repeated observations for the mean and M2.
	var w Moments
	w.Add(4, 3)
	w.Add(5, 2)
	assert.InDelta(t, (12.0+10)/5, w.Mean, 1e-12)

	var one Moments
	one.Add(3, 1)
	assert.True(t, math.IsNaN(one.Variance()))
	lo, hi, err := one.MeanInterval(0.95)
	require.NoError(t, err)
	assert.True(t, math.IsNaN(lo) && math.IsNaN(hi))

	// Mean interval: {2,4,4,4,5,5,7,9}, t(0.975;7) = 2.364624, se = sqrt(32/7/8).
	lo, hi, err = m.MeanInterval(0.95)
	require.NoError(t, err)
	h := 2.364624 * math.Sqrt(32.0/7/8)
	assert.InDelta(t, 5-h, lo, 1e-5)
	assert.InDelta(t, 5+h, hi, 1e-5)
}

func TestProportionSampleSize(t *testing.T) {
	// The classic survey figure: ±5 points at 95% with p = 0.5 needs 385 responses
	// (1.959964² · 0.25 / 0.05² = 384.15, rounded up).
	n, err := ProportionSampleSize(0.5, 0.05, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 385, n)
	_, err = ProportionSampleSize(0.5, 0, 0.95)
	assert.ErrorIs(t, err, cxkit.ErrOutOfRange)
}
