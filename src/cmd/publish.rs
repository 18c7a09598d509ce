//! `mspod publish`: build `feeds/` from the content folder.

use crate::cli::PublishArgs;
use crate::error::{Error, Result, exit};
use crate::lock::LOCK_FILE;
use crate::model::Policy;
use crate::pipeline::{self, Options};
use crate::publish;
use crate::render::FEED_FILE;
use crate::ui::Ui;
use crate::validate::{self, Severity, report::format_text};

pub fn run(args: &PublishArgs, ui: &Ui) -> Result<i32> {
    // `feeds/…` reads better than `./feeds/…` in messages.
    let out_dir = if args.root == std::path::Path::new(".") {
        args.out.clone()
    } else {
        args.root.join(&args.out)
    };
    let options = Options {
        jobs: args.jobs,
        no_cache: args.no_cache,
        policy: Policy {
            allow_enclosure_change: args.allow_enclosure_change,
            allow_removal: args.allow_removal,
        },
    };
    let built = pipeline::build(&args.root, &options, ui)?;
    for w in &built.warnings {
        ui.warn(w);
    }
    let feed_bytes = built.outputs.first().map_or(0, |o| o.bytes.len());

    // mspod's own feed goes through the validator like anyone's.
    let shown: Vec<_> = built
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info || ui.verbose)
        .cloned()
        .collect();
    if !shown.is_empty() && !ui.quiet {
        eprint!(
            "{}",
            format_text(
                &out_dir.join(FEED_FILE).display().to_string(),
                &shown,
                ui.stderr_is_terminal
            )
        );
    }
    if validate::fails(&built.diagnostics, false) {
        let errors = built
            .diagnostics
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

    let lock_path = built.root.join(LOCK_FILE);
    let lock_bytes = built.lock.to_bytes();
    if args.check {
        let mut problems = publish::check(&out_dir, &built.outputs);
        if std::fs::read(&lock_path).ok().as_deref() != Some(lock_bytes.as_slice()) {
            problems.push(format!(
                "{} does not match the feed (publish records new or changed episodes in it)",
                lock_path.display()
            ));
        }
        if problems.is_empty() {
            ui.info(format!(
                "{} is up to date ({} episodes)",
                out_dir.display(),
                built.show.episodes.len()
            ));
            return Ok(exit::OK);
        }
        for p in &problems {
            eprintln!("stale: {p}");
        }
        eprintln!(
            "{} is out of date: run `mspod publish` and commit the result",
            out_dir.display()
        );
        return Ok(exit::CONTENT);
    }

    let written = publish::write(&out_dir, &built.outputs)?;
    // The lock goes last: it records what the feed now says.
    if publish::write_file_atomic(&lock_path, &lock_bytes)? {
        ui.detail(format!("updated {}", lock_path.display()));
    }
    for p in &written.changed {
        ui.detail(format!("wrote {}", out_dir.join(p).display()));
    }
    for p in &written.removed {
        ui.info(format!("removed {}", out_dir.join(p).display()));
    }
    ui.info(format!(
        "published {} episode{} to {} ({} KB feed; {} files changed, {} unchanged)",
        built.show.episodes.len(),
        if built.show.episodes.len() == 1 {
            ""
        } else {
            "s"
        },
        out_dir.join(FEED_FILE).display(),
        feed_bytes.div_ceil(1024),
        written.changed.len(),
        written.unchanged.saturating_sub(1),
    ));
    Ok(exit::OK)
}
