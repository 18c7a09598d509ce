//! Question/answer pairs from the blocks of a `faq` section.
//!
//! Both parsers turn explicit question markup (`<h3>`, `<details><summary>`,
//! `<dt>`, Markdown `###`) into [`Block::Heading`]s, so one rule covers them:
//! if the section has sub-headings, each starts a question. Otherwise a
//! paragraph that is all bold starts one; failing that a paragraph opening
//! with a bold question (`**Is it free?** Yes…`) holds both; failing that a
//! short paragraph ending in `?` is a question. The answer is every block up
//! to the next question.

use super::text::match_key;
use super::{Block, Faq, Inline, plain};

/// Paragraphs longer than this are answers even when they end in `?`.
const MAX_QUESTION_CHARS: usize = 300;

pub(super) fn pairs(blocks: &[Block]) -> Vec<Faq> {
    if !blocks.iter().any(|b| matches!(b, Block::Heading { .. }))
        && !blocks.iter().any(is_bold_paragraph)
        && blocks.iter().any(|b| bold_lead_question(b).is_some())
    {
        return lead_in_pairs(blocks);
    }
    let is_question: fn(&Block) -> bool =
        if blocks.iter().any(|b| matches!(b, Block::Heading { .. })) {
            |b| matches!(b, Block::Heading { .. })
        } else if blocks.iter().any(is_bold_paragraph) {
            is_bold_paragraph
        } else {
            is_question_paragraph
        };
    let mut out: Vec<Faq> = Vec::new();
    for block in blocks {
        if is_question(block) {
            let question = match block {
                Block::Heading { text, .. } | Block::Paragraph { text } => plain(text),
                _ => continue,
            };
            let question = strip_q_prefix(&question);
            if !question.is_empty() {
                out.push(Faq {
                    question,
                    answer: Vec::new(),
                });
            }
        } else if let Some(last) = out.last_mut() {
            last.answer.push(block.clone());
        }
    }
    out
}

/// `**Is it free?** Yes, the first call is.`: a bold question leading its answer.
fn bold_lead_question(block: &Block) -> Option<(String, Vec<Inline>)> {
    let Block::Paragraph { text } = block else {
        return None;
    };
    let (Inline::Strong { text: q }, rest) = text.split_first()? else {
        return None;
    };
    let q = q.trim();
    if !q.ends_with('?') {
        return None;
    }
    let mut rest = rest.to_vec();
    if let Some(Inline::Text { text }) = rest.first_mut() {
        *text = text.trim_start().to_string();
        if text.is_empty() {
            rest.remove(0);
        }
    }
    Some((strip_q_prefix(q), rest))
}

fn lead_in_pairs(blocks: &[Block]) -> Vec<Faq> {
    let mut out: Vec<Faq> = Vec::new();
    for block in blocks {
        if let Some((question, rest)) = bold_lead_question(block) {
            let answer = if rest.is_empty() {
                Vec::new()
            } else {
                vec![Block::Paragraph { text: rest }]
            };
            out.push(Faq { question, answer });
        } else if let Some(last) = out.last_mut() {
            last.answer.push(block.clone());
        }
    }
    out
}

fn is_bold_paragraph(block: &Block) -> bool {
    match block {
        Block::Paragraph { text } => {
            text.iter().any(|i| matches!(i, Inline::Strong { .. }))
                && text.iter().all(|i| match i {
                    Inline::Strong { .. } => true,
                    Inline::Text { text } => text.trim().is_empty(),
                    Inline::Link { .. } => false,
                })
        }
        _ => false,
    }
}

fn is_question_paragraph(block: &Block) -> bool {
    match block {
        Block::Paragraph { text } => {
            let t = plain(text);
            t.trim_end().ends_with('?') && t.chars().count() <= MAX_QUESTION_CHARS
        }
        _ => false,
    }
}

/// "Q: Why?" → "Why?".
fn strip_q_prefix(q: &str) -> String {
    let t = q.trim();
    for prefix in ["Q:", "Q.", "Q -", "Question:"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    t.to_string()
}

/// Adds the copy's questions the list lacks and fills empty answers.
pub(super) fn fill_gaps(list: &mut Vec<Faq>, copy: Vec<Faq>) {
    fill_answers(list, &copy);
    for pair in copy {
        let key = match_key(&pair.question);
        if !list.iter().any(|p| match_key(&p.question) == key) {
            list.push(pair);
        }
    }
}

/// Fills empty answers from another source with the same question text.
pub(super) fn fill_answers(list: &mut [Faq], other: &[Faq]) {
    for pair in list.iter_mut().filter(|p| p.answer.is_empty()) {
        let key = match_key(&pair.question);
        if let Some(found) = other
            .iter()
            .find(|o| match_key(&o.question) == key && !o.answer.is_empty())
        {
            pair.answer = found.answer.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Block {
        Block::Paragraph {
            text: vec![Inline::Text { text: s.into() }],
        }
    }
    fn bold(s: &str) -> Block {
        Block::Paragraph {
            text: vec![Inline::Strong { text: s.into() }],
        }
    }
    fn questions(faq: &[Faq]) -> Vec<(String, usize)> {
        faq.iter()
            .map(|f| (f.question.clone(), f.answer.len()))
            .collect()
    }

    #[test]
    fn headings_start_questions_and_question_marks_inside_answers_do_not() {
        let blocks = vec![
            p("Intro to the FAQ."),
            Block::Heading {
                level: 3,
                text: vec![Inline::Text {
                    text: "Does it work?".into(),
                }],
            },
            p("Does it? Yes."),
            p("Really?"),
            Block::Heading {
                level: 3,
                text: vec![Inline::Text {
                    text: "Q: How long?".into(),
                }],
            },
            p("Weeks."),
        ];
        assert_eq!(
            questions(&pairs(&blocks)),
            [("Does it work?".into(), 2), ("How long?".into(), 1)]
        );
    }

    #[test]
    fn bold_paragraphs_then_question_paragraphs() {
        let blocks = vec![
            bold("Is it private?"),
            p("Yes."),
            bold("Cost"),
            p("Varies?"),
        ];
        assert_eq!(
            questions(&pairs(&blocks)),
            [("Is it private?".into(), 1), ("Cost".into(), 1)]
        );
        let blocks = vec![
            p("Is it private?"),
            p("Yes."),
            p("It is."),
            p("Cost?"),
            p("Varies."),
        ];
        assert_eq!(
            questions(&pairs(&blocks)),
            [("Is it private?".into(), 2), ("Cost?".into(), 1)]
        );
    }

    #[test]
    fn copies_fill_only_gaps() {
        let mut list = vec![Faq {
            question: "Why?".into(),
            answer: vec![],
        }];
        fill_gaps(
            &mut list,
            vec![
                Faq {
                    question: "why".into(),
                    answer: vec![p("Because.")],
                },
                Faq {
                    question: "How?".into(),
                    answer: vec![p("So.")],
                },
            ],
        );
        assert_eq!(questions(&list), [("Why?".into(), 1), ("How?".into(), 1)]);
    }

    #[test]
    fn a_bold_question_can_lead_its_answer() {
        let blocks = vec![
            Block::Paragraph {
                text: vec![
                    Inline::Strong {
                        text: "Is it free?".into(),
                    },
                    Inline::Text {
                        text: " Yes, the first call.".into(),
                    },
                ],
            },
            p("More detail."),
            Block::Paragraph {
                text: vec![
                    Inline::Strong {
                        text: "Q: Insurance?".into(),
                    },
                    Inline::Text {
                        text: " Most plans.".into(),
                    },
                ],
            },
        ];
        let got = pairs(&blocks);
        assert_eq!(
            questions(&got),
            [("Is it free?".into(), 2), ("Insurance?".into(), 1)]
        );
        assert_eq!(got[0].answer[0], p("Yes, the first call."));
    }
}
