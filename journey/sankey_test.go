package journey

import (
	"encoding/csv"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The golden diagrams are parsed by the real Mermaid parser in CI (scripts/mermaidcheck).
func TestSankeyGolden(t *testing.T) {
	r, err := AnalyzePaths(pathLog(), PathOptions{MaxLength: 3, CollapseRepeats: true})
	require.NoError(t, err)
	s, err := MermaidSankey(r.Flows)
	require.NoError(t, err)
	assert.Equal(t, "sankey-beta\n\n\"1 Email\",\"2 Web\",3\n\"2 Web\",\"3 Store\",2\n", s)
	golden(t, "sankey_paths.mmd", s)

	paths := []Path{
		{Touchpoints: []string{"Search, paid", "Email \"Spring\"", "Web"}, Conversions: 12, Nulls: 30},
		{Touchpoints: []string{"Search, paid", "Web"}, Conversions: 5, Nulls: 40},
		{Touchpoints: []string{"Web"}, Conversions: 2.5, Nulls: 60},
		{Touchpoints: []string{"Email \"Spring\"", "Web", "Web", "Store"}, Conversions: 8, Nulls: 1},
		{Touchpoints: []string{"Social\nad", "%% not a comment", "Store"}, Nulls: 3},
	}
	flows, err := PathFlows(paths, 3)
	require.NoError(t, err)
	s, err = MermaidSankey(flows)
	require.NoError(t, err)
	golden(t, "sankey_attribution.mmd", s)
	assert.Contains(t, s, `"1 Search, paid","2 Email ""Spring""",42`)
	assert.Contains(t, s, `"3 Web","Converted",20`) // 12 + the 8 of the 4-touch path, cut at step 3
	assert.Contains(t, s, `"1 Social ad"`)
}

// Decoding the rows with encoding/csv gives back the labels and values (CSV quoting is an
// identity), for any labels.
func FuzzMermaidSankey(f *testing.F) {
	f.Add("1 Email", "2 Web", 3.0)
	f.Add(`a "q", b`, "x\ny", 0.5)
	f.Fuzz(func(t *testing.T, from, to string, v float64) {
		s, err := MermaidSankey([]Flow{{From: from, To: to, Value: v}, {From: "1 A", To: "2 B", Value: 1}})
		if err != nil {
			bad := sankeyLabel(from) == "" || sankeyLabel(to) == "" || sankeyLabel(from) == sankeyLabel(to) ||
				math.IsNaN(v) || math.IsInf(v, 0) || v < 0 ||
				(sankeyLabel(from) == "2 B" && sankeyLabel(to) == "1 A") // a cycle with the second flow
			if !bad {
				t.Fatalf("unexpected error %v", err)
			}
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		body, ok := strings.CutPrefix(s, "sankey-beta\n\n")
		if !ok {
			t.Fatalf("no header: %q", s)
		}
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("rows %q: %v", recs, err)
		}
		if recs[0][0] != sankeyLabel(from) || recs[0][1] != sankeyLabel(to) {
			t.Fatalf("labels %q %q → %q", from, to, recs[0][:2])
		}
		if strings.Count(s, "\n") != 4 {
			t.Fatalf("a label broke a line: %q", s)
		}
	})
}

func TestMermaidSankeyErrors(t *testing.T) {
	for i, c := range []struct {
		flows []Flow
		want  error
	}{
		{nil, ErrEmpty},
		{[]Flow{{From: " ", To: "b", Value: 1}}, ErrInvalid},
		{[]Flow{{From: "a", To: "a", Value: 1}}, ErrInvalid},
		{[]Flow{{From: "a", To: "b", Value: 1}, {From: "b", To: "c", Value: 1}, {From: "c", To: "a", Value: 1}}, ErrInvalid},
		{[]Flow{{From: "a", To: "b", Value: -1}}, ErrOutOfRange},
		{[]Flow{{From: "a", To: "b", Value: math.NaN()}}, ErrOutOfRange},
	} {
		_, err := MermaidSankey(c.flows)
		assert.ErrorIs(t, err, c.want, "case %d", i)
	}
	_, err := MermaidSankey([]Flow{{From: "x", To: "a", Value: 1}, {From: "a", To: "b", Value: 1}, {From: "b", To: "a", Value: 1}})
	assert.ErrorContains(t, err, `cycle through node "a"`)
	// A diamond is not a cycle.
	_, err = MermaidSankey([]Flow{{From: "a", To: "b", Value: 1}, {From: "a", To: "c", Value: 1}, {From: "b", To: "d", Value: 1}, {From: "c", To: "d", Value: 1}})
	assert.NoError(t, err)
	_, err = PathFlows([]Path{{Touchpoints: []string{"a"}, Nulls: -2}}, 0)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestFunnelChart(t *testing.T) {
	r, err := Funnel(funnelLog(), []string{"ad", "cart", "pay"}, FunnelOptions{})
	require.NoError(t, err)
	svg, err := FunnelChart(r, 0, 0)
	require.NoError(t, err)
	s := string(svg)
	assert.True(t, strings.HasPrefix(s, "<?xml") || strings.HasPrefix(s, "<svg"), s[:40])
	assert.Contains(t, s, "2 cart (75.0%)")
	assert.Contains(t, s, "Funnel (sequential)")
	_, err = FunnelChart(FunnelResult{}, 0, 0)
	assert.ErrorIs(t, err, ErrEmpty)
}
