package nps

import (
	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/survey"
)

// Groups pools NPS answers by a key: a period (a month as a time.Time, or "2026-03") for a
// trend, or a segment (region, plan, persona) for a breakdown. Keys may be of any comparable
// type. Each group is a [Tally], so groups pool counts and are never averages of scores. The
// zero value is ready to use; it is not safe for concurrent use.
//
// Keys and reports list the groups that hold at least one response, ascending for keys whose
// underlying type is an integer, float or string, chronologically for keys with a Compare
// method (time.Time), in the order first seen otherwise; [Groups.SortBy] sets another order.
type Groups[K comparable] struct {
	g survey.Groups[K, Tally]
}

func (g *Groups[K]) e() *survey.Groups[K, Tally] { return &g.g }

// Add adds one answer to the group key.
func (g *Groups[K]) Add(key K, rating int) error {
	return g.AddWeighted(key, rating, 1)
}

// AddWeighted adds one weighted answer to the group key. Errors are those of
// [Tally.AddWeighted], with the key named; a failed add creates no group.
func (g *Groups[K]) AddWeighted(key K, rating int, weight float64) error {
	return g.e().AddWeighted(kind, engineOf, key, rating, weight)
}

// Tally returns the tally of a group, to add to directly; the pointer stays valid. A key
// becomes a group (in Keys, Total and Report) only once its tally holds a response, so asking
// for the tally of a key creates no empty group.
func (g *Groups[K]) Tally(key K) *Tally { return g.e().Tally(kind, engineOf, key) }

// Keys returns the keys of the groups that hold a response, in the groups' order.
func (g *Groups[K]) Keys() []K { return g.e().Keys(engineOf) }

// SortBy sets the order of Keys and Report to that of order (negative when a comes first, as
// for slices.SortFunc); nil restores the default order.
func (g *Groups[K]) SortBy(order func(a, b K) int) { g.e().SortBy(order) }

// Merge adds every group of o into g. A merge whose counts would overflow is an error
// wrapping ErrOutOfRange, and g is then unchanged.
func (g *Groups[K]) Merge(o *Groups[K]) error {
	if o == nil {
		return nil
	}
	return g.e().Merge(kind, engineOf, o.e())
}

// Total returns the NPS of all groups pooled.
func (g *Groups[K]) Total() (Result, error) {
	var all Tally
	for _, key := range g.Keys() {
		if err := all.Merge(g.Tally(key)); err != nil {
			return Result{}, err
		}
	}
	return all.Result()
}

// GroupResult is one group's score, with the comparisons a trend or breakdown report needs.
type GroupResult[K comparable] struct {
	Key    K      `json:"key"`
	Result Result `json:"result"`
	// TooSmall is true when the group's effective sample size is below the report's
	// MinResponses: its score is shown but should not be trusted or ranked.
	TooSmall bool `json:"too_small"`
	// Previous is the key VsPrevious compared this group with: the previous group in the
	// report's order. Nil when VsPrevious is nil.
	Previous *K `json:"previous,omitempty"`
	// VsPrevious compares this group with the previous group (the trend) by [Compare]; nil for
	// the first group, when either group's weights are all zero, or when the samples are too
	// small for the test ([ErrTooSmall]).
	VsPrevious *cxkit.Comparison `json:"vs_previous,omitempty"`
	// VsRest compares this group with all other groups pooled (the breakdown); nil when there
	// is no other group or the samples are too small.
	VsRest *cxkit.Comparison `json:"vs_rest,omitempty"`
	// VsPreviousAdjustedP and VsRestAdjustedP are the p-values of VsPrevious and VsRest
	// adjusted for multiple comparisons by the report's correction, within their family (all
	// the report's VsPrevious comparisons; all its VsRest comparisons). Nil when the
	// comparison is.
	VsPreviousAdjustedP *float64 `json:"vs_previous_adjusted_p,omitempty"`
	VsRestAdjustedP     *float64 `json:"vs_rest_adjusted_p,omitempty"`
}

// Report is ReportWith(minResponses, cxkit.Holm).
func (g *Groups[K]) Report(minResponses float64) ([]GroupResult[K], error) {
	return g.ReportWith(minResponses, cxkit.Holm)
}

// ReportWith returns one GroupResult per group in the groups' order. Groups whose effective
// sample size is below minResponses are flagged TooSmall (30 is a common floor; pass 0 to flag
// none). Groups with answers whose weights are all zero are listed with a zero Result and no
// comparisons.
//
// A report over many groups makes many comparisons, and some will look significant by chance
// alone: at α = 0.05, one in twenty true-null comparisons. Each comparison's own P is kept;
// the adjusted p-values (VsPreviousAdjustedP, VsRestAdjustedP) apply correction to each family
// of comparisons with [cxkit.Adjust]: [cxkit.Holm] controls the chance of any false positive,
// [cxkit.BenjaminiHochberg] the expected share of false positives among the flagged groups,
// [cxkit.NoCorrection] leaves them as they are. Judge significance on the adjusted values.
// An empty Groups is ErrEmpty; an unknown correction is ErrInvalid.
func (g *Groups[K]) ReportWith(minResponses float64, correction cxkit.Correction) ([]GroupResult[K], error) {
	rows, err := g.e().Report(kind, engineOf, minResponses, correction, compareTallies)
	if err != nil {
		return nil, err
	}
	out := make([]GroupResult[K], len(rows))
	for i, row := range rows {
		out[i] = GroupResult[K]{Key: row.Key, TooSmall: row.TooSmall, Previous: row.Previous, VsPrevious: row.VsPrevious, VsRest: row.VsRest}
		if res, err := resultOf(&rows[i].Tally); err == nil {
			out[i].Result = res
		}
		if row.VsPrevious != nil {
			out[i].VsPreviousAdjustedP = &rows[i].VsPreviousP
		}
		if row.VsRest != nil {
			out[i].VsRestAdjustedP = &rows[i].VsRestP
		}
	}
	return out, nil
}

// compareTallies is Compare of two tallies' scores.
func compareTallies(a, b *survey.Tally) (cxkit.Comparison, error) {
	ra, err := resultOf(a)
	if err != nil {
		return cxkit.Comparison{}, err
	}
	rb, err := resultOf(b)
	if err != nil {
		return cxkit.Comparison{}, err
	}
	return Compare(ra, rb)
}
