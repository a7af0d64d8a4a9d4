package clv

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The models and the summary encode their time unit by name ("unit": "week"). Encodings made
// before the unit was a cxkit.Period held it as a time.Duration in nanoseconds
// ("unit": 604800000000000); decoding one is refused with an error that says so, rather than
// json's "cannot unmarshal number into Go struct field".

// UnmarshalJSON decodes a model encoded by encoding/json. A unit that is not a period name is
// an error wrapping [ErrInvalid].
func (m *BGNBD) UnmarshalJSON(b []byte) error {
	type plain BGNBD
	return unmarshalWithUnit("BGNBD", b, (*plain)(m))
}

// UnmarshalJSON decodes a model encoded by encoding/json. A unit that is not a period name is
// an error wrapping [ErrInvalid].
func (m *MBGNBD) UnmarshalJSON(b []byte) error {
	type plain MBGNBD
	return unmarshalWithUnit("MBGNBD", b, (*plain)(m))
}

// UnmarshalJSON decodes a model encoded by encoding/json. A unit that is not a period name is
// an error wrapping [ErrInvalid].
func (m *ParetoNBD) UnmarshalJSON(b []byte) error {
	type plain ParetoNBD
	return unmarshalWithUnit("ParetoNBD", b, (*plain)(m))
}

// UnmarshalJSON decodes a summary encoded by encoding/json, restoring each history's ID (the
// RFM's "id") so that [RFMSummary.Histories] names customers as Summarize's does. A unit that
// is not a period name is an error wrapping [ErrInvalid].
func (s *RFMSummary) UnmarshalJSON(b []byte) error {
	type plain RFMSummary
	if err := unmarshalWithUnit("RFMSummary", b, (*plain)(s)); err != nil {
		return err
	}
	for i := range s.Customers {
		if r := &s.Customers[i]; r.Customer.ID == "" {
			r.Customer.ID = r.ID
		}
	}
	return nil
}

// unmarshalWithUnit decodes b into v (a type without the UnmarshalJSON method), refusing a
// numeric "unit" with an error naming the old encoding.
func unmarshalWithUnit(who string, b []byte, v any) error {
	var probe struct {
		Unit json.RawMessage `json:"unit"`
	}
	if json.Unmarshal(b, &probe) == nil {
		if u := bytes.TrimSpace(probe.Unit); len(u) > 0 && (u[0] == '-' || u[0] >= '0' && u[0] <= '9') {
			return fmt.Errorf(`clv: %s: unit %s is a number (a duration in nanoseconds, from an encoding made before units `+
				`were periods); a unit is now a period name such as "week": %w`, who, u, ErrInvalid)
		}
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("clv: %s: %w: %w", who, err, ErrInvalid)
	}
	return nil
}
