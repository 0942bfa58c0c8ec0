#!/usr/bin/env bash
# Builds src/main/cuda/kindling.cu into the fatbinary the cuda module ships:
#   src/main/resources/dev/kindling/cuda/kindling.fatbin   SASS for every ARCHS entry + PTX of PTX_ARCH
#   src/main/resources/dev/kindling/cuda/kindling.fatbin.properties   what it was built from
# Run it after editing a .cu/.cuh file and commit both files; KernelBinaryTest fails while they
# are stale. NVCC=/path/to/nvcc picks another toolkit (a CUDA 12.x nvcc for 12.x drivers: see
# docs/cuda.md). Uncompressed (--no-compress) so that KernelBinary can list its entries without
# cuobjdump. KERNELS_OUT=dir writes elsewhere (KernelBinaryTest rebuilds into a temporary folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/src/main/cuda"
out="${KERNELS_OUT:-$here/src/main/resources/dev/kindling/cuda}"
NVCC="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
ARCHS="${ARCHS:-75 80 86 89 90 100 120}"
PTX_ARCH="${PTX_ARCH:-90}"
# -fmad=false: no contraction of a*b+c, so elementwise and optimizer kernels round each operation
# as the CPU backend does (the GEMM uses explicit fma()).
FLAGS="-fatbin --no-compress -O3 -fmad=false -std=c++17"

gencode=""
for a in $ARCHS; do gencode="$gencode -gencode arch=compute_$a,code=sm_$a"; done
gencode="$gencode -gencode arch=compute_$PTX_ARCH,code=compute_$PTX_ARCH"

mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Compile from a temporary copy so that no absolute path of this checkout ends up in the binary.
cp "$src"/*.cu "$src"/*.cuh "$tmp"/
(cd "$tmp" && "$NVCC" $FLAGS $gencode -o kindling.fatbin kindling.cu)
cp "$tmp/kindling.fatbin" "$out/kindling.fatbin"
version="$("$NVCC" --version | sed -n 's/.*release \([0-9.]*\),.*/\1/p')"
sources_sha="$(cd "$src" && cat $(ls *.cu *.cuh | LC_ALL=C sort) | sha256sum | cut -d' ' -f1)"
{
  echo "# Written by cuda/build-kernels.sh; checked by KernelBinaryTest."
  echo "nvcc.version=$version"
  echo "archs=$ARCHS"
  echo "ptx.arch=$PTX_ARCH"
  echo "flags=$FLAGS"
  echo "sources.sha256=$sources_sha"
  echo "fatbin.sha256=$(sha256sum "$out/kindling.fatbin" | cut -d' ' -f1)"
} > "$out/kindling.fatbin.properties"
echo "built $out/kindling.fatbin ($(stat -c %s "$out/kindling.fatbin") bytes) with nvcc $version for sm_{$ARCHS} + compute_$PTX_ARCH"
