#!/usr/bin/env bash
# Runs the sample show's feed through real podcast-app parsers (gPodder's
# podcastparser, feedparser, podcast-partytime, podcast-feed-parser, rss-parser,
# feed-rs, rss) and checks that every one of them reads the same items, GUIDs,
# enclosure lengths (= the files' sizes) and durations (= a full ffmpeg decode,
# ±1 s, from tests/fixtures/sample-show-truth.tsv), and that the judges that read
# podcast:transcript find one of each item's transcript URLs.
#
# The judges harness lives in the shared reference folder (../shared/judges, or
# $JUDGES_DIR). It is copied to target/judges (the shared copy may be read-only)
# and installed there from PyPI, npm and crates.io on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
src="${JUDGES_DIR:-../shared/judges}"
work=target/judges
feed="${1:-feeds/podcast.xml}"

if [[ ! -x "$src/judge-feed" ]]; then
  echo "interop: no judges harness at $src (set JUDGES_DIR)" >&2
  exit 2
fi
mkdir -p "$work"
# Copy the harness, keeping earlier installs (.venv, node, rust-judge/target).
(cd "$src" && tar cf - --exclude=.venv --exclude=node --exclude=target .) | (cd "$work" && tar xf -)
chmod -R u+w "$work"
if "$work/judge-feed" --list 2>&1 | grep -v w3c | grep -q unavailable; then
  (cd "$work" && ./setup) > target/judges-setup.log 2>&1 || { tail -30 target/judges-setup.log; exit 2; }
fi
"$work/judge-feed" --base-url "$(sed -n 's/^feed_url *= *"\(.*\)"/\1/p' mspod.toml)" \
  --json-file target/judges.json "$feed" | tail -n 25
python3 scripts/interop_check.py target/judges.json tests/fixtures/sample-show-truth.tsv "$feed"
# The Podcasting 2.0 tags (people, trailer, license, location, soundbites, video…) as
# podcast-partytime reads them, against the feed itself.
NODE_PATH="$work/node/node_modules" node scripts/interop_tags.js "$feed" > target/interop-tags.json
python3 scripts/interop_tags_check.py target/interop-tags.json "$feed"
