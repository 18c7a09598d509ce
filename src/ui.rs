//! Terminal output: verbosity, progress bars (only on a terminal), colour.

use std::io::IsTerminal;

/// Messages quote articles, tags and feeds: no control character or bidi
/// override from them reaches the terminal.
pub fn terminal(msg: &str) -> std::borrow::Cow<'_, str> {
    crate::text::clean(msg)
}

/// Writes `text` to standard output. `println!` panics when the reader has gone
/// away (`mspod … | head`); this returns the error instead, and [`closed_pipe`]
/// lets `main` end quietly.
pub fn print(text: &str) -> crate::error::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// A failed write to standard output, named the way [`closed_pipe`] recognises.
pub(crate) fn stdout_error(e: std::io::Error) -> crate::error::Error {
    crate::error::Error::io(STDOUT, e)
}

/// What errors writing standard output name as their path.
const STDOUT: &str = "<stdout>";

/// Whether `err` is only that standard output's reader stopped reading: the
/// reader has what it wanted, so this is no failure and no message.
pub fn closed_pipe(err: &crate::error::Error) -> bool {
    err.flatten().iter().all(|e| {
        matches!(e, crate::error::Error::Io { path, source }
            if path.as_os_str() == STDOUT && source.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// How chatty to be, and whether stderr is a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    pub stderr_is_terminal: bool,
}

impl Ui {
    pub fn new(quiet: bool, verbose: bool) -> Self {
        Ui {
            quiet,
            verbose,
            stderr_is_terminal: std::io::stderr().is_terminal(),
        }
    }

    /// A normal progress message.
    pub fn info(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", terminal(msg.as_ref()));
        }
    }

    /// Only with --verbose.
    pub fn detail(&self, msg: impl AsRef<str>) {
        if self.verbose {
            eprintln!("{}", terminal(msg.as_ref()));
        }
    }

    /// Always printed.
    pub fn warn(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("warning: {}", terminal(msg.as_ref()));
        }
    }

    /// A progress bar for `len` steps: drawn only on a terminal and never with --quiet.
    pub fn progress(&self, len: u64, what: &str) -> indicatif::ProgressBar {
        if self.quiet || !self.stderr_is_terminal || len < 2 {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(len);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        bar
    }
}
