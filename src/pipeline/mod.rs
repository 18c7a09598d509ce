//! The publish driver: sequences the stages, implements none of them.
//!
//! load → (nothing changed? stop) → for each episode, in parallel: probe media ∥ parse
//! the article ∥ read the transcript → build it (only episodes whose inputs changed;
//! the others' listings come from `render::cache`) → assemble the show from every
//! listing and mspod.lock → in feed order, a chunk at a time: build again and render
//! the episodes whose files are not current, copy the others' items from the feed →
//! validate → switch `feeds/` at once.
//!
//! `build` is stage 1, `render` stage 2; this file is the driver and the switch.
//!
//! Memory is bounded by a chunk of whole episodes plus every episode's small listing:
//! no article, transcript or rendered file of the whole show is ever held at once, and
//! the feed is streamed to disk. Every content error from every episode is collected
//! before stopping, so one run reports them all.

mod build;
mod render;

use crate::error::{Error, Result};
use crate::fs::Stamp;
use crate::incremental;
use crate::load;
use crate::lock::{LOCK_FILE, Lock};
use crate::model;
use crate::publish::{self, Writer};
use crate::render::FEED_FILE;
use crate::render::cache::{self, Records};
use crate::ui::Ui;
use crate::validate::{self, Diagnostic};
use build::{Inputs, draft_all, video_title};
use rayon::prelude::*;
use render::{Sink, render_all};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The media metadata cache, under the content root (ignore it in version control).
pub(crate) const CACHE_FILE: &str = ".mspod/media-cache.jsonl";

/// Parsed articles, under the content root.
pub(crate) const ARTICLE_CACHE_FILE: &str = ".mspod/articles.jsonl";

/// Earlier versions' media cache (one JSON document), removed when seen.
pub(crate) const LEGACY_MEDIA_CACHE: &str = ".mspod/media-cache.json";

/// Where earlier versions kept one file per parsed article (`<32 hex digits>.json`),
/// beside the pages `mspod pair` saves, which stay.
pub(crate) const LEGACY_ARTICLE_CACHE_DIR: &str = ".mspod/articles";

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
    // mspod's own files under the root are written (caches, even by --check) or read as
    // trusted: a link committed in their place would send them elsewhere. Refused, and
    // the run lock taken, before anything there is read or written (the folder record
    // is, while loading). Without `mspod.toml` load reports the usage error.
    let show_here = root.join(load::CONFIG_FILE).is_file();
    if show_here {
        for own in [crate::fs::RUN_LOCK_FILE, LOCK_FILE, load::FOLDERS_FILE] {
            crate::fs::refuse_symlinks(root, Path::new(own))?;
        }
    }
    // One publish at a time per content folder (--check writes nothing and needs none).
    let _run_lock = match options.check || !show_here {
        true => None,
        false => Some(crate::fs::RunLock::acquire(root)?),
    };
    // What load found in each episode folder last time: unchanged folders are neither
    // listed nor their manifests read (only saves time, like the other caches).
    let folders = show_here.then(|| load::Folders::open(root, options.no_cache));
    let mut content = load::load_with(root, folders.as_ref())?;
    let root = content.root.clone();
    let out_dir = options.out_dir.as_path();
    if let Some(folders) = &folders {
        let (remembered, read) = folders.stats();
        let linked = content.manifests.len().saturating_sub(remembered + read);
        ui.detail(format!(
            "episode folders: {remembered} as remembered, {read} listed and read, {linked} through links"
        ));
        if let Err(e) = folders.finish() {
            ui.warn(format!(
                "{}: cannot save the cache: {e}",
                root.join(load::FOLDERS_FILE).display()
            ));
        }
    }
    if !options.check {
        // Said at once: the publish that follows may still fail.
        for r in publish::recover(out_dir)? {
            ui.warn(r);
        }
        // A lock staged by a run killed before its switch (never put in place).
        let lock_path = root.join(LOCK_FILE);
        crate::fs::remove_staged_leftovers(&lock_path).map_err(|e| Error::io(&root, e))?;
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
    let episodes_key = incremental::episodes(&content, &keys);
    let fingerprint = incremental::fingerprint(&content, out_dir, &policy, &episodes_key);
    lap("load");
    // Leftovers of an interrupted publish must be finished or undone: never "up to date".
    if !options.no_cache
        && !options.check
        && publish::leftovers(out_dir).is_empty()
        && let Some(state) = pool.install(|| incremental::up_to_date(&root, &fingerprint))
    {
        return Ok(Published {
            episodes: state.episodes,
            feed_bytes: state.feed_bytes as u64,
            warnings: state.warnings,
            ..Published::new(Outcome::UpToDate)
        });
    }

    // The caches and the records are independent reads: in parallel. (The lock is read
    // once stage 1 is done: a large show's lock is not held beside every draft.)
    let (inputs, mut records) = pool.install(|| {
        rayon::join(
            || Inputs::open(&content.root, &content.config, options.no_cache, titles),
            || match options.no_cache {
                true => Records::empty(out_dir),
                false => Records::load(&root, out_dir),
            },
        )
    });

    // Stage 1: every episode's listing; only episodes whose inputs changed are built.
    // The manifests are let go as it goes (100 MB at 100,000 episodes): stage 2 reads
    // again those it renders, and the lock is applied from what each states of identity.
    let manifests = std::mem::take(&mut content.manifests);
    let drafts = pool.install(|| draft_all(&inputs, manifests, keys, &records, ui));
    lap("build");
    let (hits, misses) = inputs.media.stats();
    ui.detail(format!("media cache: {hits} hits, {misses} probed"));
    // The caches only save work; failing to write them must not fail the publish.
    for (file, e) in inputs.finish() {
        ui.warn(format!(
            "{}: cannot save the cache: {e}",
            root.join(file).display()
        ));
    }
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut listings = Vec::with_capacity(drafts.len());
    let mut hashes = Vec::with_capacity(drafts.len());
    let mut stated = Vec::with_capacity(drafts.len());
    let (episodes, mut built) = (drafts.len(), 0);
    for d in drafts {
        errors.extend(d.errors);
        warnings.extend(d.warnings);
        if let Some(detail) = d.detail {
            ui.detail(detail);
        }
        let Some(listing) = d.listing else { continue };
        if let Some(identity) = d.lent {
            records.note_lent(&d.slug, identity);
        }
        if d.built {
            // Its record is made when stage 2 renders it.
            records.set_built(&d.slug, d.input);
            built += 1;
        }
        listings.push(*listing);
        hashes.push(d.hash);
        stated.push(d.stated);
    }
    Error::from_list(errors)?;
    ui.detail(format!(
        "{built} of {episodes} episodes built from their files"
    ));

    // A damaged lock is reported after the episodes' own errors, as it always was.
    let old_lock = pool.install(|| Lock::load(&root))?;
    let (mut show, model::Applied { lock, changed }) = model::assemble(
        &content,
        listings,
        &stated,
        &hashes,
        old_lock,
        options.policy,
        &mut warnings,
    )?;
    drop((hashes, stated));
    // An unchanged lock is neither serialized nor written again (100,000 entries take a while).
    let lock_changed = changed;
    // A changed lock is written now beside the old one and put in place at the switch:
    // stage 2 never holds it (49 MB at 100,000 episodes).
    let lock_path = root.join(LOCK_FILE);
    let staged_lock = match lock_changed && !options.check {
        true => Some(
            crate::fs::stage(&lock_path, |w| lock.write_to(w))
                .map_err(|e| Error::io(&lock_path, e))?,
        ),
        false => None,
    };
    drop(lock);
    lap("model");

    // Stage 2: render what is not current, in feed order, straight to the writer.
    let mut sink = match options.check {
        true => Sink::Check(Vec::new()),
        false => Sink::Write(Writer::begin(out_dir)?),
    };
    let written = pool.install(|| {
        let mut written = render_all(
            &content,
            &show,
            &inputs,
            &mut records,
            &mut sink,
            &mut warnings,
        )?;
        // The show pages last, from the listings and the records lent to them while they
        // are written (each episode's entry is read back from its record).
        let episodes = Arc::new(std::mem::take(&mut show.episodes));
        let shared = Arc::new(std::mem::take(&mut records));
        let helpline = written.helpline.take();
        let pages = render::write_site(
            &show,
            Arc::clone(&episodes),
            Arc::clone(&shared) as Arc<dyn crate::render::Entries>,
            helpline.as_deref(),
            &mut sink,
            &mut warnings,
        );
        show.episodes = Arc::try_unwrap(episodes).unwrap_or_else(|shared| (*shared).clone());
        records = Arc::try_unwrap(shared)
            .map_err(|_| Error::Internal("the records are still lent to the show page".into()))?;
        let pages = pages?;
        written.files.reserve_exact(pages.len());
        written.stamps.reserve_exact(pages.len());
        written
            .stamps
            .resize(written.files.len() + pages.len(), (0, 0));
        written.files.extend(pages);
        // Sorted, each once, its stamp beside it.
        let mut files: Vec<(PathBuf, (u64, u128))> = std::mem::take(&mut written.files)
            .into_iter()
            .zip(std::mem::take(&mut written.stamps))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files.dedup_by(|a, b| a.0 == b.0);
        (written.files, written.stamps) = files.into_iter().unzip();
        Ok(written)
    });
    let mut rendered = match written {
        Ok(r) => r,
        Err(e) => {
            sink.abort();
            return Err(e);
        }
    };
    // Every episode is rendered: what it was built from is not needed again.
    drop(inputs);
    ui.detail(format!(
        "{} of {} episodes unchanged since the last publish",
        show.episodes.len() - rendered.fresh,
        show.episodes.len()
    ));
    lap("render");

    // The same checks `mspod validate --media` runs on the feed about to be written,
    // made in stage 2 from each item's check and the feed's head and tail.
    let diagnostics = std::mem::take(&mut rendered.diagnostics);
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
        notes: std::mem::take(&mut rendered.notes),
        diagnostics,
        ..Published::new(Outcome::Rejected)
    };
    if validate::fails(&published.diagnostics, false) {
        sink.abort();
        return Ok(published);
    }

    let index = publish::Index::new(&root, out_dir);
    let writer = match sink {
        Sink::Check(outputs) => {
            let mut problems = publish::check(out_dir, &index, &outputs);
            // What the lock says, not how it is laid out: publish rewrites it only then too.
            if lock_changed {
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
        if let Some(staged) = staged_lock {
            lock_updated = staged
                .put_if_changed()
                .map_err(|e| Error::io(&lock_path, e))?;
        }
        Ok(())
    })?;
    published.lock_updated = lock_updated;
    lap("write");

    // Remember this publish for the next one (failing to only costs time next run).
    let mut files = remember_episodes(&root, out_dir, records, &mut rendered, show.episodes, ui);
    files.extend(Stamp::of(index.path()));
    files.extend(Stamp::of(&lock_path));
    // The lock is one of the inputs of the next publish: fingerprint again if it changed.
    let after = match lock_updated {
        true => incremental::fingerprint(&content, out_dir, &policy, &episodes_key),
        false => fingerprint,
    };
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

/// Records what stage 2 wrote in the episode records and saves them; returns the
/// stamps of every file of this publish (episode files as the records know them:
/// stamped when written, or checked unchanged; the others stamped now).
fn remember_episodes(
    root: &Path,
    out_dir: &Path,
    mut records: Records,
    rendered: &mut render::Written,
    published: Vec<model::Listing>,
    ui: &Ui,
) -> Vec<Stamp> {
    records.set_feeds(
        rendered
            .feed_files
            .iter()
            .filter_map(|f| {
                let s = Stamp::of(&out_dir.join(f))?;
                Some(Stamp {
                    path: f.clone(),
                    ..s
                })
            })
            .collect(),
        std::mem::take(&mut rendered.layout),
    );
    let slugs: HashSet<&str> = published.iter().map(|e| e.slug.as_str()).collect();
    records.retain(&slugs);
    drop(slugs);
    if let Err(e) = records.save(root, published) {
        ui.warn(format!(
            "cannot remember this publish's episodes for the next one: {e}"
        ));
    }
    rendered
        .files
        .iter()
        .zip(&rendered.stamps)
        .filter_map(|(rel, &(size, mtime_ns))| {
            let path = out_dir.join(rel);
            match (size, mtime_ns) {
                (0, 0) => Stamp::of(&path),
                _ => Some(Stamp {
                    path,
                    size,
                    mtime_ns,
                }),
            }
        })
        .collect()
}
