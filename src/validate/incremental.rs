//! Validation one item at a time, for a publisher that re-renders only the items that
//! changed: [`check_item`] checks one `<item>` on its own (its result can be cached per
//! episode), and [`check_feed`] runs the channel-level and cross-item rules from the
//! feed's head and tail and each item's cached [`ItemFacts`] — without walking the
//! items again. Together they report exactly what [`super::validate_feed`] reports on
//! the assembled feed (same diagnostics, positions, order, caps).
//!
//! Positions in an [`ItemCheck`] are relative to the item: line 1 is the line of its
//! `<item`, and columns on that line count from its `<` (column 1).

use super::common::FIRST_ON_LINE;
use super::diag::{Diagnostic, Diags};
use super::dispatch::{Checker, check_item as item_rules};
use super::xml::{self, CharStats, Completed, Gap, rebase};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

pub use super::state::{ItemFacts, Located, XmlFacts};

/// One item's diagnostics (positions relative to the item; the XML-level ones first,
/// see [`XmlFacts::diagnostics`]) and what the feed-level rules need to know about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemCheck {
    pub diagnostics: Vec<Diagnostic>,
    pub facts: ItemFacts,
}

const CLOSE: &[u8] = b"</channel></rss>";

/// The `<rss><channel>` an item is checked inside, with the namespace declarations in
/// scope (on one line, so the item's own lines are the walk's lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemScope {
    open: Vec<u8>,
    /// XML-level diagnostics the scope itself causes (a declaration with a near-miss
    /// URI): reported with the head, so left out of each item's.
    own: usize,
}

static WRITER: LazyLock<ItemScope> = LazyLock::new(|| {
    let decls: Vec<(String, String)> = crate::ns::WRITER
        .iter()
        .map(|(p, uri)| (format!("xmlns:{p}"), (*uri).to_string()))
        .collect();
    ItemScope::new(&decls, &[])
});

impl ItemScope {
    /// The declarations mspod's writer puts on `<rss>` ([`crate::ns::WRITER`]).
    pub fn writer() -> ItemScope {
        WRITER.clone()
    }

    /// The writer's scope, shared (no copy per item).
    pub(crate) fn writer_ref() -> &'static ItemScope {
        &WRITER
    }

    /// The declarations on a feed's `<rss>` and `<channel>` start tags, read from the
    /// feed's bytes before its first item.
    pub fn from_head(head: &[u8]) -> ItemScope {
        let mut reader = quick_xml::Reader::from_reader(head);
        let mut buf = Vec::new();
        let mut levels: [Vec<(String, String)>; 2] = [Vec::new(), Vec::new()];
        let mut depth = 0;
        while depth < 2 {
            buf.clear();
            let Ok(event) = reader.read_event_into(&mut buf) else {
                break;
            };
            match event {
                quick_xml::events::Event::Start(e) => {
                    for a in e.attributes().flatten() {
                        let key = a.key.0.to_string();
                        if key == "xmlns" || key.starts_with("xmlns:") {
                            let value = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| v.into_owned())
                                .unwrap_or_default();
                            levels[depth].push((key, value));
                        }
                    }
                    depth += 1;
                }
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        ItemScope::new(&levels[0], &levels[1])
    }

    fn new(rss: &[(String, String)], channel: &[(String, String)]) -> ItemScope {
        let attrs = |decls: &[(String, String)]| {
            decls
                .iter()
                .map(|(k, v)| {
                    // One line: whitespace a value held goes in as references.
                    let v = quick_xml::escape::escape(v.as_str())
                        .replace('\n', "&#10;")
                        .replace('\r', "&#13;")
                        .replace('\t', "&#9;");
                    format!(" {k}=\"{v}\"")
                })
                .collect::<String>()
        };
        let open = format!("<rss{}><channel{}>", attrs(rss), attrs(channel)).into_bytes();
        let mut diags = Diags::uncapped();
        let doc = [open.as_slice(), CLOSE].concat();
        xml::walk_with(&doc[..], None, &mut diags, |_, _| {});
        ItemScope {
            open,
            own: diags.len(),
        }
    }
}

/// Checks one `<item>…</item>` as the writer produced it (the namespaces of
/// [`crate::ns::WRITER`] in scope). Lines are relative to the item's first line,
/// columns as if the item began at column 1.
pub fn check_item(item_xml: &[u8]) -> ItemCheck {
    check_item_in(item_xml, &WRITER)
}

/// [`check_item`] with the namespaces of `scope` in scope (e.g. [`ItemScope::from_head`]
/// for a feed mspod did not write).
pub fn check_item_in(item_xml: &[u8], scope: &ItemScope) -> ItemCheck {
    let mut xml_diags = Diags::uncapped();
    let mut content = Diags::uncapped();
    let mut facts: Option<ItemFacts> = None;
    let detail = walk_item(item_xml, scope, &mut xml_diags, |item| {
        if facts.is_none() {
            facts = Some(item_rules(item, &mut content));
        }
    });
    let own = scope.own;
    let mut diagnostics: Vec<Diagnostic> = xml_diags.into_list().into_iter().skip(own).collect();
    let mut facts = facts.unwrap_or_default();
    facts.set_xml(XmlFacts {
        diagnostics: diagnostics.len(),
        once: (detail.once.into_iter())
            .filter_map(|(i, key)| Some((i.checked_sub(own)?, key)))
            .collect(),
        chars: detail.chars,
        stop: detail.stop.map(|stop| xml::Stop {
            index: stop.index.saturating_sub(own),
            ..stop
        }),
    });
    facts.newlines = item_xml.iter().filter(|b| **b == b'\n').count();
    facts.last_line_bytes = item_xml
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(item_xml.len(), |nl| item_xml.len() - nl - 1);
    diagnostics.extend(content.into_list());
    ItemCheck { diagnostics, facts }
}

/// Walks one item inside `scope`, positions relative to the item, handing it to
/// `on_item` once complete.
pub(crate) fn walk_item(
    item_xml: &[u8],
    scope: &ItemScope,
    xml_diags: &mut Diags,
    mut on_item: impl FnMut(&xml::Node),
) -> xml::WalkDetail {
    let doc = [scope.open.as_slice(), item_xml, CLOSE].concat();
    // The item's first byte is line 1, column 1.
    let gap = Gap {
        at: scope.open.len() as u64,
        lines: 0,
        column: 1,
    };
    xml::walk_with(&doc[..], Some(gap), xml_diags, |done, _| {
        if let Completed::Item(item) = done {
            on_item(&item);
        }
    })
}

/// Where the bytes after an item starting at `at` begin.
fn end_of(at: (usize, usize), facts: &ItemFacts) -> (usize, usize) {
    if facts.newlines == 0 {
        (at.0, at.1.saturating_add(facts.last_line_bytes))
    } else {
        (
            at.0.saturating_add(facts.newlines),
            facts.last_line_bytes.saturating_add(1),
        )
    }
}

/// Where each item starts (line, column) in a feed assembled as `head`, then the items
/// joined by `separator` (e.g. `b"\n    "`): the positions [`check_feed`] takes,
/// computed from the items' facts alone.
pub fn item_starts(head: &[u8], items: &[&ItemFacts], separator: &[u8]) -> Vec<(usize, usize)> {
    let advance = |(line, column): (usize, usize), bytes: &[u8]| match bytes
        .iter()
        .rposition(|b| *b == b'\n')
    {
        None => (line, column + bytes.len()),
        Some(nl) => (
            line + bytes.iter().filter(|b| **b == b'\n').count(),
            bytes.len() - nl,
        ),
    };
    let mut at = advance((1, 1), head);
    let mut starts = Vec::with_capacity(items.len());
    for (i, facts) in items.iter().enumerate() {
        if i > 0 {
            at = advance(at, separator);
        }
        starts.push(at);
        at = end_of(at, facts);
    }
    starts
}

/// An item's diagnostic at its place in the feed (the item starting at `at`).
pub(crate) fn placed(d: &Diagnostic, at: (usize, usize)) -> Diagnostic {
    let mut d = d.clone();
    (d.line, d.column) = rebase((d.line, d.column), at);
    // A duplicate names the line of the first copy, in the same item.
    if matches!(
        d.rule,
        "rss/duplicate-element" | "rss/duplicate-element-same"
    ) && let Some(from) = d
        .message
        .find(FIRST_ON_LINE)
        .map(|p| p + FIRST_ON_LINE.len())
    {
        let digits = d.message[from..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        if let Ok(n) = d.message[from..from + digits].parse::<usize>() {
            let line = rebase((n, 1), at).0;
            d.message
                .replace_range(from..from + digits, &line.to_string());
        }
    }
    d
}

/// The channel-level and cross-item rules, given the feed's bytes before the first item
/// (`head`), after the last item (`tail`), each item's check in feed order with the
/// (line, column) where that item starts in the whole feed (only whitespace between
/// items), and the whole feed's size in bytes. Returns diagnostics with absolute
/// positions, the items' included, capped and sorted exactly as
/// [`super::validate_feed`] would.
pub fn check_feed(
    head: &[u8],
    tail: &[u8],
    items: &[(usize, usize, &ItemCheck)],
    total_bytes: u64,
    source: &str,
) -> Vec<Diagnostic> {
    // Head and tail walked as one document, the items cut out: the tail's positions
    // are those it has in the feed. An empty comment where the items were keeps the
    // text on either side two events, as the items keep them in the feed.
    const CUT: &[u8] = b"<!---->";
    let gap = items.last().map(|(line, column, check)| {
        let (line, column) = end_of((*line, *column), &check.facts);
        let head_lines = 1 + head.iter().filter(|b| **b == b'\n').count();
        Gap {
            at: (head.len() + CUT.len()) as u64,
            lines: line.saturating_sub(head_lines),
            column,
        }
    });
    let cut: &[u8] = if gap.is_some() { CUT } else { b"" };
    let doc = [head, cut, tail].concat();
    let mut outer = Diags::uncapped();
    let mut content = Diags::new();
    let mut checker = Checker::new(source);
    let detail = xml::walk_with(&doc[..], gap, &mut outer, |done, _| {
        checker.on_completed(done, &mut content);
    });
    let outer = outer.into_list();
    let split = detail.split.unwrap_or(outer.len()).min(outer.len());
    let outer_once: HashMap<usize, String> = detail.once.into_iter().collect();

    // The XML-level diagnostics in the order one walk reports them: head, items, tail;
    // those reported once per feed only the first time.
    let mut xml_diags = Diags::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut first_time = |key: Option<&String>| key.is_none_or(|k| seen.insert(k.clone()));
    for (i, d) in outer[..split].iter().enumerate() {
        if first_time(outer_once.get(&i)) {
            xml_diags.push_diagnostic(d.clone());
        }
    }
    let (head_chars, tail_chars) = match &detail.chars_before_gap {
        Some(before) => (before.clone(), detail.chars.since(before)),
        None => (detail.chars.clone(), CharStats::default()),
    };
    let mut chars = head_chars;
    let mut stopped = detail.stop.as_ref().is_some_and(|s| s.index < split);
    let mut walked = 0;
    for (line, column, check) in items {
        if stopped {
            break;
        }
        let at = (*line, *column);
        let f = &check.facts;
        let once: HashMap<usize, &String> = f.xml().once.iter().map(|(i, k)| (*i, k)).collect();
        let own_chars = f.xml().chars.rebased(at);
        let xml_part = &check.diagnostics[..f.xml().diagnostics.min(check.diagnostics.len())];
        for (i, d) in xml_part.iter().enumerate() {
            if !first_time(once.get(&i).copied()) {
                continue;
            }
            let mut d = placed(d, at);
            if let Some(xml::Stop {
                index,
                parse_error: Some((l, c, message)),
            }) = &f.xml().stop
                && *index == i
            {
                // A parse error after invalid UTF-8 anywhere before it is reported as
                // the encoding problem, at the first invalid byte.
                (d.rule, d.message, (d.line, d.column)) =
                    match chars.bad_utf8.or(own_chars.bad_utf8) {
                        Some(at_utf8) => ("xml/encoding", xml::NOT_UTF8.to_string(), at_utf8),
                        None => ("xml/well-formed", message.clone(), rebase((*l, *c), at)),
                    };
                d.severity = super::rules::find(d.rule).map_or(d.severity, |r| r.severity);
            }
            xml_diags.push_diagnostic(d);
        }
        chars = chars.then(&own_chars);
        walked += 1;
        stopped = f.xml().stop.is_some();
    }
    if !stopped {
        for (i, d) in outer[split..].iter().enumerate() {
            if first_time(outer_once.get(&(split + i))) {
                xml_diags.push_diagnostic(d.clone());
            }
        }
        chars = chars.then(&tail_chars);
        stopped = detail.stop.is_some();
    }
    // A parser stops at the first fatal XML error: no content rule counts then.
    if !xml::report_chars(&chars, stopped, &mut xml_diags) {
        for (line, column, check) in &items[..walked] {
            let at = (*line, *column);
            let skip = check.facts.xml().diagnostics;
            for d in check.diagnostics.iter().skip(skip) {
                content.push_diagnostic(placed(d, at));
            }
            checker.state.add_item(&check.facts, at, &mut content);
        }
        checker.finish(total_bytes, &mut content);
        xml_diags.extend(content);
    }
    xml_diags.finish()
}
