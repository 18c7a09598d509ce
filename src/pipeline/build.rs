//! Stage 1: every episode's listing. An episode whose input key matches its record
//! lends its listing from the records (read as the episode is drafted, while the
//! manifests drafted before it are let go); the others are probed, parsed and built
//! (`Inputs::build`, which stage 2 calls again for the episodes it renders).

use super::{ARTICLE_CACHE_FILE, CACHE_FILE, LEGACY_ARTICLE_CACHE_DIR, LEGACY_MEDIA_CACHE};
use crate::error::Error;
use crate::load::{Config, Manifest};
use crate::model::{self, Episode, Listing, Parts};
use crate::render::cache::{self, Records};
use crate::ui::Ui;
use crate::{article, media, transcript};
use rayon::prelude::*;

/// The caches an episode is built from.
pub(super) struct Inputs<'a> {
    /// The content root and its config (not the manifests: stage 2 lets them go).
    pub(super) root: &'a std::path::Path,
    pub(super) config: &'a Config,
    pub(super) media: media::cache::Cache,
    articles: article::cache::Cache,
    titles: crate::videos::CachedTitles,
    frame: model::Frame,
}

impl<'a> Inputs<'a> {
    pub(super) fn open(
        root: &'a std::path::Path,
        config: &'a Config,
        no_cache: bool,
        titles: crate::videos::CachedTitles,
    ) -> Inputs<'a> {
        let cache_file = root.join(CACHE_FILE);
        let _ = crate::fs::remove_file_if_exists(root.join(LEGACY_MEDIA_CACHE));
        if !root.join(ARTICLE_CACHE_FILE).exists() {
            remove_legacy_articles(&root.join(LEGACY_ARTICLE_CACHE_DIR));
        }
        Inputs {
            root,
            config,
            media: match no_cache {
                true => media::cache::Cache::fresh(&cache_file, root),
                false => media::cache::Cache::load(&cache_file, root),
            },
            articles: article::cache::Cache::load(
                &root.join(ARTICLE_CACHE_FILE),
                root,
                &config.episodes_digest,
                no_cache,
            ),
            titles,
            frame: model::Frame::of(&config.show),
        }
    }

    /// Ends the caches' changes; what could not be saved, by file.
    pub(super) fn finish(&self) -> Vec<(&'static str, std::io::Error)> {
        let media = self.media.save().err().map(|e| (CACHE_FILE, e));
        let articles = self
            .articles
            .finish()
            .err()
            .map(|e| (ARTICLE_CACHE_FILE, e));
        media.into_iter().chain(articles).collect()
    }

    pub(super) fn video_title(&self, m: &Manifest) -> Option<String> {
        video_title(&self.titles, m)
    }

    /// One episode built from its files (the caches save the probing and parsing).
    /// `None` when its inputs have errors (in `errors`).
    pub(super) fn build(
        &self,
        m: &Manifest,
        warnings: &mut Vec<String>,
        errors: &mut Vec<Error>,
    ) -> Option<(Episode, Option<String>)> {
        let (media, hash) = self.media.probe_and_sha256(&m.audio);
        let hash = hash.ok();
        let media = media
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
        let article = self
            .articles
            .parse(&m.article, &self.config.sections)
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
        let mut ep = model::episode(&self.config.show, &self.frame, parts, warnings, errors);
        ep.youtube_title = self.video_title(m);
        errors.is_empty().then_some((ep, hash))
    }
}

/// Removes the article cache files of earlier versions (once: before the article
/// store exists), leaving the pages `mspod pair` saved in the same folder.
fn remove_legacy_articles(dir: &std::path::Path) {
    // A link in the folder's place is not followed.
    if !std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let cache_entry = name
            .strip_suffix(".json")
            .is_some_and(|stem| stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()));
        if cache_entry && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The video title `mspod pair` cached (file reads only: publish stays offline).
pub(super) fn video_title(titles: &crate::videos::CachedTitles, m: &Manifest) -> Option<String> {
    m.youtube.as_ref().and_then(|id| titles.get(id))
}

/// What stage 1 found for one episode.
pub(super) struct Draft {
    pub(super) slug: String,
    /// What its manifest says of identity (the manifest itself is let go).
    pub(super) stated: model::Stated,
    /// Boxed: a listing is a few hundred bytes inline, and a failed draft has none.
    pub(super) listing: Option<Box<Listing>>,
    pub(super) hash: Option<String>,
    pub(super) input: String,
    /// Built now (else known from the records).
    pub(super) built: bool,
    /// The identity of the listing the records lent (see `Records::note_lent`).
    pub(super) lent: Option<u128>,
    pub(super) warnings: Vec<String>,
    pub(super) errors: Vec<Error>,
    /// Where its chapters came from (`publish -v`).
    pub(super) detail: Option<String>,
}

/// Every episode's listing, in manifest order, before mspod.lock is applied. Each
/// manifest is let go once its episode is drafted: stage 2 reads again those it renders.
pub(super) fn draft_all(
    inputs: &Inputs,
    manifests: Vec<Manifest>,
    keys: Vec<String>,
    records: &Records,
    ui: &Ui,
) -> Vec<Draft> {
    let bar = ui.progress(manifests.len() as u64, "episodes");
    let drafts = manifests
        .into_par_iter()
        .zip(keys)
        .map(|(m, input)| {
            let stated = model::Stated::from(&m);
            let draft = match records.lend(&m.slug, &input) {
                Some(cache::Lent {
                    mut listing,
                    identity,
                    audio_sha256: hash,
                    warnings,
                }) => {
                    model::draft_identity(&inputs.config.show, &inputs.frame, &m, &mut listing);
                    Draft {
                        slug: m.slug,
                        stated,
                        listing: Some(listing),
                        hash,
                        input,
                        built: false,
                        lent: Some(identity),
                        warnings,
                        errors: Vec::new(),
                        detail: None,
                    }
                }
                None => {
                    let (mut warnings, mut errors) = (Vec::new(), Vec::new());
                    let built = inputs.build(&m, &mut warnings, &mut errors);
                    let detail = built.as_ref().map(|(ep, _)| chapters_detail(ep));
                    let (listing, hash) = match built {
                        Some((ep, hash)) => (Some(Box::new(ep.listing)), hash),
                        None => (None, None),
                    };
                    Draft {
                        slug: m.slug,
                        stated,
                        listing,
                        hash,
                        input,
                        built: true,
                        lent: None,
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
