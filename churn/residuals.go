package churn

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/cxkit/cxkit"
	"gonum.org/v1/gonum/mat"
)

// CoxResiduals are the residuals of a Cox fit, the diagnostics behind the model's summary:
// which customers the model explains badly, and whether a covariate's effect drifts over the
// customer's lifetime.
type CoxResiduals struct {
	// Martingale holds, per subject in the caller's order, the martingale residual
	// Mᵢ = δᵢ − Ĥ₀(tᵢ)·exp(βᵀxᵢ): the churn event (1 or 0) minus the churn the model expected
	// over the subject's time at risk (from Entry to Duration). It lies in (−∞, 1]; a large
	// negative value is a long-lived customer the model expected to leave. Plotted against a
	// covariate left out of the model it shows that covariate's functional form. As R's
	// residuals(fit, type = "martingale"), with Efron's correction at tied churn times for the
	// Efron fit; case weights are not multiplied in.
	Martingale []float64 `json:"martingale"`
	// Deviance holds the deviance residuals sign(M)·√(−2(M + δ·log(δ − M))), a symmetrised
	// martingale residual for spotting outliers (R's type = "deviance").
	Deviance []float64 `json:"deviance"`
	// Score holds, per subject in the caller's order, the score residuals (one value per
	// covariate): the subject's contribution to the score U(β), δᵢ(xᵢ − x̄(tᵢ)) minus
	// exp(βᵀxᵢ) Σ dΛ̂₀(t)(xᵢ − x̄(t)) over the churn times t of its time at risk, with Efron's
	// weighting at tied times (R's residuals(fit, type = "score"), unweighted). Multiplied by
	// the weight and by Var they are the dfbeta residuals, the approximate change in β when the
	// subject is left out; the robust variance (CoxOptions.Robust) is built from them.
	Score [][]float64 `json:"score"`
	// Schoenfeld holds the Schoenfeld residuals, one row per churn event.
	Schoenfeld Schoenfeld `json:"schoenfeld"`
}

// Schoenfeld holds the Schoenfeld residuals of a Cox fit, raw and scaled, one row per churn
// event (ties give one row per churner), ordered by stratum label, then time, then the
// subject's index.
//
// The raw residual of a churner is xᵢ − x̄(tᵢ), the covariates minus their risk-weighted mean
// over the risk set at the churn time (for Efron ties, the mean of the d Efron-weighted means
// at a time with d churners), R's residuals(fit, type = "schoenfeld"). Under proportional
// hazards they have no trend in time. The scaled residual is β + D·V·rᵢ, with D the number of
// churn events and V the inverse of the information per event, as R's cox.zph computes its $y
// (survival ≥ 3.0): its smoothed plot against time estimates the coefficient βⱼ(t), so a
// slope says the covariate's hazard ratio changes over the customer's lifetime (Grambsch &
// Therneau 1994). As in R, a covariate that is constant within a stratum gets no scaled
// residual there (NaN), and D and V are taken over the strata where it varies.
type Schoenfeld struct {
	// Names are the covariate names (the columns of Raw and Scaled).
	Names []string `json:"names"`
	// Transform is the time transform of Transformed: "km", as PHTest.
	Transform string `json:"transform"`
	// Subject is the index of the churner in the subjects of the fit.
	Subject []int `json:"subject"`
	// Stratum is the churner's stratum label (0 without strata).
	Stratum []int `json:"stratum"`
	// Time is the churn time.
	Time []float64 `json:"time"`
	// Transformed is the transformed time g(t) = 1 − Ŝ(t−) of the pooled Kaplan–Meier curve,
	// cox.zph's $x, the axis on which the PH test looks for a trend.
	Transformed []float64 `json:"transformed"`
	// Raw holds the Schoenfeld residuals, one row of len(Names) values per event.
	Raw [][]float64 `json:"raw"`
	// Scaled holds the scaled Schoenfeld residuals (cox.zph(fit)$y), one row per event.
	Scaled [][]float64 `json:"scaled"`
}

// Residuals computes the model's residuals on the data it was fitted to: pass the subjects,
// covariates and options given to FitCox. Data that do not match the fit (another number of
// subjects or covariates, other weights, events, covariate means, strata or tie handling) are
// an error wrapping cxkit.ErrIncompatible, and invalid data get FitCox's errors. The cost is
// one pass over the sorted data, O(n·p² + n log n).
func (m Cox) Residuals(subjects []Subject, covariates [][]float64, opt CoxOptions) (CoxResiduals, error) {
	if len(m.Coef) == 0 || len(m.Names) != len(m.Coef) {
		return CoxResiduals{}, fmt.Errorf("churn: the model has no coefficients (not a fitted Cox model): %w", ErrInvalid)
	}
	d, err := newCoxData(subjects, covariates, m.Names, opt)
	if err != nil {
		return CoxResiduals{}, err
	}
	if err := d.matches(m); err != nil {
		return CoxResiduals{}, err
	}
	beta := m.Coef
	e := newCoxEval(d.p)
	if !d.eval(beta, e, nil) {
		return CoxResiduals{}, fmt.Errorf("churn: the partial likelihood at the model's coefficients is not finite: %w", ErrOutOfRange)
	}
	ttime, err := d.kmTransform()
	if err != nil {
		return CoxResiduals{}, err
	}

	res := CoxResiduals{Deviance: make([]float64, d.n)}
	mart, score, rows, err := d.residualPass()
	if err != nil {
		return CoxResiduals{}, err
	}
	res.Martingale, res.Score = mart, score
	for k := range d.n {
		i0 := d.orig[k]
		m := mart[i0]
		dev := -2 * m
		if d.event[k] {
			dev = -2 * (m + math.Log(1-m))
		}
		res.Deviance[i0] = math.Copysign(math.Sqrt(math.Max(dev, 0)), m)
	}

	// Rows in (stratum, time, subject) order; sorted rows of one stratum are contiguous.
	stratumOf := make([]int, d.n)
	for h := 0; h+1 < len(d.strata); h++ {
		for k := d.strata[h]; k < d.strata[h+1]; k++ {
			stratumOf[k] = h
		}
	}
	slices.SortFunc(rows, func(a, b schRow) int {
		if c := cmp.Compare(stratumOf[a.k], stratumOf[b.k]); c != 0 {
			return c
		}
		if c := cmp.Compare(d.stop[a.k], d.stop[b.k]); c != 0 {
			return c
		}
		return cmp.Compare(d.orig[a.k], d.orig[b.k])
	})
	sc := Schoenfeld{Names: d.names, Transform: "km"}
	for _, r := range rows {
		sc.Subject = append(sc.Subject, d.orig[r.k])
		sc.Stratum = append(sc.Stratum, d.labels[stratumOf[r.k]])
		sc.Time = append(sc.Time, d.stop[r.k])
		sc.Transformed = append(sc.Transformed, ttime(d.stop[r.k]))
		sc.Raw = append(sc.Raw, r.raw)
	}
	scaled, err := d.scaleSchoenfeld(beta, e.imat, stratumOf, rows)
	if err != nil {
		return CoxResiduals{}, err
	}
	sc.Scaled = scaled
	res.Schoenfeld = sc
	return res, nil
}

// residualPass walks the risk sets once at the coefficients of the last d.eval and returns,
// in the caller's order, the martingale and score residuals, and the churners' raw Schoenfeld
// residuals (in sorted order).
func (d *coxData) residualPass() (mart []float64, score [][]float64, rows []schRow, err error) {
	p := d.p
	mart = make([]float64, d.n)
	score = make([][]float64, d.n)
	rs := newRiskSums(p, false)
	s0 := 0.0
	s1 := make([]float64, p)
	e1 := make([]float64, p)
	for h := 0; h+1 < len(d.strata); h++ {
		lo, hi := d.strata[h], d.strata[h+1]
		// Event times of the stratum, descending, with the hazard increments for subjects
		// censored (dh) and churned (edh) at that time.
		var times, dhs, edhs []float64
		var bs, ebs, xbars [][]float64 // Σₖ hazardₖ·meanₖ (censored, churned) and the churners' mean
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
		q := 0
		for i := lo; i < hi; {
			t := d.stop[i]
			for q < len(byEntry) && d.entry[byEntry[q]] >= t {
				k := byEntry[q]
				rs.add(d.risk[k], d.x[k*p:k*p+p], true)
				q++
			}
			e0, nd, dw := 0.0, 0, 0.0
			clear(e1)
			j := i
			for ; j < hi && d.stop[j] == t; j++ {
				r := d.risk[j]
				if late {
					rs.add(r, d.x[j*p:j*p+p], false)
				} else {
					s0 += r
					for a := range p {
						s1[a] += r * d.x[j*p+a]
					}
				}
				if d.event[j] {
					nd++
					dw += d.w[j]
					e0 += r
					for a := range p {
						e1[a] += r * d.x[j*p+a]
					}
				}
			}
			if nd > 0 {
				if late {
					s0 = rs.sums(s1, nil)
				}
				ndead := nd
				if d.ties == Breslow {
					ndead = 1
				}
				wtave := dw / float64(ndead)
				xbar := make([]float64, p)
				bv, ebv := make([]float64, p), make([]float64, p)
				dh, edh := 0.0, 0.0
				for k := range ndead {
					c := float64(k) / float64(ndead)
					den := s0 - c*e0
					dh += wtave / den
					edh += (1 - c) * wtave / den
					for a := range p {
						mean := (s1[a] - c*e1[a]) / den
						xbar[a] += mean / float64(ndead)
						bv[a] += wtave / den * mean
						ebv[a] += (1 - c) * wtave / den * mean
					}
				}
				times, dhs, edhs = append(times, t), append(dhs, dh), append(edhs, edh)
				bs, ebs, xbars = append(bs, bv), append(ebs, ebv), append(xbars, xbar)
				for k := i; k < j; k++ {
					if !d.event[k] {
						continue
					}
					r := make([]float64, p)
					for a := range p {
						r[a] = d.x[k*p+a] - xbar[a]
					}
					rows = append(rows, schRow{k: k, raw: r})
				}
			}
			i = j
		}
		// Cumulative hazard at the event times, ascending.
		slices.Reverse(times)
		slices.Reverse(dhs)
		slices.Reverse(edhs)
		slices.Reverse(bs)
		slices.Reverse(ebs)
		slices.Reverse(xbars)
		// The hazard over a subject's time at risk is a sum of increments over a range of
		// event times, taken from a segment tree of non-negative sums: a difference of
		// cumulative sums would cancel when a late entrant's increments are tiny next to the
		// earlier ones.
		tree := newSumTree(dhs)
		btrees := make([]sumTree, p)
		for a := range p {
			col := make([]float64, len(bs))
			for q, v := range bs {
				col[q] = v[a]
			}
			btrees[a] = newSumTree(col)
		}
		for k := lo; k < hi; k++ {
			t := d.stop[k]
			i := sort.SearchFloat64s(times, t) // first event time ≥ t
			first := 0                         // first event time after the entry
			if d.entry[k] > 0 {
				first = sort.Search(len(times), func(i int) bool { return times[i] > d.entry[k] })
			}
			h := tree.sum(first, i)
			b := make([]float64, p)
			for a := range p {
				b[a] = btrees[a].sum(first, i)
			}
			at := i < len(times) && times[i] == t
			if at {
				hb := bs[i]
				if d.event[k] {
					h += edhs[i]
					hb = ebs[i]
				} else {
					h += dhs[i]
				}
				for a := range p {
					b[a] += hb[a]
				}
			}
			// Score residual: δ(x − x̄(t)) − exp(η)·Σ over the time at risk of dΛ·(x − mean).
			risk := math.Exp(d.eta[k])
			u := make([]float64, p)
			for a := range p {
				x := d.x[k*p+a]
				u[a] = -risk * (x*h - b[a])
				if d.event[k] && at {
					u[a] += x - xbars[i][a]
				}
				if math.IsNaN(u[a]) || math.IsInf(u[a], 0) {
					return nil, nil, nil, fmt.Errorf("churn: score residual of subject %d is not finite: %w", d.orig[k], ErrOutOfRange)
				}
			}
			m := -risk * h
			if d.event[k] {
				m++
			}
			if math.IsNaN(m) || math.IsInf(m, 0) {
				return nil, nil, nil, fmt.Errorf("churn: martingale residual of subject %d is not finite: %w", d.orig[k], ErrOutOfRange)
			}
			mart[d.orig[k]], score[d.orig[k]] = m, u
		}
	}

	return mart, score, rows, nil
}

// schRow is one churner's raw Schoenfeld residual; k is its index in the sorted data.
type schRow struct {
	k   int
	raw []float64
}

// scaleSchoenfeld scales the raw residuals as R's cox.zph: used[s][j] is the number of events
// of stratum s when covariate j varies within it (0 otherwise); the per-event information is
// imat / Σₛ min(used[s][a], used[s][b]); each row of stratum s is β + V⁻¹ r on the covariates
// used in s, NaN on the others.
func (d *coxData) scaleSchoenfeld(beta, imat []float64, stratumOf []int, rows []schRow) ([][]float64, error) {
	p := d.p
	ns := len(d.strata) - 1
	used := make([][]int, ns)
	for h := range ns {
		lo, hi := d.strata[h], d.strata[h+1]
		events := 0
		for k := lo; k < hi; k++ {
			if d.event[k] {
				events++
			}
		}
		used[h] = make([]int, p)
		for j := range p {
			for k := lo + 1; k < hi; k++ {
				if d.x[k*p+j] != d.x[lo*p+j] {
					used[h][j] = events
					break
				}
			}
		}
	}
	vmean := make([]float64, p*p)
	for a := range p {
		for b := range p {
			w := 0
			for h := range ns {
				w += min(used[h][a], used[h][b])
			}
			if w == 0 {
				w = 1
			}
			vmean[a*p+b] = imat[a*p+b] / float64(w)
		}
	}
	out := make([][]float64, len(rows))
	var lastH = -1
	var ch *mat.Cholesky
	var idx []int
	for i, r := range rows {
		h := stratumOf[r.k]
		if h != lastH {
			lastH = h
			idx = idx[:0]
			for j := range p {
				if used[h][j] > 0 {
					idx = append(idx, j)
				}
			}
			ch = nil
			if len(idx) > 0 {
				sub := make([]float64, 0, len(idx)*len(idx))
				for _, a := range idx {
					for _, b := range idx {
						sub = append(sub, vmean[a*p+b])
					}
				}
				var ok bool
				if ch, ok = choleskyOf(len(idx), sub); !ok {
					return nil, fmt.Errorf("churn: scaled Schoenfeld residuals: the information is singular in stratum %d: %w", d.labels[h], cxkit.ErrNotIdentified)
				}
			}
		}
		row := make([]float64, p)
		for j := range row {
			row[j] = math.NaN()
		}
		if ch != nil {
			v := mat.NewVecDense(len(idx), nil)
			for c, j := range idx {
				v.SetVec(c, r.raw[j])
			}
			var sol mat.VecDense
			if err := ch.SolveVecTo(&sol, v); err != nil {
				return nil, fmt.Errorf("churn: scaled Schoenfeld residuals: %v: %w", err, cxkit.ErrNotIdentified)
			}
			for c, j := range idx {
				row[j] = sol.AtVec(c) + beta[j]
			}
		}
		out[i] = row
	}
	return out, nil
}

// kmTransform returns cox.zph's "km" transform g(t) = 1 − Ŝ(t−) of the pooled, unweighted
// Kaplan–Meier curve (late entries honoured), as PHTest uses.
func (d *coxData) kmTransform() (func(t float64) float64, error) {
	subs := make([]Subject, d.n)
	for k := range subs {
		subs[k] = Subject{Duration: d.stop[k], Churned: d.event[k], Entry: d.entry[k]}
	}
	km, err := KaplanMeier(subs)
	if err != nil {
		return nil, fmt.Errorf("churn: Schoenfeld residuals: %w", err)
	}
	return func(t float64) float64 {
		i := sort.SearchFloat64s(km.Time, t) - 1 // last time < t
		if i < 0 {
			return 0
		}
		return 1 - km.Survival[i]
	}, nil
}

// matches checks that the validated data are those the model was fitted to.
func (d *coxData) matches(m Cox) error {
	bad := func(what string, got, want any) error {
		return fmt.Errorf("churn: the data do not match the model: %s %v, the fit had %v: %w", what, got, want, cxkit.ErrIncompatible)
	}
	same := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b))) }
	switch {
	case d.n != m.N:
		return bad("number of subjects", d.n, m.N)
	case d.ties != m.Ties:
		return bad("tie handling", d.ties, m.Ties)
	case !same(d.wsum, m.Subjects):
		return bad("total weight", d.wsum, m.Subjects)
	case !same(d.events, m.Events):
		return bad("churn events", d.events, m.Events)
	case len(d.labels) != len(m.Baseline):
		return bad("number of strata", len(d.labels), len(m.Baseline))
	}
	for h, b := range m.Baseline {
		if b.Stratum != d.labels[h] {
			return bad("stratum", d.labels[h], b.Stratum)
		}
	}
	if len(m.Means) != d.p {
		return bad("number of covariates", d.p, len(m.Means))
	}
	for j, v := range m.Means {
		if !same(d.means[j], v) {
			return bad(fmt.Sprintf("mean of covariate %q", d.names[j]), d.means[j], v)
		}
	}
	return nil
}

// sumTree answers sums of ranges of non-negative values as sums of O(log n) partial sums, so
// that a small range sum keeps its relative precision.
type sumTree struct {
	n int
	v []float64
}

func newSumTree(x []float64) sumTree {
	n := len(x)
	v := make([]float64, 2*n)
	copy(v[n:], x)
	for i := n - 1; i > 0; i-- {
		v[i] = v[2*i] + v[2*i+1]
	}
	return sumTree{n: n, v: v}
}

// sum returns the sum of x[lo:hi].
func (t sumTree) sum(lo, hi int) float64 {
	s := 0.0
	for lo, hi = lo+t.n, hi+t.n; lo < hi; lo, hi = lo/2, hi/2 {
		if lo&1 == 1 {
			s += t.v[lo]
			lo++
		}
		if hi&1 == 1 {
			hi--
			s += t.v[hi]
		}
	}
	return s
}
