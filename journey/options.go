package journey

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/ces"
	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/responsetime"
)

// Options configure an Accumulator (and Analyze). The scales and SkipInvalid decide what the
// accumulator counts and are fixed by [NewAccumulator]; the other fields only shape the
// Report and may be changed between reports through [Accumulator.SetOptions]. The zero value
// of every field means its documented default.
type Options struct {
	// CSATScale and CESScale are the scales of CSAT and CES feedback (zero: csat.FivePoint and
	// ces.FivePoint). Accumulators on other scales do not merge.
	CSATScale csat.Scale `json:"csat_scale"`
	CESScale  ces.Scale  `json:"ces_scale"`
	// Calendar measures the support contacts' response times (nil: calendar time), as in
	// responsetime.Tracker. It is not encoded: set it again after decoding.
	Calendar responsetime.Calendar `json:"-"`
	// SkipInvalid makes Add count a bad observation (unknown touchpoint or persona, a rating
	// off its scale, a missing customer or time, an invalid query) in Report.Rejected, with
	// its reason and the first example, instead of returning the error: the option for dirty
	// data. Nothing is dropped silently either way.
	SkipInvalid bool `json:"skip_invalid,omitempty"`

	// MinGroup is the smallest number of responses (for a score) or customers (for a
	// retention comparison) a group needs to be flagged, compared or ranked (default 30).
	// Smaller groups are still reported, with Small set.
	MinGroup int `json:"min_group,omitempty"`
	// Confidence is the level of every interval (default 0.95).
	Confidence float64 `json:"confidence,omitempty"`
	// Alpha is the significance level of the pain-point gap, churn-lift and persona tests,
	// after the correction (default 0.05).
	Alpha float64 `json:"alpha,omitempty"`
	// FDR selects the Benjamini–Hochberg correction (false discovery rate) across the tests
	// of one family; the default (false) is Holm's, which controls the family-wise error rate.
	FDR bool `json:"fdr,omitempty"`
	// Thresholds are the absolute levels below which a touchpoint's score is a pain point,
	// in the metric's points (default: NPS 0, CSAT 70, CES 70 — common rules of thumb, not
	// standards: set your own). A NaN threshold switches the absolute test off.
	Thresholds map[Metric]float64 `json:"thresholds,omitempty"`
	// AsOf is the end of observation for retention: customers who have not churned are
	// censored at AsOf. Zero means the latest time in the data (never the machine's clock).
	AsOf time.Time `json:"as_of,omitzero"`
	// Horizon is the time after a customer's first observation at which churn lift compares
	// retention (default 90 days).
	Horizon time.Duration `json:"horizon,omitempty"`
	// MaxDrivers caps the number of touchpoints in the key-driver analysis, chosen by the
	// number of customers who rated them (default 12, at most MaxPredictors).
	MaxDrivers int `json:"max_drivers,omitempty"`
}

// DefaultThresholds are the absolute pain-point thresholds used when Options.Thresholds does
// not set one.
var DefaultThresholds = map[Metric]float64{NPS: 0, CSAT: 70, CES: 70}

// resolved returns the options with defaults filled in, or an error naming a bad field.
func (o Options) resolved() (Options, error) {
	if o.CSATScale == (csat.Scale{}) {
		o.CSATScale = csat.FivePoint
	}
	if o.CESScale == (ces.Scale{}) {
		o.CESScale = ces.FivePoint
	}
	if err := o.CSATScale.Check(); err != nil {
		return o, fmt.Errorf("journey: CSATScale: %w", err)
	}
	if err := o.CESScale.Check(); err != nil {
		return o, fmt.Errorf("journey: CESScale: %w", err)
	}
	if o.MinGroup == 0 {
		o.MinGroup = 30
	}
	if o.MinGroup < 1 {
		return o, fmt.Errorf("journey: MinGroup %d must be positive: %w", o.MinGroup, ErrOutOfRange)
	}
	if o.Confidence == 0 {
		o.Confidence = 0.95
	}
	if !(o.Confidence > 0 && o.Confidence < 1) {
		return o, fmt.Errorf("journey: Confidence %v is outside (0, 1): %w", o.Confidence, ErrOutOfRange)
	}
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return o, fmt.Errorf("journey: Alpha %v is outside (0, 1): %w", o.Alpha, ErrOutOfRange)
	}
	th := make(map[Metric]float64, numMetrics)
	for k, v := range DefaultThresholds {
		th[k] = v
	}
	for k, v := range o.Thresholds {
		if k < NPS || k > CES {
			return o, fmt.Errorf("journey: threshold for unknown metric %d: %w", uint8(k), ErrInvalid)
		}
		if math.IsInf(v, 0) {
			return o, fmt.Errorf("journey: %v threshold %v is infinite: %w", k, v, ErrOutOfRange)
		}
		th[k] = v
	}
	o.Thresholds = th
	if o.Horizon == 0 {
		o.Horizon = 90 * 24 * time.Hour
	}
	if o.Horizon < 0 {
		return o, fmt.Errorf("journey: Horizon %v is negative: %w", o.Horizon, ErrOutOfRange)
	}
	if o.MaxDrivers == 0 {
		o.MaxDrivers = 12
	}
	if o.MaxDrivers < 1 || o.MaxDrivers > MaxPredictors {
		return o, fmt.Errorf("journey: MaxDrivers %d is outside 1..%d: %w", o.MaxDrivers, MaxPredictors, ErrOutOfRange)
	}
	return o, nil
}

// correction is the multiple-comparison correction the options select.
func (o Options) correction() cxkit.Correction {
	if o.FDR {
		return cxkit.BenjaminiHochberg
	}
	return cxkit.Holm
}

// optionsJSON is the JSON form of Options: a threshold that is switched off (NaN) is null.
type optionsJSON struct {
	plainOptions
	Thresholds map[Metric]*float64 `json:"thresholds,omitempty"`
}

type plainOptions Options

// MarshalJSON encodes the options; a NaN threshold (the test switched off) is written as
// null, since JSON has no NaN. The Calendar is not encoded.
func (o Options) MarshalJSON() ([]byte, error) {
	j := optionsJSON{plainOptions: plainOptions(o)}
	j.plainOptions.Thresholds = nil
	if o.Thresholds != nil {
		j.Thresholds = make(map[Metric]*float64, len(o.Thresholds))
		for k, v := range o.Thresholds {
			if math.IsNaN(v) {
				j.Thresholds[k] = nil
			} else {
				v := v
				j.Thresholds[k] = &v
			}
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes the form written by MarshalJSON (null thresholds become NaN).
func (o *Options) UnmarshalJSON(b []byte) error {
	var j optionsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*o = Options(j.plainOptions)
	o.Thresholds = nil
	if j.Thresholds != nil {
		o.Thresholds = make(map[Metric]float64, len(j.Thresholds))
		for k, v := range j.Thresholds {
			if v == nil {
				o.Thresholds[k] = math.NaN()
			} else {
				o.Thresholds[k] = *v
			}
		}
	}
	return nil
}
