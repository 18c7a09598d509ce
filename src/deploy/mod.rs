//! `mspod deploy`: put what `publish` wrote (and the audio it points at) on
//! object storage or a local folder, in an order that never lets a feed point
//! at a missing file, then check what the public URLs serve.
//!
//! In: the content folder (`mspod.toml` `[deploy]`, `mspod.lock`, the audio),
//! the published `feeds/`. Out: a [`Report`] of what was uploaded, skipped and
//! deleted, with the verify warnings. Credentials come only from the environment.

pub(crate) mod mime;
mod store;
pub(crate) mod verify;

pub(crate) use mime::Kind;

use crate::error::{Error, Result};
use crate::load::{Content, DeployConfig, Target, public_path};
use crate::lock::Lock;
use crate::publish::INDEX_FILE;
use crate::render::FEED_FILE;
use crate::ui::Ui;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which of the two targets an object goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Side {
    Feed,
    Media,
}

/// One file to deploy.
#[derive(Debug, Clone)]
pub(crate) struct Object {
    pub side: Side,
    /// The key under the target's prefix (`<slug>/audio.mp3`, `podcast.xml`).
    pub rel: String,
    pub local: PathBuf,
    /// Where listeners fetch it.
    pub url: String,
    pub kind: Kind,
    pub content_type: String,
    pub bytes: u64,
    pub sha256: String,
}

/// What deploy does (or, with `--dry-run`, would do) with one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Action {
    Upload,
    Skip,
    Delete,
    Keep,
}

impl Action {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Action::Upload => "upload",
            Action::Skip => "skip",
            Action::Delete => "delete",
            Action::Keep => "keep",
        }
    }
}

/// One line of the plan.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Step {
    pub action: Action,
    pub reason: String,
    pub kind: Option<Kind>,
    /// `s3://bucket/key` or the file's path.
    pub location: String,
    pub url: Option<String>,
    pub bytes: u64,
    pub content_type: Option<String>,
    /// Set once the step ran: `ok`, or why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
}

/// What a deploy did.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Report {
    pub dry_run: bool,
    pub steps: Vec<Step>,
    pub uploaded: usize,
    pub skipped: usize,
    pub deleted: usize,
    pub upload_bytes: u64,
    /// Did the main feed change (the trigger for notifications)?
    pub feed_changed: bool,
    /// Public-URL checks that failed, each naming the URL.
    pub verify_warnings: Vec<String>,
    pub verified: bool,
    pub warnings: Vec<String>,
    /// Why the deploy stopped, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How to deploy.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// The published folder (`feeds/`).
    pub out_dir: PathBuf,
    pub dry_run: bool,
    pub prune: bool,
    pub allow_removal: bool,
    pub verify: bool,
    /// Overrides `[deploy] jobs`.
    pub jobs: Option<usize>,
}

/// Deploys, then verifies through the public URLs. `Err`: nothing was tried
/// (bad setup); `Ok((report, Some(error)))`: the deploy stopped part-way, and
/// the report says what was uploaded before it did.
pub(crate) fn run(
    content: &Content,
    deploy: &DeployConfig,
    options: &Options,
    ui: &Ui,
) -> Result<(Report, Option<Error>)> {
    let lock = Lock::load(&content.root)?;
    let mut report = Report {
        dry_run: options.dry_run,
        ..Report::default()
    };
    let objects = collect(content, &lock, &options.out_dir, &mut report.warnings)?;
    let protected: BTreeSet<String> = lock
        .episodes
        .iter()
        .map(|e| e.enclosure_url.clone())
        .collect();
    let remote = store::Remote::open(deploy)?;
    let jobs = options.jobs.unwrap_or(deploy.jobs).max(1);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))?;
    let outcome = runtime.block_on(remote.deploy(
        &objects,
        deploy,
        options,
        jobs,
        &protected,
        &mut report,
        ui,
    ));
    // The runtime must be gone before reqwest's blocking client runs.
    drop(runtime);
    if let Err(e) = outcome {
        report.error = Some(
            e.flatten()
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        return Ok((report, Some(e)));
    }
    if !options.dry_run && options.verify {
        let uploaded: BTreeSet<&str> = report
            .steps
            .iter()
            .filter(|s| s.action == Action::Upload)
            .filter_map(|s| s.url.as_deref())
            .collect();
        let to_check: Vec<&Object> = objects
            .iter()
            .filter(|o| {
                o.kind == Kind::Feed
                    || (matches!(o.kind, Kind::Media | Kind::Art)
                        && uploaded.contains(o.url.as_str()))
            })
            .collect();
        report.verify_warnings = verify::check(&to_check, jobs);
        report.verified = true;
    }
    Ok((report, None))
}

/// Everything to deploy: the audio and cover under `media_base_url`, and every
/// file `publish` listed in its index (`.mspod/published-files`).
pub(crate) fn collect(
    content: &Content,
    lock: &Lock,
    out_dir: &Path,
    warnings: &mut Vec<String>,
) -> Result<Vec<Object>> {
    let show = &content.config.show;
    let index_path = content.root.join(INDEX_FILE);
    let index = crate::publish::published_files(out_dir, &content.root).ok_or_else(|| {
        Error::Usage(format!(
            "{} lists no publish into {}: run `mspod publish` before `mspod deploy`",
            index_path.display(),
            out_dir.display()
        ))
    })?;
    let feeds_base = folder_of(&show.feed_url);
    let feed_name = show
        .feed_url
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or(FEED_FILE)
        .to_string();

    let mut objects = Vec::new();
    // Every URL the published feeds point at: media files are deployed only
    // when a feed links to them (future-dated and excluded episodes are not).
    let mut linked = BTreeMap::new();
    for rel in index.iter().map(String::as_str).filter(|l| !l.is_empty()) {
        // Never follow a listed path out of the published folder.
        if rel.starts_with('/') || rel.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(Error::content(
                &index_path,
                format!("`{rel}` is not a path inside the folder"),
            ));
        }
        let local = out_dir.join(rel);
        let (content_type, kind) = mime::classify(rel);
        let bytes = crate::fs::read(&local)?;
        let is_feed = kind == Kind::Feed && !rel.contains('/');
        if is_feed {
            linked_urls(&bytes, &local, &mut linked)?;
        }
        let key = if rel == FEED_FILE {
            feed_name.clone()
        } else {
            rel.to_string()
        };
        objects.push(Object {
            side: Side::Feed,
            url: format!("{feeds_base}{key}"),
            rel: key,
            local,
            kind: if is_feed {
                Kind::Feed
            } else if kind == Kind::Feed {
                Kind::Notes
            } else {
                kind
            },
            content_type: content_type.to_string(),
            bytes: bytes.len() as u64,
            sha256: crate::fs::digest(&bytes),
        });
    }

    // The media side, from the model: each episode's audio, video and artwork,
    // and the show cover, each at the URL the feed uses for it.
    let frozen: BTreeMap<&str, &str> = lock
        .episodes
        .iter()
        .map(|e| (e.slug.as_str(), e.enclosure_url.as_str()))
        .collect();
    let mut media = Vec::new();
    for m in &content.manifests {
        // Audio: at the URL the lock froze (the folder may have been renamed since).
        let url = frozen
            .get(m.slug.as_str())
            .map(|u| u.to_string())
            .unwrap_or_else(|| m.enclosure_url(&show.media_base_url));
        // The lock already holds the hash of the published audio; hashing
        // gigabytes on every deploy would be the slowest step.
        let known = lock
            .episodes
            .iter()
            .find(|e| e.slug == m.slug)
            .and_then(|e| Some((e.audio_bytes?, e.audio_sha256.clone()?)));
        media.push(MediaFile {
            url,
            local: m.audio.clone(),
            manifest: &m.file,
            known,
        });
        if let Some(v) = &m.tags.video {
            media.push(MediaFile {
                url: v
                    .url
                    .clone()
                    .unwrap_or_else(|| format!("{}{}", show.media_base_url, v.public_path)),
                local: v.path.clone(),
                manifest: &m.file,
                known: None,
            });
        }
        if let Some(a) = &m.tags.image {
            media.push(MediaFile {
                url: crate::model::tags::image_url(show, m, &a.path),
                local: a.path.clone(),
                manifest: &m.file,
                known: None,
            });
        }
    }
    // The cover, when its URL is the default one under media_base_url.
    let cover_rel = public_path(
        show.image_path
            .strip_prefix(&content.root)
            .unwrap_or(&show.image_path),
    );
    let config_file = content.root.join(crate::load::CONFIG_FILE);
    if show.image_url == format!("{}{cover_rel}", show.media_base_url) {
        media.push(MediaFile {
            url: show.image_url.clone(),
            local: show.image_path.clone(),
            manifest: &config_file,
            known: None,
        });
    }
    let mut seen = BTreeSet::new();
    for f in media {
        let Some(link) = linked.get(&f.url) else {
            // Not in the published feed (a future-dated or excluded episode).
            continue;
        };
        if !seen.insert(f.url.clone()) {
            continue;
        }
        let Some(rel) = f.url.strip_prefix(&show.media_base_url) else {
            warnings.push(format!(
                "{}: {} is served from {}, outside media_base_url; deploy does not upload it",
                f.manifest.display(),
                f.local.display(),
                f.url
            ));
            continue;
        };
        let meta = crate::fs::metadata(&f.local)?;
        if let Some(length) = link.length.filter(|l| *l != meta.len()) {
            return Err(Error::content(
                &f.local,
                format!(
                    "is {} bytes but the published feed says {length}: run `mspod publish` first",
                    meta.len()
                ),
            ));
        }
        let sha256 = match f.known {
            Some((bytes, hash)) if bytes == meta.len() => hash,
            _ => crate::fs::file_digest(&f.local).map_err(|e| Error::io(&f.local, e))?,
        };
        // What the feed uses it as decides its phase and caching, whatever its name.
        let (by_name, named) = mime::classify(rel);
        let kind = match link.what {
            "enclosure" | "podcast:source" | "podcast:trailer" => Kind::Media,
            "itunes:image" | "podcast:image" | "image" => Kind::Art,
            _ => named,
        };
        objects.push(Object {
            side: Side::Media,
            rel: rel.to_string(),
            local: f.local,
            url: f.url,
            kind,
            // The type the feed announced is the one apps check the server against.
            content_type: link.mime.clone().unwrap_or_else(|| by_name.to_string()),
            bytes: meta.len(),
            sha256,
        });
    }

    // A link into either target that nothing deployed serves is a broken link.
    let served: BTreeSet<&str> = objects.iter().map(|o| o.url.as_str()).collect();
    for (url, link) in &linked {
        let ours = url.starts_with(&show.media_base_url) || url.starts_with(&feeds_base);
        if ours && !served.contains(url.as_str()) {
            warnings.push(format!(
                "the feed's {} {url} is under a deploy target but no published or content file is deployed there",
                link.what
            ));
        }
    }
    // Deterministic order: phase, then the main feed after its pages, then key.
    objects.sort_by(|a, b| {
        (a.kind.phase(), a.url == show.feed_url, &a.rel, a.side).cmp(&(
            b.kind.phase(),
            b.url == show.feed_url,
            &b.rel,
            b.side,
        ))
    });
    Ok(objects)
}

/// A content file served under `media_base_url`, before the feed confirms it.
struct MediaFile<'a> {
    url: String,
    local: PathBuf,
    /// Named in messages about it.
    manifest: &'a Path,
    /// (bytes, sha256) the lock recorded for it.
    known: Option<(u64, String)>,
}

/// A URL a published feed points at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Linked {
    /// The element that links to it (`enclosure`, `podcast:source`…).
    pub what: &'static str,
    pub length: Option<u64>,
    pub mime: Option<String>,
}

/// Every file a feed makes apps fetch: enclosures, alternate enclosures' sources,
/// artwork (`itunes:image`, `podcast:image`, `<image>`), chapters, transcripts
/// and the trailer, by URL.
pub(crate) fn linked_urls(
    bytes: &[u8],
    path: &Path,
    into: &mut BTreeMap<String, Linked>,
) -> Result<()> {
    let channel = rss::Channel::read_from(bytes)
        .map_err(|e| Error::content(path, format!("cannot read the published feed: {e}")))?;
    let mut add = |url: &str, what: &'static str, length: Option<&str>, mime: Option<&str>| {
        let url = url.trim();
        if url.is_empty() {
            return;
        }
        let link = Linked {
            what,
            length: length.and_then(|l| l.trim().parse().ok()),
            mime: mime.map(str::to_string).filter(|m| !m.is_empty()),
        };
        // The first (most specific) element naming a URL describes it.
        into.entry(url.to_string()).or_insert(link);
    };
    // The podcast namespace under whatever prefix the feed binds it to.
    let prefixes: Vec<&str> = channel
        .namespaces()
        .iter()
        .filter(|(_, uri)| uri.trim_end_matches('/') == crate::validate::xml::PODCAST_NS)
        .map(|(prefix, _)| prefix.as_str())
        .collect();
    let podcast =
        |ext: &rss::extension::ExtensionMap, name: &str| -> Vec<rss::extension::Extension> {
            prefixes
                .iter()
                .filter_map(|p| ext.get(*p)?.get(name))
                .flatten()
                .cloned()
                .collect()
        };
    let attr = |e: &rss::extension::Extension, name: &str| e.attrs().get(name).cloned();
    for e in podcast(channel.extensions(), "image") {
        if let Some(url) = attr(&e, "href") {
            add(&url, "podcast:image", None, attr(&e, "type").as_deref());
        }
    }
    if let Some(url) = channel.itunes_ext().and_then(|i| i.image()) {
        add(url, "itunes:image", None, None);
    }
    if let Some(image) = channel.image() {
        add(image.url(), "image", None, None);
    }
    for e in podcast(channel.extensions(), "trailer") {
        if let Some(url) = attr(&e, "url") {
            let (length, mime) = (attr(&e, "length"), attr(&e, "type"));
            add(&url, "podcast:trailer", length.as_deref(), mime.as_deref());
        }
    }
    for item in channel.items() {
        if let Some(e) = item.enclosure() {
            add(e.url(), "enclosure", Some(e.length()), Some(e.mime_type()));
        }
        // podcast:image first: it carries the type.
        let ext = item.extensions();
        for e in podcast(ext, "image") {
            if let Some(url) = attr(&e, "href") {
                add(&url, "podcast:image", None, attr(&e, "type").as_deref());
            }
        }
        if let Some(url) = item.itunes_ext().and_then(|i| i.image()) {
            add(url, "itunes:image", None, None);
        }
        for e in podcast(ext, "alternateEnclosure") {
            let (length, mime) = (attr(&e, "length"), attr(&e, "type"));
            for source in e.children().get("source").into_iter().flatten() {
                if let Some(url) = attr(source, "uri") {
                    add(&url, "podcast:source", length.as_deref(), mime.as_deref());
                }
            }
        }
        for (name, what) in [
            ("chapters", "podcast:chapters"),
            ("transcript", "podcast:transcript"),
        ] {
            for e in podcast(ext, name) {
                if let Some(url) = attr(&e, "url") {
                    add(&url, what, None, None);
                }
            }
        }
    }
    Ok(())
}

/// `https://x.org/podcast/podcast.xml` → `https://x.org/podcast/`.
fn folder_of(url: &str) -> String {
    match url.rfind('/') {
        Some(i) => url[..=i].to_string(),
        None => format!("{url}/"),
    }
}

/// How a target is written in messages.
pub(crate) fn describe_target(t: &Target) -> String {
    match t {
        Target::S3 { bucket, prefix } => format!("s3://{bucket}/{prefix}"),
        Target::File { dir } => format!("file://{}", dir.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_a_feed_makes_apps_fetch_is_found_under_any_prefix() {
        // The podcast namespace bound to another prefix than mspod's own.
        let feed = r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:p="https://podcastindex.org/namespace/1.0"><channel>
<title>t</title><link>https://x.org/</link><description>d</description>
<itunes:image href="https://m.org/cover.jpg"/>
<p:trailer url="https://m.org/t.mp3" length="3" type="audio/mpeg">T</p:trailer>
<item><title>a</title><enclosure url="https://m.org/a/audio.mp3" length="42" type="audio/mpeg"/>
<itunes:image href="https://m.org/a/cover.png"/>
<p:image href="https://m.org/a/cover.png" type="image/png"/>
<p:chapters url="https://x.org/a/chapters.json" type="application/json+chapters"/>
<p:transcript url="https://x.org/a/t.vtt" type="text/vtt"/>
<p:alternateEnclosure type="video/mp4" length="7"><p:source uri="https://m.org/a/video.mp4"/></p:alternateEnclosure>
</item></channel></rss>"#;
        let mut found = BTreeMap::new();
        linked_urls(feed.as_bytes(), Path::new("f.xml"), &mut found).expect("reads");
        let seen: Vec<(&str, &str, Option<u64>, Option<&str>)> = found
            .iter()
            .map(|(u, l)| (u.as_str(), l.what, l.length, l.mime.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "https://m.org/a/audio.mp3",
                    "enclosure",
                    Some(42),
                    Some("audio/mpeg")
                ),
                (
                    "https://m.org/a/cover.png",
                    "podcast:image",
                    None,
                    Some("image/png")
                ),
                (
                    "https://m.org/a/video.mp4",
                    "podcast:source",
                    Some(7),
                    Some("video/mp4")
                ),
                ("https://m.org/cover.jpg", "itunes:image", None, None),
                (
                    "https://m.org/t.mp3",
                    "podcast:trailer",
                    Some(3),
                    Some("audio/mpeg")
                ),
                (
                    "https://x.org/a/chapters.json",
                    "podcast:chapters",
                    None,
                    None
                ),
                ("https://x.org/a/t.vtt", "podcast:transcript", None, None),
            ]
        );
    }

    #[test]
    fn the_feed_folder_is_the_folder_of_feed_url() {
        assert_eq!(folder_of("https://x.org/p/podcast.xml"), "https://x.org/p/");
        assert_eq!(folder_of("https://x.org/feed"), "https://x.org/");
    }
}
