package churn

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/cxkit/cxkit"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Ties is how FitCox handles churn events that happen at the same time.
type Ties int

const (
	// Efron is Efron's (1977) approximation to the partial likelihood with tied event times:
	// the default, as in R's coxph and Python's lifelines. It is close to the exact partial
	// likelihood when ties are many (durations in whole months).
	Efron Ties = iota
	// Breslow is Breslow's (1974) approximation: every churner at a tied time faces the same
	// risk set. Simpler and older; biased towards 0 when ties are many.
	Breslow
)

// String returns "efron" or "breslow", the names R uses.
func (t Ties) String() string {
	switch t {
	case Efron:
		return "efron"
	case Breslow:
		return "breslow"
	}
	return fmt.Sprintf("Ties(%d)", int(t))
}

// CoxOptions are the settings of FitCox. The zero value is R coxph's default: Efron ties, at
// most 20 Newton–Raphson iterations, convergence when the log partial likelihood changes by a
// relative 1e-9, one stratum.
type CoxOptions struct {
	// Ties is the handling of tied event times: Efron (the zero value) or Breslow.
	Ties Ties
	// Strata, when not nil, holds one stratum label per subject (e.g. a plan or region code):
	// each stratum has its own baseline hazard and the coefficients are shared, as
	// coxph(... + strata(s)). Subjects are only compared within their stratum.
	Strata []int
	// MaxIter is the maximum number of Newton–Raphson iterations; 0 means 20 (R's iter.max).
	MaxIter int
	// Tolerance is the convergence criterion on the relative change of the log partial
	// likelihood; 0 means 1e-9 (R's eps).
	Tolerance float64
	// Robust asks for the robust (sandwich) variance of Lin & Wei (1989), as
	// coxph(..., robust = TRUE): see Cox.NaiveVar. Cluster implies it.
	Robust bool
	// Cluster, when not nil, holds one cluster label per subject (a customer with several
	// rows, an account with several users): the robust variance then treats the rows of one
	// cluster as dependent, as coxph(... + cluster(id)).
	Cluster []int
}

// Cox is a fitted Cox proportional-hazards model: the hazard of churn of a customer with
// covariates x is h(t | x) = h₀(t)·exp(βᵀx), with the baseline hazard h₀ left unspecified
// (one per stratum). exp(βⱼ) is the hazard ratio of covariate j: the factor by which one more
// unit of it multiplies the risk of leaving at any time, the other covariates held fixed.
type Cox struct {
	// Names are the covariate names, in the order of the columns.
	Names []string `json:"names"`
	// Coef holds the estimated coefficients β (log hazard ratios).
	Coef []float64 `json:"coef"`
	// StdErr holds their standard errors: square roots of the diagonal of Var.
	StdErr []float64 `json:"std_err"`
	// Var is the estimated covariance matrix of Coef: the inverse of the observed information
	// (the negative Hessian of the log partial likelihood) at the estimate. Row-major p×p.
	Var [][]float64 `json:"var"`
	// Means are the (weighted) means of the covariates; the fit is computed on centred
	// covariates, as R's coxph does.
	Means []float64 `json:"means"`
	// LogLik is the maximised log partial likelihood; NullLogLik its value at β = 0.
	LogLik     float64 `json:"loglik"`
	NullLogLik float64 `json:"null_loglik"`
	// LikelihoodRatio, Wald and Score are the three tests of β = 0 that R's summary.coxph
	// prints: 2·(LogLik − NullLogLik); βᵀ Var⁻¹ β; and U(0)ᵀ I(0)⁻¹ U(0), the score test at β
	// = 0 (which, for one binary covariate, is the log-rank test).
	LikelihoodRatio CoxTest `json:"likelihood_ratio"`
	Wald            CoxTest `json:"wald"`
	Score           CoxTest `json:"score"`
	// Concordance is Harrell's C: among comparable pairs (within a stratum, one churned
	// while the other was still at risk), the share in which the one who churned first had
	// the higher predicted risk, ties in the risk counting one half. 0.5 is no better than
	// chance, 1 perfect ranking. Pairs are weighted by the product of the case weights; pairs
	// churned at the same time are not comparable (R's concordance, timewt = "n"). NaN when
	// no pair is comparable.
	Concordance float64 `json:"concordance"`
	// PH is the test of proportional hazards (see PHTest).
	PH PHTest `json:"ph"`
	// Baseline holds the baseline cumulative hazard of each stratum, for a customer whose
	// covariates are all 0; one entry when the fit has no strata.
	Baseline []BaselineHazard `json:"baseline"`
	// Subjects is the (weighted) number of subjects; Events the (weighted) number of churn
	// events; N the number of subjects (rows).
	Subjects float64 `json:"subjects"`
	Events   float64 `json:"events"`
	N        int     `json:"n"`
	// Ties is the tie handling used.
	Ties Ties `json:"ties"`
	// Fit describes the Newton–Raphson run (iterations, likelihood evaluations, convergence).
	Fit cxkit.Fit `json:"fit"`
	// Robust is true when Var is the robust (sandwich) variance (CoxOptions.Robust or Cluster):
	// V·(Σ_g D_g D_gᵀ)·V with D_g the sum over cluster g (each subject its own cluster without
	// Cluster) of the weighted score residuals, R's coxph(..., robust = TRUE). StdErr, the
	// hazard ratios' intervals and the Wald test then use it, and NaiveVar and NaiveStdErr keep
	// the model-based variance; the likelihood-ratio and score tests stay model-based.
	Robust      bool        `json:"robust,omitempty"`
	NaiveVar    [][]float64 `json:"naive_var,omitempty"`
	NaiveStdErr []float64   `json:"naive_std_err,omitempty"`
}

// CoxTest is a χ² test of a Cox model.
type CoxTest struct {
	ChiSquare float64 `json:"chi_square"`
	DF        int     `json:"df"`
	P         float64 `json:"p"`
}

// newCoxTest returns the test with its upper-tail χ² p-value.
func newCoxTest(chi float64, df int) CoxTest {
	return CoxTest{ChiSquare: chi, DF: df, P: distuv.ChiSquared{K: float64(df)}.Survival(chi)}
}

// BaselineHazard is the baseline cumulative hazard of one stratum: H₀(Time[i]) for a customer
// whose covariates are all 0, a step function that jumps at the stratum's event times. A
// customer with covariates x has H(t | x) = H₀(t)·exp(βᵀx) and survival exp(−H(t | x)). The
// increments follow the fit's tie handling (Breslow's estimator for Breslow, the Efron-style
// estimator for Efron), as R's survfit.coxph (and basehaz(fit, centered = FALSE)) computes
// them.
type BaselineHazard struct {
	// Stratum is the stratum label (0 when the fit has no strata).
	Stratum int `json:"stratum"`
	// Time holds the distinct event times, ascending.
	Time []float64 `json:"time"`
	// CumHazard holds H₀ at each time.
	CumHazard []float64 `json:"cum_hazard"`
}

// At returns H₀(t): 0 before the first event time, right-continuous.
func (b BaselineHazard) At(t float64) float64 {
	i, found := slices.BinarySearch(b.Time, t)
	if !found {
		i--
	}
	if i < 0 {
		return 0
	}
	return b.CumHazard[i]
}

// HazardRatio is one covariate's effect on the hazard of churn.
type HazardRatio struct {
	// Name is the covariate's name.
	Name string `json:"name"`
	// Coef is the coefficient β (the log hazard ratio) and StdErr its standard error.
	Coef   float64 `json:"coef"`
	StdErr float64 `json:"std_err"`
	// Ratio is exp(β); Interval its Wald interval exp(β ± z·SE).
	Ratio    float64        `json:"ratio"`
	Interval cxkit.Interval `json:"interval"`
	// Z is β/SE and P its two-sided p-value (the Wald test of this coefficient).
	Z float64 `json:"z"`
	P float64 `json:"p"`
}

// FitCox fits a Cox proportional-hazards model by maximum partial likelihood: how much each
// covariate multiplies a customer's risk of leaving, the others held fixed.
//
// covariates[i] is subject i's covariate vector, one value per name (covariates[i][j] is
// covariate names[j] of subjects[i]). Encode a category of k levels as k − 1 indicator
// columns (0/1). Subjects follow the Subject rules; their Weight is a case weight and a
// positive Entry is a late entry (the subject is in the risk sets only for times in
// (Entry, Duration]), as coxph(Surv(entry, duration, churned) ~ …, weights = w).
//
// The log partial likelihood, with Efron's or Breslow's handling of tied event times, is
// maximised by Newton–Raphson from β = 0 with step halving, as R's coxph (survival package)
// does, and then polished by further Newton steps to full precision. The data are sorted once
// (O(n log n)); each iteration is one pass over the subjects that keeps running sums of
// wᵢ·exp(ηᵢ), of its product with xᵢ and with xᵢxᵢᵀ over the risk set: O(n·p²). Late
// entrants, which leave the risk set again, are kept in compensated sums banded by magnitude,
// so the sums stay as accurate as direct sums over each risk set however far the late
// entrants' risk scores are above the others'.
//
// Errors: no subjects or no churn events (ErrEmpty); covariates or strata whose length does
// not match the subjects, a row of the wrong length, no or duplicate names (ErrInvalid); an
// invalid subject or a non-finite covariate (ErrOutOfRange, naming subject and covariate); a
// covariate that carries no information (constant, or constant within every stratum's risk
// sets) or is collinear with others (ErrNotIdentified, naming it); a covariate whose
// coefficient runs off to ±∞ because it separates churners from stayers perfectly — R warns
// "Loglik converged before variable j; coefficient may be infinite" — or whose information
// at the estimate is lost to rounding because a few subjects dominate the risk sets
// (ErrNotIdentified, naming it); no convergence within MaxIter (ErrNotConverged). No model is returned with an
// error.
func FitCox(subjects []Subject, covariates [][]float64, names []string, opt CoxOptions) (Cox, error) {
	d, err := newCoxData(subjects, covariates, names, opt)
	if err != nil {
		return Cox{}, err
	}
	return d.fit()
}

// coxData is the validated, sorted and centred input of a fit.
type coxData struct {
	n, p    int
	names   []string
	ties    Ties
	x       []float64 // n×p centred covariates in sorted order
	stop    []float64
	entry   []float64 // 0 for no late entry
	event   []bool
	w       []float64
	orig    []int // orig[k] = index in the caller's slices of sorted row k
	strata  []int // start of each stratum in sorted order, plus n at the end
	labels  []int // stratum label of each stratum
	byEntry [][]int
	means   []float64
	opt     CoxOptions
	wsum    float64
	events  float64
	// scratch
	eta, risk []float64
}

func newCoxData(subjects []Subject, covariates [][]float64, names []string, opt CoxOptions) (*coxData, error) {
	n, p := len(subjects), len(names)
	switch {
	case n == 0:
		return nil, fmt.Errorf("churn: no subjects: %w", ErrEmpty)
	case p == 0:
		return nil, fmt.Errorf("churn: no covariates: a Cox model needs at least one name: %w", ErrInvalid)
	case len(covariates) != n:
		return nil, fmt.Errorf("churn: %d covariate rows for %d subjects: %w", len(covariates), n, ErrInvalid)
	case opt.Strata != nil && len(opt.Strata) != n:
		return nil, fmt.Errorf("churn: %d strata labels for %d subjects: %w", len(opt.Strata), n, ErrInvalid)
	case opt.Cluster != nil && len(opt.Cluster) != n:
		return nil, fmt.Errorf("churn: %d cluster labels for %d subjects: %w", len(opt.Cluster), n, ErrInvalid)
	case opt.Ties != Efron && opt.Ties != Breslow:
		return nil, fmt.Errorf("churn: unknown tie handling %v: %w", opt.Ties, ErrInvalid)
	case opt.MaxIter < 0:
		return nil, fmt.Errorf("churn: MaxIter %d is negative: %w", opt.MaxIter, ErrOutOfRange)
	case math.IsNaN(opt.Tolerance) || opt.Tolerance < 0 || opt.Tolerance >= 1:
		return nil, fmt.Errorf("churn: Tolerance %v must be in [0, 1): %w", opt.Tolerance, ErrOutOfRange)
	}
	seen := make(map[string]bool, p)
	for j, nm := range names {
		if seen[nm] {
			return nil, fmt.Errorf("churn: covariate name %q appears twice (column %d): %w", nm, j, ErrInvalid)
		}
		seen[nm] = true
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = 20
	}
	if opt.Tolerance == 0 {
		opt.Tolerance = 1e-9
	}
	d := &coxData{n: n, p: p, names: slices.Clone(names), ties: opt.Ties, opt: opt}
	d.means = make([]float64, p)
	var events float64
	for i, s := range subjects {
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("churn: subject %d: %w", i, err)
		}
		if math.IsInf(s.weight(), 0) || s.weight() > maxCoxWeight {
			return nil, fmt.Errorf("churn: subject %d: weight %v exceeds %g: %w", i, s.Weight, maxCoxWeight, ErrOutOfRange)
		}
		row := covariates[i]
		if len(row) != p {
			return nil, fmt.Errorf("churn: covariate row %d has %d values for %d names: %w", i, len(row), p, ErrInvalid)
		}
		w := s.weight()
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > maxCovariate {
				return nil, fmt.Errorf("churn: subject %d: covariate %q = %v must be finite and at most %g in size: %w", i, names[j], v, maxCovariate, ErrOutOfRange)
			}
			d.means[j] += w * v
		}
		d.wsum += w
		if s.Churned {
			events += w
		}
	}
	if events == 0 {
		return nil, fmt.Errorf("churn: no churn events, so the Cox model is undefined: %w", ErrEmpty)
	}
	d.events = events
	for j := range d.means {
		d.means[j] /= d.wsum
	}
	// Sort by (stratum, duration descending).
	stratum := make([]int, n)
	if opt.Strata != nil {
		lab := slices.Clone(opt.Strata)
		slices.Sort(lab)
		d.labels = slices.Compact(lab)
		for i, s := range opt.Strata {
			stratum[i], _ = slices.BinarySearch(d.labels, s)
		}
	} else {
		d.labels = []int{0}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(stratum[a], stratum[b]); c != 0 {
			return c
		}
		return cmp.Compare(subjects[b].Duration, subjects[a].Duration)
	})
	d.orig = order
	d.x = make([]float64, n*p)
	d.stop = make([]float64, n)
	d.entry = make([]float64, n)
	d.event = make([]bool, n)
	d.w = make([]float64, n)
	d.strata = append(d.strata, 0)
	hasEntry := false
	for k, i := range order {
		s := subjects[i]
		d.stop[k], d.entry[k], d.event[k], d.w[k] = s.Duration, s.Entry, s.Churned, s.weight()
		hasEntry = hasEntry || s.Entry > 0
		for j, v := range covariates[i] {
			d.x[k*p+j] = v - d.means[j]
		}
		if k > 0 && stratum[i] != stratum[order[k-1]] {
			d.strata = append(d.strata, k)
		}
	}
	d.strata = append(d.strata, n)
	if hasEntry {
		d.byEntry = make([][]int, len(d.strata)-1)
		for h := range d.byEntry {
			var idx []int
			for k := d.strata[h]; k < d.strata[h+1]; k++ {
				if d.entry[k] > 0 {
					idx = append(idx, k)
				}
			}
			slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(d.entry[b], d.entry[a]) })
			d.byEntry[h] = idx
		}
	}
	d.eta = make([]float64, n)
	d.risk = make([]float64, n)
	return d, nil
}

// Limits that keep every sum of the partial likelihood finite.
const (
	maxCoxWeight = 1e12
	maxCovariate = 1e12
)

// coxEval is the value, gradient (score) and negative Hessian (information) of the log
// partial likelihood at one β.
type coxEval struct {
	loglik float64
	u      []float64
	imat   []float64 // p×p, full
	// iscale[a] is Σ over the event terms of wtave·S₂[a][a]/den, the size of the terms whose
	// difference is imat[a][a] (S₂/den − m·m): imat[a][a] carries a rounding error of a few ε
	// times it.
	iscale []float64
}

// coxHooks receives the per-event-time contributions of a pass, for the baseline hazard and
// the proportional-hazards test. Either may be nil.
type coxHooks struct {
	// hazard is called at each event time of stratum h with the hazard increment on the
	// centred scale.
	hazard func(h int, t, dh float64)
	// group is called at each event time with that time's contribution to the score and the
	// information (scratch slices, valid during the call).
	group func(h int, t float64, u, imat []float64)
}

// eval computes the log partial likelihood at beta and, when e.u is not nil, its score and
// information. It returns false when a sum overflows.
func (d *coxData) eval(beta []float64, e *coxEval, hooks *coxHooks) bool {
	p := d.p
	for k := 0; k < d.n; k++ {
		eta := 0.0
		row := d.x[k*p : k*p+p]
		for j, b := range beta {
			eta += b * row[j]
		}
		d.eta[k] = eta
		d.risk[k] = d.w[k] * math.Exp(eta)
	}
	want := e.u != nil
	e.loglik = 0
	if want {
		clear(e.u)
		clear(e.imat)
		clear(e.iscale)
	}
	rs := newRiskSums(p, want)
	s0 := 0.0
	s1 := make([]float64, p)
	s2 := make([]float64, p*p) // upper triangle used
	e1 := make([]float64, p)
	e2 := make([]float64, p*p)
	m := make([]float64, p)
	ev := make([]float64, p)
	var gu, gi []float64
	if hooks != nil && hooks.group != nil {
		gu, gi = make([]float64, p), make([]float64, p*p)
	}
	for h := 0; h+1 < len(d.strata); h++ {
		lo, hi := d.strata[h], d.strata[h+1]
		var byEntry []int
		if d.byEntry != nil {
			byEntry = d.byEntry[h]
		}
		// Late entrants leave the risk set again: banded, compensated sums (see riskSums);
		// without them plain running sums.
		late := len(byEntry) > 0
		rs.reset()
		s0 = 0
		clear(s1)
		clear(s2)
		q := 0
		for i := lo; i < hi; {
			t := d.stop[i]
			// Leave the risk set: entered at or after t.
			for q < len(byEntry) && d.entry[byEntry[q]] >= t {
				k := byEntry[q]
				rs.add(d.risk[k], d.x[k*p:k*p+p], true) // byEntry is empty without late entry
				q++
			}
			e0, nd, dw := 0.0, 0, 0.0
			clear(e1)
			if want {
				clear(e2)
				clear(ev)
			}
			j := i
			for ; j < hi && d.stop[j] == t; j++ {
				r := d.risk[j]
				row := d.x[j*p : j*p+p]
				if late {
					rs.add(r, row, false)
				} else {
					s0 += r
					for a := range p {
						ra := r * row[a]
						s1[a] += ra
						if want {
							for b := a; b < p; b++ {
								s2[a*p+b] += ra * row[b]
							}
						}
					}
				}
				if d.event[j] {
					nd++
					dw += d.w[j]
					e0 += r
					e.loglik += d.w[j] * d.eta[j]
					for a := range p {
						ra := r * row[a]
						e1[a] += ra
						if want {
							ev[a] += d.w[j] * row[a]
							for b := a; b < p; b++ {
								e2[a*p+b] += ra * row[b]
							}
						}
					}
				}
			}
			if nd == 0 {
				i = j
				continue
			}
			i = j
			if late {
				s0 = rs.sums(s1, s2)
			}
			if want {
				for a := range p {
					e.u[a] += ev[a]
				}
			}
			if gu != nil {
				copy(gu, ev)
				clear(gi)
			}
			ndead := nd
			if d.ties == Breslow {
				ndead = 1
			}
			wtave := dw / float64(ndead)
			dh := 0.0
			for k := range ndead {
				c := float64(k) / float64(ndead)
				den := s0 - c*e0
				if !(den > 0) || math.IsInf(den, 0) {
					return false
				}
				e.loglik -= wtave * math.Log(den)
				dh += wtave / den
				if !want {
					continue
				}
				for a := range p {
					m[a] = (s1[a] - c*e1[a]) / den
					e.u[a] -= wtave * m[a]
					if gu != nil {
						gu[a] -= wtave * m[a]
					}
				}
				for a := range p {
					e.iscale[a] += wtave * (s2[a*p+a] - c*e2[a*p+a]) / den
					for b := a; b < p; b++ {
						v := wtave * ((s2[a*p+b]-c*e2[a*p+b])/den - m[a]*m[b])
						e.imat[a*p+b] += v
						if gi != nil {
							gi[a*p+b] += v
						}
					}
				}
			}
			if hooks != nil {
				if hooks.hazard != nil {
					hooks.hazard(h, t, dh)
				}
				if gi != nil {
					for a := range p {
						for b := 0; b < a; b++ {
							gi[a*p+b] = gi[b*p+a]
						}
					}
					hooks.group(h, t, gu, gi)
				}
			}
		}
	}
	if want {
		for a := range p {
			for b := 0; b < a; b++ {
				e.imat[a*p+b] = e.imat[b*p+a]
			}
		}
		for _, v := range e.u {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
	}
	return !math.IsNaN(e.loglik) && !math.IsInf(e.loglik, 0)
}

func newCoxEval(p int) *coxEval {
	return &coxEval{u: make([]float64, p), imat: make([]float64, p*p), iscale: make([]float64, p)}
}

// identify checks that the information matrix at β = 0 is positive definite and, when it is
// not, names the covariate that carries no information or is collinear with earlier ones.
func (d *coxData) identify(imat []float64) error {
	p := d.p
	for j := range p {
		diag := imat[j*p+j]
		if !(diag > 0) {
			return fmt.Errorf("churn: covariate %q carries no information (it is constant within the risk sets%s): %w", d.names[j], d.strataNote(), cxkit.ErrNotIdentified)
		}
		if j == 0 {
			continue
		}
		// Residual information of j given the covariates before it (Schur complement).
		a := mat.NewSymDense(j, nil)
		bv := mat.NewVecDense(j, nil)
		for r := range j {
			for c := r; c < j; c++ {
				a.SetSym(r, c, imat[r*p+c])
			}
			bv.SetVec(r, imat[r*p+j])
		}
		var ch mat.Cholesky
		if !ch.Factorize(a) {
			continue // reported at an earlier j
		}
		var sol mat.VecDense
		if err := ch.SolveVecTo(&sol, bv); err != nil {
			continue
		}
		resid := diag - mat.Dot(bv, &sol)
		if resid <= 1e-10*diag {
			// Name the earlier covariates it depends on.
			var with []string
			for r := range j {
				if math.Abs(sol.AtVec(r))*math.Sqrt(imat[r*p+r]) > 1e-8*math.Sqrt(diag) {
					with = append(with, fmt.Sprintf("%q", d.names[r]))
				}
			}
			return fmt.Errorf("churn: covariate %q is collinear with %s (a linear combination of them%s): %w", d.names[j], strings.Join(with, ", "), d.strataNote(), cxkit.ErrNotIdentified)
		}
	}
	return nil
}

func (d *coxData) strataNote() string {
	if len(d.labels) > 1 {
		return ", within strata"
	}
	return ""
}

// solve returns the Cholesky factorisation of the p×p information matrix, or an error when it
// is not positive definite.
func choleskyOf(p int, imat []float64) (*mat.Cholesky, bool) {
	s := mat.NewSymDense(p, slices.Clone(imat))
	var ch mat.Cholesky
	if !ch.Factorize(s) {
		return nil, false
	}
	return &ch, true
}

func (d *coxData) fit() (Cox, error) {
	p := d.p
	beta := make([]float64, p)
	cur := newCoxEval(p)
	evals := 1
	if !d.eval(beta, cur, nil) {
		return Cox{}, fmt.Errorf("churn: the partial likelihood at β = 0 is not finite: %w", ErrOutOfRange)
	}
	if err := d.identify(cur.imat); err != nil {
		return Cox{}, err
	}
	null := cur.loglik
	ch0, ok := choleskyOf(p, cur.imat)
	if !ok {
		return Cox{}, fmt.Errorf("churn: the information matrix at β = 0 is singular: %w", cxkit.ErrNotIdentified)
	}
	u0 := mat.NewVecDense(p, slices.Clone(cur.u))
	var step0 mat.VecDense
	if err := ch0.SolveVecTo(&step0, u0); err != nil {
		return Cox{}, fmt.Errorf("churn: the information matrix at β = 0 is singular: %w", cxkit.ErrNotIdentified)
	}
	score := mat.Dot(u0, &step0)

	// Newton–Raphson with step halving, as coxph's coxfit6.
	tol := d.opt.Tolerance
	newBeta := make([]float64, p)
	for a := range p {
		newBeta[a] = step0.AtVec(a)
	}
	next := newCoxEval(p)
	halving := false
	converged := false
	iter := 0
	for iter = 1; iter <= d.opt.MaxIter; iter++ {
		evals++
		ok := d.eval(newBeta, next, nil)
		// R's |1 − old/new| ≤ tol, with an absolute floor for a log-likelihood near 0.
		// While halving, a change below the tolerance is rounding: keep the better point.
		if ok && math.Abs(next.loglik-cur.loglik) <= tol*math.Max(math.Abs(next.loglik), 1) {
			if !halving || next.loglik >= cur.loglik {
				copy(beta, newBeta)
				cur, next = next, cur
			}
			converged = true
			break
		}
		if iter == d.opt.MaxIter {
			break
		}
		if !ok || next.loglik < cur.loglik {
			halving = true
			for a := range p {
				newBeta[a] = (newBeta[a] + beta[a]) / 2
			}
			continue
		}
		halving = false
		cur, next = next, cur
		copy(beta, newBeta)
		st, err := newtonStep(p, cur)
		if err != nil {
			return Cox{}, d.runOff(beta, cur, err)
		}
		for a := range p {
			newBeta[a] = beta[a] + st[a]
		}
	}
	if !converged {
		return Cox{}, fmt.Errorf("churn: Cox fit did not converge in %d iterations (largest coefficient %s): %w", d.opt.MaxIter, d.largest(beta), ErrNotConverged)
	}
	// Infinite coefficients: R's test after coxfit6 (survival's coxph.fit).
	st, err := newtonStep(p, cur)
	if err != nil {
		return Cox{}, d.runOff(beta, cur, err)
	}
	var inf []string
	for a := range p {
		if math.Abs(st[a]) > tol && math.Abs(st[a]) > math.Sqrt(tol)*math.Abs(beta[a]) {
			inf = append(inf, fmt.Sprintf("%q (β = %.4g)", d.names[a], beta[a]))
		}
	}
	if len(inf) > 0 {
		return Cox{}, fmt.Errorf("churn: the log partial likelihood converged before covariate %s: its coefficient runs off to infinity (the covariate separates churners from stayers): %w", strings.Join(inf, ", "), cxkit.ErrNotIdentified)
	}
	// Polish: a few more Newton steps while the likelihood does not fall.
	for range 3 {
		big := 0.0
		for a := range p {
			big = math.Max(big, math.Abs(st[a])/(1+math.Abs(beta[a])))
		}
		if big < 1e-13 {
			break
		}
		for a := range p {
			newBeta[a] = beta[a] + st[a]
		}
		evals++
		if !d.eval(newBeta, next, nil) || next.loglik < cur.loglik {
			break
		}
		cur, next = next, cur
		copy(beta, newBeta)
		if st, err = newtonStep(p, cur); err != nil {
			return Cox{}, d.runOff(beta, cur, err)
		}
	}
	// Information lost to rounding: when the risk sets are dominated by a few subjects (a
	// coefficient running off to ±∞), the risk-weighted variance S₂/S₀ − (S₁/S₀)² of a
	// covariate is a difference of nearly equal terms, and a value below 1e-8 of their size
	// is rounding noise, not information (its standard error would be meaningless).
	for a := range p {
		if !(cur.imat[a*p+a] > 1e-8*cur.iscale[a]) {
			return Cox{}, fmt.Errorf("churn: covariate %q (β = %.4g): its information %.3g is lost to rounding (below 1e-8 of the %.3g it is the difference of): the risk sets are dominated by a few subjects and the coefficient runs off to infinity: %w", d.names[a], beta[a], cur.imat[a*p+a], cur.iscale[a], cxkit.ErrNotIdentified)
		}
	}
	ch, ok := choleskyOf(p, cur.imat)
	if !ok {
		return Cox{}, d.runOff(beta, cur, errors.New("singular information"))
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return Cox{}, d.runOff(beta, cur, err)
	}
	m := Cox{
		Names: d.names, Coef: slices.Clone(beta), StdErr: make([]float64, p), Var: make([][]float64, p),
		Means: d.means, LogLik: cur.loglik, NullLogLik: null, Subjects: d.wsum, Events: d.events,
		N: d.n, Ties: d.ties,
		Fit: cxkit.Fit{LogLikelihood: cur.loglik, Iterations: iter, Evaluations: evals, Converged: true, Method: "Newton-Raphson"},
	}
	for a := range p {
		m.Var[a] = make([]float64, p)
		for b := range p {
			m.Var[a][b] = cov.At(a, b)
		}
		v := cov.At(a, a)
		if !(v > 0) || math.IsInf(v, 0) || math.Sqrt(v) > 1e6*(1+math.Abs(beta[a])) {
			return Cox{}, fmt.Errorf("churn: covariate %q has standard error %v: its coefficient is not identified: %w", d.names[a], math.Sqrt(v), cxkit.ErrNotIdentified)
		}
		m.StdErr[a] = math.Sqrt(v)
	}
	wald := 0.0
	for a := range p {
		for b := range p {
			wald += beta[a] * cur.imat[a*p+b] * beta[b]
		}
	}
	m.LikelihoodRatio = newCoxTest(2*(m.LogLik-null), p)
	m.Wald = newCoxTest(wald, p)
	m.Score = newCoxTest(score, p)
	m.Baseline = d.baseline(beta)
	m.Concordance = d.concordance()
	ph, err := d.zph(beta, cur.imat)
	if err != nil {
		return Cox{}, err
	}
	m.PH = ph
	if d.opt.Robust || d.opt.Cluster != nil {
		if err := d.robust(&m); err != nil {
			return Cox{}, err
		}
	}
	return m, nil
}

// newtonStep returns I⁻¹U.
func newtonStep(p int, e *coxEval) ([]float64, error) {
	ch, ok := choleskyOf(p, e.imat)
	if !ok {
		return nil, errors.New("the information matrix is not positive definite")
	}
	var st mat.VecDense
	if err := ch.SolveVecTo(&st, mat.NewVecDense(p, slices.Clone(e.u))); err != nil {
		return nil, err
	}
	out := make([]float64, p)
	for a := range p {
		out[a] = st.AtVec(a)
		if math.IsNaN(out[a]) || math.IsInf(out[a], 0) {
			return nil, errors.New("the Newton step is not finite")
		}
	}
	return out, nil
}

// runOff explains a breakdown of the information matrix during the iterations: the largest
// coefficient is running off.
func (d *coxData) runOff(beta []float64, e *coxEval, cause error) error {
	return fmt.Errorf("churn: Cox fit broke down (%v) with coefficient %s: it is not identified by the data (a covariate that separates churners from stayers, or collinear covariates): %w", cause, d.largest(beta), cxkit.ErrNotIdentified)
}

// largest names the coefficient of largest size.
func (d *coxData) largest(beta []float64) string {
	j := 0
	for a := range beta {
		if math.Abs(beta[a]) > math.Abs(beta[j]) {
			j = a
		}
	}
	return fmt.Sprintf("%q = %.4g", d.names[j], beta[j])
}

// baseline computes each stratum's cumulative hazard at x = 0.
func (d *coxData) baseline(beta []float64) []BaselineHazard {
	shift := 0.0 // hazard at x = 0 is the centred hazard times exp(−meansᵀβ)
	for a := range beta {
		shift += d.means[a] * beta[a]
	}
	f := math.Exp(-shift)
	out := make([]BaselineHazard, len(d.strata)-1)
	e := &coxEval{}
	d.eval(beta, e, &coxHooks{hazard: func(h int, t, dh float64) {
		out[h].Time = append(out[h].Time, t)
		out[h].CumHazard = append(out[h].CumHazard, dh*f)
	}})
	for h := range out {
		out[h].Stratum = d.labels[h]
		slices.Reverse(out[h].Time)
		slices.Reverse(out[h].CumHazard)
		sum := 0.0
		for i, v := range out[h].CumHazard {
			sum += v
			out[h].CumHazard[i] = sum
		}
	}
	return out
}

// Estimates returns the coefficients with their standard errors, named by the covariates.
func (m Cox) Estimates() []cxkit.Estimate {
	out := make([]cxkit.Estimate, len(m.Coef))
	for j := range m.Coef {
		out[j] = cxkit.Estimate{Name: m.Names[j], Value: m.Coef[j], StdErr: m.StdErr[j]}
	}
	return out
}

// HazardRatios returns each covariate's hazard ratio exp(β) with its Wald interval
// exp(β ± z·SE) at the given confidence (0.95 for 95%), z and p, as R's summary.coxph prints
// them. A confidence outside (0, 1) is ErrOutOfRange.
func (m Cox) HazardRatios(confidence float64) ([]HazardRatio, error) {
	if !(confidence > 0 && confidence < 1) {
		return nil, fmt.Errorf("churn: confidence %v must be in (0, 1): %w", confidence, ErrOutOfRange)
	}
	z := distuv.UnitNormal.Quantile(0.5 + confidence/2)
	out := make([]HazardRatio, len(m.Coef))
	for j, b := range m.Coef {
		se := m.StdErr[j]
		zz := b / se
		out[j] = HazardRatio{
			Name: m.Names[j], Coef: b, StdErr: se, Ratio: math.Exp(b),
			Interval: cxkit.Interval{Lower: math.Exp(b - z*se), Upper: math.Exp(b + z*se), Confidence: confidence},
			Z:        zz, P: 2 * distuv.UnitNormal.Survival(math.Abs(zz)),
		}
	}
	return out, nil
}

// LinearPredictor returns βᵀx, the log relative hazard of a customer with covariates x
// (uncentred: 0 for a customer whose covariates are all 0). A vector of the wrong length or
// with a non-finite value is an error.
func (m Cox) LinearPredictor(x []float64) (float64, error) {
	if len(x) != len(m.Coef) {
		return 0, fmt.Errorf("churn: %d covariate values for a model of %d: %w", len(x), len(m.Coef), ErrInvalid)
	}
	eta := 0.0
	for j, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("churn: covariate %q = %v must be finite: %w", m.Names[j], v, ErrOutOfRange)
		}
		eta += m.Coef[j] * v
	}
	return eta, nil
}

// Survival returns the predicted probability that a customer with covariates x is still a
// customer at time t, exp(−H₀(t)·exp(βᵀx)), from the model's baseline hazard. It needs a fit
// without strata (use StratumSurvival otherwise). S(t) is 1 before the first event time and
// for t < 0.
func (m Cox) Survival(t float64, x []float64) (float64, error) {
	if len(m.Baseline) != 1 {
		return 0, fmt.Errorf("churn: the model has %d strata: use StratumSurvival: %w", len(m.Baseline), ErrInvalid)
	}
	return m.StratumSurvival(m.Baseline[0].Stratum, t, x)
}

// StratumSurvival is Survival for a customer in the given stratum (its label in
// CoxOptions.Strata). An unknown stratum is ErrInvalid.
func (m Cox) StratumSurvival(stratum int, t float64, x []float64) (float64, error) {
	if math.IsNaN(t) {
		return 0, fmt.Errorf("churn: time %v is NaN: %w", t, ErrOutOfRange)
	}
	eta, err := m.LinearPredictor(x)
	if err != nil {
		return 0, err
	}
	for _, b := range m.Baseline {
		if b.Stratum == stratum {
			h := b.At(t) * math.Exp(eta)
			if math.IsNaN(h) {
				return 0, fmt.Errorf("churn: cumulative hazard at t = %v is not defined: %w", t, ErrOutOfRange)
			}
			return math.Exp(-h), nil
		}
	}
	return 0, fmt.Errorf("churn: stratum %d is not in the model: %w", stratum, ErrInvalid)
}
