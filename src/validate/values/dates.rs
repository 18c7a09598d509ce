//! RFC 2822 dates as feeds write them (RSS allows 2-digit years and zone names).

use chrono::{Datelike, NaiveDate, TimeZone, Utc};

/// What is wrong with a date, or what is odd about a valid one.
#[derive(Debug, PartialEq)]
pub enum DateCheck {
    /// Valid RFC 2822 with a numeric zone, GMT or UT.
    Ok(chrono::DateTime<Utc>),
    /// Valid, but in a form parsers read unevenly (a zone name, a two-digit year,
    /// comments…); the text lists what.
    Problematic(chrono::DateTime<Utc>, String),
    /// Not an RFC 2822 date; the message says why.
    Invalid(String),
    /// The weekday does not match the date.
    Weekday { stated: String, actual: String },
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses an RFC 2822 date (RSS allows 2-digit years), as `[Ddd, ]DD Mon YYYY HH:MM[:SS] ZONE`.
pub fn check_date(s: &str) -> DateCheck {
    let mut odd: Vec<String> = Vec::new();
    let Some(stripped) = strip_comments(s) else {
        return DateCheck::Invalid("a comment in parentheses is not closed".into());
    };
    if stripped != s {
        odd.push("comments in parentheses".into());
    }
    let s = stripped.trim();
    let (weekday, rest) = match s.split_once(',') {
        Some((w, r)) => {
            if !r.starts_with([' ', '\t']) {
                odd.push("no space after the comma".into());
            }
            (Some(w.trim()), r)
        }
        None => (None, s),
    };
    let parts: Vec<&str> = rest.split_whitespace().collect();
    let invalid = |why: &str| {
        DateCheck::Invalid(format!(
            "{why}; expected e.g. \"Wed, 02 Oct 2002 13:00:00 +0000\""
        ))
    };
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit) {
        return invalid(
            "this is ISO 8601 (as in Atom), which RSS 2.0 does not allow and strict parsers reject",
        );
    }
    if parts.len() != 5 {
        if parts.len() == 4 {
            return invalid("no time zone");
        }
        return invalid("it is not day, month, year, time and zone");
    }
    let day: u32 = match parts[0].parse() {
        Ok(d) if parts[0].len() <= 2 && parts[0].bytes().all(|b| b.is_ascii_digit()) => d,
        _ => return invalid("the day is not a number"),
    };
    let Some(month) = MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(parts[1]))
        .map(|i| i as u32 + 1)
    else {
        return invalid(&format!(
            "`{}` is not an English month abbreviation",
            parts[1]
        ));
    };
    let year: i32 = match (parts[2].len(), parts[2].parse::<i32>()) {
        (4, Ok(y)) if parts[2].bytes().all(|b| b.is_ascii_digit()) => y,
        (2, Ok(y)) if parts[2].bytes().all(|b| b.is_ascii_digit()) => {
            odd.push("a two-digit year".into());
            if y < 50 { 2000 + y } else { 1900 + y }
        }
        _ => return invalid("the year is not 4 digits"),
    };
    let hms: Vec<&str> = parts[3].split(':').collect();
    let num = |x: &str, max: u32| -> Option<u32> {
        if x.len() != 2 || !x.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        x.parse::<u32>().ok().filter(|v| *v <= max)
    };
    let (h, m, sec) = match hms.as_slice() {
        [h, m] => (num(h, 23), num(m, 59), Some(0)),
        [h, m, s] => (num(h, 23), num(m, 59), num(s, 60)),
        _ => (None, None, None),
    };
    let (Some(h), Some(m), Some(sec)) = (h, m, sec) else {
        return invalid("the time is not HH:MM:SS (24-hour)");
    };
    let zone = parts[4];
    let (offset_secs, named): (i32, Option<String>) = if (zone.starts_with('+')
        || zone.starts_with('-'))
        && zone.len() == 5
        && zone[1..].bytes().all(|b| b.is_ascii_digit())
    {
        let hh: i32 = zone[1..3].parse().unwrap_or(0);
        let mm: i32 = zone[3..5].parse().unwrap_or(0);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        if !matches!(mm, 0 | 30 | 45) || hh > 14 {
            odd.push(format!("the unusual zone offset {zone}"));
        }
        (sign * (hh * 3600 + mm * 60), None)
    } else {
        match zone.to_ascii_uppercase().as_str() {
            "GMT" | "UT" => (0, None),
            "UTC" | "Z" => (0, Some(zone.to_string())),
            "EST" => (-5 * 3600, Some(zone.to_string())),
            "EDT" => (-4 * 3600, Some(zone.to_string())),
            "CST" => (-6 * 3600, Some(zone.to_string())),
            "CDT" => (-5 * 3600, Some(zone.to_string())),
            "MST" => (-7 * 3600, Some(zone.to_string())),
            "MDT" => (-6 * 3600, Some(zone.to_string())),
            "PST" => (-8 * 3600, Some(zone.to_string())),
            "PDT" => (-7 * 3600, Some(zone.to_string())),
            z if z.len() == 1 && z.bytes().all(|b| b.is_ascii_alphabetic()) && z != "J" => {
                (0, Some(zone.to_string()))
            }
            _ => return invalid(&format!("`{zone}` is not a time zone (use +0000 or GMT)")),
        }
    };
    let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
        return invalid(&format!("{day} {} {year} does not exist", parts[1]));
    };
    if let Some(w) = weekday {
        let actual = DAYS[date.weekday().num_days_from_monday() as usize];
        let Some(_) = DAYS.iter().find(|d| d.eq_ignore_ascii_case(w)) else {
            return invalid(&format!("`{w}` is not an English weekday abbreviation"));
        };
        if !actual.eq_ignore_ascii_case(w) {
            return DateCheck::Weekday {
                stated: w.to_string(),
                actual: actual.to_string(),
            };
        }
    }
    let Some(naive) = date.and_hms_opt(h, m, sec.min(59)) else {
        return invalid("the time does not exist");
    };
    let utc = Utc.from_utc_datetime(&naive) - chrono::Duration::seconds(i64::from(offset_secs));
    if let Some(z) = named {
        odd.push(format!("the zone name `{z}`"));
    }
    if odd.is_empty() {
        DateCheck::Ok(utc)
    } else {
        DateCheck::Problematic(utc, odd.join(", "))
    }
}

/// The text with RFC 822 comments — `(…)`, nested, with `\` escapes — replaced by a
/// space; None if a comment is not closed.
fn strip_comments(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if depth > 0 => {
                chars.next();
            }
            '(' => depth += 1,
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    (depth == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(matches!(
            check_date("Wed, 02 Oct 2002 13:00:00 GMT"),
            DateCheck::Ok(_)
        ));
        assert!(matches!(
            check_date("Wed, 2 Oct 2002 13:00 +0200"),
            DateCheck::Ok(_)
        ));
        assert!(matches!(
            check_date("02 Oct 2002 13:00:00 -0000"),
            DateCheck::Ok(_)
        ));
        assert!(matches!(
            check_date("Thu, 02 Oct 2002 13:00:00 GMT"),
            DateCheck::Weekday { .. }
        ));
        assert!(matches!(
            check_date("2002-10-02T13:00:00Z"),
            DateCheck::Invalid(_)
        ));
        assert!(matches!(
            check_date("Wed, 02 Oct 2002 13:00:00 EST"),
            DateCheck::Problematic(..)
        ));
        for odd in [
            "Sat,29 Jul 2006 00:03:02 +0000",
            "31 Dec 99 23:59:59 +0000",
            "31 Dec 2002 14:20:20 -0234",
            "Thu (hate thursdays), 16(th) Feb(ruary) 2006 01:39 +0000 (GMT)",
        ] {
            assert!(
                matches!(check_date(odd), DateCheck::Problematic(..)),
                "{odd}"
            );
        }
        assert!(matches!(
            check_date("Mon, 31 Feb 2002 13:00:00 GMT"),
            DateCheck::Invalid(_)
        ));
        assert!(matches!(
            check_date("Wed, 02 Oct 2002 25:00:00 GMT"),
            DateCheck::Invalid(_)
        ));
    }
}
