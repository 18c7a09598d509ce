//! Tell aggregators that the feed changed: WebSub hubs, podping and Podcast
//! Index. Runs only after a deploy whose feed the public URL serves; a failure
//! is a warning with the service's answer, never a failed deploy.

use crate::http::{self, Limits};
use crate::load::NotifyConfig;
use serde::Serialize;
use std::io::Read;
use std::time::Duration;

/// The environment variable holding the podping.cloud token (from Podcast Index).
pub(crate) const PODPING_TOKEN_VAR: &str = "PODPING_TOKEN";

/// One notification's outcome.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Outcome {
    pub service: &'static str,
    pub url: String,
    pub ok: bool,
    /// The status and the start of the answer, or why nothing was sent.
    pub message: String,
}

/// Whether any notification is configured.
pub(crate) fn configured(cfg: &NotifyConfig) -> bool {
    !cfg.hubs.is_empty() || cfg.podping || cfg.podcastindex
}

/// Sends every configured notification for `feed_url`.
pub(crate) fn send(cfg: &NotifyConfig, feed_url: &str) -> Vec<Outcome> {
    let limits = Limits {
        timeout: Duration::from_secs(cfg.timeout_secs),
        max_bytes: 64 << 10,
        ..Limits::default()
    };
    let client = match http::client(limits) {
        Ok(c) => c,
        Err(e) => {
            return vec![Outcome {
                service: "notify",
                url: String::new(),
                ok: false,
                message: e.to_string(),
            }];
        }
    };
    let mut out = Vec::new();
    for hub in &cfg.hubs {
        // WebSub §6: the publisher's ping is a form POST naming the topic.
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("hub.mode", "publish")
            .append_pair("hub.url", feed_url)
            .finish();
        let request = client
            .post(hub)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body);
        out.push(outcome("websub", hub, request));
    }
    if cfg.podping {
        // `medium` is the feed's `<podcast:medium>`, which mspod always writes as `podcast`.
        let url = with_query(
            &cfg.podping_url,
            &[
                ("url", feed_url),
                ("reason", "update"),
                ("medium", "podcast"),
            ],
        );
        match std::env::var(PODPING_TOKEN_VAR) {
            Ok(token) if !token.trim().is_empty() => {
                // podping.cloud wants the raw token, no scheme.
                let request = client
                    .get(&url)
                    .header(reqwest::header::AUTHORIZATION, token.trim());
                out.push(outcome("podping", &url, request));
            }
            _ => out.push(Outcome {
                service: "podping",
                url,
                ok: false,
                message: format!("not sent: {PODPING_TOKEN_VAR} is not set"),
            }),
        }
    }
    if cfg.podcastindex {
        let url = with_query(&cfg.podcastindex_url, &[("url", feed_url)]);
        let request = client.get(&url);
        out.push(outcome("podcastindex", &url, request));
    }
    out
}

fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{query}")
}

fn outcome(
    service: &'static str,
    url: &str,
    request: reqwest::blocking::RequestBuilder,
) -> Outcome {
    let (ok, message) = match request.send() {
        Ok(response) => {
            let status = response.status();
            let mut body = String::new();
            let _ = response.take(300).read_to_string(&mut body);
            let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
            let message = if body.is_empty() {
                format!("HTTP {status}")
            } else {
                format!("HTTP {status}: {body}")
            };
            (status.is_success(), message)
        }
        Err(e) => (false, http::describe(&e)),
    };
    Outcome {
        service,
        url: url.to_string(),
        ok,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_encoded() {
        assert_eq!(
            with_query(
                "https://p.example/",
                &[("url", "https://x.org/a b.xml?x=1")]
            ),
            "https://p.example/?url=https%3A%2F%2Fx.org%2Fa+b.xml%3Fx%3D1"
        );
        assert_eq!(
            with_query("https://p.example/?a=1", &[("b", "2")]),
            "https://p.example/?a=1&b=2"
        );
    }
}
