//! Machine-readable output: Atom feeds, the sitemap, data exports and search documents.

use std::borrow::Cow;

use serde::Serialize;

use crate::archive::{ArchivedLetter, Change, DossierIx, LetterIx};
use crate::diagnostic::Diagnostic;
use crate::search::{ReplyTiming, SearchDoc, SearchParty};

use super::Renderer;
use super::context::{Contexts, Prepared};
use super::handle::Handle;
use super::pages::{BodyHtml, View};
use super::route::{Page, SITEMAP_LIMIT, all_pages, page_url_of};
use super::view::status_text;

/// Entries of the site-wide feed, which carries each letter's full text.
const FEED_ENTRIES: usize = 50;
/// Entries of a dossier's or correspondent's feed: a summary and a link each. There are
/// thousands of these feeds in a large archive; full texts would make them most of the site.
const FOLLOW_ENTRIES: usize = 30;

/// An Atom feed: the site's, a dossier's, a correspondent's or `/open/`'s.
#[derive(Serialize)]
pub struct FeedView<'r> {
    feed_title: String,
    feed_url: String,
    html_url: String,
    updated: String,
    entries: Vec<Entry<'r>>,
}

/// One letter in a feed: its shared entry, and its full text in the site feed.
#[derive(Serialize)]
struct Entry<'r> {
    #[serde(flatten)]
    entry: FeedEntryView<'r>,
    content: Option<BodyHtml<'r>>,
}

/// A feed entry: the letter's shared one, or one made for a status change.
#[derive(Serialize)]
#[serde(untagged)]
enum FeedEntryView<'r> {
    Letter(Handle<'r, FeedEntry<'r>>),
    Change(FeedEntry<'r>),
}

impl FeedEntryView<'_> {
    fn updated(&self) -> &str {
        match self {
            FeedEntryView::Letter(h) => &h.get().updated,
            FeedEntryView::Change(e) => &e.updated,
        }
    }
}

#[derive(Serialize)]
pub struct FeedEntry<'a> {
    title: String,
    url: String,
    id: String,
    updated: String,
    authors: Vec<&'a str>,
    summary: String,
    dossier: &'a str,
}

/// The feeds and data files, as the values they are made from; `None` for an HTML page.
pub fn prepare<'r>(c: &'r Contexts<'_>, page: &Page, url: &str) -> Option<Prepared<'r>> {
    let feed = |view: FeedView<'r>| Prepared::Template {
        template: "atom.xml",
        context: Box::new(c.templated("feed", url, View::Feed(view))),
    };
    Some(match *page {
        Page::SiteFeed | Page::DossierFeed(_) | Page::CorrespondentFeed(_) => {
            feed(feed_view(c, page, url))
        }
        Page::OpenFeed => feed(open_feed(c, url)),
        Page::Sitemap(n) => Prepared::Template {
            template: "sitemap.xml",
            context: Box::new(c.templated(
                "sitemap",
                "sitemap.xml",
                View::Sitemap(sitemap(c.r, n)),
            )),
        },
        Page::LettersJson => Prepared::Data(Data::LettersJson(all_records(c))),
        Page::LettersCsv => Prepared::Data(Data::LettersCsv(all_records(c))),
        Page::LettersSqlite => Prepared::Data(Data::Sqlite(super::sqlite::view(c))),
        Page::Cmif => Prepared::Data(Data::Cmif(super::cmif::view(c))),
        Page::DossierJson(d) => Prepared::Data(Data::DossierJson(dossier_export(c, d))),
        Page::Deadlines | Page::DossierDeadlines(_) | Page::CorrespondentDeadlines(_) => {
            Prepared::Data(Data::Calendar(deadlines(c, page)))
        }
        _ => return None,
    })
}

/// A data file's value; [`Data::write`] makes its bytes from it alone (and the settings).
#[derive(Serialize)]
pub enum Data<'r> {
    LettersJson(Vec<Handle<'r, LetterRecord<'r>>>),
    LettersCsv(Vec<Handle<'r, LetterRecord<'r>>>),
    DossierJson(DossierExport<'r>),
    Sqlite(super::sqlite::SqliteView<'r>),
    Cmif(super::cmif::CmifView<'r>),
    Calendar(super::calendar::CalendarView<'r>),
}

impl Data<'_> {
    pub fn write(&self, r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
        Ok(match self {
            Data::LettersJson(records) => pretty_json(records),
            Data::LettersCsv(records) => letters_csv(records),
            Data::DossierJson(export) => pretty_json(export),
            Data::Sqlite(view) => super::sqlite::letters_sqlite(view)?,
            Data::Cmif(view) => super::cmif::write(view, r),
            Data::Calendar(view) => super::calendar::calendar(view),
        })
    }
}

/// A feed of the newest letters of the site, a dossier or a correspondent.
fn feed_view<'r>(c: &'r Contexts<'_>, page: &Page, url: &str) -> FeedView<'r> {
    let r = c.r;
    let a = r.archive;
    let (letters, title, html_url): (Vec<LetterIx>, String, String) = match *page {
        Page::DossierFeed(d) => {
            let dossier = &a.dossiers[d];
            let title = r.t.fill("feed_dossier", &[("dossier", &dossier.id)]);
            (newest(r, &dossier.letters), title, dossier.url.clone())
        }
        Page::CorrespondentFeed(k) => {
            let corr = &a.correspondents[k];
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
    let entries: Vec<Entry<'r>> = letters
        .iter()
        .map(|&l| Entry {
            entry: FeedEntryView::Letter(c.entry(l)),
            content: full_text.then(|| BodyHtml::of(c, l)),
        })
        .collect();
    FeedView {
        feed_title: title,
        feed_url: format!("{}{url}", r.base_url),
        html_url: format!("{}{html_url}", r.base_url),
        updated: updated(r, &entries),
        entries,
    }
}

/// The newest entry's date, or the build date for a feed without entries.
fn updated(r: &Renderer<'_>, entries: &[Entry<'_>]) -> String {
    entries.first().map_or_else(
        || format!("{}T00:00:00Z", r.archive.today.format("%Y-%m-%d")),
        |e| e.entry.updated().to_string(),
    )
}

/// `open/atom.xml`: the newest status changes — a request became overdue, a
/// request was answered — so a reader can follow what became late. Each
/// change has its own id (the letter's URL and the change), stable across builds.
fn open_feed<'r>(c: &'r Contexts<'_>, url: &str) -> FeedView<'r> {
    let r = c.r;
    let a = r.archive;
    let entries: Vec<Entry<'r>> = a
        .status_changes()
        .into_iter()
        .take(FEED_ENTRIES)
        .map(|ch| {
            let l = &a.letters[ch.letter];
            let title = r.views().title(l);
            let on = r.t.day(ch.on);
            let (key, anchor) = match ch.change {
                Change::BecameOverdue => ("open_feed_overdue", "overdue"),
                Change::Answered => ("open_feed_answered", "answered"),
            };
            let deadline = l.deadline.map(|d| r.t.day(d)).unwrap_or_default();
            let now = l
                .status
                .map(|s| status_text(&r.t, s, &l.timing))
                .unwrap_or_default();
            let entry = FeedEntry {
                title: r.t.fill(key, &[("title", &title), ("date", &on)]),
                url: format!("{}{}", r.base_url, l.url),
                id: format!(
                    "{}{}#{anchor}-{}",
                    r.base_url,
                    l.url,
                    ch.on.format("%Y-%m-%d")
                ),
                updated: format!("{}T00:00:00Z", ch.on.format("%Y-%m-%d")),
                authors: l.letter.from.iter().map(|p| p.display_name()).collect(),
                summary: r.t.fill(
                    "open_feed_summary",
                    &[("deadline", &deadline), ("status", &now)],
                ),
                dossier: &l.letter.dossier,
            };
            Entry {
                entry: FeedEntryView::Change(entry),
                content: None,
            }
        })
        .collect();
    FeedView {
        feed_title: r.t.fill("open_feed_title", &[("site", &r.config.title)]),
        feed_url: format!("{}{url}", r.base_url),
        html_url: format!("{}open/", r.base_url),
        updated: updated(r, &entries),
        entries,
    }
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

pub fn feed_entry<'r>(r: &'r Renderer<'_>, l: LetterIx) -> FeedEntry<'r> {
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
        dossier: &letter.letter.dossier,
    }
}

/// `sitemap.xml`: a plain list, or an index of parts when the site has more than 50,000 pages.
#[derive(Serialize)]
pub struct SitemapView {
    sitemaps: Vec<String>,
    urls: Vec<String>,
}

fn sitemap(r: &Renderer<'_>, part: usize) -> SitemapView {
    let a = r.archive;
    let pages: Vec<Page> = all_pages(a)
        .into_iter()
        .filter(|p| p.is_html() && !matches!(p, Page::Alias(..) | Page::NotFound))
        .collect();
    let parts = pages.len().div_ceil(SITEMAP_LIMIT);
    if part == 0 && parts > 1 {
        SitemapView {
            sitemaps: (1..=parts)
                .map(|n| format!("{}sitemap-{n}.xml", r.base_url))
                .collect(),
            urls: Vec::new(),
        }
    } else {
        let chunk = pages
            .chunks(SITEMAP_LIMIT)
            .nth(part.saturating_sub(1))
            .unwrap_or_default();
        SitemapView {
            sitemaps: Vec::new(),
            urls: chunk
                .iter()
                .map(|p| format!("{}{}", r.base_url, page_url_of(a, p)))
                .collect(),
        }
    }
}

/// A deadline calendar: the open requests of the archive, a dossier or an addressee.
fn deadlines<'r>(c: &'r Contexts<'_>, page: &Page) -> super::calendar::CalendarView<'r> {
    let r = c.r;
    let a = r.archive;
    let site = r.config.title.as_str();
    let (name, open) = match *page {
        Page::DossierDeadlines(d) => (
            r.t.fill(
                "calendar_dossier",
                &[("site", site), ("dossier", &a.dossiers[d].id)],
            ),
            super::calendar::open_requests(a, a.dossiers[d].letters.iter().copied()),
        ),
        Page::CorrespondentDeadlines(k) => (
            r.t.fill(
                "calendar_correspondent",
                &[("site", site), ("name", &a.correspondents[k].name)],
            ),
            super::calendar::open_requests(a, a.correspondents[k].received.iter().copied()),
        ),
        _ => (
            r.t.fill("calendar_site", &[("site", site)]),
            super::calendar::open_requests(a, 0..a.letters.len()),
        ),
    };
    super::calendar::CalendarView {
        name,
        events: open.iter().map(|&l| c.event(l)).collect(),
    }
}

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
pub(super) fn record<'a>(r: &'a Renderer<'_>, l: &'a ArchivedLetter) -> LetterRecord<'a> {
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

fn all_records<'r>(c: &'r Contexts<'_>) -> Vec<Handle<'r, LetterRecord<'r>>> {
    (0..c.r.archive.letters.len())
        .map(|l| c.record(l))
        .collect()
}

/// `data/letters.json` and a dossier's `letters.json`, pretty-printed (serde escapes all content).
fn pretty_json<T: Serialize>(value: &T) -> Vec<u8> {
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
fn dossier_export<'r>(c: &'r Contexts<'_>, d: DossierIx) -> DossierExport<'r> {
    let dossier = &c.r.archive.dossiers[d];
    DossierExport {
        dossier: &dossier.id,
        title: dossier.title.as_deref(),
        url: format!("{}{}", c.r.base_url, dossier.url),
        letters: dossier.letters.iter().map(|&l| c.record(l)).collect(),
    }
}

/// `data/letters.csv`: the same as a spreadsheet. Cells that a spreadsheet would run as a formula are quoted with `'`.
fn letters_csv(records: &[Handle<'_, LetterRecord<'_>>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        let _ = writer.serialize(record.get().defused());
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
                kenmerk: l.letter.shown.kenmerk.clone(),
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
