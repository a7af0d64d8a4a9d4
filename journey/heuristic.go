package journey

import (
	"fmt"
	"math"
	"time"
)

// HeuristicModel is a rule-based attribution model.
type HeuristicModel int

const (
	// FirstTouch gives each conversion to the path's first touchpoint.
	FirstTouch HeuristicModel = iota
	// LastTouch gives each conversion to the path's last touchpoint.
	LastTouch
	// Linear splits each conversion equally over the path's touches (per occurrence: in
	// A > B > A, A gets 2/3).
	Linear
	// PositionBased gives Heuristic.First of each conversion to the first touch, Heuristic.Last
	// to the last, and the rest equally to the touches between (40/20/40 by default). A path of
	// one touch gives it everything; a path of two splits First:Last (50/50 by default).
	PositionBased
	// TimeDecay weighs each touch by 2^(−age/HalfLife), age being the time from the touch to
	// the conversion, and splits each conversion in proportion. It needs event times: use
	// HeuristicAttributionEvents.
	TimeDecay
)

// String names the model: "first touch", "last touch", "linear", "position based", "time decay".
func (m HeuristicModel) String() string {
	switch m {
	case FirstTouch:
		return "first touch"
	case LastTouch:
		return "last touch"
	case Linear:
		return "linear"
	case PositionBased:
		return "position based"
	case TimeDecay:
		return "time decay"
	}
	return fmt.Sprintf("HeuristicModel(%d)", int(m))
}

// Heuristic chooses a heuristic model and its parameters.
type Heuristic struct {
	Model HeuristicModel
	// First and Last are PositionBased's shares of the first and last touch; both zero means
	// 0.4 and 0.4. Each must lie in [0, 1] and their sum be at most 1 and positive.
	First, Last float64
	// HalfLife is TimeDecay's half-life; zero means 7 days (Google Ads' and Analytics' default).
	HalfLife time.Duration
}

func (h Heuristic) check() (Heuristic, error) {
	if h.Model < FirstTouch || h.Model > TimeDecay {
		return h, fmt.Errorf("journey: heuristic model %d is unknown: %w", int(h.Model), ErrOutOfRange)
	}
	if h.First == 0 && h.Last == 0 {
		h.First, h.Last = 0.4, 0.4
	}
	if !(h.First >= 0 && h.Last >= 0 && h.First+h.Last <= 1 && h.First+h.Last > 0) {
		return h, fmt.Errorf("journey: position-based shares first %v and last %v must be non-negative with a sum in (0, 1]: %w", h.First, h.Last, ErrOutOfRange)
	}
	if h.HalfLife < 0 {
		return h, fmt.Errorf("journey: time-decay half-life %v is negative: %w", h.HalfLife, ErrOutOfRange)
	}
	if h.HalfLife == 0 {
		h.HalfLife = 7 * 24 * time.Hour
	}
	return h, nil
}

// weights fills w (len n) with the shares of the touches of one path; ages (nil unless
// TimeDecay) are the times from each touch to the conversion.
func (h Heuristic) weights(w []float64, ages []time.Duration) {
	n := len(w)
	clear(w)
	switch h.Model {
	case FirstTouch:
		w[0] = 1
	case LastTouch:
		w[n-1] = 1
	case Linear:
		for i := range w {
			w[i] = 1 / float64(n)
		}
	case PositionBased:
		switch n {
		case 1:
			w[0] = 1
		case 2:
			w[0] = h.First / (h.First + h.Last)
			w[1] = h.Last / (h.First + h.Last)
		default:
			mid := (1 - h.First - h.Last) / float64(n-2)
			for i := range w {
				w[i] = mid
			}
			w[0], w[n-1] = h.First, h.Last
		}
	case TimeDecay:
		// Relative to the newest touch, so that no weight underflows to 0 for all touches.
		minAge := ages[0]
		for _, a := range ages {
			minAge = min(minAge, a)
		}
		var sum float64
		for i, a := range ages {
			w[i] = math.Exp2(-float64(a-minAge) / float64(h.HalfLife))
			sum += w[i]
		}
		for i := range w {
			w[i] /= sum
		}
	}
}

// HeuristicAttribution credits the paths' conversions and value to touchpoints by a rule:
// first touch, last touch, linear, position based (see HeuristicModel). Paths carry no times,
// so TimeDecay is an error wrapping ErrInvalid here: use HeuristicAttributionEvents. Other
// errors are those of MarkovAttribution's path checks.
func HeuristicAttribution(paths []Path, h Heuristic) (Attribution, error) {
	h, err := h.check()
	if err != nil {
		return Attribution{}, err
	}
	if h.Model == TimeDecay {
		return Attribution{}, fmt.Errorf("journey: time decay needs event times; use HeuristicAttributionEvents: %w", ErrInvalid)
	}
	if err := checkPaths(paths); err != nil {
		return Attribution{}, err
	}
	a := newHeuristicAttribution(h)
	var nulls float64
	var w []float64
	for i, p := range paths {
		if p.Value > 0 && p.Conversions == 0 {
			return Attribution{}, fmt.Errorf("journey: path %d (%s) has value %v but no conversions: %w", i, p, p.Value, ErrInvalid)
		}
		a.Conversions += p.Conversions
		a.TotalValue += p.Value
		nulls += p.Nulls
		w = append(w[:0], make([]float64, len(p.Touchpoints))...)
		h.weights(w, nil)
		for j, t := range p.Touchpoints {
			a.Credit[t] += p.Conversions * w[j]
			a.Value[t] += p.Value * w[j]
		}
	}
	return a.finish(nulls)
}

func newHeuristicAttribution(h Heuristic) Attribution {
	model := h.Model.String()
	switch h.Model {
	case PositionBased:
		model = fmt.Sprintf("position based %.4g/%.4g/%.4g", h.First, 1-h.First-h.Last, h.Last)
	case TimeDecay:
		model = fmt.Sprintf("time decay (half-life %v)", h.HalfLife)
	}
	return Attribution{Model: model, Credit: map[string]float64{}, Value: map[string]float64{}}
}

func (a Attribution) finish(nulls float64) (Attribution, error) {
	if a.Conversions == 0 {
		return Attribution{}, fmt.Errorf("journey: no conversions to attribute: %w", ErrEmpty)
	}
	if math.IsInf(a.Conversions+nulls, 0) || math.IsInf(a.TotalValue, 0) {
		return Attribution{}, fmt.Errorf("journey: the total conversions or value overflow: %w", ErrOutOfRange)
	}
	a.ConversionProbability = a.Conversions / (a.Conversions + nulls)
	return a, nil
}

// HeuristicAttributionEvents is HeuristicAttribution on the event form: it splits each
// customer's events at their conversions as Paths does (with opt.Lookback) and credits each
// conversion to its own touches, so that TimeDecay can weigh them by age. Conversions without
// any touch in their lookback are counted in Unattributed and credited to no touchpoint;
// Conversions and TotalValue count the attributed ones.
func HeuristicAttributionEvents(events []Event, conversions []Conversion, h Heuristic, opt PathsOptions) (Attribution, error) {
	h, err := h.check()
	if err != nil {
		return Attribution{}, err
	}
	names, list, err := collectTouches(events, conversions, opt)
	if err != nil {
		return Attribution{}, err
	}
	a := newHeuristicAttribution(h)
	for _, n := range names { // every touchpoint seen, as the path form lists them
		a.Credit[n], a.Value[n] = 0, 0
	}
	var nulls float64
	var w []float64
	var ages []time.Duration
	for _, tc := range list {
		switch {
		case !tc.converted:
			nulls++
			continue
		case len(tc.codes) == 0:
			a.Unattributed++
			a.UnattributedValue += tc.value
			continue
		}
		a.Conversions++
		a.TotalValue += tc.value
		w = append(w[:0], make([]float64, len(tc.codes))...)
		ages = ages[:0]
		for _, t := range tc.times {
			ages = append(ages, span(t, tc.at))
		}
		h.weights(w, ages)
		for j, c := range tc.codes {
			a.Credit[names[c]] += w[j]
			a.Value[names[c]] += tc.value * w[j]
		}
	}
	return a.finish(nulls)
}
