package countmodel

// Cache is a direct-mapped cache of values by key: each key has one slot, chosen by the top
// bits of its hash, and a new entry replaces whatever the slot held. It remembers recent
// results where the input repeats keys heavily (real customer histories do) at the cost of a
// hash and one comparison a lookup. It is not safe for concurrent use: give each worker its
// own.
type Cache[K comparable, V any] struct {
	slots []cacheSlot[K, V]
	shift uint
	hash  func(K) uint64
}

type cacheSlot[K comparable, V any] struct {
	key K
	val V
	ok  bool
}

// NewCache returns a cache of 2^bits slots (bits in [1, 30]) that places keys by hash, which
// should mix all the key's bits into its top bits (see Mix).
func NewCache[K comparable, V any](bits int, hash func(K) uint64) *Cache[K, V] {
	bits = min(max(bits, 1), 30)
	return &Cache[K, V]{slots: make([]cacheSlot[K, V], 1<<bits), shift: uint(64 - bits), hash: hash}
}

// Get returns the value cached for k, if its slot holds k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	s := &c.slots[c.hash(k)>>c.shift]
	if s.ok && s.key == k {
		return s.val, true
	}
	var zero V
	return zero, false
}

// Put caches v for k, evicting the slot's previous entry.
func (c *Cache[K, V]) Put(k K, v V) {
	c.slots[c.hash(k)>>c.shift] = cacheSlot[K, V]{key: k, val: v, ok: true}
}

// Mix multiplies each word by its own odd constant and combines them: a cheap hash whose top
// bits depend on every bit of every word, for Cache.
func Mix(words ...uint64) uint64 {
	consts := [...]uint64{0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5, 0x94D049BB133111EB}
	var h uint64
	for i, w := range words {
		h ^= w * consts[i%len(consts)]
	}
	return h
}

// CacheGate decides whether a Cache is worth consulting: it lets every lookup through for the
// first gateProbe lookups of each window, and for the rest of the window only if at least one
// in eight of those hit. A window is gateWindow lookups after a probe that hit that often;
// after one that did not, the next window is twice as long (up to gateMaxWindow), so that on
// all-distinct inputs, where a lookup is a cache miss in memory (tens of nanoseconds) that
// never pays, the probes become rare; on repetitive inputs the cache stays on. Either way the
// values computed are the same.
type CacheGate struct {
	n, hits int
	window  int // length of the current window; 0 means gateWindow
}

const (
	gateWindow    = 1 << 15
	gateMaxWindow = 1 << 21
	gateProbe     = 1 << 12
)

// Use reports whether the next lookup should consult the cache; call Hit after it when it
// did and found the key.
func (g *CacheGate) Use() bool {
	g.n++
	if g.window == 0 {
		g.window = gateWindow
	}
	if g.n > g.window {
		if g.pays() {
			g.window = gateWindow
		} else {
			g.window = min(2*g.window, gateMaxWindow)
		}
		g.n, g.hits = 1, 0
	}
	return g.n <= gateProbe || g.pays()
}

// pays reports whether the probe of the current window hit often enough.
func (g *CacheGate) pays() bool { return 8*g.hits >= gateProbe }

// Hit records a cache hit of a probing lookup.
func (g *CacheGate) Hit() {
	if g.n <= gateProbe {
		g.hits++
	}
}
