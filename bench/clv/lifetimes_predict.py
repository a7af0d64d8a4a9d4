"""Times Python lifetimes' BG/NBD predictions on one million simulated all-distinct histories
(the sample of lifetimes_bgnbd.py): conditional_expected_number_of_purchases_up_to_time(52, ...)
plus conditional_probability_alive, with the CDNOW estimates of Fader, Hardie & Lee 2005
(r 0.243, alpha 4.414, a 0.793, b 2.426) set directly, as cxkit's
BenchmarkPredict/BGNBD/Synthetic1M computes both at t = 52.

Setup: see run_lifetimes.sh. Prints one line per repetition: seconds and two sample values.
"""
import sys
import time

import pandas as pd

from lifetimes import BetaGeoFitter
from lifetimes_bgnbd import simulate


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    df = simulate(1_000_000, 42)
    m = BetaGeoFitter()
    m.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    f, r, T = df["frequency"].values, df["recency"].values, df["T"].values
    for _ in range(reps):
        t0 = time.perf_counter()
        e = m.conditional_expected_number_of_purchases_up_to_time(52, f, r, T)
        a = m.conditional_probability_alive(f, r, T)
        dt = time.perf_counter() - t0
        print(f"lifetimes BG/NBD predict (t=52, expected + P(alive)) {dt:.3f} s", float(e[0]), float(a[0]), flush=True)


if __name__ == "__main__":
    main()
