//! What templates see: borrowed, serialisable views of the archive, separate
//! from the model so the model can change without breaking themes.

use serde::Serialize;

use crate::archive::{Archive, ArchivedLetter, LetterIx, Status, Timing};
use crate::letter::{Party, Shown};

use super::Renderer;
use super::i18n::Translations;
use super::linked_data::{self, Message, ScriptJson};

/// Site-wide values, `site` in every template.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub language: &'a str,
    /// Path prefix of every internal link, starting and ending with `/`.
    pub base_path: &'a str,
    /// `base_url` as configured, ending with `/`: absolute when it has a host.
    pub base_url: &'a str,
    pub extra: &'a toml::Table,
    /// The build date, ISO.
    pub today: String,
    pub today_display: String,
}

/// A sender or recipient as one letter names them, linked to their page.
#[derive(Serialize)]
pub struct PartyView<'a> {
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub organisation: Option<&'a str>,
    pub url: String,
}

/// One letter in a list: everything a row needs, nothing of the body.
#[derive(Serialize)]
pub struct LetterSummary<'a> {
    pub url: String,
    pub dossier: &'a str,
    pub dossier_url: String,
    pub dossier_title: Option<&'a str>,
    pub id: &'a str,
    pub title: String,
    pub has_title: bool,
    pub date: String,
    pub date_iso: String,
    pub kind: &'static str,
    pub kind_label: &'a str,
    pub from: Vec<PartyView<'a>>,
    pub to: Vec<PartyView<'a>>,
    pub status: Option<&'static str>,
    pub status_label: Option<&'a str>,
    /// The status with its days: "Beantwoord na 75 dagen, 33 dagen na de termijn".
    pub status_text: Option<String>,
    pub deadline: Option<String>,
    pub deadline_iso: Option<String>,
    pub answered_on: Option<String>,
    pub answered_on_iso: Option<String>,
    pub days_to_reply: Option<i64>,
    pub days_late: Option<i64>,
    pub days_left: Option<i64>,
    pub citation: Option<&'a str>,
}

/// What only a letter's own page shows of it: the [`Shown`](crate::letter::Shown)
/// fields no list shows, made from that letter alone.
#[derive(Serialize)]
pub struct LetterOwn<'a> {
    pub source: &'a Option<String>,
    pub kenmerk: &'a Option<String>,
    pub date_window: Option<String>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub json_ld: ScriptJson<Message<'a>>,
}

impl<'a> LetterOwn<'a> {
    pub fn new(r: &'a Renderer<'_>, ix: LetterIx) -> LetterOwn<'a> {
        let shown = &r.archive.letters[ix].letter.shown;
        LetterOwn {
            source: &shown.source,
            kenmerk: &shown.kenmerk,
            date_window: date_window(&r.t, shown),
            extra: &shown.extra,
            json_ld: linked_data::letter_json_ld(r, ix),
        }
    }
}

/// "tussen 7 oktober 1891 en 30 april 1892" when the date is uncertain.
fn date_window(t: &Translations, shown: &Shown) -> Option<String> {
    match (shown.date_not_before, shown.date_not_after) {
        (Some(b), Some(e)) => Some(t.fill(
            "date_between",
            &[("start", &t.date(b)), ("end", &t.date(e))],
        )),
        (Some(b), None) => Some(t.fill("date_not_before", &[("date", &t.date(b))])),
        (None, Some(e)) => Some(t.fill("date_not_after", &[("date", &t.date(e))])),
        (None, None) => None,
    }
}

/// Builds views with the site's base path and translations.
pub struct Views<'a> {
    pub archive: &'a Archive,
    pub t: &'a Translations,
    pub base_path: &'a str,
}

impl<'a> Views<'a> {
    pub fn url(&self, site_relative: &str) -> String {
        format!("{}{site_relative}", self.base_path)
    }

    fn parties(&self, written: &'a [Party], linked: &[usize]) -> Vec<PartyView<'a>> {
        written
            .iter()
            .zip(linked)
            .map(|(p, &c)| PartyView {
                name: p.display_name(),
                role: p.role.as_deref(),
                organisation: if p.name.is_some() {
                    p.organisation.as_deref()
                } else {
                    None
                },
                url: self.url(&self.archive.correspondents[c].url),
            })
            .collect()
    }

    /// The title a letter shows: its own, or "Brief C" in the site's language.
    pub fn title(&self, l: &'a ArchivedLetter) -> String {
        match &l.letter.shown.title {
            Some(t) => t.clone(),
            None => self.t.fill(
                "untitled_letter",
                &[("id", &l.letter.id), ("dossier", &l.letter.dossier)],
            ),
        }
    }

    pub fn summary(&self, ix: LetterIx) -> LetterSummary<'a> {
        let l = &self.archive.letters[ix];
        let dossier = &self.archive.dossiers[l.dossier];
        let kind = l.letter.kind.name();
        LetterSummary {
            url: self.url(&l.url),
            dossier: &l.letter.dossier,
            dossier_url: self.url(&dossier.url),
            dossier_title: dossier.title.as_deref(),
            id: &l.letter.id,
            title: self.title(l),
            has_title: l.letter.shown.title.is_some(),
            date: self.t.date(l.letter.date),
            date_iso: l.letter.date.iso(),
            kind,
            kind_label: self.t.get(kind_key(kind)),
            from: self.parties(&l.letter.from, &l.from),
            to: self.parties(&l.letter.to, &l.to),
            status: l.status.map(|s| s.name()),
            status_label: l.status.map(|s| self.t.get(status_key(s.name()))),
            status_text: l.status.map(|s| status_text(self.t, s, &l.timing)),
            deadline: l.deadline.map(|d| self.t.day(d)),
            deadline_iso: l.deadline.map(iso),
            answered_on: l.timing.answered_on.map(|d| self.t.day(d)),
            answered_on_iso: l.timing.answered_on.map(iso),
            days_to_reply: l.timing.days_to_reply,
            days_late: l.timing.days_late,
            days_left: l.timing.days_left,
            citation: l.citation.as_deref(),
        }
    }
}

fn kind_key(kind: &str) -> &'static str {
    match kind {
        "question" => "kind_question",
        "answer" => "kind_answer",
        "postponement" => "kind_postponement",
        "reminder" => "kind_reminder",
        "report" => "kind_report",
        _ => "kind_letter",
    }
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// "1 dag", "33 dagen".
pub fn days(t: &Translations, n: i64) -> String {
    let key = if n == 1 { "days_one" } else { "days_other" };
    t.fill(key, &[("n", &n.to_string())])
}

/// A status in words with its days: "Beantwoord na 75 dagen, 33 dagen na de
/// termijn", "Antwoord 77 dagen te laat", "Termijn verloopt over 5 dagen".
/// Without the days it needs (a partial date, no deadline) the plain label.
pub fn status_text(t: &Translations, status: Status, timing: &Timing) -> String {
    let d = |n: i64| days(t, n);
    match (
        status,
        timing.days_to_reply,
        timing.days_late,
        timing.days_left,
    ) {
        (Status::Answered, Some(reply), Some(late), _) if late > 0 => t.fill(
            "status_answered_late",
            &[("days", &d(reply)), ("late", &d(late))],
        ),
        (Status::Answered, Some(reply), ..) => {
            t.fill("status_answered_after", &[("days", &d(reply))])
        }
        (Status::Answered, None, Some(late), _) if late > 0 => {
            t.fill("status_answered_past", &[("late", &d(late))])
        }
        (Status::Overdue, _, Some(late), _) => t.fill("status_overdue_by", &[("days", &d(late))]),
        (Status::Awaiting, .., Some(0)) => t.get("status_due_today").to_string(),
        (Status::Awaiting, .., Some(left)) => t.fill("status_due_in", &[("days", &d(left))]),
        _ => t.get(status_key(status.name())).to_string(),
    }
}

pub fn status_key(status: &str) -> &'static str {
    match status {
        "answered" => "status_answered",
        "overdue" => "status_overdue",
        _ => "status_awaiting",
    }
}

/// Page numbers and links of a paginated list.
#[derive(Serialize, Clone)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Serialize, Clone)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

/// Lists longer than this are split over pages, so no page grows with the archive.
pub const PER_PAGE: usize = 100;

/// The site-relative URL of page `n` (1-based) of a list at `base`.
pub fn page_url(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

pub fn page_count(items: usize) -> usize {
    items.div_ceil(PER_PAGE).max(1)
}

impl Pagination {
    pub fn new(views: &Views<'_>, base: &str, current: usize, total: usize) -> Pagination {
        let link = |n: usize| views.url(&page_url(base, n));
        Pagination {
            current,
            total,
            prev_url: (current > 1).then(|| link(current - 1)),
            next_url: (current < total).then(|| link(current + 1)),
            pages: (1..=total)
                .map(|n| PageLink {
                    number: n,
                    url: link(n),
                    current: n == current,
                })
                .collect(),
        }
    }
}
