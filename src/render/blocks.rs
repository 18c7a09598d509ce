//! Article blocks in the three syntaxes the outputs use: HTML, Markdown and
//! plain text. The only place that escapes HTML.

use crate::article::{Block, Inline, plain};

/// Which HTML a destination accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Html {
    /// Apple's feed-description subset: `p`, `ul`, `ol`, `li`, `a` only.
    Feed,
    /// Standalone pages and `content:encoded`: adds `strong`, `h3`, tables, quotes.
    Rich,
}

pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A link's target made absolute against `base`; `None` for schemes apps must not
/// follow. The policy itself is [`super::safe::url`].
pub(super) fn absolute(url: &str, base: &str) -> Option<String> {
    super::safe::url(url, base)
}

pub(super) fn link(url: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", escape(url), escape(text))
}

pub(super) fn inlines_html(inlines: &[Inline], mode: Html, base: &str) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text { text } => out.push_str(&escape(text)),
            Inline::Strong { text } if mode == Html::Rich => {
                out.push_str(&format!("<strong>{}</strong>", escape(text)));
            }
            Inline::Strong { text } => out.push_str(&escape(text)),
            Inline::Link { text, url } => match absolute(url, base) {
                Some(u) => out.push_str(&link(&u, text)),
                None => out.push_str(&escape(text)),
            },
        }
    }
    out
}

pub(super) fn blocks_html(blocks: &[Block], mode: Html, base: &str) -> String {
    let mut out = String::new();
    for b in blocks {
        block_html(b, mode, base, &mut out);
    }
    out
}

fn block_html(block: &Block, mode: Html, base: &str, out: &mut String) {
    let inl = |i: &[Inline]| inlines_html(i, mode, base);
    match block {
        Block::Paragraph { text } => out.push_str(&format!("<p>{}</p>", inl(text))),
        Block::List { ordered, items } => {
            let tag = if *ordered { "ol" } else { "ul" };
            out.push_str(&format!("<{tag}>"));
            for item in items {
                out.push_str(&format!("<li>{}</li>", inl(item)));
            }
            out.push_str(&format!("</{tag}>"));
        }
        Block::Heading { text, .. } if mode == Html::Rich => {
            out.push_str(&format!("<h3>{}</h3>", inl(text)))
        }
        Block::Heading { text, .. } => out.push_str(&format!("<p>{}</p>", inl(text))),
        Block::Table { head, rows } if mode == Html::Rich => {
            out.push_str("<table><thead><tr>");
            for h in head {
                out.push_str(&format!("<th>{}</th>", inl(h)));
            }
            out.push_str("</tr></thead><tbody>");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    out.push_str(&format!("<td>{}</td>", inl(cell)));
                }
                out.push_str("</tr>");
            }
            out.push_str("</tbody></table>");
        }
        // Apple renders no tables: one list item per row.
        Block::Table { head, rows } => {
            out.push_str("<ul>");
            for row in rows {
                out.push_str(&format!("<li>{}</li>", escape(&table_row_text(head, row))));
            }
            out.push_str("</ul>");
        }
        Block::Quote { blocks } if mode == Html::Rich => {
            out.push_str("<blockquote>");
            for b in blocks {
                block_html(b, mode, base, out);
            }
            out.push_str("</blockquote>");
        }
        Block::Quote { blocks } => {
            for b in blocks {
                block_html(b, mode, base, out);
            }
        }
    }
}

/// `Technique: Gives structure — Does not, by itself, …`
fn table_row_text(head: &[Vec<Inline>], row: &[Vec<Inline>]) -> String {
    let cells: Vec<String> = row.iter().map(|c| plain(c).trim().to_string()).collect();
    let Some((first, rest)) = cells.split_first() else {
        return String::new();
    };
    let rest: Vec<String> = rest
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty() && c.as_str() != "—")
        .map(|(i, c)| match head.get(i + 1).map(|h| plain(h)) {
            Some(h) if !h.trim().is_empty() => format!("{}: {c}", h.trim()),
            _ => c.clone(),
        })
        .collect();
    if rest.is_empty() {
        first.clone()
    } else {
        format!("{first} — {}", rest.join("; "))
    }
}

/// Markdown, with `[text](url)` links and GitHub tables.
pub(super) fn inlines_markdown(inlines: &[Inline], base: &str) -> String {
    let text: String = inlines
        .iter()
        .map(|i| match i {
            Inline::Text { text } => md_escape(text),
            Inline::Strong { text } => format!("**{}**", md_escape(text)),
            Inline::Link { text, url } => match absolute(url, base) {
                Some(u) => format!("[{}]({})", md_escape(text), md_url(&u)),
                None => md_escape(text),
            },
        })
        .collect();
    md_line_start(text)
}

/// Text for Markdown: every character CommonMark (or GitHub's tables) gives a
/// meaning inside a line is backslash-escaped, so text can open no tag, link,
/// autolink, entity or emphasis; line breaks become spaces, so it cannot start
/// a block either. Safe in headings, list items, table cells and paragraphs.
pub(super) fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // `&` only starts an entity before a letter or `#`: "Q & A" stays readable.
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '#') =>
            {
                out.push_str("\\&");
            }
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// An escaped line that must not begin a block: a leading `-`, `+`, `=` or
/// `1.`/`1)` would make a list, a rule or a heading, leading spaces a code block.
pub(super) fn md_line_start(text: String) -> String {
    let trimmed = text.trim_start();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match trimmed.as_bytes().first() {
        Some(b'-' | b'+' | b'=') => Some(0),
        Some(b'0'..=b'9') if matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')')) => {
            Some(digits)
        }
        _ => None,
    };
    match marker {
        Some(at) => format!("{}\\{}", &trimmed[..at], &trimmed[at..]),
        None if trimmed.len() != text.len() => trimmed.to_string(),
        None => text,
    }
}

/// A URL inside Markdown `(…)` or `<…>`: the characters that could end the link
/// early or start markup are percent-encoded.
pub(super) fn md_url(u: &str) -> String {
    let mut out = String::with_capacity(u.len());
    for c in u.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '"' | '\'' | '`' | '\\' | '[' | ']' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c if c.is_control() => {}
            _ => out.push(c),
        }
    }
    out
}

pub(super) fn blocks_markdown(blocks: &[Block], base: &str) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        parts.push(match b {
            Block::Paragraph { text } => inlines_markdown(text, base),
            Block::List { ordered, items } => items
                .iter()
                .enumerate()
                .map(|(n, i)| {
                    let marker = if *ordered {
                        format!("{}.", n + 1)
                    } else {
                        "-".into()
                    };
                    format!("{marker} {}", inlines_markdown(i, base))
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Heading { text, .. } => format!("### {}", inlines_markdown(text, base)),
            Block::Table { head, rows } => {
                let row = |cells: &[Vec<Inline>]| {
                    format!(
                        "| {} |",
                        cells
                            .iter()
                            .map(|c| inlines_markdown(c, base))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    )
                };
                let mut lines = vec![row(head), format!("|{}", "---|".repeat(head.len().max(1)))];
                lines.extend(rows.iter().map(|r| row(r)));
                lines.join("\n")
            }
            Block::Quote { blocks } => blocks_markdown(blocks, base)
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        });
    }
    parts.join("\n\n")
}

/// Plain text for YouTube: links as `text (url)` unless the text is the URL.
pub(super) fn inlines_text(inlines: &[Inline], base: &str) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text { text } | Inline::Strong { text } => text.clone(),
            Inline::Link { text, url } => match absolute(url, base) {
                Some(u) if text.trim() == u || text.trim() == url || u.starts_with("tel:") => {
                    text.clone()
                }
                Some(u) => format!("{text} ({u})"),
                None => text.clone(),
            },
        })
        .collect()
}

pub(super) fn blocks_text(blocks: &[Block], base: &str) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        parts.push(match b {
            Block::Paragraph { text } | Block::Heading { text, .. } => inlines_text(text, base),
            Block::List { items, .. } => items
                .iter()
                .map(|i| format!("- {}", inlines_text(i, base)))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Table { head, rows } => rows
                .iter()
                .map(|r| format!("- {}", table_row_text(head, r)))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Quote { blocks } => blocks_text(blocks, base),
        });
    }
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text { text: s.into() }
    }

    #[test]
    fn feed_html_keeps_only_apples_tags() {
        let blocks = vec![
            Block::Heading {
                level: 3,
                text: vec![t("Q?")],
            },
            Block::Paragraph {
                text: vec![
                    Inline::Strong {
                        text: "Bold".into(),
                    },
                    t(" & "),
                    Inline::Link {
                        text: "rel".into(),
                        url: "/x".into(),
                    },
                ],
            },
            Block::Table {
                head: vec![vec![t("A")], vec![t("B")]],
                rows: vec![vec![vec![t("1")], vec![t("2")]]],
            },
        ];
        assert_eq!(
            blocks_html(&blocks, Html::Feed, "https://example.org/blog/a/"),
            "<p>Q?</p><p>Bold &amp; <a href=\"https://example.org/x\">rel</a></p><ul><li>1 — B: 2</li></ul>"
        );
    }

    #[test]
    fn unsafe_link_schemes_become_text() {
        let i = vec![Inline::Link {
            text: "x".into(),
            url: "javascript:alert(1)".into(),
        }];
        assert_eq!(inlines_html(&i, Html::Rich, "https://example.org/"), "x");
    }

    #[test]
    fn markdown_escapes_its_syntax() {
        assert_eq!(
            inlines_markdown(&[t("a*b [c] <i> &amp;")], "https://e.org/"),
            "a\\*b \\[c\\] \\<i\\> \\&amp;"
        );
    }
}
