#!/usr/bin/env python3
"""Baseline for the publish benchmark: what a team would script instead of mspod.

    baseline_feedgen.py ROOT OUT.xml

Reads ROOT/mspod.toml and every ROOT/episodes/*/episode.toml (tomllib), gets each
audio file's duration with mutagen and its size from the file system, and writes one
RSS feed with python-feedgen's podcast extension: title, link, guid, pubDate,
enclosure, itunes:duration, itunes:season, itunes:episode (and episodeType).

It deliberately does less than mspod: it parses no articles (the title comes from
episode.toml's `title`, else the folder name), writes no show notes, keeps no cache
and checks no feed rules — the minimal script mspod has to beat.
Needs: mutagen, feedgen (scripts/bench-publish.sh installs them into a venv).
"""
import os
import sys
import tomllib
from datetime import datetime, timezone

import mutagen
from feedgen.feed import FeedGenerator

MIME = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".opus": "audio/ogg",
        ".flac": "audio/flac", ".wav": "audio/wav"}


def hms(seconds):
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: baseline_feedgen.py ROOT OUT.xml")
    root, out = sys.argv[1], sys.argv[2]
    with open(os.path.join(root, "mspod.toml"), "rb") as f:
        show = tomllib.load(f)["show"]
    base = show.get("media_base_url", show["link"])
    if not base.endswith("/"):
        base += "/"

    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.title(show["title"])
    fg.link(href=show["link"], rel="alternate")
    fg.description(show["description"])
    fg.language(show.get("language", "en"))
    fg.podcast.itunes_author(show.get("author", ""))
    fg.podcast.itunes_explicit("yes" if show.get("explicit") else "no")

    episodes_dir = os.path.join(root, "episodes")
    for slug in sorted(os.listdir(episodes_dir)):
        toml_path = os.path.join(episodes_dir, slug, "episode.toml")
        if not os.path.isfile(toml_path):
            continue
        with open(toml_path, "rb") as f:
            ep = tomllib.load(f)
        audio = os.path.join(episodes_dir, slug, ep["audio"])
        info = mutagen.File(audio)
        if info is None:
            raise SystemExit(f"{audio}: not an audio file mutagen knows")
        published = ep["published"]
        if isinstance(published, str):
            published = datetime.fromisoformat(published)
        if published.tzinfo is None:
            published = published.replace(tzinfo=timezone.utc)
        fe = fg.add_entry(order="append")
        fe.title(ep.get("title", slug))
        fe.link(href=ep.get("article_url", show["link"]))
        fe.guid(f"{show['link']}#{slug}", permalink=False)
        fe.pubDate(published)
        fe.enclosure(f"{base}{slug}/{os.path.basename(audio)}", str(os.path.getsize(audio)),
                     MIME.get(os.path.splitext(audio)[1].lower(), "audio/mpeg"))
        fe.podcast.itunes_duration(hms(info.info.length))
        if "season" in ep:
            fe.podcast.itunes_season(int(ep["season"]))
        if "number" in ep:
            fe.podcast.itunes_episode(int(ep["number"]))
        if "type" in ep:
            fe.podcast.itunes_episode_type(ep["type"])

    fg.rss_file(out, pretty=False)


if __name__ == "__main__":
    main()
