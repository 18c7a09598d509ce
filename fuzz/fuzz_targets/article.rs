//! Fuzz target: the article reader (decoding, then the HTML or Markdown parser) on
//! arbitrary bytes must return Ok or Err, never panic or hang. The first byte picks
//! the parser; the bytes go through `decode` as a file's would.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mspod::article::{self, SectionRules};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let markdown = pick & 1 == 1;
    let rules = SectionRules::default();
    if let Ok(text) = article::decode(rest, markdown, None) {
        let parsed = if markdown {
            article::parse_markdown(&text, &rules)
        } else {
            article::parse_html(&text, &rules)
        };
        if let Ok(a) = parsed {
            // Anchors are what links point at: never empty.
            assert!(a.sections.iter().all(|s| !s.id.is_empty()));
        }
    }
});
