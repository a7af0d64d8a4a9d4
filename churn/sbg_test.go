package churn

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
)

// Fader & Hardie (2007), "How to project customer retention", Journal of Interactive
// Marketing 21(1), Table 1: customers (of 1000) still active after 0..12 years, "regular" and
// "high end" cohorts. The model is calibrated on years 0–7; years 8–12 are the hold-out.
var (
	regularCohort = []float64{1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173}
	highEndCohort = []float64{1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394}
)

func TestFitSBGFaderHardie2007(t *testing.T) {
	// Published maximum-likelihood estimates (Fader & Hardie 2007, section "Estimating model
	// parameters", calibration years 0–7): regular α = 0.704, β = 1.182, LL = −1680.3;
	// high end α = 0.668, β = 3.806, LL = −1611.2. Parameters are published to 3 decimals
	// (tolerance 5e-4), the log-likelihood to 1 (tolerance 0.05).
	for _, tc := range []struct {
		name              string
		alive             []float64
		alpha, beta, ll   float64
		maxHoldoutPctDiff float64
	}{
		{"regular", regularCohort, 0.704, 1.182, -1680.3, 0.5},
		{"high end", highEndCohort, 0.668, 3.806, -1611.2, 2.0},
	} {
		m, err := FitSBG(tc.alive[:8])
		require.NoError(t, err, tc.name)
		assert.InDelta(t, tc.alpha, m.Alpha, 5e-4, tc.name)
		assert.InDelta(t, tc.beta, m.Beta, 5e-4, tc.name)
		assert.InDelta(t, tc.ll, m.Fit.LogLikelihood, 0.05, tc.name)
		assert.True(t, m.Fit.Converged, tc.name)
		ll, err := m.LogLikelihood(tc.alive[:8])
		require.NoError(t, err)
		assert.InDelta(t, m.Fit.LogLikelihood, ll, 1e-6, tc.name)
		// The paper's point: the sBG projection tracks the hold-out years 8–12 closely
		// in its figures; here within 0.5 points (regular) and 2 points (high end, year 12).
		for y := 8; y <= 12; y++ {
			assert.InDelta(t, tc.alive[y]/1000, m.Survival(y), tc.maxHoldoutPctDiff/100, "%s year %d", tc.name, y)
		}
		// Shares of a cohort fit the same parameters as counts.
		shares := make([]float64, 8)
		for i := range shares {
			shares[i] = tc.alive[i] / 1000
		}
		ms, err := FitSBG(shares)
		require.NoError(t, err)
		assert.InDelta(t, m.Alpha, ms.Alpha, 1e-5)
		assert.InDelta(t, m.Beta, ms.Beta, 1e-5)
	}
}

func TestSBGFunctions(t *testing.T) {
	m := SBG{Alpha: 0.668, Beta: 3.806}
	// Survival equals the running product of retention rates and 1 − Σ churn probabilities
	// (Fader & Hardie 2007, eqs. 5–8).
	s, cum := 1.0, 0.0
	for tt := 1; tt <= 30; tt++ {
		s *= m.RetentionRate(tt)
		cum += m.ChurnProbability(tt)
		assert.InDelta(t, s, m.Survival(tt), 1e-12, "t=%d", tt)
		assert.InDelta(t, 1-cum, m.Survival(tt), 1e-12, "t=%d", tt)
	}
	// Fader & Hardie (2007), eq. 8 at t = 1: r(1) = β/(α+β); eq. 5: P(T=1) = α/(α+β).
	assert.InDelta(t, 3.806/(0.668+3.806), m.RetentionRate(1), 1e-15)
	assert.InDelta(t, 0.668/(0.668+3.806), m.ChurnProbability(1), 1e-12)
	assert.Equal(t, 1.0, m.Survival(0))
	assert.Equal(t, 1.0, m.Survival(-3))
	assert.Equal(t, 0.0, m.ChurnProbability(0))
	assert.True(t, math.IsNaN(m.RetentionRate(0)))
	assert.Equal(t, []float64{}, m.Projection(-1))
	assert.Len(t, m.Projection(12), 13)
	for tt, s := range m.Projection(12) {
		assert.InDelta(t, m.Survival(tt), s, 1e-14)
	}
	// Beyond the product form's limit Survival switches to the log-beta form, continuously.
	want := m.Survival(productLimit) * m.RetentionRate(productLimit+1)
	assert.InDelta(t, want, m.Survival(productLimit+1), 1e-9*want)
	assert.InDelta(t, math.Exp(mathext.Lbeta(0.668, 3.806+30)-mathext.Lbeta(0.668, 3.806)), m.Survival(30), 1e-13)

	// A nearly homogeneous cohort (huge α, β) keeps S in [0, 1] and matches the geometric
	// limit (1 − θ)^t, where log-beta differences would cancel catastrophically.
	h := SBG{Alpha: 0.25e12, Beta: 0.75e12}
	assert.InDelta(t, math.Pow(0.75, 5), h.Survival(5), 1e-9)
	assert.InDelta(t, 0.25*math.Pow(0.75, 4), h.ChurnProbability(5), 1e-9)

	// Expected lifetime: infinite for α ≤ 1; for α = 3, β = 4 it is (3+4−1)/(3−1) = 3,
	// checked against the direct sum Σ S(t).
	assert.True(t, math.IsInf(m.ExpectedLifetime(), 1))
	m2 := SBG{Alpha: 3, Beta: 4}
	sum := 0.0
	for _, s := range m2.Projection(200000) {
		sum += s
	}
	assert.InDelta(t, 3, m2.ExpectedLifetime(), 1e-12)
	assert.InDelta(t, m2.ExpectedLifetime(), sum, 1e-4)
}

func TestSBGDERL(t *testing.T) {
	m, err := FitSBG(highEndCohort[:8])
	require.NoError(t, err)
	// Cross-check with an independent public implementation: the README of the Python
	// package shifted_beta_geometric (derl(alpha, beta, 0.10, 7) = 7.530 on the same high-end
	// data) — the same quantity as Fader & Hardie (2010), eq. 6, with 7 renewals.
	v, err := m.DERL(0.10, 7)
	require.NoError(t, err)
	assert.InDelta(t, 7.530, v, 5e-4)

	// The defining series Σ_{t≥n} S(t)/S(n−1) / (1+d)^(t−n) (Fader & Hardie 2010, eqs. 4–6),
	// here summed from Survival, against DERL and against the closed form with gonum's ₂F₁.
	for _, tc := range []struct {
		m        SBG
		d        float64
		renewals int
	}{
		{SBG{Alpha: 0.704, Beta: 1.182}, 0.10, 0},
		{SBG{Alpha: 0.704, Beta: 1.182}, 0.10, 4},
		{SBG{Alpha: 0.668, Beta: 3.806}, 0.05, 2},
		{SBG{Alpha: 3.80, Beta: 15.20}, 0.10, 0},
		{SBG{Alpha: 1, Beta: 1}, 0.25, 10},
	} {
		got, err := tc.m.DERL(tc.d, tc.renewals)
		require.NoError(t, err)
		series := 0.0
		base := tc.m.Survival(tc.renewals)
		for k := 0; k < 5000; k++ {
			series += tc.m.Survival(tc.renewals+1+k) / base / math.Pow(1+tc.d, float64(k))
		}
		assert.InDelta(t, series, got, 1e-9*series, "%+v", tc)
		n := float64(tc.renewals + 1)
		a, b := tc.m.Alpha, tc.m.Beta
		closed := (b + n - 1) / (a + b + n - 1) * mathext.Hypergeo(1, b+n, a+b+n, 1/(1+tc.d))
		assert.InDelta(t, closed, got, 1e-9*closed, "%+v", tc)
	}
	// Homogeneous limit (Fader & Hardie 2010, eq. 2): when everyone has the same churn
	// probability θ, DERL = (1−θ)(1+d)/(d+θ). Beta(θK, (1−θ)K) with large K approaches it.
	theta, d := 0.2, 0.1
	lim := SBG{Alpha: theta * 1e7, Beta: (1 - theta) * 1e7}
	got, err := lim.DERL(d, 3)
	require.NoError(t, err)
	assert.InDelta(t, (1-theta)*(1+d)/(d+theta), got, 1e-5)

	_, err = m.DERL(1e-7, 1)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = (SBG{}).DERL(0.1, 1)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = m.DERL(0, 1)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = m.DERL(math.NaN(), 1)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = m.DERL(0.1, -1)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestFitSBGCohorts(t *testing.T) {
	// Two copies of a cohort carry the same information about (α, β) as one.
	one, err := FitSBG(regularCohort[:8])
	require.NoError(t, err)
	two, err := FitSBGCohorts([][]float64{regularCohort[:8], regularCohort[:8]})
	require.NoError(t, err)
	assert.InDelta(t, one.Alpha, two.Alpha, 1e-5)
	assert.InDelta(t, one.Beta, two.Beta, 1e-5)
	assert.InDelta(t, 2*one.Fit.LogLikelihood, two.Fit.LogLikelihood, 1e-6)

	// Cohorts of different ages fit jointly; the joint log-likelihood cannot beat the sum of
	// separate fits (Fader & Hardie 2007: −1680.3 + −1611.2).
	joint, err := FitSBGCohorts([][]float64{regularCohort[:8], highEndCohort[:5]})
	require.NoError(t, err)
	hi, err := FitSBG(highEndCohort[:5])
	require.NoError(t, err)
	assert.LessOrEqual(t, joint.Fit.LogLikelihood, one.Fit.LogLikelihood+hi.Fit.LogLikelihood+1e-9)
	assert.Greater(t, joint.Beta/(joint.Alpha+joint.Beta), one.Beta/(one.Alpha+one.Beta))

	b, err := json.Marshal(joint)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"alpha":`)
	assert.Contains(t, string(b), `"log_likelihood":`)
}

func TestFitSBGHomogeneousCohort(t *testing.T) {
	// A cohort that loses exactly 30% each period has no heterogeneity to find: the likelihood
	// rises towards α, β → ∞ with α/(α+β) = 0.3 (the constant-retention, geometric model). Such
	// a run-off is not an estimate of α and β: an error naming the constant churn rate.
	_, err := FitSBG([]float64{1000, 700, 490, 343, 240.1})
	require.ErrorIs(t, err, ErrNotIdentified)
	assert.Contains(t, err.Error(), "constant churn rate of 0.3 per period")
	// Retention falling over time (0.29 then 0.13) also runs off to the boundary.
	_, err = FitSBG([]float64{220.75, 64.75, 8.53125})
	require.ErrorIs(t, err, ErrNotIdentified)
}

// TestFitSBGNotIdentified holds the cases of issue 10 that were returned as converged fits:
// a two-point cohort (one renewal period: the fit returned its starting point α = β = 1) and a
// cohort that stops churning after the first period (α ran off to about 5e-13).
func TestFitSBGNotIdentified(t *testing.T) {
	_, err := FitSBG([]float64{1000, 631})
	require.ErrorIs(t, err, ErrNotIdentified)
	assert.Contains(t, err.Error(), "only one renewal period")
	_, err = FitSBG([]float64{100, 90, 90, 90, 90, 90, 90})
	require.ErrorIs(t, err, ErrNotIdentified)
	assert.Contains(t, err.Error(), "ran off")
	// Several two-point cohorts still observe one period only.
	_, err = FitSBGCohorts([][]float64{{1000, 631}, {800, 500}})
	require.ErrorIs(t, err, ErrNotIdentified)
	// The published cohort (Fader & Hardie 2007, "regular" customers, calibration years 0-7:
	// α = 0.704, β = 1.182) is identified.
	m, err := FitSBG([]float64{1000, 631, 468, 382, 326, 289, 262, 241})
	require.NoError(t, err)
	assert.InDelta(t, 0.704, m.Alpha, 5e-4)
	assert.InDelta(t, 1.182, m.Beta, 5e-4)
}

func TestFitSBGErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		alive []float64
		want  error
		text  string
	}{
		{"empty", nil, ErrInvalid, "0 periods"},
		{"one period", []float64{100}, ErrInvalid, "1 periods"},
		{"grows", []float64{100, 80, 90}, ErrOutOfRange, "alive[2] = 90"},
		{"NaN", []float64{100, math.NaN(), 50}, ErrOutOfRange, "alive[1]"},
		{"negative", []float64{100, 50, -1}, ErrOutOfRange, "alive[2] = -1"},
		{"infinite", []float64{math.Inf(1), 50}, ErrOutOfRange, "alive[0]"},
		{"size zero", []float64{0, 0}, ErrEmpty, "alive[0]"},
		{"nobody churned", []float64{100, 100, 100}, ErrNotIdentified, "nobody churned"},
		{"all churned at once", []float64{100, 0, 0}, ErrNotIdentified, "first period"},
	} {
		_, err := FitSBG(tc.alive)
		require.ErrorIs(t, err, tc.want, tc.name)
		assert.Contains(t, err.Error(), tc.text, tc.name)
	}
	_, err := FitSBGCohorts(nil)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = FitSBGCohorts([][]float64{regularCohort, {10, 11}})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "cohort 1")
	_, err = (SBG{Alpha: 1, Beta: 1}).LogLikelihood([]float64{1})
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestSBGEstimates(t *testing.T) {
	// Independent check (bench/reference/se_sbg_gg_bgbb.R): the sBG log-likelihood written in R 4.2.2 from Fader & Hardie (2007,
	// eqs. 6–7), maximised with optim and differentiated with optimHess, on the regular cohort's
	// first 8 counts: α = 0.704077, β = 1.182043, SE 0.065599 and 0.152476.
	m, err := FitSBG(regularCohort[:8])
	require.NoError(t, err)
	est, err := m.Estimates(regularCohort[:8])
	require.NoError(t, err)
	require.Len(t, est, 2)
	assert.Equal(t, "Alpha", est[0].Name)
	assert.InDelta(t, 0.704077, est[0].Value, 1e-5)
	assert.InDelta(t, 1.182043, est[1].Value, 1e-5)
	assert.InEpsilon(t, 0.065599, est[0].StdErr, 1e-3)
	assert.InEpsilon(t, 0.152476, est[1].StdErr, 1e-3)

	// Two identical cohorts carry twice the information: SEs shrink by √2.
	est2, err := m.Estimates(regularCohort[:8], regularCohort[:8])
	require.NoError(t, err)
	assert.InEpsilon(t, est[0].StdErr/math.Sqrt2, est2[0].StdErr, 1e-6)

	_, err = m.Estimates()
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = m.Estimates([]float64{100, 120})
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = SBG{}.Estimates(regularCohort[:8])
	assert.ErrorIs(t, err, ErrOutOfRange)
}
