//! Links to article sections that land on the section: `article#id` only when
//! the id is really on the published page.
//!
//! An HTML article is the published page, so only ids it carries (an `id`
//! attribute, a permalink's fragment) are linked. A Markdown article is
//! published by a site generator that makes its own ids: they are linked when
//! `[site] anchors` names its scheme (or the heading has an explicit `{#id}`).
//! Otherwise the link goes to the article without a fragment.

use crate::article::Section;
use crate::load::AnchorScheme;
use crate::model::{Episode, Show};

/// The URL for each of `ep`'s sections, in article order (`None`: no fragment can be trusted).
fn fragments(show: &Show, ep: &Episode) -> Vec<Option<String>> {
    let scheme = show.config.anchors;
    let mut seen = std::collections::HashMap::<String, usize>::new();
    ep.article
        .sections
        .iter()
        .map(|s| {
            if s.own_id {
                return Some(s.id.clone());
            }
            if !ep.article.markdown {
                return None;
            }
            match scheme {
                AnchorScheme::None => None,
                // Both make GitHub's slugs, which is how the parser made `id`.
                AnchorScheme::Github | AnchorScheme::Hugo => Some(s.id.clone()),
                AnchorScheme::Jekyll => {
                    let base = kramdown_id(&s.title);
                    let n = seen.entry(base.clone()).or_insert(0);
                    let id = if *n == 0 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    };
                    *n += 1;
                    Some(id)
                }
            }
        })
        .collect()
}

/// kramdown's automatic header ids (Jekyll's default): lower case, characters
/// other than ASCII letters, digits, spaces and `-` removed, leading
/// non-letters removed, spaces → `-`; `section` when nothing is left.
fn kramdown_id(title: &str) -> String {
    let kept: String = title
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .collect();
    let trimmed = kept.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    let id = trimmed.replace(' ', "-").to_ascii_lowercase();
    if id.is_empty() { "section".into() } else { id }
}

/// Each body section with the URL to link it by.
pub(super) fn body_links<'a>(show: &Show, ep: &'a Episode) -> Vec<(&'a Section, String)> {
    let base = ep.link.split('#').next().unwrap_or(&ep.link);
    ep.article
        .sections
        .iter()
        .zip(fragments(show, ep))
        .filter(|(s, _)| s.role == crate::article::Role::Body)
        .map(|(s, f)| match f {
            Some(id) => (s, format!("{base}#{id}")),
            None => (s, base.to_string()),
        })
        .collect()
}

/// Why sections of this episode are linked without a fragment, for `publish -v`.
pub(super) fn note(show: &Show, ep: &Episode) -> Option<String> {
    let missing = ep
        .article
        .sections
        .iter()
        .zip(fragments(show, ep))
        .filter(|(s, f)| s.role == crate::article::Role::Body && f.is_none())
        .count();
    if missing == 0 {
        return None;
    }
    let why = if ep.article.markdown {
        "the article is Markdown and `[site] anchors` (github, hugo or jekyll) is not set"
    } else {
        "their headings have no id on the article page"
    };
    Some(format!(
        "{}: {missing} section link{} go to the article without #fragment: {why}",
        ep.slug,
        if missing == 1 { "" } else { "s" }
    ))
}

#[cfg(test)]
mod tests {
    use super::kramdown_id;

    #[test]
    fn kramdown_ids() {
        assert_eq!(kramdown_id("5-4-3-2-1: Grounding, Fast!"), "grounding-fast");
        assert_eq!(
            kramdown_id("When to seek professional help"),
            "when-to-seek-professional-help"
        );
        assert_eq!(kramdown_id("¿Qué?"), "qu");
        assert_eq!(kramdown_id("123"), "section");
    }
}
