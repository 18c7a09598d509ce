//! Output formats for `mspod validate`: human text, JSON and GitHub workflow annotations.
//!
//! JSON schema (stable; fields are only ever added):
//!
//! ```text
//! {"feeds": [{"source": "feed.xml",
//!             "error": "…",                  // only when the feed could not be validated
//!             "diagnostics": [{"rule": "apple/image", "severity": "error|warning|info",
//!                              "message": "…", "line": 12, "column": 5,
//!                              "item": "guid or title"}]}],   // item: item-level only
//!  "summary": {"errors": 1, "warnings": 0, "infos": 0}}
//! ```
//!
//! `line`/`column` point at the element the diagnostic is about; for a missing child,
//! at its parent.

use super::diag::Diagnostic;
use super::rules::Severity;
use serde::Serialize;
use std::fmt::Write as _;

/// One feed's result.
#[derive(Debug, Serialize)]
pub struct FeedReport {
    pub source: String,
    /// Why the feed could not be validated (I/O, network); diagnostics are then empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Errors, warnings and infos in a list.
pub fn summary_counts(diags: &[Diagnostic]) -> (usize, usize, usize) {
    let count = |s| diags.iter().filter(|d| d.severity == s).count();
    (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Human-readable text: grouped by feed and item, with line:column; ANSI colour only
/// when `color` is true (stdout is a terminal).
pub fn format_text(source: &str, diags: &[Diagnostic], color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint("1", source));
    let mut current: Option<&Option<String>> = None;
    for d in diags {
        if current != Some(&d.item) {
            if let Some(item) = &d.item {
                let _ = writeln!(out, "  item {item}:");
            } else if current.is_some() {
                let _ = writeln!(out, "  channel:");
            }
            current = Some(&d.item);
        }
        let sev = match d.severity {
            Severity::Error => paint("31;1", "error"),
            Severity::Warning => paint("33;1", "warning"),
            Severity::Info => paint("36", "info"),
        };
        let indent = if d.item.is_some() { "    " } else { "  " };
        let _ = writeln!(
            out,
            "{indent}{}:{} {sev} [{}] {}",
            d.line, d.column, d.rule, d.message
        );
    }
    let (e, w, i) = summary_counts(diags);
    let verdict = if e == 0 {
        paint("32", "valid")
    } else {
        paint("31;1", "invalid")
    };
    let _ = writeln!(
        out,
        "  {verdict}: {}, {}, {}",
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "info")
    );
    out
}

/// The JSON document for all feeds.
pub fn format_json(feeds: &[FeedReport]) -> String {
    let all: Vec<Diagnostic> = feeds.iter().flat_map(|f| f.diagnostics.clone()).collect();
    let (errors, warnings, infos) = summary_counts(&all);
    let doc = serde_json::json!({
        "feeds": feeds,
        "summary": {"errors": errors, "warnings": warnings, "infos": infos},
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// GitHub Actions workflow commands, one per diagnostic.
pub fn format_github(source: &str, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&github_annotation(
            d.severity,
            Some(source),
            Some((d.line, Some(d.column))),
            Some(d.rule),
            &d.message,
        ));
    }
    out
}

/// One GitHub Actions workflow command (`::error file=…,line=…,col=…,title=…::message`),
/// with a newline; `file` and `line` (with its column) when known. `publish`
/// annotates content errors with it too.
pub fn github_annotation(
    severity: Severity,
    file: Option<&str>,
    line: Option<(usize, Option<usize>)>,
    title: Option<&str>,
    message: &str,
) -> String {
    let level = match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = Vec::new();
    if let Some(file) = file {
        properties.push(format!("file={}", escape_property(file)));
    }
    if let Some((line, column)) = line {
        properties.push(format!("line={line}"));
        if let Some(column) = column {
            properties.push(format!("col={column}"));
        }
    }
    if let Some(title) = title {
        properties.push(format!("title={}", escape_property(title)));
    }
    let space = if properties.is_empty() { "" } else { " " };
    format!(
        "::{level}{space}{}::{}\n",
        properties.join(","),
        escape_data(message)
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_per_the_workflow_command_rules() {
        let d = Diagnostic {
            rule: "rss/date",
            severity: Severity::Error,
            message: "50% off\nnext".into(),
            line: 3,
            column: 7,
            item: None,
            page: None,
        };
        assert_eq!(
            format_github("a,b:c.xml", &[d]),
            "::error file=a%2Cb%3Ac.xml,line=3,col=7,title=rss/date::50%25 off%0Anext\n"
        );
        assert_eq!(
            github_annotation(Severity::Warning, None, None, None, "no file"),
            "::warning::no file\n"
        );
        assert_eq!(
            github_annotation(Severity::Error, Some("e.toml"), Some((4, None)), None, "x"),
            "::error file=e.toml,line=4::x\n"
        );
    }
}
