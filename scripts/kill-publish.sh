#!/usr/bin/env bash
# Kills `mspod publish` (kill -9) at random moments while it rebuilds the sample show, then
# publishes again; every time, feeds/ and mspod.lock must equal a clean publish, and
# `publish --check` must fail while an interrupted run's staging folder is left.
# Usage: scripts/kill-publish.sh [N]   (MSPOD_BIN=path/to/mspod; default target/debug/mspod)
set -u
cd "$(dirname "$0")/.."
BIN=${MSPOD_BIN:-$PWD/target/debug/mspod}
N=${1:-80}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ref=$work/ref
mkdir -p "$ref"
cp -r mspod.toml episodes "$ref/"
(cd "$ref" && "$BIN" publish -q)
# Every article edited, so every episode's notes and the feed change.
mutate() { for f in "$1"/episodes/*/article.*; do sed -i 's/the/THE/' "$f"; done; }
clean=$work/clean
cp -r "$ref" "$clean"; mutate "$clean"; (cd "$clean" && "$BIN" publish -q --no-cache)
# How long a rebuild takes, so the kills land anywhere in it.
start=$(date +%s%N); t=$work/timing; cp -r "$ref" "$t"; mutate "$t"
(cd "$t" && "$BIN" publish -q --no-cache); span=$(( ($(date +%s%N) - start) / 1000000 + 1 )); rm -rf "$t"
bad=0 interrupted=0
for i in $(seq 1 "$N"); do
  t=$work/t$i; cp -r "$ref" "$t"; mutate "$t"
  (cd "$t" && exec "$BIN" publish -q --no-cache >/dev/null 2>&1) & pid=$!
  # The writes come last: aim at the second half of the run.
  sleep "$(awk -v ms=$((span / 2 + RANDOM % (span / 2 + 1))) 'BEGIN { printf "%.3f", ms / 1000 }')"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  if ls -a "$t/feeds" 2>/dev/null | grep -q mspod-staging; then
    interrupted=$((interrupted + 1))
    (cd "$t" && "$BIN" publish --check -q >/dev/null 2>&1) && { echo "run $i: --check passed with a staging folder left"; bad=$((bad + 1)); }
  fi
  (cd "$t" && "$BIN" publish -q >/dev/null 2>&1) || { echo "run $i: the next publish failed"; bad=$((bad + 1)); }
  if ! diff -r "$clean/feeds" "$t/feeds" >/dev/null || ! cmp -s "$clean/mspod.lock" "$t/mspod.lock"; then
    echo "run $i: outputs differ from a clean publish"; bad=$((bad + 1))
  fi
  rm -rf "$t"
done
echo "kills=$N rebuild=${span}ms left-a-staging-folder=$interrupted failures=$bad"
[ "$bad" -eq 0 ]
