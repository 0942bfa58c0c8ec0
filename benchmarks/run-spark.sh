#!/usr/bin/env bash
# Runs the spark-connector benchmark (dev.kindling.spark.SparkBench) and prints its Markdown tables:
#   bash benchmarks/run-spark.sh [--data DIR] [--epochs N] [--local-steps K] [--mllib-budget SECONDS] [--only conversion|training|overhead]
# DataFrame -> Arrow conversion (Kindling's fast path vs Spark's ArrowWriter), MNIST MLP training
# on local[2] (Kindling synchronous and localSteps vs MLlib's MultilayerPerceptronClassifier,
# l-bfgs and gd) and the per-step cost of a Spark job. MNIST comes from ../shared/data/mnist
# unless --data says otherwise. Takes 20-40 minutes on 2 cores (MLlib's fits dominate).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn -q -B -ntp -DskipTests -pl benchmarks -am package dependency:build-classpath \
    -Dmdep.outputFile=target/spark-bench.classpath -Dmdep.includeScope=runtime >&2
CP="benchmarks/target/classes:$(cat benchmarks/target/spark-bench.classpath)"
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml | head -1)
export SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086
exec "$JAVA" $flags -Xss4m -Xms6g -Xmx6g -Dkindling.shared="$PWD/../shared" ${KINDLING_BENCH_JVM_OPTS:-} \
    -cp "$CP" dev.kindling.spark.SparkBench "$@"
