//! Every contract file can be compiled for Go and Java consumers as well as Rust: each declares
//! a Go package and a Java package, the same for the whole `eventwire.v1` package.
use std::path::Path;

fn option(text: &str, name: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix(&format!("option {name} = ")))
        .map(|v| v.trim_end_matches(';').trim_matches('"').to_string())
}

#[test]
fn every_proto_file_names_its_go_and_java_packages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../proto/eventwire/v1");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("proto/eventwire/v1 exists") {
        let path = entry.expect("a directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("proto") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let name = path.display().to_string();
        let go = option(&text, "go_package").unwrap_or_else(|| panic!("{name}: no go_package"));
        let java =
            option(&text, "java_package").unwrap_or_else(|| panic!("{name}: no java_package"));
        assert_eq!(
            option(&text, "java_multiple_files").as_deref(),
            Some("true"),
            "{name}"
        );
        assert!(go.ends_with("/eventwire/v1;eventwirev1"), "{name}: {go}");
        seen.push((go, java));
    }
    assert!(seen.len() >= 3, "the three contract files");
    seen.dedup();
    assert_eq!(
        seen.len(),
        1,
        "one package per language for eventwire.v1: {seen:?}"
    );
}
