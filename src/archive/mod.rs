//! The linked model: letters, dossiers, exchanges, correspondents, tags and years.
//!
//! Built once from the parsed letters in clear passes (sort, index, resolve
//! replies, exchanges, correspondents, statuses), then read-only, but for
//! [`Archive::replace_unlinked`]: a new version of a letter that links the same.
//! Every link is
//! an index into a `Vec`, found through a hash map: nothing scans all letters
//! per letter, so linking stays linear in the size of the archive.

mod citation;
mod exchange;
mod gaps;
pub mod reference;
pub use exchange::ThreadPlace;
pub mod names;
mod open;
mod stats;
mod status;
mod timeline;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;

pub use citation::{citation, session_of};
pub use gaps::{DossierGaps, MissingCitations, lettering_gaps};
pub use open::{Change, OpenGroup, StatusChange};
pub use stats::{CorrespondentStats, ReplyStats, SideStats, percent, percentile};
pub use status::{Status, Timing};
pub use timeline::{Timeline, TimelineLetter};

use crate::diagnostic::{Diagnostic, Diagnostics, Position};
use crate::letter::Loaded;
use crate::letter::{Chamber, DossierInfo, Kind, Letter, LetterRef};

pub type LetterIx = usize;
pub type DossierIx = usize;
pub type ExchangeIx = usize;
pub type CorrespondentIx = usize;
pub type TagIx = usize;

/// A letter with its links into the rest of the archive.
#[derive(Debug, Clone)]
pub struct ArchivedLetter {
    pub letter: Letter,
    /// Site-relative URL without a leading slash: `dossiers/36521/c/`.
    pub url: String,
    pub dossier: DossierIx,
    pub replies_to: Vec<LetterIx>,
    /// `in_reply_to` entries that name no letter in the archive.
    pub unresolved_replies: Vec<String>,
    /// Every letter that replies to this one, in date order: answers,
    /// postponements, reminders, follow-up questions.
    pub replied_by: Vec<LetterIx>,
    /// The replies that answer it (see [`status::Response::answers`]), in date order.
    pub answers: Vec<LetterIx>,
    pub exchange: ExchangeIx,
    pub prev: Option<LetterIx>,
    pub next: Option<LetterIx>,
    pub from: Vec<CorrespondentIx>,
    pub to: Vec<CorrespondentIx>,
    pub tags: Vec<TagIx>,
    pub chamber: Option<Chamber>,
    pub session: Option<String>,
    pub citation: Option<String>,
    /// The deadline after postponements.
    pub deadline: Option<NaiveDate>,
    pub status: Option<Status>,
    /// Letters in the archive this one's text cites, each once, in order of first mention.
    pub cites: Vec<LetterIx>,
    /// Letters whose text cites this one, in archive order.
    pub cited_by: Vec<LetterIx>,
    /// Days to reply, late or left; all `None` when the letter asks for nothing.
    pub timing: Timing,
}

#[derive(Debug, Clone)]
pub struct Dossier {
    pub id: String,
    pub slug: String,
    pub url: String,
    pub title: Option<String>,
    /// Markdown description from `_dossier.md`.
    pub description: Option<String>,
    pub chamber: Option<Chamber>,
    /// Letters in date order.
    pub letters: Vec<LetterIx>,
    /// Exchanges with at least one letter in this dossier, in date order of their first letter.
    pub exchanges: Vec<ExchangeIx>,
}

#[derive(Debug, Clone)]
pub struct Exchange {
    pub root: LetterIx,
    /// Letters in date order, across dossiers.
    pub letters: Vec<LetterIx>,
    pub url: String,
    pub status: Option<Status>,
}

#[derive(Debug, Clone)]
pub struct Correspondent {
    pub slug: String,
    pub url: String,
    pub name: String,
    /// The name as the alphabetical list shows it: `Vries-Öztürk, J.E. de`
    /// for `mr. drs. J.E. de Vries-Öztürk`, a body's name as written.
    pub index_name: String,
    /// Written as a person (`name:`) in some letter, not only as a body.
    pub person: bool,
    pub roles: Vec<String>,
    pub organisations: Vec<String>,
    pub sent: Vec<LetterIx>,
    pub received: Vec<LetterIx>,
    /// Sent and received together, in archive order (by dossier, then date).
    pub letters: Vec<LetterIx>,
    /// The requests addressed to them, by status.
    pub requests: RequestCounts,
}

/// How many requests are answered, awaited and overdue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct RequestCounts {
    pub answered: usize,
    pub awaiting: usize,
    pub overdue: usize,
}

impl RequestCounts {
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Answered => self.answered += 1,
            Status::Awaiting => self.awaiting += 1,
            Status::Overdue => self.overdue += 1,
        }
    }

    /// Awaiting and overdue together.
    pub fn open(&self) -> usize {
        self.awaiting + self.overdue
    }
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub letters: Vec<LetterIx>,
    /// The same letters, newest first: tag pages list them so.
    pub newest_first: Vec<LetterIx>,
}

#[derive(Debug, Clone)]
pub struct Year {
    pub year: i32,
    pub url: String,
    pub letters: Vec<LetterIx>,
}

/// Site-wide facts linking depends on.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    pub default_chamber: Option<Chamber>,
    /// The build date: statuses are relative to it.
    pub today: NaiveDate,
}

/// The whole linked archive. Read-only after [`Archive::link`].
#[derive(Debug, Clone)]
pub struct Archive {
    pub letters: Vec<ArchivedLetter>,
    pub dossiers: Vec<Dossier>,
    pub exchanges: Vec<Exchange>,
    pub correspondents: Vec<Correspondent>,
    pub tags: Vec<Tag>,
    pub years: Vec<Year>,
    /// All letters, newest first.
    pub newest_first: Vec<LetterIx>,
    pub today: NaiveDate,
    /// Resolves citations and dated mentions ("uw brief van …") to letters.
    pub lookup: reference::LetterLookup,
}

impl Archive {
    /// Links parsed letters into the archive, reporting problems that need more than one letter to see.
    pub fn link(loaded: Loaded, options: &LinkOptions, diagnostics: &mut Diagnostics) -> Archive {
        let Loaded {
            mut letters,
            dossier_infos,
        } = loaded;
        sort_letters(&mut letters);
        let mut archive = Archive {
            letters: Vec::with_capacity(letters.len()),
            dossiers: Vec::new(),
            exchanges: Vec::new(),
            correspondents: Vec::new(),
            tags: Vec::new(),
            years: Vec::new(),
            newest_first: Vec::new(),
            today: options.today,
            lookup: reference::LetterLookup::default(),
        };
        let letters = remove_duplicates(letters, diagnostics);
        archive.index_dossiers(letters, &dossier_infos, options, diagnostics);
        archive.check_urls(diagnostics);
        archive.resolve_replies(diagnostics);
        exchange::build_exchanges(&mut archive);
        archive.index_names_and_years();
        archive.lookup = reference::LetterLookup::new(&archive.letters);
        reference::link_references(&mut archive.letters, &archive.lookup);
        archive.order_lists();
        archive.compute_statuses(diagnostics);
        archive
    }

    /// Puts a new version of letter `ix` in place without linking again. Only for a
    /// version that links exactly as the one it replaces: it may differ in its body (when
    /// the body cites the same letters) and in what only pages show
    /// ([`Shown`](crate::letter::Shown)), which no link reads. `serve` patches an edit of
    /// those alone this way.
    pub fn replace_unlinked(&mut self, ix: LetterIx, letter: Letter) {
        self.letters[ix].letter = letter;
    }

    /// Moves every letter's Markdown body out (in letter order), leaving the rest of the
    /// model intact: a build renders the bodies once and needs the sources no more.
    pub fn take_bodies(&mut self) -> Vec<String> {
        self.letters
            .iter_mut()
            .map(|l| std::mem::take(&mut l.letter.body))
            .collect()
    }

    /// Letters whose status is overdue, oldest deadline first.
    pub fn overdue(&self) -> Vec<LetterIx> {
        let mut out: Vec<LetterIx> = (0..self.letters.len())
            .filter(|&i| self.letters[i].status == Some(Status::Overdue))
            .collect();
        out.sort_by_key(|&i| (self.letters[i].deadline, i));
        out
    }

    fn index_dossiers(
        &mut self,
        letters: Vec<Letter>,
        infos: &[DossierInfo],
        options: &LinkOptions,
        diagnostics: &mut Diagnostics,
    ) {
        let mut by_id: HashMap<String, DossierIx> = HashMap::new();
        for letter in letters {
            let dossier = match by_id.get(&letter.dossier) {
                Some(&d) => d,
                None => {
                    self.dossiers.push(Dossier::new(&letter.dossier));
                    by_id.insert(letter.dossier.clone(), self.dossiers.len() - 1);
                    self.dossiers.len() - 1
                }
            };
            let ix = self.letters.len();
            self.dossiers[dossier].letters.push(ix);
            let url = format!("{}{}/", self.dossiers[dossier].url, slugify(&letter.id));
            self.letters.push(ArchivedLetter::new(letter, url, dossier));
        }
        let by_slug: HashMap<String, DossierIx> = self
            .dossiers
            .iter()
            .enumerate()
            .map(|(i, d)| (d.slug.clone(), i))
            .collect();
        for info in infos {
            let id = info.dossier.clone().unwrap_or_else(|| info.folder.clone());
            // A folder may spell the dossier as its URL does: `37300-VII` for `37300 VII`.
            let found = by_id.get(&id).or_else(|| by_slug.get(&slugify(&id)));
            match found {
                Some(&d) => self.dossiers[d].describe(info),
                None => diagnostics.push(
                    Diagnostic::warning(
                        &info.path,
                        1,
                        1,
                        format!("dossier `{id}` has no letters, so this description is not shown"),
                    )
                    .with_help(
                        "set `dossier:` in _dossier.md to the dossier number its letters use",
                    ),
                ),
            }
        }
        for (ix, l) in self.letters.iter_mut().enumerate() {
            let dossier = &self.dossiers[l.dossier];
            l.chamber = l
                .letter
                .chamber
                .or(dossier.chamber)
                .or(options.default_chamber);
            l.session = citation::letter_session(l.letter.session.as_deref(), l.letter.date);
            l.citation = match (l.chamber, &l.session) {
                (Some(c), Some(s)) => {
                    Some(citation::citation(c, s, &l.letter.dossier, &l.letter.id))
                }
                _ => None,
            };
            let pos = dossier.letters.binary_search(&ix).unwrap_or_default();
            l.prev = pos.checked_sub(1).map(|p| dossier.letters[p]);
            l.next = dossier.letters.get(pos + 1).copied();
        }
    }

    /// Two files must never claim the same URL: the second would silently overwrite the first.
    fn check_urls(&self, diagnostics: &mut Diagnostics) {
        let mut claimed: HashMap<String, &PathBuf> = HashMap::new();
        let mut dossier_slugs: HashMap<&str, &str> = HashMap::new();
        for d in &self.dossiers {
            if let Some(other) = dossier_slugs.insert(&d.slug, &d.id) {
                let first = &self.letters[d.letters[0]].letter;
                diagnostics.push(
                    Diagnostic::error(
                        &first.path,
                        1,
                        1,
                        format!(
                            "dossiers `{other}` and `{}` both claim the URL /{}",
                            d.id, d.url
                        ),
                    )
                    .with_help("write the dossier number the same way in every letter"),
                );
            }
        }
        for l in &self.letters {
            // An id with no letters or digits, or `exchanges`, gives no URL of its own.
            if l.url.ends_with("//") || l.url.ends_with("/exchanges/") {
                diagnostics.push(
                    Diagnostic::error(
                        &l.letter.path,
                        1,
                        1,
                        format!("the letter id `{}` cannot be used in a URL", l.letter.id),
                    )
                    .with_help(
                        "use letters, digits, `-` or `_` in letter ids; `exchanges` is reserved",
                    ),
                );
            }
            let aliases = l.letter.aliases.iter().map(|a| format!("{a}/"));
            for url in std::iter::once(l.url.clone()).chain(aliases) {
                if let Some(first) = claimed.insert(url.clone(), &l.letter.path) {
                    diagnostics.push(
                        Diagnostic::error(&l.letter.path, 1, 1, format!("this letter claims the URL /{url}, which {} already has", first.display()))
                            .with_help("give one of the letters another `letter:` id, or remove the clashing alias"),
                    );
                }
            }
        }
    }

    fn resolve_replies(&mut self, diagnostics: &mut Diagnostics) {
        let mut by_key: HashMap<(&str, &str), LetterIx> =
            HashMap::with_capacity(self.letters.len());
        for (ix, l) in self.letters.iter().enumerate() {
            by_key.insert((&l.letter.dossier, &l.letter.id), ix);
        }
        let mut links: Vec<(LetterIx, LetterIx)> = Vec::new();
        let mut unresolved: Vec<(LetterIx, String)> = Vec::new();
        for (ix, l) in self.letters.iter().enumerate() {
            for r in &l.letter.in_reply_to {
                match resolve(&by_key, l, r) {
                    Some(target) if target != ix => {
                        links.push((ix, target));
                        warn_if_reply_predates(l, &self.letters[target], r, diagnostics);
                    }
                    Some(_) => diagnostics.push(
                        Diagnostic::warning_in(&l.letter.path, "this letter replies to itself")
                            .at(r.place)
                            .with_help("`in_reply_to` names the letter this one answers"),
                    ),
                    None => {
                        unresolved.push((ix, r.written()));
                        diagnostics.push(
                            Diagnostic::warning_in(&l.letter.path, format!("`in_reply_to` names `{}`, which is not in the archive", r.written()))
                                .at(r.place)
                                .with_help("check the letter id, and write \"DOSSIER/ID\" for a letter in another dossier; the page will say the letter is missing"),
                        );
                    }
                }
            }
        }
        for (from, to) in links {
            self.letters[from].replies_to.push(to);
            self.letters[to].replied_by.push(from);
        }
        for (ix, written) in unresolved {
            self.letters[ix].unresolved_replies.push(written);
        }
        self.sort_answers_by_date();
    }

    fn sort_answers_by_date(&mut self) {
        let keys: Vec<(NaiveDate, LetterIx)> = self
            .letters
            .iter()
            .enumerate()
            .map(|(i, l)| (l.letter.date.start(), i))
            .collect();
        for l in &mut self.letters {
            l.replied_by.sort_by_key(|&a| keys[a]);
            l.replied_by.dedup();
            l.replies_to.dedup();
        }
    }

    /// Indexes correspondents, tags and years. The three only read the
    /// letters, so they run side by side.
    fn index_names_and_years(&mut self) {
        let letters = &self.letters;
        let (people, (tags, years)) = rayon::join(
            || correspondents_of(letters),
            || rayon::join(|| tags_of(letters), || years_of(letters)),
        );
        let (correspondents, sides) = people;
        let (tags, tag_links) = tags;
        (self.years, self.newest_first) = years;
        self.correspondents = correspondents;
        self.tags = tags;
        for ((l, [from, to]), tags) in self.letters.iter_mut().zip(sides).zip(tag_links) {
            l.from = from;
            l.to = to;
            l.tags = tags;
        }
    }

    /// Orders the lists that pages show, once, so no page sorts a long list.
    fn order_lists(&mut self) {
        let letters = &self.letters;
        let newest = |&ix: &LetterIx| (std::cmp::Reverse(letters[ix].letter.date.start()), ix);
        for tag in &mut self.tags {
            tag.newest_first = tag.letters.clone();
            tag.newest_first.sort_by_key(newest);
        }
        for c in &mut self.correspondents {
            c.letters = c.sent.iter().chain(&c.received).copied().collect();
            c.letters.sort_unstable();
            c.letters.dedup();
        }
    }

    fn compute_statuses(&mut self, diagnostics: &mut Diagnostics) {
        for ix in 0..self.letters.len() {
            let l = &self.letters[ix];
            let responses: Vec<status::Response> =
                l.replied_by.iter().map(|&r| self.response(ix, r)).collect();
            self.warn_if_answer_from_stranger(ix, &responses, diagnostics);
            let request = status::Request {
                kind: l.letter.kind,
                date: l.letter.date.day(),
                own_due: l.letter.reply_due,
                responses: &responses,
            };
            let deadline = status::effective_deadline(l.letter.reply_due, &responses);
            let assessed = request.assess(self.today);
            let answers = l
                .replied_by
                .iter()
                .zip(&responses)
                .filter(|(_, r)| r.answers())
                .map(|(&a, _)| a)
                .collect();
            let l = &mut self.letters[ix];
            l.deadline = deadline;
            l.status = assessed.map(|(s, _)| s);
            l.timing = assessed.map(|(_, t)| t).unwrap_or_default();
            l.answers = answers;
        }
        for e in &mut self.exchanges {
            e.status = status::exchange_status(e.letters.iter().map(|&l| self.letters[l].status));
        }
        for c in &mut self.correspondents {
            for &l in &c.received {
                if let Some(s) = self.letters[l].status {
                    c.requests.add(s);
                }
            }
        }
    }

    /// Letter `reply` as a response to letter `request`.
    fn response(&self, request: LetterIx, reply: LetterIx) -> status::Response {
        let r = &self.letters[reply];
        status::Response {
            kind: r.letter.kind,
            date: r.letter.date.day(),
            reply_due: r.letter.reply_due,
            from_addressee: self.comes_from_addressee(reply, request),
        }
    }

    /// Whether a sender of `reply` is an addressee of `request`: the same
    /// correspondent, or the same office or body (a new minister answers in
    /// the same role; a person answers for the body that was addressed).
    pub fn comes_from_addressee(&self, reply: LetterIx, request: LetterIx) -> bool {
        let (reply, request) = (&self.letters[reply], &self.letters[request]);
        if reply.from.iter().any(|c| request.to.contains(c)) {
            return true;
        }
        let same = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if a.to_lowercase() == b.to_lowercase());
        reply.letter.from.iter().any(|sender| {
            request.letter.to.iter().any(|addressee| {
                same(&sender.role, &addressee.role)
                    || (addressee.name.is_none()
                        && same(&sender.organisation, &addressee.organisation))
            })
        })
    }

    /// `kind: answer` to a letter from someone it was not addressed to: the
    /// request stays open, so say why.
    fn warn_if_answer_from_stranger(
        &self,
        request: LetterIx,
        responses: &[status::Response],
        diagnostics: &mut Diagnostics,
    ) {
        let asked = &self.letters[request];
        for (&r, response) in asked.replied_by.iter().zip(responses) {
            if response.kind != Kind::Answer || response.from_addressee {
                continue;
            }
            let reply = &self.letters[r];
            let place = reply
                .letter
                .in_reply_to
                .iter()
                .find(|p| p.letter == asked.letter.id)
                .map_or(Position::START, |p| p.place);
            let addressees: Vec<&str> = asked.letter.to.iter().map(|p| p.display_name()).collect();
            diagnostics.push(
                Diagnostic::warning_in(
                    &reply.letter.path,
                    format!(
                        "this answer to `{}` does not come from its addressee ({}), so it does not count as the answer",
                        asked.letter.id,
                        addressees.join("; ")
                    ),
                )
                .at(place)
                .with_help("check `from` and `in_reply_to`; a reaction from someone else can be `kind: letter`"),
            );
        }
    }
}

impl ArchivedLetter {
    fn new(letter: Letter, url: String, dossier: DossierIx) -> Self {
        ArchivedLetter {
            letter,
            url,
            dossier,
            replies_to: Vec::new(),
            unresolved_replies: Vec::new(),
            replied_by: Vec::new(),
            answers: Vec::new(),
            exchange: 0,
            prev: None,
            next: None,
            from: Vec::new(),
            to: Vec::new(),
            tags: Vec::new(),
            chamber: None,
            session: None,
            citation: None,
            deadline: None,
            status: None,
            cites: Vec::new(),
            cited_by: Vec::new(),
            timing: Timing::default(),
        }
    }
}

impl Dossier {
    fn new(id: &str) -> Self {
        let slug = slug_or_hash(id);
        Dossier {
            id: id.to_string(),
            url: format!("dossiers/{slug}/"),
            slug,
            title: None,
            description: None,
            chamber: None,
            letters: Vec::new(),
            exchanges: Vec::new(),
        }
    }

    fn describe(&mut self, info: &DossierInfo) {
        self.title = info.title.clone();
        self.chamber = info.chamber;
        self.description = Some(info.body.clone()).filter(|b| !b.trim().is_empty());
    }
}

impl Correspondent {
    fn new(slug: String, name: &str) -> Self {
        Correspondent {
            url: format!("correspondents/{slug}/"),
            slug,
            name: name.to_string(),
            index_name: String::new(),
            person: false,
            roles: Vec::new(),
            organisations: Vec::new(),
            sent: Vec::new(),
            received: Vec::new(),
            letters: Vec::new(),
            requests: RequestCounts::default(),
        }
    }

    /// Collects the roles and bodies a correspondent wrote under, first seen first.
    fn learn(&mut self, party: &crate::letter::Party) {
        self.person |= party.name.is_some();
        for (value, list) in [
            (&party.role, &mut self.roles),
            (&party.organisation, &mut self.organisations),
        ] {
            if let Some(v) = value
                && !list.contains(v)
                && party.name.is_some()
            {
                list.push(v.clone());
            }
        }
    }
}

fn resolve(
    by_key: &HashMap<(&str, &str), LetterIx>,
    from: &ArchivedLetter,
    r: &LetterRef,
) -> Option<LetterIx> {
    let dossier = r.dossier.as_deref().unwrap_or(&from.letter.dossier);
    by_key.get(&(dossier, r.letter.as_str())).copied()
}

fn warn_if_reply_predates(
    reply: &ArchivedLetter,
    answered: &ArchivedLetter,
    r: &LetterRef,
    diagnostics: &mut Diagnostics,
) {
    if reply.letter.date.end() < answered.letter.date.start() {
        diagnostics.push(
            Diagnostic::warning_in(
                &reply.letter.path,
                format!(
                    "this letter ({}) replies to `{}`, which is dated later ({})",
                    reply.letter.date.iso(),
                    r.written(),
                    answered.letter.date.iso()
                ),
            )
            .at(reply.letter.date_place)
            .with_help("check `date` and `in_reply_to`: a reply cannot be older than the letter it answers"),
        );
    }
}

/// Drops the second of two letters with the same id in one dossier, with an error naming both files.
fn remove_duplicates(letters: Vec<Letter>, diagnostics: &mut Diagnostics) -> Vec<Letter> {
    let mut seen: HashMap<(&str, &str), &PathBuf> = HashMap::with_capacity(letters.len());
    let mut duplicate = vec![false; letters.len()];
    for (i, l) in letters.iter().enumerate() {
        if let Some(first) = seen.insert((&l.dossier, &l.id), &l.path) {
            seen.insert((&l.dossier, &l.id), first);
            duplicate[i] = true;
            diagnostics.push(
                Diagnostic::error(&l.path, 1, 1, format!("dossier {} already has a letter `{}` in {}", l.dossier, l.id, first.display()))
                    .with_help("letter ids are unique within a dossier: set `letter:` to another id in one of the files"),
            );
        }
    }
    drop(seen);
    letters
        .into_iter()
        .zip(duplicate)
        .filter_map(|(l, dup)| (!dup).then_some(l))
        .collect()
}

/// The correspondents in name order, and each letter's senders and recipients.
fn correspondents_of(
    letters: &[ArchivedLetter],
) -> (Vec<Correspondent>, Vec<[Vec<CorrespondentIx>; 2]>) {
    let mut correspondents: Vec<Correspondent> = Vec::new();
    let mut by_slug: HashMap<String, CorrespondentIx> = HashMap::new();
    // The same few hundred names recur on every letter: slugify each once.
    let mut by_name: HashMap<&str, CorrespondentIx> = HashMap::new();
    let mut links = Vec::with_capacity(letters.len());
    for (ix, l) in letters.iter().enumerate() {
        let mut sides = [Vec::new(), Vec::new()];
        for (sent, parties) in [(true, &l.letter.from), (false, &l.letter.to)] {
            let found = &mut sides[usize::from(!sent)];
            for party in parties {
                let name = party.display_name();
                let c = *by_name.entry(name).or_insert_with(|| {
                    let slug = slug_or_hash(name);
                    *by_slug.entry(slug.clone()).or_insert_with(|| {
                        correspondents.push(Correspondent::new(slug, name));
                        correspondents.len() - 1
                    })
                });
                let corr = &mut correspondents[c];
                corr.learn(party);
                let list = if sent {
                    &mut corr.sent
                } else {
                    &mut corr.received
                };
                if list.last() != Some(&ix) {
                    list.push(ix);
                }
                found.push(c);
            }
        }
        links.push(sides);
    }
    for c in &mut correspondents {
        c.index_name = names::index_name(&c.name, c.person);
    }
    let order = names::NameOrder::dutch();
    let (correspondents, new_ix) = sort_by_name(correspondents, |c| order.key(&c.name, c.person));
    for c in links.iter_mut().flatten().flatten() {
        *c = new_ix[*c];
    }
    (correspondents, links)
}

/// The tags in slug order, and each letter's tags.
fn tags_of(letters: &[ArchivedLetter]) -> (Vec<Tag>, Vec<Vec<TagIx>>) {
    let mut tags: Vec<Tag> = Vec::new();
    let mut by_slug: HashMap<String, TagIx> = HashMap::new();
    // Tags recur on many letters: slugify each spelling once.
    let mut by_name: HashMap<&str, TagIx> = HashMap::new();
    let mut links = Vec::with_capacity(letters.len());
    for (ix, l) in letters.iter().enumerate() {
        let mut found = Vec::new();
        for name in &l.letter.tags {
            let t = *by_name.entry(name).or_insert_with(|| {
                let slug = slug_or_hash(name);
                *by_slug.entry(slug.clone()).or_insert_with(|| {
                    tags.push(Tag {
                        url: format!("tags/{slug}/"),
                        slug,
                        name: name.to_lowercase(),
                        letters: Vec::new(),
                        newest_first: Vec::new(),
                    });
                    tags.len() - 1
                })
            });
            if !found.contains(&t) {
                found.push(t);
                tags[t].letters.push(ix);
            }
        }
        links.push(found);
    }
    let (tags, new_ix) = sort_by_name(tags, |t| t.slug.clone());
    for t in links.iter_mut().flatten() {
        *t = new_ix[*t];
    }
    (tags, links)
}

/// The years in order with their letters by date, and all letters newest first.
fn years_of(letters: &[ArchivedLetter]) -> (Vec<Year>, Vec<LetterIx>) {
    let mut order: Vec<LetterIx> = (0..letters.len()).collect();
    order.sort_by(|&a, &b| compare_by_date(&letters[a].letter, &letters[b].letter).then(a.cmp(&b)));
    let mut years: Vec<Year> = Vec::new();
    for &ix in &order {
        let year = letters[ix].letter.date.year();
        if years.last().is_none_or(|y| y.year != year) {
            years.push(Year {
                year,
                url: format!("years/{year}/"),
                letters: Vec::new(),
            });
        }
        if let Some(y) = years.last_mut() {
            y.letters.push(ix);
        }
    }
    order.reverse();
    (years, order)
}

/// Sorts a name-keyed collection; returns it and each old index's new one.
fn sort_by_name<T, K: Ord>(list: Vec<T>, key: impl Fn(&T) -> K) -> (Vec<T>, Vec<usize>) {
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_cached_key(|&i| (key(&list[i]), i));
    let mut new_ix = vec![0; list.len()];
    for (new, &old) in order.iter().enumerate() {
        new_ix[old] = new;
    }
    let mut slots: Vec<Option<T>> = list.into_iter().map(Some).collect();
    let sorted = order.iter().filter_map(|&old| slots[old].take()).collect();
    (sorted, new_ix)
}

/// Puts letters in archive order. Sorts positions, then moves each letter
/// once: a letter is a large struct, and moving it at every step of the sort
/// cost more than comparing.
fn sort_letters(letters: &mut Vec<Letter>) {
    let mut order: Vec<usize> = (0..letters.len()).collect();
    order.sort_by(|&a, &b| compare_letters(&letters[a], &letters[b]));
    if order.iter().enumerate().all(|(i, &o)| i == o) {
        return;
    }
    let mut slots: Vec<Option<Letter>> = letters.drain(..).map(Some).collect();
    letters.extend(order.iter().filter_map(|&o| slots[o].take()));
}

/// Archive order: by dossier, then date, then letter id, naturally (`B` before `AA`, `2` before `10`).
fn compare_letters(a: &Letter, b: &Letter) -> Ordering {
    natural_cmp(&a.dossier, &b.dossier)
        .then_with(|| compare_by_date(a, b))
        .then_with(|| a.path.cmp(&b.path))
}

fn compare_by_date(a: &Letter, b: &Letter) -> Ordering {
    a.date
        .start()
        .cmp(&b.date.start())
        .then_with(|| natural_cmp(&a.id, &b.id))
}

/// Compares ids the way people count them: digit runs by value, letter runs by length, then alphabet.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    // Called for every comparison of every sort of letters: no allocation here.
    if a == b {
        // Most comparisons of dossier numbers are between letters of one dossier.
        return Ordering::Equal;
    }
    let (mut ca, mut cb) = (Chunks(a), Chunks(b));
    loop {
        match (ca.next(), cb.next()) {
            (Some(x), Some(y)) => {
                let ord = match (x.parse::<u128>(), y.parse::<u128>()) {
                    (Ok(n), Ok(m)) => n.cmp(&m).then(x.len().cmp(&y.len())),
                    _ => x
                        .chars()
                        .count()
                        .cmp(&y.chars().count())
                        .then_with(|| x.cmp(y)),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
        }
    }
}

/// The runs of digits and of non-digits of a string, in order.
struct Chunks<'s>(&'s str);

impl<'s> Iterator for Chunks<'s> {
    type Item = &'s str;

    fn next(&mut self) -> Option<&'s str> {
        let s = self.0;
        let first = s.chars().next()?;
        let digit = first.is_ascii_digit();
        let end = s
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() != digit)
            .map_or(s.len(), |(i, _)| i);
        self.0 = &s[end..];
        Some(&s[..end])
    }
}

/// A URL-safe, lowercase ASCII slug (`coördinatie` → `coordinatie`).
pub fn slugify(s: &str) -> String {
    slug::slugify(s)
}

/// A slug, or for text with no letters or digits at all a stable hex name, so every name gets a page.
fn slug_or_hash(s: &str) -> String {
    let slug = slugify(s);
    if !slug.is_empty() {
        return slug;
    }
    let hash = s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    format!("x{hash:016x}")
}

#[cfg(test)]
mod tests;
