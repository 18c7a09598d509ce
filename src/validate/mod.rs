//! Stage 7: validate a feed against the rules of XML 1.0, RSS 2.0, Apple Podcasts,
//! Spotify and the Podcasting 2.0 namespace.
//!
//! In: feed bytes (or any `BufRead`, streamed in constant memory). Out: a list of
//! [`Diagnostic`]s, each naming a rule of the catalogue ([`rules::RULES`]), the element's
//! line and column, and the fix. Offline checks never touch the network; `--online`
//! ([`online`]) and `--media` ([`media`]) add checks against the served files and the
//! local audio. The validator never stops at the first problem, never expands entities,
//! and never panics on input.

pub mod checks;
pub mod incremental;
pub mod links;
pub mod media;
pub mod online;
pub mod report;
pub mod rules;
pub mod state;
pub mod xml;

mod apple;
mod podcast;
mod rss;
mod spotify;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

pub use incremental::{ItemCheck, ItemFacts, ItemScope, check_feed, check_item, check_item_in};
pub use podcast::{
    is_medium, is_person_group, is_person_role, location_problems, person_default_group,
    rrule_problem,
};
pub use report::{format_text, summary_counts};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A directory or app rejects or mis-reads the feed.
    Error,
    /// Accepted, but degraded (lost features, wrong display).
    Warning,
    /// Advice.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem found in a feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule id, e.g. `apple/image`.
    pub rule: &'static str,
    pub severity: Severity,
    /// What is wrong, naming the element and the fix.
    pub message: String,
    /// 1-based line of the element the diagnostic is about (for a missing child: its parent).
    pub line: usize,
    /// 1-based column (in bytes) of that element's `<`.
    pub column: usize,
    /// The item's guid (or title), for item-level diagnostics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// `--links`: the page (or file) the link is on, when it is not the feed itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

/// A [`Diagnostic`] as read back (from a cache): its rule id is looked up in the
/// catalogue, so an id it does not know is an error, never a leaked string.
#[derive(Deserialize)]
struct StoredDiagnostic {
    rule: String,
    severity: Severity,
    message: String,
    line: usize,
    column: usize,
    #[serde(default)]
    item: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

impl<'de> Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let d = StoredDiagnostic::deserialize(de)?;
        let rule = rules::find(&d.rule)
            .map(|r| r.id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule id `{}`", d.rule)))?;
        Ok(Diagnostic {
            rule,
            severity: d.severity,
            message: d.message,
            line: d.line,
            column: d.column,
            item: d.item,
            page: d.page,
        })
    }
}

/// At most this many diagnostics per rule and feed; the rest are counted in one extra
/// diagnostic, so a 200,000-item feed with one systematic mistake stays readable and
/// memory stays bounded.
const MAX_PER_RULE: usize = 200;

/// Collects diagnostics while checking one feed.
#[derive(Debug)]
pub struct Diags {
    list: Vec<Diagnostic>,
    per_rule: BTreeMap<&'static str, usize>,
    /// At most this many diagnostics per rule are kept ([`MAX_PER_RULE`], or unlimited
    /// for one item's checks, which a feed-level collector caps again).
    cap: usize,
    /// Diagnostics for the item being checked carry this label.
    pub item: Option<String>,
    /// …and this page (`--links`: where the link was found).
    pub page: Option<String>,
}

impl Default for Diags {
    fn default() -> Self {
        Diags {
            list: Vec::new(),
            per_rule: BTreeMap::new(),
            cap: MAX_PER_RULE,
            item: None,
            page: None,
        }
    }
}

impl Diags {
    pub fn new() -> Self {
        Diags::default()
    }

    /// A collector that keeps every diagnostic in the order they were reported (one
    /// item's checks: the feed-level collector applies the cap across all items).
    pub(crate) fn uncapped() -> Self {
        Diags {
            cap: usize::MAX,
            ..Diags::default()
        }
    }

    /// How many diagnostics are held (for an uncapped collector: the index the next
    /// one will get).
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// The diagnostics held, in the order they were reported.
    pub(crate) fn into_list(self) -> Vec<Diagnostic> {
        self.list
    }

    /// Records a finished diagnostic (from a cached item check), counting it against
    /// its rule's cap as if it had been reported here.
    pub(crate) fn push_diagnostic(&mut self, d: Diagnostic) {
        let count = self.per_rule.entry(d.rule).or_insert(0);
        *count += 1;
        if *count <= self.cap {
            self.list.push(d);
        }
    }

    /// Records a problem for `rule` at a position.
    pub fn push_at(&mut self, rule: &'static str, line: usize, column: usize, message: String) {
        let severity = rules::find(rule).map_or(Severity::Error, |r| r.severity);
        debug_assert!(rules::find(rule).is_some(), "unknown rule {rule}");
        let count = self.per_rule.entry(rule).or_insert(0);
        *count += 1;
        if *count > self.cap {
            return;
        }
        // Messages quote the feed: a C1 control or a bidi override from a hostile feed
        // must not reach the terminal (or a CI log) as one.
        let message = crate::text::clean(&message).into_owned();
        let item = self
            .item
            .as_deref()
            .map(|i| crate::text::clean(i).into_owned());
        let page = self
            .page
            .as_deref()
            .map(|p| crate::text::clean(p).into_owned());
        self.list.push(Diagnostic {
            rule,
            severity,
            message,
            line,
            column,
            item,
            page,
        });
    }

    /// Records a problem about `node`.
    pub fn push(&mut self, rule: &'static str, node: &xml::Node, message: String) {
        self.push_at(rule, node.line, node.column, message);
    }

    pub fn has_rule(&self, rule: &str) -> bool {
        self.per_rule.contains_key(rule)
    }

    /// The diagnostics in document order (line, column, rule), with one summary per
    /// rule that hit the cap.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        for (rule, count) in &self.per_rule {
            if *count > MAX_PER_RULE {
                let last = self.list.iter().rev().find(|d| d.rule == *rule).cloned();
                if let Some(mut d) = last {
                    d.message = format!(
                        "{} more {rule} problems not shown (same fix as above)",
                        count - MAX_PER_RULE
                    );
                    d.item = None;
                    self.list.push(d);
                }
            }
        }
        self.list.sort_by(|a, b| {
            (a.line, a.column, a.rule, &a.message).cmp(&(b.line, b.column, b.rule, &b.message))
        });
        self.list
    }

    pub(crate) fn extend(&mut self, other: Diags) {
        for d in other.list {
            let count = self.per_rule.entry(d.rule).or_insert(0);
            *count += 1;
            if *count <= MAX_PER_RULE {
                self.list.push(d);
            }
        }
        for (rule, n) in other.per_rule {
            let count = self.per_rule.entry(rule).or_insert(0);
            *count = (*count).max(n);
        }
    }
}

/// Checks a feed held in memory with the offline rules. `source` is the feed's name or
/// URL (used for the podcast:guid derivation when it is an http(s) URL).
pub fn validate_feed(bytes: &[u8], source: &str) -> Vec<Diagnostic> {
    validate_reader(bytes, source)
}

/// Checks a feed read from a stream with the offline rules, in constant memory.
pub fn validate_reader<R: BufRead>(input: R, source: &str) -> Vec<Diagnostic> {
    let mut xml_diags = Diags::new();
    let mut content = Diags::new();
    let mut checker = checks::Checker::new(source);
    let summary = xml::walk(input, &mut xml_diags, |done, _| {
        checker.on_completed(done, &mut content);
    });
    // A parser stops at the first fatal XML error, and so does every app: what the
    // content checks found before that point is not what an app would see.
    if !summary.fatal {
        checker.finish(summary.bytes, &mut content);
        xml_diags.extend(content);
    }
    xml_diags.finish()
}

/// Cross-checks each item's enclosure length, type and duration against the audio
/// files under `media_dir` (offline; see [`media`]).
pub fn check_media(bytes: &[u8], media_dir: &Path) -> Vec<Diagnostic> {
    media::check_media_reader(bytes, media_dir)
}

/// True if any diagnostic is an error (or, with `strict`, a warning).
pub fn fails(diagnostics: &[Diagnostic], strict: bool) -> bool {
    diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error || (strict && d.severity == Severity::Warning))
}
