//! Feeds, the sitemap and the data files: each made from a value of its own.

mod calendar;
mod cmif;
mod feed;
mod records;
mod sqlite;

use std::path::Path;

use serde::Serialize;

use crate::diagnostic::Diagnostic;

use super::Renderer;
use super::context::{Contexts, Prepared};
use super::handle::Handle;
use super::pages::View;
use super::route::{Page, SITEMAP_LIMIT, all_pages, page_url_of};

pub use calendar::event;
pub use cmif::corresp_desc;
pub use feed::{FeedEntry, FeedView, feed_entry};
pub use records::{DossierExport, LetterRecord, record};

/// The feeds and data files, as the values they are made from; `None` for an HTML page.
pub fn prepare<'r>(c: &'r Contexts<'_>, page: &Page, url: &str) -> Option<Prepared<'r>> {
    let feed = |view: FeedView<'r>| Prepared::Template {
        template: "atom.xml",
        context: Box::new(c.templated("feed", url, View::Feed(view))),
    };
    Some(match *page {
        Page::SiteFeed | Page::DossierFeed(_) | Page::CorrespondentFeed(_) => {
            feed(feed::feed_view(c, page, url))
        }
        Page::OpenFeed => feed(feed::open_feed(c, url)),
        Page::Sitemap(n) => Prepared::Template {
            template: "sitemap.xml",
            context: Box::new(c.templated(
                "sitemap",
                "sitemap.xml",
                View::Sitemap(sitemap(c.r, n)),
            )),
        },
        Page::LettersJson => Prepared::Data(Data::LettersJson(records::all(c))),
        Page::LettersCsv => Prepared::Data(Data::LettersCsv(records::all(c))),
        Page::LettersSqlite => Prepared::Data(Data::Sqlite(sqlite::view(c))),
        Page::Cmif => Prepared::Data(Data::Cmif(cmif::view(c))),
        Page::DossierJson(d) => Prepared::Data(Data::DossierJson(records::dossier_export(c, d))),
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
    Sqlite(sqlite::SqliteView<'r>),
    Cmif(cmif::CmifView<'r>),
    Calendar(calendar::CalendarView<'r>),
}

impl Data<'_> {
    /// Whether the file is written straight to disk ([`Data::write_file`]) when built: the
    /// SQLite database, about 1 GB at 100,000 letters.
    pub fn too_large_to_hold(&self) -> bool {
        matches!(self, Data::Sqlite(_))
    }

    /// Writes the file into a new file at `path` without holding its bytes.
    pub fn write_file(&self, r: &Renderer<'_>, path: &Path) -> Result<(), Diagnostic> {
        match self {
            Data::Sqlite(view) => sqlite::write_letters_sqlite(view, path),
            small => {
                let bytes = small.write(r)?;
                std::fs::write(path, bytes)
                    .map_err(|e| Diagnostic::error_in(path, format!("cannot write: {e}")))
            }
        }
    }

    pub fn write(&self, r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
        Ok(match self {
            Data::LettersJson(records) => records::pretty_json(records),
            Data::LettersCsv(records) => records::letters_csv(records),
            Data::DossierJson(export) => records::pretty_json(export),
            Data::Sqlite(view) => sqlite::letters_sqlite(view)?,
            Data::Cmif(view) => cmif::write(view, r),
            Data::Calendar(view) => calendar::calendar(view),
        })
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
fn deadlines<'r>(c: &'r Contexts<'_>, page: &Page) -> calendar::CalendarView<'r> {
    let r = c.r;
    let a = r.archive;
    let site = r.config.title.as_str();
    let (name, open) = match *page {
        Page::DossierDeadlines(d) => (
            r.t.fill(
                "calendar_dossier",
                &[("site", site), ("dossier", &a.dossiers[d].id)],
            ),
            calendar::open_requests(a, a.dossiers[d].letters.iter().copied()),
        ),
        Page::CorrespondentDeadlines(k) => (
            r.t.fill(
                "calendar_correspondent",
                &[("site", site), ("name", &a.correspondents[k].name)],
            ),
            calendar::open_requests(a, a.correspondents[k].received.iter().copied()),
        ),
        _ => (
            r.t.fill("calendar_site", &[("site", site)]),
            calendar::open_requests(a, 0..a.letters.len()),
        ),
    };
    calendar::CalendarView {
        name,
        events: open.iter().map(|&l| c.event(l)).collect(),
    }
}
