//! `mspod.lock`: the identity of every published episode, frozen.
//!
//! Written only by mspod, sorted by slug, committed by users. Once an episode
//! is published its GUID, first pubDate and enclosure URL stay the same when
//! the folder is renamed, the title edited, episodes reordered or the audio
//! re-encoded. This module reads and writes the file and matches episodes
//! to entries; the model (stage 4) applies the result.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub(crate) const LOCK_FILE: &str = "mspod.lock";

/// How much of the lock is read at a time.
const BLOCK: usize = 4 << 20;
const HEADER: &str = "# mspod.lock: written by mspod; commit it.\n\
# It freezes each published episode's identity: the GUID, the first pubDate and the\n\
# enclosure URL never change once published (see README, \"The lockfile\").\n\n";

/// The whole lockfile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    pub version: u32,
    #[serde(default, rename = "episode")]
    pub episodes: Vec<Entry>,
}

/// One published episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The episode folder it was last published from.
    pub slug: String,
    /// `<guid>`, forever.
    pub guid: String,
    /// `<pubDate>` of the first publication, RFC 3339.
    pub pub_date: String,
    /// `<enclosure url>` as listeners' apps know it.
    pub enclosure_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_url: Option<String>,
    /// SHA-256 of the audio file last published (a re-encode changes it, not the GUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    /// How the episode's article, audio and video were paired: `manifest`,
    /// `import`, or what `mspod pair` decided.
    pub paired_by: String,
}

impl Lock {
    /// Reads `mspod.lock` under `root`; no file is an empty lock.
    pub fn load(root: &Path) -> Result<Lock> {
        let path = root.join(LOCK_FILE);
        // A FIFO in its place must not hang the run: open only a regular file.
        let file = match crate::fs::open_regular(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Lock::new()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let lock = match parse_by_entry(&file, BLOCK).map_err(|e| Error::io(&path, e))? {
            Some(lock) => lock,
            None => {
                let text = crate::fs::read_to_string(&path)?;
                parse_whole(&text, &path)?
            }
        };
        if lock.version != 1 {
            return Err(Error::content(
                &path,
                format!("unsupported lockfile version {}", lock.version),
            ));
        }
        Ok(lock)
    }

    pub fn new() -> Lock {
        Lock {
            version: 1,
            episodes: Vec::new(),
        }
    }

    /// The file's bytes: header, then entries sorted by slug.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing to memory cannot fail.
        let _ = self.write_to(&mut out);
        out
    }

    /// [`Lock::to_bytes`] written a table at a time (a copy of the whole lock and its
    /// text, 150 MB at 100,000 episodes, is never made). The same text as serializing
    /// the whole document: entries have only plain keys.
    pub fn write_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut order: Vec<&Entry> = self.episodes.iter().collect();
        order.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.guid.cmp(&b.guid)));
        writeln!(w, "{HEADER}version = {}", self.version)?;
        if order.is_empty() {
            // How an empty array of tables is written.
            w.write_all(b"episode = []\n")?;
        }
        for entry in order {
            let table = toml::to_string(entry).map_err(std::io::Error::other)?;
            write!(w, "\n[[episode]]\n{table}")?;
        }
        Ok(())
    }
}

/// The lock read a block of lines at a time and parsed one `[[episode]]` table at a
/// time (a block's tables in parallel): parsing the whole document at once holds about
/// fifteen times the text in memory, 50 MB for a 10,000-episode lock, and the text itself
/// is 38 MB at 100,000 (never held whole here). `None` when any piece does not parse on
/// its own (a lock edited by hand, a table header written another way, not UTF-8):
/// [`parse_whole`] then parses it all and says exactly where a problem is.
fn parse_by_entry(file: &std::fs::File, block: usize) -> std::io::Result<Option<Lock>> {
    use rayon::prelude::*;
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Head {
        version: u32,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct One {
        episode: Vec<Entry>,
    }
    fn table(text: &[u8]) -> Option<Entry> {
        let one: One = toml::from_str(std::str::from_utf8(text).ok()?).ok()?;
        let [entry]: [Entry; 1] = one.episode.try_into().ok()?;
        Some(entry)
    }
    const TABLE: &[u8] = b"[[episode]]";
    let mut version: Option<u32> = None;
    let mut episodes: Vec<Entry> = Vec::new();
    // The head, then each table, until the next table's header shows where it ends.
    let mut open: Vec<u8> = Vec::new();
    let mut parsed = true;
    // Ends the piece in `open`: the head (the text before the first table) or a table.
    fn close(open: &[u8], version: &mut Option<u32>, episodes: &mut Vec<Entry>) -> bool {
        match version {
            None => std::str::from_utf8(open)
                .ok()
                .and_then(|t| toml::from_str::<Head>(t).ok())
                .map(|h| *version = Some(h.version))
                .is_some(),
            Some(_) => table(open).map(|e| episodes.push(e)).is_some(),
        }
    }
    let size = file.metadata()?.len();
    crate::fs::line_blocks_of(file, 0, block, |_, lines| {
        // Table headers at the start of a line (a block starts at one).
        let starts: Vec<usize> = memchr::memmem::find_iter(lines, TABLE)
            .filter(|&at| at == 0 || lines[at - 1] == b'\n')
            .collect();
        let Some((&first, &last)) = starts.first().zip(starts.last()) else {
            open.extend_from_slice(lines);
            return true;
        };
        open.extend_from_slice(&lines[..first]);
        if !close(&open, &mut version, &mut episodes) {
            parsed = false;
            return false;
        }
        let tables: Option<Vec<Entry>> = starts
            .par_windows(2)
            .map(|w| table(&lines[w[0]..w[1]]))
            .collect();
        let Some(tables) = tables else {
            parsed = false;
            return false;
        };
        if episodes.capacity() == 0 && !tables.is_empty() {
            // As many entries as this block's make the whole file, and some more.
            let per = (last - first) / tables.len();
            episodes.reserve(size as usize / per.max(1) + 16);
        }
        episodes.extend(tables);
        open.clear();
        open.extend_from_slice(&lines[last..]);
        true
    })?;
    let complete = parsed && close(&open, &mut version, &mut episodes);
    Ok(complete.then(|| Lock {
        version: version.unwrap_or_default(),
        episodes,
    }))
}

/// The lock's text parsed as one document, for the error's line.
fn parse_whole(text: &str, path: &Path) -> Result<Lock> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        Error::Content {
            path: path.to_path_buf(),
            line,
            message: format!(
                "{} (mspod.lock is written by mspod: restore it from version control)",
                e.message().trim()
            ),
        }
    })
}

/// A date as the lock records it (`pub_date`): RFC 3339 in UTC, whole seconds.
pub(crate) fn date(d: &chrono::DateTime<chrono::FixedOffset>) -> String {
    d.with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// What an episode offers for matching against the lock.
#[derive(Debug, Clone)]
pub(crate) struct Key<'a> {
    pub slug: &'a str,
    pub article_url: &'a str,
    pub audio_sha256: Option<&'a str>,
    pub video: Option<&'a str>,
}

/// Matches episodes to lock entries, each entry at most once: by slug, then
/// article URL, then audio hash, then video id — so a renamed folder, an edited
/// title or a re-encoded file still finds its entry. Returns, per key, the
/// index of its entry.
pub(crate) fn matches(lock: &Lock, keys: &[Key<'_>]) -> Vec<Option<usize>> {
    use std::collections::HashMap;
    let mut taken = vec![false; lock.episodes.len()];
    let mut result = vec![None; keys.len()];
    type EntryKey = for<'e> fn(&'e Entry) -> Option<&'e str>;
    type KeyKey = for<'k> fn(&Key<'k>) -> Option<&'k str>;
    let rules: [(EntryKey, KeyKey); 4] = [
        (|e| Some(e.slug.as_str()), |k| Some(k.slug)),
        (|e| e.article_url.as_deref(), |k| Some(k.article_url)),
        (|e| e.audio_sha256.as_deref(), |k| k.audio_sha256),
        (|e| e.video.as_deref(), |k| k.video),
    ];
    for (entry_key, key_key) in rules {
        // Index the free entries by this rule's value: linear, not entries × keys.
        let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in lock.episodes.iter().enumerate() {
            if !taken[i]
                && let Some(v) = entry_key(e)
            {
                index.entry(v).or_default().push(i);
            }
        }
        let candidates: Vec<&[usize]> = keys
            .iter()
            .enumerate()
            .map(|(ki, key)| match (result[ki], key_key(key)) {
                (None, Some(v)) => index.get(v).map_or(&[][..], Vec::as_slice),
                _ => &[][..],
            })
            .collect();
        let mut claims = vec![0usize; lock.episodes.len()];
        for c in &candidates {
            for &i in *c {
                claims[i] += 1;
            }
        }
        // Only a one-to-one match counts: two episodes sharing an audio hash inherit nothing.
        for (ki, c) in candidates.iter().enumerate() {
            if let [only] = c
                && claims[*only] == 1
            {
                taken[*only] = true;
                result[ki] = Some(*only);
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`parse_by_entry`] of `text`, read in blocks of a few bytes (a table cut by every
    /// block's end) and of the size `load` reads: both must agree.
    fn parse_by_entry_of(text: &str) -> Option<Lock> {
        use std::io::Write as _;
        let mut file = tempfile::tempfile().expect("tempfile");
        file.write_all(text.as_bytes()).expect("written");
        let small = parse_by_entry(&file, 7).expect("read");
        let large = parse_by_entry(&file, BLOCK).expect("read");
        assert_eq!(small, large, "read in blocks of 7 bytes and of {BLOCK}");
        large
    }

    #[test]
    fn lock_dates_are_utc_to_the_second() {
        let d =
            chrono::DateTime::parse_from_rfc3339("2026-05-06T09:00:00.750-04:00").expect("date");
        assert_eq!(date(&d), "2026-05-06T13:00:00Z");
    }

    #[test]
    fn a_lock_parsed_entry_by_entry_equals_the_whole_document() {
        let lock = two_entries();
        let text = String::from_utf8(lock.to_bytes()).expect("utf-8");
        let path = Path::new("mspod.lock");
        assert_eq!(parse_by_entry_of(&text), Some(lock.clone()));
        assert_eq!(parse_whole(&text, path).ok(), Some(lock));
        // Written another way by hand: the whole document is parsed instead, with
        // the same result or the same error.
        let inline = "version = 1\nepisode = [{ slug = \"a\", guid = \"g\", pub_date = \"d\", enclosure_url = \"u\", paired_by = \"manifest\" }]\n";
        assert_eq!(parse_by_entry_of(inline), None);
        assert_eq!(
            parse_whole(inline, path).map(|l| l.episodes.len()).ok(),
            Some(1)
        );
        let cut = &text[..text.len() - 10];
        assert_eq!(parse_by_entry_of(cut), None);
        let error = parse_whole(cut, path).expect_err("cut short").to_string();
        assert!(error.starts_with("mspod.lock:"), "{error}");
        assert_eq!(parse_by_entry_of(""), None, "a lock says its version");
    }

    mod by_entry {
        use super::*;
        use proptest::prelude::*;

        // Values with what could fool a line-based split: newlines, quotes, table headers.
        fn text() -> impl Strategy<Value = String> {
            "([a-z0-9\"'#= ]|\n|\\\\|\\[\\[episode\\]\\]|\n\\[\\[episode\\]\\]\n){0,12}"
        }

        fn entry() -> impl Strategy<Value = Entry> {
            (
                text(),
                text(),
                text(),
                proptest::option::of(text()),
                proptest::option::of(0u64..9),
            )
                .prop_map(|(slug, guid, url, article, bytes)| Entry {
                    slug,
                    guid,
                    pub_date: "2026-01-01T00:00:00Z".into(),
                    enclosure_url: url,
                    article_url: article,
                    audio_sha256: None,
                    audio_bytes: bytes,
                    video: None,
                    paired_by: "manifest".into(),
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            /// Whatever a lock holds, reading it entry by entry gives what mspod wrote, or
            /// declines (and the whole document is read): never another lock.
            #[test]
            fn reads_what_was_written(episodes in proptest::collection::vec(entry(), 0..5)) {
                let mut lock = Lock { version: 1, episodes };
                let text = String::from_utf8(lock.to_bytes()).expect("utf-8");
                // Written sorted by slug, then guid.
                lock.episodes
                    .sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.guid.cmp(&b.guid)));
                prop_assert_eq!(parse_whole(&text, Path::new("mspod.lock")).ok(), Some(lock.clone()));
                // Written a table at a time, the same text as the whole document serialized.
                let whole = format!("{HEADER}{}", toml::to_string(&lock).unwrap_or_default());
                prop_assert_eq!(&text, &whole);
                if let Some(read) = parse_by_entry_of(&text) {
                    prop_assert_eq!(read, lock);
                }
            }

            /// Cut anywhere: entry by entry agrees with the whole document or declines.
            #[test]
            fn a_damaged_lock_reads_as_the_whole_document_says(
                episodes in proptest::collection::vec(entry(), 1..4),
                cut in 0usize..2000,
            ) {
                let text = String::from_utf8(Lock { version: 1, episodes }.to_bytes()).expect("utf-8");
                let mut at = cut.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let damaged = &text[..at];
                if let Some(read) = parse_by_entry_of(damaged) {
                    prop_assert_eq!(Some(read), parse_whole(damaged, Path::new("mspod.lock")).ok());
                }
            }
        }
    }

    fn two_entries() -> Lock {
        Lock {
            version: 1,
            episodes: vec![
                entry("a", "https://e/a", "h1", "AAAAAAAAAAA"),
                entry("b", "https://e/b", "h2", "BBBBBBBBBBB"),
            ],
        }
    }

    fn entry(slug: &str, article: &str, sha: &str, video: &str) -> Entry {
        Entry {
            slug: slug.into(),
            guid: format!("guid-{slug}"),
            pub_date: "2026-01-01T00:00:00Z".into(),
            enclosure_url: format!("https://m.example/{slug}.mp3"),
            article_url: Some(article.into()),
            audio_sha256: Some(sha.into()),
            audio_bytes: Some(1),
            video: Some(video.into()),
            paired_by: "manifest".into(),
        }
    }

    #[test]
    fn renamed_edited_and_reencoded_episodes_keep_their_entries() {
        let lock = two_entries();
        let keys = [
            // b's folder renamed to c; same article.
            Key {
                slug: "c",
                article_url: "https://e/b",
                audio_sha256: Some("h9"),
                video: None,
            },
            // a re-encoded (new hash), same slug.
            Key {
                slug: "a",
                article_url: "https://e/a2",
                audio_sha256: Some("h8"),
                video: None,
            },
            // brand new
            Key {
                slug: "d",
                article_url: "https://e/d",
                audio_sha256: Some("h7"),
                video: Some("DDDDDDDDDDD"),
            },
        ];
        assert_eq!(matches(&lock, &keys), [Some(1), Some(0), None]);
    }

    #[test]
    fn an_entry_is_matched_once() {
        let lock = Lock {
            version: 1,
            episodes: vec![entry("a", "https://e/a", "h1", "V0000000000")],
        };
        let keys = [
            Key {
                slug: "x",
                article_url: "https://e/x",
                audio_sha256: Some("h1"),
                video: None,
            },
            Key {
                slug: "y",
                article_url: "https://e/y",
                audio_sha256: Some("h1"),
                video: None,
            },
        ];
        assert_eq!(
            matches(&lock, &keys),
            [None, None],
            "two episodes with one audio hash: neither inherits the GUID"
        );
    }

    #[test]
    fn tables_written_one_at_a_time_are_the_whole_document_serialized() {
        let mut full = entry("b", "u", "h", "v");
        full.article_url = Some("https://e.org/a \"quoted\"".into());
        full.audio_bytes = Some(12);
        full.video = Some("dQw4w9WgXcQ".into());
        for episodes in [vec![], vec![full, entry("a", "u2", "h2", "v2")]] {
            let mut lock = Lock {
                version: 1,
                episodes,
            };
            let streamed = lock.to_bytes();
            lock.episodes.sort_by(|a, b| a.slug.cmp(&b.slug));
            let whole = format!("{HEADER}{}", toml::to_string(&lock).unwrap_or_default());
            assert_eq!(String::from_utf8_lossy(&streamed), whole);
        }
    }

    #[test]
    fn bytes_are_sorted_and_round_trip() -> Result<()> {
        let lock = Lock {
            version: 1,
            episodes: vec![entry("b", "u", "h", "v"), entry("a", "u2", "h2", "v2")],
        };
        let text = String::from_utf8(lock.to_bytes()).unwrap_or_default();
        assert!(text.find("slug = \"a\"") < text.find("slug = \"b\""));
        let dir = tempfile::tempdir().map_err(|e| Error::io("tmp", e))?;
        crate::fs::write_new(dir.path().join(LOCK_FILE), &text)?;
        let back = Lock::load(dir.path())?;
        assert_eq!(back.to_bytes(), lock.to_bytes());
        Ok(())
    }
}
