//! `mspod new SLUG`: scaffold one episode folder from an article, an audio
//! file and (optionally) a YouTube URL. A downloaded article is saved beside
//! the manifest so builds stay reproducible offline.

use crate::article::{self, SectionRules};
use crate::cli::NewArgs;
use crate::error::{Error, Result, exit};
use crate::http::retry::{Http, HttpConfig};
use crate::pair::{self, download, inputs, write};
use crate::ui::Ui;
use crate::youtube::VideoId;
use chrono::SecondsFormat;
use std::path::{Path, PathBuf};

pub fn run(args: &NewArgs, ui: &Ui) -> Result<i32> {
    let show = pair::read_show(&args.root)?;
    // It writes episodes/ and may race a publish reading it.
    let _run_lock = crate::fs::RunLock::acquire(&args.root)?;
    let slug = pair::normalise_slug(&args.slug);
    if slug != args.slug {
        return Err(Error::Usage(format!(
            "`{}` is not a usable slug: use lowercase letters, digits and `-`, e.g. `{slug}`",
            args.slug
        )));
    }
    let episodes = args.root.join(crate::load::EPISODES_DIR);
    let dir = episodes.join(&slug);
    let manifest = dir.join(crate::load::MANIFEST_FILE);
    if manifest.exists() {
        return Err(Error::Usage(format!(
            "{} already exists: edit it, or pick another slug",
            manifest.display()
        )));
    }
    if !args.audio.is_file() {
        return Err(Error::Usage(format!(
            "--audio {}: no such file",
            args.audio.display()
        )));
    }
    let youtube = args
        .youtube
        .as_deref()
        .map(VideoId::parse)
        .transpose()
        .map_err(|why| Error::Usage(format!("--youtube: {why}")))?;
    let published_arg = args
        .published
        .as_deref()
        .map(|p| {
            chrono::DateTime::parse_from_rfc3339(p.trim())
                .map_err(|e| Error::Usage(format!("--published `{p}`: not an RFC 3339 date ({e})")))
        })
        .transpose()?;

    // The article: a local file, or a page downloaded before anything is created.
    let is_url = args.article.starts_with("http://") || args.article.starts_with("https://");
    let (article_file, given_url): (PathBuf, Option<String>) = if is_url {
        let http = Http::new(HttpConfig::from_env()).map_err(Error::Internal)?;
        let page = download::fetch(&http, &args.article).map_err(|message| Error::Network {
            url: args.article.clone(),
            message,
        })?;
        let path =
            download::save(&page, &dir, "article").map_err(|why| Error::content(&dir, why))?;
        (path, Some(args.article.clone()))
    } else {
        let path = PathBuf::from(&args.article);
        if !path.is_file() {
            return Err(Error::Usage(format!(
                "--article {}: no such file",
                path.display()
            )));
        }
        (path, None)
    };

    let parsed = article::parse_file(&article_file, &SectionRules::default());
    let (canonical, date) = match &parsed {
        Ok(a) => (
            a.canonical_url.clone(),
            a.published.as_deref().and_then(inputs::parse_date),
        ),
        Err(e) => {
            ui.warn(format!("{e}; the manifest takes no URL or date from it"));
            (None, None)
        }
    };
    let article_url = canonical.or(given_url).unwrap_or_else(|| {
        let url = format!("{}/{slug}/", show.link.trim_end_matches('/'));
        ui.warn(format!(
            "{}: the article names no canonical URL; using {url}",
            article_file.display()
        ));
        url
    });
    let published = published_arg
        .or(date)
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true));
    if published.is_none() {
        ui.warn(format!(
            "no date in the article: set `published` in {} (or pass --published)",
            manifest.display()
        ));
    }
    let draft = write::EpisodeDraft {
        slug: slug.clone(),
        article_file: article_file.clone(),
        article_url,
        audio_file: args.audio.clone(),
        youtube: youtube.map(|v| v.watch_url()),
        published,
        paired_by: None,
    };
    write::write_episode(&episodes, &draft)?;
    ui.info(format!("created {}", display(&dir)));
    Ok(exit::OK)
}

/// `episodes/x`, not `./episodes/x`, when the root is the current folder.
fn display(p: &Path) -> String {
    p.strip_prefix(".").unwrap_or(p).display().to_string()
}
