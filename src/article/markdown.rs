//! Markdown articles with front matter.
//!
//! Front matter is YAML-ish `key: value` lines between `---` fences (read by
//! hand: only flat string keys matter here) or TOML between `+++` fences.
//! The body goes through pulldown-cmark (tables, heading attributes such as
//! `{#custom-id}`, definition lists) and becomes the same headings and blocks
//! the HTML parser produces; raw HTML blocks go through the HTML walker.
//! Sections, roles, FAQ and references are then done by [`super::build`].

use super::build::{self, Doc, Piece};
use super::html::{fragment_pieces, piece_to_block};
use super::text::{collapse, normalize_inlines};
use super::{Article, Block, Inline, Inlines, SectionRules};
use crate::youtube;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use url::Url;

pub(super) fn parse(text: &str, rules: &SectionRules) -> Result<Article, String> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let (front, body) = split_front_matter(text)?;
    let canonical_url = front
        .get(&[
            "url",
            "canonical",
            "canonical_url",
            "canonicalurl",
            "permalink",
        ])
        .filter(|u| u.starts_with("http"));
    let base = canonical_url.as_deref().and_then(|u| Url::parse(u).ok());

    let mut walker = MdWalker {
        rules: Some(rules),
        base: base.as_ref(),
        ..MdWalker::default()
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_STRIKETHROUGH;
    let body = strip_mdx_esm(body);
    for event in Parser::new_ext(&body, options) {
        walker.event(event);
    }
    walker.flush_html();

    let youtube_ids = youtube::ids_in_text(text)
        .iter()
        .map(|id| id.to_string())
        .collect();
    let doc = Doc {
        title: front.get(&["title"]),
        fallback_titles: Vec::new(),
        description: front.get(&["description", "summary", "excerpt"]),
        published: front.get(&[
            "date",
            "published",
            "pubdate",
            "publishdate",
            "date_published",
        ]),
        updated: front.get(&[
            "updated",
            "lastmod",
            "last_modified",
            "modified",
            "date_modified",
        ]),
        canonical_url,
        author: front.get(&["author", "authors"]),
        pieces: walker.containers.into_iter().next().unwrap_or_default(),
        trailing: Vec::new(),
        jsonld_faq: Vec::new(),
        youtube_ids,
        warnings: Vec::new(),
    };
    let mut article = build::assemble(doc, rules)?;
    article.markdown = true;
    Ok(article)
}

/// MDX files start with `import … from '…'` / `export const …` lines; they
/// are code, not text. Lines inside code fences are kept.
fn strip_mdx_esm(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_fence = false;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let esm = (t.starts_with("import ")
            && (t.contains(" from ") || t.trim_end().ends_with(';')))
            || t.starts_with("export const ")
            || t.starts_with("export default ")
            || t.starts_with("export function ");
        if in_fence || !esm || line.starts_with([' ', '\t']) {
            out.push_str(line);
        }
    }
    out
}

/// Flat front matter: lower-cased keys → string values, in file order.
#[derive(Debug, Default, PartialEq)]
struct FrontMatter(Vec<(String, String)>);

impl FrontMatter {
    /// The first non-empty value among these keys.
    fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.0
                .iter()
                .find(|(key, v)| key == k && !v.is_empty())
                .map(|(_, v)| v.clone())
        })
    }
}

/// Splits off `---` (YAML-ish) or `+++` (TOML) front matter.
fn split_front_matter(text: &str) -> Result<(FrontMatter, &str), String> {
    for (fence, toml) in [("---", false), ("+++", true)] {
        let Some(rest) = text
            .strip_prefix(fence)
            .and_then(|r| r.strip_prefix("\r\n").or_else(|| r.strip_prefix('\n')))
        else {
            continue;
        };
        let mut offset = 0;
        for line in rest.split_inclusive('\n') {
            let bare = line.trim_end();
            if bare == fence || (!toml && bare == "...") {
                let inner = &rest[..offset];
                let body = &rest[offset + line.len()..];
                let front = if toml {
                    toml_front(inner)?
                } else {
                    yaml_front(inner)
                };
                return Ok((front, body));
            }
            offset += line.len();
        }
        // An opening fence with no closing one is not front matter.
        return Ok((FrontMatter::default(), text));
    }
    Ok((FrontMatter::default(), text))
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return if q == '"' {
                inner.replace("\\\"", "\"")
            } else {
                inner.replace("''", "'")
            };
        }
    }
    // An unquoted value may end in a comment.
    v.split(" #").next().unwrap_or(v).trim().to_string()
}

/// `key: value` lines; `>`/`|` block scalars are folded into one line;
/// nested maps and lists are skipped.
fn yaml_front(inner: &str) -> FrontMatter {
    let mut out = Vec::new();
    let mut lines = inner.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        let value = if matches!(value, ">" | "|" | ">-" | "|-" | ">+" | "|+") {
            let mut parts = Vec::new();
            while let Some(next) = lines.peek() {
                if !next.starts_with([' ', '\t']) && !next.trim().is_empty() {
                    break;
                }
                parts.push(next.trim());
                lines.next();
            }
            collapse(&parts.join(" "))
        } else {
            unquote(value)
        };
        out.push((key, value));
    }
    FrontMatter(out)
}

fn toml_front(inner: &str) -> Result<FrontMatter, String> {
    let table: toml::Table =
        toml::from_str(inner).map_err(|e| format!("TOML front matter: {e}"))?;
    let values = table
        .into_iter()
        .filter_map(|(k, v)| {
            let v = match v {
                toml::Value::String(s) => s,
                toml::Value::Datetime(d) => d.to_string(),
                _ => return None,
            };
            Some((k.to_ascii_lowercase(), v))
        })
        .collect();
    Ok(FrontMatter(values))
}

/// Turns pulldown-cmark events into pieces.
#[derive(Default)]
struct MdWalker<'r> {
    rules: Option<&'r SectionRules>,
    base: Option<&'r Url>,
    /// Output stack: the document, then one entry per open blockquote.
    containers: Vec<Vec<Piece>>,
    /// Inline content of the paragraph / heading / cell / item being read.
    buffer: Inlines,
    strong_depth: usize,
    strong_text: String,
    link: Option<(String, String)>,
    image_depth: usize,
    heading: Option<(u8, Option<String>)>,
    list_depth: usize,
    list_ordered: bool,
    items: Vec<Inlines>,
    open_items: Vec<usize>,
    table: Option<TableBuilder>,
    html: Option<String>,
}

#[derive(Default)]
struct TableBuilder {
    head: Vec<Inlines>,
    rows: Vec<Vec<Inlines>>,
    row: Vec<Inlines>,
}

impl<'r> MdWalker<'r> {
    fn push_piece(&mut self, piece: Piece) {
        if self.containers.is_empty() {
            self.containers.push(Vec::new());
        }
        if let Some(top) = self.containers.last_mut() {
            top.push(piece);
        }
    }

    fn push_block(&mut self, block: Block) {
        self.push_piece(Piece::Block(block));
    }

    fn text(&mut self, t: &str) {
        if self.image_depth > 0 {
            return;
        }
        if let Some((_, text)) = &mut self.link {
            text.push_str(t);
        } else if self.strong_depth > 0 {
            self.strong_text.push_str(t);
        } else {
            self.buffer.push(Inline::Text {
                text: t.to_string(),
            });
        }
    }

    fn flush_strong(&mut self) {
        if !self.strong_text.is_empty() {
            let text = std::mem::take(&mut self.strong_text);
            self.buffer.push(Inline::Strong { text });
        }
    }

    /// Moves buffered inline content into the open list item.
    fn flush_into_item(&mut self) {
        if let Some(&i) = self.open_items.last() {
            let mut inl = std::mem::take(&mut self.buffer);
            if let Some(item) = self.items.get_mut(i) {
                if !item.is_empty() {
                    item.push(Inline::Text { text: " ".into() });
                }
                item.append(&mut inl);
            }
        }
    }

    fn paragraph(&mut self) {
        let text = normalize_inlines(std::mem::take(&mut self.buffer));
        if !text.is_empty() {
            self.push_block(Block::Paragraph { text });
        }
    }

    fn resolve(&self, href: &str) -> String {
        if href.starts_with('#') || Url::parse(href).is_ok() {
            return href.to_string();
        }
        self.base
            .and_then(|b| b.join(href).ok())
            .map_or_else(|| href.to_string(), |u| u.to_string())
    }

    fn flush_html(&mut self) {
        if let Some(html) = self.html.take() {
            let default = SectionRules::default();
            let rules = self.rules.unwrap_or(&default);
            for piece in fragment_pieces(&html, rules, self.base) {
                self.push_piece(piece);
            }
        }
    }

    fn event(&mut self, event: Event) {
        if !matches!(event, Event::Html(_) | Event::End(TagEnd::HtmlBlock)) {
            self.flush_html();
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.text(&t)
            }
            Event::SoftBreak | Event::HardBreak => self.text(" "),
            Event::InlineHtml(h) => {
                if h.to_ascii_lowercase().starts_with("<br") {
                    self.text(" ");
                }
            }
            Event::Html(h) => self.html.get_or_insert_with(String::new).push_str(&h),
            Event::Rule | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Heading { level, id, .. } => {
                self.buffer.clear();
                self.heading = Some((level as u8, id.map(|i| i.to_string())));
            }
            Tag::Strong if self.link.is_none() => self.strong_depth += 1,
            Tag::Link { dest_url, .. } => {
                self.flush_strong();
                self.link = Some((self.resolve(&dest_url), String::new()));
            }
            Tag::Image { .. } => self.image_depth += 1,
            Tag::BlockQuote(_) => {
                self.paragraph();
                self.containers.push(Vec::new());
            }
            Tag::List(first) => {
                if self.list_depth == 0 {
                    self.paragraph();
                    self.items.clear();
                    self.list_ordered = first.is_some();
                } else {
                    self.flush_into_item();
                }
                self.list_depth += 1;
            }
            Tag::Item => {
                self.items.push(Vec::new());
                self.open_items.push(self.items.len() - 1);
            }
            Tag::Table(_) => self.table = Some(TableBuilder::default()),
            Tag::TableRow | Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.row.clear();
                }
            }
            Tag::HtmlBlock => {
                self.html.get_or_insert_with(String::new);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                let text = normalize_inlines(std::mem::take(&mut self.buffer));
                if let Some((level, id)) = self.heading.take() {
                    self.push_piece(Piece::Heading { level, id, text });
                }
            }
            TagEnd::Strong if self.link.is_none() && self.strong_depth > 0 => {
                self.strong_depth -= 1;
                if self.strong_depth == 0 {
                    self.flush_strong();
                }
            }
            TagEnd::Link => {
                if let Some((url, text)) = self.link.take() {
                    self.buffer.push(Inline::Link { text, url });
                }
            }
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            TagEnd::Paragraph => {
                if self.open_items.is_empty() {
                    self.paragraph();
                } else {
                    self.flush_into_item();
                }
            }
            TagEnd::CodeBlock if self.open_items.is_empty() => self.paragraph(),
            TagEnd::BlockQuote(_) => {
                self.paragraph();
                if self.containers.len() > 1 {
                    let inner = self.containers.pop().unwrap_or_default();
                    let blocks: Vec<Block> = inner.into_iter().map(piece_to_block).collect();
                    if !blocks.is_empty() {
                        self.push_block(Block::Quote { blocks });
                    }
                }
            }
            TagEnd::Item => {
                self.flush_into_item();
                self.open_items.pop();
            }
            TagEnd::List(_) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth == 0 {
                    let items: Vec<Inlines> = std::mem::take(&mut self.items)
                        .into_iter()
                        .map(normalize_inlines)
                        .filter(|i| !i.is_empty())
                        .collect();
                    if !items.is_empty() {
                        self.push_block(Block::List {
                            ordered: self.list_ordered,
                            items,
                        });
                    }
                }
            }
            TagEnd::TableCell => {
                let cell = normalize_inlines(std::mem::take(&mut self.buffer));
                if let Some(t) = &mut self.table {
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.head = std::mem::take(&mut t.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.push_block(Block::Table {
                        head: t.head,
                        rows: t.rows,
                    });
                }
            }
            TagEnd::DefinitionListTitle => {
                let text = normalize_inlines(std::mem::take(&mut self.buffer));
                if !text.is_empty() {
                    self.push_block(Block::Heading { level: 3, text });
                }
            }
            TagEnd::DefinitionListDefinition => self.paragraph(),
            TagEnd::HtmlBlock => self.flush_html(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_ish_front_matter() {
        let (front, body) = split_front_matter(
            "---\ntitle: \"A: B\"\ndescription: >\n  one\n  two\ntags:\n  - x\ndate: 2026-05-06 # published\n---\n# Body\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(front.get(&["title"]).as_deref(), Some("A: B"));
        assert_eq!(front.get(&["description"]).as_deref(), Some("one two"));
        assert_eq!(front.get(&["date"]).as_deref(), Some("2026-05-06"));
        assert_eq!(front.get(&["tags"]), None);
        assert_eq!(body, "# Body\n");
    }

    #[test]
    fn toml_front_matter_and_unclosed_fences() {
        let (front, body) = split_front_matter("+++\ntitle = 'T'\ndate = 2026-05-06\n+++\nText")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(front.get(&["title"]).as_deref(), Some("T"));
        assert_eq!(front.get(&["date"]).as_deref(), Some("2026-05-06"));
        assert_eq!(body, "Text");
        let (front, body) =
            split_front_matter("---\nnot closed\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(front, FrontMatter::default());
        assert_eq!(body, "---\nnot closed\n");
        assert!(split_front_matter("+++\ntitle = \n+++\n").is_err());
    }

    #[test]
    fn toml_front_matter_raw_html_faq_and_tables() {
        let md = "+++\ntitle = \"Sleep\"\ncanonical = \"https://x.example/sleep/\"\n+++\n\nBreadcrumbs are not here.\n\n\
## Compare {#cmp}\n\n| A | B |\n|---|---|\n| 1 | **2** |\n\n\
## Frequently asked questions\n\n<details>\n<summary>Is it <em>safe</em>?</summary>\n\nYes, [see](/safety).\n\n</details>\n\n\
<details><summary>Does it cost?</summary><p>No.</p></details>\n";
        let a = parse(md, &SectionRules::default()).unwrap_or_else(|e| panic!("{e}"));
        let t = |s: &str| Inline::Text { text: s.into() };
        assert_eq!(a.title, "Sleep");
        assert_eq!(
            a.intro,
            vec![Block::Paragraph {
                text: vec![t("Breadcrumbs are not here.")]
            }]
        );
        let ids: Vec<(&str, super::super::Role)> =
            a.sections.iter().map(|s| (s.id.as_str(), s.role)).collect();
        assert_eq!(
            ids,
            [
                ("cmp", super::super::Role::Body),
                ("frequently-asked-questions", super::super::Role::Faq)
            ]
        );
        assert_eq!(
            a.sections[0].blocks,
            vec![Block::Table {
                head: vec![vec![t("A")], vec![t("B")]],
                rows: vec![vec![
                    vec![t("1")],
                    vec![Inline::Strong { text: "2".into() }]
                ]]
            }]
        );
        let faq: Vec<(&str, &Vec<Block>)> = a
            .faq
            .iter()
            .map(|f| (f.question.as_str(), &f.answer))
            .collect();
        assert_eq!(
            faq,
            [
                (
                    "Is it safe?",
                    &vec![Block::Paragraph {
                        text: vec![
                            t("Yes, "),
                            Inline::Link {
                                text: "see".into(),
                                url: "https://x.example/safety".into()
                            },
                            t(".")
                        ]
                    }]
                ),
                (
                    "Does it cost?",
                    &vec![Block::Paragraph {
                        text: vec![t("No.")]
                    }]
                ),
            ]
        );
    }

    #[test]
    fn mdx_imports_and_exports_are_not_text() {
        let a = parse(
            "import Callout from '@/components/Callout'\nexport const meta = { title: 'X' }\n\n# Title\n\nReal text.\n\n```js\nimport x from 'y'\n```\n",
            &SectionRules::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let texts: Vec<String> = a
            .intro
            .iter()
            .map(|b| match b {
                Block::Paragraph { text } => super::super::plain(text),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(texts, ["Real text.", "import x from 'y'"]);
    }
}
