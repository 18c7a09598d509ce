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
//!
//! In memory: an index (slug → input key, item length, where its line is); a record is
//! read when a stage asks for it — its listing by stage 1, the rest by stage 2, its
//! show-page entry by the show page — and a record this publish changed is written,
//! once its files are, to an unnamed pending file that saving appends to the log or
//! copies into the snapshot (unchanged records are copied line for line). So a publish
//! holds a chunk of records, never the show's. Within a publish the lines it indexed
//! must stay readable: the show page reads its entries back from them, and one that
//! cannot be read fails that publish, with an error naming the episode.

use super::Rendered;
use crate::error::Result;
use crate::fs::{Stamp, digest};
use crate::load::{Content, Manifest};
use crate::model::{Listing, PageEntry};
use crate::validate::{Diagnostic, ItemCheck};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};

/// The snapshot, under the content root.
pub(crate) const FILE: &str = ".mspod/episodes.jsonl";
/// What changed since the snapshot, one entry per line.
pub(crate) const LOG_FILE: &str = ".mspod/episodes.log";
/// Earlier versions' records (one JSON document each); removed when seen.
const LEGACY_FILES: [&str; 2] = [".mspod/render-cache.json", ".mspod/episodes.json"];
/// 8: the feed files' stamps named from the output folder, the folder from the root.
const FORMAT: u32 = 8;
/// Bytes of records read (and parsed in parallel) at a time.
const BLOCK: usize = 4 << 20;

/// One episode as the last publish left it, but its listing (on disk the two are one
/// line; the listing is read on its own when stage 1 borrows it, see [`Records::lend`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Record {
    /// [`input_key`] of what it was built from.
    pub input: String,
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
    /// What the validator said about its item (positions relative to the item).
    #[serde(default)]
    pub check: Option<Box<ItemCheck>>,
    /// …and about the item against its audio.
    #[serde(default)]
    pub media_check: Vec<Diagnostic>,
    /// The item was dated ahead when checked (checked again until it is not).
    #[serde(default)]
    pub dated_ahead: bool,
}

/// A [`Record`] and its listing as one line (fields in the order they always had).
#[derive(Serialize)]
struct RecordLine<'a> {
    input: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    listing: Option<&'a Listing>,
    audio_sha256: &'a Option<String>,
    warnings: &'a [String],
    output: &'a str,
    rendered: &'a Rendered,
    stamps: &'a [(u64, u128)],
    item_len: u64,
    check: &'a Option<Box<ItemCheck>>,
    media_check: &'a [Diagnostic],
    dated_ahead: bool,
}

impl<'a> RecordLine<'a> {
    fn new(r: &'a Record, listing: Option<&'a Listing>) -> RecordLine<'a> {
        RecordLine {
            input: &r.input,
            listing,
            audio_sha256: &r.audio_sha256,
            warnings: &r.warnings,
            output: &r.output,
            rendered: &r.rendered,
            stamps: &r.stamps,
            item_len: r.item_len,
            check: &r.check,
            media_check: &r.media_check,
            dated_ahead: r.dated_ahead,
        }
    }
}

/// What stage 1 borrows of a record: its listing and what building it gave.
pub(crate) struct Lent {
    pub listing: Box<Listing>,
    /// What of the listing mspod.lock decides, as lent (see [`Records::note_lent`]).
    pub identity: u128,
    /// SHA-256 of its audio, for identity in mspod.lock.
    pub audio_sha256: Option<String>,
    pub warnings: Vec<String>,
}

/// What [`Lent`] is read from (the rest of the line is skipped, not parsed).
#[derive(Deserialize)]
struct LentLine {
    input: String,
    #[serde(default)]
    listing: Option<Box<Listing>>,
    audio_sha256: Option<String>,
    warnings: Vec<String>,
}

/// What the show page needs of a record (the rest of its line is skipped, not parsed).
#[derive(Deserialize)]
struct PageLine {
    rendered: PageOf,
}

#[derive(Deserialize)]
struct PageOf {
    page: PageEntry,
}

/// What indexing needs of a record (the rest of its line is skipped, not parsed).
#[derive(Deserialize)]
struct Head {
    input: String,
    #[serde(default)]
    item_len: u64,
}

/// One feed file as the last publish wrote it: its head's length, then the items of
/// these episodes, in this order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Layout {
    pub file: PathBuf,
    pub head: u64,
    pub slugs: Vec<String>,
}

/// A line of the snapshot or the log, its record read as `R`.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Entry<R> {
    Episode(String, R),
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
    Episode(&'a str, RecordLine<'a>),
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
    /// The output folder the records describe, named from the content root.
    out_dir: PathBuf,
}

/// Where an episode's record is on disk, and what deciding about it needs without
/// reading it.
#[derive(Debug)]
struct Slot {
    input: Box<str>,
    /// Its line; `None` for an episode stage 1 built, whose record stage 2 makes.
    line: Option<Line>,
    item_len: u64,
    /// Where its `<item>` is in the last publish's feed: which file of the layout, and
    /// the byte offset.
    item_at: Option<(u32, u64)>,
}

/// Where a record's line is: which of [`Records::files`], where, how long (without
/// the newline).
#[derive(Debug, Clone, Copy)]
struct Line {
    file: u8,
    offset: u64,
    len: u32,
}

/// Every episode's record, by slug. Only an index is in memory: each record stays a
/// line of the snapshot or the log, read when a stage asks for it (all of them parsed
/// at once were the largest part of an edit's memory: 310 MB at 100,000 episodes).
/// Records this publish makes or changes are held until they are saved.
#[derive(Debug, Default)]
pub(crate) struct Records {
    /// The output folder the records describe.
    out_dir: PathBuf,
    /// Each feed file as the last publish wrote it (named from `out_dir`): items are
    /// copied only from these bytes.
    feeds: Vec<Stamp>,
    layout: Vec<Layout>,
    /// The records on disk (those of `changed` are not in it).
    index: HashMap<Box<str>, Slot>,
    /// The snapshot and the log, open since they were indexed.
    files: Vec<File>,
    /// Records made or changed in this publish and not finished yet (see
    /// [`Records::finish`]).
    changed: BTreeMap<String, Record>,
    /// Where finished records are written as stage 2 goes (an unnamed file in the
    /// records' folder: nothing is left behind by a killed run): which of `files`, and
    /// its length. Saving appends them to the log or copies them into the snapshot.
    pending: Option<(u8, u64)>,
    gone: BTreeSet<String>,
    feeds_changed: bool,
    layout_changed: bool,
    /// Write a new snapshot instead of appending (no usable snapshot or log).
    rewrite: bool,
    /// Sizes of the snapshot and the log as read.
    sizes: (u64, u64),
    /// The feed files still as the last publish wrote them (checked once, on load).
    intact: Vec<PathBuf>,
    /// The identity of each listing lent out by [`Records::lend`] (see
    /// [`Records::note_lent`]).
    lent: HashMap<String, u128>,
}

/// What the validator said about an item, and about it against its audio.
pub(crate) type Checks = (Box<ItemCheck>, Vec<Diagnostic>);

/// A record whose files and item are current, read for stage 2.
pub(crate) struct Current {
    pub record: Record,
    /// Its item in the last publish's feed: file (under the output folder), offset, length.
    pub item_at: (PathBuf, u64, u64),
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
        let out_name = crate::fs::root_name(root, out_dir);
        let Ok(snapshot) = crate::fs::open_regular(&root.join(FILE)) else {
            return Records::empty(out_dir);
        };
        // Read a block of lines at a time and index them; the records stay on disk.
        let mut ours = false;
        let mut complete = false;
        let read = crate::fs::line_blocks_of(&snapshot, 0, BLOCK, |offset, mut lines| {
            let mut offset = offset;
            if offset == 0 {
                let end = memchr::memchr(b'\n', lines).unwrap_or(lines.len());
                ours = serde_json::from_slice::<Header>(&lines[..end])
                    .is_ok_and(|h| h.format == FORMAT && h.out_dir == out_name);
                lines = &lines[end..];
                offset += end as u64;
            }
            complete = ours && records.index_lines(0, offset, lines);
            complete
        });
        match read {
            Ok(read) if complete => records.sizes.0 = read,
            _ => return Records::empty(out_dir),
        }
        records.files.push(snapshot);
        if let Ok(log) = crate::fs::open_regular(&root.join(LOG_FILE)) {
            complete = true;
            let read = crate::fs::line_blocks_of(&log, 0, BLOCK, |offset, lines| {
                complete = records.index_lines(1, offset, lines);
                complete
            });
            if let Ok(read) = read {
                records.sizes.1 = read;
                // A line cut short by a killed run: what follows it cannot be trusted.
                records.rewrite = !complete;
            }
            records.files.push(log);
        }
        records.place_items();
        records.intact = records
            .feeds
            .iter()
            .filter(|s| s.holds_at(&out_dir.join(&s.path)))
            .map(|s| s.path.clone())
            .collect();
        records
    }

    /// Indexes the entries of some lines of file `file` (starting at `offset` in it), up
    /// to the first that does not parse; whether every line did.
    fn index_lines(&mut self, file: u8, offset: u64, lines: &[u8]) -> bool {
        let (entries, complete) = entries::<Head>(lines);
        for (at, len, entry) in entries {
            match entry {
                Entry::Episode(slug, head) => {
                    let slot = Slot {
                        input: head.input.into(),
                        line: Some(Line {
                            file,
                            offset: offset + at as u64,
                            len: len as u32,
                        }),
                        item_len: head.item_len,
                        item_at: None,
                    };
                    self.index.insert(slug.into(), slot);
                }
                Entry::Gone(slug) => {
                    self.index.remove(slug.as_str());
                }
                Entry::Feeds { feeds, layout } => {
                    self.feeds = feeds;
                    if let Some(layout) = layout {
                        self.layout = layout;
                    }
                }
            }
        }
        complete
    }

    /// Each item's place from the layout and the items' lengths.
    fn place_items(&mut self) {
        for (i, l) in self.layout.iter().enumerate() {
            let mut at = Some(l.head);
            for slug in &l.slugs {
                let Some(slot) = self.index.get_mut(slug.as_str()) else {
                    // An item of unknown length: the places after it are unknown too.
                    at = None;
                    continue;
                };
                slot.item_at = at.map(|offset| (i as u32, offset));
                at = at.map(|offset| offset + slot.item_len);
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

    /// The line of `slug`'s record on disk, without its newline; `None` if it cannot
    /// be read as it was indexed.
    fn line(&self, slot: &Slot) -> Option<Vec<u8>> {
        use std::os::unix::fs::FileExt as _;
        let at = slot.line?;
        let file = self.files.get(at.file as usize)?;
        let mut line = vec![0; at.len as usize];
        file.read_exact_at(&mut line, at.offset).ok()?;
        Some(line)
    }

    /// `slug`'s record on disk read as `R` (the line must still name it).
    fn read<R: serde::de::DeserializeOwned>(&self, slug: &str) -> Option<R> {
        let line = self.line(self.index.get(slug)?)?;
        match serde_json::from_slice(&line).ok()? {
            Entry::Episode(named, r) if named == slug => Some(r),
            _ => None,
        }
    }

    /// What was built for `slug` from inputs with key `input`, if anything: its listing
    /// as last published, its audio's SHA-256 and the warnings building it gave (read
    /// from its line; stage 1 asks for each episode as it drafts it, in parallel).
    pub(crate) fn lend(&self, slug: &str, input: &str) -> Option<Lent> {
        let slot = self.index.get(slug).filter(|s| &*s.input == input)?;
        let line: LentLine = self.read(slug)?;
        let listing = line.listing.filter(|_| *slot.input == line.input)?;
        Some(Lent {
            identity: identity(&listing),
            listing,
            audio_sha256: line.audio_sha256,
            warnings: line.warnings,
        })
    }

    /// Notes the identity of the listing lent for `slug` ([`Lent::identity`]): the rest
    /// of a listing follows from its inputs, so it comes back changed only if this did.
    pub(crate) fn note_lent(&mut self, slug: &str, identity: u128) {
        self.lent.insert(slug.to_string(), identity);
    }

    /// The input key `slug` was last built from.
    pub(crate) fn input(&self, slug: &str) -> Option<&str> {
        match self.changed.get(slug) {
            Some(r) => Some(&r.input),
            None => self.index.get(slug).map(|s| &*s.input),
        }
    }

    /// The record of `slug` if its files and item are current for key `output`:
    /// the files are as written, and the feed it points into too.
    pub(crate) fn current(&self, slug: &str, output: &str) -> Option<Current> {
        // A record made or changed by this publish has no item in the last feed.
        let (layout, offset) = self.index.get(slug)?.item_at?;
        let feed = &self.layout.get(layout as usize)?.file;
        if !self.intact.contains(feed) {
            return None;
        }
        let r: Record = self.read(slug)?;
        let fresh = !r.output.is_empty()
            && r.output == output
            && r.rendered.files.len() == r.stamps.len()
            && r.rendered
                .files
                .iter()
                .zip(&r.stamps)
                .all(|(f, (size, mtime))| {
                    Stamp::of(&self.out_dir.join(f))
                        .is_some_and(|s| s.size == *size && s.mtime_ns == *mtime)
                });
        fresh.then(|| Current {
            item_at: (feed.clone(), offset, r.item_len),
            record: r,
        })
    }

    /// Notes that stage 1 built `slug` from inputs with key `input`: its record is
    /// made when stage 2 renders it (see [`Records::put`]). Only the key is held until
    /// then (a whole record per episode was 54 MB of a cold publish at 100,000).
    pub(crate) fn set_built(&mut self, slug: &str, input: String) {
        self.changed.remove(slug);
        let slot = Slot {
            input: input.into(),
            line: None,
            item_len: 0,
            item_at: None,
        };
        self.index.insert(slug.into(), slot);
    }

    /// The record of `slug` as this publish made it (held until [`Records::finish`]).
    pub(crate) fn put(&mut self, slug: &str, record: Record) {
        self.index.remove(slug);
        self.changed.insert(slug.to_string(), record);
    }

    /// Keeps only the episodes in `slugs` (removed episodes are forgotten).
    pub(crate) fn retain(&mut self, slugs: &HashSet<&str>) {
        let gone: Vec<String> = (self.index.keys().map(|k| &**k))
            .chain(self.changed.keys().map(String::as_str))
            .filter(|s| !slugs.contains(s))
            .map(str::to_string)
            .collect();
        for slug in gone {
            self.index.remove(slug.as_str());
            self.changed.remove(&slug);
            self.gone.insert(slug);
        }
    }

    /// The record of `slug`, to change (it is written out again).
    pub(crate) fn get_mut(&mut self, slug: &str) -> Option<&mut Record> {
        if !self.changed.contains_key(slug) {
            let r: Record = self.read(slug)?;
            self.index.remove(slug);
            self.changed.insert(slug.to_string(), r);
        }
        self.changed.get_mut(slug)
    }

    /// The check of `slug`'s item this publish made (see [`Records::get_mut`]).
    pub(crate) fn changed_check(&self, slug: &str) -> Option<(&ItemCheck, &[Diagnostic])> {
        let r = self.changed.get(slug)?;
        Some((r.check.as_deref()?, &r.media_check))
    }

    /// Whether `slug`'s record was made or changed by this publish and is still held.
    pub(crate) fn is_changed(&self, slug: &str) -> bool {
        self.changed.contains_key(slug)
    }

    /// Writes the records of `done` (slugs this publish changed, with their listings
    /// as published) to the pending file and lets them go: a publish that renders every
    /// episode holds a chunk of records, not all of them. Returns each one's item checks
    /// (what the feed's check needs of it); `None` for a record still held — not one of
    /// this publish's, or kept in memory because the pending file cannot be written
    /// (a cache only saves time: that costs memory, never the publish).
    pub(crate) fn finish(&mut self, root: &Path, done: &[(&str, &Listing)]) -> Vec<Option<Checks>> {
        use std::io::Write as _;
        let Some((file, start)) = self.pending.or_else(|| self.open_pending(root)) else {
            return done.iter().map(|_| None).collect();
        };
        let mut lines = Vec::new();
        let mut slots = Vec::with_capacity(done.len());
        for &(slug, listing) in done {
            let Some(r) = self.changed.get(slug) else {
                continue;
            };
            let at = lines.len();
            let line = EntryRef::Episode(slug, RecordLine::new(r, Some(listing)));
            if write_line(&mut lines, &line).is_err() {
                return done.iter().map(|_| None).collect();
            }
            let slot = Slot {
                input: r.input.as_str().into(),
                line: Some(Line {
                    file,
                    offset: start + at as u64,
                    len: (lines.len() - at - 1) as u32,
                }),
                item_len: r.item_len,
                item_at: None,
            };
            slots.push((slug, slot));
        }
        if self.files[file as usize].write_all(&lines).is_err() {
            // Where the file ends is unknown now: no more lines go to it.
            self.pending = None;
            return done.iter().map(|_| None).collect();
        }
        self.pending = Some((file, start + lines.len() as u64));
        let mut slots = slots.into_iter().peekable();
        done.iter()
            .map(|&(slug, _)| {
                let (_, slot) = slots.next_if(|(s, _)| *s == slug)?;
                let r = self.changed.remove(slug)?;
                self.index.insert(slug.into(), slot);
                r.check.map(|c| (c, r.media_check))
            })
            .collect()
    }

    /// Starts the pending file: unnamed, in the records' folder (never through a link
    /// planted there); `None` if it cannot be made.
    fn open_pending(&mut self, root: &Path) -> Option<(u8, u64)> {
        let dir = Path::new(".mspod");
        crate::fs::refuse_symlinks(root, dir).ok()?;
        crate::fs::create_dir_all(root.join(dir)).ok()?;
        let f = tempfile::tempfile_in(root.join(dir)).ok()?;
        self.files.push(f);
        let file = u8::try_from(self.files.len() - 1).ok()?;
        self.pending = Some((file, 0));
        self.pending
    }

    /// Remembers the feed files just written (their stamps, named from the output
    /// folder, vouch for the items' places) and the order of the items in each.
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
    /// has grown to the snapshot's size (or there is no usable snapshot).
    pub(crate) fn save(&mut self, root: &Path, mut published: Vec<Listing>) -> Result<()> {
        published.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
        // A listing lent out and given back with another identity: its line is written
        // again (in practice its output key changed too and stage 2 already did).
        let pending = self.pending.map(|(file, _)| file);
        for l in &published {
            let on_disk = self.index.get(l.slug.as_str());
            if on_disk.is_some_and(|s| s.line.is_some_and(|at| Some(at.file) != pending))
                && self.lent.get(&l.slug) != Some(&identity(l))
            {
                self.get_mut(&l.slug);
            }
        }
        if self.changed.is_empty()
            && self.pending.is_none()
            && self.gone.is_empty()
            && !self.feeds_changed
            && !self.rewrite
        {
            return Ok(());
        }
        // A snapshot is rewritten anyway: never build the log of every episode first.
        if self.rewrite {
            return self.save_snapshot(root, published);
        }
        let listing = |slug: &str| {
            published
                .binary_search_by(|l| l.slug.as_str().cmp(slug))
                .ok()
                .map(|i| &published[i])
        };
        let mut log = Vec::new();
        for slug in &self.gone {
            write_line(&mut log, &EntryRef::Gone(slug)).map_err(log_error)?;
        }
        for (slug, r) in &self.changed {
            let entry = EntryRef::Episode(slug, RecordLine::new(r, listing(slug)));
            write_line(&mut log, &entry).map_err(log_error)?;
        }
        if self.feeds_changed {
            let entry = EntryRef::Feeds {
                feeds: &self.feeds,
                layout: self.layout_changed.then_some(&self.layout[..]),
            };
            write_line(&mut log, &entry).map_err(log_error)?;
        }
        let (snapshot, logged) = self.sizes;
        let finished = self.pending.map_or(0, |(_, len)| len);
        if logged + finished + log.len() as u64 > snapshot {
            drop(log);
            return self.save_snapshot(root, published);
        }
        // Appending opens the file where it is: never through a link planted in its place.
        crate::fs::refuse_symlinks(root, Path::new(LOG_FILE))?;
        crate::fs::append(&root.join(LOG_FILE), |w| {
            if let Some((file, len)) = self.pending {
                crate::fs::copy_range(&self.files[file as usize], 0, len, w)?;
            }
            std::io::Write::write_all(w, &log)
        })
    }

    /// Writes every record as a new snapshot and starts an empty log: the records this
    /// publish changed with their listings from `published` (sorted by slug), the others
    /// copied line for line from where they are.
    fn save_snapshot(&mut self, root: &Path, published: Vec<Listing>) -> Result<()> {
        for legacy in LEGACY_FILES {
            let _ = crate::fs::remove_file_if_exists(root.join(legacy));
        }
        // The log first: a run killed in between leaves an older snapshot, which the
        // stamps show to be stale, never old entries applied to a newer one. (The log's
        // lines are still read from the open file.)
        crate::fs::remove_file_if_exists(root.join(LOG_FILE))?;
        let path = root.join(FILE);
        let mut slugs: Vec<&str> = (self.index.keys().map(|k| &**k))
            .chain(self.changed.keys().map(String::as_str))
            .collect();
        slugs.sort_unstable();
        let mut listings = Listings(published.into_iter().peekable());
        crate::fs::replace_atomic_with(&path, |w| {
            let header = Header {
                format: FORMAT,
                out_dir: crate::fs::root_name(root, &self.out_dir),
            };
            write_line(w, &header)?;
            let feeds = EntryRef::Feeds {
                feeds: &self.feeds,
                layout: Some(&self.layout),
            };
            write_line(w, &feeds)?;
            for slug in slugs {
                let listing = listings.of(slug);
                if let Some(r) = self.changed.get(slug) {
                    let entry = EntryRef::Episode(slug, RecordLine::new(r, listing.as_ref()));
                    write_line(w, &entry)?;
                } else if let Some(slot) = self.index.get(slug).filter(|s| s.line.is_some()) {
                    let line = self.line(slot).ok_or_else(|| {
                        std::io::Error::other(format!("cannot read the record of `{slug}`"))
                    })?;
                    w.write_all(&line)?;
                    w.write_all(b"\n")?;
                }
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

/// The entries of some lines (parsed in parallel) with where each line starts in
/// `lines` and its length without the newline, up to the first line that does not
/// parse; and whether every line did.
fn entries<R: serde::de::DeserializeOwned + Send>(
    lines: &[u8],
) -> (Vec<(usize, usize, Entry<R>)>, bool) {
    use rayon::prelude::*;
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', lines).map(|at| at + 1));
    starts.push(lines.len());
    let parsed: Vec<Option<(usize, usize, Entry<R>)>> = starts
        .par_windows(2)
        .map(|w| (w[0], lines[w[0]..w[1]].trim_ascii_end()))
        .filter(|(_, l)| !l.trim_ascii().is_empty())
        .map(|(at, l)| Some((at, l.len(), serde_json::from_slice(l).ok()?)))
        .collect();
    let all = parsed.len();
    let entries: Vec<_> = parsed.into_iter().map_while(|e| e).collect();
    let complete = entries.len() == all;
    (entries, complete)
}

fn log_error(e: std::io::Error) -> crate::error::Error {
    crate::error::Error::Internal(format!("cannot write the episode records: {e}"))
}

/// The show page's entries, read back from the records as it is written (a record
/// this publish made and still holds, or its line).
impl super::Entries for Records {
    fn entry(&self, slug: &str) -> Option<PageEntry> {
        match self.changed.get(slug) {
            Some(r) => Some(r.rendered.page.clone()),
            None => self.read::<PageLine>(slug).map(|l| l.rendered.page),
        }
    }
}

/// The key of everything an episode is built from: mspod's version, the show settings
/// episodes depend on (`Config::episodes_digest`), its manifest, its article, audio,
/// transcript, artwork and video files (by size and modification time, as `load` found
/// them), and the video title `mspod pair` cached.
pub(crate) fn input_key(content: &Content, m: &Manifest, video_title: Option<&str>) -> String {
    let parts = [
        env!("CARGO_PKG_VERSION"),
        &content.config.episodes_digest,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(slug: &str, title: &str) -> Listing {
        Listing {
            title: title.to_string(),
            ..Listing::for_tests(slug)
        }
    }

    fn record(input: &str) -> Record {
        Record {
            input: input.to_string(),
            audio_sha256: None,
            warnings: Vec::new(),
            output: "output-key".to_string(),
            rendered: Rendered::default(),
            stamps: Vec::new(),
            item_len: 10,
            check: None,
            media_check: Vec::new(),
            dated_ahead: false,
        }
    }

    fn lent_title(lent: &Option<Lent>) -> Option<&str> {
        lent.as_ref().map(|l| l.listing.title.as_str())
    }

    /// Records a publish finished and saved come back by slug and input key; a record
    /// changed later is appended and wins; a line that no longer says what the index
    /// found there reads as no record (the episode is built again), never as another's.
    #[test]
    fn records_are_read_back_from_where_they_were_indexed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (root, out) = (dir.path(), dir.path().join("feeds"));
        let mut records = Records::empty(&out);
        records.put("a", record("in-a"));
        records.put("b", record("in-b"));
        let (a, b) = (listing("a", "A"), listing("b", "B"));
        records.finish(root, &[("a", &a), ("b", &b)]);
        records
            .save(root, vec![a.clone(), b.clone()])
            .expect("saved");

        let mut records = Records::load(root, &out);
        let lent = records.lend("a", "in-a");
        assert_eq!(lent_title(&lent), Some("A"));
        // Given back as lent (stage 1 notes it): its line is not written again.
        records.note_lent("a", lent.map(|l| l.identity).unwrap_or_default());
        assert!(
            records.lend("b", "another key").is_none(),
            "built from other inputs: built again"
        );

        records.put("b", record("in-b2"));
        let b2 = listing("b", "B2");
        records.finish(root, &[("b", &b2)]);
        records
            .save(root, vec![a.clone(), b2.clone()])
            .expect("saved");
        assert!(root.join(LOG_FILE).is_file(), "one record is appended");
        let records = Records::load(root, &out);
        assert_eq!(lent_title(&records.lend("a", "in-a")), Some("A"));
        assert_eq!(lent_title(&records.lend("b", "in-b2")), Some("B2"));

        let snapshot = std::fs::read_to_string(root.join(FILE)).expect("read");
        let swapped = snapshot.replace("[\"a\",", "[\"z\",");
        assert_ne!(snapshot, swapped);
        std::fs::write(root.join(FILE), swapped).expect("written");
        assert!(records.lend("a", "in-a").is_none());
    }

    /// The show page's entry of an episode is what rendering it made, wherever its
    /// record is: held by this publish, written to the pending file, or saved.
    #[test]
    fn page_entries_are_read_back_from_the_records() {
        use crate::render::Entries;
        let dir = tempfile::tempdir().expect("tempdir");
        let (root, out) = (dir.path(), dir.path().join("feeds"));
        let entry = PageEntry {
            summary: "What this episode is about.".into(),
            help: Some("Call or text 988.".into()),
        };
        let mut r = record("in-a");
        r.rendered.page = entry.clone();
        let mut records = Records::empty(&out);
        records.put("a", r);
        assert_eq!(records.entry("a"), Some(entry.clone()), "held");
        let a = listing("a", "A");
        records.finish(root, &[("a", &a)]);
        assert!(!records.is_changed("a"));
        assert_eq!(records.entry("a"), Some(entry.clone()), "pending");
        records.save(root, vec![a]).expect("saved");
        let records = Records::load(root, &out);
        assert_eq!(records.entry("a"), Some(entry), "saved");
        assert_eq!(records.entry("b"), None, "no record, no entry");
    }
}
