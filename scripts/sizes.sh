#!/usr/bin/env bash
# Prints the size of each .wasm and .js file a browser can download from a build, raw and gzipped
# (gzip -9, what a compressing server sends), the split build's chunks (split/) as one line, and
# the total. Which of them a first visit needs is scripts/first-visit.mjs's question.
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
n=0; split_raw=0; split_gz=0
for f in "$dir"/split/*; do
  [ -e "$f" ] || continue
  n=$((n + 1)); split_raw=$((split_raw + $(stat -c %s "$f"))); split_gz=$((split_gz + $(gzip -9c "$f" | wc -c)))
done
if [ "$n" -gt 0 ]; then
  printf '%-48s %12d %12d\n' "split/ ($n chunks and the loader)" "$split_raw" "$split_gz"
  total_raw=$((total_raw + split_raw)); total_gz=$((total_gz + split_gz))
fi
printf '%-48s %12d %12d\n' total "$total_raw" "$total_gz"
