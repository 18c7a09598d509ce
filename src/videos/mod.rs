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
