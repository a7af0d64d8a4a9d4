package journey

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/churn"
	"gonum.org/v1/gonum/stat/distuv"
)

// Quadrant is a cell of the importance–performance grid (Martilla & James 1977). The grid is
// split at the mean importance and the mean performance of the touchpoints in the key-driver
// analysis, Martilla and James's "relative" placement of the cross-hairs.
type Quadrant string

// The four quadrants of Martilla & James (1977).
const (
	ConcentrateHere  Quadrant = "concentrate here"      // important, performing below the others
	KeepUp           Quadrant = "keep up the good work" // important, performing well
	LowPriority      Quadrant = "low priority"          // unimportant, performing below the others
	PossibleOverkill Quadrant = "possible overkill"     // unimportant, performing well
)

// IPAPoint places one touchpoint on the importance–performance grid: Importance is its LMG
// share of R² in the key-driver analysis, Performance its emotion-curve value (0..100).
type IPAPoint struct {
	Touchpoint  string   `json:"touchpoint"`
	Label       string   `json:"label"`
	Importance  float64  `json:"importance"`
	Performance float64  `json:"performance"`
	Quadrant    Quadrant `json:"quadrant"`
}

// KeyDrivers is the key-driver analysis of the report: how much of the variance in
// customers' likelihood to recommend (each customer's mean NPS rating, over all touchpoints)
// each touchpoint's experience explains. A customer's experience at a touchpoint is the mean
// of their CSAT and CES answers there on the 0..1 scale (rating − min)/(max − min), ease
// oriented; NPS answers are the response, never a predictor. Touchpoints are the MaxDrivers
// rated by most customers (each by at least MinGroup); customers who did not rate all of them
// are left out (listwise), and if fewer than predictors + 2 (or MinGroup) remain, the least
// rated touchpoint is dropped until enough do.
type KeyDrivers struct {
	Importance
	Labels map[string]string `json:"labels"` // touchpoint ID → label
}

// ChurnLift compares the retention of customers who had a bad experience at a touchpoint
// (an NPS detractor answer 0-6, a CSAT answer outside the satisfied top boxes, or a CES
// answer in the hard boxes — not easy, on a scale without hard boxes) with that of the other
// customers who gave feedback there. Each customer's time runs from their first observation
// to their churn, or is censored at the report's AsOf; Kaplan–Meier curves from package churn
// give retention at the Horizon, whose difference has a Greenwood standard error
// (churn.CompareAt), and the log-rank test (churn.LogRankTest) compares the whole curves.
// Bad experiences are not dated: a customer counts as "bad" from the start.
type ChurnLift struct {
	Bad              int            `json:"bad"`            // customers with a bad experience
	Good             int            `json:"good"`           // customers who rated the touchpoint without one
	Horizon          time.Duration  `json:"horizon"`        //
	RetentionBad     float64        `json:"retention_bad"`  // share retained at Horizon, 0..1
	RetentionGood    float64        `json:"retention_good"` //
	Lift             float64        `json:"lift"`           // RetentionGood − RetentionBad
	Interval         cxkit.Interval `json:"interval"`       // of Lift
	LogRankChiSquare float64        `json:"log_rank_chi_square"`
	LogRankP         float64        `json:"log_rank_p"`
	AdjustedP        float64        `json:"adjusted_p"`  // log-rank p corrected across touchpoints
	Significant      bool           `json:"significant"` // AdjustedP < Alpha
}

// PainPoint is a touchpoint × metric flagged by at least one test, with all the evidence.
// Only touchpoints with at least MinGroup answers of the metric are tested or ranked. The
// gap test compares the touchpoint's score with the rest of the journey (every other
// touchpoint's answers of that metric merged) by the metric package's Compare; the p-values of
// all touchpoint × metric tests are corrected together (Holm by default, Benjamini–Hochberg
// with Options.FDR). A point is flagged when its score is below the metric's absolute
// threshold, or significantly below the rest. Pain points are ranked by Impact, then by
// adjusted p-value. A gap without a standard error (both sides unanimous) is reported in Gap
// and Impact but not tested (AdjustedP 1).
type PainPoint struct {
	Rank       int    `json:"rank"`
	Touchpoint string `json:"touchpoint"`
	Label      string `json:"label"`
	Stage      Stage  `json:"stage"`
	Metric     Metric `json:"metric"`

	Score     float64        `json:"score"`
	Interval  cxkit.Interval `json:"interval"`
	Responses int            `json:"responses"`

	Threshold      float64 `json:"threshold"` // NaN-free: 0 when the test is off (see BelowThreshold)
	BelowThreshold bool    `json:"below_threshold"`

	Rest        float64          `json:"rest"`       // score of the rest of the journey
	Gap         float64          `json:"gap"`        // Rest − Score, in the metric's points
	Comparison  cxkit.Comparison `json:"comparison"` // Score − Rest
	AdjustedP   float64          `json:"adjusted_p"`
	Significant bool             `json:"significant"` // Gap > 0 and AdjustedP < Alpha
	// Impact is how many points the journey's overall score of the metric would rise if this
	// touchpoint reached the rest's level: max(Gap, 0) × Responses / all responses of the metric.
	Impact float64 `json:"impact"`

	Quadrant  Quadrant   `json:"quadrant,omitempty"` // when the touchpoint is in the key-driver analysis
	ChurnLift *ChurnLift `json:"churn_lift,omitempty"`
	Evidence  []string   `json:"evidence"` // one sentence per finding
}

// keyDrivers runs the key-driver analysis and the importance–performance grid.
func (a *Accumulator) keyDrivers(r *Report, order []int) {
	words := (a.nT + 63) / 64
	// Pass 1: which touchpoints each NPS respondent rated (CSAT or CES), as a bit set.
	masks := make([]uint64, 0, 1024)
	rated := make([]int, a.nT)
	var resp []int32 // customer indices with an NPS answer
	for ci := range a.custs {
		c := &a.custs[ci]
		if c.yN == 0 {
			continue
		}
		base := len(masks)
		masks = append(masks, make([]uint64, words)...)
		for j := c.head; j >= 0; j = a.links.at(j).next {
			if l := a.links.at(j); l.xN > 0 {
				w, b := int(l.tp)/64, uint(l.tp)%64
				if masks[base+w]&(1<<b) == 0 {
					masks[base+w] |= 1 << b
					rated[l.tp]++
				}
			}
		}
		resp = append(resp, int32(ci))
	}
	var cand []int
	for _, t := range order {
		if rated[t] >= a.opt.MinGroup {
			cand = append(cand, t)
		}
	}
	slices.SortStableFunc(cand, func(x, y int) int { return rated[y] - rated[x] })
	if len(cand) > a.opt.MaxDrivers {
		cand = cand[:a.opt.MaxDrivers]
	}
	// Drop the least rated touchpoint until enough customers rated all the others.
	complete := func(k int) int {
		want := make([]uint64, words)
		for _, t := range cand[:k] {
			want[t/64] |= 1 << (uint(t) % 64)
		}
		n := 0
	next:
		for i := range resp {
			for w := 0; w < words; w++ {
				if masks[i*words+w]&want[w] != want[w] {
					continue next
				}
			}
			n++
		}
		return n
	}
	k := len(cand)
	for ; k >= 2; k-- {
		if n := complete(k); n >= max(a.opt.MinGroup, k+2) {
			break
		}
	}
	if k < 2 {
		r.DriversNote = fmt.Sprintf("key drivers need at least 2 touchpoints rated (CSAT or CES) by %d or more customers who also answered NPS, and that many customers who rated all of them", a.opt.MinGroup)
		return
	}
	cand = cand[:k]
	pos := make([]int, a.nT)
	for i := range pos {
		pos[i] = -1
	}
	for i, t := range cand {
		pos[t] = i
	}
	// Pass 2: y and x of every respondent (NaN where a touchpoint was not rated; the listwise
	// deletion is RelativeImportance's).
	y := make([]float64, len(resp))
	xs := make([][]float64, k)
	sums := make([]float64, 2*k)
	for i := range xs {
		xs[i] = make([]float64, len(resp))
	}
	for i, ci := range resp {
		c := &a.custs[ci]
		y[i] = c.ySum / c.yN
		clear(sums)
		for j := c.head; j >= 0; j = a.links.at(j).next {
			if l := a.links.at(j); pos[l.tp] >= 0 {
				sums[2*pos[l.tp]] += l.xSum
				sums[2*pos[l.tp]+1] += l.xN
			}
		}
		for q := 0; q < k; q++ {
			if sums[2*q+1] > 0 {
				xs[q][i] = sums[2*q] / sums[2*q+1]
			} else {
				xs[q][i] = math.NaN()
			}
		}
	}
	x := make(map[string][]float64, k)
	for q, t := range cand {
		x[a.m.Touchpoints[t].ID] = xs[q]
	}
	imp, err := RelativeImportance(y, x)
	if err != nil {
		r.DriversNote = err.Error()
		return
	}
	kd := &KeyDrivers{Importance: imp, Labels: map[string]string{}}
	for _, t := range cand {
		kd.Labels[a.m.Touchpoints[t].ID] = a.m.Touchpoints[t].Label()
	}
	r.Drivers = kd
	a.grid(r)
}

// grid places the key-driver touchpoints on the importance–performance grid.
func (a *Accumulator) grid(r *Report) {
	perf := map[string]float64{}
	for _, e := range r.Emotion {
		if e.HasData {
			perf[e.Touchpoint] = e.Value
		}
	}
	var pts []IPAPoint
	var mi, mp float64
	for _, id := range r.Drivers.Names {
		v, ok := perf[id]
		if !ok {
			continue
		}
		pts = append(pts, IPAPoint{Touchpoint: id, Label: r.Drivers.Labels[id], Importance: r.Drivers.LMG[id], Performance: v})
		mi += r.Drivers.LMG[id]
		mp += v
	}
	if len(pts) == 0 {
		return
	}
	mi /= float64(len(pts))
	mp /= float64(len(pts))
	for i := range pts {
		hiI, hiP := pts[i].Importance >= mi, pts[i].Performance >= mp
		switch {
		case hiI && !hiP:
			pts[i].Quadrant = ConcentrateHere
		case hiI && hiP:
			pts[i].Quadrant = KeepUp
		case !hiI && !hiP:
			pts[i].Quadrant = LowPriority
		default:
			pts[i].Quadrant = PossibleOverkill
		}
	}
	r.Importance = pts
}

// painPoints tests every touchpoint × metric and ranks the flagged ones.
func (a *Accumulator) painPoints(r *Report, tpAgg []*agg, order []int) error {
	o := a.opt
	lifts, err := a.churnLifts(r.AsOf)
	if err != nil {
		return err
	}
	quad := map[string]Quadrant{}
	for _, p := range r.Importance {
		quad[p.Touchpoint] = p.Quadrant
	}
	var cands []PainPoint
	var ps []float64
	var tested []int // index into cands of the points with a gap test
	for _, m := range metrics {
		total := 0
		for _, t := range order {
			if s := tpAgg[t].scored(m); s != nil {
				total += s.Count()
			}
		}
		for _, t := range order {
			x := tpAgg[t].scored(m)
			if x == nil || x.Count() < o.MinGroup {
				continue
			}
			tp := a.m.Touchpoints[t]
			pp := PainPoint{Touchpoint: tp.ID, Label: tp.Label(), Stage: tp.Stage, Metric: m, Score: x.Headline(),
				Interval: x.Interval(o.Confidence), Responses: x.Count(), AdjustedP: 1, ChurnLift: lifts[t], Quadrant: quad[tp.ID]}
			if th := o.Thresholds[m]; !math.IsNaN(th) {
				pp.Threshold = th
				pp.BelowThreshold = pp.Score < th
			}
			rest := a.newAgg()
			for _, u := range order {
				if u == t {
					continue
				}
				for p := 0; p < a.nP; p++ {
					rest.add(&a.cells[u*a.nP+p], false)
				}
			}
			if y := rest.scored(m); y != nil && y.Count() >= o.MinGroup {
				pp.Rest = y.Headline()
				pp.Gap = pp.Rest - pp.Score
				pp.Impact = math.Max(pp.Gap, 0) * float64(pp.Responses) / float64(total)
				if c, err := compare(x, y); err == nil && testable(c) {
					pp.Comparison = c
					tested = append(tested, len(cands))
					ps = append(ps, c.P)
				}
			}
			cands = append(cands, pp)
		}
	}
	adj, err := cxkit.Adjust(ps, o.correction())
	if err != nil {
		return err
	}
	for k, i := range tested {
		cands[i].AdjustedP = adj[k]
		cands[i].Significant = cands[i].Gap > 0 && adj[k] < o.Alpha
	}
	var out []PainPoint
	for _, pp := range cands {
		if !pp.BelowThreshold && !pp.Significant {
			continue
		}
		pp.Evidence = a.evidence(&pp)
		out = append(out, pp)
	}
	slices.SortStableFunc(out, func(x, y PainPoint) int {
		switch {
		case x.Impact > y.Impact:
			return -1
		case x.Impact < y.Impact:
			return 1
		case x.AdjustedP < y.AdjustedP:
			return -1
		case x.AdjustedP > y.AdjustedP:
			return 1
		}
		return 0
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	r.PainPoints = out
	return nil
}

func fmtP(p float64) string {
	if p < 0.001 {
		return "p < 0.001"
	}
	return fmt.Sprintf("p = %.3f", p)
}

func (a *Accumulator) evidence(pp *PainPoint) []string {
	var ev []string
	m := pp.Metric
	if pp.BelowThreshold {
		ev = append(ev, fmt.Sprintf("%v %.1f is below the threshold %.1f", m, pp.Score, pp.Threshold))
	}
	if pp.Comparison.StdErr > 0 {
		ev = append(ev, fmt.Sprintf("%v %.1f vs %.1f for the rest of the journey: gap %.1f points, %s (%s %s-adjusted)",
			m, pp.Score, pp.Rest, pp.Gap, fmtP(pp.Comparison.P), fmtP(pp.AdjustedP), a.opt.correction()))
	}
	if pp.Impact > 0 {
		ev = append(ev, fmt.Sprintf("impact: the journey's %v would rise %.2f points if this touchpoint reached the rest's level", m, pp.Impact))
	}
	if pp.Quadrant != "" {
		ev = append(ev, fmt.Sprintf("importance–performance: %s", pp.Quadrant))
	}
	if l := pp.ChurnLift; l != nil {
		ev = append(ev, fmt.Sprintf("churn lift: retention at %v is %.1f%% after a bad experience vs %.1f%% (%d vs %d customers): lift %.1f points [%.1f, %.1f], log-rank %s (%s adjusted)",
			days(l.Horizon), 100*l.RetentionBad, 100*l.RetentionGood, l.Bad, l.Good, 100*l.Lift, 100*l.Interval.Lower, 100*l.Interval.Upper,
			fmtP(l.LogRankP), fmtP(l.AdjustedP)))
	}
	return ev
}

// churnLifts computes the churn lift of every touchpoint that has at least MinGroup customers
// in each group and a churn in either; nil for the others.
func (a *Accumulator) churnLifts(asOf time.Time) ([]*ChurnLift, error) {
	o := a.opt
	out := make([]*ChurnLift, a.nT)
	end := asOf.UnixNano()
	day := float64(24 * time.Hour)
	subj := make([]churn.Subject, len(a.custs))
	ok := make([]bool, len(a.custs))
	anyChurn := false
	for i := range a.custs {
		c := &a.custs[i]
		if c.first > end {
			continue
		}
		s := churn.Subject{Duration: float64(end-c.first) / day}
		if c.churned != 0 && c.churned <= end {
			s = churn.Subject{Duration: float64(c.churned-c.first) / day, Churned: true}
			anyChurn = true
		}
		subj[i], ok[i] = s, true
	}
	if !anyChurn {
		return out, nil
	}
	bad := make([]int8, len(a.custs)) // per touchpoint: 0 not rated, 1 good, 2 bad
	var ps []float64
	var idx []int
	h := float64(o.Horizon) / day
	z := distuv.UnitNormal.Quantile(0.5 + o.Confidence/2)
	for t := 0; t < a.nT; t++ {
		clear(bad)
		for i := range a.custs {
			c := &a.custs[i]
			for j := c.head; j >= 0; j = a.links.at(j).next {
				if l := a.links.at(j); int(l.tp) == t && l.rated {
					if l.bad {
						bad[i] = 2
					} else if bad[i] == 0 {
						bad[i] = 1
					}
				}
			}
		}
		var gb, gg []churn.Subject
		for i, b := range bad {
			if !ok[i] {
				continue
			}
			switch b {
			case 1:
				gg = append(gg, subj[i])
			case 2:
				gb = append(gb, subj[i])
			}
		}
		if len(gb) < o.MinGroup || len(gg) < o.MinGroup {
			continue
		}
		lr, err := churn.LogRankTest(gb, gg)
		if err != nil || math.IsNaN(lr.P) {
			continue // no churn in either group: nothing to compare
		}
		kb, err1 := churn.KaplanMeier(gb)
		kg, err2 := churn.KaplanMeier(gg)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		cmp, err := churn.CompareAt(kg, kb, h)
		if err != nil {
			return nil, err
		}
		out[t] = &ChurnLift{Bad: len(gb), Good: len(gg), Horizon: o.Horizon, RetentionBad: kb.At(h), RetentionGood: kg.At(h),
			Lift: cmp.Difference, Interval: cxkit.Interval{Lower: cmp.Difference - z*cmp.StdErr, Upper: cmp.Difference + z*cmp.StdErr, Confidence: o.Confidence},
			LogRankChiSquare: lr.ChiSquare, LogRankP: lr.P}
		ps = append(ps, lr.P)
		idx = append(idx, t)
	}
	adj, err := cxkit.Adjust(ps, o.correction())
	if err != nil {
		return nil, err
	}
	for k, t := range idx {
		out[t].AdjustedP = adj[k]
		out[t].Significant = adj[k] < o.Alpha
	}
	return out, nil
}

// days formats a duration in days when it is a whole number of days.
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}
