//! Build speed and memory on generated corpora (`cargo bench --bench build`).
//!
//! Generates realistic corpora with the project's own generator (`benches/common/corpus.rs`,
//! also `cargo run --release --example gen_corpus`; cached under `target/bench/`), then runs the release binary on each: a cold build, a
//! rebuild with no change, a rebuild after one edited letter, and `check`. Prints
//! letters per second, peak memory (from the child's rusage) and the time of each
//! stage. Sizes: arguments, else `POSTKAMER_BENCH_SIZES`, else 10000 and 100000 (a million:
//! `cargo bench --bench build -- 10000 100000 1000000`). Fails loudly when the cold build's
//! time per letter grows by more than half from the smallest size of at least 10,000 letters
//! to a larger one: no step may be superlinear.

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/sizes.rs"]
mod sizes;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() {
    // `cargo test --all-targets` runs this file too; only `cargo bench` passes --bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let sizes = sizes::sizes(&[10_000, 100_000]);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cold = Vec::new();
    for n in sizes {
        let site = site_with_corpus(manifest, n);
        println!("\n== {n} letters ({}) ==", site.display());
        let out = site.join("public");
        let _ = std::fs::remove_dir_all(&out);
        cold.push((n, run(&site, n, "cold build", &["build", "--timings"])));
        run(&site, n, "rebuild, no change", &["build", "--timings"]);
        touch_one_letter(&site);
        run(
            &site,
            n,
            "rebuild, one letter edited",
            &["build", "--timings"],
        );
        run(&site, n, "check (no output)", &["check"]);
    }
    if let Some(failure) = superlinear(&cold) {
        eprintln!("\nSUPERLINEAR: {failure}");
        std::process::exit(1);
    }
}

/// How much the time per letter of a cold build may grow from the smallest corpus of at
/// least [`LINEAR_FROM`] letters to a larger one before the benchmark fails.
const MAX_GROWTH: f64 = 1.5;

/// Below this, fixed costs (theme, search client, start-up) weigh too much per letter.
const LINEAR_FROM: usize = 10_000;

/// Prints how the time per letter grows with the archive; the first size at which it
/// grows by more than [`MAX_GROWTH`], as a message.
fn superlinear(cold: &[(usize, f64)]) -> Option<String> {
    let mut sized: Vec<(usize, f64)> = cold
        .iter()
        .copied()
        .filter(|&(n, _)| n >= LINEAR_FROM)
        .collect();
    sized.sort_by_key(|&(n, _)| n);
    let (&(base_n, base_secs), larger) = sized.split_first()?;
    let per_letter = |n: usize, secs: f64| secs / n as f64;
    let base = per_letter(base_n, base_secs);
    larger.iter().find_map(|&(n, secs)| {
        let growth = per_letter(n, secs) / base;
        println!(
            "time per letter, {n} against {base_n} letters: x{growth:.2} (at most x{MAX_GROWTH})"
        );
        (growth > MAX_GROWTH).then(|| {
            format!(
                "a cold build of {n} letters takes x{growth:.2} the time per letter of {base_n}"
            )
        })
    })
}

/// The generator's seed: the same corpus on every machine.
const SEED: u64 = 36521;

/// A site folder holding a generated corpus of `n` letters.
fn site_with_corpus(manifest: &Path, n: usize) -> PathBuf {
    let dir = manifest.join("target/bench").join(format!("corpus-{n}"));
    if !dir.join("content").is_dir() {
        corpus::generate(n, SEED, &dir).expect("generate the corpus");
    }
    std::fs::write(
        dir.join("site.toml"),
        "title = \"Benchmark\"\nbase_url = \"https://example.org/archief/\"\n[archive]\nchamber = \"I\"\n",
    )
    .expect("site.toml");
    dir
}

fn touch_one_letter(site: &Path) {
    let first = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_dossier.md")
        .expect("a letter");
    let mut text = std::fs::read_to_string(first.path()).expect("read letter");
    text.push_str("\nNaschrift voor de benchmark.\n");
    std::fs::write(first.path(), text).expect("write letter");
}

/// Runs the binary and reports wall time, letters/s and the child's peak memory; returns
/// the wall time in seconds.
// `wait4` reaps the child: std's `wait` cannot return its rusage.
#[allow(clippy::zombie_processes)]
fn run(site: &Path, n: usize, what: &str, args: &[&str]) -> f64 {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_postkamer"))
        .args(args)
        .args(["--root", &site.to_string_lossy(), "--today", "2026-11-28"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start postkamer");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; both out-pointers are valid for writes.
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = started.elapsed().as_secs_f64();
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout {
        use std::io::Read as _;
        let _ = out.read_to_string(&mut stdout);
    }
    println!(
        "{what:<28} {secs:>8.2} s  {:>8.0} letters/s  peak {:>6} MB  exit {}",
        n as f64 / secs,
        usage.ru_maxrss / 1024,
        libc::WEXITSTATUS(status)
    );
    for line in stdout.lines().filter(|l| l.starts_with("  ")) {
        println!("    {}", line.trim());
    }
    secs
}
