#!/usr/bin/env python3
"""Generates a messy podcast archive for measuring `mspod pair`, with the truth beside it.

    scripts/gen-archive.py OUT [--episodes N] [--seed S]
    scripts/gen-archive.py --measured OUT     # the issue-9 "What was measured" folder

OUT gets mspod.toml, articles/ (WordPress-style HTML with JSON-LD, Hugo-style HTML
with meta tags, Markdown with front matter), audio/ (tiny real MP3s with ID3v2.4
tags), channel.xml (a YouTube channel Atom feed) and truth.json:

    {"pairs": [{"slug", "audio" (path or null), "video" (id or null),
                "audio_style", "video_style"}],
     "decoys": {"audio": [...], "video": [...]}}

Every pair a careful person would make is in "pairs"; everything in "decoys"
must never be auto-paired. Deterministic for a given seed (no clock, no network).

Naming styles (audio): slug, date-slug (YYYY-MM-DD-slug), tags-only (a
meaningless name; the ID3 title carries the article title, sometimes branded),
ep-words-final (epNN_<some words>_FINAL[_v2]), camel (CamelCase), spaces
(words with spaces and "(master)"), noise (underscores, 128k, mono, v3, copy),
date-off (a date 1-3 days off and some of the words). Videos: exact, branded
("Ep. 12: Title | Show", "Title - Show"), embedded (the article embeds it),
desc-link (the description links the article), abbreviated (some words + date).
Also: two-part episodes, articles without audio (their video still counts),
audio without article, trailers/teasers, Shorts (#shorts, /shorts/ link,
vertical, < 61 s), live streams, premieres, re-uploads, unrelated uploads.
"""

import argparse
import json
import os
import random
import struct
from datetime import date, datetime, timedelta, timezone

SHOW = "Calm Hour"
SITE = "https://calmhour.example.org"

TOPICS = """anxiety depression grief burnout insomnia trauma adhd panic stress anger shame loneliness
perfectionism boundaries attachment procrastination jealousy resentment rumination overthinking
self-compassion resilience mindfulness forgiveness motivation confidence assertiveness hoarding
phobias ocd bipolar postpartum menopause infertility divorce caregiving codependency people-pleasing
gaslighting narcissism impostor-syndrome chronic-pain migraines eating-disorders body-image insecurity
nightmares flashbacks dissociation hypervigilance gratitude journaling breathwork meditation therapy
medication relapse sobriety gambling screen-time doomscrolling""".split()

CONTEXTS = """at-work in-relationships for-teens after-divorce in-college during-the-holidays for-parents
for-new-moms in-men at-night in-marriage for-veterans for-nurses for-teachers after-a-breakup
in-retirement for-students during-pregnancy after-surgery for-couples in-friendships for-caregivers
for-athletes in-the-military after-a-move for-first-responders in-midlife for-immigrants
in-blended-families for-entrepreneurs""".split()

FORMATS = [
    "Understanding {t} {c}",
    "Coping With {t} {c}",
    "How to Handle {t} {c}",
    "What to Do About {t} {c}",
    "The Science of {t} {c}",
    "Myths About {t} {c}",
    "A Therapist's Guide to {t} {c}",
    "Five Ways to Ease {t} {c}",
    "When {t} Shows Up {c}",
    "Talking About {t} {c}",
    "Healing From {t} {c}",
    "Questions About {t} {c}",
]

AUDIO_STYLES = ["slug", "date-slug", "tags-only", "ep-words-final", "camel", "spaces", "noise", "date-off"]
VIDEO_STYLES = ["exact", "branded", "embedded", "desc-link", "abbreviated"]

STOP = {"a", "an", "and", "at", "for", "in", "of", "the", "to", "with", "about", "after", "during"}

ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def words_of(phrase):
    return phrase.replace("-", " ")


def title_case(s):
    small = {"a", "an", "and", "at", "for", "in", "of", "the", "to", "with", "about", "after", "during", "from"}
    out = []
    for i, w in enumerate(s.split(" ")):
        out.append(w if (i and w in small) else (w[:1].upper() + w[1:]))
    return " ".join(out)


def slugify(s):
    out, dash = [], False
    for ch in s.lower().replace("'", ""):
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


# --- audio: tiny real MP3s --------------------------------------------------

def syncsafe(n):
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def text_frame(fid, text):
    body = b"\x03" + text.encode("utf-8")
    return fid.encode() + syncsafe(len(body)) + b"\x00\x00" + body


def comm_frame(text):
    body = b"\x03eng\x00" + text.encode("utf-8")
    return b"COMM" + syncsafe(len(body)) + b"\x00\x00" + body


def write_mp3(path, title=None, track=None, day=None, comment=None, frames=12):
    frames_data = b""
    if title:
        frames_data += text_frame("TIT2", title)
    if track:
        frames_data += text_frame("TRCK", str(track))
    if day:
        frames_data += text_frame("TDRC", day.isoformat())
    frames_data += text_frame("TPE1", SHOW)
    if comment:
        frames_data += comm_frame(comment)
    tag = b"ID3\x04\x00\x00" + syncsafe(len(frames_data)) + frames_data
    # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono: 417-byte frames of silence.
    frame = b"\xff\xfb\x90\xc4" + b"\x00" * 413
    with open(path, "wb") as f:
        f.write(tag + frame * frames)


# --- articles ---------------------------------------------------------------

BODY = (
    "<h2>Quick answer</h2><p>{title} is something many of our clients bring to therapy. "
    "Here is what the research says and what you can try this week.</p>"
    "<h2>What helps</h2><p>Small steps, practised often, change more than big plans.</p>"
    "<h2>When to seek help</h2><p>If it gets in the way of daily life, talk to a professional.</p>"
)


def article_wordpress(a):
    embed = (
        f'<figure class="wp-block-embed"><iframe src="https://www.youtube.com/embed/{a["video"]}" '
        'title="YouTube video player"></iframe></figure>'
        if a.get("embed")
        else ""
    )
    ld = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": a["title"],
        "datePublished": f'{a["date"].isoformat()}T09:00:00-05:00',
        "url": a["url"],
    }
    if a.get("episode") and a["episode_in_meta"]:
        ld["episodeNumber"] = a["episode"]
    return f"""<!doctype html>
<html lang="en-US"><head><meta charset="utf-8">
<title>{a["title"]} | {SHOW} Blog</title>
<link rel="canonical" href="{a["url"]}">
<meta property="og:title" content="{a["title"]}">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body class="single-post"><header class="site-header"><a href="/">{SHOW}</a></header>
<main><article class="post"><header class="entry-header"><h1 class="entry-title">{a["title"]}</h1></header>
<div class="entry-content">{embed}{BODY.format(title=a["title"])}</div></article></main>
<footer>© {SHOW}</footer></body></html>
"""


def article_hugo(a):
    embed = (
        f'<p><a href="https://youtu.be/{a["video"]}">Watch the episode</a></p>' if a.get("embed") else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{a["title"]} · {SHOW}</title>
<meta property="og:title" content="{a["title"]}">
<meta property="og:url" content="{a["url"]}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{a["date"].isoformat()}T00:00:00+00:00">
</head><body><main class="post"><div class="post-header"><h1 class="post-title">{a["title"]}</h1></div>
<div class="post-content">{embed}{BODY.format(title=a["title"])}</div></main></body></html>
"""


def article_markdown(a):
    front = [f'title: "{a["title"]}"', f'date: {a["date"].isoformat()}', f'url: {a["url"]}']
    if a.get("episode") and a["episode_in_meta"]:
        front.append(f'episode: {a["episode"]}')
    embed = f'\nhttps://www.youtube.com/watch?v={a["video"]}\n' if a.get("embed") else ""
    return (
        "---\n" + "\n".join(front) + "\n---\n\n"
        f"{a['title']} is something many of our clients bring to therapy.\n{embed}\n"
        "## What helps\n\nSmall steps, practised often, change more than big plans.\n\n"
        "## When to seek help\n\nIf it gets in the way of daily life, talk to a professional.\n"
    )


def write_article(out, a):
    kind = a["format"]
    ext = "md" if kind == "markdown" else "html"
    text = {"wordpress": article_wordpress, "hugo": article_hugo, "markdown": article_markdown}[kind](a)
    with open(os.path.join(out, "articles", f'{a["file"]}.{ext}'), "w", encoding="utf-8") as f:
        f.write(text)


# --- videos -----------------------------------------------------------------

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_feed(path, videos):
    entries = []
    for v in sorted(videos, key=lambda v: (v["published"], v["id"]), reverse=True):
        link = f'https://www.youtube.com/shorts/{v["id"]}' if v.get("shorts_link") else f'https://www.youtube.com/watch?v={v["id"]}'
        content = ""
        if v.get("size") or v.get("duration"):
            w, h = v.get("size", (640, 360))
            dur = f' duration="{v["duration"]}"' if v.get("duration") else ""
            content = f'<media:content url="https://www.youtube.com/v/{v["id"]}" type="application/x-shockwave-flash" width="{w}" height="{h}"{dur}/>'
        entries.append(
            f""" <entry>
  <id>yt:video:{v["id"]}</id>
  <yt:videoId>{v["id"]}</yt:videoId>
  <title>{esc(v["title"])}</title>
  <link rel="alternate" href="{link}"/>
  <published>{v["published"]}</published>
  <media:group>
   <media:title>{esc(v["title"])}</media:title>
   {content}
   <media:description>{esc(v.get("description", ""))}</media:description>
  </media:group>
 </entry>"""
        )
    with open(path, "w", encoding="utf-8") as f:
        f.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" '
            'xmlns="http://www.w3.org/2005/Atom">\n'
            f" <title>{SHOW}</title>\n" + "\n".join(entries) + "\n</feed>\n"
        )


def write_toml(out):
    with open(os.path.join(out, "mspod.toml"), "w", encoding="utf-8") as f:
        f.write(
            f"""[show]
title = "{SHOW}"
description = "A generated archive for measuring mspod pair."
link = "{SITE}/blog/"
feed_url = "{SITE}/podcast.xml"
language = "en"
author = "{SHOW} Counseling"
owner = {{ name = "{SHOW}", email = "podcast@calmhour.example.org" }}
image = "episodes/cover.jpg"
categories = ["Health & Fitness > Mental Health"]
media_base_url = "{SITE}/media/"
"""
        )


# --- the archive ------------------------------------------------------------

class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.ids = set()

    def vid(self):
        while True:
            v = "".join(self.r.choice(ID_CHARS[:62]) for _ in range(11))
            if v not in self.ids:
                self.ids.add(v)
                return v

    def titles(self, n):
        combos = [(f, t, c) for f in FORMATS for t in TOPICS for c in CONTEXTS]
        self.r.shuffle(combos)
        out, seen = [], set()
        for f, t, c in combos:
            title = title_case(f.format(t=words_of(t), c=words_of(c)))
            if title not in seen:
                seen.add(title)
                out.append((title, f"{words_of(t)} {words_of(c)}"))
            if len(out) == n:
                break
        return out


def ts(d, hour=15):
    return datetime(d.year, d.month, d.day, hour, 0, tzinfo=timezone.utc).isoformat()


def audio_name(g, style, a, day):
    r = g.r
    words = slugify(a["title"]).split("-")
    content = [w for w in words if w not in STOP and w != "part" and not w.isdigit()]
    part = a.get("part")
    if style == "slug":
        return a["slug"], {}
    if style == "date-slug":
        return f'{a["date"].isoformat()}-{a["slug"]}', {}
    if style == "tags-only":
        title = a["title"]
        pick = r.random()
        if pick < 0.3:
            title = f'{SHOW} - Ep {a["episode"]} - {a["title"]}'
        elif pick < 0.5:
            title = f'{a["title"]} | {SHOW}'
        name = r.choice(["track_%04d", "REC%05d", "audio_%d", "Untitled %d", "export-%d"]) % r.randrange(1, 99999)
        return name, {"title": title, "track": a["episode"], "day": day}
    if style == "ep-words-final":
        # People abbreviate to the subject: the topic and context words, sometimes the format's first word.
        subject = [w for w in slugify(a["subject"]).split("-") if w not in STOP]
        keep = ([content[0]] if r.random() < 0.5 else []) + subject
        if part:
            keep = keep + [f"pt{part}"]
        suffix = r.choice(["FINAL", "FINAL_v2", "final_master", "FINAL-FINAL"])
        return f'ep{a["episode"]:02d}_' + "_".join(keep) + f"_{suffix}", {}
    if style == "camel":
        return "".join(w.capitalize() for w in words), {}
    if style == "spaces":
        return a["title"].replace(":", "").replace("'", "") + r.choice([" (master)", " - final mix", " edit", ""]), {}
    if style == "noise":
        return "_".join(words) + "_" + r.choice(["128k_mono", "v3", "clean_copy", "mastered_320kbps", "uncut"]), {}
    if style == "date-off":
        off = day + timedelta(days=r.choice([-3, -2, -1, 1, 2, 3]))
        keep = content[: max(3, len(content) - 1)]
        if part:
            keep = keep + ["part", str(part)]
        return f"{off.isoformat()} " + " ".join(keep), {}
    raise ValueError(style)


def generate(out, n, seed):
    g = Gen(seed)
    r = g.r
    for d in ("articles", "audio"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    write_toml(out)
    titles = g.titles(n)
    # Two-part episodes: every 40th title becomes parts 1 and 2.
    articles = []
    start = date(2008, 1, 2)
    i = 0
    while len(articles) < n:
        base, subject = titles[i]
        i += 1
        parts = [1, 2] if i % 40 == 0 and len(articles) + 2 <= n else [None]
        for p in parts:
            k = len(articles)
            title = f"{base}, Part {p}" if p else base
            day = start + timedelta(days=7 * k)
            slug = slugify(title)
            fmt = ["wordpress", "hugo", "markdown"][k % 3]
            articles.append(
                {
                    "title": title,
                    "slug": slug,
                    "file": slug if r.random() < 0.8 else f"post-{k + 1000}",
                    "url": f"{SITE}/blog/{slug}/",
                    "date": day,
                    "format": fmt,
                    "episode": k + 1,
                    "episode_in_meta": r.random() < 0.4,
                    "part": p,
                    "subject": subject,
                }
            )
    truth, decoy_audio, decoy_videos, videos = [], [], [], []
    n_no_audio = max(1, n // 20)
    no_audio = set(r.sample(range(n), n_no_audio))
    for k, a in enumerate(articles):
        style = AUDIO_STYLES[k % len(AUDIO_STYLES)]
        vstyle = VIDEO_STYLES[(k // len(AUDIO_STYLES)) % len(VIDEO_STYLES)]
        has_video = r.random() < 0.95
        audio_path = None
        if k not in no_audio:
            day = a["date"] + timedelta(days=r.choice([0, 0, 1, -1, 2]))
            name, tags = audio_name(g, style, a, day)
            audio_path = f"audio/{name}.mp3"
            if os.path.exists(os.path.join(out, audio_path)):
                name += f"-{k}"
                audio_path = f"audio/{name}.mp3"
            write_mp3(os.path.join(out, audio_path), tags.get("title"), tags.get("track"), tags.get("day"))
        video = None
        if has_video:
            video = g.vid()
            vday = a["date"] + timedelta(days=r.choice([0, 0, 0, 1, 2]))
            t = a["title"]
            desc = "Thanks for watching."
            if vstyle == "branded":
                t = r.choice([f'Ep. {a["episode"]}: {t} | {SHOW}', f"{t} - {SHOW} Podcast", f'{SHOW} #{a["episode"]} — {t}'])
            elif vstyle == "embedded":
                a["embed"] = True
                t = r.choice([t, f"{t} (full episode)", "New episode!"])
            elif vstyle == "desc-link":
                t = r.choice([t, "This week on the show"])
                desc = f'Read the article: {a["url"]}\n\n0:00 Intro'
            elif vstyle == "abbreviated":
                ws = t.replace(",", "").split(" ")
                t = " ".join(ws[1:]) if len(ws) > 3 else t
            a["video"] = video
            videos.append({"id": video, "title": t, "published": ts(vday), "description": desc, "size": (1280, 720), "duration": r.randrange(900, 3600)})
            # Decoys around a real video: a Short, a re-upload, a trailer.
            roll = r.random()
            if roll < 0.35:
                sid = g.vid()
                kind = r.choice(["hashtag", "link", "vertical", "short"])
                sv = {"id": sid, "title": f'{a["title"]} #shorts' if kind == "hashtag" else a["title"], "published": ts(vday, 18), "description": ""}
                if kind == "link":
                    sv["shorts_link"] = True
                if kind == "vertical":
                    sv["size"] = (1080, 1920)
                if kind == "short":
                    sv["duration"] = r.randrange(15, 60)
                    sv["size"] = (1280, 720)
                videos.append(sv)
                decoy_videos.append({"id": sid, "kind": "short", "near": a["slug"]})
            elif roll < 0.42:
                rid = g.vid()
                videos.append({"id": rid, "title": t, "published": ts(vday + timedelta(days=r.randrange(3, 40))), "description": desc})
                decoy_videos.append({"id": rid, "kind": "re-upload", "near": a["slug"]})
            elif roll < 0.50:
                tid = g.vid()
                videos.append({"id": tid, "title": f'{a["title"]} (Trailer)', "published": ts(a["date"] - timedelta(days=3)), "description": ""})
                decoy_videos.append({"id": tid, "kind": "trailer", "near": a["slug"]})
        if k not in no_audio and r.random() < 0.03:
            # A teaser cut from the episode: same tags, "teaser" in the name.
            tp = f'audio/{a["slug"]}-teaser.mp3'
            write_mp3(os.path.join(out, tp), a["title"])
            decoy_audio.append({"audio": tp, "kind": "teaser", "near": a["slug"]})
        write_article(out, a)
        truth.append({"slug": a["slug"], "audio": audio_path, "video": video, "audio_style": style if audio_path else "no-audio", "video_style": vstyle if video else "no-video"})
    # Audio without article: topics no article uses.
    for j in range(max(1, n // 30)):
        p = f"audio/bonus_{j:03d}_listener_mailbag_{r.choice(['spring', 'summer', 'autumn', 'winter'])}.mp3"
        write_mp3(os.path.join(out, p), f"Listener Mailbag {j + 1}")
        decoy_audio.append({"audio": p, "kind": "no-article"})
    # Live streams, premieres and unrelated uploads.
    end = start + timedelta(days=7 * n)
    extra = 2 * n - len(videos)
    for j in range(max(3, extra)):
        day = start + timedelta(days=r.randrange((end - start).days))
        topic = words_of(r.choice(TOPICS))
        kind = ["live", "premiere", "unrelated", "unrelated"][j % 4]
        if kind == "live":
            t = r.choice([f"LIVE: Q&A about {topic}", f"🔴 Sunday livestream: {topic}", f"{title_case(topic)} live stream"])
        elif kind == "premiere":
            t = f"Premiere: {title_case(topic)} documentary"
        else:
            t = r.choice(["Studio tour", "Meet the team", f"Our new office in {r.choice(['Atlanta', 'Macon', 'Savannah'])}", "Holiday message", f"Book club: {topic}"])
        vid = g.vid()
        videos.append({"id": vid, "title": t, "published": ts(day), "description": ""})
        decoy_videos.append({"id": vid, "kind": kind})
    write_feed(os.path.join(out, "channel.xml"), videos)
    with open(os.path.join(out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump({"pairs": truth, "decoys": {"audio": decoy_audio, "video": decoy_videos}}, f, indent=1, sort_keys=True)
        f.write("\n")


def measured(out):
    """The folder issue 9 was measured on: 5 articles (two HTML shapes, Markdown,
    one without audio), 5 audio files, 6 videos (incl. a Short and a live stream)."""
    for d in ("articles", "audio"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    write_toml(out)
    base = date(2026, 3, 4)
    arts = [
        # slug, title, format, day offset, embed video?
        ("managing-anxiety-at-work", "Managing Anxiety at Work", "wordpress", 0, False),
        ("sleep-and-stress", "Why Stress Steals Your Sleep", "hugo", 7, False),
        ("grief-after-a-pet-dies", "Grief After a Pet Dies", "wordpress", 14, True),
        ("boundaries-with-family", "Setting Boundaries With Family", "markdown", 21, False),
        ("what-is-emdr", "What Is EMDR Therapy?", "hugo", 28, False),
    ]
    ids = ["MaW0rk00001", "SlpStr00002", "GrfPet00003", "BndFam00004"]
    for (slug, title, fmt, off, embed), vid in zip(arts, ids + [None]):
        a = {"title": title, "slug": slug, "file": slug, "url": f"{SITE}/blog/{slug}/", "date": base + timedelta(days=off),
             "format": fmt, "episode": None, "episode_in_meta": False, "video": vid, "embed": embed}
        write_article(out, a)
    write_mp3(os.path.join(out, "audio/managing-anxiety-at-work.mp3"))
    write_mp3(os.path.join(out, "audio/2026-03-11-sleep-and-stress.mp3"))
    write_mp3(os.path.join(out, "audio/Audio Track 07.mp3"), "Grief After a Pet Dies")
    write_mp3(os.path.join(out, "audio/ep04_boundaries_family_FINAL.mp3"))
    write_mp3(os.path.join(out, "audio/studio-ambience-test.mp3"), "Room tone")
    vids = [
        {"id": "MaW0rk00001", "title": f"Managing Anxiety at Work | {SHOW}", "published": ts(base)},
        {"id": "SlpStr00002", "title": f"Ep. 2: Why Stress Steals Your Sleep - {SHOW} Podcast", "published": ts(base + timedelta(days=8))},
        {"id": "GrfPet00003", "title": "Grief After a Pet Dies", "published": ts(base + timedelta(days=14))},
        {"id": "BndFam00004", "title": f"{SHOW} #4 — Setting Boundaries With Family", "published": ts(base + timedelta(days=21))},
        {"id": "ShrtAnx0005", "title": "Managing Anxiety at Work #shorts", "published": ts(base, 18)},
        {"id": "LiveQA00006", "title": "LIVE: Sunday Q&A on anxiety", "published": ts(base + timedelta(days=2))},
    ]
    for v in vids:
        v["description"] = ""
    write_feed(os.path.join(out, "channel.xml"), vids)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--episodes", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--measured", action="store_true", help="write the issue-9 measured folder instead")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.measured:
        measured(args.out)
    else:
        generate(args.out, args.episodes, args.seed)


if __name__ == "__main__":
    main()
