//! The help line: the crisis sentences of an article's help section, short
//! enough to sit in a phone's first screen and above YouTube's "…more", with
//! phone numbers as `tel:` (and `sms:` where the sentence says to text).
//!
//! The full help section stays where the article has it; this is the part a
//! listener in trouble must not have to scroll for.

use super::blocks::escape;
use super::notes::{crisis_blocks, is_crisis_line};
use crate::article::{Block, Section, plain};
use crate::model::Episode;

/// At most this many sentences: emergency number, national lifeline, local line.
const MAX_SENTENCES: usize = 3;

/// A piece of the help line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Part {
    Text(String),
    /// A number as written, and the digits to dial.
    Phone {
        shown: String,
        dial: String,
        text_too: bool,
    },
}

/// The episode's help line, if its article has a help section with crisis sentences.
pub(super) fn help_line(ep: &Episode) -> Option<Vec<Part>> {
    help_text(&ep.help).map(|text| parts(&text))
}

/// The help line of these help sections as plain text (its [`parts`] follow from it).
pub(super) fn help_text(help: &[Section]) -> Option<String> {
    let text: Vec<String> = crisis_blocks(help)
        .into_iter()
        .filter_map(|b| match b {
            Block::Paragraph { text } => Some(plain(text)),
            _ => None,
        })
        .collect();
    let sentences: Vec<&str> = text
        .iter()
        .flat_map(|p| sentences(p))
        .filter(|s| is_crisis_line(s))
        .take(MAX_SENTENCES)
        .collect();
    if sentences.is_empty() {
        return None;
    }
    Some(sentences.join(" "))
}

/// Sentences of a paragraph: split after `.`, `!` or `?` followed by a space.
fn sentences(p: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in p.char_indices() {
        if matches!(c, '.' | '!' | '?') && p[i + 1..].starts_with(' ') {
            out.push(p[start..=i].trim());
            start = i + 1;
        }
    }
    if !p[start..].trim().is_empty() {
        out.push(p[start..].trim());
    }
    out
}

/// Splits text into plain runs and phone numbers: 3-digit emergency and
/// lifeline numbers (911, 988, 112, 999) and numbers of 10 or more digits
/// written with `-`, `.`, spaces or parentheses.
pub(super) fn parts(text: &str) -> Vec<Part> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut linked: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let boundary = i == 0 || !chars[i - 1].1.is_alphanumeric();
        if !(boundary && (c.is_ascii_digit() || (c == '(' || c == '+'))) {
            i += 1;
            continue;
        }
        // The longest run of digits and separators from here.
        let mut j = i;
        let mut digits = String::new();
        let mut end = i;
        while j < chars.len() {
            let d = chars[j].1;
            if d.is_ascii_digit() {
                digits.push(d);
                end = j + 1;
            } else if !matches!(d, '-' | '.' | ' ' | '(' | ')' | '+') {
                break;
            }
            j += 1;
        }
        let after_ok = chars.get(end).is_none_or(|(_, n)| !n.is_alphanumeric());
        let number = matches!(digits.as_str(), "911" | "988" | "112" | "999")
            || (10..=15).contains(&digits.len());
        // "24/7" and "3–8" are not numbers to call; a closing ")" belongs to the number.
        let end = if end < chars.len() && chars[end].1 == ')' && text[chars[i].0..].starts_with('(')
        {
            end + 1
        } else {
            end
        };
        // Each number is linked once: "Call 988 … the 988 Lifeline" needs one link.
        if number && after_ok && !linked.contains(&digits) {
            let end_byte = chars.get(end).map_or(text.len(), |(b, _)| *b);
            if at > plain_start {
                out.push(Part::Text(text[plain_start..at].to_string()));
            }
            let text_too = sentence_around(text, at, end_byte)
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "text");
            linked.push(digits.clone());
            out.push(Part::Phone {
                shown: text[at..end_byte].to_string(),
                dial: digits,
                text_too,
            });
            plain_start = end_byte;
            i = end;
        } else {
            i = j.max(i + 1);
        }
    }
    if plain_start < text.len() {
        out.push(Part::Text(text[plain_start..].to_string()));
    }
    out
}

/// The sentence of `text` that contains `start..end`.
fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let from = text[..start].rfind(['.', '!', '?']).map_or(0, |p| p + 1);
    let to = text[end..]
        .find(['.', '!', '?'])
        .map_or(text.len(), |p| end + p);
    &text[from..to]
}

/// HTML: numbers as `tel:` links, plus an `sms:` link where the sentence says to text.
pub(super) fn html(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => escape(t),
            Part::Phone {
                shown,
                dial,
                text_too,
            } => {
                let call = format!("<a href=\"tel:{dial}\">{}</a>", escape(shown));
                if *text_too {
                    format!("{call} (<a href=\"sms:{dial}\">text {}</a>)", escape(shown))
                } else {
                    call
                }
            }
        })
        .collect()
}

/// Markdown: numbers as `tel:` links.
pub(super) fn markdown(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => super::blocks::md_escape(t),
            Part::Phone { shown, dial, .. } => {
                format!("[{}](tel:{dial})", super::blocks::md_escape(shown))
            }
        })
        .collect()
}

/// Plain text, for descriptions (apps and YouTube link numbers themselves).
pub(super) fn text(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.as_str(),
            Part::Phone { shown, .. } => shown.as_str(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_tel_and_sms_links() {
        let p = parts("Call or text 988 now. The Georgia line is 1-800-715-4225.");
        assert_eq!(
            html(&p),
            "Call or text <a href=\"tel:988\">988</a> (<a href=\"sms:988\">text 988</a>) now. \
             The Georgia line is <a href=\"tel:18007154225\">1-800-715-4225</a>."
        );
        assert_eq!(
            html(&parts("The 988 Lifeline takes calls or texts. Call 988.")),
            "The <a href=\"tel:988\">988</a> Lifeline takes calls or texts. Call 988."
        );
        assert_eq!(
            html(&parts("The 988 Lifeline answers by call or text.")),
            "The <a href=\"tel:988\">988</a> (<a href=\"sms:988\">text 988</a>) Lifeline answers by call or text."
        );
        assert_eq!(
            html(&parts("Call (404) 832-0102 or 911.")),
            "Call <a href=\"tel:4048320102\">(404) 832-0102</a> or <a href=\"tel:911\">911</a>."
        );
    }

    #[test]
    fn counts_and_times_are_not_numbers() {
        for t in [
            "Available 24/7.",
            "Relief within 3–8 sessions.",
            "All 159 Georgia counties.",
            "In 2024 and 19880.",
        ] {
            assert_eq!(parts(t), vec![Part::Text(t.into())], "{t}");
        }
    }

    #[test]
    fn sentences_split_after_stops() {
        assert_eq!(
            sentences("Call 911. Text 988! Or not?"),
            ["Call 911.", "Text 988!", "Or not?"]
        );
    }
}
