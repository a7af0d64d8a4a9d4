package clv

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/cxkit/cxkit/clv/internal/countmodel"
)

// minCachedCustomers is the size from which the count models remember the compressed
// histories of their input (see historyCache): below it compressing costs less than a
// millisecond.
const minCachedCustomers = 1 << 12

// historyCache remembers the compressed histories of the last large slice of customers that a
// count model compressed (a fit, Estimates or LogLikelihood of BG/NBD, MBG/NBD or
// Pareto/NBD), so that the next call on the same customers, typically Estimates after the
// fit, reuses them instead of grouping the customers again. See the package documentation
// ("Reusing the compressed histories") for the design; in short:
//
//   - It holds one entry, keyed by the slice's identity (the address of its first element
//     and its length), which only selects a candidate: the customers are then checked, in
//     one parallel pass, to hold exactly (bit for bit) the histories and weights the entry was
//     built from, so a different slice, a slice mutated since, or a new slice at a recycled
//     address is compressed afresh. The reused data are thus the data a fresh compression
//     would give, and the results are the same to the last bit.
//   - The address is kept as an integer, so the cache does not keep the customers alive;
//     a cleanup attached to the customers' memory drops the entry when that memory is
//     collected, so the entry (about 40 bytes per distinct history, plus 4 per
//     customer when histories repeat, less than the customers themselves) lives no longer
//     than the customers it describes, and the next large input replaces it.
//   - It is safe for concurrent use: the entry's data are immutable once stored and only
//     read; the probes (the gradients a fit kept for Estimates) are guarded by the mutex.
type historyCache struct {
	mu   sync.Mutex
	cur  *historyEntry
	next uint64 // id of the next cleanup registration
}

// historyEntry is one slice's compressed histories.
type historyEntry struct {
	addr uintptr // address of the first customer
	n    int     // number of customers
	d    *countmodel.Data
	// index[i] is customer i's row in d; nil when row i is customer i's own (all histories
	// distinct). The entry is only kept with an index when every weight is 1, so that a
	// customer's weight can be checked without the group sums.
	index   []int32
	id      uint64          // the cleanup registration that drops the entry
	cleanup runtime.Cleanup // that registration
	// probes holds, by model ("BG/NBD", ...), the gradients of the last fit of that model on
	// d (see countmodel.Probe), which Estimates at the fitted parameters reuses; guarded by
	// the cache's mutex, unlike the rest of the entry, which never changes.
	probes map[string]*countmodel.Probe
}

var histories historyCache

// countData returns the compressed histories of customers for the count models, from the
// cache when it holds exactly these customers' histories, and otherwise compressed afresh
// (and then remembered, for large inputs). who prefixes error messages as in build.
func countData(who string, customers []Customer) (*countmodel.Data, error) {
	if len(customers) < minCachedCustomers {
		return build(who, customers)
	}
	if d := histories.lookup(customers); d != nil {
		return d, nil
	}
	d, index, err := buildWith(who, customers, countmodel.BuildOptions{Index: true})
	if err != nil {
		return nil, err
	}
	histories.store(customers, d, index)
	return d, nil
}

func addrOf(customers []Customer) uintptr { return uintptr(unsafe.Pointer(&customers[0])) }

// lookup returns the cached data when they are exactly the customers' histories, else nil.
func (c *historyCache) lookup(customers []Customer) *countmodel.Data {
	c.mu.Lock()
	e := c.cur
	c.mu.Unlock()
	if e == nil || e.n != len(customers) || e.addr != addrOf(customers) || !e.matches(customers) {
		return nil
	}
	return e.d
}

// store remembers d (and index) as the histories of customers, replacing the entry. Each
// slice's memory carries at most one cleanup: the entry of the same memory keeps its
// registration, and an entry replaced by another slice's has its cleanup stopped, so that
// alternating between slices does not pile cleanups up on them.
func (c *historyCache) store(customers []Customer, d *countmodel.Data, index []int32) {
	if index != nil && !unitWeights(customers) {
		return // repeated weighted histories: the check would need the group sums
	}
	e := &historyEntry{addr: addrOf(customers), n: len(customers), d: d, index: index}
	c.mu.Lock()
	defer c.mu.Unlock()
	prev := c.cur
	if prev != nil && prev.addr == e.addr {
		e.id, e.cleanup = prev.id, prev.cleanup // the same memory: its cleanup is registered already
		c.cur = e
		return
	}
	if prev != nil {
		prev.cleanup.Stop()
	}
	c.next++
	e.id = c.next
	var ok bool
	if e.cleanup, ok = attachCleanup(&customers[0], e.id); !ok {
		c.cur = nil
		return
	}
	c.cur = e
}

// keepProbe remembers the probe of a fit of model on d, if d is the cached entry's data.
func (c *historyCache) keepProbe(d *countmodel.Data, model string, probe *countmodel.Probe) {
	if probe == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == nil || c.cur.d != d {
		return
	}
	if c.cur.probes == nil {
		c.cur.probes = map[string]*countmodel.Probe{}
	}
	c.cur.probes[model] = probe
}

// probe returns the probe of the last fit of model on d, if d is the cached entry's data
// (nil otherwise). Its gradients were computed on d with model's objective; EstimatesFrom
// uses them only at the very parameters of that fit.
func (c *historyCache) probe(d *countmodel.Data, model string) *countmodel.Probe {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == nil || c.cur.d != d {
		return nil
	}
	return c.cur.probes[model]
}

// drop removes the entry if it is still the one registered as id.
func (c *historyCache) drop(id uint64) {
	c.mu.Lock()
	if c.cur != nil && c.cur.id == id {
		c.cur = nil
	}
	c.mu.Unlock()
}

// attachCleanup arranges for the entry registered as id to be dropped when the memory of
// *first is collected. It reports false when the runtime refuses (memory not allocated by
// Go), so that the entry is not kept with nothing to release it.
func attachCleanup(first *Customer, id uint64) (cleanup runtime.Cleanup, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return runtime.AddCleanup(first, func(id uint64) { histories.drop(id) }, id), true
}

// unitWeights reports whether every customer's weight is 1 (Weight 0 or 1).
func unitWeights(customers []Customer) bool {
	return allParallel(len(customers), func(i int) bool { return customers[i].weight() == 1 })
}

// matches reports whether customers are exactly the histories the entry was built from, in
// one parallel pass that stops at the first difference: each customer's Frequency, Recency
// and T equal its row's (Recency and T bit for bit) and its weight equals the row's weight
// (all distinct) or 1 (repeated histories, whose entries only exist when every weight was
// 1). Customers equal to those validated when the entry was built are valid, except for the
// MonetaryValue, which the count models do not read but Validate checks: it is checked too,
// so that an invalid customer is still reported as the fresh path reports it.
func (e *historyEntry) matches(customers []Customer) bool {
	d := e.d
	return allParallel(len(customers), func(i int) bool {
		c := &customers[i]
		j, w := i, c.weight()
		if e.index != nil {
			j = int(e.index[i])
			if w != 1 {
				return false
			}
		} else if math.Float64bits(w) != math.Float64bits(d.W[j]) {
			return false
		}
		return float64(c.Frequency) == d.X[j] &&
			math.Float64bits(c.Recency) == math.Float64bits(d.Tx[j]) &&
			math.Float64bits(c.T) == math.Float64bits(d.T[j]) &&
			c.MonetaryValue >= 0 && c.MonetaryValue <= math.MaxFloat64
	})
}

// allParallel reports whether ok(i) holds for every i in [0, n), testing chunks on all cores
// and stopping soon after the first failure.
func allParallel(n int, ok func(i int) bool) bool {
	var bad atomic.Bool
	countmodel.ForChunks(n, countmodel.Chunk, func() func(k, lo, hi int) {
		return func(_, lo, hi int) {
			if bad.Load() {
				return
			}
			for i := lo; i < hi; i++ {
				if !ok(i) {
					bad.Store(true)
					return
				}
			}
		}
	})
	return !bad.Load()
}
