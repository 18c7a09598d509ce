//! `show-notes.html`: a complete, standalone episode page that links the
//! article, the audio and the video to each other.

use super::blocks::{self, Html, escape, link};
use super::chapters::timestamp;
use super::{anchors, help, layout};
use crate::model::{Episode, Show};

/// The episodes beside this one in the show, for previous/next links.
#[derive(Clone, Copy, Default)]
pub(super) struct Neighbours<'a> {
    /// Published before this one.
    pub older: Option<&'a Episode>,
    /// Published after this one.
    pub newer: Option<&'a Episode>,
}

pub(super) fn render(show: &Show, ep: &Episode, nav: Neighbours) -> String {
    let base = ep.link.as_str();
    let cfg = &show.config;
    let mut extra = format!(
        "<script type=\"application/ld+json\">{}</script>\n",
        json_ld(show, ep)
    );
    for (rel, other) in [("prev", nav.older), ("next", nav.newer)] {
        if let Some(o) = other {
            extra.push_str(&format!(
                "<link rel=\"{rel}\" href=\"{}\">\n",
                escape(&o.notes_url)
            ));
        }
    }
    let mut h = layout::head(
        show,
        &layout::Head {
            title: format!("{} · {}", ep.title, cfg.title),
            description: blocks::blocks_text(&ep.summary, base),
            canonical: &ep.notes_url,
            og_type: "article",
            audio: Some((&ep.enclosure.url, &ep.enclosure.mime)),
            extra,
        },
    );
    h.push_str(&layout::bar(show, HOME));
    h.push_str("<main id=\"content\">\n<header>\n");
    h.push_str(&format!(
        "<h1>{}{}</h1>\n",
        layout::badge(ep),
        escape(&ep.title)
    ));
    let mut meta = vec![layout::date(ep), layout::minutes(ep.duration)];
    let label = layout::label(ep);
    if !label.is_empty() {
        meta.push(escape(&label));
    }
    h.push_str(&format!(
        "<p class=\"meta\">{}</p>\n</header>\n",
        meta.join(" · ")
    ));
    // Help first: in a phone's first screen, before the summary and the player.
    if let Some(line) = help::help_line(ep) {
        h.push_str(&format!(
            "<aside class=\"helpline\" aria-label=\"Get help now\"><p>{} <a href=\"#help\">More help</a></p></aside>\n",
            help::html(&line)
        ));
    }

    h.push_str(&blocks::blocks_html(&ep.summary, Html::Rich, base));
    h.push('\n');
    h.push_str(&player(ep));
    if let Some(v) = &ep.youtube {
        // Click to load: nothing is requested from YouTube until the visitor asks for
        // the video, and then only from youtube-nocookie.com. Without scripts it is a link.
        // The picture is the show's cover (the YouTube thumbnail would be a request to YouTube).
        h.push_str(&format!(
            "<div class=\"video{}\"><a href=\"{}\" data-embed=\"{}?autoplay=1&amp;enablejsapi=1\" data-title=\"{}\" style=\"background-image:url(&quot;{}&quot;)\"><span class=\"play\">▶ Play the video</span><span class=\"title\">{}</span><small>loads from YouTube (youtube-nocookie.com)</small></a></div>\n",
            if ep.youtube_short { " short" } else { "" },
            escape(&v.watch_url()),
            escape(&v.embed_url()),
            escape(&ep.title),
            escape(&cfg.image_url),
            escape(&ep.title),
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
                "<li data-start=\"{start}\"><a class=\"t\" href=\"{}#t={start}\" data-start=\"{start}\" aria-label=\"Play from {}\">{}</a>{title}</li>\n",
                escape(&ep.enclosure.url),
                timestamp(c.start),
                timestamp(c.start)
            ));
        }
        h.push_str("</ol>\n");
    }
    let sections = anchors::body_links(show, ep);
    if !sections.is_empty() {
        h.push_str("<h2 id=\"in-this-episode\">In this episode</h2>\n<ul>\n");
        for (s, url) in sections {
            h.push_str(&format!("<li>{}</li>\n", link(&url, &s.title)));
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
    h.push_str(&pager(nav));
    h.push_str("</main>\n");
    h.push_str(&layout::footer(show));
    h
}

/// The show page, from an episode folder.
const HOME: &str = "../index.html";

/// The audio player: the browser's own controls, which the script swaps for
/// controls with skip, speed and chapter marks. The known duration is written
/// in, so it shows before anything is loaded.
fn player(ep: &Episode) -> String {
    let total = ep.duration.max(0.0);
    let mut marks = String::new();
    if total > 0.0 {
        for c in ep.chapters.iter().filter(|c| c.start > 0.0) {
            marks.push_str(&format!(
                "<span style=\"left:{:.2}%\"></span>",
                (c.start / total * 100.0).min(100.0)
            ));
        }
    }
    format!(
        "<figure class=\"player\" aria-label=\"Audio player\">\n\
<audio id=\"player\" controls preload=\"none\" src=\"{src}\"></audio>\n\
<div id=\"player-ui\" data-duration=\"{secs}\" hidden>\n\
<div class=\"controls\"><button type=\"button\" class=\"play\" aria-pressed=\"false\">Play</button>\
<button type=\"button\" data-skip=\"-15\">Back 15 s</button>\
<button type=\"button\" data-skip=\"30\">Forward 30 s</button>\
<select aria-label=\"Playback speed\"><option value=\"0.75\">0.75×</option><option value=\"1\" selected>1×</option><option value=\"1.25\">1.25×</option><option value=\"1.5\">1.5×</option><option value=\"1.75\">1.75×</option><option value=\"2\">2×</option></select>\
<span class=\"time\"><span class=\"now\">0:00</span> / {dur}</span></div>\n\
<div class=\"track\"><input type=\"range\" min=\"0\" max=\"{secs}\" step=\"1\" value=\"0\" aria-label=\"Seek\"><div class=\"marks\" aria-hidden=\"true\">{marks}</div></div>\n\
</div>\n<figcaption>Duration {dur}</figcaption>\n</figure>\n",
        src = escape(&ep.enclosure.url),
        secs = ep.duration_secs(),
        dur = timestamp(total),
    )
}

/// Previous and next episode, and the way back to the show.
fn pager(nav: Neighbours) -> String {
    let mut out = String::from("<nav class=\"pager\" aria-label=\"More episodes\">\n");
    if let Some(o) = nav.older {
        out.push_str(&format!(
            "<a class=\"prev\" rel=\"prev\" href=\"../{}/show-notes.html\"><small>Previous episode</small>{}</a>\n",
            escape(&o.slug),
            escape(&o.title)
        ));
    }
    out.push_str(&format!(
        "<a class=\"home\" href=\"{HOME}\"><small>The show</small>All episodes</a>\n"
    ));
    if let Some(n) = nav.newer {
        out.push_str(&format!(
            "<a class=\"next\" rel=\"next\" href=\"../{}/show-notes.html\"><small>Next episode</small>{}</a>\n",
            escape(&n.slug),
            escape(&n.title)
        ));
    }
    out.push_str("</nav>\n");
    out
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
    // `</` would end the script element early.
    value.to_string().replace("</", "<\\/")
}
