#!/usr/bin/env bash
# The one prepared check for a GPU machine (issue 13), run from the repository root there, e.g.
#   run(command="bash scripts/gpu-check.sh", carry=["gpu-bundle"], timeout_s=540)
# after scripts/gpu-bundle.sh [--jdk] here. Needs no network and builds nothing. Writes under $OUT:
#   gpu-check.log (everything), kindling.txt (GPU tests, SGEMM, MLP step, allocator stats),
#   torch.txt (the same SGEMM sizes and MLP step in PyTorch eager, TF32 off),
#   spark-fit.txt (a Spark fit with device("cuda") next to the same fit on the CPU).
set -uo pipefail
OUT="${OUT:-$PWD/gpu-check-out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu-check.log") 2>&1
B=gpu-bundle
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi failed"
JAVA="$(command -v java || true)"
if [ -x "$B/jdk/bin/java" ]; then JAVA="$B/jdk/bin/java"; fi
if [ -z "$JAVA" ] || ! "$JAVA" -version 2>&1 | grep -q 'version "25'; then
  echo "no JDK 25 here (java: ${JAVA:-none}); rebuild the bundle with scripts/gpu-bundle.sh --jdk"; exit 2
fi
# cuBLAS 13 for the FFM path: the toolkit's, else the one PyTorch's wheels bring.
CUBLAS="$(ls /usr/local/cuda/lib64/libcublas.so.13 2>/dev/null || python3 -c 'import nvidia, os, glob; print((glob.glob(os.path.join(list(nvidia.__path__)[0], "*", "lib", "libcublas.so.13")) + [""])[0])' 2>/dev/null)"
echo "libcublas.so.13: ${CUBLAS:-not found}"
# The resources directory goes first: it holds the fatbinary the bundle leaves out.
CP="cuda/src/main/resources:$B/cuda-classes:$B/cuda-test-classes:$B/core-classes:$(ls "$B"/lib/*.jar | paste -sd:)"
timeout 420 "$JAVA" --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow -Xss4m ${CUBLAS:+-Dkindling.cuda.cublas=$CUBLAS} -cp "$CP" dev.kindling.cuda.GpuCheck | tee "$OUT/kindling.txt"
timeout 120 python3 - <<'PY' | tee "$OUT/torch.txt"
import torch
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))
def timed(fn, reps):
    fn(); torch.cuda.synchronize()
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    s.record()
    for _ in range(reps): fn()
    e.record(); torch.cuda.synchronize()
    return s.elapsed_time(e) / reps
for n in (1024, 2048, 4096, 8192):
    a, b = torch.rand(n, n, device="cuda") * 2 - 1, torch.rand(n, n, device="cuda") * 2 - 1
    ms = timed(lambda: torch.matmul(a, b), 10 if n >= 4096 else 50)
    print(f"sgemm n={n} ms={ms:.4f} tflops={2 * n ** 3 / (ms * 1e9):.2f}")
torch.manual_seed(1)
net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(),
                          torch.nn.Linear(128, 10)).cuda()
opt = torch.optim.Adam(net.parameters(), 1e-3)
x, y = torch.rand(128, 784, device="cuda"), (torch.arange(128, device="cuda") * 7) % 10
def step():
    opt.zero_grad(); torch.nn.functional.cross_entropy(net(x), y).backward(); opt.step()
for _ in range(50): step()
import time
torch.cuda.synchronize(); t = time.perf_counter()
for _ in range(1000): step()
torch.cuda.synchronize()  # seconds for 1000 steps = milliseconds per step
print(f"mlp step_ms={(time.perf_counter() - t):.4f} (784-256-128-10, batch 128, Adam, 1000 steps)")
print("torch reserved after 1000 steps:", torch.cuda.memory_reserved())
PY
# Spark step: a small fit with device("cuda") on local[1] Spark, next to the same fit on the CPU
# (GpuFitCheck). Local mode cannot schedule tasks that ask for spark.task.resource.gpu.amount (they
# wait forever), so "cuda" there means device 0; Spark's GPU scheduling is tested on a local cluster. Spark's jars (~370 MiB) exceed what the device tool carries (64 MiB), so
# they must already be on the GPU machine: SPARK_JARS_DIR, $SPARK_HOME/jars or pyspark's jars.
SPARK_JARS_DIR="${SPARK_JARS_DIR:-${SPARK_HOME:+$SPARK_HOME/jars}}"
if [ -z "$SPARK_JARS_DIR" ]; then
  SPARK_JARS_DIR="$(python3 -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))' 2>/dev/null)"
fi
if [ -n "$SPARK_JARS_DIR" ] && [ -d "$SPARK_JARS_DIR" ] && [ -d "$B/spark-classes" ]; then
  echo "Spark jars: $SPARK_JARS_DIR"
  SPARK_FLAGS="--add-modules=jdk.incubator.vector --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
  SCP="$B/spark-classes:$B/spark-test-classes:$B/arrow-classes:cuda/src/main/resources:$B/cuda-classes:$B/core-classes"
  SCP="$SCP:$(ls "$B"/lib/jcuda*.jar "$B"/lib/jcublas*.jar | paste -sd:):$SPARK_JARS_DIR/*"
  # shellcheck disable=SC2086
  timeout 240 "$JAVA" $SPARK_FLAGS -Xss4m ${CUBLAS:+-Dkindling.cuda.cublas=$CUBLAS} -cp "$SCP" \
    dev.kindling.spark.gpu.GpuFitCheck scripts/gpu-discovery.sh 2>&1 | grep -v ' INFO ' | tee "$OUT/spark-fit.txt"
else
  echo "spark fit: skipped: no Spark jars on this machine (set SPARK_JARS_DIR or SPARK_HOME, or install pyspark)," \
    "or no spark-classes in $B (rerun scripts/gpu-bundle.sh)" | tee "$OUT/spark-fit.txt"
fi
echo "results in $OUT"
