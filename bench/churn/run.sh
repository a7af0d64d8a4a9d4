#!/usr/bin/env bash
# Side-by-side Kaplan–Meier benchmark: churn.KaplanMeier (Go) vs survival::survfit (R) on the
# same 1 M subjects. Run from the repository root: bash bench/churn/run.sh
set -euo pipefail
csv=${CHURN_CSV:-/tmp/churn_1m.csv}
reps=${REPS:-5}
go run ./bench/churn/gen -n 1000000 -seed 2026 -o "$csv"
echo "== R"
Rscript bench/churn/survfit.R "$csv" "$reps"
echo "== Go"
CHURN_CSV="$csv" go test -run '^$' -bench KaplanMeierCSV -benchtime "${reps}x" -count 1 -v ./bench/churn/ | grep -v '^=== RUN'
