//! `mspod diff`: what listeners will see change between two versions of a
//! feed. Episodes are matched by GUID; an episode that can only be matched by
//! its enclosure URL, link or title has a new GUID, and that (like a new
//! enclosure URL) is flagged loudly: apps duplicate or re-download it.

use serde::Serialize;
use std::collections::BTreeSet;

/// The listener-visible parts of one feed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Feed {
    pub title: String,
    pub image: Option<String>,
    pub episodes: Vec<Episode>,
    /// A paged feed's `<atom:link rel="next">` (RFC 5005).
    #[serde(skip)]
    pub next: Option<String>,
}

/// Reads a feed page by URL; `Ok(None)`: there is no such page.
pub(crate) type PageReader<'a, E> = dyn Fn(&str) -> Result<Option<Vec<u8>>, E> + 'a;

impl Feed {
    /// Appends the episodes of the pages after this one; `fetch` reads a page by
    /// its URL (`None`: not found). At most 1,000 pages, against link loops.
    pub(crate) fn with_pages<E>(
        mut self,
        what: &str,
        fetch: &PageReader<'_, E>,
        invalid: &dyn Fn(String) -> E,
    ) -> Result<Feed, E> {
        let mut next = self.next.take();
        let mut pages = 1;
        while let Some(url) = next.take() {
            if pages >= 1000 {
                break;
            }
            let Some(bytes) = fetch(&url)? else { break };
            let page = parse(&bytes, &format!("{what} (page {url})")).map_err(invalid)?;
            self.episodes.extend(page.episodes);
            next = page.next;
            pages += 1;
        }
        Ok(self)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Episode {
    pub guid: String,
    pub title: String,
    pub link: String,
    pub pub_date: String,
    pub duration: Option<String>,
    pub enclosure_url: String,
    pub enclosure_length: String,
    pub enclosure_type: String,
    pub image: Option<String>,
    pub chapters: Option<String>,
    pub transcripts: Vec<String>,
}

/// Reads a feed; `what` names it in the error.
pub(crate) fn parse(bytes: &[u8], what: &str) -> Result<Feed, String> {
    let channel =
        rss::Channel::read_from(bytes).map_err(|e| format!("{what}: not an RSS feed ({e})"))?;
    let attr = |ext: &rss::extension::ExtensionMap, name: &str, key: &str| -> Vec<String> {
        ext.get("podcast")
            .and_then(|m| m.get(name))
            .map(|list| {
                list.iter()
                    .filter_map(|e| e.attrs().get(key).cloned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let episodes = channel
        .items()
        .iter()
        .map(|i| {
            let enclosure = i.enclosure();
            Episode {
                guid: i.guid().map(|g| g.value().to_string()).unwrap_or_default(),
                title: i.title().unwrap_or_default().trim().to_string(),
                link: i.link().unwrap_or_default().to_string(),
                pub_date: i.pub_date().unwrap_or_default().to_string(),
                duration: i
                    .itunes_ext()
                    .and_then(|x| x.duration())
                    .map(str::to_string),
                enclosure_url: enclosure.map(|e| e.url().to_string()).unwrap_or_default(),
                enclosure_length: enclosure
                    .map(|e| e.length().to_string())
                    .unwrap_or_default(),
                enclosure_type: enclosure
                    .map(|e| e.mime_type().to_string())
                    .unwrap_or_default(),
                image: i.itunes_ext().and_then(|x| x.image()).map(str::to_string),
                chapters: attr(i.extensions(), "chapters", "url").into_iter().next(),
                transcripts: attr(i.extensions(), "transcript", "url"),
            }
        })
        .collect();
    Ok(Feed {
        title: channel.title().trim().to_string(),
        image: channel
            .itunes_ext()
            .and_then(|x| x.image())
            .map(str::to_string)
            .or_else(|| channel.image().map(|i| i.url().to_string())),
        episodes,
        next: channel
            .extensions()
            .get("atom")
            .and_then(|m| m.get("link"))
            .and_then(|links| {
                links
                    .iter()
                    .find(|l| l.attrs().get("rel").map(String::as_str) == Some("next"))
            })
            .and_then(|l| l.attrs().get("href").cloned()),
    })
}

/// One changed value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Change {
    pub field: &'static str,
    pub old: String,
    pub new: String,
    /// Apps re-download or duplicate the episode.
    pub loud: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Changed {
    pub guid: String,
    pub title: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Listed {
    pub guid: String,
    pub title: String,
    pub pub_date: String,
    pub duration: Option<String>,
}

/// Everything that differs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Diff {
    pub show: Vec<Change>,
    pub added: Vec<Listed>,
    pub removed: Vec<Listed>,
    pub changed: Vec<Changed>,
    /// How many changes are GUID or enclosure URL changes.
    pub loud: usize,
}

impl Diff {
    pub(crate) fn is_empty(&self) -> bool {
        self.show.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
    }
}

fn listed(e: &Episode) -> Listed {
    Listed {
        guid: e.guid.clone(),
        title: e.title.clone(),
        pub_date: e.pub_date.clone(),
        duration: e.duration.clone(),
    }
}

/// Compares `old` with `new`, in `new`'s episode order.
pub(crate) fn compare(old: &Feed, new: &Feed) -> Diff {
    let mut diff = Diff::default();
    let push = |into: &mut Vec<Change>, field, a: &str, b: &str, loud| {
        if a != b {
            into.push(Change {
                field,
                old: a.to_string(),
                new: b.to_string(),
                loud,
            });
        }
    };
    push(&mut diff.show, "title", &old.title, &new.title, false);
    push(
        &mut diff.show,
        "artwork",
        old.image.as_deref().unwrap_or(""),
        new.image.as_deref().unwrap_or(""),
        false,
    );

    let mut taken = vec![false; old.episodes.len()];
    let mut find = |pred: &dyn Fn(&Episode) -> bool| -> Option<usize> {
        let i = old
            .episodes
            .iter()
            .enumerate()
            .position(|(i, e)| !taken[i] && pred(e))?;
        taken[i] = true;
        Some(i)
    };
    // GUIDs first, for every episode, so a weaker match never steals an entry.
    let by_guid: Vec<Option<usize>> = new
        .episodes
        .iter()
        .map(|n| find(&|o: &Episode| !n.guid.is_empty() && o.guid == n.guid))
        .collect();
    let mut matched = Vec::new();
    for (n, g) in new.episodes.iter().zip(by_guid) {
        let m = g
            .or_else(|| {
                find(&|o: &Episode| {
                    !n.enclosure_url.is_empty() && o.enclosure_url == n.enclosure_url
                })
            })
            .or_else(|| find(&|o: &Episode| !n.link.is_empty() && o.link == n.link))
            .or_else(|| find(&|o: &Episode| !n.title.is_empty() && o.title == n.title));
        matched.push((n, m));
    }
    for (n, m) in matched {
        let Some(i) = m else {
            diff.added.push(listed(n));
            continue;
        };
        let o = &old.episodes[i];
        let mut changes = Vec::new();
        push(&mut changes, "guid", &o.guid, &n.guid, true);
        push(
            &mut changes,
            "enclosure_url",
            &o.enclosure_url,
            &n.enclosure_url,
            true,
        );
        push(&mut changes, "title", &o.title, &n.title, false);
        push(&mut changes, "pub_date", &o.pub_date, &n.pub_date, false);
        let (od, nd) = (
            o.duration.clone().unwrap_or_default(),
            n.duration.clone().unwrap_or_default(),
        );
        push(&mut changes, "duration", &od, &nd, false);
        push(
            &mut changes,
            "enclosure_length",
            &o.enclosure_length,
            &n.enclosure_length,
            false,
        );
        push(
            &mut changes,
            "enclosure_type",
            &o.enclosure_type,
            &n.enclosure_type,
            false,
        );
        let (oi, ni) = (
            o.image.clone().unwrap_or_default(),
            n.image.clone().unwrap_or_default(),
        );
        push(&mut changes, "artwork", &oi, &ni, false);
        let (oc, nc) = (
            o.chapters.clone().unwrap_or_default(),
            n.chapters.clone().unwrap_or_default(),
        );
        push(&mut changes, "chapters", &oc, &nc, false);
        push(
            &mut changes,
            "transcripts",
            &o.transcripts.join(" "),
            &n.transcripts.join(" "),
            false,
        );
        push(&mut changes, "link", &o.link, &n.link, false);
        if !changes.is_empty() {
            diff.loud += changes.iter().filter(|c| c.loud).count();
            diff.changed.push(Changed {
                guid: n.guid.clone(),
                title: n.title.clone(),
                changes,
            });
        }
    }
    let kept: BTreeSet<usize> = taken
        .iter()
        .enumerate()
        .filter(|(_, t)| **t)
        .map(|(i, _)| i)
        .collect();
    for (i, o) in old.episodes.iter().enumerate() {
        if !kept.contains(&i) {
            diff.removed.push(listed(o));
        }
    }
    diff
}

fn why(field: &str) -> &'static str {
    match field {
        "guid" => "apps will show it as a new episode (a duplicate)",
        "enclosure_url" => "apps will download it again",
        _ => "",
    }
}

fn when(l: &Listed) -> String {
    let mut s = l.pub_date.clone();
    if let Some(d) = &l.duration {
        s.push_str(&format!(", {d} s"));
    }
    s
}

/// Plain text, one line per change; loud changes start with `!!`.
pub(crate) fn to_text(d: &Diff) -> String {
    let mut out = String::new();
    if d.is_empty() {
        out.push_str("no listener-visible changes\n");
        return out;
    }
    for c in &d.show {
        out.push_str(&format!(
            "~ show {}: \"{}\" -> \"{}\"\n",
            c.field, c.old, c.new
        ));
    }
    for a in &d.added {
        out.push_str(&format!("+ added \"{}\" ({})\n", a.title, when(a)));
    }
    for r in &d.removed {
        out.push_str(&format!("- removed \"{}\" ({})\n", r.title, when(r)));
    }
    for e in &d.changed {
        for c in &e.changes {
            if c.loud {
                out.push_str(&format!(
                    "!! \"{}\": {} changed: {} -> {}: {}\n",
                    e.title,
                    c.field,
                    c.old,
                    c.new,
                    why(c.field)
                ));
            } else {
                out.push_str(&format!(
                    "~ \"{}\": {}: \"{}\" -> \"{}\"\n",
                    e.title, c.field, c.old, c.new
                ));
            }
        }
    }
    out.push_str(&summary(d));
    out.push('\n');
    out
}

fn summary(d: &Diff) -> String {
    format!(
        "{} added, {} removed, {} changed{}",
        d.added.len(),
        d.removed.len(),
        d.changed.len(),
        if d.loud > 0 {
            format!(", {} GUID/enclosure URL change(s)", d.loud)
        } else {
            String::new()
        }
    )
}

/// Markdown for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
pub(crate) fn to_markdown(d: &Diff) -> String {
    let mut out = String::from("### Feed changes\n\n");
    if d.is_empty() {
        out.push_str("No listener-visible changes.\n");
        return out;
    }
    let code = |s: &str| format!("`{}`", s.replace('`', "'"));
    if d.loud > 0 {
        out.push_str(&format!(
            "> [!WARNING]\n> {} GUID or enclosure URL change(s): apps will duplicate or re-download these episodes.\n\n",
            d.loud
        ));
    }
    for c in &d.show {
        out.push_str(&format!(
            "- Show {}: {} → {}\n",
            c.field,
            code(&c.old),
            code(&c.new)
        ));
    }
    for a in &d.added {
        out.push_str(&format!("- **Added** {} ({})\n", a.title, when(a)));
    }
    for r in &d.removed {
        out.push_str(&format!("- **Removed** {} ({})\n", r.title, when(r)));
    }
    for e in &d.changed {
        out.push_str(&format!("- **Changed** {}\n", e.title));
        for c in &e.changes {
            let mark = if c.loud { "⚠️ **" } else { "" };
            let end = if c.loud {
                format!("** — {}", why(c.field))
            } else {
                String::new()
            };
            out.push_str(&format!(
                "  - {mark}{}: {} → {}{end}\n",
                c.field,
                code(&c.old),
                code(&c.new)
            ));
        }
    }
    out.push_str(&format!("\n{}\n", summary(d)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(guid: &str, url: &str, title: &str) -> Episode {
        Episode {
            guid: guid.into(),
            enclosure_url: url.into(),
            title: title.into(),
            ..Episode::default()
        }
    }

    #[test]
    fn a_new_guid_on_the_same_audio_is_loud() {
        let old = Feed {
            episodes: vec![ep("a", "u/a.mp3", "A"), ep("b", "u/b.mp3", "B")],
            ..Feed::default()
        };
        let new = Feed {
            episodes: vec![ep("c", "u/c.mp3", "C"), ep("a2", "u/a.mp3", "A")],
            ..Feed::default()
        };
        let d = compare(&old, &new);
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.removed.len(), 1);
        assert_eq!(d.removed[0].title, "B");
        assert_eq!(d.loud, 1);
        assert_eq!(d.changed[0].changes[0].field, "guid");
    }

    #[test]
    fn identical_feeds_have_no_diff() {
        let f = Feed {
            episodes: vec![ep("a", "u", "A")],
            ..Feed::default()
        };
        assert!(compare(&f, &f).is_empty());
    }
}
