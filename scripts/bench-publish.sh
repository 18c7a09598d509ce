#!/usr/bin/env bash
# Benchmark: `mspod publish` (release build) at N = 1,000 and 10,000 episodes — cold, warm and
# after touching one episode — against a Python baseline (mutagen + python-feedgen, the script a
# team would write instead: scripts/baseline_feedgen.py). Wall time and peak RSS from
# /usr/bin/time; stage timings and "files changed" from `mspod -v publish`.
# Writes benches/RESULTS-publish.md (keeping its hand-written "## Notes" section).
#
# Run from the repository root:
#   scripts/bench-publish.sh                      # builds with cargo build --release --locked
#   MSPOD_BIN=path/to/mspod scripts/bench-publish.sh
# Knobs: NS="1000 10000" (episode counts), ROUNDS=3 (warm/touched/baseline), COLD_ROUNDS=2,
# KEEP=1 keeps the generated shows in bench-out/.
#
# Definitions:
#   cold     fresh content folder: no .mspod/ (metadata cache), no feeds/, no mspod.lock. The show is
#            generated once per N; each cold round deletes those three (the OS page cache stays warm:
#            dropping it would disturb the other users of this shared machine).
#   warm     publish again, nothing changed.
#   article  one episode's article text edited (a different episode each round).
#   audio    one episode's audio replaced by a copy (new inode + mtime) and a title added to its
#            episode.toml (the sample MP3s are hard-linked, so `touch` would touch ~N/4 episodes).
# Needs: python3 >= 3.11 (tomllib) with venv, GNU time, openssl; installs what is missing with apt-get/pip.
set -euo pipefail

NS=${NS:-"1000 10000"}
ROUNDS=${ROUNDS:-3}
COLD_ROUNDS=${COLD_ROUNDS:-2}
OUT=bench-out/publish
RESULTS=${RESULTS:-benches/RESULTS-publish.md}
VENV=target/bench-venv
mkdir -p "$OUT" benches

sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
apt_install() { $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "$@"; }
[ -x /usr/bin/time ] || apt_install time
command -v openssl >/dev/null || apt_install openssl
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import mutagen, feedgen' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q mutagen feedgen
fi
"$VENV/bin/python" -c 'import tomllib' || { echo "python >= 3.11 needed (tomllib)" >&2; exit 2; }

if [ -n "${MSPOD_BIN:-}" ]; then
  BIN=$MSPOD_BIN
else
  cargo build --release --locked
  BIN=target/release/mspod
fi
BIN=$(realpath "$BIN")
VERSION=$("$BIN" --version)
COMMIT=$(git -C "$(dirname "$BIN")" describe --always --dirty 2>/dev/null || echo unknown)
BIN_MTIME=$(date -u -r "$BIN" '+%Y-%m-%d %H:%M:%S UTC')
# MSPOD_BIN may be older than its repository's HEAD; say so rather than claim HEAD.
HEAD_TIME=$(git -C "$(dirname "$BIN")" log -1 --format=%ct 2>/dev/null || echo 0)
BIN_NOTE=""
if [ "$(date -r "$BIN" +%s)" -lt "$HEAD_TIME" ]; then
  BIN_NOTE=" — NOTE: the binary is older than that commit, so it may not include it"
fi
# A private copy: MSPOD_BIN may point at a binary someone rebuilds while this runs.
cp "$BIN" "$OUT/mspod"
BIN=$(realpath "$OUT/mspod")
BIN_SHA=$(sha256sum "$BIN" | cut -c1-12)

# Wall and CPU seconds (user + sys of it and its children) of a command, to the microsecond
# (GNU time prints CPU in 10 ms steps, too coarse for cp at 1,000 episodes).
wall_cpu() {
  # Children's CPU counted from before the command: a python3 started through a wrapper
  # script (pyenv) already has some.
  python3 -c 'import resource, subprocess, sys, time
cpu = lambda: sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f) for f in ("ru_utime", "ru_stime"))
before, t = cpu(), time.perf_counter()
subprocess.run(sys.argv[1:], check=True)
print(f"{time.perf_counter() - t:.4f} {cpu() - before:.4f}")' "$@"
}

TSV=$OUT/runs.tsv
: >"$TSV"
# Row: n, kind, round, wall s, peak KB, files changed, files unchanged, cache hits, probed, stages,
# CPU s (user + sys; less disturbed by the other workers on this machine than wall time)
timed_publish() { # n kind round dir
  local n=$1 kind=$2 round=$3 dir=$4 log=$OUT/log-$1-$2-$3.txt tm=$OUT/time.txt
  # Wall time from the shell clock: /usr/bin/time's %e has 10 ms steps, too coarse for a no-op.
  local t0=$EPOCHREALTIME
  /usr/bin/time -o "$tm" -f '%e %M %U %S' "$BIN" -v publish --allow-future --root "$dir" >"$log" 2>&1 \
    || { echo "mspod publish failed, see $log" >&2; tail -5 "$log" >&2; exit 1; }
  local t1=$EPOCHREALTIME
  read -r secs kb usr sys <"$tm"
  secs=$(awk "BEGIN { printf \"%.4f\", $t1 - $t0 }")
  local summary changed unchanged hits probed stages
  summary=$(grep -E '^published ' "$log" | tail -1 || true)
  changed=$(sed -nE 's/.*; ([0-9]+) files changed, ([0-9]+) unchanged.*/\1/p' <<<"$summary")
  unchanged=$(sed -nE 's/.*; ([0-9]+) files changed, ([0-9]+) unchanged.*/\2/p' <<<"$summary")
  # The incremental no-op path prints "... is up to date (...)" instead of the summary.
  if grep -qE ' is up to date \(' "$log"; then changed=0; unchanged=all; fi
  hits=$(sed -nE 's/^media cache: ([0-9]+) hits, ([0-9]+) probed.*/\1/p' "$log" | tail -1)
  probed=$(sed -nE 's/^media cache: ([0-9]+) hits, ([0-9]+) probed.*/\2/p' "$log" | tail -1)
  # Stage lines look like "     model: 938 ms" (times since start).
  stages=$({ grep -E '^ *[a-z][a-z0-9+-]*: [0-9]+ ms$' "$log" || true; } | sed -E 's/^ *//' | paste -sd ';' -)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$kind" "$round" "$secs" "$kb" \
    "${changed:-?}" "${unchanged:-?}" "${hits:-skipped}" "${probed:-skipped}" "${stages:-}" \
    "$(awk "BEGIN { print $usr + $sys }")" >>"$TSV"
  echo "  N=$n $kind #$round: ${secs}s (cpu $usr+$sys) ${kb}KB, ${changed:-?} files changed, cache ${hits:-skipped} hits/${probed:-skipped} probed"
}

for n in $NS; do
  show=$OUT/show-$n
  if [ ! -e "$show/.generated" ]; then
    rm -rf "$show"
    echo "generating $n episodes in $show ..."
    python3 scripts/gen-show.py "$n" "$show"
    touch "$show/.generated"
  fi
  echo "N=$n"
  for r in $(seq 1 "$COLD_ROUNDS"); do
    rm -rf "$show/.mspod" "$show/feeds" "$show/mspod.lock"
    timed_publish "$n" cold "$r" "$show"
  done
  feed_bytes=$(stat -c %s "$show/feeds/podcast.xml")
  feed_files=$(find "$show/feeds" -type f | wc -l)
  show_bytes=$(du -sk "$show/episodes" | cut -f1)
  # The file system's floor for cold output: copying the same feeds/ tree with cp.
  rm -rf "$OUT/feeds-copy"
  read -r cp_secs cp_cpu < <(wall_cpu cp -r "$show/feeds" "$OUT/feeds-copy")
  rm -rf "$OUT/feeds-copy"
  echo "  N=$n cp -r feeds/: ${cp_secs}s (cpu ${cp_cpu}s)"
  # The work cp does not do and a cold publish must: the SHA-256 of every audio file, which
  # mspod.lock records for each episode. CPU time of OpenSSL (SHA-NI where the CPU has it, as
  # mspod's sha2; files already in the page cache), one process per core.
  read -r secs hash_cpu < <(wall_cpu sh -c "find '$show/episodes' -type f -name 'audio.*' -print0 \
    | xargs -0 -P$(nproc) -n 500 openssl dgst -sha256 >/dev/null")
  echo "  N=$n SHA-256 of the audio: ${secs}s (cpu ${hash_cpu}s)"
  for r in $(seq 1 "$ROUNDS"); do
    timed_publish "$n" warm "$r" "$show"
  done
  for r in $(seq 1 "$ROUNDS"); do
    # A different episode each round, so every round has a real change to pick up.
    ep=$(printf 'ep-%05d' $((n / 2 + r)))
    art=$(ls "$show/episodes/$ep"/article.* | head -1)
    # The quick answer: the episode description in the feed and the top of its show notes.
    sed -i "s/This paragraph 9 adds/This paragraph 9 (edited in benchmark round $r) adds/" "$art"
    timed_publish "$n" article "$r" "$show"
  done
  for r in $(seq 1 "$ROUNDS"); do
    ep=$(printf 'ep-%05d' $((n / 3 + r)))
    a="$show/episodes/$ep/audio.mp3"
    sleep 0.01 # a distinct mtime
    cp "$a" "$a.new" && mv "$a.new" "$a"
    printf 'title = "Retitled in benchmark round %s"\n' "$r" >>"$show/episodes/$ep/episode.toml"
    timed_publish "$n" audio "$r" "$show"
  done
  for r in $(seq 1 "$ROUNDS"); do
    t0=$EPOCHREALTIME
    /usr/bin/time -o "$OUT/time.txt" -f '%e %M %U %S' "$VENV/bin/python" scripts/baseline_feedgen.py \
      "$show" "$OUT/baseline-$n.xml"
    t1=$EPOCHREALTIME
    read -r secs kb usr sys <"$OUT/time.txt"
    secs=$(awk "BEGIN { printf \"%.4f\", $t1 - $t0 }")
    printf '%s\tbaseline\t%s\t%s\t%s\t\t\t\t\t\t%s\n' "$n" "$r" "$secs" "$kb" "$(awk "BEGIN { print $usr + $sys }")" >>"$TSV"
    echo "  N=$n baseline #$r: ${secs}s (cpu $usr+$sys) ${kb}KB"
  done
  base_bytes=$(stat -c %s "$OUT/baseline-$n.xml")
  printf '%s\tmeta\t0\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n' "$n" "$feed_bytes" "$feed_files" "$base_bytes" "$show_bytes" "$cp_secs" "$cp_cpu" "$hash_cpu" >>"$TSV"
  [ "${KEEP:-0}" = 1 ] || rm -rf "$show"
done

MUTAGEN=$("$VENV/bin/python" -c 'import mutagen; print(mutagen.version_string)')
FEEDGEN=$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("feedgen"))')
PYVER=$("$VENV/bin/python" -c 'import platform; print(platform.python_version())')
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')

python3 - "$TSV" "$RESULTS" <<PY
import statistics, sys, re, os
tsv, results = sys.argv[1], sys.argv[2]
rows = [l.rstrip("\n").split("\t") for l in open(tsv) if l.strip()]
ns = sorted({int(r[0]) for r in rows})
def runs(n, kind):
    return [r for r in rows if int(r[0]) == n and r[1] == kind]
def med(n, kind, col):
    # Cold runs are few (1-2) and the noise on a shared machine only adds time: take the best.
    vals = [float(r[col]) for r in runs(n, kind)]
    return min(vals) if kind == "cold" else statistics.median(vals)
def meta(n):
    m = runs(n, "meta")[0]
    return dict(feed=int(m[3]), files=int(m[4]), base=int(m[5]), show_kb=int(m[6]), cp=float(m[7]),
                cp_cpu=float(m[8]) if len(m) > 8 and m[8] else float("nan"),
                hash=float(m[9]) if len(m) > 9 and m[9] else float("nan"))
def fmt_s(s): return f"{s:.2f} s" if s >= 1 else f"{s * 1000:.0f} ms"
def mb(kb): return f"{float(kb) / 1024:.0f} MB"
def ratio(base, x):
    if x <= 0:
        return "–"
    r = base / x
    return f"{r:.0f}×" if r >= 10 else f"{r:.1f}×"

notes = ""
if os.path.exists(results):
    old = open(results).read()
    i = old.find("\n## Notes")
    if i >= 0:
        notes = old[i:]

out = []
w = out.append
w("# \`mspod publish\` at scale\n")
w("Measured by \`scripts/bench-publish.sh\` on a shared machine (2 cores, $CPU; 4 other workers")
w("building and testing at the same time, so expect ±20% noise). Date: $(date -u '+%Y-%m-%d %H:%M UTC').")
w("Binary: \`$VERSION\`, release build; its repository was at \`$COMMIT\` when measured (\`dirty\` = uncommitted changes); binary built $BIN_MTIME$BIN_NOTE, sha256 $BIN_SHA….")
w("Baseline: \`scripts/baseline_feedgen.py\` (Python $PYVER, mutagen $MUTAGEN, feedgen $FEEDGEN) —")
w("episode.toml + mutagen duration + file size → one RSS feed with feedgen's podcast extension; no")
w("articles, no show notes, no cache, no feed checks.\n")
w("Show: \`scripts/gen-show.py N\` (Markdown and HTML articles of ~4 KB, hard links of the four sample")
w("MP3s, one season per 100 episodes). Cold: best of $COLD_ROUNDS run(s); warm, touched and baseline: median of $ROUNDS.")
w("Peak memory = max RSS from \`/usr/bin/time -f %M\`, median over the same runs. mspod ran with \`-v\` (stage")
w("timings; its per-file lines go to a log file). Default \`--jobs\` (one per core).\n")
w("| N | mspod cold | \`cp -r feeds\` floor | cold ÷ floor | SHA-256 of the audio (CPU) | \`cp -r\` + SHA-256 on $(nproc) cores | cold ÷ that | warm | 1 article edited | 1 audio + title changed | mspod peak RSS (cold / 1 edited) | baseline | baseline peak RSS | baseline ÷ cold | baseline ÷ warm | baseline ÷ 1 edited |")
w("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for n in ns:
    c, wm, a, au, b = (med(n, k, 3) for k in ("cold", "warm", "article", "audio", "baseline"))
    cp, sha = meta(n)["cp"], meta(n)["hash"]
    # Both on all cores at once, at best: the CPU of both spread evenly, never less than cp alone.
    both = max(cp, (meta(n)["cp_cpu"] + sha) / $(nproc))
    w(f"| {n:,} | {fmt_s(c)} | {fmt_s(cp)} | {c / cp:.2f}× | {fmt_s(sha)} | {fmt_s(both)} | {c / both:.2f}× | {fmt_s(wm)} | {fmt_s(a)} | {fmt_s(au)} | {mb(med(n,'cold',4))} / {mb(med(n,'article',4))} "
      f"| {fmt_s(b)} | {mb(med(n,'baseline',4))} | {ratio(b, c)} | {ratio(b, wm)} | {ratio(b, a)} |")
w("\nRatios > 1× mean mspod is faster than the baseline; *cold ÷ floor* < 1.25× is the goal of issue 15.")
w("*SHA-256 of the audio*: CPU time of \`openssl dgst -sha256\` over every audio file — work a cold publish")
w("must do (mspod.lock records each file's SHA-256) and \`cp -r\` does not. *\`cp -r\` + SHA-256*: both")
w("spread evenly over the cores ((cp's CPU + the hashing's CPU) ÷ cores, at least cp's wall time): a")
w("floor no cold publish can beat on this machine. Against issue 15's goal (1.25 × \`cp -r\`):")
for n in ns:
    cp = meta(n)["cp"]
    both = max(cp, (meta(n)["cp_cpu"] + meta(n)["hash"]) / $(nproc))
    w(f"{n:,} episodes: goal {fmt_s(1.25 * cp)}, floor {fmt_s(both)} ({'above' if both > 1.25 * cp else 'below'} the goal).")
w("")
w("CPU time (user + sys, median) — steadier than wall time on this shared machine:\n")
w("| N | mspod cold | warm | 1 article edited | 1 audio + title changed | baseline | baseline ÷ cold | baseline ÷ warm |")
w("|---|---|---|---|---|---|---|---|")
for n in ns:
    c, wm, a, au, b = (med(n, k, 10) for k in ("cold", "warm", "article", "audio", "baseline"))
    w(f"| {n:,} | {fmt_s(c)} | {fmt_s(wm)} | {fmt_s(a)} | {fmt_s(au)} | {fmt_s(b)} | {ratio(b, c)} | {ratio(b, wm)} |")
w("")
w("## What each run changed\n")
w("From mspod's own summary line (\`N files changed, M unchanged\`, the lock file not counted) and")
w("\`media cache: H hits, P probed\` (the median run's values shown; all runs in the raw table below).\n")
w("| N | run | files changed | unchanged | cache hits | probed |")
w("|---|---|---|---|---|---|")
for n in ns:
    for k in ("cold", "warm", "article", "audio"):
        rs = runs(n, k)
        changed = "/".join(r[5] for r in rs)
        w(f"| {n:,} | {k} | {changed} | {rs[-1][6]} | {'/'.join(r[7] for r in rs)} | {'/'.join(r[8] for r in rs)} |")
w("\n## Outputs\n")
w("| N | feeds/podcast.xml | files in feeds/ | baseline feed | audio + articles on disk | \`cp -r feeds\` (file-system floor for a cold write) |")
w("|---|---|---|---|---|---|")
for n in ns:
    m = meta(n)
    w(f"| {n:,} | {m['feed']/1024/1024:.1f} MB | {m['files']:,} | {m['base']/1024/1024:.1f} MB | {m['show_kb']/1024:.0f} MB (hard links counted once) | {fmt_s(m['cp'])} |")
if len(ns) >= 2:
    lo, hi = ns[0], ns[-1]
    w(f"\n## Linearity ({lo:,} → {hi:,} episodes, ×{hi/lo:g})\n")
    w("Wall time per episode (ms) and peak RSS at each N; the ratios compare the largest N with the smallest")
    w(f"(linear time = ×{hi/lo:g}; bounded memory = ×1).\n")
    w("| run | " + " | ".join(f"ms/episode at {n:,}" for n in ns) + " | time ratio | " + " | ".join(f"RSS at {n:,}" for n in ns) + " | RSS ratio |")
    w("|---|" + "---|" * (2 * len(ns) + 2))
    for k in ("cold", "warm", "article", "audio", "baseline"):
        per = " | ".join(f"{med(n, k, 3) / n * 1000:.3f}" for n in ns)
        rss = " | ".join(mb(med(n, k, 4)) for n in ns)
        w(f"| {k} | {per} | ×{med(hi, k, 3) / med(lo, k, 3):.1f} | {rss} | ×{med(hi, k, 4) / med(lo, k, 4):.1f} |")
w("\n## Where the time goes (mspod -v, the median run of each kind, the best cold run)\n")
w("Milliseconds per stage (differences of the \`-v\` stage stamps, so each column is the time since the")
w("previous stamp); *after last stamp* = the rest of the wall time (whatever follows the last stamp, process exit).\n")
def stages(r):
    out, prev = [], 0
    for part in filter(None, r[9].split(";")):
        name, ms = part.rsplit(":", 1)
        ms = int(ms.strip().split()[0])
        out.append((name.strip(), ms - prev))
        prev = ms
    out.append(("after last stamp", float(r[3]) * 1000 - prev))
    return out
names = []
for r in rows:
    if r[1] not in ("meta", "baseline"):
        for name, _ in stages(r):
            if name not in names:
                names.append(name)
w("| N | run | wall | " + " | ".join(names) + " |")
w("|---|---|---|" + "---|" * len(names))
for n in ns:
    for k in ("cold", "warm", "article", "audio"):
        rs = sorted(runs(n, k), key=lambda r: float(r[3]))
        r = rs[0] if k == "cold" else rs[(len(rs) - 1) // 2]
        d = dict(stages(r))
        w(f"| {n:,} | {k} | {fmt_s(float(r[3]))} | " + " | ".join(f"{d[x]:.0f}" if x in d else "–" for x in names) + " |")
w("\n## Every run (stage stamps are ms since start)\n")
w("| N | run | # | wall s | CPU s | peak KB | stages |")
w("|---|---|---|---|---|---|---|")
for r in rows:
    if r[1] in ("meta",):
        continue
    w(f"| {int(r[0]):,} | {r[1]} | {r[2]} | {r[3]} | {r[10]} | {r[4]} | {r[9].replace(';', '; ')} |")
w("\n## Commands\n")
w("\`\`\`sh")
w("MSPOD_BIN=${MSPOD_BIN:-target/release/mspod} NS=\"$NS\" ROUNDS=$ROUNDS COLD_ROUNDS=$COLD_ROUNDS scripts/bench-publish.sh")
w("# which, per N, runs:")
w("python3 scripts/gen-show.py N bench-out/publish/show-N")
w("rm -rf SHOW/.mspod SHOW/feeds SHOW/mspod.lock   # before each cold run")
w("/usr/bin/time -f '%e %M %U %S' mspod -v publish --allow-future --root SHOW   # gen-show dates run past today at 10,000")
w("/usr/bin/time -f '%e %M %U %S' target/bench-venv/bin/python scripts/baseline_feedgen.py SHOW out.xml")
w("\`\`\`")
text = "\n".join(out) + "\n" + notes
open(results, "w").write(text)
print(text[: text.find("## Stage timings")])
PY
