//! YouTube videos as pairing candidates, and the network behind them.
//!
//! In: channel / playlist Atom feeds (a file or a URL), lists of video URLs,
//! single video URLs. Out: [`Video`] candidates with title, publish time and
//! description. The network is used only here and only by `mspod pair` /
//! `mspod new`; every good answer is cached under `<root>/.mspod/youtube/` so a
//! flaky feed never loses a video and `publish` never needs the network.

pub mod cache;
pub mod channel;
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

/// The videos' titles as `mspod pair` last saw them, read only from the cache under
/// `<root>/.mspod/youtube/` (never the network, so `publish` may use it): the oEmbed
/// answer first, then any cached channel feed listing the video (feeds read once, in
/// file-name order, the first naming a video wins, so the answer does not depend on
/// the directory's order). Cleaned of control and bidi characters: the text came
/// from YouTube.
pub struct CachedTitles {
    cache: cache::Cache,
    /// Whether `pair` ever cached anything here (a show without videos pays nothing).
    present: bool,
    feeds: std::sync::OnceLock<std::collections::BTreeMap<String, String>>,
}

impl CachedTitles {
    pub fn new(root: &std::path::Path) -> CachedTitles {
        let cache = cache::Cache::new(root);
        CachedTitles {
            present: cache.dir().is_dir(),
            cache,
            feeds: std::sync::OnceLock::new(),
        }
    }

    pub fn get(&self, id: &VideoId) -> Option<String> {
        if !self.present {
            return None;
        }
        if let Some(record) = oembed::cached(&self.cache, id)
            && record.status != oembed::Status::NotFound
            && let Some(title) = record.title.as_deref().and_then(usable)
        {
            return Some(title);
        }
        self.feeds
            .get_or_init(|| self.read_feeds())
            .get(id.as_str())
            .cloned()
    }

    fn read_feeds(&self) -> std::collections::BTreeMap<String, String> {
        let mut titles = std::collections::BTreeMap::new();
        let Ok(dir) = std::fs::read_dir(self.cache.dir().join("feeds")) else {
            return titles;
        };
        let mut paths: Vec<std::path::PathBuf> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        paths.sort();
        for path in paths {
            let Some(videos) = self.cache.read(&path).and_then(|t| channel::parse(&t).ok()) else {
                continue;
            };
            for v in videos {
                if let Some(t) = v.title.as_deref().and_then(usable) {
                    titles.entry(v.id.as_str().to_string()).or_insert(t);
                }
            }
        }
        titles
    }
}

/// A title worth showing: cleaned and trimmed, not empty.
fn usable(t: &str) -> Option<String> {
    let t = crate::text::clean(t.trim()).into_owned();
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}
