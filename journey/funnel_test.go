package journey

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var tpath0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func at(min int) time.Time { return tpath0.Add(time.Duration(min) * time.Minute) }

// The funnel log: five customers over the steps ad → cart → pay (minutes after tpath0).
//
//	a: ad 0, cart 10, pay 30                  (all three, in order)
//	b: ad 0, home 5, cart 20                  (ad, cart; "home" between)
//	c: cart 0, ad 5, pay 6                    (cart before ad)
//	d: ad 0, ad 100, cart 130, pay 300        (first entry at 0)
//	e: home 0                                 (never enters)
func funnelLog() []Event {
	e := func(c, tp string, m int) Event { return Event{Customer: c, Touchpoint: tp, Time: at(m)} }
	return []Event{
		e("d", "pay", 300), e("a", "ad", 0), e("b", "home", 5), e("c", "cart", 0),
		e("a", "cart", 10), e("d", "ad", 0), e("b", "ad", 0), e("c", "ad", 5),
		e("a", "pay", 30), e("b", "cart", 20), e("c", "pay", 6), e("d", "ad", 100),
		e("d", "cart", 130), e("e", "home", 0),
	}
}

func reached(r FunnelResult) []int {
	var n []int
	for _, s := range r.Steps {
		n = append(n, s.Customers)
	}
	return n
}

// Hand-counted from funnelLog.
func TestFunnelModes(t *testing.T) {
	steps := []string{"ad", "cart", "pay"}
	// Sequential, no window: a (3), b (2), c (ad 5 → pay, no cart after: 1), d (3).
	r, err := Funnel(funnelLog(), steps, FunnelOptions{})
	require.NoError(t, err)
	assert.Equal(t, []int{4, 3, 2}, reached(r))
	assert.Equal(t, 5, r.Customers)
	assert.Equal(t, 14, r.Events)
	// cart from previous: a 10, b 20, d 130 minutes → median 20, p90 (type 7: h = 1.8) 20 + 0.8·110 = 108.
	assert.Equal(t, 20*time.Minute, r.Steps[1].MedianFromPrevious)
	assert.Equal(t, 108*time.Minute, r.Steps[1].P90FromPrevious)
	// pay from cart: a 20, d 170 → median 95, p90 20 + 0.9·150 = 155.
	assert.Equal(t, 95*time.Minute, r.Steps[2].MedianFromPrevious)
	assert.Equal(t, 155*time.Minute, r.Steps[2].P90FromPrevious)
	assert.Equal(t, 1, r.Steps[1].DropOff)
	assert.InDelta(t, 0.75, r.Steps[1].FromStart, 1e-15)
	assert.InDelta(t, 2.0/3, r.Steps[2].FromPrevious, 1e-15)
	assert.InDelta(t, 1.0/3, r.Steps[2].DropOffRate, 1e-15)
	assert.InDelta(t, 0.5, r.Steps[2].FromStart, 1e-15)
	// Wilson 95% for 3 of 4 (Newcombe 1998 method 3, z = 1.959964): [0.3006, 0.9544], by the formula in Python 3.11.
	assert.InDelta(t, 0.3006, r.Steps[1].FromStartInterval.Lower, 1e-4)
	assert.InDelta(t, 0.9544, r.Steps[1].FromStartInterval.Upper, 1e-4)

	// Window 60 minutes from step 1: d's cart comes 130 minutes after its first ad.
	r, err = Funnel(funnelLog(), steps, FunnelOptions{Window: time.Hour})
	require.NoError(t, err)
	assert.Equal(t, []int{4, 2, 1}, reached(r))

	// Strict: a (3); b stops at ad ("home" between); d's ad is followed by ad: 1.
	r, err = Funnel(funnelLog(), steps, FunnelOptions{Order: Strict})
	require.NoError(t, err)
	assert.Equal(t, []int{4, 1, 1}, reached(r))

	// Any order: a 3, b 2, c 3 (cart 0, ad 5, pay 6), d 3.
	r, err = Funnel(funnelLog(), steps, FunnelOptions{Order: AnyOrder})
	require.NoError(t, err)
	assert.Equal(t, []int{4, 4, 3}, reached(r))
	// Completion times: c has ad at 5 and cart at 0, so ad+cart complete at 5 (0 after ad).
	// From step 1 to 2: a 10, b 20, c 0, d 130 → median 15.
	assert.Equal(t, 15*time.Minute, r.Steps[1].MedianFromPrevious)
	// Any order with a 5-minute window: only c has two steps within 5 minutes (cart 0, ad 5);
	// its three steps span 6 minutes.
	r, err = Funnel(funnelLog(), steps, FunnelOptions{Order: AnyOrder, Window: 5 * time.Minute})
	require.NoError(t, err)
	assert.Equal(t, []int{4, 1, 0}, reached(r))
	assert.Equal(t, 0.0, r.Steps[2].FromPrevious)
}

// Ties in time keep input order: with cart and ad at the same minute, a strict funnel follows
// the order of the input.
func TestFunnelTiesKeepInputOrder(t *testing.T) {
	ev := []Event{{"x", "ad", at(0)}, {"x", "cart", at(0)}, {"y", "cart", at(0)}, {"y", "ad", at(0)}}
	r, err := Funnel(ev, []string{"ad", "cart"}, FunnelOptions{Order: Strict})
	require.NoError(t, err)
	assert.Equal(t, []int{2, 1}, reached(r))
}

// The streaming counter on sorted events gives the one-call result, and any order of the
// events gives the same funnel.
func TestFunnelCounterMatchesFunnel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ev := randomEvents(rng, 2000, 150, 5)
	steps := []string{"t0", "t1", "t2", "t3"}
	for _, opt := range []FunnelOptions{{}, {Order: Strict}, {Order: AnyOrder, Window: 3 * time.Hour}, {Window: 5 * time.Hour}} {
		want, err := Funnel(ev, steps, opt)
		require.NoError(t, err)
		sorted := slices.Clone(ev)
		slices.SortStableFunc(sorted, func(a, b Event) int { return compareStrings(a.Customer, b.Customer) })
		f, err := NewFunnelCounter(steps, opt)
		require.NoError(t, err)
		for i, e := range sorted {
			require.NoError(t, f.Add(e))
			if i == len(sorted)/2 {
				_, err := f.Result() // reading mid-stream must not disturb the counter
				require.NoError(t, err)
			}
		}
		got, err := f.Result()
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	f, _ := NewFunnelCounter(steps, FunnelOptions{})
	require.NoError(t, f.Add(Event{"b", "t0", at(0)}))
	err := f.Add(Event{"a", "t0", at(0)})
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, `customer "a" arrives after customer "b"`)
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// randomEvents draws n events of customers over k touchpoints tpath0..t(k-1) within a day.
func randomEvents(rng *rand.Rand, n, customers, k int) []Event {
	ev := make([]Event, n)
	for i := range ev {
		ev[i] = Event{
			Customer:   "u" + strconv.Itoa(rng.IntN(customers)),
			Touchpoint: "t" + strconv.Itoa(rng.IntN(k)),
			Time:       tpath0.Add(time.Duration(rng.IntN(24*60)) * time.Minute),
		}
	}
	return ev
}

func TestFunnelErrors(t *testing.T) {
	ok := []Event{{"a", "x", at(0)}}
	cases := []struct {
		ev    []Event
		steps []string
		opt   FunnelOptions
		want  error
		msg   string
	}{
		{ok, nil, FunnelOptions{}, ErrEmpty, "at least one step"},
		{ok, []string{"x", "y", "x"}, FunnelOptions{}, ErrInvalid, `funnel step 3 repeats touchpoint "x" of step 1`},
		{ok, []string{"x", ""}, FunnelOptions{}, ErrInvalid, "funnel step 2 is an empty touchpoint"},
		{ok, []string{"x"}, FunnelOptions{Window: -1}, ErrOutOfRange, "negative"},
		{ok, []string{"x"}, FunnelOptions{Order: 7}, ErrOutOfRange, "order 7"},
		{ok, []string{"x"}, FunnelOptions{Confidence: 1}, ErrOutOfRange, "confidence"},
		{[]Event{ok[0], {"", "x", at(0)}}, []string{"x"}, FunnelOptions{}, ErrInvalid, "event 1 (touchpoint \"x\") has an empty customer"},
		{[]Event{{"a", "", at(0)}}, []string{"x"}, FunnelOptions{}, ErrInvalid, "event 0 (customer \"a\") has an empty touchpoint"},
		{[]Event{{"a", "x", time.Time{}}}, []string{"x"}, FunnelOptions{}, ErrInvalid, "zero time"},
		{ok, []string{"y"}, FunnelOptions{}, ErrEmpty, `no customer reached funnel step 1 ("y")`},
	}
	for i, c := range cases {
		_, err := Funnel(c.ev, c.steps, c.opt)
		assert.True(t, errors.Is(err, c.want), "case %d: %v", i, err)
		assert.ErrorContains(t, err, c.msg, "case %d", i)
	}
}

// Two periods' funnels compared: 200 of 400 reach step 2 in A, 150 of 400 in B. The N−1
// two-proportion test (Campbell 2007) by hand: pooled p = 350/800 = 0.4375, SE =
// sqrt(0.4375·0.5625·(2/400)) = 0.035078, z = 0.125/0.035078·sqrt(799/800) = 3.5613,
// two-sided p = 3.69e-4 (computed with Python 3.11 math.erfc).
func TestCompareFunnels(t *testing.T) {
	mk := func(n1, n2, n3 int, prefix string) []Event {
		var ev []Event
		for i := range n1 {
			c := prefix + strconv.Itoa(i)
			ev = append(ev, Event{c, "visit", at(0)})
			if i < n2 {
				ev = append(ev, Event{c, "signup", at(1)})
			}
			if i < n3 {
				ev = append(ev, Event{c, "buy", at(2)})
			}
		}
		return ev
	}
	steps := []string{"visit", "signup", "buy"}
	a, err := Funnel(mk(400, 200, 100, "a"), steps, FunnelOptions{})
	require.NoError(t, err)
	b, err := Funnel(mk(400, 150, 75, "b"), steps, FunnelOptions{})
	require.NoError(t, err)
	cs, err := CompareFunnels(a, b)
	require.NoError(t, err)
	require.Len(t, cs, 3)
	s := cs[1].FromPrevious
	assert.InDelta(t, 0.125, s.Difference, 1e-12)
	assert.InDelta(t, 0.035078, s.StdErr, 1e-6)
	assert.InDelta(t, 3.5613, s.Z, 1e-4)
	assert.InDelta(t, 3.69e-4, s.P, 1e-5)
	// Step 3 from step 2: 0.5 against 0.5: no difference; Holm over the two step tests.
	assert.InDelta(t, 0, cs[2].FromPrevious.Difference, 1e-12)
	assert.InDelta(t, math.Min(1, 2*s.P), cs[1].FromPreviousAdjustedP, 1e-12)
	assert.True(t, math.IsNaN(cs[0].FromPreviousAdjustedP))

	c, err := Funnel(mk(10, 5, 1, "c"), []string{"visit", "buy", "signup"}, FunnelOptions{})
	require.NoError(t, err)
	_, err = CompareFunnels(a, c)
	assert.ErrorIs(t, err, ErrIncompatible)
}
