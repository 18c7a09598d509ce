//! HTML article pages, as a website serves them.
//!
//! Finds the article container (the longest `<article>` with `h2`s, `<main>`,
//! `[role=main]`, `.entry-content`-like classes, else `<body>`), walks it in
//! document order while dropping page furniture (navigation, TOC blocks,
//! scripts, asides, hidden elements), and hands headings and blocks to the
//! shared pass in [`super::build`]. Metadata comes from JSON-LD first, then
//! `<meta>`/`<link>` tags. html5ever accepts any input, so broken markup
//! never fails here; only a page with no title and no text is an error.

use super::build::{self, Doc, Piece};
use super::jsonld;
use super::text::{collapse, normalize_inlines};
use super::{Article, Block, Faq, Inline, Inlines, SectionRules};
use crate::youtube;
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};
use url::Url;

pub(super) fn parse(text: &str, rules: &SectionRules) -> Result<Article, String> {
    let page = Html::parse_document(text);
    let scripts: Vec<String> = select(&page.root_element(), "script")
        .filter(|s| {
            s.attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        })
        .map(|s| s.text().collect::<String>())
        .collect();
    let ld = jsonld::read(scripts.iter().map(String::as_str));

    let root = page.root_element();
    let canonical_url = first_attr(&root, "link[rel~=canonical]", "href")
        .or_else(|| meta(&root, "og:url"))
        .or_else(|| ld.url.clone());
    let base = canonical_url.as_deref().and_then(|u| Url::parse(u).ok());
    let walker = Walker {
        rules,
        base: base.as_ref(),
    };

    let container = find_container(&page);
    let mut pieces = Vec::new();
    walker.blocks(container, &mut pieces);
    let mut trailing = Vec::new();
    for el in following_elements(container) {
        walker.block_element(el, &mut trailing);
    }

    let mut youtube_ids: Vec<String> = Vec::new();
    for source in std::iter::once(container.html()).chain(scripts.iter().cloned()) {
        for id in youtube::ids_in_text(&source) {
            let id = id.to_string();
            if !youtube_ids.contains(&id) {
                youtube_ids.push(id);
            }
        }
    }

    let jsonld_faq = ld
        .faq
        .iter()
        .map(|(question, answer)| Faq {
            question: decode(question),
            answer: fragment_blocks(answer, &walker),
        })
        .collect();

    let mut fallback_titles = Vec::new();
    if let Some(h1) = select(&container, "h1")
        .next()
        .or_else(|| select(&root, "h1").next())
    {
        fallback_titles.push(text_of(h1));
    }
    fallback_titles.extend(meta(&root, "og:title"));
    fallback_titles.extend(select(&root, "title").next().map(text_of));

    let doc = Doc {
        title: ld.headline.as_deref().map(decode),
        fallback_titles,
        description: meta(&root, "description")
            .or_else(|| meta(&root, "og:description"))
            .or(ld.description.as_deref().map(decode)),
        published: ld
            .published
            .or_else(|| meta(&root, "article:published_time"))
            .or_else(|| first_attr(&root, "[itemprop=datePublished]", "datetime"))
            .or_else(|| first_attr(&root, "[itemprop=datePublished]", "content")),
        updated: ld
            .modified
            .or_else(|| meta(&root, "article:modified_time"))
            .or_else(|| meta(&root, "og:updated_time"))
            .or_else(|| first_attr(&root, "[itemprop=dateModified]", "datetime")),
        canonical_url,
        author: ld
            .author
            .as_deref()
            .map(decode)
            .or_else(|| meta(&root, "author")),
        pieces,
        trailing,
        jsonld_faq,
        youtube_ids,
        warnings: toc_warnings(&root, &walker),
    };
    build::assemble(doc, rules)
}

/// A table of contents is dropped from the text, but its links are a check:
/// each `#fragment` it lists should be the id of something on the page.
fn toc_warnings(root: &ElementRef, walker: &Walker) -> Vec<String> {
    let ids: std::collections::HashSet<&str> = select(root, "[id]")
        .filter_map(|e| e.value().id())
        .collect();
    let is_toc = |e: &ElementRef| {
        let v = e.value();
        v.name() == "nav"
            || v.classes().any(toc_word)
            || v.id().is_some_and(toc_word)
            || (v.name() == "details" && walker.is_dropped(e))
            || (matches!(v.name(), "ul" | "ol") && is_anchor_list(*e))
    };
    let mut missing: Vec<String> = Vec::new();
    for toc in select(root, "nav, details, ul, ol, div, section").filter(|e| is_toc(e)) {
        for a in select(&toc, "a[href^='#']") {
            let Some(fragment) = a.attr("href").and_then(|h| h.strip_prefix('#')) else {
                continue;
            };
            let fragment = percent_decode(fragment);
            // "#top" scrolls to the top of any page.
            if !fragment.is_empty()
                && fragment != "top"
                && !ids.contains(fragment.as_str())
                && !missing.contains(&fragment)
            {
                missing.push(fragment);
            }
        }
    }
    missing
        .into_iter()
        .map(|f| {
            format!("the table of contents links to #{f}, but no element on the page has that id")
        })
        .collect()
}

/// `%C3%A9` → `é` in URL fragments (ids with non-ASCII characters).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|b| hex(*b)),
            bytes.get(i + 2).and_then(|b| hex(*b)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Pieces of an HTML fragment (raw HTML inside Markdown).
pub(super) fn fragment_pieces(html: &str, rules: &SectionRules, base: Option<&Url>) -> Vec<Piece> {
    let fragment = Html::parse_fragment(html);
    let mut pieces = Vec::new();
    Walker { rules, base }.blocks(fragment.root_element(), &mut pieces);
    pieces
}

/// Blocks of an HTML fragment (a JSON-LD answer); plain text gives one paragraph.
fn fragment_blocks(html: &str, walker: &Walker) -> Vec<Block> {
    let fragment = Html::parse_fragment(html);
    let mut pieces = Vec::new();
    walker.blocks(fragment.root_element(), &mut pieces);
    pieces.into_iter().map(piece_to_block).collect()
}

/// JSON-LD text with HTML entities (and any stray tags) turned into plain text:
/// some CMSs escape `'` as `&#8217;` inside JSON strings.
fn decode(s: &str) -> String {
    if s.contains('&') || s.contains('<') {
        collapse(
            &Html::parse_fragment(s)
                .root_element()
                .text()
                .collect::<String>(),
        )
    } else {
        collapse(s)
    }
}

pub(super) fn piece_to_block(piece: Piece) -> Block {
    match piece {
        Piece::Heading { level, text, .. } => Block::Heading { level, text },
        Piece::Block(b) => b,
    }
}

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

/// Elements below `el` matching a (constant, known-good) CSS selector.
fn select<'a>(el: &ElementRef<'a>, css: &str) -> impl Iterator<Item = ElementRef<'a>> + use<'a> {
    let found: Vec<ElementRef<'a>> = match selector(css) {
        Some(s) => el.select(&s).collect(),
        None => Vec::new(),
    };
    found.into_iter()
}

fn first_attr(el: &ElementRef, css: &str, attr: &str) -> Option<String> {
    select(el, css)
        .find_map(|e| e.attr(attr).map(collapse))
        .filter(|v| !v.is_empty())
}

/// `<meta name=…>` or `<meta property=…>` content.
fn meta(root: &ElementRef, key: &str) -> Option<String> {
    select(root, "meta")
        .find_map(|m| {
            let name = m.attr("name").or_else(|| m.attr("property"))?;
            name.eq_ignore_ascii_case(key)
                .then(|| collapse(m.attr("content").unwrap_or_default()))
        })
        .filter(|v| !v.is_empty())
}

fn text_of(el: ElementRef) -> String {
    collapse(&el.text().collect::<String>())
}

fn has_heading(el: &ElementRef, level: &str) -> bool {
    select(el, level).next().is_some()
}

/// The article container (see the module docs for the order).
fn find_container(page: &Html) -> ElementRef<'_> {
    let root = page.root_element();
    // The <article> with h2s and the most text: teaser cards of related posts
    // are <article>s with headings too, but short ones.
    let text_len = |e: &ElementRef| e.text().map(str::len).sum::<usize>();
    let best = select(&root, "article")
        .filter(|a| has_heading(a, "h2"))
        .fold(None::<(ElementRef, usize)>, |best, a| {
            let len = text_len(&a);
            match best {
                Some((_, best_len)) if best_len >= len => best,
                _ => Some((a, len)),
            }
        });
    if let Some((article, _)) = best {
        return article;
    }
    for css in [
        "main",
        "[role=main]",
        ".entry-content, .post-content, .article-content, .post-body, .prose, .w-richtext",
    ] {
        if let Some(el) = select(&root, css).next() {
            return el;
        }
    }
    select(&root, "article")
        .find(|a| has_heading(a, "h3"))
        .or_else(|| select(&root, "article").next())
        .or_else(|| select(&root, "body").next())
        .unwrap_or(root)
}

/// Elements after the container in document order (its following siblings,
/// then its ancestors' following siblings), for the repeated FAQ/references copies.
fn following_elements(container: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut out = Vec::new();
    let mut node = Some(*container);
    while let Some(n) = node {
        out.extend(n.next_siblings().filter_map(ElementRef::wrap));
        node = n
            .parent()
            .filter(|p| ElementRef::wrap(*p).is_some_and(|e| e.value().name() != "html"));
    }
    out
}

/// Inline-level elements: their content joins the surrounding paragraph.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
    "var", "wbr", "br", "img",
];

/// Elements that never carry article text.
const DROPPED: &[&str] = &[
    "nav", "header", "footer", "aside", "script", "style", "form", "noscript", "template", "svg",
    "button", "iframe", "object", "embed", "canvas", "select", "textarea", "input", "link", "meta",
    "dialog", "video", "audio", "picture", "head", "title",
];

/// Class/id words of table-of-contents blocks (`toc`, `ez-toc-container`,
/// `table-of-contents`, Hugo's `TableOfContents`).
fn toc_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    w == "toc"
        || w.starts_with("toc-")
        || w.starts_with("toc_")
        || w.ends_with("-toc")
        || w.ends_with("_toc")
        || w.contains("-toc-")
        || w.contains("table-of-contents")
        || w.contains("tableofcontents")
}

/// Class/id words of page furniture: TOC blocks, share bars, bylines and
/// screen-reader-only text.
fn furniture_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    let share = w.contains("share") || w.starts_with("social");
    let hidden = matches!(
        w.as_str(),
        "sr-only" | "screen-reader-text" | "visually-hidden" | "visuallyhidden"
    );
    // Bylines and date lines next to the title are not intro text.
    let byline = w == "byline" || w.ends_with("-meta") || w.ends_with("_meta");
    toc_word(&w) || share || hidden || byline
}

struct Walker<'r> {
    rules: &'r SectionRules,
    base: Option<&'r Url>,
}

impl Walker<'_> {
    fn is_dropped(&self, el: &ElementRef) -> bool {
        let e = el.value();
        if e.name() == "button" {
            // Accordion FAQs put the question in <h3><button>; other buttons are controls.
            return !el.ancestors().filter_map(ElementRef::wrap).any(|a| {
                matches!(
                    a.value().name(),
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "summary" | "dt"
                )
            });
        }
        if e.name() == "header" {
            // <section><header><h2>…</h2></header>… is a section heading; page
            // and article headers hold the h1, bylines and navigation.
            return !has_heading(el, "h2, h3, h4, h5, h6");
        }
        if DROPPED.contains(&e.name()) {
            return true;
        }
        let style: String = e
            .attr("style")
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
        if e.attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            || e.attr("hidden").is_some()
        {
            return true;
        }
        if e.classes().any(furniture_word) || e.id().is_some_and(furniture_word) {
            return true;
        }
        if e.name() == "details"
            && let Some(summary) = el.child_elements().find(|c| c.value().name() == "summary")
            && self.rules.role_for(&text_of(summary)) == super::Role::Skip
        {
            return true;
        }
        false
    }

    /// Block pieces of `el`'s children; loose inline content becomes paragraphs.
    fn blocks(&self, el: ElementRef, out: &mut Vec<Piece>) {
        let mut pending: Inlines = Vec::new();
        for child in el.children() {
            match child.value() {
                Node::Text(t) => pending.push(Inline::Text {
                    text: t.to_string(),
                }),
                Node::Element(e) => {
                    let Some(child_el) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if self.is_dropped(&child_el) {
                        continue;
                    }
                    if INLINE.contains(&e.name()) {
                        self.inline(child_el, &mut pending, false);
                    } else {
                        flush(&mut pending, out);
                        self.block_element(child_el, out);
                    }
                }
                _ => {}
            }
        }
        flush(&mut pending, out);
    }

    /// One block-level element (or a wrapper, walked through).
    fn block_element(&self, el: ElementRef, out: &mut Vec<Piece>) {
        if self.is_dropped(&el) {
            return;
        }
        let name = el.value().name();
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                out.push(self.heading(el, level));
            }
            "p" | "pre" | "address" | "figcaption" | "dt" | "summary" => {
                let mut inlines = Vec::new();
                self.inline_children(el, &mut inlines, false);
                flush(&mut inlines, out);
            }
            "ul" | "ol" => {
                if is_anchor_list(el) {
                    // Its label ("In this article") goes with it.
                    if let Some(Piece::Block(Block::Paragraph { text })) = out.last()
                        && self.rules.role_for(&super::plain(text)) == super::Role::Skip
                    {
                        out.pop();
                    }
                    return;
                }
                let mut items = Vec::new();
                self.list_items(el, &mut items);
                if !items.is_empty() {
                    out.push(Piece::Block(Block::List {
                        ordered: name == "ol",
                        items,
                    }));
                }
            }
            "table" => {
                if let Some(table) = self.table(el) {
                    out.push(Piece::Block(table));
                }
            }
            "blockquote" => {
                let mut inner = Vec::new();
                self.blocks(el, &mut inner);
                if !inner.is_empty() {
                    out.push(Piece::Block(Block::Quote {
                        blocks: inner.into_iter().map(piece_to_block).collect(),
                    }));
                }
            }
            "details" => {
                // A disclosure widget: its summary is a question-like sub-heading.
                let mut inner = Vec::new();
                for child in el.children() {
                    match ElementRef::wrap(child) {
                        Some(c) if c.value().name() == "summary" => {
                            let text = self.heading_inlines(c);
                            if !text.is_empty() {
                                inner.push(Piece::Block(Block::Heading { level: 3, text }));
                            }
                        }
                        Some(c) if !self.is_dropped(&c) => {
                            if INLINE.contains(&c.value().name()) {
                                let mut inl = Vec::new();
                                self.inline(c, &mut inl, false);
                                flush(&mut inl, &mut inner);
                            } else {
                                self.block_element(c, &mut inner);
                            }
                        }
                        Some(_) => {}
                        None => {
                            if let Some(t) = child.value().as_text() {
                                let mut inl = vec![Inline::Text {
                                    text: t.to_string(),
                                }];
                                flush(&mut inl, &mut inner);
                            }
                        }
                    }
                }
                out.extend(inner.into_iter().map(|p| Piece::Block(piece_to_block(p))));
            }
            "dl" => {
                for child in el.child_elements() {
                    match child.value().name() {
                        "dt" => {
                            let text = self.heading_inlines(child);
                            if !text.is_empty() {
                                out.push(Piece::Block(Block::Heading { level: 3, text }));
                            }
                        }
                        "dd" => {
                            let mut inner = Vec::new();
                            self.blocks(child, &mut inner);
                            out.extend(inner.into_iter().map(|p| Piece::Block(piece_to_block(p))));
                        }
                        // Some themes wrap each dt/dd pair in a div.
                        _ => self.block_element(child, out),
                    }
                }
            }
            "hr" | "br" | "img" => {}
            _ => self.blocks(el, out),
        }
    }

    fn heading(&self, el: ElementRef, level: u8) -> Piece {
        let mut id = el.value().id().map(str::to_string);
        if id.is_none() {
            // rehype-autolink-headings: <a href="#id">; TOC plugins: <span id="…"></span>.
            id = el
                .descendent_elements()
                .skip(1)
                .find_map(|d| {
                    let href = d.attr("href").filter(|_| d.value().name() == "a")?;
                    href.strip_prefix('#')
                        .filter(|f| !f.is_empty())
                        .map(str::to_string)
                })
                .or_else(|| {
                    el.descendent_elements()
                        .skip(1)
                        .find(|d| d.value().id().is_some() && text_of(*d).is_empty())
                        .and_then(|d| d.value().id().map(str::to_string))
                })
                .or_else(|| {
                    // <section id="…"><h2>…</h2>: the section carries the id.
                    let parent = el.parent().and_then(ElementRef::wrap)?;
                    let first = parent.child_elements().next()?;
                    (parent.value().name() == "section" && first.id() == el.id())
                        .then(|| parent.value().id().map(str::to_string))
                        .flatten()
                });
        }
        Piece::Heading {
            level,
            id,
            text: self.heading_inlines(el),
        }
    }

    /// Heading text without permalink anchors and with fragment links as text.
    fn heading_inlines(&self, el: ElementRef) -> Inlines {
        let mut raw = Vec::new();
        self.inline_children(el, &mut raw, false);
        let raw = raw
            .into_iter()
            .filter_map(|i| match i {
                Inline::Link { text, url } if url.starts_with('#') => {
                    let bare = super::text::strip_anchor_marks(&text);
                    (!bare.is_empty()).then_some(Inline::Text { text })
                }
                other => Some(other),
            })
            .collect();
        normalize_inlines(raw)
    }

    fn inline_children(&self, el: ElementRef, out: &mut Inlines, skip_lists: bool) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => out.push(Inline::Text {
                    text: t.to_string(),
                }),
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        self.inline(c, out, skip_lists);
                    }
                }
                _ => {}
            }
        }
    }

    /// Inline content of one element. Block elements met here (a `<p>` in a
    /// `<li>`) are separated by a space.
    fn inline(&self, el: ElementRef, out: &mut Inlines, skip_lists: bool) {
        if self.is_dropped(&el) {
            return;
        }
        let name = el.value().name();
        match name {
            "br" => out.push(Inline::Text { text: " ".into() }),
            "img" => {}
            "ul" | "ol" if skip_lists => {}
            "strong" | "b" if select(&el, "a[href]").next().is_none() => {
                out.push(Inline::Strong {
                    text: self.inner_text(el),
                });
            }
            "a" => match el
                .attr("href")
                .map(str::trim)
                .filter(|h| !h.is_empty() && !h.starts_with("javascript:"))
            {
                Some(href) => out.push(Inline::Link {
                    text: self.inner_text(el),
                    url: self.resolve(href),
                }),
                None => self.inline_children(el, out, skip_lists),
            },
            _ if INLINE.contains(&name) => self.inline_children(el, out, skip_lists),
            _ => {
                out.push(Inline::Text { text: " ".into() });
                self.inline_children(el, out, skip_lists);
                out.push(Inline::Text { text: " ".into() });
            }
        }
    }

    /// Text of an inline element: hidden parts skipped, `<br>` as a space.
    fn inner_text(&self, el: ElementRef) -> String {
        let mut inner = Vec::new();
        self.inline_children(el, &mut inner, false);
        super::plain(&inner)
    }

    /// Absolute URL for a link: relative hrefs resolved against the canonical
    /// URL when known; fragment-only links kept as they are.
    fn resolve(&self, href: &str) -> String {
        if href.starts_with('#') {
            return href.to_string();
        }
        match (Url::parse(href), self.base) {
            (Ok(u), _) => u.to_string(),
            (Err(_), Some(base)) => base
                .join(href)
                .map(|u| u.to_string())
                .unwrap_or_else(|_| href.to_string()),
            (Err(_), None) => href.to_string(),
        }
    }

    /// List items, nested lists flattened after their parent item.
    fn list_items(&self, list: ElementRef, items: &mut Vec<Inlines>) {
        for child in list.child_elements() {
            if self.is_dropped(&child) {
                continue;
            }
            match child.value().name() {
                "li" => {
                    let mut inl = Vec::new();
                    self.inline_children(child, &mut inl, true);
                    let inl = normalize_inlines(inl);
                    if !inl.is_empty() {
                        items.push(inl);
                    }
                    for nested in child
                        .descendent_elements()
                        .filter(|d| matches!(d.value().name(), "ul" | "ol"))
                    {
                        // Only lists directly nested in this item; deeper ones come through recursion.
                        let parent_li = nested
                            .ancestors()
                            .filter_map(ElementRef::wrap)
                            .find(|a| a.value().name() == "li");
                        if parent_li.is_some_and(|p| p.id() == child.id())
                            && !self.is_dropped(&nested)
                        {
                            self.list_items(nested, items);
                        }
                    }
                }
                // Invalid but common: a list directly inside a list.
                "ul" | "ol" => self.list_items(child, items),
                _ => {}
            }
        }
    }

    fn table(&self, table: ElementRef) -> Option<Block> {
        let row_cells = |tr: ElementRef| -> Vec<Inlines> {
            tr.child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .map(|cell| {
                    let mut inl = Vec::new();
                    self.inline_children(cell, &mut inl, false);
                    normalize_inlines(inl)
                })
                .collect()
        };
        // Rows of this table only, not of tables nested in its cells.
        let rows: Vec<ElementRef> = select(&table, "tr")
            .filter(|tr| {
                tr.ancestors()
                    .filter_map(ElementRef::wrap)
                    .find(|a| a.value().name() == "table")
                    .map(|t| t.id())
                    == Some(table.id())
            })
            .collect();
        let head_row = rows.iter().position(|tr| {
            tr.parent()
                .and_then(ElementRef::wrap)
                .is_some_and(|p| p.value().name() == "thead")
        });
        let head_index = head_row.or(if rows.is_empty() { None } else { Some(0) })?;
        let head = row_cells(rows[head_index]);
        let body: Vec<Vec<Inlines>> = rows
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != head_index)
            .map(|(_, tr)| row_cells(*tr))
            .filter(|cells| cells.iter().any(|c| !c.is_empty()))
            .collect();
        Some(Block::Table { head, rows: body })
    }
}

/// Turns pending inline content into a paragraph (if it has any text).
fn flush(pending: &mut Inlines, out: &mut Vec<Piece>) {
    let text = normalize_inlines(std::mem::take(pending));
    if !text.is_empty() {
        out.push(Piece::Block(Block::Paragraph { text }));
    }
}

/// A table-of-contents list: every bit of its text is inside `#fragment` links.
fn is_anchor_list(list: ElementRef) -> bool {
    let links: Vec<ElementRef> = select(&list, "a").collect();
    if links.is_empty()
        || !links
            .iter()
            .all(|a| a.attr("href").is_some_and(|h| h.trim().starts_with('#')))
    {
        return false;
    }
    let all: String = list.text().collect::<String>().split_whitespace().collect();
    let linked: String = links
        .iter()
        .flat_map(|a| a.text())
        .collect::<String>()
        .split_whitespace()
        .collect();
    all == linked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(html: &str) -> Article {
        parse(html, &SectionRules::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn heading_ids_come_from_id_then_anchor_then_slug() {
        let a = article(
            r##"<article><h1>T</h1>
            <h2 id="own">Own <a href="#own" aria-hidden="true">#</a></h2><p>a</p>
            <h2>From anchor <a class="anchor" href="#from-a">¶</a></h2><p>b</p>
            <h2><span class="ez-toc-section" id="Span_Id"></span>Span id</h2><p>c</p>
            <h2>Own</h2><p>d</p></article>"##,
        );
        let got: Vec<(&str, &str)> = a
            .sections
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("own", "Own"),
                ("from-a", "From anchor"),
                ("Span_Id", "Span id"),
                ("own-1", "Own")
            ]
        );
    }

    #[test]
    fn nested_lists_flatten_and_links_resolve() {
        let a = article(
            r##"<html><head><link rel="canonical" href="https://x.org/blog/post/"></head><body><main>
            <ul><li>One <a href="/a">rel</a><ul><li>One.a</li></ul></li><li><p>Two</p><p>lines</p></li></ul>
            <p><a href="#top">top</a> <b>bold</b></p></main></body></html>"##,
        );
        let expected_items = vec![
            vec![
                Inline::Text {
                    text: "One ".into(),
                },
                Inline::Link {
                    text: "rel".into(),
                    url: "https://x.org/a".into(),
                },
            ],
            vec![Inline::Text {
                text: "One.a".into(),
            }],
            vec![Inline::Text {
                text: "Two lines".into(),
            }],
        ];
        assert_eq!(
            a.intro[0],
            Block::List {
                ordered: false,
                items: expected_items
            }
        );
        assert_eq!(
            a.intro[1],
            Block::Paragraph {
                text: vec![
                    Inline::Link {
                        text: "top".into(),
                        url: "#top".into()
                    },
                    Inline::Text { text: " ".into() },
                    Inline::Strong {
                        text: "bold".into()
                    }
                ]
            }
        );
    }

    #[test]
    fn accordion_faq_with_collapsed_answers_takes_answers_from_json_ld() {
        // shadcn/Radix accordion: the question is a <button> in an <h3>, the
        // closed answer panel is `hidden`; JSON-LD carries the answers.
        let a = article(
            r#"<html><head><script type="application/ld+json">{"@type":"FAQPage","mainEntity":[
              {"@type":"Question","name":"Can I switch therapists?","acceptedAnswer":{"@type":"Answer","text":"Yes, at any time."}}]}</script>
            </head><body><article><h1>T</h1><h2>FAQ</h2><div data-orientation="vertical">
            <h3><button type="button" aria-expanded="false">Can I switch therapists?<svg></svg></button></h3>
            <div role="region" hidden>Yes, at any time.</div></div>
            <p style="display: none">Hidden text</p><button>Copy link</button></article></body></html>"#,
        );
        assert_eq!(a.faq.len(), 1);
        assert_eq!(a.faq[0].question, "Can I switch therapists?");
        assert_eq!(
            a.faq[0].answer,
            vec![Block::Paragraph {
                text: vec![Inline::Text {
                    text: "Yes, at any time.".into()
                }]
            }]
        );
        assert_eq!(
            a.sections[0].blocks,
            vec![Block::Heading {
                level: 3,
                text: vec![Inline::Text {
                    text: "Can I switch therapists?".into()
                }]
            }]
        );
    }

    #[test]
    fn section_wrappers_give_ids_and_json_ld_entities_are_decoded() {
        let a = article(
            r#"<script type="application/ld+json">{"@type":"Article","headline":"Don&#8217;t panic &amp; breathe"}</script>
            <main><section id="intro-part"><h2>Start here</h2><p>x</p></section></main>"#,
        );
        assert_eq!(a.title, "Don’t panic & breathe");
        assert_eq!(a.sections[0].id, "intro-part");
    }

    #[test]
    fn an_unmarked_toc_goes_with_its_label() {
        let a = article(
            r##"<main><h1>T</h1><div><p><strong>In this article:</strong></p>
            <ul><li><a href="#one">One</a></li><li><a href="#two">Two</a></li></ul></div>
            <p>Intro.</p><h2 id="one">One</h2><p>a</p><h2 id="two">Two</h2><p>b</p></main>"##,
        );
        assert_eq!(
            a.intro,
            vec![Block::Paragraph {
                text: vec![Inline::Text {
                    text: "Intro.".into()
                }]
            }]
        );
        assert_eq!(a.warnings, Vec::<String>::new());
    }

    #[test]
    fn related_post_cards_before_the_article_are_not_the_article() {
        let a = article(
            r#"<body><section class="featured"><article><h2>Other post</h2><p>Teaser.</p></article></section>
            <article><h1>Real</h1><p>Intro text of the real article.</p><h2>Part one</h2><p>Body text of part one.</p></article></body>"#,
        );
        assert_eq!(a.title, "Real");
        assert_eq!(
            a.sections
                .iter()
                .map(|s| s.title.as_str())
                .collect::<Vec<_>>(),
            ["Part one"]
        );
    }

    #[test]
    fn section_headers_keep_their_headings_page_headers_go() {
        let a = article(
            r#"<article><header><h1>T</h1><p class="dek">By someone</p></header>
            <section><header><h2>Quick answer</h2></header><p>Short.</p></section></article>"#,
        );
        assert_eq!(a.title, "T");
        assert!(a.intro.is_empty());
        assert_eq!(
            a.sections
                .iter()
                .map(|s| (s.title.as_str(), s.role))
                .collect::<Vec<_>>(),
            [("Quick answer", super::super::Role::Summary)]
        );
    }
}
