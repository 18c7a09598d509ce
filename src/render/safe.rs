//! What the renderers may trust. Article text, chapter titles and links come
//! from contributors, web pages and audio tags; before any output is written,
//! every episode passes through [`episode`] once:
//!
//! - text is cleaned of C0/C1 control characters (tab and newline stay) and of
//!   bidi embedding, override and isolate marks (U+202A–202E, U+2066–2069),
//!   which can make a line read differently from what it says;
//! - every link goes through the one URL policy, [`url`]: `http`/`https`
//!   (absolute, or relative to the article and resolved against it), plus
//!   `mailto`/`tel`, which open a mail or phone app and cannot run script.
//!   Anything else (`javascript:`, `data:`, `vbscript:`, `file:`, …) is dropped:
//!   an article link becomes its text, a chapter or reference URL is left out
//!   with a warning.
//!
//! The renderers then only escape, per format (`blocks.rs` for HTML and
//! Markdown, [`inline_json`] for JSON inside HTML).

use crate::article::{Article, Block, Inline, Section};
use crate::load::ShowConfig;
use crate::model::{Episode, Listing};
use std::borrow::Cow;

// The character policy lives in `crate::text` so the validator and the terminal
// use it without depending on the renderers.
pub(crate) use crate::text::clean;

fn clean_in_place(s: &mut String) {
    if let Cow::Owned(c) = clean(s) {
        *s = c;
    }
}

/// The URL policy, for every link mspod writes: the link made absolute against
/// `base` (the article's URL), or `None` when its scheme is not one apps and
/// browsers may follow safely.
pub(crate) fn url(raw: &str, base: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.starts_with('#') {
        let page = base.split('#').next().unwrap_or(base);
        return url(&format!("{page}{raw}"), base);
    }
    // The WHATWG parser drops tabs and newlines inside a URL (`java\tscript:`),
    // so the scheme is judged on what it parses to, not on the raw text.
    let joined = url::Url::parse(base).ok()?.join(raw).ok()?;
    match joined.scheme() {
        "http" | "https" if joined.host_str().is_some() => Some(joined.to_string()),
        "mailto" | "tel" => Some(joined.to_string()),
        _ => None,
    }
}

/// The show's own text, cleaned (it comes from `mspod.toml`).
pub(super) fn config(c: &ShowConfig) -> ShowConfig {
    let mut c = c.clone();
    for s in [
        &mut c.title,
        &mut c.description,
        &mut c.author,
        &mut c.owner.name,
    ] {
        clean_in_place(s);
    }
    for s in c.copyright.iter_mut().chain(&mut c.disclaimer) {
        clean_in_place(s);
    }
    for s in c
        .hosts
        .iter_mut()
        .chain(c.people.iter_mut().map(|p| &mut p.name))
    {
        clean_in_place(s);
    }
    for cat in &mut c.categories {
        clean_in_place(&mut cat.name);
        if let Some(s) = &mut cat.sub {
            clean_in_place(s);
        }
    }
    c
}

/// An episode with its text cleaned and every link through [`url`]; the
/// warnings name the links that were dropped.
pub(super) fn episode(ep: &Episode) -> (Episode, Vec<String>) {
    let mut ep = ep.clone();
    let mut warnings = Vec::new();
    let base = ep.link.clone();
    ep.listing = listing(&ep.listing);
    summary_and_help(&mut ep.summary, &mut ep.help, &base);
    let slug = ep.slug.clone();
    article(&mut ep.article, &base, &slug, &mut warnings);
    for (n, c) in ep.chapters.iter_mut().enumerate() {
        clean_in_place(&mut c.title);
        if let Some(raw) = c.url.take() {
            c.url = url(&raw, &base);
            if c.url.is_none() {
                warnings.push(format!(
                    "{}: chapter {} \"{}\": link {} left out; only http(s), mailto and tel links are written",
                    slug,
                    n + 1,
                    c.title,
                    shown(&raw)
                ));
            }
        }
    }
    (ep, warnings)
}

/// A listing with its text cleaned, as [`episode`] cleans the same fields.
pub(super) fn listing(l: &Listing) -> Listing {
    let mut l = l.clone();
    clean_in_place(&mut l.title);
    l
}

/// An episode's summary and help sections cleaned (links against `base`).
pub(super) fn summary_and_help(summary: &mut [Block], help: &mut [Section], base: &str) {
    blocks(summary, base);
    for s in help {
        clean_in_place(&mut s.title);
        blocks(&mut s.blocks, base);
    }
}

fn article(a: &mut Article, base: &str, slug: &str, warnings: &mut Vec<String>) {
    clean_in_place(&mut a.title);
    if let Some(d) = &mut a.description {
        clean_in_place(d);
    }
    blocks(&mut a.intro, base);
    for s in &mut a.sections {
        clean_in_place(&mut s.title);
        blocks(&mut s.blocks, base);
    }
    for f in &mut a.faq {
        clean_in_place(&mut f.question);
        blocks(&mut f.answer, base);
    }
    for r in &mut a.references {
        clean_in_place(&mut r.text);
        if let Some(raw) = r.url.take() {
            r.url = url(&raw, base);
            if r.url.is_none() {
                warnings.push(format!(
                    "{slug}: reference \"{}\": link {} left out; only http(s), mailto and tel links are written",
                    r.text,
                    shown(&raw)
                ));
            }
        }
    }
}

fn blocks(blocks: &mut [Block], base: &str) {
    for b in blocks {
        match b {
            Block::Paragraph { text } | Block::Heading { text, .. } => inlines(text, base),
            Block::List { items, .. } => items.iter_mut().for_each(|i| inlines(i, base)),
            Block::Table { head, rows } => {
                head.iter_mut().for_each(|c| inlines(c, base));
                rows.iter_mut().flatten().for_each(|c| inlines(c, base));
            }
            Block::Quote { blocks: inner } => self::blocks(inner, base),
        }
    }
}

fn inlines(inlines: &mut [Inline], base: &str) {
    for i in inlines.iter_mut() {
        match i {
            Inline::Text { text } | Inline::Strong { text } => clean_in_place(text),
            Inline::Link { text, url: raw } => {
                clean_in_place(text);
                match url(raw, base) {
                    Some(u) => *raw = u,
                    // A link apps must not follow keeps its words.
                    None => {
                        *i = Inline::Text {
                            text: std::mem::take(text),
                        }
                    }
                }
            }
        }
    }
}

/// A dropped URL in a warning: cleaned and cut short.
fn shown(raw: &str) -> String {
    let c = clean(raw);
    let short: String = c.chars().take(60).collect();
    if short.len() < c.len() {
        format!("`{short}…`")
    } else {
        format!("`{short}`")
    }
}

/// JSON for a `<script>` element inside HTML: `<`, `>` and `&` as `\u003c`,
/// `\u003e`, `\u0026`, so neither `</script>` nor `<!--` can end or change the
/// element, and U+2028/U+2029 escaped for old JavaScript parsers. Still the same
/// JSON value.
pub(super) fn inline_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_marks_are_removed_tab_and_newline_kept() {
        assert_eq!(
            clean("a\u{0}b\u{1b}[31mc\u{85}d\u{202E}e\u{2066}f\u{2069}\tg\nh\r"),
            "ab[31mcdef\tg\nh"
        );
        assert!(matches!(clean("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn only_web_mail_and_phone_links_pass() {
        let base = "https://example.org/blog/post/";
        assert_eq!(
            url("/about", base).as_deref(),
            Some("https://example.org/about")
        );
        assert_eq!(
            url("#faq", base).as_deref(),
            Some("https://example.org/blog/post/#faq")
        );
        assert!(url("tel:+15550100", base).is_some());
        assert!(url("mailto:a@example.org", base).is_some());
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "http://",
        ] {
            assert_eq!(url(bad, base), None, "{bad}");
        }
    }

    #[test]
    fn inline_json_cannot_end_its_script_element() {
        let v = serde_json::json!({"name": "</script><!--<script>&\u{2028}"});
        let s = inline_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).ok(), Some(v));
    }
}
