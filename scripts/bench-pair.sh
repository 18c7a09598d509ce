#!/usr/bin/env bash
# Reproduces the pairing table in README.md: generates one 1,000-episode archive
# and three of 300 (fixed seeds), then measures `mspod pair` on them.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/gen-archive.py "$work/a1000" --episodes 1000 --seed 9
for seed in 1 2 3; do
  python3 scripts/gen-archive.py "$work/b$seed" --episodes 300 --seed "$seed"
done
python3 scripts/eval-pairing.py --mspod target/release/mspod --runs 5 \
  "$work/a1000" "$work/b1" "$work/b2" "$work/b3"
