#!/usr/bin/env bash
# Distribution of single MLP Adam step times (benchmarks/README.md, "Step-time distribution"):
# builds core and the benchmarks module, then runs dev.kindling.bench.StepLatency in a fresh JVM
# with the same flags as run-train.sh. Arguments go to StepLatency: --batches 64,128,512, --steps N.
# KINDLING_CORE_JAR=path swaps in another build of core (to time a before/after pair on one machine).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench-lib.sh
. benchmarks/bench-lib.sh
prepare_bench_jvm dev.kindling.bench.StepLatency
if [ -n "${KINDLING_CORE_JAR:-}" ]; then
  for i in "${!java_args[@]}"; do
    java_args[i]=${java_args[i]//$PWD\/core\/target\/kindling-core-0.1.0-SNAPSHOT.jar/$KINDLING_CORE_JAR}
  done
fi
wait_for_idle
"$JAVA_HOME/bin/java" "${java_args[@]}" "$@"
