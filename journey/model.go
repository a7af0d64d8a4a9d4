package journey

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Stage is a phase of the customer journey. Stages are ordered by their position in
// [Map.Stages]; a Map with no Stages uses [DefaultStages].
type Stage string

// The stages of the default journey, in order.
const (
	Awareness     Stage = "awareness"     // the customer learns the brand exists
	Consideration Stage = "consideration" // compares offers, reads reviews, asks
	Purchase      Stage = "purchase"      // buys, signs up or subscribes
	Onboarding    Stage = "onboarding"    // first use, set-up, welcome
	UseSupport    Stage = "use/support"   // everyday use and the support it needs
	Renewal       Stage = "renewal"       // renews, upgrades or leaves
	Advocacy      Stage = "advocacy"      // recommends, reviews, refers
)

// DefaultStages is the journey awareness → consideration → purchase → onboarding →
// use/support → renewal → advocacy, used by a Map whose Stages is empty. A team with another
// journey sets [Map.Stages]. The slice is returned fresh by each call so callers cannot
// change the default.
func DefaultStages() []Stage {
	return []Stage{Awareness, Consideration, Purchase, Onboarding, UseSupport, Renewal, Advocacy}
}

// Channel is the medium of a touchpoint. It is an open type: the constants name the common
// channels and any other non-empty string is allowed.
type Channel string

// Common channels.
const (
	Web       Channel = "web"
	App       Channel = "app"
	Email     Channel = "email"
	Phone     Channel = "phone"
	Chat      Channel = "chat"
	Store     Channel = "store"
	Social    Channel = "social"
	SMS       Channel = "sms"
	Mail      Channel = "mail"  // postal mail
	LiveEvent Channel = "event" // a trade show, conference or live event
	Agent     Channel = "agent" // a salesperson, account manager or field agent
)

// Touchpoint is one designed moment of contact between the customer and the company: a
// landing page, a checkout, a welcome call, a support chat.
type Touchpoint struct {
	ID      string  `json:"id"`                // unique within the map; what observations name
	Name    string  `json:"name"`              // shown in reports and diagrams; ID when empty
	Stage   Stage   `json:"stage"`             // one of the map's stages
	Channel Channel `json:"channel,omitempty"` // optional
}

// Label is the touchpoint's Name, or its ID when it has no name.
func (t Touchpoint) Label() string {
	if t.Name != "" {
		return t.Name
	}
	return t.ID
}

// Persona is a buyer persona: a kind of customer with their own needs, such as an older
// customer who needs larger fonts and fewer steps.
type Persona struct {
	ID          string            `json:"id"`                    // unique within the map; what observations name
	Name        string            `json:"name"`                  // shown in reports; ID when empty
	Description string            `json:"description,omitempty"` // free text
	Attributes  map[string]string `json:"attributes,omitempty"`  // e.g. "age": "65+"
	Needs       []string          `json:"needs,omitempty"`       // e.g. "larger fonts", "fewer steps"
}

// Label is the persona's Name, or its ID when it has no name.
func (p Persona) Label() string {
	if p.Name != "" {
		return p.Name
	}
	return p.ID
}

// Map is the designed journey: its stages in order, its touchpoints and its personas. The
// order of Touchpoints is the order of the journey within a stage; reports list touchpoints
// by stage, then in this order.
type Map struct {
	Name        string       `json:"name,omitempty"`
	Stages      []Stage      `json:"stages,omitempty"` // empty: DefaultStages()
	Touchpoints []Touchpoint `json:"touchpoints"`
	Personas    []Persona    `json:"personas,omitempty"`
}

// MaxStages is the largest number of stages a Map may have.
const MaxStages = 64

// StageList returns the map's stages in order: Stages, or DefaultStages() when it is empty.
func (m *Map) StageList() []Stage {
	if len(m.Stages) == 0 {
		return DefaultStages()
	}
	return slices.Clone(m.Stages)
}

// Validate checks the map and reports every problem it finds, each naming the element: an
// empty or duplicate stage, a touchpoint with an empty or duplicate ID, without a stage or
// with a stage the map does not hold, a persona with an empty or duplicate ID, more than
// MaxStages stages, or a map with no touchpoint. Problems of unknown stages wrap ErrUnknown,
// the others ErrInvalid; the returned error joins them all (errors.Join).
func (m *Map) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("journey: "+format+": %w", append(args, ErrInvalid)...))
	}
	stages := m.StageList()
	if len(stages) > MaxStages {
		bad("%d stages, more than %d", len(stages), MaxStages)
	}
	seenStage := make(map[Stage]int, len(stages))
	for i, s := range stages {
		if strings.TrimSpace(string(s)) == "" {
			bad("stage %d is empty", i)
			continue
		}
		if j, ok := seenStage[s]; ok {
			bad("stage %q at index %d repeats index %d", s, i, j)
			continue
		}
		seenStage[s] = i
	}
	if len(m.Touchpoints) == 0 {
		bad("map %q has no touchpoint", m.Name)
	}
	seenTP := make(map[string]int, len(m.Touchpoints))
	for i, t := range m.Touchpoints {
		if strings.TrimSpace(t.ID) == "" {
			bad("touchpoint %d (%q) has an empty ID", i, t.Name)
		} else if j, ok := seenTP[t.ID]; ok {
			bad("touchpoint %q at index %d repeats the ID of index %d", t.ID, i, j)
		} else {
			seenTP[t.ID] = i
		}
		switch _, ok := seenStage[t.Stage]; {
		case t.Stage == "":
			bad("touchpoint %q (index %d) has no stage", t.ID, i)
		case !ok:
			errs = append(errs, fmt.Errorf("journey: touchpoint %q (index %d) has stage %q, which the map does not hold: %w", t.ID, i, t.Stage, ErrUnknown))
		}
	}
	seenP := make(map[string]int, len(m.Personas))
	for i, p := range m.Personas {
		if strings.TrimSpace(p.ID) == "" {
			bad("persona %d (%q) has an empty ID", i, p.Name)
		} else if j, ok := seenP[p.ID]; ok {
			bad("persona %q at index %d repeats the ID of index %d", p.ID, i, j)
		} else {
			seenP[p.ID] = i
		}
	}
	return errors.Join(errs...)
}

// Touchpoint returns the touchpoint with the given ID.
func (m *Map) Touchpoint(id string) (Touchpoint, bool) {
	for _, t := range m.Touchpoints {
		if t.ID == id {
			return t, true
		}
	}
	return Touchpoint{}, false
}

// Persona returns the persona with the given ID.
func (m *Map) Persona(id string) (Persona, bool) {
	for _, p := range m.Personas {
		if p.ID == id {
			return p, true
		}
	}
	return Persona{}, false
}

// clone deep-copies the map, so an accumulator's map cannot be changed through the caller's.
func (m Map) clone() Map {
	c := Map{Name: m.Name, Stages: slices.Clone(m.Stages), Touchpoints: slices.Clone(m.Touchpoints)}
	for _, p := range m.Personas {
		q := p
		if p.Attributes != nil {
			q.Attributes = make(map[string]string, len(p.Attributes))
			for k, v := range p.Attributes {
				q.Attributes[k] = v
			}
		}
		q.Needs = slices.Clone(p.Needs)
		c.Personas = append(c.Personas, q)
	}
	return c
}
