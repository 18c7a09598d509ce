//! Orchestrates the offline content checks over the walk's output, and the value
//! parsers they share: RFC 2822 dates, `itunes:duration`, URLs, MIME types, HTML scans.
//!
//! Items are checked as soon as they are complete; the channel when the document ends
//! (some channel tags follow the items). Cross-item state (guids, enclosure URLs) is
//! kept as 64-bit hashes so memory grows by 16 bytes per item, not by their text.

use super::podcast::Level;
use super::state::{FeedState, ItemFacts};
use super::xml::{Completed, Node, Ns};
use super::{Diags, apple, podcast, rss, spotify};
use chrono::{Datelike, NaiveDate, TimeZone, Utc};

/// Hands each completed item to the item rules, then the cross-item rules, and the
/// channel to the channel rules once the document ends.
pub struct Checker {
    pub state: FeedState,
    root: Option<Node>,
}

impl Checker {
    pub fn new(source: &str) -> Self {
        Checker {
            state: FeedState::new(source),
            root: None,
        }
    }

    pub fn on_completed(&mut self, done: Completed, diags: &mut Diags) {
        match done {
            Completed::Item(item) => {
                let facts = check_item(&item, diags);
                self.state.add_item(&facts, (item.line, item.column), diags);
            }
            Completed::Root(root) => self.root = Some(root),
        }
    }

    /// Channel-level checks, once the whole document has been read.
    pub fn finish(&mut self, bytes: u64, diags: &mut Diags) {
        let Some(root) = self.root.take() else { return };
        let Some(channel) = rss::check_root(&root, bytes, diags) else {
            return;
        };
        let st = &mut self.state;
        st.self_url = podcast::channel_self_url(channel);
        duplicates(channel, diags);
        rss::check_channel(channel, diags);
        apple::check_channel(channel, st, diags);
        spotify::check_channel(channel, diags);
        podcast::check_children(channel, Level::Channel, Some(st), diags);
    }
}

/// The rules of one item that need nothing but the item (labelled with its guid or
/// title); returns what the cross-item rules need to know about it.
pub fn check_item(item: &Node, diags: &mut Diags) -> ItemFacts {
    let label = item_label(item);
    diags.item = label.clone();
    duplicates(item, diags);
    rss::check_item(item, diags);
    apple::check_item(item, diags);
    podcast::check_children(item, Level::Item, None, diags);
    podcast::check_psc(item, diags);
    podcast::check_itunes_agree(item, diags);
    diags.item = None;
    ItemFacts::of(item, label)
}

/// The item's guid, else its title: how diagnostics name an item.
pub fn item_label(item: &Node) -> Option<String> {
    let pick = |local: &str| {
        item.child(Ns::None, local)
            .map(|n| n.text.trim())
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().take(120).collect::<String>())
    };
    pick("guid").or_else(|| pick("title"))
}

/// The element's text without surrounding whitespace.
pub fn value(node: &Node) -> &str {
    node.text.trim()
}

/// Reports leading/trailing whitespace in a value element.
pub fn edge_space(node: &Node, diags: &mut Diags) {
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
pub fn edge_space_attr(node: &Node, attr: &str, diags: &mut Diags) {
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

/// A value for messages: at most 60 characters.
pub fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
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
pub const FIRST_ON_LINE: &str = "the first is on line ";

/// Reports a second copy of an element that may appear once in `parent`.
pub fn duplicates(parent: &Node, diags: &mut Diags) {
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

/// An absolute http or https URL with a host.
pub fn is_http_url(s: &str) -> bool {
    match url::Url::parse(s.trim()) {
        Ok(u) => {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

/// Any absolute URL (a scheme and something after it).
pub fn is_absolute_url(s: &str) -> bool {
    url::Url::parse(s.trim()).is_ok()
}

/// `type/subtype` with optional parameters, per RFC 6838 token characters.
pub fn is_mime(s: &str) -> bool {
    let essence = s.split(';').next().unwrap_or("").trim();
    let Some((t, sub)) = essence.split_once('/') else {
        return false;
    };
    let token = |x: &str| {
        !x.is_empty()
            && x.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    token(t) && token(sub)
}

/// The MIME essence in lower case, without parameters.
pub fn mime_essence(s: &str) -> String {
    s.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The lower-case file extension of a URL's path, if any.
pub fn url_extension(u: &str) -> Option<String> {
    let parsed = url::Url::parse(u.trim()).ok()?;
    let last = parsed.path_segments()?.next_back()?.to_string();
    let (_, ext) = last.rsplit_once('.')?;
    if ext.is_empty() || ext.len() > 5 {
        return None;
    }
    Some(ext.to_ascii_lowercase())
}

/// MIME types that fit a media file extension.
pub fn types_for_extension(ext: &str) -> Option<&'static [&'static str]> {
    Some(match ext {
        "mp3" => &[
            "audio/mpeg",
            "audio/mp3",
            "audio/mpeg3",
            "audio/x-mpeg",
            "audio/x-mp3",
        ],
        "m4a" => &[
            "audio/x-m4a",
            "audio/mp4",
            "audio/m4a",
            "audio/aac",
            "audio/x-aac",
        ],
        "mp4" => &["video/mp4", "audio/mp4", "audio/x-m4a"],
        "m4v" => &["video/x-m4v", "video/mp4"],
        "mov" => &["video/quicktime"],
        "pdf" => &["application/pdf"],
        "ogg" | "oga" => &["audio/ogg", "audio/vorbis", "audio/opus", "application/ogg"],
        "opus" => &["audio/opus", "audio/ogg"],
        "aac" => &["audio/aac", "audio/x-aac", "audio/aacp"],
        "wav" => &["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"],
        "flac" => &["audio/flac", "audio/x-flac"],
        "webm" => &["video/webm", "audio/webm"],
        _ => return None,
    })
}

/// What is wrong with a date, or what is odd about a valid one.
#[derive(Debug, PartialEq)]
pub enum DateCheck {
    /// Valid RFC 2822 with a numeric zone, GMT or UT.
    Ok(chrono::DateTime<Utc>),
    /// Valid, but in a form parsers read unevenly (a zone name, a two-digit year,
    /// comments…); the text lists what.
    Problematic(chrono::DateTime<Utc>, String),
    /// Not an RFC 2822 date; the message says why.
    Invalid(String),
    /// The weekday does not match the date.
    Weekday { stated: String, actual: String },
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses an RFC 2822 date (RSS allows 2-digit years), as `[Ddd, ]DD Mon YYYY HH:MM[:SS] ZONE`.
pub fn check_date(s: &str) -> DateCheck {
    let mut odd: Vec<String> = Vec::new();
    let Some(stripped) = strip_comments(s) else {
        return DateCheck::Invalid("a comment in parentheses is not closed".into());
    };
    if stripped != s {
        odd.push("comments in parentheses".into());
    }
    let s = stripped.trim();
    let (weekday, rest) = match s.split_once(',') {
        Some((w, r)) => {
            if !r.starts_with([' ', '\t']) {
                odd.push("no space after the comma".into());
            }
            (Some(w.trim()), r)
        }
        None => (None, s),
    };
    let parts: Vec<&str> = rest.split_whitespace().collect();
    let invalid = |why: &str| {
        DateCheck::Invalid(format!(
            "{why}; expected e.g. \"Wed, 02 Oct 2002 13:00:00 +0000\""
        ))
    };
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit) {
        return invalid(
            "this is ISO 8601 (as in Atom), which RSS 2.0 does not allow and strict parsers reject",
        );
    }
    if parts.len() != 5 {
        if parts.len() == 4 {
            return invalid("no time zone");
        }
        return invalid("it is not day, month, year, time and zone");
    }
    let day: u32 = match parts[0].parse() {
        Ok(d) if parts[0].len() <= 2 && parts[0].bytes().all(|b| b.is_ascii_digit()) => d,
        _ => return invalid("the day is not a number"),
    };
    let Some(month) = MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(parts[1]))
        .map(|i| i as u32 + 1)
    else {
        return invalid(&format!(
            "`{}` is not an English month abbreviation",
            parts[1]
        ));
    };
    let year: i32 = match (parts[2].len(), parts[2].parse::<i32>()) {
        (4, Ok(y)) if parts[2].bytes().all(|b| b.is_ascii_digit()) => y,
        (2, Ok(y)) if parts[2].bytes().all(|b| b.is_ascii_digit()) => {
            odd.push("a two-digit year".into());
            if y < 50 { 2000 + y } else { 1900 + y }
        }
        _ => return invalid("the year is not 4 digits"),
    };
    let hms: Vec<&str> = parts[3].split(':').collect();
    let num = |x: &str, max: u32| -> Option<u32> {
        if x.len() != 2 || !x.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        x.parse::<u32>().ok().filter(|v| *v <= max)
    };
    let (h, m, sec) = match hms.as_slice() {
        [h, m] => (num(h, 23), num(m, 59), Some(0)),
        [h, m, s] => (num(h, 23), num(m, 59), num(s, 60)),
        _ => (None, None, None),
    };
    let (Some(h), Some(m), Some(sec)) = (h, m, sec) else {
        return invalid("the time is not HH:MM:SS (24-hour)");
    };
    let zone = parts[4];
    let (offset_secs, named): (i32, Option<String>) = if (zone.starts_with('+')
        || zone.starts_with('-'))
        && zone.len() == 5
        && zone[1..].bytes().all(|b| b.is_ascii_digit())
    {
        let hh: i32 = zone[1..3].parse().unwrap_or(0);
        let mm: i32 = zone[3..5].parse().unwrap_or(0);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        if !matches!(mm, 0 | 30 | 45) || hh > 14 {
            odd.push(format!("the unusual zone offset {zone}"));
        }
        (sign * (hh * 3600 + mm * 60), None)
    } else {
        match zone.to_ascii_uppercase().as_str() {
            "GMT" | "UT" => (0, None),
            "UTC" | "Z" => (0, Some(zone.to_string())),
            "EST" => (-5 * 3600, Some(zone.to_string())),
            "EDT" => (-4 * 3600, Some(zone.to_string())),
            "CST" => (-6 * 3600, Some(zone.to_string())),
            "CDT" => (-5 * 3600, Some(zone.to_string())),
            "MST" => (-7 * 3600, Some(zone.to_string())),
            "MDT" => (-6 * 3600, Some(zone.to_string())),
            "PST" => (-8 * 3600, Some(zone.to_string())),
            "PDT" => (-7 * 3600, Some(zone.to_string())),
            z if z.len() == 1 && z.bytes().all(|b| b.is_ascii_alphabetic()) && z != "J" => {
                (0, Some(zone.to_string()))
            }
            _ => return invalid(&format!("`{zone}` is not a time zone (use +0000 or GMT)")),
        }
    };
    let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
        return invalid(&format!("{day} {} {year} does not exist", parts[1]));
    };
    if let Some(w) = weekday {
        let actual = DAYS[date.weekday().num_days_from_monday() as usize];
        let Some(_) = DAYS.iter().find(|d| d.eq_ignore_ascii_case(w)) else {
            return invalid(&format!("`{w}` is not an English weekday abbreviation"));
        };
        if !actual.eq_ignore_ascii_case(w) {
            return DateCheck::Weekday {
                stated: w.to_string(),
                actual: actual.to_string(),
            };
        }
    }
    let Some(naive) = date.and_hms_opt(h, m, sec.min(59)) else {
        return invalid("the time does not exist");
    };
    let utc = Utc.from_utc_datetime(&naive) - chrono::Duration::seconds(i64::from(offset_secs));
    if let Some(z) = named {
        odd.push(format!("the zone name `{z}`"));
    }
    if odd.is_empty() {
        DateCheck::Ok(utc)
    } else {
        DateCheck::Problematic(utc, odd.join(", "))
    }
}

/// The text with RFC 822 comments — `(…)`, nested, with `\` escapes — replaced by a
/// space; None if a comment is not closed.
fn strip_comments(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if depth > 0 => {
                chars.next();
            }
            '(' => depth += 1,
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    (depth == 0).then_some(out)
}

/// Checks a date element (pubDate, lastBuildDate) and reports what is wrong.
pub fn date_rules(node: &Node, diags: &mut Diags) {
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
    let now = Utc::now();
    if dt.year() < 1995 {
        diags.push("rss/date-plausible", node, format!("<{}>{}</{}> is before podcasts existed; a default or zero date leaked into the feed", node.name, short(v), node.name));
    } else if dt > now + chrono::Duration::days(2) {
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

/// The forms of `itunes:duration`.
#[derive(Debug, PartialEq)]
pub enum DurationCheck {
    /// Whole seconds, or H:MM:SS.
    Ok(u64),
    /// MM:SS: valid, but some apps read it as HH:MM.
    MinutesSeconds(u64),
    /// Has a fractional part.
    Fraction,
    Invalid,
}

pub fn check_duration(s: &str) -> DurationCheck {
    let s = s.trim();
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if digits(s) {
        return match s.parse::<u64>() {
            Ok(n) => DurationCheck::Ok(n),
            Err(_) => DurationCheck::Invalid,
        };
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac
        && !digits(f)
    {
        return DurationCheck::Invalid;
    }
    let parts: Vec<&str> = whole.split(':').collect();
    let sub = |x: &str| x.len() == 2 && digits(x) && x.parse::<u64>().is_ok_and(|v| v < 60);
    let total = match parts.as_slice() {
        [s] if digits(s) => s.parse::<u64>().ok(),
        [m, s] if digits(m) && sub(s) => m
            .parse::<u64>()
            .ok()
            .map(|m| m * 60 + s.parse::<u64>().unwrap_or(0)),
        [h, m, s] if digits(h) && sub(m) && sub(s) => h
            .parse::<u64>()
            .ok()
            .map(|h| h * 3600 + m.parse::<u64>().unwrap_or(0) * 60 + s.parse::<u64>().unwrap_or(0)),
        _ => None,
    };
    match (total, frac, parts.len()) {
        (None, _, _) => DurationCheck::Invalid,
        (Some(_), Some(_), _) => DurationCheck::Fraction,
        (Some(t), None, 2) => DurationCheck::MinutesSeconds(t),
        (Some(t), None, _) => DurationCheck::Ok(t),
    }
}

/// Tag names used in an HTML fragment, lower case, in order of first use.
pub fn html_tags(html: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(pos) = html[i..].find('<') {
        let start = i + pos + 1;
        let mut j = start;
        if j < bytes.len() && bytes[j] == b'/' {
            j += 1;
        }
        let name_start = j;
        while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j > name_start && bytes[name_start].is_ascii_alphabetic() {
            let name = html[name_start..j].to_ascii_lowercase();
            if !tags.contains(&name) {
                tags.push(name);
            }
        }
        i = start;
        if i >= html.len() {
            break;
        }
    }
    tags
}

/// True if the text contains what looks like an HTML tag.
pub fn looks_like_html(text: &str) -> bool {
    // Only real HTML tag names count: "Nice <gorilla>" is text.
    const TAGS: &[&str] = &[
        "a",
        "abbr",
        "b",
        "big",
        "blockquote",
        "br",
        "center",
        "cite",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "font",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "iframe",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "script",
        "small",
        "span",
        "strike",
        "strong",
        "style",
        "sub",
        "sup",
        "table",
        "td",
        "th",
        "tr",
        "tt",
        "u",
        "ul",
    ];
    html_tags(text)
        .iter()
        .any(|t| TAGS.contains(&t.as_str()) && text.contains('>'))
}

/// An entity reference left in decoded text (`&#239;`, `&eacute;`): the text was escaped
/// twice, and apps show the reference literally.
pub fn literal_entity(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        let tail = &rest[at + 1..];
        let name_len = tail
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '#')
            .count();
        if name_len > 0 && name_len <= 10 && tail[name_len..].starts_with(';') {
            let name = &tail[..name_len];
            let numeric = name.strip_prefix('#').is_some_and(|n| {
                n.strip_prefix(['x', 'X']).map_or(
                    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()),
                    |h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()),
                )
            });
            if numeric || name.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Some(&rest[at..at + name_len + 2]);
            }
        }
        rest = &rest[at + 1..];
    }
    None
}

/// One start tag of an HTML fragment: its lower-case name and attributes
/// (names lower-cased, values as written, without quotes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlTag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

/// An HTML fragment split the way a browser's tokenizer splits it: start tags with
/// their attributes (quoted values kept whole, so `href="a onclick=b"` is one
/// value) and the text between tags (entities not decoded). Comments, end tags and
/// `<!…>`/`<?…>` are skipped; a `<` that starts no tag is text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlScan {
    pub tags: Vec<HtmlTag>,
    pub text: String,
}

pub fn html_scan(html: &str) -> HtmlScan {
    let b = html.as_bytes();
    let mut scan = HtmlScan::default();
    let mut i = 0;
    let mut text_from = 0;
    // The byte after the next `>` at or after `from` (or the end).
    let past = |from: usize, what: &str| {
        html[from..]
            .find(what)
            .map_or(html.len(), |p| from + p + what.len())
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let next = b.get(i + 1).copied();
        let after = match next {
            Some(b'!') if html[i..].starts_with("<!--") => past(i + 4, "-->"),
            Some(b'!' | b'?') => past(i + 2, ">"),
            Some(b'/') if b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) => past(i + 2, ">"),
            Some(c) if c.is_ascii_alphabetic() => {
                let (tag, end) = start_tag(html, i + 1);
                scan.tags.push(tag);
                end
            }
            _ => {
                i += 1;
                continue;
            }
        };
        scan.text.push_str(&html[text_from..i]);
        i = after;
        text_from = after;
    }
    scan.text.push_str(&html[text_from.min(html.len())..]);
    scan
}

/// Reads a start tag whose name begins at `at`; returns it and the byte after its `>`.
fn start_tag(html: &str, at: usize) -> (HtmlTag, usize) {
    let b = html.as_bytes();
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut j = at;
    while j < b.len() && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
        j += 1;
    }
    let mut tag = HtmlTag {
        name: html[at..j].to_ascii_lowercase(),
        attrs: Vec::new(),
    };
    loop {
        while j < b.len() && (is_space(b[j]) || b[j] == b'/') {
            j += 1;
        }
        if j >= b.len() {
            return (tag, b.len());
        }
        if b[j] == b'>' {
            return (tag, j + 1);
        }
        let name_start = j;
        // The first character may be `=` (it is then part of the name).
        j += 1;
        while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        let mut value = String::new();
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..]
                        .find(q as char)
                        .map_or(html.len(), |p| j + 1 + p);
                    value = html[j + 1..end].to_string();
                    j = (end + 1).min(html.len());
                }
                _ => {
                    let start = j;
                    while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[start..j].to_string();
                }
            }
        }
        tag.attrs.push((name, value));
    }
}

/// Values of `href=` and `src=` attributes in an HTML fragment.
pub fn html_links(html: &str) -> Vec<String> {
    html_scan(html)
        .tags
        .into_iter()
        .flat_map(|t| t.attrs)
        .filter(|(k, _)| k == "href" || k == "src")
        .map(|(_, v)| v)
        .collect()
}

/// A link an app cannot resolve: no scheme, not protocol-relative, not a fragment.
pub fn is_relative_link(link: &str) -> bool {
    let l = link.trim();
    if l.is_empty() || l.starts_with('#') || l.starts_with("//") {
        return false;
    }
    let scheme_end = l.find(':');
    match scheme_end {
        Some(i) if i > 0 => {
            let scheme = &l[..i];
            !(scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(matches!(
            check_date("Wed, 02 Oct 2002 13:00:00 GMT"),
            DateCheck::Ok(_)
        ));
        assert!(matches!(
            check_date("Wed, 2 Oct 2002 13:00 +0200"),
            DateCheck::Ok(_)
        ));
        assert!(matches!(
            check_date("02 Oct 2002 13:00:00 -0000"),
            DateCheck::Ok(_)
        ));
        assert!(matches!(
            check_date("Thu, 02 Oct 2002 13:00:00 GMT"),
            DateCheck::Weekday { .. }
        ));
        assert!(matches!(
            check_date("2002-10-02T13:00:00Z"),
            DateCheck::Invalid(_)
        ));
        assert!(matches!(
            check_date("Wed, 02 Oct 2002 13:00:00 EST"),
            DateCheck::Problematic(..)
        ));
        for odd in [
            "Sat,29 Jul 2006 00:03:02 +0000",
            "31 Dec 99 23:59:59 +0000",
            "31 Dec 2002 14:20:20 -0234",
            "Thu (hate thursdays), 16(th) Feb(ruary) 2006 01:39 +0000 (GMT)",
        ] {
            assert!(
                matches!(check_date(odd), DateCheck::Problematic(..)),
                "{odd}"
            );
        }
        assert!(matches!(
            check_date("Mon, 31 Feb 2002 13:00:00 GMT"),
            DateCheck::Invalid(_)
        ));
        assert!(matches!(
            check_date("Wed, 02 Oct 2002 25:00:00 GMT"),
            DateCheck::Invalid(_)
        ));
    }

    #[test]
    fn durations() {
        assert_eq!(check_duration("3600"), DurationCheck::Ok(3600));
        assert_eq!(check_duration("1:02:03"), DurationCheck::Ok(3723));
        assert_eq!(check_duration("62:03"), DurationCheck::MinutesSeconds(3723));
        assert_eq!(check_duration("123.5"), DurationCheck::Fraction);
        assert_eq!(check_duration("00:07:74"), DurationCheck::Invalid);
        assert_eq!(check_duration("1:2"), DurationCheck::Invalid);
        assert_eq!(check_duration("forty"), DurationCheck::Invalid);
        assert_eq!(check_duration(""), DurationCheck::Invalid);
    }

    #[test]
    fn html_scan_keeps_quoted_values_whole_and_escaped_markup_as_text() {
        let scan = html_scan(
            r#"<p>a &lt;img src=x&gt;<!-- <b onclick=x> --><a href="u onclick=y" title='z'>t</a></p>"#,
        );
        let names: Vec<&str> = scan.tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "a"]);
        assert_eq!(
            scan.tags[1].attrs,
            [
                ("href".to_string(), "u onclick=y".to_string()),
                ("title".to_string(), "z".to_string())
            ]
        );
        assert_eq!(scan.text, "a &lt;img src=x&gt;t");
        assert_eq!(html_scan("1 < 2 <3").text, "1 < 2 <3");
    }

    #[test]
    fn html_scans() {
        assert_eq!(html_tags("<p>a <b>b</b><br/></p>"), vec!["p", "b", "br"]);
        assert!(looks_like_html("a <i>b</i>"));
        assert!(!looks_like_html("Nice <gorilla> what's he weigh?"));
        assert_eq!(literal_entity("Lo&#239;c"), Some("&#239;"));
        assert_eq!(literal_entity("Q&A; more"), Some("&A;"));
        assert_eq!(literal_entity("Fish & Chips; tea"), None);
        assert!(!looks_like_html("I <3 cats > dogs"));
        assert_eq!(
            html_links(r#"<a href="/x">x</a> <img src='y.png'>"#),
            vec!["/x", "y.png"]
        );
        assert!(is_relative_link("/ep1"));
        assert!(!is_relative_link("https://x.org/"));
        assert!(!is_relative_link("mailto:a@b.c"));
    }
}
