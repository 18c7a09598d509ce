//! `episodes/<slug>/episode.toml`: one episode's manifest.

use super::config::check_http_url;
use super::tags::{self, EpisodeTags, Location, OneOrMany, RawSoundbite, VideoFile};
use super::toml_error::{line_of_key, to_error};
use crate::error::{Error, Result};
use crate::youtube::VideoId;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One episode's manifest, checked. Paths are resolved against the episode folder.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The episode folder's name.
    pub slug: String,
    /// The episode folder.
    pub dir: PathBuf,
    /// The `episode.toml` this came from (for error messages).
    pub file: PathBuf,
    pub article: PathBuf,
    /// Item `<link>` and every "read the article" link.
    pub article_url: String,
    pub audio: PathBuf,
    /// Where the audio is published under `media_base_url`: its path relative to
    /// `episodes/`, with `/` separators (`<slug>/audio.mp3`).
    pub audio_public_path: String,
    /// Overrides `media_base_url` + path.
    pub audio_url: Option<String>,
    pub youtube: Option<VideoId>,
    /// `youtube` is a `/shorts/` link: a vertical video.
    pub youtube_short: bool,
    pub published: DateTime<FixedOffset>,
    pub season: Option<u32>,
    pub number: Option<u32>,
    pub kind: EpisodeType,
    /// `None`: inherit the show's.
    pub explicit: Option<bool>,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// Overrides the GUID (for feeds that already have one).
    pub guid: Option<String>,
    /// Chapters given by hand; they win over chapters embedded in the audio.
    pub chapters: Vec<Chapter>,
    /// How the article, audio and video were paired (written by `mspod pair`), kept in mspod.lock.
    pub paired_by: Option<String>,
    /// Publish the audio even if it looks cut short (`allow_truncated = true`).
    pub allow_truncated: bool,
    /// SHA-256 of `episode.toml`'s text, for incremental publishing.
    pub digest: String,
    /// SHA-256 of the size and modification time of every file the episode is built
    /// from (article, audio, transcript, artwork, video) as `load` found them.
    pub inputs: String,
    /// Podcasting 2.0 / Apple item tags: people, artwork, block, soundbites, location, video.
    pub tags: EpisodeTags,
    /// The transcript: the `transcript` key, else `transcript.{vtt,srt,json}` in the folder.
    pub transcript: Option<PathBuf>,
}

impl Manifest {
    /// `<enclosure url>`: `audio_url`, else `media_base_url` + the audio's path under `episodes/`.
    pub fn enclosure_url(&self, media_base_url: &str) -> String {
        self.audio_url
            .clone()
            .unwrap_or_else(|| format!("{media_base_url}{}", self.audio_public_path))
    }
}

/// `<itunes:episodeType>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EpisodeType {
    #[default]
    Full,
    Trailer,
    Bonus,
}

impl EpisodeType {
    pub fn as_str(self) -> &'static str {
        match self {
            EpisodeType::Full => "full",
            EpisodeType::Trailer => "trailer",
            EpisodeType::Bonus => "bonus",
        }
    }
}

/// A chapter on the audio timeline: a `[[chapters]]` entry as given, and (the model's
/// one chapter type) a chapter as published, whose link is then the given one or the
/// article section of the same name.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// Seconds from the start of the audio.
    pub start: f64,
    pub title: String,
    pub url: Option<String>,
}

/// `episode.toml` as written, before any check: the one serde model of the file.
/// `load` checks it into a [`Manifest`]; `pair` reads the links an existing file
/// holds with it, and `load::write` writes the keys it sets (unset keys are left out).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ManifestFile {
    pub(crate) article: PathBuf,
    pub(crate) article_url: String,
    pub(crate) audio: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) audio_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) youtube: Option<String>,
    /// Required: checked in [`parse`], so a manifest `pair` wrote without a date still reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) published: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) season: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) number: Option<u32>,
    /// `full` when absent.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<EpisodeType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) explicit: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) guid: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) chapters: Vec<RawChapter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) paired_by: Option<String>,
    // Podcasting 2.0 / Apple item tags (see load/tags.rs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) people: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) block: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) soundbite: Vec<RawSoundbite>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) location: Option<OneOrMany<Location>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) video_file: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) video_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) transcript: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) allow_truncated: bool,
}

/// A `[[chapters]]` entry as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChapter {
    /// `"1:02:03"`, `"02:03"`, `"75.5"` or a number of seconds.
    pub(crate) start: toml::Value,
    pub(crate) title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
}

/// Reads `episode.toml` into its serde model, checking its syntax and keys (errors
/// name file:line) but not its values or the files it names: for `pair`, which
/// works on folders `load` would refuse (no audio yet, no date yet).
pub(crate) fn read_file(file: &Path) -> Result<ManifestFile> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    toml::from_str(&text).map_err(|e| to_error(file, &text, &e))
}

/// Reads `dir/episode.toml`; its files must resolve inside `real_root` (canonical).
/// `dir_real` is where `dir` really is (inside the root).
pub(super) fn read(
    dir: &Path,
    dir_real: &Path,
    folder: &Folder,
    real_root: &Path,
) -> Result<Manifest> {
    let text = crate::fs::read_to_string(dir.join(super::MANIFEST_FILE))?;
    from_text(&text, dir, dir_real, folder, real_root)
}

/// [`read`] of a manifest whose text is known.
pub(super) fn from_text(
    text: &str,
    dir: &Path,
    dir_real: &Path,
    folder: &Folder,
    real_root: &Path,
) -> Result<Manifest> {
    let file = dir.join(super::MANIFEST_FILE);
    let slug = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse(text, &file, (dir, dir_real), folder, slug, real_root)
}

/// The entries of an episode folder, listed once: the files found there by name (the
/// manifest, a transcript, a cover) are then known without a `stat` of every name that
/// might be there (a publish does this for every episode). Each answer is the one a
/// `stat` by name would give: a folder that cannot be listed (no read permission) is
/// asked by name, as is a name whose case differs only (a case-insensitive file system
/// finds `Cover.JPG` as `cover.jpg`).
#[derive(Debug)]
pub(super) struct Folder {
    dir: PathBuf,
    /// `None`: not listed.
    entries: Option<Vec<(std::ffi::OsString, Option<Kind>)>>,
}

/// What a folder entry is, as its listing says (without following a link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum Kind {
    File,
    Dir,
    Link,
    Other,
}

impl Kind {
    fn of(t: std::fs::FileType) -> Kind {
        match () {
            _ if t.is_symlink() => Kind::Link,
            _ if t.is_file() => Kind::File,
            _ if t.is_dir() => Kind::Dir,
            _ => Kind::Other,
        }
    }
}

impl Folder {
    pub(super) fn list(dir: &Path) -> Folder {
        let entries = std::fs::read_dir(dir).and_then(|list| {
            list.map(|e| e.map(|e| (e.file_name(), e.file_type().ok().map(Kind::of))))
                .collect()
        });
        Folder {
            dir: dir.to_path_buf(),
            entries: entries.ok(),
        }
    }

    /// The folder at `dir` as an earlier listing found it.
    pub(super) fn listed(dir: &Path, entries: Vec<(String, Option<Kind>)>) -> Folder {
        Folder {
            dir: dir.to_path_buf(),
            entries: Some(entries.into_iter().map(|(n, k)| (n.into(), k)).collect()),
        }
    }

    /// It could not be listed (no read permission, say).
    pub(super) fn unlisted(&self) -> bool {
        self.entries.is_none()
    }

    /// Its listing with UTF-8 names, to remember (`None`: not listed, or a name is not).
    pub(super) fn entries(&self) -> Option<Vec<(String, Option<Kind>)>> {
        self.entries
            .as_ref()?
            .iter()
            .map(|(n, k)| Some((n.to_str()?.to_string(), *k)))
            .collect()
    }

    /// A folder with nothing in it (for checking a manifest's text alone).
    pub(super) fn empty() -> Folder {
        Folder {
            dir: PathBuf::new(),
            entries: Some(Vec::new()),
        }
    }

    /// What `name` is (`Some(None)`: there, of a type the listing did not give).
    fn kind(&self, name: &str) -> Option<Option<Kind>> {
        let by_stat = || {
            std::fs::symlink_metadata(self.dir.join(name))
                .ok()
                .map(|m| Some(Kind::of(m.file_type())))
        };
        let entries = match &self.entries {
            Some(entries) => entries,
            None => return by_stat(),
        };
        if let Some((_, t)) = entries.iter().find(|(n, _)| n == name) {
            return Some(*t);
        }
        let differs_in_case =
            |n: &std::ffi::OsString| n.to_str().is_some_and(|n| n.eq_ignore_ascii_case(name));
        match entries.iter().any(|(n, _)| differs_in_case(n)) {
            true => by_stat(),
            false => None,
        }
    }

    /// Something named `name` is there (of any kind, a dangling link included).
    pub(super) fn has(&self, name: &str) -> bool {
        self.kind(name).is_some()
    }

    /// `name` is a regular file (not a link to one).
    pub(super) fn is_regular(&self, name: &str) -> bool {
        self.kind(name).flatten() == Some(Kind::File)
    }

    /// `name` is a regular file or a link to one.
    fn is_file(&self, name: &str) -> bool {
        match self.kind(name) {
            None => false,
            // A link (or an entry the listing gave no type for) is followed.
            Some(Some(t)) if t != Kind::Link => t == Kind::File,
            Some(_) => self.dir.join(name).is_file(),
        }
    }
}

pub(super) fn parse(
    text: &str,
    file: &Path,
    (dir, dir_real): (&Path, &Path),
    folder: &Folder,
    slug: String,
    real_root: &Path,
) -> Result<Manifest> {
    let raw: ManifestFile = toml::from_str(text).map_err(|e| to_error(file, text, &e))?;
    let mut errors = Vec::new();
    let err_at = |key: &str, message: String| match line_of_key(text, key) {
        Some(line) => Error::content_at(file, line, message),
        None => Error::content(file, message),
    };

    if !is_slug(&slug) {
        errors.push(Error::content(
            dir,
            format!("episode folder `{slug}` is not a usable slug: use lowercase letters, digits and `-`"),
        ));
    }
    // Every file the episode is built from, in the order checked: size and modification
    // time from the check itself, so the publish's input key needs no second look.
    let mut inputs = Sha256::new();
    let mut stamp = |meta: &std::fs::Metadata| {
        inputs.update(meta.len().to_le_bytes());
        inputs.update(crate::fs::mtime_ns(meta).unwrap_or_default().to_le_bytes());
    };
    // Contributors name these files: they must stay inside the content folder.
    let article = dir.join(&raw.article);
    match crate::fs::confined_file_in(real_root, dir, dir_real, &raw.article) {
        Ok(meta) => stamp(&meta),
        Err(why) => errors.push(err_at("article", format!("`article`: {why}"))),
    }
    let audio = dir.join(&raw.audio);
    match crate::fs::confined_file_in(real_root, dir, dir_real, &raw.audio) {
        Ok(meta) => stamp(&meta),
        Err(why) => errors.push(err_at("audio", format!("`audio`: {why}"))),
    }
    if let Err(why) = check_http_url(&raw.article_url) {
        errors.push(err_at("article_url", format!("`article_url`: {why}")));
    }
    if let Some(url) = &raw.audio_url
        && let Err(why) = check_http_url(url)
    {
        errors.push(err_at("audio_url", format!("`audio_url`: {why}")));
    }
    let youtube = match raw.youtube.as_deref().map(VideoId::parse) {
        Some(Ok(id)) => Some(id),
        Some(Err(why)) => {
            errors.push(err_at("youtube", format!("`youtube`: {why}")));
            None
        }
        None => None,
    };
    let published = match raw.published.as_ref().map(parse_date) {
        Some(Ok(d)) => Some(d),
        Some(Err(why)) => {
            errors.push(err_at("published", format!("`published`: {why}")));
            None
        }
        None => {
            errors.push(Error::content(
                file,
                "missing field `published`: set it to an RFC 3339 date such as \"2026-05-06T09:00:00-04:00\"",
            ));
            None
        }
    };
    if raw.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        errors.push(err_at(
            "title",
            "`title` is empty: remove it to use the article's title".into(),
        ));
    }
    if let Some(guid) = &raw.guid
        && (guid.trim().is_empty() || guid.trim() != guid)
    {
        errors.push(err_at(
            "guid",
            "`guid` is empty or has surrounding spaces".into(),
        ));
    }
    let mut chapters = Vec::new();
    for c in raw.chapters {
        match parse_start(&c.start) {
            Ok(start) => chapters.push(Chapter {
                start,
                title: c.title,
                url: c.url,
            }),
            Err(why) => errors.push(err_at(
                "start",
                format!("`[[chapters]]` `{}`: {why}", c.title),
            )),
        }
    }
    chapters.sort_by(|a, b| a.start.total_cmp(&b.start));
    // Every other file a manifest names, or that is found beside it, stays inside the
    // content folder too (a symlinked cover.jpg or transcript included).
    let mut confined = |key: &str, rel: &Path, errors: &mut Vec<Error>| -> bool {
        match crate::fs::confined_file_in(real_root, dir, dir_real, rel) {
            Ok(meta) => {
                stamp(&meta);
                true
            }
            Err(why) => {
                errors.push(err_at(key, format!("`{key}`: {why}")));
                false
            }
        }
    };
    let transcript = match &raw.transcript {
        Some(name) => {
            let path = dir.join(name);
            if !confined("transcript", name, &mut errors) {
                None
            } else if crate::transcript::Format::from_path(&path).is_none() {
                errors.push(err_at(
                    "transcript",
                    format!(
                        "`transcript`: {} is not .vtt, .srt or .json",
                        path.display()
                    ),
                ));
                None
            } else {
                Some(path)
            }
        }
        // `transcript.vtt` first, then `.srt`, then `.json`.
        None => crate::transcript::FILE_NAMES
            .iter()
            .find(|n| folder.is_file(n))
            .filter(|n| confined("transcript", Path::new(n), &mut errors))
            .map(|n| dir.join(n)),
    };

    let mut problems = tags::Problems::new();
    let mut soundbites: Vec<tags::Soundbite> = raw
        .soundbite
        .iter()
        .filter_map(|b| tags::soundbite(parse_start(&b.start), b, &mut problems))
        .collect();
    soundbites.sort_by(|a, b| a.start.total_cmp(&b.start));
    let location = raw.location.map(OneOrMany::into_vec).unwrap_or_default();
    for l in &location {
        tags::check_location("location", l, &mut problems);
    }
    // Covers found beside the manifest (looked up once: most episodes have none).
    let covers: Vec<&str> = match raw.image {
        Some(_) => Vec::new(),
        None => tags::EPISODE_COVERS
            .iter()
            .copied()
            .filter(|n| folder.has(n))
            .collect(),
    };
    let image = match raw.image.as_deref() {
        Some(rel) if !confined("image", rel, &mut errors) => None,
        None if covers.is_empty() => None,
        // Checked before anything reads them: a link to a device must not be opened.
        None if covers
            .iter()
            .any(|n| !confined("image", Path::new(n), &mut errors)) =>
        {
            None
        }
        given => tags::episode_image(dir, given, &mut problems),
    };
    let video = match (&raw.video_file, &raw.video_url) {
        (Some(file), url) => {
            let path = dir.join(file);
            confined("video_file", file, &mut errors);
            if let Some(u) = url
                && let Err(why) = check_http_url(u)
            {
                problems.push(("video_url", format!("`video_url`: {why}")));
            }
            Some(VideoFile {
                public_path: public_under(&slug, file),
                path,
                url: url.clone(),
            })
        }
        (None, Some(_)) => {
            problems.push(("video_url", "`video_url` needs `video_file`: mspod reads the video's size, dimensions and checksum from the file".into()));
            None
        }
        (None, None) => None,
    };
    for id in &raw.people {
        if id.trim().is_empty() {
            problems.push(("people", "`people`: an id is empty".into()));
        }
    }
    errors.extend(problems.into_iter().map(|(key, why)| err_at(key, why)));
    let episode_tags = EpisodeTags {
        people: raw.people,
        image,
        block: raw.block,
        soundbites,
        location,
        video,
    };

    Error::from_list(errors)?;
    // A bad date left an error, returned above.
    let Some(published) = published else {
        return Err(err_at("published", "`published`: not a date".into()));
    };
    Ok(Manifest {
        slug: slug.clone(),
        dir: dir.to_path_buf(),
        file: file.to_path_buf(),
        article,
        article_url: raw.article_url,
        audio_public_path: public_audio_path(dir, &slug, &audio),
        audio,
        audio_url: raw.audio_url,
        youtube_short: raw
            .youtube
            .as_deref()
            .is_some_and(|u| u.contains("/shorts/")),
        youtube,
        published,
        season: raw.season,
        number: raw.number,
        kind: raw.kind.unwrap_or_default(),
        explicit: raw.explicit,
        title: raw.title.map(|t| t.trim().to_string()),
        summary: raw.summary,
        guid: raw.guid,
        chapters,
        paired_by: raw.paired_by,
        allow_truncated: raw.allow_truncated,
        digest: crate::fs::digest(text.as_bytes()),
        inputs: crate::fs::hex(&inputs.finalize()),
        tags: episode_tags,
        transcript,
    })
}

/// `<slug>/<path inside the episode folder>`, with `/` separators.
fn public_under(slug: &str, file: &Path) -> String {
    std::iter::once(slug.to_string())
        .chain(file.components().filter_map(|c| match c {
            std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        }))
        .collect::<Vec<_>>()
        .join("/")
}

/// The audio's path under `episodes/` (`<slug>/audio.mp3`), from the path as written
/// with `..` folded, so no part of a local path outside `episodes/` reaches a URL. Audio
/// elsewhere in the content folder is published under the slug.
fn public_audio_path(dir: &Path, slug: &str, audio: &Path) -> String {
    // Absolute only when `audio` is, so it and a relative content root compare.
    let full = |p: &Path| {
        let p = if audio.is_absolute() {
            std::path::absolute(p).unwrap_or(p.to_path_buf())
        } else {
            p.to_path_buf()
        };
        crate::fs::normalize(&p)
    };
    let audio = full(audio);
    let episodes = full(dir.parent().unwrap_or(Path::new("")));
    let content_root = episodes.parent().map(Path::to_path_buf).unwrap_or_default();
    let parts = |p: &Path| -> Vec<String> {
        p.components()
            .filter_map(|c| match c {
                std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    };
    match audio.strip_prefix(&episodes) {
        Ok(under) => parts(under).join("/"),
        Err(_) => {
            let rest = audio
                .strip_prefix(&content_root)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| audio.file_name().map(PathBuf::from).unwrap_or_default());
            std::iter::once(slug.to_string())
                .chain(parts(&rest))
                .collect::<Vec<_>>()
                .join("/")
        }
    }
}

/// RFC 3339, quoted as the format asks; an unquoted TOML date-time with an offset is accepted too.
fn parse_date(value: &toml::Value) -> std::result::Result<DateTime<FixedOffset>, String> {
    let text = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => {
            return Err(format!(
                "expected an RFC 3339 date such as \"2026-05-06T09:00:00-04:00\", found {}",
                other.type_str()
            ));
        }
    };
    DateTime::parse_from_rfc3339(text.trim()).map_err(|e| {
        format!("`{text}` is not an RFC 3339 date with a time and an offset, such as \"2026-05-06T09:00:00-04:00\" ({e})")
    })
}

/// `"1:02:03"`, `"02:03"`, `"75.5"` or a number of seconds.
fn parse_start(value: &toml::Value) -> std::result::Result<f64, String> {
    let seconds = match value {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(f) => *f,
        toml::Value::String(s) => parse_timestamp(s)
            .ok_or_else(|| format!("`{s}` is not a time like \"12:30\" or \"1:02:03\""))?,
        other => {
            return Err(format!(
                "`start` must be a time like \"12:30\", found {}",
                other.type_str()
            ));
        }
    };
    if seconds.is_finite() && seconds >= 0.0 {
        Ok(seconds)
    } else {
        Err(format!("`start` must be zero or positive, found {seconds}"))
    }
}

/// `H:MM:SS(.fff)`, `M:SS(.fff)` or plain seconds.
pub(super) fn parse_timestamp(s: &str) -> Option<f64> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut total = 0.0;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let value: f64 = if last {
            part.parse().ok()?
        } else {
            f64::from(part.parse::<u32>().ok()?)
        };
        if i > 0 && value >= 60.0 {
            return None;
        }
        total = total * 60.0 + value;
    }
    Some(total)
}

pub(super) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder's listing answers what a `stat` of each name would: listed, or asked
    /// name by name (a folder that cannot be listed), the answers are the same.
    #[test]
    fn a_listed_folder_answers_as_a_stat_by_name_would() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        std::fs::write(d.join("episode.toml"), "").expect("write");
        std::fs::write(d.join("Cover.JPG"), "").expect("write");
        std::fs::create_dir(d.join("transcript.vtt")).expect("mkdir");
        std::fs::write(d.join("real.srt"), "").expect("write");
        std::os::unix::fs::symlink("real.srt", d.join("transcript.srt")).expect("link");
        std::os::unix::fs::symlink("missing.png", d.join("cover.png")).expect("link");
        let listed = Folder::list(d);
        assert!(listed.entries.is_some());
        let by_name = Folder {
            dir: d.to_path_buf(),
            entries: None,
        };
        let names = [
            "episode.toml",
            "cover.jpg",
            "cover.png",
            "transcript.vtt",
            "transcript.srt",
            "transcript.json",
        ];
        for folder in [&listed, &by_name] {
            let found: Vec<(bool, bool, bool)> = names
                .iter()
                .map(|n| (folder.has(n), folder.is_regular(n), folder.is_file(n)))
                .collect();
            assert_eq!(
                found,
                [
                    (true, true, true),    // episode.toml
                    (false, false, false), // cover.jpg: only `Cover.JPG` (case-sensitive here)
                    (true, false, false),  // cover.png: a dangling link
                    (true, false, false),  // transcript.vtt: a folder
                    (true, false, true),   // transcript.srt: a link to a file
                    (false, false, false), // transcript.json
                ],
                "{:?}",
                folder.entries.is_some()
            );
        }
        assert!(!Folder::empty().has("episode.toml"));
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("0:00"), Some(0.0));
        assert_eq!(parse_timestamp("3:40"), Some(220.0));
        assert_eq!(parse_timestamp("1:02:03"), Some(3723.0));
        assert_eq!(parse_timestamp("75.5"), Some(75.5));
        assert_eq!(parse_timestamp("1:75"), None);
        assert_eq!(parse_timestamp("a:00"), None);
        assert_eq!(parse_timestamp(""), None);
    }

    #[test]
    fn public_audio_paths_never_carry_local_folders() {
        let dir = Path::new("/srv/show/episodes/ep");
        let public = |audio: &str| public_audio_path(dir, "ep", &dir.join(audio));
        assert_eq!(public("audio.mp3"), "ep/audio.mp3");
        assert_eq!(public("sub/./a.mp3"), "ep/sub/a.mp3");
        assert_eq!(public("../shared.mp3"), "shared.mp3");
        assert_eq!(public("../../media/a.mp3"), "ep/media/a.mp3");
        assert_eq!(public("/srv/show/episodes/ep/audio.mp3"), "ep/audio.mp3");
        assert_eq!(public("/elsewhere/private/a.mp3"), "ep/a.mp3");
    }

    #[test]
    fn dates_need_an_offset() {
        let ok = parse_date(&toml::Value::String("2026-05-06T09:00:00-04:00".into()));
        assert_eq!(
            ok.map(|d| d.to_rfc3339()),
            Ok("2026-05-06T09:00:00-04:00".to_string())
        );
        assert!(parse_date(&toml::Value::String("2026-05-06".into())).is_err());
        assert!(parse_date(&toml::Value::String("May 6, 2026".into())).is_err());
        assert!(parse_date(&toml::Value::Integer(5)).is_err());
    }
}
