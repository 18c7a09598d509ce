//! mspod's one MIME table for deployed files, and the kind of each file
//! (which decides its upload phase and its `Cache-Control`).

use serde::Serialize;

/// What a deployed file is to listeners' apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    Media,
    Art,
    Chapters,
    Transcripts,
    Notes,
    Feed,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Media => "media",
            Kind::Art => "art",
            Kind::Chapters => "chapters",
            Kind::Transcripts => "transcripts",
            Kind::Notes => "notes",
            Kind::Feed => "feed",
        }
    }

    /// Upload phases: media, then what items link to, then pages, then the feed.
    /// A phase starts only when every upload of the earlier ones succeeded, so
    /// a feed never points at a file that is not there yet.
    pub(crate) fn phase(self) -> u8 {
        match self {
            Kind::Media => 0,
            Kind::Art | Kind::Chapters | Kind::Transcripts => 1,
            Kind::Notes => 2,
            Kind::Feed => 3,
        }
    }

    /// Feeds and pages change with every episode; audio never changes under
    /// its URL (a new file gets a new URL), so caches may keep it for a year.
    pub(crate) fn default_cache_control(self) -> &'static str {
        match self {
            Kind::Feed | Kind::Notes => "public, max-age=300",
            Kind::Media => "public, max-age=31536000, immutable",
            Kind::Art => "public, max-age=86400",
            Kind::Chapters | Kind::Transcripts => "public, max-age=3600",
        }
    }
}

/// Content-Type and kind from a file name. Audio types match the ones
/// `media::sniff` writes into `<enclosure type>`.
pub(crate) fn classify(name: &str) -> (&'static str, Kind) {
    let lower = name.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    if file == "chapters.json" || file.ends_with(".chapters.json") {
        return ("application/json+chapters", Kind::Chapters);
    }
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "xml" | "rss" => ("application/rss+xml; charset=utf-8", Kind::Feed),
        "mp3" => ("audio/mpeg", Kind::Media),
        "m4a" | "m4b" | "aac" => ("audio/x-m4a", Kind::Media),
        "mp4" | "m4v" => ("video/mp4", Kind::Media),
        "mov" => ("video/quicktime", Kind::Media),
        "ogg" | "oga" => ("audio/ogg", Kind::Media),
        "opus" => ("audio/opus", Kind::Media),
        "flac" => ("audio/flac", Kind::Media),
        "wav" | "wave" => ("audio/wav", Kind::Media),
        "jpg" | "jpeg" => ("image/jpeg", Kind::Art),
        "png" => ("image/png", Kind::Art),
        "webp" => ("image/webp", Kind::Art),
        "gif" => ("image/gif", Kind::Art),
        "vtt" => ("text/vtt; charset=utf-8", Kind::Transcripts),
        "srt" => ("application/x-subrip", Kind::Transcripts),
        "json" => ("application/json", Kind::Transcripts),
        "html" | "htm" => ("text/html; charset=utf-8", Kind::Notes),
        "md" => ("text/markdown; charset=utf-8", Kind::Notes),
        "txt" => ("text/plain; charset=utf-8", Kind::Notes),
        "css" => ("text/css; charset=utf-8", Kind::Notes),
        _ => ("application/octet-stream", Kind::Notes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_published_file_gets_a_specific_type() {
        assert_eq!(
            classify("podcast.xml").0,
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(classify("a/audio.MP3"), ("audio/mpeg", Kind::Media));
        assert_eq!(
            classify("a/chapters.json"),
            ("application/json+chapters", Kind::Chapters)
        );
        assert_eq!(classify("a/show-notes.html").1, Kind::Notes);
        assert_eq!(classify("cover.jpg"), ("image/jpeg", Kind::Art));
        assert_eq!(classify("a/t.vtt").1, Kind::Transcripts);
    }

    #[test]
    fn the_feed_goes_last() {
        let phases: Vec<u8> = [Kind::Media, Kind::Chapters, Kind::Notes, Kind::Feed]
            .iter()
            .map(|k| k.phase())
            .collect();
        assert!(phases.windows(2).all(|w| w[0] < w[1]));
    }
}
