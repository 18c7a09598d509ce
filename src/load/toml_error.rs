//! TOML errors as `file:line: message` content errors.

use crate::error::Error;
use std::path::Path;

/// Turns a toml parse/deserialize error into a content error naming file and line.
pub(super) fn to_error(path: &Path, text: &str, err: &toml::de::Error) -> Error {
    let message = err.message().trim().to_string();
    match err.span() {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            Error::content_at(path, line, format!("column {column}: {message}"))
        }
        None => Error::content(path, message),
    }
}

/// 1-based line and column of a byte offset.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    // A span that does not fall on a character boundary must not panic.
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Line of the first `key =` assignment in the file, for semantic errors found after parsing.
pub(super) fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_column("a\nbc\nd", 0), (1, 1));
        assert_eq!(line_column("a\nbc\nd", 3), (2, 2));
        assert_eq!(line_column("a\nbc\nd", 5), (3, 1));
        assert_eq!(line_column("é", 1), (1, 1), "inside a character");
    }

    #[test]
    fn finds_the_line_of_a_key() {
        let text = "[show]\ntitle = \"x\"\n  published= \"y\"\n";
        assert_eq!(line_of_key(text, "published"), Some(3));
        assert_eq!(line_of_key(text, "missing"), None);
    }
}
