//! Page routing: which pages the site has and where each one goes.

use crate::archive::{Archive, CorrespondentIx, DossierIx, ExchangeIx, LetterIx, TagIx};

use super::view::{page_count, page_url};

/// One page of the site. Cheap to copy; the archive holds the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    Home,
    Dossiers,
    Dossier(DossierIx),
    Letter(LetterIx),
    Exchange(ExchangeIx),
    Correspondents,
    /// A correspondent and the (1-based) page of their letters.
    Correspondent(CorrespondentIx, usize),
    /// A correspondent's reply statistics, as addressee and as sender.
    Statistics(CorrespondentIx),
    Tags,
    Tag(TagIx, usize),
    Years,
    /// Index into `archive.years`, page.
    Year(usize, usize),
    Search,
    /// Every awaiting and overdue request, by addressee.
    Open,
    /// The feed of status changes: became overdue, answered.
    OpenFeed,
    NotFound,
    Accessibility,
    /// A redirect from a letter's old URL: letter, index into its aliases.
    Alias(LetterIx, usize),
    SiteFeed,
    DossierFeed(DossierIx),
    CorrespondentFeed(CorrespondentIx),
    /// Sitemap part `n` (0 is `sitemap.xml`, an index when there are more parts).
    Sitemap(usize),
    LettersJson,
    LettersCsv,
    /// `data/letters.sqlite`: the archive as a SQLite database with a full-text index.
    LettersSqlite,
    /// `data/cmif.xml`: every letter's sender, addressee, date and context (CMIF, TEI).
    Cmif,
    /// `dossiers/<id>/letters.json`: one dossier's letters.
    DossierJson(DossierIx),
    /// `deadlines.ics`: the open requests of the whole archive.
    Deadlines,
    DossierDeadlines(DossierIx),
    /// The open requests addressed to a correspondent (only addressees have one).
    CorrespondentDeadlines(CorrespondentIx),
}

/// The file name of a deadline calendar, at the root and beside a dossier or addressee.
pub const CALENDAR: &str = "deadlines.ics";

/// A sitemap file may list at most this many URLs (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

impl Page {
    /// The page type, as the page manifest and `page_type` in templates name it.
    pub fn page_type(&self) -> &'static str {
        match self {
            Page::Home => "home",
            Page::Dossiers => "dossiers",
            Page::Dossier(_) => "dossier",
            Page::Letter(_) => "letter",
            Page::Exchange(_) => "exchange",
            Page::Correspondents => "correspondents",
            Page::Correspondent(..) => "correspondent",
            Page::Statistics(_) => "statistics",
            Page::Tags => "tags",
            Page::Tag(..) => "tag",
            Page::Years => "years",
            Page::Year(..) => "year",
            Page::Search => "search",
            Page::Open => "open",
            Page::NotFound => "404",
            Page::Accessibility => "accessibility",
            Page::Alias(..) => "alias",
            Page::SiteFeed | Page::DossierFeed(_) | Page::CorrespondentFeed(_) | Page::OpenFeed => {
                "feed"
            }
            Page::Sitemap(_) => "sitemap",
            Page::LettersJson
            | Page::LettersCsv
            | Page::LettersSqlite
            | Page::Cmif
            | Page::DossierJson(_) => "data",
            Page::Deadlines | Page::DossierDeadlines(_) | Page::CorrespondentDeadlines(_) => {
                "calendar"
            }
        }
    }

    /// Whether the page is an HTML page a reader visits (and the checks in CI look at).
    pub fn is_html(&self) -> bool {
        !matches!(
            self,
            Page::SiteFeed
                | Page::DossierFeed(_)
                | Page::CorrespondentFeed(_)
                | Page::OpenFeed
                | Page::Sitemap(_)
                | Page::LettersJson
                | Page::LettersCsv
                | Page::LettersSqlite
                | Page::Cmif
                | Page::DossierJson(_)
                | Page::Deadlines
                | Page::DossierDeadlines(_)
                | Page::CorrespondentDeadlines(_)
        )
    }
}

/// Every page, in a stable order.
pub fn all_pages(a: &Archive) -> Vec<Page> {
    let mut pages = vec![
        Page::Home,
        Page::Dossiers,
        Page::Correspondents,
        Page::Tags,
        Page::Years,
        Page::Search,
        Page::Open,
    ];
    pages.extend([
        Page::NotFound,
        Page::Accessibility,
        Page::SiteFeed,
        Page::OpenFeed,
        Page::LettersJson,
        Page::LettersCsv,
        Page::LettersSqlite,
        Page::Cmif,
        Page::Deadlines,
    ]);
    pages.extend((0..a.dossiers.len()).flat_map(|d| {
        [
            Page::Dossier(d),
            Page::DossierFeed(d),
            Page::DossierDeadlines(d),
            Page::DossierJson(d),
        ]
    }));
    pages.extend((0..a.letters.len()).map(Page::Letter));
    pages.extend((0..a.exchanges.len()).map(Page::Exchange));
    for (c, corr) in a.correspondents.iter().enumerate() {
        pages.extend((1..=page_count(corr.letters.len())).map(|p| Page::Correspondent(c, p)));
        pages.push(Page::Statistics(c));
        pages.push(Page::CorrespondentFeed(c));
        if !corr.received.is_empty() {
            pages.push(Page::CorrespondentDeadlines(c));
        }
    }
    for (t, tag) in a.tags.iter().enumerate() {
        pages.extend((1..=page_count(tag.letters.len())).map(|p| Page::Tag(t, p)));
    }
    for (y, year) in a.years.iter().enumerate() {
        pages.extend((1..=page_count(year.letters.len())).map(|p| Page::Year(y, p)));
    }
    for (l, letter) in a.letters.iter().enumerate() {
        pages.extend((0..letter.letter.aliases.len()).map(|i| Page::Alias(l, i)));
    }
    let html_pages = pages
        .iter()
        .filter(|p| p.is_html() && !matches!(p, Page::Alias(..) | Page::NotFound))
        .count();
    let parts = html_pages.div_ceil(SITEMAP_LIMIT);
    pages.push(Page::Sitemap(0));
    if parts > 1 {
        pages.extend((1..=parts).map(Page::Sitemap));
    }
    pages
}

/// The site-relative URL of a page (`dossiers/36521/c/`), or the file name for non-HTML output.
pub fn page_url_of(a: &Archive, page: &Page) -> String {
    match *page {
        Page::Home => String::new(),
        Page::Dossiers => "dossiers/".into(),
        Page::Dossier(d) => a.dossiers[d].url.clone(),
        Page::Letter(l) => a.letters[l].url.clone(),
        Page::Exchange(e) => a.exchanges[e].url.clone(),
        Page::Correspondents => "correspondents/".into(),
        Page::Correspondent(c, p) => page_url(&a.correspondents[c].url, p),
        Page::Statistics(c) => statistics_url(&a.correspondents[c].url),
        Page::Tags => "tags/".into(),
        Page::Tag(t, p) => page_url(&a.tags[t].url, p),
        Page::Years => "years/".into(),
        Page::Year(y, p) => page_url(&a.years[y].url, p),
        Page::Search => "search/".into(),
        Page::Open => "open/".into(),
        Page::OpenFeed => "open/atom.xml".into(),
        Page::NotFound => "404.html".into(),
        Page::Accessibility => "accessibility/".into(),
        Page::Alias(l, i) => format!("{}/", a.letters[l].letter.aliases[i]),
        Page::SiteFeed => "atom.xml".into(),
        Page::DossierFeed(d) => format!("{}atom.xml", a.dossiers[d].url),
        Page::CorrespondentFeed(c) => format!("{}atom.xml", a.correspondents[c].url),
        Page::Sitemap(0) => "sitemap.xml".into(),
        Page::Sitemap(n) => format!("sitemap-{n}.xml"),
        Page::LettersJson => "data/letters.json".into(),
        Page::LettersCsv => "data/letters.csv".into(),
        Page::LettersSqlite => "data/letters.sqlite".into(),
        Page::Cmif => "data/cmif.xml".into(),
        Page::DossierJson(d) => format!("{}letters.json", a.dossiers[d].url),
        Page::Deadlines => CALENDAR.into(),
        Page::DossierDeadlines(d) => format!("{}{CALENDAR}", a.dossiers[d].url),
        Page::CorrespondentDeadlines(c) => format!("{}{CALENDAR}", a.correspondents[c].url),
    }
}

/// The site-relative URL of a correspondent's statistics page, under their page's URL.
pub fn statistics_url(correspondent_url: &str) -> String {
    format!("{correspondent_url}statistics/")
}

/// The output file of a page URL: pretty URLs end in `/` and become `index.html`.
pub fn file_of(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}
