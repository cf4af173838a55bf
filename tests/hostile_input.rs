//! The hostile-input corpus of issue 9, input half: every case under
//! `tests/fixtures/hostile/input-*/` is a site folder with an `expect.toml`
//! that says what `build` and `check` must do with it.
//!
//! A case is copied to a temp folder (its symbolic links are made there, as
//! `expect.toml` lists them, so the repository holds none), then built and
//! checked with the real binary. Either both fail, printing every expected
//! message (file:line:col included) and never panicking, or the build
//! succeeds and no output file holds what must not be published.
//!
//! `expect.toml`:
//! ```toml
//! issue = "9.3: attachments follow symlinks"
//! outcome = "error"                     # or "ok"
//! messages = ["content/10001/A.md:7:14: attachment `env.txt`"]
//! absent = ["OUTSIDE-SECRET"]           # text no output file may contain
//! present = ["dossiers/10001/a/x.pdf"]  # output files that must exist
//! [[symlink]]                           # made before the build
//! path = "content/10001/env.txt"
//! target = "/proc/self/environ"         # {outside}: a folder beside the site
//! ```

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    issue: String,
    outcome: Outcome,
    #[serde(default)]
    messages: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    present: Vec<String>,
    #[serde(default)]
    symlink: Vec<Link>,
    /// Extra arguments for `build` (`--output`, say); `check` gets none.
    #[serde(default)]
    build_args: Vec<String>,
}

#[derive(Deserialize, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Error,
    Ok,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Link {
    path: String,
    target: String,
}

/// What every case's outside folder holds: a secret that must never be published.
const SECRET: &str = "OUTSIDE-SECRET-9f3c";

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/fixtures/hostile")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("input-"))
        })
        .collect();
    cases.sort();
    cases
}

/// A copy of one case: `site/` is the site, `outside/` a folder beside it with a secret.
struct Prepared {
    _dir: tempfile::TempDir,
    site: PathBuf,
    expect: Expect,
}

fn prepare(case: &Path) -> Prepared {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let outside = dir.path().join("outside");
    fs::create_dir_all(outside.join("letters")).expect("outside");
    fs::write(outside.join("secret.txt"), SECRET).expect("secret");
    fs::write(
        outside.join("letters/X.md"),
        format!("---\ndossier: \"10009\"\ndate: 2026-01-05\nfrom: A\nto: B\n---\n{SECRET}\n"),
    )
    .expect("outside letter");
    // A valid configuration beside the site: a site.toml linked to it must still be refused.
    fs::write(
        outside.join("site.toml"),
        common::SITE_TOML.replace("Testarchief", SECRET),
    )
    .expect("outside site.toml");
    common::copy_dir(case, &site);
    let expect_file = site.join("expect.toml");
    let text = fs::read_to_string(&expect_file).expect("expect.toml");
    fs::remove_file(&expect_file).expect("remove expect.toml");
    let expect: Expect =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
    let links_site_toml = expect.symlink.iter().any(|l| l.path == "site.toml");
    if !links_site_toml && !site.join("site.toml").exists() {
        fs::write(site.join("site.toml"), common::SITE_TOML).expect("site.toml");
    }
    for link in &expect.symlink {
        let target = link
            .target
            .replace("{outside}", &outside.to_string_lossy())
            .replace("{site}", &site.to_string_lossy());
        let path = site.join(&link.path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(target, &path).expect("symlink");
    }
    Prepared {
        _dir: dir,
        site,
        expect,
    }
}

fn run(site: &Path, command: &str, extra: &[String]) -> Output {
    common::postkamer()
        .arg(command)
        .arg("--root")
        .arg(site)
        .args(["--today", "2026-11-28"])
        .args(extra)
        .output()
        .expect("run postkamer")
}

/// Checks one case; returns what is wrong with it, if anything.
fn verify(case: &Path) -> Vec<String> {
    let name = case.file_name().unwrap_or_default().to_string_lossy();
    let p = prepare(case);
    let mut wrong = Vec::new();
    let build = run(&p.site, "build", &p.expect.build_args);
    let check = run(&p.site, "check", &[]);
    for (command, out) in [("build", &build), ("check", &check)] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let said = format!("{stderr}{}", String::from_utf8_lossy(&out.stdout));
        if out.status.code() == Some(101) || said.contains("panicked") {
            wrong.push(format!("{name}: {command} panicked:\n{said}"));
            continue;
        }
        // Terminal output never carries raw control characters (issue 9.8).
        if let Some(c) = said
            .chars()
            .find(|c| c.is_control() && *c != '\n' && *c != '\t')
        {
            wrong.push(format!(
                "{name}: {command} printed the control character {c:?}"
            ));
        }
        let failed = !out.status.success();
        let build_only = command == "check" && !p.expect.build_args.is_empty();
        match p.expect.outcome {
            Outcome::Error if build_only => {}
            Outcome::Error if !failed => wrong.push(format!(
                "{name} ({}): {command} succeeded, expected an error:\n{said}",
                p.expect.issue
            )),
            Outcome::Ok if failed => wrong.push(format!(
                "{name} ({}): {command} failed:\n{said}",
                p.expect.issue
            )),
            _ => {}
        }
        if p.expect.outcome == Outcome::Error && !build_only {
            for m in &p.expect.messages {
                if !said.contains(m.as_str()) {
                    wrong.push(format!("{name}: {command} did not say `{m}`:\n{said}"));
                }
            }
        }
    }
    let public = p.site.join("public");
    for rel in &p.expect.present {
        if !public.join(rel).is_file() {
            wrong.push(format!("{name}: public/{rel} is missing"));
        }
    }
    let mut published = common::files(&p.site);
    published.retain(|f| !f.starts_with("content") && !f.starts_with("static"));
    for file in published {
        let bytes = fs::read(p.site.join(&file)).unwrap_or_default();
        // Text output only: the search index is gzipped binary.
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        for needle in p.expect.absent.iter().map(String::as_str).chain([SECRET]) {
            if text.contains(needle) {
                wrong.push(format!("{name}: {} holds `{needle}`", file.display()));
            }
        }
    }
    wrong
}

#[test]
fn every_hostile_input_case_has_its_expected_outcome() {
    let cases = cases();
    assert!(!cases.is_empty(), "no input-* cases found");
    let wrong: Vec<String> = cases.iter().flat_map(|c| verify(c)).collect();
    assert!(
        wrong.is_empty(),
        "{} of {} cases went wrong:\n\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n\n")
    );
}
