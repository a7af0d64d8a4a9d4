package survey

import (
	"fmt"
	"slices"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/internal/keyorder"
)

// Groups pools answers by key (a period for a trend, a segment for a breakdown), one tally per
// key, all on the same scale. Keys may be of any comparable type. The tallies are of the metric
// package's own type T, which holds an engine Tally that an Access function returns, so that
// the package can hand out pointers to them. The zero Groups is on the Kind's Default scale.
type Groups[K comparable, T any] struct {
	scale   Scale
	tallies map[K]*T
	seen    []K // keys in the order first seen
	order   func(a, b K) int
}

// Access returns the engine Tally inside a metric package's tally.
type Access[T any] func(*T) *Tally

// NewGroups returns empty groups on scale s, which is checked.
func NewGroups[K comparable, T any](k *Kind, s Scale) (Groups[K, T], error) {
	if err := k.Check(k.Resolve(s)); err != nil {
		return Groups[K, T]{}, err
	}
	return Groups[K, T]{scale: s}, nil
}

// Scale returns the groups' scale.
func (g *Groups[K, T]) Scale(k *Kind) Scale { return k.Resolve(g.scale) }

// SortBy sets the order of the keys in Keys and Report; nil restores the default order.
func (g *Groups[K, T]) SortBy(order func(a, b K) int) { g.order = order }

// AddWeighted adds one weighted answer to the group key; errors name the key. A failed add
// creates no group.
func (g *Groups[K, T]) AddWeighted(k *Kind, at Access[T], key K, rating int, w float64) error {
	t := at(g.Tally(k, at, key))
	if err := t.AddWeighted(k, rating, w); err != nil {
		return fmt.Errorf("group %v: %w", key, err)
	}
	return nil
}

// Tally returns the tally of a group, making an empty one on the groups' scale if the key is
// new. A group exists for Keys, Total and Report only once its tally holds a response, so
// asking for a tally creates no phantom group.
func (g *Groups[K, T]) Tally(k *Kind, at Access[T], key K) *T {
	if g.tallies == nil {
		g.tallies = make(map[K]*T)
	}
	t, ok := g.tallies[key]
	if !ok {
		t = new(T)
		at(t).scale = g.Scale(k)
		g.tallies[key] = t
		g.seen = append(g.seen, key)
	}
	return t
}

// Keys returns the keys of the groups that hold at least one response, in order: by SortBy's
// function if one is set; otherwise ascending for keys whose underlying type is an integer,
// float or string, chronological for keys with a Compare method (time.Time), and in the order
// first seen for any other key type.
func (g *Groups[K, T]) Keys(at Access[T]) []K {
	keys := make([]K, 0, len(g.seen))
	for _, key := range g.seen {
		if at(g.tallies[key]).responses > 0 {
			keys = append(keys, key)
		}
	}
	if order := g.orderFunc(); order != nil {
		slices.SortStableFunc(keys, order)
	}
	return keys
}

// orderFunc returns the order of the keys, nil for the order first seen.
func (g *Groups[K, T]) orderFunc() func(a, b K) int {
	if g.order != nil {
		return g.order
	}
	return keyorder.Natural[K]()
}

// Merge adds every group of o into g. Empty zero groups take o's scale; otherwise groups on
// different scales are an error wrapping cxkit.ErrIncompatible and cxkit.ErrInvalid, and so is
// a merge whose counts would overflow; g is then unchanged.
func (g *Groups[K, T]) Merge(k *Kind, at Access[T], o *Groups[K, T]) error {
	if o == nil || len(o.tallies) == 0 {
		return nil
	}
	if g.scale.IsZero() && len(g.tallies) == 0 {
		g.scale = o.Scale(k)
	}
	if g.Scale(k) != o.Scale(k) {
		return fmt.Errorf("%s: cannot merge groups on scale %s into groups on scale %s: %w (%w)",
			k.Name, k.Describe(o.Scale(k)), k.Describe(g.Scale(k)), cxkit.ErrIncompatible, cxkit.ErrInvalid)
	}
	// Check every merge first, so that a refused one leaves g unchanged.
	for _, key := range o.seen {
		if mine, ok := g.tallies[key]; ok {
			trial := *at(mine)
			if err := trial.Merge(k, at(o.tallies[key])); err != nil {
				return fmt.Errorf("group %v: %w", key, err)
			}
		}
	}
	for _, key := range o.seen {
		_ = at(g.Tally(k, at, key)).Merge(k, at(o.tallies[key])) // checked above
	}
	return nil
}

// pool merges the tallies of the keys for which keep is true.
func (g *Groups[K, T]) pool(k *Kind, at Access[T], keep func(K) bool) (Tally, error) {
	all := Tally{scale: g.Scale(k)}
	for key, t := range g.tallies {
		if keep(key) {
			if err := all.Merge(k, at(t)); err != nil {
				return Tally{}, err
			}
		}
	}
	return all, nil
}

// Total returns the result of all groups pooled.
func (g *Groups[K, T]) Total(k *Kind, at Access[T]) (Result, error) {
	all, err := g.pool(k, at, func(K) bool { return true })
	if err != nil {
		return Result{}, err
	}
	return all.Result(k)
}

// GroupResult is one group's result with the comparisons a trend or breakdown needs.
type GroupResult[K comparable] struct {
	Key        K
	Result     Result
	Tally      Tally
	TooSmall   bool
	Previous   *K // the key VsPrevious compared with
	VsPrevious *cxkit.Comparison
	VsRest     *cxkit.Comparison
	// VsPreviousP and VsRestP are the p-values of VsPrevious and VsRest adjusted for multiple
	// comparisons within their family (all trend comparisons; all breakdown comparisons).
	VsPreviousP, VsRestP float64
}

// Comparer tests two group results (the metric's Compare).
type Comparer func(a, b *Tally) (cxkit.Comparison, error)

// Report returns one GroupResult per group holding a response, in the order of Keys.
// TooSmall flags an effective size below minResponses; VsPrevious compares each group with
// the previous key's, VsRest with all other groups pooled, both by compare (nil when compare
// refuses, e.g. samples too small). The p-values of each family of comparisons are adjusted by
// correction (cxkit.Adjust). Groups whose weights are all zero are listed with a zero Result
// and no comparisons. No groups is cxkit.ErrEmpty.
func (g *Groups[K, T]) Report(k *Kind, at Access[T], minResponses float64, correction cxkit.Correction, compare Comparer) ([]GroupResult[K], error) {
	keys := g.Keys(at)
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: no groups: %w", k.Name, cxkit.ErrEmpty)
	}
	out := make([]GroupResult[K], len(keys))
	var prev *Tally
	var prevKey K
	for i, key := range keys {
		t := at(g.tallies[key])
		out[i].Key, out[i].Tally = key, *t
		res, err := t.Result(k)
		if err != nil {
			prev = nil
			continue
		}
		out[i].Result = res
		out[i].TooSmall = res.EffectiveN < minResponses
		if prev != nil {
			if c, err := compare(t, prev); err == nil {
				out[i].VsPrevious = &c
				pk := prevKey
				out[i].Previous = &pk
			}
		}
		rest, err := g.pool(k, at, func(k2 K) bool { return k2 != key }) // pooled, not subtracted: exact
		if err == nil {
			if _, err := rest.Result(k); err == nil {
				if c, err := compare(t, &rest); err == nil {
					out[i].VsRest = &c
				}
			}
		}
		prev, prevKey = t, key
	}
	if err := adjustFamily(out, correction, func(r *GroupResult[K]) (*cxkit.Comparison, *float64) { return r.VsPrevious, &r.VsPreviousP }); err != nil {
		return nil, fmt.Errorf("%s: %w", k.Name, err)
	}
	if err := adjustFamily(out, correction, func(r *GroupResult[K]) (*cxkit.Comparison, *float64) { return r.VsRest, &r.VsRestP }); err != nil {
		return nil, fmt.Errorf("%s: %w", k.Name, err)
	}
	return out, nil
}

// adjustFamily adjusts the p-values of one family of comparisons (those that exist).
func adjustFamily[K comparable](rows []GroupResult[K], c cxkit.Correction, pick func(*GroupResult[K]) (*cxkit.Comparison, *float64)) error {
	var p []float64
	var dst []*float64
	for i := range rows {
		if cmp, adj := pick(&rows[i]); cmp != nil {
			p = append(p, cmp.P)
			dst = append(dst, adj)
		}
	}
	adj, err := cxkit.Adjust(p, c)
	if err != nil {
		return err
	}
	for i, a := range adj {
		*dst[i] = a
	}
	return nil
}
