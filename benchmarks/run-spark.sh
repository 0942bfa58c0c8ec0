#!/usr/bin/env bash
# Runs the spark-connector benchmark (dev.kindling.bench.spark.SparkBench) and prints its Markdown tables:
#   bash benchmarks/run-spark.sh [--data DIR] [--epochs N] [--local-steps K] [--mllib-budget SECONDS] [--only conversion|training|overhead]
# DataFrame -> Arrow conversion (Kindling's fast path vs Spark's ArrowWriter), MNIST MLP training
# on local[2] (Kindling synchronous and localSteps vs MLlib's MultilayerPerceptronClassifier,
# l-bfgs and gd) and the per-step cost of a Spark job. MNIST comes from ../shared/data/mnist
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
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml | head -1)
export SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086
run_repeated spark "$JAVA" $flags -Xss4m -Xms6g -Xmx6g -Dkindling.shared="$PWD/../shared" ${KINDLING_BENCH_JVM_OPTS:-} \
    -cp "$CP" dev.kindling.bench.spark.SparkBench "${bench_args[@]}"
