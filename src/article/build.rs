//! The one role-processing pass both parsers share.
//!
//! The HTML and Markdown parsers only turn their input into a [`Doc`]: page
//! metadata plus a flat list of [`Piece`]s (headings and blocks in document
//! order). Everything else happens here, the same way for both formats:
//! title choice, cutting sections at the top heading level, section ids,
//! roles, removing the repeated FAQ/references copies, and extracting FAQ
//! pairs and references.

use super::text::{Slugger, collapse, match_key, slug, strip_anchor_marks};
use super::{
    Article, Block, Faq, Inline, Inlines, Reference, Role, Section, SectionRules, faq, plain,
    references,
};

/// What a parser found, before sectioning.
#[derive(Debug, Default)]
pub(super) struct Doc {
    /// Title from metadata (JSON-LD headline, front matter); `None` → first `h1`.
    pub title: Option<String>,
    /// Fallback titles tried after the `h1` (`og:title`, `<title>`).
    pub fallback_titles: Vec<String>,
    pub description: Option<String>,
    pub published: Option<String>,
    pub updated: Option<String>,
    pub canonical_url: Option<String>,
    /// JSON-LD `author`, `<meta name=author>`, front matter `author`.
    pub author: Option<String>,
    /// The article content in document order.
    pub pieces: Vec<Piece>,
    /// Content after the article container (copies of FAQ / references that
    /// some sites repeat); used only to fill gaps.
    pub trailing: Vec<Piece>,
    /// FAQ pairs from JSON-LD `FAQPage` / `Question` nodes.
    pub jsonld_faq: Vec<Faq>,
    pub youtube_ids: Vec<String>,
    /// Parser-specific findings (e.g. a table of contents pointing at missing ids).
    pub warnings: Vec<String>,
}

/// A heading or a block.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    Heading {
        level: u8,
        /// The id the page gives the heading (attribute, anchor fragment).
        id: Option<String>,
        text: Inlines,
    },
    Block(Block),
}

/// Cuts a [`Doc`] into an [`Article`].
pub(super) fn assemble(mut doc: Doc, rules: &SectionRules) -> Result<Article, String> {
    // The first h1 is the page title, never part of the intro.
    let first_h1 = doc
        .pieces
        .iter()
        .position(|p| matches!(p, Piece::Heading { level: 1, .. }));
    let h1_text = first_h1.and_then(|i| {
        // Blocks above the title (breadcrumbs, category labels) are not intro,
        // unless a heading comes before it (then the h1 is not at the top).
        let drop_before = doc.pieces[..i].iter().all(|p| matches!(p, Piece::Block(_)));
        let heading = doc.pieces.remove(i);
        if drop_before {
            doc.pieces.drain(..i);
        }
        match heading {
            Piece::Heading { text, .. } => Some(heading_title(&text)),
            Piece::Block(_) => None,
        }
    });
    let title = [doc.title.clone(), h1_text]
        .into_iter()
        .flatten()
        .chain(doc.fallback_titles.iter().cloned())
        .map(|t| collapse(&t))
        .find(|t| !t.is_empty())
        .unwrap_or_default();

    let mut slugger = Slugger::default();
    let (intro, mut sections) = split_sections(doc.pieces, rules, &mut slugger);
    let copies_after = split_sections(
        std::mem::take(&mut doc.trailing),
        rules,
        &mut Slugger::default(),
    )
    .1;

    if title.is_empty() && intro.is_empty() && sections.is_empty() {
        return Err("no article content found (no title and no text in the page)".into());
    }

    // A faq/references section repeating an earlier one is a copy: removed,
    // kept aside to fill gaps. An empty one (a heading whose content the site
    // renders with JavaScript) gives way to a later one with content.
    let mut copies: Vec<Section> = Vec::new();
    let mut kept: Vec<Section> = Vec::new();
    for section in sections.drain(..) {
        if !matches!(section.role, Role::Faq | Role::References) {
            kept.push(section);
            continue;
        }
        match kept.iter().position(|k| k.role == section.role) {
            None => kept.push(section),
            Some(i) if !has_content(&kept[i]) && has_content(&section) => {
                copies.push(kept.remove(i));
                kept.push(section);
            }
            Some(_) => copies.push(section),
        }
    }
    copies.extend(
        copies_after
            .into_iter()
            .filter(|s| matches!(s.role, Role::Faq | Role::References)),
    );

    let mut warnings = std::mem::take(&mut doc.warnings);
    if title.is_empty() {
        warnings.push("no title found (no JSON-LD headline, <h1>, og:title or <title>)".into());
    }
    if kept.is_empty() {
        warnings.push("no section headings found: the whole article is intro".into());
    }
    let faq = build_faq(&kept, &copies, doc.jsonld_faq, &mut warnings);
    let references = build_references(&kept, &copies);
    for r in references.iter().filter(|r| r.url.is_none()) {
        warnings.push(format!("reference without a URL: {}", r.text));
    }
    let updated = doc.updated.or_else(|| last_updated_line(&intro, &kept));

    Ok(Article {
        title,
        description: doc.description,
        published: doc.published,
        updated,
        canonical_url: doc.canonical_url,
        author: doc.author,
        intro,
        sections: kept,
        faq,
        references,
        youtube_ids: doc.youtube_ids,
        markdown: false,
        warnings,
    })
}

/// Whether a faq/references section has any pairs/entries.
fn has_content(section: &Section) -> bool {
    match section.role {
        Role::Faq => !faq::pairs(&section.blocks).is_empty(),
        Role::References => !references::parse_blocks(&section.blocks).is_empty(),
        _ => !section.blocks.is_empty(),
    }
}

/// Plain heading text with permalink marks removed.
pub(super) fn heading_title(text: &[Inline]) -> String {
    strip_anchor_marks(&plain(text))
}

/// Splits pieces at the top heading level: blocks before the first such
/// heading are the intro. The top level is 2 when there is any `h2`, else the
/// shallowest level present (`h3`-only articles are cut at `h3`).
fn split_sections(
    pieces: Vec<Piece>,
    rules: &SectionRules,
    slugger: &mut Slugger,
) -> (Vec<Block>, Vec<Section>) {
    let levels = || {
        pieces.iter().filter_map(|p| match p {
            Piece::Heading { level, text, .. } if !heading_title(text).is_empty() => Some(*level),
            _ => None,
        })
    };
    let cut = levels()
        .filter(|l| *l >= 2)
        .min()
        .or_else(|| levels().min())
        .unwrap_or(0);
    for piece in &pieces {
        if let Piece::Heading {
            level,
            id: Some(id),
            ..
        } = piece
            && *level <= cut
        {
            slugger.reserve(id);
        }
    }

    let mut intro = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    for piece in pieces {
        let block = match piece {
            Piece::Heading { level, id, text } => {
                let title = heading_title(&text);
                if title.is_empty() {
                    continue;
                }
                if level <= cut {
                    let (id, own_id) = match id.filter(|i| !i.is_empty()) {
                        Some(id) => (id, true),
                        None => (slugger.unique(&slug(&title)), false),
                    };
                    sections.push(Section {
                        id,
                        own_id,
                        role: rules.role_for(&title),
                        title,
                        blocks: Vec::new(),
                    });
                    continue;
                }
                Block::Heading {
                    level,
                    text: strip_heading_inlines(text),
                }
            }
            Piece::Block(block) => block,
        };
        match sections.last_mut() {
            Some(section) => section.blocks.push(block),
            None => intro.push(block),
        }
    }
    (intro, sections)
}

/// Sub-heading inlines with a trailing permalink mark removed from the last text.
fn strip_heading_inlines(mut text: Inlines) -> Inlines {
    if let Some(Inline::Text { text: last }) = text.last_mut() {
        *last = strip_anchor_marks(last);
        if last.is_empty() {
            text.pop();
        }
    }
    text
}

/// The FAQ: DOM pairs from the first faq section, gaps filled from copies,
/// JSON-LD used when the DOM has none (and to fill empty answers).
fn build_faq(
    sections: &[Section],
    copies: &[Section],
    jsonld: Vec<Faq>,
    warnings: &mut Vec<String>,
) -> Vec<Faq> {
    let section = sections.iter().find(|s| s.role == Role::Faq);
    let mut pairs = section.map(|s| faq::pairs(&s.blocks)).unwrap_or_default();
    for copy in copies.iter().filter(|s| s.role == Role::Faq) {
        faq::fill_gaps(&mut pairs, faq::pairs(&copy.blocks));
    }
    if pairs.is_empty() {
        if let Some(s) = section.filter(|_| jsonld.is_empty()) {
            warnings.push(format!(
                "the FAQ section \"{}\" has no question/answer pairs",
                s.title
            ));
        }
        return jsonld;
    }
    if !jsonld.is_empty() {
        let keys = |list: &[Faq]| {
            list.iter()
                .map(|f| match_key(&f.question))
                .collect::<Vec<_>>()
        };
        let (page, ld) = (keys(&pairs), keys(&jsonld));
        for f in jsonld
            .iter()
            .filter(|f| !page.contains(&match_key(&f.question)))
        {
            warnings.push(format!(
                "FAQ question in JSON-LD but not on the page: \"{}\"",
                f.question
            ));
        }
        for f in pairs
            .iter()
            .filter(|f| !ld.contains(&match_key(&f.question)))
        {
            warnings.push(format!(
                "FAQ question on the page but not in its JSON-LD: \"{}\"",
                f.question
            ));
        }
    }
    faq::fill_answers(&mut pairs, &jsonld);
    pairs
}

fn build_references(sections: &[Section], copies: &[Section]) -> Vec<Reference> {
    let mut list = sections
        .iter()
        .find(|s| s.role == Role::References)
        .map(|s| references::parse_blocks(&s.blocks))
        .unwrap_or_default();
    for copy in copies.iter().filter(|s| s.role == Role::References) {
        references::fill_gaps(&mut list, references::parse_blocks(&copy.blocks));
    }
    list
}

/// "Last updated: May 6, 2026." → `May 6, 2026`.
fn last_updated_line(intro: &[Block], sections: &[Section]) -> Option<String> {
    let paragraphs = intro
        .iter()
        .chain(sections.iter().flat_map(|s| s.blocks.iter()));
    paragraphs
        .filter_map(|b| match b {
            Block::Paragraph { text } => Some(plain(text)),
            _ => None,
        })
        .find_map(|p| {
            let lower = p.to_ascii_lowercase();
            ["last updated", "last reviewed", "updated on", "updated"]
                .iter()
                .find_map(|prefix| {
                    let rest = lower.strip_prefix(prefix)?;
                    let rest = rest.trim_start_matches([':', ' ']);
                    let value = p
                        .get(p.len().checked_sub(rest.len())?..)?
                        .trim_end_matches('.')
                        .trim();
                    (value.len() < 40 && value.chars().any(|c| c.is_ascii_digit()))
                        .then(|| value.to_string())
                })
        })
}
