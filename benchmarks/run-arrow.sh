#!/usr/bin/env bash
# Runs the Arrow bridge benchmark (dev.kindling.bench.arrow.ArrowBridgeBench) and prints its
# Markdown table:   bash benchmarks/run-arrow.sh
# Builds the modules it needs into their target/ folders (never `mvn install`), then runs the main
# class in a JVM with the flags Arrow and FFM need on JDK 25; extra JVM options come from
# KINDLING_BENCH_JVM_OPTS (e.g. KINDLING_BENCH_JVM_OPTS=-Dio.netty.allocator.maxOrder=14).
# Harness options (bench-lib.sh): --repeat N whole runs per report (default 3; the report gives the
# median of the run medians and the min-max), --publish to write into benchmarks/results/ (tracked)
# instead of benchmarks/target/results/ (default, untracked), --results DIR. Each report comes as
# arrow.md, arrow.png (Kindling / peer per row) and runs/arrow-run<i>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench-lib.sh
. benchmarks/bench-lib.sh
parse_harness_args "$@"
pick_jdk
JAVA="$JAVA_HOME/bin/java"
runtime_classpath arrow-bench CP
run_repeated arrow "$JAVA" --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true --sun-misc-unsafe-memory-access=allow ${KINDLING_BENCH_JVM_OPTS:-} \
    -cp "$CP" dev.kindling.bench.arrow.ArrowBridgeBench "${bench_args[@]}"
