//! The output half of issue 9 (hostile input): every case under
//! `tests/fixtures/hostile/render-*/` is a site folder with an `expect.toml`, built as
//! an attacker would (a fresh site, the files dropped in), then checked twice:
//! - generally, on every page, feed and export of the build: nothing executable, no
//!   `style`, no inline `<script>`/`<style>`, unique ids, every formula cell defused;
//! - specifically, by the selectors and CSV cells its `expect.toml` names.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::inert::{check_output, csv_cells, csv_problems, feed_problems, page_problems};
use common::{Fixture, files, select};
use scraper::Html;
use serde::Deserialize;

/// What a case expects, read from its `expect.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// The finding of issue 9 the case reproduces.
    finding: u32,
    what: String,
    /// `builds` or `refused` (then `error_contains` names the message).
    outcome: String,
    #[serde(default)]
    error_contains: Option<String>,
    #[serde(default)]
    page: Vec<PageExpect>,
    /// Cells `letters.csv` must hold, exactly.
    #[serde(default)]
    csv_cells: Vec<String>,
    /// Files renamed before the build: names the repository should not hold.
    #[serde(default)]
    rename: Vec<Rename>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageExpect {
    /// A page's URL, or `*` for every HTML page.
    url: String,
    #[serde(default)]
    present: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rename {
    from: String,
    to: String,
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .expect("tests/fixtures/hostile")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("render-"))
        })
        .collect();
    cases.sort();
    cases
}

/// A fresh site with the case's files dropped in.
fn site_of(case: &Path, expect: &Expect) -> Fixture {
    let f = Fixture::new();
    for rel in files(case) {
        if rel != Path::new("expect.toml") {
            let bytes = fs::read(case.join(&rel)).expect("read case file");
            f.write_bytes(&rel.to_string_lossy(), &bytes);
        }
    }
    for r in &expect.rename {
        fs::rename(f.root().join(&r.from), f.root().join(&r.to)).expect("rename");
    }
    f
}

#[test]
fn every_hostile_render_case_holds() {
    let cases = cases();
    assert!(cases.len() >= 7, "render cases missing: {cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        let text = fs::read_to_string(case.join("expect.toml")).expect("expect.toml");
        let expect: Expect =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/expect.toml: {e}"));
        let problems = run_case(case, &expect);
        if !problems.is_empty() {
            failures.push(format!(
                "{name} (finding {}: {}):\n  {}",
                expect.finding,
                expect.what,
                problems.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn run_case(case: &Path, expect: &Expect) -> Vec<String> {
    let f = site_of(case, expect);
    let built = f.build();
    match (expect.outcome.as_str(), built) {
        ("refused", Err(errors)) => {
            let needle = expect.error_contains.as_deref().unwrap_or_default();
            let found = errors.iter().any(|d| d.message.contains(needle));
            if found {
                Vec::new()
            } else {
                vec![format!("refused, but no error says {needle:?}: {errors:?}")]
            }
        }
        ("refused", Ok(_)) => vec!["built, but should have been refused".into()],
        ("builds", Err(errors)) => vec![format!("did not build: {errors:?}")],
        ("builds", Ok(_)) => {
            let mut problems = check_output(&f.public());
            problems.extend(check_expectations(&f, expect));
            problems
        }
        (other, _) => vec![format!("unknown outcome {other:?}")],
    }
}

/// The selectors and cells the case names.
fn check_expectations(f: &Fixture, expect: &Expect) -> Vec<String> {
    let mut problems = Vec::new();
    for page in &expect.page {
        let urls: Vec<String> = if page.url == "*" {
            html_files(&f.public())
                .iter()
                .map(|p| format!("/{}", p.display()))
                .collect()
        } else {
            vec![page.url.clone()]
        };
        for url in urls {
            let doc = Html::parse_document(&f.read(&url));
            for css in &page.present {
                if select(&doc, css).is_empty() {
                    problems.push(format!("{url}: nothing matches {css}"));
                }
            }
            for css in &page.absent {
                if !select(&doc, css).is_empty() {
                    problems.push(format!("{url}: {css} matches"));
                }
            }
        }
    }
    if !expect.csv_cells.is_empty() {
        let cells = csv_cells(&f.read("/data/letters.csv"));
        for want in &expect.csv_cells {
            if !cells.contains(want) {
                problems.push(format!("letters.csv has no cell {want:?}: {cells:?}"));
            }
        }
    }
    problems
}

fn html_files(public: &Path) -> Vec<PathBuf> {
    files(public)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// The general checks find what the issue found: run on the output the trial saw, they fail.
#[test]
fn the_checks_catch_what_the_trial_found() {
    let heading =
        "<h2 id=\"kop\" autofocus=\"\" tabindex=\"0\" onfocus=\"alert(document.domain)\">Kop</h2>";
    assert!(!page_problems(heading).is_empty());
    let exchange = "<section class=\"footnotes\" aria-label=\"Voetnoten bij brief 1, x\"><img src=x onerror=alert(document.domain)>\">";
    assert!(!page_problems(exchange).is_empty());
    let overlay = "<td style=\"position:fixed;top:0\">x</td>";
    assert!(!page_problems(&format!("<table><tr>{overlay}</tr></table>")).is_empty());
    let skip = "<main id=\"pk-main\"><h2 id=\"pk-main\">Kop</h2></main>";
    assert_eq!(page_problems(skip), ["id \"pk-main\" twice"]);
    let feed = "<content type=\"html\">&lt;h2 onfocus=&quot;alert(1)&quot;&gt;</content>";
    assert!(!feed_problems(feed).is_empty());
    let csv = "dossier,title\n=1+1,\"\t=1+1\"\n";
    assert_eq!(csv_problems(csv).len(), 2);
    assert!(csv_problems("dossier,title\n'=1+1,Brief\n").is_empty());
}
