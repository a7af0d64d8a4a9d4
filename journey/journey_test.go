package journey

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/cxkit/cxkit/responsetime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// smallMap is the constructed journey of the hand-computed tests.
func smallMap() Map {
	return Map{
		Name: "shop",
		Touchpoints: []Touchpoint{
			{ID: "ad", Name: "Social ad", Stage: Awareness, Channel: Social},
			{ID: "checkout", Name: "Checkout", Stage: Purchase, Channel: Web},
			{ID: "support", Name: "Support chat", Stage: UseSupport, Channel: Chat},
		},
		Personas: []Persona{
			{ID: "young", Name: "Young professional"},
			{ID: "senior", Name: "Senior", Needs: []string{"larger fonts", "fewer steps"}},
		},
	}
}

// smallObservations: customers c1..c4 (c1, c2 young; c3, c4 senior) each rate every
// touchpoint on CSAT 1-5: ad 4,4,4,2; checkout 5,4,2,1; support 5,5,4,4; and c1..c3 rate NPS at
// support 10, 9, 3.
func smallObservations() []Observation {
	persona := []string{"young", "young", "senior", "senior"}
	csatR := map[string][]int{"ad": {4, 4, 4, 2}, "checkout": {5, 4, 2, 1}, "support": {5, 5, 4, 4}}
	var obs []Observation
	for d, tp := range []string{"ad", "checkout", "support"} {
		for i, r := range csatR[tp] {
			obs = append(obs, Observation{Feedback: &Feedback{Customer: fmt.Sprintf("c%d", i+1), Persona: persona[i], Touchpoint: tp,
				Time: t0.Add(time.Duration(d*24+i) * time.Hour), Metric: CSAT, Rating: r}})
		}
	}
	for i, r := range []int{10, 9, 3} {
		obs = append(obs, Observation{Feedback: &Feedback{Customer: fmt.Sprintf("c%d", i+1), Persona: persona[i], Touchpoint: "support",
			Time: t0.Add(72 * time.Hour), Metric: NPS, Rating: r}})
	}
	return obs
}

func TestConstructedJourney(t *testing.T) {
	r, err := Analyze(smallMap(), smallObservations(), Options{MinGroup: 2})
	require.NoError(t, err)
	assert.Equal(t, 4, r.Customers)
	assert.Equal(t, 15, r.Feedback)
	// By hand: CSAT per touchpoint = satisfied (4-5) / answers: ad 3/4, checkout 2/4, support 4/4;
	// the journey 9/12.
	want := map[string]float64{"ad": 75, "checkout": 50, "support": 100}
	require.Len(t, r.Touchpoints, 3)
	for _, g := range r.Touchpoints {
		require.NotNil(t, g.CSAT, g.Touchpoint)
		assert.InDelta(t, want[g.Touchpoint], g.CSAT.Score, 1e-9, g.Touchpoint)
		assert.Equal(t, 4, g.Reach, g.Touchpoint)
	}
	assert.InDelta(t, 75, r.Overall.CSAT.Score, 1e-9)
	// NPS at support: 2 promoters, 1 detractor of 3 → 100·(2−1)/3.
	sup := r.Touchpoints[2]
	require.NotNil(t, sup.NPS)
	assert.InDelta(t, 100.0/3, sup.NPS.Score, 1e-9)
	// Personas: young rated CSAT 4,5,4 | 4,5,5 | ... young = c1, c2: ad 4,4; checkout 5,4;
	// support 5,5 → 6/6 satisfied; senior: ad 4,2; checkout 2,1; support 4,4 → 3/6.
	require.Len(t, r.Personas, 2)
	assert.Equal(t, "young", r.Personas[0].Persona)
	assert.InDelta(t, 100, r.Personas[0].CSAT.Score, 1e-9)
	assert.InDelta(t, 50, r.Personas[1].CSAT.Score, 1e-9)
	assert.Equal(t, 2, r.Personas[1].Reach)
	// Persona × touchpoint: senior at checkout rated 2, 1 → 0.
	for _, g := range r.PersonaTouchpoints {
		if g.Persona == "senior" && g.Touchpoint == "checkout" {
			assert.InDelta(t, 0, g.CSAT.Score, 1e-9)
		}
	}
	// Stages: awareness holds only the ad; consideration nothing.
	assert.Equal(t, Awareness, r.Stages[0].Stage)
	assert.InDelta(t, 75, r.Stages[0].CSAT.Score, 1e-9)
	assert.Nil(t, r.Stages[1].CSAT)
	assert.Equal(t, 0, r.Stages[1].Reach)
	// Emotion: checkout = CSAT 50 → 50, Mermaid 1 + round(50/25) = 3. Support mixes CSAT 100
	// (4 answers) and NPS 33.3 → (33.3 + 100)/2 = 66.7 (3 answers): (4·100 + 3·66.67)/7 = 85.71,
	// Mermaid 1 + round(3.43) = 4.
	assert.InDelta(t, 50, r.Emotion[1].Value, 1e-9)
	assert.Equal(t, 3, r.Emotion[1].Mermaid)
	assert.InDelta(t, 600.0/7, r.Emotion[2].Value, 1e-9)
	assert.Equal(t, 4, r.Emotion[2].Mermaid)
	// Pain point: checkout CSAT 50 is below the threshold 70; the rest of the journey has 7 of
	// 8 satisfied = 87.5, a gap of 37.5 points; impact 37.5 × 4/12 = 12.5 points (the journey
	// would have 10.5 of 12 satisfied = 87.5 instead of 75).
	require.NotEmpty(t, r.PainPoints)
	pp := r.PainPoints[0]
	assert.Equal(t, "checkout", pp.Touchpoint)
	assert.Equal(t, CSAT, pp.Metric)
	assert.True(t, pp.BelowThreshold)
	assert.InDelta(t, 87.5, pp.Rest, 1e-9)
	assert.InDelta(t, 37.5, pp.Gap, 1e-9)
	assert.InDelta(t, 12.5, pp.Impact, 1e-9)
	assert.NotEmpty(t, pp.Evidence)
	assert.Equal(t, "holm", r.Correction)
}

func TestMapValidate(t *testing.T) {
	m := Map{Stages: []Stage{"a", "b", "a"}, Touchpoints: []Touchpoint{
		{ID: "x", Stage: "a"}, {ID: "x", Stage: "b"}, {ID: "y"}, {ID: "z", Stage: "nope"}, {ID: "", Stage: "a"},
	}, Personas: []Persona{{ID: "p"}, {ID: "p"}}}
	err := m.Validate()
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorIs(t, err, ErrUnknown)
	for _, s := range []string{`stage "a" at index 2`, `touchpoint "x" at index 1`, `touchpoint "y" (index 2) has no stage`,
		`stage "nope"`, `persona "p" at index 1`, `touchpoint 4 ("") has an empty ID`} {
		assert.Contains(t, err.Error(), s)
	}
	good := smallMap()
	assert.NoError(t, good.Validate())
	assert.Equal(t, DefaultStages(), good.StageList())
}

func TestBadObservations(t *testing.T) {
	a, err := NewAccumulator(smallMap(), Options{})
	require.NoError(t, err)
	cases := []struct {
		o    Observation
		want error
		text string
	}{
		{Observation{Feedback: &Feedback{Customer: "c", Touchpoint: "nope", Time: t0, Metric: CSAT, Rating: 4}}, ErrUnknown, `no touchpoint "nope"`},
		{Observation{Feedback: &Feedback{Customer: "c", Persona: "alien", Touchpoint: "ad", Time: t0, Metric: CSAT, Rating: 4}}, ErrUnknown, `no persona "alien"`},
		{Observation{Feedback: &Feedback{Customer: "c", Touchpoint: "ad", Time: t0, Metric: CSAT, Rating: 6}}, ErrOutOfRange, "rating 6"},
		{Observation{Feedback: &Feedback{Customer: "c", Touchpoint: "ad", Time: t0, Metric: NPS, Rating: 11}}, ErrOutOfRange, "rating 11"},
		{Observation{Feedback: &Feedback{Customer: "", Touchpoint: "ad", Time: t0, Metric: NPS, Rating: 1}}, ErrInvalid, "empty customer"},
		{Observation{Feedback: &Feedback{Customer: "c", Touchpoint: "ad", Metric: NPS, Rating: 1}}, ErrInvalid, "zero time"},
		{Observation{Feedback: &Feedback{Customer: "c", Touchpoint: "ad", Time: t0, Metric: 9, Rating: 1}}, ErrInvalid, "metric 9"},
		{Observation{Feedback: &Feedback{Customer: "c", Touchpoint: "ad", Time: t0, Metric: NPS, Rating: 1, Weight: -1}}, ErrOutOfRange, "weight"},
		{Observation{Visit: &Visit{Customer: "c", Touchpoint: "x", Time: t0}}, ErrUnknown, `no touchpoint "x"`},
		{Observation{Outcome: &Outcome{Customer: "c", Kind: 7, Time: t0}}, ErrInvalid, "kind 7"},
		{Observation{Contact: &Contact{Customer: "c", Touchpoint: "support"}}, ErrInvalid, "zero time"},
		{Observation{}, ErrInvalid, "exactly one"},
	}
	for _, c := range cases {
		err := a.Add(c.o)
		require.Error(t, err, c.text)
		assert.ErrorIs(t, err, c.want, c.text)
		assert.Contains(t, err.Error(), c.text)
	}
	_, err = a.Report()
	assert.ErrorIs(t, err, ErrEmpty, "nothing was added")

	// With SkipInvalid the same observations are counted by reason, with an example.
	b, err := NewAccumulator(smallMap(), Options{SkipInvalid: true, MinGroup: 1})
	require.NoError(t, err)
	for _, c := range cases {
		require.NoError(t, b.Add(c.o))
	}
	require.NoError(t, b.Add(Observation{Feedback: &Feedback{Customer: "c", Touchpoint: "nope2", Time: t0, Metric: CSAT, Rating: 4}}))
	require.NoError(t, b.AddVisit(Visit{Customer: "c", Touchpoint: "ad", Time: t0}))
	r, err := b.Report()
	require.NoError(t, err)
	assert.Equal(t, len(cases)+1, r.RejectedTotal)
	found := false
	for _, x := range r.Rejected {
		if x.Reason == "feedback: unknown touchpoint" {
			found = true
			assert.Equal(t, 2, x.Count)
			assert.Contains(t, x.Example, `"nope"`)
		}
	}
	assert.True(t, found)
	assert.Equal(t, 1, r.Visits)
}

func TestMergeRefusesOtherMap(t *testing.T) {
	a, _ := NewAccumulator(smallMap(), Options{})
	m := smallMap()
	m.Touchpoints[0].Name = "Search ad"
	b, _ := NewAccumulator(m, Options{})
	assert.ErrorIs(t, a.Merge(b), ErrIncompatible)
	c, _ := NewAccumulator(smallMap(), Options{CSATScale: csatSeven})
	assert.ErrorIs(t, a.Merge(c), ErrIncompatible)
	var z Accumulator
	require.NoError(t, z.Merge(a))
	assert.Equal(t, "shop", z.Map().Name)
	assert.ErrorIs(t, (&Accumulator{}).AddVisit(Visit{}), ErrInvalid)
}

// TestMergeSplit: merging any split gives the report of one pass.
func TestMergeSplit(t *testing.T) {
	obs := append(smallObservations(), churnObservations()...)
	one := mustAcc(t, obs)
	want, err := one.Report()
	require.NoError(t, err)
	for split := 0; split <= len(obs); split += 3 {
		x, y := mustAcc(t, obs[:split]), mustAcc(t, obs[split:])
		require.NoError(t, y.Merge(x)) // the second half first
		got, err := y.Report()
		require.NoError(t, err)
		assertSameReport(t, want, got)
	}
}

func churnObservations() []Observation {
	var obs []Observation
	for i := 1; i <= 4; i++ {
		obs = append(obs, Observation{Visit: &Visit{Customer: fmt.Sprintf("c%d", i), Touchpoint: "ad", Time: t0.Add(-time.Hour)}})
	}
	obs = append(obs, Observation{Outcome: &Outcome{Customer: "c4", Kind: Churned, Time: t0.Add(30 * 24 * time.Hour)}})
	obs = append(obs, Observation{Outcome: &Outcome{Customer: "c1", Kind: Converted, Time: t0.Add(2 * time.Hour)}})
	return obs
}

func mustAcc(t testing.TB, obs []Observation) *Accumulator {
	a, err := NewAccumulator(smallMap(), Options{MinGroup: 2})
	require.NoError(t, err)
	for _, o := range obs {
		require.NoError(t, a.Add(o))
	}
	return a
}

// assertSameReport compares two reports; float sums of integer ratings are exact.
func assertSameReport(t *testing.T, want, got Report) {
	t.Helper()
	assert.Equal(t, want.Customers, got.Customers)
	assert.Equal(t, want.Touchpoints, got.Touchpoints)
	assert.Equal(t, want.Personas, got.Personas)
	assert.Equal(t, want.Stages, got.Stages)
	assert.Equal(t, want.PersonaTouchpoints, got.PersonaTouchpoints)
	assert.Equal(t, want.Emotion, got.Emotion)
	assert.Equal(t, want.PainPoints, got.PainPoints)
	assert.Equal(t, want.AsOf, got.AsOf)
}

func TestEncodingRoundTrip(t *testing.T) {
	a := mustAcc(t, append(smallObservations(), churnObservations()...))
	want, err := a.Report()
	require.NoError(t, err)
	b, err := a.MarshalBinary()
	require.NoError(t, err)
	var d Accumulator
	require.NoError(t, d.UnmarshalBinary(b))
	got, err := d.Report()
	require.NoError(t, err)
	assertSameReport(t, want, got)
	b2, err := d.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, b, b2)

	j, err := a.MarshalJSON()
	require.NoError(t, err)
	var e Accumulator
	require.NoError(t, e.UnmarshalJSON(j))
	got, err = e.Report()
	require.NoError(t, err)
	assertSameReport(t, want, got)

	// Every single-byte flip is an error.
	for i := range b {
		c := append([]byte(nil), b...)
		c[i] ^= 0x01
		var x Accumulator
		err := x.UnmarshalBinary(c)
		require.Error(t, err, "byte %d", i)
		require.True(t, errors.Is(err, ErrInvalid), "byte %d: %v", i, err)
	}
	// Truncations too.
	for n := 0; n < len(b); n += 7 {
		var x Accumulator
		require.Error(t, x.UnmarshalBinary(b[:n]))
	}
	assert.False(t, math.IsNaN(want.Overall.CSAT.Score))
}

var csatSeven = csatSevenPoint()

func TestMergeRefusesOtherCalendar(t *testing.T) {
	var cal responsetime.Calendar = halfTime{}
	a, err := NewAccumulator(smallMap(), Options{})
	require.NoError(t, err)
	b, err := NewAccumulator(smallMap(), Options{Calendar: cal})
	require.NoError(t, err)
	q := responsetime.Query{Received: t0, FirstResponse: t0.Add(time.Hour)}
	require.NoError(t, a.AddContact(Contact{Customer: "c1", Touchpoint: "support", Query: q}))
	require.NoError(t, b.AddContact(Contact{Customer: "c2", Touchpoint: "support", Query: q}))
	before, _ := a.MarshalBinary()
	err = a.Merge(b)
	assert.ErrorIs(t, err, ErrIncompatible)
	assert.ErrorContains(t, err, `touchpoint "support"`)
	after, _ := a.MarshalBinary()
	assert.Equal(t, before, after, "a refused merge leaves the receiver unchanged")
	// SetOptions changes report options but not the counting ones.
	require.NoError(t, a.SetOptions(Options{MinGroup: 1}))
	assert.ErrorIs(t, a.SetOptions(Options{SkipInvalid: true}), ErrIncompatible)
}

// halfTime is a Calendar that counts half of the elapsed time.
type halfTime struct{}

func (halfTime) WorkingTime(start, end time.Time) (time.Duration, error) {
	return end.Sub(start) / 2, nil
}

// TestThresholdOffEncodes: a NaN threshold (test switched off) survives both encodings.
func TestThresholdOffEncodes(t *testing.T) {
	a, err := NewAccumulator(smallMap(), Options{MinGroup: 2, Thresholds: map[Metric]float64{CSAT: math.NaN()}})
	require.NoError(t, err)
	for _, o := range smallObservations() {
		require.NoError(t, a.Add(o))
	}
	r, err := a.Report()
	require.NoError(t, err)
	for _, p := range r.PainPoints {
		assert.False(t, p.BelowThreshold, "the CSAT threshold is off")
	}
	b, err := a.MarshalBinary()
	require.NoError(t, err)
	j, err := a.MarshalJSON()
	require.NoError(t, err)
	var d, e Accumulator
	require.NoError(t, d.UnmarshalBinary(b))
	require.NoError(t, e.UnmarshalJSON(j))
	assert.True(t, math.IsNaN(d.Options().Thresholds[CSAT]))
	assert.True(t, math.IsNaN(e.Options().Thresholds[CSAT]))
	assert.Equal(t, 0.0, e.Options().Thresholds[NPS])
}
