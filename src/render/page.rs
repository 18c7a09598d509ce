//! `show-notes.html`: a complete, standalone episode page that links the
//! article, the audio and the video to each other.

use super::blocks::{self, Html, escape, link};
use super::chapters::timestamp;
use crate::model::{Episode, Show};

const STYLE: &str = "body{font:17px/1.6 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}\
main{max-width:44rem;margin:0 auto;padding:2rem 1.25rem}\
h1{line-height:1.2}a{color:#0b5cad}audio{width:100%;margin:1rem 0}\
.video{position:relative;display:block;padding-top:56.25%;margin:1rem 0;background:#1d1d1f;border-radius:8px;color:#fff;text-decoration:none}\
.video span{position:absolute;inset:0;display:flex;flex-direction:column;align-items:center;justify-content:center;font-size:1.4rem}\
.video small{font-size:.8rem;opacity:.75;margin-top:.4rem}.video iframe{position:absolute;inset:0;width:100%;height:100%;border:0;border-radius:8px}\
.meta{color:#555}.links{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;padding:0;list-style:none}\
.chapters{padding-left:0;list-style:none}.chapters a.t{font-variant-numeric:tabular-nums;margin-right:.5rem}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}\
.help{border-left:4px solid #b00020;padding:.25rem 1rem;background:#fff}";

/// Seeks the player when a chapter time is clicked, and swaps the video link for
/// the player on click. The page works without it.
const SCRIPT: &str = "document.querySelectorAll('a[data-start]').forEach(function(a){a.addEventListener('click',function(e){var p=document.getElementById('player');if(p){e.preventDefault();p.currentTime=+a.dataset.start;p.play();}});});\
document.querySelectorAll('a[data-embed]').forEach(function(a){a.addEventListener('click',function(e){e.preventDefault();var f=document.createElement('iframe');f.src=a.dataset.embed;f.title=document.title;f.allow='autoplay; encrypted-media; picture-in-picture';f.setAttribute('allowfullscreen','');f.referrerPolicy='strict-origin-when-cross-origin';a.replaceChildren(f);a.removeAttribute('href');});});";

pub(super) fn render(show: &Show, ep: &Episode) -> String {
    let base = ep.link.as_str();
    let cfg = &show.config;
    let mut h = String::new();
    h.push_str("<!doctype html>\n");
    h.push_str(&format!(
        "<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        escape(&cfg.language)
    ));
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!(
        "<title>{} · {}</title>\n",
        escape(&ep.title),
        escape(&cfg.title)
    ));
    let summary_text = blocks::blocks_text(&ep.summary, base);
    h.push_str(&format!(
        "<meta name=\"description\" content=\"{}\">\n",
        escape(summary_text.lines().next().unwrap_or(""))
    ));
    h.push_str(&format!(
        "<link rel=\"canonical\" href=\"{}\">\n",
        escape(&ep.notes_url)
    ));
    h.push_str(&format!(
        "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{}\" href=\"{}\">\n",
        escape(&cfg.title),
        escape(&cfg.feed_url)
    ));
    h.push_str(&format!("<style>{STYLE}</style>\n"));
    h.push_str(&format!(
        "<script type=\"application/ld+json\">{}</script>\n",
        json_ld(show, ep)
    ));
    h.push_str("</head>\n<body>\n<main>\n<header>\n");
    h.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p>\n",
        escape(&cfg.link),
        escape(&cfg.title)
    ));
    h.push_str(&format!("<h1>{}</h1>\n", escape(&ep.title)));
    let mut meta = vec![
        format!(
            "<time datetime=\"{}\">{}</time>",
            ep.published.to_rfc3339(),
            ep.published.format("%B %-d, %Y")
        ),
        timestamp(ep.duration),
    ];
    match (ep.season, ep.number) {
        (Some(s), Some(n)) => meta.push(format!("Season {s}, episode {n}")),
        (None, Some(n)) => meta.push(format!("Episode {n}")),
        _ => {}
    }
    h.push_str(&format!(
        "<p class=\"meta\">{}</p>\n</header>\n",
        meta.join(" · ")
    ));

    h.push_str(&blocks::blocks_html(&ep.summary, Html::Rich, base));
    h.push('\n');
    h.push_str(&format!(
        "<audio id=\"player\" controls preload=\"none\" src=\"{}\"></audio>\n",
        escape(&ep.enclosure.url)
    ));
    if let Some(v) = &ep.youtube {
        // Click to load: nothing is requested from YouTube until the visitor asks for
        // the video, and then only from youtube-nocookie.com. Without scripts it is a link.
        h.push_str(&format!(
            "<a class=\"video\" href=\"{}\" data-embed=\"{}?autoplay=1\"><span>▶ Play the video<small>loads from YouTube (youtube-nocookie.com)</small></span></a>\n",
            escape(&v.watch_url()),
            escape(&v.embed_url()),
        ));
    }
    h.push_str("<ul class=\"links\">\n");
    h.push_str(&format!(
        "<li>{}</li>\n",
        link(&ep.link, "Read the article")
    ));
    if let Some(v) = &ep.youtube {
        h.push_str(&format!(
            "<li>{}</li>\n",
            link(&v.watch_url(), "Watch on YouTube")
        ));
    }
    h.push_str(&format!(
        "<li>{}</li>\n",
        link(&ep.enclosure.url, "Download the audio")
    ));
    h.push_str(&format!(
        "<li>{}</li>\n",
        link(&cfg.feed_url, "Subscribe (RSS)")
    ));
    h.push_str("</ul>\n");

    if !ep.chapters.is_empty() {
        h.push_str("<h2 id=\"chapters\">Chapters</h2>\n<ol class=\"chapters\">\n");
        for c in &ep.chapters {
            let start = (c.start * 1000.0).round() / 1000.0;
            let title = match &c.url {
                Some(u) => link(u, &c.title),
                None => escape(&c.title),
            };
            h.push_str(&format!(
                "<li><a class=\"t\" href=\"{}#t={start}\" data-start=\"{start}\">{}</a>{title}</li>\n",
                escape(&ep.enclosure.url),
                timestamp(c.start)
            ));
        }
        h.push_str("</ol>\n");
    }
    let sections: Vec<_> = ep.body_sections().collect();
    if !sections.is_empty() {
        h.push_str("<h2 id=\"in-this-episode\">In this episode</h2>\n<ul>\n");
        for s in sections {
            h.push_str(&format!(
                "<li>{}</li>\n",
                link(&ep.section_url(&s.id), &s.title)
            ));
        }
        h.push_str("</ul>\n");
    }
    let takeaways = ep.takeaways();
    if !takeaways.is_empty() {
        h.push_str("<h2 id=\"takeaways\">Key takeaways</h2>\n<ul>\n");
        for t in takeaways {
            h.push_str(&format!(
                "<li>{}</li>\n",
                blocks::inlines_html(t, Html::Rich, base)
            ));
        }
        h.push_str("</ul>\n");
    }
    if !ep.article.faq.is_empty() {
        h.push_str("<h2 id=\"faq\">Frequently asked questions</h2>\n");
        for f in &ep.article.faq {
            h.push_str(&format!(
                "<h3>{}</h3>\n{}\n",
                escape(&f.question),
                blocks::blocks_html(&f.answer, Html::Rich, base)
            ));
        }
    }
    if !ep.article.references.is_empty() {
        h.push_str("<h2 id=\"references\">References</h2>\n<ol>\n");
        for r in &ep.article.references {
            let url = r.url.as_deref().and_then(|u| blocks::absolute(u, base));
            match url {
                Some(u) => h.push_str(&format!("<li>{} {}</li>\n", escape(&r.text), link(&u, &u))),
                None => h.push_str(&format!("<li>{}</li>\n", escape(&r.text))),
            }
        }
        h.push_str("</ol>\n");
    }
    let help: Vec<_> = ep.help().into_iter().cloned().collect();
    if !help.is_empty() {
        h.push_str("<h2 id=\"help\">Getting help</h2>\n<div class=\"help\">\n");
        h.push_str(&blocks::blocks_html(&help, Html::Rich, base));
        h.push_str("\n</div>\n");
    }
    h.push_str(&format!(
        "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    ));
    h
}

/// schema.org `PodcastEpisode`, for search engines.
fn json_ld(show: &Show, ep: &Episode) -> String {
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "PodcastEpisode",
        "name": ep.title,
        "url": ep.notes_url,
        "datePublished": ep.published.to_rfc3339(),
        "description": blocks::blocks_text(&ep.summary, &ep.link),
        "partOfSeries": {"@type": "PodcastSeries", "name": show.config.title, "url": show.config.link},
        "associatedMedia": {
            "@type": "MediaObject",
            "contentUrl": ep.enclosure.url,
            "encodingFormat": ep.enclosure.mime,
            "duration": format!("PT{}S", ep.duration_secs()),
        },
        "subjectOf": {"@type": "Article", "url": ep.link},
    });
    if let Some(n) = ep.number {
        value["episodeNumber"] = n.into();
    }
    if let Some(v) = &ep.youtube {
        value["video"] = serde_json::json!({
            "@type": "VideoObject",
            "name": ep.title,
            "embedUrl": v.embed_url(),
            "thumbnailUrl": v.thumbnail_url(),
            "uploadDate": ep.published.to_rfc3339(),
        });
    }
    // `</script>` or `<!--` in a title would end or change the script element.
    super::safe::inline_json(&value)
}
