//! Atomic, deterministic, minimal-diff output.

mod common;

use std::fs;
use std::os::unix::fs::MetadataExt;

use common::{Fixture, files, letter};

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Fixture::example();
    site.build().expect("first build");
    let before: Vec<_> = files(&site.public())
        .into_iter()
        .map(|p| (fs::read(site.public().join(&p)).unwrap(), p))
        .collect();
    site.write("content/37104/F.md", "---\ndossier: [\n---\n");
    assert!(site.build().is_err());
    let after: Vec<_> = files(&site.public())
        .into_iter()
        .map(|p| (fs::read(site.public().join(&p)).unwrap(), p))
        .collect();
    assert_eq!(before, after);
    let leftovers: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert!(
        !leftovers
            .iter()
            .any(|n| n.to_string_lossy().contains("staging")),
        "{leftovers:?}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let a = Fixture::example();
    let b = Fixture::example();
    a.build().expect("a");
    b.build().expect("b");
    let (fa, fb) = (files(&a.public()), files(&b.public()));
    assert_eq!(fa, fb);
    for f in fa {
        assert_eq!(
            fs::read(a.public().join(&f)).unwrap(),
            fs::read(b.public().join(&f)).unwrap(),
            "{}",
            f.display()
        );
    }
}

#[test]
fn source_date_epoch_sets_the_build_date() {
    let site = Fixture::example();
    let out = common::postkamer()
        .arg("build")
        .env("SOURCE_DATE_EPOCH", "1767225600") // 2026-01-01
        .current_dir(site.root())
        .output()
        .unwrap();
    common::assert_success(&out);
    assert!(site.read("/").contains("Bijgewerkt op 1 januari 2026"));
}

#[test]
fn a_rebuild_without_changes_writes_no_file() {
    let site = Fixture::example();
    site.build().expect("first");
    let stamp = |s: &Fixture| -> Vec<(std::path::PathBuf, u64, i64)> {
        files(&s.public())
            .into_iter()
            .map(|p| {
                let m = fs::metadata(s.public().join(&p)).unwrap();
                (p, m.ino(), m.mtime_nsec() + m.mtime() * 1_000_000_000)
            })
            .collect()
    };
    let before = stamp(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build().expect("second");
    let after = stamp(&site);
    let changed: Vec<_> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    assert!(
        changed.is_empty() && before.len() == after.len(),
        "rewritten: {changed:?}"
    );
}

#[test]
fn a_rebuild_rewrites_only_what_changed() {
    let site = Fixture::new();
    site.write(
        "content/1/A.md",
        &letter("1", "A", "2025-01-10", "", "Eerste."),
    );
    site.write(
        "content/2/A.md",
        &letter("2", "A", "2025-01-11", "", "Tweede."),
    );
    site.build().expect("first");
    let ino = |rel: &str| fs::metadata(site.public().join(rel)).unwrap().ino();
    let untouched = ino("dossiers/1/a/index.html");
    let edited = ino("dossiers/2/a/index.html");
    site.write(
        "content/2/A.md",
        &letter("2", "A", "2025-01-11", "", "Tweede, herzien."),
    );
    site.build().expect("second");
    assert_eq!(ino("dossiers/1/a/index.html"), untouched);
    assert_ne!(ino("dossiers/2/a/index.html"), edited);
}

#[test]
fn a_folder_postkamer_did_not_write_is_never_replaced() {
    let site = Fixture::example();
    site.write("public/scriptie.docx", "mijn werk");
    assert!(site.build().is_err());
    assert_eq!(
        fs::read_to_string(site.public().join("scriptie.docx")).unwrap(),
        "mijn werk"
    );
}

#[test]
fn output_flag_and_new_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("nieuw");
    let out = common::postkamer().arg("new").arg(&root).output().unwrap();
    common::assert_success(&out);
    let target = dir.path().join("uit");
    let out = common::postkamer()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&target)
        .output()
        .unwrap();
    common::assert_success(&out);
    assert!(target.join("dossiers/10001/a/index.html").is_file());
    let again = common::postkamer().arg("new").arg(&root).output().unwrap();
    assert!(!again.status.success(), "new must not overwrite a site");
}

/// Scripts and CI logs get no progress bar (stderr is not a terminal) and `--quiet` leaves out
/// the summary line too, while problems are still reported.
#[test]
fn a_build_without_a_terminal_or_with_quiet_prints_no_progress() {
    let f = Fixture::new();
    f.write(
        "content/36521/A.md",
        &letter("36521", "A", "2025-11-19", "in_reply_to: \"Z\"\n", "Tekst."),
    );
    let out = common::postkamer()
        .args(["build", "--root"])
        .arg(f.root())
        .output()
        .unwrap();
    common::assert_success(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("writing pages"),
        "no bar without a terminal: {stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Built 1 letters"));

    let quiet = common::postkamer()
        .args(["build", "--quiet", "--root"])
        .arg(f.root())
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert!(quiet.stdout.is_empty(), "--quiet prints no summary");
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(
        stderr.contains("in_reply_to"),
        "warnings still show: {stderr}"
    );
}
