#!/usr/bin/env bash
# The GEMM floor under TrainBench's conv2d row (dev.kindling.bench.ConvGemmFloor): the three
# whole-batch matrix products of an im2col 3x3 convolution [32,32,28,28] -> 64, timed alone through
# Kindling's matmul, with the environment as it is and with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
# removed. About a minute per run.
# Harness options (bench-lib.sh): --repeat N whole runs per setting (default 3; the report gives the
# median of the run medians and the min-max), --publish to write into benchmarks/results/ (tracked)
# instead of benchmarks/target/results/ (default, untracked), --results DIR. Each setting's report
# comes as conv-floor-<label>.md, .png and runs/conv-floor-<label>-run<i>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench-lib.sh
. benchmarks/bench-lib.sh
parse_harness_args "$@"
prepare_bench_jvm dev.kindling.bench.ConvGemmFloor

# One run's report: a heading naming the setting, then ConvGemmFloor's table. $1: the label.
floor_report() {
  echo "### GEMM floor under conv2d 3x3 [32,32,28,28] -> 64 [$1]"
  echo
  "$JAVA_HOME/bin/java" "${java_args[@]}" "${bench_args[@]}"
}

first_label=$(env_label)
run_repeated "conv-floor-$first_label" floor_report "$first_label"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
run_repeated conv-floor-env-unset floor_report env-unset
