//! Postkamer beside its peers (`cargo bench --bench peers [N ...]`).
//!
//! Generates a corpus with the project's own generator (`benches/common/corpus.rs`, cached under
//! `target/bench/corpus-N/`), builds it with the release binary, then builds the same letters with
//! every peer found on the PATH: Zola, Zola followed by Pagefind (search over Zola's output, as
//! postkamer's build includes search) and Hugo. Their minimal template sets live in
//! `benches/peers/<peer>/`; the letters are converted to each peer's content layout (TOML front
//! matter, a section per dossier, tags as a taxonomy) under `target/bench/peers-N/<peer>/`.
//!
//! Prints one line per build (wall time, the child's peak memory, files and bytes written) and
//! each peer's ratio to postkamer. A peer that is not on the PATH is reported as skipped; one that
//! fails is reported with the end of its output. Sizes: arguments, else `POSTKAMER_BENCH_SIZES`,
//! else 10000. The machine is noisy: compare the ratios, not the seconds.

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/sizes.rs"]
mod sizes;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The generator's seed, the same as `benches/build.rs`: both benches share the cached corpora.
const SEED: u64 = 36521;

fn main() {
    // `cargo test --all-targets` runs this file too; only `cargo bench` passes --bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for n in sizes::sizes(&[10_000]) {
        let site = match site_with_corpus(manifest, n) {
            Ok(site) => site,
            Err(e) => {
                println!("{n} letters: cannot generate the corpus: {e}");
                continue;
            }
        };
        println!("\n== {n} letters ({}) ==", site.display());
        compare(manifest, &site, n);
    }
}

/// The cached corpus of `n` letters, generated when missing.
fn site_with_corpus(manifest: &Path, n: usize) -> std::io::Result<PathBuf> {
    let dir = manifest.join("target/bench").join(format!("corpus-{n}"));
    if !dir.join("content").is_dir() {
        corpus::generate(n, SEED, &dir)?;
    }
    fs::write(
        dir.join("site.toml"),
        "title = \"Benchmark\"\nbase_url = \"https://example.org/archief/\"\n[archive]\nchamber = \"I\"\n",
    )?;
    Ok(dir)
}

/// Builds the corpus with postkamer and each peer on the PATH, printing figures and ratios.
fn compare(manifest: &Path, site: &Path, n: usize) {
    let public = site.join("public");
    let _ = fs::remove_dir_all(&public);
    let mut postkamer = Command::new(env!("CARGO_BIN_EXE_postkamer"));
    postkamer.args(["build", "--quiet", "--root"]).arg(site);
    postkamer.args(["--today", "2026-11-28"]);
    let Some(base) = measure(
        "postkamer build (search included)",
        postkamer,
        site,
        &public,
    ) else {
        println!("postkamer failed; no ratios");
        return;
    };
    base.print(None);

    let work = manifest.join("target/bench").join(format!("peers-{n}"));
    let zola = on_path("zola");
    let pagefind = on_path("pagefind");
    match &zola {
        Some(zola) => {
            if let Some(built) = run_peer(manifest, site, &work, Peer::Zola, zola) {
                built.print(Some(&base));
                match &pagefind {
                    Some(pagefind) => {
                        let dir = work.join("zola");
                        let mut cmd = Command::new(pagefind);
                        cmd.arg("--site").arg(dir.join("public"));
                        let searched = measure(
                            "pagefind over Zola's output",
                            cmd,
                            &dir,
                            &dir.join("public"),
                        );
                        if let Some(searched) = searched {
                            searched.print(Some(&base));
                            built.then(&searched, "Zola + Pagefind").print(Some(&base));
                        }
                    }
                    None => println!("skipped: pagefind not on PATH"),
                }
            }
        }
        None => {
            println!("skipped: zola not on PATH");
            if pagefind.is_some() {
                println!("skipped: pagefind (it indexes Zola's output, and zola is not on PATH)");
            } else {
                println!("skipped: pagefind not on PATH");
            }
        }
    }
    match on_path("hugo") {
        Some(hugo) => {
            if let Some(built) = run_peer(manifest, site, &work, Peer::Hugo, &hugo) {
                built.print(Some(&base));
            }
        }
        None => println!("skipped: hugo not on PATH"),
    }
}

/// Converts the corpus for `peer` and builds it with `program`.
fn run_peer(
    manifest: &Path,
    site: &Path,
    work: &Path,
    peer: Peer,
    program: &Path,
) -> Option<Measured> {
    let (name, folder) = match peer {
        Peer::Zola => ("Zola", "zola"),
        Peer::Hugo => ("Hugo", "hugo"),
    };
    let dir = work.join(folder);
    if let Err(e) = prepare(manifest, site, &dir, peer) {
        println!("{name}: cannot prepare its site in {}: {e}", dir.display());
        return None;
    }
    let public = dir.join("public");
    let _ = fs::remove_dir_all(&public);
    let mut cmd = Command::new(program);
    match peer {
        Peer::Zola => cmd.arg("--root").arg(&dir).arg("build"),
        Peer::Hugo => cmd
            .args(["--quiet", "--source"])
            .arg(&dir)
            .arg("--destination")
            .arg(&public),
    };
    measure(&format!("{name} {}", version(program)), cmd, &dir, &public)
}

/// The first line a peer prints for `--version` (`version` for Hugo), shortened.
fn version(program: &Path) -> String {
    let hugo = program.file_name().is_some_and(|f| f == "hugo");
    let arg = if hugo { "version" } else { "--version" };
    let out = Command::new(program).arg(arg).output();
    let text = out
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    // "zola 0.22.1", "pagefind 1.6.0", "hugo v0.111.3+extended linux/amd64 ..."
    text.split_whitespace()
        .nth(1)
        .map(|v| {
            v.trim_start_matches('v')
                .split('+')
                .next()
                .unwrap_or(v)
                .to_string()
        })
        .unwrap_or_default()
}

/// An executable called `name` in a folder of the PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| {
            use std::os::unix::fs::PermissionsExt as _;
            fs::metadata(candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// One timed build.
struct Measured {
    what: String,
    secs: f64,
    /// The child's peak resident memory in KiB (the largest of several steps when combined).
    peak_kib: i64,
    files: usize,
    bytes: u64,
}

impl Measured {
    /// This build followed by `next` (times add up, memory is the larger peak, output is `next`'s).
    fn then(&self, next: &Measured, what: &str) -> Measured {
        Measured {
            what: what.to_string(),
            secs: self.secs + next.secs,
            peak_kib: self.peak_kib.max(next.peak_kib),
            files: next.files,
            bytes: next.bytes,
        }
    }

    fn print(&self, base: Option<&Measured>) {
        let mut line = format!(
            "{:<36} {:>8.2} s  peak {:>6} MB  {:>8} files {:>7} MB",
            self.what,
            self.secs,
            self.peak_kib / 1024,
            self.files,
            self.bytes / 1_000_000
        );
        if let Some(base) = base {
            let _ = write!(
                line,
                "  time ×{:.1}, memory ×{:.1} of postkamer's",
                self.secs / base.secs,
                self.peak_kib as f64 / base.peak_kib.max(1) as f64
            );
        }
        println!("{line}");
    }
}

/// Runs `cmd` in `dir` with its output going to a log there; reports a failure with the log's end.
// `wait4` reaps the child: std's `wait` cannot return its rusage.
#[allow(clippy::zombie_processes)]
fn measure(what: &str, mut cmd: Command, dir: &Path, public: &Path) -> Option<Measured> {
    let log_path = dir.join("bench-peers.log");
    let log = fs::File::create(&log_path).and_then(|f| Ok((f.try_clone()?, f)));
    let Ok((out, err)) = log else {
        println!("{what}: cannot write {}", log_path.display());
        return None;
    };
    cmd.current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    let started = Instant::now();
    let child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            println!("{what}: failed to start: {e}");
            return None;
        }
    };
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; both out-pointers are valid for writes.
    let reaped = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let secs = started.elapsed().as_secs_f64();
    let exited_well = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    if reaped < 0 || !exited_well {
        let text = fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(8).collect();
        println!("{what}: FAILED after {secs:.2} s (wait status {status}); its output ends:");
        for line in tail.iter().rev() {
            println!("    {line}");
        }
        return None;
    }
    let (files, bytes) = output_size(public);
    Some(Measured {
        what: what.to_string(),
        secs,
        peak_kib: usage.ru_maxrss,
        files,
        bytes,
    })
}

fn output_size(dir: &Path) -> (usize, u64) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(files, bytes), e| {
            (
                files + 1,
                bytes + e.metadata().map(|m| m.len()).unwrap_or(0),
            )
        })
}

#[derive(Clone, Copy, PartialEq)]
enum Peer {
    Zola,
    Hugo,
}

/// Makes `dir` a site of `peer`: its config and templates from `benches/peers/`, and the corpus's
/// letters in its content layout. Letters already converted for this corpus are kept.
fn prepare(manifest: &Path, site: &Path, dir: &Path, peer: Peer) -> Result<(), String> {
    let folder = dir.file_name().unwrap_or_default();
    copy_tree(&manifest.join("benches/peers").join(folder), dir).map_err(|e| e.to_string())?;
    let done = dir.join("content/.converted");
    if done.is_file() {
        return Ok(());
    }
    let _ = fs::remove_dir_all(dir.join("content"));
    let source = site.join("content");
    let mut dossiers: Vec<PathBuf> = fs::read_dir(&source)
        .map_err(|e| format!("{}: {e}", source.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dossiers.sort();
    for dossier in dossiers {
        let number = dossier.file_name().unwrap_or_default().to_string_lossy();
        let target = dir.join("content").join(&*number);
        fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
        let sort = if peer == Peer::Zola {
            "sort_by = \"date\"\n"
        } else {
            ""
        };
        let index = format!("+++\ntitle = \"Dossier {number}\"\n{sort}+++\n");
        fs::write(target.join("_index.md"), index).map_err(|e| e.to_string())?;
        for letter in fs::read_dir(&dossier).map_err(|e| e.to_string())? {
            let path = letter.map_err(|e| e.to_string())?.path();
            if path.extension().is_none_or(|x| x != "md") {
                continue;
            }
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let converted = convert(&text, peer).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path.file_name().unwrap_or_default();
            fs::write(target.join(name), converted).map_err(|e| e.to_string())?;
        }
    }
    fs::write(done, "").map_err(|e| e.to_string())
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let relative = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// A generated letter (YAML front matter, `benches/common/corpus.rs`) with its front matter in
/// TOML for `peer`: Zola wants tags under `[taxonomies]` and the rest under `[extra]`; Hugo takes
/// them at the top. The generator writes YAML double-quoted scalars that escape only `"` and `\`,
/// which are TOML basic strings as they stand.
fn convert(text: &str, peer: Peer) -> Result<String, String> {
    let rest = text
        .strip_prefix("---\n")
        .ok_or("no front matter at the top")?;
    let (front, body) = rest
        .split_once("\n---\n")
        .ok_or("front matter without its closing ---")?;
    let mut top = String::new();
    let mut tags = String::new();
    let mut extra = String::new();
    for (line_no, line) in front.lines().enumerate() {
        let at = |e: &str| format!("front matter line {}: {e}", line_no + 2);
        let (key, value) = line
            .split_once(": ")
            .ok_or_else(|| at("expected `key: value`"))?;
        match key {
            "title" => writeln!(top, "title = {}", quoted(value).map_err(|e| at(&e))?),
            "date" => writeln!(top, "date = {}", date(value).map_err(|e| at(&e))?),
            "dossier" | "letter" | "in_reply_to" => {
                writeln!(extra, "{key} = {}", quoted(value).map_err(|e| at(&e))?)
            }
            // Hugo gives `kind` a meaning of its own.
            "kind" => writeln!(
                extra,
                "letter_kind = \"{}\"",
                word(value).map_err(|e| at(&e))?
            ),
            "reply_due" => writeln!(extra, "reply_due = {}", date(value).map_err(|e| at(&e))?),
            "from" | "to" => writeln!(
                extra,
                "{key} = {}",
                inline_table(value).map_err(|e| at(&e))?
            ),
            "tags" => writeln!(tags, "tags = {}", tag_list(value).map_err(|e| at(&e))?),
            other => return Err(at(&format!("unknown key `{other}`"))),
        }
        .map_err(|e| e.to_string())?;
    }
    let front = match peer {
        Peer::Zola => format!("{top}\n[taxonomies]\n{tags}\n[extra]\n{extra}"),
        Peer::Hugo => format!("{top}{tags}{extra}"),
    };
    Ok(format!("+++\n{front}+++\n{body}"))
}

/// A double-quoted scalar as it stands, checked to be one whole string.
fn quoted(value: &str) -> Result<&str, String> {
    let (string, rest) = split_quoted(value)?;
    if rest.is_empty() {
        Ok(string)
    } else {
        Err(format!("text after the quoted string: `{rest}`"))
    }
}

/// Splits a leading double-quoted string (quotes included) from the rest.
fn split_quoted(value: &str) -> Result<(&str, &str), String> {
    if !value.starts_with('"') {
        return Err(format!("expected a quoted string, found `{value}`"));
    }
    let mut escaped = false;
    for (i, c) in value.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Ok((&value[..=i], &value[i + 1..])),
            _ => {}
        }
    }
    Err(format!("unterminated string `{value}`"))
}

fn date(value: &str) -> Result<&str, String> {
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    let shape = value.len() == 10 && digits == 8 && &value[4..5] == "-" && &value[7..8] == "-";
    if shape {
        Ok(value)
    } else {
        Err(format!("expected a date YYYY-MM-DD, found `{value}`"))
    }
}

/// A plain word (`[a-z0-9_-]+`), the generator's shape for kinds and tags.
fn word(value: &str) -> Result<&str, String> {
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if plain {
        Ok(value)
    } else {
        Err(format!("expected a plain word, found `{value}`"))
    }
}

/// `[a, b-c]` → `["a", "b-c"]`.
fn tag_list(value: &str) -> Result<String, String> {
    let inner = value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .ok_or_else(|| format!("expected a [list], found `{value}`"))?;
    let tags: Vec<String> = inner
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| word(t).map(|t| format!("\"{t}\"")))
        .collect::<Result<_, _>>()?;
    Ok(format!("[{}]", tags.join(", ")))
}

/// `{ name: "A", role: "B" }` → `{ name = "A", role = "B" }`.
fn inline_table(value: &str) -> Result<String, String> {
    let mut rest = value
        .strip_prefix("{ ")
        .ok_or_else(|| format!("expected `{{ key: \"value\", ... }}`, found `{value}`"))?;
    let mut pairs = Vec::new();
    loop {
        let (key, after) = rest
            .split_once(": ")
            .ok_or_else(|| format!("expected `key: \"value\"` in `{value}`"))?;
        let key = word(key)?;
        let (string, after) = split_quoted(after)?;
        pairs.push(format!("{key} = {string}"));
        if after == " }" {
            return Ok(format!("{{ {} }}", pairs.join(", ")));
        }
        rest = after
            .strip_prefix(", ")
            .ok_or_else(|| format!("expected `, ` or ` }}` after {string} in `{value}`"))?;
    }
}
