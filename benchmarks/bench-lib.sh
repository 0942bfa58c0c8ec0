# Shared by run-core.sh and run-train.sh (sourced, not run): picks a JDK 25, waits for the machine
# to be quiet, builds the benchmarks module and sets up the JVM that runs a benchmark main class
# with Kindling's flags and PyTorch's settings (benchmarks/README.md explains each).

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
