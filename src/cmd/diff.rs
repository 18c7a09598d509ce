//! `mspod diff`: the published feed against a base (git ref, folder, file or URL).

use crate::cli::{DiffArgs, DiffFormat};
use crate::diff;
use crate::error::{Error, Result, exit};
use crate::http::{self, Limits};
use crate::render::FEED_FILE;
use crate::ui::Ui;
use std::path::Path;

pub fn run(args: &DiffArgs, ui: &Ui) -> Result<i32> {
    let out_dir = if args.root == Path::new(".") {
        args.out.clone()
    } else {
        args.root.join(&args.out)
    };
    let new_path = out_dir.join(FEED_FILE);
    let new_bytes = std::fs::read(&new_path).map_err(|e| Error::io(&new_path, e))?;
    let new = diff::parse(&new_bytes, &new_path.display().to_string())
        .map_err(|m| Error::content(&new_path, m))?;
    let old = match base_bytes(args, ui)? {
        Some(bytes) => {
            diff::parse(&bytes, &args.base).map_err(|m| Error::Usage(format!("--base {m}")))?
        }
        None => diff::Feed::default(),
    };
    let d = diff::compare(&old, &new);
    match args.format {
        DiffFormat::Text => print!("{}", diff::to_text(&d)),
        DiffFormat::Markdown => print!("{}", diff::to_markdown(&d)),
        DiffFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&d)
                .map_err(|e| Error::Usage(format!("cannot write JSON: {e}")))?
        ),
    }
    Ok(exit::OK)
}

/// The base feed's bytes; `None` when the ref has no feed yet (a first publish).
fn base_bytes(args: &DiffArgs, ui: &Ui) -> Result<Option<Vec<u8>>> {
    let base = args.base.as_str();
    if base.starts_with("http://") || base.starts_with("https://") {
        return http::get(base, Limits::default()).map(|f| Some(f.bytes));
    }
    let as_path = Path::new(base);
    if as_path.is_dir() {
        let p = as_path.join(FEED_FILE);
        return std::fs::read(&p).map(Some).map_err(|e| Error::io(&p, e));
    }
    if as_path.is_file() {
        return std::fs::read(as_path)
            .map(Some)
            .map_err(|e| Error::io(as_path, e));
    }
    // A git ref: the feed as committed there. `./` makes the path relative to --root.
    let spec = format!("{base}:./{}/{FEED_FILE}", args.out.display());
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(&args.root)
        .args(["show", &spec])
        .output()
        .map_err(|e| Error::Usage(format!("--base {base}: cannot run git ({e})")))?;
    if output.status.success() {
        return Ok(Some(output.stdout));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("does not exist in") || stderr.contains("exists on disk, but not in") {
        ui.info(format!(
            "{base} has no published feed: every episode is new"
        ));
        return Ok(None);
    }
    Err(Error::Usage(format!(
        "--base {base}: not a folder, feed file, URL or git ref with a feed ({})",
        stderr.trim()
    )))
}
