#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, and Kindling's no-code jobs submitted to it as
# spark-submit submits them: one Master and two Workers, each its own JVM on 127.0.0.1, started
# from a Spark home assembled under assembly/target/ from the Maven artifacts (symlinks into
# Maven's cache, nothing copied, nothing written to ~/.m2 but what Maven itself caches). Then:
#
#   1. TrainJob + PredictJob in client deploy mode   (the driver is the spark-submit JVM)
#   2. TrainJob + PredictJob in cluster deploy mode  (a Worker runs the driver)
#   3. with --faults: a Worker and its executor SIGKILLed mid-fit (the fit must end with the
#      parameters of step 1, bit for bit), and the driver SIGKILLed mid-fit with checkpoints on
#      (rerunning the same command must resume from a checkpoint and end with those parameters).
#
# Every process it starts is stopped on exit (trap). Exit status 0 only if every step passed.
#
#   scripts/standalone-cluster.sh [--quick] [--faults] [--no-build] [--data DIGITS_CSV_GZ]
#
#   --quick     fewer epochs (what the CI test runs)
#   --faults    add the worker-kill and driver-kill runs (step 3)
#   --no-build  use the assembly jar and classpath the last `mvn package` left in assembly/target
#   --data      sklearn's digits as CSV (64 pixels then the label per line, optionally gzipped);
#               default ../shared/data/sklearn/digits.csv.gz
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

quick=false faults=false build=true data="$repo/../shared/data/sklearn/digits.csv.gz"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true ;;
    --faults) faults=true ;;
    --no-build) build=false ;;
    --data) data=$2; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "standalone-cluster.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '%s [%4ss] %s\n' "$(date +%H:%M:%S)" "$SECONDS" "$*"; }
fail() { say "FAILED: $*"; exit 1; }

if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$JAVA" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])' || fail "$JAVA is not a JDK 25 or newer (set JAVA_HOME)"
[[ -f "$data" ]] || fail "no digits data at $data (pass --data FILE)"

version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
target="$repo/assembly/target"
jar="$target/kindling-spark-assembly_2.13-$version.jar"
if $build; then
  say "building the assembly jar: mvn -q -DskipTests -pl assembly -am package"
  mvn -q -B -DskipTests -pl assembly -am package
fi
[[ -f "$jar" && -f "$target/spark-classpath.txt" ]] || fail "$jar or $target/spark-classpath.txt missing: run without --no-build"
say "assembly: $jar ($(( $(stat -c %s "$jar") / 1048576 )) MiB)"

# The Spark home: jars/ links to Spark's jars in Maven's cache; conf/ as a distribution has it.
home="$target/spark-home-standalone"
run="$target/standalone-cluster"
rm -rf "$home" "$run"
mkdir -p "$home/jars" "$home/conf" "$home/work" "$run/logs"
tr ':' '\n' < "$target/spark-classpath.txt" | while read -r j; do ln -s "$j" "$home/jars/"; done
say "Spark home: $home ($(ls "$home/jars" | wc -l) jars linked from Maven's cache)"
# The JVM options Spark 4.2 and Kindling need on JDK 25 (the root pom's spark.jvm.flags).
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml | head -1)
cat > "$home/conf/spark-defaults.conf" <<EOF
spark.driver.extraJavaOptions    $flags
spark.executor.extraJavaOptions  $flags
spark.driver.host                127.0.0.1
spark.driver.memory              768m
spark.executor.memory            768m
spark.executor.cores             1
spark.cores.max                  2
spark.serializer                 org.apache.spark.serializer.KryoSerializer
spark.ui.enabled                 false
EOF
# Drivers log Kindling's progress at INFO, Spark at WARN (Master and Workers keep Spark's defaults).
cat > "$home/conf/log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_OUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.kindling.name = dev.kindling
logger.kindling.level = info
EOF
# spark-submit in cluster mode reports the driver's id and state at INFO.
sed 's/^rootLogger.level = warn$/rootLogger.level = warn\nlogger.client.name = org.apache.spark.deploy\nlogger.client.level = info/' \
  "$home/conf/log4j2.properties" > "$home/conf/log4j2-submit.properties"
export SPARK_HOME="$home" SPARK_CONF_DIR="$home/conf" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1

# Training data: digits with a header row (TrainJob's CSV needs one).
mkdir -p "$run/data"
features=$(seq -s, -f 'p%g' 0 63)
{ echo "$features,label"; if [[ "$data" == *.gz ]]; then gzip -dc "$data"; else cat "$data"; fi; } > "$run/data/digits.csv"
say "data: $(( $(wc -l < "$run/data/digits.csv") - 1 )) digits (8x8 pixels, 10 classes) in $run/data/digits.csv"

pids=()
stop_all() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop_all EXIT

master_port=$((20000 + RANDOM % 20000))
master="spark://127.0.0.1:$master_port"
# shellcheck disable=SC2086
"$JAVA" $flags -Xmx256m -cp "$home/jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$master_port" --webui-port 0 > "$run/logs/master.log" 2>&1 &
pids+=($!)
say "master: pid $!, $master"

declare -A worker_pid
start_worker() {
  local n=$1
  mkdir -p "$home/work/worker-$n"
  # shellcheck disable=SC2086
  SPARK_WORKER_DIR="$home/work/worker-$n" "$JAVA" $flags -Xmx256m -cp "$home/jars/*" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores 2 --memory 2g --webui-port 0 --work-dir "$home/work/worker-$n" "$master" \
    > "$run/logs/worker-$n.log" 2>&1 &
  worker_pid[$n]=$!
  pids+=($!)
}
await_worker() {
  local n=$1 i
  for i in $(seq 120); do
    grep -q "Successfully registered with master" "$run/logs/worker-$n.log" 2>/dev/null && { say "worker $n: pid ${worker_pid[$n]}, registered"; return; }
    sleep 0.5
  done
  fail "worker $n did not register within 60 s; see $run/logs/worker-$n.log"
}
start_worker 1; start_worker 2
await_worker 1; await_worker 2

epochs=6; $quick && epochs=3
model="Linear(64,32) ReLU Linear(32,10)"
train_args=(--input "$run/data/digits.csv" --format csv --features "$features" --label label --model "$model"
  --epochs "$epochs" --batch-size 64 --lr 0.01 --partitions 4 --seed 7)

# spark-submit: what bin/spark-submit runs, with conf/ (spark-defaults.conf) found through
# SPARK_CONF_DIR. It execs, so call it in the background or in a subshell: the pid is the JVM's.
submit() {
  local log4j=()
  [[ " $* " == *" --deploy-mode cluster "* ]] && log4j=(-Dlog4j2.configurationFile="$home/conf/log4j2-submit.properties")
  # shellcheck disable=SC2086
  exec "$JAVA" $flags -Xmx768m "${log4j[@]}" -cp "$home/conf:$home/jars/*" org.apache.spark.deploy.SparkSubmit --master "$master" "$@"
}
weights() { find "$1/stages" -name model.safetensors | head -1; }
show() { grep -E --line-buffered "TrainJob:|PredictJob:|Kindling fit|Kindling:|Exception|ERROR" "$1" | sed 's/^/    /' || true; }

# Client mode: the submitting JVM is the driver; its output streams here as it trains.
say "client mode: TrainJob, $epochs epochs on 2 executors (one per worker)"
# The log exists before tail opens it: the background job's redirect can come later, and tail's
# "cannot open" then failed the pipeline (pipefail) after a TrainJob that had succeeded.
: > "$run/logs/client-train.log"
submit --deploy-mode client --class dev.kindling.spark.TrainJob "$jar" "${train_args[@]}" --output "$run/client/model" \
  > "$run/logs/client-train.log" 2>&1 &
sub=$!; pids+=($sub)
tail -n +1 -f --pid=$sub "$run/logs/client-train.log" | grep -E --line-buffered "TrainJob:|Kindling fit|Exception|ERROR" | sed 's/^/    /' &
tailer=$!
wait $sub || fail "client-mode TrainJob exited with $?; see $run/logs/client-train.log"
wait $tailer
say "client mode: PredictJob"
(submit --deploy-mode client --class dev.kindling.spark.PredictJob "$jar" --model "$run/client/model" \
  --input "$run/data/digits.csv" --format csv --output "$run/client/predictions") > "$run/logs/client-predict.log" 2>&1 \
  || { show "$run/logs/client-predict.log"; fail "client-mode PredictJob failed"; }
show "$run/logs/client-predict.log"
ls "$run/client/predictions"/part-* > /dev/null || fail "no predictions written"
reference=$(weights "$run/client/model")
say "client mode: done; weights $(sha256sum "$reference" | cut -c1-16)"

# Cluster mode: the Master has a Worker start the driver (DriverWrapper) and spark-submit waits
# for it; the driver's output lands in that Worker's work dir, shown here as it comes.
cluster_job() {  # name, log, class, args...
  local name=$1 log=$2; shift 2
  submit --deploy-mode cluster --conf spark.standalone.submit.waitAppCompletion=true "$@" > "$log" 2>&1 &
  local sub=$! driver="" i
  pids+=($sub)
  for i in $(seq 240); do
    driver=$(grep -o 'driver-[0-9]*-[0-9]*' "$log" 2>/dev/null | head -1) && [[ -n "$driver" ]] && break
    kill -0 $sub 2>/dev/null || break
    sleep 0.5
  done
  [[ -n "$driver" ]] || { wait $sub || true; cat "$log"; fail "$name: no driver was submitted"; }
  local out
  for i in $(seq 240); do
    out=$(ls "$home"/work/worker-*/"$driver"/stdout 2>/dev/null | head -1) && [[ -n "$out" ]] && break
    sleep 0.5
  done
  say "$name: $driver runs on $(basename "$(dirname "$(dirname "$out")")")"
  tail -n +1 -f --pid=$sub "$out" | grep -E --line-buffered "TrainJob:|PredictJob:|Kindling fit|Exception|ERROR" | sed 's/^/    /' &
  local tailer=$!
  wait $sub || fail "$name: spark-submit exited with $?; see $log"
  wait $tailer
  grep -q "FINISHED" "$log" || { tail -5 "$log"; fail "$name: the driver did not finish (see $log, $out)"; }
}
say "cluster mode: TrainJob"
cluster_job "cluster mode TrainJob" "$run/logs/cluster-train.log" --class dev.kindling.spark.TrainJob "$jar" \
  "${train_args[@]}" --output "$run/cluster/model"
say "cluster mode: PredictJob"
cluster_job "cluster mode PredictJob" "$run/logs/cluster-predict.log" --class dev.kindling.spark.PredictJob "$jar" \
  --model "$run/cluster/model" --input "$run/data/digits.csv" --format csv --output "$run/cluster/predictions"
ls "$run/cluster/predictions"/part-* > /dev/null || fail "no predictions written in cluster mode"
cmp -s "$reference" "$(weights "$run/cluster/model")" || fail "cluster-mode weights differ from client mode's"
say "cluster mode: done; weights identical to client mode's (cmp)"

if $faults; then
  await_file() {  # file, pid of the job: waits until the file exists, as long as the job runs
    while [[ ! -e "$1" ]]; do
      kill -0 "$2" 2>/dev/null || return 1
      sleep 0.1
    done
  }
  ckpt_every=10
  # A worker dies mid-fit: SIGKILL to the Worker JVM and to the executor it launched.
  say "worker kill: TrainJob with checkpoints every $ckpt_every steps; worker 2 dies after checkpoint 20"
  submit --deploy-mode client --class dev.kindling.spark.TrainJob "$jar" "${train_args[@]}" --output "$run/worker-kill/model" \
    --checkpoint-dir "$run/worker-kill/checkpoints" --checkpoint-interval $ckpt_every > "$run/logs/worker-kill.log" 2>&1 &
  sub=$!; pids+=($sub)
  await_file "$run/worker-kill/checkpoints/checkpoint-000000000020.safetensors" $sub \
    || { show "$run/logs/worker-kill.log"; fail "the fit ended before checkpoint 20"; }
  victims="${worker_pid[2]} $(pgrep -P "${worker_pid[2]}" | tr '\n' ' ')"
  kill -9 $victims
  say "worker kill: SIGKILL to worker 2 and its executor (pids $victims)"
  [[ -d "$run/worker-kill/model" ]] && fail "the fit had already ended when the worker was killed"
  wait $sub || { show "$run/logs/worker-kill.log"; fail "TrainJob did not survive the lost worker"; }
  show "$run/logs/worker-kill.log" | grep -E "TrainJob: epoch|lost|Lost|Removed" || true
  grep -qiE "lost executor|executor [0-9]+ (was )?lost|Removed executor|Executor lost" "$run/logs/worker-kill.log" \
    && say "worker kill: the driver saw the executor go" || say "worker kill: (the driver logged no executor loss at WARN)"
  cmp -s "$reference" "$(weights "$run/worker-kill/model")" || fail "worker kill: weights differ from the uninterrupted fit's"
  say "worker kill: fit completed; weights identical to the uninterrupted fit's (cmp)"
  start_worker 2; await_worker 2

  # The driver dies mid-fit: SIGKILL to the spark-submit JVM, then the same command again.
  driver_run() {
    submit --deploy-mode client --class dev.kindling.spark.TrainJob "$jar" "${train_args[@]}" --output "$run/driver-kill/model" \
      --checkpoint-dir "$run/driver-kill/checkpoints" --checkpoint-interval $ckpt_every "$@"
  }
  say "driver kill: TrainJob with checkpoints every $ckpt_every steps; the driver dies after checkpoint 30"
  driver_run > "$run/logs/driver-kill-1.log" 2>&1 &
  sub=$!; pids+=($sub)
  await_file "$run/driver-kill/checkpoints/checkpoint-000000000030.safetensors" $sub \
    || { show "$run/logs/driver-kill-1.log"; fail "the fit ended before checkpoint 30"; }
  kill -9 $sub; wait $sub 2>/dev/null || true
  say "driver kill: SIGKILL to the driver (pid $sub); checkpoints left: $(cd "$run/driver-kill/checkpoints" && ls checkpoint-*.safetensors | tr '\n' ' ')"
  [[ -d "$run/driver-kill/model" ]] && fail "the fit had already ended when the driver was killed"
  say "driver kill: rerunning the same command"
  (driver_run) > "$run/logs/driver-kill-2.log" 2>&1 || { show "$run/logs/driver-kill-2.log"; fail "the rerun failed"; }
  show "$run/logs/driver-kill-2.log" | grep -E "resumed|TrainJob: epoch" || true
  grep -q "resumed from the checkpoint at step [1-9]" "$run/logs/driver-kill-2.log" || fail "driver kill: the rerun did not resume from a checkpoint"
  cmp -s "$reference" "$(weights "$run/driver-kill/model")" || fail "driver kill: weights differ from the uninterrupted fit's"
  say "driver kill: the rerun resumed; weights identical to the uninterrupted fit's (cmp)"
fi

say "stopping the cluster"
stop_all
trap - EXIT
say "all done"
