#!/usr/bin/env python3
"""Checks that podcast-partytime read back every Podcasting 2.0 tag of the feed as
written: people, location, license, txt, trailers, locked, medium, and per item
the artwork, people, season/episode, location, soundbites and the video
alternate enclosure. Usage: interop_tags_check.py PARTYTIME_JSON FEED
Prints "interop tags: N passed, N failed"; exits 1 on any failure."""
import json
import sys
import xml.etree.ElementTree as ET

P = "{https://podcastindex.org/namespace/1.0}"
I = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
got = json.load(open(sys.argv[1]))
channel = ET.parse(sys.argv[2]).getroot().find("channel")

passed = failed = 0
def check(what, want, have):
    global passed, failed
    if want == have:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}: feed says {want!r}, partytime read {have!r}")

def people(el):
    return [{"name": p.text, "role": p.get("role"), "href": p.get("href")} for p in el.findall(P + "person")]

def opt(conv, value):
    """conv(value), or None for an attribute or element the feed leaves out."""
    return None if value is None else conv(value)

def num(text):
    return None if text is None else float(text)

check("locked", channel.findtext(P + "locked") == "yes", got["locked"])
check("medium", channel.findtext(P + "medium"), got["medium"])
check("channel people", people(channel), got["people"])
loc = channel.find(P + "location")
if loc is not None:
    check("location", {"name": loc.text, "geo": loc.get("geo"), "osm": loc.get("osm")},
          {k: (got["location"] or {}).get(k) for k in ("name", "geo", "osm")})
check("license", channel.findtext(P + "license"), got["license"])
check("txt", [t.text for t in channel.findall(P + "txt")], got["txt"])
check("trailers", [{"title": t.text, "url": t.get("url"), "length": int(t.get("length")),
                    "season": int(t.get("season")) if t.get("season") else None}
                   for t in channel.findall(P + "trailer")], got["trailers"])

items = {it["guid"]: it for it in got["items"]}
for item in channel.findall("item"):
    guid = item.findtext("guid")
    it = items.get(guid)
    if it is None:
        check(f"{guid} read", True, False)
        continue
    img = item.find(I + "image")
    check(f"{guid} artwork", img.get("href") if img is not None else None, it["image"])
    check(f"{guid} people", people(item), it["people"])
    check(f"{guid} season", num(item.findtext(P + "season")), num(it["season"]) if it["season"] is not None else None)
    check(f"{guid} episode", num(item.findtext(P + "episode")), num(it["episode"]) if it["episode"] is not None else None)
    check(f"{guid} location", item.findtext(P + "location"), it["location"])
    check(f"{guid} soundbites", [{"start": float(s.get("startTime")), "duration": float(s.get("duration")), "title": s.text or ""}
                                 for s in item.findall(P + "soundbite")],
          [{"start": float(s["start"]), "duration": float(s["duration"]), "title": s["title"] or ""} for s in it["soundbites"]])
    check(f"{guid} video", [{"type": a.get("type"), "length": opt(int, a.get("length")),
                             "bitrate": opt(float, a.get("bitrate")), "height": opt(int, a.get("height")),
                             "uri": opt(lambda s: s.get("uri"), a.find(P + "source")),
                             "integrity": opt(lambda i: i.get("value"), a.find(P + "integrity"))}
                            for a in item.findall(P + "alternateEnclosure")],
          [dict(v, bitrate=float(v["bitrate"]) if v["bitrate"] is not None else None) for v in it["video"]])

print(f"interop tags: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
