#!/usr/bin/env bash
# Kindling training benchmark (benchmarks/README.md, "Training"): forward+backward passes and Adam
# training steps against PyTorch (libtorch via DJL) side by side, then MNIST epochs of a DataLoader + Adam loop.
#
# Builds core and the benchmarks module, then runs dev.kindling.bench.TrainBench twice in
# fresh JVMs, like run-core.sh: with the environment as it is (labelled env-<OPENBLAS_CORETYPE>,
# e.g. env-haswell) and with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed (env-unset: OpenBLAS at
# its best on this CPU). Each run prints its Markdown; the summary of each setting's runs goes to
# <results>/train-<label>.md and .png.
# Extra arguments go to TrainBench: --data DIR (MNIST, default ../shared/data/mnist), --epochs N
# (default 2; 0 skips the epochs), and CoreBench's --samples, --rounds, --sample-ms, --warmup-ms,
# --settle-ms, --retake-s, --no-torch.
# Harness options (bench-lib.sh): --repeat N whole runs per report (default 3; the report gives the
# median of the run medians and the min-max), --publish to write into benchmarks/results/ (tracked)
# instead of benchmarks/target/results/ (default, untracked), --results DIR. Each report comes as
# <name>.md, <name>.png (Kindling / peer per row) and runs/<name>-run<i>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench-lib.sh
. benchmarks/bench-lib.sh
parse_harness_args "$@"
prepare_bench_jvm dev.kindling.bench.TrainBench

run_both_openblas_settings train "${bench_args[@]}"
