//! Measures the dedup index: memory per entry, check-and-insert throughput, signature speed,
//! and (given the article-extraction benchmark's ground truth) detection of synthetic copies and
//! false matches among distinct articles.
//!
//! `cargo run --release -p eventwire-cleaner --example dedup_measure -- [ENTRIES] [GROUND_TRUTH_JSON]`
use std::time::Instant;

use base64::Engine;
use eventwire_cleaner::dedup::{DedupConfig, DedupIndex, Signature, Verdict, NUM_HASHES};
use eventwire_schema::ids::content_hash;

fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<usize>().ok())
        })
        .map_or(0, |pages| pages * 4096)
}

/// A random signature (as if from a random body of `shingles` shingles).
fn random_sig(state: &mut u64, shingles: u32) -> Signature {
    let mut bytes = shingles.to_le_bytes().to_vec();
    for _ in 0..NUM_HASHES {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        bytes.extend_from_slice(&(*state as u16).to_le_bytes());
    }
    let fp = format!(
        "mh1:{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    Signature::from_fingerprint(&fp).expect("valid fingerprint")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let truth = args.next();
    measure_index(n);
    let Some(path) = truth else { return };
    let bodies = load_bodies(&path);
    let words: usize = bodies
        .iter()
        .map(|(_, b)| b.split_whitespace().count())
        .sum();
    let t = Instant::now();
    let sigs: Vec<Signature> = bodies.iter().map(|(_, b)| Signature::of_body(b)).collect();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "signatures: {} bodies, {} words: {:.1} µs/body, {:.1} M words/s",
        bodies.len(),
        words,
        secs * 1e6 / bodies.len() as f64,
        words as f64 / secs / 1e6
    );
    let idx = check_distinct(&bodies, &sigs);
    check_copies(&bodies, &sigs, &idx);
}

/// Memory and throughput of the index at `n` entries (ids like real ones: 20 characters),
/// then checks against the full index.
fn measure_index(n: usize) {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let sigs: Vec<Signature> = (0..n).map(|_| random_sig(&mut state, 500)).collect();
    let ids: Vec<String> = (0..n)
        .map(|i| format!("{i:03}_{:016x}", i * 7919))
        .collect();
    let hashes: Vec<String> = (0..n).map(|i| format!("{:064x}", i)).collect();
    let before = rss_bytes();
    let mut idx = DedupIndex::new(DedupConfig {
        capacity: n,
        ..DedupConfig::default()
    });
    let t = Instant::now();
    for i in 0..n {
        idx.check_and_insert(&ids[i], 0, &hashes[i], &sigs[i]);
    }
    let secs = t.elapsed().as_secs_f64();
    let after = rss_bytes();
    println!(
        "entries {n}: RSS +{:.1} MiB = {:.0} bytes/entry (estimate from capacities {:.0} bytes/entry)",
        (after - before) as f64 / 1048576.0,
        (after - before) as f64 / n as f64,
        idx.approx_bytes() as f64 / n as f64
    );
    println!(
        "check_and_insert while filling to {n}: {:.0}/s ({:.2} µs each)",
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
    // Checks against a full index: new random bodies (evicting the oldest at capacity).
    let m = 200_000.min(n);
    let probes: Vec<Signature> = (0..m).map(|_| random_sig(&mut state, 500)).collect();
    let t = Instant::now();
    for (i, s) in probes.iter().enumerate() {
        idx.check_and_insert(&format!("p{i}"), 0, &format!("p{i}"), s);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "check_and_insert at capacity {n} (with eviction): {:.0}/s ({:.2} µs each)",
        m as f64 / secs,
        secs * 1e6 / m as f64
    );
    drop(idx);
}

/// The benchmark's article bodies from its ground truth file, by id.
fn load_bodies(path: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).expect("ground truth");
    let gt: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut bodies: Vec<(String, String)> = gt
        .as_object()
        .expect("object")
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.get("articleBody")?.as_str()?.to_string())))
        .collect();
    bodies.sort();
    bodies
}

/// Distinct articles must all be originals: prints how many were marked duplicate and the
/// highest overlap between two of them; returns the index of the originals.
fn check_distinct(bodies: &[(String, String)], sigs: &[Signature]) -> DedupIndex {
    let mut idx = DedupIndex::new(DedupConfig::default());
    let mut false_dups = 0;
    for ((id, b), s) in bodies.iter().zip(sigs) {
        if idx.check_and_insert(id, 0, &content_hash(b), s) != Verdict::Original {
            false_dups += 1;
        }
    }
    let mut max_overlap: f64 = 0.0;
    for i in 0..sigs.len() {
        for j in i + 1..sigs.len() {
            let s = sigs[i].compare(&sigs[j]);
            if s.size_ratio >= 0.4 {
                max_overlap = max_overlap.max(s.overlap);
            }
        }
    }
    println!(
        "{} distinct articles: {} marked duplicate; highest overlap between two of them (size ratio >= 0.4): {:.3}",
        bodies.len(),
        false_dups,
        max_overlap
    );
    idx
}

/// Synthetic copies of each article, checked against the index of originals.
fn check_copies(bodies: &[(String, String)], sigs: &[Signature], idx: &DedupIndex) {
    let frame = "Support us on Patreon\nSkip to content\nNewsletters\nShare this article\nRead also\nMost popular\n";
    type Variant = fn(&str, &str, &str) -> String;
    let variants: [(&str, Variant); 5] = [
        ("exact copy", |b, _, _| b.to_string()),
        ("drop last paragraph", |b, _, _| {
            let mut p: Vec<&str> = b.split("\n\n").collect();
            if p.len() > 2 {
                p.pop();
            }
            p.join("\n\n")
        }),
        ("site frame added", |b, f, _| format!("{f}{b}\n{f}")),
        (
            "frame + other story's teaser (+50% words)",
            |b, f, other| {
                let n = b.split_whitespace().count() / 2;
                let teaser: Vec<&str> = other.split_whitespace().take(n).collect();
                format!("{f}{b}\n{}", teaser.join(" "))
            },
        ),
        ("first and last paragraph dropped", |b, _, _| {
            let p: Vec<&str> = b.split("\n\n").collect();
            if p.len() > 4 {
                p[1..p.len() - 1].join("\n\n")
            } else {
                b.to_string()
            }
        }),
    ];
    for (name, make) in variants {
        let (mut found, mut tried, mut wrong) = (0, 0, 0);
        for (i, (id, b)) in bodies.iter().enumerate() {
            if sigs[i].shingles() < 50 {
                continue;
            }
            let other = &bodies[(i + 1) % bodies.len()].1;
            let copy = make(b, frame, other);
            tried += 1;
            match idx.check("copy", 1, &content_hash(&copy), &Signature::of_body(&copy)) {
                Verdict::Duplicate { of, .. } if &of == id => found += 1,
                Verdict::Duplicate { .. } => wrong += 1,
                _ => {}
            }
        }
        println!("{name}: {found}/{tried} found ({wrong} matched to a wrong original)");
    }
}
