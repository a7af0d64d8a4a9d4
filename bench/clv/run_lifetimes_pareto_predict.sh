#!/bin/sh
# Side-by-side: lifetimes' Pareto/NBD predictions (conditional expected purchases at t = 52
# plus P(alive), lifetimes_pareto_predict.py) against cxkit's ParetoNBD.Predict
# (BenchmarkPredict/ParetoNBD/Synthetic1M) on 1 M histories drawn from the same model,
# alternating, REPS times each (default 3). GOCPU sets -cpu (default: all cores). Setup as
# run_lifetimes.sh.
set -e
REPS=${REPS:-3}
GOCPU=${GOCPU:-$(nproc)}
PYSRC=${PYSRC:-/tmp/py}
cd "$(dirname "$0")/../../clv"
i=0
while [ $i -lt "$REPS" ]; do
	PYTHONPATH=$PYSRC:../bench/clv /usr/bin/python3 ../bench/clv/lifetimes_pareto_predict.py 1
	go test -run XXX -bench 'Predict/ParetoNBD/Synthetic1M$' -cpu "$GOCPU" -benchtime 3x -count 1 . | grep Benchmark
	i=$((i + 1))
done
