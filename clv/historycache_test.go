package clv

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv/internal/countmodel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cached reports whether the cache holds exactly the customers' histories.
func cached(customers []Customer) bool { return histories.lookup(customers) != nil }

// sameEstimates fails unless a and b are equal bit for bit.
func sameEstimates(t *testing.T, a, b []cxkit.Estimate, msg string) {
	t.Helper()
	require.Len(t, b, len(a), msg)
	for i := range a {
		if a[i].Name != b[i].Name || math.Float64bits(a[i].Value) != math.Float64bits(b[i].Value) ||
			math.Float64bits(a[i].StdErr) != math.Float64bits(b[i].StdErr) {
			t.Errorf("%s: estimate %d: %+v, want %+v", msg, i, b[i], a[i])
		}
	}
}

// reuseInputs are inputs that take each path of the grouping with the cache: all distinct
// (the parallel grouping, no index), heavily repeated (the serial grouping, with an index)
// and mostly distinct with repeats (the parallel grouping, with an index). They are shared
// by the tests, which must not change them (they change clones).
func reuseInputs(t *testing.T) map[string][]Customer {
	reuseOnce.Do(func() {
		cdnow := loadCDNOWSummaryCM(t)
		distinct := simulateBGNBDCM(80_000, 91)
		mixed := append(simulateBGNBDCM(60_000, 92), distinct[:20_000]...)
		reuseData = map[string][]Customer{
			"AllDistinct": distinct,
			"CDNOWx10":    repeatCM(cdnow, 10),
			"Mixed":       mixed,
		}
	})
	return reuseData
}

var (
	reuseOnce sync.Once
	reuseData map[string][]Customer
)

// TestHistoryCacheReuse checks that Estimates and LogLikelihood after a fit on the same
// slice reuse the fit's compressed histories (and Estimates the fit's gradients) and give the
// fresh path's results bit for bit (the fresh path: the same customers in another slice), for
// the three count models, and that a second fit on the same slice gives the same model.
func TestHistoryCacheReuse(t *testing.T) {
	for name, cs := range reuseInputs(t) {
		if raceEnabled && name == "Mixed" {
			continue // TestHistoryCacheMutated covers its path; the race detector slows fits tenfold
		}
		fresh := slices.Clone(cs)
		bg, err := FitBGNBD(cs)
		require.NoError(t, err, name)
		require.True(t, cached(cs), "%s: the fit's histories are cached", name)
		require.NotNil(t, histories.probe(histories.lookup(cs), "BG/NBD"), "%s: the fit's gradients are kept", name)
		reused, err := bg.Estimates(cs)
		require.NoError(t, err, name)
		llReused, err := bg.LogLikelihood(cs)
		require.NoError(t, err, name)
		again, err := FitBGNBD(cs)
		require.NoError(t, err, name)
		assert.Equal(t, bg, again, "%s: refit on the cached histories", name)

		want, err := bg.Estimates(fresh)
		require.NoError(t, err, name)
		sameEstimates(t, want, reused, name+" BG/NBD")
		llFresh, err := bg.LogLikelihood(fresh)
		require.NoError(t, err, name)
		assert.Equal(t, math.Float64bits(llFresh), math.Float64bits(llReused), name)

		// MBG/NBD and Pareto/NBD share the path: fitted on the repetitive input (where
		// their fits are quick), at fixed parameters on the others.
		type estimator interface {
			Estimates([]Customer) ([]cxkit.Estimate, error)
		}
		others := []estimator{MBGNBD{R: bg.R, Alpha: bg.Alpha, A: bg.A, B: bg.B}, ParetoNBD{R: 0.55, Alpha: 10.6, S: 0.61, Beta: 11.7}}
		if name == "CDNOWx10" {
			others = []estimator{mustFit(t, FitMBGNBD, cs), mustFit(t, FitParetoNBD, cs)}
			d := histories.lookup(cs)
			require.NotNil(t, histories.probe(d, "MBG/NBD"), name)
			require.NotNil(t, histories.probe(d, "Pareto/NBD"), name)
		}
		for _, m := range others {
			want, err := m.Estimates(fresh)
			require.NoError(t, err, name)
			got, err := m.Estimates(cs)
			require.NoError(t, err, name)
			require.True(t, cached(cs), name)
			sameEstimates(t, want, got, name)
		}
	}
}

// sameCountData fails unless a and b hold the same histories bit for bit (the monetary
// values aside: the count models do not read them).
func sameCountData(t *testing.T, a, b *countmodel.Data, msg string) {
	t.Helper()
	for _, c := range []struct {
		name string
		x, y []float64
	}{{"X", a.X, b.X}, {"Tx", a.Tx, b.Tx}, {"T", a.T, b.T}, {"W", a.W, b.W}, {"UX", a.UX, b.UX}, {"UW", a.UW, b.UW}} {
		require.Len(t, c.y, len(c.x), "%s: %s", msg, c.name)
		for i := range c.x {
			if math.Float64bits(c.x[i]) != math.Float64bits(c.y[i]) {
				t.Fatalf("%s: %s[%d] = %v, want %v", msg, c.name, i, c.y[i], c.x[i])
			}
		}
	}
	require.Equal(t, a.Grp, b.Grp, msg)
	require.Equal(t, math.Float64bits(a.Total), math.Float64bits(b.Total), msg)
	require.Equal(t, math.Float64bits(a.Repeat), math.Float64bits(b.Repeat), msg)
}

// TestHistoryCacheMutated checks that a slice changed after the fit, a shorter view of it or
// another slice is compressed afresh, whatever field changed: the histories the count models
// get are those of a fresh compression, bit for bit.
func TestHistoryCacheMutated(t *testing.T) {
	m := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	for name, orig := range reuseInputs(t) {
		first, err := build("test", orig)
		require.NoError(t, err)
		for _, mut := range []struct {
			what   string
			change func(c *Customer)
		}{
			{"T by one ulp", func(c *Customer) { c.T = math.Nextafter(c.T, math.Inf(1)) }},
			{"T", func(c *Customer) { c.T += 5 }},
			{"Recency", func(c *Customer) {
				if c.Frequency == 0 {
					c.Frequency, c.Recency = 1, c.T/2
				} else {
					c.Recency /= 2
				}
			}},
			{"Frequency", func(c *Customer) {
				c.Frequency += 3
				if c.Recency == 0 {
					c.Recency = c.T
				}
			}},
			{"Weight", func(c *Customer) { c.Weight = 2 }},
		} {
			at := []int{0, len(orig) / 2, len(orig) - 7}
			if raceEnabled {
				at = at[2:] // the race detector slows the grouping tenfold
			}
			for _, i := range at {
				cs := slices.Clone(orig)
				d, err := countData("test", cs) // fills the cache
				require.NoError(t, err)
				sameCountData(t, first, d, name)
				require.True(t, cached(cs), name)
				mut.change(&cs[i])
				msg := fmt.Sprintf("%s: %s of customer %d changed", name, mut.what, i)
				assert.False(t, cached(cs), msg)
				got, err := countData("test", cs)
				require.NoError(t, err)
				want, err := build("test", cs)
				require.NoError(t, err)
				sameCountData(t, want, got, msg)
			}
		}

		// A shorter view of the same memory and a different slice of the same length.
		cs := slices.Clone(orig)
		_, err = countData("test", cs)
		require.NoError(t, err)
		short := cs[:len(cs)-1]
		assert.False(t, cached(short), name)
		got, err := countData("test", short)
		require.NoError(t, err)
		want, err := build("test", short)
		require.NoError(t, err)
		sameCountData(t, want, got, name+" shorter")
		assert.False(t, cached(slices.Clone(cs)), name)

		// An invalid customer is still reported, even in a field the count models do not read.
		_, err = m.Estimates(cs)
		require.NoError(t, err)
		cs[len(cs)/2].MonetaryValue = -1
		_, err = m.Estimates(cs)
		assert.ErrorIs(t, err, ErrOutOfRange, name)
		cs[len(cs)/2].MonetaryValue = math.NaN()
		_, err = m.LogLikelihood(cs)
		assert.ErrorIs(t, err, ErrOutOfRange, name)
		cs[len(cs)/2].MonetaryValue = 1
		cs[3].T = -1
		_, err = m.LogLikelihood(cs)
		assert.ErrorIs(t, err, ErrOutOfRange, name)
	}
}

// TestHistoryCacheWeighted checks weighted inputs: distinct weighted histories are cached
// and checked weight by weight; repeated weighted histories are not cached (their check would
// need the group sums), and a Weight of 1 set on a customer cached with Weight 0 still
// matches (both weigh 1).
func TestHistoryCacheWeighted(t *testing.T) {
	m := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	cs := simulateBGNBDCM(80_000, 17)
	for i := range cs {
		cs[i].Weight = 1 + float64(i%3)
	}
	want, err := m.Estimates(slices.Clone(cs))
	require.NoError(t, err)
	got, err := m.Estimates(cs)
	require.NoError(t, err)
	require.True(t, cached(cs))
	sameEstimates(t, want, got, "distinct weighted")

	rep := repeatCM(loadCDNOWSummaryCM(t), 3)
	for i := range rep {
		rep[i].Weight = 0.5
	}
	_, err = m.Estimates(rep)
	require.NoError(t, err)
	assert.False(t, cached(rep), "repeated weighted histories are not cached")

	rep = repeatCM(loadCDNOWSummaryCM(t), 3)
	_, err = m.Estimates(rep)
	require.NoError(t, err)
	rep[5].Weight = 1
	assert.True(t, cached(rep), "Weight 1 is the weight of Weight 0")
	rep[5].Weight = 2
	assert.False(t, cached(rep))
}

// TestHistoryCacheConcurrent runs fits, Estimates and LogLikelihood on several slices from
// many goroutines (under -race in CI), so that the entry is replaced while others check it;
// every result must equal the one computed alone.
func TestHistoryCacheConcurrent(t *testing.T) {
	m := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	inputs := [][]Customer{
		simulateBGNBDCM(70_000, 1), simulateBGNBDCM(70_000, 2), repeatCM(loadCDNOWSummaryCM(t), 4),
	}
	want := make([][]cxkit.Estimate, len(inputs))
	wantLL := make([]float64, len(inputs))
	for k, cs := range inputs {
		var err error
		want[k], err = m.Estimates(slices.Clone(cs))
		require.NoError(t, err)
		wantLL[k], err = m.LogLikelihood(slices.Clone(cs))
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for r := range 3 {
				k := (g + r) % len(inputs)
				got, err := m.Estimates(inputs[k])
				if assert.NoError(t, err) {
					sameEstimates(t, want[k], got, "concurrent")
				}
				ll, err := m.LogLikelihood(inputs[k])
				if assert.NoError(t, err) {
					assert.Equal(t, math.Float64bits(wantLL[k]), math.Float64bits(ll))
				}
			}
		})
	}
	wg.Wait()
}

// TestHistoryCacheReleased checks that the entry does not outlive the customers: once their
// slice is collected, the cleanup drops it.
func TestHistoryCacheReleased(t *testing.T) {
	id := func() uint64 {
		cs := simulateBGNBDCM(minCachedCustomers+10, 3)
		_, err := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}.Estimates(cs)
		require.NoError(t, err)
		histories.mu.Lock()
		defer histories.mu.Unlock()
		require.NotNil(t, histories.cur)
		return histories.cur.id
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		histories.mu.Lock()
		gone := histories.cur == nil || histories.cur.id != id
		histories.mu.Unlock()
		if gone {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the cache entry outlived its customers")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// forgetHistories empties the history cache, as if the count models had never seen the
// customers: the benchmarks of fits call it before each fit, so that every iteration pays for
// grouping the customers as a first fit on new data does (without it, iterations after the
// first would reuse the first one's compressed histories).
func forgetHistories() {
	histories.mu.Lock()
	defer histories.mu.Unlock()
	if histories.cur != nil {
		histories.cur.cleanup.Stop()
		histories.cur = nil
	}
}
