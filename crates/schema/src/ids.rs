//! Deterministic ids: the same input always yields the same id, so redelivery overwrites.
use sha2::{Digest, Sha256};

/// Hex of the first `n` bytes of SHA-256 over the parts, each followed by a 0x1f separator.
pub fn stable_hash(parts: &[&[u8]], n: usize) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
        h.update([0x1f]);
    }
    let digest = h.finalize();
    let n = n.min(digest.len());
    hex(&digest[..n])
}

/// Lower-case hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Id of an event: article id, event kind and the evidence span that anchors it.
pub fn event_id(article_id: &str, kind: &str, start: u32, end: u32) -> String {
    stable_hash(
        &[
            article_id.as_bytes(),
            kind.as_bytes(),
            start.to_string().as_bytes(),
            end.to_string().as_bytes(),
        ],
        12,
    )
}

/// Hex SHA-256 of a text's UTF-8 bytes (plain, so any consumer can recompute it).
pub fn content_hash(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_hash_is_plain_sha256() {
        assert_eq!(
            super::content_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = super::event_id("a1", "meet", 0, 10);
        assert_eq!(a, super::event_id("a1", "meet", 0, 10));
        assert_ne!(a, super::event_id("a1", "meet", 0, 11));
        assert_ne!(a, super::event_id("a1", "visit", 0, 10));
        assert_eq!(a.len(), 24);
    }
}
