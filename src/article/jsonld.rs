//! schema.org JSON-LD: article metadata and FAQ questions.
//!
//! Pages wrap their nodes in arrays, in `@graph`, or nest them (an `Article`
//! whose `mainEntity` is a `FAQPage`); Yoast links `FAQPage.mainEntity` to
//! `Question` nodes by `@id`. Values may be a string or an object. Invalid
//! JSON in one script is skipped: metadata is a bonus, never a failure.

use serde_json::{Map, Value};
use std::collections::HashMap;

/// What the page's JSON-LD says.
#[derive(Debug, Default, PartialEq)]
pub(super) struct LdInfo {
    pub headline: Option<String>,
    pub description: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub url: Option<String>,
    /// The article's `author` name (a Person linked by `@id` is followed).
    pub author: Option<String>,
    /// (question, answer text — may contain HTML), in page order.
    pub faq: Vec<(String, String)>,
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "BlogPosting",
    "NewsArticle",
    "MedicalWebPage",
    "MedicalScholarlyArticle",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "SocialMediaPosting",
    "HowTo",
];

pub(super) fn read<'a>(scripts: impl IntoIterator<Item = &'a str>) -> LdInfo {
    let mut nodes: Vec<&Map<String, Value>> = Vec::new();
    let parsed: Vec<Value> = scripts
        .into_iter()
        .filter_map(|s| serde_json::from_str(s.trim()).ok())
        .collect();
    for value in &parsed {
        collect(value, &mut nodes);
    }
    let by_id: HashMap<&str, &Map<String, Value>> = nodes
        .iter()
        .filter_map(|n| Some((n.get("@id")?.as_str()?, *n)))
        .collect();

    let mut info = LdInfo::default();
    if let Some(article) = nodes.iter().find(|n| has_type(n, ARTICLE_TYPES)) {
        info.headline = string(article.get("headline")).or_else(|| string(article.get("name")));
        info.description = string(article.get("description"));
        info.published = string(article.get("datePublished"));
        info.modified = string(article.get("dateModified"));
        info.url = url_of(article.get("url")).or_else(|| url_of(article.get("mainEntityOfPage")));
        info.author = as_list(article.get("author"))
            .into_iter()
            .find_map(|a| match a {
                Value::Object(o) if !o.contains_key("name") => o
                    .get("@id")
                    .and_then(Value::as_str)
                    .and_then(|id| by_id.get(id))
                    .and_then(|p| string(p.get("name"))),
                other => string(Some(other)),
            });
    }
    let questions: Vec<&Map<String, Value>> = match nodes.iter().find(|n| has_type(n, &["FAQPage"]))
    {
        Some(page) => as_list(page.get("mainEntity"))
            .into_iter()
            .filter_map(|v| v.as_object())
            .map(|q| match q.get("@id").and_then(Value::as_str) {
                Some(id) if !q.contains_key("name") => by_id.get(id).copied().unwrap_or(q),
                _ => q,
            })
            .collect(),
        None => nodes
            .iter()
            .copied()
            .filter(|n| has_type(n, &["Question"]))
            .collect(),
    };
    for q in questions {
        let Some(name) = string(q.get("name")) else {
            continue;
        };
        let answer = as_list(q.get("acceptedAnswer"))
            .into_iter()
            .chain(as_list(q.get("suggestedAnswer")))
            .find_map(|a| match a {
                Value::Object(o) => {
                    let o = match o.get("@id").and_then(Value::as_str) {
                        Some(id) if !o.contains_key("text") => by_id.get(id).copied().unwrap_or(o),
                        _ => o,
                    };
                    string(o.get("text"))
                }
                other => string(Some(other)),
            })
            .unwrap_or_default();
        if !info.faq.iter().any(|(n, _)| *n == name) {
            info.faq.push((name, answer));
        }
    }
    info
}

/// Every object anywhere in the value, in document order.
fn collect<'a>(value: &'a Value, out: &mut Vec<&'a Map<String, Value>>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        Value::Object(map) => {
            out.push(map);
            map.values().for_each(|v| collect(v, out));
        }
        _ => {}
    }
}

fn has_type(node: &Map<String, Value>, wanted: &[&str]) -> bool {
    as_list(node.get("@type"))
        .iter()
        .filter_map(|t| t.as_str())
        .any(|t| {
            let t = t.rsplit(['/', ':']).next().unwrap_or(t);
            wanted.contains(&t)
        })
}

fn as_list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    }
}

/// A string value: a string, the first string of an array, or an object's
/// `@value` / `name` / `text`.
fn string(value: Option<&Value>) -> Option<String> {
    let s = match value? {
        Value::String(s) => s.clone(),
        Value::Array(items) => return items.iter().find_map(|v| string(Some(v))),
        Value::Object(o) => {
            return ["@value", "name", "text"]
                .iter()
                .find_map(|k| string(o.get(*k)));
        }
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn url_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Object(o) => string(o.get("url")).or_else(|| string(o.get("@id"))),
        other => string(Some(other)),
    }
    .filter(|u| u.starts_with("http"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yoast_graph_with_question_references() {
        let script = r##"{"@context":"https://schema.org","@graph":[
            {"@type":["WebPage","FAQPage"],"@id":"https://x.org/p/#webpage","name":"P - Site",
             "mainEntity":[{"@id":"https://x.org/p/#faq-1"},{"@id":"https://x.org/p/#faq-2"}]},
            {"@type":"Article","headline":"The headline","datePublished":"2025-01-02T03:04:05+00:00",
             "mainEntityOfPage":{"@id":"https://x.org/p/"}},
            {"@type":"Question","@id":"https://x.org/p/#faq-1","name":"First?",
             "acceptedAnswer":{"@type":"Answer","text":"<p>One <b>two</b></p>"}},
            {"@type":"Question","@id":"https://x.org/p/#faq-2","name":"Second?",
             "acceptedAnswer":[{"@type":"Answer","text":"Plain."}]}]}"##;
        let info = read([script, "{not json"]);
        assert_eq!(info.headline.as_deref(), Some("The headline"));
        assert_eq!(info.published.as_deref(), Some("2025-01-02T03:04:05+00:00"));
        assert_eq!(info.url.as_deref(), Some("https://x.org/p/"));
        assert_eq!(
            info.faq,
            vec![
                ("First?".into(), "<p>One <b>two</b></p>".into()),
                ("Second?".into(), "Plain.".into())
            ]
        );
    }

    #[test]
    fn arrays_of_top_level_nodes_and_inline_questions() {
        let script = r#"[{"@type":"http://schema.org/BlogPosting","headline":["H"]},
            {"@type":"FAQPage","mainEntity":{"@type":"Question","name":"Q?","acceptedAnswer":{"text":"A."}}}]"#;
        let info = read([script]);
        assert_eq!(info.headline.as_deref(), Some("H"));
        assert_eq!(info.faq, vec![("Q?".into(), "A.".into())]);
    }
}
