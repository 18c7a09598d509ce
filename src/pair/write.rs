//! Writing `episodes/<slug>/episode.toml` for an accepted pair.
//!
//! A new episode folder gets copies of the article and the audio file
//! (`article.html|md`, `audio.<ext>`), so it is self-contained and builds
//! offline. An existing manifest is never rewritten: only keys it lacks are
//! added (above its first table, so `[[chapters]]` stay intact), and comments
//! and hand-edited values stay exactly as they were.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// What one episode's manifest should say.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EpisodeDraft {
    pub slug: String,
    pub article_file: PathBuf,
    pub article_url: String,
    pub audio_file: PathBuf,
    /// The canonical watch URL.
    pub youtube: Option<String>,
    /// RFC 3339; `None` when no date was found anywhere.
    pub published: Option<String>,
    pub paired_by: Option<String>,
}

/// What happened to one episode folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Written {
    Created,
    /// Keys added to an existing manifest.
    Updated(Vec<String>),
    Unchanged,
}

/// The file name the article is copied to: `article.md` for Markdown, else `article.html`.
pub(crate) fn article_name(source: &Path) -> &'static str {
    let ext = source
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(ext.as_str(), "md" | "markdown") {
        "article.md"
    } else {
        "article.html"
    }
}

/// The file name the audio is copied to: `audio.<ext>`, extension lower-cased.
pub(crate) fn audio_name(source: &Path) -> String {
    let ext = source
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_else(|| "mp3".into());
    format!("audio.{ext}")
}

/// Creates or completes `<episodes_dir>/<slug>/episode.toml`.
pub(crate) fn write_episode(episodes_dir: &Path, draft: &EpisodeDraft) -> Result<Written> {
    let dir = episodes_dir.join(&draft.slug);
    let manifest = dir.join(crate::load::MANIFEST_FILE);
    if manifest.is_file() {
        return update(&dir, &manifest, draft);
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let article = article_name(&draft.article_file);
    let audio = audio_name(&draft.audio_file);
    copy_into(&draft.article_file, &dir.join(article))?;
    copy_into(&draft.audio_file, &dir.join(&audio))?;
    let mut text = String::from(
        "# Written by mspod. Edit freely: `mspod pair` only ever adds keys that are missing.\n",
    );
    for (key, value) in lines(draft, article, &audio) {
        text.push_str(&value.map_or_else(
            || {
                format!(
                    "# {key} = \"…\"  # no date found in the article, video or audio tags: set it\n"
                )
            },
            |v| format!("{key} = {}\n", quote(&v)),
        ));
    }
    write_atomic(&manifest, &text)?;
    Ok(Written::Created)
}

/// The manifest's keys in order; `None` values are written as a comment to fill in.
fn lines(draft: &EpisodeDraft, article: &str, audio: &str) -> Vec<(&'static str, Option<String>)> {
    let mut out = vec![
        ("article", Some(article.to_string())),
        ("article_url", Some(draft.article_url.clone())),
        ("audio", Some(audio.to_string())),
    ];
    if let Some(y) = &draft.youtube {
        out.push(("youtube", Some(y.clone())));
    }
    out.push(("published", draft.published.clone()));
    out.push(("type", Some("full".into())));
    if let Some(p) = &draft.paired_by {
        out.push(("paired_by", Some(p.clone())));
    }
    out
}

fn update(dir: &Path, manifest: &Path, draft: &EpisodeDraft) -> Result<Written> {
    let text = std::fs::read_to_string(manifest).map_err(|e| Error::io(manifest, e))?;
    let table: toml::Table = toml::from_str(&text)
        .map_err(|e| Error::content(manifest, format!("cannot complete it: {}", e.message())))?;
    let mut added = Vec::new();
    let mut new_lines = String::new();
    let article = article_name(&draft.article_file);
    let audio = audio_name(&draft.audio_file);
    for (key, value) in lines(draft, article, &audio) {
        if table.contains_key(key) {
            continue;
        }
        // The paired_by of an existing episode describes how it was paired
        // then; a later run adding a video must not pretend otherwise.
        if key == "paired_by" && added.is_empty() {
            continue;
        }
        let Some(value) = value else { continue };
        match key {
            "article" => copy_into(&draft.article_file, &dir.join(article))?,
            "audio" => copy_into(&draft.audio_file, &dir.join(&audio))?,
            _ => {}
        }
        new_lines.push_str(&format!("{key} = {}\n", quote(&value)));
        added.push(key.to_string());
    }
    if added.is_empty() {
        return Ok(Written::Unchanged);
    }
    write_atomic(manifest, &insert_top_level(&text, &new_lines))?;
    Ok(Written::Updated(added))
}

/// Inserts `lines` after the last top-level key, before the first `[table]`
/// or `[[array]]` header, so the new keys stay top-level.
fn insert_top_level(text: &str, lines: &str) -> String {
    let mut offset = 0;
    let mut header_at = None;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            header_at = Some(offset);
            break;
        }
        offset += line.len();
    }
    match header_at {
        Some(at) => {
            // Keep a blank line or comment block that introduces the table with the table.
            let before = &text[..at];
            let mut cut = before.len();
            for line in before.split_inclusive('\n').rev() {
                let t = line.trim();
                if t.is_empty() || t.starts_with('#') {
                    cut -= line.len();
                } else {
                    break;
                }
            }
            format!("{}{}{}", &text[..cut], lines, &text[cut..])
        }
        None => {
            let mut out = text.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(lines);
            out
        }
    }
}

/// A TOML basic string (always double-quoted, so manifests look alike).
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Copies `from` to `to`; an existing identical file is fine, a different one is an error.
fn copy_into(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        let same = std::fs::read(from).ok() == std::fs::read(to).ok();
        if same {
            return Ok(());
        }
        return Err(Error::content(
            to,
            format!(
                "already exists and differs from {}: move one of them away",
                from.display()
            ),
        ));
    }
    std::fs::copy(from, to).map_err(|e| Error::io(from, e))?;
    Ok(())
}

/// Through the one atomic writer (temp file beside it, then rename).
fn write_atomic(path: &Path, text: &str) -> Result<()> {
    crate::fs::write_file_atomic(path, text.as_bytes()).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_keys_go_before_the_first_table_and_its_comment() {
        let text = "article = \"a.md\"\n# hand note\ntitle = \"T\"\n\n# chapters by hand\n[[chapters]]\nstart = 0\ntitle = \"x\"\n";
        let out = insert_top_level(text, "youtube = \"y\"\n");
        assert_eq!(
            out,
            "article = \"a.md\"\n# hand note\ntitle = \"T\"\nyoutube = \"y\"\n\n# chapters by hand\n[[chapters]]\nstart = 0\ntitle = \"x\"\n"
        );
        assert_eq!(insert_top_level("a = 1", "b = 2\n"), "a = 1\nb = 2\n");
    }

    #[test]
    fn names_of_copies() {
        assert_eq!(article_name(Path::new("x/Post.MD")), "article.md");
        assert_eq!(article_name(Path::new("x/post.htm")), "article.html");
        assert_eq!(audio_name(Path::new("x/Ep 1.MP3")), "audio.mp3");
    }

    #[test]
    fn quoting_escapes() {
        assert_eq!(quote("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(quote("line\nnext"), r#""line\nnext""#);
        let back: toml::Table =
            toml::from_str(&format!("k = {}", quote("é \" \\ \u{1}"))).expect("valid TOML");
        assert_eq!(back["k"].as_str(), Some("é \" \\ \u{1}"));
    }
}
