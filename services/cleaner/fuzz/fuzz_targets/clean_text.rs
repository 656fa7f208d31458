//! Arbitrary bytes, decoded as lossy UTF-8, as a plain-text page through `clean`.
#![no_main]
use eventwire_cleaner_fuzz::{check_outcome, raw};
use eventwire_schema::v1::ContentType;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let raw = raw(data, ContentType::Text);
    let outcome = eventwire_cleaner::clean(&raw);
    check_outcome(&raw, &outcome);
});
