//! `mspod publish`: build `feeds/` from the content folder.

use crate::cli::{PublishArgs, PublishFormat};
use crate::error::{Error, Result, exit};
use crate::incremental;
use crate::lock::LOCK_FILE;
use crate::model::Policy;
use crate::pipeline::{self, Built, Options};
use crate::publish;
use crate::render::FEED_FILE;
use crate::ui::Ui;
use crate::validate::report::{format_github, format_text, github_annotation};
use crate::validate::{self, Severity};
use std::path::{Path, PathBuf};

pub fn run(args: &PublishArgs, ui: &Ui) -> Result<i32> {
    let github = args.format == PublishFormat::Github;
    let result = publish_show(args, ui, github);
    if github && let Err(e) = &result {
        // A pull request shows each error on the file and line it is about.
        for e in e.flatten() {
            print!("{}", annotate_error(e));
        }
    }
    result
}

/// A warning, for the log and (with `--format github`) as an annotation.
fn warn(ui: &Ui, github: bool, text: &str) {
    ui.warn(text);
    if github {
        print!("{}", annotate_text(Severity::Warning, text));
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
        out_dir: out_dir.clone(),
        policy: Policy {
            allow_enclosure_change: args.allow_enclosure_change,
            allow_removal: args.allow_removal,
            allow_date_change: args.allow_date_change,
            allow_future: args.allow_future,
            now: Some(chrono::Utc::now()),
        },
    };
    let started = std::time::Instant::now();
    let content = crate::load::load(&args.root)?;
    let root = content.root.clone();
    // mspod's own files under the root are written (caches, even by --check) or read as
    // trusted: a link committed in their place would send them elsewhere.
    for own in [crate::fs::RUN_LOCK_FILE, LOCK_FILE] {
        crate::fs::refuse_symlinks(&root, Path::new(own))?;
    }
    // One publish at a time per content folder (--check writes nothing and needs none).
    let _run_lock = if args.check {
        None
    } else {
        Some(crate::fs::RunLock::acquire(&root)?)
    };
    if !args.check {
        for r in publish::recover(&out_dir)? {
            ui.warn(r);
        }
    }
    let policy = options.policy.fingerprint();
    let fingerprint = incremental::fingerprint(&content, &out_dir, &policy);
    ui.detail(format!(
        "{:>10}: {:.0} ms",
        "load",
        started.elapsed().as_secs_f64() * 1000.0
    ));

    // Leftovers of an interrupted publish must be finished or undone: never "up to date".
    if !args.no_cache
        && publish::leftovers(&out_dir).is_empty()
        && let Some(state) = incremental::up_to_date(&root, &fingerprint)
    {
        for w in &state.warnings {
            warn(ui, github, w);
        }
        ui.info(format!(
            "{} is up to date ({} episode{}, {} KB feed; no input changed since the last publish)",
            out_dir.display(),
            state.episodes,
            plural(state.episodes),
            state.feed_bytes.div_ceil(1024)
        ));
        return Ok(exit::OK);
    }

    // Episode files are written (new ones in place, the rest staged) as they are
    // rendered, so a publish never holds them all; the switch happens below, once
    // the feed has passed the validator. --check compares them all instead.
    let mut writer: Option<publish::Writer> = None;
    let built = if args.check {
        pipeline::build(&content, &options, ui)?
    } else {
        let mut sink = |files: Vec<crate::render::Output>| -> Result<()> {
            let w = match &mut writer {
                Some(w) => w,
                None => writer.insert(publish::Writer::begin(&out_dir)?),
            };
            w.add(&files)
        };
        let built = pipeline::build_with(&content, &options, ui, Some(&mut sink));
        match built {
            Ok(built) => built,
            Err(e) => {
                if let Some(w) = writer.take() {
                    w.abort();
                }
                return Err(e);
            }
        }
    };
    for w in &built.warnings {
        warn(ui, github, w);
    }
    for (_, _, reused) in &built.episodes {
        for note in &reused.notes {
            ui.detail(format!("note: {note}"));
        }
    }
    if let Err(e) = report_diagnostics(&built, &out_dir, ui, github) {
        if let Some(w) = writer.take() {
            w.abort();
        }
        return Err(e);
    }
    let feed_bytes = built.outputs.first().map_or(0, |o| o.bytes.len());
    let lock_path = root.join(LOCK_FILE);
    let lock_bytes = built.lock.to_bytes();

    if args.check {
        let mut problems =
            publish::check(&out_dir, &root.join(publish::INDEX_FILE), &built.outputs);
        if crate::fs::read_regular(&lock_path).ok().as_deref() != Some(lock_bytes.as_slice()) {
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
            if github {
                print!("{}", annotate_text(Severity::Error, p));
            }
        }
        eprintln!(
            "{} is out of date: run `mspod publish` and commit the result",
            out_dir.display()
        );
        return Ok(exit::CONTENT);
    }

    incremental::forget(&root);
    let lap = |stage: &str| {
        ui.detail(format!(
            "{stage:>10}: {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        ))
    };
    // The lock is written once every output is staged and before the feed changes:
    // a lock that cannot be written (a read-only folder) leaves the old feed in place.
    let mut lock_updated = false;
    let mut writer = match writer {
        Some(w) => w,
        None => publish::Writer::begin(&out_dir)?,
    };
    // The feed last: it must never point at notes that are not there yet.
    if let Err(e) = writer.add(&publish::ordered(&built.outputs)) {
        writer.abort();
        return Err(e);
    }
    let listed = built.files();
    let written = writer.commit(
        &root.join(publish::INDEX_FILE),
        &listed,
        built.kept.len(),
        || {
            lock_updated = publish::write_file_atomic(&lock_path, &lock_bytes)?;
            Ok(())
        },
    )?;
    lap("write");
    for r in &written.recovered {
        ui.warn(r);
    }
    if lock_updated {
        ui.detail(format!("updated {}", lock_path.display()));
    }
    for p in &written.changed {
        ui.detail(format!("wrote {}", out_dir.join(p).display()));
    }
    for p in &written.removed {
        ui.info(format!("removed {}", out_dir.join(p).display()));
    }
    let episodes = built.show.episodes.len();
    if let Err(e) =
        incremental::RenderCache::record(&root, &out_dir, &built.episodes, &built.previous_render)
    {
        ui.warn(format!(
            "cannot remember this publish's episodes for the next one: {e}"
        ));
    }
    let mut files: Vec<PathBuf> = listed.iter().map(|p| out_dir.join(p)).collect();
    files.push(root.join(publish::INDEX_FILE));
    files.push(lock_path);
    // Fingerprint again: the lock this publish wrote is one of the inputs of the next.
    let after = incremental::fingerprint(&content, &out_dir, &policy);
    if let Err(e) = incremental::record(
        &root,
        after,
        &files,
        built.warnings.clone(),
        episodes,
        feed_bytes,
    ) {
        ui.warn(format!(
            "cannot remember this publish for the next one: {e}"
        ));
    }
    lap("remember");
    ui.info(format!(
        "published {} episode{} to {} ({} KB feed; {} files changed, {} unchanged)",
        episodes,
        plural(episodes),
        out_dir.join(FEED_FILE).display(),
        feed_bytes.div_ceil(1024),
        written.changed.len(),
        written.unchanged.saturating_sub(1),
    ));
    Ok(exit::OK)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Prints what the validator found in the generated feed; errors stop the publish.
fn report_diagnostics(built: &Built, out_dir: &Path, ui: &Ui, github: bool) -> Result<()> {
    let shown: Vec<_> = built
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info || ui.verbose)
        .cloned()
        .collect();
    let source = out_dir.join(FEED_FILE).display().to_string();
    if !shown.is_empty() && !ui.quiet {
        eprint!("{}", format_text(&source, &shown, ui.stderr_is_terminal));
    }
    if github {
        print!("{}", format_github(&source, &shown));
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
    Ok(())
}
