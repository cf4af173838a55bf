//! One letter as the data exports show it, and the exports made of those records:
//! `data/letters.json`, `data/letters.csv` and each dossier's `letters.json`.

use std::borrow::Cow;

use serde::Serialize;

use crate::archive::{ArchivedLetter, DossierIx};

use super::super::Renderer;
use super::super::context::Contexts;
use super::super::handle::Handle;

/// One letter in the data exports: metadata and links, no body. Every cell is text
/// (`Cow`), so the CSV export can defuse each one ([`LetterRecord::defused`]).
#[derive(Serialize)]
pub struct LetterRecord<'a> {
    pub(super) dossier: Cow<'a, str>,
    pub(super) letter: Cow<'a, str>,
    pub(super) title: Option<Cow<'a, str>>,
    pub(super) date: Cow<'a, str>,
    pub(super) kind: Cow<'a, str>,
    pub(super) from: Cow<'a, str>,
    pub(super) to: Cow<'a, str>,
    pub(super) in_reply_to: Cow<'a, str>,
    pub(super) reply_due: Option<Cow<'a, str>>,
    pub(super) status: Option<Cow<'a, str>>,
    pub(super) answered_on: Option<Cow<'a, str>>,
    /// Numbers are not text a reader wrote: written as they are.
    pub(super) days_to_reply: Option<i64>,
    pub(super) days_late: Option<i64>,
    pub(super) kenmerk: Option<Cow<'a, str>>,
    pub(super) citation: Option<Cow<'a, str>>,
    pub(super) tags: Cow<'a, str>,
    pub(super) url: Cow<'a, str>,
    pub(super) source: Option<Cow<'a, str>>,
}

impl<'a> LetterRecord<'a> {
    /// The record with every cell defused: the destructuring names each field, so a
    /// field added to the record does not compile until it is defused here too.
    fn defused(&self) -> LetterRecord<'_> {
        let LetterRecord {
            dossier,
            letter,
            title,
            date,
            kind,
            from,
            to,
            in_reply_to,
            reply_due,
            status,
            answered_on,
            days_to_reply,
            days_late,
            kenmerk,
            citation,
            tags,
            url,
            source,
        } = self;
        fn cell(c: &str) -> Cow<'_, str> {
            defuse_cell(Cow::Borrowed(c))
        }
        fn opt<'c>(c: &'c Option<Cow<'_, str>>) -> Option<Cow<'c, str>> {
            c.as_deref().map(|c| defuse_cell(Cow::Borrowed(c)))
        }
        LetterRecord {
            dossier: cell(dossier),
            letter: cell(letter),
            title: opt(title),
            date: cell(date),
            kind: cell(kind),
            from: cell(from),
            to: cell(to),
            in_reply_to: cell(in_reply_to),
            reply_due: opt(reply_due),
            status: opt(status),
            answered_on: opt(answered_on),
            days_to_reply: *days_to_reply,
            days_late: *days_late,
            kenmerk: opt(kenmerk),
            citation: opt(citation),
            tags: cell(tags),
            url: cell(url),
            source: opt(source),
        }
    }
}

/// A cell a spreadsheet would run as a formula gets a `'` in front: one that starts with
/// `=`, `+`, `-` or `@` (also after leading white space, which spreadsheets trim), or with
/// a tab or carriage return (OWASP's list).
fn defuse_cell(cell: Cow<'_, str>) -> Cow<'_, str> {
    let formula =
        cell.starts_with(['\t', '\r']) || cell.trim_start().starts_with(['=', '+', '-', '@']);
    if formula {
        Cow::Owned(format!("'{cell}"))
    } else {
        cell
    }
}

/// One letter as the exports show it: `letters.json`, `letters.csv`, a dossier's
/// `letters.json` and the `letters` table of `letters.sqlite`.
pub fn record<'a>(r: &'a Renderer<'_>, l: &'a ArchivedLetter) -> LetterRecord<'a> {
    let a = r.archive;
    let names = |parties: &[crate::letter::Party]| {
        parties
            .iter()
            .map(|p| p.display_name())
            .collect::<Vec<_>>()
            .join("; ")
    };
    LetterRecord {
        dossier: l.letter.dossier.as_str().into(),
        letter: l.letter.id.as_str().into(),
        title: l.letter.shown.title.as_deref().map(Cow::from),
        date: l.letter.date.iso().into(),
        kind: l.letter.kind.name().into(),
        from: names(&l.letter.from).into(),
        to: names(&l.letter.to).into(),
        in_reply_to: l
            .replies_to
            .iter()
            .map(|&t| format!("{}/{}", a.letters[t].letter.dossier, a.letters[t].letter.id))
            .chain(l.unresolved_replies.iter().cloned())
            .collect::<Vec<_>>()
            .join("; ")
            .into(),
        reply_due: l.deadline.map(|d| d.format("%Y-%m-%d").to_string().into()),
        status: l.status.map(|s| s.name().into()),
        answered_on: l
            .timing
            .answered_on
            .map(|d| d.format("%Y-%m-%d").to_string().into()),
        days_to_reply: l.timing.days_to_reply,
        days_late: l.timing.days_late,
        kenmerk: l.letter.shown.kenmerk.as_deref().map(Cow::from),
        citation: l.citation.as_deref().map(Cow::from),
        tags: l
            .tags
            .iter()
            .map(|&t| a.tags[t].name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
            .into(),
        url: format!("{}{}", r.base_url, l.url).into(),
        source: l.letter.shown.source.as_deref().map(Cow::from),
    }
}

pub(super) fn all<'r>(c: &'r Contexts<'_>) -> Vec<Handle<'r, LetterRecord<'r>>> {
    (0..c.r.archive.letters.len())
        .map(|l| c.record(l))
        .collect()
}

/// `data/letters.json` and a dossier's `letters.json`, pretty-printed (serde escapes all content).
pub(super) fn pretty_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

/// A dossier's `letters.json`: the dossier and its letters, each as in `data/letters.json`.
#[derive(Serialize)]
pub struct DossierExport<'r> {
    dossier: &'r str,
    title: Option<&'r str>,
    url: String,
    letters: Vec<Handle<'r, LetterRecord<'r>>>,
}

/// `dossiers/<id>/letters.json`: one dossier's letters, for those who follow one file.
pub(super) fn dossier_export<'r>(c: &'r Contexts<'_>, d: DossierIx) -> DossierExport<'r> {
    let dossier = &c.r.archive.dossiers[d];
    DossierExport {
        dossier: &dossier.id,
        title: dossier.title.as_deref(),
        url: format!("{}{}", c.r.base_url, dossier.url),
        letters: dossier.letters.iter().map(|&l| c.record(l)).collect(),
    }
}

/// `data/letters.csv`: the same as a spreadsheet. Cells that a spreadsheet would run as a formula are quoted with `'`.
pub(super) fn letters_csv(records: &[Handle<'_, LetterRecord<'_>>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        let _ = writer.serialize(record.get().defused());
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 9, finding 5: formulas in any column, also behind a tab or spaces.
    #[test]
    fn formula_cells_are_defused() {
        for (cell, out) in [
            ("=1+1", "'=1+1"),
            ("+SUM(A1)", "'+SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            (
                "  =HYPERLINK(\"https://evil.example\")",
                "'  =HYPERLINK(\"https://evil.example\")",
            ),
            ("Brief van 3 maart", "Brief van 3 maart"),
            ("2025-01-10", "2025-01-10"),
            ("", ""),
        ] {
            assert_eq!(defuse_cell(cell.into()), out, "{cell:?}");
        }
    }
}
