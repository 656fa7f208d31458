//! Topic names: the one place they are spelled. Every stage reads and writes through these.

/// Raw pages from ingest.
pub const ARTICLES_RAW: &str = "articles.raw";
/// Clean articles from the cleaner.
pub const ARTICLES_CLEAN: &str = "articles.clean";
/// Diplomatic events from the tagger.
pub const EVENTS_DIPLOMATIC: &str = "events.diplomatic";
/// Casualty reports from the tagger.
pub const EVENTS_CASUALTY: &str = "events.casualty";
/// One record per real-world event across articles (the resolver's output; compacted, keyed
/// by the event's id; an empty value retires an id merged into another).
pub const EVENTS_RESOLVED: &str = "events.resolved";

/// The logical "input" of ingest (files, stdin, feeds); its rejects go to `ingest.dlq`.
pub const INGEST: &str = "ingest";

/// Feed items ingest produced (key: a hash of the link or GUID), compacted; read back at start
/// so restarts and replicas skip them (`eventwire-ingest --seen-topic`).
pub const INGEST_SEEN: &str = "ingest.seen";

/// Suffix of a dead-letter topic: records that failed on `T` go to `T.dlq`.
pub const DLQ_SUFFIX: &str = ".dlq";

/// The dead-letter topic for an input topic.
pub fn dlq_for(input: &str) -> String {
    format!("{input}{DLQ_SUFFIX}")
}

/// Every topic the pipeline uses, dead-letter topics included, in pipeline order.
pub fn all() -> Vec<String> {
    let mut v = Vec::new();
    for t in [
        ARTICLES_RAW,
        ARTICLES_CLEAN,
        EVENTS_DIPLOMATIC,
        EVENTS_CASUALTY,
    ] {
        v.push(t.to_string());
    }
    for t in [INGEST, ARTICLES_RAW, ARTICLES_CLEAN] {
        v.push(dlq_for(t));
    }
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn dlq_names() {
        assert_eq!(super::dlq_for("articles.raw"), "articles.raw.dlq");
        assert!(super::all().contains(&"articles.clean.dlq".to_string()));
        assert!(super::all().contains(&"ingest.dlq".to_string()));
    }
}
