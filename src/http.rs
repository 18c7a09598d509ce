//! One blocking HTTP client for everything mspod fetches: bounded time,
//! bounded size, bounded redirects, and errors that say what failed.

use crate::error::{Error, Result};
use std::io::Read;
use std::time::Duration;

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

/// A fetched body.
#[derive(Debug)]
pub struct Fetched {
    pub final_url: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// A client with mspod's user agent and the given limits.
pub fn client(limits: Limits) -> Result<reqwest::blocking::Client> {
    // rustls needs a process-wide crypto provider; installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder()
        .user_agent(concat!("mspod/", env!("CARGO_PKG_VERSION")))
        .timeout(limits.timeout)
        .connect_timeout(limits.timeout.min(Duration::from_secs(10)))
        .redirect(reqwest::redirect::Policy::limited(limits.max_redirects))
        .build()
        .map_err(|e| Error::Network {
            url: String::new(),
            message: format!("cannot start the HTTP client: {e}"),
        })
}

/// GETs `url`; non-2xx statuses, oversize bodies and transport failures are errors.
pub fn get(url: &str, limits: Limits) -> Result<Fetched> {
    let net = |message: String| Error::Network {
        url: url.to_string(),
        message,
    };
    let response = client(limits)?
        .get(url)
        .send()
        .map_err(|e| net(describe(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(net(format!("HTTP {status}")));
    }
    let final_url = response.url().to_string();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut bytes = Vec::new();
    response
        .take(limits.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| net(format!("reading the body failed: {e}")))?;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(net(format!(
            "the body is larger than {} bytes",
            limits.max_bytes
        )));
    }
    Ok(Fetched {
        final_url,
        content_type,
        bytes,
    })
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
    std::fs::read(source).map_err(|e| Error::io(source, e))
}
