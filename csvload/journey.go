package csvload

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/journey"
)

// JourneyEventsLayout is the layout of journey events (journey_events.csv): one customer at
// one touchpoint at one time, the input of journey.Funnel, journey.AnalyzePaths and
// journey.Paths.
var JourneyEventsLayout = Layout{
	Kind: "journey events", File: "journey_events.csv",
	Columns: []Column{
		{"customer", true, "customer ID"},
		{"touchpoint", true, "touchpoint ID (of touchpoints.csv when there is a map)"},
		{"time", true, "when: RFC 3339 or YYYY-MM-DD hh:mm[:ss]"},
		{"persona", false, "persona ID"},
	},
	Example: "customer,touchpoint,time,persona\nK0001,ad,2026-01-03T10:12:00Z,pragmatist",
}

// TouchpointsLayout is the layout of a journey map's touchpoints (touchpoints.csv). The stages
// are taken in the order they first appear; touchpoints keep the file's order.
var TouchpointsLayout = Layout{
	Kind: "journey map: stages and touchpoints", File: "touchpoints.csv",
	Columns: []Column{
		{"stage", true, "the stage (awareness, consideration, ...), in journey order"},
		{"id", true, "touchpoint ID, unique"},
		{"name", false, "shown in reports; the ID when empty"},
		{"channel", false, "web, app, email, phone, chat, store, social, ..."},
	},
	Example: "stage,id,name,channel\nawareness,ad,Social ad,social",
}

// PersonasLayout is the layout of a journey map's personas (personas.csv). Needs are
// separated by ";", attributes are "key=value" pairs separated by ";".
var PersonasLayout = Layout{
	Kind: "journey map: personas", File: "personas.csv",
	Columns: []Column{
		{"id", true, "persona ID, unique"},
		{"name", false, "shown in reports"},
		{"description", false, "free text"},
		{"needs", false, `needs separated by ";" (larger fonts;fewer steps)`},
		{"attributes", false, `key=value pairs separated by ";" (age=65+;device=tablet)`},
	},
	Example: "id,name,needs,attributes\nsenior,Careful senior,larger fonts;fewer steps,age=65+",
}

// JourneyEvent is one journey event with the persona column.
type JourneyEvent struct {
	journey.Event
	Persona string
}

// ReadJourneyEvents streams journey events from r to fn.
func ReadJourneyEvents(r io.Reader, opt Options, fn func(JourneyEvent) error) (Summary, error) {
	return read(r, JourneyEventsLayout, opt, func(w *row) (JourneyEvent, time.Time, *RowError) {
		var e JourneyEvent
		var bad *RowError
		if e.Customer, bad = w.required("customer"); bad != nil {
			return e, time.Time{}, bad
		}
		if e.Touchpoint, bad = w.required("touchpoint"); bad != nil {
			return e, time.Time{}, bad
		}
		v, bad := w.required("time")
		if bad != nil {
			return e, time.Time{}, bad
		}
		if e.Time, bad = w.instant("time", v); bad != nil {
			return e, time.Time{}, bad
		}
		e.Persona, _ = w.get("persona")
		return e, e.Time, nil
	}, fn)
}

// LoadJourneyEvents is ReadJourneyEvents into a slice.
func LoadJourneyEvents(r io.Reader, opt Options) ([]JourneyEvent, Summary, error) {
	return collect(func(fn func(JourneyEvent) error) (Summary, error) { return ReadJourneyEvents(r, opt, fn) })
}

// LoadMap reads a journey map from its touchpoints file and (if not nil) its personas file,
// and validates it (journey.Map.Validate). A map is a designed artefact, not an export: it is
// always read strictly, whatever opt.Policy says. opt.File names the touchpoints file;
// personasFile names the other in errors.
func LoadMap(touchpoints, personas io.Reader, opt Options, personasFile string) (journey.Map, error) {
	var m journey.Map
	opt.Policy = Strict
	seen := map[journey.Stage]bool{}
	if _, err := read(touchpoints, TouchpointsLayout, opt, func(w *row) (journey.Touchpoint, time.Time, *RowError) {
		var t journey.Touchpoint
		st, bad := w.required("stage")
		if bad != nil {
			return t, time.Time{}, bad
		}
		if t.ID, bad = w.required("id"); bad != nil {
			return t, time.Time{}, bad
		}
		t.Stage = journey.Stage(st)
		t.Name, _ = w.get("name")
		ch, _ := w.get("channel")
		t.Channel = journey.Channel(ch)
		return t, time.Time{}, nil
	}, func(t journey.Touchpoint) error {
		if !seen[t.Stage] {
			seen[t.Stage] = true
			m.Stages = append(m.Stages, t.Stage)
		}
		m.Touchpoints = append(m.Touchpoints, t)
		return nil
	}); err != nil {
		return m, err
	}
	if personas != nil {
		popt := opt
		popt.File = personasFile
		if _, err := read(personas, PersonasLayout, popt, func(w *row) (journey.Persona, time.Time, *RowError) {
			var p journey.Persona
			var bad *RowError
			if p.ID, bad = w.required("id"); bad != nil {
				return p, time.Time{}, bad
			}
			p.Name, _ = w.get("name")
			p.Description, _ = w.get("description")
			if v, _ := w.get("needs"); v != "" {
				for _, n := range strings.Split(v, ";") {
					if n = strings.TrimSpace(n); n != "" {
						p.Needs = append(p.Needs, n)
					}
				}
			}
			if v, _ := w.get("attributes"); v != "" {
				p.Attributes = map[string]string{}
				for _, kv := range strings.Split(v, ";") {
					k, val, ok := strings.Cut(kv, "=")
					if !ok || strings.TrimSpace(k) == "" {
						return p, time.Time{}, w.bad("attributes", v, "attribute is not key=value", cxkit.ErrInvalid)
					}
					p.Attributes[strings.TrimSpace(k)] = strings.TrimSpace(val)
				}
			}
			return p, time.Time{}, nil
		}, func(p journey.Persona) error { m.Personas = append(m.Personas, p); return nil }); err != nil {
			return m, err
		}
	}
	if err := m.Validate(); err != nil {
		return m, fmt.Errorf("%s: %w", opt.file(), err)
	}
	return m, nil
}
