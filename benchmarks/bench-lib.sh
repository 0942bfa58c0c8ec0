# Shared by the run-*.sh scripts (sourced, not run): picks a JDK 25, waits for the machine to be
# quiet, builds the benchmarks module and sets up the JVM that runs a benchmark main class with
# Kindling's flags and PyTorch's settings (benchmarks/README.md explains each).

pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then
    return
  fi
  if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
    return
  fi
  echo "$(basename "$0") needs a JDK 25: set JAVA_HOME" >&2
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

# Waits up to BENCH_IDLE_WAIT seconds (default 180) for other processes to leave the CPUs alone.
wait_for_idle() {
  [ -r /proc/stat ] || return 0
  local limit=${BENCH_IDLE_WAIT:-180} waited=0 busy
  while :; do
    busy=$(busy_percent)
    if [ "$busy" -le 10 ]; then return 0; fi
    if [ "$waited" -ge "$limit" ]; then
      echo "$(basename "$0"): machine still ${busy}% busy after ${waited}s; measuring anyway (see others' CPU)" >&2
      return 0
    fi
    echo "$(basename "$0"): machine ${busy}% busy, waiting for it to quiet down" >&2
    sleep 7
    waited=$((waited + 10))
  done
}

# Builds core and the benchmarks module (package, never install) and fills java_args with the JVM
# options and classpath that run main class $1; the caller appends the class's own arguments.
prepare_bench_jvm() {
  pick_jdk
  mvn -B -ntp -q -pl benchmarks -am package -DskipTests
  local classpath kindling_flags
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
    -cp "$classpath" "$1"
  )
}

# env-<OPENBLAS_CORETYPE> (env-haswell on the development machines), or env-as-is when it is unset.
env_label() {
  local coretype=${OPENBLAS_CORETYPE:-}
  echo "env-$(printf '%s' "${coretype:-as-is}" | tr '[:upper:]' '[:lower:]' | tr -c 'a-z0-9._\n-' '-')"
}

# Runs the prepared JVM (java_args) twice, each in a fresh JVM after waiting for a quiet machine:
# with the environment as it is (labelled by env_label) and with OPENBLAS_CORETYPE /
# OPENBLAS_L2_SIZE removed (env-unset), each writing benchmarks/results/<$1>-<label>.md; then
# prints both reports. Further arguments go to the main class.
run_both_openblas_settings() {
  local prefix=$1 first_label
  shift
  first_label=$(env_label)
  wait_for_idle
  "$JAVA_HOME/bin/java" "${java_args[@]}" --label "$first_label" --out benchmarks/results "$@"
  wait_for_idle
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$JAVA_HOME/bin/java" "${java_args[@]}" --label env-unset --out benchmarks/results "$@"
  echo
  echo "================ both runs ================"
  cat "benchmarks/results/$prefix-$first_label.md"
  echo
  cat "benchmarks/results/$prefix-env-unset.md"
}

# Builds the benchmarks module and prints the runtime classpath of the benchmarks that need no
# launcher files (Arrow, Spark), with benchmarks/target/classes first; $1 names the classpath file.
runtime_classpath() {
  mvn -q -B -ntp -DskipTests -pl benchmarks -am package dependency:build-classpath \
      -Dmdep.outputFile="target/$1.classpath" -Dmdep.includeScope=runtime >&2
  echo "benchmarks/target/classes:$(cat "benchmarks/target/$1.classpath")"
}
