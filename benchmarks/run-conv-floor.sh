#!/usr/bin/env bash
# The GEMM floor under TrainBench's conv2d row (dev.kindling.bench.ConvGemmFloor): the three
# whole-batch matrix products of an im2col 3x3 convolution [32,32,28,28] -> 64, timed alone through
# Kindling's matmul, with the environment as it is and with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
# removed. About a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench-lib.sh
. benchmarks/bench-lib.sh
prepare_bench_jvm dev.kindling.bench.ConvGemmFloor

wait_for_idle
echo "### $(env_label)"
"$JAVA_HOME/bin/java" "${java_args[@]}"
wait_for_idle
echo "### env-unset"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$JAVA_HOME/bin/java" "${java_args[@]}"
