package ces

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxkit/cxkit/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScoreSeedFormula(t *testing.T) {
	// Seed formula (DESIGN.md, issue 3): top boxes 4-5 on 1-5 / responses × 100. {5,4,3,2,1,5,4,4}
	// has 5 easy of 8 → 62.5; hard (1-2) is 2 of 8, so net effort = 100·(5 − 2)/8 = 37.5.
	// Mean 3.5 and its t interval: s² = 14/7 = 2, SE 0.5, t(0.975; 7) = 2.364624 (NIST/SEMATECH
	// e-Handbook table 1.3.6.7.2: 2.365) → [2.317688, 4.682312].
	r, err := Score(FivePoint, []int{5, 4, 3, 2, 1, 5, 4, 4})
	require.NoError(t, err)
	assert.Equal(t, 5.0, r.Easy)
	assert.Equal(t, 2.0, r.Hard)
	assert.InDelta(t, 62.5, r.Score, 1e-12)
	assert.InDelta(t, 37.5, r.NetEffort, 1e-12)
	assert.InDelta(t, 3.5, r.Mean, 1e-12)
	assert.InDelta(t, 3.5, r.RawMean(), 1e-12)
	mi := r.MeanInterval(0.95)
	assert.InDelta(t, 2.317688, mi.Lower, 1e-6)
	assert.InDelta(t, 4.682312, mi.Upper, 1e-6)
	assert.Equal(t, "CES 62.5 (n=8, 1-5, easy 4-5; net effort 37.5; mean 3.50)", r.String())
}

func TestSevenPointCES2(t *testing.T) {
	// CES 2.0 (Dixon, Toman & DeLisi 2013): 1-7 agreement, easy = 5-7, hard = 1-3. Hand count for
	// {7,6,5,4,3,7,6,2,5,6}: easy 7 of 10 → 70; hard 2 → net effort 50; mean 5.1.
	r, err := Score(SevenPoint, []uint8{7, 6, 5, 4, 3, 7, 6, 2, 5, 6})
	require.NoError(t, err)
	assert.InDelta(t, 70, r.Score, 1e-12)
	assert.InDelta(t, 50, r.NetEffort, 1e-12)
	assert.InDelta(t, 5.1, r.Mean, 1e-12)
	// Wilson 95% for 7 of 10, by hand from Wilson (1927): centre (0.7 + z²/20)/(1 + z²/10) =
	// 0.64449, half-width z·sqrt(0.021 + z²/400)/(1 + z²/10) = 0.24772 → [39.68, 89.22].
	iv := r.Interval(0.95)
	assert.InDelta(t, 39.7, iv.Lower, 0.05)
	assert.InDelta(t, 89.2, iv.Upper, 0.05)
	assert.Equal(t, "1-7, easy 5-7", SevenPoint.String())
}

func TestEffortScaleMapping(t *testing.T) {
	// CES 1.0 (Dixon, Freeman & Toman 2010): 1 = very low effort. Raw r reads as 6 − r, so a
	// CES 1.0 sample and the mirrored 1-5 ease sample give identical results.
	raw := []int{1, 2, 3, 4, 5, 1, 2, 2, 1, 3}
	mirrored := make([]int, len(raw))
	for i, x := range raw {
		mirrored[i] = 6 - x
		assert.Equal(t, 6-x, FivePointEffort.Ease(x))
	}
	a, err := Score(FivePointEffort, raw)
	require.NoError(t, err)
	b, err := Score(FivePoint, mirrored)
	require.NoError(t, err)
	assert.Equal(t, 6.0, a.Easy, "raw 1-2 are easy")
	assert.Equal(t, 2.0, a.Hard, "raw 4-5 are hard")
	for _, pair := range [][2]float64{
		{a.Score, b.Score}, {a.NetEffort, b.NetEffort}, {a.Mean, b.Mean}, {a.SumSqDev, b.SumSqDev},
		{a.StdErr, b.StdErr}, {a.Interval(0.9).Lower, b.Interval(0.9).Lower},
		{a.MeanInterval(0.9).Upper, b.MeanInterval(0.9).Upper},
	} {
		assert.InDelta(t, pair[1], pair[0], 1e-12)
	}
	assert.InDelta(t, 60, a.Score, 1e-12)
	// Raw mean effort 2.4 (lower = easier); mean ease 6 − 2.4 = 3.6.
	assert.InDelta(t, 2.4, a.RawMean(), 1e-12)
	assert.InDelta(t, 3.6, a.Mean, 1e-12)
	assert.True(t, FivePointEffort.Easy(1) && FivePointEffort.Easy(2) && !FivePointEffort.Easy(3))
	assert.True(t, FivePointEffort.Hard(5) && FivePointEffort.Hard(4) && !FivePointEffort.Hard(3))
	assert.False(t, FivePointEffort.Easy(0))
	assert.Equal(t, "1-5 (lower is better), easy 1-2", FivePointEffort.String())
	// Tallies keep raw answers.
	tl, _ := NewTally(FivePointEffort)
	for _, x := range raw {
		require.NoError(t, tl.Add(x))
	}
	assert.Equal(t, 3.0, tl.Weight(1))
	got, err := tl.Result()
	require.NoError(t, err)
	assert.Equal(t, a, got)
}

func TestScales(t *testing.T) {
	for _, s := range []Scale{FivePoint, SevenPoint, FivePointEffort, {}, {Min: 0, Max: 10, EasyBoxes: 3}} {
		assert.NoError(t, s.Check(), "%+v", s)
	}
	for _, bad := range []Scale{
		{Min: 1, Max: 1, EasyBoxes: 1}, {Min: 1, Max: 7, EasyBoxes: 0}, {Min: 1, Max: 7, EasyBoxes: 4, HardBoxes: 4},
		{Min: 1, Max: 7, EasyBoxes: 3, HardBoxes: -1}, {Min: 1, Max: 12, EasyBoxes: 2},
	} {
		assert.ErrorIs(t, bad.Check(), ErrInvalid, "%+v", bad)
		_, err := Score(bad, []int{1})
		assert.ErrorIs(t, err, ErrInvalid, "%+v", bad)
	}
	// A scale without hard boxes: net effort equals the score.
	r, err := Score(Scale{Min: 1, Max: 7, EasyBoxes: 3}, []int{7, 1, 5, 2})
	require.NoError(t, err)
	assert.Equal(t, r.Score, r.NetEffort)
}

func TestErrors(t *testing.T) {
	_, err := Score(SevenPoint, []int{7, 6, 5, 8})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.EqualError(t, err, "ces: rating 8 at index 3 is outside 1..7: value out of range")
	b := make([]uint8, 500)
	for i := range b {
		b[i] = 3
	}
	b[321] = 0
	_, err = Score(FivePointEffort, b)
	assert.EqualError(t, err, "ces: rating 0 at index 321 is outside 1..5: value out of range")
	_, err = Score(SevenPoint, []int{})
	assert.ErrorIs(t, err, ErrEmpty)

	var tl Tally
	require.NoError(t, tl.Add(4))
	assert.EqualError(t, tl.Add(9), "ces: rating 9 at response 1 is outside 1..5: value out of range")
	err = tl.AddWeighted(4, math.NaN())
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "ces: weight NaN at response 1")
	assert.ErrorIs(t, tl.AddWeighted(4, -0.5), ErrOutOfRange)
	seven, _ := NewTally(SevenPoint)
	require.NoError(t, seven.Add(7))
	err = tl.Merge(&seven)
	require.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "ces: cannot merge")
	effort, _ := NewTally(FivePointEffort)
	require.NoError(t, effort.Add(1))
	assert.ErrorIs(t, tl.Merge(&effort), ErrInvalid, "CES 1.0 and a 1-5 ease scale are different scales")
	a, _ := tl.Result()
	e, _ := effort.Result()
	_, err = Compare(a, e)
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestMergeAnySplitAndEncoding(t *testing.T) {
	// Property: merging the tallies of any split of the data (directly, or after a trip through
	// bytes and JSON) equals one pass.
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 150; trial++ {
		s := []Scale{FivePoint, SevenPoint, FivePointEffort}[trial%3]
		n := 1 + rng.IntN(300)
		one, _ := NewTally(s)
		parts := make([]Tally, 1+rng.IntN(5))
		for i := range parts {
			parts[i], _ = NewTally(s)
		}
		for i := 0; i < n; i++ {
			r, w := s.Min+rng.IntN(s.Max-s.Min+1), float64(rng.IntN(4)) // zero weights too
			require.NoError(t, one.AddWeighted(r, w))
			require.NoError(t, parts[rng.IntN(len(parts))].AddWeighted(r, w))
		}
		var merged, viaWire Tally // zero Tallies adopt the scale of the first part
		for i := range parts {
			require.NoError(t, merged.Merge(&parts[i]))
			b, err := parts[i].MarshalBinary()
			require.NoError(t, err)
			var back Tally
			require.NoError(t, back.UnmarshalBinary(b))
			j, err := json.Marshal(&back)
			require.NoError(t, err)
			var backJ Tally
			require.NoError(t, json.Unmarshal(j, &backJ))
			require.Equal(t, parts[i], backJ)
			require.NoError(t, viaWire.Merge(&backJ))
		}
		a, errA := one.Result()
		b, errB := merged.Result()
		c, errC := viaWire.Result()
		assert.Equal(t, errA, errB)
		assert.Equal(t, errA, errC)
		assert.Equal(t, a, b)
		assert.Equal(t, a, c)
		assert.Equal(t, s, merged.Scale())
	}
}

func TestEncodingRejectsCorruptBytes(t *testing.T) {
	tl, _ := NewTally(FivePointEffort)
	for _, x := range []int{1, 2, 2, 5, 3} {
		require.NoError(t, tl.Add(x))
	}
	b, err := tl.MarshalBinary()
	require.NoError(t, err)
	assert.Len(t, b, 73)
	var back Tally
	for cut := 0; cut < len(b); cut++ {
		assert.ErrorIs(t, back.UnmarshalBinary(b[:cut]), ErrInvalid, "cut %d", cut)
	}
	csat := wire.Reseal(append([]byte("CSAT"), b[4:]...))
	err = back.UnmarshalBinary(csat)
	require.ErrorIs(t, err, ErrInvalid, "a csat tally is not a ces tally")
	assert.Contains(t, err.Error(), "ces.Tally")
	flags := append([]byte(nil), b...)
	flags[11] = 2
	assert.ErrorIs(t, back.UnmarshalBinary(wire.Reseal(flags)), ErrInvalid)
	assert.Equal(t, Tally{}, back, "failed decodes leave the target unchanged")
	for _, s := range []string{
		`{"version":1,"scale":{"min":1,"max":5,"lower_is_easier":true,"easy_boxes":2,"hard_boxes":4},"responses":1,"weights":[1,0,0,0,0],"sum_sq_weights":1}`,
		`{"version":1,"scale":{"min":1,"max":5,"lower_is_better":true,"easy_boxes":2},"responses":1,"weights":[1,0,0,0,0],"sum_sq_weights":1}`,
		`{"version":1,"scale":{"min":1,"max":5,"easy_boxes":2} {},"responses":1,"weights":[1,0,0,0,0],"sum_sq_weights":1}`,
		`{"version":1,"scale":null,"responses":1,"weights":[1,0,0,0,0],"sum_sq_weights":1}`,
	} {
		assert.ErrorIs(t, back.UnmarshalJSON([]byte(s)), ErrInvalid, s)
	}
	j, err := json.Marshal(&tl)
	require.NoError(t, err)
	assert.Contains(t, string(j), `"scale":{"min":1,"max":5,"lower_is_easier":true,"easy_boxes":2,"hard_boxes":2}`)
	require.NoError(t, back.UnmarshalJSON(j))
	assert.Equal(t, tl, back)
}

func TestCompareAndSampleSize(t *testing.T) {
	// Campbell (2007) N−1 test, hand-computed as in the csat tests: 15 easy of 20 against 8 of
	// 20 gives z = sqrt(5.01279·39/40) = 2.21076, p = 0.02705.
	mk := func(easy, n int) Result {
		tl, _ := NewTally(SevenPoint)
		for i := 0; i < n; i++ {
			r := 4
			if i < easy {
				r = 6
			}
			require.NoError(t, tl.Add(r))
		}
		res, err := tl.Result()
		require.NoError(t, err)
		return res
	}
	c, err := Compare(mk(15, 20), mk(8, 20))
	require.NoError(t, err)
	assert.InDelta(t, 35, c.Difference, 1e-12)
	assert.InDelta(t, 2.21076, c.Z, 1e-5)
	assert.InDelta(t, 0.02705, c.P, 1e-5)
	m, err := CompareMeans(mk(15, 20), mk(8, 20))
	require.NoError(t, err)
	assert.InDelta(t, 2*(0.75-0.4), m.Difference, 1e-12)
	_, err = Compare(Result{}, mk(1, 2))
	assert.ErrorIs(t, err, ErrEmpty)

	// ±5 points at 95%, worst case: 1.959964²·0.25/0.05² = 384.1 → 385.
	n, err := SampleSize(5, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 385, n)
	n, err = SampleSizeExpected(70, 10, 0.90)
	require.NoError(t, err)
	// 1.644854²·0.21/0.1² = 56.8 → 57.
	assert.Equal(t, 57, n)
	// 7.848867·2·0.21·100 = 329.6 → 330 per group for a 10-point change around 70%.
	n, err = SampleSizeDifference(70, 10, 0.95, 0.8)
	require.NoError(t, err)
	assert.Equal(t, 330, n)
	_, err = SampleSize(-1, 0.95)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestGroups(t *testing.T) {
	g, err := NewGroups[string](SevenPoint)
	require.NoError(t, err)
	for _, x := range []int{7, 6, 5, 4, 3, 7} {
		require.NoError(t, g.Add("chat", x))
	}
	for _, x := range []int{2, 3, 5, 1} {
		require.NoError(t, g.AddWeighted("phone", x, 2))
	}
	err = g.Add("email", 0)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "group email: ces: rating 0")
	rep, err := g.Report(5)
	require.NoError(t, err)
	require.Len(t, rep, 2)
	assert.Equal(t, "chat", rep[0].Key)
	assert.InDelta(t, 400.0/6, rep[0].Result.Score, 1e-12)
	assert.InDelta(t, 25, rep[1].Result.Score, 1e-12)
	require.NotNil(t, rep[0].VsRest)
	assert.InDelta(t, 400.0/6-25, rep[0].VsRest.Difference, 1e-12)
	assert.True(t, rep[1].TooSmall, "4 equal weights: n_eff = 4")
	tot, err := g.Total()
	require.NoError(t, err)
	assert.InDelta(t, 100*(4.0+2)/(6+8), tot.Score, 1e-12, "pooled weights, not averaged scores")
	assert.Equal(t, SevenPoint, g.Tally("chat").Scale())
	var five Groups[string]
	require.NoError(t, five.Add("chat", 5))
	assert.ErrorIs(t, g.Merge(&five), ErrInvalid)
}

func TestScoreFloats(t *testing.T) {
	r, err := ScoreFloats(FivePointEffort, []float64{1, 2, 5})
	require.NoError(t, err)
	assert.InDelta(t, 200.0/3, r.Score, 1e-12)
	_, err = ScoreFloats(SevenPoint, []float64{7, 6.5})
	require.ErrorIs(t, err, ErrInvalid)
	assert.EqualError(t, err, "ces: rating 6.5 at index 1 is not a whole number: invalid input")
	_, err = ScoreFloats(SevenPoint, []float64{0})
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestGroupsMergeIntoZero(t *testing.T) {
	// A zero Groups takes the scale of the first groups merged into it, like a zero Tally.
	part, _ := NewGroups[int](FivePointEffort)
	require.NoError(t, part.Add(1, 1))
	require.NoError(t, part.Add(2, 5))
	var all Groups[int]
	require.NoError(t, all.Merge(&part))
	require.NoError(t, all.Merge(&part))
	tot, err := all.Total()
	require.NoError(t, err)
	assert.Equal(t, FivePointEffort, tot.Scale)
	assert.Equal(t, 4, tot.Responses)
	assert.InDelta(t, 50, tot.Score, 1e-12)
	assert.Equal(t, []int{1, 2}, all.Keys())
}

func TestSpreadResetAndNil(t *testing.T) {
	// {7,6,5,4,3,7,6,2,5,6}: Σ(x − 5.1)² = 24.9 (hand computation), s = sqrt(24.9/9).
	r, err := Score(SevenPoint, []int{7, 6, 5, 4, 3, 7, 6, 2, 5, 6})
	require.NoError(t, err)
	assert.InDelta(t, 24.9, r.SumSqDev, 1e-12)
	assert.InDelta(t, math.Sqrt(24.9/9), r.StdDev(), 1e-12)
	assert.InDelta(t, math.Sqrt(24.9/9/10), r.MeanStdErr(), 1e-12)
	tl, _ := NewTally(SevenPoint)
	require.NoError(t, tl.Add(7))
	require.NoError(t, tl.Merge(nil))
	tl.Reset()
	assert.Equal(t, 0, tl.Responses())
	assert.Equal(t, SevenPoint, tl.Scale(), "Reset keeps the scale")
	var g Groups[string]
	require.NoError(t, g.Merge(nil))
	_, err = g.Total()
	assert.ErrorIs(t, err, ErrEmpty)
}
