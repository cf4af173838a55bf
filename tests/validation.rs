//! One fixture per error and warning: each names the file, line and what is wrong.

mod common;

use common::{Fixture, letter, select, texts};
use postkamer::diagnostic::{Diagnostic, Diagnostics};

fn good(f: &Fixture) {
    f.write(
        "content/1/A.md",
        &letter("1", "A", "2025-01-10", "kind: question\n", "Vragen."),
    );
}

fn errors_of(f: &Fixture) -> Vec<Diagnostic> {
    match f.build() {
        Ok(report) => panic!("build should fail, warnings: {}", report.diagnostics),
        Err(d) => d.into_vec(),
    }
}

fn warnings_of(f: &Fixture) -> Diagnostics {
    f.build()
        .unwrap_or_else(|d| panic!("build should pass: {d}"))
        .diagnostics
}

fn assert_one(list: &[Diagnostic], file: &str, line: usize, needle: &str) {
    assert!(
        list.iter().any(|d| d.path.to_string_lossy() == file
            && d.line() == Some(line)
            && d.message.contains(needle)
            && d.help.is_some()),
        "no diagnostic at {file}:{line} containing {needle:?} in:\n{}",
        list.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn invalid_yaml() {
    let f = Fixture::new();
    f.write(
        "content/1/B.md",
        "---\ndossier: \"1\"\ndate: 2025-01-10\nfrom: [a, b\nto: x\n---\n",
    );
    assert_one(&errors_of(&f), "content/1/B.md", 5, "invalid YAML");
}

#[test]
fn missing_front_matter() {
    let f = Fixture::new();
    f.write("content/1/B.md", "Geachte heer,\n");
    assert_one(&errors_of(&f), "content/1/B.md", 1, "no front matter");
}

#[test]
fn unterminated_front_matter() {
    let f = Fixture::new();
    f.write("content/1/B.md", "---\ndossier: \"1\"\ndate: 2025-01-10\n");
    assert_one(&errors_of(&f), "content/1/B.md", 1, "not closed");
}

#[test]
fn empty_file() {
    let f = Fixture::new();
    f.write("content/1/B.md", "");
    assert_one(&errors_of(&f), "content/1/B.md", 1, "empty");
}

#[test]
fn invalid_utf8() {
    let f = Fixture::new();
    f.write_bytes(
        "content/1/B.md",
        b"---\ndossier: \"1\"\ntitle: \"caf\xe9\"\n---\n",
    );
    assert_one(&errors_of(&f), "content/1/B.md", 3, "not valid UTF-8");
}

#[test]
fn missing_required_keys_are_reported_together() {
    let f = Fixture::new();
    f.write(
        "content/1/B.md",
        "---\ntitle: \"Zonder alles\"\n---\nTekst.\n",
    );
    let errors = errors_of(&f);
    for key in ["`dossier`", "`date`", "`from`", "`to`"] {
        assert_one(&errors, "content/1/B.md", 1, key);
    }
}

#[test]
fn impossible_date() {
    let f = Fixture::new();
    f.write("content/1/B.md", &letter("1", "B", "2025-02-30", "", ""));
    assert_one(&errors_of(&f), "content/1/B.md", 4, "not a real date");
}

#[test]
fn duplicate_letter_ids_in_a_dossier() {
    let f = Fixture::new();
    good(&f);
    f.write(
        "content/1/A-kopie.md",
        &letter("1", "A", "2025-01-11", "", ""),
    );
    assert_one(
        &errors_of(&f),
        "content/1/A-kopie.md",
        1,
        "already has a letter `A` in content/1/A.md",
    );
}

#[test]
fn two_files_claiming_one_url() {
    let f = Fixture::new();
    f.write(
        "content/1/K_1.md",
        &letter("1", "K_1", "2025-01-11", "", ""),
    );
    f.write(
        "content/1/K-1.md",
        &letter("1", "K-1", "2025-01-12", "", ""),
    );
    assert_one(
        &errors_of(&f),
        "content/1/K-1.md",
        1,
        "claims the URL /dossiers/1/k-1/",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let f = Fixture::new();
    good(&f);
    f.write("content/1/B.md", "");
    f.write("content/2/C.md", &letter("2", "C", "2025-13-01", "", ""));
    f.write("content/3/D.md", "Geen front matter\n");
    let errors = errors_of(&f);
    assert_eq!(
        errors.iter().filter(|d| d.is_error()).count(),
        3,
        "{errors:?}"
    );
}

#[test]
fn reply_to_a_missing_letter_is_a_warning_and_the_page_says_so() {
    let f = Fixture::new();
    good(&f);
    f.write(
        "content/1/B.md",
        &letter("1", "B", "2025-02-01", "in_reply_to: \"Z\"\n", "Antwoord."),
    );
    let w: Vec<Diagnostic> = warnings_of(&f).into_vec();
    assert_one(&w, "content/1/B.md", 7, "`Z`, which is not in the archive");
    let page = f.page("/dossiers/1/b/");
    assert_eq!(
        texts(&page, ".reply-links .missing"),
        ["Z (staat niet in dit archief)"]
    );
}

#[test]
fn reply_dated_before_its_letter_is_a_warning() {
    let f = Fixture::new();
    good(&f);
    f.write(
        "content/1/B.md",
        &letter("1", "B", "2024-12-01", "in_reply_to: \"A\"\n", ""),
    );
    assert_one(
        &warnings_of(&f).into_vec(),
        "content/1/B.md",
        4,
        "dated later",
    );
}

#[test]
fn misspelt_key_stops_the_build_with_a_suggestion() {
    let f = Fixture::new();
    good(&f);
    f.write(
        "content/1/B.md",
        &letter(
            "1",
            "B",
            "2025-02-01",
            "in_reply_too: \"A\"\nkind: answer\n",
            "",
        ),
    );
    assert_one(
        &errors_of(&f),
        "content/1/B.md",
        7,
        "did you mean `in_reply_to`?",
    );
    assert!(!f.public().exists(), "nothing is published");
}

#[test]
fn reply_due_before_the_letter_is_an_error() {
    let f = Fixture::new();
    f.write(
        "content/1/A.md",
        &letter("1", "A", "2025-01-10", "reply_due: 2025-01-09\n", ""),
    );
    assert_one(
        &errors_of(&f),
        "content/1/A.md",
        7,
        "before the letter's own date",
    );
}

#[test]
fn an_answer_to_nothing_or_from_someone_not_addressed_is_a_warning() {
    let f = Fixture::new();
    good(&f);
    f.write(
        "content/1/B.md",
        &letter("1", "B", "2025-02-01", "kind: answer\n", ""),
    );
    // The fixture's letters all come from the committee: this one answers its own question.
    f.write(
        "content/1/C.md",
        &letter(
            "1",
            "C",
            "2025-02-01",
            "in_reply_to: \"A\"\nkind: answer\n",
            "",
        ),
    );
    let w = warnings_of(&f).into_vec();
    assert_one(&w, "content/1/B.md", 7, "no `in_reply_to`");
    assert_one(&w, "content/1/C.md", 7, "does not come from its addressee");
}

#[test]
fn strict_makes_warnings_fatal() {
    let f = Fixture::new();
    good(&f);
    f.write(
        "content/1/B.md",
        &letter("1", "B", "2025-02-01", "in_reply_to: \"Z\"\n", ""),
    );
    let options = postkamer::BuildOptions {
        strict: true,
        ..f.options()
    };
    assert!(postkamer::build(&options).is_err());
    assert!(!f.public().exists(), "a failed build wrote output");
}

#[test]
fn missing_attachment_and_escaping_paths_are_errors() {
    let f = Fixture::new();
    f.write(
        "content/1/A.md",
        &letter("1", "A", "2025-01-10", "attachments: [bijlage.pdf]\n", ""),
    );
    f.write(
        "content/1/B.md",
        &letter(
            "1",
            "B",
            "2025-01-10",
            "attachments: [\"../../geheim.txt\"]\n",
            "",
        ),
    );
    let errors = errors_of(&f);
    assert_one(
        &errors,
        "content/1/A.md",
        7,
        "`bijlage.pdf` is not beside the letter",
    );
    assert_one(&errors, "content/1/B.md", 7, "points outside");
}

#[test]
fn unknown_site_toml_key_is_named() {
    let f = Fixture::new();
    good(&f);
    f.write("site.toml", "title = \"x\"\nlanguge = \"en\"\n");
    assert_one(
        &errors_of(&f),
        &f.root().join("site.toml").to_string_lossy(),
        2,
        "languge",
    );
}

#[test]
fn check_reports_and_writes_nothing() {
    let f = Fixture::new();
    good(&f);
    f.write("content/1/B.md", &letter("1", "B", "2025-02-30", "", ""));
    let out = f.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/1/B.md:4:7"), "{stderr}");
    assert!(!f.public().exists());
    let page_count = select(&scraper::Html::parse_document("<p></p>"), "p").len();
    assert_eq!(page_count, 1);
}

#[test]
fn aliases_redirect_and_may_not_cover_a_page() {
    let f = Fixture::new();
    f.write(
        "content/1/A.md",
        &letter("1", "A", "2025-01-10", "aliases: [\"/oud/brief-a/\"]\n", ""),
    );
    f.build().expect("builds");
    let page = f.page("/oud/brief-a/");
    assert_eq!(
        select(
            &page,
            "meta[http-equiv=refresh][content='0; url=/dossiers/1/a/']"
        )
        .len(),
        1
    );
    f.write(
        "content/1/B.md",
        &letter("1", "B", "2025-01-11", "aliases: [\"dossiers/1\"]\n", ""),
    );
    assert_one(
        &errors_of(&f),
        "content/1/B.md",
        7,
        "the alias `/dossiers/1/` of content/1/B.md (/dossiers/1/index.html) and the dossier page of content/1/A.md (/dossiers/1/index.html) claim the same URL",
    );
}
