//! What the last publish built and rendered for each episode, so the next one builds
//! and renders only what changed.
//!
//! Per episode: a key of its own inputs and the listing built from them (an episode
//! whose inputs are unchanged is never probed, parsed or built again), and a key of
//! everything its files depend on (its inputs, its identity from mspod.lock, its
//! neighbours) with those files' stamps and where its `<item>` sits in the feed (an
//! episode whose files are current is not rendered again; its item is copied from
//! the feed as it is). One file for the whole show, rewritten only when something
//! changed. A missing, unreadable or foreign cache is simply empty: caches only save
//! time.

use super::Rendered;
use crate::error::Result;
use crate::fs::{Stamp, digest};
use crate::load::{Content, Manifest};
use crate::model::Listing;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the records live, under the content root.
pub(crate) const FILE: &str = ".mspod/episodes.json";
/// Earlier versions' render cache (one JSON with every item); removed when seen.
const LEGACY_FILE: &str = ".mspod/render-cache.json";
const FORMAT: u32 = 3;

/// One episode as the last publish left it.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// What rendering it gave, without the item (that is in the feed, at `item_at`).
    pub rendered: Rendered,
    /// Size and modification time of each of `rendered.files`, as written.
    pub stamps: Vec<(u64, u128)>,
    /// Where its `<item>` is: the feed file, byte offset and length.
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

/// Every episode's record, by slug.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Records {
    format: u32,
    /// The output folder the records describe.
    out_dir: PathBuf,
    /// Each feed file as the last publish wrote it: items are copied only from these bytes.
    feeds: Vec<Stamp>,
    pub episodes: BTreeMap<String, Record>,
    #[serde(skip)]
    changed: bool,
    /// The feed files still as the last publish wrote them (checked once, on load).
    #[serde(skip)]
    intact: Vec<PathBuf>,
}

impl Records {
    /// The records of the last publish into `out_dir` (empty if there are none).
    pub(crate) fn load(root: &Path, out_dir: &Path) -> Records {
        crate::fs::read_regular(&root.join(FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<Records>(&b).ok())
            // (the file's bytes are dropped here, before anything else is read)
            .filter(|r| r.format == FORMAT && r.out_dir == out_dir)
            .map(|mut r| {
                r.intact = r
                    .feeds
                    .iter()
                    .filter(|s| Stamp::of(&s.path).as_ref() == Some(s))
                    .filter_map(|s| s.path.strip_prefix(out_dir).ok().map(Path::to_path_buf))
                    .collect();
                r
            })
            .unwrap_or_else(|| Records::empty(out_dir))
    }

    /// No records (everything is built and rendered; what is built is recorded).
    pub(crate) fn empty(out_dir: &Path) -> Records {
        Records {
            format: FORMAT,
            out_dir: out_dir.to_path_buf(),
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
        Some((listing, r.audio_sha256.clone(), r.warnings.clone()))
    }

    /// The record of `slug` if its files and item are current for key `output`:
    /// the files are as written, and the feed it points into too.
    pub(crate) fn current(&self, slug: &str, output: &str) -> Option<&Record> {
        let r = self.episodes.get(slug)?;
        let (feed, _, _) = r.item_at.as_ref()?;
        let fresh = !r.output.is_empty()
            && r.output == output
            && self.feeds.iter().any(|s| {
                s.path == self.out_dir.join(feed) && Stamp::of(&s.path).as_ref() == Some(s)
            })
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
        self.changed = true;
        self.episodes.insert(slug.to_string(), record);
    }

    /// Keeps only the episodes in `slugs` (removed episodes are forgotten).
    pub(crate) fn retain(&mut self, slugs: &std::collections::HashSet<&str>) {
        let before = self.episodes.len();
        self.episodes.retain(|s, _| slugs.contains(s.as_str()));
        self.changed |= before != self.episodes.len();
    }

    pub(crate) fn get_mut(&mut self, slug: &str) -> Option<&mut Record> {
        self.changed = true;
        self.episodes.get_mut(slug)
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

    /// Remembers the feed files just written (their stamps vouch for the item offsets).
    pub(crate) fn set_feeds(&mut self, feeds: Vec<Stamp>) {
        if feeds != self.feeds {
            self.changed = true;
            self.feeds = feeds;
        }
    }

    /// Writes the records, with the listings of `published` (newest first) back in
    /// them, if anything changed.
    pub(crate) fn save(&mut self, root: &Path, published: Vec<Listing>) -> Result<()> {
        for l in published {
            if let Some(r) = self.episodes.get_mut(&l.slug) {
                self.changed |= r.listing.as_ref() != Some(&l);
                r.listing = Some(l);
            }
        }
        if !self.changed {
            return Ok(());
        }
        let _ = crate::fs::remove_file_if_exists(root.join(LEGACY_FILE));
        crate::fs::replace_json(&root.join(FILE), self)
    }
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
