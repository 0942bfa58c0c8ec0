#!/usr/bin/env bash
# Kindling tensor-core benchmark (benchmarks/README.md explains every row).
#
# Builds core and the benchmarks module, then runs dev.kindling.bench.CoreBench twice in fresh JVMs:
#   1. with the environment as it is (this machine sets OPENBLAS_CORETYPE=Haswell and
#      OPENBLAS_L2_SIZE), labelled env-<coretype>, e.g. env-haswell;
#   2. with both variables removed (OpenBLAS then picks its kernel from the CPU), labelled env-unset.
# Each run prints its Markdown table and writes benchmarks/results/core-<label>.md; both tables are
# printed again at the end. Extra arguments go to CoreBench (e.g. --samples 5, --no-torch).
#
# Before each run the script waits (up to BENCH_IDLE_WAIT seconds, default 180) for the machine to
# be quiet, since other builds on a 2-core machine distort every number; the tables report how much
# CPU other processes used anyway ("others' CPU").
set -euo pipefail
cd "$(dirname "$0")/.."

pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then
    return
  fi
  if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
    return
  fi
  echo "run-core.sh needs a JDK 25: set JAVA_HOME" >&2
  exit 1
}

# Busy share (percent) of all CPUs over the next 3 seconds, from /proc/stat.
busy_percent() {
  local a b
  read -r -a a < <(head -1 /proc/stat)
  sleep 3
  read -r -a b < <(head -1 /proc/stat)
  local total=0 idle i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  idle=$((b[4] - a[4] + b[5] - a[5]))
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

wait_for_idle() {
  [ -r /proc/stat ] || return 0
  local limit=${BENCH_IDLE_WAIT:-180} waited=0 busy
  while :; do
    busy=$(busy_percent)
    if [ "$busy" -le 10 ]; then return 0; fi
    if [ "$waited" -ge "$limit" ]; then
      echo "run-core.sh: machine still ${busy}% busy after ${waited}s; measuring anyway (see others' CPU)" >&2
      return 0
    fi
    echo "run-core.sh: machine ${busy}% busy, waiting for it to quiet down" >&2
    sleep 7
    waited=$((waited + 10))
  done
}

pick_jdk
mvn -B -ntp -q -pl benchmarks -am package -DskipTests

classpath="benchmarks/target/classes:$(cat benchmarks/target/launch/classpath)"
read -r -a kindling_flags < benchmarks/target/launch/jvm-flags   # the root pom's kindling.jvm.flags
export DJL_CACHE_DIR="$PWD/benchmarks/target/djl-cache"
export OMP_NUM_THREADS=2
mkdir -p "$DJL_CACHE_DIR"
java_args=(
  "${kindling_flags[@]}"
  # A fixed, pre-touched heap: no heap growth or first-touch page faults inside timed calls.
  -Xms4g -Xmx4g -XX:+AlwaysPreTouch
  # PyTorch via DJL: libtorch from the pytorch-native-cpu jar, never downloaded; one thread per core.
  -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1
  -cp "$classpath" dev.kindling.bench.CoreBench
)

coretype=${OPENBLAS_CORETYPE:-}
first_label="env-$(printf '%s' "${coretype:-as-is}" | tr '[:upper:]' '[:lower:]' | tr -c 'a-z0-9._\n-' '-')"

wait_for_idle
"$JAVA_HOME/bin/java" "${java_args[@]}" --label "$first_label" --out benchmarks/results "$@"
wait_for_idle
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$JAVA_HOME/bin/java" "${java_args[@]}" --label env-unset --out benchmarks/results "$@"

echo
echo "================ both runs ================"
cat "benchmarks/results/core-$first_label.md"
echo
cat benchmarks/results/core-env-unset.md
