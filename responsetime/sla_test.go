package responsetime

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSLA checks a Zendesk-style policy on hand-computed cases (New York, Mon 23 – Tue 24 Nov
// 2026, business hours Mon–Fri 09:00–17:00):
//
//	U1 urgent  09:00 → reply 09:45 (45m ≤ 1h), wait 10:00–10:40 (40m > 30m), solved 12:00 (3 bh ≤ 4 bh)
//	U2 urgent  Mon 16:00 → reply 17:30 (1h30 > 1h), solved Tue 11:00 (1 bh Mon + 2 bh Tue = 3 bh ≤ 4 bh)
//	U3 urgent  Mon 09:00, unanswered, open at Now = Tue 12:00: 27h > 1h; 8 bh + 3 bh = 11 bh > 4 bh
//	U4 urgent  Tue 11:30, unanswered at Now: 30m < 1h pending; 30m bh < 4 bh pending
//	N1 normal  Fri 20 Nov 16:00 → reply Mon 15:00: 1 bh + 6 bh = 7 bh ≤ 8 bh (71 calendar hours)
//	L1 low     no targets: uncovered
func TestSLA(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, ny) }
	bh := usBusiness(t)
	policy := &Policy{ByPriority: map[string]Targets{
		"urgent": {
			FirstReply: Target{Within: time.Hour},
			NextReply:  Target{Within: 30 * time.Minute},
			Resolution: Target{Within: 4 * time.Hour, Calendar: bh},
		},
		"normal": {FirstReply: Target{Within: 8 * time.Hour, Calendar: bh}},
	}}
	qs := []Query{
		{ID: "U1", Priority: "urgent", Received: at(23, 9, 0), FirstResponse: at(23, 9, 45),
			Waits: []Span{{at(23, 10, 0), at(23, 10, 40)}}, Resolved: at(23, 12, 0)},
		{ID: "U2", Priority: "urgent", Received: at(23, 16, 0), FirstResponse: at(23, 17, 30), Resolved: at(24, 11, 0)},
		{ID: "U3", Priority: "urgent", Received: at(23, 9, 0)},
		{ID: "U4", Priority: "urgent", Received: at(24, 11, 30)},
		{ID: "N1", Priority: "normal", Received: at(20, 16, 0), FirstResponse: at(23, 15, 0)},
		{ID: "L1", Priority: "low", Received: at(23, 9, 0), FirstResponse: at(23, 9, 5)},
	}
	s, err := Summarize(qs, Options{SLA: policy, Now: at(24, 12, 0)})
	require.NoError(t, err)
	r := s.SLA
	require.NotNil(t, r)
	assert.Equal(t, 1, r.Uncovered)

	fr := r.FirstReply
	assert.Equal(t, [3]int{2, 2, 1}, [3]int{fr.Achieved, fr.Breached, fr.Pending})
	assert.InDelta(t, 0.5, fr.BreachRate, 1e-12)
	require.Len(t, fr.Breaches, 2)
	assert.Equal(t, Breach{Index: 1, ID: "U2", Priority: "urgent", Elapsed: 90 * time.Minute, Target: time.Hour}, fr.Breaches[0])
	assert.Equal(t, Breach{Index: 2, ID: "U3", Priority: "urgent", Elapsed: 27 * time.Hour, Target: time.Hour, Open: true}, fr.Breaches[1])

	nr := r.NextReply
	assert.Equal(t, [3]int{0, 1, 0}, [3]int{nr.Achieved, nr.Breached, nr.Pending})
	assert.Equal(t, 40*time.Minute, nr.Breaches[0].Elapsed)

	res := r.Resolution
	assert.Equal(t, [3]int{2, 1, 1}, [3]int{res.Achieved, res.Breached, res.Pending})
	assert.Equal(t, 11*time.Hour, res.Breaches[0].Elapsed)
	assert.True(t, res.Breaches[0].Open)

	// Without Now, open clocks are pending.
	s, err = Summarize(qs, Options{SLA: policy})
	require.NoError(t, err)
	assert.Equal(t, [3]int{2, 1, 2}, [3]int{s.SLA.FirstReply.Achieved, s.SLA.FirstReply.Breached, s.SLA.FirstReply.Pending})

	// A default target covers the low-priority query: 5 minutes ≤ 10 minutes.
	policy.Default = &Targets{FirstReply: Target{Within: 10 * time.Minute}}
	s, err = Summarize(qs, Options{SLA: policy, Now: at(24, 12, 0)})
	require.NoError(t, err)
	assert.Equal(t, 0, s.SLA.Uncovered)
	assert.Equal(t, 3, s.SLA.FirstReply.Achieved)
	assert.Contains(t, s.String(), "SLA first reply: achieved 3, breached 2 (40.0%), pending 1")
}

// TestSLAInterval: Wilson score interval for 2 breaches in 4, 95%
// (Wilson 1927; R 4.2.2 prop.test(2, 4, correct = FALSE)$conf.int gives 0.1500389892 0.8499610108).
func TestSLAInterval(t *testing.T) {
	m := SLAMetric{Achieved: 2, Breached: 2}
	iv, err := m.Interval(0.95)
	require.NoError(t, err)
	assert.InDelta(t, 0.1500389892, iv.Lower, 1e-9)
	assert.InDelta(t, 0.8499610108, iv.Upper, 1e-9)
	_, err = SLAMetric{Pending: 3}.Interval(0.95)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = m.Interval(1.5)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestSLAErrors(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		want   error
	}{
		{"negative target", Policy{ByPriority: map[string]Targets{"high": {FirstReply: Target{Within: -time.Minute}}}}, ErrOutOfRange},
		{"invalid calendar", Policy{Default: &Targets{Resolution: Target{Within: time.Hour, Calendar: Schedule{}}}}, ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Summarize([]Query{{Received: t0}}, Options{SLA: &tc.policy})
			assert.True(t, errors.Is(err, tc.want), "%v", err)
		})
	}
}
