//! The publish driver: sequences the stages, implements none of them.
//!
//! load → (nothing changed? stop) → for each episode, in parallel: probe media ∥ parse
//! the article ∥ read the transcript → build it (only episodes whose inputs changed;
//! the others' listings come from `render::cache`) → assemble the show from every
//! listing and mspod.lock → in feed order, a chunk at a time: build again and render
//! the episodes whose files are not current, copy the others' items from the feed →
//! validate → switch `feeds/` at once.
//!
//! Memory is bounded by a chunk of whole episodes plus every episode's small listing:
//! no article, transcript or rendered file of the whole show is ever held at once, and
//! the feed is streamed to disk. Every content error from every episode is collected
//! before stopping, so one run reports them all.

use crate::error::{Error, Result};
use crate::fs::Stamp;
use crate::incremental;
use crate::load::{self, Content, Manifest};
use crate::lock::{LOCK_FILE, Lock};
use crate::model::{self, Episode, Listing, Parts, Show};
use crate::publish::{self, Writer};
use crate::render::cache::{self, Record, Records};
use crate::render::{self, FEED_FILE, Output, Rendered, Renderer};
use crate::ui::Ui;
use crate::validate::{self, Diagnostic};
use crate::{article, media, transcript};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The media metadata cache, under the content root (ignore it in version control).
pub(crate) const CACHE_FILE: &str = ".mspod/media-cache.json";

/// Parsed articles, one file each, under the content root.
pub(crate) const ARTICLE_CACHE_DIR: &str = ".mspod/articles";

/// Episodes rendered (and handed to the writer) at a time: enough to keep every core
/// busy, few enough that a show's files are never all in memory at once.
const CHUNK: usize = 256;

/// How a publish runs (never what it produces).
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// Worker threads; `None` = one per core. Output never depends on it.
    pub jobs: Option<usize>,
    /// Ignore the caches (everything is probed, parsed and rendered again).
    pub no_cache: bool,
    /// Compare with the outputs on disk instead of writing (`--check`).
    pub check: bool,
    /// What may change about already-published episodes.
    pub policy: model::Policy,
    /// Where the outputs go.
    pub out_dir: PathBuf,
}

/// How a publish ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// No input changed since the last publish: nothing was done.
    UpToDate,
    /// The outputs were switched to the new ones.
    Written(publish::Written),
    /// `--check`: what is out of date (nothing = current).
    Checked(Vec<String>),
    /// The validator found errors in the feed: nothing was written.
    Rejected,
}

/// What a publish did and found.
#[derive(Debug)]
pub(crate) struct Published {
    pub outcome: Outcome,
    pub episodes: usize,
    pub feed_bytes: u64,
    pub warnings: Vec<String>,
    /// Things worth knowing that need no action (`publish -v`).
    pub notes: Vec<String>,
    /// What the validator says about the feed.
    pub diagnostics: Vec<Diagnostic>,
    /// Interrupted publishes this one finished or undid.
    pub recovered: Vec<String>,
    /// mspod.lock was written.
    pub lock_updated: bool,
}

impl Published {
    fn new(outcome: Outcome) -> Published {
        Published {
            outcome,
            episodes: 0,
            feed_bytes: 0,
            warnings: Vec::new(),
            notes: Vec::new(),
            diagnostics: Vec::new(),
            recovered: Vec::new(),
            lock_updated: false,
        }
    }
}

/// Publishes the show in `root`: the one driver of `mspod publish`.
pub(crate) fn publish(root: &Path, options: &Options, ui: &Ui) -> Result<Published> {
    let started = std::time::Instant::now();
    // Stage timings for --verbose (stderr only; never in any output file).
    let lap = |stage: &str| {
        ui.detail(format!(
            "{stage:>10}: {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        ))
    };
    let content = load::load(root)?;
    let root = content.root.clone();
    let out_dir = options.out_dir.as_path();
    // mspod's own files under the root are written (caches, even by --check) or read as
    // trusted: a link committed in their place would send them elsewhere.
    for own in [crate::fs::RUN_LOCK_FILE, LOCK_FILE] {
        crate::fs::refuse_symlinks(&root, Path::new(own))?;
    }
    // One publish at a time per content folder (--check writes nothing and needs none).
    let _run_lock = match options.check {
        true => None,
        false => Some(crate::fs::RunLock::acquire(&root)?),
    };
    let mut recovered = Vec::new();
    if !options.check {
        recovered = publish::recover(out_dir)?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::Internal(format!("cannot start worker threads: {e}")))?;
    let titles = crate::videos::CachedTitles::new(&content.root);
    // What each episode is built from (stamps of its files): unchanged keys, unchanged episode.
    let keys: Vec<String> = pool.install(|| {
        content
            .manifests
            .par_iter()
            .map(|m| cache::input_key(&content, m, video_title(&titles, m).as_deref()))
            .collect()
    });
    let policy = options.policy.fingerprint();
    let fingerprint = incremental::fingerprint(&content, out_dir, &policy, &keys);
    lap("load");
    // Leftovers of an interrupted publish must be finished or undone: never "up to date".
    if !options.no_cache
        && !options.check
        && publish::leftovers(out_dir).is_empty()
        && let Some(state) = incremental::up_to_date(&root, &fingerprint)
    {
        return Ok(Published {
            episodes: state.episodes,
            feed_bytes: state.feed_bytes as u64,
            warnings: state.warnings,
            recovered,
            ..Published::new(Outcome::UpToDate)
        });
    }

    let inputs = Inputs::open(&content, options.no_cache, titles);
    let mut records = match options.no_cache {
        true => Records::empty(out_dir),
        false => Records::load(&root, out_dir),
    };

    // Stage 1: every episode's listing; only episodes whose inputs changed are built.
    let drafts = pool.install(|| draft_all(&content, &inputs, keys, &mut records, ui));
    lap("build");
    let (hits, misses) = inputs.media.stats();
    ui.detail(format!("media cache: {hits} hits, {misses} probed"));
    // The cache only saves work; failing to write it must not fail the publish.
    if let Err(e) = inputs.media.save() {
        ui.warn(format!(
            "{}: cannot save the media cache: {e}",
            root.join(CACHE_FILE).display()
        ));
    }
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut listings = Vec::with_capacity(drafts.len());
    let mut hashes = Vec::with_capacity(drafts.len());
    let mut inputs_of: HashMap<String, String> = HashMap::with_capacity(drafts.len());
    let mut keys = Vec::with_capacity(drafts.len());
    let built = drafts.iter().filter(|d| d.built).count();
    for (m, d) in content.manifests.iter().zip(drafts) {
        errors.extend(d.errors);
        warnings.extend(d.warnings.iter().cloned());
        if let Some(detail) = d.detail {
            ui.detail(detail);
        }
        let Some(listing) = d.listing else { continue };
        if d.built {
            records.set_built(
                &m.slug,
                Record {
                    input: d.input.clone(),
                    listing: None,
                    audio_sha256: d.hash.clone(),
                    warnings: d.warnings,
                    output: String::new(),
                    rendered: Rendered::default(),
                    stamps: Vec::new(),
                    item_len: 0,
                    item_at: None,
                    check: None,
                    media_check: Vec::new(),
                    dated_ahead: false,
                },
            );
        }
        keys.push(d.input.clone());
        inputs_of.insert(m.slug.clone(), d.input);
        listings.push(listing);
        hashes.push(d.hash);
    }
    Error::from_list(errors)?;
    ui.detail(format!(
        "{built} of {} episodes built from their files",
        content.manifests.len()
    ));

    let old_lock = Lock::load(&root)?;
    let (show, lock) = model::assemble(
        &content,
        listings,
        &hashes,
        &old_lock,
        options.policy,
        &mut warnings,
    )?;
    drop(hashes);
    lap("model");

    // Stage 2: render what is not current, in feed order, straight to the writer.
    let mut sink = match options.check {
        true => Sink::Check(Vec::new()),
        false => Sink::Write(Writer::begin(out_dir)?),
    };
    let written = pool.install(|| {
        render_all(
            &content,
            &show,
            &inputs,
            &inputs_of,
            &mut records,
            &mut sink,
            &mut warnings,
        )
    });
    let rendered = match written {
        Ok(r) => r,
        Err(e) => {
            sink.abort();
            return Err(e);
        }
    };
    ui.detail(format!(
        "{} of {} episodes unchanged since the last publish",
        show.episodes.len() - rendered.fresh.len(),
        show.episodes.len()
    ));
    lap("render");

    // The same checks `mspod validate --media` runs on the feed about to be written,
    // from each item's check (made when it was rendered) and the feed's head and tail.
    let diagnostics = rendered.diagnostics;
    lap("validate");
    let feed_bytes = rendered.feed_bytes;
    if feed_bytes > content.config.show.warn_bytes {
        warnings.push(format!(
            "{FEED_FILE} is {:.1} MB, over the {:.1} MB budget ([feed] warn_bytes): several apps and directories time out or truncate big feeds; set [feed] max_items to page it",
            feed_bytes as f64 / 1e6,
            content.config.show.warn_bytes as f64 / 1e6
        ));
    }
    let mut published = Published {
        episodes: show.episodes.len(),
        feed_bytes,
        warnings,
        notes: rendered.notes,
        diagnostics,
        recovered,
        ..Published::new(Outcome::Rejected)
    };
    if validate::fails(&published.diagnostics, false) {
        sink.abort();
        return Ok(published);
    }

    let lock_path = root.join(LOCK_FILE);
    let lock_bytes = lock.to_bytes();
    let index = root.join(publish::INDEX_FILE);
    let writer = match sink {
        Sink::Check(outputs) => {
            let mut problems = publish::check(out_dir, &index, &outputs);
            if crate::fs::read_regular(&lock_path).ok().as_deref() != Some(lock_bytes.as_slice()) {
                problems.push(format!(
                    "{} does not match the feed (publish records new or changed episodes in it)",
                    lock_path.display()
                ));
            }
            published.outcome = Outcome::Checked(problems);
            return Ok(published);
        }
        Sink::Write(w) => w,
    };

    // The switch. The lock is written once every output is staged and before the feed
    // changes: a lock that cannot be written (a read-only folder) leaves the old feed.
    incremental::forget(&root);
    let mut lock_updated = false;
    let written = writer.commit(&index, &rendered.files, rendered.kept, || {
        lock_updated = crate::fs::write_file_atomic(&lock_path, &lock_bytes)?;
        Ok(())
    })?;
    published.lock_updated = lock_updated;
    lap("write");

    // Remember this publish for the next one (failing to only costs time next run).
    for slug in &rendered.fresh {
        if let Some(r) = records.get_mut(slug) {
            r.stamps = cache::stamps(out_dir, &r.rendered.files);
        }
    }
    records.set_feeds(
        rendered
            .feed_files
            .iter()
            .filter_map(|f| Stamp::of(&out_dir.join(f)))
            .collect(),
        rendered.layout,
    );
    let slugs: HashSet<&str> = show.episodes.iter().map(|e| e.slug.as_str()).collect();
    records.retain(&slugs);
    drop(slugs);
    if let Err(e) = records.save(&root, show.episodes) {
        ui.warn(format!(
            "cannot remember this publish's episodes for the next one: {e}"
        ));
    }
    // Episode files as the records know them (stamped when written, or checked
    // unchanged above); the rest stamped now.
    let known = records.file_stamps();
    let mut files: Vec<Stamp> = rendered
        .files
        .iter()
        .filter_map(|rel| {
            let path = out_dir.join(rel);
            match known.get(rel.as_path()) {
                Some(&(size, mtime_ns)) => Some(Stamp {
                    path,
                    size,
                    mtime_ns,
                }),
                None => Stamp::of(&path),
            }
        })
        .collect();
    drop(known);
    files.extend(Stamp::of(&index));
    files.extend(Stamp::of(&lock_path));
    // Fingerprint again: the lock this publish wrote is one of the inputs of the next.
    let after = incremental::fingerprint(&content, out_dir, &policy, &keys);
    if let Err(e) = incremental::record(
        &root,
        after,
        files,
        published.warnings.clone(),
        published.episodes,
        feed_bytes as usize,
    ) {
        ui.warn(format!(
            "cannot remember this publish for the next one: {e}"
        ));
    }
    lap("remember");
    published.outcome = Outcome::Written(written);
    Ok(published)
}

/// The caches an episode is built from.
struct Inputs<'a> {
    content: &'a Content,
    media: media::cache::Cache,
    articles: article::cache::Cache,
    titles: crate::videos::CachedTitles,
    frame: model::Frame,
    by_slug: HashMap<&'a str, &'a Manifest>,
}

impl<'a> Inputs<'a> {
    fn open(
        content: &'a Content,
        no_cache: bool,
        titles: crate::videos::CachedTitles,
    ) -> Inputs<'a> {
        let cache_file = content.root.join(CACHE_FILE);
        Inputs {
            content,
            media: match no_cache {
                true => media::cache::Cache::fresh(&cache_file),
                false => media::cache::Cache::load(&cache_file),
            },
            articles: article::cache::Cache::load(
                &content.root.join(ARTICLE_CACHE_DIR),
                &content.config.digest,
                no_cache,
            ),
            titles,
            frame: model::Frame::of(&content.config.show),
            by_slug: content
                .manifests
                .iter()
                .map(|m| (m.slug.as_str(), m))
                .collect(),
        }
    }

    fn video_title(&self, m: &Manifest) -> Option<String> {
        video_title(&self.titles, m)
    }

    /// One episode built from its files (the caches save the probing and parsing).
    /// `None` when its inputs have errors (in `errors`).
    fn build(
        &self,
        m: &Manifest,
        warnings: &mut Vec<String>,
        errors: &mut Vec<Error>,
    ) -> Option<(Episode, Option<String>)> {
        let media = self
            .media
            .probe(&m.audio)
            .map_err(|why| errors.push(Error::content(&m.audio, why.to_string())))
            .ok();
        if let Some(why) = media.as_ref().and_then(media::truncation)
            && !m.allow_truncated
        {
            errors.push(Error::content(
                &m.audio,
                format!(
                    "{why}: the audio looks cut short (an interrupted copy?); copy it again, or set `allow_truncated = true` in {} to publish it as it is",
                    m.file.display()
                ),
            ));
        }
        let hash = self.media.sha256(&m.audio).ok();
        let article = self
            .articles
            .parse(&m.article, &self.content.config.sections)
            .map_err(|e| errors.push(unreadable_is_content(e)))
            .ok();
        // `video_file`: its video track and checksum (podcast:alternateEnclosure).
        let video = m.tags.video.as_ref().and_then(|v| {
            media::probe_video(&v.path)
                .map_err(|why| errors.push(Error::content(&v.path, format!("`video_file`: {why}"))))
                .ok()
        });
        // Checked against the audio's duration, so only once that is known.
        let transcript = match (&m.transcript, &media) {
            (Some(path), Some(info)) => transcript::read(path, info.duration)
                .map_err(|e| errors.push(unreadable_is_content(e)))
                .ok(),
            _ => None,
        };
        let (media, article) = (media?, article?);
        if !errors.is_empty() {
            return None;
        }
        let parts = Parts {
            manifest: m.clone(),
            media,
            article,
            audio_sha256: hash.clone(),
            video,
            transcript,
        };
        let mut ep = model::episode(
            &self.content.config.show,
            &self.frame,
            parts,
            warnings,
            errors,
        );
        ep.youtube_title = self.video_title(m);
        errors.is_empty().then_some((ep, hash))
    }
}

/// The video title `mspod pair` cached (file reads only: publish stays offline).
fn video_title(titles: &crate::videos::CachedTitles, m: &Manifest) -> Option<String> {
    m.youtube.as_ref().and_then(|id| titles.get(id))
}

/// What stage 1 found for one episode.
struct Draft {
    listing: Option<Listing>,
    hash: Option<String>,
    input: String,
    /// Built now (else known from the records).
    built: bool,
    warnings: Vec<String>,
    errors: Vec<Error>,
    /// Where its chapters came from (`publish -v`).
    detail: Option<String>,
}

/// Every episode's listing, in manifest order, before mspod.lock is applied.
fn draft_all(
    content: &Content,
    inputs: &Inputs,
    keys: Vec<String>,
    records: &mut Records,
    ui: &Ui,
) -> Vec<Draft> {
    let known: Vec<_> = content
        .manifests
        .iter()
        .zip(&keys)
        .map(|(m, key)| records.take(&m.slug, key))
        .collect();
    let bar = ui.progress(content.manifests.len() as u64, "episodes");
    let drafts = content
        .manifests
        .par_iter()
        .zip(keys)
        .zip(known)
        .map(|((m, input), known)| {
            let draft = match known {
                Some((mut listing, hash, warnings)) => {
                    model::draft_identity(&content.config.show, &inputs.frame, m, &mut listing);
                    Draft {
                        listing: Some(listing),
                        hash,
                        input,
                        built: false,
                        warnings,
                        errors: Vec::new(),
                        detail: None,
                    }
                }
                None => {
                    let (mut warnings, mut errors) = (Vec::new(), Vec::new());
                    let built = inputs.build(m, &mut warnings, &mut errors);
                    let detail = built.as_ref().map(|(ep, _)| chapters_detail(ep));
                    let (listing, hash) = match built {
                        Some((ep, hash)) => (Some(ep.listing), hash),
                        None => (None, None),
                    };
                    Draft {
                        listing,
                        hash,
                        input,
                        built: true,
                        warnings,
                        errors,
                        detail,
                    }
                }
            };
            bar.inc(1);
            draft
        })
        .collect();
    bar.finish_and_clear();
    drafts
}

fn chapters_detail(ep: &Episode) -> String {
    let source = match &ep.chapters_source {
        model::ChapterSource::Derived {
            confidence,
            match_score,
        } => format!(
            "derived from the transcript and the article (match {match_score:.2}, boundary confidence {})",
            confidence
                .iter()
                .map(|c| format!("{c:.2}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => other.as_str().to_string(),
    };
    format!("{}: {} chapters ({source})", ep.slug, ep.chapters.len())
}

/// Where stage 2's files go: the writer, or (`--check`) a list to compare.
enum Sink {
    Write(Writer),
    Check(Vec<Output>),
}

/// A feed file being written: streamed to the writer, or held for `--check`.
enum FeedOut {
    Stream(publish::Stream),
    Held(PathBuf, Vec<u8>),
}

impl FeedOut {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        match self {
            FeedOut::Stream(s) => s.write(bytes),
            FeedOut::Held(_, v) => {
                v.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    fn len(&self) -> u64 {
        match self {
            FeedOut::Stream(s) => s.len(),
            FeedOut::Held(_, v) => v.len() as u64,
        }
    }
}

impl Sink {
    fn add(&mut self, files: Vec<Output>) -> Result<()> {
        match self {
            Sink::Write(w) => w.add(&files),
            Sink::Check(all) => {
                all.extend(files);
                Ok(())
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

    fn abort(self) {
        if let Sink::Write(w) = self {
            w.abort();
        }
    }
}

/// What stage 2 wrote.
struct Written {
    /// Every file of this publish, relative to the output folder.
    files: Vec<PathBuf>,
    feed_files: Vec<PathBuf>,
    /// What the validator says about `podcast.xml`: the channel and cross-item rules
    /// run on its head and tail and every item's cached check.
    diagnostics: Vec<Diagnostic>,
    feed_bytes: u64,
    /// Episodes rendered now (their files' stamps are taken after the switch).
    fresh: Vec<String>,
    /// Files of episodes not rendered again (current as they are).
    kept: usize,
    notes: Vec<String>,
    /// The order of the items in each feed file.
    layout: Vec<cache::Layout>,
}

/// One episode in stage 2: copied from the last publish, or rendered now; with what
/// the validator says about its item.
enum Piece {
    Current(Rendered, (PathBuf, u64, u64), Box<Checked>),
    Fresh(Vec<Output>, Rendered, String, Box<Checked>),
}

/// One item as the validator saw it (kept per episode in the records).
#[derive(Debug, Clone)]
struct Checked {
    item: validate::ItemCheck,
    /// The item against its audio (`validate --media`'s checks).
    media: Vec<Diagnostic>,
    /// Dated ahead of the check: its date rule may say otherwise later.
    dated_ahead: bool,
    /// Checked now (not taken from the records).
    now: bool,
}

/// Every item is indented the same, so each `<item>` string the writer gives starts
/// with this.
const ITEM_INDENT: &[u8] = b"\n    ";

/// Renders the show into `sink` in feed order, a chunk of episodes at a time.
fn render_all(
    content: &Content,
    show: &Show,
    inputs: &Inputs,
    inputs_of: &HashMap<String, String>,
    records: &mut Records,
    sink: &mut Sink,
    warnings: &mut Vec<String>,
) -> Result<Written> {
    let renderer = Renderer::new(show);
    let mut show_warnings = Vec::new();
    let feeds = renderer.feed_files(show, &mut show_warnings);
    let mut out = Written {
        files: Vec::new(),
        feed_files: feeds.iter().map(|f| f.path.clone()).collect(),
        diagnostics: Vec::new(),
        feed_bytes: 0,
        fresh: Vec::new(),
        kept: 0,
        notes: Vec::new(),
        layout: Vec::new(),
    };
    let mut copy = Copy::new(records.out_dir());
    // The validator's view of `podcast.xml`'s items, in order.
    let mut checks: Vec<Checked> = Vec::new();
    for f in feeds {
        let first = f.path == Path::new(FEED_FILE);
        let mut layout = cache::Layout {
            file: f.path.clone(),
            head: f.head.len() as u64,
            slugs: Vec::with_capacity(f.episodes.len()),
        };
        let mut feed = sink.feed(&f.path)?;
        feed.write(&f.head)?;
        let range = f.episodes.clone();
        let chunks: Vec<std::ops::Range<usize>> = range
            .clone()
            .step_by(CHUNK)
            .map(|start| start..(start + CHUNK).min(range.end))
            .collect();
        let render_chunk =
            |chunk: &std::ops::Range<usize>, known: &Records| -> Vec<Result<Piece>> {
                chunk
                    .clone()
                    .into_par_iter()
                    .map(|i| piece(content, show, inputs, inputs_of, known, &renderer, i))
                    .collect()
            };
        let mut next = None;
        for (k, chunk) in chunks.iter().enumerate() {
            let chunk = chunk.clone();
            let pieces = match next.take() {
                Some(p) => p,
                None => render_chunk(&chunk, records),
            };
            let mut batch = Vec::new();
            for (i, piece) in chunk.zip(pieces) {
                let slug = &show.episodes[i].slug;
                let (rendered, item_len, checked) = match piece? {
                    Piece::Current(rendered, (file, offset, len), checked) => {
                        copy.push(&file, offset, len, &mut feed)?;
                        out.kept += rendered.files.len();
                        (rendered, len, checked)
                    }
                    Piece::Fresh(files, mut rendered, output, checked) => {
                        copy.flush(&mut feed)?;
                        batch.extend(files);
                        feed.write(rendered.item.as_bytes())?;
                        let len = rendered.item.len() as u64;
                        rendered.item = String::new();
                        if let Some(r) = records.get_mut(slug) {
                            r.output = output;
                            r.rendered = rendered.clone();
                        }
                        out.fresh.push(slug.clone());
                        (rendered, len, checked)
                    }
                };
                layout.slugs.push(slug.clone());
                if checked.now
                    && let Some(r) = records.get_mut(slug)
                {
                    r.item_len = item_len;
                    r.check = Some(checked.item.clone());
                    r.media_check.clone_from(&checked.media);
                    r.dated_ahead = checked.dated_ahead;
                }
                if first {
                    checks.push(*checked);
                }
                warnings.extend(rendered.warnings.iter().cloned());
                out.notes.extend(rendered.notes.iter().cloned());
                out.files.extend(rendered.files.iter().cloned());
            }
            // This chunk's files are written while the next one renders.
            let known: &Records = records;
            let (added, rendered) = rayon::join(
                || match batch.is_empty() {
                    true => Ok(()),
                    false => sink.add(batch),
                },
                || chunks.get(k + 1).map(|c| render_chunk(c, known)),
            );
            added?;
            next = rendered;
        }
        copy.flush(&mut feed)?;
        feed.write(&f.tail)?;
        let len = feed.len();
        sink.finish(feed)?;
        if first {
            out.feed_bytes = len;
            out.diagnostics = validate_feed(&f.head, &f.tail, &checks, len);
            checks = Vec::new();
        }
        out.files.push(f.path);
        out.layout.push(layout);
    }
    drop(copy);
    let site = renderer.site(show, &mut show_warnings);
    out.files.extend(site.iter().map(|o| o.path.clone()));
    sink.add(site)?;
    warnings.extend(show_warnings);
    out.files.sort();
    out.files.dedup();
    Ok(out)
}

/// What `mspod validate --media` says about a feed written as `head`, the items
/// `checks` are of, and `tail` (`total` bytes), from the items' checks alone.
fn validate_feed(head: &[u8], tail: &[u8], checks: &[Checked], total: u64) -> Vec<Diagnostic> {
    let facts: Vec<&validate::ItemFacts> = checks.iter().map(|c| &c.item.facts).collect();
    let starts = validate::item_starts(&[head, ITEM_INDENT].concat(), &facts, ITEM_INDENT);
    let items: Vec<(usize, usize, &validate::ItemCheck)> = starts
        .iter()
        .zip(checks)
        .map(|(&(line, column), c)| (line, column, &c.item))
        .collect();
    let mut diagnostics = validate::check_feed(head, tail, &items, total, FEED_FILE);
    let media: Vec<(usize, usize, &[Diagnostic])> = starts
        .iter()
        .zip(checks)
        .map(|(&(line, column), c)| (line, column, c.media.as_slice()))
        .collect();
    diagnostics.extend(validate::media::combine_item_media(&media));
    diagnostics
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
        let mut buf = vec![0u8; (end - start).min(1 << 20) as usize];
        let mut at = start;
        while at < end {
            let n = ((end - at) as usize).min(buf.len());
            std::os::unix::fs::FileExt::read_exact_at(&*old, &mut buf[..n], at)
                .map_err(|e| Error::io(&path, e))?;
            feed.write(&buf[..n])?;
            at += n as u64;
        }
        Ok(())
    }
}

/// The `i`-th episode of the show in stage 2.
fn piece(
    content: &Content,
    show: &Show,
    inputs: &Inputs,
    inputs_of: &HashMap<String, String>,
    records: &Records,
    renderer: &Renderer,
    i: usize,
) -> Result<Piece> {
    let listing = &show.episodes[i];
    let input = inputs_of
        .get(&listing.slug)
        .map(String::as_str)
        .unwrap_or_default();
    let output = cache::output_key(input, listing, &render::neighbours_key(show, i));
    if let Some(r) = records.current(&listing.slug, &output)
        && let Some(at) = &r.item_at
    {
        let checked = match (&r.check, r.dated_ahead) {
            (Some(item), false) => Checked {
                item: item.clone(),
                media: r.media_check.clone(),
                dated_ahead: false,
                now: false,
            },
            // Checked while its date was ahead (or never): again, from the feed's bytes.
            _ => {
                let path = records.out_dir().join(&at.0);
                let file = crate::fs::open(&path)?;
                let mut item = vec![0u8; at.2 as usize];
                std::os::unix::fs::FileExt::read_exact_at(&file, &mut item, at.1)
                    .map_err(|e| Error::io(&path, e))?;
                check(inputs, listing, &item)
            }
        };
        return Ok(Piece::Current(
            r.rendered.clone(),
            at.clone(),
            Box::new(checked),
        ));
    }
    let m = inputs.by_slug.get(listing.slug.as_str()).ok_or_else(|| {
        Error::content(&content.root, format!("no manifest for `{}`", listing.slug))
    })?;
    // Built again: stage 1 kept only the listing. Its warnings were counted there.
    let (mut warnings, mut errors) = (Vec::new(), Vec::new());
    let Some((mut ep, _)) = inputs.build(m, &mut warnings, &mut errors) else {
        return Err(Error::from_list(errors)
            .err()
            .unwrap_or_else(|| Error::content(&m.file, "changed while publishing")));
    };
    ep.take_identity(listing);
    let (files, rendered) = renderer.episode(&ep, render::neighbours(show, i));
    let checked = check(inputs, listing, rendered.item.as_bytes());
    Ok(Piece::Fresh(files, rendered, output, Box::new(checked)))
}

/// The validator's checks of one item (`item`: as the writer gave it, indent first).
fn check(inputs: &Inputs, listing: &Listing, item: &[u8]) -> Checked {
    let item = item.strip_prefix(ITEM_INDENT).unwrap_or(item);
    let probe = |p: &Path| inputs.media.probe(p);
    let media_dir = inputs.content.root.join(load::EPISODES_DIR);
    Checked {
        item: validate::check_item(item),
        media: validate::media::check_item_media(item, &media_dir, &probe),
        dated_ahead: listing.published > chrono::Utc::now(),
        now: true,
    }
}

/// An article that exists but cannot be read (not UTF-8, a folder…) is the
/// content's problem, not mspod's: exit code 1, like any other content error.
fn unreadable_is_content(e: Error) -> Error {
    match e {
        Error::Io { path, source } => {
            Error::content(path, format!("cannot read the article: {source}"))
        }
        other => other,
    }
}
