//! Figures (issue 10, point 8): a statistics page per correspondent with
//! numbers computed here by hand, and a timeline per dossier that marks the
//! late stretches. Built at a fixed `--today` (28 November 2026).

mod common;

use common::{Fixture, select, texts, write_letter};
use scraper::{ElementRef, Html};

const COMMITTEE: &str = "{ name: \"Commissie BiZa\", organisation: \"Eerste Kamer\" }";
const MINISTER: &str = "{ name: \"De minister\", role: \"Minister van BZK\" }";

fn write(f: &Fixture, dossier: &str, id: &str, date: &str, asks: bool, extra: &str) {
    let parties = if asks {
        (COMMITTEE, MINISTER)
    } else {
        (MINISTER, COMMITTEE)
    };
    write_letter(f, dossier, id, date, parties, extra);
}

/// The committee asks the minister five times; at 28 November 2026:
/// - 1/A 6 Jan 2025, due 20 Jan, answered by 1/B on 16 Jan: 10 days, on time.
/// - 1/C 3 Mar 2025, due 17 Mar, answered by 1/D on 2 Apr: 30 days, 16 days late.
/// - 2/A 2 Feb 2026, no deadline, answered by 2/B on 6 Feb: 4 days.
/// - 2/C 1 Oct 2026, due 1 Nov: unanswered, 27 days late.
/// - 2/D 20 Nov 2026, due 1 Dec: awaiting.
/// - 2/E 1 May 2026 is a plain letter: it asks for nothing.
fn site() -> Fixture {
    let f = Fixture::new();
    let question = |due: &str| format!("kind: question\nreply_due: {due}\n");
    write(&f, "1", "A", "2025-01-06", true, &question("2025-01-20"));
    write(
        &f,
        "1",
        "B",
        "2025-01-16",
        false,
        "kind: answer\nin_reply_to: A\n",
    );
    write(&f, "1", "C", "2025-03-03", true, &question("2025-03-17"));
    write(
        &f,
        "1",
        "D",
        "2025-04-02",
        false,
        "kind: answer\nin_reply_to: C\n",
    );
    write(&f, "2", "A", "2026-02-02", true, "kind: question\n");
    write(
        &f,
        "2",
        "B",
        "2026-02-06",
        false,
        "kind: answer\nin_reply_to: A\n",
    );
    write(&f, "2", "C", "2026-10-01", true, &question("2026-11-01"));
    write(&f, "2", "D", "2026-11-20", true, &question("2026-12-01"));
    write(&f, "2", "E", "2026-05-01", true, "kind: letter\n");
    f.build().expect("builds");
    f
}

/// The rows of the statistics table under the heading with id `side`: each row's cells as text.
fn table(page: &Html, side: &str) -> Vec<Vec<String>> {
    let rows = select(
        page,
        &format!("section[aria-labelledby='{side}'] table.stats-table tr"),
    );
    rows.iter()
        .skip(1) // the header row
        .map(cells)
        .collect()
}

/// A table row's cells as text.
fn cells(tr: &ElementRef<'_>) -> Vec<String> {
    tr.children()
        .filter_map(ElementRef::wrap)
        .map(|c| c.text().collect::<String>().trim().to_string())
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn the_statistics_page_counts_by_hand() {
    let f = site();
    let page = f.page("/correspondents/de-minister/statistics/");
    // Columns: year, letters, requests, answered, on time, late, without deadline,
    // median days, 90th percentile days, share on time, open now, overdue now.
    //
    // 2025: 1/A and 1/C, both answered; 10 and 30 days. Nearest rank of 2 values:
    // median at rank ⌈0.5 × 2⌉ = 1 → 10, 90th at ⌈0.9 × 2⌉ = 2 → 30. Settled with a
    // deadline: both; on time 1 of 2 = 50 %.
    // 2026: 2/A, 2/C, 2/D and the plain 2/E: 4 letters, 3 requests. Answered only 2/A
    // (4 days, no deadline). Settled: the overdue 2/C alone (2/D's term runs): 0 of 1.
    // Open now 2/C and 2/D, of which 2/C overdue.
    // Total: days 4, 10, 30: median rank ⌈1.5⌉ = 2 → 10, 90th rank ⌈2.7⌉ = 3 → 30;
    // on time 1 of 3 settled (1/A yes, 1/C late, 2/C overdue) = 33 %.
    assert_eq!(
        table(&page, "pk-stats-addressee"),
        [
            row(&[
                "2025",
                "2",
                "2",
                "2",
                "1",
                "1",
                "0",
                "10",
                "30",
                "50% (1 van 2)",
                "0",
                "0"
            ]),
            row(&[
                "2026",
                "4",
                "3",
                "1",
                "0",
                "0",
                "1",
                "4",
                "4",
                "0% (0 van 1)",
                "2",
                "1"
            ]),
            row(&[
                "Totaal",
                "6",
                "5",
                "3",
                "1",
                "1",
                "1",
                "10",
                "30",
                "33% (1 van 3)",
                "2",
                "1"
            ]),
        ]
    );
    // The minister sent the three answers, which ask for nothing: no days, no share.
    assert_eq!(
        table(&page, "pk-stats-sender"),
        [
            row(&[
                "2025", "2", "0", "0", "0", "0", "0", "–", "–", "–", "0", "0"
            ]),
            row(&[
                "2026", "1", "0", "0", "0", "0", "0", "–", "–", "–", "0", "0"
            ]),
            row(&[
                "Totaal", "3", "0", "0", "0", "0", "0", "–", "–", "–", "0", "0"
            ]),
        ]
    );
    // The committee's page shows the same requests from the sender's side.
    let committee = f.page("/correspondents/commissie-biza/statistics/");
    assert_eq!(
        table(&committee, "pk-stats-sender"),
        table(&page, "pk-stats-addressee")
    );
    // The correspondent page links to it; the method is stated on the page.
    let correspondent = f.page("/correspondents/de-minister/");
    let links = select(&correspondent, "main a");
    assert!(
        links
            .iter()
            .any(|a| a.value().attr("href") == Some("/correspondents/de-minister/statistics/")),
        "no link to the statistics page"
    );
    let method = texts(&page, "section[aria-labelledby='pk-stats-method'] p").join(" ");
    assert!(
        method.contains("nearest-rank") && method.contains("⌈p × n / 100⌉"),
        "{method}"
    );
}

/// Every figure is an image named by its own title and description.
fn assert_described(page: &Html, min: usize) {
    let svgs = select(page, "main figure svg.chart");
    assert!(svgs.len() >= min, "{} figures", svgs.len());
    for svg in svgs {
        assert_eq!(svg.value().attr("role"), Some("img"));
        let ids: Vec<&str> = svg
            .value()
            .attr("aria-labelledby")
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let child = |name: &str| {
            svg.children()
                .filter_map(ElementRef::wrap)
                .find(|e| e.value().name() == name)
                .unwrap_or_else(|| panic!("no <{name}>"))
        };
        let (title, desc) = (child("title"), child("desc"));
        assert_eq!(
            ids,
            [title.value().id().unwrap(), desc.value().id().unwrap()]
        );
        assert!(!title.text().collect::<String>().trim().is_empty());
        assert!(!desc.text().collect::<String>().trim().is_empty());
        assert!(svg.value().attr("style").is_none());
    }
}

#[test]
fn the_figures_say_their_numbers_in_their_description() {
    let f = site();
    let page = f.page("/correspondents/de-minister/statistics/");
    // As addressee: requests and days; as sender no requests, so no figures.
    assert_described(&page, 2);
    assert_eq!(select(&page, "main figure").len(), 2);
    let desc = texts(&page, "#pk-fig-addressee-requests-d");
    assert!(
        desc[0].contains("2026: 3 verzoeken; 0 op tijd en 0 te laat beantwoord, 1 beantwoord zonder termijn, 1 wachten op antwoord, 1 nu te laat."),
        "{desc:?}"
    );
    let desc = texts(&page, "#pk-fig-addressee-days-d");
    assert!(
        desc[0].contains("Totaal: mediaan 10 dagen, 90e percentiel 30 dagen."),
        "{desc:?}"
    );
    // One bar per year and one for the total; 2026's stacks 1 answered without a
    // deadline, 1 awaiting and 1 overdue.
    let bars = select(
        &page,
        "#pk-fig-addressee-requests-c ~ .figure-scroll svg rect",
    );
    let classes: Vec<&str> = bars
        .iter()
        .filter_map(|r| r.value().attr("class"))
        .collect();
    assert_eq!(
        classes,
        [
            "fig-ontime",
            "fig-answered-late",
            "fig-answered",
            "fig-awaiting",
            "fig-overdue",
            "fig-ontime",
            "fig-answered-late",
            "fig-answered",
            "fig-awaiting",
            "fig-overdue",
        ]
    );
}

/// The marks of a dossier page's timeline that `css` selects.
fn timeline<'a>(page: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    select(
        page,
        &format!("#pk-fig-timeline-c ~ .figure-scroll svg {css}"),
    )
}

fn number(e: &ElementRef<'_>, attr: &str) -> f64 {
    e.value()
        .attr(attr)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{attr} of {:?}", e.value()))
}

#[test]
fn the_timeline_marks_who_wrote_to_whom_and_the_late_stretches() {
    let f = site();
    let page = f.page("/dossiers/2/");
    assert_described(&page, 1);
    let lanes = texts(
        &page,
        "#pk-fig-timeline-c ~ .figure-scroll svg text.fig-label",
    );
    assert_eq!(lanes, ["Commissie BiZa", "De minister"]);
    // Five letters: four from the committee's lane, one (2/B) from the minister's.
    let sent = timeline(&page, "circle.fig-sent");
    let received = timeline(&page, "circle.fig-received");
    assert_eq!((sent.len(), received.len()), (5, 5));
    let y = |c: &ElementRef<'_>| number(c, "cy");
    assert_eq!(sent.iter().filter(|c| y(c) < y(&received[0])).count(), 4);
    // One late stretch: 2/C, from its deadline (1 November) to today (28 November).
    let late = timeline(&page, "rect.fig-late");
    assert_eq!(late.len(), 1);
    let deadlines: Vec<f64> = timeline(&page, "line.fig-deadline")
        .iter()
        .map(|l| number(l, "x1"))
        .collect();
    let today = number(&timeline(&page, "line.fig-today")[0], "x1");
    let (x, width) = (number(&late[0], "x"), number(&late[0], "width"));
    assert!(
        deadlines.iter().any(|d| (d - x).abs() < 0.11),
        "{x} {deadlines:?}"
    );
    assert!((x + width - today).abs() < 0.2, "{x} + {width} ≠ {today}");
    // The time shown runs from 2 February (2/A) to 1 December 2026 (2/D's deadline):
    // 302 days over 490 units from x = 200; 1 November is day 272, today day 299.
    assert!((x - (200.0 + 272.0 / 302.0 * 490.0)).abs() < 0.11, "{x}");
    assert!(
        (today - (200.0 + 299.0 / 302.0 * 490.0)).abs() < 0.11,
        "{today}"
    );
    // The table beside it lists every letter with its status in days.
    let rows: Vec<Vec<String>> = select(&page, "table.timeline-table tbody tr")
        .iter()
        .map(cells)
        .collect();
    assert_eq!(rows.len(), 5);
    let c = &rows[3];
    assert_eq!(
        [&c[0], &c[1], &c[3], &c[4], &c[5]],
        [
            "C",
            "1 oktober 2026",
            "Vragen",
            "1 november 2026",
            "Antwoord 27 dagen te laat"
        ]
    );
    assert!(c[2].starts_with("Commissie BiZa") && c[2].ends_with("De minister"));
    // Dossier 1: 1/C was answered 16 days late, so its stretch ends at the answer 1/D.
    let page = f.page("/dossiers/1/");
    let late = timeline(&page, "rect.fig-late");
    assert_eq!(late.len(), 1);
    let letters: Vec<f64> = timeline(&page, "line.fig-letter")
        .iter()
        .map(|l| number(l, "x1"))
        .collect();
    let end = number(&late[0], "x") + number(&late[0], "width");
    assert!((end - letters[3]).abs() < 0.2, "{end} vs {letters:?}");
    // Today is long after this dossier's last day: no today line.
    assert!(timeline(&page, "line.fig-today").is_empty());
}

#[test]
fn the_example_archive_shows_statistics_and_a_late_stretch() {
    let f = Fixture::example();
    f.build().expect("builds");
    // The minister answered three requests in 2025 (one late) and owes one overdue now.
    let page = f.page("/correspondents/e-j-brandsema/statistics/");
    assert_described(&page, 2);
    let total = table(&page, "pk-stats-addressee").pop().unwrap_or_default();
    assert_eq!(total[0], "Totaal");
    assert_eq!(total[11], "1", "overdue now: {total:?}");
    // 38015/B was answered 33 days after its deadline: a late stretch on its timeline.
    let dossier = f.page("/dossiers/38015/");
    assert_described(&dossier, 1);
    assert_eq!(timeline(&dossier, "rect.fig-late").len(), 1);
    // 37300 VII has a request overdue today: its stretch runs to the today line.
    let open = f.page("/dossiers/37300-vii/");
    assert_eq!(timeline(&open, "line.fig-today").len(), 1);
    assert!(!timeline(&open, "rect.fig-late").is_empty());
}
