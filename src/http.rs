//! One blocking HTTP client for everything mspod fetches: bounded time,
//! bounded size, bounded redirects, and errors that say what failed.
//!
//! Time is bounded as a total, not per read: a server that sends one byte a
//! second never trips a read timeout, so every request carries a [`Deadline`]
//! that [`read_body`] checks between reads, and [`within`] stops waiting for a
//! request at its deadline whatever the socket does. Every command that touches
//! the network goes through this module: [`get`] (`import`, `diff`), [`client`]
//! (`deploy` verification, `notify`), [`retry`] (`pair`, `new`, YouTube: retries
//! with backoff and a run budget) and [`redirect`] (`validate --online`: the
//! redirect chain followed by hand).

pub mod redirect;
pub mod retry;

use crate::error::{Error, Result};
use std::io::Read;
use std::time::{Duration, Instant};

/// The moment by which a request (or a whole command's requests) must be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Deadline(Instant);

impl Deadline {
    pub fn after(d: Duration) -> Deadline {
        Deadline(Instant::now() + d)
    }

    /// Time left; zero once passed.
    pub fn remaining(&self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }

    pub fn passed(&self) -> bool {
        Instant::now() >= self.0
    }

    /// The earlier of two deadlines.
    pub fn min(self, other: Deadline) -> Deadline {
        Ord::min(self, other)
    }

    /// A per-request timeout for reqwest (which bounds each read, not the whole body):
    /// the time left, at least a millisecond (zero would mean "no timeout").
    pub fn timeout(&self) -> Duration {
        self.remaining().max(Duration::from_millis(1))
    }
}

/// Why a body could not be read in full.
#[derive(Debug)]
pub enum BodyError {
    /// More than the cap arrived.
    TooLarge(u64),
    /// The deadline passed before the body ended.
    TimedOut,
    Io(std::io::Error),
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::TooLarge(max) => write!(f, "the body is larger than {max} bytes"),
            BodyError::TimedOut => f.write_str("timed out before the body was complete"),
            BodyError::Io(e) => write!(f, "reading the body failed: {e}"),
        }
    }
}

/// Reads a body to its end: at most `max` bytes, and never past `deadline`
/// (checked after every read, so a trickle of bytes cannot stretch it).
pub fn read_body(
    mut r: impl Read,
    max: u64,
    deadline: Deadline,
) -> std::result::Result<Vec<u8>, BodyError> {
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        if deadline.passed() {
            return Err(BodyError::TimedOut);
        }
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if deadline.passed() || is_timeout(&e) => return Err(BodyError::TimedOut),
            Err(e) => return Err(BodyError::Io(e)),
        };
        if (out.len() + n) as u64 > max {
            return Err(BodyError::TooLarge(max));
        }
        out.extend_from_slice(&buf[..n]);
    }
}

/// An I/O error that is reqwest's (or the socket's) timeout.
pub fn is_timeout(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::TimedOut {
        return true;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|s| s as _);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<reqwest::Error>()
            && r.is_timeout()
        {
            return true;
        }
        source = s.source();
    }
    false
}

/// Runs one request (`f`, body included) on its own thread and stops waiting at
/// `deadline`; `None` when it was not done by then. A read that the server keeps
/// open cannot hold the command: the abandoned thread ends by itself at its own
/// timeout, and its result is dropped.
pub fn within<T: Send + 'static>(
    deadline: Deadline,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // The receiver may be gone (deadline passed): nothing to do then.
        let _ = tx.send(f());
    });
    rx.recv_timeout(deadline.remaining()).ok()
}

/// Limits for one fetch.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub max_bytes: u64,
    pub max_redirects: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(20),
            max_bytes: 50 << 20,
            max_redirects: 10,
        }
    }
}

impl Limits {
    /// Defaults, with `MSPOD_HTTP_TIMEOUT_MS` applied (as for pairing's client).
    pub fn from_env() -> Limits {
        let mut l = Limits::default();
        if let Some(ms) = std::env::var("MSPOD_HTTP_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            l.timeout = Duration::from_millis(ms.max(1));
        }
        l
    }
}

/// A fetched body.
#[derive(Debug)]
pub struct Fetched {
    pub final_url: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// A client with mspod's user agent and the given limits.
pub fn client(limits: Limits) -> Result<reqwest::blocking::Client> {
    build_client(limits.timeout, Some(limits.max_redirects), "").map_err(Error::Internal)
}

/// The one place a client is built: mspod's user agent (plus `agent_suffix`), the
/// TLS provider, connect and per-read timeouts, and at most `redirects` redirects
/// followed (`None`: none, the caller follows them to see the chain).
pub fn build_client(
    timeout: Duration,
    redirects: Option<usize>,
    agent_suffix: &str,
) -> std::result::Result<reqwest::blocking::Client, String> {
    // rustls needs a process-wide crypto provider; installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let policy = match redirects {
        Some(n) => reqwest::redirect::Policy::limited(n),
        None => reqwest::redirect::Policy::none(),
    };
    reqwest::blocking::Client::builder()
        .user_agent(format!("mspod/{}{agent_suffix}", env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .redirect(policy)
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))
}

/// GETs `url`; non-2xx statuses, oversize bodies, transport failures and a
/// body not complete within `limits.timeout` (in all) are errors.
pub fn get(url: &str, limits: Limits) -> Result<Fetched> {
    let net = |message: String| Error::Network {
        url: url.to_string(),
        message,
    };
    let deadline = Deadline::after(limits.timeout);
    let client = client(limits)?;
    let owned = url.to_string();
    let result = within(deadline, move || -> std::result::Result<Fetched, String> {
        let response = client
            .get(&owned)
            .timeout(deadline.timeout())
            .send()
            .map_err(|e| describe(&e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        let final_url = response.url().to_string();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = read_body(response, limits.max_bytes, deadline).map_err(|e| e.to_string())?;
        Ok(Fetched {
            final_url,
            content_type,
            bytes,
        })
    });
    match result {
        Some(r) => r.map_err(net),
        None => Err(net(format!(
            "timed out: no complete answer within {:.1} s",
            limits.timeout.as_secs_f64()
        ))),
    }
}

/// reqwest's own messages are terse: name the kind and the cause chain.
pub fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_redirect() {
        "too many redirects"
    } else {
        "request failed"
    };
    let mut message = kind.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    message
}

/// Reads a feed or page from a file path, `-` (stdin) or an http(s) URL.
pub fn read_source(source: &str, limits: Limits) -> Result<Vec<u8>> {
    if source.starts_with("http://") || source.starts_with("https://") {
        return get(source, limits).map(|f| f.bytes);
    }
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(limits.max_bytes)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("<stdin>", e))?;
        return Ok(bytes);
    }
    crate::fs::read(source)
}
