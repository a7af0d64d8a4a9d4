#!/usr/bin/env bash
# bench/nps: nps.Score vs numpy bincount on the same 1e8 uint8 ratings, alternating, REPS rounds.
# Run from the repository root: bash bench/nps/run.sh > bench/nps/results.txt 2>&1
set -euo pipefail
reps=${REPS:-3}
data=${NPS_DATA:-/tmp/nps_1e8.u8}
command -v python3 >/dev/null && /usr/bin/python3 -c 'import numpy' 2>/dev/null || { apt-get update && apt-get install -y python3-numpy; }
echo "date: $(date -u)  nproc: $(nproc)  cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
go build -o /tmp/npsbench ./bench/nps
/tmp/npsbench -gen -o "$data"
for i in $(seq "$reps"); do
  echo "== round $i (load $(cut -d' ' -f1-3 /proc/loadavg))"
  /tmp/npsbench -o "$data"
  /usr/bin/python3 bench/nps/bincount.py "$data"
done
