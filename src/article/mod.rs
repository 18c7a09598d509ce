//! Stage 3: parse articles.
//!
//! In: an article file (an HTML page as the website serves it, or Markdown with
//! front matter) and the heading → role rules. Out: an [`Article`]: title,
//! intro and sections in document order, each with a [`Role`], plus the
//! role-specific pieces (FAQ pairs, references) already extracted.
//! This stage never touches audio or the network.

mod build;
pub mod cache;
mod decode;
mod faq;
mod html;
mod jsonld;
mod markdown;
mod references;
mod roles;
mod text;

pub use decode::decode;
pub use roles::{SectionRules, validate_pattern};

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A parsed article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// JSON-LD headline, else `<h1>`, else `<title>` / front matter `title`.
    pub title: String,
    /// `<meta name="description">` / front matter `description`.
    pub description: Option<String>,
    /// Publication date as found on the page (JSON-LD `datePublished`,
    /// `article:published_time`, front matter `date`), verbatim.
    pub published: Option<String>,
    /// Last modification date as found on the page (JSON-LD `dateModified`,
    /// `article:modified_time`, a "Last updated: …" line, front matter
    /// `updated`/`lastmod`), verbatim.
    pub updated: Option<String>,
    /// Canonical URL found in the page (`<link rel=canonical>`, `og:url`, front matter `url`).
    pub canonical_url: Option<String>,
    /// The author's name (JSON-LD `author`, `<meta name="author">`, front matter `author`):
    /// matched to `[[people]]` when an episode names no people.
    #[serde(default)]
    pub author: Option<String>,
    /// Blocks before the first section heading.
    pub intro: Vec<Block>,
    /// Sections in document order (duplicates repeated after the article removed).
    pub sections: Vec<Section>,
    /// Question/answer pairs from the `faq` section (or JSON-LD FAQPage when the
    /// page has no FAQ section in its body).
    pub faq: Vec<Faq>,
    /// Parsed items of the `references` section(s).
    pub references: Vec<Reference>,
    /// YouTube video ids the article embeds or links to (in document order, deduplicated).
    pub youtube_ids: Vec<String>,
    /// Parsed from Markdown (the site generator makes the heading ids), not HTML.
    #[serde(default)]
    pub markdown: bool,
    /// Things a person should check, e.g. FAQ questions in JSON-LD that the
    /// page does not show, a table of contents pointing at missing ids, a
    /// reference without a URL. Parsing still succeeded.
    pub warnings: Vec<String>,
}

/// One `h2`-level section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The anchor id: the heading's own `id`, else a GitHub-style slug of its text
    /// (`-1`, `-2` for repeats).
    pub id: String,
    /// Whether `id` is the source's own (an HTML `id`, an anchor's fragment, a
    /// Markdown `{#id}`), so `article#id` lands on the heading; otherwise it is
    /// a slug mspod made up, which the published page may not have.
    #[serde(default)]
    pub own_id: bool,
    /// Heading text, anchor marks (`#`, `¶`, `🔗`) stripped, whitespace collapsed.
    pub title: String,
    pub role: Role,
    pub blocks: Vec<Block>,
}

/// What a section is for; decides where it goes in the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The "Quick answer": the episode summary.
    Summary,
    /// Practical / key takeaways: a list.
    Takeaways,
    /// Frequently asked questions.
    Faq,
    /// When to seek help: crisis lines.
    Help,
    /// References / sources.
    References,
    /// Dropped from every output (e.g. the table of contents).
    Skip,
    /// Everything else: the article body.
    Body,
}

impl Role {
    pub const NAMES: [&'static str; 6] =
        ["summary", "takeaways", "faq", "help", "references", "skip"];

    pub fn from_name(name: &str) -> Option<Role> {
        Some(match name {
            "summary" => Role::Summary,
            "takeaways" => Role::Takeaways,
            "faq" => Role::Faq,
            "help" => Role::Help,
            "references" => Role::References,
            "skip" => Role::Skip,
            "body" => Role::Body,
            _ => return None,
        })
    }
}

/// Block-level content, reduced to what show notes can carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Paragraph {
        text: Inlines,
    },
    List {
        ordered: bool,
        items: Vec<Inlines>,
    },
    Table {
        head: Vec<Inlines>,
        rows: Vec<Vec<Inlines>>,
    },
    /// A sub-heading inside a section (h3…h6).
    Heading {
        level: u8,
        text: Inlines,
    },
    Quote {
        blocks: Vec<Block>,
    },
}

pub type Inlines = Vec<Inline>;

/// Inline content: plain text, strong text, or a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Inline {
    Text { text: String },
    Strong { text: String },
    Link { text: String, url: String },
}

/// A question and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Faq {
    pub question: String,
    pub answer: Vec<Block>,
}

/// One entry of a references list, e.g.
/// `Mayo Clinic. Anxiety disorders (2024). https://…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// The citation text without the trailing bare URL.
    pub text: String,
    /// The link's `href`, else the last bare URL in the text.
    pub url: Option<String>,
    /// The year in parentheses, e.g. `(Monitor on Psychology, 2019)` → 2019.
    pub year: Option<u16>,
}

/// Which parser to use, decided by extension (`.md`, `.markdown`, `.mdx` → Markdown; anything else HTML).
pub fn parse_file(path: &Path, rules: &SectionRules) -> Result<Article> {
    let text = read_text(path)?;
    let is_markdown = is_markdown(path);
    let parsed = if is_markdown {
        markdown::parse(&text, rules)
    } else {
        html::parse(&text, rules)
    };
    parsed.map_err(|message| Error::content(path, message))
}

/// `.md`, `.markdown`, `.mdx`: Markdown; anything else is read as HTML.
fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("md" | "markdown" | "mdx")
    )
}

/// An article file's text, decoded as [`decode`] says (BOM, declared charset,
/// UTF-8); not text is a content error naming the file and the byte offset.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = crate::fs::read(path)?;
    decode(&bytes, is_markdown(path), None).map_err(|why| Error::content(path, why))
}

/// Parses an HTML page.
pub fn parse_html(text: &str, rules: &SectionRules) -> Result<Article, String> {
    html::parse(text, rules)
}

/// Parses Markdown with optional front matter.
pub fn parse_markdown(text: &str, rules: &SectionRules) -> Result<Article, String> {
    markdown::parse(text, rules)
}

impl Inline {
    pub fn text(&self) -> &str {
        match self {
            Inline::Text { text } | Inline::Strong { text } | Inline::Link { text, .. } => text,
        }
    }
}

/// The plain text of some inlines.
pub fn plain(inlines: &[Inline]) -> String {
    inlines.iter().map(Inline::text).collect()
}

impl Article {
    /// Sections with the given role, in order.
    pub fn sections_with(&self, role: Role) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(move |s| s.role == role)
    }
}
