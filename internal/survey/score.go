package survey

import (
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/cxkit/cxkit"
	"golang.org/x/exp/constraints"
)

// ParallelThreshold is the slice length from which Score counts on several cores: the slice
// is cut into one contiguous part per core (runtime.GOMAXPROCS, at most one part per
// ParallelThreshold/2 ratings), each part is counted by its own goroutine and the integer
// counts are added. Counts are exact integers, so the result is identical to the serial count;
// an error still names the first bad rating of the whole slice.
const ParallelThreshold = 1 << 20

// Score computes the Result of a slice of raw ratings on scale s (the zero Scale is the
// Kind's Default) in one pass. []uint8 takes a fast path that counts two answers per table
// increment; from ParallelThreshold ratings on, the count uses every core. A rating off the
// scale is an error naming it and its index (cxkit.ErrOutOfRange); an empty slice is
// cxkit.ErrEmpty; a bad scale is cxkit.ErrInvalid.
func Score[T constraints.Integer](k *Kind, s Scale, ratings []T) (Result, error) {
	s = k.Resolve(s)
	if err := k.Check(s); err != nil {
		return Result{}, err
	}
	var count func([]T) ([MaxPoints]int, int)
	if _, ok := any(ratings).([]uint8); ok {
		count = func(part []T) ([MaxPoints]int, int) { return countBytes(s, any(part).([]uint8)) }
	} else {
		count = func(part []T) ([MaxPoints]int, int) { return countInts(s, part) }
	}
	c, bad := Parallel(ratings, ParallelThreshold, count)
	if bad >= 0 {
		return Result{}, k.outside(ratings[bad], "index", bad, s)
	}
	var h [MaxPoints]float64
	for j, n := range c {
		h[j] = float64(n)
	}
	return newResult(k, s, len(ratings), &h, float64(len(ratings)))
}

// Parallel counts x with count, on several goroutines when x has at least threshold elements
// (see ParallelThreshold), and adds the counts. count returns per-bin counts and the index of
// the first bad element of its part, or −1; Parallel returns the summed counts and the first
// bad index of the whole of x, or −1 (the counts are then meaningless).
func Parallel[T any, C ~[MaxPoints]int](x []T, threshold int, count func([]T) (C, int)) (C, int) {
	parts := min(runtime.GOMAXPROCS(0), len(x)/max(threshold/2, 1))
	if len(x) < threshold || parts < 2 {
		return count(x)
	}
	size := (len(x)/parts + 63) &^ 63 // whole 64-byte lines per part
	type out struct {
		c   C
		bad int
	}
	res := make([]out, (len(x)+size-1)/size)
	var wg sync.WaitGroup
	for i := range res {
		lo, hi := i*size, min((i+1)*size, len(x))
		wg.Go(func() {
			c, bad := count(x[lo:hi])
			if bad >= 0 {
				bad += lo
			}
			res[i] = out{c, bad}
		})
	}
	wg.Wait()
	var total C
	for _, r := range res { // in order: the first part with a bad element has the first one
		if r.bad >= 0 {
			return total, r.bad
		}
		for j, n := range r.c {
			total[j] += n
		}
	}
	return total, -1
}

// countInts counts the raw answers of any integer slice, returning the index of the first one
// off the scale, or −1.
func countInts[T constraints.Integer](s Scale, ratings []T) ([MaxPoints]int, int) {
	var c [MaxPoints]int
	lo, span := int64(s.Min), uint64(s.Max-s.Min)
	for i, r := range ratings {
		// Values of unsigned types above MaxInt64 wrap to negative and are caught too.
		j := uint64(int64(r) - lo)
		if j > span {
			return c, i
		}
		c[j]++
	}
	return c, -1
}

// ScoreFloats is Score for ratings held as float64 (as decoded from JSON or a data frame).
// Each must be a whole number on the scale: a fraction or NaN is an error naming the value
// and its index that wraps cxkit.ErrInvalid; a whole number off the scale (or ±Inf) wraps
// cxkit.ErrOutOfRange.
func ScoreFloats(k *Kind, s Scale, ratings []float64) (Result, error) {
	s = k.Resolve(s)
	if err := k.Check(s); err != nil {
		return Result{}, err
	}
	var c [MaxPoints]int
	for i, x := range ratings {
		if x != math.Trunc(x) { // also true for NaN
			return Result{}, fmt.Errorf("%s: rating %v at index %d is not a whole number: %w", k.Name, x, i, cxkit.ErrInvalid)
		}
		if x < float64(s.Min) || x > float64(s.Max) {
			return Result{}, k.outside(x, "index", i, s)
		}
		c[int(x)-s.Min]++
	}
	var h [MaxPoints]float64
	for j, n := range c {
		h[j] = float64(n)
	}
	return newResult(k, s, len(ratings), &h, float64(len(ratings)))
}

// lanes repeats a byte in all eight bytes of a word.
func lanes(b uint8) uint64 { return uint64(b) * 0x0101010101010101 }

const (
	highBits = 0x8080808080808080
	lowBytes = 0x00ff00ff00ff00ff
)

// pairCounts adds to h the answers in the whole 64-bit words of b and returns the remaining
// tail (under 8 bytes). It counts by pairs: the offsets y = x − Min (0..10) of the eight
// answers in a word are packed two to a 16-bit lane as y₀ + 16·y₁, and each pair increments
// one of four 256-entry counter tables, so eight answers cost four increments and consecutive
// increments rarely wait on each other. A SWAR test flags any byte off the scale (bad ≠ 0):
// for x < 128 and c ≤ 128, x + (128 − c) has its high bit set exactly when x ≥ c, without
// carrying into the next byte; bytes of 128 and above are flagged by their own high bit. When
// a chunk holds a bad byte, its counts are discarded and the caller finds the index.
func pairCounts(s Scale, b []uint8, h *[MaxPoints]int) (rest []uint8, bad uint64) {
	above := lanes(uint8(128 - (s.Max + 1))) // high bit set when x > Max
	atLeast := lanes(uint8(128 - s.Min))     // high bit set when x ≥ Min
	base := lanes(uint8(s.Min))
	var c [4][256]uint32
	for len(b) >= 8 {
		chunk := b[:min(len(b), 1<<30)&^7] // at most 2^27 increments per uint32 counter
		b = b[len(chunk):]
		for ; len(chunk) >= 8; chunk = chunk[8:] {
			w := binary.LittleEndian.Uint64(chunk)
			bad |= (w | (w + above) | ^(w + atLeast)) & highBits
			y := w - base
			p := (y & lowBytes) | (y>>4)&(lowBytes<<4)
			c[0][uint8(p)]++
			c[1][uint8(p>>16)]++
			c[2][uint8(p>>32)]++
			c[3][uint8(p>>48)]++
		}
		if bad != 0 {
			return b, bad
		}
		for v := 0; v < 256; v++ {
			n := int(c[0][v]) + int(c[1][v]) + int(c[2][v]) + int(c[3][v])
			if n != 0 {
				h[v&15] += n
				h[v>>4] += n
			}
		}
		c = [4][256]uint32{}
	}
	return b, 0
}

// countBytes counts the raw answers in b and returns the counts and −1, or the index of the
// first byte off the scale.
func countBytes(s Scale, b []uint8) ([MaxPoints]int, int) {
	var n [MaxPoints]int
	rest := b
	var bad uint64
	if len(b) >= 256 { // below that, clearing 4 KB of counters costs more than it saves
		rest, bad = pairCounts(s, b, &n)
	}
	lo, hi := uint8(s.Min), uint8(s.Max)
	for _, x := range rest {
		if x < lo || x > hi {
			bad = 1
			break
		}
		n[x-lo]++
	}
	if bad != 0 {
		for i, x := range b {
			if x < lo || x > hi {
				return n, i
			}
		}
	}
	return n, -1
}
