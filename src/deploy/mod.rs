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
        .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))?;
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
                o.kind == Kind::Feed || (o.kind == Kind::Media && uploaded.contains(o.url.as_str()))
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
            "{} not found: run `mspod publish` before `mspod deploy`",
            index_path.display()
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
    let mut enclosure_types = BTreeMap::new();
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
        let bytes = std::fs::read(&local).map_err(|e| Error::io(&local, e))?;
        let is_feed = kind == Kind::Feed && !rel.contains('/');
        if is_feed {
            enclosures(&bytes, &local, &mut enclosure_types)?;
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

    // Audio: at the URL the lock froze (the folder may have been renamed since).
    let frozen: BTreeMap<&str, &str> = lock
        .episodes
        .iter()
        .map(|e| (e.slug.as_str(), e.enclosure_url.as_str()))
        .collect();
    for m in &content.manifests {
        let url = frozen
            .get(m.slug.as_str())
            .map(|u| u.to_string())
            .unwrap_or_else(|| m.enclosure_url(&show.media_base_url));
        let Some((length, mime)) = enclosure_types.get(&url) else {
            // Not in the published feed (a future-dated or excluded episode).
            continue;
        };
        let Some(rel) = url.strip_prefix(&show.media_base_url) else {
            warnings.push(format!(
                "{}: the audio is served from {url}, outside media_base_url; deploy does not upload it",
                m.file.display()
            ));
            continue;
        };
        let meta = std::fs::metadata(&m.audio).map_err(|e| Error::io(&m.audio, e))?;
        if meta.len() != *length {
            return Err(Error::content(
                &m.audio,
                format!(
                    "is {} bytes but the published feed says {length}: run `mspod publish` first",
                    meta.len()
                ),
            ));
        }
        // The lock already holds the hash of the published audio; hashing
        // gigabytes on every deploy would be the slowest step.
        let known = lock
            .episodes
            .iter()
            .find(|e| e.slug == m.slug && e.audio_bytes == Some(meta.len()))
            .and_then(|e| e.audio_sha256.clone());
        let sha256 = match known {
            Some(h) => h,
            None => file_digest(&m.audio)?,
        };
        objects.push(Object {
            side: Side::Media,
            rel: rel.to_string(),
            local: m.audio.clone(),
            url: url.clone(),
            kind: Kind::Media,
            content_type: mime.clone(),
            bytes: meta.len(),
            sha256,
        });
    }

    // The cover, when its URL is the default one under media_base_url.
    let cover_rel = public_path(
        show.image_path
            .strip_prefix(&content.root)
            .unwrap_or(&show.image_path),
    );
    if show.image_url == format!("{}{cover_rel}", show.media_base_url) {
        let bytes = std::fs::read(&show.image_path).map_err(|e| Error::io(&show.image_path, e))?;
        let (content_type, _) = mime::classify(&cover_rel);
        objects.push(Object {
            side: Side::Media,
            url: show.image_url.clone(),
            rel: cover_rel,
            local: show.image_path.clone(),
            kind: Kind::Art,
            content_type: content_type.to_string(),
            bytes: bytes.len() as u64,
            sha256: crate::fs::digest(&bytes),
        });
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

/// `<enclosure>` URL → (length, type) of every item in a feed file.
fn enclosures(bytes: &[u8], path: &Path, into: &mut BTreeMap<String, (u64, String)>) -> Result<()> {
    let channel = rss::Channel::read_from(bytes)
        .map_err(|e| Error::content(path, format!("cannot read the published feed: {e}")))?;
    for item in channel.items() {
        if let Some(e) = item.enclosure() {
            let length = e.length().trim().parse().unwrap_or(0);
            into.insert(e.url().to_string(), (length, e.mime_type().to_string()));
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

/// SHA-256 of a file, read in blocks (audio can be large).
pub(crate) fn file_digest(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
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
    fn the_feed_folder_is_the_folder_of_feed_url() {
        assert_eq!(folder_of("https://x.org/p/podcast.xml"), "https://x.org/p/");
        assert_eq!(folder_of("https://x.org/feed"), "https://x.org/");
    }
}
