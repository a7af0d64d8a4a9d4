package journey

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Flow is one link of a Sankey diagram: Value customers (or paths) moving from node From to
// node To. Nodes are labels; the flows this package builds key them by step ("1 Email",
// "2 Web") so that the graph has no cycles, as Mermaid's sankey-beta requires.
type Flow struct {
	From  string  `json:"from"`
	To    string  `json:"to"`
	Value float64 `json:"value"`
	step  int
}

func sortFlows(f []Flow) {
	slices.SortFunc(f, func(x, y Flow) int {
		if c := cmp.Compare(x.step, y.step); c != 0 {
			return c
		}
		if c := cmp.Compare(y.Value, x.Value); c != 0 {
			return c
		}
		if c := cmp.Compare(x.From, y.From); c != 0 {
			return c
		}
		return cmp.Compare(x.To, y.To)
	})
}

// Node labels of the sinks PathFlows adds after the last touchpoint of a path.
const (
	SankeyConverted    = "Converted"
	SankeyNotConverted = "Not converted"
)

// PathFlows turns aggregated attribution paths into Sankey flows over their first maxSteps
// touchpoints (zero means 10): each path's Conversions + Nulls flow from "1 A" to "2 B" …, and
// from its last kept step into SankeyConverted (Conversions) and SankeyNotConverted (Nulls).
// A path longer than maxSteps flows into its outcome from step maxSteps. It checks the paths
// as MarkovAttribution does.
func PathFlows(paths []Path, maxSteps int) ([]Flow, error) {
	if maxSteps < 0 {
		return nil, fmt.Errorf("journey: sankey maxSteps %d is negative: %w", maxSteps, ErrOutOfRange)
	}
	if maxSteps == 0 {
		maxSteps = 10
	}
	if err := checkPaths(paths); err != nil {
		return nil, err
	}
	type key struct {
		step     int
		from, to string
	}
	acc := map[key]float64{}
	for _, p := range paths {
		w := p.Conversions + p.Nulls
		n := min(len(p.Touchpoints), maxSteps)
		label := func(i int) string { return strconv.Itoa(i+1) + " " + p.Touchpoints[i] }
		for i := 0; i+1 < n; i++ {
			if w > 0 {
				acc[key{i, label(i), label(i + 1)}] += w
			}
		}
		if p.Conversions > 0 {
			acc[key{n - 1, label(n - 1), SankeyConverted}] += p.Conversions
		}
		if p.Nulls > 0 {
			acc[key{n - 1, label(n - 1), SankeyNotConverted}] += p.Nulls
		}
	}
	flows := make([]Flow, 0, len(acc))
	for k, v := range acc {
		flows = append(flows, Flow{From: k.from, To: k.to, Value: v, step: k.step})
	}
	sortFlows(flows)
	return flows, nil
}

// MermaidSankey renders flows as a Mermaid sankey-beta diagram: the header line, a blank
// line, then one CSV row "source","target",value per flow. Every label is double-quoted with
// inner double quotes doubled (RFC 4180, as Mermaid's sankey grammar reads it), and line breaks
// and other control characters in labels become spaces. It returns an error wrapping
// ErrEmpty for no flows and ErrInvalid or ErrOutOfRange for an empty label, a negative or
// non-finite value, or flows that form a cycle (Mermaid's sankey layout needs an acyclic
// graph; the flows this package builds are keyed by step and never have one). Mermaid 11's parser accepts the
// output (checked by scripts/mermaidcheck on the golden files).
func MermaidSankey(flows []Flow) (string, error) {
	if len(flows) == 0 {
		return "", fmt.Errorf("journey: no flows to draw: %w", ErrEmpty)
	}
	var b strings.Builder
	b.WriteString("sankey-beta\n\n")
	edges := map[string][]string{}
	for i, f := range flows {
		from, to := sankeyLabel(f.From), sankeyLabel(f.To)
		switch {
		case strings.TrimSpace(from) == "" || strings.TrimSpace(to) == "":
			return "", fmt.Errorf("journey: flow %d (%q → %q) has an empty node label: %w", i, f.From, f.To, ErrInvalid)
		case from == to:
			return "", fmt.Errorf("journey: flow %d goes from %q to itself: %w", i, f.From, ErrInvalid)
		case math.IsNaN(f.Value) || math.IsInf(f.Value, 0) || f.Value < 0:
			return "", fmt.Errorf("journey: flow %d (%q → %q) has value %v; it must be finite and non-negative: %w", i, f.From, f.To, f.Value, ErrOutOfRange)
		}
		edges[from] = append(edges[from], to)
		b.WriteString(csvQuote(from))
		b.WriteByte(',')
		b.WriteString(csvQuote(to))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(f.Value, 'f', -1, 64))
		b.WriteByte('\n')
	}
	if node, ok := findCycle(edges); ok {
		return "", fmt.Errorf("journey: the flows have a cycle through node %q; a sankey diagram needs an acyclic graph (key nodes by step): %w", node, ErrInvalid)
	}
	return b.String(), nil
}

// findCycle returns a node on a cycle of the directed graph, if there is one (iterative
// depth-first search, nodes visited in sorted order so the answer is deterministic).
func findCycle(edges map[string][]string) (string, bool) {
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	nodes := make([]string, 0, len(edges))
	for n := range edges {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	type frame struct {
		node string
		next int
	}
	for _, root := range nodes {
		if state[root] != unseen {
			continue
		}
		stack := []frame{{root, 0}}
		state[root] = open
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(edges[f.node]) {
				state[f.node] = done
				stack = stack[:len(stack)-1]
				continue
			}
			to := edges[f.node][f.next]
			f.next++
			switch state[to] {
			case open:
				return to, true
			case unseen:
				state[to] = open
				stack = append(stack, frame{to, 0})
			}
		}
	}
	return "", false
}

// sankeyLabel replaces control characters (line breaks included) with spaces and trims the
// label: Mermaid trims node names, so two labels that differ only in outer space are one node.
func sankeyLabel(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 || r == 0x85 {
			return ' '
		}
		return r
	}, s))
}

func csvQuote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
