//! YouTube videos as pairing candidates, and the network behind them.
//!
//! In: channel / playlist Atom feeds (a file or a URL), lists of video URLs,
//! single video URLs. Out: [`Video`] candidates with title, publish time and
//! description. The network is used only here and only by `mspod pair` /
//! `mspod new`; every good answer is cached under `<root>/.mspod/youtube/` so a
//! flaky feed never loses a video and `publish` never needs the network.

pub mod cache;
pub mod channel;
pub mod http;
pub mod oembed;

use crate::youtube::VideoId;

/// One video as the feed (or oEmbed) describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Video {
    pub id: VideoId,
    pub title: Option<String>,
    /// RFC 3339, as the feed gives it (first public time).
    pub published: Option<String>,
    /// `media:description`: the text live on YouTube; empty when unknown.
    pub description: String,
    /// Seconds, when the source says (`media:content duration`, `yt:duration seconds`).
    pub duration: Option<f64>,
    /// Frame size, when the source says (`media:content width/height`).
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The entry links `youtube.com/shorts/…`: YouTube lists it as a Short.
    pub short_link: bool,
}

impl Video {
    /// A video known only by its id (from a URL list).
    pub fn bare(id: VideoId) -> Video {
        Video {
            id,
            title: None,
            published: None,
            description: String::new(),
            duration: None,
            width: None,
            height: None,
            short_link: false,
        }
    }
}

/// The video's title as `mspod pair` last saw it, read only from the cache under
/// `<root>/.mspod/youtube/` (never the network, so `publish` may call it): the
/// oEmbed answer first, then any cached channel feed listing the video (files in
/// name order, so the answer does not depend on the directory's order). Cleaned
/// of control and bidi characters: the text came from YouTube.
pub fn cached_title(root: &std::path::Path, id: &VideoId) -> Option<String> {
    let cache = cache::Cache::new(root);
    let usable = |t: &str| {
        let t = crate::render::safe::clean(t.trim()).into_owned();
        (!t.trim().is_empty()).then(|| t.trim().to_string())
    };
    if let Some(record) = oembed::cached(&cache, id)
        && record.status != oembed::Status::NotFound
        && let Some(title) = record.title.as_deref().and_then(usable)
    {
        return Some(title);
    }
    let mut feeds: Vec<std::path::PathBuf> = std::fs::read_dir(cache.dir().join("feeds"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    feeds.sort();
    feeds.into_iter().find_map(|path| {
        let text = cache.read(&path)?;
        channel::parse(&text)
            .ok()?
            .into_iter()
            .find(|v| v.id == *id)
            .and_then(|v| v.title.as_deref().and_then(usable))
    })
}
