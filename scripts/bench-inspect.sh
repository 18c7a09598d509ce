#!/usr/bin/env bash
# Benchmark: `mspod inspect --json` (release build) against ffprobe (one process per file,
# as user scripts run it) and mutagen (one Python process for all files), in files/s and as
# ratios, plus an accuracy table against a full ffmpeg decode (decoded samples ÷ rate).
#
# Builds its corpus (not committed) in bench-out/ (gitignored): 42 files, two of them
# 60-minute episodes, every format mspod reads. Writes benches/RESULTS-inspect.md.
# Needs: ffmpeg, ffprobe, lame (apt-get install -y ffmpeg lame), python3 + mutagen
# (pip install mutagen). Run from the repository root. ROUNDS=5 by default.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
OUT=bench-out
CORPUS=$OUT/corpus
mkdir -p "$CORPUS" "$OUT/src" benches

need() { command -v "$1" >/dev/null 2>&1; }
if ! need ffmpeg || ! need lame; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq ffmpeg lame
fi
python3 -c "import mutagen" 2>/dev/null || pip install -q mutagen

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }

# Source audio: a tone sweep under pink noise, with quiet stretches so VBR bitrates vary.
src() { # seconds -> path of a 44.1 kHz mono WAV
  local s=$1 f="$OUT/src/src-$1.wav"
  if [ ! -s "$f" ]; then
    ff -f lavfi -i "sine=frequency=220:duration=$s:sample_rate=44100" \
       -f lavfi -i "anoisesrc=duration=$s:color=pink:sample_rate=44100:amplitude=0.25:seed=3" \
       -filter_complex "[0][1]amix=inputs=2:normalize=0,volume='if(lt(mod(t,40),8),0.05,1)':eval=frame" \
       -ac 1 -c:a pcm_s16le "$f"
  fi
  echo "$f"
}

if [ ! -e "$CORPUS/.done" ]; then
  echo "building corpus in $CORPUS ..."
  rm -f "$CORPUS"/*
  for s in 20 60 180 600; do
    w=$(src "$s")
    lame --quiet -b 128 "$w" "$CORPUS/mp3-cbr128-$s.mp3"
    lame --quiet -V 4 "$w" "$CORPUS/mp3-vbr-xing-$s.mp3"
    lame --quiet -V 4 -t "$w" "$CORPUS/mp3-vbr-noxing-$s.mp3"
    lame --quiet -b 32 --resample 22.05 "$w" "$CORPUS/mp3-mpeg2-22k-$s.mp3"
    ff -i "$w" -c:a aac -b:a 64k "$CORPUS/m4a-aac-$s.m4a"
    ff -i "$w" -ar 16000 -c:a alac "$CORPUS/m4a-alac-$s.m4a"
    ff -i "$w" -c:a libvorbis -q:a 2 "$CORPUS/ogg-vorbis-$s.ogg"
    ff -i "$w" -c:a libopus -b:a 32k "$CORPUS/opus-$s.opus"
    ff -i "$w" -ar 22050 -c:a flac "$CORPUS/flac-$s.flac"
    ff -i "$w" -ar 16000 -c:a pcm_s16le "$CORPUS/wav-$s.wav"
  done
  # Two 60-minute episodes: CBR with ID3 chapters and a cover, and VBR without a Xing header.
  ff -f lavfi -i "sine=frequency=220:duration=3600:sample_rate=44100" \
     -f lavfi -i "anoisesrc=duration=3600:color=pink:sample_rate=44100:amplitude=0.25:seed=5" \
     -filter_complex "[0][1]amix=inputs=2:normalize=0,volume='if(lt(mod(t,40),8),0.05,1)':eval=frame" \
     -ac 1 -c:a pcm_s16le "$OUT/src/src-3600.wav"
  lame --quiet -b 96 "$OUT/src/src-3600.wav" "$CORPUS/episode-60min-cbr96.mp3"
  lame --quiet -V 5 -t "$OUT/src/src-3600.wav" "$CORPUS/episode-60min-vbr-noxing.mp3"
  rm -f "$OUT/src/src-3600.wav"
  python3 - "$CORPUS/episode-60min-cbr96.mp3" <<'PY'
import sys
from mutagen.id3 import ID3, TIT2, TPE1, APIC, CHAP, CTOC, CTOCFlags
p = sys.argv[1]
t = ID3()
t.add(TIT2(encoding=3, text="Episode"))
t.add(TPE1(encoding=3, text="Host"))
t.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="", data=b"\xff\xd8\xff\xe0" + bytes(600_000)))
ids = []
for i in range(12):
    ids.append("c%d" % i)
    t.add(CHAP(element_id="c%d" % i, start_time=i * 300000, end_time=(i + 1) * 300000,
               sub_frames=[TIT2(encoding=3, text="Part %d" % (i + 1))]))
t.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids))
t.save(p, v2_version=3)
PY
  touch "$CORPUS/.done"
fi

cargo build --release --quiet
BIN=target/release/mspod
mapfile -t FILES < <(find "$CORPUS" -type f ! -name '.*' | sort)
echo "${#FILES[@]} files, $(du -sh "$CORPUS" | cut -f1)"

python3 - "$BIN" "$ROUNDS" "${FILES[@]}" <<'PY'
import json, os, statistics, subprocess, sys, time, platform

binary, rounds, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
MUTAGEN = "import mutagen, sys\nfor f in sys.argv[1:]:\n    m = mutagen.File(f)\n    print(f, m.info.length if m is not None else None)\n"

def timed_all(fns):
    """Median seconds per tool; rounds interleave the tools so machine load hits all alike."""
    for fn in fns:
        fn()  # warm-up: page cache and binaries
    times = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            t = time.perf_counter(); fn(); times[i].append(time.perf_counter() - t)
    return [statistics.median(ts) for ts in times]

def run_mspod():
    return subprocess.run([binary, "inspect", "--json", *files], capture_output=True, text=True)
def run_ffprobe():
    for f in files:
        subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", f],
                       capture_output=True)
def run_mutagen():
    return subprocess.run([sys.executable, "-c", MUTAGEN, *files], capture_output=True, text=True)

t_mspod, t_ffprobe, t_mutagen = timed_all([run_mspod, run_ffprobe, run_mutagen])
n = len(files)

# Accuracy: full decode sample counts.
mspod = {}
for line in run_mspod().stdout.splitlines():
    j = json.loads(line); mspod[j["path"]] = j
mut = {}
for line in run_mutagen().stdout.splitlines():
    f, v = line.rsplit(" ", 1); mut[f] = None if v == "None" else float(v)
rows = []
for f in files:
    rate = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                           "stream=sample_rate", "-of", "default=nw=1:nk=1", f],
                          capture_output=True, text=True).stdout.split()[0].strip(",")
    dec = subprocess.run(f"ffmpeg -nostdin -v error -i '{f}' -map 0:a:0 -ac 1 -f s16le - | wc -c",
                         shell=True, capture_output=True, text=True).stdout.strip()
    truth = int(dec) / 2 / int(rate)
    fp = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                         "default=nw=1:nk=1", f], capture_output=True, text=True).stdout.strip()
    j = mspod.get(f, {})
    codec = j.get("codec", "")
    frame = {"mp3": 1152 if int(rate) >= 32000 else 576, "aac": 1024, "opus": 960, "vorbis": 2048}.get(codec, 1)
    rows.append((os.path.basename(f), truth, j.get("duration"), j.get("duration_method", j.get("error")),
                 float(fp) if fp and fp != "N/A" else None, mut.get(f), frame / int(rate)))

def cell(v, truth, tol):
    if v is None:
        return "–", False
    ok = abs(v - truth) <= tol + 0.0005
    d = v - truth
    return (f"{v:.3f}" if ok else f"**{v:.3f}** ({d:+.3f})"), ok

lines = []
ok_counts = [0, 0, 0]
for name, truth, m, meth, fp, mu, tol in rows:
    cs = [cell(m, truth, tol), cell(fp, truth, tol), cell(mu, truth, tol)]
    for i, (_, ok) in enumerate(cs):
        ok_counts[i] += ok
    lines.append(f"| {name} | {truth:.3f} | {cs[0][0]} | {meth} | {cs[1][0]} | {cs[2][0]} |")

size = sum(os.path.getsize(f) for f in files) / 1e6
cpu = platform.processor() or platform.machine()
ffv = subprocess.run(["ffprobe", "-version"], capture_output=True, text=True).stdout.split("\n")[0]
import mutagen
res = f"""# `mspod inspect` benchmark

Measured by `scripts/bench-inspect.sh` (median of {rounds} warm runs each, the tools taking turns) on
{os.cpu_count()} cores ({cpu}, shared: 1-min load average {os.getloadavg()[0]:.1f} at the end), {time.strftime('%Y-%m-%d')}. Corpus: {n} files, {size:.0f} MB (two 60-minute MP3 episodes,
one of them VBR without a Xing header; MP3 CBR/VBR/MPEG-2, AAC and ALAC in M4A, Ogg Vorbis, Opus, FLAC, WAV;
20 s to 60 min), built by the script from generated audio. Tools: {ffv.split(' Copyright')[0]}, mutagen {mutagen.version_string}.

| tool | how it is run | total | files/s | mspod is |
|---|---|---|---|---|
| mspod inspect --json | one process, all files (parallel) | {t_mspod*1000:.0f} ms | {n/t_mspod:.0f} | – |
| ffprobe | one process per file | {t_ffprobe*1000:.0f} ms | {n/t_ffprobe:.0f} | **{t_ffprobe/t_mspod:.1f}× faster** |
| mutagen | one Python process, all files | {t_mutagen*1000:.0f} ms | {n/t_mutagen:.0f} | **{t_mutagen/t_mspod:.1f}× faster** |

## Accuracy against a full decode

Truth: samples from `ffmpeg -i FILE -map 0:a:0 -ac 1 -f s16le -` ÷ the stream's sample rate (ffmpeg trims the
LAME delay/padding and the Opus pre-skip itself). A value counts as exact within one codec frame; values outside
are **bold** with the difference. ffprobe: `format=duration`; mutagen: `info.length`.

Within one frame: mspod {ok_counts[0]}/{n}, ffprobe {ok_counts[1]}/{n}, mutagen {ok_counts[2]}/{n} (– = no answer).

Why: mspod reads headers only (ID3/Xing/LAME, the MP4 `moov`, the first and last Ogg pages, FLAC STREAMINFO,
WAV chunk headers) and walks MP3 frame headers only when there is no Xing/VBRI frame count; nothing is decoded.
ffprobe's MP3 durations include the LAME encoder delay and padding that ffmpeg's own decoder trims (+29–39 ms);
on VBR MP3s without a Xing header ffprobe and mutagen extrapolate a bitrate from the start of the file and are
off by seconds to minutes (the quiet intro makes the estimate low). For AAC in M4A, ffmpeg's decode keeps the
encoder's end padding that the edit list removes, so the decoded count is up to one AAC frame (23 ms) longer than
mspod's edit-list length.

| file | decoded s | mspod | mspod method | ffprobe | mutagen |
|---|---|---|---|---|---|
""" + "\n".join(lines) + "\n"
open("benches/RESULTS-inspect.md", "w").write(res)
print(res)
PY
