#!/bin/sh
# Runs the lint throughput comparison: instrc's parser, instrc's whole lint
# (parse, resolve, check, lower) and the Gherkin Go parser, each on a
# generated 10,000-scenario file of the same size, in one run.
#
#   bench/run.sh                      # -benchtime=1s -count=6, then benchstat
#   BENCHTIME=1x COUNT=1 bench/run.sh # quick check, as CI runs it
#
# Results go to bench/results.txt (and the benchstat summary to stdout).
set -eu
cd "$(dirname "$0")"
BENCHTIME=${BENCHTIME:-1s}
COUNT=${COUNT:-6}
OUT=${OUT:-results.txt}

go test -count=1 ./...
go test -run='^$' -bench=. -benchmem -benchtime="$BENCHTIME" -count="$COUNT" . | tee "$OUT"
if [ "$COUNT" -gt 1 ]; then
	go run golang.org/x/perf/cmd/benchstat@latest "$OUT" || echo "benchstat unavailable: raw figures are in $OUT"
fi
