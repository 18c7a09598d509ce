//! Candidates from files: thin adapters from [`Article`], [`MediaInfo`] and
//! [`Video`] to the small structs scoring works on, and the folder walks.

use super::normalize::{file_slug, slugify};
use super::score::{ArticleCandidate, AudioCandidate, VideoCandidate};
use crate::article::{self, Article, SectionRules};
use crate::media::MediaInfo;
use crate::videos::Video;
use crate::youtube::{VideoId, ids_in_text};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use std::path::{Path, PathBuf};

/// Article file extensions pairing reads.
pub(crate) const ARTICLE_EXTENSIONS: &[&str] = &["html", "htm", "md", "markdown"];
/// Audio file extensions pairing reads.
pub(crate) const AUDIO_EXTENSIONS: &[&str] = &[
    "mp3", "m4a", "m4b", "mp4", "aac", "ogg", "oga", "opus", "flac", "wav",
];

/// Tags that may carry a link to the article.
const LINK_TAGS: &[&str] = &[
    "comment",
    "url",
    "website",
    "www",
    "description",
    "podcasturl",
    "podcastdesc",
    "lyrics",
    "purl",
    "subtitle",
    "grouping",
];
/// Tags that may carry the release date.
const DATE_TAGS: &[&str] = &[
    "date",
    "release_date",
    "recording_date",
    "releasetime",
    "year",
];

/// A date as found in content: RFC 3339; or a bare date, read as 12:00 UTC
/// (the same calendar day everywhere from UTC−11 to UTC+11); or a date and
/// time without an offset, read as UTC.
pub(crate) fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    let utc = |naive: NaiveDateTime| Utc.from_utc_datetime(&naive).fixed_offset();
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(utc(naive));
        }
    }
    let date_part = text.get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(utc)
}

/// The slug of an article: its URL's last path segment, else the file stem.
pub(crate) fn article_slug(url: Option<&str>, path: &Path) -> String {
    let from_url = url
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| {
            u.path_segments()
                .and_then(|mut s| s.rfind(|p| !p.is_empty()).map(str::to_string))
        })
        .map(|seg| {
            let seg = seg
                .strip_suffix(".html")
                .or_else(|| seg.strip_suffix(".htm"))
                .or_else(|| seg.strip_suffix(".php"))
                .unwrap_or(&seg)
                .to_string();
            slugify(&seg)
        })
        .filter(|s| !s.is_empty());
    from_url.unwrap_or_else(|| {
        slugify(
            &path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    })
}

/// Adapter: a parsed article (and its raw text, for links the parser may not
/// keep, e.g. an embed outside the article body) → candidate.
pub(crate) fn article_candidate(path: &Path, article: &Article, raw: &str) -> ArticleCandidate {
    let url = article
        .canonical_url
        .clone()
        .filter(|u| !u.trim().is_empty());
    let mut video_ids: Vec<VideoId> = article
        .youtube_ids
        .iter()
        .filter_map(|id| VideoId::parse(id).ok())
        .collect();
    for id in ids_in_text(raw) {
        if !video_ids.contains(&id) {
            video_ids.push(id);
        }
    }
    ArticleCandidate {
        path: path.to_path_buf(),
        slug: article_slug(url.as_deref(), path),
        title: article.title.clone(),
        url,
        published: article.published.as_deref().and_then(parse_date),
        video_ids,
        episode: declared_episode(raw),
    }
}

/// The episode number an article declares: front matter `episode: 12` /
/// `episode_number = 12`, or JSON-LD `"episodeNumber": 12`. (`Ep. 12` in the
/// title is read with the title.)
pub(crate) fn declared_episode(raw: &str) -> Option<u32> {
    for line in raw.lines().take(60) {
        let l = line.trim().to_ascii_lowercase();
        for key in ["episode_number", "episode", "itunes_episode"] {
            if let Some(rest) = l.strip_prefix(key) {
                let rest = rest.trim_start();
                if let Some(v) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('=')) {
                    let v = v.trim().trim_matches(['"', '\'']);
                    if let Ok(n) = v.parse::<u32>() {
                        return Some(n);
                    }
                }
            }
        }
    }
    let at = raw.find("\"episodeNumber\"")?;
    let rest = raw[at + 15..].trim_start().strip_prefix(':')?;
    let digits: String = rest
        .trim_start()
        .trim_start_matches('"')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Adapter: an audio file's probe result (if probing worked) → candidate.
pub(crate) fn audio_candidate(path: &Path, info: Option<&MediaInfo>) -> AudioCandidate {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tags = info.map(|i| &i.tags);
    let tag = |name: &str| {
        tags.and_then(|t| t.get(name))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let (track, id3_date) = id3_extras(path);
    AudioCandidate {
        path: path.to_path_buf(),
        slug: file_slug(&stem),
        title: tag("title"),
        date: id3_date.or_else(|| {
            DATE_TAGS
                .iter()
                .find_map(|t| tag(t).and_then(|v| parse_date(&v)))
        }),
        track,
        link_text: tags
            .map(|t| {
                t.iter()
                    .filter(|(k, _)| {
                        let k = k.to_ascii_lowercase();
                        LINK_TAGS
                            .iter()
                            .any(|l| k == *l || k.starts_with(&format!("{l}:")))
                    })
                    .map(|(_, v)| v.clone())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The ID3 track number (TRCK) and full recording / release date (TDRC,
/// TDRL, or TYER + TDAT), which the media probe reduces to a year.
fn id3_extras(path: &Path) -> (Option<u32>, Option<DateTime<FixedOffset>>) {
    let is_mp3 = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("mp3"));
    let Some(tag) = is_mp3
        .then(|| id3::Tag::read_from_path(path).ok())
        .flatten()
    else {
        return (None, None);
    };
    use id3::TagLike;
    let date = tag
        .date_recorded()
        .or_else(|| tag.date_released())
        .and_then(|d| {
            let (m, day) = (d.month?, d.day?);
            NaiveDate::from_ymd_opt(d.year, m.into(), day.into())
        })
        .or_else(|| {
            // ID3v2.3: TYER holds the year, TDAT `DDMM`.
            let year = tag.year()?;
            let dat = tag.get("TDAT")?.content().text()?.to_string();
            let (dd, mm) = (dat.get(..2)?.parse().ok()?, dat.get(2..4)?.parse().ok()?);
            NaiveDate::from_ymd_opt(year, mm, dd)
        })
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|n| Utc.from_utc_datetime(&n).fixed_offset());
    (tag.track(), date)
}

/// Adapter: a feed entry (or oEmbed-titled URL) → candidate.
pub(crate) fn video_candidate(video: &Video) -> VideoCandidate {
    VideoCandidate {
        id: video.id.clone(),
        title: video.title.clone(),
        published: video.published.as_deref().and_then(parse_date),
        description: video.description.clone(),
        not_episode: not_an_episode(video),
    }
}

/// Why a video is not an episode's video: a Short (`#shorts`, a `/shorts/`
/// link, under 61 s, or taller than wide), a live stream or a premiere.
/// Trailers and outtakes are judged against each article instead (an article
/// may be about the trailer); re-uploads are found across videos.
pub(crate) fn not_an_episode(video: &Video) -> Option<String> {
    let title = video.title.as_deref().unwrap_or_default().to_lowercase();
    let description = video.description.to_lowercase();
    if title.contains("#shorts")
        || title.contains("#short ")
        || title.ends_with("#short")
        || description.contains("#shorts")
    {
        return Some("a Short (#shorts): not an episode video".into());
    }
    if video.short_link {
        return Some("a Short (/shorts/ link): not an episode video".into());
    }
    if let Some(d) = video.duration.filter(|d| *d < 61.0) {
        return Some(format!("a Short ({d:.0} s long): not an episode video"));
    }
    if let (Some(w), Some(h)) = (video.width, video.height)
        && h > w
    {
        return Some(format!("a Short (vertical, {w}×{h}): not an episode video"));
    }
    let words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let starts_live = title.trim_start().starts_with("live:")
        || title.trim_start().starts_with("[live]")
        || title.trim_start().starts_with("(live)");
    let live_stream = words
        .windows(2)
        .any(|w| w == ["live", "stream"] || w == ["live", "q"])
        || words.contains(&"livestream")
        || words.contains(&"livestreaming")
        || title.contains('🔴');
    if starts_live || live_stream {
        return Some("a live stream: not an episode video".into());
    }
    if words.contains(&"premiere") || words.contains(&"premieres") {
        return Some("a premiere: not an episode video".into());
    }
    None
}

/// Files in `dir` (not recursive) with one of `extensions`, sorted by name.
pub(crate) fn files_in(dir: &Path, extensions: &[&str]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if path.is_file() && extensions.contains(&ext.as_str()) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Reads one article file into a candidate.
pub(crate) fn read_article(path: &Path, rules: &SectionRules) -> Result<ArticleCandidate, String> {
    let raw = article::read_text(path).map_err(|e| e.to_string())?;
    let parsed = article::parse_file(path, rules).map_err(|e| e.to_string())?;
    Ok(article_candidate(path, &parsed, &raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn dates_without_a_time_are_noon_utc() {
        let d = |s: &str| parse_date(s).map(|d| d.to_rfc3339());
        assert_eq!(d("2026-05-13"), Some("2026-05-13T12:00:00+00:00".into()));
        assert_eq!(
            d("2026-05-20T13:00:00+00:00"),
            Some("2026-05-20T13:00:00+00:00".into())
        );
        assert_eq!(
            d("2026-05-06T09:00:00-04:00"),
            Some("2026-05-06T09:00:00-04:00".into())
        );
        assert_eq!(
            d("2026-05-06 09:30:00"),
            Some("2026-05-06T09:30:00+00:00".into())
        );
        assert_eq!(d("2026"), None);
        assert_eq!(d("May 6, 2026"), None);
    }

    #[test]
    fn slugs_come_from_the_url_then_the_file_name() {
        let p = Path::new("articles/Some File.html");
        assert_eq!(
            article_slug(Some("https://example.org/blog/first-therapy-session/"), p),
            "first-therapy-session"
        );
        assert_eq!(
            article_slug(Some("https://example.org/blog/Post_One.html?x=1"), p),
            "post-one"
        );
        assert_eq!(article_slug(Some("https://example.org/"), p), "some-file");
        assert_eq!(article_slug(None, p), "some-file");
    }

    #[test]
    fn audio_tags_give_title_date_and_link_text() {
        let mut tags = BTreeMap::new();
        tags.insert("title".to_string(), "Grounding".to_string());
        tags.insert("date".to_string(), "2026-05-13".to_string());
        tags.insert(
            "comment".to_string(),
            "https://example.org/blog/grounding/".to_string(),
        );
        tags.insert("artist".to_string(), "CHC".to_string());
        let info = MediaInfo {
            bytes: 1,
            mime: "audio/mpeg".into(),
            container: "mp3".into(),
            codec: "mp3".into(),
            sample_rate: None,
            channels: None,
            bitrate: None,
            duration: 1.0,
            duration_method: "test".into(),
            tags,
            chapters: vec![],
            cover: None,
            warnings: vec![],
        };
        let c = audio_candidate(Path::new("audio/2026-05-13-grounding.mp3"), Some(&info));
        assert_eq!(c.slug, "grounding");
        assert_eq!(c.title.as_deref(), Some("Grounding"));
        assert_eq!(
            c.date.map(|d| d.to_rfc3339()),
            Some("2026-05-13T12:00:00+00:00".into())
        );
        assert_eq!(c.link_text, ["https://example.org/blog/grounding/"]);
        let bare = audio_candidate(Path::new("audio/ep3-grounding.mp3"), None);
        assert_eq!((bare.slug.as_str(), bare.title), ("grounding", None));
    }

    fn video(title: &str) -> Video {
        Video {
            title: Some(title.into()),
            ..Video::bare(VideoId::parse("AAAAAAAAAAA").expect("id"))
        }
    }

    #[test]
    fn shorts_live_streams_and_premieres_are_not_episode_videos() {
        let why = |v: &Video| not_an_episode(v).unwrap_or_default();
        assert!(why(&video("Grounding in a minute #shorts")).starts_with("a Short (#shorts)"));
        let mut v = video("Grounding");
        v.short_link = true;
        assert!(why(&v).starts_with("a Short (/shorts/ link)"));
        let mut v = video("Grounding");
        v.duration = Some(45.0);
        assert!(why(&v).starts_with("a Short (45 s long)"));
        let mut v = video("Grounding");
        (v.width, v.height) = (Some(1080), Some(1920));
        assert!(why(&v).starts_with("a Short (vertical, 1080×1920)"));
        for live in [
            "LIVE: Sunday Q&A",
            "🔴 Sunday livestream",
            "Anxiety live stream",
        ] {
            assert!(why(&video(live)).starts_with("a live stream"), "{live}");
        }
        assert!(why(&video("Premiere: the documentary")).starts_with("a premiere"));
        // "live" as an ordinary word is not a live stream.
        assert_eq!(not_an_episode(&video("How to Live With Anxiety")), None);
        let mut long = video("Grounding");
        (long.duration, long.width, long.height) = (Some(1800.0), Some(1280), Some(720));
        assert_eq!(not_an_episode(&long), None);
    }

    #[test]
    fn an_article_declares_its_episode_in_front_matter_or_json_ld() {
        assert_eq!(
            declared_episode("---\ntitle: X\nepisode: 12\n---\n"),
            Some(12)
        );
        assert_eq!(
            declared_episode("+++\nepisode_number = \"7\"\n+++\n"),
            Some(7)
        );
        assert_eq!(
            declared_episode(r#"<script>{"@type":"PodcastEpisode","episodeNumber": 42}</script>"#),
            Some(42)
        );
        assert_eq!(
            declared_episode("---\ntitle: Episodes of grief\n---\n"),
            None
        );
    }
}
