//! Deadline calendars (RFC 5545), read back with an independent parser (the
//! `icalendar` crate): one all-day event per open request on its deadline,
//! stable UIDs, and a postponement that moves an event updates it.

mod common;

use common::{Fixture, letter};
use icalendar::parser::{read_calendar, unfold};

fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/36521/C.md",
        &letter(
            "36521",
            "C",
            "2025-11-19",
            "title: \"Vragen; over a, b en c, en over de opvolging van de aanbevelingen van de Nationale ombudsman\"\nkind: question\nreply_due: 2026-12-17\n",
            "Vragen.",
        ),
    );
    f.write(
        "content/36521/D.md",
        &letter(
            "36521",
            "D",
            "2025-10-01",
            "kind: question\nreply_due: 2025-10-29\n",
            "Oud.",
        ),
    );
    f.write(
        "content/36521/E.md",
        &letter(
            "36521",
            "E",
            "2025-10-02",
            "kind: question\nreply_due: 2025-10-30\n",
            "Beantwoord.",
        ),
    );
    f.write(
        "content/36521/F.md",
        "---\ndossier: \"36521\"\nletter: \"F\"\ndate: 2025-10-20\nfrom: { name: \"De minister\" }\nto: { name: \"Commissie BiZa\" }\nkind: answer\nin_reply_to: E\n---\nAntwoord.\n",
    );
    f
}

/// `(uid, dtstart, sequence, dtstamp, summary)` of each event, as the parser reads them.
fn events(text: &str) -> Vec<[String; 5]> {
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).expect("parses as iCalendar");
    calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let prop = |name: &str| {
                c.find_prop(name)
                    .map(|p| p.val.as_str().to_string())
                    .unwrap_or_default()
            };
            [
                prop("UID"),
                prop("DTSTART"),
                prop("SEQUENCE"),
                prop("DTSTAMP"),
                prop("SUMMARY"),
            ]
        })
        .collect()
}

fn read(f: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(f.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn each_open_request_is_an_all_day_event_on_its_deadline() {
    let f = fixture();
    f.build().expect("build");
    let text = read(&f, "deadlines.ics");
    assert!(
        text.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "CRLF line ends"
    );
    assert!(
        text.split("\r\n").all(|l| l.len() <= 75),
        "folded at 75 octets"
    );
    assert!(text.contains("DTSTART;VALUE=DATE:20251029\r\n"), "{text}");
    let found = events(&text);
    // D is overdue, C awaiting; E is answered: no event.
    let uids: Vec<&str> = found.iter().map(|e| e[0].as_str()).collect();
    assert_eq!(
        uids,
        [
            "deadline-dossiers-36521-d@postkamer.invalid",
            "deadline-dossiers-36521-c@postkamer.invalid"
        ]
    );
    assert_eq!(found[1][1], "20261217");
    assert_eq!(found[1][2], "0");
    assert_eq!(found[1][3], "20251119T000000Z");
    // The comma and semicolon of the title were escaped, folded and read back whole.
    assert_eq!(
        found[1][4],
        "Termijn: Vragen; over a, b en c, en over de opvolging van de aanbevelingen van de Nationale ombudsman (36521 C)"
    );
    assert!(text.contains("\r\n "), "the long summary was folded");
    // Per dossier and per addressee, the same events.
    assert_eq!(events(&read(&f, "dossiers/36521/deadlines.ics")), found);
    assert_eq!(
        events(&read(&f, "correspondents/de-minister/deadlines.ics")),
        found
    );
    // The committee received only an answer: its calendar is there, without events.
    assert!(events(&read(&f, "correspondents/commissie-biza/deadlines.ics")).is_empty());
    let dossier = f.read("dossiers/36521/");
    assert!(dossier.contains("href=\"/dossiers/36521/deadlines.ics\""));
}

#[test]
fn a_postponement_updates_the_event_and_builds_repeat_byte_for_byte() {
    let f = fixture();
    f.build().expect("build");
    let before = read(&f, "deadlines.ics");
    f.build().expect("build again");
    assert_eq!(read(&f, "deadlines.ics"), before, "deterministic");
    f.write(
        "content/36521/G.md",
        "---\ndossier: \"36521\"\nletter: \"G\"\ndate: 2025-10-27\nfrom: { name: \"De minister\" }\nto: { name: \"Commissie BiZa\" }\nkind: postponement\nin_reply_to: D\nreply_due: 2026-01-15\n---\nUitstel.\n",
    );
    f.build().expect("build with a postponement");
    let after = events(&read(&f, "deadlines.ics"));
    let d = after
        .iter()
        .find(|e| e[0] == "deadline-dossiers-36521-d@postkamer.invalid")
        .expect("same UID");
    assert_eq!(
        (d[1].as_str(), d[2].as_str(), d[3].as_str()),
        ("20260115", "1", "20251027T000000Z")
    );
}
