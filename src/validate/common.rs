//! Node-level helpers the rule files share: an element's value and label, whitespace
//! around values, repeated elements, dates and HTML in plain text. They read a node and
//! report into [`Diags`]; they know no namespace's rules and no feed state.

use super::diag::Diags;
use super::values::{DateCheck, check_date, literal_entity, looks_like_html, short};
use super::xml::{Node, Ns};
use chrono::{Datelike, Utc};

/// The item's guid, else its title: how diagnostics name an item.
pub(super) fn item_label(item: &Node) -> Option<String> {
    let pick = |local: &str| {
        item.child(Ns::None, local)
            .map(|n| n.text.trim())
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().take(120).collect::<String>())
    };
    pick("guid").or_else(|| pick("title"))
}

/// The element's text without surrounding whitespace.
pub(super) fn value(node: &Node) -> &str {
    node.text.trim()
}

/// Reports leading/trailing whitespace in a value element.
pub(super) fn edge_space(node: &Node, diags: &mut Diags) {
    let t = node.text.as_str();
    if !t.trim().is_empty() && t.trim() != t {
        diags.push(
            "xml/edge-space",
            node,
            format!(
                "<{}> has whitespace around its value ({:?}); apps compare values exactly. Remove it",
                node.name,
                short(t)
            ),
        );
    }
}

/// Reports whitespace around an attribute value.
pub(super) fn edge_space_attr(node: &Node, attr: &str, diags: &mut Diags) {
    if let Some(v) = node.attr(attr)
        && !v.trim().is_empty()
        && v.trim() != v
    {
        diags.push(
            "xml/edge-space",
            node,
            format!(
                "<{} {attr}=\"{}\"> has whitespace around the value; remove it",
                node.name,
                short(v)
            ),
        );
    }
}

/// Elements that may appear once per channel or item: a second copy is read by some
/// apps (feedparser keeps the last) and ignored by others (most keep the first).
const SINGLE: &[(Ns, &str)] = &[
    (Ns::None, "title"),
    (Ns::None, "link"),
    (Ns::None, "description"),
    (Ns::None, "language"),
    (Ns::None, "copyright"),
    (Ns::None, "pubDate"),
    (Ns::None, "lastBuildDate"),
    (Ns::None, "ttl"),
    (Ns::None, "image"),
    (Ns::None, "guid"),
    (Ns::None, "generator"),
    (Ns::None, "docs"),
    (Ns::None, "cloud"),
    (Ns::None, "managingEditor"),
    (Ns::None, "webMaster"),
    (Ns::None, "skipDays"),
    (Ns::None, "skipHours"),
    (Ns::None, "textInput"),
    (Ns::None, "rating"),
    (Ns::None, "author"),
    (Ns::None, "comments"),
    (Ns::None, "source"),
    (Ns::Content, "encoded"),
    (Ns::Itunes, "author"),
    (Ns::Itunes, "explicit"),
    (Ns::Itunes, "type"),
    (Ns::Itunes, "image"),
    (Ns::Itunes, "owner"),
    (Ns::Itunes, "new-feed-url"),
    (Ns::Itunes, "title"),
    (Ns::Itunes, "complete"),
    (Ns::Itunes, "block"),
    (Ns::Itunes, "duration"),
    (Ns::Itunes, "episode"),
    (Ns::Itunes, "season"),
    (Ns::Itunes, "episodeType"),
];

/// How a duplicate's message names the line of the first copy (an item's diagnostics,
/// cached with lines relative to the item, have this number rebased with them).
pub(super) const FIRST_ON_LINE: &str = "the first is on line ";

/// Reports a second copy of an element that may appear once in `parent`.
pub(super) fn duplicates(parent: &Node, diags: &mut Diags) {
    for (ns, local) in SINGLE {
        let mut copies = parent.children_named(*ns, local);
        if let (Some(first), Some(second)) = (copies.next(), copies.next()) {
            let same = |a: &Node, b: &Node| {
                a.text.trim() == b.text.trim()
                    && a.attrs.len() == b.attrs.len()
                    && a.attrs
                        .iter()
                        .zip(&b.attrs)
                        .all(|(x, y)| x.local == y.local && x.value.trim() == y.value.trim())
            };
            if same(first, second) {
                diags.push(
                    "rss/duplicate-element-same",
                    second,
                    format!("a second, identical <{}> in <{}> ({FIRST_ON_LINE}{}); harmless but redundant. Keep one", second.name, parent.name, first.line),
                );
            } else {
                diags.push(
                    "rss/duplicate-element",
                    second,
                    format!(
                        "a second <{}> in <{}> with a different value ({FIRST_ON_LINE}{}); apps disagree on which one they read (feedparser keeps the last, most keep the first). Keep one",
                        second.name, parent.name, first.line
                    ),
                );
            }
        }
    }
}

/// Checks a date element (pubDate, lastBuildDate) and reports what is wrong.
pub(super) fn date_rules(node: &Node, diags: &mut Diags) {
    let v = value(node);
    let dt = match check_date(v) {
        DateCheck::Ok(dt) => dt,
        DateCheck::Problematic(dt, why) => {
            diags.push("rss/date-form", node, format!("<{}>{}</{}> is valid RFC 2822 but has {why}, which several parsers mis-read or reject. Write e.g. \"Wed, 02 Oct 2002 13:00:00 +0000\"", node.name, short(v), node.name));
            dt
        }
        DateCheck::Invalid(why) => {
            diags.push(
                "rss/date",
                node,
                format!(
                    "<{}>{}</{}> is not an RFC 2822 date: {why}",
                    node.name,
                    short(v),
                    node.name
                ),
            );
            return;
        }
        DateCheck::Weekday { stated, actual } => {
            diags.push("rss/date-weekday", node, format!("<{}>{}</{}>: the date is a {actual}, not a {stated}; parsers that check it (chrono's RFC 2822 parser, used by the rss crate's validator) reject the date. Fix the weekday or drop it", node.name, short(v), node.name));
            return;
        }
    };
    if dt.year() < 1995 {
        diags.push("rss/date-plausible", node, format!("<{}>{}</{}> is before podcasts existed; a default or zero date leaked into the feed", node.name, short(v), node.name));
    } else if dt > future_after() {
        diags.push(
            "rss/date-plausible",
            node,
            format!(
                "<{}>{}</{}> is in the future; several apps hide the episode until then",
                node.name,
                short(v),
                node.name
            ),
        );
    }
}

/// Dates after this are in the future for `rss/date-plausible` (two days of slack for
/// time zones and scheduled releases). A check that found a date past it holds as long
/// as the date still is: time only moves the horizon closer to it.
pub fn future_after() -> chrono::DateTime<Utc> {
    Utc::now() + chrono::Duration::days(2)
}

/// Reports HTML tags in a plain-text element.
pub(super) fn html_in_text(node: &Node, diags: &mut Diags) {
    // An entity inside HTML is HTML's own escaping; in plain text it shows literally.
    if let Some(entity) = literal_entity(&node.text).filter(|_| !looks_like_html(&node.text)) {
        diags.push("rss/double-escaped", node, format!("<{}> shows {entity} literally: the text was escaped twice. Write the character itself (or escape it once)", node.name));
    }
    if looks_like_html(&node.text) {
        diags.push("rss/html-in-text", node, format!("<{}> contains HTML ({}); apps show it as plain text, tags and all. Remove the markup", node.name, short(value(node))));
    }
}
