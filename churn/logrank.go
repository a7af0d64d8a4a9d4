package churn

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// LogRank is the result of a log-rank test that several groups of customers (plans,
// personas, acquisition channels) churn at the same rate over time.
type LogRank struct {
	// ChiSquare is the test statistic (O − E)ᵀ V⁻ (O − E).
	ChiSquare float64 `json:"chi_square"`
	// DF is the degrees of freedom: the rank of V, normally the number of groups − 1.
	DF int `json:"df"`
	// P is the p-value: the upper tail of the χ² distribution with DF degrees of freedom.
	P float64 `json:"p"`
	// Observed is the (weighted) number of churn events in each group.
	Observed []float64 `json:"observed"`
	// Expected is the number each group would have had if all groups churned alike.
	Expected []float64 `json:"expected"`
}

// LogRankTest tests whether two or more groups of customers have the same survival curve,
// as R's survdiff (rho = 0) does. At each distinct churn time t with d churners among n at
// risk, group g is expected to lose d·n_g/n; summing over times gives E_g, compared with
// the observed O_g through the hypergeometric covariance
// V_gh = Σ d(n−d)/(n−1) · (n_g/n)(δ_gh − n_h/n). The statistic (O−E)ᵀV⁻(O−E), with V⁻ a
// generalised inverse, is χ² with rank(V) degrees of freedom under the null hypothesis.
// Weights act as counts; late entry is honoured in the risk sets.
//
// Fewer than two groups is ErrInvalid; an empty group is ErrEmpty naming the group; an
// invalid subject is an error naming group and index. When no group has any churn event the
// test is undefined and the result is ErrEmpty. When V is zero (each event time had a single
// subject at risk in all) ChiSquare and P are NaN and DF is 0.
func LogRankTest(groups ...[]Subject) (LogRank, error) {
	if len(groups) < 2 {
		return LogRank{}, fmt.Errorf("churn: log-rank test needs at least two groups, got %d: %w", len(groups), ErrInvalid)
	}
	k := len(groups)
	total := 0
	for g, subjects := range groups {
		if len(subjects) == 0 {
			return LogRank{}, fmt.Errorf("churn: group %d has no subjects: %w", g, ErrEmpty)
		}
		total += len(subjects)
	}
	// The groups' tables (a validation pass and a sort each) are independent: on large inputs
	// they are built on all cores, a group a goroutine at most GOMAXPROCS at a time. The
	// first error (lowest group) is reported, as when they are built one after another.
	tabs := make([]table, k)
	errs := make([]error, k)
	build := func(g int) { tabs[g], errs[g] = tableOf(groups[g]) }
	if procs := runtime.GOMAXPROCS(0); procs > 1 && total >= parallelTables {
		var wg sync.WaitGroup
		sem := make(chan struct{}, procs)
		for g := range groups {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				build(g)
			}()
		}
		wg.Wait()
	} else {
		for g := range groups {
			if build(g); errs[g] != nil {
				break
			}
		}
	}
	for g, err := range errs {
		if err != nil {
			return LogRank{}, fmt.Errorf("group %d: %w", g, err)
		}
	}
	return logRankOf(tabs)
}

// parallelTables is the number of subjects from which LogRankTest builds the groups'
// tables in parallel.
const parallelTables = 1 << 16

// logRankOf is the log-rank test of two or more non-empty tables (BySegment and
// SegmentTally reuse it).
func logRankOf(tabs []table) (LogRank, error) {
	k := len(tabs)
	if total := sumWeights(tabs); total > MaxTotalWeight {
		return LogRank{}, fmt.Errorf("churn: total weight %v of the groups exceeds %g: %w", total, MaxTotalWeight, ErrOutOfRange)
	}
	times := pooledEventTimes(tabs)
	if len(times) == 0 {
		return LogRank{}, fmt.Errorf("churn: no churn events in any group, the log-rank test is undefined: %w", ErrEmpty)
	}

	// Per group: at risk and events at each pooled event time, by one backward walk.
	risk := make([][]float64, k)
	events := make([][]float64, k)
	for g, tb := range tabs {
		risk[g], events[g] = tb.riskAndEvents(times)
	}
	res := LogRank{Observed: make([]float64, k), Expected: make([]float64, k)}
	vv := make([]float64, k*k) // upper triangle of V, row-major
	for q := range times {
		var n, d float64
		for g := range k {
			n += risk[g][q]
			d += events[g][q]
		}
		if n <= 0 {
			continue
		}
		f := 0.0
		if n > 1 {
			f = d * (n - d) / (n - 1)
		}
		for g := range k {
			res.Observed[g] += events[g][q]
			res.Expected[g] += d * risk[g][q] / n
			pg := risk[g][q] / n
			for h := g; h < k; h++ {
				ph := risk[h][q] / n
				delta := 0.0
				if g == h {
					delta = 1
				}
				vv[g*k+h] += f * pg * (delta - ph)
			}
		}
	}
	for g := range k {
		for h := range g {
			vv[g*k+h] = vv[h*k+g]
		}
	}
	v := mat.NewSymDense(k, vv)
	z := mat.NewVecDense(k, nil)
	for g := range k {
		z.SetVec(g, res.Observed[g]-res.Expected[g])
	}
	// Generalised inverse through the eigen-decomposition of the symmetric V.
	var eig mat.EigenSym
	if !eig.Factorize(v, true) {
		return LogRank{}, fmt.Errorf("churn: log-rank covariance could not be decomposed: %w", ErrInvalid)
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	maxVal := 0.0
	for _, l := range vals {
		maxVal = math.Max(maxVal, math.Abs(l))
	}
	tol := 1e-10 * maxVal
	for j, l := range vals {
		if l <= tol {
			continue
		}
		res.DF++
		proj := mat.Dot(vecs.ColView(j), z)
		res.ChiSquare += proj * proj / l
	}
	if res.DF == 0 {
		// No variance: every event time had a single subject at risk in all, or groups never
		// overlapped in their risk sets. The statistic is undefined.
		res.ChiSquare, res.P = math.NaN(), math.NaN()
		return res, nil
	}
	res.P = distuv.ChiSquared{K: float64(res.DF)}.Survival(res.ChiSquare)
	return res, nil
}

// pooledEventTimes merges the groups' event times (their tables are sorted already) into one
// ascending list of distinct times, in time linear in the rows times the number of groups:
// no sort.
func pooledEventTimes(tabs []table) []float64 {
	pos := make([]int, len(tabs))
	// next moves pos[g] to group g's next row with an event and returns its time (+Inf if none).
	next := func(g int) float64 {
		tb := tabs[g]
		for pos[g] < len(tb.t) && tb.d[pos[g]] == 0 {
			pos[g]++
		}
		if pos[g] == len(tb.t) {
			return math.Inf(1)
		}
		return tb.t[pos[g]]
	}
	n := 0
	for _, tb := range tabs {
		n = max(n, len(tb.t))
	}
	times := make([]float64, 0, n)
	heads := make([]float64, len(tabs))
	for g := range tabs {
		heads[g] = next(g)
	}
	for {
		t := slices.Min(heads)
		if math.IsInf(t, 1) {
			return times
		}
		times = append(times, t)
		for g, h := range heads {
			if h == t {
				pos[g]++
				heads[g] = next(g)
			}
		}
	}
}

// sumWeights is the total weight of the tables' rows.
func sumWeights(tabs []table) float64 {
	total := 0.0
	for _, tb := range tabs {
		for i := range tb.t {
			total += tb.d[i] + tb.c[i]
		}
	}
	return total
}

// riskAndEvents returns, for each of the ascending times ts, the weight at risk just before it
// (durations ≥ t, less positive entries ≥ t, as atRisk) and the churn weight at it, in one
// backward walk over the table without auxiliary arrays.
func (tb table) riskAndEvents(ts []float64) (risk, events []float64) {
	risk, events = make([]float64, len(ts)), make([]float64, len(ts))
	i, j := len(tb.t)-1, len(tb.et)-1
	var rows, entered float64
	for q := len(ts) - 1; q >= 0; q-- {
		t := ts[q]
		for ; i >= 0 && tb.t[i] >= t; i-- {
			rows += tb.d[i] + tb.c[i]
			if tb.t[i] == t {
				events[q] = tb.d[i]
			}
		}
		for ; j >= 0 && tb.et[j] >= t; j-- {
			entered += tb.ew[j]
		}
		risk[q] = rows - entered
	}
	return risk, events
}
