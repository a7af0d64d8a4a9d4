package countmodel

import (
	"math"
	"math/bits"
	"slices"
)

// parallelRows is the number of customers from which Build groups mostly distinct
// histories in parallel.
const parallelRows = 2 * Chunk

// hashKey hashes a history for buildParallel; −0 and +0 (equal as keys) hash alike.
func hashKey(x, tx, T float64) uint64 {
	if tx == 0 {
		tx = 0
	}
	if T == 0 {
		T = 0
	}
	h := Mix(math.Float64bits(x), math.Float64bits(tx), math.Float64bits(T))
	return h ^ h>>29 // fold the high bits into the low ones, which pick the table slot
}

// entry is a customer's row in bucket order, with its index (32 bytes; the hash is
// recomputed rather than stored, which costs less than moving 8 more bytes a customer, and
// the weight, unless every weight is 1, and the monetary value, which only clv.Compress
// needs, travel in arrays of their own).
type entry struct {
	key
	idx int32
}

// buildParallel is buildSerial computed on all cores, with the same result to the bit: the
// same distinct histories in the same order (of first appearance), each weight and value sum
// added in the customers' order.
//
// The customers are validated and hashed chunk by chunk; their rows are then distributed by
// the top bits of the hash into buckets of a few thousand, stably (chunk by chunk, each in
// index order), so that every bucket lists its customers in index order. Each bucket is
// grouped on its own with an open-addressing table small enough for the cache (one per
// worker, reused: nothing is allocated per customer), and each group's sums are stored at
// its first customer's index. A last parallel pass emits the groups in index order of their
// first customers. Totals are added serially in index order, as buildSerial adds them, from
// the weights the first pass stages in a compact array (signed by x > 0), rather than from
// the customers again.
//
// With opt.Index it also returns the customer → row index (nil when every customer has a row
// of its own, see Build): the grouping records each repeated customer's first member, the
// emission each first member's row, and a last pass copies the row to the repeats.
func buildParallel(n int, check func(lo, hi int) error, row func(i int) Row, opt BuildOptions) (*Data, []int32, error) {
	chunks := (n + Chunk - 1) / Chunk
	bucketBits := max(bits.Len(uint(n/16384)), 1)
	nb := 1 << bucketBits
	shift := uint(64 - bucketBits)
	counts := make([]int32, chunks*nb) // counts[k*nb+b]: customers of chunk k in bucket b
	errs := make([]error, chunks)
	weighted := make([]bool, chunks) // chunk k has a weight other than 1
	// sumW[i] is first customer i's weight, negated when x > 0 (weights are positive), for the
	// totals; the grouping then overwrites it, for the first member of each group, with the
	// group's weight.
	sumW := make([]float64, n)
	ForChunks(n, Chunk, func() func(k, lo, hi int) {
		return func(k, lo, hi int) {
			if err := check(lo, hi); err != nil {
				errs[k] = err
				return
			}
			c := counts[k*nb : (k+1)*nb]
			unit := true
			for i := lo; i < hi; i++ {
				r := row(i)
				c[hashKey(r.X, r.Tx, r.T)>>shift]++
				if r.X > 0 {
					sumW[i] = -r.W
				} else {
					sumW[i] = r.W
				}
				unit = unit && r.W == 1
			}
			weighted[k] = !unit
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	d := &Data{}
	for _, w := range sumW {
		if w < 0 {
			w = -w
			d.Repeat += w
		}
		d.Total += w
	}
	// Offsets: bucket by bucket, and within a bucket chunk by chunk.
	start := make([]int32, nb+1)
	var off int32
	for b := range nb {
		start[b] = off
		for k := range chunks {
			c := counts[k*nb+b]
			counts[k*nb+b] = off
			off += c
		}
	}
	start[nb] = off
	// Scatter the customers' rows into bucket order (reading them in order, writing nb
	// sequential streams), so that the grouping reads each bucket sequentially.
	entries := make([]entry, n)
	var ws, mvs []float64 // weights (nil when all are 1) and monetary values in bucket order
	if slices.Contains(weighted, true) {
		ws = make([]float64, n)
	}
	if opt.MV {
		mvs = make([]float64, n)
	}
	ForChunks(n, Chunk, func() func(k, lo, hi int) {
		return func(k, lo, hi int) {
			next := counts[k*nb : (k+1)*nb]
			for i := lo; i < hi; i++ {
				r := row(i)
				h := hashKey(r.X, r.Tx, r.T)
				b := h >> shift
				entries[next[b]] = entry{key: key{r.X, r.Tx, r.T}, idx: int32(i)}
				if ws != nil {
					ws[next[b]] = r.W
				}
				if mvs != nil {
					mvs[next[b]] = r.MV
				}
				next[b]++
			}
		}
	})
	largest := int32(0)
	for b := range nb {
		largest = max(largest, start[b+1]-start[b])
	}
	tableBits := bits.Len32(uint32(2*largest)) + 1
	first := make([]bool, n)
	var sumMV []float64
	if opt.MV {
		sumMV = make([]float64, n)
	}
	// firstOf[i]: the index of customer i's first member while grouping, then the row of
	// customer i. Memory that is never written (all-distinct inputs) is never touched.
	var firstOf []int32
	if opt.Index {
		firstOf = make([]int32, n)
	}
	ForChunks(nb, 1, func() func(k, lo, hi int) {
		table := make([]int32, 1<<tableBits) // position in the bucket of a group's first member, plus one
		mask := uint64(len(table) - 1)
		return func(b, _, _ int) {
			members := entries[start[b]:start[b+1]]
			if len(members) == 0 {
				return
			}
			var wb, mv []float64
			if ws != nil {
				wb = ws[start[b]:start[b+1]]
			}
			if mvs != nil {
				mv = mvs[start[b]:start[b+1]]
			}
			// A table of about four times the bucket's size keeps probe sequences short.
			m := mask
			if need := uint64(1)<<(bits.Len(uint(2*len(members)))+1) - 1; need < m {
				m = need
			}
			clear(table[:m+1])
			for j := range members {
				e := &members[j]
				w := 1.0
				if wb != nil {
					w = wb[j]
				}
				for s := hashKey(e.x, e.tx, e.T) & m; ; s = (s + 1) & m {
					g := table[s]
					if g == 0 {
						table[s] = int32(j) + 1
						first[e.idx] = true
						sumW[e.idx] = 0 + w
						if mv != nil {
							sumMV[e.idx] = 0 + w*mv[j]
						}
						break
					}
					if f := &members[g-1]; f.key == e.key {
						sumW[f.idx] += w
						if mv != nil {
							sumMV[f.idx] += w * mv[j]
						}
						if firstOf != nil {
							firstOf[e.idx] = f.idx
						}
						break
					}
				}
			}
		}
	})
	// Emit the groups in order of their first customers.
	starts := make([]int, chunks+1)
	ForChunks(n, Chunk, func() func(k, lo, hi int) {
		return func(k, lo, hi int) {
			c := 0
			for _, f := range first[lo:hi] {
				if f {
					c++
				}
			}
			starts[k+1] = c
		}
	})
	for k := range chunks {
		starts[k+1] += starts[k]
	}
	distinct := starts[chunks]
	if distinct == n {
		firstOf = nil // row i is customer i
	}
	d.X, d.Tx, d.T, d.W = make([]float64, distinct), make([]float64, distinct), make([]float64, distinct), make([]float64, distinct)
	if opt.MV {
		d.MV = make([]float64, distinct)
	}
	ForChunks(n, Chunk, func() func(k, lo, hi int) {
		return func(k, lo, hi int) {
			j := starts[k]
			for i := lo; i < hi; i++ {
				if !first[i] {
					continue
				}
				r := row(i)
				d.X[j], d.Tx[j], d.T[j], d.W[j] = r.X, r.Tx, r.T, sumW[i]
				if sumMV != nil {
					d.MV[j] = sumMV[i]
				}
				if firstOf != nil {
					firstOf[i] = int32(j)
				}
				j++
			}
		}
	})
	if firstOf != nil {
		// Every repeat's first member precedes it and already holds its row.
		ForChunks(n, Chunk, func() func(k, lo, hi int) {
			return func(_, lo, hi int) {
				for i := lo; i < hi; i++ {
					if !first[i] {
						firstOf[i] = firstOf[firstOf[i]]
					}
				}
			}
		})
	}
	return d, firstOf, nil
}
