//! `postkamer import` run as a user runs it: the fixtures of tests/import/ into a
//! copy of the small site beside them, then checked and built.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{assert_success, copy_dir, postkamer};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import")
}

/// A copy of tests/import/site, which holds letter B of dossier 37555 (12 januari 2026).
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join("site"), dir.path());
    dir
}

fn import(root: &Path, args: &[&str]) -> Output {
    postkamer()
        .arg("import")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("run postkamer import")
}

fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

fn without_hash(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("import_hash: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn expected(source: &str) -> String {
    fs::read_to_string(fixtures().join("letter.expected.md"))
        .expect("expected letter")
        .replace("letter.txt", source)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn text_fixture_becomes_the_letter_written_by_hand_and_builds() {
    let site = site();
    let out = import(site.path(), &[&fixture("letter.txt")]);
    assert_success(&out);
    let letter = site.path().join("content/37555/letter.md");
    let written = fs::read_to_string(&letter).expect("letter written");
    assert_eq!(without_hash(&written), expected("letter.txt"));
    assert!(postkamer::import::write::unedited(&written));
    assert!(
        site.path().join("content/37555/letter.txt").is_file(),
        "the original is kept beside the letter"
    );
    assert!(
        stdout(&out).contains("in_reply_to 37555/B"),
        "{}",
        stdout(&out)
    );
    // The archive builds with it, and the deadline follows from the recorded rule.
    let build = postkamer()
        .args(["build", "--today", "2026-03-01", "--root"])
        .arg(site.path())
        .output()
        .expect("build");
    assert_success(&build);
    let page = fs::read_to_string(site.path().join("public/dossiers/37555/letter/index.html"))
        .expect("letter page");
    assert!(
        page.contains("17 maart 2026"),
        "deadline date + 4 weeks shown"
    );
    assert!(
        page.contains("href=\"letter.txt\""),
        "source links to the kept original"
    );
}

#[test]
fn pdf_gives_the_same_draft_as_the_text() {
    let site = site();
    let out = import(site.path(), &[&fixture("letter.pdf")]);
    assert_success(&out);
    let written = fs::read_to_string(site.path().join("content/37555/letter.md")).unwrap();
    assert_eq!(without_hash(&written), expected("letter.pdf"));
    assert!(site.path().join("content/37555/letter.pdf").is_file());
}

#[test]
fn dry_run_prints_the_draft_and_writes_nothing() {
    let site = site();
    let out = import(site.path(), &["--dry-run", &fixture("letter.txt")]);
    assert_success(&out);
    assert!(stdout(&out).contains("would write content/37555/letter.md"));
    assert!(stdout(&out).contains("## Vragen en opmerkingen"));
    assert!(!site.path().join("content/37555/letter.md").exists());
    assert!(!site.path().join("content/37555/letter.txt").exists());
}

#[test]
fn re_run_keeps_an_edited_letter_unless_forced() {
    let site = site();
    assert_success(&import(site.path(), &[&fixture("letter.txt")]));
    let letter = site.path().join("content/37555/letter.md");
    // Again, untouched: nothing to do.
    let again = import(site.path(), &[&fixture("letter.txt")]);
    assert_success(&again);
    assert!(stdout(&again).contains("unchanged"), "{}", stdout(&again));
    // Edited: refused, and the edit survives.
    let edited = fs::read_to_string(&letter).unwrap().replace(
        "Geachte heer Oosterhuis,",
        "Geachte heer Oosterhuis, (nagekeken)",
    );
    fs::write(&letter, &edited).unwrap();
    let refused = import(site.path(), &[&fixture("letter.txt")]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(fs::read_to_string(&letter).unwrap(), edited);
    // Forced: replaced by the fresh draft.
    let forced = import(site.path(), &["--force", &fixture("letter.txt")]);
    assert_success(&forced);
    assert_eq!(
        without_hash(&fs::read_to_string(&letter).unwrap()),
        expected("letter.txt")
    );
}

#[test]
fn folder_with_unreadable_files_imports_the_good_one_and_names_each_bad_one() {
    let site = site();
    let inbox = tempfile::tempdir().unwrap();
    for name in [
        "letter.pdf",
        "scan.pdf",
        "encrypted.pdf",
        "damaged.pdf",
        "not-a-pdf.pdf",
    ] {
        fs::copy(fixtures().join(name), inbox.path().join(name)).unwrap();
    }
    let out = import(site.path(), &[&inbox.path().display().to_string()]);
    assert!(!out.status.success(), "failures give a failing exit code");
    let err = stderr(&out);
    for (name, says) in [
        ("scan.pdf", "no text layer"),
        ("encrypted.pdf", "encrypted"),
        ("damaged.pdf", "damaged"),
        ("not-a-pdf.pdf", "is not a PDF"),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not named: {err}"));
        assert!(line.contains(says), "{line}");
    }
    assert!(site.path().join("content/37555/letter.md").is_file());
    let written: Vec<String> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for bad in ["scan", "encrypted", "damaged", "not-a-pdf"] {
        assert!(
            !written.iter().any(|w| w.starts_with(bad)),
            "{bad} wrote something: {written:?}"
        );
    }
    assert!(stdout(&out).contains("1 letter(s)"), "{}", stdout(&out));
}

#[test]
fn draft_missing_its_date_builds_and_check_names_what_it_lacks() {
    let site = site();
    let out = import(site.path(), &[&fixture("nodate.txt")]);
    assert_success(&out);
    assert!(stdout(&out).contains("not found: date"), "{}", stdout(&out));
    let letter = fs::read_to_string(site.path().join("content/37610/nodate.md")).unwrap();
    assert!(letter.contains("draft: true"), "{letter}");
    assert!(
        letter.contains("# date: not found in the text — fill in the dagtekening"),
        "{letter}"
    );
    assert!(!letter.contains("\ndate:"), "no date invented: {letter}");
    let check = postkamer()
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_success(&check);
    let listed = stderr(&check);
    assert!(
        listed.contains("content/37610/nodate.md") && listed.contains("lacks `date`"),
        "{listed}"
    );
}

#[test]
fn dossier_option_wins_over_the_citation() {
    let site = site();
    let out = import(
        site.path(),
        &["--dossier", "37999", "--dry-run", &fixture("letter.txt")],
    );
    assert_success(&out);
    let text = stdout(&out);
    assert!(
        text.contains("would write content/37999/letter.md"),
        "{text}"
    );
    assert!(text.contains("dossier: \"37999\""));
    assert!(
        !text.contains("session:"),
        "a citation of another dossier says nothing of this one"
    );
}

/// The real Senate letter the issue was filed with, when its folder is given in
/// POSTKAMER_SEED_DIR (it is not part of the repository).
#[test]
fn seed_letter_when_available() {
    let Some(dir) = std::env::var_os("POSTKAMER_SEED_DIR") else {
        eprintln!("skipped: set POSTKAMER_SEED_DIR to a folder with the seed letter's .txt");
        return;
    };
    let site = site();
    // Its text names the addressee only in the salutation; the letter it
    // answers ("uw brief van 19 november 2025", cited as 36521, C) gives the
    // role once it is in the archive. This stand-in for it is written here.
    fs::create_dir_all(site.path().join("content/36521")).unwrap();
    fs::write(
        site.path().join("content/36521/C.md"),
        "---\ndossier: \"36521\"\nletter: \"C\"\ntitle: \"Reactie (stand-in for the test)\"\ndate: 2025-11-19\nfrom:\n  name: \"Rijkaart\"\n  role: \"Minister van Asiel en Migratie\"\nto:\n  name: \"I.M. Lagas MDR\"\nkind: answer\n---\n\nTekst.\n",
    )
    .unwrap();
    let out = import(
        site.path(),
        &["--dry-run", &Path::new(&dir).display().to_string()],
    );
    assert_success(&out);
    let text = stdout(&out);
    for wanted in [
        "dossier: \"36521\"",
        "to:\n  name: \"Rijkaart\"\n  role: \"Minister van Asiel en Migratie\"\n",
        "in_reply_to: \"C\"",
        "  name: \"I.M. Lagas MDR\"",
        "  role: \"Voorzitter van de vaste commissie voor Binnenlandse Zaken\"",
        "reply_due: \"binnen vier weken na dagtekening\"",
        "# date: not found in the text",
        "draft: true",
        "kennisgenomen van uw brief",
        "Kinderombudsman.[^1]",
        "[^1]: Kamerstukken I 2025/26, 36521, C.",
        "[^2]: VNG, Kabinet moet nu asielbeleid op orde maken",
    ] {
        assert!(text.contains(wanted), "missing {wanted:?} in:\n{text}");
    }
    assert!(!text.contains("\ndate:"), "no date invented");
    assert_eq!(
        text.matches("https://vng.nl/brieven/escalatie-maatschappelijke-onrust")
            .count(),
        1,
        "the repeated link lines are gone:\n{text}"
    );
    for broken in ["kennisgeno-", "beantwoor-", "noodza-", "\nhttps://"] {
        assert!(!text.contains(broken), "{broken:?} left in:\n{text}");
    }
}

#[test]
fn a_dossier_folder_linked_out_of_the_site_is_refused_and_nothing_written() {
    let site = site();
    let elsewhere = tempfile::tempdir().unwrap();
    let dossier = site.path().join("content/37555");
    fs::rename(dossier.join("B.md"), elsewhere.path().join("B.md")).unwrap();
    fs::remove_dir(&dossier).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), &dossier).unwrap();
    let out = import(site.path(), &[&fixture("letter.txt")]);
    assert!(!out.status.success(), "a refusal fails the run");
    let err = stderr(&out);
    assert!(
        err.contains("content/37555/letter.md leads outside the site folder"),
        "{err}"
    );
    let outside: Vec<_> = fs::read_dir(elsewhere.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        outside,
        vec![std::ffi::OsString::from("B.md")],
        "nothing written out there"
    );
    // The same site with a plain folder imports as usual.
    fs::remove_file(&dossier).unwrap();
    fs::create_dir(&dossier).unwrap();
    assert_success(&import(site.path(), &[&fixture("letter.txt")]));
    assert!(dossier.join("letter.md").is_file());
}

#[test]
fn running_text_with_italics_and_a_list_comes_out_as_whole_paragraphs() {
    // prose.pdf: justified paragraphs with indented first lines, an italic
    // title and a bold phrase inside lines, a numbered list (see prose.html).
    let site = site();
    let out = import(site.path(), &["--dry-run", &fixture("prose.pdf")]);
    assert_success(&out);
    let text = stdout(&out);
    let body = &text[text.find("Geachte heer Jansen,").expect("salutation")..];
    let body = &body[..body.find("\nHoogachtend,").expect("closing")];
    let blocks: Vec<&str> = body.split("\n\n").collect();
    assert_eq!(blocks.len(), 6, "{body}");
    assert!(
        blocks[1].contains(
            "van het rapport Bouwstenen voor een toekomstbestendige rechtspraak en van uw brief"
        ) && blocks[1].contains("die hieronder per onderwerp zijn gerangschikt")
            && blocks[1].ends_with("afzonderlijk te beantwoorden."),
        "{}",
        blocks[1]
    );
    assert_eq!(
        blocks[2],
        "De leden van de fractie van de VVD vragen u het volgende:"
    );
    let items: Vec<&str> = blocks[3].lines().collect();
    assert_eq!(items.len(), 3, "{}", blocks[3]);
    assert!(
        items[0].starts_with("1. Hoeveel zaken zijn in 2025"),
        "{}",
        items[0]
    );
    assert!(
        items[0].ends_with("om die achterstand in te lopen?"),
        "{}",
        items[0]
    );
    assert_eq!(items[2], "3. Wanneer ontvangt de Kamer de evaluatie?");
    assert!(blocks[4].starts_with("De leden van de fractie van D66"));
    assert!(blocks[5].contains("binnen vier weken na dagtekening"));
}

/// A dry run of one fixture: its output and the front matter of its draft.
fn dry_run(site: &Path, name: &str) -> (Output, String) {
    let out = import(site, &["--dry-run", &fixture(name)]);
    assert_success(&out);
    let draft = draft_of(&out);
    (out, draft)
}

/// The draft's `to` is this name with this role.
fn assert_to(draft: &str, name: &str, role: &str) {
    let wanted = format!("to:\n  name: \"{name}\"\n  role: \"{role}\"\n");
    assert!(draft.contains(&wanted), "no {wanted:?} in {draft}");
}

/// The front matter lines of a dry run's draft.
fn draft_of(out: &Output) -> String {
    let text = stdout(out);
    let start = text.find("---\n").expect("front matter");
    let end = start
        + 4
        + text[start + 4..]
            .find("---\n")
            .expect("end of front matter");
    text[start..end].to_string()
}

#[test]
fn addressee_role_wrapped_over_two_address_lines_is_drafted() {
    // addressed.txt: text as copied out of a PDF like the seed letter (a blank
    // line after every line), with an address block whose role wraps.
    let site = site();
    let (_, draft) = dry_run(site.path(), "addressed.txt");
    assert_to(&draft, "J. Bakkerveen", "Minister van Asiel en Migratie");
    assert!(!draft.contains("# to.role"), "{draft}");
}

#[test]
fn addressee_role_without_an_address_block_comes_from_the_letter_answered() {
    // reply.txt greets "Geachte heer Oosterhuis," and answers "uw brief van 12
    // januari 2026", which the site holds as 37555/B from P.L. Oosterhuis,
    // Minister van Klimaat en Groene Groei: the role comes from there, and says so.
    let site = site();
    let (out, draft) = dry_run(site.path(), "reply.txt");
    assert_to(&draft, "Oosterhuis", "Minister van Klimaat en Groene Groei");
    assert!(draft.contains("in_reply_to: \"B\""), "{draft}");
    assert!(
        stdout(&out).contains(
            "found: to.role \"Minister van Klimaat en Groene Groei\" from the archive (the sender of 37555/B)"
        ),
        "{}",
        stdout(&out)
    );
    // Without that letter in the archive nothing is guessed.
    fs::remove_file(site.path().join("content/37555/B.md")).unwrap();
    let (_, draft) = dry_run(site.path(), "reply.txt");
    assert!(
        draft.contains("to:\n  name: \"Oosterhuis\"\n# to.role:"),
        "{draft}"
    );
}
