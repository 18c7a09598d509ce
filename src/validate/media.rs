//! `--media DIR` (and `publish`): cross-checks each item's declared enclosure length,
//! type and `itunes:duration` against the local audio file.
//!
//! An enclosure URL maps to a file by trying the URL path's suffixes under DIR, longest
//! first: `https://cdn/x/ep1/audio.mp3` → `DIR/x/ep1/audio.mp3`, `DIR/ep1/audio.mp3`,
//! `DIR/audio.mp3`. The size comes from the file system; type and duration from
//! [`crate::media::probe`], whose failure is a warning, never a crash.

use super::common::{item_label, value};
use super::diag::{Diagnostic, Diags};
use super::values::transcript::{transcript_parse_problem, transcript_problem};
use super::values::{DurationCheck, check_duration, mime_essence, short};
use super::xml::{self, Completed, Node, Ns};
use std::path::{Path, PathBuf};

/// Seconds of disagreement tolerated between itunes:duration (whole seconds) and the file.
const DURATION_TOLERANCE: f64 = 2.0;

/// How to read an audio file's metadata: [`crate::media::probe`], or publish's cache.
pub type Probe<'a> = &'a (dyn Fn(&Path) -> Result<crate::media::MediaInfo, String> + Sync);

/// Checks every item of a feed against the files under `media_dir`.
pub fn check_media_reader(bytes: &[u8], media_dir: &Path) -> Vec<Diagnostic> {
    check_media_with(bytes, media_dir, &|p: &Path| {
        crate::media::probe(p).map_err(|e| e.to_string())
    })
}

/// Like [`check_media_reader`], reading metadata through `probe`.
pub fn check_media_with(bytes: &[u8], media_dir: &Path, probe: Probe<'_>) -> Vec<Diagnostic> {
    let mut xml_diags = Diags::new();
    let mut diags = Diags::new();
    xml::walk(bytes, &mut xml_diags, |done, _| {
        if let Completed::Item(item) = done {
            diags.item = item_label(&item);
            check_item(&item, media_dir, probe, &mut diags);
            check_alternates(&item, media_dir, &mut diags);
            diags.item = None;
        }
    });
    diags.finish()
}

/// The per-item form of [`check_media_with`]: one `<item>…</item>` as the writer
/// produced it, positions relative to the item (as in [`super::incremental`]), every
/// problem in the order found (a publisher caches this per episode).
pub fn check_item_media(item_xml: &[u8], media_dir: &Path, probe: Probe<'_>) -> Vec<Diagnostic> {
    let mut diags = Diags::uncapped();
    let mut xml_diags = Diags::uncapped();
    let scope = super::incremental::ItemScope::writer_ref();
    super::incremental::walk_item(item_xml, scope, &mut xml_diags, |item| {
        diags.item = item_label(item);
        check_item(item, media_dir, probe, &mut diags);
        check_alternates(item, media_dir, &mut diags);
        diags.item = None;
    });
    diags.into_list()
}

/// What [`check_media_with`] reports on a feed, from each item's [`check_item_media`]
/// in feed order with the (line, column) where the item starts.
pub fn combine_item_media(items: &[(usize, usize, &[Diagnostic])]) -> Vec<Diagnostic> {
    let mut diags = Diags::new();
    for (line, column, list) in items {
        for d in *list {
            diags.push_diagnostic(super::incremental::placed(d, (*line, *column)));
        }
    }
    diags.finish()
}

/// The local file for an enclosure URL, if one of its path suffixes exists under `dir`.
pub fn local_file(url: &str, dir: &Path) -> Option<PathBuf> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let segments: Vec<String> = parsed
        .path_segments()?
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    (0..segments.len()).find_map(|start| {
        let rel: PathBuf = segments[start..].iter().collect();
        // Never leave DIR: no `..` or absolute components from a URL.
        if segments[start..]
            .iter()
            .any(|s| s == ".." || s.contains(['/', '\\']))
        {
            return None;
        }
        let candidate = dir.join(rel);
        candidate.is_file().then_some(candidate)
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(v) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Types that name the same file format.
fn same_type(a: &str, b: &str) -> bool {
    fn group(t: &str) -> &str {
        match t {
            "audio/mp4" | "audio/x-m4a" | "audio/m4a" => "m4a",
            "audio/mpeg" | "audio/mp3" => "mp3",
            "audio/ogg" | "application/ogg" => "ogg",
            "audio/wav" | "audio/x-wav" | "audio/wave" => "wav",
            "audio/flac" | "audio/x-flac" => "flac",
            other => other,
        }
    }
    group(a) == group(b)
}

/// Transcripts whose URL maps to a local file are checked against their declared
/// type. One not found locally is not reported: during `publish` the transcripts
/// are outputs, not yet under the media folder.
fn check_transcripts(item: &Node, dir: &Path, diags: &mut Diags) {
    for t in item.children_named(Ns::Podcast, "transcript") {
        let (Some(url), Some(mime)) = (t.attr("url"), t.attr("type")) else {
            continue;
        };
        let Some(path) = local_file(url, dir) else {
            continue;
        };
        let problem = match std::fs::read(&path) {
            Ok(body) => transcript_problem(&body, mime)
                .err()
                .or_else(|| transcript_parse_problem(&body, &mime_essence(mime))),
            Err(e) => Some(e.to_string()),
        };
        if let Some(problem) = problem {
            diags.push(
                "media/transcript-type",
                t,
                format!(
                    "<podcast:transcript type=\"{}\">: {}: {problem}",
                    short(mime),
                    path.display()
                ),
            );
        }
    }
}

fn check_item(item: &Node, dir: &Path, probe: Probe<'_>, diags: &mut Diags) {
    check_transcripts(item, dir, diags);
    let Some(enc) = item.child(Ns::None, "enclosure") else {
        return;
    };
    let Some(url) = enc.attr("url") else { return };
    let Some(path) = local_file(url, dir) else {
        diags.push(
            "media/missing-file",
            enc,
            format!(
                "no file under {} matches <enclosure url=\"{}\">; tried the URL path's suffixes",
                dir.display(),
                short(url)
            ),
        );
        return;
    };
    let size = match std::fs::metadata(&path) {
        Ok(m) => m.len(),
        Err(e) => {
            diags.push(
                "media/probe-failed",
                enc,
                format!("{}: {e}", path.display()),
            );
            return;
        }
    };
    if let Some(length) = enc
        .attr("length")
        .and_then(|l| l.trim().parse::<u64>().ok())
        && length != size
    {
        diags.push(
            "media/length",
            enc,
            format!(
                "<enclosure length=\"{length}\"> but {} is {size} bytes; write length=\"{size}\"",
                path.display()
            ),
        );
    }
    match probe(&path) {
        Err(e) => diags.push(
            "media/probe-failed",
            enc,
            format!(
                "{}: cannot read the audio ({e}); type and duration not checked",
                path.display()
            ),
        ),
        Ok(info) => {
            if let Some(t) = enc.attr("type") {
                let declared = mime_essence(t);
                if !same_type(&declared, &mime_essence(&info.mime)) {
                    diags.push(
                        "media/type",
                        enc,
                        format!(
                            "<enclosure type=\"{t}\"> but {} is {}; write type=\"{}\"",
                            path.display(),
                            info.mime,
                            info.mime
                        ),
                    );
                }
            }
            if let Some(d) = item.child(Ns::Itunes, "duration") {
                let declared = match check_duration(value(d)) {
                    DurationCheck::Ok(s) | DurationCheck::MinutesSeconds(s) => Some(s as f64),
                    _ => None,
                };
                if let Some(declared) = declared
                    && (declared - info.duration).abs() > DURATION_TOLERANCE
                {
                    diags.push("media/duration", d, format!("<itunes:duration> says {declared:.0} s but {} lasts {:.1} s; write {:.0}", path.display(), info.duration, info.duration.round()));
                }
            }
        }
    }
}

/// Each `podcast:alternateEnclosure` whose source maps to a local file: its `length` is
/// the file's size and its SRI `podcast:integrity` the file's digest (apps that check it
/// refuse a file that does not match).
fn check_alternates(item: &Node, dir: &Path, diags: &mut Diags) {
    for alt in item.children_named(Ns::Podcast, "alternateEnclosure") {
        let Some(path) = alt
            .children_named(Ns::Podcast, "source")
            .filter_map(|s| s.attr("uri"))
            .find_map(|u| local_file(u, dir))
        else {
            continue;
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                diags.push(
                    "media/probe-failed",
                    alt,
                    format!("{}: {e}", path.display()),
                );
                continue;
            }
        };
        if let Some(length) = alt
            .attr("length")
            .and_then(|l| l.trim().parse::<u64>().ok())
            && length != bytes.len() as u64
        {
            diags.push(
                "media/alternate-enclosure",
                alt,
                format!(
                    "<podcast:alternateEnclosure length=\"{length}\"> but {} is {} bytes",
                    path.display(),
                    bytes.len()
                ),
            );
        }
        for i in alt.children_named(Ns::Podcast, "integrity") {
            if i.attr("type") != Some("sri") {
                continue;
            }
            let declared = i.attr("value").unwrap_or("").trim();
            let actual = match declared.split_once('-').map(|(alg, _)| alg) {
                Some("sha256") => Some(sri::<sha2::Sha256>("sha256", &bytes)),
                Some("sha384") => Some(sri::<sha2::Sha384>("sha384", &bytes)),
                Some("sha512") => Some(sri::<sha2::Sha512>("sha512", &bytes)),
                _ => None,
            };
            if let Some(actual) = actual.filter(|a| a != declared) {
                diags.push(
                    "media/alternate-enclosure",
                    i,
                    format!(
                        "<podcast:integrity value=\"{}\"> does not match {} ({actual}); apps that check it refuse the file",
                        short(declared),
                        path.display()
                    ),
                );
            }
        }
    }
}

fn sri<D: sha2::Digest>(alg: &str, bytes: &[u8]) -> String {
    format!("{alg}-{}", crate::media::base64(&D::digest(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_never_splits_characters() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("%é%"), "%é%");
    }

    #[test]
    fn urls_map_to_files_by_path_suffix_and_never_leave_the_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("ep1")).expect("mkdir");
        std::fs::write(dir.path().join("ep1/audio.mp3"), b"x").expect("write");
        let found = local_file(
            "https://cdn.example.com/shows/ep1/audio.mp3?x=1",
            dir.path(),
        );
        assert_eq!(found, Some(dir.path().join("ep1/audio.mp3")));
        assert_eq!(
            local_file("https://cdn.example.com/%2e%2e/ep1/other.mp3", dir.path()),
            None
        );
    }
}
