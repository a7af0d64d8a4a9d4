"""Times Python lifetimes' BetaGeoFitter.fit (which includes its standard errors) on one
million simulated all-distinct BG/NBD histories (CDNOW parameters of Fader, Hardie & Lee 2005,
ages uniform on [1, 39] weeks), the input of cxkit's BenchmarkEstimates/FitBGNBDWithEstimates.

Setup (see run_lifetimes.sh): Debian's python3-numpy, python3-scipy, python3-pandas, and the
lifetimes and autograd sources on PYTHONPATH. Prints one line per repetition: seconds, params.
"""
import sys
import time

import numpy as np
import pandas as pd

from lifetimes import BetaGeoFitter


def simulate(n, seed):
    rng = np.random.default_rng(seed)
    lam = rng.gamma(0.243, 1 / 4.414, n)
    p = rng.beta(0.793, 2.426, n)
    T = 1 + 38 * rng.random(n)
    x = np.zeros(n)
    tx = np.zeros(n)
    t = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        i = np.nonzero(alive)[0]
        t[i] += rng.exponential(1, i.size) / lam[i]
        past = t[i] > T[i]
        alive[i[past]] = False
        j = i[~past]
        x[j] += 1
        tx[j] = t[j]
        drop = rng.random(j.size) < p[j]
        alive[j[drop]] = False
    return pd.DataFrame({"frequency": x, "recency": tx, "T": T})


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    df = simulate(1_000_000, 42)
    print("distinct histories", len(df.drop_duplicates()), flush=True)
    for _ in range(reps):
        m = BetaGeoFitter()
        t0 = time.perf_counter()
        m.fit(df["frequency"], df["recency"], df["T"])
        dt = time.perf_counter() - t0
        print(f"lifetimes BetaGeoFitter.fit {dt:.2f} s", dict(m.params_), flush=True)


if __name__ == "__main__":
    main()
