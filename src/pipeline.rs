//! The pipeline: sequences the stages, implements none of them.
//!
//! load → (probe media ∥ parse articles, per episode, in parallel) → model → render.
//! Every content error from every episode is collected before stopping, so one
//! run reports them all.

use crate::error::{Error, Result};
use crate::incremental::RenderCache;
use crate::lock::Lock;
use crate::model::{self, Parts, Show};
use crate::render::{self, Output};
use crate::ui::Ui;
use crate::{article, load, media, transcript, validate};
use rayon::prelude::*;
use std::path::Path;

/// The media metadata cache, under the content root (ignore it in version control).
pub(crate) const CACHE_FILE: &str = ".mspod/media-cache.json";

/// Parsed articles, one file each, under the content root.
pub(crate) const ARTICLE_CACHE_DIR: &str = ".mspod/articles";

/// Options that change how (not what) the pipeline builds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// Worker threads; `None` = one per core. Output never depends on it.
    pub jobs: Option<usize>,
    /// Ignore the media metadata cache.
    pub no_cache: bool,
    /// What may change about already-published episodes.
    pub policy: model::Policy,
    /// Where the outputs go (episodes rendered there before may be reused).
    pub out_dir: std::path::PathBuf,
}

/// What a build produced.
#[derive(Debug)]
pub(crate) struct Built {
    /// The show as rendered (each episode's article body, chapters and transcript
    /// are dropped once its files exist).
    pub show: Show,
    pub outputs: Vec<Output>,
    pub warnings: Vec<String>,
    /// mspod.lock as this build would write it.
    pub lock: Lock,
    /// What the validator says about the feed (publish refuses to write one with errors).
    pub diagnostics: Vec<validate::Diagnostic>,
    /// Files of episodes that were not rendered again (current as they are).
    pub kept: Vec<std::path::PathBuf>,
    /// (slug, fingerprint, what was rendered) per episode, for the next publish.
    pub episodes: Vec<(String, String, render::Reused)>,
    pub previous_render: RenderCache,
}

pub(crate) fn build(content: &load::Content, options: &Options, ui: &Ui) -> Result<Built> {
    build_with(content, options, ui, None)
}

impl Built {
    /// Every file of this publish under the output folder: the feed and show pages,
    /// and each episode's files (rendered now, written already, or kept).
    pub(crate) fn files(&self) -> Vec<std::path::PathBuf> {
        let mut all: std::collections::BTreeSet<&Path> =
            self.outputs.iter().map(|o| o.path.as_path()).collect();
        for (_, _, reused) in &self.episodes {
            all.extend(reused.files.iter().map(|p| p.as_path()));
        }
        all.into_iter().map(Path::to_path_buf).collect()
    }
}

/// [`build`], handing episode files to `sink` in batches as they are rendered, so
/// they are not all held at once: `Built.outputs` are then the feed and show pages.
pub(crate) fn build_with(
    content: &load::Content,
    options: &Options,
    ui: &Ui,
    sink: Option<&mut (dyn FnMut(Vec<Output>) -> Result<()> + Send)>,
) -> Result<Built> {
    let started = std::time::Instant::now();
    // Stage timings for --verbose (stderr only; never in any output file).
    let lap = |stage: &str| {
        ui.detail(format!(
            "{stage:>10}: {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        ))
    };
    let old_lock = Lock::load(&content.root)?;
    ui.detail(format!(
        "loaded {} episodes from {}",
        content.manifests.len(),
        content.root.display()
    ));

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
    let cache_file = content.root.join(CACHE_FILE);
    let cache = if options.no_cache {
        media::cache::Cache::fresh(&cache_file)
    } else {
        media::cache::Cache::load(&cache_file)
    };
    let articles = article::cache::Cache::load(
        &content.root.join(ARTICLE_CACHE_DIR),
        &content.config.digest,
        options.no_cache,
    );
    let bar = ui.progress(content.manifests.len() as u64, "episodes");
    /// What the parallel stage found for one episode; a `None` has its reason in `errors`.
    struct Probed {
        media: Option<media::MediaInfo>,
        audio_sha256: Option<String>,
        article: Option<article::Article>,
        transcript: Option<transcript::Transcript>,
        video: Option<media::VideoInfo>,
        errors: Vec<Error>,
    }
    let results: Vec<Probed> = pool.install(|| {
        content
            .manifests
            .par_iter()
            .map(|m| {
                let mut errors = Vec::new();
                let media = cache
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
                let hash = cache.sha256(&m.audio).ok();
                let article = articles
                    .parse(&m.article, &content.config.sections)
                    .map_err(|e| errors.push(unreadable_is_content(e)))
                    .ok();
                // `video_file`: its video track and checksum (podcast:alternateEnclosure).
                let video = m.tags.video.as_ref().and_then(|v| {
                    media::probe_video(&v.path)
                        .map_err(|why| {
                            errors.push(Error::content(&v.path, format!("`video_file`: {why}")))
                        })
                        .ok()
                });
                // Checked against the audio's duration, so only once that is known.
                let transcript = match (&m.transcript, &media) {
                    (Some(path), Some(info)) => transcript::read(path, info.duration)
                        .map_err(|e| errors.push(unreadable_is_content(e)))
                        .ok(),
                    _ => None,
                };
                bar.inc(1);
                Probed {
                    media,
                    audio_sha256: hash,
                    article,
                    transcript,
                    video,
                    errors,
                }
            })
            .collect()
    });
    bar.finish_and_clear();
    lap("probe+parse");
    let (hits, misses) = cache.stats();
    ui.detail(format!("media cache: {hits} hits, {misses} probed"));
    // The cache only saves work; failing to write it must not fail the publish.
    if let Err(e) = cache.save() {
        ui.warn(format!(
            "{}: cannot save the media cache: {e}",
            cache_file.display()
        ));
    }

    let mut errors = Vec::new();
    let mut parts = Vec::new();
    for (manifest, probed) in content.manifests.iter().zip(results) {
        let Probed {
            media,
            audio_sha256,
            article,
            transcript,
            video,
            errors: errs,
        } = probed;
        errors.extend(errs);
        if let (Some(media), Some(article)) = (media, article) {
            parts.push(Parts {
                manifest: manifest.clone(),
                media,
                article,
                audio_sha256,
                video,
                transcript,
            });
        }
    }
    Error::from_list(errors)?;

    lap("caches");
    let mut warnings = Vec::new();
    let (mut show, lock) = model::build(content, parts, &old_lock, options.policy, &mut warnings)?;
    // The video titles `mspod pair` cached (file reads only: publish stays offline).
    let titles = crate::videos::CachedTitles::new(&content.root);
    for ep in &mut show.episodes {
        ep.youtube_title = ep.youtube.as_ref().and_then(|id| titles.get(id));
    }
    lap("model");
    for ep in &show.episodes {
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
        ui.detail(format!(
            "{}: {} chapters ({source})",
            ep.slug,
            ep.chapters.len()
        ));
    }
    // Episodes whose inputs and files are unchanged since the last publish are not rendered again.
    let mut previous = if options.no_cache {
        RenderCache::default()
    } else {
        RenderCache::load(&content.root)
    };
    let (fingerprints, mut reuse) = previous.plan(content, &show, &options.out_dir);
    ui.detail(format!(
        "{} of {} episodes unchanged since the last publish",
        reuse.len(),
        show.episodes.len()
    ));
    let render::Rendered {
        outputs,
        kept,
        episodes,
    } = match sink {
        Some(sink) => {
            pool.install(|| render::render_with(&mut show, &mut reuse, &mut warnings, sink))?
        }
        None => pool.install(|| render::render(&mut show, &mut reuse, &mut warnings)),
    };
    // `render` keeps the show's episode order, as `plan` does.
    let episodes = episodes
        .into_iter()
        .zip(fingerprints)
        .map(|((slug, reused), fingerprint)| (slug, fingerprint, reused))
        .collect();
    lap("render");
    let feed_size = outputs.first().map_or(0, |o| o.bytes.len() as u64);
    if feed_size > content.config.show.warn_bytes {
        warnings.push(format!(
            "{} is {:.1} MB, over the {:.1} MB budget ([feed] warn_bytes): several apps and directories time out or truncate big feeds; set [feed] max_items to page it",
            render::FEED_FILE,
            feed_size as f64 / 1e6,
            content.config.show.warn_bytes as f64 / 1e6
        ));
    }

    // The same checks `mspod validate --media` runs, on the feed about to be written.
    let feed = outputs
        .first()
        .map(|o| o.bytes.as_slice())
        .unwrap_or_default();
    let mut diagnostics = validate::validate_feed(feed, render::FEED_FILE);
    let probe = |p: &Path| cache.probe(p);
    diagnostics.extend(validate::media::check_media_with(
        feed,
        &content.root.join(load::EPISODES_DIR),
        &probe,
    ));
    lap("validate");
    Ok(Built {
        show,
        outputs,
        warnings,
        lock,
        diagnostics,
        kept,
        episodes,
        previous_render: previous,
    })
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
