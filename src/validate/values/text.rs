//! Values quoted in messages.

/// A value for messages: at most 60 characters.
pub fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}
