//! Show notes: what each destination gets from the article, in one order —
//! summary, links, chapters, takeaways, FAQ, references, help lines.
//!
//! The feed description follows Apple's rules (`p`, `ul`, `ol`, `li`, `a`;
//! at most 4000 bytes); `content:encoded` and the Markdown notes are complete.

use super::blocks::{self, Html, escape, link, md_escape, md_line_start, md_url};
use super::chapters::timestamp;
use super::{anchors, help};
use crate::article::{Block, Inline, plain};
use crate::model::{Episode, Show};

/// Apple's limit for an item description, tags included.
pub(super) const FEED_DESCRIPTION_MAX_BYTES: usize = 4000;

/// The help section's crisis lines (emergency numbers, lifelines), for outputs
/// too short for the whole section.
pub(super) fn crisis_lines(ep: &Episode) -> Vec<&Block> {
    crisis_blocks(&ep.help)
}

/// [`crisis_lines`] of some help sections.
pub(super) fn crisis_blocks(help: &[crate::article::Section]) -> Vec<&Block> {
    let help: Vec<&Block> = help.iter().flat_map(|s| &s.blocks).collect();
    let crisis: Vec<&Block> = help
        .iter()
        .copied()
        .filter(|b| match b {
            Block::Paragraph { text } => is_crisis_line(&plain(text)),
            _ => false,
        })
        .collect();
    if crisis.is_empty() {
        help.into_iter()
            .filter(|b| matches!(b, Block::Paragraph { .. }))
            .take(1)
            .collect()
    } else {
        crisis
    }
}

/// A line that tells people where to get help now: an emergency or crisis
/// number, or a named lifeline. "You do not need a crisis to start therapy" is not one.
pub(super) fn is_crisis_line(text: &str) -> bool {
    let lower = text.to_lowercase();
    let named = [
        "lifeline",
        "hotline",
        "crisis line",
        "crisis text line",
        "emergency room",
    ]
    .iter()
    .any(|k| lower.contains(k));
    let digits: Vec<String> = text
        .split(|c: char| !c.is_ascii_digit() && c != '-')
        .map(|w| w.chars().filter(char::is_ascii_digit).collect())
        .filter(|w: &String| !w.is_empty())
        .collect();
    let number = digits
        .iter()
        .any(|d| d == "911" || d == "988" || d == "112" || d == "999" || d.len() >= 10);
    named || number
}

#[cfg(test)]
mod tests {
    use super::is_crisis_line;

    #[test]
    fn crisis_lines_name_a_number_or_a_lifeline() {
        assert!(is_crisis_line("If you are in immediate danger, call 911."));
        assert!(is_crisis_line(
            "The Georgia Crisis & Access Line is 1-800-715-4225."
        ));
        assert!(is_crisis_line(
            "The 988 Suicide & Crisis Lifeline is available 24/7."
        ));
        assert!(!is_crisis_line(
            "You do not need a diagnosis or a crisis to start therapy."
        ));
        assert!(!is_crisis_line(
            "Many people notice relief within 3–8 sessions."
        ));
    }
}

/// The first `n` sentences of some paragraphs.
fn first_sentences(blocks: &[Block], n: usize) -> Vec<Block> {
    let text: String = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { text } => Some(plain(text)),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut end = text.len();
    let mut count = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') && text[i + 1..].starts_with(' ') {
            count += 1;
            if count == n {
                end = i + 1;
                break;
            }
        }
    }
    vec![Block::Paragraph {
        text: vec![Inline::Text {
            text: text[..end].to_string(),
        }],
    }]
}

/// How much optional material a feed description carries.
#[derive(Debug, Clone, Copy)]
struct Budget {
    takeaways: usize,
    references: usize,
    summary_sentences: Option<usize>,
}

/// The item `<description>`: trimmed step by step (references, then takeaways,
/// then the summary) until it fits 4000 bytes. Links, chapters and crisis lines stay.
pub(super) fn feed_description(show: &Show, ep: &Episode, warnings: &mut Vec<String>) -> String {
    const STEPS: [Budget; 7] = [
        Budget {
            takeaways: usize::MAX,
            references: usize::MAX,
            summary_sentences: None,
        },
        Budget {
            takeaways: 5,
            references: 5,
            summary_sentences: None,
        },
        Budget {
            takeaways: 3,
            references: 5,
            summary_sentences: None,
        },
        Budget {
            takeaways: 3,
            references: 3,
            summary_sentences: Some(2),
        },
        Budget {
            takeaways: 3,
            references: 0,
            summary_sentences: Some(2),
        },
        Budget {
            takeaways: 0,
            references: 0,
            summary_sentences: Some(2),
        },
        Budget {
            takeaways: 0,
            references: 0,
            summary_sentences: Some(1),
        },
    ];
    let mut html = String::new();
    for budget in STEPS {
        html = feed_html(show, ep, budget);
        if html.len() <= FEED_DESCRIPTION_MAX_BYTES {
            return html;
        }
    }
    warnings.push(format!(
        "{}: the feed description is {} bytes even without takeaways and references (Apple's limit is {FEED_DESCRIPTION_MAX_BYTES}); shorten the summary or the chapter titles",
        ep.slug,
        html.len()
    ));
    html
}

fn feed_html(show: &Show, ep: &Episode, budget: Budget) -> String {
    let base = ep.link.as_str();
    let mut out = String::new();
    let summary = match budget.summary_sentences {
        Some(n) => first_sentences(&ep.summary, n),
        None => ep.summary.clone(),
    };
    out.push_str(&blocks::blocks_html(&summary, Html::Feed, base));
    // Help first: apps show a description's first lines before "more".
    let help_line = help::help_line(ep);
    if let Some(line) = &help_line {
        out.push_str(&format!("<p>{}</p>", help::html(line)));
    }
    if let Some(d) = &show.config.disclaimer {
        out.push_str(&format!("<p>{}</p>", escape(d)));
    }
    out.push_str(&format!(
        "<p>Read the full article: {}</p>",
        link(&ep.link, &ep.link)
    ));
    out.push_str(&format!(
        "<p>Show notes: {}</p>",
        link(&ep.notes_url, &ep.notes_url)
    ));
    if let Some(v) = &ep.youtube {
        out.push_str(&format!(
            "<p>Watch on YouTube: {}</p>",
            link(&v.watch_url(), &v.watch_url())
        ));
    }
    if !ep.chapters.is_empty() {
        // One paragraph per line: timestamps at line starts are what Apple and Spotify parse.
        out.push_str("<p>Chapters:</p>");
        for c in &ep.chapters {
            out.push_str(&format!(
                "<p>{} {}</p>",
                timestamp(c.start),
                escape(&c.title)
            ));
        }
    }
    let takeaways = ep.takeaways();
    if !takeaways.is_empty() && budget.takeaways > 0 {
        out.push_str("<p>Key takeaways:</p><ul>");
        for t in takeaways.iter().take(budget.takeaways) {
            out.push_str(&format!(
                "<li>{}</li>",
                blocks::inlines_html(t, Html::Feed, base)
            ));
        }
        out.push_str("</ul>");
    }
    let refs = &ep.article.references;
    if !refs.is_empty() && budget.references > 0 {
        out.push_str("<p>References:</p><ul>");
        for r in refs.iter().take(budget.references) {
            out.push_str(&format!("<li>{}</li>", reference_html(r)));
        }
        out.push_str("</ul>");
    }
    // Without crisis sentences, the help section's first paragraph closes the notes.
    if help_line.is_none() {
        out.push_str(&blocks::blocks_html(
            &crisis_lines(ep).into_iter().cloned().collect::<Vec<_>>(),
            Html::Feed,
            base,
        ));
    }
    out
}

fn reference_html(r: &crate::article::Reference) -> String {
    match r
        .url
        .as_deref()
        .and_then(|u| blocks::absolute(u, "https://invalid.example/"))
    {
        Some(u) => format!("{} {}", escape(&r.text), link(&u, &u)),
        None => escape(&r.text),
    }
}

/// `<content:encoded>`: the complete notes, rich HTML.
pub(super) fn content_encoded(show: &Show, ep: &Episode) -> String {
    let base = ep.link.as_str();
    let mut out = blocks::blocks_html(&ep.summary, Html::Rich, base);
    if let Some(line) = help::help_line(ep) {
        out.push_str(&format!("<p>{}</p>", help::html(&line)));
    }
    if let Some(d) = &show.config.disclaimer {
        out.push_str(&format!("<p>{}</p>", escape(d)));
    }
    out.push_str("<p>");
    out.push_str(&format!(
        "Read the full article: {}",
        link(&ep.link, &ep.link)
    ));
    if let Some(v) = &ep.youtube {
        out.push_str(&format!(
            "<br>Watch on YouTube: {}",
            link(&v.watch_url(), &v.watch_url())
        ));
    }
    out.push_str(&format!(
        "<br>Show notes: {}",
        link(&ep.notes_url, &ep.notes_url)
    ));
    if ep.transcript.is_some() {
        let url = format!("{}#transcript", ep.notes_url);
        out.push_str(&format!("<br>Transcript: {}", link(&url, &url)));
    }
    out.push_str("</p>");
    if !ep.chapters.is_empty() {
        out.push_str("<h3>Chapters</h3>");
        for c in &ep.chapters {
            out.push_str(&format!(
                "<p>{} {}</p>",
                timestamp(c.start),
                escape(&c.title)
            ));
        }
    }
    let sections = anchors::body_links(show, ep);
    if !sections.is_empty() {
        out.push_str("<h3>In this episode</h3><ul>");
        for (s, url) in sections {
            out.push_str(&format!("<li>{}</li>", link(&url, &s.title)));
        }
        out.push_str("</ul>");
    }
    let takeaways = ep.takeaways();
    if !takeaways.is_empty() {
        out.push_str("<h3>Key takeaways</h3><ul>");
        for t in takeaways {
            out.push_str(&format!(
                "<li>{}</li>",
                blocks::inlines_html(t, Html::Rich, base)
            ));
        }
        out.push_str("</ul>");
    }
    // The FAQ belongs to the web notes: in the feed it would repeat the article at
    // length in every app's episode page and swell the feed.
    if !ep.article.faq.is_empty() {
        out.push_str(&format!(
            "<p>Questions answered in the show notes: {}</p>",
            link(
                &format!("{}#faq", ep.notes_url),
                "Frequently asked questions"
            )
        ));
    }
    if !ep.article.references.is_empty() {
        out.push_str("<h3>References</h3><ul>");
        for r in &ep.article.references {
            out.push_str(&format!("<li>{}</li>", reference_html(r)));
        }
        out.push_str("</ul>");
    }
    let help = ep.help();
    if !help.is_empty() {
        out.push_str("<h3>Getting help</h3>");
        out.push_str(&blocks::blocks_html(
            &help.into_iter().cloned().collect::<Vec<_>>(),
            Html::Rich,
            base,
        ));
    }
    out.push_str(&format!(
        "<p>{}: {}</p>",
        escape(&show.config.title),
        link(&show.config.link, &show.config.link)
    ));
    out
}

/// `show-notes.md`.
pub(super) fn markdown(show: &Show, ep: &Episode) -> String {
    let base = ep.link.as_str();
    // Every text below goes through `md_escape`, every URL through `md_url`:
    // an article or a tag must not be able to add HTML or links to the notes.
    let mut parts = vec![
        front_matter(show, ep),
        format!("# {}", md_escape(&ep.title)),
    ];
    parts.push(format!(
        "*{}* · {} · {}",
        md_escape(&show.config.title),
        ep.published.format("%B %-d, %Y"),
        timestamp(ep.duration)
    ));
    parts.push(blocks::blocks_markdown(&ep.summary, base));
    if let Some(line) = help::help_line(ep) {
        parts.push(format!("> {}", help::markdown(&line)));
    }
    if let Some(d) = &show.config.disclaimer {
        parts.push(format!("*{}*", blocks::md_escape(d)));
    }
    let mut links = vec![
        format!("- Episode page: <{}>", md_url(&ep.notes_url)),
        format!("- Read the article: <{}>", md_url(&ep.link)),
        format!("- Listen: <{}>", md_url(&ep.enclosure.url)),
    ];
    if let Some(v) = &ep.youtube {
        links.push(format!("- Watch on YouTube: <{}>", md_url(&v.watch_url())));
    }
    if ep.transcript.is_some() {
        links.push(format!(
            "- Read the transcript: <{}#transcript>",
            md_url(&ep.notes_url)
        ));
    }
    parts.push(links.join("\n"));
    if !ep.chapters.is_empty() {
        parts.push("## Chapters".into());
        parts.push(
            ep.chapters
                .iter()
                .map(|c| match &c.url {
                    Some(u) => format!(
                        "- {} [{}]({})",
                        timestamp(c.start),
                        md_escape(&c.title),
                        md_url(u)
                    ),
                    None => format!("- {} {}", timestamp(c.start), md_escape(&c.title)),
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    let sections = anchors::body_links(show, ep);
    if !sections.is_empty() {
        parts.push("## In this episode".into());
        parts.push(
            sections
                .iter()
                .map(|(s, url)| format!("- [{}]({})", md_escape(&s.title), md_url(url)))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    let takeaways = ep.takeaways();
    if !takeaways.is_empty() {
        parts.push("## Key takeaways".into());
        parts.push(
            takeaways
                .iter()
                .map(|t| format!("- {}", blocks::inlines_markdown(t, base)))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    if !ep.article.faq.is_empty() {
        parts.push("## Frequently asked questions".into());
        for f in &ep.article.faq {
            parts.push(format!("### {}", md_escape(&f.question)));
            parts.push(blocks::blocks_markdown(&f.answer, base));
        }
    }
    if !ep.article.references.is_empty() {
        parts.push("## References".into());
        parts.push(
            ep.article
                .references
                .iter()
                .map(|r| match &r.url {
                    Some(u) => format!("- {} <{}>", md_line_start(md_escape(&r.text)), md_url(u)),
                    None => format!("- {}", md_line_start(md_escape(&r.text))),
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    let help = ep.help();
    if !help.is_empty() {
        parts.push("## Getting help".into());
        parts.push(blocks::blocks_markdown(
            &help.into_iter().cloned().collect::<Vec<_>>(),
            base,
        ));
    }
    let mut text = parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    text.push('\n');
    text
}

/// YAML front matter, so Jekyll, Hugo, Astro and the like can publish the
/// notes as they are. Every value is a double-quoted YAML string.
fn front_matter(show: &Show, ep: &Episode) -> String {
    // A JSON string is a YAML double-quoted scalar; `<`, `>` and `&` as `\u` escapes
    // keep a renderer that ignores front matter from seeing markup in it.
    let q = |s: &str| super::safe::inline_json(&serde_json::Value::String(s.to_string()));
    let mut lines = vec![
        "---".to_string(),
        format!("title: {}", q(&ep.title)),
        format!("date: {}", q(&ep.published.to_rfc3339())),
        format!("slug: {}", q(&ep.slug)),
        format!("audio: {}", q(&ep.enclosure.url)),
        format!("duration: {}", q(&timestamp(ep.duration))),
        format!(
            "image: {}",
            q(ep.tags
                .image
                .as_ref()
                .map_or(&show.config.image_url, |i| &i.url))
        ),
    ];
    if let Some(v) = &ep.youtube {
        lines.push(format!("video: {}", q(&v.watch_url())));
    }
    lines.push(format!("article: {}", q(&ep.link)));
    lines.push(format!("episode_page: {}", q(&ep.notes_url)));
    lines.push("---".into());
    lines.join("\n")
}
