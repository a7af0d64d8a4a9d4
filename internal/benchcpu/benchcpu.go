// Package benchcpu reports a benchmark's processor time per operation, for the shared
// development machine where other builds make wall-clock ns/op swing by 2× or more: the CPU
// seconds the process spends (user + system, all threads, garbage collection included) are
// much less disturbed by other processes than the elapsed time. Benchmarks only.
package benchcpu

import (
	"syscall"
	"testing"
	"time"
)

// cpu is the process's user + system time so far.
func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Start begins measuring; the function it returns, deferred or called after the benchmark
// loop, reports "cpu-ns/op": the process's CPU time since Start over b.N. Call Start after
// the set-up. For a benchmark that runs on several goroutines, cpu-ns/op adds the cores' time.
func Start(b *testing.B) func() {
	t0 := cpu()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpu()-t0)/float64(b.N), "cpu-ns/op")
		}
	}
}
