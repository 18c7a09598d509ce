//! The `podcast:guid` of a show: UUIDv5 (in the Podcasting 2.0 namespace) of its
//! feed URL. One derivation for `load` (a `[show] guid` left out), the model and
//! writer, and the validator, which checks other feeds against it.

use uuid::Uuid;

/// The namespace the Podcasting 2.0 spec fixes for `podcast:guid`.
pub const PODCAST_GUID_NAMESPACE: Uuid = Uuid::from_u128(0xead4c236_bf58_58c6_a2c6_a6b28d128cb6);

/// `<podcast:guid>`: UUIDv5 (Podcasting 2.0 namespace) of the feed URL without
/// its scheme and trailing slashes.
pub fn podcast_guid(feed_url: &str) -> String {
    podcast_guid_uuid(feed_url).to_string()
}

/// [`podcast_guid`] as a UUID (the validator checks feeds against it).
pub fn podcast_guid_uuid(feed_url: &str) -> Uuid {
    let feed_url = feed_url.trim();
    let without_scheme = feed_url
        .split_once("://")
        .map_or(feed_url, |(_, rest)| rest);
    Uuid::new_v5(
        &PODCAST_GUID_NAMESPACE,
        without_scheme.trim_end_matches('/').as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn podcast_guid_matches_the_specs_example() {
        // The value given in the Podcasting 2.0 namespace documentation.
        assert_eq!(
            podcast_guid("https://podnews.net/rss"),
            "9b024349-ccf0-5f69-a609-6b82873eab3c"
        );
        assert_eq!(
            podcast_guid("http://podnews.net/rss/"),
            "9b024349-ccf0-5f69-a609-6b82873eab3c"
        );
    }
}
