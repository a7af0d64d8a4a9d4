package responsetime

import (
	"math"
	"time"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
)

// The Tracker's quantile sketch is DDSketch (Masson, Rim & Lee, VLDB 2019) with sketches-go's
// cubically interpolated index mapping: a duration d > 0 of nanoseconds falls in bin
// i = mapping.Index(float64(d)), and bin i stands for mapping.Value(i), which is within
// RelativeAccuracy of every value of the bin. The cubic mapping approximates the logarithm
// from the float's exponent and a cubic in its significand, so indexing costs a few
// multiplications instead of a call to math.Log, for about 1% more bins than the logarithmic
// mapping at the same accuracy; the Add path reads the same index from a table (durIndex).
//
// The bins are a dense, growable array of exact uint64 counts over the range of indices seen
// (sketches-go's own stores keep float64 counts behind an interface; the Tracker needs exact
// integer counts that it checks against its query counts, and the fastest possible Add). The
// range of a positive duration, 1 ns to 292 years, is about 2,300 bins at 1% accuracy, so a
// sketch never exceeds 19 KB and typically holds a few hundred bins (a few KB).
var sketchMapping = func() *mapping.CubicallyInterpolatedMapping {
	m, err := mapping.NewCubicallyInterpolatedMapping(RelativeAccuracy)
	if err != nil {
		panic(err) // a constant argument: cannot happen
	}
	return m
}()

// The mapping's parameters, for sketchIndex: its Gamma (from ToProto) gives the multiplier
// 1/log2(γ) exactly as the mapping computes it; the index offset is 0.
var (
	sketchProto      = sketchMapping.ToProto()
	sketchMultiplier = 1 / math.Log2(sketchProto.Gamma)
	sketchOffset     = sketchProto.IndexOffset
)

// sketchIndex is sketchMapping.Index(v) for a positive normal v, evaluated inline: the
// mapping's approximate logarithm (the float's exponent plus the cubic A·s³ + B·s² + C·s in
// its significand s − 1, with sketches-go's constants mapping.A, B and C) times the
// multiplier. TestSketchIndexIsTheMapping checks that it equals mapping.Index bit for bit.
func sketchIndex(v float64) int {
	b := math.Float64bits(v)
	e := float64(int((b>>52)&0x7ff) - 1023)
	s := math.Float64frombits(b&(1<<52-1)|0x3ff0000000000000) - 1
	index := (((mapping.A*s+mapping.B)*s+mapping.C)*s+e)*sketchMultiplier + sketchOffset
	if index >= 0 {
		return int(index)
	}
	return int(index) - 1
}

// durIndex is sketchIndex(float64(d)) for a duration d > 0, read from durIndexTable instead
// of evaluated: a table lookup and an integer comparison in place of the cubic's chain of
// dependent multiplications (the Add hot path's largest cost). float64(d) lies in [1, 2^63], so
// its exponent is 0..63; the cell key is the exponent and the top durCellBits bits of the
// significand, and the cell's entry holds the index of the cell's smallest value and, when the
// cell straddles a bin boundary, the low significand bits where the next bin starts. The
// entry stores that threshold as 2^durThreshBits − threshold, so adding the low bits carries
// into the index field exactly when they reach the threshold: the index is one addition and
// one shift. TestDurIndexIsTheMapping checks that it equals sketchMapping.Index.
func durIndex(d time.Duration) int {
	b := math.Float64bits(float64(d))
	return int((durIndexTable[((b>>durLowBits)-durKeyBase)&(durCells-1)] + b&durLowMask) >> durThreshBits)
}

const (
	durCellBits   = 6                           // significand bits in a cell key: 64 cells an octave
	durCells      = 64 << durCellBits           // exponents 0..63 × 64 cells
	durLowBits    = 52 - durCellBits            // significand bits below the key
	durLowMask    = 1<<durLowBits - 1           //
	durThreshBits = durLowBits + 1              // threshold field: 0 < threshold ≤ 2^durLowBits
	durThreshMask = 1<<durThreshBits - 1        //
	durNoBoundary = uint64(1) << durLowBits     // a threshold no low bits reach
	durKeyBase    = uint64(1023) << durCellBits // key of 1.0: exponent bias
)

// durIndexTable has one entry per cell: index<<durThreshBits | (2^durThreshBits − threshold),
// where threshold (1 ≤ threshold ≤ 2^durLowBits) is the first low-bits value of the next bin,
// or durNoBoundary when the cell lies in one bin; durThreshold reads it back. A cell spans 1/64 of
// an octave, less than a bin (about 1/35 of an octave at 1% accuracy), so it meets at most two
// bins; the threshold is found by bisection on the mapping itself, which is monotone.
var durIndexTable = func() [durCells]uint64 {
	var tab [durCells]uint64
	for k := range tab {
		lo := (durKeyBase + uint64(k)) << durLowBits // float bits of the cell's smallest value
		hi := lo + durLowMask                        // and of its largest
		ilo, ihi := sketchIndex(math.Float64frombits(lo)), sketchIndex(math.Float64frombits(hi))
		thresh := durNoBoundary
		switch ihi - ilo {
		case 0:
		case 1: // smallest bits t in (lo, hi] with index ihi
			a, z := lo, hi
			for z-a > 1 {
				m := a + (z-a)/2
				if sketchIndex(math.Float64frombits(m)) == ilo {
					a = m
				} else {
					z = m
				}
			}
			thresh = z - lo
		default:
			panic("responsetime: a sketch cell spans more than two bins") // constants: cannot happen
		}
		tab[k] = uint64(ilo)<<durThreshBits | (1<<durThreshBits - thresh)
	}
	return tab
}()

// durThreshold is the threshold of a durIndexTable entry: the first low significand bits of the
// cell that belong to the next bin, durNoBoundary when none do.
func durThreshold(e uint64) uint64 { return 1<<durThreshBits - e&durThreshMask }

// Index bounds of a positive duration: 1 ns to math.MaxInt64 ns.
var (
	minSketchIndex = sketchMapping.Index(1)
	maxSketchIndex = sketchMapping.Index(float64(math.MaxInt64))
)

// bins is a dense array of counts: counts[j] is the count of index offset + j.
type bins struct {
	offset int
	counts []uint64
}

// addSlow grows the array to hold index i (with some room on both sides) and adds c to it.
// It is kept out of line, off durTally.add's hot path.
//
//go:noinline
func (b *bins) addSlow(i int, c uint64) {
	b.cover(i, i)
	b.counts[i-b.offset] += c
}

// cover grows the array to hold indices lo..hi.
func (b *bins) cover(lo, hi int) {
	if len(b.counts) > 0 {
		lo, hi = min(lo, b.offset), max(hi, b.offset+len(b.counts)-1)
		if lo == b.offset && hi == b.offset+len(b.counts)-1 {
			return
		}
	}
	// Room for growth: a quarter of the span, at least 32 bins, inside the index range.
	pad := max(32, (hi-lo)/4)
	nlo, nhi := max(minSketchIndex, lo-pad), min(maxSketchIndex, hi+pad)
	counts := make([]uint64, nhi-nlo+1)
	if len(b.counts) > 0 {
		copy(counts[b.offset-nlo:], b.counts)
	}
	b.offset, b.counts = nlo, counts
}

// merge adds o's counts.
func (b *bins) merge(o *bins) {
	first, last := -1, -1
	for j, c := range o.counts {
		if c != 0 {
			if first < 0 {
				first = j
			}
			last = j
		}
	}
	if first < 0 {
		return
	}
	counts := o.counts // o may be b
	off := o.offset
	b.cover(off+first, off+last)
	for j := first; j <= last; j++ {
		b.counts[off+j-b.offset] += counts[j]
	}
}

// each calls f for each non-empty bin in ascending index order.
func (b *bins) each(f func(index int, count uint64)) {
	for j, c := range b.counts {
		if c != 0 {
			f(b.offset+j, c)
		}
	}
}

// keyAtRank is the index of the bin holding the value of rank r (0-based) among the binned
// values: the first bin whose cumulative count exceeds r, as sketches-go's stores do.
func (b *bins) keyAtRank(r float64) int {
	var n uint64
	last := b.offset
	for j, c := range b.counts {
		if c == 0 {
			continue
		}
		n += c
		last = b.offset + j
		if float64(n) > r {
			return last
		}
	}
	return last
}

// durTally is the exact count, sum, min and max of durations plus their sketch: zero
// durations counted apart, positive ones in bins.
type durTally struct {
	n, zero  uint64
	sum      sum128
	min, max time.Duration
	bins     bins
}

// add counts a duration d ≥ 0: one call with the count, the sum, the bin index and the bin
// increment inline; a new minimum or maximum (rare after the first values) and a bin outside
// the array take out-of-line calls.
func (t *durTally) add(d time.Duration) {
	// d outside [min, max] (min ≤ max, both ≥ 0), or the first value: then min = max = 0 and a
	// d > 0 is outside, while a d = 0 is both already.
	if uint64(d-t.min) > uint64(t.max-t.min) {
		t.extend(d)
	}
	t.n++
	t.sum.add(d)
	if d == 0 {
		t.zero++
		return
	}
	i := durIndex(d)
	if j := i - t.bins.offset; uint(j) < uint(len(t.bins.counts)) {
		t.bins.counts[j]++
		return
	}
	t.bins.addSlow(i, 1)
}

// slot is where the hot path of Tracker.Add would count d ≥ 0 without changing anything else:
// j < 0 for a zero duration, else the bin's position in the array. ok is false when counting d
// needs more than put: the tally's first value, or a bin outside the array; add does those.
func (t *durTally) slot(d time.Duration) (j int, ok bool) {
	if d == 0 {
		return -1, t.n > 0
	}
	j = durIndex(d) - t.bins.offset
	return j, t.n > 0 && uint(j) < uint(len(t.bins.counts))
}

// put counts d at the slot j that slot gave it, as add does: a new minimum or maximum inline
// (t.n > 0, so min and max hold values), then the count, the sum and the bin.
func (t *durTally) put(d time.Duration, j int) {
	if uint64(d-t.min) > uint64(t.max-t.min) {
		if d < t.min {
			t.min = d
		} else {
			t.max = d
		}
	}
	t.n++
	t.sum.add(d)
	if j < 0 {
		t.zero++
		return
	}
	t.bins.counts[j]++
}

// extend makes d the minimum or maximum (both for the first value); add calls it before
// counting d.
//
//go:noinline
func (t *durTally) extend(d time.Duration) {
	if t.n == 0 {
		t.min, t.max = d, d
	} else if d < t.min {
		t.min = d
	} else if d > t.max {
		t.max = d
	}
}

func (t *durTally) merge(o *durTally) {
	if o.n == 0 {
		return
	}
	if t.n == 0 || o.min < t.min {
		t.min = o.min
	}
	if t.n == 0 || o.max > t.max {
		t.max = o.max
	}
	t.n += o.n
	t.zero += o.zero
	t.sum.merge(o.sum)
	t.bins.merge(&o.bins)
}

// quantile is the sketch's estimate of the q-quantile (0 ≤ q ≤ 1, n > 0): the value of the bin
// holding the order statistic of rank q·(n−1) (sketches-go's lower-rank convention), brought
// inside [min, max], where the true quantile lies.
func (t *durTally) quantile(q float64) time.Duration {
	if t.n == 0 {
		return 0
	}
	rank := float64(q * float64(t.n-1))
	if rank < float64(t.zero) {
		return 0
	}
	v := sketchMapping.Value(t.bins.keyAtRank(rank - float64(t.zero)))
	d := t.max
	if v < float64(math.MaxInt64) {
		d = time.Duration(math.Round(v))
	}
	return min(max(d, t.min), t.max)
}
