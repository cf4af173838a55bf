//! Following the correspondence (issue 10): lateness in days on every page
//! and export, reminders that do not answer, the open requests page and its
//! feed, gaps in a dossier, and the figures. One fixture with known answers,
//! built at a fixed `--today` (28 November 2026).

mod common;

use std::io::Read;

use common::{Fixture, select, texts, write_letter as write};

const COMMITTEE: &str = "{ name: \"Commissie BiZa\", organisation: \"Eerste Kamer\" }";
const MINISTER: &str = "{ name: \"De minister\", role: \"Minister van BZK\" }";
const BODY: &str = "{ organisation: \"Gemeente Hoogeveld\" }";

/// The fixture's known answers, at 28 November 2026:
/// - 1/A asked 19 Dec 2024, due 30 Jan 2025; 1/B reminds (the committee's own); 1/C answers
///   4 Mar 2025: 75 days to reply, 33 days late.
/// - 2/A due 12 Sep 2026, chased by a reminder 2/B, never answered: 77 days late.
/// - 3/A due 3 Dec 2026: 5 days left.
/// - 4/A to the municipality, due 1 Oct 2026: 58 days late.
fn site() -> Fixture {
    let f = Fixture::new();
    let ask = (COMMITTEE, MINISTER);
    let answer = (MINISTER, COMMITTEE);
    write(
        &f,
        "1",
        "A",
        "2024-12-19",
        ask,
        "kind: question\nreply_due: 2025-01-30\n",
    );
    write(
        &f,
        "1",
        "B",
        "2025-02-11",
        ask,
        "kind: reminder\nin_reply_to: A\nreply_due: 2025-03-04\n",
    );
    write(
        &f,
        "1",
        "C",
        "2025-03-04",
        answer,
        "kind: answer\nin_reply_to: [A, B]\n",
    );
    write(
        &f,
        "2",
        "A",
        "2026-09-01",
        ask,
        "kind: question\nreply_due: 2026-09-12\n",
    );
    write(
        &f,
        "2",
        "B",
        "2026-09-20",
        ask,
        "kind: reminder\nin_reply_to: A\n",
    );
    write(
        &f,
        "3",
        "A",
        "2026-11-01",
        ask,
        "kind: question\nreply_due: 2026-12-03\n",
    );
    write(
        &f,
        "4",
        "A",
        "2026-09-03",
        (COMMITTEE, BODY),
        "kind: question\nreply_due: 2026-10-01\n",
    );
    // Gaps: dossier 2 skips C, which 2/D cites, and 2/D replies to a letter that is not there.
    f.write(
        "content/2/D.md",
        &format!("---\ndossier: \"2\"\nletter: \"D\"\ndate: 2026-10-01\nfrom: {COMMITTEE}\nto: {MINISTER}\nin_reply_to: \"Z\"\n---\nZie Kamerstukken I 2026/27, 2, C.\n"),
    );
    f.build().expect("builds");
    f
}

#[test]
fn lateness_is_shown_in_days_on_every_page() {
    let f = site();
    let status = |url: &str, css: &str| texts(&f.page(url), css);
    assert_eq!(
        status("/dossiers/1/a/", ".letter-header .status"),
        ["Beantwoord na 75 dagen, 33 dagen na de termijn"]
    );
    assert_eq!(
        status("/dossiers/2/a/", ".letter-header .status"),
        ["Antwoord 77 dagen te laat"]
    );
    assert_eq!(
        status("/dossiers/3/a/", ".letter-header .status"),
        ["Termijn verloopt over 5 dagen"]
    );
    let a = f.page("/dossiers/1/a/");
    assert_eq!(
        texts(&a, ".letter-meta div:has(time[datetime='2025-03-04']) dd"),
        ["4 maart 2025"]
    );
    for (url, expected) in [
        (
            "/dossiers/1/exchanges/a/",
            "Beantwoord na 75 dagen, 33 dagen na de termijn",
        ),
        (
            "/dossiers/1/",
            "Beantwoord na 75 dagen, 33 dagen na de termijn",
        ),
        ("/dossiers/2/", "Antwoord 77 dagen te laat"),
        ("/correspondents/de-minister/", "Antwoord 77 dagen te laat"),
        ("/", "Antwoord 77 dagen te laat"),
    ] {
        let shown = status(url, ".status");
        assert!(shown.iter().any(|s| s == expected), "{url}: {shown:?}");
    }
    // The minister's page counts the requests addressed to him.
    let minister = f.page("/correspondents/de-minister/");
    assert!(
        texts(&minister, ".facts dd")
            .iter()
            // 1/A and its reminder 1/B answered; 3/A and the reminder 2/B (no deadline) awaited.
            .any(|t| t.starts_with("2 beantwoord, 2 wachten op antwoord, 1 te laat")),
        "{:?}",
        texts(&minister, ".facts dd")
    );
}

#[test]
fn a_reminder_is_shown_as_what_it_is_not_as_an_answer() {
    let f = site();
    let a = f.page("/dossiers/1/a/");
    let links = texts(&a, ".reply-links h2, .reply-links li a");
    assert_eq!(
        links,
        [
            "Beantwoord door",
            "Brief 1 C",
            "Andere reacties",
            "Brief 1 B"
        ]
    );
    let chased = f.page("/dossiers/2/a/");
    let links = texts(
        &chased,
        ".reply-links h2, .reply-links p:not(:last-child), .reply-links li a",
    );
    assert_eq!(
        links,
        [
            "Beantwoord door",
            "Nog niet beantwoord.",
            "Andere reacties",
            "Brief 2 B"
        ]
    );
}

#[test]
fn exports_carry_answered_on_days_to_reply_and_days_late() {
    let f = site();
    let json: serde_json::Value =
        serde_json::from_str(&f.read("/data/letters.json")).expect("json");
    let record = |dossier: &str, id: &str| {
        json.as_array()
            .expect("array")
            .iter()
            .find(|r| r["dossier"] == dossier && r["letter"] == id)
            .cloned()
            .expect("record")
    };
    let answered = record("1", "A");
    assert_eq!(answered["answered_on"], "2025-03-04");
    assert_eq!(answered["days_to_reply"], 75);
    assert_eq!(answered["days_late"], 33);
    let overdue = record("2", "A");
    assert_eq!(overdue["days_late"], 77);
    assert!(overdue["answered_on"].is_null());
    let csv = f.read("/data/letters.csv");
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().expect("header").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let row: Vec<&str> = rows
        .find(|r| r.starts_with("1,A,"))
        .expect("row")
        .split(',')
        .collect();
    assert_eq!(row[col("answered_on")], "2025-03-04");
    assert_eq!(row[col("days_to_reply")], "75");
    assert_eq!(row[col("days_late")], "33");
}

/// The JSON record of every letter in the search index's letter blocks.
fn search_docs(f: &Fixture) -> Vec<serde_json::Value> {
    common::files(&f.public().join("search/d"))
        .iter()
        .flat_map(|p| {
            let bytes = std::fs::read(f.public().join("search/d").join(p)).expect("read");
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .expect("gzip");
            serde_json::from_str::<Vec<serde_json::Value>>(&text).expect("a JSON array")
        })
        .collect()
}

#[test]
fn search_results_carry_the_days() {
    let f = site();
    let docs = search_docs(&f);
    let doc = |url: &str| docs.iter().find(|d| d["url"] == url).expect(url);
    let overdue = doc("dossiers/2/a/");
    assert_eq!(overdue["statusText"], "Antwoord 77 dagen te laat");
    assert_eq!(overdue["daysLate"], 77);
    let open = doc("dossiers/3/a/");
    assert_eq!(open["daysLeft"], 5);
    assert_eq!(doc("dossiers/1/a/")["daysToReply"], 75);
    assert!(doc("dossiers/1/c/")["statusText"].is_null());
    // The result row shows the status text the page shows.
    let js = f.read("/assets/search.js");
    assert!(js.contains("doc.statusText"));
    assert!(select(&f.page("/search/"), "form[data-search]").len() == 1);
}

#[test]
fn english_sites_say_it_in_english() {
    let f = site();
    f.write(
        "site.toml",
        &common::SITE_TOML.replace("base_url", "language = \"en\"\nbase_url"),
    );
    f.build().expect("builds");
    let status = |url: &str| texts(&f.page(url), ".letter-header .status");
    assert_eq!(
        status("/dossiers/1/a/"),
        ["Answered after 75 days, 33 days past the deadline"]
    );
    assert_eq!(status("/dossiers/2/a/"), ["Answer 77 days overdue"]);
    assert_eq!(status("/dossiers/3/a/"), ["Deadline in 5 days"]);
}

#[test]
fn the_open_page_lists_open_requests_most_overdue_first_by_addressee() {
    let f = site();
    let open = f.page("/open/");
    assert_eq!(
        texts(&open, ".open-group h2"),
        ["De minister", "Gemeente Hoogeveld"]
    );
    assert_eq!(
        texts(&open, ".open-group p.muted"),
        ["3 open, waarvan 1 te laat", "1 open, waarvan 1 te laat"]
    );
    // 2/A 77 days late; 3/A due in 5 days; the reminder 2/B has no deadline.
    assert_eq!(
        texts(&open, "#pk-open-de-minister .letter-ref"),
        ["2, A", "3, A", "2, B"]
    );
    assert_eq!(
        texts(&open, "#pk-open-de-minister .status"),
        [
            "Antwoord 77 dagen te laat",
            "Termijn verloopt over 5 dagen",
            "Wacht op antwoord"
        ]
    );
    assert_eq!(
        texts(&open, "#pk-open-gemeente-hoogeveld .letter-ref"),
        ["4, A"]
    );
    // Every page links it from its navigation; the minister's page to his section.
    for url in ["/", "/dossiers/1/a/", "/search/", "/open/"] {
        assert_eq!(
            select(&f.page(url), ".site-nav a[href='/open/']").len(),
            1,
            "{url}"
        );
    }
    let minister = f.page("/correspondents/de-minister/");
    assert_eq!(
        select(&minister, "a[href='/open/#pk-open-de-minister']").len(),
        1
    );
    // The home page puts the overdue summary before the recent letters.
    let home = f.page("/");
    let headings = texts(&home, ".home-grid h2");
    assert_eq!(headings[..2], ["Antwoord te laat", "Nieuwste brieven"]);
}

#[test]
fn the_open_feed_is_atom_with_dated_status_changes_and_stable_ids() {
    let f = site();
    let text = f.read("/open/atom.xml");
    let feed: atom_syndication::Feed = text.parse().expect("valid Atom");
    let entries: Vec<(String, String, String)> = feed
        .entries()
        .iter()
        .map(|e| {
            (
                e.title().to_string(),
                e.id().to_string(),
                e.updated().format("%Y-%m-%d").to_string(),
            )
        })
        .collect();
    let expect = |t: &str, id: &str, d: &str| (t.to_string(), id.to_string(), d.to_string());
    assert_eq!(
        entries,
        [
            expect(
                "Te laat sinds 2 oktober 2026: Brief 4 A",
                "/dossiers/4/a/#overdue-2026-10-02",
                "2026-10-02"
            ),
            expect(
                "Te laat sinds 13 september 2026: Brief 2 A",
                "/dossiers/2/a/#overdue-2026-09-13",
                "2026-09-13"
            ),
            expect(
                "Beantwoord op 4 maart 2025: Brief 1 B",
                "/dossiers/1/b/#answered-2025-03-04",
                "2025-03-04"
            ),
            expect(
                "Beantwoord op 4 maart 2025: Brief 1 A",
                "/dossiers/1/a/#answered-2025-03-04",
                "2025-03-04"
            ),
            expect(
                "Te laat sinds 31 januari 2025: Brief 1 A",
                "/dossiers/1/a/#overdue-2025-01-31",
                "2025-01-31"
            ),
        ]
    );
    // A rebuild gives the same ids; the page links the feed.
    f.build().expect("builds again");
    assert_eq!(f.read("/open/atom.xml"), text);
    assert_eq!(
        select(
            &f.page("/open/"),
            "link[rel=alternate][href='/open/atom.xml']"
        )
        .len(),
        1
    );
}

#[test]
fn a_dossier_page_and_check_report_name_the_gaps() {
    let f = site();
    let two = f.page("/dossiers/2/");
    assert_eq!(
        texts(&two, ".gaps li"),
        [
            "Ontbreken in de nummering van dit dossier: C.",
            "Brief C staat niet in dit archief, maar wordt aangehaald in 2, D",
            "Brief Z staat niet in dit archief; erop antwoordt 2, D",
        ]
    );
    assert_eq!(select(&two, ".gaps a[href='/dossiers/2/d/']").len(), 2);
    assert_eq!(
        texts(&f.page("/dossiers/1/"), ".gaps p"),
        ["Voor zover na te gaan ontbreken in dit dossier geen brieven."]
    );
    let out = f.run(&["check", "--report", "--today", "2026-11-28"]);
    common::assert_success(&out);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains(
            "dossier 2:\n  missing from the lettering: C\n  2/C is cited (in 2/D) but not in the archive\n  2/D replies to `Z`, which is not in the archive\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("3 of 4 dossier(s) have no gaps."),
        "{report}"
    );
}
