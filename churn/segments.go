package churn

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/keyorder"
)

// SegmentOptions are the settings of a segment report ([BySegment], [BySubscriptionSegment],
// [SegmentTally.Report]). The zero value flags segments of fewer than 30 subjects or 10 churn
// events as small and reports no pairwise tests.
type SegmentOptions struct {
	// MinSubjects and MinEvents flag a segment as Small when its (weighted) number of subjects
	// or of churn events is below them; 0 means 30 subjects and 10 events. A small segment is
	// still reported and takes part in the tests, but its curve and median are imprecise and
	// it should not be ranked. Negative or non-finite values are ErrOutOfRange.
	MinSubjects, MinEvents float64
	// Pairwise adds the log-rank test of every pair of segments, k(k−1)/2 tests for k segments,
	// with p-values adjusted for multiple comparisons by Correction.
	Pairwise bool
	// Correction is the adjustment of the pairwise p-values (cxkit.Adjust). The zero value,
	// cxkit.NoCorrection, means cxkit.Holm, the default of every cxkit report of a family of
	// comparisons; the unadjusted p-values are always in each pair's LogRank.P. Use
	// cxkit.BenjaminiHochberg to control the false discovery rate over many segments.
	Correction cxkit.Correction
}

// Defaults of SegmentOptions.
const (
	defaultMinSubjects = 30
	defaultMinEvents   = 10
)

// resolve checks the options and fills in the defaults.
func (o SegmentOptions) resolve() (SegmentOptions, error) {
	for _, v := range []struct {
		name string
		x    float64
	}{{"MinSubjects", o.MinSubjects}, {"MinEvents", o.MinEvents}} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) || v.x < 0 {
			return o, fmt.Errorf("churn: segment option %s = %v must be finite and ≥ 0: %w", v.name, v.x, ErrOutOfRange)
		}
	}
	if o.MinSubjects == 0 {
		o.MinSubjects = defaultMinSubjects
	}
	if o.MinEvents == 0 {
		o.MinEvents = defaultMinEvents
	}
	switch o.Correction {
	case cxkit.NoCorrection:
		o.Correction = cxkit.Holm
	case cxkit.Holm, cxkit.BenjaminiHochberg:
	default:
		return o, fmt.Errorf("churn: unknown correction %v: %w", o.Correction, ErrInvalid)
	}
	return o, nil
}

// SegmentReport is the survival of customers broken down by segment (plan, persona, region,
// acquisition channel): one Kaplan–Meier curve per segment, the log-rank test that all
// segments churn alike, and optionally every pair of segments compared.
type SegmentReport[K comparable] struct {
	// Segments holds one entry per segment in a deterministic order: ascending for keys whose
	// underlying type is an integer, float or string, chronological for keys with a
	// Compare(K) int method (time.Time), and otherwise by the keys' printed form (fmt's %v).
	// Sort it with slices.SortFunc for another order.
	Segments []Segment[K] `json:"segments"`
	// All is the Kaplan–Meier curve of all subjects pooled.
	All Curve `json:"all"`
	// LogRank is the k-group log-rank test across all segments (R survdiff, rho = 0): χ² with
	// k − 1 degrees of freedom when every segment has customers at risk at some churn time.
	// Nil when there are fewer than two segments, no churn event in any, or the test has no
	// variance (see LogRankTest).
	LogRank *LogRank `json:"log_rank,omitempty"`
	// Pairs holds, when SegmentOptions.Pairwise is set, the comparison of every pair of
	// segments (a before b in the order of Segments), in the order (0,1), (0,2), … (1,2), ….
	Pairs []SegmentPair[K] `json:"pairs,omitempty"`
	// Correction is the adjustment applied to the pairs' p-values.
	Correction cxkit.Correction `json:"correction"`
}

// Segment is the survival of one segment's customers.
type Segment[K comparable] struct {
	// Key is the segment.
	Key K `json:"key"`
	// Curve is the Kaplan–Meier curve of the segment's subjects, the same as KaplanMeier on
	// them (its Subjects and Events are the segment's weighted counts; Curve.Median its median
	// lifetime).
	Curve Curve `json:"curve"`
	// Small is true when the segment has fewer subjects or churn events than the options'
	// MinSubjects or MinEvents.
	Small bool `json:"small"`
	// Observed and Expected are the segment's churn events and the number expected if all
	// segments churned alike, from the k-group log-rank test; both 0 when LogRank is nil.
	// Observed above Expected means the segment churns faster than the others.
	Observed float64 `json:"observed"`
	Expected float64 `json:"expected"`
	// Rates and Cohorts are the segment's churn rates per period and cohort retention table;
	// only BySubscriptionSegment computes them, when asked (nil otherwise).
	Rates   []PeriodRates `json:"rates,omitempty"`
	Cohorts *CohortMatrix `json:"cohorts,omitempty"`
}

// SegmentPair is the log-rank comparison of two segments.
type SegmentPair[K comparable] struct {
	A K `json:"a"`
	B K `json:"b"`
	// LogRank is the two-group log-rank test of A against B (1 degree of freedom); its P is
	// not adjusted. Nil when the test is undefined: neither segment has a churn event, or
	// there is no variance.
	LogRank *LogRank `json:"log_rank,omitempty"`
	// AdjustedP is LogRank.P adjusted by the report's correction over the family of all
	// defined pairs; nil when LogRank is. Judge significance on it.
	AdjustedP *float64 `json:"adjusted_p,omitempty"`
}

// BySegment breaks a survival analysis down by segment in one call: the subjects are grouped
// by key(i), the segment of subjects[i] (a plan, persona or region; any comparable type), and
// each segment gets its Kaplan–Meier curve, with the k-group log-rank test across segments and,
// if opt.Pairwise, the log-rank test of every pair with adjusted p-values. Segments are small
// when below opt.MinSubjects or opt.MinEvents. See SegmentReport for the order of segments.
//
// The cost is that of KaplanMeier on all subjects (one linear pass per segment and one for the
// pooled curve) plus, with Pairwise, one two-group test per pair.
//
// Errors: no subjects (ErrEmpty); a nil key function (ErrInvalid); an invalid subject (an error
// naming its segment and index, wrapping ErrOutOfRange); invalid options; a total weight above
// MaxTotalWeight (ErrOutOfRange).
func BySegment[K comparable](subjects []Subject, key func(i int) K, opt SegmentOptions) (SegmentReport[K], error) {
	if len(subjects) == 0 {
		return SegmentReport[K]{}, fmt.Errorf("churn: no subjects: %w", ErrEmpty)
	}
	if key == nil {
		return SegmentReport[K]{}, fmt.Errorf("churn: nil segment key function: %w", ErrInvalid)
	}
	opt, err := opt.resolve()
	if err != nil {
		return SegmentReport[K]{}, err
	}
	for i, sj := range subjects {
		if err := sj.Validate(); err != nil {
			return SegmentReport[K]{}, fmt.Errorf("churn: segment %v: subject %d: %w", key(i), i, err)
		}
	}
	keys, index := partition(len(subjects), key)
	tabs := make([]table, len(keys))
	buf := make([]Subject, 0, len(subjects))
	for g, idx := range index {
		buf = buf[:0]
		for _, i := range idx {
			buf = append(buf, subjects[i])
		}
		tb, err := tableOf(buf)
		if err != nil {
			return SegmentReport[K]{}, fmt.Errorf("segment %v: %w", keys[g], err)
		}
		tabs[g] = tb
	}
	all, err := tableOf(subjects)
	if err != nil {
		return SegmentReport[K]{}, err
	}
	return segmentReport(keys, tabs, all, opt)
}

// partition groups the indices 0..n−1 by key, the groups in the order of the keys.
func partition[K comparable](n int, key func(i int) K) ([]K, [][]int) {
	pos := map[K]int{}
	var keys []K
	var index [][]int
	for i := range n {
		k := key(i)
		g, ok := pos[k]
		if !ok {
			g = len(keys)
			pos[k] = g
			keys = append(keys, k)
			index = append(index, nil)
		}
		index[g] = append(index[g], i)
	}
	order := keyOrder[K]()
	perm := make([]int, len(keys))
	for g := range perm {
		perm[g] = g
	}
	slices.SortStableFunc(perm, func(a, b int) int { return order(keys[a], keys[b]) })
	sk, si := make([]K, len(keys)), make([][]int, len(keys))
	for g, p := range perm {
		sk[g], si[g] = keys[p], index[p]
	}
	return sk, si
}

// keyOrder returns the order of segment keys: ascending for integer, float and string kinds,
// by a Compare method when K has one, and otherwise by the printed form. NaN float keys sort
// first (cmp.Compare).
func keyOrder[K comparable]() func(a, b K) int {
	if order := keyorder.Natural[K](); order != nil {
		return order
	}
	return func(a, b K) int { return cmp.Compare(fmt.Sprintf("%#v", a), fmt.Sprintf("%#v", b)) }
}

// segmentReport builds the report of sorted segments from their tables and the pooled table.
func segmentReport[K comparable](keys []K, tabs []table, all table, opt SegmentOptions) (SegmentReport[K], error) {
	if total := sumWeights(tabs); total > MaxTotalWeight {
		return SegmentReport[K]{}, fmt.Errorf("churn: total weight %v of the segments exceeds %g: %w", total, MaxTotalWeight, ErrOutOfRange)
	}
	rep := SegmentReport[K]{Segments: make([]Segment[K], len(keys)), All: all.curve(), Correction: opt.Correction}
	for g, k := range keys {
		c := tabs[g].curve()
		rep.Segments[g] = Segment[K]{Key: k, Curve: c, Small: c.Subjects < opt.MinSubjects || c.Events < opt.MinEvents}
	}
	if len(keys) < 2 {
		return rep, nil
	}
	if lr, ok, err := definedLogRank(tabs); err != nil {
		return SegmentReport[K]{}, err
	} else if ok {
		rep.LogRank = &lr
		for g := range rep.Segments {
			rep.Segments[g].Observed, rep.Segments[g].Expected = lr.Observed[g], lr.Expected[g]
		}
	}
	if !opt.Pairwise {
		return rep, nil
	}
	var ps []float64
	var defined []int
	for a := range keys {
		for b := a + 1; b < len(keys); b++ {
			pr := SegmentPair[K]{A: keys[a], B: keys[b]}
			lr, ok, err := definedLogRank([]table{tabs[a], tabs[b]})
			if err != nil {
				return SegmentReport[K]{}, fmt.Errorf("segments %v and %v: %w", keys[a], keys[b], err)
			}
			if ok {
				pr.LogRank = &lr
				ps = append(ps, lr.P)
				defined = append(defined, len(rep.Pairs))
			}
			rep.Pairs = append(rep.Pairs, pr)
		}
	}
	adj, err := cxkit.Adjust(ps, opt.Correction)
	if err != nil {
		return SegmentReport[K]{}, fmt.Errorf("churn: adjusting the pairwise p-values: %w", err)
	}
	for i, j := range defined {
		rep.Pairs[j].AdjustedP = &adj[i]
	}
	return rep, nil
}

// definedLogRank runs the log-rank test of the tables; ok is false when the test is undefined
// (no churn event, or no variance), which is not an error for a report.
func definedLogRank(tabs []table) (LogRank, bool, error) {
	lr, err := logRankOf(tabs)
	if errors.Is(err, ErrEmpty) {
		return LogRank{}, false, nil
	}
	if err != nil {
		return LogRank{}, false, err
	}
	if lr.DF == 0 || math.IsNaN(lr.ChiSquare) || math.IsNaN(lr.P) {
		return LogRank{}, false, nil
	}
	return lr, true, nil
}

// SubscriptionSegmentOptions are the settings of BySubscriptionSegment.
type SubscriptionSegmentOptions struct {
	SegmentOptions
	// AsOf is the time of observation, required: subscriptions still active then (no End, or
	// an End after AsOf) are censored at AsOf in the curves. A subscription that starts after
	// AsOf is an error.
	AsOf time.Time
	// Unit is the unit of the curves' durations; 0 means a day (24 h).
	Unit time.Duration
	// Periods, when not empty, asks for each segment's churn and retention in each window, as
	// RatesFromLog computes them on the segment's subscriptions (Segment.Rates).
	Periods []Window
	// Step, when set, asks for each segment's cohort retention table, as CohortRetention with
	// Origin, Step and AsOf computes it on the segment's subscriptions (Segment.Cohorts).
	// Origin must then not be after the first start.
	Origin time.Time
	Step   cxkit.Period
}

// BySubscriptionSegment breaks an event log down by segment in one call: the subscriptions are
// grouped by key(i), the segment of subs[i], and each segment gets its churn rates per period
// (if opt.Periods is set), its cohort retention table (if opt.Step is set) and its
// Kaplan–Meier curve of the time from Start to End (churned) or to AsOf (still active,
// censored) in units of opt.Unit, with the log-rank tests of BySegment. Every figure equals
// the single-segment function (RatesFromLog, CohortRetention, KaplanMeier) applied to the
// segment's subscriptions.
//
// Errors: no subscriptions (ErrEmpty); a nil key function or a zero AsOf (ErrInvalid); a
// subscription without a start, ending before it starts or starting after AsOf (ErrOutOfRange)
// and any error of RatesFromLog or CohortRetention, each naming the segment and the
// subscription's index in subs.
func BySubscriptionSegment[K comparable](subs []Subscription, key func(i int) K, opt SubscriptionSegmentOptions) (SegmentReport[K], error) {
	if len(subs) == 0 {
		return SegmentReport[K]{}, fmt.Errorf("churn: no subscriptions: %w", ErrEmpty)
	}
	if key == nil {
		return SegmentReport[K]{}, fmt.Errorf("churn: nil segment key function: %w", ErrInvalid)
	}
	if opt.AsOf.IsZero() {
		return SegmentReport[K]{}, fmt.Errorf("churn: AsOf is required to censor active subscriptions: %w", ErrInvalid)
	}
	if opt.Unit < 0 {
		return SegmentReport[K]{}, fmt.Errorf("churn: unit %v must be positive: %w", opt.Unit, ErrOutOfRange)
	}
	if opt.Unit == 0 {
		opt.Unit = 24 * time.Hour
	}
	so, err := opt.SegmentOptions.resolve()
	if err != nil {
		return SegmentReport[K]{}, err
	}
	subjects := make([]Subject, len(subs))
	for i, s := range subs {
		sj, err := s.subjectAt(opt.AsOf, opt.Unit)
		if err == nil && opt.Step != 0 && s.Start.Before(opt.Origin) {
			err = fmt.Errorf("customer %q starts at %s, before the cohorts' origin %s: %w", s.Customer,
				s.Start.Format(time.RFC3339), opt.Origin.Format(time.RFC3339), ErrOutOfRange)
		}
		if err != nil {
			return SegmentReport[K]{}, fmt.Errorf("churn: segment %v: subscription %d: %w", key(i), i, err)
		}
		subjects[i] = sj
	}
	keys, index := partition(len(subs), key)
	tabs := make([]table, len(keys))
	segs := make([][]Subscription, len(keys))
	buf := make([]Subject, 0, len(subs))
	for g, idx := range index {
		buf = buf[:0]
		for _, i := range idx {
			buf = append(buf, subjects[i])
			segs[g] = append(segs[g], subs[i])
		}
		if tabs[g], err = tableOf(buf); err != nil {
			return SegmentReport[K]{}, fmt.Errorf("segment %v: %w", keys[g], err)
		}
	}
	all, err := tableOf(subjects)
	if err != nil {
		return SegmentReport[K]{}, err
	}
	rep, err := segmentReport(keys, tabs, all, so)
	if err != nil {
		return SegmentReport[K]{}, err
	}
	for g := range keys {
		if len(opt.Periods) > 0 {
			r, err := RatesFromLog(segs[g], opt.Periods)
			if err != nil {
				return SegmentReport[K]{}, fmt.Errorf("segment %v: %w", keys[g], err)
			}
			rep.Segments[g].Rates = r
		}
		if opt.Step != 0 {
			m, err := CohortRetention(segs[g], opt.Origin, opt.Step, opt.AsOf)
			if err != nil {
				return SegmentReport[K]{}, fmt.Errorf("segment %v: %w", keys[g], err)
			}
			rep.Segments[g].Cohorts = &m
		}
	}
	return rep, nil
}

// subjectAt is the subscription as a survival subject observed at asOf: churned at End when
// End is set and not after asOf, censored at asOf otherwise.
func (s Subscription) subjectAt(asOf time.Time, unit time.Duration) (Subject, error) {
	if err := s.validate(); err != nil {
		return Subject{}, err
	}
	if s.Start.After(asOf) {
		return Subject{}, fmt.Errorf("customer %q starts at %s, after AsOf %s: %w", s.Customer,
			s.Start.Format(time.RFC3339), asOf.Format(time.RFC3339), ErrOutOfRange)
	}
	end, churned := asOf, false
	if !s.End.IsZero() && !s.End.After(asOf) {
		end, churned = s.End, true
	}
	return Subject{Duration: float64(end.Sub(s.Start)) / float64(unit), Churned: churned}, nil
}

// SegmentTally accumulates subjects by segment in a form that merges, one Tally per key, so a
// segment breakdown can be computed across workers: merging the tallies of any split of the
// data gives the report of one pass (BySegment on all the subjects). The zero value is ready
// to use; it is not safe for concurrent use. Like the survey packages' Groups it has no
// encoding of its own (the key type is the caller's): encode each segment's Tally.
type SegmentTally[K comparable] struct {
	tallies map[K]*Tally
}

// Add adds one subject to the segment key. An invalid subject is an error naming the key and
// wrapping ErrOutOfRange; a failed add creates no segment.
func (s *SegmentTally[K]) Add(key K, sub Subject) error {
	t := s.tallies[key]
	if t == nil {
		t = new(Tally)
	}
	if err := t.Add(sub); err != nil {
		return fmt.Errorf("segment %v: %w", key, err)
	}
	if s.tallies == nil {
		s.tallies = map[K]*Tally{}
	}
	s.tallies[key] = t
	return nil
}

// Tally returns the tally of a segment (nil when the segment has no subject); changing it
// changes the segment.
func (s *SegmentTally[K]) Tally(key K) *Tally { return s.tallies[key] }

// Keys returns the segments in the report's order (see SegmentReport.Segments).
func (s *SegmentTally[K]) Keys() []K {
	keys := slices.Collect(maps.Keys(s.tallies))
	slices.SortStableFunc(keys, keyOrder[K]())
	return keys
}

// Merge adds every segment of o into s; o is unchanged (s.Merge(s) doubles s). A merge whose
// weights would exceed MaxTotalWeight in a segment is an error naming it and wrapping
// ErrOutOfRange, and s is then unchanged.
func (s *SegmentTally[K]) Merge(o *SegmentTally[K]) error {
	if o == nil || len(o.tallies) == 0 {
		return nil
	}
	keys := o.Keys()
	for _, k := range keys {
		if t := s.tallies[k]; t != nil {
			if n := t.total + o.tallies[k].total; n > MaxTotalWeight {
				return fmt.Errorf("segment %v: merged tally would weigh %v, above %g: %w", k, n, MaxTotalWeight, ErrOutOfRange)
			}
		}
	}
	if s.tallies == nil {
		s.tallies = map[K]*Tally{}
	}
	for _, k := range keys {
		t := s.tallies[k]
		if t == nil {
			t = new(Tally)
			s.tallies[k] = t
		}
		if err := t.Merge(o.tallies[k]); err != nil {
			return fmt.Errorf("segment %v: %w", k, err) // unreachable: checked above
		}
	}
	return nil
}

// Report returns the segment report of the subjects added, equal to BySegment on them. An
// empty tally is ErrEmpty; a total weight above MaxTotalWeight is ErrOutOfRange.
func (s *SegmentTally[K]) Report(opt SegmentOptions) (SegmentReport[K], error) {
	if len(s.tallies) == 0 {
		return SegmentReport[K]{}, fmt.Errorf("churn: no subjects: %w", ErrEmpty)
	}
	opt, err := opt.resolve()
	if err != nil {
		return SegmentReport[K]{}, err
	}
	keys := s.Keys()
	tabs := make([]table, len(keys))
	var pooled Tally
	for g, k := range keys {
		tabs[g] = s.tallies[k].table()
		if err := pooled.Merge(s.tallies[k]); err != nil {
			return SegmentReport[K]{}, fmt.Errorf("churn: pooling the segments: %w", err)
		}
	}
	return segmentReport(keys, tabs, pooled.table(), opt)
}
