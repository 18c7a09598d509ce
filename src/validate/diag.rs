//! Diagnostics and their collector: what every layer of `validate` reports into. A leaf:
//! it knows the rules catalogue (severities, ids) and nothing of XML or feeds.

use super::rules::{self, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Something with a place in the feed: the line and column of an element's `<`.
pub trait Placed {
    fn place(&self) -> (usize, usize);
}

impl<T: Placed + ?Sized> Placed for &T {
    fn place(&self) -> (usize, usize) {
        (**self).place()
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

    /// Records a problem about `node` (an element: at its `<`).
    pub fn push(&mut self, rule: &'static str, node: &impl Placed, message: String) {
        let (line, column) = node.place();
        self.push_at(rule, line, column, message);
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
