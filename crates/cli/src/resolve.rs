//! `eventwire resolve`: the events of `eventwire tag`'s output (one TaggedArticle per line)
//! resolved across articles, one record per real-world event (eventwire-resolver), printed
//! as JSON lines once the input ends, oldest first.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use anyhow::{bail, Context};
use eventwire_resolver::{Resolver, ResolverConfig};
use eventwire_schema::v1::{ResolvedEvent, TaggedArticle};

/// Reads `input` ("-" for stdin), resolves every event in input order and writes the
/// resolved events to stdout. A line that is not a TaggedArticle is reported with its number
/// and makes the command fail once the rest is read.
pub fn resolve(input: &Path, config: ResolverConfig) -> anyhow::Result<()> {
    let reader: Box<dyn BufRead> = if input == Path::new("-") {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let file =
            std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?;
        Box::new(BufReader::new(file))
    };
    let mut resolver = Resolver::new(config);
    let (mut mentions, mut bad) = (0usize, 0usize);
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", input.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        match eventwire_schema::json::decode::<TaggedArticle>(line.as_bytes()) {
            Ok(article) => mentions += add_article(&mut resolver, &article),
            Err(e) => {
                bad += 1;
                eprintln!("line {}: not a tagged article: {e}", n + 1);
            }
        }
    }
    write_events(&resolver)?;
    eprintln!(
        "resolve: {mentions} mentions -> {} events, {bad} bad lines",
        resolver.len()
    );
    if bad > 0 {
        bail!("{bad} line(s) of {} could not be read", input.display());
    }
    Ok(())
}

/// Adds one article's events; returns how many.
fn add_article(resolver: &mut Resolver, article: &TaggedArticle) -> usize {
    for e in &article.diplomatic {
        resolver.add_diplomatic(e);
    }
    for r in &article.casualties {
        resolver.add_casualty(r);
    }
    article.diplomatic.len() + article.casualties.len()
}

/// The resolved events, oldest first (first seen, then id), one JSON object a line.
fn write_events(resolver: &Resolver) -> anyhow::Result<()> {
    let mut events: Vec<&ResolvedEvent> = resolver.events().collect();
    events.sort_by(|a, b| (&a.first_seen, &a.id).cmp(&(&b.first_seen, &b.id)));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for e in events {
        out.write_all(&eventwire_schema::json::encode(e)?)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
