package csat

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cxkit/cxkit/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seed is the reference sample of issue 3: on 1-5, {5,4,3,2,1,5,4,4} has CSAT 62.5.
var seed = []int{5, 4, 3, 2, 1, 5, 4, 4}

func TestScoreReference(t *testing.T) {
	// Seed formula (DESIGN.md, issue 3): 5 satisfied (4-5) of 8 responses → 62.5.
	// Mean and its interval by hand: mean 3.5, Σ(x − 3.5)² = 14, s² = 14/7 = 2, SE = sqrt(2/8) =
	// 0.5, and t(0.975; 7) = 2.364624 (NIST/SEMATECH e-Handbook table 1.3.6.7.2: 2.365), so the
	// 95% interval is 3.5 ± 1.182312 = [2.317688, 4.682312].
	for _, tc := range []struct {
		name string
		run  func() (Result, error)
	}{
		{"int", func() (Result, error) { return Score(FivePoint, seed) }},
		{"uint8", func() (Result, error) { return Score(FivePoint, []uint8{5, 4, 3, 2, 1, 5, 4, 4}) }},
		{"int64", func() (Result, error) { return Score(FivePoint, []int64{5, 4, 3, 2, 1, 5, 4, 4}) }},
		{"zero scale is FivePoint", func() (Result, error) { return Score(Scale{}, seed) }},
	} {
		r, err := tc.run()
		require.NoError(t, err, tc.name)
		assert.Equal(t, FivePoint, r.Scale, tc.name)
		assert.Equal(t, 8, r.Responses, tc.name)
		assert.Equal(t, 5.0, r.Satisfied, tc.name)
		assert.InDelta(t, 62.5, r.Score, 1e-12, tc.name)
		assert.InDelta(t, 3.5, r.Mean, 1e-12, tc.name)
		assert.InDelta(t, 14, r.SumSqDev, 1e-12, tc.name)
		assert.InDelta(t, math.Sqrt2, r.StdDev(), 1e-12, tc.name)
		assert.InDelta(t, 0.5, r.MeanStdErr(), 1e-12, tc.name)
		mi := r.MeanInterval(0.95)
		assert.InDelta(t, 2.317688, mi.Lower, 1e-6, tc.name)
		assert.InDelta(t, 4.682312, mi.Upper, 1e-6, tc.name)
		// SE of the share: 100·sqrt(0.625·0.375/8) = 17.1163.
		assert.InDelta(t, 17.1163, r.StdErr, 1e-4, tc.name)
	}
	r, err := Score(FivePoint, seed)
	require.NoError(t, err)
	assert.Equal(t, "CSAT 62.5 (n=8, 1-5, satisfied 4-5; mean 3.50)", r.String())
}

func TestWilsonReference(t *testing.T) {
	// Sauro & Lewis (2016), Quantifying the User Experience 2nd ed., ch. 3 (and issue 3):
	// 45 satisfied of 50 → 90% [78.6, 95.7]; 10 of 10 → [72.2, 100], at 95%. Tolerance:
	// the published values are rounded to 0.1 points.
	for _, tc := range []struct {
		satisfied, n int
		score        float64
		lo, hi       float64
	}{
		{45, 50, 90, 78.6, 95.7},
		{10, 10, 100, 72.2, 100},
	} {
		ratings := make([]int, tc.n)
		for i := range ratings {
			ratings[i] = 2
			if i < tc.satisfied {
				ratings[i] = 5
			}
		}
		r, err := Score(FivePoint, ratings)
		require.NoError(t, err)
		assert.InDelta(t, tc.score, r.Score, 1e-12)
		iv := r.Interval(0.95)
		assert.InDelta(t, tc.lo, iv.Lower, 0.05, "%d of %d", tc.satisfied, tc.n)
		assert.InDelta(t, tc.hi, iv.Upper, 0.05, "%d of %d", tc.satisfied, tc.n)
		assert.Equal(t, 0.95, iv.Confidence)
	}
	r, _ := Score(FivePoint, seed)
	for _, bad := range []float64{0, 1, -1, math.NaN()} {
		iv := r.Interval(bad)
		assert.True(t, math.IsNaN(iv.Lower) && math.IsNaN(iv.Upper), "confidence %v", bad)
		iv = r.MeanInterval(bad)
		assert.True(t, math.IsNaN(iv.Lower) && math.IsNaN(iv.Upper), "confidence %v", bad)
	}
}

func TestScales(t *testing.T) {
	// Each preset's satisfied answers, as documented.
	for _, tc := range []struct {
		s    Scale
		want []int
		desc string
	}{
		{ThreePoint, []int{3}, "1-3, satisfied 3"},
		{FivePoint, []int{4, 5}, "1-5, satisfied 4-5"},
		{SevenPoint, []int{6, 7}, "1-7, satisfied 6-7"},
		{SevenPointTop3, []int{5, 6, 7}, "1-7, satisfied 5-7"},
		{TenPoint, []int{9, 10}, "1-10, satisfied 9-10"},
		{TenPointTop3, []int{8, 9, 10}, "1-10, satisfied 8-10"},
	} {
		require.NoError(t, tc.s.Check())
		var got []int
		for r := -1; r <= 12; r++ {
			if tc.s.Satisfied(r) {
				got = append(got, r)
			}
		}
		assert.Equal(t, tc.want, got, tc.desc)
		assert.Equal(t, tc.desc, tc.s.String())
		// A score over every answer once: |satisfied| / points.
		all := make([]int, 0, tc.s.Max-tc.s.Min+1)
		for r := tc.s.Min; r <= tc.s.Max; r++ {
			all = append(all, r)
		}
		res, err := Score(tc.s, all)
		require.NoError(t, err)
		assert.InDelta(t, 100*float64(len(tc.want))/float64(len(all)), res.Score, 1e-12, tc.desc)
		assert.InDelta(t, float64(tc.s.Min+tc.s.Max)/2, res.Mean, 1e-12, tc.desc)
	}
	for _, bad := range []Scale{
		{Min: 5, Max: 1, TopBoxes: 1}, {Min: -1, Max: 5, TopBoxes: 2}, {Min: 1, Max: 101, TopBoxes: 2},
		{Min: 0, Max: 11, TopBoxes: 2}, {Min: 1, Max: 5, TopBoxes: 0}, {Min: 1, Max: 5, TopBoxes: 5},
	} {
		assert.ErrorIs(t, bad.Check(), ErrInvalid, "%+v", bad)
		_, err := Score(bad, []int{1})
		assert.ErrorIs(t, err, ErrInvalid, "%+v", bad)
		_, err = NewTally(bad)
		assert.ErrorIs(t, err, ErrInvalid, "%+v", bad)
		_, err = NewGroups[string](bad)
		assert.ErrorIs(t, err, ErrInvalid, "%+v", bad)
	}
	// 0-10 is allowed (11 answers).
	assert.NoError(t, Scale{Min: 0, Max: 10, TopBoxes: 2}.Check())
}

func TestScoreErrors(t *testing.T) {
	_, err := Score(FivePoint, []int{5, 4, 3, 2, 6})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.EqualError(t, err, "csat: rating 6 at index 4 is outside 1..5: value out of range")
	_, err = Score(FivePoint, []int{3, 0})
	assert.EqualError(t, err, "csat: rating 0 at index 1 is outside 1..5: value out of range")
	_, err = Score(SevenPoint, []int8{3, -2})
	assert.Contains(t, err.Error(), "rating -2 at index 1 is outside 1..7")
	_, err = Score(FivePoint, []uint64{3, math.MaxUint64})
	assert.Contains(t, err.Error(), "rating 18446744073709551615 at index 1")
	// The byte fast path: a bad byte deep inside a long slice, below Min, above Max, and of
	// 128+ (which would borrow or carry between the lanes of a 64-bit word).
	for _, bad := range []uint8{0, 6, 127, 128, 200, 255} {
		b := make([]uint8, 1000)
		for i := range b {
			b[i] = uint8(1 + i%5)
		}
		b[777] = bad
		_, err = Score(FivePoint, b)
		require.ErrorIs(t, err, ErrOutOfRange, "byte %d", bad)
		assert.Contains(t, err.Error(), "at index 777")
	}
	_, err = Score(FivePoint, []int{})
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = Score[uint8](FivePoint, nil)
	assert.ErrorIs(t, err, ErrEmpty)
}

// naive counts each answer the obvious way; bad is the first index off the scale or −1.
func naive(s Scale, ratings []uint8) (counts map[int]int, bad int) {
	counts, bad = map[int]int{}, -1
	for i, r := range ratings {
		if int(r) < s.Min || int(r) > s.Max {
			if bad < 0 {
				bad = i
			}
			continue
		}
		counts[int(r)]++
	}
	return
}

func TestScoreFastPathMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	scales := []Scale{ThreePoint, FivePoint, SevenPoint, TenPointTop3, {Min: 0, Max: 10, TopBoxes: 3}}
	for trial := 0; trial < 400; trial++ {
		s := scales[trial%len(scales)]
		n := rng.IntN(2000)
		b := make([]uint8, n)
		for i := range b {
			b[i] = uint8(s.Min + rng.IntN(s.Max-s.Min+1))
		}
		if n > 0 && rng.IntN(4) == 0 {
			b[rng.IntN(n)] = uint8(rng.IntN(256))
		}
		counts, bad := naive(s, b)
		r, err := Score(s, b)
		ints := make([]int, n)
		for i, x := range b {
			ints[i] = int(x)
		}
		r2, err2 := Score(s, ints)
		switch {
		case bad >= 0:
			require.ErrorIs(t, err, ErrOutOfRange)
			assert.Equal(t, err, err2, "same first bad index on both paths")
		case n == 0:
			require.ErrorIs(t, err, ErrEmpty)
		default:
			require.NoError(t, err)
			require.NoError(t, err2)
			sat := 0
			for v, c := range counts {
				if s.Satisfied(v) {
					sat += c
				}
			}
			assert.Equal(t, float64(sat), r.Satisfied, "n=%d", n)
			assert.Equal(t, r, r2, "n=%d", n)
		}
	}
}

func TestTallyMatchesScore(t *testing.T) {
	var tl Tally // zero value: FivePoint on first Add
	for _, x := range seed {
		require.NoError(t, tl.Add(x))
	}
	got, err := tl.Result()
	require.NoError(t, err)
	want, err := Score(FivePoint, seed)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, 8, tl.Responses())
	assert.Equal(t, 3.0, tl.Weight(4))
	assert.Equal(t, 0.0, tl.Weight(6))
	assert.Equal(t, FivePoint, tl.Scale())

	tw, err := NewTally(FivePoint)
	require.NoError(t, err)
	for _, x := range seed {
		require.NoError(t, tw.AddWeighted(x, 1))
	}
	gw, err := tw.Result()
	require.NoError(t, err)
	assert.Equal(t, got, gw, "unit weights are unweighted answers")

	tl.Reset()
	assert.Equal(t, 0, tl.Responses())
	assert.Equal(t, FivePoint, tl.Scale())
}

func TestTallyWeighted(t *testing.T) {
	// Weights 2 on the satisfied answers, 1 elsewhere, on the seed: N = 2·5 + 3 = 13,
	// CSAT = 100·10/13; Kish n_eff = 13² / (5·4 + 3) = 169/23. The mean is (2·(5+4+5+4+4) +
	// 3+2+1)/13 = 50/13 and its interval uses the same n_eff (hand computation).
	var tl Tally
	for _, x := range seed {
		w := 1.0
		if x >= 4 {
			w = 2
		}
		require.NoError(t, tl.AddWeighted(x, w))
	}
	r, err := tl.Result()
	require.NoError(t, err)
	assert.InDelta(t, 13, r.N, 1e-12)
	assert.InDelta(t, 100*10.0/13, r.Score, 1e-12)
	neff := 169.0 / 23
	assert.InDelta(t, neff, r.EffectiveN, 1e-12)
	p := 10.0 / 13
	assert.InDelta(t, 100*math.Sqrt(p*(1-p)/neff), r.StdErr, 1e-12)
	mean := 50.0 / 13
	assert.InDelta(t, mean, r.Mean, 1e-12)
	m2 := 0.0
	for _, x := range seed {
		w := 1.0
		if x >= 4 {
			w = 2
		}
		m2 += w * (float64(x) - mean) * (float64(x) - mean)
	}
	assert.InDelta(t, m2, r.SumSqDev, 1e-12)
	variance := m2 / (13 - 23.0/13) // reliability weights: Σw − Σw²/Σw
	assert.InDelta(t, math.Sqrt(variance/neff), r.MeanStdErr(), 1e-12)
}

func TestTallyErrors(t *testing.T) {
	var tl Tally
	require.NoError(t, tl.Add(5))
	err := tl.Add(6)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.EqualError(t, err, "csat: rating 6 at response 1 is outside 1..5: value out of range")
	for _, w := range []float64{-1, math.NaN(), math.Inf(1), math.Inf(-1), 1e-200, 1e200} {
		err = tl.AddWeighted(4, w)
		require.ErrorIs(t, err, ErrOutOfRange, "weight %v", w)
		assert.Contains(t, err.Error(), "at response 1")
	}
	assert.ErrorIs(t, tl.AddWeighted(0, 1), ErrOutOfRange)
	assert.Equal(t, 1, tl.Responses(), "failed adds leave the tally unchanged")

	var empty Tally
	_, err = empty.Result()
	assert.ErrorIs(t, err, ErrEmpty)
	require.NoError(t, empty.AddWeighted(4, 0))
	_, err = empty.Result()
	assert.ErrorIs(t, err, ErrEmpty, "only zero weights: nothing to score")

	// A failed first Add does not fix the scale: the zero Tally can still adopt another.
	var z Tally
	assert.Error(t, z.Add(7))
	seven, _ := NewTally(SevenPoint)
	require.NoError(t, seven.Add(7))
	require.NoError(t, z.Merge(&seven))
	assert.Equal(t, SevenPoint, z.Scale())
}

func TestTallyMergeScales(t *testing.T) {
	five, seven := Tally{}, Tally{}
	require.NoError(t, five.Add(5))
	seven, _ = NewTally(SevenPoint)
	require.NoError(t, seven.Add(7))
	err := five.Merge(&seven)
	require.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "csat: cannot merge a tally on scale 1-7, satisfied 6-7 into one on scale 1-5, satisfied 4-5")
	assert.Equal(t, 1, five.Responses(), "a failed merge leaves the tally unchanged")
	require.NoError(t, five.Merge(nil))
	require.NoError(t, five.Merge(&Tally{}))
	// Results on different scales do not compare either.
	a, _ := five.Result()
	b, _ := seven.Result()
	_, err = Compare(a, b)
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = CompareMeans(a, b)
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestTallyMergeAnySplit(t *testing.T) {
	// Property: merging the tallies of any split of the data equals one pass.
	rng := rand.New(rand.NewPCG(7, 9))
	for trial := 0; trial < 200; trial++ {
		s := []Scale{ThreePoint, FivePoint, SevenPointTop3, TenPoint}[trial%4]
		n := 1 + rng.IntN(400)
		ratings := make([]int, n)
		weights := make([]float64, n)
		one, _ := NewTally(s)
		for i := range ratings {
			ratings[i] = s.Min + rng.IntN(s.Max-s.Min+1)
			weights[i] = float64(1 + rng.IntN(4)) // integer weights keep the sums exact
			require.NoError(t, one.AddWeighted(ratings[i], weights[i]))
		}
		parts := make([]Tally, 1+rng.IntN(6))
		for i := range parts {
			parts[i], _ = NewTally(s)
		}
		for i := range ratings {
			require.NoError(t, parts[rng.IntN(len(parts))].AddWeighted(ratings[i], weights[i]))
		}
		var merged Tally // zero: adopts the scale of the first part
		for i := range parts {
			require.NoError(t, merged.Merge(&parts[i]))
		}
		a, err := one.Result()
		require.NoError(t, err)
		b, err := merged.Result()
		require.NoError(t, err)
		assert.Equal(t, a, b)
	}
}

func TestTallyEncoding(t *testing.T) {
	tl, _ := NewTally(SevenPoint)
	for i := 0; i < 40; i++ {
		require.NoError(t, tl.AddWeighted(1+i%7, 0.5+float64(i%3)))
	}
	b, err := tl.MarshalBinary()
	require.NoError(t, err)
	assert.Len(t, b, wire.HeaderSize+8+8+7*8+8)
	var back Tally
	require.NoError(t, back.UnmarshalBinary(b))
	assert.Equal(t, tl, back)

	j, err := json.Marshal(&tl)
	require.NoError(t, err)
	var backJ Tally
	require.NoError(t, json.Unmarshal(j, &backJ))
	assert.Equal(t, tl, backJ)

	// The zero Tally round-trips as "no scale yet".
	var zero, zb Tally
	zbin, _ := zero.MarshalBinary()
	require.NoError(t, zb.UnmarshalBinary(zbin))
	assert.Equal(t, zero, zb)
	zj, _ := json.Marshal(&zero)
	assert.JSONEq(t, `{"version":1,"responses":0,"weights":[],"sum_sq_weights":0}`, string(zj))
	require.NoError(t, json.Unmarshal(zj, &zb))

	// Every truncation, a foreign tag, a future version, trailing bytes, a bad scale and
	// impossible weights are rejected and leave the target unchanged.
	for cut := 0; cut < len(b); cut++ {
		assert.ErrorIs(t, back.UnmarshalBinary(b[:cut]), ErrInvalid, "cut %d", cut)
	}
	corrupt := func(at int, bytes ...byte) []byte {
		c := append([]byte(nil), b...)
		copy(c[at:], bytes)
		return wire.Reseal(c) // past the checksum: the consistency checks must catch it
	}
	for name, c := range map[string][]byte{
		"tag":            corrupt(0, 'X'),
		"version":        corrupt(4, 3),
		"trailing":       append(append([]byte(nil), b...), 0),
		"min > max":      corrupt(9, 9),
		"reversed csat":  corrupt(11, 1),
		"bottom boxes":   corrupt(13, 1),
		"junk scale":     corrupt(16, 1),
		"NaN weight":     corrupt(25, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f),
		"negative":       corrupt(25, 0, 0, 0, 0, 0, 0, 0xf0, 0xbf),
		"no responses":   corrupt(17, 0, 0, 0, 0, 0, 0, 0, 0),
		"neff > n":       corrupt(81, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f), // Σw² = 1 with Σw = 60
		"huge responses": corrupt(17, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	} {
		assert.ErrorIs(t, back.UnmarshalBinary(c), ErrInvalid, name)
	}
	assert.Equal(t, tl, back)

	for _, s := range []string{
		`"x"`, `[]`,
		`{"version":2,"scale":{"min":1,"max":5,"top_boxes":2},"responses":1,"weights":[0,0,0,0,1],"sum_sq_weights":1}`,
		`{"version":1,"scale":{"min":1,"max":5,"top_boxes":2},"responses":1,"weights":[1],"sum_sq_weights":1}`,
		`{"version":1,"scale":{"min":1,"max":5,"top_boxes":9},"responses":1,"weights":[0,0,0,0,1],"sum_sq_weights":1}`,
		`{"version":1,"scale":{"min":1,"max":5,"top_boxes":2,"lower_is_better":true},"responses":1,"weights":[0,0,0,0,1],"sum_sq_weights":1}`,
		`{"version":1,"scale":{"min":1,"max":5,"top_boxes":"2"},"responses":1,"weights":[0,0,0,0,1],"sum_sq_weights":1}`,
		`{"version":1,"scale":{"min":0,"max":0,"top_boxes":0},"responses":0,"weights":[],"sum_sq_weights":0}`,
		`{"version":1,"scale":{"min":1,"max":5,"top_boxes":2},"responses":-1,"weights":[0,0,0,0,1],"sum_sq_weights":1}`,
		`{"version":1,"scale":{"min":1,"max":5,"top_boxes":2},"responses":1,"weights":[0,0,0,0,-1],"sum_sq_weights":1}`,
		`{"version":1,"scale":{"min":1,"max":5,"top_boxes":2},"responses":0,"weights":[0,0,0,0,1],"sum_sq_weights":1}`,
		`{"version":1,"responses":3,"weights":[],"sum_sq_weights":0}`,
	} {
		assert.ErrorIs(t, json.Unmarshal([]byte(s), &backJ), ErrInvalid, s)
	}
	assert.Equal(t, tl, backJ)
}

func TestCompare(t *testing.T) {
	// Campbell (2007): the N−1 chi-squared statistic is Pearson's × (N−1)/N. For 15 satisfied
	// of 20 against 8 of 20, Pearson's χ² = (15·12 − 5·8)²·40 / (20·20·23·17) = 5.01279 (hand
	// computation), so z = sqrt(5.01279·39/40) = 2.21076 and the two-sided p = 0.02705.
	mk := func(sat, n int) Result {
		var tl Tally
		for i := 0; i < n; i++ {
			r := 3
			if i < sat {
				r = 4
			}
			require.NoError(t, tl.Add(r))
		}
		res, err := tl.Result()
		require.NoError(t, err)
		return res
	}
	a, b := mk(15, 20), mk(8, 20)
	c, err := Compare(a, b)
	require.NoError(t, err)
	assert.InDelta(t, 35, c.Difference, 1e-12)
	assert.InDelta(t, 2.21076, c.Z, 1e-5)
	assert.InDelta(t, 0.02705, c.P, 1e-5)
	// The pooled SE in points: 100·sqrt(0.575·0.425·(2/20)) = 15.6325.
	assert.InDelta(t, 15.6325, c.StdErr, 1e-4)
	c2, err := Compare(b, a)
	require.NoError(t, err)
	assert.InDelta(t, -c.Z, c2.Z, 1e-12)
	_, err = Compare(a, Result{})
	assert.ErrorIs(t, err, ErrEmpty)

	// Means: a has 15 fours and 5 threes (mean 3.75), b 8 fours and 12 threes (mean 3.4).
	m, err := CompareMeans(a, b)
	require.NoError(t, err)
	assert.InDelta(t, 0.35, m.Difference, 1e-12)
	assert.InDelta(t, math.Hypot(a.MeanStdErr(), b.MeanStdErr()), m.StdErr, 1e-12)
	one := mk(1, 1)
	_, err = CompareMeans(one, a)
	assert.ErrorIs(t, err, ErrEmpty, "a single response has no standard deviation")
}

func TestSampleSize(t *testing.T) {
	// Worst case p = 0.5: n = 1.959964²·0.25/0.05² = 384.1 → 385 (the textbook 385 of
	// Cochran's formula for ±5% at 95%).
	n, err := SampleSize(5, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 385, n)
	// Expected 80%: 1.959964²·0.16/0.05² = 245.9 → 246.
	n, err = SampleSizeExpected(80, 5, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 246, n)
	// Two groups near 50%, a 10-point change, 95% confidence, 80% power:
	// (1.959964 + 0.841621)²·2·0.25·(100/10)² = 392.4 → 393 per group (hand computation with the
	// normal quantiles of NIST/SEMATECH table 1.3.6.7.1).
	n, err = SampleSizeDifference(50, 10, 0.95, 0.8)
	require.NoError(t, err)
	assert.Equal(t, 393, n)
	for _, bad := range [][4]float64{{50, 10, 0.95, 0.4}, {50, 0, 0.95, 0.8}, {0, 10, 0.95, 0.8}, {50, 10, 1, 0.8}} {
		_, err := SampleSizeDifference(bad[0], bad[1], bad[2], bad[3])
		assert.ErrorIs(t, err, ErrOutOfRange, "%v", bad)
	}
	for _, bad := range [][3]float64{{50, 0, 0.95}, {50, 5, 95}, {0, 5, 0.95}, {100, 5, 0.95}, {50, 100, 0.95}, {math.NaN(), 5, 0.95}} {
		_, err := SampleSizeExpected(bad[0], bad[1], bad[2])
		assert.ErrorIs(t, err, ErrOutOfRange, "%v", bad)
	}
}

func TestSingleResponse(t *testing.T) {
	// n = 1: the share has a Wilson interval, the mean has none (documented NaN).
	r, err := Score(FivePoint, []int{5})
	require.NoError(t, err)
	assert.Equal(t, 100.0, r.Score)
	assert.False(t, math.IsNaN(r.Interval(0.95).Lower))
	assert.True(t, math.IsNaN(r.StdDev()))
	assert.True(t, math.IsNaN(r.MeanStdErr()))
	assert.True(t, math.IsNaN(r.MeanInterval(0.95).Lower))
	_, err = json.Marshal(r)
	assert.NoError(t, err, "a Result always encodes")
	// All answers equal: zero-width mean interval.
	r, err = Score(FivePoint, []int{4, 4, 4})
	require.NoError(t, err)
	iv := r.MeanInterval(0.95)
	assert.Equal(t, 4.0, iv.Lower)
	assert.Equal(t, 4.0, iv.Upper)
}

func TestGroups(t *testing.T) {
	g, err := NewGroups[string](FivePoint)
	require.NoError(t, err)
	// Month 1: the seed (5 of 8 satisfied); month 2: 1 of 4.
	for _, x := range seed {
		require.NoError(t, g.Add("2026-01", x))
	}
	for _, x := range []int{1, 2, 5, 3} {
		require.NoError(t, g.AddWeighted("2026-02", x, 1))
	}
	err = g.Add("2026-03", 6)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "group 2026-03: csat: rating 6")
	assert.Equal(t, []string{"2026-01", "2026-02"}, g.Keys(), "a failed add creates no group")

	rep, err := g.Report(5)
	require.NoError(t, err)
	require.Len(t, rep, 2)
	assert.InDelta(t, 62.5, rep[0].Result.Score, 1e-12)
	assert.Nil(t, rep[0].VsPrevious)
	require.NotNil(t, rep[1].VsPrevious)
	assert.InDelta(t, 25-62.5, rep[1].VsPrevious.Difference, 1e-12)
	assert.True(t, rep[1].TooSmall)
	assert.False(t, rep[0].TooSmall)
	require.NotNil(t, rep[0].VsRest)
	assert.InDelta(t, 62.5-25, rep[0].VsRest.Difference, 1e-12)

	// Pooled, not averaged: 6 of 12 = 50 (the mean of 62.5 and 25 would be 43.75).
	tot, err := g.Total()
	require.NoError(t, err)
	assert.InDelta(t, 50, tot.Score, 1e-12)

	var g2 Groups[string] // zero: FivePoint
	require.NoError(t, g2.Add("2026-02", 4))
	require.NoError(t, g.Merge(&g2))
	assert.Equal(t, 5, g.Tally("2026-02").Responses())
	g7, _ := NewGroups[string](SevenPoint)
	require.NoError(t, g7.Add("x", 7))
	assert.ErrorIs(t, g.Merge(&g7), ErrInvalid)
	require.NoError(t, g.Merge(nil))

	var empty Groups[int]
	_, err = empty.Report(0)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = empty.Total()
	assert.ErrorIs(t, err, ErrEmpty)
}

func TestScoreFloats(t *testing.T) {
	// Whole float64 ratings score exactly like ints.
	fl := make([]float64, len(seed))
	for i, x := range seed {
		fl[i] = float64(x)
	}
	got, err := ScoreFloats(FivePoint, fl)
	require.NoError(t, err)
	want, _ := Score(FivePoint, seed)
	assert.Equal(t, want, got)
	for _, tc := range []struct {
		ratings  []float64
		sentinel error
		msg      string
	}{
		{[]float64{5, 4, 4.5}, ErrInvalid, "csat: rating 4.5 at index 2 is not a whole number: invalid input"},
		{[]float64{5, math.NaN()}, ErrInvalid, "csat: rating NaN at index 1 is not a whole number: invalid input"},
		{[]float64{5, 6}, ErrOutOfRange, "csat: rating 6 at index 1 is outside 1..5: value out of range"},
		{[]float64{math.Inf(-1)}, ErrOutOfRange, "csat: rating -Inf at index 0 is outside 1..5: value out of range"},
		{nil, ErrEmpty, "csat: no responses: no data"},
	} {
		_, err := ScoreFloats(FivePoint, tc.ratings)
		require.ErrorIs(t, err, tc.sentinel, tc.msg)
		assert.EqualError(t, err, tc.msg)
	}
	_, err = ScoreFloats(Scale{Min: 3, Max: 1}, fl)
	assert.ErrorIs(t, err, ErrInvalid)
}
