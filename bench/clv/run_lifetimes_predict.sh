#!/bin/sh
# Side-by-side: lifetimes' predictions (conditional expected purchases at t = 52 plus P(alive))
# against cxkit's Predict on 1 M histories, alternating, REPS times each (default 3).
# MODEL picks the model: BGNBD (default; against BenchmarkPredict/BGNBD/Synthetic1M,
# all-distinct histories) or ParetoNBD (against BenchmarkPredict/ParetoNBD/Synthetic1M,
# histories drawn from Pareto/NBD); lifetimes_predict.py times lifetimes on the same kind. GOCPU sets -cpu (default: all cores). Setup as run_lifetimes.sh.
set -e
REPS=${REPS:-3}
MODEL=${MODEL:-BGNBD}
GOCPU=${GOCPU:-$(nproc)}
PYSRC=${PYSRC:-/tmp/py}
case "$MODEL" in
BGNBD | ParetoNBD) ;;
*) echo "MODEL must be BGNBD or ParetoNBD" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/../../clv"
i=0
while [ $i -lt "$REPS" ]; do
	PYTHONPATH=$PYSRC:../bench/clv /usr/bin/python3 ../bench/clv/lifetimes_predict.py 1 "$MODEL"
	go test -run XXX -bench "Predict/$MODEL/Synthetic1M\$" -cpu "$GOCPU" -benchtime 3x -count 1 . | grep Benchmark
	i=$((i + 1))
done
