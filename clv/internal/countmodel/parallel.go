package countmodel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Chunk is the number of rows per chunk of the parallel loops: likelihood sums, batch
// predictions and projections split their input into chunks of this size.
const Chunk = 1 << 15

// ForChunks runs over [0, n) in chunks of size rows, on up to GOMAXPROCS goroutines when
// there is more than one chunk. Each goroutine calls newWorker once, so the worker it returns
// may keep state of its own (caches); the worker is called with the chunk number k and the
// rows [lo, hi). Chunk boundaries do not depend on the number of cores.
func ForChunks(n, size int, newWorker func() func(k, lo, hi int)) {
	chunks := (n + size - 1) / size
	workers := min(runtime.GOMAXPROCS(0), chunks)
	if workers < 2 {
		w := newWorker()
		for k := range chunks {
			w(k, k*size, min((k+1)*size, n))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker()
			for k := int(next.Add(1)) - 1; k < chunks; k = int(next.Add(1)) - 1 {
				w(k, k*size, min((k+1)*size, n))
			}
		}()
	}
	wg.Wait()
}

// ChunkedSum adds fn's partial sums over [0, n), computed chunk by chunk in parallel (see
// ForChunks). The partial sums are added in chunk order, so the result is the same on every
// machine whatever its number of cores.
func ChunkedSum(n int, fn func(lo, hi int) [5]float64) [5]float64 {
	parts := make([][5]float64, (n+Chunk-1)/Chunk)
	ForChunks(n, Chunk, func() func(k, lo, hi int) {
		return func(k, lo, hi int) { parts[k] = fn(lo, hi) }
	})
	var s [5]float64
	for _, p := range parts {
		for j := range s {
			s[j] += p[j]
		}
	}
	return s
}
