"""Times Python lifetimes' predictions on one million simulated histories:
conditional_expected_number_of_purchases_up_to_time(52, ...) plus conditional_probability_alive,
with the CDNOW estimates of Fader, Hardie & Lee 2005 set directly, as cxkit's
BenchmarkPredict/<model>/Synthetic1M computes both at t = 52.

  lifetimes_predict.py REPS [BGNBD|ParetoNBD]

BGNBD (default): BetaGeoFitter (r 0.243, alpha 4.414, a 0.793, b 2.426) on the all-distinct
sample of lifetimes_bgnbd.py. ParetoNBD: ParetoNBDFitter (r 0.553, alpha 10.578, s 0.606,
beta 11.669) on histories drawn from that Pareto/NBD with ages uniform on [1, 39] weeks (the
distribution of cxkit's Synthetic1M; other draws, same model).

Setup: see run_lifetimes.sh. Prints one line per repetition: seconds and two sample values.
"""
import sys
import time

import numpy as np
import pandas as pd

from lifetimes import BetaGeoFitter, ParetoNBDFitter

PARETO = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}


def simulate_pareto(n, seed):
    """Pareto/NBD histories: purchases at rate lambda until min(T, lifetime); given their
    number x in that window, the last one is the window times the largest of x uniforms."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(PARETO["r"], 1 / PARETO["alpha"], n)
    mu = rng.gamma(PARETO["s"], 1 / PARETO["beta"], n)
    T = 1 + 38 * rng.random(n)
    end = np.minimum(T, rng.exponential(1, n) / mu)
    x = rng.poisson(lam * end).astype(float)
    u = rng.random(n)
    tx = np.where(x > 0, end * u ** (1 / np.maximum(x, 1)), 0.0)
    return x, tx, T


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    model = sys.argv[2] if len(sys.argv) > 2 else "BGNBD"
    if model == "BGNBD":
        from lifetimes_bgnbd import simulate

        df = simulate(1_000_000, 42)
        f, r, T = df["frequency"].values, df["recency"].values, df["T"].values
        m = BetaGeoFitter()
        m.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        name = "BG/NBD"
    elif model == "ParetoNBD":
        f, r, T = simulate_pareto(1_000_000, 42)
        m = ParetoNBDFitter()
        m.params_ = pd.Series(PARETO)
        name = "Pareto/NBD"
    else:
        sys.exit("model must be BGNBD or ParetoNBD")
    for _ in range(reps):
        t0 = time.perf_counter()
        e = m.conditional_expected_number_of_purchases_up_to_time(52, f, r, T)
        a = m.conditional_probability_alive(f, r, T)
        dt = time.perf_counter() - t0
        print(f"lifetimes {name} predict (t=52, expected + P(alive)) {dt:.3f} s", float(e[0]), float(a[0]), flush=True)


if __name__ == "__main__":
    main()
