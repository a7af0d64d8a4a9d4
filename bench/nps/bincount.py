# numpy side of bench/nps: time numpy.bincount on the same raw uint8 file and compute NPS.
# Usage: python3 bench/nps/bincount.py /tmp/nps_1e8.u8
import sys, time
import numpy as np
x = np.fromfile(sys.argv[1] if len(sys.argv) > 1 else "/tmp/nps_1e8.u8", dtype=np.uint8)
np.bincount(x, minlength=11)  # warm-up
t0 = time.perf_counter()
c = np.bincount(x, minlength=11)
dt = time.perf_counter() - t0
n = c.sum()
print(f"numpy {np.__version__} bincount: {dt:.4f} s ({len(x)/dt/1e9:.2f} GB/s)  NPS {100*(c[9:].sum()-c[:7].sum())/n:.6f}")
