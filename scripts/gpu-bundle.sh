#!/usr/bin/env bash
# Prepares gpu-bundle/ (git-ignored) for scripts/gpu-check.sh on a GPU machine that has no Maven
# and no registry access: compiled classes of core and cuda (main and test) and the jars they need,
# plus, with --jdk, a jlink image of this JDK 25 for a machine without one. The fatbinary is not
# copied: it travels with the working tree (cuda/src/main/resources), which gpu-check puts on the
# class path. Sizes: jars ~36 MiB, JDK image ~40 MiB; the device tool carries 64 MiB, so use --jdk
# only when the GPU machine has no JDK 25.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
rm -rf gpu-bundle && mkdir -p gpu-bundle/lib
# One invocation, so that the reactor resolves kindling-core to core/target/classes (never installed).
mvn -o -q -pl cuda -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/gpu-bundle/cp.txt"
tr ':' '\n' < gpu-bundle/cp.txt | grep '\.jar$' | grep -v -- '-macosx-\|-windows-' \
  | while read -r jar; do cp "$jar" gpu-bundle/lib/; done
rm gpu-bundle/cp.txt
cp -r core/target/classes gpu-bundle/core-classes
mkdir -p gpu-bundle/cuda-classes && (cd cuda/target/classes && tar cf - --exclude='*.fatbin*' .) | (cd gpu-bundle/cuda-classes && tar xf -)
cp -r cuda/target/test-classes gpu-bundle/cuda-test-classes
# The Spark step of gpu-check (GpuFitCheck): Kindling's Spark and Arrow classes; Spark's own jars
# (Arrow included) are too big to carry and must be on the GPU machine.
mvn -o -q -pl spark-connector -am test-compile
cp -r spark-connector/target/classes gpu-bundle/spark-classes
mkdir -p gpu-bundle/spark-test-classes/dev/kindling/spark/gpu
cp spark-connector/target/test-classes/dev/kindling/spark/gpu/GpuFitCheck*.class gpu-bundle/spark-test-classes/dev/kindling/spark/gpu/
cp spark-connector/target/test-classes/dev/kindling/spark/SparkTestSupport*.class gpu-bundle/spark-test-classes/dev/kindling/spark/
cp -r arrow-bridge/target/classes gpu-bundle/arrow-classes
if [ "${1:-}" = "--jdk" ]; then
  jlink --add-modules java.base,java.logging,java.management,java.desktop,jdk.unsupported,java.naming,java.sql,java.xml,java.security.jgss,java.security.sasl,jdk.management,jdk.incubator.vector \
        --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output gpu-bundle/jdk
fi
du -sh gpu-bundle
