//! `mspod import FEED`: adopt an existing podcast's identities into mspod.lock.

use crate::cli::ImportArgs;
use crate::error::{Error, Result, exit};
use crate::fs::write_file_atomic;
use crate::http::{self, Limits};
use crate::import;
use crate::lock::{LOCK_FILE, Lock};
use crate::ui::Ui;

pub fn run(args: &ImportArgs, ui: &Ui) -> Result<i32> {
    let content = crate::load::load(&args.root)?;
    // It writes mspod.lock, which a publish running at the same time also writes.
    let _run_lock = if args.dry_run {
        None
    } else {
        Some(crate::fs::RunLock::acquire(&content.root)?)
    };
    let bytes = http::read_source(&args.feed, Limits::from_env())?;
    let channel = rss::Channel::read_from(bytes.as_slice())
        .map_err(|e| Error::content(&args.feed, format!("not a readable RSS feed: {e}")))?;
    let report = import::adopt(&content, &channel);

    let mut lock = Lock::load(&content.root)?;
    let conflicts = import::merge(&mut lock, &report.adopted);

    for a in &report.adopted {
        crate::ui::print(&format!(
            "adopted  {:<32} guid {}  ({})\n",
            a.slug,
            a.entry.guid,
            a.evidence.join(", ")
        ))?;
    }
    for (title, guid) in &report.unmatched_items {
        crate::ui::print(&format!(
            "no episode for feed item \"{title}\" (guid {guid}): publishing would drop it from the feed\n"
        ))?;
    }
    for slug in &report.unmatched_episodes {
        crate::ui::print(&format!(
            "no feed item for episode `{slug}`: it will be published as new\n"
        ))?;
    }
    for p in report.problems.iter().chain(&conflicts) {
        ui.warn(p);
    }
    if !args.dry_run && !report.adopted.is_empty() {
        let path = content.root.join(LOCK_FILE);
        write_file_atomic(&path, &lock.to_bytes())?;
        ui.info(format!(
            "recorded {} episodes in {}",
            report.adopted.len(),
            path.display()
        ));
    }
    let clean =
        report.unmatched_items.is_empty() && report.problems.is_empty() && conflicts.is_empty();
    Ok(if clean { exit::OK } else { exit::CONTENT })
}
