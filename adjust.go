package cxkit

import (
	"fmt"
	"math"
	"slices"
)

// Correction is a method of adjusting p-values for multiple comparisons.
type Correction int

const (
	// NoCorrection leaves p-values as they are.
	NoCorrection Correction = iota
	// Holm is Holm's (1979) step-down method: it controls the family-wise error rate (the
	// chance of any false positive) under any dependence between the tests, and is uniformly
	// more powerful than Bonferroni. The default where a family of comparisons is reported.
	Holm
	// BenjaminiHochberg is the Benjamini–Hochberg (1995) step-up method: it controls the false
	// discovery rate (the expected share of false positives among the rejections) for
	// independent or positively dependent tests; more powerful than Holm over many groups.
	BenjaminiHochberg
)

// String names the correction as R's p.adjust does ("none", "holm", "BH").
func (c Correction) String() string {
	switch c {
	case NoCorrection:
		return "none"
	case Holm:
		return "holm"
	case BenjaminiHochberg:
		return "BH"
	}
	return fmt.Sprintf("Correction(%d)", int(c))
}

// Adjust returns the p-values adjusted for multiple comparisons by method c, in the order of
// p, as R's p.adjust(p, method) computes them (adjusted values are capped at 1). Each p-value
// must lie in [0, 1]; a NaN or out-of-range one is an error naming its index, wrapping
// [ErrOutOfRange]. An empty slice gives an empty result.
func Adjust(p []float64, c Correction) ([]float64, error) {
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return nil, fmt.Errorf("cxkit: p-value %v at index %d is outside 0..1: %w", v, i, ErrOutOfRange)
		}
	}
	n := len(p)
	out := make([]float64, n)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	// Stable sort by p ascending, so ties keep their input order.
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	switch c {
	case NoCorrection:
		copy(out, p)
	case Holm:
		// p_(i) × (n − i + 1), made monotone non-decreasing from the smallest up.
		running := 0.0
		for rank, i := range order {
			running = math.Max(running, math.Min(1, float64(n-rank)*p[i]))
			out[i] = running
		}
	case BenjaminiHochberg:
		// p_(i) × n / i, made monotone non-increasing from the largest down.
		running := 1.0
		for rank := n - 1; rank >= 0; rank-- {
			i := order[rank]
			running = math.Min(running, float64(n)/float64(rank+1)*p[i])
			out[i] = running
		}
	default:
		return nil, fmt.Errorf("cxkit: unknown correction %d: %w", int(c), ErrInvalid)
	}
	return out, nil
}
