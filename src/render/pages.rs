//! The HTML pages: what each template sees, as one typed value per page kind.

use serde::Serialize;

use crate::archive::{
    CorrespondentIx, DossierIx, ExchangeIx, LetterIx, RequestCounts, Status, TagIx, ThreadPlace,
};

use super::Renderer;
use super::context::{Contexts, Own};
use super::figures::{self, SideView, TimelineFigure};
use super::handle::{Flat, Handle, shown_or_inputs};
use super::markdown::{FootnoteLabels, NoLetters, label_footnotes, render_markdown};
use super::route::{Page, page_url_of, statistics_url};
use super::thread::{AnsweredLetter, ThreadNode, anchor_of, letters_from_elsewhere, thread_tree};
use super::view::{LetterSummary, PER_PAGE, Pagination, page_count};

type Summary<'r> = Handle<'r, LetterSummary<'r>>;
type Row<'r> = Handle<'r, DossierRow<'r>>;

/// What an HTML page's template sees besides `page_type`, `page_url` and
/// `canonical`: one variant per page kind, each a struct of its own.
#[derive(Serialize)]
#[serde(untagged)]
pub enum View<'r> {
    Home(HomeView<'r>),
    Dossiers {
        dossiers: Vec<Row<'r>>,
    },
    Dossier(Box<DossierView<'r>>),
    /// The letter's own fields beside the rest.
    Letter(Box<Flat<Own<'r, 'r>, LetterView<'r>>>),
    Exchange(ExchangePage<'r>),
    Correspondents {
        correspondents: Vec<NamedCount>,
    },
    Correspondent(CorrespondentPage<'r>),
    Statistics(StatisticsView<'r>),
    Tags {
        tags: Vec<NamedCount>,
    },
    Tag(TagView<'r>),
    Years {
        years: Vec<NamedCount>,
    },
    Year(YearView<'r>),
    Search {
        filters: Filters<'r>,
    },
    Open(OpenView<'r>),
    Alias {
        target: String,
    },
    /// The 404 and accessibility pages: the template and the globals only.
    Plain {},
    Feed(super::export::FeedView<'r>),
    Sitemap(super::export::SitemapView),
}

/// The template and the view of an HTML page.
pub fn view<'r>(c: &'r Contexts<'_>, page: &Page) -> (&'static str, View<'r>) {
    match *page {
        Page::Home => ("home.html", View::Home(home(c))),
        Page::Dossiers => (
            "dossiers.html",
            View::Dossiers {
                dossiers: (0..c.r.archive.dossiers.len()).map(|d| c.row(d)).collect(),
            },
        ),
        Page::Dossier(d) => ("dossier.html", View::Dossier(Box::new(dossier(c, d)))),
        Page::Letter(l) => ("letter.html", View::Letter(Box::new(letter(c, l)))),
        Page::Exchange(e) => ("exchange.html", View::Exchange(exchange(c, e))),
        Page::Correspondents => (
            "correspondents.html",
            View::Correspondents {
                correspondents: correspondents(c.r),
            },
        ),
        Page::Correspondent(k, p) => (
            "correspondent.html",
            View::Correspondent(correspondent(c, k, p)),
        ),
        Page::Statistics(k) => ("statistics.html", View::Statistics(statistics(c.r, k))),
        Page::Tags => ("tags.html", View::Tags { tags: tags(c.r) }),
        Page::Tag(t, p) => ("tag.html", View::Tag(tag(c, t, p))),
        Page::Years => ("years.html", View::Years { years: years(c.r) }),
        Page::Year(y, p) => ("year.html", View::Year(year(c, y, p))),
        Page::Search => (
            "search.html",
            View::Search {
                filters: filters(c.r),
            },
        ),
        Page::Open => ("open.html", View::Open(open(c))),
        Page::Accessibility => ("accessibility.html", View::Plain {}),
        Page::Alias(l, _) => (
            "alias.html",
            View::Alias {
                target: c.views().url(&c.r.archive.letters[l].url),
            },
        ),
        _ => ("404.html", View::Plain {}),
    }
}

#[derive(Serialize)]
pub struct DossierRow<'a> {
    id: &'a str,
    title: Option<&'a str>,
    url: String,
    letter_count: usize,
    first_date: String,
    last_date: String,
    open: usize,
}

pub fn dossier_row<'r>(r: &'r Renderer<'_>, d: DossierIx) -> DossierRow<'r> {
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
            .filter(|&&l| matches!(a.letters[l].status, Some(s) if s != Status::Answered))
            .count(),
    }
}

#[derive(Serialize)]
pub struct NamedCount {
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

#[derive(Serialize)]
pub struct HomeView<'r> {
    recent: Vec<Summary<'r>>,
    overdue: Vec<Summary<'r>>,
    dossiers: Vec<Row<'r>>,
    correspondents: Vec<NamedCount>,
    letter_count: usize,
    dossier_count: usize,
    correspondent_count: usize,
}

fn home<'r>(c: &'r Contexts<'_>) -> HomeView<'r> {
    let a = c.r.archive;
    let recent_count = c.r.config.archive.recent_count();
    let recent: Vec<usize> = a.newest_first.iter().take(recent_count).copied().collect();
    let overdue = a.overdue();
    let mut by_latest: Vec<DossierIx> = (0..a.dossiers.len()).collect();
    by_latest.sort_by_key(|&d| {
        std::cmp::Reverse(
            a.dossiers[d]
                .letters
                .last()
                .map(|&l| a.letters[l].letter.date.start()),
        )
    });
    let mut busiest: Vec<CorrespondentIx> = (0..a.correspondents.len()).collect();
    busiest.sort_by_key(|&k| {
        std::cmp::Reverse(a.correspondents[k].sent.len() + a.correspondents[k].received.len())
    });
    HomeView {
        recent: c.summaries(&recent),
        overdue: c.summaries(&overdue[..overdue.len().min(HOME_OVERDUE)]),
        dossiers: by_latest.iter().take(12).map(|&d| c.row(d)).collect(),
        correspondents: busiest
            .iter()
            .take(12)
            .map(|&k| correspondent_row(c.r, k))
            .collect(),
        letter_count: a.letters.len(),
        dossier_count: a.dossiers.len(),
        correspondent_count: a.correspondents.len(),
    }
}

#[derive(Serialize)]
struct OpenGroupView<'r> {
    name: &'r str,
    url: String,
    anchor: String,
    open: usize,
    overdue: usize,
    letters: Vec<Summary<'r>>,
}

#[derive(Serialize)]
pub struct OpenView<'r> {
    groups: Vec<OpenGroupView<'r>>,
    open_count: usize,
    overdue_count: usize,
    feed_url: String,
}

/// The id of an addressee's section on `/open/`.
pub fn open_anchor(slug: &str) -> String {
    format!("pk-open-{slug}")
}

fn open<'r>(c: &'r Contexts<'_>) -> OpenView<'r> {
    let a = c.r.archive;
    let views = c.views();
    let groups = a
        .open_by_addressee()
        .into_iter()
        .map(|g| {
            let corr = &a.correspondents[g.addressee];
            OpenGroupView {
                name: &corr.name,
                url: views.url(&corr.url),
                anchor: open_anchor(&corr.slug),
                open: g.letters.len(),
                overdue: g.overdue,
                letters: c.summaries(&g.letters),
            }
        })
        .collect();
    let open = a.open_requests();
    let overdue_count = open
        .iter()
        .filter(|&&l| a.letters[l].status == Some(Status::Overdue))
        .count();
    OpenView {
        groups,
        open_count: open.len(),
        overdue_count,
        feed_url: views.url("open/atom.xml"),
    }
}

#[derive(Serialize)]
struct ExchangeView<'r> {
    url: String,
    title: Handle<'r, String>,
    status: Option<&'static str>,
    status_label: Option<&'r str>,
    /// In date order.
    letters: Vec<Summary<'r>>,
    /// Each letter under the letter it answers; letters outside the page's
    /// dossier marked.
    thread: Vec<ThreadNode<'r>>,
}

/// An exchange as a page about dossier `home` shows it.
fn exchange_view<'r>(
    c: &'r Contexts<'_>,
    e: ExchangeIx,
    home: DossierIx,
    places: &[ThreadPlace],
) -> ExchangeView<'r> {
    let r = c.r;
    let ex = &r.archive.exchanges[e];
    let views = c.views();
    ExchangeView {
        url: views.url(&ex.url),
        title: c.title(ex.root),
        status: ex.status.map(|s| s.name()),
        status_label: ex
            .status
            .map(|s| r.t.get(super::view::status_key(s.name()))),
        letters: c.summaries(&ex.letters),
        thread: thread_tree(c, places, home),
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
struct LettersFrom<'r> {
    dossier: &'r str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
pub struct DossierView<'r> {
    gaps: GapsView,
    dossier: Row<'r>,
    description: Option<String>,
    exchanges: Vec<ExchangeView<'r>>,
    letters_elsewhere: Vec<LettersFrom<'r>>,
    timeline: Option<TimelineFigure>,
    timeline_rows: Vec<Summary<'r>>,
    feed_url: String,
    calendar_url: String,
    json_url: String,
}

fn dossier<'r>(c: &'r Contexts<'_>, d: DossierIx) -> DossierView<'r> {
    let r = c.r;
    let a = r.archive;
    let views = c.views();
    let dossier = &a.dossiers[d];
    let timeline = a.timeline(d);
    let title = r.t.fill("timeline_title", &[("id", &dossier.id)]);
    let timeline_letters: Vec<LetterIx> = timeline.letters.iter().map(|l| l.letter).collect();
    DossierView {
        gaps: gaps_view(r, d),
        dossier: c.row(d),
        description: dossier.description.as_deref().map(|m| markdown_html(r, m)),
        exchanges: dossier
            .exchanges
            .iter()
            .map(|&e| exchange_view(c, e, d, &a.exchanges[e].thread(a)))
            .collect(),
        letters_elsewhere: letters_from_elsewhere(r, d)
            .into_iter()
            .map(|(other, count)| LettersFrom {
                dossier: &a.dossiers[other].id,
                url: views.url(&a.dossiers[other].url),
                count,
            })
            .collect(),
        timeline: figures::timeline_figure(r, title, &timeline),
        timeline_rows: c.summaries(&timeline_letters),
        feed_url: views.url(&format!("{}atom.xml", dossier.url)),
        calendar_url: views.url(&page_url_of(a, &Page::DossierDeadlines(d))),
        json_url: views.url(&page_url_of(a, &Page::DossierJson(d))),
    }
}

#[derive(Serialize)]
struct Attachment {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct TagLink<'r> {
    name: &'r str,
    url: String,
}

#[derive(Serialize)]
pub struct LetterView<'r> {
    letter: Summary<'r>,
    body: BodyHtml<'r>,
    in_reply_to: Vec<Summary<'r>>,
    unresolved_replies: &'r [String],
    cited_by: Vec<Summary<'r>>,
    answered_by: Vec<Summary<'r>>,
    other_responses: Vec<Summary<'r>>,
    prev: Option<Summary<'r>>,
    next: Option<Summary<'r>>,
    attachments: Vec<Attachment>,
    tags: Vec<TagLink<'r>>,
    session: &'r Option<String>,
    chamber_label: Option<&'r str>,
    deadline_derived: bool,
    exchange_url: String,
    exchange_size: usize,
}

/// A letter's body HTML: to a template the HTML, to the hash the body's fingerprint.
pub struct BodyHtml<'r>(Handle<'r, super::markdown::RenderedBody>);

impl<'r> BodyHtml<'r> {
    pub fn of(c: &'r Contexts<'_>, ix: LetterIx) -> BodyHtml<'r> {
        BodyHtml(c.body(ix))
    }
}

impl Serialize for BodyHtml<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        shown_or_inputs(s, || &self.0.get().html, &self.0)
    }
}

/// A letter's page: what only it shows of the letter (`source`, `kenmerk`,
/// `date_window`, `extra`, `json_ld`) beside its place among the others.
fn letter<'r>(c: &'r Contexts<'_>, ix: LetterIx) -> Flat<Own<'r, 'r>, LetterView<'r>> {
    let r = c.r;
    let a = r.archive;
    let views = c.views();
    let l = &a.letters[ix];
    let others: Vec<LetterIx> = l
        .replied_by
        .iter()
        .filter(|r| !l.answers.contains(r))
        .copied()
        .collect();
    let ex = &a.exchanges[l.exchange];
    let view = LetterView {
        letter: c.summary(ix),
        body: BodyHtml::of(c, ix),
        in_reply_to: c.summaries(&l.replies_to),
        unresolved_replies: &l.unresolved_replies,
        cited_by: c.summaries(&l.cited_by),
        answered_by: c.summaries(&l.answers),
        other_responses: c.summaries(&others),
        prev: l.prev.map(|p| c.summary(p)),
        next: l.next.map(|n| c.summary(n)),
        attachments: l
            .letter
            .attachments
            .iter()
            .map(|name| Attachment {
                name: name.clone(),
                url: views.url(&format!("{}{name}", l.url)),
            })
            .collect(),
        tags: l
            .tags
            .iter()
            .map(|&t| TagLink {
                name: &a.tags[t].name,
                url: views.url(&a.tags[t].url),
            })
            .collect(),
        session: &l.session,
        chamber_label: l.chamber.map(|ch| {
            r.t.get(if ch.roman() == "I" {
                "chamber_i"
            } else {
                "chamber_ii"
            })
        }),
        deadline_derived: l.letter.reply_due_derived,
        exchange_url: views.url(&ex.url),
        exchange_size: ex.letters.len(),
    };
    Flat(c.own(ix), view)
}

type ThreadLetter<'r> = Flat<Summary<'r>, ThreadFields<'r>>;

/// What an exchange page shows of a letter besides its summary.
#[derive(Serialize)]
struct ThreadFields<'r> {
    body: ThreadBody<'r>,
    anchor: String,
    /// In another dossier than the exchange's first letter.
    elsewhere: bool,
    answers: Option<AnsweredLetter>,
}

/// A body as an exchange page shows it: ids prefixed with the letter's anchor and
/// the footnotes labelled. Made only for the template; the hash sees what it is
/// made of (the body's fingerprint, anchor and label), which saves `serve`
/// rewriting every thread's HTML to see whether an exchange page changed.
struct ThreadBody<'r> {
    body: Handle<'r, super::markdown::RenderedBody>,
    anchor: String,
    label: String,
}

impl Serialize for ThreadBody<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let shown = || {
            let html = prefix_ids(&self.body.get().html, &self.anchor);
            label_footnotes(&html, &self.label)
        };
        shown_or_inputs(s, shown, &(&self.body, &self.anchor, &self.label))
    }
}

/// Several bodies on one page would repeat ids (`fn-1`, headings): prefix every
/// id and in-page link of one body so each stays unique and still resolves. The
/// `--` joint cannot occur in a slug, so a body's ids never meet the page's own
/// (`{anchor}-h`) or another letter's anchor.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}--"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}--"))
}

#[derive(Serialize)]
pub struct ExchangePage<'r> {
    exchange: ExchangeView<'r>,
    thread: Vec<ThreadLetter<'r>>,
    dossiers: Vec<Row<'r>>,
}

/// An exchange as a thread: the contents as nested lists, then each letter in
/// that order, a reply after the letter it answers.
fn exchange<'r>(c: &'r Contexts<'_>, e: ExchangeIx) -> ExchangePage<'r> {
    let r = c.r;
    let a = r.archive;
    let ex = &a.exchanges[e];
    let home = a.letters[ex.root].dossier;
    let places = ex.thread(a);
    let view = exchange_view(c, e, home, &places);
    let thread = places
        .iter()
        .map(|p| {
            let anchor = anchor_of(r, p.letter);
            let letter = &a.letters[p.letter].letter;
            // Each letter's footnotes are a region: named after their letter, the regions
            // on this page stay distinguishable (axe landmark-unique).
            let reference = format!("{}, {}", letter.dossier, letter.id);
            let label = r.t.fill("footnotes_of", &[("ref", &reference)]);
            let fields = ThreadFields {
                body: ThreadBody {
                    body: c.body(p.letter),
                    anchor: anchor.clone(),
                    label,
                },
                anchor,
                elsewhere: a.letters[p.letter].dossier != home,
                answers: p.parent.map(|q| AnsweredLetter::new(r, q)),
            };
            Flat(c.summary(p.letter), fields)
        })
        .collect();
    let mut dossiers: Vec<DossierIx> = ex.letters.iter().map(|&l| a.letters[l].dossier).collect();
    dossiers.sort_unstable();
    dossiers.dedup();
    // The dossier of the first letter leads: the breadcrumb names it alone.
    dossiers.sort_by_key(|&d| d != home);
    ExchangePage {
        exchange: view,
        thread,
        dossiers: dossiers.into_iter().map(|d| c.row(d)).collect(),
    }
}

fn correspondents(r: &Renderer<'_>) -> Vec<NamedCount> {
    (0..r.archive.correspondents.len())
        .map(|c| NamedCount {
            // The alphabetical list shows the name it is sorted by.
            name: r.archive.correspondents[c].index_name.clone(),
            ..correspondent_row(r, c)
        })
        .collect()
}

#[derive(Serialize)]
struct DossierGroup<'r> {
    dossier: Row<'r>,
    letters: Vec<CorrespondentLetter<'r>>,
}

type CorrespondentLetter<'r> = Flat<Summary<'r>, Direction>;

/// Whether the correspondent sent or received a letter (or both, to themselves).
#[derive(Serialize)]
struct Direction {
    sent: bool,
    received: bool,
}

#[derive(Serialize)]
pub struct CorrespondentPage<'r> {
    correspondent: CorrespondentView<'r>,
    groups: Vec<DossierGroup<'r>>,
    pagination: Pagination,
    feed_url: String,
    calendar_url: Option<String>,
}

fn correspondent<'r>(
    c: &'r Contexts<'_>,
    k: CorrespondentIx,
    page: usize,
) -> CorrespondentPage<'r> {
    let r = c.r;
    let a = r.archive;
    let views = c.views();
    let corr = &a.correspondents[k];
    // Letters are stored by dossier, then date, so one pass groups them by dossier.
    let all = &corr.letters;
    let total = page_count(all.len());
    let chunk = all.chunks(PER_PAGE).nth(page - 1).unwrap_or_default();
    let mut groups: Vec<(DossierIx, DossierGroup<'r>)> = Vec::new();
    for &l in chunk {
        let d = a.letters[l].dossier;
        if groups.last().is_none_or(|(g, _)| *g != d) {
            let group = DossierGroup {
                dossier: c.row(d),
                letters: Vec::new(),
            };
            groups.push((d, group));
        }
        let direction = Direction {
            sent: corr.sent.binary_search(&l).is_ok(),
            received: corr.received.binary_search(&l).is_ok(),
        };
        let item = Flat(c.summary(l), direction);
        if let Some((_, g)) = groups.last_mut() {
            g.letters.push(item);
        }
    }
    let calendar =
        (!corr.received.is_empty()).then(|| page_url_of(a, &Page::CorrespondentDeadlines(k)));
    CorrespondentPage {
        correspondent: CorrespondentView::new(r, k),
        groups: groups.into_iter().map(|(_, g)| g).collect(),
        pagination: Pagination::new(&views, &corr.url, page, total),
        feed_url: views.url(&format!("{}atom.xml", corr.url)),
        calendar_url: calendar.map(|u| views.url(&u)),
    }
}

#[derive(Serialize)]
struct CorrespondentView<'r> {
    name: &'r str,
    roles: &'r [String],
    organisations: &'r [String],
    sent_count: usize,
    received_count: usize,
    /// The requests addressed to them, by status.
    requests: RequestCounts,
    /// Their section on `/open/`.
    open_url: String,
    /// Their reply statistics.
    stats_url: String,
}

impl<'r> CorrespondentView<'r> {
    fn new(r: &'r Renderer<'_>, c: CorrespondentIx) -> Self {
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

#[derive(Serialize)]
pub struct StatisticsView<'r> {
    correspondent: CorrespondentView<'r>,
    correspondent_url: String,
    sides: Vec<SideView>,
}

/// A correspondent's reply statistics: as addressee and as sender, each by
/// year with its figures and a table of the same numbers.
fn statistics<'r>(r: &'r Renderer<'_>, c: CorrespondentIx) -> StatisticsView<'r> {
    let corr = &r.archive.correspondents[c];
    let stats = r.archive.correspondent_stats(c);
    StatisticsView {
        correspondent: CorrespondentView::new(r, c),
        correspondent_url: r.views().url(&corr.url),
        sides: figures::stats_sides(r, &corr.name, &stats),
    }
}

fn tags(r: &Renderer<'_>) -> Vec<NamedCount> {
    r.archive
        .tags
        .iter()
        .map(|t| NamedCount {
            name: t.name.clone(),
            url: r.views().url(&t.url),
            count: t.letters.len(),
            detail: None,
        })
        .collect()
}

#[derive(Serialize)]
pub struct TagView<'r> {
    tag: NamedCount,
    letters: Vec<Summary<'r>>,
    pagination: Pagination,
}

fn tag<'r>(c: &'r Contexts<'_>, t: TagIx, page: usize) -> TagView<'r> {
    let views = c.views();
    let tag = &c.r.archive.tags[t];
    TagView {
        tag: NamedCount {
            name: tag.name.clone(),
            url: views.url(&tag.url),
            count: tag.letters.len(),
            detail: None,
        },
        letters: c.summaries(
            tag.newest_first
                .chunks(PER_PAGE)
                .nth(page - 1)
                .unwrap_or_default(),
        ),
        pagination: Pagination::new(&views, &tag.url, page, page_count(tag.letters.len())),
    }
}

fn years(r: &Renderer<'_>) -> Vec<NamedCount> {
    r.archive
        .years
        .iter()
        .rev()
        .map(|y| NamedCount {
            name: y.year.to_string(),
            url: r.views().url(&y.url),
            count: y.letters.len(),
            detail: None,
        })
        .collect()
}

#[derive(Serialize)]
pub struct YearView<'r> {
    year: i32,
    count: usize,
    letters: Vec<Summary<'r>>,
    pagination: Pagination,
}

fn year<'r>(c: &'r Contexts<'_>, y: usize, page: usize) -> YearView<'r> {
    let views = c.views();
    let year = &c.r.archive.years[y];
    let chunk = year
        .letters
        .chunks(PER_PAGE)
        .nth(page - 1)
        .unwrap_or_default();
    YearView {
        year: year.year,
        count: year.letters.len(),
        letters: c.summaries(chunk),
        pagination: Pagination::new(&views, &year.url, page, page_count(year.letters.len())),
    }
}

#[derive(Serialize)]
struct FilterDossier<'r> {
    id: &'r str,
    title: &'r str,
}

#[derive(Serialize)]
struct FilterValue<'r> {
    slug: &'r str,
    name: &'r str,
}

/// What the search page offers to filter on.
#[derive(Serialize)]
pub struct Filters<'r> {
    dossiers: Vec<FilterDossier<'r>>,
    correspondents: Vec<FilterValue<'r>>,
    tags: Vec<FilterValue<'r>>,
    years: Vec<i32>,
    kinds: Vec<&'static str>,
}

fn filters<'r>(r: &'r Renderer<'_>) -> Filters<'r> {
    let a = r.archive;
    Filters {
        dossiers: a
            .dossiers
            .iter()
            .map(|d| FilterDossier {
                id: &d.id,
                title: d.title.as_deref().unwrap_or_default(),
            })
            .collect(),
        correspondents: a
            .correspondents
            .iter()
            .map(|c| FilterValue {
                slug: &c.slug,
                name: &c.name,
            })
            .collect(),
        tags: a
            .tags
            .iter()
            .map(|t| FilterValue {
                slug: &t.slug,
                name: &t.name,
            })
            .collect(),
        years: a.years.iter().rev().map(|y| y.year).collect(),
        kinds: crate::letter::Kind::ALL.iter().map(|k| k.name()).collect(),
    }
}
