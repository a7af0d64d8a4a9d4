package ces

import (
	"cmp"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/survey"
)

// Groups pools CES answers by a key: a period (e.g. "2026-03") for a trend, or a segment
// (channel, region, plan) for a breakdown. Each group is a [Tally] on the groups' scale, so
// groups pool counts and are never averages of scores. The zero value is ready to use on
// FivePoint; use [NewGroups] for another scale. It is not safe for concurrent use.
type Groups[K cmp.Ordered] struct {
	g survey.Groups[K, Tally]
}

func (g *Groups[K]) e() *survey.Groups[K, Tally] { return &g.g }

// NewGroups returns empty groups on the given scale; a bad scale is an error wrapping
// ErrInvalid.
func NewGroups[K cmp.Ordered](scale Scale) (Groups[K], error) {
	g, err := survey.NewGroups[K, Tally](kind, scale.engine())
	return Groups[K]{g: g}, err
}

// Add adds one answer to the group key.
func (g *Groups[K]) Add(key K, rating int) error { return g.AddWeighted(key, rating, 1) }

// AddWeighted adds one weighted answer to the group key. Errors are those of
// [Tally.AddWeighted], with the key named; a failed add creates no group.
func (g *Groups[K]) AddWeighted(key K, rating int, weight float64) error {
	return g.e().AddWeighted(kind, engineOf, key, rating, weight)
}

// Tally returns the tally of a group, creating an empty one if the key is new. The returned
// pointer stays valid and may be added to directly.
func (g *Groups[K]) Tally(key K) *Tally { return g.e().Tally(kind, engineOf, key) }

// Keys returns the group keys in ascending order.
func (g *Groups[K]) Keys() []K { return g.e().Keys() }

// Merge adds every group of o into g; a zero Groups with no groups yet takes o's scale.
// Groups on different scales are an error wrapping ErrInvalid, and g is then unchanged.
func (g *Groups[K]) Merge(o *Groups[K]) error {
	if o == nil {
		return nil
	}
	return g.e().Merge(kind, engineOf, o.e())
}

// Total returns the CES of all groups pooled.
func (g *Groups[K]) Total() (Result, error) {
	r, err := g.e().Total(kind, engineOf)
	if err != nil {
		return Result{}, err
	}
	return fromEngine(r), nil
}

// GroupResult is one group's score, with the comparisons a trend or breakdown report needs.
type GroupResult[K cmp.Ordered] struct {
	Key    K      `json:"key"`
	Result Result `json:"result"`
	// TooSmall is true when the group's effective sample size is below the report's
	// minimum: its score is shown but should not be trusted or ranked.
	TooSmall bool `json:"too_small"`
	// VsPrevious compares this group's score with the previous key's (the trend) by the N−1
	// two-proportion test; nil for the first group or when either group is empty.
	VsPrevious *cxkit.Comparison `json:"vs_previous,omitempty"`
	// VsRest compares this group's score with all other groups pooled (the breakdown); nil
	// when there is no other group.
	VsRest *cxkit.Comparison `json:"vs_rest,omitempty"`
}

// Report returns one GroupResult per key in ascending key order. Groups whose effective
// sample size is below minResponses are flagged TooSmall (30 is a common floor; pass 0 to flag
// none). Groups whose weights are all zero are listed with a zero Result and no comparisons.
// An empty Groups is ErrEmpty.
func (g *Groups[K]) Report(minResponses float64) ([]GroupResult[K], error) {
	rows, err := g.e().Report(kind, engineOf, minResponses)
	if err != nil {
		return nil, err
	}
	out := make([]GroupResult[K], len(rows))
	for i, row := range rows {
		out[i] = GroupResult[K]{Key: row.Key, TooSmall: row.TooSmall, VsPrevious: row.VsPrevious, VsRest: row.VsRest}
		if row.Result.N > 0 {
			out[i].Result = fromEngine(row.Result)
		}
	}
	return out, nil
}
