//! `mspod publish`: build `feeds/` from the content folder.

use crate::cli::{PublishArgs, PublishFormat};
use crate::error::{Error, Result, exit};
use crate::lock::LOCK_FILE;
use crate::model::Policy;
use crate::pipeline::{self, Options, Outcome};
use crate::render::FEED_FILE;
use crate::ui::Ui;
use crate::validate::report::{format_github, format_text, github_annotation};
use crate::validate::{self, Severity};
use std::path::Path;

pub fn run(args: &PublishArgs, ui: &Ui) -> Result<i32> {
    let github = args.format == PublishFormat::Github;
    let result = publish_show(args, ui, github);
    if github && let Err(e) = &result {
        // A pull request shows each error on the file and line it is about.
        let text: String = e.flatten().into_iter().map(annotate_error).collect();
        crate::ui::print(&text)?;
    }
    result
}

/// A warning, for the log and (with `--format github`) as an annotation.
fn warn(ui: &Ui, github: bool, text: &str) {
    ui.warn(text);
    if github {
        // A closed stdout must not stop the publish: the warning is on stderr already.
        let _ = crate::ui::print(&annotate_text(Severity::Warning, text));
    }
}

/// An error as a workflow annotation on its file and line.
fn annotate_error(e: &Error) -> String {
    let (file, line, message) = match e {
        Error::Content {
            path,
            line,
            message,
        } => (Some(path.display().to_string()), *line, message.clone()),
        Error::Io { path, source } => (Some(path.display().to_string()), None, source.to_string()),
        other => (None, None, other.to_string()),
    };
    github_annotation(
        Severity::Error,
        file.as_deref(),
        line.map(|l| (l, None)),
        Some("mspod publish"),
        &message,
    )
}

/// Warnings are text that starts with the file they are about (`path: …`,
/// `path:line: …` or `path is …`); the annotation goes on that file when it exists.
fn annotate_text(severity: Severity, text: &str) -> String {
    let located = text
        .split_once(": ")
        .and_then(|(head, message)| {
            let (file, line) = match head.rsplit_once(':') {
                Some((file, line)) if line.parse::<usize>().is_ok() => (file, line.parse().ok()),
                _ => (head, None),
            };
            Path::new(file).is_file().then_some((file, line, message))
        })
        .or_else(|| {
            let (file, _) = text.split_once(' ')?;
            Path::new(file).is_file().then_some((file, None, text))
        });
    match located {
        Some((file, line, message)) => github_annotation(
            severity,
            Some(file),
            line.map(|l| (l, None)),
            Some("mspod publish"),
            message,
        ),
        None => github_annotation(severity, None, None, Some("mspod publish"), text),
    }
}

fn publish_show(args: &PublishArgs, ui: &Ui, github: bool) -> Result<i32> {
    // `feeds/…` reads better than `./feeds/…` in messages.
    let out_dir = if args.root == Path::new(".") {
        args.out.clone()
    } else {
        args.root.join(&args.out)
    };
    let options = Options {
        jobs: args.jobs,
        // --check compares every file, so it reuses nothing.
        no_cache: args.no_cache || args.check,
        check: args.check,
        out_dir: out_dir.clone(),
        policy: Policy {
            allow_enclosure_change: args.allow_enclosure_change,
            allow_removal: args.allow_removal,
            allow_date_change: args.allow_date_change,
            allow_future: args.allow_future,
            now: Some(chrono::Utc::now()),
        },
    };
    let published = pipeline::publish(&args.root, &options, ui)?;
    for w in &published.warnings {
        warn(ui, github, w);
    }
    let n = published.episodes;
    let feed = out_dir.join(FEED_FILE);
    match &published.outcome {
        Outcome::UpToDate => {
            ui.info(format!(
                "{} is up to date ({n} episode{}, {} KB feed; no input changed since the last publish)",
                out_dir.display(),
                plural(n),
                published.feed_bytes.div_ceil(1024)
            ));
            return Ok(exit::OK);
        }
        Outcome::Rejected | Outcome::Checked(_) | Outcome::Written(_) => {}
    }
    for note in &published.notes {
        ui.detail(format!("note: {note}"));
    }
    report_diagnostics(&published.diagnostics, &out_dir, ui, github)?;
    match &published.outcome {
        Outcome::Checked(problems) if problems.is_empty() => {
            ui.info(format!(
                "{} is up to date ({n} episodes)",
                out_dir.display()
            ));
            Ok(exit::OK)
        }
        Outcome::Checked(problems) => {
            for p in problems {
                eprintln!("stale: {p}");
                if github {
                    crate::ui::print(&annotate_text(Severity::Error, p))?;
                }
            }
            // A publish trusts size and modification time; a file edited with both put
            // back (`touch -r`, some restores) is only seen by a full rebuild.
            eprintln!(
                "{} is out of date: run `mspod publish` and commit the result (if it finds nothing to do, a file changed but kept its size and modification time: `mspod publish --no-cache` rebuilds everything)",
                out_dir.display()
            );
            Ok(exit::CONTENT)
        }
        Outcome::Written(written) => {
            for r in &written.recovered {
                ui.warn(r);
            }
            if published.lock_updated {
                ui.detail(format!("updated {}", args.root.join(LOCK_FILE).display()));
            }
            for p in &written.changed {
                ui.detail(format!("wrote {}", out_dir.join(p).display()));
            }
            for p in &written.removed {
                ui.info(format!("removed {}", out_dir.join(p).display()));
            }
            ui.info(format!(
                "published {n} episode{} to {} ({} KB feed; {} files changed, {} unchanged)",
                plural(n),
                feed.display(),
                published.feed_bytes.div_ceil(1024),
                written.changed.len(),
                written.unchanged.saturating_sub(1),
            ));
            Ok(exit::OK)
        }
        // report_diagnostics has failed already.
        Outcome::Rejected | Outcome::UpToDate => Ok(exit::CONTENT),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Prints what the validator found in the generated feed; errors stop the publish.
fn report_diagnostics(
    diagnostics: &[validate::Diagnostic],
    out_dir: &Path,
    ui: &Ui,
    github: bool,
) -> Result<()> {
    let shown: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info || ui.verbose)
        .cloned()
        .collect();
    let source = out_dir.join(FEED_FILE).display().to_string();
    if !shown.is_empty() && !ui.quiet {
        eprint!("{}", format_text(&source, &shown, ui.stderr_is_terminal));
    }
    if github {
        crate::ui::print(&format_github(&source, &shown))?;
    }
    if validate::fails(diagnostics, false) {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        return Err(Error::content(
            out_dir.join(FEED_FILE),
            format!(
                "the feed mspod generated has {errors} validation error(s) (above); nothing was written"
            ),
        ));
    }
    Ok(())
}
