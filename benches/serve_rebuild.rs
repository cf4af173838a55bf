//! `serve` on a generated archive: the time from saving one letter to the
//! reload message, and the resident memory over many consecutive edits.
//!
//! Run with `cargo bench --bench serve_rebuild`. Settings by environment:
//! - `POSTKAMER_BENCH_LETTERS` (10000): letters in the generated archive;
//! - `POSTKAMER_BENCH_EDITS` (1000): consecutive edits of one letter;
//! - `POSTKAMER_BENCH_DIR`: a folder to keep the generated archive in between
//!   runs (generating 10,000 letters takes about half a minute);
//!
//! The preview runs in-process exactly as `postkamer serve` runs it (file
//! watcher, debounce, incremental engine); only HTTP is left out. The clock
//! starts just before the letter is written and stops when the rebuild
//! thread sends the reload message, so debouncing is included.

#[path = "common/corpus.rs"]
mod corpus;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use postkamer::BuildOptions;
use postkamer::serve::{Changes, Engine, Preview, Shared};

fn main() {
    // `cargo test --all-targets` runs this file too; only `cargo bench` passes --bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let letters = setting("POSTKAMER_BENCH_LETTERS", 10_000);
    let edits = setting("POSTKAMER_BENCH_EDITS", 1_000);
    let keep = std::env::var_os("POSTKAMER_BENCH_DIR").map(PathBuf::from);
    let temp = tempfile::tempdir().expect("temp dir");
    let root = keep.unwrap_or_else(|| temp.path().join("site"));
    ensure_corpus(&root, letters);
    println!("archive: {letters} letters in {}", root.display());

    let letter = pick_letter(&root);
    let engine_edits = setting("POSTKAMER_BENCH_ENGINE_EDITS", 50);
    if engine_edits > 0 {
        engine_alone(&root, &letter, engine_edits);
    }
    if edits == 0 {
        return;
    }
    let started = Instant::now();
    let preview = Preview::start(options(&root), |text| {
        if text.contains("error") {
            eprint!("{text}");
        }
    })
    .expect("start the preview");
    let shared = preview.shared();
    let stats = shared.stats();
    println!(
        "first build: {} files in {:.1} s ({} ms by the engine)",
        stats.files,
        started.elapsed().as_secs_f64(),
        stats.elapsed_ms as u64
    );
    println!("phases of the first build: {}", phases(&shared));
    println!("the preview holds {}", held(&shared));
    println!("editing {} {edits} times", letter.display());
    run_edits(&shared, &letter, edits);
}

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 28),
        ..BuildOptions::default()
    }
}

/// Generates the archive unless the folder already holds one of this size.
fn ensure_corpus(root: &Path, letters: usize) {
    let marker = root.join(format!(".bench-{letters}"));
    if marker.is_file() {
        return;
    }
    let _ = fs::remove_dir_all(root.join("content"));
    fs::create_dir_all(root).expect("site folder");
    corpus::generate(letters, 36521, root).expect("generate the corpus");
    fs::write(
        root.join("site.toml"),
        "title = \"Benchmark\"\nbase_url = \"/\"\n\n[archive]\nchamber = \"I\"\n",
    )
    .expect("site.toml");
    fs::write(marker, "").expect("marker");
}

/// A letter in the middle of the archive.
fn pick_letter(root: &Path) -> PathBuf {
    let mut all: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_dossier.md"))
        .collect();
    all.sort();
    all.swap_remove(all.len() / 2)
}

/// The incremental engine without watcher or debounce: wall and CPU time per
/// rebuild after a body edit, and the median of each step.
fn engine_alone(root: &Path, letter: &Path, edits: usize) {
    let mut engine = Engine::new(options(root));
    let (first, cpu) = timed(|| engine.rebuild(&Changes::everything()).expect("first build"));
    println!(
        "engine, first build: {} files, {:.0} ms wall, {:.0} ms CPU",
        first.files,
        ms(first.elapsed),
        ms(cpu)
    );
    let (_, search) = timed(|| engine.search_job().map(|job| job.build()));
    println!(
        "engine, search index of every letter (after the reload): {:.0} ms CPU",
        ms(search)
    );
    let original = fs::read_to_string(letter).expect("read the letter");
    for (what, text) in edit_kinds(&original) {
        engine_edits(&mut engine, letter, what, edits, text);
    }
    fs::write(letter, &original).expect("restore the letter");
}

/// Rebuilds after each of `edits` versions of the letter and prints the medians.
fn engine_edits(
    engine: &mut Engine,
    letter: &Path,
    what: &str,
    edits: usize,
    text: Box<dyn Fn(usize) -> String + '_>,
) {
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut steps: Vec<Vec<(&'static str, Duration)>> = Vec::new();
    let mut rendered = Vec::new();
    let mut later = Vec::new();
    for n in 1..=edits {
        fs::write(letter, text(n)).expect("write");
        let changes = Changes {
            content: vec![letter.to_path_buf()],
            ..Changes::default()
        };
        let (r, cpu) = timed(|| engine.rebuild(&changes).expect("rebuild"));
        walls.push(r.elapsed);
        cpus.push(cpu);
        rendered.push(r.rendered.len());
        steps.push(r.phases);
        // Feeds and data files: rendered after the reload message.
        let done = engine.render_later().map(|l| l.expect("render later"));
        later.push(done.map_or(Duration::ZERO, |l| l.elapsed));
    }
    let step_medians: Vec<String> = steps[0]
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let mut d: Vec<Duration> = steps.iter().map(|s| s[i].1).collect();
            format!("{name} {:.1}", ms(median(&mut d)))
        })
        .collect();
    rendered.sort_unstable();
    println!(
        "engine, {what} ({edits}×, median {} pages rendered): median {:.1} ms wall, {:.1} ms CPU; steps (ms): {}; after the reload: feeds and data {:.1} ms",
        rendered[rendered.len() / 2],
        ms(median(&mut walls)),
        ms(median(&mut cpus)),
        step_medians.join(", "),
        ms(median(&mut later))
    );
}

fn median(list: &mut [Duration]) -> Duration {
    list.sort();
    list[list.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f`, returning its result and the CPU time the whole process spent meanwhile.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let before = cpu_time();
    let out = f();
    (out, cpu_time().saturating_sub(before))
}

/// User plus system CPU time of this process (all threads).
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    if rc != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Edits the letter `edits` times, waiting for each reload, and prints the
/// figures: a third of the edits change the body, a third the title, a third
/// a tag (which links the archive again), in that order.
fn run_edits(shared: &Shared, letter: &Path, edits: usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let original = fs::read_to_string(letter).expect("read the letter");
    let kinds = edit_kinds(&original);
    let mut rx = shared.subscribe();
    rx.borrow_and_update();
    let mut latencies: Vec<Vec<Duration>> = vec![Vec::new(); kinds.len()];
    let per_kind = edits.div_ceil(kinds.len());
    // Save to reload minus the rebuild itself: the watcher's debounce and the hand-over.
    let mut waits = Vec::with_capacity(edits);
    for n in 1..=edits {
        let kind = ((n - 1) / per_kind).min(kinds.len() - 1);
        let text = (kinds[kind].1)(n);
        let saved = Instant::now();
        fs::write(letter, text).expect("write the letter");
        let status = runtime.block_on(async {
            loop {
                tokio::time::timeout(Duration::from_secs(30), rx.changed())
                    .await
                    .expect("a reload within 30 s")
                    .expect("the preview runs");
                let s = rx.borrow_and_update().clone();
                if s.sent_at.is_some_and(|t| t > saved) {
                    return s;
                }
            }
        });
        assert!(
            status.errors.is_empty(),
            "edit {n} failed: {:?}",
            status.errors
        );
        let sent = status.sent_at.unwrap_or(saved);
        latencies[kind].push(sent.duration_since(saved));
        let engine = Duration::from_secs_f64(shared.stats().elapsed_ms / 1000.0);
        waits.push(sent.duration_since(saved).saturating_sub(engine));
        if n == 1 || n % 100 == 0 || n % per_kind == 0 {
            println!(
                "edit {n:>4}: VmRSS {} MiB, rendered {} pages, phases {}",
                rss_mib(),
                shared.stats().rendered_count,
                phases(shared)
            );
        }
    }
    fs::write(letter, &original).expect("restore the letter");
    println!(
        "of which waiting for the file to settle (debounce, hand-over): median {:.1} ms",
        ms(median(&mut waits))
    );
    for ((name, _), mut list) in kinds.iter().zip(latencies) {
        if list.is_empty() {
            continue;
        }
        list.sort();
        let at = |q: f64| list[((list.len() as f64 * q) as usize).min(list.len() - 1)];
        println!(
            "save → reload message, {name} ({} edits): median {:.1} ms, p95 {:.1} ms, max {:.1} ms (debounce included)",
            list.len(),
            ms(at(0.5)),
            ms(at(0.95)),
            ms(list[list.len() - 1])
        );
    }
}

type EditKind<'a> = (&'static str, Box<dyn Fn(usize) -> String + 'a>);

/// The edits the benchmark makes: the letter as it is after edit `n`.
fn edit_kinds(original: &str) -> Vec<EditKind<'_>> {
    vec![
        (
            "body edits",
            Box::new(move |n| format!("{original}\nBewerking {n}.\n")),
        ),
        (
            "title edits",
            Box::new(move |n| original.replacen("title: \"", &format!("title: \"({n}) "), 1)),
        ),
        (
            "tag edits",
            Box::new(move |n| {
                original.replacen("tags: [", &format!("tags: [bench-{}, ", n % 2), 1)
            }),
        ),
    ]
}

/// How many files the snapshot holds and how many bytes of them are in memory.
fn held(shared: &Shared) -> String {
    let Ok(snapshot) = shared.snapshot.read() else {
        return "?".into();
    };
    let bytes: usize = snapshot
        .paths()
        .filter_map(|p| match &snapshot.get(p)?.body {
            postkamer::serve::snapshot::Body::Bytes(b) => Some(b.len()),
            postkamer::serve::snapshot::Body::File(..) => None,
        })
        .sum();
    format!(
        "{} files, {:.0} MiB of them in memory",
        snapshot.len(),
        bytes as f64 / (1024.0 * 1024.0)
    )
}

fn phases(shared: &Shared) -> String {
    shared
        .stats()
        .phases_ms
        .iter()
        .map(|(name, ms)| format!("{name} {ms:.1}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Resident memory of this process, from /proc (Linux).
fn rss_mib() -> String {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or_else(|| "?".into(), |kb| format!("{:.0}", kb as f64 / 1024.0))
}
