//! Atom feeds: the site's newest letters with their text, a dossier's or a
//! correspondent's newest with a summary, and `/open/`'s status changes.

use serde::Serialize;

use crate::archive::{Change, LetterIx};

use super::super::Renderer;
use super::super::context::Contexts;
use super::super::handle::{Flat, Handle, MadeFrom};
use super::super::pages::BodyHtml;
use super::super::route::Page;
use super::super::view::status_text;

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
type Entry<'r> = Flat<FeedEntryView<'r>, Content<'r>>;

#[derive(Serialize)]
struct Content<'r> {
    content: Option<BodyHtml<'r>>,
}

/// A feed entry: the letter's shared one, or one made for a status change.
#[derive(Serialize)]
#[serde(untagged)]
enum FeedEntryView<'r> {
    Letter(Handle<'r, FeedEntry<'r>>),
    /// Made from the letter's title: the hash sees that handle too.
    Change(MadeFrom<'r, FeedEntry<'r>, String>),
}

impl FeedEntryView<'_> {
    fn updated(&self) -> &str {
        match self {
            FeedEntryView::Letter(h) => &h.get().updated,
            FeedEntryView::Change(e) => &e.value.updated,
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

/// A feed of the newest letters of the site, a dossier or a correspondent.
pub(super) fn feed_view<'r>(c: &'r Contexts<'_>, page: &Page, url: &str) -> FeedView<'r> {
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
        .map(|&l| {
            let content = full_text.then(|| BodyHtml::of(c, l));
            Flat(FeedEntryView::Letter(c.entry(l)), Content { content })
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
        |e| e.0.updated().to_string(),
    )
}

/// `open/atom.xml`: the newest status changes — a request became overdue, a
/// request was answered — so a reader can follow what became late. Each
/// change has its own id (the letter's URL and the change), stable across builds.
pub(super) fn open_feed<'r>(c: &'r Contexts<'_>, url: &str) -> FeedView<'r> {
    let r = c.r;
    let a = r.archive;
    let entries: Vec<Entry<'r>> = a
        .status_changes()
        .into_iter()
        .take(FEED_ENTRIES)
        .map(|ch| {
            let l = &a.letters[ch.letter];
            let title_of = c.title(ch.letter);
            let title = title_of.get();
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
                title: r.t.fill(key, &[("title", title), ("date", &on)]),
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
            let change = FeedEntryView::Change(MadeFrom::new(entry, title_of));
            Flat(change, Content { content: None })
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

pub fn feed_entry<'r>(c: &Contexts<'r>, l: LetterIx) -> FeedEntry<'r> {
    let r = c.r;
    let letter = &r.archive.letters[l];
    FeedEntry {
        title: c.title(l).get().clone(),
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
        summary: c.body(l).get().summary.clone(),
        dossier: &letter.letter.dossier,
    }
}
