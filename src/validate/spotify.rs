//! Spotify rules: its optional namespace (`spotify:limit`, `spotify:countryOfOrigin`).
//! Spotify's enclosure requirements (url, length in bytes, type) are the RSS enclosure
//! rules, which cite Spotify as a source.

use super::common::value;
use super::diag::Diags;
use super::values::short;
use super::xml::{Node, Ns};

pub(super) fn check_channel(ch: &Node, diags: &mut Diags) {
    if let Some(limit) = ch.child(Ns::Spotify, "limit") {
        let ok = limit.attr("recentCount").is_some_and(|v| {
            v.bytes().all(|b| b.is_ascii_digit()) && v.parse::<u64>().is_ok_and(|n| n > 0)
        });
        if !ok {
            diags.push(
                "spotify/limit",
                limit,
                format!(
                    "<spotify:limit recentCount=\"{}\">: write a positive whole number of episodes",
                    short(limit.attr("recentCount").unwrap_or(""))
                ),
            );
        }
    }
    if let Some(c) = ch.child(Ns::Spotify, "countryOfOrigin") {
        let v = value(c);
        let ok = !v.is_empty()
            && v.split_whitespace()
                .all(|code| code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()));
        if !ok {
            diags.push("spotify/country-of-origin", c, format!("<spotify:countryOfOrigin>{}</spotify:countryOfOrigin>: write ISO 3166-1 alpha-2 codes separated by spaces, e.g. \"us gb\"", short(v)));
        }
    }
}
