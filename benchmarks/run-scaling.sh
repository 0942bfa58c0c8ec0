#!/usr/bin/env bash
# The scaling table of the synchronous Spark step (dev.kindling.bench.spark.ScalingBench):
#   bash benchmarks/run-scaling.sh [--hidden 90,610,2700,6600] [--partitions 2,4,8] [--steps N] [--reps N]
#                                  [--batch B] [--mnist-steps N] [--executor-mb MB] [--out DIR]
# MLPs of ~0.1M, 1M, 10M and 50M parameters on local-cluster[P,1,MB] for P = 2, 4, 8, tree and
# sharded gradient aggregation; the step split into executor compute, parameter broadcast,
# gradient aggregation and driver step, with bytes moved and memory-bandwidth bounds; then MNIST
# after N steps with float32 and bfloat16 gradients. Writes <out>/scaling.md and scaling.png (step time vs model size, one curve per aggregation and P).
# --out defaults to benchmarks/target/results (untracked); pass --out benchmarks/results to publish.
# Sized for about 10 minutes on a quiet 2-core machine; far longer under load (see the results file).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench-lib.sh
. benchmarks/bench-lib.sh
pick_jdk
JAVA="$JAVA_HOME/bin/java"
runtime_classpath scaling-bench CP
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml | head -1)
export SPARK_LOCAL_IP=127.0.0.1
# local-cluster workers launch executors from SPARK_HOME/jars, which ScalingBench links from the classpath.
export SPARK_HOME="$PWD/benchmarks/target/spark-home" SPARK_SCALA_VERSION=2.13
wait_for_idle
# shellcheck disable=SC2086
exec "$JAVA" $flags -Xss4m -Xmx5g -Dkindling.shared="$PWD/../shared" -Dkindling.executor.flags="$flags" \
    ${KINDLING_BENCH_JVM_OPTS:-} -cp "$CP" dev.kindling.bench.spark.ScalingBench "$@"
