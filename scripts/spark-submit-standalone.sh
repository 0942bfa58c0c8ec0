#!/usr/bin/env bash
# Runs the README's main job (dev.kindling.examples.SparkClassifierJob) through spark-submit on a
# real standalone cluster started here: one Master and one Worker, each its own JVM, and the
# executor JVM the Worker launches. Nothing is downloaded besides Maven artifacts: the "Spark
# distribution" is Spark's jars from Maven copied under examples/target/spark-dist/jars, and
# spark-submit is the class bin/spark-submit runs (org.apache.spark.deploy.SparkSubmit).
#
#   scripts/spark-submit-standalone.sh [job arguments...]     e.g. --epochs 5
#
# With a real Spark 4.2 installation the same jar runs as:
#   $SPARK_HOME/bin/spark-submit --master spark://HOST:7077 \
#     --class dev.kindling.examples.SparkClassifierJob examples/target/kindling-examples-*-job.jar
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

mvn -q -B -DskipTests -pl examples -am install
dist="$PWD/examples/target/spark-dist"
rm -rf "$dist" && mkdir -p "$dist/jars" "$dist/conf" "$dist/logs" "$dist/work"
# The driver has conf/ on its classpath as in a Spark distribution: Kindling's lines at INFO,
# Spark's at WARN. (Master and Worker log at Spark's default INFO: the script waits for a line.)
cp examples/src/main/resources/log4j2.properties "$dist/conf/"
# Spark and everything it needs (Kindling itself stays out: it travels in the job jar).
mvn -q -B -pl examples dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$dist/jars" \
  -DexcludeGroupIds=dev.kindling,org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian
job_jar=$(ls examples/target/kindling-examples-*-job.jar)

# The JVM options Spark 4.2 needs on JDK 25 (the root pom's spark.jvm.flags, one list for all).
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml | head -1)
export SPARK_HOME="$dist" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_WORKER_DIR="$dist/work"
port=$((20000 + RANDOM % 20000))

# shellcheck disable=SC2086
"$JAVA" $flags -cp "$dist/jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$port" --webui-port 0 >"$dist/logs/master.log" 2>&1 &
master=$!
# shellcheck disable=SC2086
"$JAVA" $flags -cp "$dist/jars/*" org.apache.spark.deploy.worker.Worker \
  --host 127.0.0.1 --cores 2 --memory 2g --webui-port 0 "spark://127.0.0.1:$port" >"$dist/logs/worker.log" 2>&1 &
worker=$!
trap 'kill $worker $master 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  grep -q "Successfully registered with master" "$dist/logs/worker.log" 2>/dev/null && break
  sleep 1
done
grep -q "Successfully registered with master" "$dist/logs/worker.log" || { echo "worker did not register; see $dist/logs" >&2; exit 1; }

# shellcheck disable=SC2086
"$JAVA" $flags -cp "$dist/conf:$dist/jars/*" org.apache.spark.deploy.SparkSubmit \
  --master "spark://127.0.0.1:$port" \
  --conf spark.driver.host=127.0.0.1 \
  --conf "spark.executor.extraJavaOptions=$flags" \
  --conf spark.executor.cores=2 --conf spark.task.cpus=1 \
  --class dev.kindling.examples.SparkClassifierJob \
  "$job_jar" "$@"
