//! Stage 2: the show in feed order, a chunk of episodes at a time (the next chunk
//! renders while this one is written): episodes whose files are current are copied
//! (their items from the last feed, their checks from their records), the others built
//! again, rendered and checked; the feed is streamed to the writer and validated from
//! its head, its tail and every item's check.

use super::CHUNK;
use super::build::Inputs;
use crate::error::{Error, Result};
use crate::load::{self, Content};
use crate::model::{Listing, Show};
use crate::publish;
use crate::render::cache::{self, Records};
use crate::render::{self, Entries, FEED_FILE, Output, PageWriter, Rendered, Renderer};
use crate::validate::{self, Diagnostic};
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where stage 2's files go: the writer, or (`--check`) a list to compare.
pub(super) enum Sink {
    Write(publish::Writer),
    Check(Vec<Output>),
}

/// A file written in pieces (a feed, a show page): streamed to the writer, or held
/// for `--check`.
enum FeedOut {
    Stream(publish::Stream),
    Held(PathBuf, Vec<u8>),
}

impl FeedOut {
    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        std::io::Write::write_all(self, bytes).map_err(|e| self.error(e))
    }

    fn len(&self) -> u64 {
        match self {
            FeedOut::Stream(s) => s.len(),
            FeedOut::Held(_, v) => v.len() as u64,
        }
    }

    fn error(&self, e: std::io::Error) -> Error {
        match self {
            FeedOut::Stream(s) => Error::io(s.path(), e),
            FeedOut::Held(path, _) => Error::io(path, e),
        }
    }
}

impl std::io::Write for FeedOut {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            FeedOut::Stream(s) => s.write(buf),
            FeedOut::Held(_, v) => v.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            FeedOut::Stream(s) => s.flush(),
            FeedOut::Held(..) => Ok(()),
        }
    }
}

impl PageWriter for FeedOut {
    fn restart(&mut self) -> std::io::Result<()> {
        match self {
            FeedOut::Stream(s) => s.restart(),
            FeedOut::Held(_, v) => v.restart(),
        }
    }
}

impl Sink {
    /// Writes files; returns their stamps as written (`None`: held for `--check`).
    fn add(&mut self, files: Vec<Output>) -> Result<Option<Vec<(u64, u128)>>> {
        match self {
            Sink::Write(w) => w.add(&files).map(Some),
            Sink::Check(all) => {
                all.extend(files);
                Ok(None)
            }
        }
    }

    fn feed(&mut self, rel: &Path) -> Result<FeedOut> {
        match self {
            Sink::Write(w) => w.stream(rel).map(FeedOut::Stream),
            Sink::Check(_) => Ok(FeedOut::Held(rel.to_path_buf(), Vec::new())),
        }
    }

    /// Ends a feed file; returns where its bytes can be read (`None`: held in `Check`).
    fn finish(&mut self, f: FeedOut) -> Result<Option<PathBuf>> {
        match (self, f) {
            (Sink::Write(w), FeedOut::Stream(s)) => w.finish(s).map(Some),
            (Sink::Check(all), FeedOut::Held(path, bytes)) => {
                all.push(Output { path, bytes });
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    pub(super) fn abort(self) {
        if let Sink::Write(w) = self {
            w.abort();
        }
    }
}

/// What stage 2 wrote.
pub(super) struct Written {
    /// Every file of this publish, relative to the output folder.
    pub(super) files: Vec<PathBuf>,
    pub(super) feed_files: Vec<PathBuf>,
    /// What the validator says about `podcast.xml`: the channel and cross-item rules
    /// run on its head and tail and every item's cached check.
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) feed_bytes: u64,
    /// How many episodes were rendered now.
    pub(super) fresh: usize,
    /// Files of episodes not rendered again (current as they are).
    pub(super) kept: usize,
    /// Size and modification time of each of `files` as written (`(0, 0)`: not known,
    /// a feed file or a page).
    pub(super) stamps: Vec<(u64, u128)>,
    pub(super) notes: Vec<String>,
    /// The order of the items in each feed file.
    pub(super) layout: Vec<cache::Layout>,
    /// The newest episode's help line (for the show page).
    pub(super) helpline: Option<String>,
}

impl Written {
    /// Nothing written yet, for a show of `episodes` in `feeds`.
    fn for_show(episodes: usize, feeds: &[render::FeedFile]) -> Written {
        Written {
            files: Vec::with_capacity(episodes * 3 + feeds.len()),
            feed_files: feeds.iter().map(|f| f.path.clone()).collect(),
            diagnostics: Vec::new(),
            feed_bytes: 0,
            fresh: 0,
            kept: 0,
            // Three files an episode, as a rule: grown by doubling, this was 50 MB at 100,000.
            stamps: Vec::with_capacity(episodes * 3 + feeds.len()),
            notes: Vec::new(),
            layout: Vec::new(),
            helpline: None,
        }
    }
}

/// One episode in stage 2: copied from the last publish, or rendered now; with what
/// the validator says about its item.
enum Piece {
    /// Its files as they are; its item's check from its record (`None`) or made again.
    Current(Box<cache::Current>, Option<Box<Checked>>),
    /// Its files, its item, and its record as made now (the item's check in it).
    Fresh(Vec<Output>, String, Box<cache::Record>),
}

/// An item's check for the feed's: held, or in the record this publish changed (no
/// second copy of a check made now is held).
enum ItemChecked {
    Held(Box<validate::ItemCheck>, Vec<Diagnostic>),
    InRecord,
}

impl ItemChecked {
    /// Held until the feed's check, every item's: with no room to spare (a list of one
    /// diagnostic read back or pushed has room for four).
    fn held(mut check: Box<validate::ItemCheck>, mut media: Vec<Diagnostic>) -> ItemChecked {
        check.diagnostics.shrink_to_fit();
        media.shrink_to_fit();
        ItemChecked::Held(check, media)
    }
}

/// One item as the validator saw it now.
#[derive(Debug, Clone)]
struct Checked {
    item: validate::ItemCheck,
    /// The item against its audio (`validate --media`'s checks).
    media: Vec<Diagnostic>,
    /// Dated ahead of the check: its date rule may say otherwise later.
    dated_ahead: bool,
}

/// Every item is indented the same, so each `<item>` string the writer gives starts
/// with this.
const ITEM_INDENT: &[u8] = b"\n    ";

/// Renders the show into `sink` in feed order, a chunk of episodes at a time.
pub(super) fn render_all(
    content: &Content,
    show: &Show,
    inputs: &Inputs,
    records: &mut Records,
    sink: &mut Sink,
    warnings: &mut Vec<String>,
) -> Result<Written> {
    let renderer = Renderer::new(show);
    let mut show_warnings = Vec::new();
    let feeds = renderer.feed_files(show, &mut show_warnings);
    let mut placed = Placed {
        out: Written::for_show(show.episodes.len(), &feeds),
        warnings,
        copy: Copy::new(records.out_dir()),
        seen: 0,
        total: show.episodes.len(),
    };
    let render_chunk = |chunk: &Range<usize>, known: &Records| -> Vec<Result<Piece>> {
        chunk
            .clone()
            .into_par_iter()
            .map(|i| piece(content, show, inputs, known, &renderer, i))
            .collect()
    };
    for f in feeds {
        let first = f.path == Path::new(FEED_FILE);
        let mut layout = cache::Layout {
            file: f.path.clone(),
            head: f.head.len() as u64,
            slugs: Vec::with_capacity(f.episodes.len()),
        };
        let mut feed = sink.feed(&f.path)?;
        feed.put(&f.head)?;
        let range = f.episodes.clone();
        let chunks: Vec<Range<usize>> = range
            .clone()
            .step_by(CHUNK)
            .map(|start| start..(start + CHUNK).min(range.end))
            .collect();
        let mut next = None;
        // The first feed file's item checks, in feed order, for the feed's check.
        let mut checks = Vec::new();
        for (k, chunk) in chunks.iter().enumerate() {
            let pieces = match next.take() {
                Some(p) => p,
                None => render_chunk(chunk, records),
            };
            let mut batch = Batch::default();
            for (i, piece) in chunk.clone().zip(pieces) {
                let slug = show.episodes[i].slug.as_str();
                let checked = placed.place(slug, piece?, &mut feed, &mut batch, records)?;
                layout.slugs.push(slug.to_string());
                if first {
                    checks.push(checked);
                }
            }
            // This chunk's files are written while the next one renders.
            let Batch { files, owners } = batch;
            let known: &Records = records;
            let (added, rendered) = rayon::join(
                || match files.is_empty() {
                    true => Ok(Some(Vec::new())),
                    false => sink.add(files),
                },
                || chunks.get(k + 1).map(|c| render_chunk(c, known)),
            );
            next = rendered;
            // Written: the chunk's changed records are complete and let go (a publish
            // that renders every episode holds a chunk of them, not the show's).
            if let Some(stamps) = added? {
                placed.stamp(owners, stamps, records);
                let (places, done): (Vec<usize>, Vec<(&str, &Listing)>) = chunk
                    .clone()
                    .filter(|&i| records.is_changed(&show.episodes[i].slug))
                    .map(|i| (i, (show.episodes[i].slug.as_str(), &show.episodes[i])))
                    .unzip();
                let finished = records.finish(&content.root, &done);
                for (i, held) in places.into_iter().zip(finished) {
                    if let (true, Some((check, media))) = (first, held) {
                        checks[i - range.start] = ItemChecked::held(check, media);
                    }
                }
            }
        }
        placed.copy.flush(&mut feed)?;
        feed.put(&f.tail)?;
        let len = feed.len();
        sink.finish(feed)?;
        let out = &mut placed.out;
        if first {
            out.feed_bytes = len;
            out.diagnostics = validate_feed(&f.head, &f.tail, records, &layout.slugs, checks, len)?;
        }
        out.files.push(f.path);
        out.stamps.push((0, 0));
        out.layout.push(layout);
    }
    let Placed { out, warnings, .. } = placed;
    warnings.extend(show_warnings);
    Ok(out)
}

/// The files of a chunk's episodes rendered now, handed to the writer at once, and
/// whose they are, in order: slug, how many, where in [`Written::files`] they start.
#[derive(Default)]
struct Batch<'s> {
    files: Vec<Output>,
    owners: Vec<(&'s str, usize, usize)>,
}

/// What stage 2 gathers as it places each episode, in feed order.
struct Placed<'w> {
    out: Written,
    warnings: &'w mut Vec<String>,
    /// The run of unchanged items being copied from the last feed.
    copy: Copy,
    /// Episodes placed so far, of the show's `total`.
    seen: usize,
    total: usize,
}

impl Placed<'_> {
    /// Places the next episode of the show, `slug`: its item into `feed` (copied from
    /// the last feed, or as rendered now), its new files into `batch`, what it reports into
    /// `out`. Returns its item's check, for the feed's.
    fn place<'s>(
        &mut self,
        slug: &'s str,
        piece: Piece,
        feed: &mut FeedOut,
        batch: &mut Batch<'s>,
        records: &mut Records,
    ) -> Result<ItemChecked> {
        self.seen += 1;
        let progress = (self.seen, self.total.saturating_sub(self.seen));
        let out = &mut self.out;
        match piece {
            Piece::Current(current, checked) => {
                let cache::Current {
                    record,
                    item_at: (file, offset, len),
                } = *current;
                self.copy.push(&file, offset, len, feed)?;
                out.kept += record.rendered.files.len();
                newest_help(&mut out.helpline, &record.rendered);
                let at = out.files.len();
                report(out, self.warnings, &record.rendered, progress);
                // As recorded (`current` checked them against the files).
                if let Some(known) = out.stamps.get_mut(at..at + record.stamps.len()) {
                    known.copy_from_slice(&record.stamps);
                }
                match (checked, record.check) {
                    // Checked again: the record keeps the new verdict.
                    (Some(checked), _) => {
                        let r = records.get_mut(slug).ok_or_else(|| no_record(slug))?;
                        keep_check(r, len, *checked);
                        Ok(ItemChecked::InRecord)
                    }
                    (None, Some(check)) => Ok(ItemChecked::held(check, record.media_check)),
                    (None, None) => Err(no_check(slug)),
                }
            }
            Piece::Fresh(files, item, record) => {
                self.copy.flush(feed)?;
                batch.owners.push((slug, files.len(), out.files.len()));
                batch.files.extend(files);
                feed.put(item.as_bytes())?;
                newest_help(&mut out.helpline, &record.rendered);
                report(out, self.warnings, &record.rendered, progress);
                records.put(slug, *record);
                out.fresh += 1;
                Ok(ItemChecked::InRecord)
            }
        }
    }

    /// A batch written: each file's stamp as written, in `out` and in its episode's
    /// record (`stamps` in the batch's order, which is each episode's `rendered.files`').
    fn stamp(
        &mut self,
        owners: Vec<(&str, usize, usize)>,
        stamps: Vec<(u64, u128)>,
        records: &mut Records,
    ) {
        let mut stamps = stamps.into_iter();
        for (slug, n, at) in owners {
            let files: Vec<(u64, u128)> = stamps.by_ref().take(n).collect();
            if let Some(known) = self.out.stamps.get_mut(at..at + n) {
                known.copy_from_slice(&files);
            }
            if let Some(r) = records.get_mut(slug) {
                r.stamps = files;
            }
        }
    }
}

/// Keeps an episode's help line if none was kept yet: episodes are placed newest first
/// (the feed files hold the show in order), so the first one kept is the newest.
fn newest_help(newest: &mut Option<String>, rendered: &Rendered) {
    if newest.is_none() {
        newest.clone_from(&rendered.page.help);
    }
}

/// Writes the show's pages (`index.html`, …) of `episodes` (the show's listings, taken
/// out of it so the pages can read them as they are written) and their `entries`;
/// returns their paths.
pub(super) fn write_site(
    show: &Show,
    episodes: Arc<Vec<Listing>>,
    entries: Arc<dyn Entries>,
    helpline: Option<&str>,
    sink: &mut Sink,
    warnings: &mut Vec<String>,
) -> Result<Vec<PathBuf>> {
    let renderer = Renderer::new(show);
    let mut paths = Vec::new();
    for page in renderer.site(episodes, entries, helpline) {
        let path = page.path();
        let mut out = sink.feed(&path)?;
        page.write(&mut out, warnings).map_err(|e| out.error(e))?;
        sink.finish(out)?;
        paths.push(path);
    }
    Ok(paths)
}

/// What `mspod validate --media` says about a feed written as `head`, the items of
/// `slugs` and `tail` (`total` bytes), from the items' checks alone.
fn validate_feed(
    head: &[u8],
    tail: &[u8],
    records: &Records,
    slugs: &[String],
    checked: Vec<ItemChecked>,
    total: u64,
) -> Result<Vec<Diagnostic>> {
    let checks = slugs
        .iter()
        .zip(&checked)
        .map(|(slug, c)| match c {
            ItemChecked::Held(check, media) => Ok((&**check, media.as_slice())),
            ItemChecked::InRecord => records.changed_check(slug).ok_or_else(|| no_check(slug)),
        })
        .collect::<Result<Vec<_>>>()?;
    let facts: Vec<&validate::ItemFacts> = checks.iter().map(|(c, _)| &c.facts).collect();
    let starts = validate::item_starts(&[head, ITEM_INDENT].concat(), &facts, ITEM_INDENT);
    drop(facts);
    let items: Vec<(usize, usize, &validate::ItemCheck)> = starts
        .iter()
        .zip(&checks)
        .map(|(&(line, column), (c, _))| (line, column, *c))
        .collect();
    let mut diagnostics = validate::check_feed(head, tail, &items, total, FEED_FILE);
    let media: Vec<(usize, usize, &[Diagnostic])> = starts
        .iter()
        .zip(&checks)
        .map(|(&(line, column), (_, m))| (line, column, *m))
        .collect();
    diagnostics.extend(validate::media::combine_item_media(&media));
    Ok(diagnostics)
}

/// Copies unchanged items from the last publish's feed files into the new feed,
/// a run of neighbouring items at a time (one read for many items).
struct Copy {
    out_dir: PathBuf,
    open: HashMap<PathBuf, std::fs::File>,
    /// The run not copied yet: file, start, end.
    run: Option<(PathBuf, u64, u64)>,
}

impl Copy {
    fn new(out_dir: &Path) -> Copy {
        Copy {
            out_dir: out_dir.to_path_buf(),
            open: HashMap::new(),
            run: None,
        }
    }

    fn push(&mut self, file: &Path, offset: u64, len: u64, feed: &mut FeedOut) -> Result<()> {
        if let Some((f, _, end)) = &mut self.run
            && f == file
            && *end == offset
        {
            *end += len;
            return Ok(());
        }
        self.flush(feed)?;
        self.run = Some((file.to_path_buf(), offset, offset + len));
        Ok(())
    }

    fn flush(&mut self, feed: &mut FeedOut) -> Result<()> {
        let Some((file, start, end)) = self.run.take() else {
            return Ok(());
        };
        let path = self.out_dir.join(&file);
        let old = match self.open.entry(file) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => v.insert(crate::fs::open(&path)?),
        };
        match feed {
            FeedOut::Stream(s) => s.copy_from(old, &path, start, end - start),
            FeedOut::Held(_, bytes) => {
                let from = bytes.len();
                bytes.resize(from + (end - start) as usize, 0);
                std::os::unix::fs::FileExt::read_exact_at(&*old, &mut bytes[from..], start)
                    .map_err(|e| Error::io(&path, e))
            }
        }
    }
}

/// The `i`-th episode of the show in stage 2.
fn piece(
    content: &Content,
    show: &Show,
    inputs: &Inputs,
    records: &Records,
    renderer: &Renderer,
    i: usize,
) -> Result<Piece> {
    let listing = &show.episodes[i];
    // Its input key: every published episode has a record by now (built or lent).
    let input = records.input(&listing.slug).unwrap_or_default();
    let output = cache::output_key(input, listing, &render::neighbours_key(show, i));
    if let Some(current) = records.current(&listing.slug, &output) {
        let (r, at) = (&current.record, &current.item_at);
        let checked = match (&r.check, r.dated_ahead) {
            // Checked while its date was ahead: the verdict stands while the date is still
            // past the validator's horizon (a show with many scheduled episodes would
            // otherwise have them all checked again on every publish).
            (Some(_), ahead) if !ahead || listing.published > validate::future_after() => None,
            // Dated ahead and now near or past (or never checked): again, from the feed's bytes.
            _ => {
                let path = records.out_dir().join(&at.0);
                let file = crate::fs::open(&path)?;
                let mut item = vec![0u8; at.2 as usize];
                std::os::unix::fs::FileExt::read_exact_at(&file, &mut item, at.1)
                    .map_err(|e| Error::io(&path, e))?;
                Some(Box::new(check(inputs, listing, &item)))
            }
        };
        return Ok(Piece::Current(Box::new(current), checked));
    }
    let (m, key) = reload_as_built(content, inputs, records, &listing.slug)?;
    let (mut warnings, mut errors) = (Vec::new(), Vec::new());
    let Some((mut ep, audio_sha256)) = inputs.build(&m, &mut warnings, &mut errors) else {
        return Err(Error::from_list(errors)
            .err()
            .unwrap_or_else(|| Error::content(&m.file, "changed while publishing")));
    };
    ep.take_identity(listing);
    let (files, mut rendered) = renderer.episode(&ep, render::neighbours(show, i));
    let checked = check(inputs, listing, rendered.item.as_bytes());
    let item = std::mem::take(&mut rendered.item);
    // Its warnings were reported by stage 1 (built or lent): they are kept for the next.
    let mut record = cache::Record {
        input: key,
        audio_sha256,
        warnings,
        output,
        rendered,
        stamps: Vec::new(),
        item_len: 0,
        check: None,
        media_check: Vec::new(),
        dated_ahead: false,
    };
    keep_check(&mut record, item.len() as u64, checked);
    Ok(Piece::Fresh(files, item, Box::new(record)))
}

/// Episode `slug`'s manifest read again (stage 1 let it go) and its input key: they
/// must be what stage 1 built from, or what its record was made from — an episode
/// whose files changed in between is refused, never rendered from files stage 1 did
/// not see.
fn reload_as_built(
    content: &Content,
    inputs: &Inputs,
    records: &Records,
    slug: &str,
) -> Result<(load::Manifest, String)> {
    let m = load::reload(&content.root, slug)?;
    let key = cache::input_key(content, &m, inputs.video_title(&m).as_deref());
    if Some(key.as_str()) != records.input(slug) {
        return Err(Error::content(&m.file, "changed while publishing"));
    }
    Ok((m, key))
}

/// The validator's checks of one item (`item`: as the writer gave it, indent first).
fn check(inputs: &Inputs, listing: &Listing, item: &[u8]) -> Checked {
    let item = item.strip_prefix(ITEM_INDENT).unwrap_or(item);
    let probe = |p: &Path| inputs.media.probe(p);
    let media_dir = inputs.root.join(load::EPISODES_DIR);
    Checked {
        item: validate::check_item(item),
        media: validate::media::check_item_media(item, &media_dir, &probe),
        dated_ahead: listing.published > chrono::Utc::now(),
    }
}

/// The warnings, notes and files of an episode's rendering, into what stage 2 reports
/// (`progress`: episodes reported with this one, and still to come).
fn report(
    out: &mut Written,
    warnings: &mut Vec<String>,
    rendered: &Rendered,
    (seen, left): (usize, usize),
) {
    warnings.extend(rendered.warnings.iter().cloned());
    out.notes.extend(rendered.notes.iter().cloned());
    let more = rendered.files.len();
    if out.files.len() + more > out.files.capacity() {
        // Room for the episodes still to come at the files per episode so far, and a
        // sixteenth more: grown by doubling, the list of a show with a fourth file for
        // some episodes was twice the size it needed.
        let per = (out.files.len() + more).div_ceil(seen.max(1));
        let room = more + left * per + left * per / 16;
        out.files.reserve_exact(room);
        out.stamps.reserve_exact(room);
    }
    out.files.extend(rendered.files.iter().cloned());
    // Stamps of fresh files are known once written (see `render_all`).
    out.stamps.resize(out.files.len(), (0, 0));
}

/// Keeps an item's length and check in its record.
fn keep_check(r: &mut cache::Record, item_len: u64, checked: Checked) {
    r.item_len = item_len;
    r.check = Some(Box::new(checked.item));
    r.media_check = checked.media;
    r.dated_ahead = checked.dated_ahead;
}

fn no_record(slug: &str) -> Error {
    Error::Internal(format!("no record of `{slug}` to keep its check in"))
}

fn no_check(slug: &str) -> Error {
    Error::Internal(format!("no check of `{slug}`'s item"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A content folder with the sample show's config, cover and one episode.
    fn one_episode_show(root: &Path) {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
        let ep = Path::new("episodes/welcome-to-mentalspace");
        std::fs::create_dir_all(root.join(ep)).expect("mkdir");
        for file in ["mspod.toml", "episodes/cover.jpg"] {
            std::fs::copy(sample.join(file), root.join(file)).expect("copy");
        }
        for file in ["episode.toml", "article.md", "audio.mp3"] {
            std::fs::copy(sample.join(ep).join(file), root.join(ep).join(file)).expect("copy");
        }
    }

    /// Stage 2 reads again the manifest of each episode it renders: one whose manifest
    /// or files changed since stage 1 read them is refused, naming its manifest.
    #[test]
    fn an_episode_changed_while_publishing_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        one_episode_show(root);
        let content = load::load(root).expect("the show loads");
        let titles = crate::videos::CachedTitles::new(root);
        let inputs = Inputs::open(root, &content.config, true, titles);
        let m = &content.manifests[0];
        let mut records = Records::empty(&root.join("feeds"));
        let built = cache::input_key(&content, m, inputs.video_title(m).as_deref());
        records.set_built(&m.slug, built.clone());
        let reloaded = reload_as_built(&content, &inputs, &records, &m.slug);
        assert_eq!(reloaded.map(|(_, key)| key).ok(), Some(built.clone()));

        let refused = |records: &Records| {
            reload_as_built(&content, &inputs, records, &m.slug)
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        let changed = Err(format!("{}: changed while publishing", m.file.display()));
        // Its manifest: what it says is the key (its text, not its file's time).
        let manifest = std::fs::read_to_string(&m.file).expect("read");
        std::fs::write(&m.file, format!("{manifest}title = \"Retitled\"\n")).expect("write");
        assert_eq!(refused(&records), changed);
        std::fs::write(&m.file, &manifest).expect("write");
        assert_eq!(refused(&records), Ok(()), "as it was");
        // A file it names: its size and time are the key.
        let article = m.dir.join("article.md");
        let text = std::fs::read_to_string(&article).expect("read");
        std::fs::write(&article, format!("{text}\nA paragraph added meanwhile.\n")).expect("write");
        assert_eq!(refused(&records), changed);
    }
}
