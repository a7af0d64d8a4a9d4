package clv

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFitGammaGammaCDNOW(t *testing.T) {
	rows := cdnowSpend(t)
	require.Len(t, rows, 2357)
	repeat := RepeatBuyers(customersOf(rows))
	require.Len(t, repeat, 946) // README of the data: 946 customers with x > 0
	g, err := FitGammaGamma(repeat)
	require.NoError(t, err)
	// Fader, Hardie & Lee (2005, JMR) and Hardie note 025: p = 6.25, q = 3.74, γ = 15.44; the
	// maximum to 4 decimals is 6.2488, 3.7446, 15.4478 (issue 5). The maximum is flat along a
	// ridge, so q and γ are pinned to 2e-4 relative.
	assert.InDelta(t, 6.2488, g.P, 6e-4)
	assert.InDelta(t, 3.7446, g.Q, 6e-4)
	assert.InDelta(t, 15.4478, g.V, 3e-3)
	// CLVTools 0.10 test suite (correct.LL of the Gamma-Gamma model on cdnow): −4055.9177.
	// CLVTools computes the mean spends from the raw transactions, while this file rounds them
	// to cents, which moves the maximum by 0.0055: tolerance 0.01.
	assert.InDelta(t, -4055.9177, g.Fit.LogLikelihood, 0.01)
	assert.True(t, g.Fit.Converged)
	ll, err := g.LogLikelihood(repeat)
	require.NoError(t, err)
	assert.InDelta(t, g.Fit.LogLikelihood, ll, 1e-9)

	// lifetimes 0.11 docs/Quickstart.md: conditional_expected_average_profit of the first ten
	// CDNOW customers with the fitted model (p 6.25, q 3.74, v 15.45), printed to 6 decimals.
	want := []float64{24.658619, 18.911489, 35.170981, 35.170981, 35.170981, 71.462843, 18.911489, 35.170981, 27.282408, 35.170981}
	for i, w := range want {
		got, err := g.ConditionalExpectedSpend(rows[i].Customer)
		require.NoError(t, err)
		assert.InDelta(t, w, got, 2e-3, "customer %s", rows[i].ID)
	}
	// The same page: mean conditional expected spend over all 2,357 customers 35.2529588256,
	// and mean observed spend of the repeat buyers 35.078551797.
	sum := 0.0
	for _, r := range rows {
		s, err := g.ConditionalExpectedSpend(r.Customer)
		require.NoError(t, err)
		sum += s
	}
	assert.InEpsilon(t, 35.2529588256, sum/float64(len(rows)), 1e-6)
	obs := 0.0
	for _, c := range repeat {
		obs += c.MonetaryValue
	}
	assert.InEpsilon(t, 35.078551797, obs/float64(len(repeat)), 1e-9)
}

func TestFitGammaGammaReplicated(t *testing.T) {
	// CDNOW's repeat buyers repeated 100 times (94,600 customers) merge back into the
	// original pairs: the same estimates, and 100 times the log-likelihood.
	repeat := RepeatBuyers(customersOf(cdnowSpend(t)))
	one, err := FitGammaGamma(repeat)
	require.NoError(t, err)
	many := make([]Customer, 0, 100*len(repeat))
	for range 100 {
		many = append(many, repeat...)
	}
	g, err := FitGammaGamma(many)
	require.NoError(t, err)
	assert.InEpsilon(t, one.P, g.P, 1e-5)
	assert.InEpsilon(t, one.Q, g.Q, 1e-5)
	assert.InEpsilon(t, one.V, g.V, 1e-5)
	assert.InEpsilon(t, 100*one.Fit.LogLikelihood, g.Fit.LogLikelihood, 1e-9)
}

func TestSpendFrequencyCorrelation(t *testing.T) {
	// lifetimes 0.11 docs/Quickstart.md: the Pearson correlation of monetary_value and
	// frequency among the 946 CDNOW repeat buyers is 0.113884 (printed to 6 decimals).
	cs := RepeatBuyers(customersOf(cdnowSpend(t)))
	r, err := SpendFrequencyCorrelation(cs)
	require.NoError(t, err)
	assert.InDelta(t, 0.113884, r, 5e-7)
	// A weight counts as that many copies.
	a, err := SpendFrequencyCorrelation([]Customer{{Frequency: 1, MonetaryValue: 3, Weight: 2}, {Frequency: 2, MonetaryValue: 5}, {Frequency: 4, MonetaryValue: 4}})
	require.NoError(t, err)
	b, err := SpendFrequencyCorrelation([]Customer{{Frequency: 1, MonetaryValue: 3}, {Frequency: 1, MonetaryValue: 3}, {Frequency: 2, MonetaryValue: 5}, {Frequency: 4, MonetaryValue: 4}})
	require.NoError(t, err)
	assert.InDelta(t, b, a, 1e-12)
	_, err = SpendFrequencyCorrelation(cs[:1])
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = SpendFrequencyCorrelation([]Customer{cs[0], {Frequency: 0}})
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestGammaGammaConditionalSpendHardie(t *testing.T) {
	// lifetimes 0.11 tests/test_estimation.py (test_conditional_expected_average_profit), values
	// from Hardie's note 025 spreadsheet, with the rounded parameters p 6.25, q 3.74, v 15.44,
	// tolerance 0.1 as there.
	rows := cdnowSpend(t)
	g := GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	want := []float64{24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17}
	for i, w := range want {
		got, err := g.ConditionalExpectedSpend(rows[i].Customer)
		require.NoError(t, err)
		assert.InDelta(t, w, got, 0.1, "customer %s", rows[i].ID)
	}
	// The population mean is p·v/(q−1), the value for customers without repeat purchases.
	m, err := g.ExpectedSpend()
	require.NoError(t, err)
	assert.InDelta(t, 6.25*15.44/2.74, m, 1e-12)
}

func TestGammaGammaWeightsEqualRepeats(t *testing.T) {
	// Property: a customer with weight k contributes as k copies.
	base := []Customer{{Frequency: 1, MonetaryValue: 10}, {Frequency: 3, MonetaryValue: 25}, {Frequency: 2, MonetaryValue: 14}}
	weighted := []Customer{base[0], base[1], base[2]}
	weighted[1].Weight = 3
	expanded := append(append([]Customer{}, base...), base[1], base[1])
	g := GammaGamma{P: 2, Q: 3, V: 20}
	a, err := g.LogLikelihood(weighted)
	require.NoError(t, err)
	b, err := g.LogLikelihood(expanded)
	require.NoError(t, err)
	assert.InDelta(t, b, a, 1e-9)
}

func TestGammaGammaErrors(t *testing.T) {
	good := GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	for _, tc := range []struct {
		name string
		run  func() error
		want error
	}{
		{"empty fit", func() error { _, err := FitGammaGamma(nil); return err }, ErrEmpty},
		{"zero frequency", func() error {
			_, err := FitGammaGamma([]Customer{{Frequency: 2, MonetaryValue: 3}, {Frequency: 0}})
			return err
		}, ErrOutOfRange},
		{"zero spend", func() error { _, err := FitGammaGamma([]Customer{{Frequency: 2, MonetaryValue: 0}}); return err }, ErrOutOfRange},
		{"negative spend", func() error { _, err := good.LogLikelihood([]Customer{{Frequency: 1, MonetaryValue: -4}}); return err }, ErrOutOfRange},
		{"NaN spend", func() error {
			_, err := FitGammaGamma([]Customer{{Frequency: 1, MonetaryValue: math.NaN()}})
			return err
		}, ErrOutOfRange},
		{"negative weight", func() error {
			_, err := FitGammaGamma([]Customer{{Frequency: 1, MonetaryValue: 4, Weight: -1}})
			return err
		}, ErrOutOfRange},
		{"empty likelihood", func() error { _, err := good.LogLikelihood(nil); return err }, ErrEmpty},
		{"bad parameter", func() error {
			_, err := GammaGamma{P: -1, Q: 2, V: 1}.LogLikelihood([]Customer{{Frequency: 1, MonetaryValue: 1}})
			return err
		}, ErrOutOfRange},
		{"q at most 1", func() error { _, err := GammaGamma{P: 1, Q: 1, V: 1}.ConditionalExpectedSpend(Customer{}); return err }, ErrOutOfRange},
		{"spend without purchases", func() error { _, err := good.ConditionalExpectedSpend(Customer{MonetaryValue: 3}); return err }, ErrOutOfRange},
		{"negative frequency", func() error { _, err := good.ConditionalExpectedSpend(Customer{Frequency: -1}); return err }, ErrOutOfRange},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.want), "%v", err)
		})
	}
	// The error names the customer's index.
	_, err := FitGammaGamma([]Customer{{Frequency: 2, MonetaryValue: 3}, {Frequency: 1, MonetaryValue: -2}})
	assert.ErrorContains(t, err, "index 1")
}

func TestGammaGammaHeavySpenders(t *testing.T) {
	// No overflow for thousands of transactions or huge spends: the log-likelihood stays finite.
	g := GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	for _, c := range []Customer{{Frequency: 5000, MonetaryValue: 1e6}, {Frequency: 1e6, MonetaryValue: 2.5}} {
		ll, err := g.LogLikelihood([]Customer{c})
		require.NoError(t, err)
		assert.False(t, math.IsNaN(ll) || math.IsInf(ll, 0), "%v", ll)
		s, err := g.ConditionalExpectedSpend(c)
		require.NoError(t, err)
		// With so many purchases the conditional mean is essentially the customer's own mean.
		assert.InEpsilon(t, c.MonetaryValue, s, 1e-2)
	}
}

func TestGammaGammaFitWeightInvariance(t *testing.T) {
	// Scaling every weight by 1000 leaves the estimates unchanged and multiplies the
	// log-likelihood by 1000 (the objective is normalised by the total weight).
	cs := RepeatBuyers(customersOf(cdnowSpend(t)))
	g1, err := FitGammaGamma(cs)
	require.NoError(t, err)
	heavy := make([]Customer, len(cs))
	for i, c := range cs {
		c.Weight = 1000
		heavy[i] = c
	}
	g2, err := FitGammaGamma(heavy)
	require.NoError(t, err)
	assert.InEpsilon(t, g1.P, g2.P, 1e-5)
	assert.InEpsilon(t, g1.Q, g2.Q, 1e-5)
	assert.InEpsilon(t, g1.V, g2.V, 1e-5)
	assert.InEpsilon(t, 1000*g1.Fit.LogLikelihood, g2.Fit.LogLikelihood, 1e-9)
}

func TestFitGammaGammaUnidentified(t *testing.T) {
	// Every customer spends exactly the same: no heterogeneity to estimate, p runs off to ∞.
	g, err := FitGammaGamma([]Customer{{Frequency: 2, MonetaryValue: 10}, {Frequency: 3, MonetaryValue: 10}, {Frequency: 1, MonetaryValue: 10}})
	require.Error(t, err)
	assert.False(t, g.Fit.Converged)
	assert.ErrorContains(t, err, "ran off")
}

func TestGammaGammaFitMatchesLogLikelihood(t *testing.T) {
	// The fit's grouped likelihood equals the plain per-customer sum of LogLikelihood at the
	// optimum, on the first 200 CDNOW repeat buyers (repeated and distinct (x, z̄), weights).
	cs := RepeatBuyers(customersOf(cdnowSpend(t)))[:200]
	cs[3].Weight = 3
	g, err := FitGammaGamma(cs)
	require.NoError(t, err)
	ll, err := g.LogLikelihood(cs)
	require.NoError(t, err)
	assert.InDelta(t, ll, g.Fit.LogLikelihood, 1e-9*math.Abs(ll))
	// And it is a maximum: nudging any parameter lowers the likelihood.
	for _, f := range []func(*GammaGamma){
		func(m *GammaGamma) { m.P *= 1.01 }, func(m *GammaGamma) { m.P *= 0.99 },
		func(m *GammaGamma) { m.Q *= 1.01 }, func(m *GammaGamma) { m.Q *= 0.99 },
		func(m *GammaGamma) { m.V *= 1.01 }, func(m *GammaGamma) { m.V *= 0.99 },
	} {
		m := g
		f(&m)
		l2, err := m.LogLikelihood(cs)
		require.NoError(t, err)
		assert.Less(t, l2, ll)
	}
}

func TestFitGammaGammaManyDistinct(t *testing.T) {
	// 70,000 customers with distinct spends take the unmerged, chunked path: the 946 CDNOW
	// repeat buyers replicated 74 times, each copy's spends scaled by 1 + k·1e-6 (k < 74) so
	// that no (x, z̄) pair repeats. The fit's log-likelihood still equals the per-customer sum.
	base := RepeatBuyers(customersOf(cdnowSpend(t)))
	cs := make([]Customer, 0, 70_000)
	for i := 0; len(cs) < cap(cs); i++ {
		c := base[i%len(base)]
		c.MonetaryValue *= 1 + 1e-6*float64(i/len(base)) // distinct, same distribution
		cs = append(cs, c)
	}
	g, err := FitGammaGamma(cs)
	require.NoError(t, err)
	ll, err := g.LogLikelihood(cs)
	require.NoError(t, err)
	assert.InDelta(t, ll, g.Fit.LogLikelihood, 1e-9*math.Abs(ll))
	// Replicating CDNOW 74 times over leaves the estimates where they were (6.2488, 3.7446,
	// 15.4478), up to the 7e-5 relative spread of the spends.
	assert.InEpsilon(t, 6.2488, g.P, 1e-3)
	assert.InEpsilon(t, 3.7446, g.Q, 1e-3)
	assert.InEpsilon(t, 15.4478, g.V, 1e-3)
}
