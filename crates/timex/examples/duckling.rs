//! Scores the Duckling English corpora: per-grain accuracy, and with `--failures` every miss.
//!
//! ```sh
//! cargo run --release -p eventwire-timex --example duckling -- tests/fixtures/duckling/duckling_time_en.jsonl [--failures]
//! cargo run --release -p eventwire-timex --example duckling -- tests/fixtures/duckling/duckling_numeral_en.jsonl
//! ```

#[path = "../tests/support/duckling.rs"]
mod duckling;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let failures = args.iter().any(|a| a == "--failures");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: duckling FILE.jsonl [--failures]");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let start = std::time::Instant::now();
    let r = duckling::score(&text);
    let elapsed = start.elapsed();
    if failures {
        for c in r.cases.iter().filter(|c| !c.ok) {
            println!(
                "FAIL [{}] {:?}: want {} got {}",
                c.class, c.text, c.want, c.got
            );
        }
    }
    println!(
        "{:<18} {:>6} {:>6} {:>8}",
        "class", "passed", "total", "accuracy"
    );
    for (k, (p, t)) in &r.classes {
        println!("{k:<18} {p:>6} {t:>6} {:>8.3}", *p as f64 / *t as f64);
    }
    let core = [
        "instant Day",
        "instant Week",
        "instant Month",
        "instant Year",
    ];
    let (p, t) = r.accuracy(&core);
    if t > 0 {
        println!(
            "day/week/month/year instants: {p}/{t} = {:.3}",
            p as f64 / t as f64
        );
    }
    let all: usize = r.classes.values().map(|c| c.1).sum();
    let ok: usize = r.classes.values().map(|c| c.0).sum();
    println!(
        "all cases: {ok}/{all} = {:.3} ({:.1} ms)",
        ok as f64 / all as f64,
        elapsed.as_secs_f64() * 1e3
    );
}
