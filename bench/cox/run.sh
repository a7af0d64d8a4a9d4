#!/usr/bin/env bash
# bench/cox: churn.FitCox vs R survival's coxph on the SAME 1e6 subjects × 5 covariates,
# alternating Go and R, REPS rounds (default 3), then the largest absolute difference of the
# coefficients. From the repository root:
#   bash bench/cox/run.sh > bench/cox/results.txt 2>&1
# The data file (56 MB) goes to /tmp (COX_BIN), not into the repository.
set -euo pipefail
reps=${REPS:-3}
data=${COX_BIN:-/tmp/cox_1m.bin}
if ! Rscript -e 'library(survival)' >/dev/null 2>&1; then
  # Another job may hold apt's lock: wait and retry.
  for i in $(seq 20); do
    if apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y r-base-core r-cran-survival; then break; fi
    echo "apt-get failed (lock held?), retry $i in 30 s" >&2; sleep 30
  done
fi
echo "date: $(date -u)  nproc: $(nproc)  cpu:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(go version)"
go build -o /tmp/coxbench ./bench/cox/cmd
/tmp/coxbench -gen -o "$data"
out=$(mktemp)
for i in $(seq "$reps"); do
  echo "== round $i (load $(cut -d' ' -f1-3 /proc/loadavg))"
  /tmp/coxbench -o "$data" | tee -a "$out"
  Rscript bench/cox/coxph_same.R "$data" | tee -a "$out"
done
echo "== summary"
awk '
  /^go FitCox/ { for (k = 1; k <= NF; k++) if ($k == "s") { g[++ng] = $(k-1); break } }
  /coxph \(n/  { for (k = 1; k <= NF; k++) if ($k == "s") { r[++nr] = $(k-1); break } }
  /^go coef/   { for (k = 3; k <= NF; k++) gc[k] = $k; np = NF }
  /^R coef/    { for (k = 3; k <= NF; k++) rc[k] = $k }
  END {
    for (i = 1; i <= ng; i++) printf "round %d: Go %.3f s  R %.3f s  R/Go %.2f\n", i, g[i], r[i], r[i] / g[i]
    m = 0; for (k = 3; k <= np; k++) { d = gc[k] - rc[k]; if (d < 0) d = -d; if (d > m) m = d }
    printf "max |coef Go - coef R| = %.3g\n", m
  }' "$out"
rm -f "$out"
