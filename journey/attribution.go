package journey

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Path is an aggregated customer path as R's ChannelAttribution takes it: the touchpoints in
// order, how many customers converted after it (Conversions), how many did not (Nulls), and
// the total value of the conversions. Counts are float64 so that weighted or pre-aggregated
// data fit; they must be finite and non-negative.
type Path struct {
	Touchpoints []string `json:"touchpoints"`
	Conversions float64  `json:"conversions"`
	Nulls       float64  `json:"nulls"`
	Value       float64  `json:"value"`
}

// String writes the path as ChannelAttribution's "A > B > C".
func (p Path) String() string { return strings.Join(p.Touchpoints, " > ") }

func checkPaths(paths []Path) error {
	if len(paths) == 0 {
		return fmt.Errorf("journey: no paths: %w", ErrEmpty)
	}
	for i, p := range paths {
		if len(p.Touchpoints) == 0 {
			return fmt.Errorf("journey: path %d has no touchpoints: %w", i, ErrInvalid)
		}
		for j, t := range p.Touchpoints {
			if t == "" {
				return fmt.Errorf("journey: path %d (%s) has an empty touchpoint at position %d: %w", i, p, j+1, ErrInvalid)
			}
		}
		for _, f := range []struct {
			name string
			v    float64
		}{{"conversions", p.Conversions}, {"nulls", p.Nulls}, {"value", p.Value}} {
			if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
				return fmt.Errorf("journey: path %d (%s) has %s %v; it must be finite and non-negative: %w", i, p, f.name, f.v, ErrOutOfRange)
			}
		}
	}
	return nil
}

// PathsOptions configure Paths and the event form of HeuristicAttribution.
type PathsOptions struct {
	// Lookback keeps, for each conversion, only the touchpoints within Lookback before it;
	// zero means no limit.
	Lookback time.Duration
}

// PathSet is the outcome of Paths.
type PathSet struct {
	// Paths are the distinct paths, most customers (Conversions + Nulls) first, ties by path.
	Paths []Path `json:"paths"`
	// Conversions and Value are the totals over all conversions given; Unattributed and
	// UnattributedValue the conversions (and value) with no touchpoint in their lookback, which
	// no path carries.
	Conversions       float64 `json:"conversions"`
	Value             float64 `json:"value"`
	Unattributed      float64 `json:"unattributed"`
	UnattributedValue float64 `json:"unattributed_value"`
}

// touches is one conversion's touchpoints (or a customer's unconverted tail) with times.
type touches struct {
	codes     []int32
	times     []int64
	converted bool
	at        int64 // conversion time
	value     float64
}

// Paths builds ChannelAttribution's aggregated paths from an event log and the customers'
// conversions. For each customer (events and conversions in time order, ties in input order)
// each conversion's path is the touchpoints after the customer's previous conversion and at
// or before this one, and within opt.Lookback of it; the touchpoints after a customer's last
// conversion (or of a customer who never converted) form a path with one null. A conversion
// with no touchpoint in its path is counted in Unattributed, not dropped. Consecutive repeats
// are kept (MarkovAttribution collapses them; the heuristics count occurrences).
func Paths(events []Event, conversions []Conversion, opt PathsOptions) (PathSet, error) {
	names, list, err := collectTouches(events, conversions, opt)
	if err != nil {
		return PathSet{}, err
	}
	var set PathSet
	idx := map[string]int{}
	var key strings.Builder
	for _, tc := range list {
		if tc.converted {
			set.Conversions++
			set.Value += tc.value
		}
		if len(tc.codes) == 0 {
			if tc.converted {
				set.Unattributed++
				set.UnattributedValue += tc.value
			}
			continue
		}
		key.Reset()
		for _, c := range tc.codes {
			key.WriteString(names[c])
			key.WriteByte(0)
		}
		i, ok := idx[key.String()]
		if !ok {
			i = len(set.Paths)
			idx[key.String()] = i
			tp := make([]string, len(tc.codes))
			for j, c := range tc.codes {
				tp[j] = names[c]
			}
			set.Paths = append(set.Paths, Path{Touchpoints: tp})
		}
		if tc.converted {
			set.Paths[i].Conversions++
			set.Paths[i].Value += tc.value
		} else {
			set.Paths[i].Nulls++
		}
	}
	slices.SortFunc(set.Paths, func(x, y Path) int {
		if c := cmp.Compare(y.Conversions+y.Nulls, x.Conversions+x.Nulls); c != 0 {
			return c
		}
		return slices.Compare(x.Touchpoints, y.Touchpoints)
	})
	return set, nil
}

// collectTouches splits each customer's events at their conversions (see Paths).
func collectTouches(events []Event, conversions []Conversion, opt PathsOptions) ([]string, []touches, error) {
	if opt.Lookback < 0 {
		return nil, nil, fmt.Errorf("journey: lookback %v is negative: %w", opt.Lookback, ErrOutOfRange)
	}
	if len(events) == 0 && len(conversions) == 0 {
		return nil, nil, fmt.Errorf("journey: no events and no conversions: %w", ErrEmpty)
	}
	for i, e := range events {
		if err := checkEvent(e, i); err != nil {
			return nil, nil, err
		}
	}
	convs := map[string][]int{}
	for i, c := range conversions {
		if err := checkConversion(c, i); err != nil {
			return nil, nil, err
		}
		convs[c.Customer] = append(convs[c.Customer], i)
	}
	code := map[string]int32{}
	var names []string
	var out []touches
	var buf []timed
	seen := map[string]bool{}
	emit := func(customer string, b []timed) {
		cs := convs[customer]
		slices.SortStableFunc(cs, func(x, y int) int {
			return cmp.Compare(unixNano(conversions[x].Time), unixNano(conversions[y].Time))
		})
		j := 0
		for _, ci := range cs {
			at := unixNano(conversions[ci].Time)
			tc := touches{converted: true, at: at, value: conversions[ci].Value}
			for ; j < len(b) && b[j].t <= at; j++ {
				if opt.Lookback == 0 || span(b[j].t, at) <= opt.Lookback {
					tc.codes = append(tc.codes, b[j].code)
					tc.times = append(tc.times, b[j].t)
				}
			}
			out = append(out, tc)
		}
		if j < len(b) {
			tc := touches{}
			for ; j < len(b); j++ {
				tc.codes = append(tc.codes, b[j].code)
				tc.times = append(tc.times, b[j].t)
			}
			out = append(out, tc)
		}
	}
	err := byCustomer(events, func(customer string, idx []int32) error {
		seen[customer] = true
		buf = buf[:0]
		for _, i := range idx {
			c, ok := code[events[i].Touchpoint]
			if !ok {
				c = int32(len(names))
				code[events[i].Touchpoint] = c
				names = append(names, events[i].Touchpoint)
			}
			buf = append(buf, timed{t: unixNano(events[i].Time), code: c, seq: int32(len(buf))})
		}
		sortTimed(buf)
		emit(customer, buf)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	// Customers who converted without any event: unattributed conversions, in customer order.
	var only []string
	for c := range convs {
		if !seen[c] {
			only = append(only, c)
		}
	}
	slices.Sort(only)
	for _, c := range only {
		emit(c, nil)
	}
	return names, out, nil
}

// Attribution is the credit for conversions that a model gives each touchpoint.
type Attribution struct {
	// Model names the model: "markov order 1", "first touch", …
	Model string `json:"model"`
	// Credit is the conversions credited to each touchpoint; it sums to Conversions.
	Credit map[string]float64 `json:"credit"`
	// Value is the conversion value credited to each touchpoint; it sums to TotalValue.
	Value map[string]float64 `json:"value"`
	// RemovalEffect is, for the Markov model, the relative drop in the conversion probability
	// when the touchpoint is removed (1 − P(conversion without it) / P(conversion)), as
	// ChannelAttribution's removal_effects reports it; nil for the heuristics.
	RemovalEffect map[string]float64 `json:"removal_effect,omitempty"`
	// ConversionProbability is the probability that a path from the start is absorbed in the
	// conversion state (Markov); for the heuristics, the observed share of paths that converted.
	ConversionProbability float64 `json:"conversion_probability"`
	// Conversions and TotalValue are the totals over the paths.
	Conversions float64 `json:"conversions"`
	TotalValue  float64 `json:"total_value"`
	// Unattributed and UnattributedValue are, for HeuristicAttributionEvents, the conversions
	// (and their value) with no touchpoint in their lookback, credited to no touchpoint.
	Unattributed      float64 `json:"unattributed,omitempty"`
	UnattributedValue float64 `json:"unattributed_value,omitempty"`
}
