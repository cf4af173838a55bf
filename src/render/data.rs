//! Machine-readable output: Atom feeds, the sitemap, data exports and search documents.

use serde::Serialize;

use crate::archive::{Change, LetterIx};
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

/// One letter in the data exports: metadata and links, no body.
#[derive(Serialize)]
struct LetterRecord<'a> {
    dossier: &'a str,
    letter: &'a str,
    title: Option<&'a str>,
    date: String,
    kind: &'static str,
    from: String,
    to: String,
    in_reply_to: String,
    reply_due: Option<String>,
    status: Option<&'static str>,
    answered_on: Option<String>,
    days_to_reply: Option<i64>,
    days_late: Option<i64>,
    kenmerk: Option<&'a str>,
    citation: Option<&'a str>,
    tags: String,
    url: String,
    source: Option<&'a str>,
}

fn records<'a>(r: &'a Renderer<'a>) -> impl Iterator<Item = LetterRecord<'a>> + 'a {
    let a = r.archive;
    let names = |parties: &[crate::letter::Party]| {
        parties
            .iter()
            .map(|p| p.display_name())
            .collect::<Vec<_>>()
            .join("; ")
    };
    a.letters.iter().map(move |l| LetterRecord {
        dossier: &l.letter.dossier,
        letter: &l.letter.id,
        title: l.letter.title.as_deref(),
        date: l.letter.date.iso(),
        kind: l.letter.kind.name(),
        from: names(&l.letter.from),
        to: names(&l.letter.to),
        in_reply_to: l
            .replies_to
            .iter()
            .map(|&t| format!("{}/{}", a.letters[t].letter.dossier, a.letters[t].letter.id))
            .chain(l.unresolved_replies.iter().cloned())
            .collect::<Vec<_>>()
            .join("; "),
        reply_due: l.deadline.map(|d| d.format("%Y-%m-%d").to_string()),
        status: l.status.map(|s| s.name()),
        answered_on: l
            .timing
            .answered_on
            .map(|d| d.format("%Y-%m-%d").to_string()),
        days_to_reply: l.timing.days_to_reply,
        days_late: l.timing.days_late,
        kenmerk: l.letter.kenmerk.as_deref(),
        citation: l.citation.as_deref(),
        tags: l
            .tags
            .iter()
            .map(|&t| a.tags[t].name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        url: format!("{}{}", r.base_url, l.url),
        source: l.letter.source.as_deref(),
    })
}

/// `data/letters.json`: every letter's metadata as a JSON array (serde escapes all content).
pub fn letters_json(r: &Renderer<'_>) -> Vec<u8> {
    let all: Vec<LetterRecord<'_>> = records(r).collect();
    let mut out = serde_json::to_vec_pretty(&all).unwrap_or_default();
    out.push(b'\n');
    out
}

/// `data/letters.csv`: the same as a spreadsheet. Cells that a spreadsheet would run as a formula are quoted with `'`.
pub fn letters_csv(r: &Renderer<'_>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records(r) {
        let _ = writer.serialize(defuse(record));
    }
    writer.into_inner().unwrap_or_default()
}

fn defuse(mut rec: LetterRecord<'_>) -> LetterRecord<'_> {
    for field in [
        &mut rec.from,
        &mut rec.to,
        &mut rec.tags,
        &mut rec.in_reply_to,
    ] {
        if field.starts_with(['=', '+', '-', '@']) {
            field.insert(0, '\'');
        }
    }
    rec
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
