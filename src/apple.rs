//! Apple Podcasts' category taxonomy (2019), spelled exactly as Apple spells it.
//! Shared by the content loader (which rejects unknown names) and the validator.

/// Top-level categories with their subcategories.
pub(crate) const CATEGORIES: &[(&str, &[&str])] = &[
    (
        "Arts",
        &[
            "Books",
            "Design",
            "Fashion & Beauty",
            "Food",
            "Performing Arts",
            "Visual Arts",
        ],
    ),
    (
        "Business",
        &[
            "Careers",
            "Entrepreneurship",
            "Investing",
            "Management",
            "Marketing",
            "Non-Profit",
        ],
    ),
    ("Comedy", &["Comedy Interviews", "Improv", "Stand-Up"]),
    (
        "Education",
        &["Courses", "How To", "Language Learning", "Self-Improvement"],
    ),
    ("Fiction", &["Comedy Fiction", "Drama", "Science Fiction"]),
    ("Government", &[]),
    ("History", &[]),
    (
        "Health & Fitness",
        &[
            "Alternative Health",
            "Fitness",
            "Medicine",
            "Mental Health",
            "Nutrition",
            "Sexuality",
        ],
    ),
    (
        "Kids & Family",
        &[
            "Education for Kids",
            "Parenting",
            "Pets & Animals",
            "Stories for Kids",
        ],
    ),
    (
        "Leisure",
        &[
            "Animation & Manga",
            "Automotive",
            "Aviation",
            "Crafts",
            "Games",
            "Hobbies",
            "Home & Garden",
            "Video Games",
        ],
    ),
    (
        "Music",
        &["Music Commentary", "Music History", "Music Interviews"],
    ),
    (
        "News",
        &[
            "Business News",
            "Daily News",
            "Entertainment News",
            "News Commentary",
            "Politics",
            "Sports News",
            "Tech News",
        ],
    ),
    (
        "Religion & Spirituality",
        &[
            "Buddhism",
            "Christianity",
            "Hinduism",
            "Islam",
            "Judaism",
            "Religion",
            "Spirituality",
        ],
    ),
    (
        "Science",
        &[
            "Astronomy",
            "Chemistry",
            "Earth Sciences",
            "Life Sciences",
            "Mathematics",
            "Natural Sciences",
            "Nature",
            "Physics",
            "Social Sciences",
        ],
    ),
    (
        "Society & Culture",
        &[
            "Documentary",
            "Personal Journals",
            "Philosophy",
            "Places & Travel",
            "Relationships",
        ],
    ),
    (
        "Sports",
        &[
            "Baseball",
            "Basketball",
            "Cricket",
            "Fantasy Sports",
            "Football",
            "Golf",
            "Hockey",
            "Rugby",
            "Running",
            "Soccer",
            "Swimming",
            "Tennis",
            "Volleyball",
            "Wilderness",
            "Wrestling",
        ],
    ),
    ("Technology", &[]),
    ("True Crime", &[]),
    (
        "TV & Film",
        &[
            "After Shows",
            "Film History",
            "Film Interviews",
            "Film Reviews",
            "TV Reviews",
        ],
    ),
];

/// Whether `top` (and `sub`, if given) is a category Apple knows.
pub(crate) fn is_category(top: &str, sub: Option<&str>) -> bool {
    CATEGORIES
        .iter()
        .any(|(t, subs)| *t == top && sub.is_none_or(|s| subs.contains(&s)))
}

/// A close match for a misspelt name (case-insensitive, `and` for `&`), to suggest in errors.
pub(crate) fn suggest(name: &str) -> Option<String> {
    let key = |s: &str| s.to_lowercase().replace(" and ", " & ");
    let wanted = key(name);
    for (top, subs) in CATEGORIES {
        if key(top) == wanted {
            return Some((*top).to_string());
        }
        for sub in *subs {
            if key(sub) == wanted {
                return Some(format!("{top} > {sub}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_categories_and_subcategories() {
        assert!(is_category("Health & Fitness", Some("Mental Health")));
        assert!(is_category("Technology", None));
        assert!(!is_category("Health & Fitness", Some("Astronomy")));
        assert!(!is_category("Health", None));
    }

    #[test]
    fn suggests_the_exact_spelling() {
        assert_eq!(
            suggest("mental health").as_deref(),
            Some("Health & Fitness > Mental Health")
        );
        assert_eq!(
            suggest("society and culture").as_deref(),
            Some("Society & Culture")
        );
        assert_eq!(suggest("nonsense"), None);
    }
}
