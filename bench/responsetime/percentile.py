# numpy side of bench/responsetime: numpy.percentile (exact, linear) on the same 1e7 durations.
# Usage: python3 bench/responsetime/percentile.py /tmp/rt_1e7.i64
import sys, time
import numpy as np
x = np.fromfile(sys.argv[1] if len(sys.argv) > 1 else "/tmp/rt_1e7.i64", dtype="<i8")
t0 = time.perf_counter()
p = np.percentile(x, [50, 90, 95, 99])
dt = time.perf_counter() - t0
print(f"numpy {np.__version__} percentile: {dt:.3f} s  p50/p90/p95/p99 (ns) {[int(v) for v in p]}")
