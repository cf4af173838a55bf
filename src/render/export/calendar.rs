//! iCalendar files (RFC 5545) of reply deadlines: `/deadlines.ics` for the
//! whole archive, and `deadlines.ics` beside each dossier and each addressee.
//!
//! Each open request (awaiting or overdue, with a deadline) is one all-day
//! `VEVENT` on its deadline. Nothing in a file comes from the clock, so two
//! builds of the same archive write the same bytes, and a subscribed calendar
//! sees an event change only when the archive does:
//! - `UID` is the letter's place in the archive and the site's host;
//! - `SEQUENCE` counts the postponements that moved the deadline, and
//!   `DTSTAMP` is the date of the last of them (else of the request), so a
//!   moved deadline updates the event instead of adding one.
//!
//! The writer is small and RFC-exact: CRLF line ends, lines folded at 75
//! octets (never inside a UTF-8 character), and `\`, `;`, `,` and line breaks
//! escaped in text values.

use chrono::NaiveDate;

use crate::archive::{Archive, LetterIx, Status};
use crate::letter::Kind;

use serde::Serialize;

use super::super::Renderer;
use super::super::handle::Handle;

/// The open requests among `letters`, earliest deadline first.
pub fn open_requests(a: &Archive, letters: impl Iterator<Item = LetterIx>) -> Vec<LetterIx> {
    let mut open: Vec<LetterIx> = letters
        .filter(|&l| {
            let letter = &a.letters[l];
            letter.deadline.is_some()
                && matches!(letter.status, Some(Status::Awaiting | Status::Overdue))
        })
        .collect();
    open.sort_by_key(|&l| (a.letters[l].deadline, l));
    open
}

/// A calendar: its name and its events, each as the lines it writes.
#[derive(Serialize)]
pub struct CalendarView<'r> {
    pub name: String,
    pub events: Vec<Handle<'r, Option<String>>>,
}

/// The calendar file of `view`.
pub fn calendar(view: &CalendarView<'_>) -> Vec<u8> {
    let mut w = Writer::default();
    w.raw("BEGIN", "VCALENDAR");
    w.raw("VERSION", "2.0");
    w.raw("PRODID", "-//postkamer//postkamer//NL");
    w.raw("CALSCALE", "GREGORIAN");
    w.raw("METHOD", "PUBLISH");
    w.text("X-WR-CALNAME", &view.name);
    for event in view.events.iter().filter_map(|e| e.get().as_deref()) {
        w.out.push_str(event);
    }
    w.raw("END", "VCALENDAR");
    w.out.into_bytes()
}

/// Letter `ix`'s event, as the content lines it writes; `None` without a deadline.
pub fn event(r: &Renderer<'_>, ix: LetterIx) -> Option<String> {
    let mut w = Writer::default();
    write_event(r, &mut w, ix, host_of(&r.base_url))?;
    Some(w.out)
}

fn write_event(r: &Renderer<'_>, w: &mut Writer, ix: LetterIx, host: &str) -> Option<()> {
    let a = r.archive;
    let l = &a.letters[ix];
    let deadline = l.deadline?;
    let views = r.views();
    let summary = views.summary(ix);
    let (sequence, stamp) = revision(a, ix);
    let names = |parties: &[crate::render::view::PartyView<'_>]| {
        parties
            .iter()
            .map(|p| p.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut description = format!(
        "{}: {}\n{}: {}",
        r.t.get("meta_from"),
        names(&summary.from),
        r.t.get("meta_to"),
        names(&summary.to)
    );
    if let Some(status) = summary.status_label {
        description.push('\n');
        description.push_str(status);
    }
    if let Some(citation) = &l.citation {
        description.push('\n');
        description.push_str(citation);
    }
    w.raw("BEGIN", "VEVENT");
    w.raw(
        "UID",
        &format!(
            "deadline-{}@{host}",
            l.url.trim_end_matches('/').replace('/', "-")
        ),
    );
    w.raw("DTSTAMP", &format!("{}T000000Z", stamp.format("%Y%m%d")));
    w.raw("SEQUENCE", &sequence.to_string());
    w.raw("DTSTART;VALUE=DATE", &deadline.format("%Y%m%d").to_string());
    w.raw(
        "DTEND;VALUE=DATE",
        &deadline
            .succ_opt()
            .unwrap_or(deadline)
            .format("%Y%m%d")
            .to_string(),
    );
    w.text(
        "SUMMARY",
        &r.t.fill(
            "calendar_event",
            &[
                ("title", &summary.title),
                ("dossier", l.letter.dossier.as_str()),
                ("id", l.letter.id.as_str()),
            ],
        ),
    );
    w.text("DESCRIPTION", &description);
    w.raw("URL", &format!("{}{}", r.base_url, l.url));
    w.raw("TRANSP", "TRANSPARENT");
    w.raw("END", "VEVENT");
    Some(())
}

/// How often the deadline moved, and when it last did: the postponements
/// that answer the request with a new `reply_due`, and the date of the last.
fn revision(a: &Archive, ix: LetterIx) -> (usize, NaiveDate) {
    let l = &a.letters[ix];
    let moves: Vec<NaiveDate> = l
        .replied_by
        .iter()
        .map(|&p| &a.letters[p].letter)
        .filter(|p| p.kind == Kind::Postponement && p.reply_due.is_some())
        .map(|p| p.date.start())
        .collect();
    let stamp = moves
        .iter()
        .copied()
        .max()
        .unwrap_or_else(|| l.letter.date.start());
    (moves.len(), stamp)
}

/// The host of an absolute base URL, or `postkamer.invalid` when there is none.
fn host_of(base_url: &str) -> &str {
    base_url
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or_default())
        .filter(|h| !h.is_empty())
        .unwrap_or("postkamer.invalid")
}

/// Writes content lines: `NAME:value`, folded and CRLF-terminated.
#[derive(Default)]
struct Writer {
    out: String,
}

/// The longest a content line may be, in octets, without its CRLF.
const LINE_OCTETS: usize = 75;

impl Writer {
    /// A property whose value needs no escaping (a date, a number, a URI).
    fn raw(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    /// A property of type TEXT: backslash, semicolon, comma and line breaks escaped.
    fn text(&mut self, name: &str, value: &str) {
        let mut escaped = String::with_capacity(value.len() + 8);
        for c in value.chars() {
            match c {
                '\\' => escaped.push_str("\\\\"),
                ';' => escaped.push_str("\\;"),
                ',' => escaped.push_str("\\,"),
                '\n' => escaped.push_str("\\n"),
                '\r' => {}
                c => escaped.push(c),
            }
        }
        self.raw(name, &escaped);
    }

    /// Folds a line into pieces of at most 75 octets; each later piece starts with a space.
    fn line(&mut self, line: &str) {
        let mut rest = line;
        let mut limit = LINE_OCTETS;
        loop {
            if rest.len() <= limit {
                self.out.push_str(rest);
                self.out.push_str("\r\n");
                return;
            }
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.out.push_str(&rest[..cut]);
            self.out.push_str("\r\n ");
            rest = &rest[cut..];
            // The leading space counts toward the next line's 75 octets.
            limit = LINE_OCTETS - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_are_escaped() {
        let mut w = Writer::default();
        w.text("SUMMARY", "a, b; c\\d\ne");
        assert_eq!(w.out, "SUMMARY:a\\, b\\; c\\\\d\\ne\r\n");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut w = Writer::default();
        let value = "ö".repeat(100);
        w.text("DESCRIPTION", &value);
        for line in w.out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = w.out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("DESCRIPTION:{value}\r\n"));
        assert!(w.out.ends_with("\r\n"));
    }

    #[test]
    fn the_uid_host_comes_from_base_url() {
        assert_eq!(host_of("https://example.org/archief/"), "example.org");
        assert_eq!(host_of("/"), "postkamer.invalid");
    }
}
