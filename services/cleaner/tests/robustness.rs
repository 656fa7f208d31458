//! Every input has a defined outcome and nothing panics: empty, blank and all-boilerplate pages
//! are `empty` articles, huge pages finish with a bounded body, deep HTML does not overflow a
//! worker's stack, garbage and mixed scripts give well-formed articles, and non-English pages
//! carry their language code. Each output is checked against the CleanArticle invariants the
//! fuzz targets (`services/cleaner/fuzz`) check too.
use std::sync::mpsc;
use std::time::Duration;

use eventwire_cleaner::text::{clean_lines, Hints};
use eventwire_cleaner::{clean, CleanError};
use eventwire_schema::v1::{CleanArticle, ContentType, RawArticle};

/// The stack a cleaning worker gets in the service (tokio's blocking pool default).
const WORKER_STACK: usize = 2 * 1024 * 1024;

fn raw(body: &str, ct: ContentType) -> RawArticle {
    RawArticle {
        id: "r1".into(),
        source: "test".into(),
        body: body.into(),
        content_type: ct as i32,
        ..Default::default()
    }
}

/// Cleans on a thread with a worker's stack, failing (instead of hanging the suite) when the
/// page takes longer than `limit`. The limit is a hang detector many times the expected time,
/// not a performance assertion.
fn clean_bounded(raw: RawArticle, limit: Duration) -> Result<CleanArticle, CleanError> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let out = clean(&raw);
            let _ = tx.send(out);
        })
        .expect("spawn cleaning thread");
    match rx.recv_timeout(limit) {
        Ok(out) => out,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("cleaning did not finish in {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("cleaning thread panicked"),
    }
}

fn clean_ok(body: &str, ct: ContentType) -> CleanArticle {
    let r = raw(body, ct);
    let a = clean_bounded(r.clone(), Duration::from_secs(120))
        .unwrap_or_else(|e| panic!("clean failed: {} ({e})", e.code()));
    check(&r, &a);
    a
}

/// The CleanArticle invariants (the same the fuzz targets assert).
fn check(raw: &RawArticle, a: &CleanArticle) {
    assert_eq!(a.id, raw.id);
    assert_eq!(a.empty, a.body.is_empty(), "`empty` iff the body is empty");
    assert_eq!(a.body.is_empty(), a.paragraphs.is_empty());
    assert!(!a.body.contains("\n\n\n"));
    assert_eq!(a.content_hash.len(), 64);
    assert!(a
        .content_hash
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert!((2..=3).contains(&a.language.len()), "{:?}", a.language);
    let starts: Vec<usize> = a
        .body
        .char_indices()
        .map(|(i, _)| i)
        .chain([a.body.len()])
        .collect();
    let n = starts.len() - 1;
    let mut rebuilt = String::with_capacity(a.body.len());
    let mut prev = 0usize;
    for (k, p) in a.paragraphs.iter().enumerate() {
        let (s, e) = (p.start as usize, p.end as usize);
        assert!(
            prev <= s && s < e && e <= n,
            "paragraph {k} [{s}, {e}) of {n}"
        );
        let text = &a.body[starts[s]..starts[e]];
        assert_eq!(text, text.trim(), "paragraph {k} is not trimmed");
        assert!(!text.contains('\n'), "paragraph {k} spans lines");
        if k > 0 {
            rebuilt.push_str("\n\n");
        }
        rebuilt.push_str(text);
        prev = e;
    }
    assert_eq!(
        rebuilt, a.body,
        "paragraph slices joined by a blank line are the body"
    );
}

/// Deterministic pseudo-random numbers (xorshift), so generated pages are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "ministers",
    "met",
    "in",
    "capital",
    "on",
    "thursday",
    "to",
    "discuss",
    "a",
    "ceasefire",
    "and",
    "aid",
    "officials",
    "said",
    "talks",
    "would",
    "resume",
    "next",
    "week",
    "after",
    "delegations",
    "from",
    "both",
    "sides",
    "agreed",
    "an",
    "agenda",
    "for",
    "border",
    "security",
    "trade",
    "prisoners",
    "exchange",
    "of",
    "statement",
    "published",
    "by",
    "ministry",
];

/// One sentence-like paragraph of 20-40 words, different on every call.
fn sentence(rng: &mut Rng) -> String {
    let n = 20 + rng.below(21);
    let mut s = String::from("The");
    for _ in 0..n {
        s.push(' ');
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s.push_str(&format!(" ({}).", rng.next() % 100_000));
    s
}

/// A plain-text page of distinct prose paragraphs, `bytes` long or a little more.
fn prose_page(bytes: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut page = String::with_capacity(bytes + 512);
    while page.len() < bytes {
        page.push_str(&sentence(&mut rng));
        page.push('\n');
    }
    page
}

#[test]
fn empty_and_blank_pages_are_empty_articles() {
    for body in [
        "",
        " ",
        "\n\n\n",
        " \t\r\n \u{a0}\u{2003}\n\u{200b}\u{feff}\n\u{ad}",
    ] {
        for ct in [ContentType::Text, ContentType::Html] {
            let a = clean_ok(body, ct);
            assert!(a.empty, "{body:?} as {ct:?}: {:?}", a.body);
            assert_eq!(a.language, "und");
        }
    }
    for html in [
        "<html></html>",
        "<!-- nothing -->",
        "<script>var body = 'not text';</script><style>p { color: red }</style>",
    ] {
        assert!(clean_ok(html, ContentType::Html).empty, "{html}");
    }
}

// Found by this suite, fixed (rs-trafilatura fallback needs 20 words): a page whose only text is its
// <title> comes out with body "Only a titleOnly a titleOnly a title" (the title three times,
// glued) instead of an empty article.
#[test]
fn a_title_only_html_page_is_empty() {
    let html = "<html><head><title>Only a title</title></head><body></body></html>";
    let a = clean_ok(html, ContentType::Html);
    assert!(a.empty, "{:?}", a.body);
}

#[test]
fn an_all_boilerplate_page_is_empty() {
    let page = "Home\nMenu\nSearch\n\
        Sign up for our newsletter\nEnter your email address\nSubscribe\n\
        Share on Facebook\nTweet\nEmail\nPrint\n\
        Accept all cookies\nWe value your privacy\n\
        Photo: Reuters\n\
        Related posts\nMost popular\n\
        Updated: 16/04/2025\n12:45\n\
        © 2025 Example Media. All rights reserved.\nPrivacy Policy\nTerms of Use\nContact us\n";
    let a = clean_ok(page, ContentType::Text);
    assert!(a.empty, "kept {:?}", a.body);
    assert!(!a.removed_blocks.is_empty());
    let html = format!(
        "<html><body><nav>{}</nav><footer>{}</footer></body></html>",
        page.lines()
            .take(10)
            .map(|l| format!("<a href=\"/x\">{l}</a>"))
            .collect::<String>(),
        page.lines()
            .skip(10)
            .map(|l| format!("<p>{l}</p>"))
            .collect::<String>()
    );
    let a = clean_ok(&html, ContentType::Html);
    assert!(a.empty, "kept {:?}", a.body);
}

#[test]
fn a_10_mb_text_page_finishes_with_a_bounded_body() {
    let page = prose_page(10_000_000, 7);
    let a = clean_ok(&page, ContentType::Text);
    assert!(!a.empty);
    // The clean body is bounded (it must fit the next stage's record limit) and the cut is
    // recorded; what is kept is whole paragraphs of the page, in order.
    assert!(a.body.len() <= eventwire_cleaner::clean::MAX_CLEAN_BYTES);
    assert!(a.body.len() >= eventwire_cleaner::clean::MAX_CLEAN_BYTES / 2);
    assert_eq!(a.removed_blocks.get("truncated"), Some(&1));
    assert!(page.contains(a.body.split("\n\n").last().unwrap_or_default()));
    assert_eq!(a.language, "en");
}

/// A defined failure: a dead letter with a stable, low-cardinality code.
fn assert_dead_letter_code(e: &CleanError) {
    let code = e.code();
    assert!(
        !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        "{code:?} ({e})"
    );
}

#[test]
fn a_10_mb_html_page_finishes_with_a_bounded_body() {
    // Shaped like a heavy real page: most of the weight is inline script data, style and
    // navigation; the article is 1 MB of paragraphs.
    let mut rng = Rng(11);
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Long page</title><script>window.__DATA__ = [",
    );
    while html.len() < 4_000_000 {
        html.push_str(&format!(
            "{{\"id\":{},\"t\":\"<p>{}</p>\"}},",
            rng.next(),
            WORDS[rng.below(WORDS.len())]
        ));
    }
    html.push_str("0];</script><style>");
    while html.len() < 5_000_000 {
        html.push_str(&format!(
            ".c{} {{ margin: {}px }}\n",
            rng.next(),
            rng.below(40)
        ));
    }
    html.push_str("</style></head><body><nav><ul>");
    while html.len() < 7_000_000 {
        html.push_str(&format!(
            "<li class=\"menu-item\"><a href=\"/s/{}\">Section {}</a></li>",
            rng.next(),
            rng.below(100)
        ));
    }
    html.push_str("</ul></nav><article><h1>Long page</h1>");
    while html.len() < 8_000_000 {
        html.push_str("<p>");
        html.push_str(&sentence(&mut rng));
        html.push_str("</p>\n");
    }
    html.push_str("</article><!-- ");
    while html.len() < 10_000_000 {
        html.push_str("tracking pixel data ");
    }
    html.push_str("--><footer>Contact us</footer></body></html>");
    let r = raw(&html, ContentType::Html);
    match clean_bounded(r.clone(), Duration::from_secs(600)) {
        Ok(a) => {
            check(&r, &a);
            assert!(a.body.len() <= html.len());
            eprintln!(
                "10 MB HTML: {} paragraphs, {} bytes",
                a.paragraphs.len(),
                a.body.len()
            );
        }
        Err(e) => {
            assert_dead_letter_code(&e);
            eprintln!("10 MB HTML: dead letter {}", e.code());
        }
    }
}

/// Deep nesting, closed and unclosed, for several element kinds.
fn nested_pages(depth: usize) -> Vec<String> {
    let mut pages = Vec::new();
    for (open, close) in [
        ("<div>", "</div>"),
        ("<span>", "</span>"),
        ("<ul><li>", "</li></ul>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<b><i>", "</i></b>"),
    ] {
        pages.push(format!(
            "<html><body>{}<p>The ministers met in the capital on Thursday to discuss a ceasefire, \
             officials said in a statement published by the ministry.</p>{}</body></html>",
            open.repeat(depth),
            close.repeat(depth)
        ));
        // Unclosed: the parser closes everything at the end.
        pages.push(format!("<html><body>{}text", open.repeat(depth)));
    }
    pages
}

// Found with `clean` calling dom_smoothie 0.19 directly: nesting was quadratic in time (10,000
// nested <div>s, a 110 KB page, took about 23 s in release; 2,000 nested <table><tr><td> 4.5 s)
// and recursive in dom_query's `mini_selector::extension::collect_matching_descendants`, which
// overflowed a worker's 2 MiB stack: 100,000 nested <span>s (a 1.3 MB page, under ingest's
// 10 MiB limit) aborted the process in release, 10,000 already did in a debug build. Fixed by
// html.rs's nesting limits (the page is refused as `html_too_deep` before any tree work).
#[test]
fn deeply_nested_html_does_not_overflow_a_workers_stack() {
    let mut pages = nested_pages(10_000);
    pages.push(format!(
        "<html><body>{}text</body></html>",
        "<span>".repeat(100_000)
    ));
    for html in pages {
        let r = raw(&html, ContentType::Html);
        // A hang detector, far above what a depth limit costs (milliseconds).
        match clean_bounded(r.clone(), Duration::from_secs(60)) {
            Ok(a) => check(&r, &a),
            Err(e) => assert_dead_letter_code(&e),
        }
    }
}

// Found by this suite, fixed (the estimate keeps a stack of open elements): end tags the parser ignores still lower html.rs's
// pre-parse `nesting_estimate`, so "<div></x>" repeated passes the cheap check with an
// estimate of 1 while the parsed tree is as deep as the repeat count. The page is refused
// (`html_too_deep`) only after html5ever has built the tree, which is quadratic in depth
// (every start tag scans the stack of open elements): in release 20,000 repeats take 2.3 s,
// 40,000 9.2 s, 80,000 (a 720 KB page) 26 s; a 10 MB page would take over an hour. The same
// with "</span>" as the stray tag. Popping the estimate's depth only for an end tag that
// matches an open element (a small stack of names, like the parser's) closes it.
#[test]
fn stray_end_tags_do_not_hide_deep_nesting() {
    for unit in ["<div></x>", "<div></span>"] {
        let html = format!("<html><body>{}text</body></html>", unit.repeat(100_000));
        let r = raw(&html, ContentType::Html);
        match clean_bounded(r.clone(), Duration::from_secs(30)) {
            Ok(a) => check(&r, &a),
            Err(e) => assert_dead_letter_code(&e),
        }
    }
}

#[test]
fn moderately_nested_html_is_cleaned() {
    for html in nested_pages(200) {
        let r = raw(&html, ContentType::Html);
        match clean_bounded(r.clone(), Duration::from_secs(120)) {
            Ok(a) => check(&r, &a),
            Err(e) => assert_dead_letter_code(&e),
        }
    }
}

// Found by this suite, fixed (joins in place): `normalise::join_hyphenated` was quadratic in the length of
// a chain of hyphen-joined lines. `join_pair` copies the whole accumulated line into a new
// String on every join and `rsplit(' ')` scans all of it for the last word, so a page of lines
// "ab-" (each ends in letter + hyphen, the next starts lower-case) costs O(n^2): in release
// 80,000 lines take 1.4 s, 160,000 5.9 s, 320,000 (a 1.3 MB page) 25 s; a 10 MB page would
// take about 25 minutes. Appending in place and looking for the last word only in the last
// few dozen bytes makes it linear.
#[test]
fn a_chain_of_hyphenated_lines_is_linear() {
    let page = "ab-\n".repeat(400_000);
    let a = clean_bounded(raw(&page, ContentType::Text), Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(a.body.len() <= page.len());
}

#[test]
fn binary_garbage_gives_a_well_formed_article() {
    let mut rng = Rng(3);
    for len in [1usize, 7, 100, 4096, 100_000] {
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() >> 24) as u8).collect();
        let body = String::from_utf8_lossy(&bytes);
        for ct in [ContentType::Text, ContentType::Html] {
            let r = raw(&body, ct);
            match clean_bounded(r.clone(), Duration::from_secs(120)) {
                Ok(a) => check(&r, &a),
                Err(e) => {
                    assert_eq!(ct, ContentType::Html, "a text page never fails");
                    assert_dead_letter_code(&e);
                }
            }
        }
    }
    // NUL and other control characters never reach the body.
    let a = clean_ok(
        "The ministers\0 met\u{1} in the capital\u{7f} on Thursday to discuss a ceasefire, officials said.",
        ContentType::Text,
    );
    assert!(!a.body.contains(|c: char| c.is_control()), "{:?}", a.body);
}

const RUSSIAN: &str =
    "Министры иностранных дел двух стран встретились в четверг в столице, чтобы обсудить \
    условия прекращения огня и доставку гуманитарной помощи.\n\
    По словам официальных лиц, переговоры продолжатся на следующей неделе, когда делегации \
    согласуют повестку дня по вопросам безопасности границы и обмена пленными.\n";

const JAPANESE: &str = "両国の外務大臣は木曜日に首都で会談し、停戦の条件と人道支援の実施について協議した。\n\
    政府関係者によると、交渉は来週も続けられ、代表団は国境の安全保障と捕虜の交換に関する議題を調整する予定だという。\n";

const SPANISH: &str = "Los ministros de Asuntos Exteriores de ambos países se reunieron el jueves en la capital \
    para discutir las condiciones de un alto el fuego y la entrega de ayuda humanitaria.\n\
    Según fuentes oficiales, las conversaciones continuarán la próxima semana, cuando las delegaciones \
    acuerden una agenda sobre la seguridad fronteriza y el intercambio de prisioneros.\n";

#[test]
fn non_english_pages_carry_their_language_code() {
    for (page, code) in [(RUSSIAN, "ru"), (JAPANESE, "ja"), (SPANISH, "es")] {
        let a = clean_ok(page, ContentType::Text);
        assert!(!a.empty, "{code}: nothing kept");
        assert_eq!(a.language, code, "{:?}", a.body);
        let html = format!(
            "<html><head><title>t</title></head><body><article>{}</article></body></html>",
            page.lines()
                .map(|l| format!("<p>{l}</p>"))
                .collect::<String>()
        );
        let a = clean_ok(&html, ContentType::Html);
        assert_eq!(a.language, code, "HTML: {:?}", a.body);
    }
}

#[test]
fn mixed_scripts_give_a_defined_language() {
    let page = format!(
        "{}{}{}The ministers met in the capital on Thursday to discuss a ceasefire, officials said.\n\
         مسؤولون قالوا إن المحادثات ستستأنف الأسبوع المقبل في العاصمة.\n\
         Ο υπουργός είπε ότι οι συνομιλίες θα συνεχιστούν την επόμενη εβδομάδα.\n",
        RUSSIAN, JAPANESE, SPANISH
    );
    let a = clean_ok(&page, ContentType::Text);
    assert!(!a.empty);
    assert!(
        a.language == "und" || a.language.len() == 2,
        "{}",
        a.language
    );
    // Scripts mixed inside one line.
    let a = clean_ok(
        "Talks 会談 переговоры conversaciones محادثات συνομιλίες 회담 בשיחות talks talks talks.",
        ContentType::Text,
    );
    assert!(!a.language.is_empty());
}

#[test]
fn a_single_1_mb_line_finishes() {
    let mut rng = Rng(5);
    let mut line = String::with_capacity(1_100_000);
    while line.len() < 1_000_000 {
        line.push_str(&sentence(&mut rng));
        line.push(' ');
    }
    let a = clean_ok(&line, ContentType::Text);
    assert!(a.paragraphs.len() <= 1);
    // No spaces at all: one 1 MB word.
    let word = "a".repeat(1_000_000);
    clean_ok(&word, ContentType::Text);
    clean_ok(&format!("<p>{word}</p>"), ContentType::Html);
}

#[test]
fn a_page_of_100_000_short_lines_finishes() {
    let mut rng = Rng(9);
    let page: String = (0..100_000)
        .map(|_| format!("{} {}\n", WORDS[rng.below(WORDS.len())], rng.next() % 1000))
        .collect();
    clean_ok(&page, ContentType::Text);
    // The same line 100,000 times (a menu repeated by a broken template).
    clean_ok(&"Home\n".repeat(100_000), ContentType::Text);
    // Blank lines only between a few words.
    clean_ok(&format!("a{}b", "\n".repeat(100_000)), ContentType::Text);
}

#[test]
fn unknown_content_type_and_missing_id_are_errors_with_codes() {
    let mut r = raw("text", ContentType::Text);
    r.content_type = 99;
    assert_eq!(clean(&r).unwrap_err().code(), "content_type");
    let mut r = raw("text", ContentType::Text);
    r.id = " ".into();
    assert_eq!(clean(&r).unwrap_err().code(), "missing_id");
}

#[test]
fn clean_lines_handles_degenerate_line_lists() {
    let hints = Hints::default();
    assert!(clean_lines(&[], &hints).paragraphs.is_empty());
    assert!(clean_lines(&["", " ", "\u{200b}"], &hints)
        .paragraphs
        .is_empty());
    let extracted = Hints {
        title: Some(""),
        extracted: true,
    };
    let c = clean_lines(&["-", "a-", "-b", "--", "é-"], &extracted);
    assert!(c.paragraphs.iter().all(|p| !p.is_empty()));
}
