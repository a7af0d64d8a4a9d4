package clv

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
)

// loadDonations loads donations.csv (frequency,recency,periods,weights): the 1995 cohort of
// Fader, Hardie & Shang (2010), 11,104 donors over 6 annual opportunities.
func loadDonations(tb testing.TB) []Discrete {
	tb.Helper()
	var ds []Discrete
	for _, r := range readCSV(tb, dataDir+"donations/donations.csv") {
		ds = append(ds, Discrete{
			Frequency: int(atof(tb, r[0])), Recency: int(atof(tb, r[1])),
			Periods: int(atof(tb, r[2])), Weight: atof(tb, r[3]),
		})
	}
	return ds
}

func TestFitBGBBDonations(t *testing.T) {
	ds := loadDonations(t)
	total := 0.0
	for _, d := range ds {
		total += d.Weight
	}
	require.Equal(t, 11104.0, total)
	m, err := FitBGBB(ds)
	require.NoError(t, err)
	// Fader, Hardie & Shang (2010), Marketing Science 29(6), the MLE: α = 1.204, β = 0.750,
	// γ = 0.657, δ = 2.783, LL = −33,225.6 (published to 3 decimals / 1 decimal: tolerance
	// half a unit of the last digit, plus 1e-4 for the optimiser).
	assert.InDelta(t, 1.204, m.Alpha, 6e-4)
	assert.InDelta(t, 0.750, m.Beta, 6e-4)
	assert.InDelta(t, 0.657, m.Gamma, 6e-4)
	assert.InDelta(t, 2.783, m.Delta, 6e-4)
	assert.InDelta(t, -33225.6, m.Fit.LogLikelihood, 0.05)
	assert.True(t, m.Fit.Converged)
	ll, err := m.LogLikelihood(ds)
	require.NoError(t, err)
	assert.InDelta(t, m.Fit.LogLikelihood, ll, 1e-6)

	// P(alive in 2002), FHS 2010 Table 6, as checked by lifetimes 0.11
	// (test_prob_alive_is_close_to_Hardie_paper_table_6, 2 decimals): 0.11 for no repeat
	// donation, 0.59 for x = 2 with the last in 1999 (t_x = 4), 0.93 for x = 6.
	for _, tc := range []struct {
		d    Discrete
		want float64
	}{
		{Discrete{0, 0, 6, 0}, 0.11}, {Discrete{2, 4, 6, 0}, 0.59}, {Discrete{6, 6, 6, 0}, 0.93},
	} {
		p, err := m.ProbabilityAlive(tc.d)
		require.NoError(t, err)
		assert.InDelta(t, tc.want, p, 0.005+1e-3, "%+v", tc.d)
	}

	// Hardie's BGBB spreadsheet (note 010, "Conditional Expectations (II)", total of column F)
	// via lifetimes 0.11 test_conditional_expectation_returns_same_value_as_Hardie_excel_sheet:
	// expected repeat donations in the next 5 years summed over the cohort = 12,884.2.
	sum := 0.0
	for _, d := range ds {
		e, err := m.ConditionalExpectedTransactions(5, d)
		require.NoError(t, err)
		sum += d.Weight * e
	}
	assert.InDelta(t, 12884.2, sum, 0.06) // 1 decimal published: 0.05 + optimiser

	// Hardie's "In-Sample Fit" sheet, cells C18 and C24, via lifetimes 0.11
	// (test_expected_purchases_in_n_periods_returns_same_value_as_Hardie_excel_sheet):
	// expected number of donors with 0 and with 6 repeat donations in 6 years, 3,454.9 and
	// 1,253.1.
	p0, err := m.ProbabilityOfTransactions(6, 0)
	require.NoError(t, err)
	p6, err := m.ProbabilityOfTransactions(6, 6)
	require.NoError(t, err)
	assert.InDelta(t, 3454.9, total*p0, 0.06)
	assert.InDelta(t, 1253.1, total*p6, 0.06)
}

func TestBGBBIdentities(t *testing.T) {
	m := BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}
	for _, n := range []int{1, 3, 6, 20} {
		// The distribution of X(n) sums to 1 and its mean is E[X(n)].
		s, mean := 0.0, 0.0
		for x := 0; x <= n; x++ {
			p, err := m.ProbabilityOfTransactions(n, x)
			require.NoError(t, err)
			s += p
			mean += float64(x) * p
		}
		assert.InDelta(t, 1, s, 1e-12, "n=%d", n)
		e, err := m.ExpectedTransactions(n)
		require.NoError(t, err)
		assert.InDelta(t, mean, e, 1e-12, "n=%d", n)
		// E[X(n)] equals FHS 2010 eq. 9 in closed form:
		// α/(α+β)·δ/(γ−1)·[1 − Γ(γ+δ)Γ(1+δ+n)/(Γ(γ+δ+n)Γ(1+δ))].
		lg := func(v float64) float64 { r, _ := math.Lgamma(v); return r }
		fn := float64(n)
		closed := m.Alpha / (m.Alpha + m.Beta) * m.Delta / (m.Gamma - 1) *
			(1 - math.Exp(lg(m.Gamma+m.Delta)+lg(1+m.Delta+fn)-lg(m.Gamma+m.Delta+fn)-lg(1+m.Delta)))
		assert.InDelta(t, closed, e, 1e-12, "n=%d", n)
	}
	// Probabilities of all histories with n = 4 sum to 1 (the likelihood is a distribution
	// over the (x, t_x) patterns).
	tot := 0.0
	n := 4
	for x := 0; x <= n; x++ {
		for tx := x; tx <= n; tx++ {
			if (x == 0) != (tx == 0) {
				continue
			}
			// Number of orderings of x−1 transactions among the t_x−1 earlier opportunities.
			ways := 1.0
			if x > 0 {
				ways = math.Round(math.Exp(logChoose(tx-1, x-1)))
			}
			tot += ways * math.Exp(bgbbLogLik(m.Alpha, m.Beta, m.Gamma, m.Delta, x, tx, n))
		}
	}
	assert.InDelta(t, 1, tot, 1e-12)
	// Zero future opportunities: no transactions.
	e, err := m.ConditionalExpectedTransactions(0, Discrete{Frequency: 1, Recency: 1, Periods: 3})
	require.NoError(t, err)
	assert.Zero(t, e)
	// γ = 1 is no singularity for the sum form: it matches its neighbours.
	d := Discrete{Frequency: 2, Recency: 3, Periods: 6}
	at := BGBB{Alpha: 1, Beta: 1, Gamma: 1, Delta: 2}
	lo, hi := at, at
	lo.Gamma, hi.Gamma = 1-1e-7, 1+1e-7
	ea, _ := at.ConditionalExpectedTransactions(10, d)
	el, _ := lo.ConditionalExpectedTransactions(10, d)
	eh, _ := hi.ConditionalExpectedTransactions(10, d)
	assert.InDelta(t, (el+eh)/2, ea, 1e-6)
}

func TestBGBBWeightsEqualRepeats(t *testing.T) {
	ds := []Discrete{{1, 1, 3, 0}, {2, 3, 3, 2}, {0, 0, 3, 0}}
	ex := []Discrete{{1, 1, 3, 0}, {2, 3, 3, 0}, {2, 3, 3, 0}, {0, 0, 3, 0}}
	m := BGBB{Alpha: 1, Beta: 2, Gamma: 0.5, Delta: 3}
	a, err := m.LogLikelihood(ds)
	require.NoError(t, err)
	b, err := m.LogLikelihood(ex)
	require.NoError(t, err)
	assert.InDelta(t, b, a, 1e-9)
}

func TestBGBBErrors(t *testing.T) {
	m := BGBB{Alpha: 1, Beta: 2, Gamma: 0.5, Delta: 3}
	for _, tc := range []struct {
		name string
		run  func() error
		want error
		msg  string
	}{
		{"empty fit", func() error { _, err := FitBGBB(nil); return err }, ErrEmpty, "no histories"},
		{"frequency above recency", func() error { _, err := FitBGBB([]Discrete{{1, 1, 3, 0}, {3, 2, 4, 0}}); return err }, ErrOutOfRange, "index 1"},
		{"recency above periods", func() error { _, err := m.LogLikelihood([]Discrete{{1, 5, 4, 0}}); return err }, ErrOutOfRange, "recency 5"},
		{"no periods", func() error { _, err := m.ProbabilityAlive(Discrete{}); return err }, ErrOutOfRange, "periods 0"},
		{"too many periods", func() error { _, err := m.ProbabilityAlive(Discrete{0, 0, 2_000_000, 0}); return err }, ErrOutOfRange, "periods 2000000"},
		{"recency without frequency", func() error { _, err := m.ProbabilityAlive(Discrete{0, 2, 4, 0}); return err }, ErrOutOfRange, "zero frequency"},
		{"negative weight", func() error { _, err := FitBGBB([]Discrete{{1, 1, 3, -2}}); return err }, ErrOutOfRange, "weight"},
		{"NaN weight", func() error { _, err := FitBGBB([]Discrete{{1, 1, 3, math.NaN()}}); return err }, ErrOutOfRange, "weight"},
		{"negative horizon", func() error { _, err := m.ConditionalExpectedTransactions(-1, Discrete{0, 0, 3, 0}); return err }, ErrOutOfRange, "negative"},
		{"x above n", func() error { _, err := m.ProbabilityOfTransactions(2, 3); return err }, ErrOutOfRange, "x = 3"},
		{"negative n", func() error { _, err := m.ExpectedTransactions(-1); return err }, ErrOutOfRange, "negative"},
		{"bad parameter", func() error {
			_, err := BGBB{Alpha: 1, Beta: 1, Gamma: 0, Delta: 1}.ExpectedTransactions(2)
			return err
		}, ErrOutOfRange, "Gamma"},
		{"empty likelihood", func() error { _, err := m.LogLikelihood(nil); return err }, ErrEmpty, "no histories"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.want), "%v", err)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestBGBBSurvivalSumClosedForm(t *testing.T) {
	// Beyond sumTerms opportunities the closed form takes over: it continues the term-by-term
	// sum without a jump, also at γ = 1 and near it.
	for _, g := range []float64{0.657, 1, 1 + 1e-6, 2.5} {
		m := BGBB{Alpha: 1, Beta: 1, Gamma: g, Delta: 2.783}
		k := sumTerms
		s0 := m.survivalSum(6, k)
		term := math.Exp(mathext.Lbeta(g, m.Delta+6+float64(k+1)) - mathext.Lbeta(g, m.Delta+6))
		s1 := m.survivalSum(6, k+1)
		assert.InEpsilon(t, s0+term, s1, 1e-7, "γ=%v", g)
		// A horizon of a billion opportunities is computed at once.
		big := m.survivalSum(6, 1_000_000_000)
		assert.False(t, math.IsNaN(big) || math.IsInf(big, 0) || big < s1, "γ=%v: %v", g, big)
	}
}

func TestBGBBLongHistories(t *testing.T) {
	// Thousands of opportunities and transactions: everything stays finite and in range.
	m := BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}
	for _, d := range []Discrete{{5000, 5000, 5000, 0}, {1, 1, 5000, 0}, {0, 0, 5000, 0}, {2500, 4000, 5000, 0}} {
		p, err := m.ProbabilityAlive(d)
		require.NoError(t, err)
		assert.True(t, p >= 0 && p <= 1, "%+v: %v", d, p)
		e, err := m.ConditionalExpectedTransactions(100, d)
		require.NoError(t, err)
		assert.True(t, e >= 0 && e <= 100, "%+v: %v", d, e)
	}
}

func TestBGBBGradient(t *testing.T) {
	// The analytic gradient of the log-likelihood matches central differences.
	p := [4]float64{1.3, 0.8, 0.6, 2.5}
	for _, h := range []Discrete{{0, 0, 6, 0}, {2, 4, 6, 0}, {6, 6, 6, 0}, {3, 10, 40, 0}} {
		var g [4]float64
		ll := bgbbLogLikGrad(p[0], p[1], p[2], p[3], h.Frequency, h.Recency, h.Periods, 2, &g)
		assert.InDelta(t, bgbbLogLik(p[0], p[1], p[2], p[3], h.Frequency, h.Recency, h.Periods), ll, 1e-12)
		for k := range p {
			up, dn := p, p
			const e = 1e-6
			up[k] += e
			dn[k] -= e
			fd := (bgbbLogLik(up[0], up[1], up[2], up[3], h.Frequency, h.Recency, h.Periods) -
				bgbbLogLik(dn[0], dn[1], dn[2], dn[3], h.Frequency, h.Recency, h.Periods)) / (2 * e)
			assert.InDelta(t, 2*fd, g[k], 1e-6, "%+v parameter %d", h, k)
		}
	}
}

func TestFitBGBBUnidentified(t *testing.T) {
	// Nobody ever transacts again: nothing identifies the model.
	_, err := FitBGBB([]Discrete{{0, 0, 6, 100}})
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "no history has a repeat transaction")
}
