#!/usr/bin/env bash
# Benchmarks `mspod validate` on a generated ~50 MB feed against `xmllint --noout`
# (libxml2, well-formedness only) on the same file: wall time and peak memory
# (maximum resident set size from /usr/bin/time -v), reported as ratios.
#
# Usage: scripts/bench-validate.sh [ITEMS]   (default 58000 items ≈ 50 MB)
# Needs: GNU time (apt-get install time), xmllint (apt-get install libxml2-utils), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS="${1:-58000}"
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

measure() { # prints "wall_s cpu_s max_rss_kb" of the run with the least CPU time
  local best=""
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" > /dev/null 2> "$WORK/time.txt" || true
    local line
    line=$(awk -F': ' '
      /Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; w=s}
      /User time/ {u=$2} /System time/ {y=$2} /Maximum resident set size/ {m=$2}
      END {printf "%.2f %.2f %d\n", w, u+y, m}' "$WORK/time.txt")
    if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN{split(a,x," "); split(b,y," "); exit !(x[2] < y[2])}'; then best=$line; fi
  done
  echo "$best"
}

read -r MW MC MM < <(measure "$BIN" validate --format json "$FEED")
read -r XW XC XM < <(measure xmllint --noout "$FEED")
read -r SW SC SM < <(measure xmllint --noout --stream "$FEED")
"$BIN" validate "$FEED" | tail -1
ratio() { awk "BEGIN{printf \"%.2f\", $1/$2}"; }
mb() { awk "BEGIN{printf \"%.1f\", $1/1024}"; }

cat <<REPORT
feed: $ITEMS items, $SIZE bytes; least-CPU run of $RUNS; $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg); $(xmllint --version 2>&1 | head -1)
| tool | CPU s (user+sys) | wall s | peak RSS MB | CPU vs xmllint | memory vs xmllint |
|---|---|---|---|---|---|
| mspod validate (all offline rules) | $MC | $MW | $(mb "$MM") | $(ratio "$MC" "$XC") | $(ratio "$MM" "$XM") |
| xmllint --noout (DOM) | $XC | $XW | $(mb "$XM") | 1.00 | 1.00 |
| xmllint --noout --stream | $SC | $SW | $(mb "$SM") | $(ratio "$SC" "$XC") | $(ratio "$SM" "$XM") |
REPORT
