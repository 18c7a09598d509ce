//! HTML article pages.

use super::{Article, SectionRules};

pub(super) fn parse(_text: &str, _rules: &SectionRules) -> Result<Article, String> {
    Err("HTML articles are not supported yet".into())
}
