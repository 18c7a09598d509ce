//! Stage 7: validate a feed against the rules of XML 1.0, RSS 2.0, Apple Podcasts,
//! Spotify and the Podcasting 2.0 namespace.
//!
//! In: feed bytes (or any `BufRead`, streamed in constant memory). Out: a list of
//! [`Diagnostic`]s, each naming a rule of the catalogue ([`rules::RULES`]), the element's
//! line and column, and the fix. Offline checks never touch the network; `--online`
//! ([`online`]) and `--media` ([`media`]) add checks against the served files and the
//! local audio. The validator never stops at the first problem, never expands entities,
//! and never panics on input.
//!
//! Layers (each imports only those before it; `tests/architecture.rs` checks it):
//! [`rules`] and [`diag`] (the catalogue, diagnostics), [`values`] (pure value checks),
//! [`xml`] (the streaming walk), `common` (node helpers), [`state`] (cross-item rules),
//! the rule files `rss`, `apple`, `podcast`, `spotify`, then `dispatch`, which owns the
//! feed's state and calls them; [`incremental`] checks one item at a time with the same
//! pieces.

mod common;
pub mod diag;
mod dispatch;
pub mod incremental;
pub mod links;
pub mod media;
pub mod online;
pub mod report;
pub mod rules;
pub mod state;
pub mod values;
pub mod xml;

mod apple;
mod podcast;
mod rss;
mod spotify;

use std::io::BufRead;
use std::path::Path;

pub use common::future_after;
pub use diag::{Diagnostic, Diags};
pub use incremental::{
    ItemCheck, ItemFacts, ItemScope, check_feed, check_item, check_item_in, item_starts,
};
pub use report::{format_text, summary_counts};
pub use rules::Severity;
pub use values::podcast::{
    is_medium, is_person_group, is_person_role, location_problems, person_default_group,
    rrule_problem,
};

/// Checks a feed held in memory with the offline rules. `source` is the feed's name or
/// URL (used for the podcast:guid derivation when it is an http(s) URL).
pub fn validate_feed(bytes: &[u8], source: &str) -> Vec<Diagnostic> {
    validate_reader(bytes, source)
}

/// Checks a feed read from a stream with the offline rules, in constant memory.
pub fn validate_reader<R: BufRead>(input: R, source: &str) -> Vec<Diagnostic> {
    let mut xml_diags = Diags::new();
    let mut content = Diags::new();
    let mut checker = dispatch::Checker::new(source);
    let summary = xml::walk(input, &mut xml_diags, |done, _| {
        checker.on_completed(done, &mut content);
    });
    // A parser stops at the first fatal XML error, and so does every app: what the
    // content checks found before that point is not what an app would see.
    if !summary.fatal {
        checker.finish(summary.bytes, &mut content);
        xml_diags.extend(content);
    }
    xml_diags.finish()
}

/// Cross-checks each item's enclosure length, type and duration against the audio
/// files under `media_dir` (offline; see [`media`]).
pub fn check_media(bytes: &[u8], media_dir: &Path) -> Vec<Diagnostic> {
    media::check_media_reader(bytes, media_dir)
}

/// True if any diagnostic is an error (or, with `strict`, a warning).
pub fn fails(diagnostics: &[Diagnostic], strict: bool) -> bool {
    diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error || (strict && d.severity == Severity::Warning))
}
