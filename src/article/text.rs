//! Text helpers shared by the HTML and Markdown parsers: whitespace
//! collapsing, inline normalisation, heading anchor marks, GitHub-style slugs
//! and the case- and punctuation-insensitive match key used for headings and
//! FAQ questions.

use super::{Inline, Inlines};
use std::collections::HashMap;

/// Collapses runs of whitespace to one space and trims the ends.
pub(super) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalises inline runs: whitespace collapsed across inline boundaries,
/// adjacent text merged, empty pieces dropped, ends trimmed.
pub(super) fn normalize_inlines(raw: Inlines) -> Inlines {
    let mut out: Inlines = Vec::new();
    let mut pending_space = false;
    for inline in raw {
        let text = inline.text();
        let core = collapse(text);
        let leading = text.starts_with(char::is_whitespace);
        let trailing = text.ends_with(char::is_whitespace);
        if core.is_empty() {
            // Whitespace-only text still separates words; empty links/strongs vanish.
            pending_space |= !text.is_empty() && matches!(inline, Inline::Text { .. });
            continue;
        }
        if (leading || pending_space) && !out.is_empty() {
            match (out.last_mut(), &inline) {
                (Some(Inline::Text { text }), _) => text.push(' '),
                (_, Inline::Text { .. }) => out.push(Inline::Text { text: " ".into() }),
                _ => out.push(Inline::Text { text: " ".into() }),
            }
        }
        pending_space = trailing;
        let piece = match inline {
            Inline::Text { .. } => Inline::Text { text: core },
            Inline::Strong { .. } => Inline::Strong { text: core },
            Inline::Link { url, .. } => Inline::Link { text: core, url },
        };
        match (out.last_mut(), piece) {
            (Some(Inline::Text { text }), Inline::Text { text: more }) => text.push_str(&more),
            (_, piece) => out.push(piece),
        }
    }
    out
}

/// Marks that heading permalink plugins append or prepend.
const ANCHOR_MARKS: &[char] = &['#', '¶', '§', '🔗', '⚓', '\u{FE0F}', '\u{20E3}'];

/// Heading text without trailing (or leading, when separated by a space)
/// permalink marks: `Quick answer#` → `Quick answer`, `¶ FAQ` → `FAQ`.
pub(super) fn strip_anchor_marks(s: &str) -> String {
    let mut t = collapse(s);
    loop {
        let trimmed = t.trim_end_matches(ANCHOR_MARKS).trim_end().to_string();
        if trimmed == t {
            break;
        }
        t = trimmed;
    }
    // Leading marks only when followed by a space, so "#1 tip" survives.
    while let Some(first) = t.chars().next() {
        if ANCHOR_MARKS.contains(&first) && t[first.len_utf8()..].starts_with(' ') {
            t = t[first.len_utf8()..].trim_start().to_string();
        } else {
            break;
        }
    }
    t
}

/// The key headings and questions are compared by: lower case, `&` → `and`,
/// apostrophes removed, other punctuation → space, whitespace collapsed.
/// "References / Sources" → `references sources`; "Can't" → `cant`.
pub(super) fn match_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str(" and "),
            '\'' | '’' | 'ʼ' | '‘' => {}
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => out.push(' '),
        }
    }
    collapse(&out)
}

/// GitHub / `rehype-slug` style slug: lower case, characters other than
/// letters, digits, spaces, `-` and `_` removed, each space → `-`
/// (so "a — b" gives `a--b`, as GitHub does).
pub(super) fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '-' || c == '_' {
            out.push(c);
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Hands out unique ids: the first `x`, then `x-1`, `x-2`, … for repeats.
#[derive(Default)]
pub(super) struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// Records an id the page itself chose, so generated ids avoid it.
    pub(super) fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }

    /// A unique id for a base slug.
    pub(super) fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        match self.seen.get(base).copied() {
            None => {
                self.seen.insert(base.to_string(), 0);
                base.to_string()
            }
            Some(mut n) => loop {
                n += 1;
                let candidate = format!("{base}-{n}");
                if !self.seen.contains_key(&candidate) {
                    self.seen.insert(base.to_string(), n);
                    self.seen.insert(candidate.clone(), 0);
                    return candidate;
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_key_ignores_case_punctuation_and_ampersands() {
        assert_eq!(match_key("References / Sources"), "references sources");
        assert_eq!(match_key("References & sources"), "references and sources");
        assert_eq!(
            match_key("  Frequently Asked   Questions? "),
            "frequently asked questions"
        );
        assert_eq!(match_key("TL;DR"), "tl dr");
        assert_eq!(
            match_key("Why can’t I heal—alone?"),
            "why cant i heal alone"
        );
    }

    #[test]
    fn slugs_follow_github_rules() {
        assert_eq!(slug("Quick answer"), "quick-answer");
        assert_eq!(
            slug("What \"relationship as medicine\" actually means"),
            "what-relationship-as-medicine-actually-means"
        );
        assert_eq!(
            slug("Why technique still matters — but works through the relationship"),
            "why-technique-still-matters--but-works-through-the-relationship"
        );
        assert_eq!(slug("References / Sources"), "references--sources");
        assert_eq!(slug("Can't stop_now"), "cant-stop_now");
    }

    #[test]
    fn repeated_slugs_get_numbered() {
        let mut s = Slugger::default();
        s.reserve("faq-1");
        assert_eq!(s.unique("faq"), "faq");
        assert_eq!(s.unique("faq"), "faq-2");
        assert_eq!(s.unique("faq"), "faq-3");
        assert_eq!(s.unique(""), "section");
    }

    #[test]
    fn anchor_marks_are_stripped_from_headings() {
        assert_eq!(strip_anchor_marks("Quick answer#"), "Quick answer");
        assert_eq!(strip_anchor_marks("FAQ ¶"), "FAQ");
        assert_eq!(strip_anchor_marks("Sources 🔗 "), "Sources");
        assert_eq!(strip_anchor_marks("§ Help"), "Help");
        assert_eq!(strip_anchor_marks("#1 tip"), "#1 tip");
    }

    #[test]
    fn inline_whitespace_is_collapsed_across_boundaries() {
        let t = |s: &str| Inline::Text { text: s.into() };
        let got = normalize_inlines(vec![
            t("  Read "),
            Inline::Strong {
                text: "this".into(),
            },
            t("\n and "),
            Inline::Link {
                text: " that ".into(),
                url: "u".into(),
            },
            t(" "),
            Inline::Link {
                text: " ".into(),
                url: "empty".into(),
            },
            t(". "),
        ]);
        assert_eq!(
            got,
            vec![
                t("Read "),
                Inline::Strong {
                    text: "this".into()
                },
                t(" and "),
                Inline::Link {
                    text: "that".into(),
                    url: "u".into()
                },
                t(" ."),
            ]
        );
    }
}
