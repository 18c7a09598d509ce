//! Pairing: which article goes with which audio file and which YouTube video.
//!
//! In: a folder of articles (or a list of their URLs), a folder of audio
//! files, and video sources (channel / playlist Atom feeds as files or URLs,
//! lists of video URLs). Out: a [`plan::Plan`] — accepted pairs with their
//! score and evidence, close calls and conflicts for a person, and what is
//! left unpaired — and, unless it is a dry run, one `episodes/<slug>/`
//! folder per accepted pair.
//!
//! Pairing is the only stage that uses the network; it caches what it
//! fetches so `publish` never has to.

pub(crate) mod download;
pub(crate) mod explain;
pub(crate) mod inputs;
pub(crate) mod name;
pub(crate) mod normalize;
pub(crate) mod plan;
pub(crate) mod score;
pub(crate) mod sources;
pub(crate) mod write;

use crate::article::SectionRules;
use crate::error::{Error, Result};
use crate::http::retry::{Http, HttpConfig};
use crate::ui::Ui;
use crate::videos::cache::Cache;
use crate::videos::{Video, channel, oembed};
use crate::youtube::VideoId;
use chrono::SecondsFormat;
use normalize::{Branding, slugify};
use plan::{Inputs, Kind, Plan, Settings, Unpaired};
use rayon::prelude::*;
use score::{ArticleCandidate, AudioCandidate, Score, Text, Thresholds, VideoCandidate};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What `mspod pair` was asked to do.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub root: PathBuf,
    /// A folder of articles, or a text file listing article URLs.
    pub articles: PathBuf,
    pub audio: PathBuf,
    /// Feed files or URLs, video-list files, or single video URLs.
    pub videos: Vec<String>,
    pub dry_run: bool,
    pub accept: BTreeSet<String>,
    /// Use caches only.
    pub offline: bool,
    /// `--explain SLUG`: print every signal for this article and its top candidates.
    pub explain: Option<String>,
}

/// The outcome, in the `--format json` shape.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub pairs: Vec<PairOut>,
    pub ambiguous: Vec<AmbiguousOut>,
    pub unpaired: Vec<UnpairedOut>,
    /// What was written, one line per episode folder (not in the JSON).
    #[serde(skip)]
    pub written: Vec<String>,
    /// `--explain`'s text (not in the JSON).
    #[serde(skip)]
    pub explained: Option<String>,
}

impl Report {
    pub fn is_complete(&self) -> bool {
        self.ambiguous.is_empty() && self.unpaired.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PairOut {
    pub slug: String,
    pub article: String,
    pub audio: String,
    pub video: Option<String>,
    pub score: f64,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AmbiguousOut {
    pub slug: String,
    pub article: String,
    /// `audio` or `video`: which decision is open.
    pub kind: &'static str,
    pub reason: String,
    pub candidates: Vec<CandidateOut>,
    /// For an open audio decision: the article's video, already decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CandidateOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub score: f64,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnpairedOut {
    /// `article`, `audio` or `video`.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub reason: String,
}

/// The parts of `mspod.toml` pairing needs, read by `load` (which checks them as
/// publish does) without asking for episodes or a cover yet.
pub(crate) struct ShowInfo {
    pub(crate) link: String,
    pub(crate) settings: Settings,
}

pub(crate) fn read_show(root: &Path) -> Result<ShowInfo> {
    let path = root.join(crate::load::CONFIG_FILE);
    if !path.is_file() {
        return Err(Error::Usage(format!(
            "{} not found: pass the content folder with --root, or create one with `mspod init`",
            path.display()
        )));
    }
    let show = crate::load::read_show_basics(root)?;
    let pairing = &show.pairing;
    let mut names = vec![show.title.as_str(), show.author.as_str()];
    names.extend(pairing.branding.iter().map(String::as_str));
    let branding = Branding::new(names);
    let settings = Settings {
        text: Text {
            branding,
            branding_phrases: pairing.branding.clone(),
            show_words: name::raw_words(&show.title),
            noise: pairing
                .noise_words
                .iter()
                .map(|w| normalize::fold(w).trim().to_string())
                .filter(|w| !w.is_empty())
                .collect(),
        },
        thresholds: Thresholds::from(pairing),
    };
    Ok(ShowInfo {
        link: show.link,
        settings,
    })
}

/// An episode folder that already has a manifest.
struct Existing {
    slug: String,
    audio: Option<PathBuf>,
    youtube: Option<VideoId>,
}

fn existing_episodes(root: &Path, ui: &Ui) -> Vec<Existing> {
    let dir = root.join(crate::load::EPISODES_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let folder = entry.path();
        let Some(slug) = folder.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let path = folder.join(crate::load::MANIFEST_FILE);
        if !path.is_file() {
            continue;
        }
        // A manifest that does not read is publish's to report: pairing keeps
        // its folder but takes no links from it, and says so.
        let manifest = crate::load::read_manifest_file(&path)
            .map_err(|e| ui.warn(format!("{e} (pairing takes no links from it)")))
            .ok();
        let audio = manifest
            .as_ref()
            .map(|m| folder.join(&m.audio))
            .filter(|p| p.is_file());
        let youtube = manifest
            .and_then(|m| m.youtube)
            .and_then(|y| VideoId::parse(&y).ok());
        out.push(Existing {
            slug,
            audio,
            youtube,
        });
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    out
}

fn same_file_contents(a: &Path, b: &Path) -> bool {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).ok();
    match (size(a), size(b)) {
        (Some(x), Some(y)) if x == y => {
            matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

/// The HTTP client, built on first use and never when offline.
struct Net {
    offline: bool,
    http: Option<Http>,
}

impl Net {
    fn client(&mut self) -> Result<Option<&Http>> {
        if self.offline {
            return Ok(None);
        }
        if self.http.is_none() {
            self.http = Some(Http::new(HttpConfig::from_env()).map_err(Error::Usage)?);
        }
        Ok(self.http.as_ref())
    }
}

/// Runs pairing end to end: gather candidates, plan, write (unless a dry run).
pub(crate) fn run(options: &Options, ui: &Ui) -> Result<Report> {
    // `./episodes/x` reads worse than `episodes/x` in every path printed.
    let root = if options.root == Path::new(".") {
        Path::new("")
    } else {
        options.root.as_path()
    };
    let show = read_show(root)?;
    let cache = Cache::new(root);
    let mut net = Net {
        offline: options.offline,
        http: None,
    };
    let (articles, unreadable) = gather_articles(options, root, &mut net, ui)?;
    let existing = existing_episodes(root, ui);
    let audio = gather_audio(&options.audio, &existing, ui)?;
    let videos = gather_videos(options, &articles, &existing, &mut net, &cache, ui)?;
    let mut inputs = with_kept_links(articles, audio, videos, &existing);
    plan::mark_duplicates(&mut inputs.videos, &show.settings.text);
    let graphs = plan::graphs(&inputs, &show.settings);
    let plan = plan::decide(&inputs, &graphs, &show.settings.thresholds, &options.accept);
    let mut report = report(&inputs, &plan);
    report.unpaired.extend(unreadable);
    if let Some(slug) = &options.explain {
        report.explained = Some(explain::explain(
            &inputs,
            &graphs,
            &show.settings,
            &plan,
            slug,
        )?);
        return Ok(report);
    }
    if !options.dry_run {
        report.written = write_pairs(root, &show, &inputs, &plan, ui)?;
    }
    Ok(report)
}

/// Articles from a folder or a URL list; unreadable ones are reported, not fatal.
fn gather_articles(
    options: &Options,
    root: &Path,
    net: &mut Net,
    ui: &Ui,
) -> Result<(Vec<ArticleCandidate>, Vec<UnpairedOut>)> {
    let as_text = options.articles.to_string_lossy();
    let paths = if is_url(&as_text) {
        let dir = root.join(".mspod").join("articles");
        sources::articles(net.client()?, &as_text, &dir, &|w| ui.warn(w)).map_err(|message| {
            Error::Network {
                url: as_text.to_string(),
                message,
            }
        })?
    } else if options.articles.is_dir() {
        inputs::files_in(&options.articles, inputs::ARTICLE_EXTENSIONS)
            .map_err(|e| Error::io(&options.articles, e))?
    } else if options.articles.is_file() {
        download_list(&options.articles, net.client()?, root, ui)?
    } else {
        return Err(Error::Usage(format!(
            "--articles {}: no such folder or file",
            options.articles.display()
        )));
    };
    let rules = SectionRules::default();
    let mut articles: Vec<ArticleCandidate> = Vec::new();
    let mut unreadable = Vec::new();
    // Parsed in parallel, collected in file order: the result does not depend on threads.
    let read: Vec<_> = paths
        .par_iter()
        .map(|p| inputs::read_article(p, &rules))
        .collect();
    for (path, result) in paths.iter().zip(read) {
        match result {
            Ok(a) => articles.push(a),
            Err(why) => unreadable.push(UnpairedOut {
                kind: "article",
                slug: None,
                article: Some(path.display().to_string()),
                audio: None,
                video: None,
                title: None,
                reason: format!("cannot read: {why}"),
            }),
        }
    }
    let mut seen: BTreeMap<&str, &ArticleCandidate> = BTreeMap::new();
    for a in &articles {
        if let Some(other) = seen.insert(&a.slug, a) {
            return Err(Error::Usage(format!(
                "{} and {} both have the slug `{}`: rename one",
                other.path.display(),
                a.path.display(),
                a.slug
            )));
        }
    }
    for slug in options.accept.iter().chain(&options.explain) {
        if !seen.contains_key(slug.as_str()) {
            let flag = if options.explain.as_ref() == Some(slug) {
                "--explain"
            } else {
                "--accept"
            };
            return Err(Error::Usage(format!(
                "{flag} {slug}: no article has that slug"
            )));
        }
    }
    Ok((articles, unreadable))
}

/// Audio files, minus those already in an episode folder (same bytes).
fn gather_audio(dir: &Path, existing: &[Existing], ui: &Ui) -> Result<Vec<AudioCandidate>> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "--audio {}: no such folder",
            dir.display()
        )));
    }
    let files = inputs::files_in(dir, inputs::AUDIO_EXTENSIONS).map_err(|e| Error::io(dir, e))?;
    let kept: Vec<&PathBuf> = existing.iter().filter_map(|e| e.audio.as_ref()).collect();
    // Probed in parallel, reported and collected in file order.
    let probed: Vec<Option<(AudioCandidate, Option<String>)>> = files
        .par_iter()
        .map(|path| {
            if kept.iter().any(|a| same_file_contents(a, path)) {
                return None;
            }
            let (info, warning) = match crate::media::probe(path) {
                Ok(info) => (Some(info), None),
                Err(why) => (None, Some(why)),
            };
            Some((inputs::audio_candidate(path, info.as_ref()), warning))
        })
        .collect();
    let mut audio = Vec::new();
    for (path, result) in files.iter().zip(probed) {
        let Some((candidate, warning)) = result else {
            ui.detail(format!("{}: already in an episode", path.display()));
            continue;
        };
        if let Some(why) = warning {
            ui.warn(format!(
                "{}: {why}; pairing it by file name only",
                path.display()
            ));
        }
        audio.push(candidate);
    }
    Ok(audio)
}

/// Videos from every `--videos` source, plus those the articles embed, minus
/// those already in an episode; untitled ones are looked up with oEmbed.
fn gather_videos(
    options: &Options,
    articles: &[ArticleCandidate],
    existing: &[Existing],
    net: &mut Net,
    cache: &Cache,
    ui: &Ui,
) -> Result<Vec<Video>> {
    let mut videos: Vec<Video> = Vec::new();
    for source in &options.videos {
        let client = if is_url(source) { net.client()? } else { None };
        for v in read_video_source(source, client, cache, ui)? {
            match videos.iter_mut().find(|x| x.id == v.id) {
                Some(x) if x.title.is_none() => *x = v,
                Some(_) => {}
                None => videos.push(v),
            }
        }
    }
    // Videos the articles embed or link that no source lists (the channel
    // feed holds only the newest ~15 uploads) are candidates too; oEmbed
    // confirms they exist.
    for article in articles {
        for id in &article.video_ids {
            if !videos.iter().any(|v| &v.id == id) {
                videos.push(Video::bare(id.clone()));
            }
        }
    }
    videos.retain(|v| !existing.iter().any(|e| e.youtube.as_ref() == Some(&v.id)));
    let base = oembed::base_url();
    let mut titled = Vec::new();
    for mut v in videos {
        if v.title.is_none() {
            match oembed::lookup(net.client()?, &base, cache, &v.id) {
                oembed::Lookup::Known { record, .. } => match record.status {
                    oembed::Status::Ok => v.title = record.title,
                    oembed::Status::EmbeddingDisabled => ui.warn(format!(
                        "video {}: embedding is turned off (oEmbed 401); it can be paired but not embedded",
                        v.id
                    )),
                    oembed::Status::NotFound => {
                        ui.warn(format!(
                            "video {}: not found on YouTube (oEmbed 404: private or deleted); not paired",
                            v.id
                        ));
                        continue;
                    }
                },
                oembed::Lookup::Failed(why) => {
                    ui.warn(format!("video {}: no title from oEmbed: {why}", v.id))
                }
            }
        }
        titled.push(v);
    }
    Ok(titled)
}

/// The inputs for planning: candidates, plus one candidate per link an
/// existing manifest already holds, marked as kept so it is never re-scored.
fn with_kept_links(
    articles: Vec<ArticleCandidate>,
    mut audio: Vec<AudioCandidate>,
    videos: Vec<Video>,
    existing: &[Existing],
) -> Inputs {
    let mut video_candidates: Vec<VideoCandidate> =
        videos.iter().map(inputs::video_candidate).collect();
    let mut kept_audio = Vec::new();
    let mut kept_video = Vec::new();
    for (a, article) in articles.iter().enumerate() {
        let Some(e) = existing.iter().find(|e| e.slug == article.slug) else {
            continue;
        };
        if let Some(path) = &e.audio {
            kept_audio.push((a, audio.len()));
            audio.push(inputs::audio_candidate(path, None));
        }
        if let Some(id) = &e.youtube {
            kept_video.push((a, video_candidates.len()));
            video_candidates.push(inputs::video_candidate(&Video::bare(id.clone())));
        }
    }
    Inputs {
        articles,
        audio,
        videos: video_candidates,
        kept_audio,
        kept_video,
    }
}

/// Creates or completes one episode folder per accepted pair; returns what changed.
fn write_pairs(
    root: &Path,
    show: &ShowInfo,
    inputs: &Inputs,
    plan: &Plan,
    ui: &Ui,
) -> Result<Vec<String>> {
    let episodes = root.join(crate::load::EPISODES_DIR);
    let mut written = Vec::new();
    for pair in &plan.pairs {
        let article = &inputs.articles[pair.article];
        let audio = &inputs.audio[pair.audio.item];
        let video = pair.video.as_ref().map(|l| &inputs.videos[l.item]);
        let article_url = match &article.url {
            Some(u) => u.clone(),
            None => {
                let url = format!("{}/{}/", show.link.trim_end_matches('/'), article.slug);
                ui.warn(format!(
                    "{}: the page names no canonical URL; using {url}",
                    article.path.display()
                ));
                url
            }
        };
        // The article's date, else the video's first public time, else the audio's date tag.
        let published = article
            .published
            .or(video.and_then(|v| v.published))
            .or(audio.date)
            .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true));
        if published.is_none() {
            ui.warn(format!(
                "{}: no date in the article, the video or the audio tags: set `published` in episodes/{}/episode.toml",
                article.path.display(),
                article.slug
            ));
        }
        let draft = write::EpisodeDraft {
            slug: article.slug.clone(),
            article_file: article.path.clone(),
            article_url,
            audio_file: audio.path.clone(),
            youtube: video.map(|v| v.id.watch_url()),
            published,
            paired_by: Some(pair.paired_by()),
        };
        match write::write_episode(&episodes, &draft)? {
            write::Written::Created => written.push(format!("created episodes/{}/", article.slug)),
            write::Written::Updated(keys) => written.push(format!(
                "updated episodes/{}/episode.toml: added {}",
                article.slug,
                keys.join(", ")
            )),
            write::Written::Unchanged => {}
        }
    }
    Ok(written)
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// One `--videos` value: a feed URL, a video URL, a feed file, or a file listing video URLs.
fn read_video_source(
    source: &str,
    http: Option<&Http>,
    cache: &Cache,
    ui: &Ui,
) -> Result<Vec<Video>> {
    if is_url(source) {
        let is_feed = source.contains("/feeds/") || source.contains("videos.xml");
        if !is_feed && let Ok(id) = VideoId::parse(source) {
            return Ok(vec![Video::bare(id)]);
        }
        let loaded = channel::fetch(source, http, cache).map_err(|message| Error::Network {
            url: source.to_string(),
            message,
        })?;
        if let Some(w) = loaded.warning {
            ui.warn(w);
        }
        return Ok(loaded.videos);
    }
    let path = Path::new(source);
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    if text.trim_start().starts_with('<') {
        // A broken input file prevents pairing (exit 2), unlike content that
        // is merely ambiguous (exit 1); the message still names the file.
        return channel::parse(&text)
            .map_err(|why| Error::Usage(format!("{}: {why}", path.display())));
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let id = VideoId::parse(line)
            .map_err(|why| Error::Usage(format!("{}:{}: {why}", path.display(), n + 1)))?;
        out.push(Video::bare(id));
    }
    Ok(out)
}

/// `--articles FILE`: one article URL per line; each page is downloaded to
/// `<root>/.mspod/articles/`, and the saved copy is used when a download fails.
fn download_list(list: &Path, http: Option<&Http>, root: &Path, ui: &Ui) -> Result<Vec<PathBuf>> {
    let text = std::fs::read_to_string(list).map_err(|e| Error::io(list, e))?;
    let dir = root.join(".mspod").join("articles");
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let url = line.trim();
        if url.is_empty() || url.starts_with('#') {
            continue;
        }
        if !is_url(url) {
            return Err(Error::Usage(format!(
                "{}:{}: `{url}` is not an http(s) URL",
                list.display(),
                n + 1
            )));
        }
        let stem = inputs::article_slug(Some(url), Path::new("article"));
        let saved = ["html", "md"]
            .iter()
            .map(|e| dir.join(format!("{stem}.{e}")))
            .find(|p| p.is_file());
        let fetched = match http {
            Some(h) => download::fetch(h, url),
            None => Err("offline".to_string()),
        };
        match (fetched, saved) {
            (Ok(page), _) => {
                let path =
                    download::save(&page, &dir, &stem).map_err(|why| Error::content(&dir, why))?;
                out.push(path);
            }
            (Err(why), Some(saved)) => {
                ui.warn(format!(
                    "{url}: {why}; using the copy saved in {}",
                    saved.display()
                ));
                out.push(saved);
            }
            (Err(why), None) => {
                return Err(Error::Network {
                    url: url.to_string(),
                    message: why,
                });
            }
        }
    }
    Ok(out)
}

/// The plan in the report's shape: paths as given, videos as ids.
pub(crate) fn report(inputs: &Inputs, plan: &Plan) -> Report {
    let path = |p: &Path| p.display().to_string();
    let article_of = |a: usize| &inputs.articles[a];
    let candidate = |kind: Kind, item: usize, s: &Score| match kind {
        Kind::Audio => CandidateOut {
            audio: Some(path(&inputs.audio[item].path)),
            video: None,
            title: inputs.audio[item].title.clone(),
            score: s.score,
            evidence: s.evidence.clone(),
        },
        Kind::Video => CandidateOut {
            audio: None,
            video: Some(inputs.videos[item].id.to_string()),
            title: inputs.videos[item].title.clone(),
            score: s.score,
            evidence: s.evidence.clone(),
        },
    };
    Report {
        pairs: plan
            .pairs
            .iter()
            .map(|p| PairOut {
                slug: article_of(p.article).slug.clone(),
                article: path(&article_of(p.article).path),
                audio: path(&inputs.audio[p.audio.item].path),
                video: p
                    .video
                    .as_ref()
                    .map(|v| inputs.videos[v.item].id.to_string()),
                score: p.score(),
                evidence: p.evidence(),
            })
            .collect(),
        ambiguous: plan
            .ambiguous
            .iter()
            .map(|x| AmbiguousOut {
                slug: article_of(x.article).slug.clone(),
                article: path(&article_of(x.article).path),
                kind: x.kind.as_str(),
                reason: x.reason.clone(),
                candidates: x
                    .candidates
                    .iter()
                    .map(|(i, s)| candidate(x.kind, *i, s))
                    .collect(),
                video: x
                    .video
                    .as_ref()
                    .map(|v| inputs.videos[v.item].id.to_string()),
            })
            .collect(),
        unpaired: plan
            .unpaired
            .iter()
            .map(|u| match u {
                Unpaired::Article {
                    article,
                    reason,
                    video,
                } => UnpairedOut {
                    kind: "article",
                    slug: Some(article_of(*article).slug.clone()),
                    article: Some(path(&article_of(*article).path)),
                    audio: None,
                    video: video.as_ref().map(|v| inputs.videos[v.item].id.to_string()),
                    title: Some(article_of(*article).title.clone()),
                    reason: reason.clone(),
                },
                Unpaired::Audio { audio, reason } => UnpairedOut {
                    kind: "audio",
                    slug: None,
                    article: None,
                    audio: Some(path(&inputs.audio[*audio].path)),
                    video: None,
                    title: inputs.audio[*audio].title.clone(),
                    reason: reason.clone(),
                },
                Unpaired::Video { video, reason } => UnpairedOut {
                    kind: "video",
                    slug: None,
                    article: None,
                    audio: None,
                    video: Some(inputs.videos[*video].id.to_string()),
                    title: inputs.videos[*video].title.clone(),
                    reason: reason.clone(),
                },
            })
            .collect(),
        written: Vec::new(),
        explained: None,
    }
}

/// A slug for `mspod new`: the user's, normalised.
pub(crate) fn normalise_slug(s: &str) -> String {
    slugify(s)
}
