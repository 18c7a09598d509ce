//! `show-notes.html`: a complete, standalone episode page that links the
//! article, the audio and the video to each other.

use super::blocks::{self, Html, escape, link};
use super::chapters::timestamp;
use super::theme::{self, Theme};
use super::{anchors, help, layout};
use crate::model::{Episode, Listing, Show};

/// The episodes beside this one in the show, for previous/next links.
#[derive(Clone, Copy, Default)]
pub(crate) struct Neighbours<'a> {
    /// Published before this one.
    pub older: Option<&'a Listing>,
    /// Published after this one.
    pub newer: Option<&'a Listing>,
}

pub(super) fn render(
    theme: &Theme,
    show: &Show,
    ep: &Episode,
    nav: Neighbours,
    warnings: &mut Vec<String>,
) -> String {
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
    let head = layout::head(
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
    let mut meta = vec![layout::date(ep), layout::minutes(ep.duration)];
    let label = layout::label(ep);
    if !label.is_empty() {
        meta.push(escape(&label));
    }
    let mut parts = std::collections::BTreeMap::new();
    parts.insert("badge", layout::badge(ep).to_string());
    parts.insert("artwork", artwork(ep));
    parts.insert("meta", meta.join(" · "));
    // Help first: in a phone's first screen, before the summary and the player.
    parts.insert(
        "helpline",
        help::help_line(ep)
            .map(|line| format!(
                "<aside class=\"helpline\" aria-label=\"Get help now\"><p>{} <a href=\"#help\">More help</a></p></aside>\n",
                help::html(&line)
            ))
            .unwrap_or_default(),
    );
    parts.insert(
        "summary",
        blocks::blocks_html(&ep.summary, Html::Rich, base),
    );
    parts.insert("player", player(ep));
    parts.insert("video", video(show, ep));
    parts.insert("links", links(show, ep));
    parts.insert("chapters", chapters(ep));
    parts.insert("sections", sections(show, ep));
    parts.insert("takeaways", takeaways(ep));
    parts.insert("faq", faq(ep));
    parts.insert(
        "transcript",
        ep.transcript
            .as_ref()
            .map(|t| transcript_html(ep, t))
            .unwrap_or_default(),
    );
    parts.insert("references", references(ep));
    parts.insert("help", help_section(ep));
    parts.insert("pager", pager(nav));
    let parts: std::collections::BTreeMap<&str, minijinja::Value> = parts
        .into_iter()
        .map(|(k, v)| (k, theme::html(v)))
        .collect();
    let episode = serde_json::json!({
        "title": ep.title,
        "slug": ep.slug,
        "kind": ep.kind.as_str(),
        "label": label,
        "season": ep.season,
        "number": ep.number,
        "date": ep.published.to_rfc3339(),
        "date_text": ep.published.format("%B %-d, %Y").to_string(),
        "duration": timestamp(ep.duration),
        "duration_seconds": ep.duration_secs(),
        "page_url": ep.notes_url,
        "article_url": ep.link,
        "audio_url": ep.enclosure.url,
        "audio_type": ep.enclosure.mime,
        "youtube_url": ep.youtube.as_ref().map(|v| v.watch_url()),
        "youtube_short": ep.youtube_short,
    });
    let link_of = |e: Option<&Listing>| {
        e.map(|e| serde_json::json!({"title": e.title, "href": format!("../{}/show-notes.html", e.slug)}))
    };
    let nav_value = serde_json::json!({
        "previous": link_of(nav.older),
        "next": link_of(nav.newer),
        "home": HOME,
    });
    theme.render(
        "episode.html",
        minijinja::context! {
            show => layout::show_value(show),
            episode => minijinja::Value::from_serialize(&episode),
            nav => minijinja::Value::from_serialize(&nav_value),
            home => HOME,
            head => theme::html(head),
            parts => parts,
        },
        warnings,
    )
}

/// Click to load: nothing is requested from YouTube until the visitor asks for
/// the video, and then only from youtube-nocookie.com. Without scripts it is a link.
/// The picture is the show's cover (the YouTube thumbnail would be a request to YouTube).
fn video(show: &Show, ep: &Episode) -> String {
    let Some(v) = &ep.youtube else {
        return String::new();
    };
    format!(
        "<div class=\"video{}\"><a href=\"{}\" data-embed=\"{}?autoplay=1&amp;enablejsapi=1\" data-title=\"{}\" style=\"background-image:url(&quot;{}&quot;)\"><span class=\"play\">▶ Play the video</span><span class=\"title\">{}</span><small>loads from YouTube (youtube-nocookie.com)</small></a></div>\n",
        if ep.youtube_short { " short" } else { "" },
        escape(&v.watch_url()),
        escape(&v.embed_url()),
        escape(video_title(ep)),
        escape(&show.config.image_url),
        escape(video_title(ep)),
    )
}

fn links(show: &Show, ep: &Episode) -> String {
    let mut h = String::from("<ul class=\"links\">\n");
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
        link(&show.config.feed_url, "Subscribe (RSS)")
    ));
    h.push_str("</ul>\n");
    h
}

fn chapters(ep: &Episode) -> String {
    if ep.chapters.is_empty() {
        return String::new();
    }
    let mut h = String::from("<h2 id=\"chapters\">Chapters</h2>\n<ol class=\"chapters\">\n");
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
    h
}

fn sections(show: &Show, ep: &Episode) -> String {
    let sections = anchors::body_links(show, ep);
    if sections.is_empty() {
        return String::new();
    }
    let mut h = String::from("<h2 id=\"in-this-episode\">In this episode</h2>\n<ul>\n");
    for (s, url) in sections {
        h.push_str(&format!("<li>{}</li>\n", link(&url, &s.title)));
    }
    h.push_str("</ul>\n");
    h
}

fn takeaways(ep: &Episode) -> String {
    let takeaways = ep.takeaways();
    if takeaways.is_empty() {
        return String::new();
    }
    let mut h = String::from("<h2 id=\"takeaways\">Key takeaways</h2>\n<ul>\n");
    for t in takeaways {
        h.push_str(&format!(
            "<li>{}</li>\n",
            blocks::inlines_html(t, Html::Rich, &ep.link)
        ));
    }
    h.push_str("</ul>\n");
    h
}

fn faq(ep: &Episode) -> String {
    if ep.article.faq.is_empty() {
        return String::new();
    }
    let mut h = String::from("<h2 id=\"faq\">Frequently asked questions</h2>\n");
    for f in &ep.article.faq {
        h.push_str(&format!(
            "<h3>{}</h3>\n{}\n",
            escape(&f.question),
            blocks::blocks_html(&f.answer, Html::Rich, &ep.link)
        ));
    }
    h
}

fn references(ep: &Episode) -> String {
    if ep.article.references.is_empty() {
        return String::new();
    }
    let mut h = String::from("<h2 id=\"references\">References</h2>\n<ol>\n");
    for r in &ep.article.references {
        let url = r.url.as_deref().and_then(|u| blocks::absolute(u, &ep.link));
        match url {
            Some(u) => h.push_str(&format!("<li>{} {}</li>\n", escape(&r.text), link(&u, &u))),
            None => h.push_str(&format!("<li>{}</li>\n", escape(&r.text))),
        }
    }
    h.push_str("</ol>\n");
    h
}

fn help_section(ep: &Episode) -> String {
    let help: Vec<_> = ep.help().into_iter().cloned().collect();
    if help.is_empty() {
        return String::new();
    }
    format!(
        "<h2 id=\"help\">Getting help</h2>\n<div class=\"help\">\n{}\n</div>\n",
        blocks::blocks_html(&help, Html::Rich, &ep.link)
    )
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

/// The video's name: its own YouTube title when `mspod pair` cached one (it may differ
/// from the episode's, e.g. carry the channel's branding), else the episode title.
fn video_title(ep: &Episode) -> &str {
    ep.youtube_title.as_deref().unwrap_or(&ep.title)
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
    if let Some(img) = &ep.tags.image {
        value["image"] = img.url.clone().into();
    }
    if let Some(v) = &ep.youtube {
        value["video"] = serde_json::json!({
            "@type": "VideoObject",
            "name": video_title(ep),
            "embedUrl": v.embed_url(),
            "thumbnailUrl": v.thumbnail_url(),
            "uploadDate": ep.published.to_rfc3339(),
        });
    }
    // `</script>` or `<!--` in a title would end or change the script element.
    super::safe::inline_json(&value)
}

/// The episode's own artwork, at a thumbnail size (the file is 1400+ px).
fn artwork(ep: &Episode) -> String {
    let Some(img) = &ep.tags.image else {
        return String::new();
    };
    format!(
        "<p class=\"artwork\"><img src=\"{}\" width=\"160\" height=\"{}\" alt=\"\"></p>\n",
        escape(&img.url),
        160 * img.height / img.width.max(1)
    )
}

/// Episodes longer than this show their transcript collapsed.
const LONG_EPISODE_SECONDS: f64 = 15.0 * 60.0;
/// A speaker's turn is split into paragraphs of about this length.
const PARAGRAPH_SECONDS: f64 = 30.0;

/// The transcript as paragraphs (one per speaker turn, split every half minute
/// and where a chapter starts, under the chapter's title as Apple shows them),
/// each opening with a time that seeks the player and, on a change of speaker,
/// the speaker's name. Plain text in the page, so the browser's find works.
fn transcript_html(ep: &Episode, t: &crate::transcript::Transcript) -> String {
    let mut h = String::new();
    let open = if ep.duration > LONG_EPISODE_SECONDS {
        ""
    } else {
        " open"
    };
    h.push_str(&format!(
        "<h2 id=\"transcript\">Transcript</h2>\n<details class=\"transcript\"{open}>\n<summary>Transcript ({} cues)</summary>\n",
        t.cues.len()
    ));
    let mut speaker: Option<&str> = None;
    let mut para_start: Option<f64> = None;
    let mut chapters = ep.chapters.iter().peekable();
    for (i, c) in t.cues.iter().enumerate() {
        // Chapters that start before this cue ends open here (a millisecond of slack for rounding).
        let mut heading = None;
        while let Some(ch) = chapters.next_if(|ch| ch.start < c.end - 0.001) {
            heading = Some(ch);
        }
        let turn = i == 0 || c.speaker.as_deref() != speaker;
        let long = para_start.is_some_and(|s| c.start - s >= PARAGRAPH_SECONDS);
        if turn || long || heading.is_some() {
            if i > 0 {
                h.push_str("</p>\n");
            }
            if let Some(ch) = heading {
                h.push_str(&format!("<h3>{}</h3>\n", escape(&ch.title)));
            }
            let start = (c.start * 1000.0).round() / 1000.0;
            h.push_str(&format!(
                "<p><a class=\"t\" href=\"{}#t={start}\" data-start=\"{start}\">{}</a>",
                escape(&ep.enclosure.url),
                timestamp(c.start)
            ));
            if let Some(name) = c.speaker.as_deref().filter(|_| turn || heading.is_some()) {
                h.push_str(&format!("<span class=\"who\">{}</span>", escape(name)));
            }
            para_start = Some(c.start);
        } else {
            h.push(' ');
        }
        speaker = c.speaker.as_deref();
        h.push_str(&escape(&c.text));
    }
    if !t.cues.is_empty() {
        h.push_str("</p>\n");
    }
    h.push_str("</details>\n");
    h
}
