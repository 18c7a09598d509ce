//! Links to article sections that land on the section: `article#id` only when
//! the id is really on the published page.
//!
//! An HTML article is the published page, so only ids it carries (an `id`
//! attribute, a permalink's fragment) are linked. A Markdown article is
//! published by a site generator that makes its own ids: they are linked when
//! `[site] anchors` names its scheme (or the heading has an explicit `{#id}`).
//! Otherwise the link goes to the article without a fragment.

use crate::article::Section;
use crate::model::anchors::fragments;
use crate::model::{Episode, Show};

/// Each body section with the URL to link it by.
pub(super) fn body_links<'a>(show: &Show, ep: &'a Episode) -> Vec<(&'a Section, String)> {
    let base = ep.link.split('#').next().unwrap_or(&ep.link);
    ep.article
        .sections
        .iter()
        .zip(fragments(show.config.anchors, &ep.article))
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
        .zip(fragments(show.config.anchors, &ep.article))
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
