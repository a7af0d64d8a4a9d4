package journey

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cxkit/cxkit/responsetime"
)

// Metric is the survey question behind a feedback observation.
type Metric uint8

// The survey metrics a feedback observation can carry. Each is scored by its own package
// (nps, csat, ces); the CSAT and CES scales are set in [Options].
const (
	NPS  Metric = iota + 1 // likelihood to recommend, 0..10 (package nps)
	CSAT                   // satisfaction on Options.CSATScale (package csat)
	CES                    // effort on Options.CESScale (package ces)
)

// metrics lists the metrics in report order.
var metrics = [...]Metric{NPS, CSAT, CES}

const numMetrics = len(metrics)

// String names the metric: "NPS", "CSAT" or "CES".
func (m Metric) String() string {
	switch m {
	case NPS:
		return "NPS"
	case CSAT:
		return "CSAT"
	case CES:
		return "CES"
	}
	return fmt.Sprintf("Metric(%d)", uint8(m))
}

// MarshalText writes the metric's name.
func (m Metric) MarshalText() ([]byte, error) {
	if m < NPS || m > CES {
		return nil, fmt.Errorf("journey: metric %d is not NPS, CSAT or CES: %w", uint8(m), ErrInvalid)
	}
	return []byte(m.String()), nil
}

// UnmarshalText reads "NPS", "CSAT" or "CES".
func (m *Metric) UnmarshalText(b []byte) error {
	switch string(b) {
	case "NPS":
		*m = NPS
	case "CSAT":
		*m = CSAT
	case "CES":
		*m = CES
	default:
		return fmt.Errorf("journey: metric %q is not NPS, CSAT or CES: %w", b, ErrInvalid)
	}
	return nil
}

// Feedback is one survey answer given at a touchpoint.
type Feedback struct {
	Customer   string    `json:"customer"`          // required; links the customer's observations
	Persona    string    `json:"persona,omitempty"` // a persona of the map, or "" for none
	Touchpoint string    `json:"touchpoint"`        // a touchpoint of the map
	Time       time.Time `json:"time"`              // required
	Metric     Metric    `json:"metric"`            // NPS, CSAT or CES
	Rating     int       `json:"rating"`            // on the metric's scale
	Weight     float64   `json:"weight,omitempty"`  // survey weight; 0 means 1
}

// Contact is one support contact at a touchpoint: a responsetime.Query (Received is its
// time) with the customer and the touchpoint it belongs to.
type Contact struct {
	Customer   string             `json:"customer"`
	Persona    string             `json:"persona,omitempty"`
	Touchpoint string             `json:"touchpoint"`
	Query      responsetime.Query `json:"query"`
}

// Visit is a customer passing through a touchpoint without giving feedback (a page view, a
// store visit, an email opened). Visits count towards volume and reach.
type Visit struct {
	Customer   string    `json:"customer"`
	Persona    string    `json:"persona,omitempty"`
	Touchpoint string    `json:"touchpoint"`
	Time       time.Time `json:"time"`
}

// OutcomeKind says what happened to a customer.
type OutcomeKind uint8

// The outcomes a customer can have.
const (
	Converted OutcomeKind = iota + 1 // bought, signed up: the journey's goal
	Churned                          // left: cancelled, did not renew
)

// String names the outcome: "converted" or "churned".
func (k OutcomeKind) String() string {
	switch k {
	case Converted:
		return "converted"
	case Churned:
		return "churned"
	}
	return fmt.Sprintf("OutcomeKind(%d)", uint8(k))
}

// MarshalText writes the outcome's name.
func (k OutcomeKind) MarshalText() ([]byte, error) {
	if k != Converted && k != Churned {
		return nil, fmt.Errorf("journey: outcome %d is not converted or churned: %w", uint8(k), ErrInvalid)
	}
	return []byte(k.String()), nil
}

// UnmarshalText reads "converted" or "churned".
func (k *OutcomeKind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "converted":
		*k = Converted
	case "churned":
		*k = Churned
	default:
		return fmt.Errorf("journey: outcome %q is not converted or churned: %w", b, ErrInvalid)
	}
	return nil
}

// Outcome records that a customer converted or churned at a time. A customer's earliest
// outcome of each kind counts.
type Outcome struct {
	Customer string      `json:"customer"`
	Kind     OutcomeKind `json:"kind"`
	Time     time.Time   `json:"time"`
}

// Observation is one observation of any kind, for code that handles a single stream (the
// Accumulator's Add, a distributed engine's combiner): exactly one field is set.
type Observation struct {
	Feedback *Feedback `json:"feedback,omitempty"`
	Contact  *Contact  `json:"contact,omitempty"`
	Visit    *Visit    `json:"visit,omitempty"`
	Outcome  *Outcome  `json:"outcome,omitempty"`
}

// kind names the set field, or "" when not exactly one is set.
func (o Observation) kind() string {
	n, k := 0, ""
	if o.Feedback != nil {
		n, k = n+1, "feedback"
	}
	if o.Contact != nil {
		n, k = n+1, "contact"
	}
	if o.Visit != nil {
		n, k = n+1, "visit"
	}
	if o.Outcome != nil {
		n, k = n+1, "outcome"
	}
	if n != 1 {
		return ""
	}
	return k
}

// String describes the observation for error messages and reject examples.
func (o Observation) String() string {
	b, err := json.Marshal(o)
	if err != nil {
		return "observation (" + err.Error() + ")"
	}
	return string(b)
}
