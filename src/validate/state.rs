//! What the rules remember across the items of one feed, and the cross-item rules
//! themselves (unique guids and enclosure URLs, episode counts, the podcast:guid
//! derivation). One implementation for both ways a feed is checked: the streaming walk
//! (item by item as they complete) and [`super::incremental::check_feed`] (from each
//! item's cached [`ItemFacts`]).
//!
//! Guids and URLs are kept as 64-bit hashes, so memory grows by 16 bytes per item, not
//! by their text.

use super::common::value;
use super::diag::Diags;
use super::values::{is_http_url, short};
use super::xml::{CharStats, Node, Ns, Stop, rebase};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use uuid::Uuid;

/// A value found in an item and where (line, column relative to the item's `<item`:
/// line 1, column 1 is that `<`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located {
    pub value: String,
    pub line: usize,
    pub column: usize,
}

/// What the cross-item and channel rules need to know about one item (small; a
/// publisher caches it per episode beside the item's diagnostics).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemFacts {
    /// The item's guid, else its title: the label of its diagnostics.
    pub label: Option<String>,
    /// The guid, when not empty (trimmed): guids must be unique in a feed.
    pub guid: Option<Located>,
    /// The first enclosure's URL, when it is an http(s) URL: unique per feed for Apple.
    pub enclosure_url: Option<Located>,
    /// The item has an enclosure: Apple calls it an episode.
    pub episode: bool,
    /// A full episode without `itunes:episode` (a problem only if the show is serial).
    pub unnumbered_full: bool,
    /// `podcast:guid` UUIDv5 values in the item: checked against the feed's URL.
    pub podcast_guids: Vec<Located>,
    /// Newlines in the item's bytes, and the bytes after the last one: where the next
    /// piece of the feed starts.
    pub newlines: usize,
    pub last_line_bytes: usize,
    /// XML-level facts of the item's bytes (see [`ItemFacts::xml`]): boxed only when
    /// there are any, as for almost no item (a publisher holds a check per item: 180
    /// bytes each inline).
    #[serde(with = "rare_xml")]
    xml: Option<Box<XmlFacts>>,
}

/// [`ItemFacts`]' XML facts as one [`XmlFacts`] (none = the default), so stored checks
/// read the same either way.
mod rare_xml {
    use super::XmlFacts;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(
        xml: &Option<Box<XmlFacts>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        xml.as_deref().unwrap_or(&super::NO_XML).serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Box<XmlFacts>>, D::Error> {
        Ok(XmlFacts::deserialize(d)?.boxed())
    }
}

/// What one walk of a whole feed reports once per file, or stops at, as found in one
/// item's bytes: the pieces' facts combine into what the whole walk reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct XmlFacts {
    /// The first this many of the item's diagnostics are XML-level (well-formedness,
    /// characters, namespaces); the rest are rule checks.
    pub diagnostics: usize,
    /// Diagnostics reported once per feed (undeclared prefix, undefined entity): index
    /// and key.
    pub once: Vec<(usize, String)>,
    /// Invalid bytes and characters (reported once per feed, with a count).
    pub chars: CharStats,
    /// A fatal error stopped the walk in this item.
    pub stop: Option<Stop>,
}

static NO_XML: XmlFacts = XmlFacts::NONE;

impl XmlFacts {
    /// No XML-level facts (a well-formed item of valid characters).
    pub const NONE: XmlFacts = XmlFacts {
        diagnostics: 0,
        once: Vec::new(),
        chars: CharStats {
            bad_utf8: None,
            bad_char: None,
            bad_char_count: 0,
            c1: None,
            c1_count: 0,
        },
        stop: None,
    };

    fn boxed(self) -> Option<Box<XmlFacts>> {
        (self != XmlFacts::NONE).then(|| Box::new(self))
    }
}

impl ItemFacts {
    /// XML-level facts of the item's bytes: which of its diagnostics are XML-level,
    /// those reported once per feed, its invalid characters, a fatal error.
    pub fn xml(&self) -> &XmlFacts {
        self.xml.as_deref().unwrap_or(&NO_XML)
    }

    pub fn set_xml(&mut self, xml: XmlFacts) {
        self.xml = xml.boxed();
    }

    /// The facts of a complete item, positions relative to the item's start.
    pub fn of(item: &Node, label: Option<String>) -> ItemFacts {
        let at = (item.line, item.column);
        let located = |value: &str, node: &Node| {
            let (line, column) = unbase((node.line, node.column), at);
            Located {
                value: value.to_string(),
                line,
                column,
            }
        };
        let enclosure = item.child(Ns::None, "enclosure");
        let enclosure_url = enclosure.and_then(|e| {
            let u = e.attr("url")?.trim();
            is_http_url(u).then(|| located(u, e))
        });
        let guid = item
            .child(Ns::None, "guid")
            .filter(|g| !value(g).is_empty())
            .map(|g| located(value(g), g));
        let full = item
            .child(Ns::Itunes, "episodeType")
            .is_none_or(|t| value(t) == "full");
        let podcast_guids = item
            .children_named(Ns::Podcast, "guid")
            .filter(|g| podcast_guid_v5(value(g)).is_some())
            .map(|g| located(value(g), g))
            .collect();
        ItemFacts {
            label,
            guid,
            enclosure_url,
            episode: enclosure.is_some(),
            unnumbered_full: enclosure.is_some()
                && full
                && item.child(Ns::Itunes, "episode").is_none(),
            podcast_guids,
            ..ItemFacts::default()
        }
    }
}

/// A `podcast:guid` value that is a version 5 UUID (the derivable kind).
pub fn podcast_guid_v5(v: &str) -> Option<Uuid> {
    Uuid::parse_str(v)
        .ok()
        .filter(|u| v.len() == 36 && u.get_version_num() == 5)
}

/// The inverse of [`rebase`]: a position made relative to a piece starting at `at`.
fn unbase((line, column): (usize, usize), (at_line, at_column): (usize, usize)) -> (usize, usize) {
    if line <= at_line {
        (1, column.saturating_sub(at_column) + 1)
    } else {
        (line - at_line + 1, column)
    }
}

/// What the checks remember across items of one feed.
pub struct FeedState {
    /// The feed's file name or URL.
    pub source: String,
    pub items: usize,
    /// Items with an enclosure: what Apple calls episodes.
    pub episodes: usize,
    guids: HashMap<u64, usize>,
    enclosure_urls: HashMap<u64, usize>,
    /// Positions of full episodes without `itunes:episode` (for serial shows), capped.
    pub unnumbered_full: Vec<(usize, usize, Option<String>)>,
    pub unnumbered_full_count: usize,
    /// The channel's atom:link rel="self" URL, once the channel is read.
    pub self_url: Option<String>,
}

impl FeedState {
    pub fn new(source: &str) -> Self {
        FeedState {
            source: source.to_string(),
            items: 0,
            episodes: 0,
            guids: HashMap::new(),
            enclosure_urls: HashMap::new(),
            unnumbered_full: Vec::new(),
            unnumbered_full_count: 0,
            self_url: None,
        }
    }

    /// The cross-item rules for the next item in feed order, which starts at `at`
    /// (line, column); its diagnostics carry the item's label.
    pub fn add_item(&mut self, f: &ItemFacts, at: (usize, usize), diags: &mut Diags) {
        let saved = std::mem::replace(&mut diags.item, f.label.clone());
        self.items += 1;
        if f.episode {
            self.episodes += 1;
        }
        if let Some(u) = &f.enclosure_url {
            let (line, column) = rebase((u.line, u.column), at);
            if let Some(first) = seen_before(&mut self.enclosure_urls, &u.value, line) {
                diags.push_at("apple/enclosure-unique-url", line, column, format!("<enclosure url=\"{}\"> is also used by the item on line {first}; Apple ignores episodes with a duplicate media URL", short(&u.value)));
            }
        }
        if let Some(g) = &f.guid {
            let (line, column) = rebase((g.line, g.column), at);
            if let Some(first) = seen_before(&mut self.guids, &g.value, line) {
                diags.push_at("rss/guid-unique", line, column, format!("<guid>{}</guid> is also the guid of the item on line {first}; apps show only one of them", short(&g.value)));
            }
        }
        if f.unnumbered_full {
            self.unnumbered_full_count += 1;
            if self.unnumbered_full.len() < 200 {
                self.unnumbered_full.push((at.0, at.1, f.label.clone()));
            }
        }
        for g in &f.podcast_guids {
            let (line, column) = rebase((g.line, g.column), at);
            self.podcast_guid_derivation(&g.value, line, column, diags);
        }
        diags.item = saved;
    }

    /// The URL a podcast:guid derives from: the feed's own http(s) address, else its
    /// atom:link rel="self" (known once the channel is read).
    fn feed_url(&self) -> Option<String> {
        if is_http_url(&self.source) {
            Some(self.source.clone())
        } else {
            self.self_url.clone()
        }
    }

    /// Reports a UUIDv5 `podcast:guid` (at line, column) not derived from the feed's URL.
    pub fn podcast_guid_derivation(&self, v: &str, line: usize, column: usize, diags: &mut Diags) {
        let (Some(u), Some(url)) = (podcast_guid_v5(v), self.feed_url()) else {
            return;
        };
        let expected = crate::guid::podcast_guid_uuid(&url);
        if expected != u {
            diags.push_at("podcast/guid-derivation", line, column, format!("<podcast:guid>{v}</podcast:guid> is not derived from {url} ({expected}); fine if the feed moved, otherwise use the derived value"));
        }
    }
}

/// The line an equal value was first seen on; else `None`, and this one is remembered.
fn seen_before(seen: &mut HashMap<u64, usize>, value: &str, line: usize) -> Option<usize> {
    match seen.entry(hash_str(value)) {
        std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(line);
            None
        }
    }
}

pub fn hash_str(s: &str) -> u64 {
    // DefaultHasher::new() uses fixed keys: the same value hashes the same in every run
    // (only within one run's tables: cached facts keep the values themselves).
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}
