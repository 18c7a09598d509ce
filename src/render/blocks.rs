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

/// A link's target made absolute against `base`; `None` for schemes apps must not follow.
pub(super) fn absolute(url: &str, base: &str) -> Option<String> {
    if url.starts_with('#') {
        return Some(format!("{}{url}", base.split('#').next().unwrap_or(base)));
    }
    let joined = url::Url::parse(base).ok()?.join(url).ok()?;
    matches!(joined.scheme(), "http" | "https" | "mailto" | "tel").then(|| joined.to_string())
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
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text { text } => md_escape(text),
            Inline::Strong { text } => format!("**{}**", md_escape(text)),
            Inline::Link { text, url } => match absolute(url, base) {
                Some(u) => format!(
                    "[{}]({})",
                    md_escape(text),
                    u.replace(' ', "%20").replace(')', "%29")
                ),
                None => md_escape(text),
            },
        })
        .collect()
}

pub(super) fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '|') {
            out.push('\\');
        }
        out.push(c);
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
            inlines_markdown(&[t("a*b [c]")], "https://e.org/"),
            "a\\*b \\[c\\]"
        );
    }
}
