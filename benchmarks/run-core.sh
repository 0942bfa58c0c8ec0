#!/usr/bin/env bash
# Kindling tensor-core benchmark (benchmarks/README.md explains every row).
#
# Builds core and the benchmarks module, then runs dev.kindling.bench.CoreBench twice in fresh JVMs:
#   1. with the environment as it is (this machine sets OPENBLAS_CORETYPE=Haswell and
#      OPENBLAS_L2_SIZE), labelled env-<coretype>, e.g. env-haswell;
#   2. with both variables removed (OpenBLAS then picks its kernel from the CPU), labelled env-unset.
# Each run prints its Markdown table; the summary of the runs of each setting goes to
# <results>/core-<label>.md and .png; both are printed again at the end. Extra arguments go to
# CoreBench (e.g. --samples 5, --no-torch, --only gemm,elementwise,broadcast,reduction).
# Harness options (bench-lib.sh): --repeat N whole runs per report (default 3; the report gives the
# median of the run medians and the min-max), --publish to write into benchmarks/results/ (tracked)
# instead of benchmarks/target/results/ (default, untracked), --results DIR. Each report comes as
# <name>.md, <name>.png (Kindling / peer per row) and runs/<name>-run<i>.md.
#
# Before each run the script waits (up to BENCH_IDLE_WAIT seconds, default 180) for the machine to
# be quiet, since other builds on a 2-core machine distort every number; the tables report how much
# CPU other processes used anyway ("others' CPU").
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench-lib.sh
. benchmarks/bench-lib.sh
parse_harness_args "$@"
prepare_bench_jvm dev.kindling.bench.CoreBench

run_both_openblas_settings core "${bench_args[@]}"
