//! Downloading an article page (for `--articles LIST` and `mspod new URL`):
//! only HTML or Markdown is accepted, within the client's size cap, timeout
//! and redirect limit, and the page is saved so later builds need no network.

use crate::http::retry::Http;
use std::path::{Path, PathBuf};

/// A downloaded page.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub text: String,
    /// `html` or `md`, from the content type.
    pub extension: &'static str,
}

/// GETs an article page. Anything but a 200 with an HTML or Markdown body is an error.
pub(crate) fn fetch(http: &Http, url: &str) -> Result<Page, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("only http and https URLs can be downloaded".into());
    }
    let r = http.get(url)?;
    if r.status != 200 {
        return Err(format!("HTTP {}", r.status));
    }
    let path = parsed.path().to_ascii_lowercase();
    let markdown_name = path.ends_with(".md") || path.ends_with(".markdown");
    let extension = match r.content_type.as_deref() {
        Some("text/html" | "application/xhtml+xml") => "html",
        Some("text/markdown" | "text/x-markdown") => "md",
        Some("text/plain") if markdown_name => "md",
        other => {
            return Err(format!(
                "expected an HTML or Markdown page, got {}",
                other.unwrap_or("no content type")
            ));
        }
    };
    // Saved as UTF-8 whatever the page was sent in: later reads need no header.
    let text = crate::article::decode(&r.body, extension == "md", r.charset.as_deref())?;
    Ok(Page { text, extension })
}

/// Saves a page as `<dir>/<stem>.<ext>` and returns the path.
pub(crate) fn save(page: &Page, dir: &Path, stem: &str) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("{stem}.{}", page.extension));
    std::fs::write(&path, &page.text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}
