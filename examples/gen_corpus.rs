//! Writes a synthetic archive of N letters for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- 100000 /tmp/corpus-100k [--seed 36521]
//! ```
//!
//! The folder gets `content/<dossier>/<id>.md`, `corpus-stats.json` and, when it has none, a
//! `site.toml`; build it with `postkamer build --root DIR`. The same N and seed give
//! the same bytes. See `benches/common/corpus.rs` for the shape of the corpus.

#[path = "../benches/common/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut seed = 36521;
    while let Some(arg) = args.next() {
        if arg == "--seed" {
            match args.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => return usage("--seed needs a number"),
            }
        } else {
            positional.push(arg);
        }
    }
    let (Some(n), Some(out)) = (
        positional.first().and_then(|n| n.parse::<usize>().ok()),
        positional.get(1),
    ) else {
        return usage("expected a letter count and an output folder");
    };
    match corpus::generate(n, seed, &PathBuf::from(out)) {
        Ok(stats) => {
            println!(
                "{} letters in {} dossiers ({} replies, {} MB) written to {out}",
                stats.letters,
                stats.dossiers,
                stats.replies,
                stats.bytes / 1_000_000
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {out}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\nusage: gen_corpus N OUT_DIR [--seed S]");
    ExitCode::from(2)
}
