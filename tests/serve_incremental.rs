//! `serve`'s incremental engine against `build`: after every kind of edit, the
//! files the preview serves must equal, byte for byte, what a fresh `build`
//! writes, while only the pages the edit touches are rendered again.

mod common;

use std::fs;

use common::preview::{Preview, assert_same_as_build};
use common::{Fixture, letter};
use postkamer::BuildOptions;
use postkamer::serve::snapshot::Body;
use postkamer::serve::{Changes, Engine, Rebuilt};

fn options(f: &Fixture) -> BuildOptions {
    f.options()
}

fn rendered(r: &Rebuilt) -> Vec<&str> {
    r.rendered.iter().map(String::as_str).collect()
}

/// Starts letter 37104/B's body with `paragraph` and rebuilds; asserts that `page` was rendered.
fn open_37104_b_with(f: &Fixture, p: &mut Preview, paragraph: &str, page: &str) {
    edit(
        f,
        "content/37104/B.md",
        "Geachte",
        &format!("{paragraph}\n\nGeachte"),
    );
    let r = p.content(f, &["content/37104/B.md"]);
    assert!(rendered(&r).contains(&page), "{page}: {:?}", r.rendered);
}

fn edit(f: &Fixture, rel: &str, from: &str, to: &str) {
    let path = f.root().join(rel);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} has no `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn the_first_build_serves_what_build_writes() {
    let f = Fixture::example();
    let p = Preview::start(options(&f));
    assert_same_as_build(&p, &f, "the first build");
}

#[test]
fn a_body_edit_renders_the_letter_and_the_pages_showing_its_text_only() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    edit(&f, "content/37104/B.md", "Geachte", "Zeer geachte");
    let r = p.content(&f, &["content/37104/B.md"]);
    assert!(r.patched, "only the body changed: no new link");
    let pages = rendered(&r);
    assert!(pages.contains(&"dossiers/37104/b/"), "{pages:?}");
    assert!(pages.contains(&"dossiers/37104/exchanges/a/"), "{pages:?}");
    for unrelated in ["dossiers/37104/a/", "dossiers/38740/a/", "dossiers/", ""] {
        assert!(!pages.contains(&unrelated), "{unrelated} in {pages:?}");
    }
    assert_same_as_build(&p, &f, "a body edit");
}

#[test]
fn a_body_that_sets_a_deadline_links_again() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    edit(
        &f,
        "content/38740/B.md",
        "\n---\n",
        "\n---\nGraag ontvangen wij uw antwoord binnen vier weken na dagtekening van deze brief.\n\n",
    );
    let r = p.content(&f, &["content/38740/B.md"]);
    assert!(!r.patched, "the deadline is derived from the body");
    assert_same_as_build(&p, &f, "a body with a deadline");
}

#[test]
fn metadata_edits_reach_every_page_that_lists_the_letter() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    edit(&f, "content/37104/B.md", "title: \"", "title: \"Herzien — ");
    let r = p.content(&f, &["content/37104/B.md"]);
    assert!(r.patched, "a title does not change how letters link");
    assert!(rendered(&r).contains(&"dossiers/37104/"));
    assert!(!rendered(&r).contains(&"dossiers/38740/a/"));
    for list in ["dossiers/", "correspondents/", "tags/", "years/", "search/"] {
        assert!(
            !rendered(&r).contains(&list),
            "no list shows titles: {list}"
        );
    }
    assert_same_as_build(&p, &f, "a title edit");
    edit(
        &f,
        "content/37104/B.md",
        "tags: [",
        "tags: [nieuw-onderwerp, ",
    );
    let r = p.content(&f, &["content/37104/B.md"]);
    assert!(!r.patched, "a new tag is a new link");
    assert_same_as_build(&p, &f, "a new tag");
    // The letter B answers, and the exchange they share, show its title too.
    edit(&f, "content/37104/A.md", "title: \"", "title: \"Eerder — ");
    edit(&f, "content/37104/A.md", "kenmerk: \"", "kenmerk: \"K-");
    let r = p.content(&f, &["content/37104/A.md"]);
    assert!(r.patched);
    assert_same_as_build(&p, &f, "a title and kenmerk edit of an answered letter");
    edit(
        &f,
        "content/37104/A.md",
        "date: 2025-06-17",
        "date: 2025-06-10",
    );
    let r = p.content(&f, &["content/37104/A.md"]);
    assert!(!r.patched, "a new date moves the letter");
    assert_same_as_build(&p, &f, "a date edit");
}

#[test]
fn feeds_and_data_files_are_rendered_after_the_pages() {
    let f = Fixture::example();
    let mut engine = Engine::new(options(&f));
    let first = engine.rebuild(&Changes::everything()).expect("first build");
    assert!(
        first.delta.pending.is_empty(),
        "the first build renders everything at once"
    );
    assert!(engine.render_later().is_none());
    edit(&f, "content/37104/B.md", "title: \"", "title: \"Herzien — ");
    let changes = Changes {
        content: vec![f.root().join("content/37104/B.md")],
        ..Changes::default()
    };
    let r = engine.rebuild(&changes).expect("rebuild");
    let put: Vec<&str> = r.delta.put.iter().map(|(p, _)| p.as_str()).collect();
    assert!(put.contains(&"dossiers/37104/b/index.html"), "{put:?}");
    for later in [
        "data/letters.json",
        "data/letters.csv",
        "atom.xml",
        "dossiers/37104/letters.json",
    ] {
        assert!(!put.contains(&later), "{later} before the reload: {put:?}");
        assert!(
            r.delta.pending.iter().any(|p| p == later),
            "{later} not pending"
        );
    }
    let later = engine
        .render_later()
        .expect("pages left")
        .expect("rendered");
    let json = later
        .delta
        .put
        .iter()
        .find(|(p, _)| p == "data/letters.json")
        .expect("letters.json");
    let Body::Bytes(bytes) = &json.1.body else {
        panic!("rendered bytes")
    };
    assert!(String::from_utf8_lossy(bytes).contains("Herzien"));
    assert!(later.delta.pending.is_empty());
    assert!(engine.render_later().is_none(), "rendered once");
}

#[test]
fn pages_left_for_later_are_rendered_by_the_next_rebuild_when_skipped() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    edit(&f, "content/37104/B.md", "title: \"", "title: \"Herzien — ");
    let changes = Changes {
        content: vec![f.root().join("content/37104/B.md")],
        ..Changes::default()
    };
    // The engine's caller forgets `render_later`; the next rebuild catches up.
    let r = p.engine.rebuild(&changes).expect("rebuild");
    p.snapshot.apply(r.delta, r.base_path);
    edit(&f, "content/38740/A.md", "Geachte", "Zeer geachte");
    p.content(&f, &["content/38740/A.md"]);
    assert_same_as_build(&p, &f, "a skipped render_later");
}

#[test]
fn adding_renaming_and_deleting_letters_keeps_the_site_whole() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    // A reply answers letter A of 38740 and cites it: statuses, exchanges and links move.
    f.write(
        "content/38740/C.md",
        &letter(
            "38740",
            "C",
            "2026-01-05",
            "in_reply_to: \"A\"\nkind: answer\ntitle: \"Antwoord\"\n",
            "Zie Kamerstukken I 2025/26, 38740, A.",
        ),
    );
    p.content(&f, &["content/38740/C.md"]);
    assert_same_as_build(&p, &f, "adding a reply");
    fs::rename(
        f.root().join("content/38740/C.md"),
        f.root().join("content/38740/antwoord.md"),
    )
    .expect("rename");
    p.content(&f, &["content/38740/C.md", "content/38740/antwoord.md"]);
    assert_same_as_build(&p, &f, "renaming a letter's file");
    fs::remove_file(f.root().join("content/38740/antwoord.md")).expect("remove");
    p.content(&f, &["content/38740/antwoord.md"]);
    assert_same_as_build(&p, &f, "deleting the reply");
    fs::remove_file(f.root().join("content/38740/A.md")).expect("remove");
    p.content(&f, &["content/38740/A.md"]);
    assert_same_as_build(&p, &f, "deleting a letter other letters cite");
}

#[test]
fn a_reply_moved_in_its_thread_nests_anew_on_the_dossier_and_exchange_pages() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    // 37104/D answers C; now it answers A: the same exchange, another shape.
    edit(
        &f,
        "content/37104/D.md",
        "in_reply_to: \"C\"",
        "in_reply_to: \"A\"",
    );
    let r = p.content(&f, &["content/37104/D.md"]);
    for page in [
        "dossiers/37104/",
        "dossiers/37288/",
        "dossiers/37104/exchanges/a/",
    ] {
        assert!(rendered(&r).contains(&page), "{page}: {:?}", rendered(&r));
    }
    assert_same_as_build(&p, &f, "a reply moved within its thread");
}

#[test]
fn adding_renaming_and_deleting_dossiers_keeps_the_site_whole() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    edit(
        &f,
        "content/38015/_dossier.md",
        "title: \"",
        "title: \"Nieuw — ",
    );
    p.content(&f, &["content/38015/_dossier.md"]);
    assert_same_as_build(&p, &f, "retitling a dossier");
    let dir = f.root().join("content/39999");
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(
        dir.join("A.md"),
        letter(
            "39999",
            "A",
            "2026-02-01",
            "title: \"Nieuw dossier\"\n",
            "Tekst.",
        ),
    )
    .expect("write");
    p.content(&f, &["content/39999"]);
    assert_same_as_build(&p, &f, "adding a dossier folder");
    fs::rename(&dir, f.root().join("content/39998")).expect("rename");
    p.content(&f, &["content/39999", "content/39998"]);
    assert_same_as_build(&p, &f, "renaming a dossier folder");
    fs::remove_dir_all(f.root().join("content/37300-VII")).expect("remove");
    p.content(&f, &["content/37300-VII"]);
    assert_same_as_build(&p, &f, "deleting a dossier");
}

#[test]
fn an_edited_template_renders_the_pages_that_use_it() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    let original = include_str!("../themes/default/templates/letter.html");
    f.write(
        "themes/default/templates/letter.html",
        &original.replacen(
            "{% block content %}",
            "{% block content %}<p>AANGEPAST</p>",
            1,
        ),
    );
    let r = p.rebuild(Changes {
        theme: true,
        ..Changes::default()
    });
    let pages = rendered(&r);
    assert!(pages.contains(&"dossiers/37104/b/"), "{pages:?}");
    assert!(
        pages
            .iter()
            .all(|u| u.matches('/').count() == 3 && u.starts_with("dossiers/")),
        "{pages:?}"
    );
    assert_same_as_build(&p, &f, "overriding letter.html");
    let base = include_str!("../themes/default/templates/base.html");
    f.write(
        "themes/default/templates/base.html",
        &base.replacen("<main", "<div>BASIS</div><main", 1),
    );
    let r = p.rebuild(Changes {
        theme: true,
        ..Changes::default()
    });
    assert!(
        rendered(&r).contains(&""),
        "base.html is used by the home page"
    );
    assert_same_as_build(&p, &f, "overriding base.html");
}

#[test]
fn an_edited_site_toml_rebuilds_everything() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    let before = p.snapshot.len();
    edit(
        &f,
        "site.toml",
        "base_url = \"/\"",
        "base_url = \"https://example.org/archief/\"",
    );
    let r = p.rebuild(Changes {
        config: true,
        ..Changes::default()
    });
    assert!(r.rendered.len() > before / 2);
    assert_eq!(p.snapshot.base_path, "/archief/");
    assert_same_as_build(&p, &f, "changing base_url");
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_files_and_the_next_one_catches_up() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    edit(&f, "content/37104/B.md", "Geachte", "Zeer geachte");
    let path = f.root().join("content/37104/A.md");
    let good = fs::read_to_string(&path).expect("read");
    fs::write(&path, good.replacen("date:", "date: [", 1)).expect("write");
    let err = p
        .engine
        .rebuild(&Changes {
            content: vec![f.root().join("content/37104/B.md"), path.clone()],
            ..Changes::default()
        })
        .expect_err("broken front matter fails");
    assert!(
        err.iter()
            .any(|d| d.path.ends_with("A.md") && d.position.is_some())
    );
    fs::write(&path, good).expect("write");
    p.content(&f, &["content/37104/A.md"]);
    assert_same_as_build(&p, &f, "fixing the broken letter");
}

#[test]
fn a_letter_edited_while_a_template_is_broken_shows_once_it_is_fixed() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    let theme_changed = || Changes {
        theme: true,
        ..Changes::default()
    };
    let original = include_str!("../themes/default/templates/letter.html");
    f.write(
        "themes/default/templates/letter.html",
        &format!("{original}{{% if %}}"),
    );
    p.try_rebuild(theme_changed())
        .expect_err("a template that does not compile");
    // The watcher names the letter once, while the theme still fails.
    edit(&f, "content/37104/B.md", "title: \"", "title: \"Herzien — ");
    let content = Changes {
        content: vec![f.root().join("content/37104/B.md")],
        ..Changes::default()
    };
    p.try_rebuild(content).expect_err("the theme still fails");
    f.write("themes/default/templates/letter.html", original);
    p.rebuild(theme_changed());
    assert_same_as_build(&p, &f, "fixing the template");
}

/// A site big enough for every list to span several pages (100 letters a page).
fn paged_site() -> Fixture {
    let f = Fixture::new();
    for i in 0..260 {
        let dossier = ["100", "200", "300"][i % 3];
        let tags = if i % 2 == 0 {
            "[alpha, beta]"
        } else {
            "[alpha]"
        };
        let to = if i % 4 == 0 { "B. Tweede" } else { "C. Derde" };
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let text = format!(
            "---\ndossier: \"{dossier}\"\nletter: \"L{i}\"\ntitle: \"Brief {i}\"\ndate: 2024-{month:02}-{day:02}\nfrom: A. Eerste\nto: {to}\ntags: {tags}\n---\nTekst van brief {i}.\n"
        );
        f.write(&format!("content/{dossier}/L{i}.md"), &text);
    }
    f
}

#[test]
fn paginated_lists_stay_right_when_letters_move_between_pages() {
    let f = paged_site();
    let mut p = Preview::start(options(&f));
    assert_same_as_build(&p, &f, "the first build");
    edit(
        &f,
        "content/200/L100.md",
        "title: \"Brief 100\"",
        "title: \"Brief honderd\"",
    );
    let r = p.content(&f, &["content/200/L100.md"]);
    let tag_pages = r
        .rendered
        .iter()
        .filter(|u| u.starts_with("tags/alpha/"))
        .count();
    assert_eq!(
        tag_pages, 1,
        "one page of the tag lists the letter: {:?}",
        r.rendered
    );
    assert_same_as_build(&p, &f, "a title edit");
    edit(&f, "content/200/L100.md", "date: 2024-", "date: 2023-");
    p.content(&f, &["content/200/L100.md"]);
    assert_same_as_build(&p, &f, "a date edit that moves the letter");
    for i in [3, 4, 5] {
        let rel = format!("content/{}/L{i}.md", ["100", "200", "300"][i % 3]);
        fs::remove_file(f.root().join(&rel)).expect("remove");
        p.content(&f, &[rel.as_str()]);
    }
    assert_same_as_build(&p, &f, "deleting letters");
}

#[test]
fn a_full_rescan_finds_changes_the_watcher_missed() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    edit(&f, "content/38015/A.md", "title: \"", "title: \"Gemist — ");
    f.write("static/robots.txt", "User-agent: *\n");
    p.rebuild(Changes {
        rescan: true,
        ..Changes::default()
    });
    assert_same_as_build(&p, &f, "a rescan");
}

#[test]
fn a_static_file_over_a_page_fails_as_in_build_and_recovers() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    f.write("static/accessibility/index.html", "<p>eigen verklaring</p>");
    let static_changed = || Changes {
        site_static: true,
        ..Changes::default()
    };
    let served = p.files();
    let errors = p
        .engine
        .rebuild(&static_changed())
        .expect_err("a static file over a page is an error");
    assert!(f.build().is_err(), "build refuses it too");
    assert!(
        errors.to_string().contains(
            "static/accessibility/index.html (/accessibility/index.html) and the generated accessibility page"
        ),
        "{errors}"
    );
    assert_eq!(p.files(), served, "the last good build stays served");
    fs::remove_file(f.root().join("static/accessibility/index.html")).expect("remove");
    p.rebuild(static_changed());
    assert_same_as_build(&p, &f, "removing the static file");
}

#[test]
fn answering_an_overdue_request_updates_the_open_page_and_its_feed() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    f.write(
        "content/37300-VII/D.md",
        "---\ndossier: \"37300 VII\"\nletter: \"D\"\ntitle: \"Antwoorden\"\ndate: 2026-11-20\nfrom: { name: \"E.J. Brandsema\", role: \"Minister van Binnenlandse Zaken en Koninkrijksrelaties\" }\nto: { name: \"mr. drs. J.E. de Vries-Öztürk\" }\nin_reply_to: \"C\"\nkind: answer\n---\nAntwoord.\n",
    );
    let r = p.content(&f, &["content/37300-VII/D.md"]);
    let pages = rendered(&r);
    for url in [
        "open/",
        "open/atom.xml",
        "",
        "correspondents/e-j-brandsema/",
    ] {
        assert!(pages.contains(&url), "{url} not in {pages:?}");
    }
    assert_same_as_build(&p, &f, "answering the overdue request");
    // A body edit of an unrelated letter leaves the open page alone.
    edit(&f, "content/38740/B.md", "Geachte", "Zeer geachte");
    let r = p.content(&f, &["content/38740/B.md"]);
    assert!(!rendered(&r).contains(&"open/"), "{:?}", r.rendered);
    assert_same_as_build(&p, &f, "a body edit after the answer");
}

#[test]
fn a_body_that_cites_a_missing_letter_updates_its_dossiers_gaps() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    open_37104_b_with(
        &f,
        &mut p,
        "Zie ook Kamerstukken I 2025/26, 38740, F.",
        "dossiers/38740/",
    );
    assert_same_as_build(&p, &f, "citing a letter the archive lacks");
    edit(
        &f,
        "content/37104/B.md",
        "Zie ook Kamerstukken I 2025/26, 38740, F.\n\n",
        "",
    );
    p.content(&f, &["content/37104/B.md"]);
    assert_same_as_build(&p, &f, "removing the citation");
}

#[test]
fn an_answer_and_its_date_update_the_statistics_and_the_timeline() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    // The pages that show the answer's timing: both statistics pages and the dossier's timeline.
    let timed = [
        "correspondents/e-j-brandsema/statistics/",
        "correspondents/mr-drs-j-e-de-vries-ozturk/statistics/",
        "dossiers/37300-vii/",
    ];
    let renders_timed = |r: &Rebuilt| {
        timed
            .iter()
            .filter(|u| r.rendered.iter().any(|x| x == *u))
            .count()
    };
    f.write(
        "content/37300-VII/D.md",
        "---\ndossier: \"37300 VII\"\nletter: \"D\"\ntitle: \"Antwoorden\"\ndate: 2026-11-20\nfrom: { name: \"E.J. Brandsema\", role: \"Minister van Binnenlandse Zaken en Koninkrijksrelaties\" }\nto: { name: \"mr. drs. J.E. de Vries-Öztürk\" }\nin_reply_to: \"C\"\nkind: answer\n---\nAntwoord.\n",
    );
    let r = p.content(&f, &["content/37300-VII/D.md"]);
    assert_eq!(renders_timed(&r), timed.len(), "{:?}", r.rendered);
    assert_same_as_build(&p, &f, "answering the overdue request");
    // A later answer: more days to reply, a longer late stretch.
    edit(&f, "content/37300-VII/D.md", "2026-11-20", "2026-11-26");
    let r = p.content(&f, &["content/37300-VII/D.md"]);
    assert_eq!(renders_timed(&r), timed.len(), "{:?}", r.rendered);
    assert_same_as_build(&p, &f, "moving the answer's date");
    // Its text changes no statistic and no timeline.
    edit(&f, "content/37300-VII/D.md", "Antwoord.", "Het antwoord.");
    let r = p.content(&f, &["content/37300-VII/D.md"]);
    assert_eq!(renders_timed(&r), 0, "{:?}", r.rendered);
    assert_same_as_build(&p, &f, "a body edit of the answer");
}

#[test]
fn citations_and_cited_in_lists_follow_body_and_date_edits() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    // A body gains a citation of a letter in the archive: that letter's "cited in" changes.
    open_37104_b_with(
        &f,
        &mut p,
        "Zie Kamerstukken II 2024/25, 38015, nr. 4 en Kamerstukken I 2025/26, 37288, F.",
        "dossiers/37288/f/",
    );
    assert_same_as_build(&p, &f, "a new citation");
    // The cited letter's date moves: "uw brief van 14 november 2024" in 38015/B no longer resolves.
    edit(
        &f,
        "content/38015/A.md",
        "date: 2024-11-14",
        "date: 2024-11-13",
    );
    p.content(&f, &["content/38015/A.md"]);
    assert_same_as_build(&p, &f, "a dated mention that no longer resolves");
    // A second letter of the cited id appears under the cited number: now in the archive.
    f.write(
        "content/38015/4.md",
        &letter("38015", "4", "2025-03-05", "", "Nummer vier."),
    );
    p.content(&f, &["content/38015/4.md"]);
    assert_same_as_build(&p, &f, "a cited letter that arrives");
    // The citation goes again.
    edit(
        &f,
        "content/37104/B.md",
        "Kamerstukken I 2025/26, 37288, F",
        "iets anders",
    );
    p.content(&f, &["content/37104/B.md"]);
    assert_same_as_build(&p, &f, "a citation removed");
}

#[test]
fn deadline_calendars_follow_a_moved_deadline_and_a_new_request() {
    let f = Fixture::example();
    let mut p = Preview::start(options(&f));
    assert!(p.files().contains_key("deadlines.ics"));
    f.write(
        "content/38015/E.md",
        &letter(
            "38015",
            "E",
            "2026-11-01",
            "kind: question\nreply_due: 2026-12-15\n",
            "Nieuwe vragen.",
        ),
    );
    let r = p.content(&f, &["content/38015/E.md"]);
    assert!(
        rendered(&r).contains(&"dossiers/38015/deadlines.ics"),
        "{:?}",
        rendered(&r)
    );
    assert_same_as_build(&p, &f, "a new request");
    f.write(
        "content/38015/F.md",
        &letter(
            "38015",
            "F",
            "2026-11-20",
            "kind: postponement\nin_reply_to: E\nreply_due: 2027-01-10\n",
            "Uitstel.",
        ),
    );
    p.content(&f, &["content/38015/F.md"]);
    assert_same_as_build(&p, &f, "a postponement");
}
