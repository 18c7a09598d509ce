//! `itunes:duration` forms: seconds, MM:SS, H:MM:SS.

/// The forms of `itunes:duration`.
#[derive(Debug, PartialEq)]
pub enum DurationCheck {
    /// Whole seconds, or H:MM:SS.
    Ok(u64),
    /// MM:SS: valid, but some apps read it as HH:MM.
    MinutesSeconds(u64),
    /// Has a fractional part.
    Fraction,
    Invalid,
}

pub fn check_duration(s: &str) -> DurationCheck {
    let s = s.trim();
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if digits(s) {
        return match s.parse::<u64>() {
            Ok(n) => DurationCheck::Ok(n),
            Err(_) => DurationCheck::Invalid,
        };
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac
        && !digits(f)
    {
        return DurationCheck::Invalid;
    }
    let parts: Vec<&str> = whole.split(':').collect();
    let sub = |x: &str| x.len() == 2 && digits(x) && x.parse::<u64>().is_ok_and(|v| v < 60);
    let total = match parts.as_slice() {
        [s] if digits(s) => s.parse::<u64>().ok(),
        [m, s] if digits(m) && sub(s) => m
            .parse::<u64>()
            .ok()
            .map(|m| m * 60 + s.parse::<u64>().unwrap_or(0)),
        [h, m, s] if digits(h) && sub(m) && sub(s) => h
            .parse::<u64>()
            .ok()
            .map(|h| h * 3600 + m.parse::<u64>().unwrap_or(0) * 60 + s.parse::<u64>().unwrap_or(0)),
        _ => None,
    };
    match (total, frac, parts.len()) {
        (None, _, _) => DurationCheck::Invalid,
        (Some(_), Some(_), _) => DurationCheck::Fraction,
        (Some(t), None, 2) => DurationCheck::MinutesSeconds(t),
        (Some(t), None, _) => DurationCheck::Ok(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(check_duration("3600"), DurationCheck::Ok(3600));
        assert_eq!(check_duration("1:02:03"), DurationCheck::Ok(3723));
        assert_eq!(check_duration("62:03"), DurationCheck::MinutesSeconds(3723));
        assert_eq!(check_duration("123.5"), DurationCheck::Fraction);
        assert_eq!(check_duration("00:07:74"), DurationCheck::Invalid);
        assert_eq!(check_duration("1:2"), DurationCheck::Invalid);
        assert_eq!(check_duration("forty"), DurationCheck::Invalid);
        assert_eq!(check_duration(""), DurationCheck::Invalid);
    }
}
