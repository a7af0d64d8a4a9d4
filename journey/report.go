package journey

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/ces"
	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/nps"
	"github.com/cxkit/cxkit/responsetime"
	"gonum.org/v1/gonum/stat/distuv"
)

// Report is the analysis of a journey: the figures of every touchpoint, stage, persona and
// persona × touchpoint, the emotion curve, the ranked pain points with their evidence, the key
// drivers and the persona differences. Groups are listed in journey order (stage order, then
// the map's order of touchpoints); personas in the map's order, with the observations that
// named no persona last (ID "").
type Report struct {
	Map        string    `json:"map,omitempty"`
	AsOf       time.Time `json:"as_of"`      // end of observation for retention
	Confidence float64   `json:"confidence"` // of every interval
	Correction string    `json:"correction"` // "holm" or "BH", as R's p.adjust names them
	MinGroup   int       `json:"min_group"`

	Feedback  int `json:"feedback"`  // observations counted, by kind
	Contacts  int `json:"contacts"`  //
	Visits    int `json:"visits"`    //
	Outcomes  int `json:"outcomes"`  //
	Customers int `json:"customers"` // distinct customers
	// Rejected lists the observations skipped under Options.SkipInvalid, by reason (sorted),
	// each with a count and the first example; RejectedTotal is their sum.
	Rejected      []Reject `json:"rejected,omitempty"`
	RejectedTotal int      `json:"rejected_total"`

	Overall            Group   `json:"overall"`
	Touchpoints        []Group `json:"touchpoints"`
	Stages             []Group `json:"stages"`
	Personas           []Group `json:"personas"`
	PersonaTouchpoints []Group `json:"persona_touchpoints"`

	Emotion            []EmotionPoint      `json:"emotion"`
	PainPoints         []PainPoint         `json:"pain_points"`
	Drivers            *KeyDrivers         `json:"drivers,omitempty"`
	DriversNote        string              `json:"drivers_note,omitempty"` // why Drivers is nil
	Importance         []IPAPoint          `json:"importance,omitempty"`   // the importance–performance grid
	PersonaDifferences []PersonaDifference `json:"persona_differences,omitempty"`
}

// Group holds the figures of one touchpoint, stage, persona or persona × touchpoint (the
// fields not naming it are empty). Small is set when fewer than MinGroup customers were
// reached; a small group is reported but never flagged, compared or ranked.
type Group struct {
	Touchpoint string `json:"touchpoint,omitempty"` // ID
	Stage      Stage  `json:"stage,omitempty"`
	Persona    string `json:"persona,omitempty"` // ID
	Label      string `json:"label"`             // for display

	Scores  []Score               `json:"scores,omitempty"` // every metric that has answers, in the order NPS, CSAT, CES
	NPS     *nps.Result           `json:"nps,omitempty"`
	CSAT    *csat.Result          `json:"csat,omitempty"`
	CES     *ces.Result           `json:"ces,omitempty"`
	Support *responsetime.Summary `json:"support,omitempty"` // of the support contacts

	Responses int  `json:"responses"` // feedback answers
	Contacts  int  `json:"contacts"`  // support contacts
	Visits    int  `json:"visits"`
	Volume    int  `json:"volume"`    // Responses + Contacts + Visits
	Reach     int  `json:"reach"`     // distinct customers with any observation
	Converted int  `json:"converted"` // of them, customers who converted (at any time)
	Small     bool `json:"small"`     // Reach < MinGroup
}

// Score is one metric of a group through the uniform cxkit.Scored view.
type Score struct {
	Metric    Metric         `json:"metric"`
	Value     float64        `json:"value"` // the headline score (NPS −100..100, CSAT and CES 0..100)
	Interval  cxkit.Interval `json:"interval"`
	Responses int            `json:"responses"`
	Effective float64        `json:"effective"` // Kish effective sample size
	Small     bool           `json:"small"`     // Responses < MinGroup
}

// Score returns the group's score of metric m.
func (g Group) Score(m Metric) (Score, bool) {
	for _, s := range g.Scores {
		if s.Metric == m {
			return s, true
		}
	}
	return Score{}, false
}

// agg is the merged content of a set of cells.
type agg struct {
	nps    nps.Tally
	csat   csat.Tally
	ces    ces.Tally
	rt     responsetime.Tracker
	visits int
	rtUsed bool
}

func (a *Accumulator) newAgg() *agg {
	g := &agg{}
	g.csat, _ = csat.NewTally(a.opt.CSATScale)
	g.ces, _ = ces.NewTally(a.opt.CESScale)
	return g
}

func (g *agg) add(c *cell, withRT bool) {
	// The cells of one accumulator share scales and calendar, so these merges cannot fail.
	_ = g.nps.Merge(&c.nps)
	_ = g.csat.Merge(&c.csat)
	_ = g.ces.Merge(&c.ces)
	if withRT {
		_ = g.rt.Merge(&c.rt)
		g.rtUsed = true
	}
	g.visits += c.visits
}

// scored returns the result of metric m, or nil when there are no answers.
func (g *agg) scored(m Metric) cxkit.Scored {
	switch m {
	case NPS:
		if r, err := g.nps.Result(); err == nil {
			return r
		}
	case CSAT:
		if r, err := g.csat.Result(); err == nil {
			return r
		}
	case CES:
		if r, err := g.ces.Result(); err == nil {
			return r
		}
	}
	return nil
}

// compare is the metric package's comparison a − b.
func compare(a, b cxkit.Scored) (cxkit.Comparison, error) {
	switch x := a.(type) {
	case nps.Result:
		return nps.Compare(x, b.(nps.Result))
	case csat.Result:
		return csat.Compare(x, b.(csat.Result))
	case ces.Result:
		return ces.Compare(x, b.(ces.Result))
	}
	return cxkit.Comparison{}, fmt.Errorf("journey: cannot compare %T: %w", a, ErrInvalid)
}

// group builds the Group of an aggregate.
func (a *Accumulator) group(g *agg, reach, converted int) Group {
	out := Group{Visits: g.visits, Reach: reach, Converted: converted, Small: reach < a.opt.MinGroup}
	for _, m := range metrics {
		s := g.scored(m)
		if s == nil {
			continue
		}
		out.Scores = append(out.Scores, Score{Metric: m, Value: s.Headline(), Interval: s.Interval(a.opt.Confidence),
			Responses: s.Count(), Effective: s.Effective(), Small: s.Count() < a.opt.MinGroup})
		out.Responses += s.Count()
		switch r := s.(type) {
		case nps.Result:
			out.NPS = &r
		case csat.Result:
			out.CSAT = &r
		case ces.Result:
			out.CES = &r
		}
	}
	if g.rtUsed {
		if s, err := g.rt.Result(); err == nil {
			out.Support = &s
			out.Contacts = s.Queries
		}
	}
	out.Volume = out.Responses + out.Contacts + out.Visits
	return out
}

// order returns the touchpoint indices in journey order: by stage, then map order.
func (a *Accumulator) order() []int {
	idx := make([]int, a.nT)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int { return int(a.tpStage[x]) - int(a.tpStage[y]) })
	return idx
}

// personaID names persona index p ("" for no persona).
func (a *Accumulator) personaID(p int) string {
	if p == a.nP-1 {
		return ""
	}
	return a.m.Personas[p].ID
}

func (a *Accumulator) personaLabel(p int) string {
	if p == a.nP-1 {
		return "(no persona)"
	}
	return a.m.Personas[p].Label()
}

// Report analyses the observations added so far with the accumulator's options. An
// accumulator without a map, or with no observation, is an error wrapping ErrEmpty (or
// ErrInvalid for no map). It does not change the accumulator.
func (a *Accumulator) Report() (Report, error) {
	if !a.hasMap {
		return Report{}, errNoMap
	}
	if len(a.custs) == 0 {
		return Report{}, fmt.Errorf("journey: no observations: %w", ErrEmpty)
	}
	o := a.opt
	r := Report{Map: a.m.Name, Confidence: o.Confidence, Correction: o.correction().String(), MinGroup: o.MinGroup,
		Feedback: a.counts[kFeedback], Contacts: a.counts[kContact], Visits: a.counts[kVisit], Outcomes: a.counts[kOutcome],
		Customers: len(a.custs)}
	r.AsOf = o.AsOf
	if r.AsOf.IsZero() {
		r.AsOf = time.Unix(0, a.latest).UTC()
	}
	r.Rejected = slices.Clone(a.rejects)
	slices.SortFunc(r.Rejected, func(x, y Reject) int {
		if x.Reason < y.Reason {
			return -1
		}
		if x.Reason > y.Reason {
			return 1
		}
		return 0
	})
	for _, x := range r.Rejected {
		r.RejectedTotal += x.Count
	}

	reach := a.reach()
	stages := a.m.StageList()
	nS := len(stages)
	// Aggregates.
	tpAgg := make([]*agg, a.nT)
	stAgg := make([]*agg, nS)
	pAgg := make([]*agg, a.nP)
	all := a.newAgg()
	for s := range stAgg {
		stAgg[s] = a.newAgg()
	}
	for p := range pAgg {
		pAgg[p] = a.newAgg()
	}
	for t := 0; t < a.nT; t++ {
		tpAgg[t] = a.newAgg()
		for p := 0; p < a.nP; p++ {
			c := &a.cells[t*a.nP+p]
			tpAgg[t].add(c, true)
			stAgg[a.tpStage[t]].add(c, true)
			pAgg[p].add(c, true)
			all.add(c, true)
		}
	}
	r.Overall = a.group(all, len(a.custs), reach.convertedAll)
	r.Overall.Label = "journey"
	order := a.order()
	for _, t := range order {
		g := a.group(tpAgg[t], reach.tp[t], reach.tpConv[t])
		tp := a.m.Touchpoints[t]
		g.Touchpoint, g.Stage, g.Label = tp.ID, tp.Stage, tp.Label()
		r.Touchpoints = append(r.Touchpoints, g)
	}
	for s := range stAgg {
		g := a.group(stAgg[s], reach.st[s], reach.stConv[s])
		g.Stage, g.Label = stages[s], string(stages[s])
		r.Stages = append(r.Stages, g)
	}
	for p := range pAgg {
		if reach.p[p] == 0 {
			continue
		}
		g := a.group(pAgg[p], reach.p[p], reach.pConv[p])
		g.Persona, g.Label = a.personaID(p), a.personaLabel(p)
		r.Personas = append(r.Personas, g)
	}
	for p := 0; p < a.nP; p++ {
		for _, t := range order {
			k := t*a.nP + p
			if reach.pt[k] == 0 {
				continue
			}
			ag := a.newAgg()
			ag.add(&a.cells[k], true)
			g := a.group(ag, reach.pt[k], reach.ptConv[k])
			tp := a.m.Touchpoints[t]
			g.Touchpoint, g.Stage, g.Persona = tp.ID, tp.Stage, a.personaID(p)
			g.Label = a.personaLabel(p) + " × " + tp.Label()
			r.PersonaTouchpoints = append(r.PersonaTouchpoints, g)
		}
	}
	r.Emotion = a.emotion(r.Touchpoints)
	a.keyDrivers(&r, order)
	if err := a.painPoints(&r, tpAgg, order); err != nil {
		return Report{}, err
	}
	if err := a.personaDifferences(&r, order); err != nil {
		return Report{}, err
	}
	return r, nil
}

// reachCounts are the distinct customers per group.
type reachCounts struct {
	tp, tpConv, st, stConv, p, pConv, pt, ptConv []int
	convertedAll                                 int
}

// reach counts distinct customers per group with per-group stamps (no per-customer sets).
func (a *Accumulator) reach() reachCounts {
	nS := len(a.m.StageList())
	rc := reachCounts{tp: make([]int, a.nT), tpConv: make([]int, a.nT), st: make([]int, nS), stConv: make([]int, nS),
		p: make([]int, a.nP), pConv: make([]int, a.nP), pt: make([]int, a.nT*a.nP), ptConv: make([]int, a.nT*a.nP)}
	stampT := make([]int32, a.nT)
	stampS := make([]int32, nS)
	stampP := make([]int32, a.nP)
	for i := range stampT {
		stampT[i] = -1
	}
	for i := range stampS {
		stampS[i] = -1
	}
	for i := range stampP {
		stampP[i] = -1
	}
	for ci := range a.custs {
		c := &a.custs[ci]
		conv := 0
		if c.converted != 0 {
			conv = 1
			rc.convertedAll++
		}
		id := int32(ci)
		for j := c.head; j >= 0; j = a.links.at(j).next {
			l := a.links.at(j)
			k := int(l.tp)*a.nP + int(l.persona)
			rc.pt[k]++ // links are unique per (tp, persona)
			rc.ptConv[k] += conv
			if stampT[l.tp] != id {
				stampT[l.tp] = id
				rc.tp[l.tp]++
				rc.tpConv[l.tp] += conv
			}
			if s := a.tpStage[l.tp]; stampS[s] != id {
				stampS[s] = id
				rc.st[s]++
				rc.stConv[s] += conv
			}
			if stampP[l.persona] != id {
				stampP[l.persona] = id
				rc.p[l.persona]++
				rc.pConv[l.persona] += conv
			}
		}
	}
	return rc
}

// EmotionPoint is one touchpoint on the emotion curve. Each metric's headline score h, with
// bounds lo..hi (NPS −100..100, CSAT and CES 0..100), maps linearly onto the common 0..100
// experience scale as 100·(h − lo)/(hi − lo): NPS −100 → 0, NPS 0 → 50, NPS +100 → 100; a
// CSAT or CES score keeps its value. A touchpoint measured by several metrics gets their
// mean weighted by the Kish effective sample sizes, with the standard error of that weighted
// mean of independent estimates. Mermaid's 1-5 task score is 1 + round(Value/25).
type EmotionPoint struct {
	Touchpoint string         `json:"touchpoint"`
	Stage      Stage          `json:"stage"`
	Label      string         `json:"label"`
	Value      float64        `json:"value"`    // 0..100; NaN-free: see HasData
	StdErr     float64        `json:"std_err"`  // standard error of Value
	Interval   cxkit.Interval `json:"interval"` // Value ± z·StdErr, clipped to 0..100
	Mermaid    int            `json:"mermaid"`  // 1..5; 3 (neutral) when there is no feedback
	Responses  int            `json:"responses"`
	HasData    bool           `json:"has_data"` // false: no feedback at the touchpoint (Value 50, Mermaid 3)
	Small      bool           `json:"small"`    // fewer than MinGroup responses
}

// experience maps a Score onto 0..100, with its standard error.
func experience(lo, hi, h, se float64) (float64, float64) {
	return 100 * (h - lo) / (hi - lo), 100 * se / (hi - lo)
}

func (a *Accumulator) emotion(tps []Group) []EmotionPoint {
	z := distuv.UnitNormal.Quantile(0.5 + a.opt.Confidence/2)
	out := make([]EmotionPoint, 0, len(tps))
	for _, g := range tps {
		e := EmotionPoint{Touchpoint: g.Touchpoint, Stage: g.Stage, Label: g.Label, Value: 50, Mermaid: 3, Responses: g.Responses,
			Small: g.Responses < a.opt.MinGroup}
		var sw, sv, sse float64
		for _, s := range scoredOf(g) {
			lo, hi := s.Bounds()
			v, se := experience(lo, hi, s.Headline(), s.StandardError())
			w := s.Effective()
			sw += w
			sv += w * v
			sse += w * w * se * se
		}
		if sw > 0 {
			e.HasData = true
			e.Value = sv / sw
			e.StdErr = math.Sqrt(sse) / sw
			e.Mermaid = 1 + int(math.Round(e.Value/25))
		}
		e.Interval = cxkit.Interval{Lower: math.Max(0, e.Value-z*e.StdErr), Upper: math.Min(100, e.Value+z*e.StdErr), Confidence: a.opt.Confidence}
		out = append(out, e)
	}
	return out
}

// scoredOf lists the group's results through the cxkit.Scored view.
func scoredOf(g Group) []cxkit.Scored {
	var s []cxkit.Scored
	if g.NPS != nil {
		s = append(s, *g.NPS)
	}
	if g.CSAT != nil {
		s = append(s, *g.CSAT)
	}
	if g.CES != nil {
		s = append(s, *g.CES)
	}
	return s
}

// PersonaDifference is one persona's score at a touchpoint against the other respondents
// there (the other personas and those with none), with the metric package's comparison and
// the p-value corrected across every persona × touchpoint × metric comparison tested. Both
// sides need MinGroup answers; a comparison without a standard error (both sides unanimous)
// is not tested and not listed.
type PersonaDifference struct {
	Touchpoint  string           `json:"touchpoint"`
	Persona     string           `json:"persona"`
	Metric      Metric           `json:"metric"`
	Score       float64          `json:"score"`
	Others      float64          `json:"others"`
	Comparison  cxkit.Comparison `json:"comparison"` // persona − others
	AdjustedP   float64          `json:"adjusted_p"`
	Significant bool             `json:"significant"` // AdjustedP < Alpha
}

func (a *Accumulator) personaDifferences(r *Report, order []int) error {
	var diffs []PersonaDifference
	var ps []float64
	for _, t := range order {
		for p := 0; p < a.nP-1; p++ {
			mine, rest := a.newAgg(), a.newAgg()
			for q := 0; q < a.nP; q++ {
				if q == p {
					mine.add(&a.cells[t*a.nP+q], false)
				} else {
					rest.add(&a.cells[t*a.nP+q], false)
				}
			}
			for _, m := range metrics {
				x, y := mine.scored(m), rest.scored(m)
				if x == nil || y == nil || x.Count() < a.opt.MinGroup || y.Count() < a.opt.MinGroup {
					continue
				}
				c, err := compare(x, y)
				if err != nil || !testable(c) {
					continue // an undefined comparison (no variance on either side) is not tested
				}
				diffs = append(diffs, PersonaDifference{Touchpoint: a.m.Touchpoints[t].ID, Persona: a.personaID(p), Metric: m,
					Score: x.Headline(), Others: y.Headline(), Comparison: c})
				ps = append(ps, c.P)
			}
		}
	}
	adj, err := cxkit.Adjust(ps, a.opt.correction())
	if err != nil {
		return err
	}
	for i := range diffs {
		diffs[i].AdjustedP = adj[i]
		diffs[i].Significant = adj[i] < a.opt.Alpha
	}
	r.PersonaDifferences = diffs
	return nil
}

// testable reports whether a comparison is defined: a positive, finite standard error. Two
// unanimous groups have none, and their difference is reported but not tested.
func testable(c cxkit.Comparison) bool {
	return c.StdErr > 0 && !math.IsInf(c.Z, 0) && !math.IsNaN(c.P)
}
