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
//! On disk: a snapshot (`episodes.jsonl`) and a log of what changed since
//! (`episodes.log`), both one JSON entry per line — the snapshot is the log of a publish
//! that started from nothing, after a header line —, so a publish that changed one
//! episode appends one record instead of rewriting every episode's, and the lines are
//! parsed in parallel. The log is folded into a new snapshot once it has grown to the
//! snapshot's size. A missing, unreadable or foreign cache is simply empty (a damaged
//! log line ends the log there): caches only save time.

use super::Rendered;
use crate::error::Result;
use crate::fs::{Stamp, digest};
use crate::load::{Content, Manifest};
use crate::model::Listing;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The snapshot, under the content root.
pub(crate) const FILE: &str = ".mspod/episodes.jsonl";
/// What changed since the snapshot, one entry per line.
pub(crate) const LOG_FILE: &str = ".mspod/episodes.log";
/// Earlier versions' records (one JSON document each); removed when seen.
const LEGACY_FILES: [&str; 2] = [".mspod/render-cache.json", ".mspod/episodes.json"];
const FORMAT: u32 = 6;
/// Bytes of records read (and parsed in parallel) at a time.
const BLOCK: usize = 4 << 20;

/// One episode as the last publish left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Record {
    /// [`input_key`] of what it was built from.
    pub input: String,
    /// Its listing as last published (moved out while a publish runs, see [`Records::take`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<Box<Listing>>,
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
    pub check: Option<Box<crate::validate::ItemCheck>>,
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

/// A line of the snapshot or the log.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Entry {
    Episode(String, Box<Record>),
    Gone(String),
    /// The feed files' stamps, and their layout when it changed (else it is the last one:
    /// an edit does not log the order of every item again).
    Feeds {
        feeds: Vec<Stamp>,
        #[serde(default)]
        layout: Option<Vec<Layout>>,
    },
}

/// [`Entry`] as written (borrowed: nothing is copied to be written).
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum EntryRef<'a> {
    Episode(&'a str, &'a Record),
    Gone(&'a str),
    Feeds {
        feeds: &'a [Stamp],
        #[serde(skip_serializing_if = "Option::is_none")]
        layout: Option<&'a [Layout]>,
    },
}

/// The snapshot's first line: which records these are.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    /// The output folder the records describe.
    out_dir: PathBuf,
}

/// Every episode's record, by slug.
#[derive(Debug, Default)]
pub(crate) struct Records {
    /// The output folder the records describe.
    out_dir: PathBuf,
    /// Each feed file as the last publish wrote it: items are copied only from these bytes.
    feeds: Vec<Stamp>,
    layout: Vec<Layout>,
    pub episodes: BTreeMap<String, Record>,
    /// Episodes whose record changed in this publish (appended to the log).
    dirty: BTreeSet<String>,
    gone: BTreeSet<String>,
    feeds_changed: bool,
    layout_changed: bool,
    /// Write a new snapshot instead of appending (no usable snapshot or log).
    rewrite: bool,
    /// Sizes of the snapshot and the log as read.
    sizes: (u64, u64),
    /// The feed files still as the last publish wrote them (checked once, on load).
    intact: Vec<PathBuf>,
    /// The identity of each listing lent out by [`Records::take`]: the rest of a
    /// listing follows from its inputs, so it comes back changed only if this did.
    lent: std::collections::HashMap<String, u128>,
}

/// What of a listing mspod.lock decides, as a digest (one is kept per lent listing).
fn identity(l: &Listing) -> u128 {
    let text = format!(
        "{}\n{}\n{}",
        l.guid,
        l.published.to_rfc3339(),
        l.enclosure.url
    );
    crate::fs::short_digest(text.as_bytes())
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
        let mut records = Records {
            out_dir: out_dir.to_path_buf(),
            ..Records::default()
        };
        // Read a block of lines at a time: the text of a large show's records, or all
        // of them parsed at once, is never held (they were most of an edit's memory).
        let mut ours = false;
        let mut complete = false;
        let snapshot = crate::fs::line_blocks(&root.join(FILE), BLOCK, |offset, mut lines| {
            if offset == 0 {
                let end = memchr::memchr(b'\n', lines).unwrap_or(lines.len());
                ours = serde_json::from_slice::<Header>(&lines[..end])
                    .is_ok_and(|h| h.format == FORMAT && h.out_dir == out_dir);
                lines = &lines[end..];
            }
            complete = ours && records.apply_lines(lines);
            complete
        });
        match snapshot {
            Ok(read) if complete => records.sizes.0 = read,
            _ => return Records::empty(out_dir),
        }
        complete = true;
        if let Ok(read) = crate::fs::line_blocks(&root.join(LOG_FILE), BLOCK, |_, lines| {
            complete = records.apply_lines(lines);
            complete
        }) {
            records.sizes.1 = read;
            // A line cut short by a killed run: what follows it cannot be trusted.
            records.rewrite = !complete;
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

    /// Applies the entries of some lines, up to the first that does not parse;
    /// whether every line did.
    fn apply_lines(&mut self, lines: &[u8]) -> bool {
        let (entries, complete) = entries(lines);
        for entry in entries {
            self.apply(entry);
        }
        complete
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
                if let Some(layout) = layout {
                    self.layout = layout;
                }
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
    ) -> Option<(Box<Listing>, Option<String>, Vec<String>)> {
        let r = self.episodes.get_mut(slug).filter(|r| r.input == input)?;
        let listing = r.listing.take()?;
        self.lent.insert(slug.to_string(), identity(&listing));
        Some((listing, r.audio_sha256.clone(), r.warnings.clone()))
    }

    /// The input key `slug` was last built from.
    pub(crate) fn input(&self, slug: &str) -> Option<&str> {
        self.episodes.get(slug).map(|r| r.input.as_str())
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
    /// (Keyed by the path's bytes: hashing a `Path` walks its components.)
    pub(crate) fn file_stamps(&self) -> std::collections::HashMap<&std::ffi::OsStr, (u64, u128)> {
        self.episodes
            .values()
            .flat_map(|r| {
                r.rendered
                    .files
                    .iter()
                    .map(|p| p.as_os_str())
                    .zip(r.stamps.iter().copied())
            })
            .collect()
    }

    /// Remembers the feed files just written (their stamps vouch for the items' places)
    /// and the order of the items in each.
    pub(crate) fn set_feeds(&mut self, feeds: Vec<Stamp>, layout: Vec<Layout>) {
        if layout != self.layout {
            self.layout_changed = true;
            self.layout = layout;
        }
        if feeds != self.feeds || self.layout_changed {
            self.feeds_changed = true;
            self.feeds = feeds;
        }
    }

    /// Writes what changed, each record with its listing from `published` (the show's
    /// listings, in any order): appended to the log, or as a new snapshot when the log
    /// has grown to the snapshot's size (or there is no usable snapshot). Listings are
    /// lent back to their records one line at a time, in slug order (a box for every
    /// listing at once was 34 MB at 100,000 episodes).
    pub(crate) fn save(&mut self, root: &Path, mut published: Vec<Listing>) -> Result<()> {
        published.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
        for l in &published {
            if self.episodes.contains_key(&l.slug) && self.lent.get(&l.slug) != Some(&identity(l)) {
                self.dirty.insert(l.slug.clone());
            }
        }
        if self.dirty.is_empty() && self.gone.is_empty() && !self.feeds_changed && !self.rewrite {
            return Ok(());
        }
        // A snapshot is rewritten anyway: never build the log of every episode first.
        if self.rewrite {
            return self.save_snapshot(root, published);
        }
        let mut log = Vec::new();
        for slug in &self.gone {
            write_line(&mut log, &EntryRef::Gone(slug)).map_err(log_error)?;
        }
        for slug in &self.dirty {
            if let Some(r) = self.episodes.get_mut(slug) {
                r.listing = published
                    .binary_search_by(|l| l.slug.as_str().cmp(slug))
                    .ok()
                    .map(|i| Box::new(published[i].clone()));
                write_line(&mut log, &EntryRef::Episode(slug, r)).map_err(log_error)?;
                r.listing = None;
            }
        }
        if self.feeds_changed {
            let entry = EntryRef::Feeds {
                feeds: &self.feeds,
                layout: self.layout_changed.then_some(&self.layout[..]),
            };
            write_line(&mut log, &entry).map_err(log_error)?;
        }
        let (snapshot, logged) = self.sizes;
        if logged + log.len() as u64 > snapshot {
            drop(log);
            return self.save_snapshot(root, published);
        }
        // Appending opens the file where it is: never through a link planted in its place.
        crate::fs::refuse_symlinks(root, Path::new(LOG_FILE))?;
        crate::fs::append(&root.join(LOG_FILE), &log)
    }

    /// Writes every record as a new snapshot and starts an empty log.
    /// `published`: the listings, sorted by slug.
    fn save_snapshot(&mut self, root: &Path, published: Vec<Listing>) -> Result<()> {
        for legacy in LEGACY_FILES {
            let _ = crate::fs::remove_file_if_exists(root.join(legacy));
        }
        // The log first: a run killed in between leaves an older snapshot, which the
        // stamps show to be stale, never old entries applied to a newer one.
        crate::fs::remove_file_if_exists(root.join(LOG_FILE))?;
        let path = root.join(FILE);
        let (out_dir, feeds, layout) = (&self.out_dir, &self.feeds, &self.layout);
        let episodes = &mut self.episodes;
        let mut listings = Listings(published.into_iter().peekable());
        crate::fs::replace_atomic_with(&path, |w| {
            let header = Header {
                format: FORMAT,
                out_dir: out_dir.clone(),
            };
            write_line(w, &header)?;
            let feeds = EntryRef::Feeds {
                feeds,
                layout: Some(layout),
            };
            write_line(w, &feeds)?;
            for (slug, r) in episodes.iter_mut() {
                r.listing = listings.of(slug).map(Box::new);
                write_line(w, &EntryRef::Episode(slug, r))?;
                r.listing = None;
            }
            Ok(())
        })
        .map_err(|e| crate::error::Error::io(&path, e))
    }
}

/// The show's listings in slug order, handed out as records in slug order ask.
struct Listings(std::iter::Peekable<std::vec::IntoIter<Listing>>);

impl Listings {
    /// The listing of `slug` (asked for in increasing order; the ones passed are dropped).
    fn of(&mut self, slug: &str) -> Option<Listing> {
        while self.0.next_if(|l| l.slug.as_str() < slug).is_some() {}
        self.0.next_if(|l| l.slug == slug)
    }
}

/// One value as a line of JSON.
fn write_line(w: &mut dyn std::io::Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, value).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

/// The entries of some lines (parsed in parallel), up to the first that does not
/// parse; and whether every line did.
fn entries(lines: &[u8]) -> (Vec<Entry>, bool) {
    use rayon::prelude::*;
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', lines).map(|at| at + 1));
    starts.push(lines.len());
    let parsed: Vec<Option<Entry>> = starts
        .par_windows(2)
        .map(|w| &lines[w[0]..w[1]])
        .filter(|l| !l.trim_ascii().is_empty())
        .map(|l| serde_json::from_slice(l).ok())
        .collect();
    let all = parsed.len();
    let entries: Vec<Entry> = parsed.into_iter().map_while(|e| e).collect();
    let complete = entries.len() == all;
    (entries, complete)
}

fn log_error(e: std::io::Error) -> crate::error::Error {
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
/// config, its manifest, its article, audio, transcript, artwork and video files (by
/// size and modification time, as `load` found them), and the video title `mspod pair`
/// cached.
pub(crate) fn input_key(content: &Content, m: &Manifest, video_title: Option<&str>) -> String {
    let parts = [
        env!("CARGO_PKG_VERSION"),
        &content.config.digest,
        &m.digest,
        &m.inputs,
        video_title.unwrap_or_default(),
    ];
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
