//! The one writer of `episode.toml` (`mspod pair`, `mspod new`).
//!
//! Values come from the file's serde model ([`ManifestFile`]), so the TOML
//! library quotes every one of them; the file is edited with `toml_edit`, so a
//! manifest a person wrote keeps its comments, key order and spelling of
//! values byte for byte: keys are only ever added.

use super::manifest::ManifestFile;
use super::toml_error::line_column;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use toml_edit::DocumentMut;

/// One `episode.toml` being written: a new file, or an existing one being completed.
#[derive(Debug)]
pub(crate) struct ManifestDoc {
    path: PathBuf,
    doc: DocumentMut,
}

impl ManifestDoc {
    /// A new, empty manifest, to be saved at `path`.
    pub(crate) fn new(path: &Path) -> ManifestDoc {
        ManifestDoc {
            path: path.to_path_buf(),
            doc: DocumentMut::new(),
        }
    }

    /// An existing manifest. It only has to be TOML: its keys are `load`'s to check.
    pub(crate) fn open(path: &Path) -> Result<ManifestDoc> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let doc = text.parse::<DocumentMut>().map_err(|e| {
            let message = format!("cannot add keys to it: {}", e.message().trim());
            match e.span() {
                Some(span) => {
                    let (line, column) = line_column(&text, span.start);
                    Error::content_at(path, line, format!("column {column}: {message}"))
                }
                None => Error::content(path, message),
            }
        })?;
        Ok(ManifestDoc {
            path: path.to_path_buf(),
            doc,
        })
    }

    /// Adds every key `values` sets that the file lacks, in the model's order,
    /// after the file's own top-level keys (so `[[chapters]]` and any comment
    /// introducing them stay below). Returns the names of the keys added.
    pub(crate) fn add_missing(&mut self, values: &ManifestFile) -> Result<Vec<String>> {
        let text = toml::to_string(values)
            .map_err(|e| Error::content(&self.path, format!("cannot write it: {e}")))?;
        let fresh = text
            .parse::<DocumentMut>()
            .map_err(|e| Error::content(&self.path, format!("cannot write it: {e}")))?;
        let mut added = Vec::new();
        for (key, item) in fresh.iter() {
            if !self.doc.contains_key(key) {
                self.doc.insert(key, item.clone());
                added.push(key.to_string());
            }
        }
        Ok(added)
    }

    /// Puts `comment` (one or more lines, without `# `) on the lines above `key`,
    /// before any comment already there. Nothing happens if the file lacks `key`.
    pub(crate) fn comment_above(&mut self, key: &str, comment: &str) {
        let Some(mut key) = self.doc.key_mut(key) else {
            return;
        };
        let decor = key.leaf_decor_mut();
        let before = decor
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or_default()
            .to_string();
        let lines: String = comment.lines().map(|l| format!("# {l}\n")).collect();
        decor.set_prefix(format!("{lines}{before}"));
    }

    /// The file's text as it will be saved.
    pub(crate) fn text(&self) -> String {
        self.doc.to_string()
    }

    /// Writes the file through the one atomic writer.
    pub(crate) fn save(&self) -> Result<()> {
        crate::fs::write_file_atomic(&self.path, self.text().as_bytes()).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::EpisodeType;

    fn values() -> ManifestFile {
        ManifestFile {
            article: "article.md".into(),
            article_url: "https://example.org/blog/a/".into(),
            audio: "audio.mp3".into(),
            youtube: Some("https://www.youtube.com/watch?v=Gp4nT8wLqZc".into()),
            published: Some(toml::Value::String("2026-05-13T12:00:00Z".into())),
            kind: Some(EpisodeType::Full),
            paired_by: Some("audio: score: file name equals the slug (+4.0) (0.999)".into()),
            ..ManifestFile::default()
        }
    }

    fn opened(text: &str) -> ManifestDoc {
        ManifestDoc {
            path: PathBuf::from("episode.toml"),
            doc: text.parse().expect("toml"),
        }
    }

    #[test]
    fn a_new_manifest_lists_the_set_keys_in_the_models_order() {
        let mut doc = ManifestDoc::new(Path::new("episode.toml"));
        let added = doc.add_missing(&values()).expect("write");
        assert_eq!(
            added,
            [
                "article",
                "article_url",
                "audio",
                "youtube",
                "published",
                "type",
                "paired_by"
            ]
        );
        doc.comment_above("article", "Written by mspod.");
        assert_eq!(
            doc.text(),
            "# Written by mspod.\n\
             article = \"article.md\"\n\
             article_url = \"https://example.org/blog/a/\"\n\
             audio = \"audio.mp3\"\n\
             youtube = \"https://www.youtube.com/watch?v=Gp4nT8wLqZc\"\n\
             published = \"2026-05-13T12:00:00Z\"\n\
             type = \"full\"\n\
             paired_by = \"audio: score: file name equals the slug (+4.0) (0.999)\"\n"
        );
    }

    #[test]
    fn an_existing_manifest_keeps_every_byte_and_gains_only_missing_keys() {
        let text = "# A note on top.\narticle = 'article.md'   # literal string, kept\n\
                    article_url = \"https://example.org/blog/a/\"\naudio=\"audio.mp3\"\n\
                    title = \"\"\"Grounding, \"explained\"\"\"\"\n\n# chapters by hand\n\
                    [[chapters]]\nstart = \"0:00\"\ntitle = \"Intro\"\n";
        let mut doc = opened(text);
        let added = doc.add_missing(&values()).expect("write");
        assert_eq!(added, ["youtube", "published", "type", "paired_by"]);
        let out = doc.text();
        let (head, tail) = text.split_at(text.find("\n# chapters").expect("table"));
        assert!(out.starts_with(head), "{out}");
        assert!(out.ends_with(tail), "{out}");
        assert_eq!(
            &out[head.len()..out.len() - tail.len()],
            "youtube = \"https://www.youtube.com/watch?v=Gp4nT8wLqZc\"\n\
             published = \"2026-05-13T12:00:00Z\"\ntype = \"full\"\n\
             paired_by = \"audio: score: file name equals the slug (+4.0) (0.999)\"\n"
        );
        // Nothing is missing any more: a second pass adds nothing.
        let mut again = opened(&out);
        assert_eq!(
            again.add_missing(&values()).expect("write"),
            Vec::<String>::new()
        );
        assert_eq!(again.text(), out);
    }

    #[test]
    fn a_file_without_a_final_newline_or_with_a_trailing_comment_is_completed() {
        let only = ManifestFile {
            youtube: Some("https://www.youtube.com/watch?v=Gp4nT8wLqZc".into()),
            ..values()
        };
        let mut doc = opened(
            "article = \"a.md\"\narticle_url = \"https://e.org/\"\naudio = \"a.mp3\"\npublished = \"2026-05-13T12:00:00Z\"\ntype = \"full\"\npaired_by = \"x\"",
        );
        assert_eq!(doc.add_missing(&only).expect("write"), ["youtube"]);
        assert!(
            doc.text().ends_with(
                "paired_by = \"x\"\nyoutube = \"https://www.youtube.com/watch?v=Gp4nT8wLqZc\"\n"
            ),
            "{}",
            doc.text()
        );
        let mut doc = opened("article = \"a.md\"\n# the end\n");
        doc.add_missing(&only).expect("write");
        let text = doc.text();
        assert!(
            text.starts_with("article = \"a.md\"\narticle_url = "),
            "{text}"
        );
        assert!(text.contains("\n# the end\n"), "{text}");
    }

    #[test]
    fn odd_strings_are_quoted_by_the_toml_library_and_read_back_the_same() {
        let odd = [
            "plain",
            "a \"quoted\" word",
            "back\\slash and C:\\path",
            "line one\nline two",
            "tab\there and \r carriage",
            "unicode: é ü 日本 🎙️ and \u{7f} \u{1} controls",
            "three quotes \"\"\" inside",
            "three apostrophes ''' inside",
            "both ' and \" and \\",
            "",
        ];
        for s in odd {
            let mut v = values();
            v.paired_by = Some(s.to_string());
            v.title = Some(format!("{s} (title)"));
            let mut doc = opened("# kept\narticle = \"x.md\"\n");
            doc.add_missing(&v).expect("write");
            let text = doc.text();
            assert!(text.starts_with("# kept\narticle = \"x.md\"\n"), "{text}");
            let back: ManifestFile = toml::from_str(&text).expect("valid TOML");
            assert_eq!(back.paired_by.as_deref(), Some(s), "{text}");
            assert_eq!(back.title, Some(format!("{s} (title)")), "{text}");
        }
    }

    #[test]
    fn a_broken_file_is_refused_with_its_line() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("episode.toml");
        std::fs::write(&path, "article = \"a.md\"\naudio = = 1\n").expect("write");
        let e = ManifestDoc::open(&path).expect_err("broken").to_string();
        assert!(
            e.contains("episode.toml:2: column ") && e.contains("cannot add keys to it"),
            "{e}"
        );
    }
}

#[cfg(test)]
mod round_trip {
    use super::*;
    use crate::load::tags::{Location, OneOrMany, RawSoundbite};
    use crate::load::{EpisodeType, manifest};

    /// Every kind of key the model has, written and then loaded as publish loads it.
    #[test]
    fn a_written_manifest_loads_to_the_values_it_was_given() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().canonicalize().expect("root");
        let ep = root.join("episodes").join("ep");
        std::fs::create_dir_all(&ep).expect("mkdir");
        for f in ["article.md", "audio.mp3"] {
            std::fs::write(ep.join(f), "x").expect("file");
        }
        let odd = "Grounding, \"explained\" \\ with\nnewline, é and \"\"\"";
        let values = ManifestFile {
            article: "article.md".into(),
            article_url: "https://example.org/blog/ep/?a=1&b=\"2\"".into(),
            audio: "audio.mp3".into(),
            audio_url: Some("https://cdn.example.org/ep.mp3".into()),
            youtube: Some("https://youtu.be/Gp4nT8wLqZc".into()),
            published: Some(toml::Value::String("2026-05-06T09:00:00-04:00".into())),
            season: Some(2),
            number: Some(7),
            kind: Some(EpisodeType::Bonus),
            explicit: Some(true),
            title: Some(odd.into()),
            summary: Some(format!("{odd}\nsecond line")),
            guid: Some("urn:x:'quoted'".into()),
            chapters: vec![
                manifest::RawChapter {
                    start: toml::Value::String("1:02".into()),
                    title: odd.into(),
                    url: Some("https://example.org/c".into()),
                },
                manifest::RawChapter {
                    start: toml::Value::Integer(0),
                    title: "Intro".into(),
                    url: None,
                },
            ],
            paired_by: Some(odd.into()),
            people: vec!["dana".into()],
            block: true,
            soundbite: vec![RawSoundbite {
                start: toml::Value::Float(12.5),
                duration: 30.0,
                title: odd.into(),
            }],
            location: Some(OneOrMany::One(Location {
                name: "Atlanta, \"GA\"".into(),
                geo: Some("geo:33.749,-84.388".into()),
                osm: None,
                country: None,
                rel: Some("creator".into()),
            })),
            allow_truncated: true,
            ..ManifestFile::default()
        };
        let path = ep.join("episode.toml");
        let mut doc = ManifestDoc::new(&path);
        doc.add_missing(&values).expect("write");
        doc.comment_above("article", "Written by a test.");
        doc.save().expect("save");

        let m = manifest::read(&ep, &ep, &manifest::Folder::list(&ep), &root)
            .expect("load reads what was written");
        assert_eq!(m.article, ep.join("article.md"));
        assert_eq!(m.article_url, values.article_url);
        assert_eq!(m.audio_url, values.audio_url);
        assert_eq!(m.youtube.map(|v| v.to_string()), Some("Gp4nT8wLqZc".into()));
        assert_eq!(m.published.to_rfc3339(), "2026-05-06T09:00:00-04:00");
        assert_eq!(
            (m.season, m.number, m.kind),
            (Some(2), Some(7), EpisodeType::Bonus)
        );
        assert_eq!(m.explicit, Some(true));
        assert_eq!(m.title.as_deref(), Some(odd));
        assert_eq!(m.summary, values.summary);
        assert_eq!(m.guid, values.guid);
        let chapters: Vec<(f64, &str, Option<&str>)> = m
            .chapters
            .iter()
            .map(|c| (c.start, c.title.as_str(), c.url.as_deref()))
            .collect();
        assert_eq!(
            chapters,
            [
                (0.0, "Intro", None),
                (62.0, odd, Some("https://example.org/c"))
            ]
        );
        assert_eq!(m.paired_by.as_deref(), Some(odd));
        assert_eq!(m.tags.people, ["dana"]);
        assert!(m.tags.block && m.allow_truncated);
        assert_eq!(
            m.tags
                .soundbites
                .iter()
                .map(|s| (s.start, s.duration, s.title.as_str()))
                .collect::<Vec<_>>(),
            [(12.5, 30.0, odd)]
        );
        assert_eq!(m.tags.location.len(), 1);
        assert_eq!(m.tags.location[0].name, "Atlanta, \"GA\"");
        assert_eq!(m.tags.location[0].rel.as_deref(), Some("creator"));

        // And the serde model reads back exactly what it wrote.
        let back = crate::load::read_manifest_file(&path).expect("model");
        assert_eq!(
            toml::to_string(&back).expect("ser"),
            toml::to_string(&values).expect("ser")
        );
    }
}
