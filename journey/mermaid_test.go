package journey

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -run Mermaid -update to create it")
	assert.Equal(t, string(want), got)
}

func TestMermaidGolden(t *testing.T) {
	r, err := Analyze(smallMap(), smallObservations(), Options{MinGroup: 2})
	require.NoError(t, err)
	golden(t, "shop.mmd", r.Mermaid())
}

// TestMermaidEscaping: names with every character that breaks a Mermaid journey.
func TestMermaidEscaping(t *testing.T) {
	m := Map{Name: "Shop; #1: the journey", Stages: []Stage{"buy: online", "use; #daily"},
		Touchpoints: []Touchpoint{{ID: "a", Name: "Cart: step #1; pay", Stage: "buy: online"}, {ID: "b", Name: "Help,\nchat", Stage: "use; #daily"}},
		Personas:    []Persona{{ID: "p", Name: "Senior, 65+: needs #large; fonts"}}}
	var obs []Observation
	for _, tp := range []string{"a", "b"} {
		obs = append(obs, Observation{Feedback: &Feedback{Customer: "c1", Persona: "p", Touchpoint: tp, Time: t0, Metric: CSAT, Rating: 4}})
	}
	r, err := Analyze(m, obs, Options{MinGroup: 1})
	require.NoError(t, err)
	got := r.Mermaid()
	for i, line := range strings.Split(strings.TrimSpace(got), "\n")[1:] {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "title "), strings.HasPrefix(line, "section "):
			assert.NotContains(t, strings.SplitN(line, " ", 2)[1], ":", "line %d", i)
		default:
			parts := strings.Split(line, ": ")
			require.Len(t, parts, 3, "task line %q", line)
			assert.NotContains(t, parts[2], ",", "one actor, its comma escaped")
		}
		// '#' and ';' appear only inside entity codes.
		bare := regexp.MustCompile(`#[0-9]+;`).ReplaceAllString(line, "")
		assert.NotContains(t, bare, "#", "line %q", line)
		assert.NotContains(t, bare, ";", "line %q", line)
	}
	golden(t, "escaping.mmd", got)
}
