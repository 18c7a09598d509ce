//! Fetching with retries (pairing, `new`, the YouTube channel feed and oEmbed):
//! the shared client ([`crate::http`]: timeouts, a user agent, at most 10
//! redirects, a body size cap) plus what YouTube needs on top: every status is returned to the caller (oEmbed's 401 and 404 are
//! answers, not failures), and 5xx, 429, timeouts and refused connections are
//! retried with backoff (YouTube's feeds fail intermittently; a second try
//! usually works). Each try has a total deadline (a server that drips its body
//! cannot stretch it) and all of a run's requests share a budget.

use super::redirect::chain;
use super::{BodyError, Deadline, read_body, within};
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
    /// All requests of one run (tries and waits included) end within this.
    pub budget: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(20),
            tries: 3,
            backoff: Duration::from_millis(1000),
            max_bytes: 5 * 1024 * 1024,
            budget: Duration::from_secs(600),
        }
    }
}

impl HttpConfig {
    /// Defaults, with `MSPOD_HTTP_TIMEOUT_MS`, `MSPOD_HTTP_BACKOFF_MS` and
    /// `MSPOD_HTTP_BUDGET_MS` applied (tests shorten them so failure paths run in
    /// milliseconds).
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
        if let Some(b) = ms("MSPOD_HTTP_BUDGET_MS") {
            c.budget = b;
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
    /// The `Content-Type`'s `charset` parameter, lower-cased, if any.
    pub charset: Option<String>,
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
    /// When the run's budget is spent.
    budget: Deadline,
}

impl Http {
    /// A client built by the shared [`super::client`] (user agent,
    /// crypto provider, at most 10 redirects) with this config's timeout and size cap.
    pub fn new(config: HttpConfig) -> Result<Http, String> {
        let client = super::client(super::Limits {
            timeout: config.timeout,
            max_bytes: config.max_bytes,
            max_redirects: 10,
        })
        .map_err(|e| e.to_string())?;
        let budget = Deadline::after(config.budget);
        Ok(Http {
            client,
            config,
            budget,
        })
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
                if self.budget.remaining() <= wait {
                    break;
                }
                std::thread::sleep(wait);
                wait *= 2;
            }
            if self.budget.passed() {
                last = format!(
                    "the {:.0} s budget for this run's requests is spent",
                    self.config.budget.as_secs_f64()
                );
                break;
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

    /// One try, body included, within the request timeout and the run's budget.
    fn once(&self, url: &str, headers: &[(&str, String)]) -> Result<Response, Failure> {
        let deadline = Deadline::after(self.config.timeout).min(self.budget);
        let client = self.client.clone();
        let config = self.config.clone();
        let url = url.to_string();
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        within(deadline, move || {
            once(&client, &config, deadline, &url, &headers)
        })
        .unwrap_or_else(|| {
            Err(Failure::Retry(format!(
                "timed out after {:.1} s",
                self.config.timeout.as_secs_f64()
            )))
        })
    }
}

fn once(
    client: &reqwest::blocking::Client,
    config: &HttpConfig,
    deadline: Deadline,
    url: &str,
    headers: &[(String, String)],
) -> Result<Response, Failure> {
    let mut request = client.get(url).timeout(deadline.timeout());
    for (name, value) in headers {
        request = request.header(name.as_str(), value);
    }
    let response = request.send().map_err(|e| {
        let why = if e.is_timeout() {
            format!("timed out after {:.1} s", config.timeout.as_secs_f64())
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
    let full_type = header(reqwest::header::CONTENT_TYPE);
    let content_type = full_type
        .as_deref()
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_ascii_lowercase());
    let charset = full_type.as_deref().and_then(|v| {
        v.split(';').skip(1).find_map(|p| {
            let (k, val) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| val.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
        })
    });
    let cap = config.max_bytes;
    if let Some(len) = response.content_length()
        && len > cap
    {
        return Err(Failure::Fatal(format!(
            "response is {len} bytes, more than the {cap}-byte limit"
        )));
    }
    let body = read_body(response, cap, deadline).map_err(|e| match e {
        BodyError::TooLarge(_) => {
            Failure::Fatal(format!("response is more than the {cap}-byte limit"))
        }
        BodyError::TimedOut => Failure::Retry(format!(
            "timed out after {:.1} s",
            config.timeout.as_secs_f64()
        )),
        BodyError::Io(e) => Failure::Retry(format!("reading the body: {e}")),
    })?;
    Ok(Response {
        status,
        content_type,
        charset,
        body,
        final_url,
        etag,
        last_modified,
    })
}

enum Failure {
    Retry(String),
    Fatal(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_builds_with_the_ring_provider() {
        assert!(Http::new(HttpConfig::default()).is_ok());
    }
}
