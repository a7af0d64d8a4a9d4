package churn

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// table is the sufficient statistic of the Kaplan–Meier estimator and the log-rank test:
// the distinct durations with the weight of subjects who churned (d) or were censored (c)
// there, and the distinct positive entry times with the weight of subjects entering then.
type table struct {
	t, d, c []float64 // ascending distinct durations
	et, ew  []float64 // ascending distinct positive entry times
}

// rec is a sort record: the bit pattern of a non-negative float64 (which orders like the
// float) and a weight, negative for a censored subject.
type rec struct {
	key uint64
	w   float64
}

// tableOf validates the subjects and tabulates them.
func tableOf(subjects []Subject) (table, error) {
	if len(subjects) == 0 {
		return table{}, fmt.Errorf("churn: no subjects: %w", ErrEmpty)
	}
	recs := make([]rec, len(subjects))
	var entries []rec
	total := 0.0
	for i, s := range subjects {
		if err := s.Validate(); err != nil {
			return table{}, fmt.Errorf("churn: subject %d: %w", i, err)
		}
		w := s.weight()
		if total += w; total > MaxTotalWeight {
			return table{}, fmt.Errorf("churn: subject %d: total weight %v exceeds %g: %w", i, total, MaxTotalWeight, ErrOutOfRange)
		}
		if !s.Churned {
			w = -w
		}
		recs[i] = rec{key: math.Float64bits(s.Duration + 0), w: w} // +0 turns −0 into +0
		if s.Entry > 0 {
			entries = append(entries, rec{key: math.Float64bits(s.Entry), w: s.weight()})
		}
	}
	sortRecs(recs)
	distinct := 0
	for i := range recs {
		if i == 0 || recs[i].key != recs[i-1].key {
			distinct++
		}
	}
	tb := table{t: make([]float64, 0, distinct), d: make([]float64, 0, distinct), c: make([]float64, 0, distinct)}
	for i := 0; i < len(recs); {
		k := recs[i].key
		var d, c float64
		for ; i < len(recs) && recs[i].key == k; i++ {
			if w := recs[i].w; w > 0 {
				d += w
			} else {
				c -= w
			}
		}
		tb.t = append(tb.t, math.Float64frombits(k))
		tb.d = append(tb.d, d)
		tb.c = append(tb.c, c)
	}
	if len(entries) > 0 {
		sortRecs(entries)
		for i := 0; i < len(entries); {
			k := entries[i].key
			var w float64
			for ; i < len(entries) && entries[i].key == k; i++ {
				w += entries[i].w
			}
			tb.et = append(tb.et, math.Float64frombits(k))
			tb.ew = append(tb.ew, w)
		}
	}
	return tb, nil
}

// sortRecs sorts by key: a least-significant-digit radix sort with 11-bit digits for large
// inputs (linear time; digits shared by every key are skipped), pdqsort for small ones.
func sortRecs(r []rec) {
	if len(r) < 512 {
		slices.SortFunc(r, func(a, b rec) int { return cmp.Compare(a.key, b.key) })
		return
	}
	const bits, passes = 11, 6
	const buckets = 1 << bits
	var counts [passes][buckets]int
	for _, x := range r {
		k := x.key
		for p := 0; p < passes; p++ {
			counts[p][(k>>(p*bits))&(buckets-1)]++
		}
	}
	src, dst := r, make([]rec, len(r))
	for p := 0; p < passes; p++ {
		c := &counts[p]
		if c[(src[0].key>>(p*bits))&(buckets-1)] == len(r) {
			continue // every key has this digit
		}
		sum := 0
		for i := range c {
			c[i], sum = sum, sum+c[i]
		}
		for _, x := range src {
			b := (x.key >> (p * bits)) & (buckets - 1)
			dst[c[b]] = x
			c[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &r[0] {
		copy(r, src)
	}
}

// atRisk returns the weight at risk just before each time of ts (ascending): subjects whose
// duration is ≥ t, less those whose positive entry time is ≥ t.
func (tb table) atRisk(ts []float64) []float64 {
	n := len(tb.t)
	suffix := make([]float64, n+1)
	for i := n - 1; i >= 0; i-- {
		suffix[i] = suffix[i+1] + tb.d[i] + tb.c[i]
	}
	m := len(tb.et)
	esuffix := make([]float64, m+1)
	for i := m - 1; i >= 0; i-- {
		esuffix[i] = esuffix[i+1] + tb.ew[i]
	}
	out := make([]float64, len(ts))
	i, j := 0, 0
	for q, t := range ts {
		for i < n && tb.t[i] < t {
			i++
		}
		for j < m && tb.et[j] < t {
			j++
		}
		out[q] = suffix[i] - esuffix[j]
	}
	return out
}

// validate checks a table decoded from outside: ascending distinct finite non-negative
// times, finite non-negative weights, positive entry times, a total weight of at most
// MaxTotalWeight, and entries that subjects account for: the weight entering at or after
// any entry time e is at most the weight of the rows with a duration after e (every subject
// who enters at e has a duration > e), so no number at risk is negative.
func (tb table) validate() error {
	if len(tb.d) != len(tb.t) || len(tb.c) != len(tb.t) || len(tb.ew) != len(tb.et) {
		return fmt.Errorf("column lengths differ: %w", ErrInvalid)
	}
	total := 0.0
	for i, t := range tb.t {
		if !(t >= 0) || math.IsInf(t, 0) || (i > 0 && !(t > tb.t[i-1])) {
			return fmt.Errorf("time %v at row %d is not finite, ≥ 0 and ascending: %w", t, i, ErrInvalid)
		}
		if !(tb.d[i] >= 0) || math.IsInf(tb.d[i], 0) || !(tb.c[i] >= 0) || math.IsInf(tb.c[i], 0) {
			return fmt.Errorf("weights %v, %v at row %d must be finite and ≥ 0: %w", tb.d[i], tb.c[i], i, ErrInvalid)
		}
		if tb.d[i]+tb.c[i] == 0 {
			return fmt.Errorf("row %d (time %v) has no weight: %w", i, t, ErrInvalid)
		}
		if total += tb.d[i] + tb.c[i]; !(total <= MaxTotalWeight) {
			return fmt.Errorf("total weight %v at row %d exceeds %g: %w", total, i, MaxTotalWeight, ErrInvalid)
		}
	}
	for i, t := range tb.et {
		if !(t > 0) || math.IsInf(t, 0) || (i > 0 && !(t > tb.et[i-1])) {
			return fmt.Errorf("entry time %v at row %d is not finite, > 0 and ascending: %w", t, i, ErrInvalid)
		}
		if !(tb.ew[i] > 0) || math.IsInf(tb.ew[i], 0) {
			return fmt.Errorf("entry weight %v at row %d must be finite and > 0: %w", tb.ew[i], i, ErrInvalid)
		}
	}
	// Walk entries from the latest down, with the row weight after each entry time.
	after, entered := 0.0, 0.0
	i := len(tb.t) - 1
	for j := len(tb.et) - 1; j >= 0; j-- {
		for ; i >= 0 && tb.t[i] > tb.et[j]; i-- {
			after += tb.d[i] + tb.c[i]
		}
		entered += tb.ew[j]
		// A relative slack of 1e-9 absorbs the rounding of sums made in another order.
		if entered > after*(1+1e-9) {
			return fmt.Errorf("weight %v enters at or after time %v but only %v has a later duration: %w", entered, tb.et[j], after, ErrInvalid)
		}
	}
	return nil
}
