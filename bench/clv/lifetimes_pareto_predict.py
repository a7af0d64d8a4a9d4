"""Times Python lifetimes' Pareto/NBD predictions on one million simulated histories drawn
from Pareto/NBD with the CDNOW estimates of Fader, Hardie & Lee 2005 (r 0.553, alpha 10.578,
s 0.606, beta 11.669) and ages uniform on [1, 39] weeks, the distribution of cxkit's
BenchmarkPredict/ParetoNBD/Synthetic1M (other draws, same model):
conditional_expected_number_of_purchases_up_to_time(52, ...) plus
conditional_probability_alive, with the parameters set directly.

Setup: see run_lifetimes.sh. Prints one line per repetition: seconds and two sample values.
"""
import sys
import time

import numpy as np
import pandas as pd

from lifetimes import ParetoNBDFitter

R, ALPHA, S, BETA = 0.553, 10.578, 0.606, 11.669


def simulate(n, seed):
    """Pareto/NBD histories: purchases at rate lambda until min(T, lifetime); given their
    number x in that window, the last one is the window times the largest of x uniforms."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(R, 1 / ALPHA, n)
    mu = rng.gamma(S, 1 / BETA, n)
    T = 1 + 38 * rng.random(n)
    end = np.minimum(T, rng.exponential(1, n) / mu)
    x = rng.poisson(lam * end).astype(float)
    u = rng.random(n)
    tx = np.where(x > 0, end * u ** (1 / np.maximum(x, 1)), 0.0)
    return x, tx, T


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    x, tx, T = simulate(1_000_000, 42)
    m = ParetoNBDFitter()
    m.params_ = pd.Series({"r": R, "alpha": ALPHA, "s": S, "beta": BETA})
    for _ in range(reps):
        t0 = time.perf_counter()
        e = m.conditional_expected_number_of_purchases_up_to_time(52, x, tx, T)
        a = m.conditional_probability_alive(x, tx, T)
        dt = time.perf_counter() - t0
        print(f"lifetimes Pareto/NBD predict (t=52, expected + P(alive)) {dt:.3f} s", float(e[0]), float(a[0]), flush=True)


if __name__ == "__main__":
    main()
