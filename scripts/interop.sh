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
#   scripts/interop.sh [FEED]      check FEED (default feeds/podcast.xml)
#   scripts/interop.sh --install   only copy and install the judges (.ci/run does
#                                  this in the background while it compiles)
set -euo pipefail
cd "$(dirname "$0")/.."
src="${JUDGES_DIR:-../shared/judges}"
work=target/judges
install_only=false
[[ "${1:-}" == "--install" ]] && { install_only=true; shift; }
feed="${1:-feeds/podcast.xml}"

if [[ ! -x "$src/judge-feed" ]]; then
  echo "interop: no judges harness at $src (set JUDGES_DIR)" >&2
  exit 2
fi
mkdir -p "$work"
# Copy the harness, keeping earlier installs (.venv, node, rust-judge/target).
(cd "$src" && tar cf - --exclude=.venv --exclude=node --exclude=target .) | (cd "$work" && tar xf -)
chmod -R u+w "$work"
# Set up unless every judge but the optional W3C one says "ready".
if [[ $("$work/judge-feed" --list 2>&1 | grep -v '^w3c') == *unavailable* ]]; then
  # The Rust judge must land in rust-judge/target, where judge-feed looks for it,
  # whatever CARGO_TARGET_DIR says. It parses one small feed: optimising it would
  # only cost build time (opt-level changes no behaviour; overflow checks and
  # debug assertions stay off as in any release build).
  (cd "$work" && env -u CARGO_TARGET_DIR CARGO_PROFILE_RELEASE_OPT_LEVEL=0 ./setup) \
    > target/judges-setup.log 2>&1 || { tail -30 target/judges-setup.log; exit 2; }
fi
$install_only && exit 0
# Every check runs, so one pass shows every failure; any failure fails the script.
status=0
rm -f target/judges.json target/interop-tags.json  # never check a previous run's reports
"$work/judge-feed" --base-url "$(sed -n 's/^feed_url *= *"\(.*\)"/\1/p' mspod.toml)" \
  --json-file target/judges.json "$feed" > target/judges.txt || status=1
tail -n 25 target/judges.txt  # the full report stays in target/judges.txt
python3 scripts/interop_check.py target/judges.json tests/fixtures/sample-show-truth.tsv "$feed" || status=1
# The Podcasting 2.0 tags (people, trailer, license, location, soundbites, video…) as
# podcast-partytime reads them, against the feed itself.
if NODE_PATH="$work/node/node_modules" node scripts/interop_tags.js "$feed" > target/interop-tags.json; then
  python3 scripts/interop_tags_check.py target/interop-tags.json "$feed" || status=1
else
  status=1
fi
exit $status
