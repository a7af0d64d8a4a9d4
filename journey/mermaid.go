package journey

import (
	"fmt"
	"io"
	"strings"
)

// mermaidEscaper replaces what breaks a Mermaid journey field with Mermaid's entity codes
// (#35; for '#', #59; for ';', #58; for ':', #44; for ','), which Mermaid decodes when it
// draws the text. Line breaks become spaces. '#' and ';' end a field everywhere, ':' ends a
// title-less field (section and task names), and ',' separates actors.
var mermaidEscaper = strings.NewReplacer("#", "#35;", ";", "#59;", ":", "#58;", ",", "#44;", "\r\n", " ", "\n", " ", "\r", " ", "%%", "%#37;")

// mermaidText escapes s for a Mermaid journey field; an empty or blank s becomes "-".
func mermaidText(s string) string {
	s = strings.TrimSpace(mermaidEscaper.Replace(s))
	if s == "" {
		return "-"
	}
	return s
}

// Mermaid returns the report as a Mermaid journey diagram; see WriteMermaid.
func (r Report) Mermaid() string {
	var b strings.Builder
	_ = r.WriteMermaid(&b)
	return b.String()
}

// WriteMermaid writes the report as a Mermaid journey diagram, which GitHub renders in
// Markdown: one section per stage that has touchpoints (in journey order), one task per
// touchpoint with its emotion-curve score 1-5 ([EmotionPoint].Mermaid; 3 where there is no
// feedback) and, as actors, the personas seen at it (or "customers" when none was named).
// Every field is escaped with Mermaid's entity codes for the characters that break it ('#',
// ';' everywhere, ':' in titles, sections and tasks, ',' in actors).
func (r Report) WriteMermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("journey\n")
	if r.Map != "" {
		fmt.Fprintf(&b, "    title %s\n", mermaidText(r.Map))
	}
	actors := map[string][]string{}
	labels := map[string]string{}
	for _, g := range r.Personas {
		labels[g.Persona] = g.Label
	}
	for _, g := range r.PersonaTouchpoints {
		if g.Persona != "" {
			actors[g.Touchpoint] = append(actors[g.Touchpoint], mermaidText(labels[g.Persona]))
		}
	}
	var stage Stage
	first := true
	for _, e := range r.Emotion {
		if first || e.Stage != stage {
			fmt.Fprintf(&b, "    section %s\n", mermaidText(string(e.Stage)))
			stage, first = e.Stage, false
		}
		a := actors[e.Touchpoint]
		if len(a) == 0 {
			a = []string{"customers"}
		}
		fmt.Fprintf(&b, "      %s: %d: %s\n", mermaidText(e.Label), e.Mermaid, strings.Join(a, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
