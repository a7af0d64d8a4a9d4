package churn

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lifelinesSubjects is the small example of lifelines' test data used in issue 6:
// durations/events (34,1) (32,1) (9,1) (19,1) (50,0) (48,0).
func lifelinesSubjects() []Subject {
	return []Subject{{34, true, 0, 0}, {32, true, 0, 0}, {9, true, 0, 0}, {19, true, 0, 0}, {50, false, 0, 0}, {48, false, 0, 0}}
}

// otherGroup is the comparison group of issue 6: churn at 53 and 25, censored at 28, 69,
// 58, 54, 51, 61, 57, 57, 50.
func otherGroup() []Subject {
	s := []Subject{{Duration: 53, Churned: true}, {Duration: 25, Churned: true}}
	for _, d := range []float64{28, 69, 58, 54, 51, 61, 57, 57, 50} {
		s = append(s, Subject{Duration: d})
	}
	return s
}

func TestKaplanMeierReference(t *testing.T) {
	// Reference: R 4.2.2, survival 3.5.3,
	//   survfit(Surv(t, e) ~ 1, conf.type = "log-log")
	// on lifelines' test data (also quoted in issue 6 from survival 3.5-3). Printed to 10
	// significant digits by summary(f)$surv, $std.err, $lower, $upper.
	c, err := KaplanMeier(lifelinesSubjects())
	require.NoError(t, err)
	for _, tc := range []struct {
		t, atRisk, s, se, lo, hi float64
	}{
		{9, 6, 0.8333333333, 0.1521451549, 0.27312284993, 0.9747124267},
		{19, 5, 0.6666666667, 0.1924500897, 0.19461663681, 0.9044341643},
		{32, 4, 0.5, 0.2041241452, 0.11094826035, 0.8037092369},
		{34, 3, 0.3333333333, 0.1924500897, 0.04608224341, 0.6755643580},
	} {
		assert.InDelta(t, tc.s, c.At(tc.t), 1e-9, "S(%v)", tc.t)
		assert.InDelta(t, tc.se, c.StdErr(tc.t), 1e-9, "se(%v)", tc.t)
		assert.InDelta(t, tc.atRisk, c.NumberAtRisk(tc.t), 0, "n(%v)", tc.t)
		iv, err := c.Interval(tc.t, 0.95)
		require.NoError(t, err)
		assert.InDelta(t, tc.lo, iv.Lower, 1e-9, "lower(%v)", tc.t)
		assert.InDelta(t, tc.hi, iv.Upper, 1e-9, "upper(%v)", tc.t)
		// The step function is right-continuous: just before t it has the previous value.
		assert.Greater(t, c.At(tc.t-1e-9), c.At(tc.t))
	}
	// Issue 6 quotes the same values to 4 decimals; R's print(f) gives median 33 (the
	// midpoint of 32 and 34, where S is exactly 0.5).
	assert.Equal(t, 33.0, c.Median())
	assert.Equal(t, 1.0, c.At(0))
	assert.InDelta(t, 1.0/3, c.At(1000), 1e-12, "beyond the last time the curve stays flat")
	assert.Equal(t, 6.0, c.Subjects)
	assert.Equal(t, 4.0, c.Events)
	assert.Equal(t, []float64{9, 19, 32, 34, 48, 50}, c.Time)
	assert.True(t, math.IsNaN(c.At(math.NaN())))
}

func TestKaplanMeierWeightsAndLateEntry(t *testing.T) {
	// Reference: R 4.2.2, survival 3.5.3,
	//   survfit(Surv(s, t, e) ~ 1, weights = w, conf.type = "log-log") with
	//   s = (0,0,2,0,3,1), t = (34,32,9,19,50,48), e = (1,1,1,1,0,0), w = (1,2,1,3,1,2).
	subjects := []Subject{
		{Duration: 34, Churned: true, Weight: 1},
		{Duration: 32, Churned: true, Weight: 2},
		{Duration: 9, Churned: true, Entry: 2, Weight: 1},
		{Duration: 19, Churned: true, Weight: 3},
		{Duration: 50, Entry: 3, Weight: 1},
		{Duration: 48, Entry: 1, Weight: 2},
	}
	c, err := KaplanMeier(subjects)
	require.NoError(t, err)
	assert.Equal(t, []float64{10, 9, 6, 4, 3, 1}, c.AtRisk)
	for _, tc := range []struct{ t, s, se, lo, hi float64 }{
		{9, 0.9, 0.09486832981, 0.47300927136, 0.9852813934},
		{19, 0.6, 0.15491933385, 0.25266889700, 0.8272209670},
		{32, 0.4, 0.15491933385, 0.12269316578, 0.6702046374},
		{34, 0.3, 0.14491376746, 0.07113449232, 0.5778673306},
	} {
		assert.InDelta(t, tc.s, c.At(tc.t), 1e-12, "S(%v)", tc.t)
		assert.InDelta(t, tc.se, c.StdErr(tc.t), 1e-9, "se(%v)", tc.t)
		iv, err := c.Interval(tc.t, 0.95)
		require.NoError(t, err)
		assert.InDelta(t, tc.lo, iv.Lower, 1e-9)
		assert.InDelta(t, tc.hi, iv.Upper, 1e-9)
	}
	// R: print(survfit(Surv(c(1,2,3,4), c(1,1,0,0)) ~ 1)) gives median 2: S is 0.5 from 2
	// onwards with no later churn, so the start of the flat stretch is reported.
	c2, err := KaplanMeier([]Subject{{1, true, 0, 0}, {2, true, 0, 0}, {3, false, 0, 0}, {4, false, 0, 0}})
	require.NoError(t, err)
	assert.Equal(t, 2.0, c2.Median())
}

func TestQuantileIntervals(t *testing.T) {
	// Reference: R 4.2.2, survival 3.5.3, survfit(Surv(t, e) ~ 1, conf.type = "log-log") with
	// t = 3,5,6,6,8,10,11,13,15,16,18,20,21,25,30,31,40,41,45,50 and
	// e = 1,1,1,0,1,1,0,1,1,1,0,1,1,1,0,1,1,0,1,0: print() gives median 21 [10, 40] at 95%
	// and [13, 31] at 90%; quantile(f, c(.25, .5, .75)) gives 10 [3, 20], 21 [10, 40],
	// 40 [21, NA].
	ts := []float64{3, 5, 6, 6, 8, 10, 11, 13, 15, 16, 18, 20, 21, 25, 30, 31, 40, 41, 45, 50}
	es := []int{1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0}
	var subjects []Subject
	for i := range ts {
		subjects = append(subjects, Subject{Duration: ts[i], Churned: es[i] == 1})
	}
	c, err := KaplanMeier(subjects)
	require.NoError(t, err)
	for _, tc := range []struct{ p, conf, q, lo, hi float64 }{
		{0.5, 0.95, 21, 10, 40},
		{0.5, 0.90, 21, 13, 31},
		{0.25, 0.95, 10, 3, 20},
		{0.75, 0.95, 40, 21, math.NaN()},
	} {
		q, err := c.Quantile(tc.p)
		require.NoError(t, err)
		assert.Equal(t, tc.q, q, "p=%v", tc.p)
		lo, hi, err := c.QuantileInterval(tc.p, tc.conf)
		require.NoError(t, err)
		assert.Equal(t, tc.lo, lo, "p=%v conf=%v", tc.p, tc.conf)
		if math.IsNaN(tc.hi) {
			assert.True(t, math.IsNaN(hi), "p=%v: upper limit not reached", tc.p)
		} else {
			assert.Equal(t, tc.hi, hi, "p=%v conf=%v", tc.p, tc.conf)
		}
	}
	// lifelines' example: R prints median 33, 0.95LCL 9, 0.95UCL NA.
	c, err = KaplanMeier(lifelinesSubjects())
	require.NoError(t, err)
	lo, hi, err := c.MedianInterval(0.95)
	require.NoError(t, err)
	assert.Equal(t, 9.0, lo)
	assert.True(t, math.IsNaN(hi))
	_, _, err = c.QuantileInterval(1, 0.95)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, _, err = c.MedianInterval(2)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestKaplanMeierEdgeCases(t *testing.T) {
	_, err := KaplanMeier(nil)
	assert.ErrorIs(t, err, ErrEmpty)

	// All censored: a valid curve that stays at 1, with an undefined (NaN) median.
	c, err := KaplanMeier([]Subject{{Duration: 3}, {Duration: 5}, {Duration: 5}})
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 1}, c.Survival)
	assert.Equal(t, 1.0, c.At(10))
	assert.True(t, math.IsNaN(c.Median()))
	iv, err := c.Interval(4, 0.95)
	require.NoError(t, err)
	assert.Equal(t, [2]float64{1, 1}, [2]float64{iv.Lower, iv.Upper})

	// Everyone churns: the curve reaches 0, its interval there is the point 0.
	c, err = KaplanMeier([]Subject{{1, true, 0, 0}, {2, true, 0, 0}})
	require.NoError(t, err)
	assert.Equal(t, 0.0, c.At(2))
	assert.Equal(t, 0.0, c.StdErr(2))
	iv, err = c.Interval(2, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 0.0, iv.Upper)
	assert.Equal(t, 1.5, c.Median(), "S is exactly 0.5 on [1, 2): midpoint")
	q, err := c.Quantile(0.9)
	require.NoError(t, err)
	assert.Equal(t, 2.0, q)

	for _, tc := range []struct {
		name string
		s    Subject
	}{
		{"negative duration", Subject{Duration: -1}},
		{"NaN duration", Subject{Duration: math.NaN()}},
		{"infinite duration", Subject{Duration: math.Inf(1)}},
		{"negative weight", Subject{Duration: 1, Weight: -2}},
		{"NaN weight", Subject{Duration: 1, Weight: math.NaN()}},
		{"negative entry", Subject{Duration: 1, Entry: -1}},
		{"entry after duration", Subject{Duration: 1, Entry: 2}},
		{"entry equal to duration", Subject{Duration: 2, Entry: 2}},
	} {
		_, err := KaplanMeier([]Subject{{Duration: 1, Churned: true}, tc.s})
		require.ErrorIs(t, err, ErrOutOfRange, tc.name)
		assert.Contains(t, err.Error(), "subject 1", tc.name)
	}
	c, err = KaplanMeier(lifelinesSubjects())
	require.NoError(t, err)
	_, err = c.Interval(9, 1.5)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = c.Quantile(0)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, _, err = c.Bands(0)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestKaplanMeierBandsMatchInterval(t *testing.T) {
	c, err := KaplanMeier(lifelinesSubjects())
	require.NoError(t, err)
	lo, hi, err := c.Bands(0.9)
	require.NoError(t, err)
	for i, tm := range c.Time {
		iv, err := c.Interval(tm, 0.9)
		require.NoError(t, err)
		assert.Equal(t, iv.Lower, lo[i])
		assert.Equal(t, iv.Upper, hi[i])
		assert.LessOrEqual(t, lo[i], c.Survival[i])
		assert.GreaterOrEqual(t, hi[i], c.Survival[i])
	}
}

func TestKaplanMeierLargeMatchesSmallSort(t *testing.T) {
	// The radix sort path (≥ 512 subjects) must agree with a direct product-limit
	// computation over sorted data.
	rng := rand.New(rand.NewPCG(1, 2))
	subjects := make([]Subject, 5000)
	for i := range subjects {
		subjects[i] = Subject{Duration: float64(rng.IntN(300)) / 4, Churned: rng.IntN(3) > 0}
	}
	c, err := KaplanMeier(subjects)
	require.NoError(t, err)
	// Direct: for each distinct time, count at risk and events by brute force.
	s := 1.0
	for i, tm := range c.Time {
		var n, d float64
		for _, x := range subjects {
			if x.Duration >= tm {
				n++
				if x.Duration == tm && x.Churned {
					d++
				}
			}
		}
		require.Equal(t, n, c.AtRisk[i])
		require.Equal(t, d, c.Churned[i])
		s *= 1 - d/n
		require.InDelta(t, s, c.Survival[i], 1e-12)
	}
}

func TestNewSubject(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s, err := NewSubject(start, start.AddDate(0, 0, 45), true, 24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, Subject{Duration: 45, Churned: true}, s)
	_, err = NewSubject(start, start.Add(-time.Hour), false, time.Hour)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = NewSubject(start, start, false, 0)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestCurveJSON(t *testing.T) {
	c, err := KaplanMeier(lifelinesSubjects())
	require.NoError(t, err)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"at_risk":[6,5,4,3,2,1]`)
	var back Curve
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, c, back)
}

func TestLogRankReference(t *testing.T) {
	// Reference: R 4.2.2, survival 3.5.3, survdiff(Surv(t, e) ~ grp): Chisq = 6.062887816
	// on 1 df, p = 0.01380517586; observed 4 and 2, expected 1.49 and 4.51. Issue 6 quotes
	// χ² = 6.06, p = 0.01.
	r, err := LogRankTest(lifelinesSubjects(), otherGroup())
	require.NoError(t, err)
	assert.InDelta(t, 6.062887816, r.ChiSquare, 1e-8)
	assert.Equal(t, 1, r.DF)
	assert.InDelta(t, 0.01380517586, r.P, 1e-10)
	assert.Equal(t, []float64{4, 2}, r.Observed)
	assert.InDelta(t, 1.49, r.Expected[0], 0.005)
	assert.InDelta(t, 4.51, r.Expected[1], 0.005)

	// Three groups: R survdiff gives Chisq = 6.188753778 on 2 df, expected 1.83, 5.71, 2.46.
	third := []Subject{{5, true, 0, 0}, {12, true, 0, 0}, {30, false, 0, 0}, {44, true, 0, 0}, {60, true, 0, 0}, {61, false, 0, 0}}
	r, err = LogRankTest(lifelinesSubjects(), otherGroup(), third)
	require.NoError(t, err)
	assert.InDelta(t, 6.188753778, r.ChiSquare, 1e-8)
	assert.Equal(t, 2, r.DF)
	for g, e := range []float64{1.83, 5.71, 2.46} {
		assert.InDelta(t, e, r.Expected[g], 0.005, "group %d", g)
	}
	// Same groups swapped: same statistic.
	r2, err := LogRankTest(otherGroup(), lifelinesSubjects())
	require.NoError(t, err)
	assert.InDelta(t, 6.062887816, r2.ChiSquare, 1e-8)
}

func TestLogRankErrors(t *testing.T) {
	_, err := LogRankTest(lifelinesSubjects())
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = LogRankTest(lifelinesSubjects(), nil)
	require.ErrorIs(t, err, ErrEmpty)
	assert.Contains(t, err.Error(), "group 1")
	_, err = LogRankTest(lifelinesSubjects(), []Subject{{Duration: 1}, {Duration: math.NaN()}})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "group 1")
	assert.Contains(t, err.Error(), "subject 1")
	_, err = LogRankTest([]Subject{{Duration: 1}}, []Subject{{Duration: 2}})
	assert.ErrorIs(t, err, ErrEmpty, "no events at all")
}

func TestCompareAt(t *testing.T) {
	a, err := KaplanMeier(lifelinesSubjects())
	require.NoError(t, err)
	b, err := KaplanMeier(otherGroup())
	require.NoError(t, err)
	// R 4.2.2, survival 3.5.3, summary(survfit(...), times = 30): S_a = 0.6666666667 with
	// std.err 0.1924500897; S_b = 0.9090909091 with std.err 0.0866784172.
	c, err := CompareAt(a, b, 30)
	require.NoError(t, err)
	assert.InDelta(t, 0.6666666667-0.9090909091, c.Difference, 1e-9)
	se := math.Sqrt(0.1924500897*0.1924500897 + 0.0866784172*0.0866784172)
	assert.InDelta(t, se, c.StdErr, 1e-9)
	assert.InDelta(t, c.Difference/se, c.Z, 1e-8)
	assert.InDelta(t, 2*(1-0.5*(1+math.Erf(math.Abs(c.Z)/math.Sqrt2))), c.P, 1e-12)

	c, err = CompareAt(a, b, 1) // before any churn
	require.NoError(t, err)
	assert.Equal(t, [3]float64{0, 0, 1}, [3]float64{c.Difference, c.Z, c.P})
	_, err = CompareAt(a, Curve{}, 1)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = CompareAt(a, b, math.NaN())
	assert.ErrorIs(t, err, ErrOutOfRange)
}

// TestLogRankParallelTables checks that building the groups' tables in parallel (from
// parallelTables subjects) gives the serial result exactly, and reports the first invalid
// subject of the lowest group, as the serial path does.
func TestLogRankParallelTables(t *testing.T) {
	s := benchSubjects(3 * parallelTables)
	n := len(s) / 3
	groups := [][]Subject{s[:n], s[n : 2*n], s[2*n:]}
	par, err := LogRankTest(groups...)
	if err != nil {
		t.Fatal(err)
	}
	prev := runtime.GOMAXPROCS(1)
	ser, err := LogRankTest(groups...)
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(par, ser) {
		t.Errorf("parallel %+v, serial %+v", par, ser)
	}
	bad := [][]Subject{slices.Clone(groups[0]), slices.Clone(groups[1]), slices.Clone(groups[2])}
	bad[1][7].Duration = math.NaN()
	bad[2][3].Duration = -1
	for _, procs := range []int{prev, 1} {
		runtime.GOMAXPROCS(procs)
		_, err := LogRankTest(bad...)
		runtime.GOMAXPROCS(prev)
		if !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), "group 1:") || !strings.Contains(err.Error(), "subject 7") {
			t.Errorf("GOMAXPROCS %d: error %v, want group 1's subject 7 (ErrOutOfRange)", procs, err)
		}
	}
}
