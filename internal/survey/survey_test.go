package survey

import (
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sleep is R's datasets::sleep (Cushny & Peebles 1905, as in Student 1908): extra hours of
// sleep under two drugs, ten patients each.
var sleep = [2][]float64{
	{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0},
	{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4},
}

// resultOf builds an unweighted Result from raw values (its scale only has to match).
func resultOf(x []float64) Result {
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	n := float64(len(x))
	return Result{Scale: Scale{Min: 0, Max: 10, TopBoxes: 1}, Responses: len(x), N: n, EffectiveN: n, Mean: m, SumSqDev: ss}
}

func TestCompareMeansWelchReference(t *testing.T) {
	// R 4.2.2, t.test(extra ~ group, data = sleep) (Welch, the default; rerun 2026-12-01): t = -1.8608,
	// df = 17.776, p-value = 0.07939; group means 0.75 and 2.33.
	a, b := resultOf(sleep[0]), resultOf(sleep[1])
	c, err := CompareMeans(testKind, a, b)
	require.NoError(t, err)
	assert.InDelta(t, 0.75-2.33, c.Difference, 1e-12)
	assert.InDelta(t, -1.8608, c.Z, 5e-5)
	assert.InDelta(t, 0.07939, c.P, 5e-6)
}

func TestMeanIntervalReference(t *testing.T) {
	// R 4.2.2, t.test(sleep$extra[1:10]): mean 0.75, 95% CI [-0.5297804, 2.0297804]. Shifted by 5
	// to lie on the 0..10 scale (the t interval is location-equivariant): [4.4702196, 7.0297804].
	x := make([]float64, 10)
	for i, v := range sleep[0] {
		x[i] = v + 5
	}
	r := resultOf(x)
	iv := r.MeanInterval(0.95)
	assert.InDelta(t, 4.4702196, iv.Lower, 1e-6)
	assert.InDelta(t, 7.0297804, iv.Upper, 1e-6)
	// Clamped to the scale when the t interval reaches past it.
	r.Mean = 0.5
	assert.Equal(t, 0.0, r.MeanInterval(0.95).Lower)
}

func TestCompareMeansDegenerate(t *testing.T) {
	same := Result{Scale: testKind.Default, Responses: 3, N: 3, EffectiveN: 3, Mean: 4}
	other := same
	other.Mean = 2
	// No spread in either sample: the t statistic is undefined, which is an error rather than
	// P = 0 (means differ) or P = 1 (equal) from a zero standard error.
	_, err := CompareMeans(testKind, same, same)
	assert.ErrorIs(t, err, cxkit.ErrTooSmall)
	_, err = CompareMeans(testKind, same, other)
	assert.ErrorIs(t, err, cxkit.ErrTooSmall)
}

// Campbell's (2007) rule for the N−1 test: every expected count at least 1. One satisfied
// answer against one dissatisfied one has expected counts of 0.5: an error, never P ≈ 0.
func TestCompareBelowMinimumExpectedCount(t *testing.T) {
	s := testKind.Default
	one := func(top bool) Result {
		r := Result{Scale: s, Responses: 1, N: 1, EffectiveN: 1, Mean: 2}
		if top {
			r.Top, r.Mean = 1, 5
		}
		return r
	}
	_, err := Compare(testKind, one(true), one(false))
	require.ErrorIs(t, err, cxkit.ErrTooSmall)
	assert.Contains(t, err.Error(), "expected count of the comparison is 0.5")
	// 15 of 20 against 8 of 20: min expected count 20·17/40 = 8.5, tested.
	a := Result{Scale: s, Responses: 20, N: 20, EffectiveN: 20, Top: 15}
	b := Result{Scale: s, Responses: 20, N: 20, EffectiveN: 20, Top: 8}
	assert.InDelta(t, 8.5, MinExpectedCount(0.75, 20, 0.4, 20), 1e-12)
	_, err = Compare(testKind, a, b)
	require.NoError(t, err)
	// All top box on both sides: nothing to compare.
	b.Top = 20
	a.Top = 20
	_, err = Compare(testKind, a, b)
	assert.ErrorIs(t, err, cxkit.ErrTooSmall)
}

func TestKindCheck(t *testing.T) {
	k := &Kind{Name: "x", Good: "good", Bad: "bad", Default: Scale{Min: 1, Max: 5, TopBoxes: 2}}
	assert.NoError(t, k.Check(Scale{Min: 1, Max: 5, TopBoxes: 2}))
	assert.ErrorIs(t, k.Check(Scale{Min: 1, Max: 5, TopBoxes: 2, LowerIsBetter: true}), cxkit.ErrInvalid)
	assert.ErrorIs(t, k.Check(Scale{Min: 1, Max: 5, TopBoxes: 2, BottomBoxes: 1}), cxkit.ErrInvalid)
	assert.NoError(t, testKind.Check(Scale{Min: 1, Max: 5, TopBoxes: 2, BottomBoxes: 3}))
	assert.ErrorIs(t, testKind.Check(Scale{Min: 1, Max: 5, TopBoxes: 2, BottomBoxes: 4}), cxkit.ErrInvalid)
}

func TestRawRange(t *testing.T) {
	up := Scale{Min: 1, Max: 7, TopBoxes: 3, BottomBoxes: 2}
	lo, hi := up.RawRange(3, true)
	assert.Equal(t, [2]int{5, 7}, [2]int{lo, hi})
	lo, hi = up.RawRange(2, false)
	assert.Equal(t, [2]int{1, 2}, [2]int{lo, hi})
	down := up
	down.LowerIsBetter = true
	lo, hi = down.RawRange(3, true)
	assert.Equal(t, [2]int{1, 3}, [2]int{lo, hi})
	assert.True(t, down.IsTop(3) && !down.IsTop(4) && down.IsBottom(7) && down.IsBottom(6) && !down.IsBottom(5))
}

func TestPairCountsLongInputs(t *testing.T) {
	// Exercise the chunked pair counter with every scale width and lengths around the
	// word and threshold boundaries, against a plain count.
	for points := 2; points <= MaxPoints; points++ {
		s := Scale{Min: 3, Max: 3 + points - 1, TopBoxes: 1}
		for _, n := range []int{255, 256, 257, 263, 1000, 4099} {
			b := make([]uint8, n)
			want := make([]int, points)
			for i := range b {
				v := (i*7 + i/3) % points
				b[i] = uint8(s.Min + v)
				want[v]++
			}
			h, bad := countBytes(s, b)
			require.Equal(t, -1, bad)
			assert.Equal(t, want, h[:points], "points %d n %d", points, n)
			b[n-1] = uint8(s.Max + 1)
			_, bad = countBytes(s, b)
			assert.Equal(t, n-1, bad)
			b[n-1], b[n/2] = uint8(s.Min), uint8(s.Min-1)
			_, bad = countBytes(s, b)
			assert.Equal(t, n/2, bad)
		}
	}
}

// The parallel count gives exactly the serial counts, and the first bad index of the whole
// slice, whatever the number of parts.
func TestParallelCountIsTheSerialCount(t *testing.T) {
	s := Scale{Min: 0, Max: 10, TopBoxes: 2, BottomBoxes: 7}
	b := make([]uint8, 3_000_017)
	for i := range b {
		b[i] = uint8((i*7 + i/5) % 11)
	}
	count := func(part []uint8) ([MaxPoints]int, int) { return countBytes(s, part) }
	serial, bad := count(b)
	require.Equal(t, -1, bad)
	for _, threshold := range []int{1 << 10, 1 << 16, ParallelThreshold} {
		got, bad := Parallel(b, threshold, count)
		require.Equal(t, -1, bad)
		assert.Equal(t, serial, got, "threshold %d", threshold)
	}
	b[2_999_000], b[1_500_001] = 11, 200
	_, bad = Parallel(b, 1<<10, count)
	assert.Equal(t, 1_500_001, bad)
}
