package journey

import (
	"maps"
	"slices"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
)

// transMapping is the index mapping of the transition-time sketches: sketches-go's
// logarithmic mapping at 1% relative accuracy, the mapping of ddsketch.LogUnboundedDenseDDSketch(0.01).
var transMapping = func() *mapping.LogarithmicMapping {
	m, err := mapping.NewLogarithmicMapping(0.01)
	if err != nil {
		panic(err) // a constant argument: cannot happen
	}
	return m
}()

// transSketch is the DDSketch of one transition's times in seconds (non-negative): the bins of
// ddsketch.LogUnboundedDenseDDSketch(0.01) with exact integer counts in a dense array, called
// directly rather than through the library's Store interface and float64 counts, which cost
// most of PathAnalyzer's time per event. Its quantiles are those of the library's sketch fed
// the same values (TestTransSketchIsDDSketch checks them bit for bit).
type transSketch struct {
	zero   int // values at or below the mapping's smallest indexable value
	total  int
	offset int         // counts[j] is the count of index offset + j, modulo 2^32
	counts []uint32    // nil until the first positive value; 4 bytes a bin, to stay in cache
	carry  map[int]int // index → the multiples of 2^32 its count wrapped past (nil: none)
}

// add counts one non-negative, finite value v (seconds).
func (s *transSketch) add(v float64) {
	s.total++
	if !(v > transMapping.MinIndexableValue()) {
		s.zero++
		return
	}
	i := transMapping.Index(v)
	j := i - s.offset
	if uint(j) >= uint(len(s.counts)) {
		s.grow(i)
		j = i - s.offset
	}
	s.counts[j]++
	if s.counts[j] == 0 {
		s.wrapped(i)
	}
}

// wrapped records that the count of index i went past 2^32 − 1.
func (s *transSketch) wrapped(i int) {
	if s.carry == nil {
		s.carry = map[int]int{}
	}
	s.carry[i] += 1 << 32
}

// grow widens the array to hold index i, with room on both sides.
func (s *transSketch) grow(i int) {
	if len(s.counts) == 0 {
		s.offset, s.counts = i-8, make([]uint32, 16)
		return
	}
	lo, hi := min(i, s.offset), max(i, s.offset+len(s.counts)-1)
	pad := max(8, (hi-lo)/4)
	lo, hi = lo-pad, hi+pad
	counts := make([]uint32, hi-lo+1)
	copy(counts[s.offset-lo:], s.counts)
	s.offset, s.counts = lo, counts
}

// quantile is DDSketch.GetValueAtQuantile(q) for 0 ≤ q ≤ 1 on a non-empty sketch: the rank
// q·(n−1) in the same float64 arithmetic, 0 when the rank falls among the zero values, else the
// value of the first bin whose cumulative count exceeds the rank among the positive values.
func (s *transSketch) quantile(q float64) float64 {
	rank := float64(q * (float64(s.total) - 1))
	zero := float64(s.zero)
	if rank < zero {
		return 0
	}
	rank -= zero
	if rank < 0 {
		rank = 0
	}
	var n float64
	last := s.offset
	for j, c32 := range s.counts {
		c := int(c32)
		if s.carry != nil {
			c += s.carry[s.offset+j]
		}
		if c == 0 {
			continue
		}
		n += float64(c)
		last = s.offset + j
		if n > rank {
			break
		}
	}
	return transMapping.Value(last)
}

func (s *transSketch) clone() transSketch {
	c := *s
	c.counts = slices.Clone(s.counts)
	c.carry = maps.Clone(s.carry)
	return c
}
