//! Markdown articles with front matter.

use super::{Article, SectionRules};

pub(super) fn parse(_text: &str, _rules: &SectionRules) -> Result<Article, String> {
    Err("Markdown articles are not supported yet".into())
}
