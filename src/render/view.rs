//! What templates see: borrowed, serialisable views of the archive, separate
//! from the model so the model can change without breaking themes.

use serde::Serialize;

use crate::archive::{Archive, ArchivedLetter, LetterIx};
use crate::letter::Party;

use super::i18n::Translations;

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
    /// Letters in the archive.
    pub letter_count: usize,
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
    pub deadline: Option<String>,
    pub deadline_iso: Option<String>,
    pub citation: Option<&'a str>,
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
        match &l.letter.title {
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
            has_title: l.letter.title.is_some(),
            date: self.t.date(l.letter.date),
            date_iso: l.letter.date.iso(),
            kind,
            kind_label: self.t.get(kind_key(kind)),
            from: self.parties(&l.letter.from, &l.from),
            to: self.parties(&l.letter.to, &l.to),
            status: l.status.map(|s| s.name()),
            status_label: l.status.map(|s| self.t.get(status_key(s.name()))),
            deadline: l.deadline.map(|d| self.t.day(d)),
            deadline_iso: l.deadline.map(|d| d.format("%Y-%m-%d").to_string()),
            citation: l.citation.as_deref(),
        }
    }

    pub fn summaries(&self, ixs: &[LetterIx]) -> Vec<LetterSummary<'a>> {
        ixs.iter().map(|&i| self.summary(i)).collect()
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
