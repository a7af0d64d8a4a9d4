package journey

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/ces"
	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/nps"
	"github.com/cxkit/cxkit/responsetime"
)

var _ cxkit.Accumulator[Observation, Report, *Accumulator] = (*Accumulator)(nil)

// Accumulator gathers the observations of one journey map — feedback, support contacts,
// visits and outcomes — and reads them out as a [Report]. It keeps, for every touchpoint ×
// persona cell, an nps.Tally, a csat.Tally, a ces.Tally, a responsetime.Tracker and a visit
// count, from which touchpoint, stage and persona figures are merged exactly; and, for every
// customer, what the reach, key-driver and retention analyses need (first and last time seen,
// outcomes, the mean likelihood-to-recommend, and per touchpoint the mean experience and
// whether it was bad). Its memory grows with customers × touchpoints they touched, not with
// observations.
//
// Build one with [NewAccumulator]. The zero Accumulator holds no map: Add refuses, and the
// first accumulator merged into it (or decoded into it) gives it its map and options — which
// is what a distributed engine's combiner does. Not safe for concurrent use: give each
// goroutine its own and Merge them.
type Accumulator struct {
	opt    Options // resolved
	m      Map
	hasMap bool
	key    string // canonical encoding of the map and counting options, for Merge

	tpIndex map[string]int32
	pIndex  map[string]int32
	tpStage []int32 // stage index per touchpoint
	nT, nP  int     // touchpoints; personas + 1 (the last is "no persona")

	cells       []cell // nT × nP, touchpoint-major
	custIdx     map[string]int32
	custs       []customer
	lastPersona string // the last persona looked up, and its index
	lastP       int32
	lastCust    int32 // index of the last customer looked up: streams sorted by customer skip the map
	links       arena

	counts  [4]int               // observations added, by kind (feedback, contact, visit, outcome)
	exp     [2][101]experienceOf // CSAT, CES: per raw rating, from the scales
	rejects []Reject
	latest  int64 // latest time seen (Unix ns), 0 if none
}

// cell is the tally of one touchpoint × persona.
type cell struct {
	nps    nps.Tally
	csat   csat.Tally
	ces    ces.Tally
	rt     responsetime.Tracker
	visits int
}

// customer is what the accumulator keeps of one customer.
type customer struct {
	id                 string
	first, last        int64 // Unix ns of the first and last observation
	converted, churned int64 // Unix ns of the earliest outcome of each kind, 0 if none
	ySum, yN           float64
	head               int32 // first link, -1 if none
	nlinks             int32
}

// link is one customer's record at one touchpoint under one persona.
type link struct {
	tp, persona int32
	next        int32
	xSum, xN    float64 // experience (0..1) of CSAT and CES answers
	rated       bool    // the customer gave feedback here (any metric)
	bad         bool    // a bad experience: an NPS detractor, a CSAT answer not satisfied, a hard CES answer
}

// experienceOf is what a CSAT or CES rating means for the key drivers (x, on 0..1, ease
// oriented) and the churn lift (bad).
type experienceOf struct {
	x   float64
	bad bool
}

// Reject counts the observations of one reason that were skipped (Options.SkipInvalid).
type Reject struct {
	Reason  string `json:"reason"`  // e.g. "feedback: unknown touchpoint"
	Count   int    `json:"count"`   // how many observations
	Example string `json:"example"` // the first one and its error
}

// Observation kinds, as indices of Accumulator.counts.
const (
	kFeedback = iota
	kContact
	kVisit
	kOutcome
)

var kindNames = [...]string{"feedback", "contact", "visit", "outcome"}

// NewAccumulator returns an empty accumulator for map m, which must validate, with the given
// options (see [Options]; invalid options are an error naming the field).
func NewAccumulator(m Map, opt Options) (*Accumulator, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	o, err := opt.resolved()
	if err != nil {
		return nil, err
	}
	a := &Accumulator{}
	a.init(m.clone(), o)
	return a, nil
}

// init sets the map and options of an empty accumulator and allocates its cells.
func (a *Accumulator) init(m Map, o Options) {
	a.m, a.opt, a.hasMap = m, o, true
	a.nT, a.nP = len(m.Touchpoints), len(m.Personas)+1
	a.tpIndex = make(map[string]int32, a.nT)
	a.tpStage = make([]int32, a.nT)
	stageIdx := map[Stage]int32{}
	for i, s := range m.StageList() {
		stageIdx[s] = int32(i)
	}
	for i, t := range m.Touchpoints {
		a.tpIndex[t.ID] = int32(i)
		a.tpStage[i] = stageIdx[t.Stage]
	}
	a.pIndex = make(map[string]int32, a.nP)
	for i, p := range m.Personas {
		a.pIndex[p.ID] = int32(i)
	}
	a.cells = make([]cell, a.nT*a.nP)
	for i := range a.cells {
		c := &a.cells[i]
		c.csat, _ = csat.NewTally(o.CSATScale)
		c.ces, _ = ces.NewTally(o.CESScale)
		c.rt.Calendar = o.Calendar
	}
	a.custIdx = map[string]int32{}
	a.key = compatKey(m, o)
	cs, es := o.CSATScale, o.CESScale
	for r := cs.Min; r <= cs.Max; r++ {
		a.exp[0][r] = experienceOf{x: float64(r-cs.Min) / float64(cs.Max-cs.Min), bad: !cs.Satisfied(r)}
	}
	for r := es.Min; r <= es.Max; r++ {
		a.exp[1][r] = experienceOf{x: float64(es.Ease(r)-es.Min) / float64(es.Max-es.Min), bad: es.Hard(r) || (es.HardBoxes == 0 && !es.Easy(r))}
	}
}

// compatKey is the canonical encoding of what two accumulators must share to merge.
func compatKey(m Map, o Options) string {
	b, _ := json.Marshal(struct {
		M Map        `json:"m"`
		C csat.Scale `json:"c"`
		E ces.Scale  `json:"e"`
	}{m, o.CSATScale, o.CESScale})
	return string(b)
}

// Map returns a copy of the accumulator's journey map (the zero Map if it has none).
func (a *Accumulator) Map() Map { return a.m.clone() }

// Options returns the accumulator's options with their defaults filled in.
func (a *Accumulator) Options() Options { return a.opt }

// SetOptions changes the report options (MinGroup, Confidence, Alpha, FDR, Thresholds, AsOf,
// Horizon, MaxDrivers, Calendar for contacts added from now on). The counting options
// (the scales, SkipInvalid) cannot change: a different value is an error wrapping
// ErrIncompatible.
func (a *Accumulator) SetOptions(opt Options) error {
	if !a.hasMap {
		return fmt.Errorf("journey: accumulator has no map: %w", ErrInvalid)
	}
	o, err := opt.resolved()
	if err != nil {
		return err
	}
	if o.CSATScale != a.opt.CSATScale || o.CESScale != a.opt.CESScale || o.SkipInvalid != a.opt.SkipInvalid {
		return fmt.Errorf("journey: the scales and SkipInvalid of an accumulator are fixed: %w", ErrIncompatible)
	}
	a.opt = o
	for i := range a.cells {
		a.cells[i].rt.Calendar = o.Calendar
	}
	return nil
}

// Counts returns how many observations of each kind were added (rejected ones excluded).
func (a *Accumulator) Counts() (feedback, contacts, visits, outcomes int) {
	return a.counts[kFeedback], a.counts[kContact], a.counts[kVisit], a.counts[kOutcome]
}

// Add adds one observation of any kind (exactly one field of o set), as AddFeedback,
// AddContact, AddVisit or AddOutcome do. An Observation with none or several fields set is an
// error wrapping ErrInvalid (or, with SkipInvalid, a reject).
func (a *Accumulator) Add(o Observation) error {
	switch o.kind() {
	case "feedback":
		return a.AddFeedback(*o.Feedback)
	case "contact":
		return a.AddContact(*o.Contact)
	case "visit":
		return a.AddVisit(*o.Visit)
	case "outcome":
		return a.AddOutcome(*o.Outcome)
	}
	if !a.hasMap {
		return errNoMap
	}
	return a.reject("observation: not exactly one kind", o.String(),
		fmt.Errorf("journey: observation must set exactly one of Feedback, Contact, Visit, Outcome: %w", ErrInvalid))
}

var errNoMap = fmt.Errorf("journey: accumulator has no map (use NewAccumulator): %w", ErrInvalid)

// reject returns err, or with SkipInvalid counts it under reason and returns nil.
func (a *Accumulator) reject(reason, example string, err error) error {
	if !a.opt.SkipInvalid {
		return err
	}
	for i := range a.rejects {
		if a.rejects[i].Reason == reason {
			a.rejects[i].Count++
			return nil
		}
	}
	a.rejects = append(a.rejects, Reject{Reason: reason, Count: 1, Example: example + ": " + err.Error()})
	return nil
}

// locate resolves the common fields of an observation of kind k; on failure it returns the
// reject reason and the error.
func (a *Accumulator) locate(k int, customer, persona, touchpoint string, t time.Time) (tp, p int32, reason string, err error) {
	where := func() string {
		return fmt.Sprintf("journey: %s %d (customer %q, touchpoint %q)", kindNames[k], a.counts[k], customer, touchpoint)
	}
	if customer == "" {
		return 0, 0, kindNames[k] + ": empty customer", fmt.Errorf("%s: empty customer: %w", where(), ErrInvalid)
	}
	if t.IsZero() {
		return 0, 0, kindNames[k] + ": zero time", fmt.Errorf("%s: zero time: %w", where(), ErrInvalid)
	}
	tp, ok := a.tpIndex[touchpoint]
	if !ok {
		return 0, 0, kindNames[k] + ": unknown touchpoint", fmt.Errorf("%s: the map has no touchpoint %q: %w", where(), touchpoint, ErrUnknown)
	}
	p = int32(a.nP - 1)
	if persona != "" && persona == a.lastPersona {
		p = a.lastP
	} else if persona != "" {
		if p, ok = a.pIndex[persona]; !ok {
			return 0, 0, kindNames[k] + ": unknown persona", fmt.Errorf("%s: the map has no persona %q: %w", where(), persona, ErrUnknown)
		}
		a.lastPersona, a.lastP = persona, p
	}
	return tp, p, "", nil
}

// AddFeedback adds one survey answer. An empty customer, a zero time, an unknown touchpoint
// or persona, an unknown metric, a rating off the metric's scale or a bad weight is an error
// naming the observation (wrapping ErrInvalid, ErrUnknown or ErrOutOfRange) that leaves the
// accumulator unchanged — or, with SkipInvalid, a counted reject.
func (a *Accumulator) AddFeedback(f Feedback) error {
	if !a.hasMap {
		return errNoMap
	}
	tp, p, reason, err := a.locate(kFeedback, f.Customer, f.Persona, f.Touchpoint, f.Time)
	if err == nil {
		reason, err = a.count(tp, p, &f)
	}
	if err != nil {
		return a.reject(reason, describeFeedback(f), err)
	}
	a.counts[kFeedback]++
	c := a.customer(f.Customer, f.Time)
	l := a.link(c, tp, p)
	l.rated = true
	switch f.Metric {
	case NPS:
		c.ySum += float64(f.Rating)
		c.yN++
		if f.Rating <= 6 {
			l.bad = true
		}
	default: // CSAT or CES: the rating was checked by the tally
		e := &a.exp[f.Metric-CSAT][f.Rating]
		l.xSum += e.x
		l.xN++
		l.bad = l.bad || e.bad
	}
	return nil
}

// count adds the feedback's rating to its cell's tally, which checks rating and weight.
func (a *Accumulator) count(tp, p int32, f *Feedback) (string, error) {
	w := f.Weight
	if w == 0 {
		w = 1
	}
	c := &a.cells[int(tp)*a.nP+int(p)]
	var err error
	switch f.Metric {
	case NPS:
		err = c.nps.AddWeighted(f.Rating, w)
	case CSAT:
		err = c.csat.AddWeighted(f.Rating, w)
	case CES:
		err = c.ces.AddWeighted(f.Rating, w)
	default:
		return "feedback: unknown metric", fmt.Errorf("journey: feedback %d (customer %q, touchpoint %q): metric %d is not NPS, CSAT or CES: %w",
			a.counts[kFeedback], f.Customer, f.Touchpoint, uint8(f.Metric), ErrInvalid)
	}
	if err != nil {
		reason := "feedback: rating off its scale"
		if f.Weight != 0 && (math.IsNaN(f.Weight) || math.IsInf(f.Weight, 0) || f.Weight < 0) {
			reason = "feedback: bad weight"
		}
		return reason, fmt.Errorf("journey: feedback %d (customer %q, touchpoint %q): %w", a.counts[kFeedback], f.Customer, f.Touchpoint, err)
	}
	return "", nil
}

// AddContact adds one support contact; its time is Query.Received. The query is checked as
// responsetime.Tracker checks it; an invalid query, an empty customer, an unknown touchpoint
// or persona is an error naming the contact (or, with SkipInvalid, a counted reject).
func (a *Accumulator) AddContact(c Contact) error {
	if !a.hasMap {
		return errNoMap
	}
	tp, p, reason, err := a.locate(kContact, c.Customer, c.Persona, c.Touchpoint, c.Query.Received)
	if err == nil {
		if e := a.cells[int(tp)*a.nP+int(p)].rt.Add(c.Query); e != nil {
			reason = "contact: invalid query"
			err = fmt.Errorf("journey: contact %d (customer %q, touchpoint %q): %w", a.counts[kContact], c.Customer, c.Touchpoint, e)
		}
	}
	if err != nil {
		return a.reject(reason, describeContact(c), err)
	}
	a.counts[kContact]++
	cu := a.customer(c.Customer, c.Query.Received)
	a.link(cu, tp, p)
	return nil
}

// AddVisit adds one visit. An empty customer, a zero time, an unknown touchpoint or persona is
// an error naming the visit (or, with SkipInvalid, a counted reject).
func (a *Accumulator) AddVisit(v Visit) error {
	if !a.hasMap {
		return errNoMap
	}
	tp, p, reason, err := a.locate(kVisit, v.Customer, v.Persona, v.Touchpoint, v.Time)
	if err != nil {
		return a.reject(reason, describeVisit(v), err)
	}
	a.counts[kVisit]++
	a.cells[int(tp)*a.nP+int(p)].visits++
	a.link(a.customer(v.Customer, v.Time), tp, p)
	return nil
}

// AddOutcome records a conversion or a churn. An empty customer, a zero time or an unknown
// kind is an error naming the outcome (or, with SkipInvalid, a counted reject). A customer's
// earliest outcome of each kind counts; the outcome also counts as an observation time of the
// customer.
func (a *Accumulator) AddOutcome(o Outcome) error {
	if !a.hasMap {
		return errNoMap
	}
	var reason string
	var err error
	where := fmt.Sprintf("journey: outcome %d (customer %q)", a.counts[kOutcome], o.Customer)
	switch {
	case o.Customer == "":
		reason, err = "outcome: empty customer", fmt.Errorf("%s: empty customer: %w", where, ErrInvalid)
	case o.Time.IsZero():
		reason, err = "outcome: zero time", fmt.Errorf("%s: zero time: %w", where, ErrInvalid)
	case o.Kind != Converted && o.Kind != Churned:
		reason, err = "outcome: unknown kind", fmt.Errorf("%s: kind %d is not Converted or Churned: %w", where, uint8(o.Kind), ErrInvalid)
	}
	if err != nil {
		return a.reject(reason, describeOutcome(o), err)
	}
	a.counts[kOutcome]++
	c := a.customer(o.Customer, o.Time)
	t := o.Time.UnixNano()
	dst := &c.converted
	if o.Kind == Churned {
		dst = &c.churned
	}
	if *dst == 0 || t < *dst {
		*dst = t
	}
	return nil
}

// customer returns the record of id, creating it, and notes an observation at t.
func (a *Accumulator) customer(id string, t time.Time) *customer {
	ns := t.UnixNano()
	if ns == 0 {
		ns = 1 // 0 means "none"; one nanosecond off the epoch is immaterial
	}
	i := a.lastCust
	if len(a.custs) == 0 || a.custs[i].id != id {
		var ok bool
		if i, ok = a.custIdx[id]; !ok {
			i = int32(len(a.custs))
			a.custIdx[id] = i
			a.custs = append(a.custs, customer{id: id, first: ns, last: ns, head: -1})
		}
		a.lastCust = i
	}
	c := &a.custs[i]
	c.first, c.last = min(c.first, ns), max(c.last, ns)
	if ns > a.latest {
		a.latest = ns
	}
	return c
}

// link returns c's record at touchpoint tp under persona p, creating it.
func (a *Accumulator) link(c *customer, tp, p int32) *link {
	for j := c.head; j >= 0; j = a.links.at(j).next {
		if l := a.links.at(j); l.tp == tp && l.persona == p {
			return l
		}
	}
	c.head = a.links.add(link{tp: tp, persona: p, next: c.head})
	c.nlinks++
	return a.links.at(c.head)
}

// Merge adds o's content to a. Accumulators over different maps or scales do not merge: that
// is an error wrapping ErrIncompatible and a is unchanged. A zero a takes o's map and options;
// otherwise a keeps its own report options. A nil or zero o is a no-op. Merging any split of
// the observations, in any order, gives the report of one pass (sums of weights up to
// floating-point rounding; response-time percentiles within the DDSketch guarantee).
func (a *Accumulator) Merge(o *Accumulator) error {
	if o == nil || !o.hasMap {
		return nil
	}
	if !a.hasMap {
		a.init(o.m.clone(), o.opt)
	} else if a.key != o.key {
		return fmt.Errorf("journey: cannot merge an accumulator of map %q into one of map %q (different map or scales): %w", o.m.Name, a.m.Name, ErrIncompatible)
	}
	// Check that every cell merges before changing anything: the survey tallies by a trial
	// merge of a copy, the trackers (other calendar, counts above 2^53) by merging o's into an
	// empty tracker on a's calendar and checking the counts.
	for i := range a.cells {
		c, d := &a.cells[i], &o.cells[i]
		x, y, z := c.nps, c.csat, c.ces
		err := errors.Join(x.Merge(&d.nps), y.Merge(&d.csat), z.Merge(&d.ces))
		if err == nil {
			if s, e := d.rt.Result(); e == nil && s.Queries > 0 {
				probe := responsetime.Tracker{Calendar: c.rt.Calendar}
				if e := probe.Merge(&d.rt); e != nil {
					err = e
				} else if r, e := c.rt.Result(); e == nil && r.Queries > 1<<53-s.Queries {
					err = fmt.Errorf("journey: merged contacts would exceed 2^53: %w", ErrOutOfRange)
				}
			}
		}
		if err != nil {
			tp := a.m.Touchpoints[i/a.nP].ID
			return fmt.Errorf("journey: cannot merge touchpoint %q (persona %q): %w", tp, a.personaID(i%a.nP), err)
		}
	}
	for i := range a.cells {
		c, d := &a.cells[i], &o.cells[i]
		// Checked above: these cannot fail.
		_ = c.nps.Merge(&d.nps)
		_ = c.csat.Merge(&d.csat)
		_ = c.ces.Merge(&d.ces)
		_ = c.rt.Merge(&d.rt)
		c.visits += d.visits
	}
	for _, oc := range o.custs {
		i, ok := a.custIdx[oc.id]
		if !ok {
			i = int32(len(a.custs))
			a.custIdx[oc.id] = i
			a.custs = append(a.custs, customer{id: oc.id, first: oc.first, last: oc.last, head: -1})
		}
		c := &a.custs[i]
		c.first, c.last = min(c.first, oc.first), max(c.last, oc.last)
		c.converted = minSet(c.converted, oc.converted)
		c.churned = minSet(c.churned, oc.churned)
		c.ySum += oc.ySum
		c.yN += oc.yN
		for j := oc.head; j >= 0; j = o.links.at(j).next {
			ol := *o.links.at(j)
			l := a.link(c, ol.tp, ol.persona)
			l.xSum += ol.xSum
			l.xN += ol.xN
			l.bad = l.bad || ol.bad
			l.rated = l.rated || ol.rated
		}
	}
	for k := range a.counts {
		a.counts[k] += o.counts[k]
	}
	for _, r := range o.rejects {
		found := false
		for i := range a.rejects {
			if a.rejects[i].Reason == r.Reason {
				a.rejects[i].Count += r.Count
				found = true
				break
			}
		}
		if !found {
			a.rejects = append(a.rejects, r)
		}
	}
	a.latest = max(a.latest, o.latest)
	return nil
}

// minSet is the smaller of two times where 0 means unset.
func minSet(a, b int64) int64 {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return min(a, b)
}

// Result is Report with the accumulator's options.
func (a *Accumulator) Result() (Report, error) { return a.Report() }

// Analyze is the one-call form: it accumulates the observations on map m with the options
// and returns the report. The first bad observation is an error naming it (its kind and index
// in obs), unless opt.SkipInvalid counts it instead.
func Analyze(m Map, obs []Observation, opt Options) (Report, error) {
	a, err := NewAccumulator(m, opt)
	if err != nil {
		return Report{}, err
	}
	for i, o := range obs {
		if err := a.Add(o); err != nil {
			return Report{}, fmt.Errorf("journey: observation %d: %w", i, err)
		}
	}
	return a.Report()
}

// The describe functions copy the observation so that only the error path allocates.
func describeFeedback(f Feedback) string { return Observation{Feedback: &f}.String() }
func describeContact(c Contact) string   { return Observation{Contact: &c}.String() }
func describeVisit(v Visit) string       { return Observation{Visit: &v}.String() }
func describeOutcome(o Outcome) string   { return Observation{Outcome: &o}.String() }

// arena holds the links in fixed pages, so that growing it never copies what it holds.
type arena struct {
	pages [][]link
	n     int32
}

const pageBits = 14

func (r *arena) at(j int32) *link { return &r.pages[j>>pageBits][j&(1<<pageBits-1)] }

// add appends l and returns its index.
func (r *arena) add(l link) int32 {
	if int(r.n)>>pageBits == len(r.pages) {
		r.pages = append(r.pages, make([]link, 1<<pageBits))
	}
	j := r.n
	*r.at(j) = l
	r.n++
	return j
}
