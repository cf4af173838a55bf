//! Build speed and memory on generated corpora (`cargo bench --bench build`).
//!
//! Generates realistic corpora with the project's own generator (`benches/common/corpus.rs`,
//! also `cargo run --release --example gen_corpus`; cached under `target/bench/`), then runs the release binary on each: a cold build, a
//! rebuild with no change, a rebuild after one edited letter, and `check`. Prints
//! letters per second, peak memory (from the child's rusage) and the time of each
//! stage. Sizes: arguments, else `POSTKAMER_BENCH_SIZES`, else 10000 and 100000.

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
    for n in sizes {
        let site = site_with_corpus(manifest, n);
        println!("\n== {n} letters ({}) ==", site.display());
        let out = site.join("public");
        let _ = std::fs::remove_dir_all(&out);
        run(&site, n, "cold build", &["build", "--timings"]);
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

/// Runs the binary and reports wall time, letters/s and the child's peak memory.
// `wait4` reaps the child: std's `wait` cannot return its rusage.
#[allow(clippy::zombie_processes)]
fn run(site: &Path, n: usize, what: &str, args: &[&str]) {
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
}
