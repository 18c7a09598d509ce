//! Which article sections can be linked as `article#id`: only ids that are
//! really on the published page. An HTML article is the page itself, so only
//! ids it carries count; a Markdown article gets the ids of the site generator
//! named by `[site] anchors` (or an explicit `{#id}`). Chapters, notes and pages
//! all link sections through this one decision.

use crate::article::Article;
use crate::load::AnchorScheme;

/// The fragment for each of `article`'s sections, in article order (`None`: no
/// fragment can be trusted, link the article itself).
pub fn fragments(scheme: AnchorScheme, article: &Article) -> Vec<Option<String>> {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    article
        .sections
        .iter()
        .map(|s| {
            if s.own_id {
                return Some(s.id.clone());
            }
            if !article.markdown {
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
