#!/bin/sh
# Side-by-side: lifetimes' BG/NBD fit (with its standard errors) against cxkit's FitBGNBD +
# Estimates on 1 M all-distinct histories, alternating, REPS times each (default 3).
# GOBENCH picks the cxkit benchmark: the default is the fit with standard errors;
# GOBENCH='FitBGNBD/Synthetic1M$' times the fit alone. GOCPU sets -cpu (default: all cores).
# Needs: apt-get install -y python3-numpy python3-scipy python3-pandas; the lifetimes and
# autograd sources (github.com/CamDavidsonPilon/lifetimes, github.com/HIPS/autograd) unpacked
# into $PYSRC (default /tmp/py). Their code is not part of this repository.
set -e
REPS=${REPS:-3}
GOBENCH=${GOBENCH:-Estimates/FitBGNBDWithEstimates/Synthetic1M}
GOCPU=${GOCPU:-$(nproc)}
PYSRC=${PYSRC:-/tmp/py}
cd "$(dirname "$0")/../../clv"
i=0
while [ $i -lt "$REPS" ]; do
	PYTHONPATH=$PYSRC /usr/bin/python3 ../bench/clv/lifetimes_bgnbd.py 1
	go test -run XXX -bench "$GOBENCH" -cpu "$GOCPU" -benchtime 1x -count 1 . | grep Benchmark
	i=$((i + 1))
done
