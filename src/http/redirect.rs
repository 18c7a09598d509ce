//! Requests whose redirects are followed by hand, so the chain can be inspected
//! (length, https→http downgrades): the feed validator's `--online` checks and
//! its feed download. Each hop and the body share one [`Deadline`].

use super::{Deadline, read_body};
use reqwest::blocking::{Client, Response};
use reqwest::header::{LOCATION, RANGE};
use std::time::Duration;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 10;

/// A blocking client that does not follow redirects (we follow them to see the chain).
pub fn client(timeout: Duration) -> Result<Client, String> {
    super::build_client(timeout, None, " (feed validator)")
}

/// An error with its causes (each said once): reqwest's own Display is terse.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let part = c.to_string();
        if !s.contains(&part) {
            s.push_str(": ");
            s.push_str(&part);
        }
        cur = c.source();
    }
    s
}

/// What kind of failure, and its causes.
pub fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect (DNS, refused or TLS)"
    } else {
        "request failed"
    };
    format!("{kind}: {}", chain(e))
}

/// The client and the deadline of the check under way.
pub struct Net<'a> {
    pub client: &'a Client,
    pub deadline: Deadline,
}

/// The outcome of following a URL.
pub struct Followed {
    pub response: Response,
    /// Every URL visited, the first being the one asked for.
    pub chain: Vec<String>,
}

/// Sends `method` to `url`, following up to 10 redirects by hand.
pub fn follow(
    net: &Net,
    method: reqwest::Method,
    url: &str,
    range: Option<&str>,
) -> Result<Followed, String> {
    let mut visited = vec![url.to_string()];
    let mut current = url.to_string();
    loop {
        if net.deadline.passed() {
            return Err(format!("timed out ({} → …)", visited[0]));
        }
        let mut req = net
            .client
            .request(method.clone(), &current)
            .timeout(net.deadline.timeout());
        if let Some(r) = range {
            req = req.header(RANGE, r);
        }
        let response = req.send().map_err(|e| describe(&e))?;
        if !response.status().is_redirection() {
            return Ok(Followed {
                response,
                chain: visited,
            });
        }
        let Some(loc) = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
        else {
            return Ok(Followed {
                response,
                chain: visited,
            });
        };
        let next = url::Url::parse(&current)
            .and_then(|base| base.join(loc))
            .map_err(|e| format!("bad redirect Location {loc:?}: {e}"))?
            .to_string();
        if visited.contains(&next) {
            return Err(format!("redirect loop: {} → {next}", visited.join(" → ")));
        }
        visited.push(next.clone());
        if visited.len() > MAX_REDIRECTS + 1 {
            return Err(format!(
                "more than {MAX_REDIRECTS} redirects ({} → …)",
                visited[0]
            ));
        }
        current = next;
    }
}

/// A body read to its end within the cap and the deadline; the error is a sentence.
pub fn read_capped(response: Response, max: u64, deadline: Deadline) -> Result<Vec<u8>, String> {
    read_body(response, max, deadline).map_err(|e| e.to_string())
}
