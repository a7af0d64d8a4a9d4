package journey

import (
	"errors"
	"hash/maphash"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Paths by hand (minutes):
//
//	a: Email 0, Web 10, Web 12, Store 40
//	b: Email 0, Web 30
//	c: Web 0
//	d: Email 5, Web 15, Store 20 (given out of order)
func pathLog() []Event {
	e := func(c, tp string, m int) Event { return Event{Customer: c, Touchpoint: tp, Time: at(m)} }
	return []Event{
		e("d", "Store", 20), e("a", "Email", 0), e("a", "Web", 10), e("b", "Email", 0),
		e("a", "Web", 12), e("c", "Web", 0), e("a", "Store", 40), e("b", "Web", 30),
		e("d", "Web", 15), e("d", "Email", 5),
	}
}

func TestAnalyzePaths(t *testing.T) {
	r, err := AnalyzePaths(pathLog(), PathOptions{MaxLength: 3, CollapseRepeats: true})
	require.NoError(t, err)
	assert.Equal(t, 4, r.Customers)
	assert.Equal(t, 10, r.Events)
	// Collapsed paths: a, d Email > Web > Store; b Email > Web; c Web.
	require.Len(t, r.Top, 3)
	assert.Equal(t, PathCount{Touchpoints: []string{"Email", "Web", "Store"}, Customers: 2, Share: 0.5}, r.Top[0])
	assert.Equal(t, []string{"Email", "Web"}, r.Top[1].Touchpoints)
	assert.Equal(t, []string{"Web"}, r.Top[2].Touchpoints)

	// Step matrix rows Email, Store, Web; columns steps 1..3; ended row.
	m := r.StepMatrix
	assert.Equal(t, []string{"Email", "Store", "Web"}, m.Touchpoints)
	assert.Equal(t, []float64{0.75, 0, 0}, m.Share[0])
	assert.Equal(t, []float64{0, 0, 0.5}, m.Share[1])
	assert.Equal(t, []float64{0.25, 0.75, 0}, m.Share[2])
	assert.Equal(t, []float64{0, 0.25, 0.5}, m.Ended)
	for k := range m.Ended {
		sum := m.Ended[k]
		for i := range m.Share {
			sum += m.Share[i][k]
		}
		assert.InDelta(t, 1, sum, 1e-12)
	}

	// Transitions (collapsed): Email → Web 3 (10, 30, 10 min), Web → Store 2 (28, 5 min).
	require.Len(t, r.Transitions, 2)
	tr := r.Transitions[0]
	assert.Equal(t, "Email", tr.From)
	assert.Equal(t, "Web", tr.To)
	assert.Equal(t, 3, tr.Count)
	assert.InEpsilon(t, float64(10*time.Minute), float64(tr.Median), 0.01) // DDSketch, 1%
	// DDSketch's quantile q is the order statistic of rank floor(q·(n−1)), within 1%: for
	// 10, 10, 30 minutes the 90th percentile is the second value, 10 minutes.
	assert.InEpsilon(t, float64(10*time.Minute), float64(tr.P90), 0.01)
	assert.Equal(t, 2, r.Transitions[1].Count)

	assert.Equal(t, []PathEnd{{"Store", 2, 0.5}, {"Web", 2, 0.5}}, r.Ends)

	// Flows for the sankey: step 1 → 2: Email → Web 3; step 2 → 3: Web → Store 2.
	assert.Equal(t, []Flow{{From: "1 Email", To: "2 Web", Value: 3}, {From: "2 Web", To: "3 Store", Value: 2, step: 1}}, r.Flows)

	// Without collapsing, a's path is Email > Web > Web > Store: truncated at 3.
	r, err = AnalyzePaths(pathLog(), PathOptions{MaxLength: 3})
	require.NoError(t, err)
	i := slices.IndexFunc(r.Top, func(p PathCount) bool { return p.Truncated })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, []string{"Email", "Web", "Web"}, r.Top[i].Touchpoints)
	counts := map[[2]string]int{}
	for _, tr := range r.Transitions {
		counts[[2]string{tr.From, tr.To}] = tr.Count
	}
	assert.Equal(t, map[[2]string]int{{"Email", "Web"}: 3, {"Web", "Web"}: 1, {"Web", "Store"}: 2}, counts)
}

// The streaming analyzer on sorted events matches the one-call analysis.
func TestPathAnalyzerMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	ev := randomEvents(rng, 3000, 200, 6)
	opt := PathOptions{MaxLength: 5, Top: -1}
	want, err := AnalyzePaths(ev, opt)
	require.NoError(t, err)
	sorted := slices.Clone(ev)
	slices.SortStableFunc(sorted, func(a, b Event) int { return compareStrings(a.Customer, b.Customer) })
	a, err := NewPathAnalyzer(opt)
	require.NoError(t, err)
	for i, e := range sorted {
		require.NoError(t, a.Add(e))
		if i == 1000 {
			_, err := a.Result()
			require.NoError(t, err)
		}
	}
	got, err := a.Result()
	require.NoError(t, err)
	// The step matrix rows are in touchpoint order, which does not depend on arrival.
	assert.Equal(t, want, got)
	var total int
	for _, p := range got.Top {
		total += p.Customers
	}
	assert.Equal(t, got.Customers, total)
}

func TestAnalyzePathsErrors(t *testing.T) {
	_, err := AnalyzePaths(nil, PathOptions{})
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = AnalyzePaths(pathLog(), PathOptions{MaxLength: -1})
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = AnalyzePaths([]Event{{"a", "x", at(0)}, {"a", "x", time.Time{}}}, PathOptions{})
	assert.True(t, errors.Is(err, ErrInvalid))
	assert.ErrorContains(t, err, "event 1")
}

// A key whose hash is already taken by another key is counted apart, exactly.
func TestPathCounterCollision(t *testing.T) {
	p := newPathCounter()
	k1, k2 := []byte{1, 2}, []byte{3}
	const h = 0x1234_5678_9abc_def0 // pretend k1 and k2 hash alike
	p.addHash(k1, h)
	p.addHash(k2, h)
	p.addHash(k2, h)
	p.addHash(k1, h)
	require.Equal(t, 2, p.len())
	assert.Equal(t, []int{2, 2}, p.count)
	assert.Equal(t, k2, p.key(1))
	c := p.clone()
	c.addHash(k2, h)
	assert.Equal(t, []int{2, 2}, p.count)
	assert.Equal(t, []int{2, 3}, c.count)
}

// The open-addressing path table against a plain Go map (the previous implementation counted
// through map[uint64]int32 plus a collision map), on random keys through several growths, with
// real hashes and with hashes squeezed to a few bits so that home slots, tags and whole hashes
// collide.
func TestPathCounterMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	for _, bits := range []uint{64, 40, 33, 6} {
		p := newPathCounter()
		want := map[string]int{}
		var order []string
		n := 60_000
		if bits < 32 {
			n = 3_000 // every key probes past most others
		}
		for range n {
			k := make([]byte, 1+rng.IntN(8))
			for i := range k {
				k[i] = byte(1 + rng.IntN(6))
			}
			h := maphash.Bytes(p.seed, k)
			if bits < 64 {
				h = h>>(64-bits)<<32 | h>>(64-bits) // few distinct tags and homes
			}
			p.addHash(k, h)
			if want[string(k)] == 0 {
				order = append(order, string(k))
			}
			want[string(k)]++
		}
		require.Equal(t, len(order), p.len(), "bits %d", bits)
		for i, k := range order {
			assert.Equal(t, k, string(p.key(i)), "bits %d key %d", bits, i)
			assert.Equal(t, want[k], p.count[i], "bits %d key %q", bits, k)
		}
	}
}

// The zero PathAnalyzer works like NewPathAnalyzer(PathOptions{}) (it used to panic on its
// first customer).
func TestPathAnalyzerZeroValue(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	events := []Event{
		{Customer: "a", Touchpoint: "ad", Time: t0}, {Customer: "a", Touchpoint: "web", Time: t0.Add(time.Minute)},
		{Customer: "b", Touchpoint: "web", Time: t0},
	}
	var zero PathAnalyzer
	made, err := NewPathAnalyzer(PathOptions{})
	require.NoError(t, err)
	_, err = zero.Result()
	require.ErrorIs(t, err, ErrEmpty)
	for _, e := range events {
		require.NoError(t, zero.Add(e))
		require.NoError(t, made.Add(e))
	}
	got, err := zero.Result()
	require.NoError(t, err)
	want, err := made.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, 2, got.Customers)
}
