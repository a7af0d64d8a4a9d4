package churn

import (
	"fmt"
	"math"
	"time"

	"github.com/cxkit/cxkit"
)

// Sentinel errors, shared with the root package so errors.Is works with either name.
var (
	// ErrOutOfRange reports a negative, non-finite or inconsistent value: a negative duration,
	// a NaN count, a cohort that grows, a confidence level outside (0, 1).
	ErrOutOfRange = cxkit.ErrOutOfRange
	// ErrEmpty reports that there is nothing to compute from: no subjects, an empty group, a
	// cohort of size zero.
	ErrEmpty = cxkit.ErrEmpty
	// ErrInvalid reports malformed input other than a range: corrupt encodings, fewer than two
	// groups for a log-rank test, a cohort history shorter than two periods.
	ErrInvalid = cxkit.ErrInvalid
	// ErrNotConverged reports an sBG fit whose optimiser did not converge.
	ErrNotConverged = cxkit.ErrNotConverged
	// ErrNotIdentified reports a fit the data cannot pin down: parameters that ran off towards
	// a boundary, a singular information matrix, a constant or separating covariate.
	ErrNotIdentified = cxkit.ErrNotIdentified
)

// Subject is one customer in a survival analysis: how long they have been a customer and
// whether they have left.
//
// Durations are in a unit the caller chooses (days, months, billing periods) and every
// subject of one analysis must use the same unit; [NewSubject] converts two time.Time values.
type Subject struct {
	// Duration is the time from the start of the relationship to churn (Churned true) or to
	// the end of observation (Churned false). It must be finite and ≥ 0.
	Duration float64 `json:"duration"`
	// Churned is true when the customer left at Duration, false when they were still a
	// customer when observation ended (a right-censored subject).
	Churned bool `json:"churned"`
	// Entry is the time, on the same clock as Duration, at which the subject came under
	// observation (late entry, or left truncation): a customer who was already 5 months old
	// when tracking began has Entry 5 and is counted at risk only after 5. 0 means observed
	// from the start. A positive Entry must be less than Duration.
	Entry float64 `json:"entry,omitempty"`
	// Weight is how many customers this subject stands for (a case weight); 0 means 1. It
	// must be 0 or lie in [MinWeight, MaxWeight].
	Weight float64 `json:"weight,omitempty"`
}

// Weights of a subject must be 0 (meaning 1) or lie in [MinWeight, MaxWeight], the bounds of
// the survey packages' weights, so that sums of weights and their products in Greenwood's
// variance and the log-rank covariance can neither underflow to 0 nor overflow. The total
// weight of one analysis (a call or a Tally) must not exceed MaxTotalWeight.
const (
	MinWeight      = 1e-100
	MaxWeight      = 1e100
	MaxTotalWeight = 1e150
)

// weight returns the effective weight, 1 when unset.
func (s Subject) weight() float64 {
	if s.Weight == 0 {
		return 1
	}
	return s.Weight
}

// Validate checks the subject's fields: a finite Duration ≥ 0, a finite Entry ≥ 0 that is
// less than Duration when positive, and a Weight that is 0 or in [MinWeight, MaxWeight].
func (s Subject) Validate() error {
	switch {
	case math.IsNaN(s.Duration) || math.IsInf(s.Duration, 0) || s.Duration < 0:
		return fmt.Errorf("duration %v must be finite and ≥ 0: %w", s.Duration, ErrOutOfRange)
	case math.IsNaN(s.Entry) || math.IsInf(s.Entry, 0) || s.Entry < 0:
		return fmt.Errorf("entry %v must be finite and ≥ 0: %w", s.Entry, ErrOutOfRange)
	case s.Entry > 0 && s.Entry >= s.Duration:
		return fmt.Errorf("entry %v is not before duration %v: %w", s.Entry, s.Duration, ErrOutOfRange)
	case s.Weight != 0 && !(s.Weight >= MinWeight && s.Weight <= MaxWeight):
		return fmt.Errorf("weight %v must be 0 or between %g and %g: %w", s.Weight, MinWeight, MaxWeight, ErrOutOfRange)
	}
	return nil
}

// NewSubject builds a Subject from the start and end of a relationship, measuring the
// duration in units of unit (e.g. 24*time.Hour for days). end is the churn time when churned
// is true and the end of observation otherwise. It is an error if end is before start or unit
// is not positive.
func NewSubject(start, end time.Time, churned bool, unit time.Duration) (Subject, error) {
	if unit <= 0 {
		return Subject{}, fmt.Errorf("churn: unit %v must be positive: %w", unit, ErrOutOfRange)
	}
	if end.Before(start) {
		return Subject{}, fmt.Errorf("churn: end %v is before start %v: %w",
			end.Format(time.RFC3339), start.Format(time.RFC3339), ErrOutOfRange)
	}
	return Subject{Duration: float64(end.Sub(start)) / float64(unit), Churned: churned}, nil
}
