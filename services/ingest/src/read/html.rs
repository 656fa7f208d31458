//! Decoding an HTML page to UTF-8: BOM, then UTF-8, then a declared `<meta>` charset, then a
//! charset detected from the bytes.
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};

use super::error::ReadError;

/// How far into the page a `<meta charset>` declaration is looked for.
const SNIFF_BYTES: usize = 4096;

/// Decodes a page: a byte-order mark wins; otherwise valid UTF-8 is taken as is; otherwise a
/// charset declared in a `<meta charset=...>` or `<meta http-equiv="content-type"
/// content="...; charset=...">` within the first 4 KiB is used when `encoding_rs` knows it
/// (WHATWG labels, so `iso-8859-1` decodes as windows-1252 like a browser would); otherwise
/// (no declaration, or a label `encoding_rs` does not know, which browsers ignore too) the
/// charset is detected from the bytes by `chardetng`, as Firefox does for unlabelled pages.
/// A page declared UTF-8 (or UTF-16) that is not, or bytes that do not decode in the detected
/// charset, are [`ReadError::InvalidUtf8`].
pub(crate) fn decode_html(bytes: &[u8]) -> Result<String, ReadError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(enc, &bytes[bom_len..]);
    }
    let offset = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok(s.to_owned()),
        Err(e) => e.valid_up_to(),
    };
    let Some(enc) = sniff_charset(bytes).and_then(Encoding::for_label) else {
        return decode_with(detect_charset(bytes), bytes);
    };
    // A page cannot declare UTF-16 (or "replacement") in ASCII; browsers take that as UTF-8.
    let enc = enc.output_encoding();
    if enc == UTF_8 {
        return Err(ReadError::InvalidUtf8 {
            detail: format!("invalid byte at offset {offset} in a page declared as UTF-8"),
        });
    }
    decode_with(enc, bytes)
}

/// Decodes a fetched page: a byte-order mark wins, then a charset the HTTP `Content-Type`
/// declared (when `encoding_rs` knows it), then what [`decode_html`] decides from the bytes.
pub(crate) fn decode_page(bytes: &[u8], http_charset: Option<&str>) -> Result<String, ReadError> {
    if Encoding::for_bom(bytes).is_some() {
        return decode_html(bytes);
    }
    match http_charset.and_then(|c| Encoding::for_label(c.trim().as_bytes())) {
        Some(enc) => decode_with(enc.output_encoding(), bytes),
        None => decode_html(bytes),
    }
}

/// The legacy charset the bytes of an unlabelled, non-UTF-8 page are most likely in.
fn detect_charset(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, Utf8Detection::Deny)
}

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> Result<String, ReadError> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
        .ok_or_else(|| ReadError::InvalidUtf8 {
            detail: format!("malformed {} data", enc.name()),
        })
}

/// The charset label declared by the first `<meta ...charset=...>` tag near the start of a page.
pub(crate) fn sniff_charset(bytes: &[u8]) -> Option<&[u8]> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let mut pos = 0;
    while let Some(start) = find_ci(&head[pos..], b"<meta").map(|i| pos + i) {
        let tag_end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |i| start + i);
        let tag = &head[start..tag_end];
        if let Some(label) = charset_in_tag(tag) {
            return Some(label);
        }
        pos = start + 5;
    }
    None
}

fn charset_in_tag(tag: &[u8]) -> Option<&[u8]> {
    let mut pos = 0;
    while let Some(i) = find_ci(&tag[pos..], b"charset").map(|i| pos + i) {
        let mut j = i + b"charset".len();
        while j < tag.len() && tag[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < tag.len() && tag[j] == b'=' {
            j += 1;
            while j < tag.len()
                && (tag[j].is_ascii_whitespace() || tag[j] == b'"' || tag[j] == b'\'')
            {
                j += 1;
            }
            let end = tag[j..]
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(&b)))
                .map_or(tag.len(), |k| j + k);
            if end > j {
                return Some(&tag[j..end]);
            }
        }
        pos = i + 1;
    }
    None
}

/// Position of `needle` (lower-case ASCII) in `hay`, ignoring ASCII case.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_both_meta_forms() {
        assert_eq!(
            sniff_charset(b"<html><head><META charset=\"ISO-8859-1\"></head>"),
            Some(&b"ISO-8859-1"[..])
        );
        assert_eq!(
            sniff_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"
            ),
            Some(&b"windows-1251"[..])
        );
        assert_eq!(
            sniff_charset(b"<meta charset = 'koi8-r' />"),
            Some(&b"koi8-r"[..])
        );
        assert_eq!(sniff_charset(b"<p>charset=latin1</p>"), None);
        assert_eq!(sniff_charset(b"<meta name=x><p>"), None);
    }

    #[test]
    fn decodes_utf8_bom_and_declared_charsets() {
        assert_eq!(
            decode_html(b"<p>caf\xc3\xa9".as_slice()).unwrap(),
            "<p>café"
        );
        assert_eq!(decode_html(b"\xef\xbb\xbf<p>x".as_slice()).unwrap(), "<p>x");
        assert_eq!(
            decode_html(b"\xff\xfe<\x00p\x00>\x00".as_slice()).unwrap(),
            "<p>"
        );
        assert_eq!(
            decode_html(b"<meta charset=latin1><p>caf\xe9".as_slice()).unwrap(),
            "<meta charset=latin1><p>café"
        );
    }

    #[test]
    fn unlabelled_legacy_pages_are_detected() {
        let latin1 = b"<p>Le pr\xe9sident a rencontr\xe9 le ministre \xe0 Saint-\xc9vrard, \x93un \xe9change fructueux\x94.</p>";
        let want =
            "<p>Le président a rencontré le ministre à Saint-Évrard, “un échange fructueux”.</p>";
        assert_eq!(decode_html(latin1).unwrap(), want);
        // An unknown label is ignored, as browsers do, and the bytes decide.
        let mut labelled = b"<meta charset=no-such-thing>".to_vec();
        labelled.extend_from_slice(latin1);
        assert!(decode_html(&labelled).unwrap().ends_with(want));
        // Cyrillic in windows-1251 without a label.
        let cp1251 = b"<p>\xcf\xf0\xe5\xe7\xe8\xe4\xe5\xed\xf2 \xe2\xf1\xf2\xf0\xe5\xf2\xe8\xeb\xf1\xff \xf1 \xec\xe8\xed\xe8\xf1\xf2\xf0\xee\xec \xe2 \xcc\xee\xf1\xea\xe2\xe5.</p>";
        assert_eq!(
            decode_html(cp1251).unwrap(),
            "<p>Президент встретился с министром в Москве.</p>"
        );
    }

    #[test]
    fn a_declared_charset_wins_over_detection() {
        // These bytes detect as windows-1252; the declaration says KOI8-R.
        let page = b"<meta charset=koi8-r><p>caf\xe9";
        assert_eq!(decode_html(page).unwrap(), "<meta charset=koi8-r><p>cafИ");
    }

    #[test]
    fn pages_declared_utf8_but_not_are_invalid_utf8() {
        for page in [
            &b"<meta charset=utf-8><p>caf\xe9"[..],
            b"<meta charset=utf-16><p>caf\xe9",
        ] {
            let e = decode_html(page).unwrap_err();
            assert_eq!(e.code(), "invalid_utf8", "{e}");
        }
    }
}
