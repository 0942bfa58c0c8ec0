#!/usr/bin/env bash
# Spark's GPU discovery script (spark.worker.resource.gpu.discoveryScript,
# spark.executor.resource.gpu.discoveryScript): prints the GPUs this machine or container sees
# as the JSON Spark expects, e.g. {"name":"gpu","addresses":["0","1"]}. The addresses are
# nvidia-smi's indices, which CUDA_VISIBLE_DEVICES inside the container also uses.
set -euo pipefail
indices=$(nvidia-smi --query-gpu=index --format=csv,noheader) || { echo "getGpusResources.sh: nvidia-smi failed (no NVIDIA driver or no GPU visible)" >&2; exit 1; }
addresses=$(printf '%s\n' "$indices" | tr -d ' \r' | grep -E '^[0-9]+$' | sed 's/.*/"&"/' | paste -sd, -)
printf '{"name":"gpu","addresses":[%s]}\n' "$addresses"
