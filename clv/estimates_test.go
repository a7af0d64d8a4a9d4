package clv

import (
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEstimatesCM checks the standard errors of the count models. BG/NBD on CDNOW: lifetimes'
// BetaGeoFitter.summary gives se(coef) r 0.012557, alpha 0.378221, a 0.185719, b 0.705345
// (as reproduced in public lifetimes walkthroughs on this data). MBG/NBD and Pareto/NBD have no
// published values; they are checked against an independent implementation in R 4.2.2
// (bench/reference/se_mbgnbd_pnbd.R): the
// likelihoods of Batislam et al. (2007) and of Fader & Hardie's note 008 (2F1 from the CRAN
// package hypergeo), optimHess at the maximum. R gives MBG/NBD SEs 0.083264, 0.695599,
// 0.154785, 0.537474 and Pareto/NBD SEs 0.047629, 0.842725, 0.187280, 6.211053 (with
// LL −9594.973930 at r, α, s, β = 0.553276, 10.577614, 0.606214, 11.667913).
func TestEstimatesCM(t *testing.T) {
	cs := loadCDNOWSummaryCM(t)
	bg, err := FitBGNBD(cs)
	require.NoError(t, err)
	est, err := bg.Estimates(cs)
	require.NoError(t, err)
	want := []struct {
		name   string
		stdErr float64
	}{{"R", 0.012557}, {"Alpha", 0.378221}, {"A", 0.185719}, {"B", 0.705345}}
	for i, w := range want {
		assert.Equal(t, w.name, est[i].Name)
		assert.InDelta(t, w.stdErr, est[i].StdErr, 2e-6, w.name) // lifetimes prints 6 decimals
	}
	assert.InDelta(t, 0.242593, est[0].Value, 1e-6)
	iv := est[0].Interval(0.95) // lifetimes: lower 95% bound 0.217981, upper 0.267205
	assert.InDelta(t, 0.217981, iv.Lower, 2e-6)
	assert.InDelta(t, 0.267205, iv.Upper, 2e-6)

	// Compressed, repeated or reordered data give the same standard errors as the original
	// when the weights say so: SEs scale as 1/√k when every customer counts k times.
	rep := repeatCM(cs, 4)
	est4, err := bg.Estimates(rep)
	require.NoError(t, err)
	for i := range est {
		assert.InDelta(t, est[i].StdErr/2, est4[i].StdErr, 1e-6*est[i].StdErr)
	}

	for name, tc := range map[string]struct {
		m interface {
			Estimates([]Customer) ([]cxkit.Estimate, error)
		}
		se [4]float64
	}{
		"MBG/NBD":    {mustFit(t, FitMBGNBD, cs), [4]float64{0.083264, 0.695599, 0.154785, 0.537474}},
		"Pareto/NBD": {mustFit(t, FitParetoNBD, cs), [4]float64{0.047629, 0.842725, 0.187280, 6.211053}},
	} {
		est, err := tc.m.Estimates(cs)
		require.NoError(t, err, name)
		for i, e := range est {
			assert.InEpsilon(t, tc.se[i], e.StdErr, 1e-3, "%s %v", name, e)
		}
	}

	// Bad input is reported, not turned into NaN.
	_, err = bg.Estimates(append([]Customer{{Frequency: 1, Recency: 5, T: 3}}, cs...))
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = BGNBD{}.Estimates(cs)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = bg.Estimates(nil)
	assert.ErrorIs(t, err, ErrEmpty)
}

func mustFit[M any](t *testing.T, fit func([]Customer) (M, error), cs []Customer) M {
	t.Helper()
	m, err := fit(cs)
	require.NoError(t, err)
	return m
}

// TestEstimatesSpendAndBGBB checks the standard errors of Gamma-Gamma (the 946 CDNOW repeat
// buyers) and BG/BB (Fader, Hardie & Shang 2010 donations) against an independent
// implementation (bench/reference/se_sbg_gg_bgbb.R): the log-likelihoods written in R 4.2.2 from Hardie's note 025 and FHS 2010
// eq. 5, maximised with optim and differentiated with optimHess. R gives Gamma-Gamma p, q, γ =
// 6.24880, 3.74459, 15.44775 with SEs 1.189702, 0.290168, 4.160049, and BG/BB α, β, γ, δ =
// 1.2035, 0.7497, 0.6567, 2.7834 with SEs 0.069391, 0.029448, 0.051010, 0.320819.
// Tolerance 1e-3 relative: both Hessians are finite differences.
func TestEstimatesSpendAndBGBB(t *testing.T) {
	repeat := RepeatBuyers(customersOf(cdnowSpend(t)))
	require.Len(t, repeat, 946)
	gg, err := FitGammaGamma(repeat)
	require.NoError(t, err)
	est, err := gg.Estimates(repeat)
	require.NoError(t, err)
	for i, se := range []float64{1.189702, 0.290168, 4.160049} {
		assert.InEpsilon(t, se, est[i].StdErr, 1e-3, est[i].Name)
	}
	_, err = gg.Estimates([]Customer{{Frequency: 0, T: 3}})
	assert.Error(t, err)

	ds := loadDonations(t)
	bb, err := FitBGBB(ds)
	require.NoError(t, err)
	est, err = bb.Estimates(ds)
	require.NoError(t, err)
	for i, se := range []float64{0.069391, 0.029448, 0.051010, 0.320819} {
		assert.InEpsilon(t, se, est[i].StdErr, 1e-3, est[i].Name)
	}
	_, err = bb.Estimates([]Discrete{{Frequency: 3, Recency: 2, Periods: 6}})
	assert.ErrorIs(t, err, ErrOutOfRange)
}
