//! Fuzz target: the media probe on arbitrary bytes must return Ok or Err, never panic,
//! hang or allocate without bound. The first byte picks the file name's extension so the
//! extension check is exercised too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let names = ["a.mp3", "a.m4a", "a.ogg", "a.opus", "a.flac", "a.wav", "a"];
    let name = names[usize::from(data.first().copied().unwrap_or(0)) % names.len()];
    if let Ok(info) = mspod::media::probe_bytes(data, name) {
        assert!(info.duration.is_finite() && info.duration >= 0.0);
    }
});
