package nps

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxkit/cxkit/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sample50_30_20 is 50 promoters, 30 passives and 20 detractors in a mixed order.
func sample50_30_20() []int {
	out := make([]int, 0, 100)
	for i := 0; i < 10; i++ {
		out = append(out, 10, 9, 10, 9, 10, 8, 7, 8, 0, 6)
	}
	return out
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		rating int
		want   Category
	}{
		{0, Detractor}, {3, Detractor}, {6, Detractor},
		{7, Passive}, {8, Passive},
		{9, Promoter}, {10, Promoter},
	} {
		got, err := Classify(tc.rating)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "rating %d", tc.rating)
	}
	for _, bad := range []int{-1, 11, 100} {
		_, err := Classify(bad)
		assert.ErrorIs(t, err, ErrOutOfRange, "rating %d", bad)
	}
	_, err := Classify(uint8(255))
	assert.ErrorIs(t, err, ErrOutOfRange)
	assert.Equal(t, "promoter", Promoter.String())
	assert.Equal(t, "Category(9)", Category(9).String())
}

func TestScoreReference(t *testing.T) {
	// Reference: MeasuringU (Sauro, "Confidence intervals for Net Promoter Scores", 2021) and the
	// R package NPS (Rocks 2016): 50 promoters, 30 passives, 20 detractors (n = 100) give at 95%
	// Wald 30.0 [14.69, 45.31] and adjusted-Wald 29.13 [14.05, 44.20].
	r, err := Score(sample50_30_20())
	require.NoError(t, err)
	assert.Equal(t, 100, r.Responses)
	assert.Equal(t, 50.0, r.Promoters)
	assert.Equal(t, 30.0, r.Passives)
	assert.Equal(t, 20.0, r.Detractors)
	assert.InDelta(t, 30.0, r.Score, 1e-12)
	// SE = 100·sqrt((0.5 + 0.2 − 0.3²)/100) = 7.8102 (same sources).
	assert.InDelta(t, 7.8102, r.StdErr, 1e-4)
	w := r.WaldInterval(0.95)
	assert.InDelta(t, 14.69, w.Lower, 0.005)
	assert.InDelta(t, 45.31, w.Upper, 0.005)
	a := r.Interval(0.95)
	assert.InDelta(t, 14.05, a.Lower, 0.005)
	assert.InDelta(t, 44.20, a.Upper, 0.005)
	assert.InDelta(t, 29.13, (a.Lower+a.Upper)/2, 0.005)
	assert.Equal(t, 0.95, a.Confidence)
	assert.Equal(t, "NPS 30.0 (n=100: 50% promoters, 30% passives, 20% detractors)", r.String())

	// An invalid confidence gives NaN bounds, as documented.
	bad := r.Interval(1.5)
	assert.True(t, math.IsNaN(bad.Lower) && math.IsNaN(bad.Upper))
	bad = r.WaldInterval(0)
	assert.True(t, math.IsNaN(bad.Lower))
}

func TestScoreExtremes(t *testing.T) {
	// All promoters: NPS 100, zero Wald SE; the adjusted-Wald interval still has width and is
	// clamped to the scale.
	r, err := Score([]int{10, 9, 10, 9, 10})
	require.NoError(t, err)
	assert.Equal(t, 100.0, r.Score)
	assert.Equal(t, 0.0, r.StdErr)
	iv := r.Interval(0.95)
	assert.Less(t, iv.Lower, 100.0)
	assert.LessOrEqual(t, iv.Upper, 100.0)
	// All detractors: −100.
	r, err = Score([]uint8{0, 1, 2, 3, 4, 5, 6})
	require.NoError(t, err)
	assert.Equal(t, -100.0, r.Score)
	assert.GreaterOrEqual(t, r.Interval(0.99).Lower, -100.0)
	// All passives: NPS 0, no variance.
	r, err = Score([]int8{7, 8, 7})
	require.NoError(t, err)
	assert.Equal(t, 0.0, r.Score)
	assert.Equal(t, 0.0, r.StdErr)
}

func TestScoreErrors(t *testing.T) {
	_, err := Score([]int{10, 9, 8, 7, 11})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.EqualError(t, err, "nps: rating 11 at index 4 is outside 0..10: value out of range")

	_, err = Score([]int{3, -2})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "rating -2 at index 1")

	// The byte fast path: a bad byte deep inside a long slice, and one of 128+ that would carry
	// between lanes of the SWAR classifier.
	for _, bad := range []uint8{11, 127, 128, 200, 255} {
		b := make([]uint8, 1000)
		b[777] = bad
		_, err = Score(b)
		require.ErrorIs(t, err, ErrOutOfRange, "byte %d", bad)
		assert.Contains(t, err.Error(), "at index 777")
	}
	_, err = Score([]int{})
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = Score[uint8](nil)
	assert.ErrorIs(t, err, ErrEmpty)
}

// naive counts categories the obvious way.
func naive(ratings []uint8) (pro, pas, det int, badIndex int) {
	badIndex = -1
	for i, r := range ratings {
		switch {
		case r > 10:
			if badIndex < 0 {
				badIndex = i
			}
		case r >= 9:
			pro++
		case r >= 7:
			pas++
		default:
			det++
		}
	}
	return
}

func TestScoreFastPathMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 300; n++ {
		b := make([]uint8, n)
		for i := range b {
			b[i] = uint8(rng.IntN(11))
		}
		if n > 0 && rng.IntN(4) == 0 {
			b[rng.IntN(n)] = uint8(11 + rng.IntN(245))
		}
		pro, pas, det, badIdx := naive(b)
		r, err := Score(b)
		switch {
		case badIdx >= 0:
			require.ErrorIs(t, err, ErrOutOfRange)
		case n == 0:
			require.ErrorIs(t, err, ErrEmpty)
		default:
			require.NoError(t, err)
			assert.Equal(t, float64(pro), r.Promoters, "n=%d", n)
			assert.Equal(t, float64(pas), r.Passives, "n=%d", n)
			assert.Equal(t, float64(det), r.Detractors, "n=%d", n)
			// The generic path gives the same result.
			ints := make([]int, n)
			for i, x := range b {
				ints[i] = int(x)
			}
			r2, err := Score(ints)
			require.NoError(t, err)
			assert.Equal(t, r, r2)
		}
	}
}

func TestTallyMatchesScore(t *testing.T) {
	var tl Tally
	for _, x := range sample50_30_20() {
		require.NoError(t, tl.Add(x))
	}
	got, err := tl.Result()
	require.NoError(t, err)
	want, err := Score(sample50_30_20())
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, 100, tl.Responses())
	assert.Equal(t, 30.0, tl.Weight(10)) // 3 tens in each block of 10
	assert.Equal(t, 0.0, tl.Weight(11))

	// Unit weights are the same as unweighted answers.
	var tw Tally
	for _, x := range sample50_30_20() {
		require.NoError(t, tw.AddWeighted(x, 1))
	}
	gw, err := tw.Result()
	require.NoError(t, err)
	assert.Equal(t, got, gw)
}

func TestTallyWeighted(t *testing.T) {
	// Weights 2 on the promoters, 1 elsewhere: N = 2·50 + 30 + 20 = 150, NPS = 100·(100 − 20)/150.
	// Kish: (Σw)²/Σw² = 150² / (50·4 + 50) = 90.
	var tl Tally
	for _, x := range sample50_30_20() {
		w := 1.0
		if x >= 9 {
			w = 2
		}
		require.NoError(t, tl.AddWeighted(x, w))
	}
	r, err := tl.Result()
	require.NoError(t, err)
	assert.InDelta(t, 150, r.N, 1e-12)
	assert.InDelta(t, 100*80.0/150, r.Score, 1e-12)
	assert.InDelta(t, 90, r.EffectiveN, 1e-12)
	p, d := 100.0/150, 20.0/150
	assert.InDelta(t, 100*math.Sqrt((p+d-(p-d)*(p-d))/90), r.StdErr, 1e-12)
}

func TestTallyErrors(t *testing.T) {
	var tl Tally
	require.NoError(t, tl.Add(5))
	err := tl.Add(11)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "rating 11 at response 1")
	for _, w := range []float64{-1, math.NaN(), math.Inf(1), math.Inf(-1)} {
		err = tl.AddWeighted(9, w)
		assert.ErrorIs(t, err, ErrOutOfRange, "weight %v", w)
	}
	assert.ErrorIs(t, tl.AddWeighted(-1, 1), ErrOutOfRange)
	assert.Equal(t, 1, tl.Responses(), "failed adds leave the tally unchanged")

	var empty Tally
	_, err = empty.Result()
	assert.ErrorIs(t, err, ErrEmpty)
	// Only zero weights: responses exist but carry no weight, still nothing to score.
	require.NoError(t, empty.AddWeighted(9, 0))
	_, err = empty.Result()
	assert.ErrorIs(t, err, ErrEmpty)
}

func TestTallyMergeAnySplit(t *testing.T) {
	// Property: merging the tallies of any split of the data equals one pass.
	rng := rand.New(rand.NewPCG(7, 9))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(400)
		ratings := make([]int, n)
		weights := make([]float64, n)
		var one Tally
		for i := range ratings {
			ratings[i] = rng.IntN(11)
			weights[i] = float64(1 + rng.IntN(4)) // integer weights keep the sums exact
			require.NoError(t, one.AddWeighted(ratings[i], weights[i]))
		}
		parts := make([]Tally, 1+rng.IntN(6))
		for i := range ratings {
			require.NoError(t, parts[rng.IntN(len(parts))].AddWeighted(ratings[i], weights[i]))
		}
		var merged Tally
		for i := range parts {
			require.NoError(t, merged.Merge(&parts[i]))
		}
		require.NoError(t, merged.Merge(nil))
		a, err := one.Result()
		require.NoError(t, err)
		b, err := merged.Result()
		require.NoError(t, err)
		assert.Equal(t, a, b)
	}
}

func TestTallyEncoding(t *testing.T) {
	var tl Tally
	for i, x := range sample50_30_20() {
		require.NoError(t, tl.AddWeighted(x, 0.5+float64(i%3)))
	}
	b, err := tl.MarshalBinary()
	require.NoError(t, err)
	assert.Len(t, b, wire.HeaderSize+8*14)
	var back Tally
	require.NoError(t, back.UnmarshalBinary(b))
	assert.Equal(t, tl, back)

	j, err := json.Marshal(&tl)
	require.NoError(t, err)
	var backJ Tally
	require.NoError(t, json.Unmarshal(j, &backJ))
	assert.Equal(t, tl, backJ)

	// Every truncation, a foreign tag, a future version, trailing bytes and impossible weights
	// are rejected and leave the target unchanged.
	for cut := 0; cut < len(b); cut++ {
		assert.ErrorIs(t, back.UnmarshalBinary(b[:cut]), ErrInvalid, "cut %d", cut)
	}
	bad := append([]byte(nil), b...)
	bad[0] = 'X'
	assert.ErrorIs(t, back.UnmarshalBinary(bad), ErrInvalid)
	bad = append([]byte(nil), b...)
	bad[4] = 3
	assert.ErrorIs(t, back.UnmarshalBinary(bad), ErrInvalid)
	assert.ErrorIs(t, back.UnmarshalBinary(append(b, 0)), ErrInvalid)
	bad = append([]byte(nil), b...)
	copy(bad[25:33], []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f}) // NaN weight of rating 0
	assert.ErrorIs(t, back.UnmarshalBinary(wire.Reseal(bad)), ErrInvalid)
	bad = append([]byte(nil), b...)
	copy(bad[25:33], []byte{0, 0, 0, 0, 0, 0, 0xf0, 0xbf}) // −1
	assert.ErrorIs(t, back.UnmarshalBinary(wire.Reseal(bad)), ErrInvalid)
	assert.Equal(t, tl, back)

	for _, s := range []string{
		`"x"`, `[]`, `{"version":2,"responses":1,"weights":[0,0,0,0,0,0,0,0,0,0,1],"sum_sq_weights":1}`,
		`{"version":1,"responses":1,"weights":[1],"sum_sq_weights":1}`,
		`{"version":1,"responses":-1,"weights":[0,0,0,0,0,0,0,0,0,0,1],"sum_sq_weights":1}`,
		`{"version":1,"responses":1,"weights":[0,0,0,0,0,0,0,0,0,0,-1],"sum_sq_weights":1}`,
		`{"version":1,"responses":0,"weights":[0,0,0,0,0,0,0,0,0,0,1],"sum_sq_weights":1}`,
	} {
		assert.ErrorIs(t, json.Unmarshal([]byte(s), &backJ), ErrInvalid, s)
	}
	assert.Equal(t, tl, backJ)
}

func TestCompare(t *testing.T) {
	// Hand computation: A = 50/30/20 (NPS 30, SE 7.8102), B = 30/30/40 of 100
	// (NPS −10, SE 100·sqrt((0.3 + 0.4 − 0.01)/100) = 8.3066). Difference 40, SE = 11.4018,
	// z = 3.5082, two-sided p = 4.51e-4.
	a, err := Score(sample50_30_20())
	require.NoError(t, err)
	var tb Tally
	for i := 0; i < 100; i++ {
		r := 10
		switch {
		case i >= 60:
			r = 3
		case i >= 30:
			r = 8
		}
		require.NoError(t, tb.Add(r))
	}
	b, err := tb.Result()
	require.NoError(t, err)
	c, err := Compare(a, b)
	require.NoError(t, err)
	assert.InDelta(t, 40, c.Difference, 1e-12)
	assert.InDelta(t, 11.4018, c.StdErr, 1e-4)
	assert.InDelta(t, 3.5082, c.Z, 1e-4)
	assert.InDelta(t, 4.51e-4, c.P, 1e-6)
	assert.True(t, c.Significant(0.05))
	c2, err := Compare(b, a)
	require.NoError(t, err)
	assert.InDelta(t, -c.Z, c2.Z, 1e-12)

	_, err = Compare(a, Result{})
	assert.ErrorIs(t, err, ErrEmpty)
	// Zero variance on both sides: no p-value from a zero standard error (issue 10).
	allP, _ := Score([]int{10, 10})
	_, err = Compare(allP, allP)
	assert.ErrorIs(t, err, ErrTooSmall)
	allD, _ := Score([]int{0, 0})
	_, err = Compare(allP, allD)
	assert.ErrorIs(t, err, ErrTooSmall)
}

// Issue 10: one promoter against one detractor said P = 0, significant. The expected promoter
// count of each sample under pooling is 1·½ = 0.5, below Campbell's minimum of 1.
func TestCompareTinySamples(t *testing.T) {
	p, _ := Score([]int{10})
	d, _ := Score([]int{0})
	_, err := Compare(p, d)
	require.ErrorIs(t, err, ErrTooSmall)
	assert.Contains(t, err.Error(), "expected promoter count of the comparison is 0.5")
	// One promoter against ten answers: expected promoters 1·(2/11) = 0.18.
	ten, _ := Score([]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 10})
	_, err = Compare(p, ten)
	assert.ErrorIs(t, err, ErrTooSmall)
	// The expected counts are 1 exactly at 2 against 2 with one of each: tested.
	a, _ := Score([]int{10, 0})
	b, _ := Score([]int{10, 0})
	c, err := Compare(a, b)
	require.NoError(t, err)
	assert.Equal(t, 1.0, c.P)
}

func TestSampleSize(t *testing.T) {
	// Worst case (variance 1): n = (100·1.959964/5)² = 1536.6 → 1537 for ±5 points at 95%.
	n, err := SampleSize(5, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 1537, n)
	// Expected 50% promoters, 20% detractors: variance 0.61, n = 1.959964²·0.61·(100/10)²
	// = 234.3 → 235 for ±10 points (consistent with the SE of 7.81 at n = 100 above:
	// 1.96·7.81·sqrt(100/235) = 9.99).
	n, err = SampleSizeExpected(50, 20, 10, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 235, n)
	// Difference of 10 points, 95% confidence, 80% power, both groups 50/20:
	// (1.959964 + 0.841621)²·2·0.61·100 = 957.7 → 958 per group.
	n, err = SampleSizeDifference(50, 20, 10, 0.95, 0.8)
	require.NoError(t, err)
	assert.Equal(t, 958, n)

	for _, tc := range []struct {
		name string
		fn   func() (int, error)
	}{
		{"zero margin", func() (int, error) { return SampleSize(0, 0.95) }},
		{"bad confidence", func() (int, error) { return SampleSize(5, 95) }},
		{"shares over 100", func() (int, error) { return SampleSizeExpected(70, 40, 5, 0.95) }},
		{"no variance", func() (int, error) { return SampleSizeExpected(0, 0, 5, 0.95) }},
		{"power", func() (int, error) { return SampleSizeDifference(50, 20, 10, 0.95, 0.4) }},
		{"negative delta", func() (int, error) { return SampleSizeDifference(50, 20, -1, 0.95, 0.8) }},
	} {
		_, err := tc.fn()
		assert.True(t, errors.Is(err, ErrOutOfRange), tc.name)
	}
}

func TestGroups(t *testing.T) {
	var g Groups[string]
	// Month 1: 50/30/20 (NPS 30); month 2: 30/30/40 (NPS −10); month 3: only 10 answers.
	for _, x := range sample50_30_20() {
		require.NoError(t, g.Add("2026-01", x))
	}
	for i := 0; i < 100; i++ {
		r := 10
		switch {
		case i >= 60:
			r = 3
		case i >= 30:
			r = 8
		}
		require.NoError(t, g.Add("2026-02", r))
	}
	for i := 0; i < 10; i++ {
		require.NoError(t, g.AddWeighted("2026-03", 9, 1))
	}
	err := g.Add("2026-04", 12)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "group 2026-04")
	assert.Equal(t, []string{"2026-01", "2026-02", "2026-03"}, g.Keys(), "a failed add creates no group")

	rep, err := g.Report(30)
	require.NoError(t, err)
	require.Len(t, rep, 3)
	assert.InDelta(t, 30, rep[0].Result.Score, 1e-12)
	assert.Nil(t, rep[0].VsPrevious)
	require.NotNil(t, rep[1].VsPrevious)
	assert.InDelta(t, -40, rep[1].VsPrevious.Difference, 1e-12)
	assert.True(t, rep[2].TooSmall)
	assert.False(t, rep[0].TooSmall)

	// Pooled total: 50+30+10 promoters, 20+40 detractors of 210 — counts pooled, not scores
	// averaged (the mean of 30, −10 and 100 would be 40).
	tot, err := g.Total()
	require.NoError(t, err)
	assert.InDelta(t, 100*(90.0-60)/210, tot.Score, 1e-12)
	// VsRest for month 1 compares with months 2 and 3 pooled: 40 promoters, 40 detractors of 110.
	require.NotNil(t, rep[0].VsRest)
	assert.InDelta(t, 30-0.0, rep[0].VsRest.Difference, 1e-12)

	var g2 Groups[string]
	require.NoError(t, g2.Add("2026-03", 0))
	g.Merge(&g2)
	assert.Equal(t, 11, g.Tally("2026-03").Responses())

	var empty Groups[int]
	_, err = empty.Report(0)
	assert.ErrorIs(t, err, ErrEmpty)
}
