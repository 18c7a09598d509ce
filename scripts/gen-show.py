#!/usr/bin/env python3
"""Generates a synthetic show of N episodes in mspod's content format, for benchmarks.

    scripts/gen-show.py N DIR [--audio-from episodes]

Each episode gets an article (Markdown for even numbers, HTML for odd) with a
quick answer, body sections, takeaways, an FAQ and references, and a real MP3:
a hard link (or copy) of one of the sample show's audio files. Standard library only;
the output depends only on N, so runs are comparable.
"""
import argparse
import os
import shutil
from datetime import datetime, timedelta, timezone

TOPICS = ["anxiety", "sleep", "grief", "burnout", "boundaries", "panic", "loneliness", "anger",
          "perfectionism", "procrastination", "self-compassion", "rumination", "trauma", "stress"]

def paragraph(i, k):
    t = TOPICS[(i + k) % len(TOPICS)]
    return (f"Episode {i} looks at {t} from a practical angle. Research on {t} suggests small, repeated "
            f"steps help more than big resolutions (NIMH, 2024). This paragraph {k} adds detail so the "
            f"article has a realistic length for parsing.")

def markdown(i, url):
    refs = "\n".join(f"- Source {r} on {TOPICS[(i + r) % len(TOPICS)]} ({2015 + r}). https://example.org/ref/{i}/{r}"
                     for r in range(1, 6))
    faq = "\n\n".join(f"### Question {q} about episode {i}?\n\n{paragraph(i, q)}" for q in range(1, 5))
    body = "\n\n".join(f"## Section {s} of episode {i}\n\n{paragraph(i, s)}\n\n{paragraph(i, s + 1)}" for s in range(1, 5))
    return f"""---
title: Episode {i}: living with {TOPICS[i % len(TOPICS)]}
description: A short episode about {TOPICS[i % len(TOPICS)]}.
date: 2020-01-01
url: {url}
---

{paragraph(i, 0)}

## Quick answer

{paragraph(i, 9)}

{body}

## Practical takeaways

- Notice {TOPICS[i % len(TOPICS)]} early.
- Name it without judging it.
- Try one small step this week.
- Ask for help when it is too much.

## Frequently Asked Questions

{faq}

## When to seek professional help

If you or someone you know is in crisis, call or text 988. In an emergency, call 911.

## References

{refs}
"""

def html(i, url):
    refs = "".join(f'<li>Source {r} on {TOPICS[(i + r) % len(TOPICS)]} ({2015 + r}). '
                   f'<a href="https://example.org/ref/{i}/{r}">https://example.org/ref/{i}/{r}</a></li>' for r in range(1, 6))
    faq = "".join(f"<h3>Question {q} about episode {i}?</h3><p>{paragraph(i, q)}</p>" for q in range(1, 5))
    body = "".join(f'<h2 id="section-{s}">Section {s} of episode {i}</h2><p>{paragraph(i, s)}</p><p>{paragraph(i, s + 1)}</p>'
                   for s in range(1, 5))
    return f"""<!doctype html><html><head><title>Episode {i}</title><link rel="canonical" href="{url}"></head>
<body><header><nav><a href="/">Home</a></nav></header><main><article>
<h1>Episode {i}: living with {TOPICS[i % len(TOPICS)]}</h1><p>{paragraph(i, 0)}</p>
<h2 id="quick-answer">Quick answer</h2><p>{paragraph(i, 9)}</p>{body}
<h2 id="takeaways">Practical takeaways</h2><ul><li>Notice it early.</li><li>Name it.</li><li>One small step.</li></ul>
<h2 id="faq">Frequently Asked Questions</h2>{faq}
<h2 id="help">When to seek professional help</h2><p>If you or someone you know is in crisis, call or text 988. In an emergency, call 911.</p>
<h2 id="references">References</h2><ul>{refs}</ul>
</article></main><footer>© Example</footer><script>var x = 1;</script></body></html>
"""

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    ap.add_argument("--audio-from", default=os.path.join(os.path.dirname(__file__), "..", "episodes"))
    a = ap.parse_args()
    src = sorted(os.path.join(a.audio_from, d, "audio.mp3") for d in os.listdir(a.audio_from)
                 if os.path.isfile(os.path.join(a.audio_from, d, "audio.mp3")))
    if not src:
        raise SystemExit("no episodes/*/audio.mp3 to copy")
    os.makedirs(os.path.join(a.dir, "episodes"), exist_ok=True)
    shutil.copy(os.path.join(a.audio_from, "cover.jpg"), os.path.join(a.dir, "episodes", "cover.jpg"))
    with open(os.path.join(a.dir, "mspod.toml"), "w") as f:
        f.write("""[show]
title = "Synthetic Show"
description = "A generated show for benchmarks."
link = "https://example.org/show/"
feed_url = "https://example.org/show/podcast.xml"
language = "en-us"
author = "Bench"
owner = { name = "Bench", email = "bench@example.org" }
image = "episodes/cover.jpg"
categories = ["Health & Fitness > Mental Health"]
explicit = false
type = "episodic"
media_base_url = "https://media.example.org/show/"
""")
    start = datetime(2000, 1, 3, 9, 0, tzinfo=timezone.utc)
    for i in range(1, a.n + 1):
        slug = f"ep-{i:05d}"
        d = os.path.join(a.dir, "episodes", slug)
        os.makedirs(d, exist_ok=True)
        url = f"https://example.org/blog/{slug}/"
        ext = "md" if i % 2 == 0 else "html"
        with open(os.path.join(d, f"article.{ext}"), "w") as f:
            f.write(markdown(i, url) if ext == "md" else html(i, url))
        audio = os.path.join(d, "audio.mp3")
        if not os.path.exists(audio):
            try:
                os.link(src[i % len(src)], audio)
            except OSError:
                shutil.copy(src[i % len(src)], audio)
        published = (start + timedelta(days=i)).isoformat()
        with open(os.path.join(d, "episode.toml"), "w") as f:
            f.write(f'article = "article.{ext}"\narticle_url = "{url}"\naudio = "audio.mp3"\n'
                    f'youtube = "https://youtu.be/{i:011d}"\npublished = "{published}"\n'
                    f'season = {1 + i // 100}\nnumber = {i}\ntype = "full"\n')

if __name__ == "__main__":
    main()
