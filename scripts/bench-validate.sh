#!/usr/bin/env bash
# Benchmarks `mspod validate` on a generated ~50 MB feed against `xmllint --noout`
# (libxml2, well-formedness only) on the same file: wall time and peak memory
# (maximum resident set size from /usr/bin/time -v), reported as ratios.
#
# Usage: scripts/bench-validate.sh [ITEMS]   (default 100000 items ≈ 50 MB)
# Needs: GNU time (apt-get install time), xmllint (apt-get install libxml2-utils), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS="${1:-100000}"
RUNS=3

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
command -v xmllint >/dev/null || { apt-get update -qq && apt-get install -y -qq libxml2-utils; }

cargo build --release --quiet
BIN=target/release/mspod
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FEED="$WORK/big.xml"

# A valid feed: the fixture's channel, then ITEMS items like the fixture's, each with a
# few hundred bytes of show notes.
python3 - "$FEED" "$ITEMS" <<'PY'
import sys, datetime
path, n = sys.argv[1], int(sys.argv[2])
src = open("tests/fixtures/validate/valid-mspod.xml", encoding="utf-8").read()
head = src[: src.index("    <item>")]
tail = src[src.rindex("</item>") + len("</item>\n"):]
notes = "<p>" + "Notes about the episode, with a link to <a href=\"https://example.com/\">the site</a>. " * 4 + "</p>"
start = datetime.datetime(2025, 11, 1, 10, 0, 0)
with open(path, "w", encoding="utf-8") as f:
    f.write(head)
    for i in range(n):
        d = (start - datetime.timedelta(hours=i)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        f.write(f"""    <item>
      <title>Episode {i}</title>
      <link>https://example.com/episodes/{i}</link>
      <guid isPermaLink="false">ep-{i:08d}-5f2c</guid>
      <pubDate>{d}</pubDate>
      <enclosure url="https://cdn.example.com/{i}/audio.mp3" length="{1000000 + i}" type="audio/mpeg"/>
      <itunes:duration>{600 + i % 3000}</itunes:duration>
      <itunes:episode>{i + 1}</itunes:episode>
      <itunes:explicit>false</itunes:explicit>
      <description><![CDATA[{notes}]]></description>
    </item>
""")
    f.write(tail)
PY
SIZE=$(stat -c %s "$FEED")

measure() { # prints "seconds max_rss_kb" for the best (fastest) of RUNS runs
  local best_t="" best_m=""
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" > /dev/null 2> "$WORK/time.txt" || true
    local t m
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/time.txt")
    m=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
    if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
  done
  echo "$best_t $best_m"
}

read -r MT MM < <(measure "$BIN" validate --format json "$FEED")
read -r XT XM < <(measure xmllint --noout "$FEED")
read -r XST XSM < <(measure xmllint --noout --stream "$FEED")
"$BIN" validate "$FEED" | tail -1

cat <<REPORT
feed: $ITEMS items, $SIZE bytes; best of $RUNS runs; $(nproc) cores; $(xmllint --version 2>&1 | head -1)
| tool | wall s | peak RSS MB | time vs xmllint | memory vs xmllint |
|---|---|---|---|---|
| mspod validate (all offline rules) | $MT | $(awk "BEGIN{printf \"%.1f\", $MM/1024}") | $(awk "BEGIN{printf \"%.2f\", $MT/$XT}") | $(awk "BEGIN{printf \"%.3f\", $MM/$XM}") |
| xmllint --noout (DOM) | $XT | $(awk "BEGIN{printf \"%.1f\", $XM/1024}") | 1.00 | 1.000 |
| xmllint --noout --stream | $XST | $(awk "BEGIN{printf \"%.1f\", $XSM/1024}") | $(awk "BEGIN{printf \"%.2f\", $XST/$XT}") | $(awk "BEGIN{printf \"%.3f\", $XSM/$XM}") |
REPORT
