#!/usr/bin/env bash
# bench/logrank: churn.LogRankTest (and churn.KaplanMeier on the same data) vs R survdiff on 1e6
# subjects in 2 groups, alternating, REPS rounds. From the repository root:
#   bash bench/logrank/run.sh > bench/logrank/results.txt 2>&1
set -euo pipefail
reps=${REPS:-3}
data=${LOGRANK_CSV:-/tmp/logrank_1m.csv}
Rscript -e 'library(survival)' >/dev/null 2>&1 || { apt-get update && apt-get install -y r-base-core r-cran-survival; }
echo "date: $(date -u)  nproc: $(nproc)  cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
go build -o /tmp/logrankbench ./bench/logrank
/tmp/logrankbench -gen -o "$data"
for i in $(seq "$reps"); do
  echo "== round $i (load $(cut -d' ' -f1-3 /proc/loadavg))"
  /tmp/logrankbench -o "$data"
  Rscript bench/logrank/survdiff.R "$data"
done
