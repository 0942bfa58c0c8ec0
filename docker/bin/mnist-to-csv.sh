#!/usr/bin/env bash
# Writes MNIST's IDX files (raw or .gz, as scripts/fetch-data.sh or yann.lecun.com give them) as
# the CSV TrainJob reads: a header row p0,...,p783,label, then one row per image, pixels 0-255.
#
#   mnist-to-csv.sh DIR OUT.csv [train|t10k]      (default: train, 60,000 rows)
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
dir=$1 out=$2 set=${3:-train}

idx() {  # the bytes of an IDX file, whether stored raw or gzipped
  local f="$dir/$1"
  if [[ -f "$f" ]]; then cat "$f"
  elif [[ -f "$f.gz" ]]; then gzip -dc "$f.gz"
  else echo "mnist-to-csv.sh: neither $f nor $f.gz exists" >&2; exit 1
  fi
}
header() {  # the first n big-endian 32-bit words of an IDX file
  idx "$1" | head -c $((4 * $2)) | od -An -v -tu1 | xargs -n4 | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}' | paste -sd' '
}
read -r magic images rows cols <<< "$(header "$set-images-idx3-ubyte" 4)"
read -r lmagic labels <<< "$(header "$set-labels-idx1-ubyte" 2)"
[[ $magic == 2051 && $rows == 28 && $cols == 28 ]] || { echo "mnist-to-csv.sh: $dir/$set-images-idx3-ubyte: header $magic $images $rows $cols is not MNIST's (2051 N 28 28)" >&2; exit 1; }
[[ $lmagic == 2049 && $labels == "$images" ]] || { echo "mnist-to-csv.sh: $dir/$set-labels-idx1-ubyte: header $lmagic $labels does not match $images images" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
idx "$set-images-idx3-ubyte" | tail -c +17 | od -An -v -tu1 -w784 | sed -e 's/^ *//' -e 's/  */,/g' > "$tmp/pixels"
idx "$set-labels-idx1-ubyte" | tail -c +9 | od -An -v -tu1 -w1 | tr -d ' ' > "$tmp/labels"
[[ $(wc -l < "$tmp/pixels") == "$images" && $(wc -l < "$tmp/labels") == "$images" ]] || { echo "mnist-to-csv.sh: $dir/$set: fewer rows than the header's $images (truncated file?)" >&2; exit 1; }
{ printf 'p%d,' $(seq 0 783); echo label; paste -d, "$tmp/pixels" "$tmp/labels"; } > "$out"
echo "mnist-to-csv.sh: $images images of $dir/$set -> $out"
