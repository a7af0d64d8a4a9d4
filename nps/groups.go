package nps

import (
	"cmp"
	"fmt"
	"github.com/cxkit/cxkit"
	"slices"
)

// Groups pools NPS answers by a key: a period (e.g. "2026-03" or a time.Time truncated to the
// month, as a Unix day number) for a trend, or a segment (region, plan, persona) for a
// breakdown. Each group is a [Tally], so groups pool counts and are never averages of scores.
// The zero value is ready to use; it is not safe for concurrent use.
type Groups[K cmp.Ordered] struct {
	tallies map[K]*Tally
}

// Add adds one answer to the group key.
func (g *Groups[K]) Add(key K, rating int) error {
	return g.AddWeighted(key, rating, 1)
}

// AddWeighted adds one weighted answer to the group key. Errors are those of
// [Tally.AddWeighted], with the key named.
func (g *Groups[K]) AddWeighted(key K, rating int, weight float64) error {
	t := g.tally(key)
	if err := t.AddWeighted(rating, weight); err != nil {
		if t.responses == 0 {
			delete(g.tallies, key)
		}
		return fmt.Errorf("group %v: %w", key, err)
	}
	return nil
}

func (g *Groups[K]) tally(key K) *Tally {
	if g.tallies == nil {
		g.tallies = make(map[K]*Tally)
	}
	t, ok := g.tallies[key]
	if !ok {
		t = new(Tally)
		g.tallies[key] = t
	}
	return t
}

// Tally returns the tally of a group, creating an empty one if the key is new. The returned
// pointer stays valid and may be added to directly.
func (g *Groups[K]) Tally(key K) *Tally { return g.tally(key) }

// Keys returns the group keys in ascending order.
func (g *Groups[K]) Keys() []K {
	keys := make([]K, 0, len(g.tallies))
	for k := range g.tallies {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Merge adds every group of o into g.
func (g *Groups[K]) Merge(o *Groups[K]) {
	if o == nil {
		return
	}
	for k, t := range o.tallies {
		_ = g.tally(k).Merge(t)
	}
}

// Total returns the NPS of all groups pooled.
func (g *Groups[K]) Total() (Result, error) {
	var all Tally
	for _, t := range g.tallies {
		_ = all.Merge(t)
	}
	return all.Result()
}

// GroupResult is one group's score, with the comparisons a trend or breakdown report needs.
type GroupResult[K cmp.Ordered] struct {
	Key    K      `json:"key"`
	Result Result `json:"result"`
	// TooSmall is true when the group's effective sample size is below the report's
	// MinResponses: its score is shown but should not be trusted or ranked.
	TooSmall bool `json:"too_small"`
	// VsPrevious compares this group with the previous key (the trend); nil for the first
	// group or when either group is empty.
	VsPrevious *cxkit.Comparison `json:"vs_previous,omitempty"`
	// VsRest compares this group with all other groups pooled (the breakdown); nil when there
	// is no other group.
	VsRest *cxkit.Comparison `json:"vs_rest,omitempty"`
}

// Report returns one GroupResult per key in ascending key order. Groups whose effective sample
// size is below minResponses are flagged TooSmall (30 is a common floor; pass 0 to flag none).
// Groups with answers whose weights are all zero are skipped from comparisons but still listed
// with a zero Result. An empty Groups is ErrEmpty.
func (g *Groups[K]) Report(minResponses float64) ([]GroupResult[K], error) {
	if len(g.tallies) == 0 {
		return nil, fmt.Errorf("nps: no groups: %w", ErrEmpty)
	}
	keys := g.Keys()
	out := make([]GroupResult[K], len(keys))
	var prev *Result
	for i, k := range keys {
		t := g.tallies[k]
		gr := GroupResult[K]{Key: k}
		res, err := t.Result()
		if err != nil {
			out[i] = gr
			prev = nil
			continue
		}
		gr.Result = res
		gr.TooSmall = res.EffectiveN < minResponses
		if prev != nil {
			if c, err := Compare(res, *prev); err == nil {
				gr.VsPrevious = &c
			}
		}
		var rest Tally // pooled from the other groups, not by subtraction, so it is exact
		for _, k2 := range keys {
			if k2 != k {
				_ = rest.Merge(g.tallies[k2])
			}
		}
		if rr, err := rest.Result(); err == nil {
			if c, err := Compare(res, rr); err == nil {
				gr.VsRest = &c
			}
		}
		out[i] = gr
		p := res
		prev = &p
	}
	return out, nil
}
