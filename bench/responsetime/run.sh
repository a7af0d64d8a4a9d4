#!/usr/bin/env bash
# bench/responsetime: Tracker vs exact sort (Go) vs numpy percentile on the same 1e7 durations,
# alternating, REPS rounds. From the repository root:
#   bash bench/responsetime/run.sh > bench/responsetime/results.txt 2>&1
set -euo pipefail
reps=${REPS:-3}
data=${RT_DATA:-/tmp/rt_1e7.i64}
/usr/bin/python3 -c 'import numpy' 2>/dev/null || { apt-get update && apt-get install -y python3-numpy; }
echo "date: $(date -u)  nproc: $(nproc)  cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
go build -o /tmp/rtbench ./bench/responsetime
/tmp/rtbench -gen -o "$data"
for i in $(seq "$reps"); do
  echo "== round $i (load $(cut -d' ' -f1-3 /proc/loadavg))"
  /tmp/rtbench -o "$data"
  /usr/bin/python3 bench/responsetime/percentile.py "$data"
done
