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
    let new_bytes = crate::fs::read(&new_path)?;
    let new = diff::parse(&new_bytes, &new_path.display().to_string())
        .map_err(|m| Error::content(&new_path, m))?
        .with_pages(
            &new_path.display().to_string(),
            &|url| read_page(&out_dir, url),
            &|m| Error::content(&new_path, m),
        )?;
    let invalid = |m: String| Error::Usage(format!("--base {m}"));
    let old = match base_bytes(args, ui)? {
        Some(bytes) => diff::parse(&bytes, &args.base)
            .map_err(invalid)?
            .with_pages(&args.base, &|url| base_page(args, url), &invalid)?,
        None => diff::Feed::default(),
    };
    let d = diff::compare(&old, &new);
    match args.format {
        DiffFormat::Text => crate::ui::print(&diff::to_text(&d))?,
        DiffFormat::Markdown => crate::ui::print(&diff::to_markdown(&d))?,
        DiffFormat::Json => crate::ui::print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&d)
                .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?
        ))?,
    }
    Ok(exit::OK)
}

/// A page of a paged feed (`podcast-2.xml`, …) beside the first one.
fn read_page(dir: &Path, url: &str) -> Result<Option<Vec<u8>>> {
    let name = url.rsplit('/').next().unwrap_or(url);
    if name.is_empty() || name.contains("..") {
        return Ok(None);
    }
    crate::fs::read_if_exists(dir.join(name))
}

/// A later page of the base feed, from wherever the base came from.
fn base_page(args: &DiffArgs, url: &str) -> Result<Option<Vec<u8>>> {
    let base = args.base.as_str();
    if base.starts_with("http://") || base.starts_with("https://") {
        return http::get(url, Limits::default()).map(|f| Some(f.bytes));
    }
    let as_path = Path::new(base);
    if as_path.is_dir() {
        return read_page(as_path, url);
    }
    if as_path.is_file() {
        return read_page(as_path.parent().unwrap_or(Path::new(".")), url);
    }
    let name = url.rsplit('/').next().unwrap_or(url);
    git_show(args, base, name)
}

/// `git show REF:./<out>/<name>`; `None` when the ref has no such file.
fn git_show(args: &DiffArgs, base: &str, name: &str) -> Result<Option<Vec<u8>>> {
    let spec = format!("{base}:./{}/{name}", args.out.display());
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(&args.root)
        .args(["show", &spec])
        .output()
        .map_err(|e| {
            // git missing or not runnable: the machine's failure, not the --base value's.
            Error::io(
                "git",
                std::io::Error::new(e.kind(), format!("cannot run it for --base {base}: {e}")),
            )
        })?;
    if output.status.success() {
        return Ok(Some(output.stdout));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("does not exist in") || stderr.contains("exists on disk, but not in") {
        return Ok(None);
    }
    Err(Error::Usage(format!(
        "--base {base}: not a folder, feed file, URL or git ref with a feed ({})",
        stderr.trim()
    )))
}

/// The base feed's bytes; `None` when the ref has no feed yet (a first publish).
fn base_bytes(args: &DiffArgs, ui: &Ui) -> Result<Option<Vec<u8>>> {
    let base = args.base.as_str();
    if base.starts_with("http://") || base.starts_with("https://") {
        return http::get(base, Limits::default()).map(|f| Some(f.bytes));
    }
    let as_path = Path::new(base);
    if as_path.is_dir() {
        return crate::fs::read(as_path.join(FEED_FILE)).map(Some);
    }
    if as_path.is_file() {
        return crate::fs::read(as_path).map(Some);
    }
    // A git ref: the feed as committed there.
    let found = git_show(args, base, FEED_FILE)?;
    if found.is_none() {
        ui.info(format!(
            "{base} has no published feed: every episode is new"
        ));
    }
    Ok(found)
}
