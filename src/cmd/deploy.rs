//! `mspod deploy`: upload, verify, notify.

use crate::cli::{DeployArgs, PairFormat};
use crate::deploy::{self, Action, Options, describe_target};
use crate::error::{Error, Result, exit};
use crate::load::CONFIG_FILE;
use crate::notify;
use crate::ui::Ui;
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct JsonReport<'a> {
    feed_target: String,
    media_target: String,
    #[serde(flatten)]
    report: &'a deploy::Report,
    notified: &'a [notify::Outcome],
}

pub fn run(args: &DeployArgs, ui: &Ui) -> Result<i32> {
    let out_dir = if args.root == Path::new(".") {
        args.out.clone()
    } else {
        args.root.join(&args.out)
    };
    let content = crate::load::load(&args.root)?;
    let Some(cfg) = content.config.deploy.clone() else {
        return Err(Error::Usage(format!(
            "{}: no [deploy] table: add `feed = \"s3://bucket/prefix/\"` and `media = \"s3://bucket/prefix/\"` (see README, \"Deploy\")",
            args.root.join(CONFIG_FILE).display()
        )));
    };
    let options = Options {
        out_dir,
        dry_run: args.dry_run,
        prune: args.prune,
        allow_removal: args.allow_removal,
        verify: !args.no_verify,
        jobs: args.jobs,
    };
    let json = args.format == PairFormat::Json;
    let (report, failed) = deploy::run(&content, &cfg, &options, ui)?;
    if let Some(error) = failed {
        // Scripts still learn what went up before the failure.
        if json {
            print_json(&cfg, &report, &[])?;
        }
        return Err(error);
    }
    for w in &report.warnings {
        ui.warn(w);
    }
    for w in &report.verify_warnings {
        ui.warn(format!("verify: {w}"));
    }

    let notify_cfg = &content.config.notify;
    let mut notified = Vec::new();
    if !args.dry_run && !args.no_notify && notify::configured(notify_cfg) {
        if !report.feed_changed {
            ui.detail("notify: the feed did not change; nobody to tell");
        } else if !report.verified {
            ui.warn("notify: skipped (--no-verify: the public feed was not checked)");
        } else if !report.verify_warnings.is_empty() {
            ui.warn(
                "notify: skipped: the public URLs do not serve what was uploaded yet (above); run deploy again once they do",
            );
        } else {
            notified = notify::send(notify_cfg, &content.config.show.feed_url);
            for n in &notified {
                if n.ok {
                    ui.info(format!("notified {} {}: {}", n.service, n.url, n.message));
                } else {
                    ui.warn(format!("notify {} {}: {}", n.service, n.url, n.message));
                }
            }
        }
    }

    if json {
        print_json(&cfg, &report, &notified)?;
        return Ok(exit::OK);
    }
    print_text(&report, args.dry_run, ui)?;
    Ok(exit::OK)
}

fn print_json(
    cfg: &crate::load::DeployConfig,
    report: &deploy::Report,
    notified: &[notify::Outcome],
) -> Result<()> {
    let out = JsonReport {
        feed_target: describe_target(&cfg.feed),
        media_target: describe_target(&cfg.media),
        report,
        notified,
    };
    let text = serde_json::to_string_pretty(&out)
        .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?;
    crate::ui::print(&format!("{text}\n"))
}

fn print_text(report: &deploy::Report, dry_run: bool, ui: &Ui) -> Result<()> {
    for s in &report.steps {
        let show = dry_run || s.action != Action::Skip || ui.verbose;
        if !show || ui.quiet {
            continue;
        }
        let kind = s.kind.map_or("", |k| k.as_str());
        crate::ui::print(&format!(
            "{:<7} {:<11} {:>10}  {}  ({})\n",
            s.action.as_str(),
            kind,
            if s.action == Action::Upload || s.action == Action::Skip {
                human_bytes(s.bytes)
            } else {
                String::new()
            },
            s.location,
            s.reason
        ))?;
    }
    let verb = if dry_run { "would upload" } else { "uploaded" };
    ui.info(format!(
        "{verb} {} file{} ({}), {} unchanged{}",
        report.uploaded,
        if report.uploaded == 1 { "" } else { "s" },
        human_bytes(report.upload_bytes),
        report.skipped,
        match (dry_run, report.deleted) {
            (_, 0) => String::new(),
            (true, n) => format!(", would delete {n}"),
            (false, n) => format!(", deleted {n}"),
        }
    ));
    if report.verified && report.verify_warnings.is_empty() {
        let uploaded = |kind| {
            report
                .steps
                .iter()
                .filter(|s| s.action == Action::Upload && s.kind == Some(kind))
                .count()
        };
        let mut said = "verified: the public feed URL serves the uploaded feed".to_string();
        match uploaded(deploy::Kind::Media) {
            0 => {}
            n => said.push_str(&format!(
                "; {n} new or changed enclosure{} answer{} 200/206 with the right type and length",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" }
            )),
        }
        match uploaded(deploy::Kind::Art) {
            0 => {}
            n => said.push_str(&format!(
                "; {n} artwork file{} with the right type",
                if n == 1 { "" } else { "s" }
            )),
        }
        ui.info(said);
    }
    Ok(())
}

fn human_bytes(n: u64) -> String {
    if n < 10_000 {
        format!("{n} B")
    } else if n < 10_000_000 {
        format!("{} KB", n.div_ceil(1000))
    } else {
        format!("{:.1} MB", n as f64 / 1e6)
    }
}
