//! The pipeline: sequences the stages, implements none of them.
//!
//! load → (probe media ∥ parse articles, per episode, in parallel) → model → render.
//! Every content error from every episode is collected before stopping, so one
//! run reports them all.

use crate::error::{Error, Result};
use crate::model::{self, Parts, Show};
use crate::render::{self, Output};
use crate::ui::Ui;
use crate::{article, load, media};
use rayon::prelude::*;
use std::path::Path;

/// Options that change how (not what) the pipeline builds.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Worker threads; `None` = one per core. Output never depends on it.
    pub jobs: Option<usize>,
    /// Ignore the media metadata cache.
    pub no_cache: bool,
}

/// What a build produced.
#[derive(Debug)]
pub struct Built {
    pub show: Show,
    pub outputs: Vec<Output>,
    pub warnings: Vec<String>,
}

pub fn build(root: &Path, options: &Options, ui: &Ui) -> Result<Built> {
    let content = load::load(root)?;
    ui.detail(format!(
        "loaded {} episodes from {}",
        content.manifests.len(),
        root.display()
    ));

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
    let bar = ui.progress(content.manifests.len() as u64, "episodes");
    let results: Vec<(
        Option<media::MediaInfo>,
        Option<article::Article>,
        Vec<Error>,
    )> = pool.install(|| {
        content
            .manifests
            .par_iter()
            .map(|m| {
                let mut errors = Vec::new();
                let media = media::probe(&m.audio)
                    .map_err(|why| errors.push(Error::content(&m.audio, why.to_string())))
                    .ok();
                let article = article::parse_file(&m.article, &content.config.sections)
                    .map_err(|e| errors.push(unreadable_is_content(e)))
                    .ok();
                bar.inc(1);
                (media, article, errors)
            })
            .collect()
    });
    bar.finish_and_clear();

    let mut errors = Vec::new();
    let mut parts = Vec::new();
    for (manifest, (media, article, errs)) in content.manifests.iter().zip(results) {
        errors.extend(errs);
        if let (Some(media), Some(article)) = (media, article) {
            parts.push(Parts {
                manifest: manifest.clone(),
                media,
                article,
            });
        }
    }
    Error::from_list(errors)?;

    let mut warnings = Vec::new();
    let show = model::build(&content, parts, &mut warnings)?;
    let outputs = render::render(&show, &mut warnings);
    Ok(Built {
        show,
        outputs,
        warnings,
    })
}

/// An article that exists but cannot be read (not UTF-8, a folder…) is the
/// content's problem, not mspod's: exit code 1, like any other content error.
fn unreadable_is_content(e: Error) -> Error {
    match e {
        Error::Io { path, source } => Error::content(path, format!("cannot read the article: {source}")),
        other => other,
    }
}
