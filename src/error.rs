//! The one error type. Every error names what it is about (a file, a URL, a key)
//! so the message a user sees can be acted on without a debugger.

use std::fmt;
use std::path::{Path, PathBuf};

/// Documented process exit codes (README "Exit codes").
pub mod exit {
    /// Everything worked.
    pub const OK: i32 = 0;
    /// The content (or the feed being validated) has errors.
    pub const CONTENT: i32 = 1;
    /// mspod could not do its job: bad usage, I/O, network or internal failure.
    pub const FAILURE: i32 = 2;
}

/// What went wrong, and where.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The user's content is wrong: a bad key, a missing file, a bad date...
    /// `line` is 1-based when known.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Content {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// The command line asked for something impossible: a bad flag value, a folder
    /// that is not a show, a target that is not configured. Only for what the user
    /// typed or can fix by running the command differently.
    #[error("{0}")]
    Usage(String),
    /// A network request failed.
    #[error("{url}: {message}")]
    Network { url: String, message: String },
    /// mspod could not go on whatever the input: worker threads, the async runtime
    /// or the HTTP client would not start, its own data would not serialize.
    #[error("{0}")]
    Internal(String),
    /// Several independent content errors, reported together.
    #[error("{}", DisplayMany(.0))]
    Many(Vec<Error>),
}

struct DisplayMany<'a>(&'a [Error]);

impl fmt::Display for DisplayMany<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    pub fn content(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error::Content {
            path: path.as_ref().to_path_buf(),
            line: None,
            message: message.into(),
        }
    }

    pub fn content_at(path: impl AsRef<Path>, line: usize, message: impl Into<String>) -> Self {
        Error::Content {
            path: path.as_ref().to_path_buf(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// Collapses a list of errors: none is `Ok`, one is itself, more are `Many`.
    pub fn from_list(mut errors: Vec<Error>) -> Result<()> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(Error::Many(errors)),
        }
    }

    /// The exit code this error maps to: content problems are the user's to fix (1),
    /// everything else means mspod could not run (2).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content { .. } => exit::CONTENT,
            Error::Many(all) => all
                .iter()
                .map(Error::exit_code)
                .max()
                .unwrap_or(exit::CONTENT),
            Error::Io { .. } | Error::Usage(_) | Error::Network { .. } | Error::Internal(_) => {
                exit::FAILURE
            }
        }
    }

    /// The individual errors, flattened.
    pub fn flatten(&self) -> Vec<&Error> {
        match self {
            Error::Many(all) => all.iter().flat_map(Error::flatten).collect(),
            other => vec![other],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_the_documented_ones() {
        let io = || Error::io("a.mp3", std::io::Error::other("gone"));
        assert_eq!(
            Error::content("episode.toml", "bad").exit_code(),
            exit::CONTENT
        );
        assert_eq!(io().exit_code(), exit::FAILURE);
        assert_eq!(Error::Usage("--jobs 0".into()).exit_code(), exit::FAILURE);
        assert_eq!(
            Error::Internal("no threads".into()).exit_code(),
            exit::FAILURE
        );
        let net = Error::Network {
            url: "https://example.org/".into(),
            message: "timed out".into(),
        };
        assert_eq!(net.exit_code(), exit::FAILURE);
        // Content errors beside a failure: mspod could not do its job.
        let mixed = Error::Many(vec![Error::content("a", "x"), io()]);
        assert_eq!(mixed.exit_code(), exit::FAILURE);
        assert_eq!(
            Error::Internal("no threads".into()).to_string(),
            "no threads"
        );
    }
}
