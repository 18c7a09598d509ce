//! `mspod pair`: pair articles, audio files and videos; write episode manifests.

use crate::cli::{PairArgs, PairFormat};
use crate::error::{Error, Result, exit};
use crate::pair::{self, Options, Report};
use crate::ui::Ui;

pub fn run(args: &PairArgs, ui: &Ui) -> Result<i32> {
    let options = Options {
        root: args.root.clone(),
        articles: args.articles.clone(),
        audio: args.audio.clone(),
        videos: args.videos.clone(),
        dry_run: args.dry_run,
        accept: args.accept.iter().cloned().collect(),
        offline: args.offline,
        explain: args.explain.clone(),
    };
    // It writes episodes/, which a publish running at the same time reads.
    let _run_lock = if args.dry_run || args.explain.is_some() {
        None
    } else {
        Some(crate::fs::RunLock::acquire(&args.root)?)
    };
    let report = pair::run(&options, ui)?;
    if let Some(text) = &report.explained {
        crate::ui::print(text)?;
        return Ok(exit::OK);
    }
    match args.format {
        PairFormat::Json => {
            let json = serde_json::to_string_pretty(&report)
                .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?;
            crate::ui::print(&format!("{json}\n"))?;
        }
        PairFormat::Text => crate::ui::print(&text(&report))?,
    }
    for line in &report.written {
        ui.info(line);
    }
    ui.info(format!(
        "{} paired, {} ambiguous, {} unpaired{}",
        report.pairs.len(),
        report.ambiguous.len(),
        report.unpaired.len(),
        if args.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    ));
    if !report.ambiguous.is_empty() {
        ui.info("confirm a proposal with `mspod pair … --accept SLUG`, or write its episode.toml by hand");
    }
    Ok(if report.is_complete() {
        exit::OK
    } else {
        exit::CONTENT
    })
}

/// The human-readable plan.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for p in &report.pairs {
        out.push_str(&format!(
            "paired    {}  score {:.3}\n          article {}\n          audio   {}\n",
            p.slug, p.score, p.article, p.audio
        ));
        if let Some(v) = &p.video {
            out.push_str(&format!("          video   {v}\n"));
        }
        for e in &p.evidence {
            out.push_str(&format!("            - {e}\n"));
        }
    }
    for a in &report.ambiguous {
        out.push_str(&format!(
            "ambiguous {} ({}): {}\n          article {}\n",
            a.slug, a.kind, a.reason, a.article
        ));
        if let Some(v) = &a.video {
            out.push_str(&format!("          video   {v} (decided)\n"));
        }
        for c in &a.candidates {
            let what = c.audio.clone().or(c.video.clone()).unwrap_or_default();
            let title = c
                .title
                .as_deref()
                .map(|t| format!(" \"{t}\""))
                .unwrap_or_default();
            out.push_str(&format!(
                "          ? {what}{title}  score {:.3}\n",
                c.score
            ));
            for e in &c.evidence {
                out.push_str(&format!("              - {e}\n"));
            }
        }
    }
    for u in &report.unpaired {
        let what = u
            .article
            .clone()
            .or(u.audio.clone())
            .or(u.video.clone())
            .unwrap_or_default();
        let title = u
            .title
            .as_deref()
            .map(|t| format!(" \"{t}\""))
            .unwrap_or_default();
        out.push_str(&format!(
            "unpaired  {} {what}{title}: {}\n",
            u.kind, u.reason
        ));
    }
    out
}
