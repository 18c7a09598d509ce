//! References: one [`Reference`] per list item (or per paragraph when the
//! section has no list), e.g. `Org. Title (Container, 2019). https://…` →
//! text `Org. Title (Container, 2019).`, the URL, year 2019.

use super::text::{collapse, match_key};
use super::{Block, Inline, Inlines, Reference, plain};
use std::collections::HashSet;

/// Words that introduce a trailing URL and go with it.
const URL_LEADS: &[&str] = &[
    "retrieved from",
    "available at",
    "available from",
    "accessed at",
    "url",
    "link",
];

pub(super) fn parse_blocks(blocks: &[Block]) -> Vec<Reference> {
    let has_list = blocks.iter().any(|b| matches!(b, Block::List { .. }));
    let items: Vec<&Inlines> = blocks
        .iter()
        .flat_map(|b| match b {
            Block::List { items, .. } if has_list => items.iter().collect::<Vec<_>>(),
            Block::Paragraph { text } if !has_list => vec![text],
            _ => Vec::new(),
        })
        .collect();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for item in items {
        let Some(reference) = parse_item(item) else {
            continue;
        };
        if let Some(url) = &reference.url
            && !seen.insert(normalize_url(url))
        {
            continue;
        }
        out.push(reference);
    }
    out
}

/// One citation. `None` when the item has no text at all.
pub(super) fn parse_item(inlines: &[Inline]) -> Option<Reference> {
    let full = collapse(&plain(inlines));
    if full.is_empty() {
        return None;
    }
    let link = inlines.iter().find_map(|i| match i {
        Inline::Link { url, .. } if is_web_url(url) => Some(url.clone()),
        _ => None,
    });
    let (mut text, bare) = split_trailing_url(&full);
    // A trailing link labelled with its domain ("… (2019). who.int") is a URL too.
    if let Some(Inline::Link { text: label, url }) =
        inlines.iter().rev().find(|i| !i.text().trim().is_empty())
        && is_web_url(url)
    {
        let label = label.trim();
        if label.contains('.') && !label.contains(' ') && text.ends_with(label) {
            text = text[..text.len() - label.len()].trim_end().to_string();
        }
    }
    let url = link.or(bare).or_else(|| last_bare_url(&full));
    let year = find_year(&text);
    let text = if text.is_empty() { full } else { text };
    Some(Reference { text, url, year })
}

fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn trim_url(token: &str) -> &str {
    let t = token.trim_end_matches(['.', ',', ';', ':', '!', '>', ']']);
    if t.ends_with(')') && !t.contains('(') {
        &t[..t.len() - 1]
    } else {
        t
    }
}

fn token_url(token: &str) -> Option<String> {
    let t = trim_url(token.trim_start_matches(['<', '(', '[']));
    if is_web_url(t) {
        Some(t.to_string())
    } else if t.starts_with("www.") && t.len() > 4 {
        Some(format!("https://{t}"))
    } else {
        None
    }
}

/// Splits `Citation. https://x` into (`Citation.`, `https://x`).
fn split_trailing_url(text: &str) -> (String, Option<String>) {
    let (head, last) = text.rsplit_once(' ').unwrap_or(("", text));
    let Some(url) = token_url(last) else {
        return (text.to_string(), None);
    };
    let mut head = head.trim_end().trim_end_matches(':').trim_end().to_string();
    // ASCII lower-casing keeps byte offsets, so `lower` indexes `head`.
    let lower = head.to_ascii_lowercase();
    for lead in URL_LEADS {
        if lower.ends_with(lead)
            && (lower.len() == lead.len()
                || lower[..lower.len() - lead.len()].ends_with([' ', '.']))
        {
            head = head[..head.len() - lead.len()].trim_end().to_string();
            break;
        }
    }
    // APA 7: "… Retrieved May 3, 2024, from https://…".
    let lower = head.to_ascii_lowercase();
    if lower.ends_with(" from")
        && let Some(i) = lower.rfind("retrieved ")
    {
        head = head[..i].trim_end().to_string();
    }
    (head, Some(url))
}

fn last_bare_url(text: &str) -> Option<String> {
    text.split_whitespace().rev().find_map(token_url)
}

/// The year of a citation: `(2024)`, `(Monitor on Psychology, 2019)`,
/// `(NIH/PubMed, 2015)`, `(May 2019).`, `(2019, November 1)`.
pub(super) fn find_year(text: &str) -> Option<u16> {
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(')') else { break };
        let inside = &after[..close];
        let tokens: Vec<&str> = inside
            .split([',', ' ', ';'])
            .filter(|t| !t.is_empty())
            .collect();
        let year = tokens
            .last()
            .and_then(|t| year_token(t))
            .or_else(|| tokens.first().and_then(|t| year_token(t)));
        if year.is_some() {
            return year;
        }
        rest = &after[close + 1..];
    }
    None
}

/// `2019` or `2019a` (APA disambiguation) within 1800–2100.
fn year_token(token: &str) -> Option<u16> {
    let digits = token
        .strip_suffix(|c: char| c.is_ascii_lowercase())
        .unwrap_or(token);
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: u16 = digits.parse().ok()?;
    (1800..=2100).contains(&year).then_some(year)
}

/// URL identity for deduplication: scheme and host lower-cased, `utm_*`
/// parameters and the fragment dropped, no trailing `/`.
pub(super) fn normalize_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let kept: Vec<(String, String)> = u
                .query_pairs()
                .filter(|(k, _)| !k.starts_with("utm_"))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            if kept.is_empty() {
                u.set_query(None);
            } else {
                u.query_pairs_mut().clear().extend_pairs(kept);
            }
            u.set_fragment(None);
            u.to_string().trim_end_matches('/').to_string()
        }
        Err(_) => url.trim().trim_end_matches('/').to_string(),
    }
}

/// Fills missing URLs and years from a copy of the list, and adds entries
/// the list lacks (by URL).
pub(super) fn fill_gaps(list: &mut Vec<Reference>, copy: Vec<Reference>) {
    for other in copy {
        let same_url = other.url.as_deref().map(normalize_url).and_then(|key| {
            list.iter_mut()
                .find(|r| r.url.as_deref().map(normalize_url).as_deref() == Some(&key))
        });
        if let Some(found) = same_url {
            found.year = found.year.or(other.year);
            continue;
        }
        let similar = list
            .iter_mut()
            .filter(|r| r.url.is_none())
            .find(|r| similar_text(&r.text, &other.text));
        if let Some(found) = similar {
            found.url = other.url.clone();
            found.year = found.year.or(other.year);
            continue;
        }
        if other.url.is_some() && !list.iter().any(|r| similar_text(&r.text, &other.text)) {
            list.push(other);
        }
    }
}

/// Two citations of the same work in different formats share most words.
fn similar_text(a: &str, b: &str) -> bool {
    let words = |s: &str| -> HashSet<String> {
        match_key(s)
            .split(' ')
            .filter(|w| w.len() > 2)
            .map(str::to_string)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let smaller = a.len().min(b.len());
    smaller > 0 && a.intersection(&b).count() * 10 >= smaller * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text { text: s.into() }
    }

    #[test]
    fn years_come_from_parentheses() {
        assert_eq!(
            find_year("Org. Title (Monitor on Psychology, 2019). x"),
            Some(2019)
        );
        assert_eq!(find_year("Org. Fact sheet (2022)."), Some(2022));
        assert_eq!(
            find_year("World Psychiatry (NIH/PubMed, 2015)."),
            Some(2015)
        );
        assert_eq!(
            find_year("NIH / PubMed (Wampold, 2015). How important"),
            Some(2015)
        );
        assert_eq!(find_year("Smith, J. (2019a). Title."), Some(2019));
        assert_eq!(find_year("Report (May 2019)."), Some(2019));
        assert_eq!(find_year("Page (2019, November 1)."), Some(2019));
        assert_eq!(find_year("Journal 14(3):270-277. In 2015 we saw"), None);
        assert_eq!(find_year("Anxiety disorders (DSM-5)."), None);
        assert_eq!(find_year("no parentheses 2019"), None);
    }

    #[test]
    fn trailing_bare_url_is_split_off() {
        let r = parse_item(&[t(
            "Mayo Clinic. Anxiety (2024). https://www.mayoclinic.org/a/b.",
        )]);
        assert_eq!(
            r,
            Some(Reference {
                text: "Mayo Clinic. Anxiety (2024).".into(),
                url: Some("https://www.mayoclinic.org/a/b".into()),
                year: Some(2024)
            })
        );
        let r = parse_item(&[t(
            "Org. Title (2024). Retrieved May 3, 2024, from https://x.org/y",
        )]);
        assert_eq!(
            r.map(|r| (r.text, r.year)),
            Some(("Org. Title (2024).".into(), Some(2024)))
        );
        let r = parse_item(&[t("Org. Title. Retrieved from https://x.org/y")]);
        assert_eq!(
            r.map(|r| (r.text, r.url)),
            Some(("Org. Title.".into(), Some("https://x.org/y".into())))
        );
    }

    #[test]
    fn a_link_wins_over_bare_urls() {
        let r = parse_item(&[
            t("Org. "),
            Inline::Link {
                text: "Title".into(),
                url: "https://a.org/t".into(),
            },
            t(" (2020). See also https://b.org"),
        ]);
        assert_eq!(r.and_then(|r| r.url), Some("https://a.org/t".into()));
    }

    #[test]
    fn urls_normalise_for_dedupe() {
        assert_eq!(
            normalize_url("HTTPS://Example.ORG/a/?utm_source=x&id=2#top"),
            "https://example.org/a/?id=2"
        );
        assert_eq!(
            normalize_url("https://example.org/a/"),
            "https://example.org/a"
        );
    }

    #[test]
    fn a_trailing_link_labelled_with_its_domain_is_not_citation_text() {
        let r = parse_item(&[
            t("WHO. Burn-out (2019). "),
            Inline::Link {
                text: "who.int".into(),
                url: "https://www.who.int/x".into(),
            },
        ]);
        assert_eq!(
            r.map(|r| (r.text, r.url)),
            Some((
                "WHO. Burn-out (2019).".into(),
                Some("https://www.who.int/x".into())
            ))
        );
    }
}
