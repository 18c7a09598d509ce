//! Heading → role rules: built-in defaults plus the `[sections]` table of `mspod.toml`.
//!
//! A heading and a pattern are compared by their match key (lower case, `&` →
//! `and`, punctuation removed, whitespace collapsed), so "References / Sources"
//! and "references sources" are the same. `*` in a pattern matches any run of
//! characters. User patterns are consulted before the defaults, so they win.

use super::Role;
use super::text::match_key;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Built-in heading patterns, consulted after the user's.
const DEFAULTS: &[(Role, &str)] = &[
    (Role::Summary, "Quick answer"),
    (Role::Summary, "The quick answer"),
    (Role::Summary, "Short answer"),
    (Role::Summary, "The short answer"),
    (Role::Summary, "TL;DR"),
    (Role::Summary, "TLDR"),
    (Role::Summary, "In short"),
    (Role::Summary, "In a nutshell"),
    (Role::Summary, "Summary"),
    (Role::Summary, "At a glance"),
    (Role::Takeaways, "Key takeaways*"),
    (Role::Takeaways, "Practical takeaways*"),
    (Role::Takeaways, "Takeaways*"),
    (Role::Takeaways, "Main takeaways"),
    (Role::Takeaways, "Key points"),
    (Role::Takeaways, "What you can do*"),
    (Role::Faq, "Frequently asked questions*"),
    (Role::Faq, "FAQ"),
    (Role::Faq, "FAQs"),
    (Role::Faq, "FAQ *"),
    (Role::Faq, "Common questions*"),
    (Role::Faq, "Questions and answers"),
    (Role::Faq, "Q&A"),
    (Role::Faq, "Your questions answered"),
    (Role::Help, "When to seek professional help"),
    (Role::Help, "When to seek help*"),
    (Role::Help, "When to get help*"),
    (Role::Help, "Get help*"),
    (Role::Help, "Getting help*"),
    (Role::Help, "Where to get help*"),
    (Role::Help, "Where to find help*"),
    (Role::Help, "Need help now*"),
    (Role::Help, "Crisis resources"),
    (Role::Help, "Crisis support"),
    (Role::Help, "Crisis lines"),
    (Role::Help, "If you are in crisis*"),
    (Role::Help, "If you're in crisis*"),
    (Role::References, "References"),
    (Role::References, "Sources"),
    (Role::References, "References / Sources"),
    (Role::References, "References & sources"),
    (Role::References, "Sources & references"),
    (Role::References, "References & further reading"),
    (Role::References, "Sources & further reading"),
    (Role::References, "Further reading"),
    (Role::References, "Bibliography"),
    (Role::References, "Citations"),
    (Role::References, "Works cited"),
    (Role::References, "Research cited"),
    (Role::References, "Notes & references"),
    (Role::Skip, "In this article"),
    (Role::Skip, "Table of contents"),
    (Role::Skip, "Contents"),
    (Role::Skip, "On this page"),
    (Role::Skip, "Jump to*"),
    (Role::Skip, "Related articles"),
    (Role::Skip, "Related posts"),
    (Role::Skip, "You might also like"),
    (Role::Skip, "Share this*"),
];

static DEFAULT_PATTERNS: LazyLock<Vec<(Role, Pattern)>> = LazyLock::new(|| {
    DEFAULTS
        .iter()
        .filter_map(|(role, p)| Pattern::new(p).ok().map(|p| (*role, p)))
        .collect()
});

/// A heading pattern in match-key form, split at `*`.
#[derive(Debug, Clone, PartialEq)]
struct Pattern {
    /// The literal pieces between wildcards; one piece means an exact match.
    pieces: Vec<String>,
}

impl Pattern {
    fn new(raw: &str) -> Result<Pattern, String> {
        let parts: Vec<&str> = raw.split('*').collect();
        let last = parts.len() - 1;
        let pieces: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let mut key = match_key(part);
                // Keep a word boundary next to a wildcard: "at *" must not match "attic".
                let boundary = |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric());
                if i > 0 && !key.is_empty() && boundary(part.chars().next()) {
                    key.insert(0, ' ');
                }
                if i < last && !key.is_empty() && boundary(part.chars().last()) {
                    key.push(' ');
                }
                key
            })
            .collect();
        if pieces.iter().all(|p| p.trim().is_empty()) {
            return Err(format!(
                "section pattern `{raw}` has no letters or digits, so it would match every heading"
            ));
        }
        Ok(Pattern { pieces })
    }

    fn matches(&self, key: &str) -> bool {
        if let [only] = self.pieces.as_slice() {
            return key == only;
        }
        let (first, rest) = match self.pieces.split_first() {
            Some(split) => split,
            None => return false,
        };
        let Some(mut remaining) = key.strip_prefix(first.as_str()) else {
            return false;
        };
        let (last, middle) = match rest.split_last() {
            Some(split) => split,
            None => return true,
        };
        for piece in middle {
            match remaining.find(piece.as_str()) {
                Some(i) => remaining = &remaining[i + piece.len()..],
                None => return false,
            }
        }
        remaining.ends_with(last.as_str())
    }
}

/// Checks a user pattern; `Err` says why it is unusable.
pub fn validate_pattern(pattern: &str) -> Result<(), String> {
    Pattern::new(pattern).map(|_| ())
}

/// Maps section headings to roles. Patterns are case- and punctuation-insensitive,
/// `*` is a wildcard.
#[derive(Debug, Clone, Default)]
pub struct SectionRules {
    /// User patterns, consulted before the defaults.
    extra: Vec<(Role, Pattern)>,
}

impl SectionRules {
    /// Defaults plus the user's patterns. Unusable patterns (see
    /// [`validate_pattern`]) are ignored; check them first to report them.
    pub fn new(extra: Vec<(Role, String)>) -> Self {
        let extra = extra
            .into_iter()
            .filter_map(|(role, p)| Pattern::new(&p).ok().map(|p| (role, p)))
            .collect();
        SectionRules { extra }
    }

    /// Builds the rules from the `[sections]` table (role name → patterns).
    /// Unknown role names and unusable patterns are errors naming the key.
    pub fn from_table(table: &BTreeMap<String, Vec<String>>) -> Result<Self, String> {
        let mut extra = Vec::new();
        for (name, patterns) in table {
            let role = Role::from_name(name).ok_or_else(|| {
                format!(
                    "[sections] `{name}` is not a section role (expected one of: {}, body)",
                    Role::NAMES.join(", ")
                )
            })?;
            for pattern in patterns {
                validate_pattern(pattern).map_err(|e| format!("[sections] {name}: {e}"))?;
                extra.push((role, pattern.clone()));
            }
        }
        Ok(SectionRules::new(extra))
    }

    /// The role of a section with this heading.
    pub fn role_for(&self, heading: &str) -> Role {
        let key = match_key(heading);
        self.extra
            .iter()
            .chain(DEFAULT_PATTERNS.iter())
            .find(|(_, p)| p.matches(&key))
            .map_or(Role::Body, |(role, _)| *role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_cover_the_seed_headings() {
        let rules = SectionRules::default();
        for (heading, role) in [
            ("Quick answer", Role::Summary),
            ("TL;DR", Role::Summary),
            ("Practical takeaways you can use this week", Role::Takeaways),
            ("Key Takeaways:", Role::Takeaways),
            ("Frequently Asked Questions", Role::Faq),
            ("Frequently asked questions about therapy", Role::Faq),
            ("FAQs", Role::Faq),
            ("Q&A", Role::Faq),
            ("When to seek professional help", Role::Help),
            ("Get help now", Role::Help),
            ("References / Sources", Role::References),
            ("References & sources", Role::References),
            ("Sources", Role::References),
            ("Further reading", Role::References),
            ("In this article", Role::Skip),
            ("Table of Contents", Role::Skip),
            ("What this looks like at CHC", Role::Body),
            ("You have probably tried thinking your way out", Role::Body),
            ("Summary of the research on sleep", Role::Body),
        ] {
            assert_eq!(rules.role_for(heading), role, "{heading}");
        }
    }

    #[test]
    fn user_patterns_win_over_defaults() {
        let rules = SectionRules::new(vec![
            (Role::Skip, "What this looks like at *".into()),
            (Role::Body, "Summary".into()),
            (Role::Help, "*crisis*".into()),
        ]);
        assert_eq!(rules.role_for("What this looks like at CHC"), Role::Skip);
        assert_eq!(rules.role_for("What this looks like attic"), Role::Body);
        assert_eq!(rules.role_for("Summary"), Role::Body);
        assert_eq!(rules.role_for("If you're in a crisis today"), Role::Help);
        assert_eq!(rules.role_for("Quick answer"), Role::Summary);
    }

    #[test]
    fn wildcards_match_anywhere() {
        let p = |s: &str| Pattern::new(s).unwrap_or_else(|e| panic!("{e}"));
        assert!(p("practical takeaways*").matches("practical takeaways you can use"));
        assert!(p("practical takeaways*").matches("practical takeaways"));
        assert!(!p("practical takeaways").matches("practical takeaways you can use"));
        assert!(p("*help*").matches("when to get help now"));
        assert!(p("a*c*e").matches("abcde"));
        assert!(!p("a*c*e").matches("abcd"));
    }

    #[test]
    fn bad_patterns_are_reported() {
        assert!(validate_pattern("*").is_err());
        assert!(validate_pattern(" / ").is_err());
        assert!(validate_pattern("FAQ").is_ok());
        let mut table = BTreeMap::new();
        table.insert("about".to_string(), vec!["About us".to_string()]);
        let err = SectionRules::from_table(&table).err().unwrap_or_default();
        assert!(err.contains("`about` is not a section role"), "{err}");
    }
}
