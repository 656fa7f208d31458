//! `text::clean_lines` on arbitrary lines. The first byte picks the hints (bit 0: the lines are
//! an HTML extract; bit 1: the first line is also the feed's title); the rest, decoded as lossy
//! UTF-8, is split into lines. The result must be well formed and the same on a second run.
#![no_main]
use eventwire_cleaner::text::{clean_lines, Hints};
use eventwire_cleaner_fuzz::check_cleaned;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let lines: Vec<&str> = text.lines().collect();
    let hints = Hints {
        title: if flags & 2 != 0 {
            lines.first().copied()
        } else {
            None
        },
        extracted: flags & 1 != 0,
    };
    let cleaned = clean_lines(&lines, &hints);
    check_cleaned(&lines, &hints, &cleaned);
    assert_eq!(
        cleaned,
        clean_lines(&lines, &hints),
        "clean_lines is not deterministic"
    );
});
