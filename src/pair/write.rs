//! Writing `episodes/<slug>/episode.toml` for an accepted pair.
//!
//! A new episode folder gets copies of the article and the audio file
//! (`article.html|md`, `audio.<ext>`), so it is self-contained and builds
//! offline. An existing manifest is never rewritten: only keys it lacks are
//! added (above its first table, so `[[chapters]]` stay intact), and comments
//! and hand-edited values stay exactly as they were (`load`'s one writer,
//! [`ManifestDoc`], does the editing).

use crate::error::{Error, Result};
use crate::load::{EpisodeType, ManifestDoc, ManifestFile};
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

/// The first line of a manifest mspod writes.
const HEADER: &str =
    "Written by mspod. Edit freely: `mspod pair` only ever adds keys that are missing.";

/// Creates or completes `<episodes_dir>/<slug>/episode.toml`.
pub(crate) fn write_episode(episodes_dir: &Path, draft: &EpisodeDraft) -> Result<Written> {
    let dir = episodes_dir.join(&draft.slug);
    let path = dir.join(crate::load::MANIFEST_FILE);
    if path.is_file() {
        return update(&dir, &path, draft);
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    copy_into(
        &draft.article_file,
        &dir.join(article_name(&draft.article_file)),
    )?;
    copy_into(&draft.audio_file, &dir.join(audio_name(&draft.audio_file)))?;
    let mut doc = ManifestDoc::new(&path);
    doc.add_missing(&values(draft))?;
    doc.comment_above("article", HEADER);
    if draft.published.is_none() {
        doc.comment_above(
            "type",
            "published = \"…\"  # no date found in the article, video or audio tags: set it",
        );
    }
    doc.save()?;
    Ok(Written::Created)
}

/// The manifest's keys, in the model's order: article, article_url, audio,
/// youtube, published, type, paired_by.
fn values(draft: &EpisodeDraft) -> ManifestFile {
    ManifestFile {
        article: article_name(&draft.article_file).into(),
        article_url: draft.article_url.clone(),
        audio: audio_name(&draft.audio_file).into(),
        youtube: draft.youtube.clone(),
        published: draft.published.clone().map(toml::Value::String),
        kind: Some(EpisodeType::Full),
        paired_by: draft.paired_by.clone(),
        ..ManifestFile::default()
    }
}

fn update(dir: &Path, path: &Path, draft: &EpisodeDraft) -> Result<Written> {
    let mut doc = ManifestDoc::open(path)?;
    let added = doc.add_missing(&values(draft))?;
    // The paired_by of an existing episode describes how it was paired
    // then; a later run adding only that must not pretend otherwise.
    if added.iter().all(|k| k == "paired_by") {
        return Ok(Written::Unchanged);
    }
    for key in &added {
        match key.as_str() {
            "article" => copy_into(
                &draft.article_file,
                &dir.join(article_name(&draft.article_file)),
            )?,
            "audio" => copy_into(&draft.audio_file, &dir.join(audio_name(&draft.audio_file)))?,
            _ => {}
        }
    }
    doc.save()?;
    Ok(Written::Updated(added))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder with an article and an audio file to pair, and `episodes/`.
    fn inputs() -> (tempfile::TempDir, EpisodeDraft) {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("post.md"), "# Post\n").expect("article");
        std::fs::write(dir.path().join("Ep 1.MP3"), "ID3").expect("audio");
        let draft = EpisodeDraft {
            slug: "post".into(),
            article_file: dir.path().join("post.md"),
            article_url: "https://example.org/blog/post/".into(),
            audio_file: dir.path().join("Ep 1.MP3"),
            youtube: None,
            published: None,
            paired_by: Some("audio: score: file name equals the slug (+4.0) (0.999)".into()),
        };
        (dir, draft)
    }

    #[test]
    fn without_a_date_the_manifest_says_where_to_set_it_and_a_later_date_is_added() {
        let (dir, mut draft) = inputs();
        let episodes = dir.path().join("episodes");
        assert_eq!(
            write_episode(&episodes, &draft).expect("write"),
            Written::Created
        );
        let path = episodes.join("post/episode.toml");
        let first = std::fs::read_to_string(&path).expect("manifest");
        assert_eq!(
            first,
            "# Written by mspod. Edit freely: `mspod pair` only ever adds keys that are missing.\n\
             article = \"article.md\"\n\
             article_url = \"https://example.org/blog/post/\"\n\
             audio = \"audio.mp3\"\n\
             # published = \"…\"  # no date found in the article, video or audio tags: set it\n\
             type = \"full\"\n\
             paired_by = \"audio: score: file name equals the slug (+4.0) (0.999)\"\n"
        );
        assert_eq!(
            std::fs::read(episodes.join("post/audio.mp3")).expect("copy"),
            b"ID3"
        );
        // Nothing new: nothing written.
        assert_eq!(
            write_episode(&episodes, &draft).expect("again"),
            Written::Unchanged
        );
        // A date found later is added below the other keys; the note stays for a person to delete.
        draft.published = Some("2026-05-13T12:00:00Z".into());
        assert_eq!(
            write_episode(&episodes, &draft).expect("date"),
            Written::Updated(vec!["published".into()])
        );
        assert_eq!(
            std::fs::read_to_string(&path).expect("manifest"),
            format!("{first}published = \"2026-05-13T12:00:00Z\"\n")
        );
    }

    #[test]
    fn a_manifest_that_is_not_toml_is_not_touched() {
        let (dir, draft) = inputs();
        let folder = dir.path().join("episodes/post");
        std::fs::create_dir_all(&folder).expect("mkdir");
        std::fs::write(folder.join("episode.toml"), "article = \n").expect("write");
        let e = write_episode(&dir.path().join("episodes"), &draft)
            .expect_err("broken")
            .to_string();
        assert!(
            e.contains("episode.toml:1: column") && e.contains("cannot add keys"),
            "{e}"
        );
        assert_eq!(
            std::fs::read_to_string(folder.join("episode.toml")).expect("kept"),
            "article = \n"
        );
        assert!(!folder.join("article.md").exists());
    }

    #[test]
    fn names_of_copies() {
        assert_eq!(article_name(Path::new("x/Post.MD")), "article.md");
        assert_eq!(article_name(Path::new("x/post.htm")), "article.html");
        assert_eq!(audio_name(Path::new("x/Ep 1.MP3")), "audio.mp3");
    }
}
