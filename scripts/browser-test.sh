#!/usr/bin/env bash
# The browser test: publishes the sample show and a fresh `mspod init` show,
# then opens every generated page in headless Chromium (tests/browser/).
# Needs Debian's chromium (/usr/bin/chromium, or $CHROMIUM) and node/npm.
#   scripts/browser-test.sh                 test the pages
#   scripts/browser-test.sh --screenshots   also refresh docs/screenshots/
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "browser-test: no Chromium (apt-get install chromium)" >&2; exit 2; }
[ -d tests/browser/node_modules/playwright-core ] || (cd tests/browser && npm ci --no-audit --no-fund --silent)
cargo build --locked --quiet
bin=$root/target/debug/mspod

# media_base_url of a show, read from its mspod.toml.
media_base() { sed -n 's/^media_base_url *= *"\(.*\)".*/\1/p' "$1/mspod.toml" | head -n1; }

shots=()
[ "${1:-}" = "--screenshots" ] && shots=(--screenshots "$root/docs/screenshots")

echo "== browser test: the sample show"
"$bin" publish --check --root "$root" >/dev/null || { echo "feeds/ is out of date: run mspod publish" >&2; exit 1; }
(cd tests/browser && node pages.test.mjs --feeds "$root/feeds" --media-base "$(media_base "$root")" \
  --media-dir "$root/episodes" ${shots[@]+"${shots[@]}"})

echo "== browser test: a new show from mspod init"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" init "$tmp/show" >/dev/null 2>&1
"$bin" publish --root "$tmp/show" >/dev/null 2>&1
(cd tests/browser && node pages.test.mjs --feeds "$tmp/show/feeds" --media-base "$(media_base "$tmp/show")" \
  --media-dir "$tmp/show/episodes")
