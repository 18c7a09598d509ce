//! Adopting an existing podcast: match the items of its current feed to the
//! episodes in `episodes/` and record their GUIDs, pubDates and enclosure URLs
//! in mspod.lock, so the first feed mspod publishes changes nothing that
//! listeners' apps use to recognise an episode.

use crate::article;
use crate::load::{Content, Manifest};
use crate::lock::{self, Entry, Lock};
use crate::youtube;
use chrono::DateTime;

/// One feed item matched to one episode.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Adopted {
    pub slug: String,
    pub entry: Entry,
    /// Why they were matched, strongest evidence first.
    pub evidence: Vec<String>,
}

/// The outcome of matching a feed to the content folder.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub adopted: Vec<Adopted>,
    /// Feed items no episode claimed (title, guid).
    pub unmatched_items: Vec<(String, String)>,
    /// Episodes no feed item matched.
    pub unmatched_episodes: Vec<String>,
    /// Problems that stopped an item from being adopted.
    pub problems: Vec<String>,
}

/// One episode as matching sees it: its manifest, and the two values derived
/// from it once rather than once per feed item. Not another model of an
/// episode: what is adopted is a [`lock::Entry`](Entry).
struct Candidate<'a> {
    manifest: &'a Manifest,
    /// [`Manifest::enclosure_url`] under the show's `media_base_url`.
    enclosure_url: String,
    /// The manifest's title, else the article's.
    title: Option<String>,
}

/// Matches `channel`'s items to `content`'s episodes, one to one.
pub(crate) fn adopt(content: &Content, channel: &rss::Channel) -> Report {
    let episodes: Vec<Candidate<'_>> = content
        .manifests
        .iter()
        .map(|m| Candidate {
            manifest: m,
            enclosure_url: m.enclosure_url(&content.config.show.media_base_url),
            title: m.title.clone().or_else(|| {
                article::parse_file(&m.article, &content.config.sections)
                    .ok()
                    .map(|a| a.title)
            }),
        })
        .collect();

    // Score every (item, episode) pair, then assign strongest first, one to one.
    let mut pairs: Vec<(u32, usize, usize, Vec<String>)> = Vec::new();
    for (ii, item) in channel.items().iter().enumerate() {
        for (ei, ep) in episodes.iter().enumerate() {
            let (score, evidence) = evidence(item, ep, &episodes);
            if score > 0 {
                pairs.push((score, ii, ei, evidence));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

    let mut report = Report::default();
    let mut item_done = vec![false; channel.items().len()];
    let mut episode_done = vec![false; episodes.len()];
    for (idx, (score, ii, ei, evidence)) in pairs.iter().enumerate() {
        if item_done[*ii] || episode_done[*ei] {
            continue;
        }
        // A tie with another free candidate is a guess; leave it to a person.
        let tie = pairs.iter().enumerate().any(|(j, (s, i2, e2, _))| {
            j != idx
                && s == score
                && ((i2 == ii && !episode_done[*e2] && e2 != ei)
                    || (e2 == ei && !item_done[*i2] && i2 != ii))
        });
        let item = &channel.items()[*ii];
        let ep = &episodes[*ei];
        if tie {
            report.problems.push(format!(
                "\"{}\" matches more than one episode equally well (or the other way round); set `guid` in the right episode.toml by hand",
                item.title().unwrap_or("(untitled)")
            ));
            item_done[*ii] = true;
            continue;
        }
        match entry(item, ep) {
            Ok(entry) => {
                item_done[*ii] = true;
                episode_done[*ei] = true;
                report.adopted.push(Adopted {
                    slug: ep.manifest.slug.clone(),
                    entry,
                    evidence: evidence.clone(),
                });
            }
            Err(why) => {
                item_done[*ii] = true;
                report.problems.push(format!(
                    "\"{}\": {why}",
                    item.title().unwrap_or("(untitled)")
                ));
            }
        }
    }
    for (ii, item) in channel.items().iter().enumerate() {
        if !item_done[ii] {
            report.unmatched_items.push((
                item.title().unwrap_or("(untitled)").to_string(),
                item.guid()
                    .map(|g| g.value().to_string())
                    .unwrap_or_default(),
            ));
        }
    }
    for (ei, ep) in episodes.iter().enumerate() {
        if !episode_done[ei] {
            report.unmatched_episodes.push(ep.manifest.slug.clone());
        }
    }
    report.adopted.sort_by(|a, b| a.slug.cmp(&b.slug));
    report
}

/// Evidence that `item` is `ep`, as a score (higher is stronger) and reasons.
fn evidence(item: &rss::Item, ep: &Candidate<'_>, all: &[Candidate<'_>]) -> (u32, Vec<String>) {
    let mut score = 0;
    let mut why = Vec::new();
    let enclosure = item.enclosure().map(|e| e.url().to_string());
    if enclosure.as_deref() == Some(ep.enclosure_url.as_str()) {
        score += 100;
        why.push("same enclosure URL".to_string());
    }
    if item
        .link()
        .is_some_and(|l| same_url(l, &ep.manifest.article_url))
    {
        score += 100;
        why.push("item link is the article URL".to_string());
    }
    if let Some(video) = &ep.manifest.youtube {
        let text = [item.description(), item.content(), item.link()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if youtube::ids_in_text(&text).contains(video) {
            score += 80;
            why.push(format!("item links the episode's video {video}"));
        }
    }
    if let (Some(item_title), Some(title)) = (item.title(), &ep.title)
        && normalise(item_title) == normalise(title)
    {
        score += 50;
        why.push("same title".to_string());
    }
    // A file name counts only when it is unique to this episode (many shows call every file audio.mp3).
    if let (Some(url), Some(name)) = (
        &enclosure,
        ep.manifest.audio.file_name().and_then(|n| n.to_str()),
    ) {
        let unique = all
            .iter()
            .filter(|e| e.manifest.audio.file_name().and_then(|n| n.to_str()) == Some(name))
            .count()
            == 1;
        if unique && file_name(url) == name {
            score += 40;
            why.push(format!("enclosure file name {name}"));
        }
    }
    (score, why)
}

fn entry(item: &rss::Item, ep: &Candidate<'_>) -> Result<Entry, String> {
    let enclosure = item.enclosure().ok_or("the item has no enclosure")?;
    let guid = match item.guid() {
        Some(g) if !g.value().trim().is_empty() => g.value().to_string(),
        // Apps that see no GUID identify the episode by its enclosure URL.
        _ => enclosure.url().to_string(),
    };
    let pub_date = match item.pub_date() {
        Some(d) => lock::date(
            &DateTime::parse_from_rfc2822(d.trim())
                .map_err(|e| format!("pubDate `{d}` is not an RFC 2822 date ({e})"))?,
        ),
        None => lock::date(&ep.manifest.published),
    };
    Ok(Entry {
        slug: ep.manifest.slug.clone(),
        guid,
        pub_date,
        enclosure_url: enclosure.url().to_string(),
        article_url: Some(ep.manifest.article_url.clone()),
        audio_sha256: None,
        audio_bytes: None,
        video: ep.manifest.youtube.as_ref().map(|v| v.to_string()),
        paired_by: "import".to_string(),
    })
}

/// Adds the adopted entries to `lock`. An episode already locked with another
/// GUID is a conflict: the lock wins and the conflict is reported.
pub(crate) fn merge(lock: &mut Lock, adopted: &[Adopted]) -> Vec<String> {
    let mut conflicts = Vec::new();
    for a in adopted {
        match lock
            .episodes
            .iter()
            .position(|e| e.slug == a.slug || e.guid == a.entry.guid)
        {
            Some(i) if lock.episodes[i].guid == a.entry.guid && lock.episodes[i].slug == a.slug => {
                lock.episodes[i] = a.entry.clone();
            }
            Some(i) => conflicts.push(format!(
                "`{}` is already locked as `{}` with GUID {}; not replaced by {}",
                a.slug, lock.episodes[i].slug, lock.episodes[i].guid, a.entry.guid
            )),
            None => lock.episodes.push(a.entry.clone()),
        }
    }
    conflicts
}

fn same_url(a: &str, b: &str) -> bool {
    let key = |u: &str| {
        let u = u.trim();
        let u = u.split_once("://").map_or(u, |(_, rest)| rest);
        let u = u.strip_prefix("www.").unwrap_or(u);
        u.split(['?', '#'])
            .next()
            .unwrap_or(u)
            .trim_end_matches('/')
            .to_lowercase()
    };
    key(a) == key(b)
}

fn file_name(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/').next().unwrap_or(path)
}

fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_match_across_scheme_www_slash_and_query() {
        assert!(same_url(
            "http://www.example.org/blog/a/?utm=x",
            "https://example.org/blog/a"
        ));
        assert!(!same_url(
            "https://example.org/blog/a",
            "https://example.org/blog/b"
        ));
    }

    #[test]
    fn file_names_ignore_queries() {
        assert_eq!(
            file_name("https://cdn.example/x/ep-12.mp3?aid=rss"),
            "ep-12.mp3"
        );
    }
}
