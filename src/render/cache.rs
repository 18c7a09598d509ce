//! What the last publish built and rendered for each episode, so the next one builds
//! and renders only what changed.
//!
//! Per episode: a key of its own inputs and the listing built from them (an episode
//! whose inputs are unchanged is never probed, parsed or built again), and a key of
//! everything its files depend on (its inputs, its identity from mspod.lock, its
//! neighbours) with those files' stamps, its item's length and the validator's check of
//! it (an episode whose files are current is not rendered again; its item is copied
//! from the feed as it is). Where each item sits follows from the order of the items
//! in each feed file (`Layout`) and their lengths.
//!
//! On disk: a snapshot (`episodes.json`) and a log of what changed since
//! (`episodes.log`, one JSON entry per line), so a publish that changed one episode
//! appends one record instead of rewriting every episode's. The log is folded into a
//! new snapshot once it has grown to the snapshot's size. A missing, unreadable or
//! foreign cache is simply empty (a damaged log line ends the log there): caches only
//! save time.

use super::Rendered;
use crate::error::Result;
use crate::fs::{Stamp, digest};
use crate::load::{Content, Manifest};
use crate::model::Listing;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The snapshot, under the content root.
pub(crate) const FILE: &str = ".mspod/episodes.json";
/// What changed since the snapshot, one entry per line.
pub(crate) const LOG_FILE: &str = ".mspod/episodes.log";
/// Earlier versions' render cache (one JSON with every item); removed when seen.
const LEGACY_FILE: &str = ".mspod/render-cache.json";
const FORMAT: u32 = 4;

/// One episode as the last publish left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Record {
    /// [`input_key`] of what it was built from.
    pub input: String,
    /// Its listing as last published (moved out while a publish runs, see [`Records::take`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<Listing>,
    /// SHA-256 of its audio, for identity in mspod.lock.
    pub audio_sha256: Option<String>,
    /// Warnings building it gave (repeated on each publish while they hold).
    pub warnings: Vec<String>,
    /// Key of everything its files and item depend on; empty until rendered.
    pub output: String,
    /// What rendering it gave, without the item (that is in the feed).
    pub rendered: Rendered,
    /// Size and modification time of each of `rendered.files`, as written.
    pub stamps: Vec<(u64, u128)>,
    /// Its `<item>`'s length in bytes.
    #[serde(default)]
    pub item_len: u64,
    /// Where its `<item>` is in the last publish's feed: file, byte offset, length
    /// (from the layout; not stored).
    #[serde(skip)]
    pub item_at: Option<(PathBuf, u64, u64)>,
    /// What the validator said about its item (positions relative to the item).
    #[serde(default)]
    pub check: Option<crate::validate::ItemCheck>,
    /// …and about the item against its audio.
    #[serde(default)]
    pub media_check: Vec<crate::validate::Diagnostic>,
    /// The item was dated ahead when checked (checked again until it is not).
    #[serde(default)]
    pub dated_ahead: bool,
}

/// One feed file as the last publish wrote it: its head's length, then the items of
/// these episodes, in this order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Layout {
    pub file: PathBuf,
    pub head: u64,
    pub slugs: Vec<String>,
}

/// A line of the log.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Entry {
    Episode(String, Box<Record>),
    Gone(String),
    Feeds {
        feeds: Vec<Stamp>,
        layout: Vec<Layout>,
    },
}

/// Every episode's record, by slug.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Records {
    format: u32,
    /// The output folder the records describe.
    out_dir: PathBuf,
    /// Each feed file as the last publish wrote it: items are copied only from these bytes.
    feeds: Vec<Stamp>,
    layout: Vec<Layout>,
    pub episodes: BTreeMap<String, Record>,
    /// Episodes whose record changed in this publish (appended to the log).
    #[serde(skip)]
    dirty: BTreeSet<String>,
    #[serde(skip)]
    gone: BTreeSet<String>,
    #[serde(skip)]
    feeds_changed: bool,
    /// Write a new snapshot instead of appending (no usable snapshot or log).
    #[serde(skip)]
    rewrite: bool,
    /// Sizes of the snapshot and the log as read.
    #[serde(skip)]
    sizes: (u64, u64),
    /// The feed files still as the last publish wrote them (checked once, on load).
    #[serde(skip)]
    intact: Vec<PathBuf>,
    /// The identity of each listing lent out by [`Records::take`]: the rest of a
    /// listing follows from its inputs, so it comes back changed only if this did.
    #[serde(skip)]
    lent: std::collections::HashMap<String, String>,
}

/// What of a listing mspod.lock decides.
fn identity(l: &Listing) -> String {
    format!(
        "{}\n{}\n{}",
        l.guid,
        l.published.to_rfc3339(),
        l.enclosure.url
    )
}

impl Records {
    /// The records of the last publish into `out_dir` (empty if there are none).
    pub(crate) fn load(root: &Path, out_dir: &Path) -> Records {
        // A link planted in the records' place is never followed: it is replaced.
        let planted = [FILE, LOG_FILE]
            .iter()
            .any(|f| crate::fs::refuse_symlinks(root, Path::new(f)).is_err());
        if planted {
            return Records::empty(out_dir);
        }
        let snapshot = crate::fs::read_regular(&root.join(FILE)).ok();
        let Some(mut records) = snapshot
            .as_deref()
            .and_then(|b| serde_json::from_slice::<Records>(b).ok())
            .filter(|r| r.format == FORMAT && r.out_dir == out_dir)
        else {
            return Records::empty(out_dir);
        };
        records.sizes.0 = snapshot.map_or(0, |b| b.len() as u64);
        if let Ok(log) = crate::fs::read_regular(&root.join(LOG_FILE)) {
            records.sizes.1 = log.len() as u64;
            for line in log.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                match serde_json::from_slice::<Entry>(line) {
                    Ok(entry) => records.apply(entry),
                    // A line cut short by a killed run: what follows cannot be trusted.
                    Err(_) => {
                        records.rewrite = true;
                        break;
                    }
                }
            }
        }
        records.place_items();
        records.intact = records
            .feeds
            .iter()
            .filter(|s| Stamp::of(&s.path).as_ref() == Some(s))
            .filter_map(|s| s.path.strip_prefix(out_dir).ok().map(Path::to_path_buf))
            .collect();
        records
    }

    fn apply(&mut self, entry: Entry) {
        match entry {
            Entry::Episode(slug, record) => {
                self.episodes.insert(slug, *record);
            }
            Entry::Gone(slug) => {
                self.episodes.remove(&slug);
            }
            Entry::Feeds { feeds, layout } => {
                self.feeds = feeds;
                self.layout = layout;
            }
        }
    }

    /// Each item's place from the layout and the items' lengths.
    fn place_items(&mut self) {
        for l in &self.layout {
            let mut at = Some(l.head);
            for slug in &l.slugs {
                let Some(r) = self.episodes.get_mut(slug) else {
                    // An item of unknown length: the places after it are unknown too.
                    at = None;
                    continue;
                };
                r.item_at = at.map(|offset| (l.file.clone(), offset, r.item_len));
                at = at.map(|offset| offset + r.item_len);
            }
        }
    }

    /// No records (everything is built and rendered; what is built is recorded).
    pub(crate) fn empty(out_dir: &Path) -> Records {
        Records {
            format: FORMAT,
            out_dir: out_dir.to_path_buf(),
            rewrite: true,
            ..Records::default()
        }
    }

    pub(crate) fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// What was built for `slug` from inputs with key `input`: its listing as last
    /// published (moved out, not copied: every listing is held once), its audio's
    /// SHA-256 and the warnings building it gave.
    pub(crate) fn take(
        &mut self,
        slug: &str,
        input: &str,
    ) -> Option<(Listing, Option<String>, Vec<String>)> {
        let r = self.episodes.get_mut(slug).filter(|r| r.input == input)?;
        let listing = r.listing.take()?;
        self.lent.insert(slug.to_string(), identity(&listing));
        Some((listing, r.audio_sha256.clone(), r.warnings.clone()))
    }

    /// The record of `slug` if its files and item are current for key `output`:
    /// the files are as written, and the feed it points into too.
    pub(crate) fn current(&self, slug: &str, output: &str) -> Option<&Record> {
        let r = self.episodes.get(slug)?;
        let (feed, _, _) = r.item_at.as_ref()?;
        let fresh = !r.output.is_empty()
            && r.output == output
            && self.intact.contains(feed)
            && r.rendered.files.len() == r.stamps.len()
            && r.rendered
                .files
                .iter()
                .zip(&r.stamps)
                .all(|(f, (size, mtime))| {
                    Stamp::of(&self.out_dir.join(f))
                        .is_some_and(|s| s.size == *size && s.mtime_ns == *mtime)
                });
        fresh.then_some(r)
    }

    /// Records what was built for `slug`.
    pub(crate) fn set_built(&mut self, slug: &str, record: Record) {
        self.dirty.insert(slug.to_string());
        self.episodes.insert(slug.to_string(), record);
    }

    /// Keeps only the episodes in `slugs` (removed episodes are forgotten).
    pub(crate) fn retain(&mut self, slugs: &std::collections::HashSet<&str>) {
        let gone: Vec<String> = self
            .episodes
            .keys()
            .filter(|s| !slugs.contains(s.as_str()))
            .cloned()
            .collect();
        for slug in gone {
            self.episodes.remove(&slug);
            self.dirty.remove(&slug);
            self.gone.insert(slug);
        }
    }

    /// The record of `slug`, to change (it is written out again).
    pub(crate) fn get_mut(&mut self, slug: &str) -> Option<&mut Record> {
        let r = self.episodes.get_mut(slug)?;
        self.dirty.insert(slug.to_string());
        Some(r)
    }

    /// Size and modification time of every episode file, as recorded.
    pub(crate) fn file_stamps(&self) -> std::collections::HashMap<&Path, (u64, u128)> {
        self.episodes
            .values()
            .flat_map(|r| {
                r.rendered
                    .files
                    .iter()
                    .map(PathBuf::as_path)
                    .zip(r.stamps.iter().copied())
            })
            .collect()
    }

    /// Remembers the feed files just written (their stamps vouch for the items' places)
    /// and the order of the items in each.
    pub(crate) fn set_feeds(&mut self, feeds: Vec<Stamp>, layout: Vec<Layout>) {
        if feeds != self.feeds || layout != self.layout {
            self.feeds_changed = true;
            self.feeds = feeds;
            self.layout = layout;
        }
    }

    /// Writes what changed, with the listings of `published` (newest first) back in
    /// the records: appended to the log, or as a new snapshot when the log has grown
    /// to the snapshot's size (or there is no usable snapshot).
    pub(crate) fn save(&mut self, root: &Path, published: Vec<Listing>) -> Result<()> {
        for l in published {
            if let Some(r) = self.episodes.get_mut(&l.slug) {
                if self.lent.get(&l.slug) != Some(&identity(&l)) {
                    self.dirty.insert(l.slug.clone());
                }
                r.listing = Some(l);
            }
        }
        if self.dirty.is_empty() && self.gone.is_empty() && !self.feeds_changed && !self.rewrite {
            return Ok(());
        }
        let mut log = Vec::new();
        for slug in &self.gone {
            serde_json::to_writer(&mut log, &Entry::Gone(slug.clone())).map_err(json_error)?;
            log.push(b'\n');
        }
        for slug in &self.dirty {
            if let Some(r) = self.episodes.get(slug) {
                serde_json::to_writer(&mut log, &Entry::Episode(slug.clone(), Box::new(r.clone())))
                    .map_err(json_error)?;
                log.push(b'\n');
            }
        }
        if self.feeds_changed {
            let entry = Entry::Feeds {
                feeds: self.feeds.clone(),
                layout: self.layout.clone(),
            };
            serde_json::to_writer(&mut log, &entry).map_err(json_error)?;
            log.push(b'\n');
        }
        let (snapshot, logged) = self.sizes;
        if self.rewrite || logged + log.len() as u64 > snapshot {
            let _ = crate::fs::remove_file_if_exists(root.join(LEGACY_FILE));
            // The log first: a run killed in between leaves an older snapshot, which the
            // stamps show to be stale, never old entries applied to a newer one.
            crate::fs::remove_file_if_exists(root.join(LOG_FILE))?;
            return crate::fs::replace_json(&root.join(FILE), self);
        }
        // Appending opens the file where it is: never through a link planted in its place.
        crate::fs::refuse_symlinks(root, Path::new(LOG_FILE))?;
        crate::fs::append(&root.join(LOG_FILE), &log)
    }
}

fn json_error(e: serde_json::Error) -> crate::error::Error {
    crate::error::Error::Internal(format!("cannot write the episode records: {e}"))
}

/// Stamps of `files` (relative to `out_dir`) as they are now.
pub(crate) fn stamps(out_dir: &Path, files: &[PathBuf]) -> Vec<(u64, u128)> {
    files
        .iter()
        .map(|f| Stamp::of(&out_dir.join(f)).map_or((0, 0), |s| (s.size, s.mtime_ns)))
        .collect()
}

/// The key of everything an episode is built from: mspod's version, the show
/// config, its manifest, and its article, audio, transcript, artwork and video files
/// (by size and modification time), and the video title `mspod pair` cached.
pub(crate) fn input_key(content: &Content, m: &Manifest, video_title: Option<&str>) -> String {
    let stamp = |p: &Path| {
        Stamp::of(p)
            .map(|s| format!("{}:{}", s.size, s.mtime_ns))
            .unwrap_or_default()
    };
    let mut parts = vec![
        env!("CARGO_PKG_VERSION").to_string(),
        content.config.digest.clone(),
        m.digest.clone(),
        stamp(&m.article),
        stamp(&m.audio),
        m.transcript.as_deref().map(stamp).unwrap_or_default(),
        video_title.unwrap_or_default().to_string(),
    ];
    // Episode artwork (given, or a cover.jpg the loader found: a new one changes this
    // list) and video.
    for p in m
        .tags
        .image
        .as_ref()
        .map(|a| &a.path)
        .into_iter()
        .chain(m.tags.video.as_ref().map(|v| &v.path))
    {
        parts.push(stamp(p));
    }
    digest(parts.join("\n").as_bytes())
}

/// The key of everything an episode's files and item depend on: its inputs, the
/// identity mspod.lock gave it, and what its page shows of its neighbours.
pub(crate) fn output_key(input: &str, ep: &Listing, neighbours: &str) -> String {
    let parts = [
        input,
        &ep.guid,
        &ep.published.to_rfc3339(),
        &ep.enclosure.url,
        ep.youtube_title.as_deref().unwrap_or_default(),
        neighbours,
    ];
    digest(parts.join("\n").as_bytes())
}
