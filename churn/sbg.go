package churn

import (
	"fmt"
	"math"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/stat"
	"gonum.org/v1/gonum/mathext"
)

// SBG is a fitted shifted-beta-geometric model of contractual retention (Fader & Hardie
// 2007): each customer renews at the end of every period with a constant probability 1 − θ,
// and θ varies across customers as Beta(Alpha, Beta). Periods are the contract's renewal
// periods (months, years); period t runs from renewal t−1 to renewal t.
type SBG struct {
	// Alpha and Beta are the parameters of the Beta distribution of churn probabilities θ
	// (mean churn probability Alpha/(Alpha+Beta)).
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
	// Fit describes the maximum-likelihood fit (log-likelihood, optimiser, convergence).
	Fit cxkit.Fit `json:"fit"`
}

// FitSBG fits the sBG model to one cohort by maximum likelihood. alive[t] is the number of the
// cohort still customers at the start of period t+1, i.e. after t renewals: alive[0] is the
// cohort size, alive[1] those who renewed once, and so on. Counts may be fractional (shares
// of a cohort) but must be finite, ≥ 0 and never increase.
//
// The log-likelihood is Σₜ (alive[t−1] − alive[t])·ln P(T=t) + alive[last]·ln S(last), with
// P(T=t) = B(α+1, β+t−1)/B(α, β) and S(t) = B(α, β+t)/B(α, β) (Fader & Hardie 2007, eqs. 5,
// 6, B3). It is maximised over (ln α, ln β) by BFGS with an analytic gradient.
//
// A fit the data do not identify is an error wrapping ErrNotIdentified, never a "converged"
// run-off: a single observed renewal period (which pins down only the first-period churn rate),
// parameters that ran off beyond e^±12, or a singular information matrix. When retention does
// not rise with tenure — churn as high among long-standing customers as among new ones — the
// likelihood keeps increasing towards α, β → ∞ at a fixed ratio (the homogeneous, geometric
// cohort); the error then names that constant churn rate, which is the estimate such data
// support.
//
// Errors: fewer than two periods (ErrInvalid), a NaN, infinite or negative count, or a cohort
// that grows (ErrOutOfRange, naming the index), a cohort of size 0 (ErrEmpty), and a cohort in
// which nobody churned or everybody churned in the first period (ErrInvalid: the likelihood
// then has no interior maximum). If the optimiser (BFGS, then Nelder–Mead) fails to converge
// on extreme data the error says so (ErrNotConverged) and no model is returned.
func FitSBG(alive []float64) (SBG, error) {
	if err := checkCohort(alive); err != nil {
		return SBG{}, fmt.Errorf("churn: %w", err)
	}
	return fitSBG([][]float64{alive})
}

// FitSBGCohorts fits one sBG model jointly to several cohorts (e.g. the rows of a cohort
// retention matrix, each of its own age), summing their log-likelihoods with shared α and β.
// Each cohort follows FitSBG's rules; errors name the cohort. No cohorts is ErrEmpty.
func FitSBGCohorts(cohorts [][]float64) (SBG, error) {
	if len(cohorts) == 0 {
		return SBG{}, fmt.Errorf("churn: no cohorts: %w", ErrEmpty)
	}
	for i, a := range cohorts {
		if err := checkCohort(a); err != nil {
			return SBG{}, fmt.Errorf("churn: cohort %d: %w", i, err)
		}
	}
	return fitSBG(cohorts)
}

// checkCohort validates one cohort's alive counts.
func checkCohort(alive []float64) error {
	if len(alive) < 2 {
		return fmt.Errorf("alive has %d periods, at least 2 are needed: %w", len(alive), ErrInvalid)
	}
	for t, a := range alive {
		if math.IsNaN(a) || math.IsInf(a, 0) || a < 0 {
			return fmt.Errorf("alive[%d] = %v must be finite and ≥ 0: %w", t, a, ErrOutOfRange)
		}
		if t > 0 && a > alive[t-1] {
			return fmt.Errorf("alive[%d] = %v is greater than alive[%d] = %v: a cohort cannot grow: %w", t, a, t-1, alive[t-1], ErrOutOfRange)
		}
	}
	if alive[0] == 0 {
		return fmt.Errorf("cohort size alive[0] is 0: %w", ErrEmpty)
	}
	return nil
}

// sbgData is one cohort in the form the likelihood uses.
type sbgData struct {
	lost     []float64 // lost[t-1] = churned in period t
	survivor float64   // alive at the end
}

// newSBGData turns a cohort's (validated) alive counts into losses per period and survivors.
func newSBGData(alive []float64) sbgData {
	d := sbgData{lost: make([]float64, len(alive)-1), survivor: alive[len(alive)-1]}
	for t := 1; t < len(alive); t++ {
		d.lost[t-1] = alive[t-1] - alive[t]
	}
	return d
}

func fitSBG(cohorts [][]float64) (SBG, error) {
	data := make([]sbgData, len(cohorts))
	var lost, lostFirst, total, renewed float64
	for i, a := range cohorts {
		d := newSBGData(a)
		for _, n := range d.lost {
			lost += n
		}
		lostFirst += d.lost[0]
		total += a[0]
		renewed += a[1]
		data[i] = d
	}
	if lost == 0 {
		return SBG{}, fmt.Errorf("churn: nobody churned, so the sBG parameters are not identified (θ → 0): %w", ErrNotIdentified)
	}
	if renewed == 0 {
		return SBG{}, fmt.Errorf("churn: everybody churned in the first period, so the sBG parameters are not identified (θ → 1): %w", ErrNotIdentified)
	}
	// The objective is the mean negative log-likelihood per customer, so that the optimiser's
	// gradient threshold means the same for a cohort of 100 as for one of 10 million.
	nll := func(x []float64) float64 { return -sbgLogLik(data, math.Exp(x[0]), math.Exp(x[1]), nil) / total }
	grad := func(g, x []float64) {
		a, b := math.Exp(x[0]), math.Exp(x[1])
		var dg [2]float64
		sbgLogLik(data, a, b, &dg)
		g[0], g[1] = -a*dg[0]/total, -b*dg[1]/total
	}
	// Start at the mean churn probability of the first period with α + β = 2.
	p := math.Min(math.Max(lostFirst/total, 0.01), 0.99)
	x, fit, err := stat.Minimize(stat.Objective{Func: nll, Grad: grad}, []float64{math.Log(2 * p), math.Log(2 * (1 - p))}, 0)
	if err != nil {
		return SBG{}, fmt.Errorf("churn: sBG fit: %w", err)
	}
	fit.LogLikelihood *= total
	m := SBG{Alpha: math.Exp(x[0]), Beta: math.Exp(x[1]), Fit: fit}
	if err := m.identified(cohorts, data); err != nil {
		return SBG{}, err
	}
	return m, nil
}

// sbgRunOff bounds |ln α| and |ln β| of a fit the data identify. The sBG's parameters are
// shapes of a beta distribution of churn probabilities, natural on a scale of 1: published fits
// lie between about 0.1 and 100 (Fader & Hardie 2007: α 0.668..1.3, β 1.2..3.8). A fit beyond
// e^±12 (6e-6 .. 1.6e5) has run off along a ridge of the likelihood towards a boundary.
const sbgRunOff = 12

// identified refuses a fit the data cannot pin down (issue: a "converged" run-off): a single
// observed period, parameters that ran off towards 0 or ∞, or an information matrix that is
// singular or gives non-finite standard errors. Each error wraps ErrNotIdentified and says why.
func (m SBG) identified(cohorts [][]float64, data []sbgData) error {
	periods := 0
	for _, a := range cohorts {
		periods = max(periods, len(a)-1)
	}
	if periods < 2 {
		return fmt.Errorf("churn: sBG: only one renewal period is observed, which identifies the first-period churn rate (%.4g) but not α and β separately; at least two periods are needed: %w",
			m.Alpha/(m.Alpha+m.Beta), ErrNotIdentified)
	}
	la, lb := math.Log(m.Alpha), math.Log(m.Beta)
	switch {
	case la > sbgRunOff && lb > sbgRunOff:
		return fmt.Errorf("churn: sBG: α = %.3g and β = %.3g ran off to ∞ at a fixed ratio: retention does not rise with tenure, so the data fit a constant churn rate of %.4g per period (the geometric model) and the heterogeneity α, β is not identified: %w",
			m.Alpha, m.Beta, m.Alpha/(m.Alpha+m.Beta), ErrNotIdentified)
	case math.Abs(la) > sbgRunOff || math.Abs(lb) > sbgRunOff:
		return fmt.Errorf("churn: sBG: the fit ran off to α = %.3g, β = %.3g (beyond e^±%d): the cohorts' losses do not identify the model: %w",
			m.Alpha, m.Beta, sbgRunOff, ErrNotIdentified)
	}
	est := stat.Estimates(func(lp []float64) float64 {
		return -sbgLogLik(data, math.Exp(lp[0]), math.Exp(lp[1]), nil)
	}, []string{"Alpha", "Beta"}, []float64{m.Alpha, m.Beta})
	for _, e := range est {
		if math.IsNaN(e.StdErr) || math.IsInf(e.StdErr, 0) || e.StdErr > 1e4*e.Value {
			return fmt.Errorf("churn: sBG: the information matrix at α = %.4g, β = %.4g is singular or nearly so (standard error of %s = %v): the data do not identify the model: %w",
				m.Alpha, m.Beta, e.Name, e.StdErr, ErrNotIdentified)
		}
	}
	return nil
}

// logRetention returns ln r(j) = ln((β+j−1)/(α+β+j−1)), accurately both when the ratio is
// near 1 and when it is small.
func logRetention(a, b, j float64) float64 {
	q := a + b + j - 1
	if a/q < 0.5 {
		return math.Log1p(-a / q)
	}
	return math.Log((b + j - 1) / q)
}

// sbgLogLik returns the log-likelihood, and its gradient in (α, β) when grad is not nil.
//
// It uses the exact finite-product forms S(t) = Π_{j≤t} r(j) and P(T=t) = S(t−1)·α/(α+β+t−1)
// rather than differences of log-beta functions: the two agree, but the products stay
// accurate when α and β are very large (a nearly homogeneous cohort, where B(·,·) differences
// cancel catastrophically), and they need no digamma for the gradient.
func sbgLogLik(data []sbgData, a, b float64, grad *[2]float64) float64 {
	if !(a > 0 && b > 0) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return math.Inf(-1)
	}
	if grad != nil {
		grad[0], grad[1] = 0, 0
	}
	ll := 0.0
	for _, d := range data {
		lnS, dSa, dSb := 0.0, 0.0, 0.0 // ln S(j−1) and its derivatives
		for i, n := range d.lost {
			j := float64(i + 1)
			q := a + b + j - 1
			if n > 0 {
				ll += n * (math.Log(a/q) + lnS)
				if grad != nil {
					grad[0] += n * (1/a - 1/q + dSa)
					grad[1] += n * (-1/q + dSb)
				}
			}
			lnS += logRetention(a, b, j)
			dSa -= 1 / q
			dSb += 1/(b+j-1) - 1/q
		}
		if d.survivor > 0 {
			ll += d.survivor * lnS
			if grad != nil {
				grad[0] += d.survivor * dSa
				grad[1] += d.survivor * dSb
			}
		}
	}
	return ll
}

// LogLikelihood returns the model's log-likelihood of one cohort's alive counts (see FitSBG),
// e.g. to compare a hold-out cohort across models. Invalid counts are an error as in FitSBG.
func (m SBG) LogLikelihood(alive []float64) (float64, error) {
	if err := checkCohort(alive); err != nil {
		return 0, fmt.Errorf("churn: %w", err)
	}
	return sbgLogLik([]sbgData{newSBGData(alive)}, m.Alpha, m.Beta, nil), nil
}

// Survival returns S(t), the share of a cohort still customers after t renewal periods:
// B(α, β+t)/B(α, β) (Fader & Hardie 2007, eq. 6), computed as the product of the retention
// rates r(1)…r(t), which stays accurate for very large α and β. S(0) = 1, and S(t) = 1 for
// t < 0.
// Multiply by the cohort size for a head count.
func (m SBG) Survival(t int) float64 {
	return math.Exp(m.logSurvival(t))
}

// productLimit is the largest t for which S(t) is computed as a product of retention rates;
// beyond it the log-beta form is used.
const productLimit = 10000

// logSurvival returns ln S(t): Σ_{j≤t} ln r(j) (exact and stable for any α, β) for moderate t,
// ln B(α, β+t) − ln B(α, β) with gonum's Lbeta beyond.
func (m SBG) logSurvival(t int) float64 {
	if t <= 0 {
		return 0
	}
	if t > productLimit {
		return mathext.Lbeta(m.Alpha, m.Beta+float64(t)) - mathext.Lbeta(m.Alpha, m.Beta)
	}
	ln := 0.0
	for j := 1; j <= t; j++ {
		ln += logRetention(m.Alpha, m.Beta, float64(j))
	}
	return ln
}

// Projection returns S(0), S(1), …, S(periods): the projected survival curve of a cohort.
// A negative periods gives an empty slice.
func (m SBG) Projection(periods int) []float64 {
	if periods < 0 {
		return []float64{}
	}
	out := make([]float64, periods+1)
	out[0] = 1
	ln := 0.0
	for t := 1; t <= periods; t++ {
		ln += logRetention(m.Alpha, m.Beta, float64(t))
		out[t] = math.Exp(ln)
	}
	return out
}

// ChurnProbability returns P(T = t), the probability that a customer of a new cohort churns
// in period t (cancels at the t-th renewal): B(α+1, β+t−1)/B(α, β) (Fader & Hardie 2007,
// eq. 5). It is 0 for t < 1, since nobody churns before the first renewal.
func (m SBG) ChurnProbability(t int) float64 {
	if t < 1 {
		return 0
	}
	// P(T=t) = S(t−1) · α/(α+β+t−1), the same quantity in product form.
	return math.Exp(m.logSurvival(t-1)) * m.Alpha / (m.Alpha + m.Beta + float64(t) - 1)
}

// RetentionRate returns r(t) = S(t)/S(t−1) = (β+t−1)/(α+β+t−1), the share of customers
// active in period t−1 who renew at t (Fader & Hardie 2007, eq. 8). It rises with t: the
// customers most likely to churn leave first. It is NaN for t < 1, where it is undefined.
func (m SBG) RetentionRate(t int) float64 {
	if t < 1 {
		return math.NaN()
	}
	return (m.Beta + float64(t) - 1) / (m.Alpha + m.Beta + float64(t) - 1)
}

// ExpectedLifetime returns E[T], the expected number of periods a new customer stays
// (counting the first): Σₜ≥₀ S(t) = (α+β−1)/(α−1) when α > 1. When α ≤ 1 the mean is
// infinite (the customers with θ near 0 stay so long that the sum diverges) and the result is
// +Inf; the median or a discounted value (DERL) is then the useful summary.
func (m SBG) ExpectedLifetime() float64 {
	if m.Alpha <= 1 {
		return math.Inf(1)
	}
	return (m.Alpha + m.Beta - 1) / (m.Alpha - 1)
}

// DERL returns the discounted expected residual lifetime of a customer who has made
// `renewals` renewals so far (Fader & Hardie 2010, eq. 6, with n − 1 = renewals):
//
//	DERL = Σ_{t≥n} P(T > t | T > n−1) / (1+d)^(t−n)
//	     = (β+n−1)/(α+β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d)),
//
// the expected number of future payments, valued just before the customer's next renewal
// decision, with that next payment undiscounted. Multiply by the margin per period for the
// residual (contractual) CLV of an existing customer. discount is the rate per period (0.1
// for 10%) and must be finite and ≥ 1e-6; renewals must be ≥ 0.
//
// The series is summed directly until the remainder (bounded by the last term / d) is below
// 1e-15 of the sum: at most about (35 + ln(1/d))/d terms. gonum's mathext.Hypergeo gives the
// same values for moderate parameters (the tests compare them) but stalls when α + β + n
// reaches the thousands, which fitted near-homogeneous cohorts do.
func (m SBG) DERL(discount float64, renewals int) (float64, error) {
	if !(discount >= 1e-6) || math.IsInf(discount, 0) {
		return 0, fmt.Errorf("churn: discount rate %v must be finite and ≥ 1e-6: %w", discount, ErrOutOfRange)
	}
	if renewals < 0 {
		return 0, fmt.Errorf("churn: renewals %d must be ≥ 0: %w", renewals, ErrOutOfRange)
	}
	if !(m.Alpha > 0 && m.Beta > 0) || math.IsInf(m.Alpha, 0) || math.IsInf(m.Beta, 0) {
		return 0, fmt.Errorf("churn: model parameters α = %v, β = %v must be finite and > 0: %w", m.Alpha, m.Beta, ErrOutOfRange)
	}
	n := float64(renewals + 1)
	a, b := m.Alpha, m.Beta
	z := 1 / (1 + discount)
	term := (b + n - 1) / (a + b + n - 1)
	sum := 0.0
	for k := 0.0; ; k++ {
		sum += term
		if term <= 1e-15*discount*sum {
			return sum, nil
		}
		term *= (b + n + k) / (a + b + n + k) * z
	}
}

// Estimates returns Alpha and Beta with their asymptotic standard errors on the cohorts the
// model was fitted to (one for FitSBG, several for FitSBGCohorts): the inverse of the observed
// information, the Hessian of the negative log-likelihood at the estimates. Use
// Estimate.Interval for Wald intervals. Cohorts are checked as in FitSBGCohorts.
func (m SBG) Estimates(cohorts ...[]float64) ([]cxkit.Estimate, error) {
	if len(cohorts) == 0 {
		return nil, fmt.Errorf("churn: no cohorts: %w", ErrEmpty)
	}
	if !(m.Alpha > 0 && m.Beta > 0) || math.IsInf(m.Alpha, 0) || math.IsInf(m.Beta, 0) {
		return nil, fmt.Errorf("churn: sBG parameters α = %v, β = %v must be finite and positive: %w", m.Alpha, m.Beta, ErrOutOfRange)
	}
	data := make([]sbgData, len(cohorts))
	for i, alive := range cohorts {
		if err := checkCohort(alive); err != nil {
			return nil, fmt.Errorf("churn: cohort %d: %w", i, err)
		}
		data[i] = newSBGData(alive)
	}
	return stat.Estimates(func(lp []float64) float64 {
		return -sbgLogLik(data, math.Exp(lp[0]), math.Exp(lp[1]), nil)
	}, []string{"Alpha", "Beta"}, []float64{m.Alpha, m.Beta}), nil
}
