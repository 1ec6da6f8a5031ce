#!/usr/bin/env bash
# Prints the size of each .wasm and .js file a browser downloads from a build, raw and gzipped
# (gzip -9, what a static server would send), and their total.
set -euo pipefail
dir=${1:-dist}
total_raw=0; total_gz=0
printf '%-48s %12s %12s\n' file raw gzipped
for f in "$dir"/*.wasm "$dir"/*.js; do
  [ -e "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-48s %12d %12d\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-48s %12d %12d\n' total "$total_raw" "$total_gz"
