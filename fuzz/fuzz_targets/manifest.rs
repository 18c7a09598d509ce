//! Fuzz target: the manifest loader on arbitrary text must return Ok or a content
//! error, never panic. The first byte picks `episode.toml` or `mspod.toml`; the rest
//! is the file's text (invalid UTF-8 replaced, as a reader of the file would see it
//! after the UTF-8 check).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let _ = if which % 2 == 0 {
        mspod::load::check_manifest_text(&text)
    } else {
        mspod::load::check_config_text(&text)
    };
});
