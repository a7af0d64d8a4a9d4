package journey

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func generatedReport(t testing.TB) Report {
	m := genMap(12, 3)
	fb, outs := genFeedback(m, 60_000, 13, 3)
	a, err := NewAccumulator(m, Options{})
	require.NoError(t, err)
	for _, f := range fb {
		require.NoError(t, a.AddFeedback(f))
	}
	for _, o := range outs {
		require.NoError(t, a.AddOutcome(o))
	}
	r, err := a.Report()
	require.NoError(t, err)
	return r
}

// TestGeneratedJourney: on generated data where every seventh touchpoint (t03, t10) is worse,
// those are the pain points, they have a positive churn lift (bad experiences churn 45% vs
// 20%), and key drivers are computed.
func TestGeneratedJourney(t *testing.T) {
	r := generatedReport(t)
	require.NotEmpty(t, r.PainPoints)
	flagged := map[string]bool{}
	for _, p := range r.PainPoints {
		flagged[p.Touchpoint] = true
		assert.True(t, p.Significant || p.BelowThreshold)
	}
	assert.True(t, flagged["t03"], "t03 is worse by construction")
	assert.True(t, flagged["t10"], "t10 is worse by construction")
	assert.Contains(t, []string{"t03", "t10"}, r.PainPoints[0].Touchpoint)
	require.NotNil(t, r.PainPoints[0].ChurnLift)
	assert.Greater(t, r.PainPoints[0].ChurnLift.Lift, 0.0)
	assert.True(t, r.PainPoints[0].ChurnLift.Significant)
	require.NotNil(t, r.Drivers, r.DriversNote)
	assert.Equal(t, 12, len(r.Drivers.LMG))
	assert.NotEmpty(t, r.Importance)
	// Persona 2 never differs by construction except by chance; persona differences are
	// corrected, so at most a few are significant.
	for _, d := range r.PersonaDifferences {
		assert.GreaterOrEqual(t, d.AdjustedP, d.Comparison.P)
	}
}

func TestCharts(t *testing.T) {
	r := generatedReport(t)
	for name, draw := range map[string]func(*bytes.Buffer) error{
		"emotion":    func(b *bytes.Buffer) error { return r.EmotionSVG(b) },
		"painpoints": func(b *bytes.Buffer) error { return r.PainPointsSVG(b) },
		"importance": func(b *bytes.Buffer) error { return r.ImportanceSVG(b) },
	} {
		var b bytes.Buffer
		require.NoError(t, draw(&b), name)
		s := b.String()
		assert.True(t, strings.HasPrefix(strings.TrimSpace(s), "<?xml") || strings.Contains(s, "<svg"), name)
		assert.Contains(t, s, "Touchpoint 3", name) // labels are drawn
		assert.Greater(t, strings.Count(s, "<path"), 10, name)
	}
	var empty Report
	assert.ErrorIs(t, empty.EmotionSVG(&bytes.Buffer{}), ErrEmpty)
	assert.ErrorIs(t, empty.PainPointsSVG(&bytes.Buffer{}), ErrEmpty)
	assert.ErrorIs(t, empty.ImportanceSVG(&bytes.Buffer{}), ErrEmpty)
}

// TestReportJSON: a report always encodes to JSON (no NaN or Inf anywhere in it).
func TestReportJSON(t *testing.T) {
	for _, r := range []Report{generatedReport(t)} {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		assert.Contains(t, string(b), `"pain_points":[`)
	}
	r, err := Analyze(smallMap(), append(smallObservations(), churnObservations()...), Options{MinGroup: 1})
	require.NoError(t, err)
	_, err = json.Marshal(r)
	require.NoError(t, err)
}
