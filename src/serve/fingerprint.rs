//! Which pages an edit changes.
//!
//! Every page gets a fingerprint: a hash of the site-wide settings, of its
//! template (with everything that template pulls in) and of exactly the
//! archive facts the page shows. A page is rendered again only when its
//! fingerprint differs from the one it had in the last good build.
//!
//! Facts are hashed bottom up, once per rebuild:
//! - a letter's *summary* is the [`LetterSummary`](crate::render::view::LetterSummary)
//!   every list shows (title, date, parties, status, deadline, citation…),
//!   hashed from the view itself so a new field in it is noticed;
//! - its *body* is the rendered Markdown; its *meta* the parsed front matter;
//! - a dossier's *row* and an exchange's *view* hash the summaries of their letters.
//!
//! A page then hashes what it lists. The letter page hashes its neighbours'
//! summaries (previous/next, the letters it answers and that answer it), so a
//! status change reaches every page that shows it; a list page of 100 letters
//! hashes just those 100. Keys are output paths, not indices, so letters added
//! or removed shift nothing.

pub use crate::hash::Fp;

use crate::archive::{Archive, CorrespondentIx, DossierIx, ExchangeIx, LetterIx, Status, TagIx};
use crate::render::Page;
use crate::render::Renderer;
use crate::render::view::{PER_PAGE, page_count};

use super::template_deps::TemplateFps;

/// Entries in a feed; the site feed shows the newest this many letters.
const FEED_ENTRIES: usize = 50;

/// Per-letter hashes, indexed like the archive's letters.
#[derive(Debug, Default, Clone)]
pub struct LetterHashes {
    pub summary: Vec<u64>,
    /// What each summary was made of, to see when it must be hashed again.
    pub summary_key: Vec<u64>,
    pub body: Vec<u64>,
    pub meta: Vec<u64>,
}

/// The fingerprints of one build's pages.
pub struct Fingerprints<'r, 'a> {
    r: &'r Renderer<'a>,
    letters: &'r LetterHashes,
    templates: &'r TemplateFps,
    site: u64,
    rows: Vec<u64>,
    exchanges: Vec<u64>,
    /// What the home page and each site-wide list show.
    lists: SiteLists,
    /// The list of pages, for the sitemap.
    page_list: u64,
}

impl<'r, 'a> Fingerprints<'r, 'a> {
    /// Hashes the dossiers, exchanges and site-wide lists. `site` hashes the
    /// settings every page depends on; `page_list` the URL of every page.
    pub fn new(
        r: &'r Renderer<'a>,
        letters: &'r LetterHashes,
        templates: &'r TemplateFps,
        site: u64,
        page_list: u64,
    ) -> Self {
        let a = r.archive;
        let rows = (0..a.dossiers.len()).map(|d| row(a, d)).collect();
        let exchanges = a
            .exchanges
            .iter()
            .map(|e| {
                let mut h = Fp::new();
                h.add(&e.url).add(&e.status.map(|s| s.name()));
                for &l in &e.letters {
                    h.add(&letters.summary[l]);
                }
                // The thread's shape, which the dossier and exchange pages
                // nest: its letters depth first with their depths (indices
                // would change whenever an older letter is added).
                for p in e.thread(a) {
                    h.add(&letters.summary[p.letter]).add(&p.depth);
                }
                h.finish()
            })
            .collect();
        let mut fp = Fingerprints {
            r,
            letters,
            templates,
            site,
            rows,
            exchanges,
            lists: SiteLists::default(),
            page_list,
        };
        fp.lists = fp.site_lists();
        fp
    }

    /// The fingerprint of one page.
    pub fn page(&self, page: &Page) -> u64 {
        let mut h = Fp::new();
        h.add(&self.site).add(page.page_type());
        if let Some(t) = self.templates.of_page(page) {
            h.add(&t.hash);
            if t.uses_letter_count {
                h.add(&self.r.archive.letters.len());
            }
        }
        h.add(&self.content(page));
        h.finish()
    }

    /// Hashes what the page shows of the archive.
    fn content(&self, page: &Page) -> u64 {
        let a = self.r.archive;
        let mut h = Fp::new();
        match *page {
            Page::Home => {
                h.add(&self.lists.home);
            }
            Page::Dossiers => {
                h.add(&self.lists.dossiers);
            }
            Page::Correspondents => {
                h.add(&self.lists.correspondents);
            }
            Page::Tags => {
                h.add(&self.lists.tags);
            }
            Page::Years => {
                h.add(&self.lists.years);
            }
            Page::Search => {
                let l = &self.lists;
                h.add(&l.dossiers)
                    .add(&l.correspondents)
                    .add(&l.tags)
                    .add(&l.years);
            }
            Page::NotFound | Page::Accessibility => {}
            Page::Open => {
                h.add(&self.lists.open);
            }
            Page::OpenFeed => {
                h.add(&self.r.config.title);
                for c in a.status_changes().iter().take(FEED_ENTRIES) {
                    h.add(c.change.name()).add(&c.on);
                    self.add_entry(&mut h, c.letter);
                }
            }
            Page::Dossier(d) => {
                h.add(&self.rows[d])
                    .add(&a.dossiers[d].description)
                    .add(&self.r.gaps(d));
                for &e in &a.dossiers[d].exchanges {
                    h.add(&self.exchanges[e]);
                }
                self.add_timeline(&mut h, d);
            }
            Page::Letter(l) => return self.letter_page(l),
            Page::Exchange(e) => return self.exchange_page(e),
            Page::Correspondent(c, p) => return self.correspondent_page(c, p),
            Page::Statistics(c) => {
                add_correspondent(&mut h, &a.correspondents[c]);
                h.add(&a.correspondent_stats(c));
            }
            Page::Tag(t, p) => return self.tag_page(t, p),
            Page::Year(y, p) => {
                let year = &a.years[y];
                h.add(&year.year).add(&year.letters.len());
                self.add_chunk(&mut h, &year.letters, p);
            }
            Page::Alias(l, i) => {
                h.add(&a.letters[l].letter.aliases[i])
                    .add(&a.letters[l].url);
            }
            Page::SiteFeed => {
                h.add(&self.r.config.title);
                for &l in a.newest_first.iter().take(FEED_ENTRIES) {
                    self.add_entry(&mut h, l);
                }
            }
            Page::DossierFeed(d) => {
                h.add(&a.dossiers[d].id);
                for &l in &a.dossiers[d].letters {
                    self.add_entry(&mut h, l);
                }
            }
            Page::CorrespondentFeed(c) => {
                h.add(&a.correspondents[c].name);
                for &l in &a.correspondents[c].letters {
                    self.add_entry(&mut h, l);
                }
            }
            Page::Sitemap(_) => {
                h.add(&self.page_list);
            }
            Page::Deadlines => {
                self.add_requests(&mut h, 0..a.letters.len());
            }
            Page::DossierDeadlines(d) => {
                h.add(&a.dossiers[d].id);
                self.add_requests(&mut h, a.dossiers[d].letters.iter().copied());
            }
            Page::CorrespondentDeadlines(c) => {
                h.add(&a.correspondents[c].name);
                self.add_requests(&mut h, a.correspondents[c].received.iter().copied());
            }
            Page::LettersSqlite => {
                // Row ids are archive indices (`letters`, `correspondents`), so they are hashed too.
                for c in &a.correspondents {
                    h.add(&c.slug).add(&c.name).add(&c.person).add(&c.url);
                }
                for d in &a.dossiers {
                    h.add(&d.id).add(&d.title).add(&d.url);
                }
                for (ix, l) in a.letters.iter().enumerate() {
                    self.add_record(&mut h, ix);
                    h.add(&self.letters.body[ix])
                        .add(&l.from)
                        .add(&l.to)
                        .add(&l.replies_to)
                        .add(&l.answers)
                        .add(&l.cites);
                }
            }
            Page::Cmif => {
                let c = &self.r.config;
                h.add(&c.title)
                    .add(&c.extra.get("organisation").map(|v| v.to_string()));
                h.add(&c.extra.get("contact_email").map(|v| v.to_string()));
                h.add(&c.extra.get("cmif_licence").map(|v| v.to_string()));
                h.add(&a.today);
                for (ix, l) in a.letters.iter().enumerate() {
                    h.add(&self.letters.meta[ix]).add(&l.url);
                    for list in [
                        &l.replies_to,
                        &l.replied_by,
                        &l.prev.into_iter().collect(),
                        &l.next.into_iter().collect(),
                    ] {
                        h.add(&list.len());
                        for &t in list {
                            h.add(&a.letters[t].url);
                        }
                    }
                }
            }
            Page::DossierJson(d) => {
                let dossier = &a.dossiers[d];
                h.add(&dossier.id).add(&dossier.title).add(&dossier.url);
                for &l in &dossier.letters {
                    self.add_record(&mut h, l);
                }
            }
            Page::LettersJson | Page::LettersCsv => {
                for l in 0..a.letters.len() {
                    self.add_record(&mut h, l);
                }
            }
        }
        h.finish()
    }

    fn letter_page(&self, ix: LetterIx) -> u64 {
        let a = self.r.archive;
        let l = &a.letters[ix];
        let s = &self.letters;
        let mut h = Fp::new();
        h.add(&s.meta[ix])
            .add(&s.summary[ix])
            .add(&s.body[ix])
            .add(&l.url)
            .add(&l.session)
            .add(&l.chamber.map(|c| c.roman()))
            .add(&l.unresolved_replies);
        for (mark, list) in [
            (1u8, &l.replies_to),
            (2, &l.replied_by),
            (5, &l.answers),
            (3, &l.prev.into_iter().collect()),
            (4, &l.next.into_iter().collect()),
            (5, &l.cited_by),
            // The JSON-LD names the letters this one cites.
            (6, &l.cites),
        ] {
            h.add(&mark);
            for &n in list {
                h.add(&s.summary[n]);
            }
        }
        for &t in &l.tags {
            h.add(&a.tags[t].name).add(&a.tags[t].url);
        }
        let ex = &a.exchanges[l.exchange];
        h.add(&ex.url).add(&ex.letters.len());
        h.finish()
    }

    fn exchange_page(&self, e: ExchangeIx) -> u64 {
        let a = self.r.archive;
        let mut h = Fp::new();
        h.add(&self.exchanges[e]);
        let mut dossiers: Vec<DossierIx> = Vec::new();
        for &l in &a.exchanges[e].letters {
            h.add(&self.letters.body[l]);
            dossiers.push(a.letters[l].dossier);
        }
        dossiers.sort_unstable();
        dossiers.dedup();
        for d in dossiers {
            h.add(&self.rows[d]);
        }
        h.finish()
    }

    fn correspondent_page(&self, c: CorrespondentIx, page: usize) -> u64 {
        let a = self.r.archive;
        let corr = &a.correspondents[c];
        let all = &corr.letters;
        let mut h = Fp::new();
        add_correspondent(&mut h, corr);
        h.add(&page_count(all.len())).add(&page);
        for &l in all.chunks(PER_PAGE).nth(page - 1).unwrap_or_default() {
            h.add(&self.letters.summary[l])
                .add(&self.rows[a.letters[l].dossier])
                .add(&corr.sent.binary_search(&l).is_ok())
                .add(&corr.received.binary_search(&l).is_ok());
        }
        h.finish()
    }

    /// The dossier's timeline: its letters (by their summaries, which hold
    /// dates, parties, deadlines and days), their lanes and stretches, and
    /// the names on the lanes. Letter and correspondent indices are left out:
    /// they shift when letters elsewhere come or go.
    fn add_timeline(&self, h: &mut Fp, d: DossierIx) {
        let a = self.r.archive;
        let t = a.timeline(d);
        h.add(&t.start).add(&t.end);
        for &c in &t.lanes {
            h.add(&a.correspondents[c].name);
        }
        for l in &t.letters {
            h.add(&self.letters.summary[l.letter])
                .add(&l.on)
                .add(&l.from)
                .add(&l.to)
                .add(&l.deadline)
                .add(&l.waited_until)
                .add(&l.late);
        }
    }

    fn tag_page(&self, t: TagIx, page: usize) -> u64 {
        let a = self.r.archive;
        let tag = &a.tags[t];
        let mut h = Fp::new();
        h.add(&tag.name).add(&tag.url).add(&tag.letters.len());
        self.add_chunk(&mut h, &tag.newest_first, page);
        h.finish()
    }

    /// Page `page` of a list: its number, the page count and the letters on it.
    fn add_chunk(&self, h: &mut Fp, list: &[LetterIx], page: usize) {
        h.add(&page).add(&page_count(list.len()));
        for &l in list.chunks(PER_PAGE).nth(page - 1).unwrap_or_default() {
            h.add(&self.letters.summary[l]);
        }
    }

    /// What a deadline calendar shows of letters: the summary of each letter
    /// with a deadline (status, deadline, title, parties, citation) and of the
    /// letters answering it (a postponement's date moves the event's stamp).
    fn add_requests(&self, h: &mut Fp, letters: impl Iterator<Item = LetterIx>) {
        let a = self.r.archive;
        for l in letters.filter(|&l| a.letters[l].deadline.is_some()) {
            h.add(&self.letters.summary[l]);
            for &by in &a.letters[l].replied_by {
                h.add(&self.letters.summary[by]);
            }
        }
    }

    fn add_entry(&self, h: &mut Fp, l: LetterIx) {
        h.add(&self.letters.summary[l]).add(&self.letters.body[l]);
    }

    /// What the data exports say of a letter: its summary, front matter and links.
    fn add_record(&self, h: &mut Fp, l: LetterIx) {
        let a = self.r.archive;
        let letter = &a.letters[l];
        h.add(&self.letters.summary[l])
            .add(&self.letters.meta[l])
            .add(&letter.unresolved_replies);
        for &t in &letter.replies_to {
            h.add(&a.letters[t].url);
        }
        for &t in &letter.tags {
            h.add(&a.tags[t].name);
        }
    }

    /// Hashes what the home page and the site-wide lists show (`home`,
    /// `dossiers`, `correspondents`, `tags`, `years` and `search` in
    /// `render/pages.rs`), each apart: an edited title changes none of the
    /// lists, and the home page only when the letter is recent or overdue.
    fn site_lists(&self) -> SiteLists {
        let a = self.r.archive;
        let dossiers = Fp::new().add(&self.rows).finish();
        let mut h = Fp::new();
        for c in &a.correspondents {
            h.add(&c.name)
                .add(&c.index_name)
                .add(&c.url)
                .add(&c.slug)
                .add(&c.roles)
                .add(&c.organisations)
                .add(&c.sent.len())
                .add(&c.received.len());
        }
        let correspondents = h.finish();
        let mut h = Fp::new();
        for t in &a.tags {
            h.add(&t.name)
                .add(&t.url)
                .add(&t.slug)
                .add(&t.letters.len());
        }
        let tags = h.finish();
        let mut h = Fp::new();
        for y in &a.years {
            h.add(&y.year).add(&y.letters.len());
        }
        let years = h.finish();
        let mut h = Fp::new();
        h.add(&dossiers).add(&correspondents);
        let recent = self.r.config.archive.recent_count();
        for list in [
            &a.newest_first[..recent.min(a.newest_first.len())],
            &a.overdue(),
        ] {
            h.add(&list.len());
            for &l in list {
                h.add(&self.letters.summary[l]);
            }
        }
        let home = h.finish();
        // `/open/`: the groups, each addressee's name and URL, and the rows.
        let mut h = Fp::new();
        for g in a.open_by_addressee() {
            let c = &a.correspondents[g.addressee];
            h.add(&c.name).add(&c.url).add(&c.slug).add(&g.overdue);
            h.add(&g.letters.len());
            for &l in &g.letters {
                h.add(&self.letters.summary[l]);
            }
        }
        let open = h.finish();
        SiteLists {
            home,
            open,
            dossiers,
            correspondents,
            tags,
            years,
        }
    }
}

/// What a correspondent's own pages show of them (`CorrespondentView` in `render/pages.rs`).
fn add_correspondent(h: &mut Fp, corr: &crate::archive::Correspondent) {
    h.add(&corr.name)
        .add(&corr.url)
        .add(&corr.roles)
        .add(&corr.organisations)
        .add(&corr.sent.len())
        .add(&corr.received.len())
        .add(&corr.requests);
}

/// Fingerprints of what the home page and the site-wide lists show.
#[derive(Default)]
struct SiteLists {
    home: u64,
    open: u64,
    dossiers: u64,
    correspondents: u64,
    tags: u64,
    years: u64,
}

/// A dossier as the lists show it (`dossier_row` in `render/pages.rs`): id,
/// title, number of letters, first and last date, open requests. Hashing
/// just these, not every letter's summary, keeps an edited title from
/// re-rendering every correspondent page that lists the dossier.
fn row(a: &Archive, d: DossierIx) -> u64 {
    let dossier = &a.dossiers[d];
    let date = |l: Option<&LetterIx>| l.map(|&l| a.letters[l].letter.date.iso());
    let open = dossier
        .letters
        .iter()
        .filter(|&&l| matches!(a.letters[l].status, Some(s) if s != Status::Answered))
        .count();
    let mut h = Fp::new();
    h.add(&dossier.id)
        .add(&dossier.title)
        .add(&dossier.url)
        .add(&dossier.letters.len())
        .add(&date(dossier.letters.first()))
        .add(&date(dossier.letters.last()))
        .add(&open);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_value_changes_the_fingerprint() {
        let base = Fp::new().add(&1u64).add("abc").add(&0u64).finish();
        assert_ne!(base, Fp::new().add(&2u64).add("abc").add(&0u64).finish());
        assert_ne!(base, Fp::new().add(&1u64).add("abd").add(&0u64).finish());
        assert_ne!(base, Fp::new().add(&1u64).add("abc").add(&1u64).finish());
        assert_ne!(base, Fp::new().add(&1u64).add("abc").finish());
        assert_ne!(Fp::new().add("a").finish(), Fp::new().add("a\0").finish());
        assert_ne!(Fp::new().add(&0u64).finish(), Fp::new().finish());
    }
}
