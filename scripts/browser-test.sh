#!/usr/bin/env bash
# The browser test: publishes the sample show and a fresh `mspod init` show,
# then opens every generated page in headless Chromium (tests/browser/).
# Needs Debian's chromium (/usr/bin/chromium, or $CHROMIUM) and node/npm.
#   scripts/browser-test.sh                 test the pages
#   scripts/browser-test.sh --screenshots   also refresh docs/screenshots/
# $MSPOD_BIN: an mspod binary to test instead of building one (.ci/run passes the
# one `cargo test` built: `cargo build` would compile the crate again, ~1 min).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "browser-test: no Chromium (apt-get install chromium)" >&2; exit 2; }
[ -d tests/browser/node_modules/playwright-core ] || (cd tests/browser && npm ci --no-audit --no-fund --silent)
if [ -n "${MSPOD_BIN:-}" ]; then
  bin=$MSPOD_BIN
else
  cargo build --locked --quiet
  bin=${CARGO_TARGET_DIR:-$root/target}/debug/mspod
fi
[ -x "$bin" ] || { echo "browser-test: no mspod binary at $bin" >&2; exit 2; }

# media_base_url of a show, read from its mspod.toml.
media_base() { sed -n 's/^media_base_url *= *"\(.*\)".*/\1/p' "$1/mspod.toml" | head -n1; }
# Runs a command quietly; on failure shows its output and fails.
quiet() {
  local out
  out=$("$@" 2>&1) || { printf '%s\n' "$out" >&2; echo "browser-test: failed: $*" >&2; return 1; }
}

shots=()
[ "${1:-}" = "--screenshots" ] && shots=(--screenshots "$root/docs/screenshots")
status=0  # both shows are tested even when the first fails

echo "== browser test: the sample show"
"$bin" publish --check --root "$root" >/dev/null || { echo "feeds/ is out of date: run mspod publish" >&2; exit 1; }
(cd tests/browser && node pages.test.mjs --feeds "$root/feeds" --media-base "$(media_base "$root")" \
  --media-dir "$root/episodes" ${shots[@]+"${shots[@]}"}) || status=1

echo "== browser test: a new show from mspod init"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
quiet "$bin" init "$tmp/show"
quiet "$bin" publish --root "$tmp/show"
(cd tests/browser && node pages.test.mjs --feeds "$tmp/show/feeds" --media-base "$(media_base "$tmp/show")" \
  --media-dir "$tmp/show/episodes") || status=1
exit $status
