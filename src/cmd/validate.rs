//! `mspod validate FEED…`: check feeds (files, `-` for stdin, http(s) URLs) against the
//! rules catalogue and print the result as text, JSON or GitHub annotations.
//!
//! Exit code: 0 valid, 1 errors (or warnings with --strict), 2 could not validate
//! (usage, I/O, network) — the worst over all feeds.

use crate::cli::{Format, ValidateArgs};
use crate::error::{Result, exit};
use crate::ui::Ui;
use crate::validate::report::{FeedReport, format_github, format_json, format_text};
use crate::validate::rules::{Mode, RULES};
use crate::validate::{self, Diagnostic, fails, links, online};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::time::Duration;

/// Feeds larger than this are refused when they must be held in memory (stdin or URL
/// with --online/--media); files are streamed whatever their size.
const MAX_FEED_BYTES: u64 = 200 * 1024 * 1024;

pub fn run(args: &ValidateArgs, ui: &Ui) -> Result<i32> {
    let stdout = std::io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if args.rules {
        print_rules(args.format);
        return Ok(exit::OK);
    }
    let timeout = Duration::from_secs(args.timeout.max(1));
    let mut reports = Vec::new();
    let mut code = exit::OK;
    for source in &args.feeds {
        ui.detail(format!("validating {source}"));
        let report = match check_one(source, args, timeout, ui) {
            Ok(diags) => {
                if fails(&diags, args.strict) {
                    code = code.max(exit::CONTENT);
                }
                FeedReport {
                    source: source.clone(),
                    error: None,
                    diagnostics: diags,
                }
            }
            Err(message) => {
                code = exit::FAILURE;
                FeedReport {
                    source: source.clone(),
                    error: Some(message),
                    diagnostics: Vec::new(),
                }
            }
        };
        let mut out = stdout.lock();
        match args.format {
            Format::Text => {
                if let Some(e) = &report.error {
                    eprintln!("error: {}: {e}", report.source);
                } else {
                    let _ = write!(
                        out,
                        "{}",
                        format_text(&report.source, &report.diagnostics, color)
                    );
                }
            }
            Format::Github => {
                if let Some(e) = &report.error {
                    let _ = writeln!(
                        out,
                        "::error title=mspod validate::{}: {}",
                        report.source,
                        e.replace('\n', " ")
                    );
                    eprintln!("error: {}: {e}", report.source);
                } else {
                    let _ = write!(
                        out,
                        "{}",
                        format_github(&report.source, &report.diagnostics)
                    );
                }
            }
            Format::Json => {}
        }
        reports.push(report);
    }
    if args.format == Format::Json {
        let _ = writeln!(stdout.lock(), "{}", format_json(&reports));
    }
    Ok(code)
}

/// Validates one feed; the error is why it could not be validated.
fn check_one(
    source: &str,
    args: &ValidateArgs,
    timeout: Duration,
    ui: &Ui,
) -> Result<Vec<Diagnostic>, String> {
    let is_url = source.starts_with("http://") || source.starts_with("https://");
    let needs_bytes = args.online || args.links || args.media.is_some();
    let mut diags = if is_url {
        let fetched = online::fetch_feed(source, timeout, MAX_FEED_BYTES)?;
        let mut diags = finish_bytes(&fetched.bytes, source, args, timeout, ui)?;
        diags.extend(fetched.diagnostics);
        diags
    } else if source == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_FEED_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        if bytes.len() as u64 > MAX_FEED_BYTES {
            return Err(format!(
                "standard input is larger than {MAX_FEED_BYTES} bytes"
            ));
        }
        finish_bytes(&bytes, source, args, timeout, ui)?
    } else if needs_bytes {
        let bytes = std::fs::read(source).map_err(|e| format!("cannot read the file: {e}"))?;
        finish_bytes(&bytes, source, args, timeout, ui)?
    } else {
        let file = std::fs::File::open(source).map_err(|e| format!("cannot read the file: {e}"))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err("is a directory, not a feed file".into());
        }
        let reader: Box<dyn BufRead> = Box::new(BufReader::with_capacity(64 * 1024, file));
        validate::validate_reader(reader, source)
    };
    diags.sort_by(|a, b| (a.line, a.column, a.rule).cmp(&(b.line, b.column, b.rule)));
    Ok(diags)
}

fn finish_bytes(
    bytes: &[u8],
    source: &str,
    args: &ValidateArgs,
    timeout: Duration,
    ui: &Ui,
) -> Result<Vec<Diagnostic>, String> {
    let mut diags = validate::validate_feed(bytes, source);
    let well_formed = !diags
        .iter()
        .any(|d| d.rule.starts_with("xml/") && d.severity == validate::Severity::Error);
    if well_formed {
        if let Some(dir) = &args.media {
            if !dir.is_dir() {
                return Err(format!("--media {}: not a directory", dir.display()));
            }
            diags.extend(validate::check_media(bytes, dir));
        }
        if args.online {
            let options = online::Options {
                timeout,
                budget: Duration::from_secs(args.budget.max(1)),
                concurrency: 4,
            };
            let (found, notes) = online::check_online(bytes, &options);
            for n in notes {
                ui.warn(format!("{source}: {n}"));
            }
            diags.extend(found);
        }
        if args.links {
            let options = links::Options {
                timeout,
                budget: Duration::from_secs(args.budget.max(1)),
                concurrency: 4,
            };
            let (found, notes) = links::check_links(bytes, source, &options);
            for n in notes {
                ui.warn(format!("{source}: {n}"));
            }
            diags.extend(found);
        }
    }
    Ok(diags)
}

/// Prints the catalogue; a closed pipe (`| head`) just ends the listing.
fn print_rules(format: Format) {
    let mut out = std::io::stdout().lock();
    if format == Format::Json {
        let doc = serde_json::json!({ "rules": RULES });
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        );
        return;
    }
    for r in RULES {
        let mode = match r.mode {
            Mode::Offline => "",
            Mode::Online => " (--online)",
            Mode::Media => " (--media)",
            Mode::Links => " (--links)",
        };
        let line = writeln!(
            out,
            "{:<34} {:<7} {}{mode}\n{:<42} catalogue: {}; source: {}",
            r.id,
            r.severity.as_str(),
            r.summary,
            "",
            r.catalogue,
            r.source
        );
        if line.is_err() {
            return;
        }
    }
}
