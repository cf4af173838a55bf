//! Machine-readable output: Atom feeds, the sitemap, data exports and search documents.

use std::borrow::Cow;

use serde::Serialize;

use crate::archive::{ArchivedLetter, Change, DossierIx, LetterIx};
use crate::diagnostic::Diagnostic;
use crate::search::{ReplyTiming, SearchDoc, SearchParty};

use super::Renderer;
use super::pages::{Page, SITEMAP_LIMIT, all_pages, page_url_of};
use super::view::status_text;

/// Entries of the site-wide feed, which carries each letter's full text.
const FEED_ENTRIES: usize = 50;
/// Entries of a dossier's or correspondent's feed: a summary and a link each. There are
/// thousands of these feeds in a large archive; full texts would make them most of the site.
const FOLLOW_ENTRIES: usize = 30;

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: String,
    url: String,
    id: String,
    updated: String,
    authors: Vec<&'a str>,
    summary: String,
    content: Option<&'a str>,
    dossier: &'a str,
}

/// An Atom feed of the newest letters of the site, a dossier or a correspondent.
pub fn feed(r: &Renderer<'_>, page: &Page, url: &str) -> Result<Vec<u8>, Diagnostic> {
    let a = r.archive;
    let (letters, title, html_url): (Vec<LetterIx>, String, String) = match *page {
        Page::DossierFeed(d) => {
            let dossier = &a.dossiers[d];
            let title = r.t.fill("feed_dossier", &[("dossier", &dossier.id)]);
            (newest(r, &dossier.letters), title, dossier.url.clone())
        }
        Page::CorrespondentFeed(c) => {
            let corr = &a.correspondents[c];
            let mut all: Vec<LetterIx> = corr.sent.iter().chain(&corr.received).copied().collect();
            all.sort_unstable();
            all.dedup();
            (
                newest(r, &all),
                r.t.fill("feed_correspondent", &[("name", &corr.name)]),
                corr.url.clone(),
            )
        }
        _ => (
            a.newest_first.iter().take(FEED_ENTRIES).copied().collect(),
            r.config.title.clone(),
            String::new(),
        ),
    };
    let full_text = matches!(page, Page::SiteFeed);
    let entries: Vec<FeedEntry<'_>> = letters
        .iter()
        .map(|&l| feed_entry(r, l, full_text))
        .collect();
    let updated = entries.first().map_or_else(
        || format!("{}T00:00:00Z", r.archive.today.format("%Y-%m-%d")),
        |e| e.updated.clone(),
    );
    let mut ctx = r.context("feed", url);
    ctx.insert("feed_title", &title);
    ctx.insert("feed_url", &format!("{}{url}", r.base_url));
    ctx.insert("html_url", &format!("{}{html_url}", r.base_url));
    ctx.insert("updated", &updated);
    ctx.insert("entries", &entries);
    r.render_template("atom.xml", &ctx)
}

/// `open/atom.xml`: the newest status changes — a request became overdue, a
/// request was answered — so a reader can follow what became late. Each
/// change has its own id (the letter's URL and the change), stable across builds.
pub fn open_feed(r: &Renderer<'_>, url: &str) -> Result<Vec<u8>, Diagnostic> {
    let a = r.archive;
    let entries: Vec<FeedEntry<'_>> = a
        .status_changes()
        .into_iter()
        .take(FEED_ENTRIES)
        .map(|c| {
            let l = &a.letters[c.letter];
            let title = r.views().title(l);
            let on = r.t.day(c.on);
            let (key, anchor) = match c.change {
                Change::BecameOverdue => ("open_feed_overdue", "overdue"),
                Change::Answered => ("open_feed_answered", "answered"),
            };
            let deadline = l.deadline.map(|d| r.t.day(d)).unwrap_or_default();
            let now = l
                .status
                .map(|s| status_text(&r.t, s, &l.timing))
                .unwrap_or_default();
            FeedEntry {
                title: r.t.fill(key, &[("title", &title), ("date", &on)]),
                url: format!("{}{}", r.base_url, l.url),
                id: format!(
                    "{}{}#{anchor}-{}",
                    r.base_url,
                    l.url,
                    c.on.format("%Y-%m-%d")
                ),
                updated: format!("{}T00:00:00Z", c.on.format("%Y-%m-%d")),
                authors: l.letter.from.iter().map(|p| p.display_name()).collect(),
                summary: r.t.fill(
                    "open_feed_summary",
                    &[("deadline", &deadline), ("status", &now)],
                ),
                content: None,
                dossier: &l.letter.dossier,
            }
        })
        .collect();
    let updated = entries.first().map_or_else(
        || format!("{}T00:00:00Z", a.today.format("%Y-%m-%d")),
        |e| e.updated.clone(),
    );
    let mut ctx = r.context("feed", url);
    ctx.insert(
        "feed_title",
        &r.t.fill("open_feed_title", &[("site", &r.config.title)]),
    );
    ctx.insert("feed_url", &format!("{}{url}", r.base_url));
    ctx.insert("html_url", &format!("{}open/", r.base_url));
    ctx.insert("updated", &updated);
    ctx.insert("entries", &entries);
    r.render_template("atom.xml", &ctx)
}

fn newest(r: &Renderer<'_>, letters: &[LetterIx]) -> Vec<LetterIx> {
    let mut sorted = letters.to_vec();
    sorted.sort_by_key(|&l| {
        (
            std::cmp::Reverse(r.archive.letters[l].letter.date.start()),
            std::cmp::Reverse(l),
        )
    });
    sorted.truncate(FOLLOW_ENTRIES);
    sorted
}

fn feed_entry<'a>(r: &'a Renderer<'a>, l: LetterIx, full_text: bool) -> FeedEntry<'a> {
    let letter = &r.archive.letters[l];
    FeedEntry {
        title: r.views().title(letter),
        url: format!("{}{}", r.base_url, letter.url),
        id: format!("{}{}", r.base_url, letter.url),
        updated: format!(
            "{}T00:00:00Z",
            letter.letter.date.start().format("%Y-%m-%d")
        ),
        authors: letter
            .letter
            .from
            .iter()
            .map(|p| p.display_name())
            .collect(),
        summary: r.body(l).summary.clone(),
        content: full_text.then(|| r.body(l).html.as_str()),
        dossier: &letter.letter.dossier,
    }
}

/// `sitemap.xml`: a plain list, or an index of parts when the site has more than 50,000 pages.
pub fn sitemap(r: &Renderer<'_>, part: usize) -> Result<Vec<u8>, Diagnostic> {
    let pages: Vec<Page> = all_pages(r.archive)
        .into_iter()
        .filter(|p| p.is_html() && !matches!(p, Page::Alias(..) | Page::NotFound))
        .collect();
    let parts = pages.len().div_ceil(SITEMAP_LIMIT);
    let mut ctx = r.context("sitemap", "sitemap.xml");
    if part == 0 && parts > 1 {
        let urls: Vec<String> = (1..=parts)
            .map(|n| format!("{}sitemap-{n}.xml", r.base_url))
            .collect();
        ctx.insert("sitemaps", &urls);
        ctx.insert("urls", &Vec::<String>::new());
    } else {
        let chunk = pages
            .chunks(SITEMAP_LIMIT)
            .nth(part.saturating_sub(1))
            .unwrap_or_default();
        let urls: Vec<String> = chunk
            .iter()
            .map(|p| format!("{}{}", r.base_url, page_url_of(r, p)))
            .collect();
        ctx.insert("sitemaps", &Vec::<String>::new());
        ctx.insert("urls", &urls);
    }
    r.render_template("sitemap.xml", &ctx)
}

/// One letter in the data exports: metadata and links, no body. Every cell is text
/// (`Cow`), so the CSV export can defuse each one ([`LetterRecord::defused`]).
#[derive(Serialize)]
pub(super) struct LetterRecord<'a> {
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
    fn defused(self) -> LetterRecord<'a> {
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
        let opt = |cell: Option<Cow<'a, str>>| cell.map(defuse_cell);
        LetterRecord {
            dossier: defuse_cell(dossier),
            letter: defuse_cell(letter),
            title: opt(title),
            date: defuse_cell(date),
            kind: defuse_cell(kind),
            from: defuse_cell(from),
            to: defuse_cell(to),
            in_reply_to: defuse_cell(in_reply_to),
            reply_due: opt(reply_due),
            status: opt(status),
            answered_on: opt(answered_on),
            days_to_reply,
            days_late,
            kenmerk: opt(kenmerk),
            citation: opt(citation),
            tags: defuse_cell(tags),
            url: defuse_cell(url),
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

fn records<'a>(r: &'a Renderer<'a>) -> impl Iterator<Item = LetterRecord<'a>> + 'a {
    r.archive.letters.iter().map(move |l| record(r, l))
}

/// One letter as the exports show it: `letters.json`, `letters.csv`, a dossier's
/// `letters.json` and the `letters` table of `letters.sqlite`.
pub(super) fn record<'a>(r: &'a Renderer<'a>, l: &'a ArchivedLetter) -> LetterRecord<'a> {
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
        title: l.letter.title.as_deref().map(Cow::from),
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
        kenmerk: l.letter.kenmerk.as_deref().map(Cow::from),
        citation: l.citation.as_deref().map(Cow::from),
        tags: l
            .tags
            .iter()
            .map(|&t| a.tags[t].name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
            .into(),
        url: format!("{}{}", r.base_url, l.url).into(),
        source: l.letter.source.as_deref().map(Cow::from),
    }
}

/// `data/letters.json`: every letter's metadata as a JSON array (serde escapes all content).
pub fn letters_json(r: &Renderer<'_>) -> Vec<u8> {
    let all: Vec<LetterRecord<'_>> = records(r).collect();
    let mut out = serde_json::to_vec_pretty(&all).unwrap_or_default();
    out.push(b'\n');
    out
}

/// A dossier's `letters.json`: the dossier and its letters, each as in `data/letters.json`.
#[derive(Serialize)]
struct DossierExport<'a> {
    dossier: &'a str,
    title: Option<&'a str>,
    url: String,
    letters: Vec<LetterRecord<'a>>,
}

/// `dossiers/<id>/letters.json`: one dossier's letters, for those who follow one file.
pub fn dossier_json(r: &Renderer<'_>, d: DossierIx) -> Vec<u8> {
    let dossier = &r.archive.dossiers[d];
    let export = DossierExport {
        dossier: &dossier.id,
        title: dossier.title.as_deref(),
        url: format!("{}{}", r.base_url, dossier.url),
        letters: dossier
            .letters
            .iter()
            .map(|&l| record(r, &r.archive.letters[l]))
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&export).unwrap_or_default();
    out.push(b'\n');
    out
}

/// `data/letters.csv`: the same as a spreadsheet. Cells that a spreadsheet would run as a formula are quoted with `'`.
pub fn letters_csv(r: &Renderer<'_>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records(r) {
        let _ = writer.serialize(record.defused());
    }
    writer.into_inner().unwrap_or_default()
}

/// The letters as the search index sees them, in archive order.
pub fn search_docs(
    r: &Renderer<'_>,
    mut text_of: impl FnMut(LetterIx) -> String,
) -> Vec<SearchDoc> {
    let a = r.archive;
    let party = |c: usize| SearchParty {
        slug: a.correspondents[c].slug.clone(),
        name: a.correspondents[c].name.clone(),
        url: a.correspondents[c].url.clone(),
    };
    a.letters
        .iter()
        .enumerate()
        .map(|(ix, l)| {
            let start = l.letter.date.start();
            SearchDoc {
                url: l.url.clone(),
                title: r.views().title(l),
                dossier: l.letter.dossier.clone(),
                letter: l.letter.id.clone(),
                date: l.letter.date.iso(),
                date_display: r.t.date(l.letter.date),
                sort_date: start
                    .format("%Y%m%d")
                    .to_string()
                    .parse()
                    .unwrap_or_default(),
                year: l.letter.date.year(),
                from: l.from.iter().map(|&c| party(c)).collect(),
                to: l.to.iter().map(|&c| party(c)).collect(),
                kind: l.letter.kind.name().to_string(),
                tags: l
                    .tags
                    .iter()
                    .map(|&t| SearchParty {
                        slug: a.tags[t].slug.clone(),
                        name: a.tags[t].name.clone(),
                        url: a.tags[t].url.clone(),
                    })
                    .collect(),
                status: l.status.map(|s| s.name().to_string()),
                reply: ReplyTiming {
                    text: l.status.map(|s| status_text(&r.t, s, &l.timing)),
                    days_to_reply: l.timing.days_to_reply,
                    days_late: l.timing.days_late,
                    days_left: l.timing.days_left,
                },
                text: text_of(ix),
                kenmerk: l.letter.kenmerk.clone(),
            }
        })
        .collect()
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
