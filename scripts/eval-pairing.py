#!/usr/bin/env python3
"""Measures `mspod pair` on archives made by scripts/gen-archive.py.

    scripts/eval-pairing.py [--mspod target/release/mspod] ARCHIVE...

Runs `mspod pair --dry-run --format json` on each archive (timed, best of
--runs), compares with its truth.json and prints a Markdown table per naming
style and overall:

- precision: auto-paired links that are right / all auto-paired links
  (an audio link is in "pairs"; a video link is in "pairs", or decided for an
  article left without audio: "unpaired" with a video, or "ambiguous" audio
  with a decided video);
- recall: right auto-paired links / links a careful person makes (truth.json);
- proposed first: of the truth links not auto-paired, those offered in
  "ambiguous" with the right candidate first.

Exit status 1 if any auto-pair is wrong.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import time


def run(mspod, root, runs):
    cmd = [
        mspod, "--quiet", "pair", "--root", root,
        "--articles", os.path.join(root, "articles"),
        "--audio", os.path.join(root, "audio"),
        "--videos", os.path.join(root, "channel.xml"),
        "--dry-run", "--format", "json",
    ]
    best, out = None, None
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if p.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr}")
        best = dt if best is None else min(best, dt)
        out = p.stdout
    return json.loads(out), best


def rel(root, path):
    if path is None:
        return None
    p = os.path.relpath(path, root) if os.path.isabs(path) or path.startswith(root) else path
    return p


def evaluate(root, plan):
    truth = json.load(open(os.path.join(root, "truth.json")))
    by_slug = {t["slug"]: t for t in truth["pairs"]}
    auto_audio, auto_video = {}, {}
    for p in plan["pairs"]:
        auto_audio[p["slug"]] = rel(root, p["audio"])
        if p.get("video"):
            auto_video[p["slug"]] = p["video"]
    for u in plan["unpaired"]:
        if u["kind"] == "article" and u.get("video"):
            auto_video[u["slug"]] = u["video"]
    proposed = {}
    for a in plan["ambiguous"]:
        if a["kind"] == "audio" and a.get("video"):
            auto_video[a["slug"]] = a["video"]
        first = a["candidates"][0] if a["candidates"] else {}
        proposed[(a["slug"], a["kind"])] = rel(root, first.get("audio")) if a["kind"] == "audio" else first.get("video")

    rows = collections.defaultdict(lambda: collections.Counter())
    wrong = []
    # Decoys (Shorts, live streams, premieres, re-uploads, trailers, teasers,
    # audio without article) must appear in no decision.
    used = set(auto_audio.values()) | set(auto_video.values())
    decoys = truth["decoys"]["audio"] + truth["decoys"]["video"]
    for d in decoys:
        item = d.get("audio") or d.get("id")
        c = rows[f"decoy: {d['kind']}"]
        c["decoys"] += 1
        if item in used:
            c["decoys paired"] += 1
            wrong.append(("decoy", d["kind"], item, None))
    for kind, auto, style_key in (("audio", auto_audio, "audio_style"), ("video", auto_video, "video_style")):
        for slug, t in by_slug.items():
            style = f"{kind}: {t[style_key]}"
            want = t[kind]
            got = auto.get(slug)
            c = rows[style]
            if want is not None:
                c["truth"] += 1
            if got is not None:
                c["auto"] += 1
                if got == want:
                    c["right"] += 1
                else:
                    wrong.append((kind, slug, got, want))
            elif want is not None and proposed.get((slug, kind)) == want:
                c["proposed"] += 1
        for slug, got in auto.items():
            if slug not in by_slug:
                wrong.append((kind, slug, got, None))
    return rows, wrong


def pct(a, b):
    return "—" if b == 0 else f"{100.0 * a / b:.1f} %"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("archives", nargs="+")
    ap.add_argument("--mspod", default="target/release/mspod")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    total = collections.defaultdict(lambda: collections.Counter())
    all_wrong = []
    for root in args.archives:
        plan, secs = run(args.mspod, root, args.runs)
        truth = json.load(open(os.path.join(root, "truth.json")))
        n_audio = len([f for f in os.listdir(os.path.join(root, "audio"))])
        n_art = len(os.listdir(os.path.join(root, "articles")))
        n_vid = open(os.path.join(root, "channel.xml"), encoding="utf-8").read().count("<entry>")
        print(f"{root}: {n_art} articles × {n_audio} audio files × {n_vid} videos: {secs:.2f} s (best of {args.runs})")
        rows, wrong = evaluate(root, plan)
        for k, v in rows.items():
            total[k].update(v)
        all_wrong += [(root,) + w for w in wrong]
        del truth
    print()
    print("| links | truth | auto-paired | precision | recall | others proposed right first |")
    print("|---|---:|---:|---:|---:|---:|")
    overall = collections.Counter()
    for style in sorted(total):
        c = total[style]
        if style.startswith("decoy"):
            continue
        overall.update(c)
        missed = c["truth"] - c["right"]
        print(f"| {style} | {c['truth']} | {c['auto']} | {pct(c['right'], c['auto'])} | {pct(c['right'], c['truth'])} | {c['proposed']} of {missed} |")
    missed = overall["truth"] - overall["right"]
    print(f"| **overall** | {overall['truth']} | {overall['auto']} | {pct(overall['right'], overall['auto'])} | {pct(overall['right'], overall['truth'])} | {overall['proposed']} of {missed} |")
    print()
    print("| decoys | count | in a decision |")
    print("|---|---:|---:|")
    for style in sorted(s for s in total if s.startswith("decoy")):
        c = total[style]
        print(f"| {style[7:]} | {c['decoys']} | {c['decoys paired']} |")
    for w in all_wrong[:30]:
        print("WRONG", *w, file=sys.stderr)
    sys.exit(1 if all_wrong else 0)


if __name__ == "__main__":
    main()
