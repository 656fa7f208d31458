//! docs/metrics.md lists exactly the tagger's own metrics in its tagger table.
use std::collections::BTreeSet;

use eventwire_tagger::stage::TagMetrics;

#[test]
fn metrics_doc_lists_the_tagger_metrics() {
    let doc = include_str!("../../../docs/metrics.md");
    let documented: BTreeSet<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| tagger | `"))
        .filter_map(|l| l.split('`').next())
        .map(String::from)
        .collect();
    let reg = prometheus::Registry::new();
    let m = TagMetrics::register(&reg);
    m.countries.with_label_values(&["FRA"]).inc();
    let emitted: BTreeSet<String> = reg.gather().iter().map(|f| f.name().to_string()).collect();
    assert_eq!(emitted, documented);
    // every kind/status pair exists before the first event, so rates start at zero
    let text = reg
        .gather()
        .iter()
        .find(|f| f.name() == "eventwire_events_total")
        .map(|f| f.get_metric().len())
        .unwrap_or(0);
    assert_eq!(text, 5 * 5 + 1);
}
