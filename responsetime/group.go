package responsetime

import (
	"fmt"
	"slices"
	"time"
)

// Group is the summary of the queries that share a key.
type Group struct {
	Key     string  `json:"key"`
	Summary Summary `json:"summary"`
}

// GroupBy summarises the queries by the key each one maps to, returning one Group per distinct
// key in ascending key order. Errors name the query by its position in queries, as Summarize
// does. Excluded queries are counted in their group. key must not be nil.
func GroupBy(queries []Query, key func(Query) string, opts Options) ([]Group, error) {
	if key == nil {
		panic("responsetime: GroupBy with a nil key function")
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

// Period is a calendar period for ByPeriod.
type Period int

// The periods of ByPeriod.
const (
	Day   Period = iota // key "2026-03-29"
	Week                // ISO 8601 week, key "2026-W13"
	Month               // key "2026-03"
)

// ByPeriod returns a GroupBy key: the day, ISO week or month in which the query was Received,
// on the wall clock of loc (nil means UTC). Keys sort in time order.
func ByPeriod(p Period, loc *time.Location) func(Query) string {
	if loc == nil {
		loc = time.UTC
	}
	return func(q Query) string {
		t := q.Received.In(loc)
		switch p {
		case Week:
			y, w := t.ISOWeek()
			return fmt.Sprintf("%04d-W%02d", y, w)
		case Month:
			return t.Format("2006-01")
		default:
			return t.Format("2006-01-02")
		}
	}
}
