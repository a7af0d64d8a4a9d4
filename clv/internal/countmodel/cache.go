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
