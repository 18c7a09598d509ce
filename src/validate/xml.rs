//! The XML layer: a streaming, namespace-aware walk over a feed that checks XML 1.0
//! well-formedness and hands the checks small element trees.
//!
//! Memory stays bounded on large feeds: bytes are checked (UTF-8, XML characters) and
//! newlines counted as the parser consumes them, each `<item>` is built as a small tree,
//! handed to the caller and dropped, and the channel tree holds everything except items.
//! Entities are never expanded: the DOCTYPE is reported and skipped, and references to
//! anything but the five predefined entities are errors.

use super::diag::{Diags, Placed};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use std::collections::{BTreeSet, VecDeque};
use std::io::BufRead;

/// Elements nested deeper than this are checked for well-formedness but not kept:
/// no feed element lives that deep, and a hostile 10,000-level nesting must not build
/// (and recursively drop) a 10,000-level tree.
const MAX_TREE_DEPTH: usize = 32;

/// Namespaces the checks know, matched by URI (never by prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    /// No namespace: RSS 2.0 core elements.
    None,
    Itunes,
    Podcast,
    Content,
    Atom,
    Spotify,
    Psc,
    /// Some other declared namespace (media RSS, googleplay, …).
    Other,
    /// A prefix that was never declared (reported as `xml/undeclared-prefix`).
    Unbound,
}

pub use crate::ns::{
    ATOM as ATOM_NS, CONTENT as CONTENT_NS, ITUNES as ITUNES_NS, PODCAST as PODCAST_NS,
    PODCAST_OLD as PODCAST_NS_OLD, PSC as PSC_NS, SPOTIFY as SPOTIFY_NS,
};

fn ns_of_uri(uri: &str) -> Ns {
    match uri {
        ITUNES_NS => Ns::Itunes,
        PODCAST_NS | PODCAST_NS_OLD => Ns::Podcast,
        CONTENT_NS => Ns::Content,
        ATOM_NS => Ns::Atom,
        SPOTIFY_NS => Ns::Spotify,
        PSC_NS => Ns::Psc,
        _ => Ns::Other,
    }
}

/// An attribute, with its value unescaped.
#[derive(Debug, Clone)]
pub struct Attr {
    pub ns: Ns,
    pub local: String,
    pub value: String,
}

/// One element with its attributes, text and (non-item) children.
#[derive(Debug, Clone)]
pub struct Node {
    pub ns: Ns,
    /// The name as written, e.g. `itunes:image`, for messages.
    pub name: String,
    pub local: String,
    pub attrs: Vec<Attr>,
    /// Text content with entities and CDATA resolved.
    pub text: String,
    /// The text came (at least partly) from a CDATA section.
    pub cdata: bool,
    pub line: usize,
    pub column: usize,
    pub children: Vec<Node>,
}

impl Placed for Node {
    fn place(&self) -> (usize, usize) {
        (self.line, self.column)
    }
}

impl Node {
    /// The value of an attribute without namespace.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns == Ns::None && a.local == local)
            .map(|a| a.value.as_str())
    }

    pub fn child(&self, ns: Ns, local: &str) -> Option<&Node> {
        self.children
            .iter()
            .find(|c| c.ns == ns && c.local == local)
    }

    pub fn children_named<'a>(&'a self, ns: Ns, local: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children
            .iter()
            .filter(move |c| c.ns == ns && c.local == local)
    }

    pub fn is(&self, ns: Ns, local: &str) -> bool {
        self.ns == ns && self.local == local
    }
}

/// What the walk hands to the checks.
pub enum Completed {
    /// A `<rss><channel><item>`, complete, in document order.
    Item(Node),
    /// The root element once the document ends, with every item removed.
    Root(Node),
}

/// Totals the checks need about the whole file.
pub struct WalkSummary {
    pub bytes: u64,
    /// A fatal well-formedness error stopped the walk.
    pub fatal: bool,
}

/// What [`walk_with`] reports beyond the diagnostics: enough to combine the walks of a
/// feed's pieces (head and tail, each item) into what one walk of the feed reports.
#[derive(Debug, Default)]
pub(crate) struct WalkDetail {
    pub bytes: u64,
    /// Problems in the bytes themselves, not yet reported (see [`report_chars`]).
    pub chars: CharStats,
    /// The same, counted up to the gap (the part before it).
    pub chars_before_gap: Option<CharStats>,
    /// The walk stopped at a fatal error.
    pub stop: Option<Stop>,
    /// Diagnostics reported once per file, by key: undeclared prefixes and undefined
    /// entities (index of the diagnostic, key).
    pub once: Vec<(usize, String)>,
    /// Index of the first diagnostic of an event at or after the gap.
    pub split: Option<usize>,
}

/// Where a walk stopped at a fatal error: the index of its diagnostic and, when it was a
/// parse error, the well-formedness diagnostic (line, column, message) it stands for (a
/// parse error after invalid UTF-8 anywhere before it is reported as the encoding
/// problem, so it depends on what came before).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stop {
    pub index: usize,
    pub parse_error: Option<(usize, usize, String)>,
}

/// Invalid bytes and characters in a stretch of a feed: the first of each kind
/// (line, column, code point) and how many there are. Reported once per file.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CharStats {
    pub bad_utf8: Option<(usize, usize)>,
    pub bad_char: Option<(usize, usize, u32)>,
    pub bad_char_count: u64,
    pub c1: Option<(usize, usize, u32)>,
    pub c1_count: u64,
}

impl CharStats {
    /// These stats followed by `later`'s: the first occurrence stays the earliest.
    pub fn then(&self, later: &CharStats) -> CharStats {
        CharStats {
            bad_utf8: self.bad_utf8.or(later.bad_utf8),
            bad_char: self.bad_char.or(later.bad_char),
            bad_char_count: self.bad_char_count + later.bad_char_count,
            c1: self.c1.or(later.c1),
            c1_count: self.c1_count + later.c1_count,
        }
    }

    /// What was counted after `before` (a snapshot of the same walk). A first
    /// occurrence that `before` already has is dropped: combined, `before` wins.
    pub fn since(&self, before: &CharStats) -> CharStats {
        let after = |now: Option<(usize, usize, u32)>, then: Option<(usize, usize, u32)>| {
            if then.is_some() { None } else { now }
        };
        CharStats {
            bad_utf8: if before.bad_utf8.is_some() {
                None
            } else {
                self.bad_utf8
            },
            bad_char: after(self.bad_char, before.bad_char),
            bad_char_count: self.bad_char_count.saturating_sub(before.bad_char_count),
            c1: after(self.c1, before.c1),
            c1_count: self.c1_count.saturating_sub(before.c1_count),
        }
    }

    /// Positions moved by `at` (line, column), for stats of a piece that starts there.
    pub fn rebased(&self, at: (usize, usize)) -> CharStats {
        let r = |(l, c): (usize, usize)| rebase((l, c), at);
        CharStats {
            bad_utf8: self.bad_utf8.map(r),
            bad_char: self.bad_char.map(|(l, c, cp)| {
                let (l, c) = r((l, c));
                (l, c, cp)
            }),
            bad_char_count: self.bad_char_count,
            c1: self.c1.map(|(l, c, cp)| {
                let (l, c) = r((l, c));
                (l, c, cp)
            }),
            c1_count: self.c1_count,
        }
    }
}

/// A position relative to a piece of the feed (line 1, column 1 = the piece's first
/// byte) made absolute, the piece starting at `at`.
pub fn rebase(
    (line, column): (usize, usize),
    (at_line, at_column): (usize, usize),
) -> (usize, usize) {
    // Saturating: positions from a cache are trusted to be sane, never to panic.
    if line <= 1 {
        (at_line, at_column.saturating_add(column.saturating_sub(1)))
    } else {
        (at_line.saturating_add(line - 1), column)
    }
}

/// Bytes cut out of the walked input: the byte at offset `at` stands `lines` lines
/// further down than it would, at column `column` — so a feed's head and tail walked
/// together (items cut out) report the positions they have in the feed, and an item
/// walked inside a small wrapper reports positions relative to itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gap {
    pub at: u64,
    pub lines: usize,
    pub column: usize,
}

/// A line start, real (after a newline) or virtual (a [`Gap`]): from byte `at` on, the
/// line number is `lines` higher and the line starts at `line_start` (which may lie
/// before the input, or before `at`).
struct Mark {
    at: u64,
    lines: usize,
    line_start: i64,
}

/// Counts lines and checks characters as the parser consumes bytes, so that byte
/// offsets become line:column without keeping the file in memory.
struct Tracker<R> {
    inner: R,
    scratch: Vec<u8>,
    /// The file starts with a UTF-8 byte order mark, which quick-xml leaves out of its
    /// positions: add it back.
    bom: bool,
    consumed: u64,
    /// Line starts not yet passed by a position query, and the lines they add.
    marks: VecDeque<Mark>,
    pending_lines: usize,
    base_line: usize,
    base_line_start: i64,
    gap: Option<Gap>,
    /// UTF-8 decoding state: continuation bytes still expected, the code point so
    /// far, the sequence length and where it started.
    need: u8,
    cp: u32,
    len: u8,
    seq_start: u64,
    stats: CharStats,
    stats_before_gap: Option<CharStats>,
}

impl<R: BufRead> Tracker<R> {
    fn new(inner: R, gap: Option<Gap>) -> Self {
        Tracker {
            inner,
            scratch: Vec::new(),
            bom: false,
            consumed: 0,
            marks: VecDeque::new(),
            pending_lines: 0,
            base_line: 1,
            base_line_start: 0,
            gap,
            need: 0,
            cp: 0,
            len: 0,
            seq_start: 0,
            stats: CharStats::default(),
            stats_before_gap: None,
        }
    }

    fn column(offset: u64, line_start: i64) -> usize {
        let column = (offset as i64).saturating_sub(line_start).saturating_add(1);
        usize::try_from(column.max(1)).unwrap_or(usize::MAX)
    }

    /// Line and column (1-based; column in bytes) of a byte offset at or after the last one asked.
    fn locate(&mut self, offset: u64) -> (usize, usize) {
        let offset = if self.bom { offset + 3 } else { offset };
        while let Some(m) = self.marks.front() {
            if m.at > offset {
                break;
            }
            self.base_line += m.lines;
            self.pending_lines -= m.lines;
            self.base_line_start = m.line_start;
            self.marks.pop_front();
        }
        (self.base_line, Self::column(offset, self.base_line_start))
    }

    /// Line and column of the byte being scanned right now (all recorded newlines precede it).
    fn here(&self, offset: u64) -> (usize, usize) {
        let line = self.base_line + self.pending_lines;
        let start = self
            .marks
            .back()
            .map_or(self.base_line_start, |m| m.line_start);
        (line, Self::column(offset, start))
    }

    fn push_mark(&mut self, mark: Mark) {
        self.pending_lines += mark.lines;
        self.marks.push_back(mark);
    }

    fn scan(&mut self, bytes: &[u8]) {
        let end = self.consumed + bytes.len() as u64;
        match self.gap {
            Some(g) if g.at >= self.consumed && g.at <= end => {
                let split = usize::try_from(g.at - self.consumed).unwrap_or(bytes.len());
                self.scan_part(&bytes[..split]);
                self.gap = None;
                self.push_mark(Mark {
                    at: g.at,
                    lines: g.lines,
                    line_start: (g.at as i64)
                        .saturating_add(1)
                        .saturating_sub(g.column as i64),
                });
                self.stats_before_gap = Some(self.stats.clone());
                self.scan_part(&bytes[split..]);
            }
            _ => self.scan_part(bytes),
        }
    }

    fn scan_part(&mut self, bytes: &[u8]) {
        let base = self.consumed;
        let mut i = 0;
        while i < bytes.len() {
            // Fast path: printable ASCII needs no state (most of any feed).
            if self.need == 0 {
                i += bytes[i..]
                    .iter()
                    .position(|b| !(0x20..0x7F).contains(b))
                    .unwrap_or(bytes.len() - i);
                if i >= bytes.len() {
                    break;
                }
            }
            let b = bytes[i];
            let offset = base + i as u64;
            i += 1;
            // EF BB BF: after two bytes the decoder holds 0xF << 6 | 0x3B.
            if offset == 2 && self.need == 1 && self.cp == 0x3FB && b == 0xBF {
                self.bom = true;
            }
            if self.need > 0 {
                if b & 0xC0 == 0x80 {
                    self.cp = (self.cp << 6) | u32::from(b & 0x3F);
                    self.need -= 1;
                    if self.need == 0 {
                        self.finish_char();
                    }
                    continue;
                }
                // A sequence cut short: report it and read this byte afresh.
                self.need = 0;
                self.report_utf8(self.seq_start);
            }
            match b {
                b'\n' => self.push_mark(Mark {
                    at: offset + 1,
                    lines: 1,
                    line_start: offset as i64 + 1,
                }),
                b'\t' | b'\r' | 0x20..=0x7F => {}
                0x00..=0x1F => {
                    self.stats.bad_char_count += 1;
                    if self.stats.bad_char.is_none() {
                        let (l, c) = self.here(offset);
                        self.stats.bad_char = Some((l, c, u32::from(b)));
                    }
                }
                0xC2..=0xDF => self.start_seq(offset, 1, b & 0x1F),
                0xE0..=0xEF => self.start_seq(offset, 2, b & 0x0F),
                0xF0..=0xF4 => self.start_seq(offset, 3, b & 0x07),
                _ => self.report_utf8(offset),
            }
        }
        self.consumed = base + bytes.len() as u64;
    }

    fn start_seq(&mut self, offset: u64, need: u8, bits: u8) {
        self.need = need;
        self.len = need + 1;
        self.cp = u32::from(bits);
        self.seq_start = offset;
    }

    fn finish_char(&mut self) {
        let cp = self.cp;
        let overlong = (self.len == 3 && cp < 0x800) || (self.len == 4 && cp < 0x10000);
        if overlong || (0xD800..=0xDFFF).contains(&cp) || cp > 0x10FFFF {
            self.report_utf8(self.seq_start);
        } else if (0x80..=0x9F).contains(&cp) {
            self.stats.c1_count += 1;
            if self.stats.c1.is_none() {
                let (l, c) = self.here(self.seq_start);
                self.stats.c1 = Some((l, c, cp));
            }
        } else if cp == 0xFFFE || cp == 0xFFFF {
            self.stats.bad_char_count += 1;
            if self.stats.bad_char.is_none() {
                let (l, c) = self.here(self.seq_start);
                self.stats.bad_char = Some((l, c, cp));
            }
        }
    }

    fn report_utf8(&mut self, offset: u64) {
        if self.stats.bad_utf8.is_none() {
            self.stats.bad_utf8 = Some(self.here(offset));
        }
    }
}

impl<R: BufRead> std::io::Read for Tracker<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tracker<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        // Scan what is being consumed before passing it on (through a reused buffer:
        // the inner buffer cannot stay borrowed while the scan updates our state).
        let mut chunk = std::mem::take(&mut self.scratch);
        chunk.clear();
        if let Ok(buf) = self.inner.fill_buf() {
            chunk.extend_from_slice(&buf[..amount.min(buf.len())]);
        }
        self.scan(&chunk);
        self.scratch = chunk;
        self.inner.consume(amount);
    }
}

struct Open {
    /// Whether the element has a node on the tree stack.
    stored: bool,
    name: String,
    line: usize,
    column: usize,
}

/// Walks a feed, reporting XML-level problems into `diags` and completed items and the
/// root to `on_done`.
pub fn walk<R: BufRead>(
    input: R,
    diags: &mut Diags,
    on_done: impl FnMut(Completed, &mut Diags),
) -> WalkSummary {
    let detail = walk_with(input, None, diags, on_done);
    let fatal = report_chars(&detail.chars, detail.stop.is_some(), diags);
    WalkSummary {
        bytes: detail.bytes,
        fatal,
    }
}

/// Reports the problems of the bytes themselves, once per file, after the walk; true if
/// the feed is fatally broken (`stopped`: the walk already stopped at a fatal error).
pub(crate) fn report_chars(chars: &CharStats, stopped: bool, diags: &mut Diags) -> bool {
    let mut fatal = stopped;
    if let Some((l, c, cp)) = chars.bad_char {
        let more = more(chars.bad_char_count);
        diags.push_at("xml/invalid-char", l, c, format!("U+{cp:04X} is not allowed in XML 1.0{more}; parsers stop here. Remove control characters (often pasted from word processors)"));
    }
    if let Some((l, c, cp)) = chars.c1 {
        let more = more(chars.c1_count);
        diags.push_at("xml/c1-char", l, c, format!("C1 control character U+{cp:04X}{more}: the text was probably decoded from Windows-1252 as Latin-1; fix the source encoding"));
    }
    if !fatal && let Some((l, c)) = chars.bad_utf8 {
        diags.push_at("xml/encoding", l, c, NOT_UTF8.into());
        fatal = true;
    }
    if chars.bad_char.is_some() || diags.has_rule("xml/entity") {
        fatal = true;
    }
    fatal
}

pub(crate) const NOT_UTF8: &str =
    "the file is not valid UTF-8 here; save it as UTF-8 (Apple and Spotify require UTF-8)";

/// [`walk`] without the final report of [`CharStats`], over input that may have a
/// [`Gap`]: the pieces of a feed walked apart report what one walk would.
pub(crate) fn walk_with<R: BufRead>(
    input: R,
    gap: Option<Gap>,
    diags: &mut Diags,
    mut on_done: impl FnMut(Completed, &mut Diags),
) -> WalkDetail {
    let gap_at = gap.map(|g| g.at);
    let mut detail = WalkDetail::default();
    let mut reader = NsReader::from_reader(Tracker::new(input, gap));
    reader.config_mut().check_comments = true;
    let mut buf = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut tree: Vec<Node> = Vec::new();
    let mut roots = 0usize;
    let mut events = 0usize;
    let mut fatal = false;
    let mut undeclared: BTreeSet<String> = BTreeSet::new();
    let mut bad_entities: BTreeSet<String> = BTreeSet::new();

    loop {
        let start = reader.buffer_position();
        buf.clear();
        // Resolve to owned values at once: the resolution borrows the reader.
        let event = reader
            .read_resolved_event_into(&mut buf)
            .map(|(r, e)| (resolve(r), e));
        let (line, column) = reader.get_mut().locate(start);
        let raw_start = if reader.get_ref().bom {
            start + 3
        } else {
            start
        };
        if detail.split.is_none() && gap_at.is_some_and(|g| raw_start >= g) {
            detail.split = Some(diags.len());
        }
        events += 1;
        match event {
            Err(err) => {
                let at = reader.error_position();
                let tracker = reader.get_mut();
                let (l, c) = tracker.locate(at.max(start));
                let message = format!("not well-formed XML: {err}");
                detail.stop = Some(Stop {
                    index: diags.len(),
                    parse_error: Some((l, c, message.clone())),
                });
                if let Some((l, c)) = tracker.stats.bad_utf8 {
                    diags.push_at("xml/encoding", l, c, NOT_UTF8.into());
                } else {
                    diags.push_at("xml/well-formed", l, c, message);
                }
                fatal = true;
                break;
            }
            Ok((resolved, ev @ (Event::Start(_) | Event::Empty(_)))) => {
                let is_empty = matches!(ev, Event::Empty(_));
                let (Event::Start(e) | Event::Empty(e)) = ev else {
                    continue;
                };
                let name = e.name().0.to_string();
                if open.is_empty() {
                    roots += 1;
                    if roots > 1 {
                        diags.push_at("xml/well-formed", line, column, format!("a second root element <{name}>: an XML document has exactly one root; remove everything after </rss>"));
                        fatal = true;
                        break;
                    }
                }
                let ns = match resolved {
                    Ok(ns) => ns,
                    Err(prefix) => {
                        if undeclared.insert(prefix.clone()) {
                            detail.once.push((diags.len(), format!("prefix {prefix}")));
                            diags.push_at("xml/undeclared-prefix", line, column, format!("<{name}> uses the prefix `{prefix}` but no xmlns:{prefix} declares it; apps that check namespaces drop these elements. Declare xmlns:{prefix}=\"…\" on <rss>"));
                        }
                        Ns::Unbound
                    }
                };
                let local = e.local_name().as_ref().to_string();
                let mut attrs = Vec::new();
                for attr in e.attributes() {
                    let attr = match attr {
                        Ok(a) => a,
                        Err(err) => {
                            diags.push_at(
                                "xml/well-formed",
                                line,
                                column,
                                format!("<{name}>: bad attribute: {err}"),
                            );
                            fatal = true;
                            break;
                        }
                    };
                    let key = attr.key.0;
                    let value = match attr.normalized_value(XmlVersion::Implicit1_0) {
                        Ok(v) => v.into_owned(),
                        Err(err) => {
                            diags.push_at("xml/entity", line, column, format!("<{name}> attribute {key}: {err}; only &amp; &lt; &gt; &quot; &apos; and numeric references are defined in XML (write & as &amp;)"));
                            attr.value.to_string()
                        }
                    };
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        check_namespace_declaration(key, &value, line, column, diags);
                        continue;
                    }
                    let (ans, alocal) = if key.contains(':') {
                        let (r, l) = reader.resolver().resolve_attribute(attr.key);
                        let ans = match r {
                            ResolveResult::Bound(uri) => ns_of_uri(uri.0),
                            ResolveResult::Unbound => Ns::None,
                            ResolveResult::Unknown(p) => {
                                let p = p.to_string();
                                if p != "xml" && undeclared.insert(p.clone()) {
                                    detail.once.push((diags.len(), format!("prefix {p}")));
                                    diags.push_at("xml/undeclared-prefix", line, column, format!("attribute {key} on <{name}> uses the undeclared prefix `{p}`; declare xmlns:{p}=\"…\""));
                                }
                                Ns::Unbound
                            }
                        };
                        (ans, l.as_ref().to_string())
                    } else {
                        (Ns::None, key.to_string())
                    };
                    attrs.push(Attr {
                        ns: ans,
                        local: alocal,
                        value,
                    });
                }
                if fatal {
                    break;
                }
                let stored = open.len() < MAX_TREE_DEPTH && open.iter().all(|o| o.stored);
                let node = Node {
                    ns,
                    name: name.clone(),
                    local,
                    attrs,
                    text: String::new(),
                    cdata: false,
                    line,
                    column,
                    children: Vec::new(),
                };
                if stored {
                    tree.push(node);
                }
                open.push(Open {
                    stored,
                    name,
                    line,
                    column,
                });
                // Empty elements close at once.
                if is_empty {
                    close(&mut open, &mut tree, diags, &mut on_done);
                }
            }
            Ok((_, Event::End(_))) => {
                close(&mut open, &mut tree, diags, &mut on_done);
            }
            Ok((_, Event::Text(t))) => {
                if let Some(at) = t.find("]]>") {
                    // XML 1.0 §2.4: `]]>` may not appear in text (it ends CDATA sections).
                    let before = t[..at].as_bytes();
                    let newlines = before.iter().filter(|b| **b == b'\n').count();
                    let last_nl = before.iter().rposition(|b| *b == b'\n');
                    let col = match last_nl {
                        Some(p) => at - p,
                        None => column + at,
                    };
                    diags.push_at("xml/well-formed", line + newlines, col, "`]]>` in text is not allowed in XML; it usually means a CDATA section was split wrongly or nested. Escape the `>` as &gt; or split it as ]]]]><![CDATA[>".into());
                    fatal = true;
                    break;
                }
                let text = t.xml10_content();
                if open.is_empty() {
                    if !text.trim().is_empty() {
                        diags.push_at(
                            "xml/well-formed",
                            line,
                            column,
                            "text outside the root element".into(),
                        );
                        fatal = true;
                        break;
                    }
                } else if let (Some(node), Some(o)) = (tree.last_mut(), open.last())
                    // <rss> and <channel> have no text of their own: skipping their
                    // whitespace keeps memory flat however many items there are.
                    && o.stored
                    && open.len() > 2
                {
                    node.text.push_str(&text);
                }
            }
            Ok((_, Event::CData(t))) => {
                if open.is_empty() {
                    diags.push_at(
                        "xml/well-formed",
                        line,
                        column,
                        "CDATA outside the root element".into(),
                    );
                    fatal = true;
                    break;
                }
                let text = t.xml10_content();
                if let (Some(node), Some(o)) = (tree.last_mut(), open.last())
                    && o.stored
                {
                    node.text.push_str(&text);
                    node.cdata = true;
                }
            }
            Ok((_, Event::GeneralRef(r))) => {
                let name = r.as_ref().to_string();
                let resolved: Option<String> = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(ch)) if is_xml_char(ch) => Some(ch.to_string()),
                        Ok(Some(ch)) => {
                            diags.push_at("xml/invalid-char", line, column, format!("the character reference &{name}; is U+{:04X}, which XML 1.0 does not allow; remove it", ch as u32));
                            None
                        }
                        _ => {
                            diags.push_at(
                                "xml/well-formed",
                                line,
                                column,
                                format!("&{name}; is not a valid character reference"),
                            );
                            None
                        }
                    }
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                    Some(s.to_string())
                } else {
                    if bad_entities.insert(name.clone()) {
                        detail.once.push((diags.len(), format!("entity {name}")));
                        diags.push_at("xml/entity", line, column, format!("&{name}; is not defined in XML (only &amp; &lt; &gt; &quot; &apos; are); parsers stop here. Use a numeric reference or the character itself, or put HTML inside CDATA"));
                    }
                    None
                };
                if let (Some(s), Some(node), Some(o)) = (resolved, tree.last_mut(), open.last())
                    && o.stored
                {
                    node.text.push_str(&s);
                }
            }
            Ok((_, Event::Decl(d))) => {
                // The declaration must be the very first thing (a BOM may precede it).
                if events > 1 {
                    diags.push_at("xml/well-formed", line, column, "the XML declaration <?xml …?> is allowed only at the very start of the file; remove what comes before it (here: a blank line or text)".into());
                    fatal = true;
                    break;
                } else if let Some(Ok(enc)) = d.encoding() {
                    let enc = enc.to_string();
                    if !enc.eq_ignore_ascii_case("utf-8") {
                        diags.push_at("xml/encoding", line, column, format!("the XML declaration says encoding=\"{enc}\"; Apple and Spotify require UTF-8: convert the file and declare encoding=\"UTF-8\""));
                    }
                }
            }
            Ok((_, Event::DocType(_))) => {
                diags.push_at("xml/doctype", line, column, "the feed has a DOCTYPE; feeds need none, and the entities it declares are not expanded by mspod or by most podcast apps. Remove it".into());
            }
            Ok((_, Event::PI(p))) => {
                if p.target().eq_ignore_ascii_case("xml") {
                    diags.push_at("xml/well-formed", line, column, "the XML declaration <?xml …?> is allowed only at the very start of the file; remove what comes before it".into());
                    fatal = true;
                    break;
                }
            }
            Ok((_, Event::Comment(_))) => {}
            Ok((_, Event::Eof)) => {
                if let Some(o) = open.first() {
                    let innermost = open.last().map_or("", |o| o.name.as_str());
                    diags.push_at("xml/well-formed", o.line, o.column, format!("the file ends before <{}> is closed ({} element(s) still open, innermost <{innermost}>); the feed is truncated or a closing tag is missing", o.name, open.len()));
                    fatal = true;
                } else if roots == 0 {
                    diags.push_at(
                        "xml/well-formed",
                        line,
                        column,
                        "no root element: the file is empty or holds no XML".into(),
                    );
                    fatal = true;
                }
                break;
            }
        }
    }

    let tracker = reader.get_mut();
    detail.bytes = tracker.consumed;
    detail.chars = std::mem::take(&mut tracker.stats);
    detail.chars_before_gap = tracker.stats_before_gap.take();
    if fatal && detail.stop.is_none() {
        detail.stop = Some(Stop {
            index: diags.len().saturating_sub(1),
            parse_error: None,
        });
    }
    detail.split.get_or_insert(diags.len());
    detail
}

/// The namespace of a resolved name, or the undeclared prefix.
fn resolve(r: ResolveResult<'_>) -> Result<Ns, String> {
    match r {
        ResolveResult::Bound(uri) => Ok(ns_of_uri(uri.0)),
        ResolveResult::Unbound => Ok(Ns::None),
        ResolveResult::Unknown(prefix) => Err(prefix.to_string()),
    }
}

fn more(count: u64) -> String {
    if count > 1 {
        format!(" (and {} more in the file)", count - 1)
    } else {
        String::new()
    }
}

fn close(
    open: &mut Vec<Open>,
    tree: &mut Vec<Node>,
    diags: &mut Diags,
    on_done: &mut impl FnMut(Completed, &mut Diags),
) {
    let Some(o) = open.pop() else { return };
    if !o.stored {
        return;
    }
    let Some(node) = tree.pop() else { return };
    let depth = open.len();
    if depth == 2 && node.is(Ns::None, "item") {
        on_done(Completed::Item(node), diags);
        return;
    }
    match tree.last_mut() {
        Some(parent) => parent.children.push(node),
        None => on_done(Completed::Root(node), diags),
    }
}

/// XML 1.0 `Char`.
pub fn is_xml_char(ch: char) -> bool {
    matches!(ch as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Known namespaces declared with a near-miss URI (wrong case, http for https, a trailing
/// slash) or a conventional prefix bound to some other URI.
fn check_namespace_declaration(
    key: &str,
    uri: &str,
    line: usize,
    column: usize,
    diags: &mut Diags,
) {
    let prefix = key.strip_prefix("xmlns:").unwrap_or("");
    let norm = |u: &str| {
        u.trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_ascii_lowercase()
    };
    let known: [(&str, &str, &str); 4] = [
        (ITUNES_NS, "itunes", "apple/namespace"),
        (PODCAST_NS, "podcast", "podcast/namespace"),
        (CONTENT_NS, "content", "rss/content-namespace"),
        (SPOTIFY_NS, "spotify", "spotify/namespace"),
    ];
    if ns_of_uri(uri) != Ns::Other {
        return;
    }
    for (right, conventional, rule) in known {
        let near = norm(uri) == norm(right);
        if near || prefix == conventional {
            let why = if near { "differs from" } else { "is not" };
            diags.push_at(rule, line, column, format!("{key}=\"{uri}\" {why} the namespace URI \"{right}\"; apps match the URI exactly and ignore every element of this prefix. Declare {key}=\"{right}\""));
            return;
        }
    }
}
