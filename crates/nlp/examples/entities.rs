//! Prints the entities of text files (or of the text given with `-e`) as JSON lines.
//!
//! `cargo run -p eventwire-nlp --example entities -- [--date YYYY-MM-DD] FILE... | -e TEXT`
//! A file starting with the samples' ` date YYYY-MM-DD ` header takes its date from it.

use chrono::NaiveDate;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut date: Option<NaiveDate> = None;
    let mut texts: Vec<(String, String)> = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--date" => date = args.next().and_then(|d| d.parse().ok()),
            "-e" => texts.push(("-e".into(), args.next().unwrap_or_default())),
            path => match std::fs::read_to_string(path) {
                Ok(t) => texts.push((path.to_string(), t)),
                Err(e) => eprintln!("{path}: {e}"),
            },
        }
    }
    for (name, raw) in texts {
        let (published, body) = split_header(&raw);
        let a = eventwire_nlp::analyze(body, published.or(date));
        println!("== {name}");
        for e in &a.entities {
            println!("{}", serde_json::to_string(e).unwrap_or_default());
        }
        for c in &a.people.clusters {
            let ms: Vec<&str> = c
                .mentions
                .iter()
                .map(|&i| a.people.mentions[i].text.as_str())
                .collect();
            println!(
                "PERSON {} role={:?} country={:?} id={:?} mentions={:?}",
                c.canonical, c.role, c.country, c.id, ms
            );
        }
    }
}

/// Splits the samples' ` date YYYY-MM-DD ` header off.
/// The samples' ` date YYYY-MM-DD ` header (the project's one parser) and the body.
fn split_header(raw: &str) -> (Option<NaiveDate>, &str) {
    let (date, body) = eventwire_schema::page::split_date_header(raw);
    (date.and_then(|d| d.parse().ok()), body)
}
