//! Text that reaches an output or a terminal: which characters never do.
//!
//! A bottom-layer module so the renderers (`render::safe`), the validator's
//! messages and the terminal (`ui`) share one policy.

use std::borrow::Cow;

/// Characters no output carries: C0/C1 controls except tab and newline, and
/// bidi embeddings, overrides and isolates.
pub(crate) fn is_unwanted(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` without [`is_unwanted`] characters.
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_unwanted) {
        s.chars()
            .filter(|c| !is_unwanted(*c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}
