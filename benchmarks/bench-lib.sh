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
# Extra JVM options come from KINDLING_BENCH_JVM_OPTS, as in run-arrow.sh and run-spark.sh.
prepare_bench_jvm() {
  pick_jdk
  mvn -B -ntp -q -pl benchmarks -am package -DskipTests
  local classpath kindling_flags
  classpath="benchmarks/target/classes:$(cat benchmarks/target/launch/classpath)"
  summary_classpath=$classpath
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
    ${KINDLING_BENCH_JVM_OPTS:-}
    -cp "$classpath" "$1"
  )
}

# env-<OPENBLAS_CORETYPE> (env-haswell on the development machines), or env-as-is when it is unset.
env_label() {
  local coretype=${OPENBLAS_CORETYPE:-}
  echo "env-$(printf '%s' "${coretype:-as-is}" | tr '[:upper:]' '[:lower:]' | tr -c 'a-z0-9._\n-' '-')"
}

# Splits the harness's own options off the script's arguments, before anything is built:
#   --repeat N      whole runs per report, each in a fresh JVM (default 3); the report gives per row
#                   the median of the run medians and the min-max over the runs
#   --publish       write into benchmarks/results/ (tracked, what the README quotes) instead of the
#                   default benchmarks/target/results/ (untracked scratch)
#   --results DIR   write somewhere else
# Sets REPEAT and RESULTS_DIR; the remaining arguments are left in bench_args for the main class.
parse_harness_args() {
  HARNESS_COMMAND="$(basename "$0") $*"
  REPEAT=3
  RESULTS_DIR=benchmarks/target/results
  bench_args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --repeat) REPEAT=${2:?--repeat needs a count}; shift 2 ;;
      --publish) RESULTS_DIR=benchmarks/results; shift ;;
      --results) RESULTS_DIR=${2:?--results needs a directory}; shift 2 ;;
      *) bench_args+=("$1"); shift ;;
    esac
  done
  if ! [[ "$REPEAT" =~ ^[1-9][0-9]*$ ]]; then
    echo "$(basename "$0"): --repeat must be a positive whole number but got '$REPEAT'" >&2
    exit 2
  fi
}

# Runs "$@" (a command whose standard output is one Markdown report) REPEAT times, each after
# waiting for a quiet machine, saving run i as $RESULTS_DIR/runs/<$1>-run<i>.md; then writes the
# summary $RESULTS_DIR/<$1>.md (every figure the median over the runs, with the min-max) and its
# chart $RESULTS_DIR/<$1>.png through RunSummary. Needs summary_classpath (set by
# prepare_bench_jvm or runtime_classpath).
run_repeated() {
  local name=$1 i
  shift
  mkdir -p "$RESULTS_DIR/runs"
  local runs=()
  for ((i = 1; i <= REPEAT; i++)); do
    wait_for_idle
    echo "$(basename "$0"): $name, run $i of $REPEAT" >&2
    "$@" | tee "$RESULTS_DIR/runs/$name-run$i.md"
    runs+=("$RESULTS_DIR/runs/$name-run$i.md")
  done
  "$JAVA_HOME/bin/java" -cp "$summary_classpath" dev.kindling.bench.results.RunSummary \
      --name "$name" --out "$RESULTS_DIR" --command "$HARNESS_COMMAND" "${runs[@]}"
}

# Runs the prepared JVM (java_args) REPEAT times with the environment as it is (labelled by
# env_label) and REPEAT times with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed (env-unset), each
# in a fresh JVM, summarised as $RESULTS_DIR/<$1>-<label>.md and .png (run_repeated); then prints
# both summaries. Where neither variable is set the two settings are the same, so it runs
# env-unset only. Further arguments go to the main class.
run_both_openblas_settings() {
  local prefix=$1 first_label scratch
  shift
  first_label=$(env_label)
  scratch=benchmarks/target/results/last-jvm   # the main class's own copy of its report, not kept
  if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -z "${OPENBLAS_L2_SIZE:-}" ]; then
    echo "$(basename "$0"): OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset: one setting, env-unset" >&2
    run_repeated "$prefix-env-unset" "$JAVA_HOME/bin/java" "${java_args[@]}" --label env-unset --out "$scratch" "$@"
    echo
    echo "================ env-unset, $REPEAT run(s) ================"
    cat "$RESULTS_DIR/$prefix-env-unset.md"
    return
  fi
  run_repeated "$prefix-$first_label" "$JAVA_HOME/bin/java" "${java_args[@]}" --label "$first_label" --out "$scratch" "$@"
  run_repeated "$prefix-env-unset" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
      "$JAVA_HOME/bin/java" "${java_args[@]}" --label env-unset --out "$scratch" "$@"
  echo
  echo "================ both settings, $REPEAT run(s) each ================"
  cat "$RESULTS_DIR/$prefix-$first_label.md"
  echo
  cat "$RESULTS_DIR/$prefix-env-unset.md"
}

# Builds the benchmarks module and finds the runtime classpath of the benchmarks that need no
# launcher files (Arrow, Spark), with benchmarks/target/classes first; $1 names the classpath file.
# Call it as a plain command (not in $(...)): it sets the variable named by $2 to the classpath,
# and summary_classpath for run_repeated.
runtime_classpath() {
  mvn -q -B -ntp -DskipTests -pl benchmarks -am package dependency:build-classpath \
      -Dmdep.outputFile="target/$1.classpath" -Dmdep.includeScope=runtime >&2
  summary_classpath="benchmarks/target/classes:$(cat "benchmarks/target/$1.classpath")"
  printf -v "$2" '%s' "$summary_classpath"
}
