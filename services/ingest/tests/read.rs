//! Reader library: samples, directories, JSONL, limits, encodings and stdin sniffing.
use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use eventwire_ingest::read::{
    content_id, count_inputs, format_of, read_path, read_stream, read_stream_as, url_id, Format,
    ReadError, ReadItem, ReadOptions, Rejected,
};
use eventwire_schema::ids::stable_hash;
use eventwire_schema::v1::{ContentType, RawArticle};
use flate2::write::GzEncoder;
use flate2::Compression;

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles")
}

fn read_all(path: &Path, opts: &ReadOptions) -> Vec<ReadItem> {
    read_path(path, opts).expect("readable path").collect()
}

fn only_article(path: &Path) -> RawArticle {
    let mut items = read_all(path, &ReadOptions::default());
    assert_eq!(items.len(), 1, "{items:?}");
    match items.remove(0) {
        ReadItem::Article { article, .. } => article,
        other => panic!("expected an article from {}, got {other:?}", path.display()),
    }
}

fn only_rejected(path: &Path, opts: &ReadOptions) -> Rejected {
    let mut items = read_all(path, opts);
    assert_eq!(items.len(), 1, "{items:?}");
    match items.remove(0) {
        ReadItem::Rejected(r) => r,
        other => panic!(
            "expected a rejection from {}, got {other:?}",
            path.display()
        ),
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[test]
fn samples_parse_with_ids_dates_and_bodies() {
    let expected = [
        (
            "000_1c3033acfb4f0b1c",
            "2025-04-16",
            "Witkoff, who recently met with Russian President",
        ),
        (
            "001_8e9c1e1a53db4473",
            "2025-04-16",
            "Support us on Patreon\nRubio and Witkoff",
        ),
        (
            "002_bc85ecc0e13772df",
            "2025-04-16",
            "The Power Within: The Kyiv Independent",
        ),
        (
            "003_c841b23a78d9760a",
            "2025-04-17",
            "US President Donald Trump\u{2019}s special envoy",
        ),
        (
            "004_6bdcb3bbc48e2ea1",
            "2025-04-17",
            "Support us on Patreon\nEng\nEsp",
        ),
    ];
    for (stem, date, start) in expected {
        let path = samples_dir().join(format!("{stem}.txt"));
        let a = only_article(&path);
        assert_eq!(a.id, stem);
        assert_eq!(a.published.as_deref(), Some(date), "{stem}");
        assert!(a.body.starts_with(start), "{stem}: {:?}", &a.body[..80]);
        assert!(
            !a.body.contains(" date 2025-"),
            "{stem}: header left in body"
        );
        assert_eq!(a.content_type, ContentType::Text as i32);
        assert_eq!(a.schema_version, eventwire_schema::SCHEMA_VERSION);
        assert_eq!(a.source, path.display().to_string());
        assert_eq!(a.url, None);
        assert_eq!(a.title, None);
        assert!(a.fetched_at.is_some() && a.ingested_at.is_some());
        // The body is the file minus exactly the 17-byte header.
        let raw = fs::read_to_string(&path).unwrap();
        assert_eq!(a.body, raw[17..]);
    }

    // The whole directory: the same five, in file-name order.
    let items = read_all(&samples_dir(), &ReadOptions::default());
    let ids: Vec<_> = items
        .iter()
        .filter_map(|i| i.article())
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, expected.map(|e| e.0));
    assert_eq!(items.len(), 5);
    assert_eq!(count_inputs(&samples_dir()), 5);
}

#[test]
fn source_option_overrides_the_path() {
    let opts = ReadOptions {
        source: Some("samples".into()),
        ..ReadOptions::default()
    };
    let path = samples_dir().join("000_1c3033acfb4f0b1c.txt");
    let items = read_all(&path, &opts);
    assert_eq!(items[0].article().unwrap().source, "samples");
}

#[test]
fn mixed_directory_is_walked_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.txt"), " date 2025-01-02 Alpha text").unwrap();
    fs::write(d.join("b.html"), "<html><body><p>Bravo</p></body></html>").unwrap();
    fs::write(d.join("c.html.gz"), gzip(b"<p>Charlie</p>")).unwrap();
    fs::write(
        d.join("d.jsonl"),
        "{\"id\":\"d1\",\"text\":\"Delta one\"}\n\n{\"url\":\"https://x.test/d2\",\"html\":\"<p>Delta two\"}\n",
    )
    .unwrap();
    fs::write(d.join("e.pdf"), b"%PDF-1.4").unwrap();
    fs::write(d.join(".hidden.txt"), "hidden").unwrap();
    fs::create_dir(d.join(".git")).unwrap();
    fs::write(d.join(".git/x.txt"), "hidden too").unwrap();
    fs::create_dir_all(d.join("sub/deeper")).unwrap();
    fs::write(d.join("sub/F.TXT"), "Foxtrot without header").unwrap();
    fs::write(d.join("sub/deeper/g.ndjson"), "{\"text\":\"Golf\"}").unwrap();
    fs::write(d.join("sub/z.htm"), "<p>Zulu").unwrap();
    fs::write(d.join("zz.txt"), "").unwrap();

    let items = read_all(d, &ReadOptions::default());
    let summary: Vec<String> = items
        .iter()
        .map(|i| match i {
            ReadItem::Article { article, .. } => format!("article {}", article.id),
            ReadItem::Rejected(r) => format!("rejected {} {}", r.origin, r.error.code()),
            ReadItem::Skipped { path, .. } => {
                format!("skipped {}", path.strip_prefix(d).unwrap().display())
            }
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            "article a".to_string(),
            "article b".into(),
            "article c".into(),
            "article d1".into(),
            format!("article {}", url_id("https://x.test/d2")),
            "skipped e.pdf".into(),
            "article F".into(),
            format!("article {}", content_id("Golf")),
            "article z".into(),
            format!("rejected {} empty", d.join("zz.txt").display()),
        ]
    );
    let art = |n: usize| items[n].article().unwrap();
    assert_eq!(art(0).published.as_deref(), Some("2025-01-02"));
    assert_eq!(art(0).body, "Alpha text");
    assert_eq!(art(1).content_type, ContentType::Html as i32);
    assert_eq!(art(1).body, "<html><body><p>Bravo</p></body></html>");
    assert_eq!(art(2).body, "<p>Charlie</p>");
    assert_eq!(art(2).content_type, ContentType::Html as i32);
    assert_eq!(art(2).source, d.join("c.html.gz").display().to_string());
    assert_eq!(art(3).content_type, ContentType::Text as i32);
    assert_eq!(art(4).content_type, ContentType::Html as i32);
    assert_eq!(art(4).url.as_deref(), Some("https://x.test/d2"));
    assert_eq!(art(6).published, None);
    assert_eq!(art(6).body, "Foxtrot without header");
    assert!(
        matches!(&items[5], ReadItem::Skipped { reason, .. } if reason.contains("unsupported"))
    );
    assert_eq!(count_inputs(d), items.len());

    // Files are read lazily and one at a time: the iterator is usable step by step.
    let mut it = read_path(d, &ReadOptions::default()).unwrap();
    assert_eq!(it.next().unwrap().article().unwrap().id, "a");
}

// long: one table of sixteen numbered lines, good and bad side by side, and the verdict on each.
#[test]
fn jsonl_bad_lines_are_rejected_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    let lines: Vec<Vec<u8>> = vec![
        br#"{"id":"one","text":"First article","title":"T1","source":"wire","published":"2025-04-16"}"#.to_vec(), // 1
        b"this is not json".to_vec(),                                   // 2
        b"".to_vec(),                                                   // 3 (blank)
        b"[1,2,3]".to_vec(),                                            // 4
        br#"{"id":"x","url":"https://a.test/"}"#.to_vec(),              // 5
        br#"{"text":"a","html":"<p>b"}"#.to_vec(),                      // 6
        br#"{"text":42}"#.to_vec(),                                     // 7
        br#"{"url":"https://a.test/story","html":"<p>Second"}"#.to_vec(), // 8
        br#"{"text":"Third, content only"}"#.to_vec(),                  // 9
        br#"{"id":"four","text":"x","published":"2025-04-16T23:30:00-05:00"}"#.to_vec(), // 10
        br#"{"id":"bad-date","text":"x","published":"2025-02-30"}"#.to_vec(), // 11
        b"{\"text\":\"caf\xe9\"}".to_vec(),                             // 12
        br#"{"id":"e","text":"   "}"#.to_vec(),                         // 13
        br#"{"id":"n","text":"x","title":["not","a","string"]}"#.to_vec(), // 14
        b"   \t ".to_vec(),                                             // 15 (blank)
        br#"{"id":"last","text":"no newline at the end"}"#.to_vec(),    // 16
    ];
    let content = lines.join(&b"\r\n"[..]);
    fs::write(&path, &content).unwrap();

    let items = read_all(&path, &ReadOptions::default());
    let mut articles = Vec::new();
    let mut rejected = Vec::new();
    for item in items {
        match item {
            ReadItem::Article { article, .. } => articles.push(article),
            ReadItem::Rejected(r) => rejected.push(r),
            ReadItem::Skipped { .. } => panic!("nothing is skipped in a file"),
        }
    }
    let ids: Vec<_> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "one",
            url_id("https://a.test/story").as_str(),
            content_id("Third, content only").as_str(),
            "four",
            "bad-date",
            "last"
        ]
    );
    assert_eq!(articles[0].title.as_deref(), Some("T1"));
    assert_eq!(articles[0].source, "wire");
    assert_eq!(articles[0].published.as_deref(), Some("2025-04-16"));
    assert_eq!(articles[1].source, path.display().to_string());
    assert_eq!(articles[3].published.as_deref(), Some("2025-04-16"));
    // An impossible date keeps the article, without a date.
    assert_eq!(articles[4].published, None);
    assert_eq!(articles[5].body, "no newline at the end");

    let got: Vec<(usize, &str)> = rejected
        .iter()
        .map(|r| (r.line.unwrap(), r.error.code()))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, "invalid_json"),
            (4, "invalid_json"),
            (5, "missing_body"),
            (6, "invalid_field"),
            (7, "invalid_field"),
            (12, "invalid_utf8"),
            (13, "empty"),
            (14, "invalid_field"),
        ]
    );
    for r in &rejected {
        let n = r.line.unwrap();
        assert_eq!(r.origin, format!("{}:{n}", path.display()));
        assert_eq!(r.raw, lines[n - 1], "raw bytes of line {n}");
        assert!(r.to_string().starts_with(&r.origin));
    }
    assert!(rejected[4].error.to_string().contains("\"text\""));
    assert_eq!(count_inputs(&path), 14);
}

#[test]
fn ids_are_stable_and_shared_by_url() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.ndjson");
    fs::write(
        &a,
        "{\"url\":\"https://news.test/1\",\"text\":\"version one\"}\n{\"text\":\"same body\"}\n",
    )
    .unwrap();
    fs::write(&b, "{\"url\":\"https://news.test/1\",\"html\":\"<p>version two\"}\n{\"text\":\"same body\",\"source\":\"other\"}\n{\"text\":\"https://news.test/1\"}\n").unwrap();
    let ids = |p: &Path| -> Vec<String> {
        read_all(p, &ReadOptions::default())
            .iter()
            .map(|i| i.article().unwrap().id.clone())
            .collect()
    };
    let first = ids(&a);
    assert_eq!(first, ids(&a), "ids change between runs");
    let second = ids(&b);
    assert_eq!(first[0], second[0], "same url, different ids");
    assert_eq!(first[1], second[1], "same body, different ids");
    assert_eq!(first[0], stable_hash(&[b"url", b"https://news.test/1"], 16));
    assert_eq!(first[1], stable_hash(&[b"content", b"same body"], 16));
    assert_ne!(
        second[2], first[0],
        "a body equal to a url must not collide with it"
    );
    assert_eq!(first[0].len(), 32);

    // Text files keep their stem whatever the content.
    let t = dir.path().join("Story-7.TXT");
    fs::write(&t, "hello").unwrap();
    assert_eq!(only_article(&t).id, "Story-7");
}

#[test]
fn gzip_bomb_is_too_large_without_inflating_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.html.gz");
    // 32 MiB of zeros compress to ~32 KiB; written in chunks so the test stays small too.
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    let chunk = vec![b'0'; 1 << 20];
    for _ in 0..32 {
        enc.write_all(&chunk).unwrap();
    }
    let compressed = enc.finish().unwrap();
    fs::write(&path, &compressed).unwrap();
    let opts = ReadOptions {
        max_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let r = only_rejected(&path, &opts);
    assert_eq!(r.error.code(), "too_large");
    assert!(matches!(r.error, ReadError::TooLarge { limit } if limit == 1 << 20));
    assert_eq!(
        r.raw, compressed,
        "the dead letter keeps the file as stored"
    );

    // Under the limit it reads fine.
    let ok = dir.path().join("ok.html.gz");
    fs::write(&ok, gzip(b"<p>small")).unwrap();
    assert_eq!(only_article(&ok).body, "<p>small");

    // Corrupt gzip.
    let bad = dir.path().join("bad.html.gz");
    fs::write(&bad, b"\x1f\x8b\x08\x00garbage").unwrap();
    assert_eq!(only_rejected(&bad, &opts).error.code(), "invalid_gzip");
}

#[test]
fn oversized_files_and_lines_are_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let opts = ReadOptions {
        max_bytes: 16,
        ..ReadOptions::default()
    };
    let t = dir.path().join("big.txt");
    fs::write(&t, "x".repeat(17)).unwrap();
    let r = only_rejected(&t, &opts);
    assert_eq!(r.error.code(), "too_large");
    assert_eq!(r.raw.len(), 16);
    let exact = dir.path().join("exact.txt");
    fs::write(&exact, "x".repeat(16)).unwrap();
    assert_eq!(read_all(&exact, &opts)[0].article().unwrap().body.len(), 16);

    let j = dir.path().join("long.jsonl");
    fs::write(
        &j,
        "{\"text\":\"this line is far too long\"}\n{\"text\":\"ok\"}\n",
    )
    .unwrap();
    let items = read_all(&j, &opts);
    assert_eq!(items.len(), 2);
    let r = items[0].rejected().unwrap();
    assert_eq!((r.line, r.error.code()), (Some(1), "too_large"));
    assert_eq!(r.raw.len(), 16);
    assert_eq!(items[1].article().unwrap().body, "ok");
}

#[test]
fn html_encodings_declared_else_detected_text_utf8_only() {
    let dir = tempfile::tempdir().unwrap();
    let unlabelled = dir.path().join("unlabelled.html");
    fs::write(&unlabelled, b"<html><p>caf\xe9</p></html>").unwrap();
    assert_eq!(only_article(&unlabelled).body, "<html><p>café</p></html>");

    let bad = dir.path().join("bad.html");
    fs::write(&bad, b"<meta charset=utf-8><p>caf\xe9</p>").unwrap();
    let r = only_rejected(&bad, &ReadOptions::default());
    assert_eq!(r.error.code(), "invalid_utf8");
    assert_eq!(r.raw, b"<meta charset=utf-8><p>caf\xe9</p>");

    let latin1 = dir.path().join("latin1.html");
    fs::write(
        &latin1,
        b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><p>caf\xe9 \xa3</p></html>",
    )
    .unwrap();
    assert!(only_article(&latin1).body.contains("<p>café £</p>"));

    let cp1251 = dir.path().join("ru.html.gz");
    fs::write(
        &cp1251,
        gzip(b"<meta charset=\"windows-1251\"><p>\xcc\xee\xf1\xea\xe2\xe0"),
    )
    .unwrap();
    assert!(only_article(&cp1251).body.ends_with("<p>Москва"));

    let txt = dir.path().join("bad.txt");
    fs::write(&txt, b" date 2025-01-01 caf\xe9").unwrap();
    assert_eq!(
        only_rejected(&txt, &ReadOptions::default()).error.code(),
        "invalid_utf8"
    );
}

#[test]
fn empty_inputs_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("empty.txt", &b""[..]),
        ("header_only.txt", b" date 2025-04-16 "),
        ("blank.html", b" \n\t\n"),
        ("empty.html.gz", b""),
        ("gzipped_nothing.html.gz", &gzip(b"")),
    ] {
        let p = dir.path().join(name);
        fs::write(&p, content).unwrap();
        let r = only_rejected(&p, &ReadOptions::default());
        assert_eq!(r.error.code(), "empty", "{name}: {}", r.error);
        assert_eq!(r.raw, content);
        assert_eq!(r.origin, p.display().to_string());
        assert_eq!(r.line, None);
    }
    let p = dir.path().join("empty.jsonl");
    fs::write(&p, "\n\n   \n").unwrap();
    assert!(read_all(&p, &ReadOptions::default()).is_empty());
    assert_eq!(count_inputs(&p), 0);
}

#[test]
fn header_strictness_in_files() {
    let dir = tempfile::tempdir().unwrap();
    for (content, published, body) in [
        ("date 2025-04-16 Body", None, "date 2025-04-16 Body"),
        (" date 2025-02-30 Body", None, " date 2025-02-30 Body"),
        (" dated 2025-04-16 Body", None, " dated 2025-04-16 Body"),
        (" date 2025-04-16\nBody", Some("2025-04-16"), "Body"),
        ("\u{feff} date 2025-04-16 Body", Some("2025-04-16"), "Body"),
        ("Date line: 2025-04-16", None, "Date line: 2025-04-16"),
    ] {
        let p = dir.path().join("h.txt");
        fs::write(&p, content).unwrap();
        let a = only_article(&p);
        assert_eq!(a.published.as_deref(), published, "{content:?}");
        assert_eq!(a.body, body, "{content:?}");
    }
}

#[test]
fn stdin_sniffs_jsonl() {
    let input =
        b"\n  \n{\"id\":\"s1\",\"text\":\"from stdin\"}\nnot json\n  {\"text\":\"indented\"}\n";
    let items: Vec<_> =
        read_stream(Cursor::new(&input[..]), "stdin", &ReadOptions::default()).collect();
    assert_eq!(items.len(), 3, "{items:?}");
    let a = items[0].article().unwrap();
    assert_eq!((a.id.as_str(), a.source.as_str()), ("s1", "stdin"));
    let r = items[1].rejected().unwrap();
    assert_eq!(
        (r.origin.as_str(), r.line, r.error.code()),
        ("stdin:4", Some(4), "invalid_json")
    );
    assert_eq!(r.raw, b"not json");
    assert_eq!(items[2].article().unwrap().body, "indented");
}

#[test]
fn stdin_sniffs_text() {
    let input = " date 2025-04-16 Rubio and Witkoff will travel to Paris.\nSecond line.\n";
    let items: Vec<_> = read_stream(
        Cursor::new(input.as_bytes()),
        "stdin",
        &ReadOptions::default(),
    )
    .collect();
    assert_eq!(items.len(), 1);
    let a = items[0].article().unwrap();
    assert_eq!(a.published.as_deref(), Some("2025-04-16"));
    assert_eq!(
        a.body,
        "Rubio and Witkoff will travel to Paris.\nSecond line.\n"
    );
    assert_eq!(a.id, content_id(&a.body));
    assert_eq!(a.source, "stdin");
    assert_eq!(a.content_type, ContentType::Text as i32);
    assert!(a.fetched_at.is_some());

    // Leading blank lines before plain text are kept; the body is the whole input.
    let items: Vec<_> = read_stream(
        Cursor::new(&b"\n\nplain page"[..]),
        "stdin",
        &ReadOptions::default(),
    )
    .collect();
    let a = items[0].article().unwrap();
    assert_eq!(
        (a.body.as_str(), a.published.as_deref()),
        ("\n\nplain page", None)
    );

    // Empty stdin.
    for input in [&b""[..], b" \n \n"] {
        let items: Vec<_> =
            read_stream(Cursor::new(input), "stdin", &ReadOptions::default()).collect();
        assert_eq!(items.len(), 1);
        let r = items[0].rejected().unwrap();
        assert_eq!((r.origin.as_str(), r.error.code()), ("stdin", "empty"));
    }

    // Too large.
    let opts = ReadOptions {
        max_bytes: 4,
        source: Some("pipe".into()),
    };
    let items: Vec<_> = read_stream(Cursor::new(&b"hello"[..]), "stdin", &opts).collect();
    assert_eq!(items[0].rejected().unwrap().error.code(), "too_large");
}

#[test]
fn streams_with_a_given_format() {
    let opts = ReadOptions::default();
    let items: Vec<_> =
        read_stream_as(Cursor::new(gzip(b"<p>gz")), Format::HtmlGz, "pipe", &opts).collect();
    assert_eq!(items[0].article().unwrap().body, "<p>gz");
    let items: Vec<_> = read_stream_as(
        Cursor::new(&b"{\"text\":\"a\"}\n{\"text\":\"b\"}"[..]),
        Format::Jsonl,
        "pipe",
        &opts,
    )
    .collect();
    assert_eq!(items.len(), 2);
    let items: Vec<_> = read_stream_as(
        Cursor::new(&b"{\"text\":\"a\"}"[..]),
        Format::Text,
        "pipe",
        &opts,
    )
    .collect();
    assert_eq!(items[0].article().unwrap().body, "{\"text\":\"a\"}");
}

#[test]
fn missing_and_unsupported_paths_are_errors_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope/missing.txt");
    let e = read_path(&missing, &ReadOptions::default()).unwrap_err();
    assert_eq!(e.code(), "io_error");
    assert!(
        e.to_string().contains(&missing.display().to_string()),
        "{e}"
    );
    assert_eq!(count_inputs(&missing), 0);

    let pdf = dir.path().join("paper.pdf");
    fs::write(&pdf, b"%PDF").unwrap();
    let e = read_path(&pdf, &ReadOptions::default()).unwrap_err();
    assert_eq!(e.code(), "unsupported_format");
    assert!(e.to_string().contains("paper.pdf"), "{e}");
    assert_eq!(format_of(&pdf), None);
}

#[cfg(unix)]
#[test]
fn unreadable_entries_and_link_loops_are_reported() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.txt"), "A").unwrap();
    symlink(d.join("gone.txt"), d.join("broken.txt")).unwrap();
    fs::create_dir(d.join("sub")).unwrap();
    symlink(d, d.join("sub/loop")).unwrap();
    let items = read_all(d, &ReadOptions::default());
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].article().unwrap().id, "a");
    let r = items[1].rejected().unwrap();
    assert_eq!(r.error.code(), "io_error");
    assert!(r.error.to_string().contains("broken.txt"));
    assert!(items[2].is_skipped());
    assert_eq!(count_inputs(d), 3);
}

/// `tests/fixtures/ingest/<name>` of the repository.
fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/ingest")
        .join(name)
}

#[test]
fn an_unlabelled_windows_1252_page_is_decoded() {
    let a = only_article(&fixture("latin1-no-charset.html"));
    assert_eq!(a.content_type, ContentType::Html as i32);
    assert!(
        a.body.contains("<h1>Président visits Saint-Évrard</h1>"),
        "{}",
        a.body
    );
    assert!(a.body.contains("“a fruitful meeting”"), "{}", a.body);
}

#[test]
fn feed_and_archive_dates_are_read_and_unreadable_ones_keep_the_article() {
    let items = read_all(&fixture("feed-dates.jsonl"), &ReadOptions::default());
    let got: Vec<(&str, Option<&str>, Vec<&str>)> = items
        .iter()
        .map(|i| match i {
            ReadItem::Article { article, warnings } => (
                article.id.as_str(),
                article.published.as_deref(),
                warnings.iter().map(|w| w.code()).collect(),
            ),
            other => panic!("expected an article, got {other:?}"),
        })
        .collect();
    let day = Some("2025-04-15");
    assert_eq!(
        got,
        vec![
            ("rss-2822", day, vec![]),
            ("gdelt-14", day, vec![]),
            ("newsplease", day, vec![]),
            ("iso-nozone", day, vec![]),
            ("iso-frac-offset", day, vec![]),
            ("long-date", day, vec![]),
            ("unreadable", None, vec!["unreadable_date"]),
        ]
    );
}

#[test]
fn news_please_json_files_are_articles() {
    let dir = fixture("news-please");
    let items = read_all(&dir, &ReadOptions::default());
    assert_eq!(items.len(), 1, "{items:?}");
    let a = items[0].article().expect("an article");
    let url = "https://example.org/world/ceasefire-talks";
    assert_eq!(a.id, url_id(url));
    assert_eq!(a.url.as_deref(), Some(url));
    assert_eq!(a.source, "example.org");
    assert_eq!(a.published.as_deref(), Some("2025-04-15"));
    assert_eq!(
        a.title.as_deref(),
        Some("Ministers meet in Vellmark for ceasefire talks")
    );
    assert_eq!(a.content_type, ContentType::Text as i32);
    assert!(a
        .body
        .starts_with("Foreign ministers from both countries met in Vellmark"));
    assert_eq!(count_inputs(&dir), 1);
    // The same file named directly.
    let file = only_article(&dir.join("ceasefire-talks.json"));
    assert_eq!(file.id, a.id);
}

#[test]
fn a_json_file_that_is_no_article_is_a_dead_letter() {
    let path = fixture("not-an-article.json");
    let r = only_rejected(&path, &ReadOptions::default());
    assert_eq!(r.error.code(), "missing_body");
    assert!(r.to_string().contains("maintext"), "{r}");
    assert_eq!(r.raw, fs::read(&path).unwrap());

    let dir = tempfile::tempdir().unwrap();
    for (name, content, code) in [
        ("list.json", &b"[{\"maintext\":\"x\"}]"[..], "invalid_json"),
        ("broken.json", b"{\"maintext\":", "invalid_json"),
        ("empty.json", b"", "empty"),
    ] {
        let p = dir.path().join(name);
        fs::write(&p, content).unwrap();
        let r = only_rejected(&p, &ReadOptions::default());
        assert_eq!(r.error.code(), code, "{name}");
    }
    // Its own record shape works in a .json file too; without id or url the file name is the id.
    let own = dir.path().join("own.json");
    fs::write(
        &own,
        "{\n  \"text\": \"Talks resumed.\",\n  \"published\": \"15 April 2025\"\n}\n",
    )
    .unwrap();
    let a = only_article(&own);
    assert_eq!(
        (a.id.as_str(), a.published.as_deref()),
        ("own", Some("2025-04-15"))
    );
}

#[test]
fn a_pretty_printed_json_article_on_a_stream_is_one_article() {
    let page = fs::read(fixture("news-please/ceasefire-talks.json")).unwrap();
    let items: Vec<_> = read_stream(Cursor::new(page), "stdin", &ReadOptions::default()).collect();
    assert_eq!(items.len(), 1, "{items:?}");
    let a = items[0].article().expect("an article");
    assert_eq!(a.id, url_id("https://example.org/world/ceasefire-talks"));
    assert_eq!(a.published.as_deref(), Some("2025-04-15"));
}

#[test]
fn a_jsonl_stream_whose_first_line_is_cut_keeps_its_other_lines() {
    let input = b"\n{\"text\":\"cut short\n{\"id\":\"b\",\"text\":\"fine\"}\r\n{\"id\":\"c\",\"text\":\"fine too\"}";
    let items: Vec<_> = read_stream(
        Cursor::new(input.to_vec()),
        "stdin",
        &ReadOptions::default(),
    )
    .collect();
    let r = items[0].rejected().expect("line 2 rejected");
    assert_eq!((r.line, r.error.code()), (Some(2), "invalid_json"));
    assert_eq!(r.raw, b"{\"text\":\"cut short");
    let ids: Vec<_> = items[1..]
        .iter()
        .map(|i| i.article().expect("an article").id.as_str())
        .collect();
    assert_eq!(ids, ["b", "c"]);

    // A first line over the limit is rejected alone, with the bytes JSONL keeps.
    let opts = ReadOptions {
        max_bytes: 16,
        ..ReadOptions::default()
    };
    let input = b"  {\"text\":\"this line is far too long\"}\n{\"text\":\"ok\"}\n";
    let items: Vec<_> = read_stream(Cursor::new(input.to_vec()), "stdin", &opts).collect();
    assert_eq!(items.len(), 2, "{items:?}");
    let r = items[0].rejected().expect("too large");
    assert_eq!((r.line, r.error.code()), (Some(1), "too_large"));
    assert_eq!(r.raw, &input[..16]);
    assert_eq!(items[1].article().expect("an article").body, "ok");
}
