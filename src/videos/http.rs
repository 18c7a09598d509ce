//! Fetching for pairing: the shared client ([`crate::http`]: timeouts, a user
//! agent, at most 10 redirects, a body size cap) plus what YouTube needs on
//! top: every status is returned to the caller (oEmbed's 401 and 404 are
//! answers, not failures), and 5xx, 429, timeouts and refused connections are
//! retried with backoff (YouTube's feeds fail intermittently; a second try
//! usually works).

use std::io::Read;
use std::time::Duration;

/// How patient and how trusting to be.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Attempts in all (1 = no retry).
    pub tries: u32,
    /// Wait before the second try; doubled before each further one.
    pub backoff: Duration,
    /// Bodies larger than this are refused.
    pub max_bytes: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(20),
            tries: 3,
            backoff: Duration::from_millis(1000),
            max_bytes: 5 * 1024 * 1024,
        }
    }
}

impl HttpConfig {
    /// Defaults, with `MSPOD_HTTP_TIMEOUT_MS` and `MSPOD_HTTP_BACKOFF_MS`
    /// applied (tests shorten both so failure paths run in milliseconds).
    pub fn from_env() -> HttpConfig {
        let mut c = HttpConfig::default();
        let ms = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_millis)
        };
        if let Some(t) = ms("MSPOD_HTTP_TIMEOUT_MS") {
            c.timeout = t;
        }
        if let Some(b) = ms("MSPOD_HTTP_BACKOFF_MS") {
            c.backoff = b;
        }
        c
    }
}

/// A response that arrived (any status).
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// The `Content-Type` without parameters, lower-cased.
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// After redirects.
    pub final_url: String,
    /// Validators for a conditional GET next time.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A blocking client shared by every request of a run.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::blocking::Client,
    config: HttpConfig,
}

impl Http {
    /// A client built by the shared [`crate::http::client`] (user agent,
    /// crypto provider, at most 10 redirects) with this config's timeout and size cap.
    pub fn new(config: HttpConfig) -> Result<Http, String> {
        let client = crate::http::client(crate::http::Limits {
            timeout: config.timeout,
            max_bytes: config.max_bytes,
            max_redirects: 10,
        })
        .map_err(|e| e.to_string())?;
        Ok(Http { client, config })
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// GETs `url`, retrying 5xx answers, timeouts and connection failures.
    /// `Ok` carries the last response whatever its status; `Err` says why no
    /// response arrived (or why the body was refused), naming the tries.
    pub fn get(&self, url: &str) -> Result<Response, String> {
        self.get_with(url, &[])
    }

    /// [`Http::get`] with extra request headers (e.g. `If-None-Match`).
    pub fn get_with(&self, url: &str, headers: &[(&str, String)]) -> Result<Response, String> {
        let mut wait = self.config.backoff;
        let tries = self.config.tries.max(1);
        let mut last = String::new();
        for attempt in 1..=tries {
            if attempt > 1 {
                std::thread::sleep(wait);
                wait *= 2;
            }
            match self.once(url, headers) {
                Ok(r) if (r.status >= 500 || r.status == 429) && attempt < tries => {
                    last = format!("HTTP {}", r.status);
                }
                Ok(r) => return Ok(r),
                Err(Failure::Retry(why)) => last = why,
                Err(Failure::Fatal(why)) => return Err(why),
            }
        }
        Err(format!("{last} (after {tries} tries)"))
    }

    fn once(&self, url: &str, headers: &[(&str, String)]) -> Result<Response, Failure> {
        let mut request = self.client.get(url);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().map_err(|e| {
            let why = if e.is_timeout() {
                format!("timed out after {:.1} s", self.config.timeout.as_secs_f64())
            } else if e.is_redirect() {
                return Failure::Fatal(format!("too many redirects: {}", chain(&e)));
            } else {
                chain(&e)
            };
            Failure::Retry(why)
        })?;
        let status = response.status().as_u16();
        let final_url = response.url().to_string();
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let etag = header(reqwest::header::ETAG);
        let last_modified = header(reqwest::header::LAST_MODIFIED);
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim().to_ascii_lowercase());
        let cap = self.config.max_bytes;
        if let Some(len) = response.content_length()
            && len > cap
        {
            return Err(Failure::Fatal(format!(
                "response is {len} bytes, more than the {cap}-byte limit"
            )));
        }
        let mut body = Vec::new();
        response.take(cap + 1).read_to_end(&mut body).map_err(|e| {
            if is_timeout(&e) {
                Failure::Retry(format!(
                    "timed out after {:.1} s",
                    self.config.timeout.as_secs_f64()
                ))
            } else {
                Failure::Retry(format!("reading the body: {e}"))
            }
        })?;
        if body.len() as u64 > cap {
            return Err(Failure::Fatal(format!(
                "response is more than the {cap}-byte limit"
            )));
        }
        Ok(Response {
            status,
            content_type,
            body,
            final_url,
            etag,
            last_modified,
        })
    }
}

enum Failure {
    Retry(String),
    Fatal(String),
}

fn is_timeout(e: &std::io::Error) -> bool {
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

/// An error with its causes: reqwest's own message is terse.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_builds_with_the_ring_provider() {
        assert!(Http::new(HttpConfig::default()).is_ok());
    }
}
