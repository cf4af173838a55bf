//! The pages of the site: which exist, where they go, and what each template sees.

use serde::Serialize;
use tera::Context;

use crate::archive::{CorrespondentIx, DossierIx, ExchangeIx, LetterIx, TagIx, ThreadPlace};
use crate::diagnostic::Diagnostic;

use super::markdown::{FootnoteLabels, NoLetters, label_footnotes, render_markdown};
use super::thread::{AnsweredLetter, ThreadNode, anchor_of, letters_from_elsewhere, thread_tree};
use super::view::{LetterSummary, PER_PAGE, Pagination, page_count, page_url};
use super::{OutputFile, Renderer, calendar, cmif, data, figures, linked_data, sqlite};

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
const CALENDAR: &str = "deadlines.ics";

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
pub fn all_pages(a: &crate::archive::Archive) -> Vec<Page> {
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
pub fn page_url_of(r: &Renderer<'_>, page: &Page) -> String {
    let a = r.archive;
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

pub fn render_page(r: &Renderer<'_>, page: &Page) -> Result<OutputFile, Diagnostic> {
    let url = page_url_of(r, page);
    let bytes = match *page {
        Page::SiteFeed | Page::DossierFeed(_) | Page::CorrespondentFeed(_) => {
            data::feed(r, page, &url)?
        }
        Page::OpenFeed => data::open_feed(r, &url)?,
        Page::Sitemap(n) => data::sitemap(r, n)?,
        Page::LettersJson => data::letters_json(r),
        Page::LettersCsv => data::letters_csv(r),
        Page::LettersSqlite => sqlite::letters_sqlite(r)?,
        Page::Cmif => cmif::cmif(r),
        Page::DossierJson(d) => data::dossier_json(r, d),
        Page::Deadlines | Page::DossierDeadlines(_) | Page::CorrespondentDeadlines(_) => {
            deadlines(r, page)
        }
        _ => {
            let mut ctx = r.context(page.page_type(), &url);
            let template = fill_context(r, page, &mut ctx);
            r.render_template(template, &ctx)?
        }
    };
    Ok(OutputFile {
        path: file_of(&url),
        bytes,
    })
}

/// A deadline calendar: the open requests of the archive, a dossier or an addressee.
fn deadlines(r: &Renderer<'_>, page: &Page) -> Vec<u8> {
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
        Page::CorrespondentDeadlines(c) => (
            r.t.fill(
                "calendar_correspondent",
                &[("site", site), ("name", &a.correspondents[c].name)],
            ),
            calendar::open_requests(a, a.correspondents[c].received.iter().copied()),
        ),
        _ => (
            r.t.fill("calendar_site", &[("site", site)]),
            calendar::open_requests(a, 0..a.letters.len()),
        ),
    };
    calendar::calendar(r, &name, &open)
}

/// Fills the page's own values into `ctx` and returns its template.
fn fill_context(r: &Renderer<'_>, page: &Page, ctx: &mut Context) -> &'static str {
    match *page {
        Page::Home => home(r, ctx),
        Page::Dossiers => dossiers(r, ctx),
        Page::Dossier(d) => dossier(r, d, ctx),
        Page::Letter(l) => letter(r, l, ctx),
        Page::Exchange(e) => exchange(r, e, ctx),
        Page::Correspondents => correspondents(r, ctx),
        Page::Correspondent(c, p) => correspondent(r, c, p, ctx),
        Page::Statistics(c) => statistics(r, c, ctx),
        Page::Tags => tags(r, ctx),
        Page::Tag(t, p) => tag(r, t, p, ctx),
        Page::Years => years(r, ctx),
        Page::Year(y, p) => year(r, y, p, ctx),
        Page::Search => search(r, ctx),
        Page::Open => open(r, ctx),
        Page::NotFound => "404.html",
        Page::Accessibility => "accessibility.html",
        Page::Alias(l, _) => {
            ctx.insert("target", &r.views().url(&r.archive.letters[l].url));
            "alias.html"
        }
        _ => "404.html",
    }
}

#[derive(Serialize)]
struct DossierRow<'a> {
    id: &'a str,
    title: Option<&'a str>,
    url: String,
    letter_count: usize,
    first_date: String,
    last_date: String,
    open: usize,
}

fn dossier_row<'r>(r: &'r Renderer<'_>, d: DossierIx) -> DossierRow<'r> {
    let a = r.archive;
    let dossier = &a.dossiers[d];
    let date = |ix: Option<&usize>| {
        ix.map(|&i| r.t.date(a.letters[i].letter.date))
            .unwrap_or_default()
    };
    DossierRow {
        id: &dossier.id,
        title: dossier.title.as_deref(),
        url: r.views().url(&dossier.url),
        letter_count: dossier.letters.len(),
        first_date: date(dossier.letters.first()),
        last_date: date(dossier.letters.last()),
        open: dossier
            .letters
            .iter()
            .filter(|&&l| matches!(a.letters[l].status, Some(s) if s != crate::archive::Status::Answered))
            .count(),
    }
}

#[derive(Serialize)]
struct NamedCount {
    name: String,
    url: String,
    count: usize,
    detail: Option<String>,
}

fn correspondent_row(r: &Renderer<'_>, c: CorrespondentIx) -> NamedCount {
    let corr = &r.archive.correspondents[c];
    NamedCount {
        name: corr.name.clone(),
        url: r.views().url(&corr.url),
        count: corr.sent.len() + corr.received.len(),
        detail: corr.roles.first().or(corr.organisations.first()).cloned(),
    }
}

/// The home page shows this many overdue requests; `/open/` has them all.
pub const HOME_OVERDUE: usize = 10;

fn home(r: &Renderer<'_>, ctx: &mut Context) -> &'static str {
    let a = r.archive;
    let views = r.views();
    let recent_count = r.config.archive.recent_count();
    let recent: Vec<usize> = a.newest_first.iter().take(recent_count).copied().collect();
    ctx.insert("recent", &views.summaries(&recent));
    let overdue = a.overdue();
    ctx.insert(
        "overdue",
        &views.summaries(&overdue[..overdue.len().min(HOME_OVERDUE)]),
    );
    let mut by_latest: Vec<DossierIx> = (0..a.dossiers.len()).collect();
    by_latest.sort_by_key(|&d| {
        std::cmp::Reverse(
            a.dossiers[d]
                .letters
                .last()
                .map(|&l| a.letters[l].letter.date.start()),
        )
    });
    let dossiers: Vec<_> = by_latest
        .iter()
        .take(12)
        .map(|&d| dossier_row(r, d))
        .collect();
    ctx.insert("dossiers", &dossiers);
    let mut busiest: Vec<CorrespondentIx> = (0..a.correspondents.len()).collect();
    busiest.sort_by_key(|&c| {
        std::cmp::Reverse(a.correspondents[c].sent.len() + a.correspondents[c].received.len())
    });
    let correspondents: Vec<_> = busiest
        .iter()
        .take(12)
        .map(|&c| correspondent_row(r, c))
        .collect();
    ctx.insert("correspondents", &correspondents);
    ctx.insert("dossier_count", &a.dossiers.len());
    ctx.insert("correspondent_count", &a.correspondents.len());
    "home.html"
}

#[derive(Serialize)]
struct OpenGroupView<'a> {
    name: &'a str,
    url: String,
    anchor: String,
    open: usize,
    overdue: usize,
    letters: Vec<LetterSummary<'a>>,
}

/// The id of an addressee's section on `/open/`.
pub fn open_anchor(slug: &str) -> String {
    format!("pk-open-{slug}")
}

fn open(r: &Renderer<'_>, ctx: &mut Context) -> &'static str {
    let a = r.archive;
    let views = r.views();
    let groups: Vec<_> = a
        .open_by_addressee()
        .into_iter()
        .map(|g| {
            let c = &a.correspondents[g.addressee];
            OpenGroupView {
                name: &c.name,
                url: views.url(&c.url),
                anchor: open_anchor(&c.slug),
                open: g.letters.len(),
                overdue: g.overdue,
                letters: views.summaries(&g.letters),
            }
        })
        .collect();
    let open = a.open_requests();
    let overdue = open
        .iter()
        .filter(|&&l| a.letters[l].status == Some(crate::archive::Status::Overdue))
        .count();
    ctx.insert("groups", &groups);
    ctx.insert("open_count", &open.len());
    ctx.insert("overdue_count", &overdue);
    ctx.insert("feed_url", &views.url("open/atom.xml"));
    "open.html"
}

fn dossiers(r: &Renderer<'_>, ctx: &mut Context) -> &'static str {
    let rows: Vec<_> = (0..r.archive.dossiers.len())
        .map(|d| dossier_row(r, d))
        .collect();
    ctx.insert("dossiers", &rows);
    "dossiers.html"
}

#[derive(Serialize)]
struct ExchangeView<'a> {
    url: String,
    title: String,
    status: Option<&'static str>,
    status_label: Option<&'a str>,
    /// In date order.
    letters: Vec<LetterSummary<'a>>,
    /// Each letter under the letter it answers; letters outside the page's
    /// dossier marked.
    thread: Vec<ThreadNode<'a>>,
}

/// An exchange as a page about dossier `home` shows it.
fn exchange_view<'a>(
    r: &'a Renderer<'a>,
    e: ExchangeIx,
    home: DossierIx,
    places: &[ThreadPlace],
) -> ExchangeView<'a> {
    let ex = &r.archive.exchanges[e];
    let views = r.views();
    ExchangeView {
        url: views.url(&ex.url),
        title: views.title(&r.archive.letters[ex.root]),
        status: ex.status.map(|s| s.name()),
        status_label: ex
            .status
            .map(|s| r.t.get(super::view::status_key(s.name()))),
        letters: views.summaries(&ex.letters),
        thread: thread_tree(r, places, home),
    }
}

fn markdown_html(r: &Renderer<'_>, text: &str) -> String {
    let labels = FootnoteLabels {
        heading: r.t.get("footnotes"),
        back: r.t.get("footnote_back"),
        table: r.t.get("table_label"),
    };
    render_markdown(text, &r.base_path, &NoLetters, &labels).html
}

/// A letter named in a gap report, linked when it is in the archive.
#[derive(Serialize)]
struct GapLetter {
    label: String,
    url: String,
}

#[derive(Serialize)]
struct GapsView {
    /// Runs of missing ids: "C", "F–H".
    lettering: Vec<String>,
    /// Cited ids the archive lacks, with the letters citing them.
    cited: Vec<CitedGap>,
    /// Letters whose `in_reply_to` names no letter, with what they wrote.
    unresolved: Vec<UnresolvedGap>,
    empty: bool,
}

#[derive(Serialize)]
struct CitedGap {
    id: String,
    by: Vec<GapLetter>,
}

#[derive(Serialize)]
struct UnresolvedGap {
    letter: GapLetter,
    written: String,
}

fn gaps_view(r: &Renderer<'_>, d: DossierIx) -> GapsView {
    let gaps = r.gaps(d);
    let link = |l: LetterIx| {
        let letter = &r.archive.letters[l];
        GapLetter {
            label: format!("{}, {}", letter.letter.dossier, letter.letter.id),
            url: r.views().url(&letter.url),
        }
    };
    GapsView {
        lettering: gaps.lettering_runs(),
        cited: gaps
            .cited
            .iter()
            .map(|(id, by)| CitedGap {
                id: id.clone(),
                by: by.iter().map(|&l| link(l)).collect(),
            })
            .collect(),
        unresolved: gaps
            .unresolved
            .iter()
            .map(|(l, written)| UnresolvedGap {
                letter: link(*l),
                written: written.clone(),
            })
            .collect(),
        empty: gaps.is_empty(),
    }
}

/// Letters of another dossier that a dossier page shows: "5 uit 37104".
#[derive(Serialize)]
struct LettersFrom<'a> {
    dossier: &'a str,
    url: String,
    count: usize,
}

fn dossier(r: &Renderer<'_>, d: DossierIx, ctx: &mut Context) -> &'static str {
    let dossier = &r.archive.dossiers[d];
    ctx.insert("gaps", &gaps_view(r, d));
    ctx.insert("dossier", &dossier_row(r, d));
    ctx.insert(
        "description",
        &dossier.description.as_deref().map(|m| markdown_html(r, m)),
    );
    let exchanges: Vec<_> = dossier
        .exchanges
        .iter()
        .map(|&e| exchange_view(r, e, d, &r.archive.exchanges[e].thread(r.archive)))
        .collect();
    ctx.insert("exchanges", &exchanges);
    let elsewhere: Vec<_> = letters_from_elsewhere(r, d)
        .into_iter()
        .map(|(other, count)| LettersFrom {
            dossier: &r.archive.dossiers[other].id,
            url: r.views().url(&r.archive.dossiers[other].url),
            count,
        })
        .collect();
    ctx.insert("letters_elsewhere", &elsewhere);
    let timeline = r.archive.timeline(d);
    let title = r.t.fill("timeline_title", &[("id", &dossier.id)]);
    ctx.insert("timeline", &figures::timeline_figure(r, title, &timeline));
    ctx.insert(
        "timeline_rows",
        &r.views().summaries(
            &timeline
                .letters
                .iter()
                .map(|l| l.letter)
                .collect::<Vec<_>>(),
        ),
    );
    ctx.insert(
        "feed_url",
        &r.views().url(&format!("{}atom.xml", dossier.url)),
    );
    ctx.insert(
        "calendar_url",
        &r.views().url(&page_url_of(r, &Page::DossierDeadlines(d))),
    );
    ctx.insert(
        "json_url",
        &r.views().url(&page_url_of(r, &Page::DossierJson(d))),
    );
    "dossier.html"
}

#[derive(Serialize)]
struct Attachment {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct TagLink<'a> {
    name: &'a str,
    url: String,
}

fn letter(r: &Renderer<'_>, ix: LetterIx, ctx: &mut Context) -> &'static str {
    let a = r.archive;
    let views = r.views();
    let l = &a.letters[ix];
    ctx.insert("letter", &views.summary(ix));
    ctx.insert("body", &r.body(ix).html);
    ctx.insert("in_reply_to", &views.summaries(&l.replies_to));
    ctx.insert("unresolved_replies", &l.unresolved_replies);
    ctx.insert("cited_by", &views.summaries(&l.cited_by));
    ctx.insert("answered_by", &views.summaries(&l.answers));
    let others: Vec<LetterIx> = l
        .replied_by
        .iter()
        .filter(|r| !l.answers.contains(r))
        .copied()
        .collect();
    ctx.insert("other_responses", &views.summaries(&others));
    ctx.insert("prev", &l.prev.map(|p| views.summary(p)));
    ctx.insert("next", &l.next.map(|n| views.summary(n)));
    let attachments: Vec<_> = l
        .letter
        .attachments
        .iter()
        .map(|name| Attachment {
            name: name.clone(),
            url: views.url(&format!("{}{name}", l.url)),
        })
        .collect();
    ctx.insert("attachments", &attachments);
    let tags: Vec<_> = l
        .tags
        .iter()
        .map(|&t| TagLink {
            name: &a.tags[t].name,
            url: views.url(&a.tags[t].url),
        })
        .collect();
    ctx.insert("tags", &tags);
    ctx.insert("source", &l.letter.source);
    ctx.insert("kenmerk", &l.letter.kenmerk);
    ctx.insert("session", &l.session);
    ctx.insert(
        "chamber_label",
        &l.chamber.map(|c| {
            r.t.get(if c.roman() == "I" {
                "chamber_i"
            } else {
                "chamber_ii"
            })
        }),
    );
    ctx.insert("date_window", &date_window(r, ix));
    ctx.insert("deadline_derived", &l.letter.reply_due_derived);
    let ex = &a.exchanges[l.exchange];
    ctx.insert("exchange_url", &views.url(&ex.url));
    ctx.insert("exchange_size", &ex.letters.len());
    ctx.insert("extra", &l.letter.extra);
    ctx.insert("json_ld", &linked_data::letter_json_ld(r, ix));
    "letter.html"
}

/// "tussen 7 oktober 1891 en 30 april 1892" when the date is uncertain.
fn date_window(r: &Renderer<'_>, ix: LetterIx) -> Option<String> {
    let l = &r.archive.letters[ix].letter;
    match (l.date_not_before, l.date_not_after) {
        (Some(b), Some(e)) => Some(r.t.fill(
            "date_between",
            &[("start", &r.t.date(b)), ("end", &r.t.date(e))],
        )),
        (Some(b), None) => Some(r.t.fill("date_not_before", &[("date", &r.t.date(b))])),
        (None, Some(e)) => Some(r.t.fill("date_not_after", &[("date", &r.t.date(e))])),
        (None, None) => None,
    }
}

#[derive(Serialize)]
struct ThreadLetter<'a> {
    #[serde(flatten)]
    summary: LetterSummary<'a>,
    body: String,
    anchor: String,
    /// In another dossier than the exchange's first letter.
    elsewhere: bool,
    answers: Option<AnsweredLetter>,
}

/// Several bodies on one page would repeat ids (`fn-1`, headings): prefix every
/// id and in-page link of one body so each stays unique and still resolves. The
/// `--` joint cannot occur in a slug, so a body's ids never meet the page's own
/// (`{anchor}-h`) or another letter's anchor.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}--"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}--"))
}

/// An exchange as a thread: the contents as nested lists, then each letter in
/// that order, a reply after the letter it answers.
fn exchange(r: &Renderer<'_>, e: ExchangeIx, ctx: &mut Context) -> &'static str {
    let a = r.archive;
    let views = r.views();
    let ex = &a.exchanges[e];
    let home = a.letters[ex.root].dossier;
    let places = ex.thread(a);
    let view = exchange_view(r, e, home, &places);
    let letters: Vec<_> = places
        .iter()
        .map(|p| {
            let anchor = anchor_of(r, p.letter);
            let letter = &a.letters[p.letter].letter;
            // Each letter's footnotes are a region: named after their letter, the regions
            // on this page stay distinguishable (axe landmark-unique).
            let reference = format!("{}, {}", letter.dossier, letter.id);
            let label = r.t.fill("footnotes_of", &[("ref", &reference)]);
            ThreadLetter {
                summary: views.summary(p.letter),
                body: label_footnotes(&prefix_ids(&r.body(p.letter).html, &anchor), &label),
                anchor,
                elsewhere: a.letters[p.letter].dossier != home,
                answers: p.parent.map(|q| AnsweredLetter::new(r, q)),
            }
        })
        .collect();
    let mut dossiers: Vec<DossierIx> = ex.letters.iter().map(|&l| a.letters[l].dossier).collect();
    dossiers.sort_unstable();
    dossiers.dedup();
    // The dossier of the first letter leads: the breadcrumb names it alone.
    dossiers.sort_by_key(|&d| d != home);
    let dossiers: Vec<_> = dossiers.into_iter().map(|d| dossier_row(r, d)).collect();
    ctx.insert("exchange", &view);
    ctx.insert("thread", &letters);
    ctx.insert("dossiers", &dossiers);
    "exchange.html"
}

fn correspondents(r: &Renderer<'_>, ctx: &mut Context) -> &'static str {
    let rows: Vec<_> = (0..r.archive.correspondents.len())
        .map(|c| NamedCount {
            // The alphabetical list shows the name it is sorted by.
            name: r.archive.correspondents[c].index_name.clone(),
            ..correspondent_row(r, c)
        })
        .collect();
    ctx.insert("correspondents", &rows);
    "correspondents.html"
}

#[derive(Serialize)]
struct DossierGroup<'a> {
    dossier: DossierRow<'a>,
    letters: Vec<CorrespondentLetter<'a>>,
}

#[derive(Serialize)]
struct CorrespondentLetter<'a> {
    #[serde(flatten)]
    summary: LetterSummary<'a>,
    sent: bool,
    received: bool,
}

fn correspondent(
    r: &Renderer<'_>,
    c: CorrespondentIx,
    page: usize,
    ctx: &mut Context,
) -> &'static str {
    let a = r.archive;
    let corr = &a.correspondents[c];
    // Letters are stored by dossier, then date, so one pass groups them by dossier.
    let all = &corr.letters;
    let total = page_count(all.len());
    let chunk = all.chunks(PER_PAGE).nth(page - 1).unwrap_or_default();
    let mut groups: Vec<DossierGroup<'_>> = Vec::new();
    for &l in chunk {
        let d = a.letters[l].dossier;
        if groups
            .last()
            .is_none_or(|g| g.dossier.url != r.views().url(&a.dossiers[d].url))
        {
            groups.push(DossierGroup {
                dossier: dossier_row(r, d),
                letters: Vec::new(),
            });
        }
        let item = CorrespondentLetter {
            summary: r.views().summary(l),
            sent: corr.sent.binary_search(&l).is_ok(),
            received: corr.received.binary_search(&l).is_ok(),
        };
        if let Some(g) = groups.last_mut() {
            g.letters.push(item);
        }
    }
    ctx.insert("correspondent", &CorrespondentView::new(r, c));
    ctx.insert("groups", &groups);
    ctx.insert(
        "pagination",
        &Pagination::new(&r.views(), &corr.url, page, total),
    );
    ctx.insert("feed_url", &r.views().url(&format!("{}atom.xml", corr.url)));
    let calendar =
        (!corr.received.is_empty()).then(|| page_url_of(r, &Page::CorrespondentDeadlines(c)));
    ctx.insert("calendar_url", &calendar.map(|u| r.views().url(&u)));
    "correspondent.html"
}

#[derive(Serialize)]
struct CorrespondentView<'a> {
    name: &'a str,
    roles: &'a [String],
    organisations: &'a [String],
    sent_count: usize,
    received_count: usize,
    /// The requests addressed to them, by status.
    requests: crate::archive::RequestCounts,
    /// Their section on `/open/`.
    open_url: String,
    /// Their reply statistics.
    stats_url: String,
}

impl<'a> CorrespondentView<'a> {
    fn new(r: &'a Renderer<'a>, c: CorrespondentIx) -> Self {
        let corr = &r.archive.correspondents[c];
        CorrespondentView {
            name: &corr.name,
            roles: &corr.roles,
            organisations: &corr.organisations,
            sent_count: corr.sent.len(),
            received_count: corr.received.len(),
            requests: corr.requests,
            open_url: r.views().url(&format!("open/#{}", open_anchor(&corr.slug))),
            stats_url: r.views().url(&statistics_url(&corr.url)),
        }
    }
}

/// A correspondent's reply statistics: as addressee and as sender, each by
/// year with its figures and a table of the same numbers.
fn statistics(r: &Renderer<'_>, c: CorrespondentIx, ctx: &mut Context) -> &'static str {
    let corr = &r.archive.correspondents[c];
    let stats = r.archive.correspondent_stats(c);
    ctx.insert("correspondent", &CorrespondentView::new(r, c));
    ctx.insert("correspondent_url", &r.views().url(&corr.url));
    ctx.insert("sides", &figures::stats_sides(r, &corr.name, &stats));
    "statistics.html"
}

fn tags(r: &Renderer<'_>, ctx: &mut Context) -> &'static str {
    let rows: Vec<_> = r
        .archive
        .tags
        .iter()
        .map(|t| NamedCount {
            name: t.name.clone(),
            url: r.views().url(&t.url),
            count: t.letters.len(),
            detail: None,
        })
        .collect();
    ctx.insert("tags", &rows);
    "tags.html"
}

fn tag(r: &Renderer<'_>, t: TagIx, page: usize, ctx: &mut Context) -> &'static str {
    let tag = &r.archive.tags[t];
    ctx.insert(
        "tag",
        &NamedCount {
            name: tag.name.clone(),
            url: r.views().url(&tag.url),
            count: tag.letters.len(),
            detail: None,
        },
    );
    ctx.insert(
        "letters",
        &r.views().summaries(
            tag.newest_first
                .chunks(PER_PAGE)
                .nth(page - 1)
                .unwrap_or_default(),
        ),
    );
    ctx.insert(
        "pagination",
        &Pagination::new(&r.views(), &tag.url, page, page_count(tag.letters.len())),
    );
    "tag.html"
}

fn years(r: &Renderer<'_>, ctx: &mut Context) -> &'static str {
    let rows: Vec<_> = r
        .archive
        .years
        .iter()
        .rev()
        .map(|y| NamedCount {
            name: y.year.to_string(),
            url: r.views().url(&y.url),
            count: y.letters.len(),
            detail: None,
        })
        .collect();
    ctx.insert("years", &rows);
    "years.html"
}

fn year(r: &Renderer<'_>, y: usize, page: usize, ctx: &mut Context) -> &'static str {
    let year = &r.archive.years[y];
    let chunk = year
        .letters
        .chunks(PER_PAGE)
        .nth(page - 1)
        .unwrap_or_default();
    ctx.insert("year", &year.year);
    ctx.insert("count", &year.letters.len());
    ctx.insert("letters", &r.views().summaries(chunk));
    ctx.insert(
        "pagination",
        &Pagination::new(&r.views(), &year.url, page, page_count(year.letters.len())),
    );
    "year.html"
}

#[derive(Serialize)]
struct FilterDossier<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct FilterValue<'a> {
    slug: &'a str,
    name: &'a str,
}

fn search(r: &Renderer<'_>, ctx: &mut Context) -> &'static str {
    let a = r.archive;
    let dossiers: Vec<_> = a
        .dossiers
        .iter()
        .map(|d| FilterDossier {
            id: &d.id,
            title: d.title.as_deref().unwrap_or_default(),
        })
        .collect();
    let correspondents: Vec<_> = a
        .correspondents
        .iter()
        .map(|c| FilterValue {
            slug: &c.slug,
            name: &c.name,
        })
        .collect();
    let tags: Vec<_> = a
        .tags
        .iter()
        .map(|t| FilterValue {
            slug: &t.slug,
            name: &t.name,
        })
        .collect();
    let years: Vec<i32> = a.years.iter().rev().map(|y| y.year).collect();
    let kinds: Vec<&str> = crate::letter::Kind::ALL.iter().map(|k| k.name()).collect();
    ctx.insert(
        "filters",
        &serde_json::json!({ "dossiers": dossiers, "correspondents": correspondents, "tags": tags, "years": years, "kinds": kinds }),
    );
    "search.html"
}
