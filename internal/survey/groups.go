package survey

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/cxkit/cxkit"
)

// Groups pools answers by key (a period for a trend, a segment for a breakdown), one tally per
// key, all on the same scale. The tallies are of the metric package's own type T, which holds
// an engine Tally that an Access function returns, so that the package can hand out pointers
// to them. The zero Groups is on the Kind's Default scale.
type Groups[K cmp.Ordered, T any] struct {
	scale   Scale
	tallies map[K]*T
}

// Access returns the engine Tally inside a metric package's tally.
type Access[T any] func(*T) *Tally

// NewGroups returns empty groups on scale s, which is checked.
func NewGroups[K cmp.Ordered, T any](k *Kind, s Scale) (Groups[K, T], error) {
	if err := k.Check(k.Resolve(s)); err != nil {
		return Groups[K, T]{}, err
	}
	return Groups[K, T]{scale: s}, nil
}

// Scale returns the groups' scale.
func (g *Groups[K, T]) Scale(k *Kind) Scale { return k.Resolve(g.scale) }

// AddWeighted adds one weighted answer to the group key; errors name the key. A failed add
// creates no group.
func (g *Groups[K, T]) AddWeighted(k *Kind, at Access[T], key K, rating int, w float64) error {
	t := at(g.Tally(k, at, key))
	if err := t.AddWeighted(k, rating, w); err != nil {
		if t.responses == 0 {
			delete(g.tallies, key)
		}
		return fmt.Errorf("group %v: %w", key, err)
	}
	return nil
}

// Tally returns the tally of a group, creating an empty one on the groups' scale if the key is
// new.
func (g *Groups[K, T]) Tally(k *Kind, at Access[T], key K) *T {
	if g.tallies == nil {
		g.tallies = make(map[K]*T)
	}
	t, ok := g.tallies[key]
	if !ok {
		t = new(T)
		at(t).scale = g.Scale(k)
		g.tallies[key] = t
	}
	return t
}

// Keys returns the group keys in ascending order.
func (g *Groups[K, T]) Keys() []K {
	keys := make([]K, 0, len(g.tallies))
	for k := range g.tallies {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Merge adds every group of o into g. Empty zero groups take o's scale; otherwise groups on
// different scales are an error wrapping cxkit.ErrInvalid, and g is then unchanged.
func (g *Groups[K, T]) Merge(k *Kind, at Access[T], o *Groups[K, T]) error {
	if o == nil || len(o.tallies) == 0 {
		return nil
	}
	if g.scale.IsZero() && len(g.tallies) == 0 {
		g.scale = o.Scale(k)
	}
	if g.Scale(k) != o.Scale(k) {
		return fmt.Errorf("%s: cannot merge groups on scale %s into groups on scale %s: %w",
			k.Name, k.Describe(o.Scale(k)), k.Describe(g.Scale(k)), cxkit.ErrInvalid)
	}
	for key, t := range o.tallies {
		if err := at(g.Tally(k, at, key)).Merge(k, at(t)); err != nil {
			return err // unreachable: every tally is on its groups' scale
		}
	}
	return nil
}

// pool merges the tallies of the keys for which keep is true.
func (g *Groups[K, T]) pool(k *Kind, at Access[T], keep func(K) bool) Tally {
	all := Tally{scale: g.Scale(k)}
	for key, t := range g.tallies {
		if keep(key) {
			_ = all.Merge(k, at(t)) // same scale
		}
	}
	return all
}

// Total returns the result of all groups pooled.
func (g *Groups[K, T]) Total(k *Kind, at Access[T]) (Result, error) {
	all := g.pool(k, at, func(K) bool { return true })
	return all.Result(k)
}

// GroupResult is one group's result with the comparisons a trend or breakdown needs.
type GroupResult[K cmp.Ordered] struct {
	Key        K
	Result     Result
	TooSmall   bool
	VsPrevious *cxkit.Comparison
	VsRest     *cxkit.Comparison
}

// Report returns one GroupResult per key in ascending order. TooSmall flags an effective size
// below minResponses; VsPrevious compares each group's score with the previous key's, VsRest
// with all other groups pooled (N−1 two-proportion test). Groups whose weights are all zero
// are listed with a zero Result and no comparisons. No groups is cxkit.ErrEmpty.
func (g *Groups[K, T]) Report(k *Kind, at Access[T], minResponses float64) ([]GroupResult[K], error) {
	if len(g.tallies) == 0 {
		return nil, fmt.Errorf("%s: no groups: %w", k.Name, cxkit.ErrEmpty)
	}
	keys := g.Keys()
	out := make([]GroupResult[K], len(keys))
	var prev *Result
	for i, key := range keys {
		out[i].Key = key
		res, err := at(g.tallies[key]).Result(k)
		if err != nil {
			prev = nil
			continue
		}
		out[i].Result = res
		out[i].TooSmall = res.EffectiveN < minResponses
		if prev != nil {
			if c, err := Compare(k, res, *prev); err == nil {
				out[i].VsPrevious = &c
			}
		}
		rest := g.pool(k, at, func(k2 K) bool { return k2 != key }) // pooled, not subtracted: exact
		if rr, err := rest.Result(k); err == nil {
			if c, err := Compare(k, res, rr); err == nil {
				out[i].VsRest = &c
			}
		}
		p := res
		prev = &p
	}
	return out, nil
}
