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

/// What identifies an event within its article: its kind, the char span of the text that
/// anchors it (the first evidence sentence), and what tells it apart from other events of that
/// kind anchored there (the participants' entity keys, a status, the figures). The keys are
/// hashed in sorted order, so their order does not matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventIdentity<'a> {
    pub article_id: &'a str,
    pub kind: &'a str,
    pub anchor_start: u32,
    pub anchor_end: u32,
    pub keys: Vec<String>,
}

/// Id of an event (schema 1.1): 24 hex digits of SHA-256 over the article id, the kind, the
/// anchor span and the sorted keys. The same event in the same article always has the same
/// id, so a redelivered article overwrites its events; events that differ in kind, anchor or
/// keys have different ids. [`unique_event_ids`] settles the rare events equal in all three.
pub fn event_id(identity: &EventIdentity<'_>) -> String {
    let mut keys: Vec<&str> = identity.keys.iter().map(String::as_str).collect();
    keys.sort_unstable();
    let (start, end) = (
        identity.anchor_start.to_string(),
        identity.anchor_end.to_string(),
    );
    let mut parts: Vec<&[u8]> = vec![
        identity.article_id.as_bytes(),
        identity.kind.as_bytes(),
        start.as_bytes(),
        end.as_bytes(),
    ];
    parts.extend(keys.iter().map(|k| k.as_bytes()));
    stable_hash(&parts, 12)
}

/// Ids for an article's events in output order: two events whose identities are equal get
/// the id of their identity with an ordinal key ("#2", "#3"...) added from the second on, so
/// every id of the article is distinct and a re-run gives the same ids.
pub fn unique_event_ids(identities: &[EventIdentity<'_>]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    identities
        .iter()
        .map(|identity| {
            let id = event_id(identity);
            let n = seen.entry(id.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                return id;
            }
            let mut again = identity.clone();
            again.keys.push(format!("#{n}"));
            event_id(&again)
        })
        .collect()
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

    use super::{event_id, unique_event_ids, EventIdentity};

    fn identity<'a>(kind: &'a str, start: u32, keys: &[&str]) -> EventIdentity<'a> {
        EventIdentity {
            article_id: "a1",
            kind,
            anchor_start: start,
            anchor_end: start + 10,
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = event_id(&identity("meet", 0, &["person:a", "person:b"]));
        assert_eq!(a, event_id(&identity("meet", 0, &["person:b", "person:a"])));
        assert_ne!(a, event_id(&identity("meet", 1, &["person:a", "person:b"])));
        assert_ne!(
            a,
            event_id(&identity("visit", 0, &["person:a", "person:b"]))
        );
        // one sentence, two meetings with different people: two ids
        assert_ne!(a, event_id(&identity("meet", 0, &["person:c", "person:a"])));
        assert_eq!(a.len(), 24);
    }

    #[test]
    fn equal_identities_get_distinct_ids_in_a_stable_order() {
        let same = [identity("meet", 0, &["x"]), identity("meet", 0, &["x"])];
        let ids = unique_event_ids(&same);
        assert_ne!(ids[0], ids[1]);
        assert_eq!(ids[0], event_id(&same[0]));
        assert_eq!(ids, unique_event_ids(&same));
    }
}
