#!/usr/bin/env python3
"""Checks the judges' readings of the sample feed against ground truth.

Every judge must parse the feed and report, for every item: the GUID the feed
declares, an enclosure length equal to the audio file's size, and a duration
within 1 s of what a full ffmpeg decode measured (sample-show-truth.tsv).
Prints a table and "N passed, N failed" on the last line; exits 1 on any failure.
"""
import csv
import json
import sys
import xml.etree.ElementTree as ET

judges_json, truth_tsv, feed_path = sys.argv[1:4]
report = json.load(open(judges_json))["feeds"][0]

truth = {}
with open(truth_tsv) as f:
    rows = csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t")
    for row in rows:
        # episodes/<slug>/audio.mp3 is published as <media_base_url><slug>/audio.mp3
        truth[row["path"].removeprefix("episodes/")] = row

channel = ET.parse(feed_path).getroot().find("channel")
PODCAST = "{https://podcastindex.org/namespace/1.0}"
expected = {}
transcripts = {}  # guid -> the item's podcast:transcript URLs
for item in channel.findall("item"):
    transcripts[item.findtext("guid")] = [t.get("url") for t in item.findall(PODCAST + "transcript")]
    guid = item.findtext("guid")
    url = item.find("enclosure").get("url")
    rel = next((k for k in truth if url.endswith("/" + k)), None)
    if rel is None:
        sys.exit(f"interop: no truth row for enclosure {url}")
    expected[guid] = truth[rel]

IGNORES_PODCAST_NS = {"podcastparser"}

passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", what)

for r in report["results"]:
    if not r.get("ran"):
        continue
    judge = r["judge"]
    check(r.get("parsed"), f"{judge}: did not parse the feed: {r.get('errors')}")
    check(not r.get("errors"), f"{judge}: reported errors: {r.get('errors')}")
    items = r.get("items") or []
    # Transcripts are asked of every judge that says it reads them, except
    # podcastparser: it only knows the namespace's old GitHub URI, so it reads no
    # podcast:* tag of this feed (chapters neither).
    reads_transcripts = judge not in IGNORES_PODCAST_NS and "transcript_url" not in (r.get("unsupported") or [])
    check(len(items) == len(expected), f"{judge}: {len(items)} items, expected {len(expected)}")
    for it in items:
        guid = it.get("guid")
        row = expected.get(guid)
        check(row is not None, f"{judge}: unknown guid {guid!r}")
        if row is None:
            continue
        length = (it.get("enclosure") or {}).get("length")
        check(str(length) == row["bytes"], f"{judge} {guid}: enclosure length {length} != file size {row['bytes']}")
        dur = it.get("duration_seconds")
        ok = dur is not None and abs(float(dur) - float(row["decoded_duration"])) <= 1.0
        check(ok, f"{judge} {guid}: duration {dur} vs decoded {row['decoded_duration']}")
        # Judges that read transcripts must find one of the item's (feedparser keeps
        # the last repeated tag, the others the first).
        if reads_transcripts:
            got, declared = it.get("transcript_url"), transcripts.get(guid, [])
            ok = got in declared if declared else got is None
            check(ok, f"{judge} {guid}: transcript {got!r}, feed declares {declared}")
    print(f"{judge:22} parsed={r.get('parsed')} items={len(items)}")

print(f"interop: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
