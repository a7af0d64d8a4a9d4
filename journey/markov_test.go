package journey

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Sergey Bryl', "Marketing Multi-Channel Attribution model with R (part 1: Markov chain
// concept)", analyzecore.com, 2016-08-03: three paths C1 > C2 > C3 (converted), C1 (null),
// C2 > C3 (null). The post gives P(conversion) = 1/3, P(conversion without C1) = 1/6, removal
// effects C1 0.5, C2 1, C3 1 and, for the one conversion, C1 0.2, C2 0.4, C3 0.4 (the same
// figures are the expected values of the tests of the npm package markovattribution, which
// cites the post, with value 1000 → 200/400/400).
func TestMarkovBryl(t *testing.T) {
	paths := []Path{
		{Touchpoints: []string{"C1", "C2", "C3"}, Conversions: 1, Value: 1000},
		{Touchpoints: []string{"C1"}, Nulls: 1},
		{Touchpoints: []string{"C2", "C3"}, Nulls: 1},
	}
	a, err := MarkovAttribution(paths, 1)
	require.NoError(t, err)
	assert.InDelta(t, 1.0/3, a.ConversionProbability, 1e-12)
	for ch, want := range map[string]float64{"C1": 0.5, "C2": 1, "C3": 1} {
		assert.InDelta(t, want, a.RemovalEffect[ch], 1e-12, ch)
	}
	for ch, want := range map[string]float64{"C1": 0.2, "C2": 0.4, "C3": 0.4} {
		assert.InDelta(t, want, a.Credit[ch], 1e-12, ch)
		assert.InDelta(t, 1000*want, a.Value[ch], 1e-9, ch)
	}
	// The same post: repeats of a channel (C1 > C2 > C2 > C2 > C3) change the transition
	// matrix of a first-order chain but not the removal effects; ChannelAttribution removes
	// them, and so do we.
	rep := []Path{
		{Touchpoints: []string{"C1", "C2", "C2", "C2", "C3"}, Conversions: 1, Value: 1000},
		{Touchpoints: []string{"C1", "C1"}, Nulls: 1},
		{Touchpoints: []string{"C2", "C3", "C3"}, Nulls: 1},
	}
	b, err := MarkovAttribution(rep, 1)
	require.NoError(t, err)
	assert.InDeltaMapValues(t, a.Credit, b.Credit, 1e-12)
	assert.InDeltaMapValues(t, a.RemovalEffect, b.RemovalEffect, 1e-12)
}

// Serhii Puzyrov, "Markov Chain Attribution – Simple Explanation Of Removal Effect",
// serhiipuzyrov.com, July 2019: paths google ads (2 conversions), mailing (1), google ads >
// mailing (1), google ads (0 conversions, one null). The post's transition probabilities:
// start → google ads 0.8, start → mailing 0.2, google ads → conv 0.5, → mailing 0.25, → null
// 0.25, mailing → conv 1. With them, P(conv) = 0.8·(0.5 + 0.25) + 0.2 = 0.8; without google
// ads only start → mailing → conv remains, 0.2 (removal effect 0.75); without mailing,
// 0.8·0.5 = 0.4 (removal effect 0.5); the 4 conversions split 0.75 : 0.5 → 2.4 and 1.6.
func TestMarkovPuzyrov(t *testing.T) {
	paths := []Path{
		{Touchpoints: []string{"google ads"}, Conversions: 2, Nulls: 1},
		{Touchpoints: []string{"mailing"}, Conversions: 1},
		{Touchpoints: []string{"google ads", "mailing"}, Conversions: 1},
	}
	ch, conv, _, err := buildChain(paths, 1)
	require.NoError(t, err)
	assert.Equal(t, 4.0, conv)
	ga, ml := 0, 1 // states in order of appearance
	require.Equal(t, "google ads", ch.names[ga])
	assert.InDelta(t, 0.8, ch.start[ga], 1e-15)
	assert.InDelta(t, 0.2, ch.start[ml], 1e-15)
	assert.InDelta(t, 0.5, ch.conv[ga], 1e-15)
	assert.InDelta(t, 1.0, ch.conv[ml], 1e-15)
	require.Equal(t, []int32{int32(ml)}, ch.colIdx[ch.rowPtr[ga]:ch.rowPtr[ga+1]])
	assert.InDelta(t, 0.25, ch.val[ch.rowPtr[ga]], 1e-15)

	a, err := MarkovAttribution(paths, 1)
	require.NoError(t, err)
	assert.InDelta(t, 0.8, a.ConversionProbability, 1e-12)
	assert.InDelta(t, 0.75, a.RemovalEffect["google ads"], 1e-12)
	assert.InDelta(t, 0.5, a.RemovalEffect["mailing"], 1e-12)
	assert.InDelta(t, 2.4, a.Credit["google ads"], 1e-12)
	assert.InDelta(t, 1.6, a.Credit["mailing"], 1e-12)
}

// A second-order chain worked by hand. Paths A > B > C (1 conversion), B > C (1 null),
// A > C (1 conversion), C (1 null). States (2-grams; shorter paths are one state): AB, BC, AC,
// C. start → AB 1/4, BC 1/4, AC 1/4, C 1/4; AB → BC 1; BC → conv 1/2, null 1/2; AC → conv 1;
// C → null 1. P = 1/4·1/2 + 1/4·1/2 + 1/4 = 1/2. Without A (AB, AC removed): 1/4·1/2 = 1/8,
// removal effect 3/4. Without B (AB, BC): 1/4, removal effect 1/2. Without C (BC, AC, C): 0,
// removal effect 1. Credits of the 2 conversions: 2·(3/4, 1/2, 1)/(9/4) = 2/3, 4/9, 8/9.
func TestMarkovSecondOrderByHand(t *testing.T) {
	paths := []Path{
		{Touchpoints: []string{"A", "B", "C"}, Conversions: 1},
		{Touchpoints: []string{"B", "C"}, Nulls: 1},
		{Touchpoints: []string{"A", "C"}, Conversions: 1},
		{Touchpoints: []string{"C"}, Nulls: 1},
	}
	a, err := MarkovAttribution(paths, 2)
	require.NoError(t, err)
	assert.Equal(t, "markov order 2", a.Model)
	assert.InDelta(t, 0.5, a.ConversionProbability, 1e-12)
	assert.InDeltaMapValues(t, map[string]float64{"A": 0.75, "B": 0.5, "C": 1}, a.RemovalEffect, 1e-12)
	assert.InDeltaMapValues(t, map[string]float64{"A": 2.0 / 3, "B": 4.0 / 9, "C": 8.0 / 9}, a.Credit, 1e-12)
}

func randomPaths(rng *rand.Rand, n, channels, maxLen int) []Path {
	paths := make([]Path, n)
	for i := range paths {
		l := 1 + rng.IntN(maxLen)
		tp := make([]string, l)
		for j := range tp {
			tp[j] = "c" + strconv.Itoa(rng.IntN(channels))
		}
		c := float64(rng.IntN(3))
		paths[i] = Path{Touchpoints: tp, Conversions: c, Nulls: float64(rng.IntN(4)), Value: 10 * c}
	}
	paths[0].Conversions++
	return paths
}

// The sparse Gauss–Seidel route (cold, then warm-started from the full chain's solution) and
// gonum's dense LU give the same absorption probabilities.
func TestMarkovSparseMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	paths := randomPaths(rng, 400, 8, 12)
	ch, _, _, err := buildChain(paths, 3)
	require.NoError(t, err)
	require.Greater(t, len(ch.start), 100)
	for _, removed := range []int32{-1, 0, 3, 7} {
		keep := make([]bool, len(ch.start))
		for i, set := range ch.contains {
			keep[i] = true
			for _, c := range set {
				if c == removed {
					keep[i] = false
				}
			}
		}
		d, err := ch.solveDense(keep)
		require.NoError(t, err)
		s, err := ch.solveSparse(keep)
		require.NoError(t, err)
		for i := range d {
			if keep[i] {
				require.InDelta(t, d[i], s[i], 1e-11)
			}
		}
		if removed < 0 {
			ch.base = s // the removals that follow start from it, as MarkovAttribution does
		}
	}
}

// Invariants on random paths: credit sums to the conversions and value; removal effects in
// [0, 1]; a first-order chain estimated from paths reproduces the observed conversion rate.
func TestMarkovInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 20 {
		paths := randomPaths(rng, 1+rng.IntN(60), 1+rng.IntN(6), 1+rng.IntN(8))
		for _, order := range []int{1, 2, 3} {
			a, err := MarkovAttribution(paths, order)
			require.NoError(t, err, "trial %d order %d", trial, order)
			checkAttribution(t, paths, a)
			if order == 1 {
				var conv, null float64
				for _, p := range paths {
					conv += p.Conversions
					null += p.Nulls
				}
				assert.InDelta(t, conv/(conv+null), a.ConversionProbability, 1e-9)
			}
		}
	}
}

func checkAttribution(t *testing.T, paths []Path, a Attribution) {
	t.Helper()
	var conv, value, sc, sv float64
	for _, p := range paths {
		conv += p.Conversions
		value += p.Value
	}
	for k, v := range a.Credit {
		require.False(t, math.IsNaN(v) || v < -1e-12, "credit %s = %v", k, v)
		sc += v
		sv += a.Value[k]
	}
	require.InDelta(t, conv, sc, 1e-9*math.Max(1, conv))
	require.InDelta(t, value, sv, 1e-9*math.Max(1, value))
	for k, re := range a.RemovalEffect {
		require.True(t, re >= 0 && re <= 1, "removal effect %s = %v", k, re)
	}
	require.True(t, a.ConversionProbability >= 0 && a.ConversionProbability <= 1)
}

func TestMarkovErrors(t *testing.T) {
	ok := []Path{{Touchpoints: []string{"A"}, Conversions: 1}}
	cases := []struct {
		paths []Path
		order int
		want  error
	}{
		{ok, 0, ErrOutOfRange},
		{nil, 1, ErrEmpty},
		{[]Path{{Touchpoints: []string{"A"}, Nulls: 2}}, 1, ErrEmpty},
		{[]Path{{Conversions: 1}}, 1, ErrInvalid},
		{[]Path{{Touchpoints: []string{"A", ""}, Conversions: 1}}, 1, ErrInvalid},
		{[]Path{{Touchpoints: []string{"A"}, Conversions: -1}}, 1, ErrOutOfRange},
		{[]Path{{Touchpoints: []string{"A"}, Conversions: 1, Nulls: math.NaN()}}, 1, ErrOutOfRange},
		{[]Path{{Touchpoints: []string{"A"}, Conversions: 1, Value: math.Inf(1)}}, 1, ErrOutOfRange},
		{[]Path{{Touchpoints: []string{"A"}, Nulls: 1, Value: 3}}, 1, ErrInvalid},
	}
	for i, c := range cases {
		_, err := MarkovAttribution(c.paths, c.order)
		assert.True(t, errors.Is(err, c.want), "case %d: %v", i, err)
	}
	_, err := MarkovAttribution([]Path{ok[0], {Touchpoints: []string{"B", ""}, Nulls: 1}}, 1)
	assert.ErrorContains(t, err, "path 1 (B > ) has an empty touchpoint at position 2")
}
