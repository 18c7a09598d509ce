//! YouTube channel / playlist Atom feeds (`/feeds/videos.xml?channel_id=…`).
//!
//! The feed holds only the newest ~15 uploads and fails intermittently, so a
//! fetched feed that parses is cached, and a failed fetch falls back to the
//! cached copy with a warning. A failure is never read as "no videos".

use super::Video;
use super::cache::Cache;
use crate::http::retry::Http;
use crate::youtube::VideoId;
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const YT: &str = "http://www.youtube.com/xml/schemas/2015";
const MEDIA: &str = "http://search.yahoo.com/mrss/";

/// Which element's text is being read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    VideoId,
    Title,
    Published,
    Description,
    MediaTitle,
}

/// What an entry says about the video's shape (Shorts are short and vertical).
#[derive(Debug, Default)]
struct Shape {
    duration: Option<f64>,
    width: Option<u32>,
    height: Option<u32>,
    short_link: bool,
}

/// The entries of a channel or playlist feed, in feed order.
pub fn parse(xml: &str) -> Result<Vec<Video>, String> {
    let mut reader = NsReader::from_str(xml);
    let mut videos = Vec::new();
    let mut in_entry = false;
    let mut saw_feed = false;
    let mut field: Option<Field> = None;
    let mut text = String::new();
    let mut id: Option<String> = None;
    let mut title: Option<String> = None;
    let mut media_title: Option<String> = None;
    let mut published: Option<String> = None;
    let mut description = String::new();
    let mut link: Option<String> = None;
    let mut shape = Shape::default();
    loop {
        let position = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("not a well-formed feed (byte {position}): {e}"))?;
        let ns = match ns {
            ResolveResult::Bound(n) => n.0.to_string(),
            _ => String::new(),
        };
        match event {
            Event::Start(e) | Event::Empty(e) if !in_entry => {
                let name = e.local_name();
                if ns == ATOM && name.as_ref() == "feed" {
                    saw_feed = true;
                }
                if ns == ATOM && name.as_ref() == "entry" {
                    in_entry = true;
                    (id, title, media_title, published, link) = (None, None, None, None, None);
                    description.clear();
                    shape = Shape::default();
                }
            }
            Event::Start(e) => {
                let name = e.local_name();
                field = match (ns.as_str(), name.as_ref()) {
                    (YT, "videoId") => Some(Field::VideoId),
                    (ATOM, "title") => Some(Field::Title),
                    (ATOM, "published") => Some(Field::Published),
                    (MEDIA, "description") => Some(Field::Description),
                    (MEDIA, "title") => Some(Field::MediaTitle),
                    _ => None,
                };
                text.clear();
            }
            Event::Empty(e) if ns == ATOM && e.local_name().as_ref() == "link" => {
                let rel = attr(&e, "rel");
                if rel.as_deref().is_none_or(|r| r == "alternate") {
                    link = attr(&e, "href");
                    if link.as_deref().is_some_and(|l| l.contains("/shorts/")) {
                        shape.short_link = true;
                    }
                }
            }
            Event::Empty(e) if ns == MEDIA && e.local_name().as_ref() == "content" => {
                let num = |n: &str| attr(&e, n).and_then(|v| v.trim().parse::<f64>().ok());
                shape.duration = shape.duration.or(num("duration"));
                shape.width = shape.width.or(num("width").map(|w| w as u32));
                shape.height = shape.height.or(num("height").map(|h| h as u32));
            }
            Event::Empty(e) if ns == YT && e.local_name().as_ref() == "duration" => {
                shape.duration = attr(&e, "seconds").and_then(|v| v.trim().parse().ok());
            }
            Event::Text(t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(t) if field.is_some() => text.push_str(&t.into_inner()),
            Event::GeneralRef(r) if field.is_some() => {
                let name = r.into_inner();
                if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                    text.push_str(s);
                } else if let Some(c) = name
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32)
                {
                    text.push(c);
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                if ns == ATOM && name.as_ref() == "entry" {
                    in_entry = false;
                    let raw = id.take().or_else(|| link.take());
                    let Some(raw) = raw else {
                        return Err(format!(
                            "entry {} has no yt:videoId and no link",
                            videos.len() + 1
                        ));
                    };
                    let vid = VideoId::parse(&raw)
                        .map_err(|why| format!("entry {}: {why}", videos.len() + 1))?;
                    videos.push(Video {
                        id: vid,
                        title: title.take().or(media_title.take()),
                        published: published.take(),
                        description: std::mem::take(&mut description),
                        duration: shape.duration,
                        width: shape.width,
                        height: shape.height,
                        short_link: shape.short_link,
                    });
                } else if let Some(f) = field.take() {
                    let value = std::mem::take(&mut text).trim().to_string();
                    match f {
                        Field::VideoId => id = Some(value),
                        Field::Title => title = Some(value),
                        Field::MediaTitle => media_title = Some(value),
                        Field::Published => published = Some(value),
                        Field::Description => description = value,
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_feed {
        return Err("not an Atom feed (no <feed> element in the Atom namespace)".into());
    }
    Ok(videos)
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// Videos read from a feed, and whether they came from the cache.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub videos: Vec<Video>,
    /// Set when the fetch failed and the last good copy was used.
    pub warning: Option<String>,
}

/// The validators of the cached copy, for a conditional GET.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
}

/// Fetches a feed URL with a conditional GET against the cached copy (304:
/// the copy is current). On any failure (network, status, unparsable body)
/// falls back to the last good copy. Without one, the error names the cause.
pub fn fetch(url: &str, http: Option<&Http>, cache: &Cache) -> Result<Loaded, String> {
    let cached = cache.feed_path(url);
    let meta = cached.with_extension("json");
    let from_cache = || cache.read(&cached).map(|text| parse(&text));
    let failure = match http {
        None => "offline".to_string(),
        Some(http) => {
            let validators: Validators = cache
                .read(&meta)
                .filter(|_| cached.is_file())
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            let mut headers = Vec::new();
            if let Some(etag) = validators.etag {
                headers.push(("If-None-Match", etag));
            }
            if let Some(date) = validators.last_modified {
                headers.push(("If-Modified-Since", date));
            }
            match http.get_with(url, &headers) {
                Ok(r) if r.status == 304 => match from_cache() {
                    Some(Ok(videos)) => {
                        return Ok(Loaded {
                            videos,
                            warning: None,
                        });
                    }
                    _ => "HTTP 304 but the cached copy is gone".to_string(),
                },
                Ok(r) if r.status == 200 => match parse(&r.text()) {
                    Ok(videos) => {
                        let fresh = Validators {
                            etag: r.etag.clone(),
                            last_modified: r.last_modified.clone(),
                        };
                        let saved = cache.write(&cached, &r.text()).and_then(|()| {
                            let json =
                                serde_json::to_string_pretty(&fresh).map_err(|e| e.to_string())?;
                            cache.write(&meta, &(json + "\n"))
                        });
                        let warning = saved
                            .err()
                            .map(|why| format!("could not cache the feed: {why}"));
                        return Ok(Loaded { videos, warning });
                    }
                    Err(why) => why,
                },
                Ok(r) => format!("HTTP {}", r.status),
                Err(why) => why,
            }
        }
    };
    match from_cache() {
        Some(Ok(videos)) => Ok(Loaded {
            videos,
            warning: Some(format!(
                "{url}: {failure}; using the copy cached in {}",
                cached.display()
            )),
        }),
        _ => Err(format!("{failure} (and no cached copy)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id=UCabc"/>
 <id>yt:channel:UCabc</id>
 <yt:channelId>UCabc</yt:channelId>
 <title>MentalSpace Therapy</title>
 <entry>
  <id>yt:video:Rm7aQ2xK9sE</id>
  <yt:videoId>Rm7aQ2xK9sE</yt:videoId>
  <title>Relationship as Medicine &amp; You | MentalSpace Therapy</title>
  <link rel="alternate" href="https://www.youtube.com/watch?v=Rm7aQ2xK9sE"/>
  <published>2026-05-06T15:00:00+00:00</published>
  <updated>2026-05-07T09:12:40+00:00</updated>
  <media:group>
   <media:title>Relationship as Medicine &amp; You | MentalSpace Therapy</media:title>
   <media:description>Read the article: https://example.org/blog/relationship-as-medicine/&#10;0:00 Intro</media:description>
  </media:group>
 </entry>
 <entry>
  <id>yt:video:Wt9cLm3pRqA</id>
  <link rel="alternate" href="https://www.youtube.com/shorts/Wt9cLm3pRqA"/>
  <media:group><media:title>Welcome</media:title></media:group>
 </entry>
</feed>"#;

    #[test]
    fn entries_give_id_title_date_and_description() {
        let videos = parse(FEED).expect("parses");
        assert_eq!(videos.len(), 2);
        assert_eq!(videos[0].id.as_str(), "Rm7aQ2xK9sE");
        assert_eq!(
            videos[0].title.as_deref(),
            Some("Relationship as Medicine & You | MentalSpace Therapy")
        );
        assert_eq!(
            videos[0].published.as_deref(),
            Some("2026-05-06T15:00:00+00:00")
        );
        assert_eq!(
            videos[0].description,
            "Read the article: https://example.org/blog/relationship-as-medicine/\n0:00 Intro"
        );
        // No yt:videoId: the id comes from the link; no <title>: from media:title.
        assert_eq!(videos[1].id.as_str(), "Wt9cLm3pRqA");
        assert_eq!(videos[1].title.as_deref(), Some("Welcome"));
    }

    #[test]
    fn broken_feeds_are_errors_not_empty_channels() {
        assert!(parse("Forbidden").is_err());
        assert!(parse("<html><body>500</body></html>").is_err());
        assert!(parse(&FEED.replace("</feed>", "</fed>")).is_err());
        let bad = FEED.replace(
            "<yt:videoId>Rm7aQ2xK9sE</yt:videoId>",
            "<yt:videoId>nope</yt:videoId>",
        );
        assert!(parse(&bad).expect_err("an error").contains("entry 1"));
    }
}
