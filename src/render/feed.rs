//! `podcast.xml`: RSS 2.0 with the iTunes, Podcasting 2.0, content and Atom
//! namespaces. The only place in mspod that writes XML.
//!
//! Element order is fixed (channel metadata, then items newest first) and every
//! value is cleaned of characters XML 1.0 forbids, so the output is valid and
//! byte-for-byte reproducible.

use super::notes;
use crate::model::{Episode, Show};
use chrono::{DateTime, TimeZone};
use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io;

pub(super) const NS_ITUNES: &str = crate::ns::ITUNES;
pub(super) const NS_PODCAST: &str = crate::ns::PODCAST;
pub(super) const NS_CONTENT: &str = crate::ns::CONTENT;
pub(super) const NS_ATOM: &str = crate::ns::ATOM;

/// RFC 2822 date in UTC with a two-digit day, as most feeds write it.
pub(super) fn rfc2822<Tz: TimeZone>(date: &DateTime<Tz>) -> String {
    date.with_timezone(&chrono::Utc)
        .format("%a, %d %b %Y %H:%M:%S +0000")
        .to_string()
}

/// Removes characters XML 1.0 does not allow (C0 controls other than tab, LF, CR; U+FFFE/FFFF).
fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if s.chars().any(bad) {
        s.chars().filter(|c| !bad(*c)).collect::<String>().into()
    } else {
        s.into()
    }
}

/// A thin layer over quick-xml's writer for the three shapes a feed needs.
struct Xml {
    w: Writer<Vec<u8>>,
}

impl Xml {
    /// An opening tag with its attribute values cleaned.
    fn tag<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
        let mut el = BytesStart::new(name);
        for (k, v) in attrs {
            el.push_attribute((*k, clean(v).as_ref()));
        }
        el
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Start(Self::tag(name, attrs)))
    }

    fn end(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name attrs>text</name>`
    fn text_attrs(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.start(name, attrs)?;
        let cleaned = clean(text);
        self.w
            .write_event(Event::Text(BytesText::from_escaped(partial_escape(
                cleaned.as_ref(),
            ))))?;
        self.end(name)
    }

    fn text(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.text_attrs(name, &[], text)
    }

    /// `<name attrs/>`
    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Empty(Self::tag(name, attrs)))
    }

    /// `<name><![CDATA[html]]></name>`, splitting any `]]>` inside.
    fn cdata(&mut self, name: &str, html: &str) -> io::Result<()> {
        self.start(name, &[])?;
        let cleaned = clean(html);
        for part in BytesCData::escaped(cleaned.as_ref()) {
            self.w.write_event(Event::CData(part))?;
        }
        self.end(name)
    }
}

/// Where a feed page sits among the pages of a paged feed (RFC 5005).
#[derive(Debug, Clone, Default)]
pub(super) struct Page {
    /// This page's URL (`atom:link rel="self"`).
    pub url: String,
    /// `first`, `previous`, `next`, `last` links; empty for an unpaged feed.
    pub links: Vec<(&'static str, String)>,
}

/// The feed (or one page of it) around its items: the bytes before the first
/// `<item>` and after the last. Items ([`item_xml`]) go between them in episode
/// order, so a feed of any length is written without holding it whole.
pub(super) fn frame(show: &Show, page: &Page, warnings: &mut Vec<String>) -> (Vec<u8>, Vec<u8>) {
    let mut xml = Xml {
        w: Writer::new_with_indent(Vec::new(), b' ', 2),
    };
    // Writing into a Vec cannot fail; an error here would be a bug in quick-xml.
    match write(&mut xml, show, page) {
        Ok(at) => {
            let mut head = xml.w.into_inner();
            head.push(b'\n');
            let tail = head.split_off(at);
            (head, tail)
        }
        Err(e) => {
            warnings.push(format!("internal error while writing the feed: {e}"));
            (Vec::new(), Vec::new())
        }
    }
}

/// One episode's `<item>`, indented for its place in the feed. Items are rendered
/// apart so an unchanged episode's item can be reused as it is.
pub(super) fn item_xml(show: &Show, ep: &Episode, warnings: &mut Vec<String>) -> String {
    let mut x = Xml {
        w: Writer::new_with_indent(Vec::new(), b' ', 2),
    };
    // Open <rss><channel> so the writer indents the item at its depth, then keep only the item.
    let result = x
        .start("rss", &[])
        .and_then(|()| x.start("channel", &[]))
        .and_then(|()| {
            let start = x.w.get_ref().len();
            item(&mut x, show, ep, warnings).map(|()| start)
        });
    match result {
        Ok(start) => String::from_utf8_lossy(&x.w.get_ref()[start..]).into_owned(),
        Err(e) => {
            warnings.push(format!("internal error while writing the feed: {e}"));
            String::new()
        }
    }
}

/// Writes the feed without items; returns where they go.
fn write(x: &mut Xml, show: &Show, page: &Page) -> io::Result<usize> {
    let c = &show.config;
    x.w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    x.start(
        "rss",
        &[
            ("version", "2.0"),
            ("xmlns:itunes", NS_ITUNES),
            ("xmlns:podcast", NS_PODCAST),
            ("xmlns:content", NS_CONTENT),
            ("xmlns:atom", NS_ATOM),
        ],
    )?;
    x.start("channel", &[])?;
    x.text("title", &c.title)?;
    x.text("link", &c.link)?;
    x.text("description", &c.description)?;
    x.text("language", &c.language)?;
    if let Some(copyright) = &c.copyright {
        x.text("copyright", copyright)?;
    }
    x.text("generator", "mspod")?;
    let last_build = rfc2822(&show.last_build);
    x.text("pubDate", &last_build)?;
    x.text("lastBuildDate", &last_build)?;
    x.empty(
        "atom:link",
        &[
            ("href", &page.url),
            ("rel", "self"),
            ("type", "application/rss+xml"),
        ],
    )?;
    // WebSub: apps that subscribe to a hub hear about a new episode in seconds.
    for hub in &c.hubs {
        x.empty("atom:link", &[("href", hub), ("rel", "hub")])?;
    }
    for (rel, href) in &page.links {
        x.empty(
            "atom:link",
            &[
                ("href", href),
                ("rel", rel),
                ("type", "application/rss+xml"),
            ],
        )?;
    }
    x.start("image", &[])?;
    x.text("url", &c.image_url)?;
    x.text("title", &c.title)?;
    x.text("link", &c.link)?;
    x.end("image")?;

    x.text("itunes:author", &c.author)?;
    x.start("itunes:owner", &[])?;
    x.text("itunes:name", &c.owner.name)?;
    x.text("itunes:email", &c.owner.email)?;
    x.end("itunes:owner")?;
    x.empty("itunes:image", &[("href", &c.image_url)])?;
    for cat in &c.categories {
        match &cat.sub {
            Some(sub) => {
                x.start("itunes:category", &[("text", &cat.name)])?;
                x.empty("itunes:category", &[("text", sub)])?;
                x.end("itunes:category")?;
            }
            None => x.empty("itunes:category", &[("text", &cat.name)])?,
        }
    }
    x.text("itunes:explicit", if c.explicit { "true" } else { "false" })?;
    x.text(
        "itunes:type",
        match c.kind {
            crate::load::ShowType::Episodic => "episodic",
            crate::load::ShowType::Serial => "serial",
        },
    )?;
    x.text("podcast:guid", &show.podcast_guid)?;
    channel_tags(x, show)?;
    if c.podping {
        x.empty("podcast:podping", &[("usesPodping", "true")])?;
    }

    let items_at = x.w.get_ref().len();
    x.end("channel")?;
    x.end("rss")?;
    Ok(items_at)
}

fn item(x: &mut Xml, show: &Show, ep: &Episode, warnings: &mut Vec<String>) -> io::Result<()> {
    x.start("item", &[])?;
    x.text("title", &ep.title)?;
    x.text("itunes:title", &ep.title)?;
    x.text("link", &ep.link)?;
    x.text_attrs("guid", &[("isPermaLink", "false")], &ep.guid)?;
    x.text("pubDate", &rfc2822(&ep.published))?;
    let length = ep.enclosure.length.to_string();
    x.empty(
        "enclosure",
        &[
            ("url", &ep.enclosure.url),
            ("length", &length),
            ("type", &ep.enclosure.mime),
        ],
    )?;
    x.text("itunes:duration", &ep.duration_secs().to_string())?;
    if let Some(n) = ep.season {
        x.text("itunes:season", &n.to_string())?;
    }
    if let Some(n) = ep.number {
        x.text("itunes:episode", &n.to_string())?;
    }
    x.text("itunes:episodeType", ep.kind.as_str())?;
    x.text(
        "itunes:explicit",
        if ep.explicit { "true" } else { "false" },
    )?;
    x.cdata("description", &notes::feed_description(show, ep, warnings))?;
    x.cdata("content:encoded", &notes::content_encoded(show, ep))?;
    if let Some(url) = &ep.chapters_url {
        x.empty(
            "podcast:chapters",
            &[("url", url), ("type", "application/json+chapters")],
        )?;
    }
    // Transcripts (issue 11): one tag per format, VTT first (Apple prefers it).
    for &(name, mime, captions) in super::transcripts(ep) {
        let url = format!("{}{}/{name}", show.feeds_base_url, ep.slug);
        let mut attrs = vec![
            ("url", url.as_str()),
            ("type", mime),
            ("language", show.config.language.as_str()),
        ];
        if captions {
            attrs.push(("rel", "captions"));
        }
        x.empty("podcast:transcript", &attrs)?;
    }
    if let Some(v) = &ep.youtube {
        x.text_attrs(
            "podcast:contentLink",
            &[("href", &v.watch_url())],
            "Watch on YouTube",
        )?;
    }
    item_tags(x, ep)?;
    x.end("item")
}

// ---- Podcasting 2.0 / Apple feed control, people, artwork, video (issue 12) ----------

/// Whole numbers without a fraction, others as Rust prints them (`73.5`).
fn seconds(s: f64) -> String {
    let r = (s * 1000.0).round() / 1000.0;
    format!("{r}")
}

fn person(x: &mut Xml, p: &crate::load::tags::Person) -> io::Result<()> {
    let mut attrs = vec![("role", p.role.as_str()), ("group", p.group.as_str())];
    if let Some(img) = &p.img {
        attrs.push(("img", img));
    }
    if let Some(href) = &p.href {
        attrs.push(("href", href));
    }
    x.text_attrs("podcast:person", &attrs, &p.name)
}

fn location(x: &mut Xml, l: &crate::load::tags::Location) -> io::Result<()> {
    let mut attrs = Vec::new();
    for (k, v) in [
        ("rel", &l.rel),
        ("geo", &l.geo),
        ("osm", &l.osm),
        ("country", &l.country),
    ] {
        if let Some(v) = v {
            attrs.push((k, v.as_str()));
        }
    }
    x.text_attrs("podcast:location", &attrs, &l.name)
}

fn image(x: &mut Xml, img: &crate::model::tags::Image, alt: &str) -> io::Result<()> {
    let (w, h) = (img.width.to_string(), img.height.to_string());
    let ratio = if img.width == img.height {
        "1/1".to_string()
    } else {
        format!("{}/{}", img.width, img.height)
    };
    x.empty(
        "podcast:image",
        &[
            ("href", &img.url),
            ("alt", alt),
            ("aspect-ratio", &ratio),
            ("width", &w),
            ("height", &h),
            ("type", img.mime),
            ("purpose", "artwork"),
        ],
    )
}

fn remote_item(
    x: &mut Xml,
    r: &crate::load::tags::RemoteFeed,
    medium: Option<&str>,
) -> io::Result<()> {
    let mut attrs = vec![("feedGuid", r.guid.as_str())];
    if let Some(u) = &r.url {
        attrs.push(("feedUrl", u));
    }
    if let Some(t) = &r.title {
        attrs.push(("title", t));
    }
    if let Some(m) = medium {
        attrs.push(("medium", m));
    }
    x.empty("podcast:remoteItem", &attrs)
}

/// Channel-level feed control and Podcasting 2.0 tags, after `podcast:guid`.
fn channel_tags(x: &mut Xml, show: &Show) -> io::Result<()> {
    use crate::load::tags::Block;
    let c = &show.config;
    let t = &c.tags;
    x.text_attrs(
        "podcast:locked",
        &[("owner", &c.owner.email)],
        if t.locked { "yes" } else { "no" },
    )?;
    x.text("podcast:medium", &t.medium)?;
    if let Some(url) = &t.new_feed_url {
        x.text("itunes:new-feed-url", url)?;
    }
    if t.complete {
        x.text("itunes:complete", "Yes")?;
    }
    match &t.block {
        Block::No => {}
        Block::All => {
            x.text("itunes:block", "Yes")?;
            x.text("podcast:block", "yes")?;
        }
        Block::Services(list) => {
            if list.iter().any(|s| s == "apple") {
                x.text("itunes:block", "Yes")?;
            }
            for s in list {
                x.text_attrs("podcast:block", &[("id", s)], "yes")?;
            }
        }
    }
    for p in c
        .people
        .iter()
        .filter(|p| p.role == "host" || p.role == "co-host")
    {
        person(x, p)?;
    }
    if let Some(l) = &t.license {
        match &l.url {
            Some(url) => x.text_attrs("podcast:license", &[("url", url)], &l.name)?,
            None => x.text("podcast:license", &l.name)?,
        }
    }
    for l in &t.location {
        location(x, l)?;
    }
    for txt in &t.txt {
        match &txt.purpose {
            Some(p) => x.text_attrs("podcast:txt", &[("purpose", p)], &txt.value)?,
            None => x.text("podcast:txt", &txt.value)?,
        }
    }
    for f in &t.funding {
        x.text_attrs("podcast:funding", &[("url", &f.url)], &f.text)?;
    }
    for ep in show
        .episodes
        .iter()
        .filter(|e| e.kind == crate::load::EpisodeType::Trailer)
    {
        let length = ep.enclosure.length.to_string();
        let season = ep.season.map(|n| n.to_string());
        let pubdate = rfc2822(&ep.published);
        let mut attrs = vec![
            ("pubdate", pubdate.as_str()),
            ("url", ep.enclosure.url.as_str()),
            ("length", &length),
            ("type", ep.enclosure.mime.as_str()),
        ];
        if let Some(s) = &season {
            attrs.push(("season", s));
        }
        x.text_attrs("podcast:trailer", &attrs, &ep.title)?;
    }
    if let Some(cover) = &show.cover {
        image(x, cover, &c.title)?;
    }
    if let Some(f) = &show.update_frequency {
        let mut attrs = Vec::new();
        if let Some(r) = &f.rrule {
            attrs.push(("rrule", r.as_str()));
        }
        if let Some(d) = &f.dtstart {
            attrs.push(("dtstart", d.as_str()));
        }
        if f.complete {
            attrs.push(("complete", "true"));
        }
        x.text_attrs("podcast:updateFrequency", &attrs, &f.text)?;
    }
    if !t.podroll.is_empty() {
        x.start("podcast:podroll", &[])?;
        for r in &t.podroll {
            remote_item(x, r, None)?;
        }
        x.end("podcast:podroll")?;
    }
    if let Some(p) = &t.publisher {
        x.start("podcast:publisher", &[])?;
        remote_item(x, p, Some("publisher"))?;
        x.end("podcast:publisher")?;
    }
    Ok(())
}

/// Item-level feed control and Podcasting 2.0 tags, last in the item.
fn item_tags(x: &mut Xml, ep: &Episode) -> io::Result<()> {
    let t = &ep.tags;
    if let Some(img) = &t.image {
        x.empty("itunes:image", &[("href", &img.url)])?;
    }
    if t.block {
        x.text("itunes:block", "Yes")?;
    }
    // The same numbers as itunes:season / itunes:episode, for apps that read only these.
    if let Some(n) = ep.season {
        x.text("podcast:season", &n.to_string())?;
    }
    if let Some(n) = ep.number {
        x.text("podcast:episode", &n.to_string())?;
    }
    for p in &t.people {
        person(x, p)?;
    }
    if let Some(img) = &t.image {
        image(x, img, &ep.title)?;
    }
    for b in &t.soundbites {
        x.text_attrs(
            "podcast:soundbite",
            &[
                ("startTime", &seconds(b.start)),
                ("duration", &seconds(b.duration)),
            ],
            &b.title,
        )?;
    }
    for l in &t.location {
        location(x, l)?;
    }
    if let Some(v) = &t.video {
        let length = v.length.to_string();
        let height = v.height.to_string();
        let bitrate = v.bitrate.map(|b| b.to_string());
        let mut attrs = vec![("type", "video/mp4"), ("length", length.as_str())];
        if let Some(b) = &bitrate {
            attrs.push(("bitrate", b));
        }
        attrs.push(("height", &height));
        attrs.push(("title", "Video"));
        x.start("podcast:alternateEnclosure", &attrs)?;
        x.empty("podcast:source", &[("uri", &v.url)])?;
        x.empty("podcast:integrity", &[("type", "sri"), ("value", &v.sri)])?;
        x.end("podcast:alternateEnclosure")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc2822_in_utc_with_two_digit_days() {
        let d = DateTime::parse_from_rfc3339("2026-05-06T09:00:00-04:00").unwrap_or_default();
        assert_eq!(rfc2822(&d), "Wed, 06 May 2026 13:00:00 +0000");
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(clean("a\u{0}b\u{1b}c\td\n"), "abc\td\n");
    }
}
