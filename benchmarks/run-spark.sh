#!/usr/bin/env bash
# Runs the spark-connector benchmark (dev.kindling.bench.spark.SparkBench) and prints its Markdown tables:
#   bash benchmarks/run-spark.sh [--data DIR] [--epochs N] [--local-steps K] [--mllib-budget SECONDS]
#        [--only conversion|training|overhead] [--master local[2]|local-cluster[2,1,1024]] [--mllib-blas openblas|java]
#        [--overhead-fits N]
# DataFrame -> Arrow conversion (Kindling's fast path vs Spark's ArrowWriter), MNIST MLP training
# on local[2] (Kindling synchronous and localSteps vs MLlib's MultilayerPerceptronClassifier,
# l-bfgs and gd, on the OpenBLAS Kindling loads or netlib's pure-Java BLAS, printed) and the per-step
# overhead of a Spark step. MNIST comes from ../shared/data/mnist
# unless --data says otherwise. Takes 20-40 minutes per run on 2 cores (MLlib's fits dominate).
# Harness options (bench-lib.sh): --repeat N whole runs per report (default 3; the report gives the
# median of the run medians and the min-max), --publish to write into benchmarks/results/ (tracked)
# instead of benchmarks/target/results/ (default, untracked), --results DIR. Each report comes as
# spark.md, spark.png (Kindling / peer per row) and runs/spark-run<i>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench-lib.sh
. benchmarks/bench-lib.sh
parse_harness_args "$@"
pick_jdk
JAVA="$JAVA_HOME/bin/java"
runtime_classpath spark-bench CP
# Absolute: local-cluster executors run in directories of their own.
CP="$PWD/$CP"
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml | head -1)
export SPARK_LOCAL_IP=127.0.0.1
# local-cluster workers start executors from SPARK_HOME/jars: link the classpath's jars there.
export SPARK_HOME="$PWD/benchmarks/target/spark-home" SPARK_SCALA_VERSION=2.13
mkdir -p "$SPARK_HOME/jars"
IFS=: read -r -a entries <<< "$CP"
for jar in "${entries[@]}"; do
  case "$jar" in *.jar) [ -f "$jar" ] && ln -sf "$(readlink -f "$jar")" "$SPARK_HOME/jars/" ;; esac
done
# shellcheck disable=SC2086
run_repeated spark "$JAVA" $flags -Xss4m -Xms6g -Xmx6g -Dkindling.shared="$PWD/../shared" -Dkindling.executor.flags="$flags" ${KINDLING_BENCH_JVM_OPTS:-} \
    -cp "$CP" dev.kindling.bench.spark.SparkBench "${bench_args[@]}"
