#!/usr/bin/env bash
# Spark resource discovery script for GPUs on standalone (and YARN) clusters:
#   spark.executor.resource.gpu.discoveryScript=/path/to/gpu-discovery.sh
#   spark.worker.resource.gpu.discoveryScript=/path/to/gpu-discovery.sh   (standalone workers)
# Prints the resource as Spark expects it, one address per GPU that nvidia-smi lists:
#   {"name":"gpu","addresses":["0","1"]}
# The addresses are nvidia-smi indices; Kindling maps them to CUDA devices (GpuAssignment), also
# under CUDA_VISIBLE_DEVICES. With no nvidia-smi or no GPU it prints an empty address list.
set -uo pipefail
indices="$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null | tr -d ' \r' | grep -E '^[0-9]+$')"
addresses="$(printf '%s\n' "$indices" | grep -v '^$' | sed 's/.*/"&"/' | paste -sd, -)"
printf '{"name":"gpu","addresses":[%s]}\n' "$addresses"
