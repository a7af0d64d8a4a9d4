package responsetime

import (
	"fmt"
	"slices"
	"time"

	"github.com/cxkit/cxkit"
)

// Group is the summary of the queries that share a key.
type Group struct {
	Key     string  `json:"key"`
	Summary Summary `json:"summary"`
}

// GroupBy summarises the queries by the key each one maps to, returning one Group per distinct
// key in ascending key order. Errors name the query by its position in queries, as Summarize
// does. Excluded queries are counted in their group. A nil key function is an error wrapping
// ErrInvalid.
func GroupBy(queries []Query, key func(Query) string, opts Options) ([]Group, error) {
	if key == nil {
		return nil, fmt.Errorf("responsetime: GroupBy with a nil key function: %w", ErrInvalid)
	}
	if len(queries) == 0 {
		return nil, fmt.Errorf("responsetime: no queries: %w", ErrEmpty)
	}
	e, err := newEngine(opts)
	if err != nil {
		return nil, err
	}
	members := map[string][]int{}
	for i := range queries {
		k := key(queries[i])
		members[k] = append(members[k], i)
	}
	keys := make([]string, 0, len(members))
	for k := range members {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	groups := make([]Group, 0, len(keys))
	for _, k := range keys {
		s, err := e.summarize(queries, members[k])
		if err != nil {
			return nil, err
		}
		groups = append(groups, Group{Key: k, Summary: s})
	}
	return groups, nil
}

// ByChannel is a GroupBy key: the query's Channel.
func ByChannel(q Query) string { return q.Channel }

// ByPriority is a GroupBy key: the query's Priority.
func ByPriority(q Query) string { return q.Priority }

// ByTeam is a GroupBy key: the query's Team.
func ByTeam(q Query) string { return q.Team }

// ByAgent is a GroupBy key: the query's Agent.
func ByAgent(q Query) string { return q.Agent }

// ByPeriod returns a GroupBy key: the label of the calendar period (cxkit.Day, Week, Month,
// Quarter or Year) in which the query was Received, on the wall clock of loc (nil means UTC),
// as cxkit.Period.Key writes it ("2026-03-29", "2026-W13", "2026-03", "2026-Q1", "2026").
// Keys sort in time order. An invalid period is a programmer error (a constant argument), so
// ByPeriod panics on it with a message naming it.
func ByPeriod(p cxkit.Period, loc *time.Location) func(Query) string {
	if err := p.Check(); err != nil {
		panic(fmt.Sprintf("responsetime: ByPeriod: %v", err))
	}
	if loc == nil {
		loc = time.UTC
	}
	return func(q Query) string { return p.Key(q.Received, loc) }
}
