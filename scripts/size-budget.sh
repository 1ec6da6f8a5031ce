#!/usr/bin/env bash
# The size budget of a release build: gzip -9 of its .wasm + .js (sw.js aside, it is not the app).
#
# Two numbers, both printed: the TARGET the product aims for (350 KB, issue "Measured speed and
# size"), and the CEILING that fails the build. The target is not met yet (see BENCHMARKS.md); the
# ceiling sits just above today's size so the app cannot silently grow while the gap is closed.
# Exits 1 over the ceiling. 1 KB = 1024 bytes.
# Usage: scripts/size-budget.sh [dist=dist] [ceiling_kb=700] [target_kb=350]
set -euo pipefail
dir=${1:-dist}; ceiling_kb=${2:-700}; target_kb=${3:-350}
total=0; n=0
for f in "$dir"/*.wasm "$dir"/*.js; do
  [ -e "$f" ] || continue
  [ "$(basename "$f")" = sw.js ] && continue
  total=$((total + $(gzip -9c "$f" | wc -c))); n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "size-budget: no .wasm or .js in $dir (build it first)" >&2; exit 2; }
kb=$((total / 1024))
if [ "$total" -le $((target_kb * 1024)) ]; then
  echo "size-budget: gzipped wasm + js = $total bytes ($kb KB): within the ${target_kb} KB target"
else
  echo "size-budget: gzipped wasm + js = $total bytes ($kb KB): the ${target_kb} KB target is NOT met (see BENCHMARKS.md)"
fi
if [ "$total" -gt $((ceiling_kb * 1024)) ]; then
  echo "size-budget: $kb KB is over the ${ceiling_kb} KB ceiling: the app grew; shrink it before landing" >&2
  exit 1
fi
echo "size-budget: under the ${ceiling_kb} KB ceiling that guards against growth"
