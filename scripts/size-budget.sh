#!/usr/bin/env bash
# The size budget of a release build: gzip -9 of its .wasm + .js (sw.js aside, it is not the app)
# must be at most BUDGET_KB kilobytes (1 KB = 1024 bytes). Prints both numbers; exits 1 over it.
# Usage: scripts/size-budget.sh [dist=dist] [budget_kb=350]
set -euo pipefail
dir=${1:-dist}; budget_kb=${2:-350}
total=0; n=0
for f in "$dir"/*.wasm "$dir"/*.js; do
  [ -e "$f" ] || continue
  [ "$(basename "$f")" = sw.js ] && continue
  total=$((total + $(gzip -9c "$f" | wc -c))); n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "size-budget: no .wasm or .js in $dir (build it first)" >&2; exit 2; }
budget=$((budget_kb * 1024))
if [ "$total" -le "$budget" ]; then
  echo "size-budget: gzipped wasm + js = $total bytes ($((total / 1024)) KB) <= budget $budget bytes (${budget_kb} KB)"
else
  echo "size-budget: gzipped wasm + js = $total bytes ($((total / 1024)) KB) is OVER the budget of $budget bytes (${budget_kb} KB)" >&2
  exit 1
fi
