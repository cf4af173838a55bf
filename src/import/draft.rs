//! Drafts the front matter of an imported letter from its cleaned text.
//!
//! It never invents a value: each field is read from a place in the letter
//! (the address block, the salutation, the signature, a citation, the
//! dagtekening) or from a letter already in the archive; what cannot be found
//! is a [`Gap`] that the draft names in a comment and on screen.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::clean::{Block, Cleaned, is_closing};
use crate::archive::reference::{Target, find_references, month_number, normalise_dossier};
use crate::archive::session_of;
use crate::letter::{Chamber, Kind, Party, term_in_text};

/// A letter already in the archive, as far as drafting needs it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Known {
    pub dossier: String,
    pub id: String,
    /// Its senders: the addressee of a reply to it, with their role.
    pub from: Vec<Party>,
}

/// The archive's letters by their dagtekening, to resolve "uw brief van 12
/// januari 2026", and the roles its people wrote or were written to in.
#[derive(Debug, Default)]
pub struct KnownLetters {
    by_date: HashMap<NaiveDate, Vec<Known>>,
    /// Each named person of the archive with the roles they had (name as written).
    people: Vec<Party>,
}

impl KnownLetters {
    pub fn add(&mut self, date: NaiveDate, known: Known) {
        self.by_date.entry(date).or_default().push(known);
    }

    /// A sender or addressee of a letter in the archive (any date).
    pub fn add_person(&mut self, party: &Party) {
        if party.name.is_some() && party.role.is_some() && !self.people.contains(party) {
            self.people.push(party.clone());
        }
    }

    fn on(&self, date: NaiveDate) -> &[Known] {
        self.by_date.get(&date).map_or(&[], Vec::as_slice)
    }

    /// The one role the archive knows for the person `name` (`Rijkaart`,
    /// `De Vries`), matched on whole words; none when it knows two.
    fn role_of(&self, name: &str) -> Option<(&str, &str)> {
        let mut roles = self
            .people
            .iter()
            .filter(|p| p.name.as_deref().is_some_and(|n| same_person(n, name)))
            .filter_map(|p| Some((p.role.as_deref()?, p.name.as_deref()?)));
        let first = roles.next()?;
        roles.all(|(role, _)| role == first.0).then_some(first)
    }
}

/// Whether the full name `full` (`D.J. Rijkaart`, `mr. M. de Vries`) ends in
/// `short` (`Rijkaart`, `De Vries`), word by word and ignoring case; titles
/// after the name (`MDR`, `MSc`) are no part of it.
fn same_person(full: &str, short: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| w.trim_matches(',').to_lowercase())
            .collect()
    };
    let (full, short) = (words(full), words(short));
    if short.is_empty() {
        return false;
    }
    let titles = ["mdr", "msc", "ma", "mba", "llm", "mpa", "bsc", "phd", "ba"];
    let mut end = full.len();
    while end > 0 && titles.contains(&full[end - 1].as_str()) {
        end -= 1;
    }
    end >= short.len() && full[end - short.len()..end] == short[..]
}

/// A field the import could not fill, with what the user should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub key: &'static str,
    pub why: String,
}

/// The drafted front matter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    pub dossier: Option<String>,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub from: Option<Party>,
    pub to: Option<Party>,
    pub in_reply_to: Option<String>,
    /// The reply term as the text words it (`binnen vier weken na dagtekening`).
    pub reply_due: Option<String>,
    pub kind: Kind,
    pub kenmerk: Option<String>,
    pub chamber: Option<Chamber>,
    pub session: Option<String>,
    /// Where a value came from when that is worth telling (`dossier 36521 from the citation …`).
    pub found: Vec<String>,
    pub gaps: Vec<Gap>,
}

/// The keys a letter must have; a draft without one of them is `draft: true`.
pub const REQUIRED: [&str; 4] = ["dossier", "date", "from", "to"];

impl Draft {
    /// Whether a required key is missing.
    pub fn incomplete(&self) -> bool {
        self.gaps.iter().any(|g| REQUIRED.contains(&g.key))
    }
}

/// Drafts the front matter. `dossier` is `--dossier`, which wins over citations.
pub fn draft(cleaned: &Cleaned, dossier: Option<&str>, known: &KnownLetters) -> Draft {
    let body = body_text(cleaned);
    let mut d = Draft {
        date: dagtekening(&cleaned.head, &cleaned.blocks),
        kenmerk: labelled(&cleaned.head, &["ons kenmerk", "kenmerk"]),
        title: labelled(&cleaned.head, &["betreft", "onderwerp"])
            .or_else(|| first_sentence(&cleaned.blocks)),
        to: addressee(&cleaned.head, &cleaned.blocks, &body),
        from: signatory(&cleaned.head, &cleaned.blocks),
        reply_due: reply_rule(&body),
        kind: kind_of(&body),
        ..Draft::default()
    };
    place(&mut d, cleaned, dossier);
    d.in_reply_to = reply_to(&mut d, &body, known);
    role_from_archive(&mut d, known);
    note_gaps(&mut d);
    d
}

/// The body as one text, for phrase searches.
fn body_text(cleaned: &Cleaned) -> String {
    let mut text = String::new();
    for block in &cleaned.blocks {
        match block {
            Block::Paragraph(p) | Block::Heading(p) => text.push_str(p),
            Block::List(items) => {
                for item in items {
                    text.push_str(&item.text);
                    text.push('\n');
                }
            }
            Block::Signature(lines) => text.push_str(&lines.join(" ")),
        }
        text.push('\n');
    }
    text
}

fn note_gaps(d: &mut Draft) {
    let mut gap = |key: &'static str, missing: bool, why: &str| {
        if missing {
            d.gaps.push(Gap {
                key,
                why: why.to_string(),
            });
        }
    };
    gap(
        "dossier",
        d.dossier.is_none(),
        "no citation names it — give --dossier N or fill in the dossier number",
    );
    gap(
        "date",
        d.date.is_none(),
        "not found in the text — fill in the dagtekening",
    );
    gap(
        "from",
        d.from.is_none(),
        "no signature after the closing — fill in the sender",
    );
    gap(
        "to",
        d.to.is_none(),
        "no address block or salutation with a name — fill in the addressee",
    );
    gap(
        "to.role",
        d.to.as_ref().is_some_and(|t| t.role.is_none()),
        "no address block, salutation or letter in the archive names the role — add it (\"Minister van …\")",
    );
    gap(
        "kenmerk",
        d.kenmerk.is_none(),
        "no \"ons kenmerk\" in the letterhead",
    );
}

/// The first Dutch date in the text: `16 december 2025`, with its byte range.
pub fn dutch_date(text: &str) -> Option<(NaiveDate, usize, usize)> {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    for window in words.windows(3) {
        let [(start, day), (_, month), (year_at, year)] = window else {
            continue;
        };
        // `2026.` or `2026.[^1]`: the year is the leading digits.
        let year =
            &year[..year.len() - year.trim_start_matches(|c: char| c.is_ascii_digit()).len()];
        let Some(month) = month_number(month) else {
            continue;
        };
        let (Ok(day), Ok(y)) = (day.parse::<u32>(), year.parse::<i32>()) else {
            continue;
        };
        if year.len() != 4 {
            continue;
        }
        if let Some(date) = NaiveDate::from_ymd_opt(y, month, day) {
            return Some((date, *start, year_at + year.len()));
        }
    }
    None
}

/// The dagtekening: a `datum …` line in the head, or a `Den Haag, 16 december
/// 2025` line in the head or just above the closing.
fn dagtekening(head: &[String], blocks: &[Block]) -> Option<NaiveDate> {
    if let Some(value) = labelled(head, &["datum", "date"])
        && let Some((date, _, _)) = dutch_date(&value)
    {
        return Some(date);
    }
    let place_line = |line: &str| {
        let (place, rest) = line.split_once(", ")?;
        let place_like = !place.is_empty()
            && place.len() < 40
            && place.chars().next().is_some_and(char::is_uppercase)
            && !place.contains(['.', ':']);
        let (date, start, end) = dutch_date(rest)?;
        (place_like && start == 0 && rest[end..].trim_end_matches('.').trim().is_empty())
            .then_some(date)
    };
    head.iter().find_map(|l| place_line(l)).or_else(|| {
        blocks.iter().find_map(|b| match b {
            Block::Paragraph(p) => place_line(p),
            _ => None,
        })
    })
}

/// The value of a head line that starts with one of `labels` (`ons kenmerk 178675.01U`,
/// `Onderwerp: …`), with an optional colon.
fn labelled(head: &[String], labels: &[&str]) -> Option<String> {
    head.iter().find_map(|line| {
        let lower = line.to_lowercase();
        labels.iter().find_map(|label| {
            let rest = lower.strip_prefix(label)?;
            if !rest.starts_with([' ', ':']) {
                return None;
            }
            let value = line[label.len()..].trim_start_matches([':', ' ']).trim();
            (!value.is_empty()).then(|| value.to_string())
        })
    })
}

/// The first sentence of the first paragraph after the salutation, without footnote marks.
fn first_sentence(blocks: &[Block]) -> Option<String> {
    let text = blocks.iter().skip(1).find_map(|b| match b {
        Block::Paragraph(p) => Some(p),
        _ => None,
    })?;
    let end = sentence_end(text);
    let sentence = strip_footnote_marks(&text[..end]);
    let sentence = sentence.trim();
    (!sentence.is_empty()).then(|| sentence.to_string())
}

/// The byte index just after the first sentence: a `.`, `?` or `!` followed by
/// a space and a capital, or the end.
fn sentence_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        let mut j = i + 1;
        while text[j..].starts_with("[^") {
            j += text[j..].find(']').map_or(0, |k| k + 1);
        }
        let next_upper = text[j..]
            .strip_prefix(' ')
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_uppercase);
        if j >= bytes.len() || next_upper {
            return i + 1;
        }
    }
    text.len()
}

/// Removes `[^1]` references from a text.
fn strip_footnote_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("[^") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find(']').map_or("", |k| &rest[i + k + 1..]);
    }
    out.push_str(rest);
    out
}

/// The addressee: the address block (`Aan de minister van …` and `De heer …`,
/// a role wrapped over two lines joined), else the name in the salutation
/// (`Geachte heer Rijkaart,`). The role, when the address block has none,
/// from a salutation that names it (`Geachte minister van Financiën,`) or
/// from the text addressing the reader by it (`u als minister van …`).
fn addressee(head: &[String], blocks: &[Block], body: &str) -> Option<Party> {
    let mut party = Party::default();
    for (i, line) in head.iter().enumerate() {
        let Some(rest) = ["aan: ", "aan de ", "aan het ", "aan "]
            .iter()
            .find_map(|p| strip_prefix_ci(line, p))
        else {
            continue;
        };
        let rest = rest.trim();
        let rest = rest.strip_prefix("de ").unwrap_or(rest);
        let mut role = rest.to_string();
        let mut next = i + 1;
        // `Aan de minister van Binnenlandse Zaken en` / `Koninkrijksrelaties`.
        while ends_unfinished(&role)
            && let Some(more) = head.get(next).filter(|l| person_name(l).is_none())
        {
            role = format!("{role} {}", more.trim());
            next += 1;
        }
        party.role = Some(capitalise(&role));
        party.name = head.get(next).and_then(|l| person_name(l));
        break;
    }
    if party.role.is_none() {
        // `De heer P.L. Oosterhuis` / `Minister van Klimaat en Groene Groei`.
        party = head
            .windows(2)
            .find_map(|w| {
                let name = person_name(&w[0])?;
                let role = role_phrase(&w[1]).filter(|r| r.len() == w[1].trim().len())?;
                Some(Party {
                    name: Some(name),
                    role: Some(capitalise(role)),
                    organisation: None,
                })
            })
            .unwrap_or(party);
    }
    let salutation = blocks.first().and_then(|b| match b {
        Block::Paragraph(p) => Some(p.as_str()),
        _ => None,
    });
    if party.name.is_none() {
        party.name = salutation.and_then(salutation_name);
    }
    if party.role.is_none() {
        party.role = salutation
            .and_then(salutation_role)
            .or_else(|| addressed_role(body));
    }
    (party.name.is_some() || party.role.is_some()).then_some(party)
}

/// Whether a role line goes on on the next line (`… Binnenlandse Zaken en`).
fn ends_unfinished(role: &str) -> bool {
    let last = role.rsplit(' ').next().unwrap_or_default().to_lowercase();
    role.ends_with([',', '-'])
        || ["en", "van", "voor", "der", "de", "het", "and", "of"].contains(&last.as_str())
}

/// Titles of an addressee's office, as they open a role (`minister van …`).
const OFFICES: &[&str] = &[
    "minister-president",
    "minister",
    "staatssecretaris",
    "voorzitter",
    "griffier",
    "burgemeester",
    "commissaris van de koning",
];

/// `text` without `prefix` (ASCII), ignoring case.
fn strip_prefix_ci<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// A role at the start of `text`: an office and what it is of (`minister
/// van Asiel en Migratie`, `staatssecretaris voor …`), up to a comma or stop.
fn role_phrase(text: &str) -> Option<&str> {
    let text = text.trim();
    let after = OFFICES
        .iter()
        .find_map(|office| strip_prefix_ci(text, office))?;
    let portfolio = [" van ", " voor ", " der "]
        .iter()
        .find_map(|joiner| strip_prefix_ci(after, joiner))?;
    let start = text.len() - portfolio.len();
    let end = portfolio
        .find([',', '.', ';', ':', '?', '!', '(', '\n'])
        .map_or(text.len(), |e| start + e);
    let role = text[..end].trim_end();
    (role.len() > start + 2).then_some(role)
}

/// The role in a salutation that names it: `Geachte minister van Financiën,`,
/// `Geachte heer de minister van …` (a bare `Geachte minister,` names no portfolio).
fn salutation_role(line: &str) -> Option<String> {
    let rest = ["geachte ", "zeer geachte ", "hooggeachte "]
        .iter()
        .find_map(|s| strip_prefix_ci(line, s))?;
    let rest = ["heer de ", "mevrouw de ", "heer ", "mevrouw "]
        .iter()
        .find_map(|form| strip_prefix_ci(rest, form))
        .unwrap_or(rest);
    role_phrase(rest).map(capitalise)
}

/// The role the text addresses its reader by: `… vragen u als minister van
/// Asiel en Migratie …`. Only that form: a role merely named in the text may
/// be anyone's.
fn addressed_role(body: &str) -> Option<String> {
    let lower = body.to_lowercase();
    lower.match_indices("u als ").find_map(|(i, m)| {
        let before = lower[..i].chars().next_back();
        if before.is_some_and(char::is_alphanumeric) {
            return None;
        }
        let role = role_phrase(&body[i + m.len()..])?;
        named_portfolio(role).map(capitalise)
    })
}

/// A role in running text up to the end of its portfolio's name, which is
/// capitalised (`minister van Asiel en Migratie om een reactie` → `minister
/// van Asiel en Migratie`; `…van Volksgezondheid, Welzijn en Sport`).
fn named_portfolio(role: &str) -> Option<&str> {
    let mut end = None;
    let mut seen_portfolio = false;
    for (at, word) in role.split(' ').scan(0, |at, w| {
        let start = *at;
        *at += w.len() + 1;
        Some((start, w))
    }) {
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        let joiner = ["en", "van", "voor", "der", "de", "het"].contains(&word);
        if capital {
            seen_portfolio = true;
            end = Some(at + word.trim_end_matches(',').len());
        } else if seen_portfolio && !joiner {
            break;
        }
    }
    end.map(|e| &role[..e])
}

/// When the text gave the addressee's name but no role: the role the archive
/// knows for that person — first as the sender of the letter this one answers
/// (`uw brief van …`), else the one role the archive has for that name.
fn role_from_archive(d: &mut Draft, known: &KnownLetters) {
    let Some(name) =
        d.to.as_ref()
            .filter(|t| t.role.is_none())
            .and_then(|t| t.name.clone())
    else {
        return;
    };
    let answered = answered_letter(d, known).and_then(|k| {
        k.from.iter().find_map(|p| {
            let (full, role) = (p.name.as_deref()?, p.role.clone()?);
            same_person(full, &name)
                .then(|| (role, format!("the sender of {}/{}", k.dossier, k.id)))
        })
    });
    let found = answered.or_else(|| {
        known
            .role_of(&name)
            .map(|(role, full)| (role.to_string(), format!("{full} in the archive")))
    });
    if let Some((role, whence)) = found {
        d.found.push(format!(
            "to.role \"{role}\" from the archive ({whence}) — check that it still holds"
        ));
        if let Some(to) = d.to.as_mut() {
            to.role = Some(role);
        }
    }
}

/// The archive's letter this one answers, as `in_reply_to` names it.
fn answered_letter<'k>(d: &Draft, known: &'k KnownLetters) -> Option<&'k Known> {
    let reply = d.in_reply_to.as_deref()?;
    let (dossier, id) = match reply.split_once('/') {
        Some((dossier, id)) => (dossier, id),
        None => (d.dossier.as_deref()?, reply),
    };
    known
        .by_date
        .values()
        .flatten()
        .find(|k| k.dossier == dossier && k.id == id)
}

/// `De heer P.L. Oosterhuis` or `Mevrouw drs. A. Jansen` → the name after the form of address.
fn person_name(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    ["de heer ", "mevrouw ", "mw. ", "dhr. ", "heer "]
        .iter()
        .find_map(|p| {
            lower
                .starts_with(p)
                .then(|| line[p.len()..].trim().to_string())
        })
        .filter(|n| !n.is_empty())
}

/// The name in `Geachte heer Rijkaart,` (none in `Geachte voorzitter,` or
/// `Geachte heer de minister,`).
fn salutation_name(line: &str) -> Option<String> {
    let line = line.trim_end_matches([',', ' ']);
    let lower = line.to_lowercase();
    let i = ["heer ", "mevrouw "]
        .iter()
        .find_map(|w| lower.find(w).map(|i| i + w.len()))?;
    let name = line.get(i..)?.trim();
    let office = OFFICES
        .iter()
        .any(|o| strip_prefix_ci(name.strip_prefix("de ").unwrap_or(name), o).is_some());
    (!name.is_empty() && !office).then(|| name.to_string())
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The sender: the signature under the closing (name, then role, then
/// organisation); the organisation else from the letterhead's first line.
fn signatory(head: &[String], blocks: &[Block]) -> Option<Party> {
    let closing = blocks
        .iter()
        .position(|b| matches!(b, Block::Paragraph(p) if is_closing(p)))?;
    let Some(Block::Signature(lines)) = blocks.get(closing + 1) else {
        return None;
    };
    let mut lines = lines.iter().filter(|l| l.len() < 150);
    let mut party = Party {
        name: lines.next().cloned(),
        role: lines.next().cloned(),
        organisation: lines.next().cloned(),
    };
    if party.organisation.is_none() {
        party.organisation = head.first().filter(|l| is_organisation(l)).cloned();
    }
    party.name.is_some().then_some(party)
}

/// A letterhead line that names a body, not a street or a postcode.
fn is_organisation(line: &str) -> bool {
    let lower = line.to_lowercase();
    [
        "kamer",
        "ministerie",
        "commissie",
        "gemeente",
        "provincie",
        "raad",
        "college",
    ]
    .iter()
    .any(|w| lower.contains(w))
        && !line.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// The reply term as worded in the text (`binnen vier weken na dagtekening`),
/// when it is one that sets a deadline.
fn reply_rule(body: &str) -> Option<String> {
    let lower = body.to_lowercase();
    for (i, _) in lower.match_indices("binnen ") {
        let rest = &lower[i..];
        let end = ["dagtekening", "verzending", "datum"]
            .iter()
            .filter_map(|w| rest.find(w).map(|j| j + w.len()))
            .min()?;
        let phrase = &body[i..i + end];
        if end < 80 && term_in_text(phrase).is_some() {
            return Some(phrase.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    None
}

/// What the letter does: a postponement says so, an answer answers, a question asks.
fn kind_of(body: &str) -> Kind {
    let lower = body.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&[
        "uitstelbericht",
        "uitstel van de beantwoording",
        "niet binnen de gestelde termijn",
    ]) {
        Kind::Postponement
    } else if has(&[
        "in antwoord op",
        "hierbij beantwoord",
        "beantwoord ik",
        "ga ik in op de vragen",
        "treft u de antwoorden",
    ]) {
        Kind::Answer
    } else if lower.contains('?')
        || has(&[
            "vragen u",
            "verzoeken u",
            "ontvangen deze graag",
            "vervolgvragen",
        ])
    {
        Kind::Question
    } else {
        Kind::Letter
    }
}

/// Dossier, chamber and session: `--dossier`, else the first citation
/// (`Kamerstukken I 2025/26, 36521, C`); chamber and session from a citation
/// of that dossier. A session that the dagtekening contradicts is left to the date.
fn place(d: &mut Draft, cleaned: &Cleaned, given: Option<&str>) {
    let texts =
        cleaned
            .footnotes
            .iter()
            .map(|(_, t)| t.as_str())
            .chain(cleaned.blocks.iter().filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.as_str()),
                _ => None,
            }));
    let given_normal = given.map(normalise_dossier);
    let cited = texts.into_iter().find_map(|text| {
        find_references(text)
            .into_iter()
            .find_map(|r| match r.target {
                Target::Citation { dossier, .. }
                    if given_normal.as_ref().is_none_or(|g| *g == dossier) =>
                {
                    Some((dossier, text[r.start..r.end].to_string()))
                }
                _ => None,
            })
    });
    d.dossier = given.map(str::to_string);
    let Some((dossier, written)) = cited else {
        return;
    };
    if d.dossier.is_none() {
        d.found
            .push(format!("dossier {dossier} from the citation \"{written}\""));
        d.dossier = Some(dossier);
    }
    // `Kamerstukken II 2024/25, …`: chamber and session; `Kamerstuk 36 521, nr. 3` names neither.
    let mut words = written.split_whitespace().skip(1);
    d.chamber = match words.next() {
        Some("I") => Some(Chamber::I),
        Some("II") => Some(Chamber::II),
        _ => return,
    };
    let session = words
        .next()
        .map(|s| s.trim_end_matches(',').replace(['-', '–'], "/"));
    d.session = session.filter(|s| d.date.is_none_or(|date| session_of(date) == *s));
}

/// `in_reply_to` from "uw brief van <date>": the one letter of the archive with
/// that dagtekening (in the draft's dossier when it is known).
fn reply_to(d: &mut Draft, body: &str, known: &KnownLetters) -> Option<String> {
    let lower = body.to_lowercase();
    let at = lower.find("uw brief van ")?;
    let (date, _, _) = dutch_date(&body[at + "uw brief van ".len()..])?;
    let candidates: Vec<&Known> = known
        .on(date)
        .iter()
        .filter(|k| {
            d.dossier
                .as_ref()
                .is_none_or(|dossier| *dossier == k.dossier)
        })
        .collect();
    let written = date.format("%Y-%m-%d");
    match candidates.as_slice() {
        [one] => {
            d.found.push(format!(
                "in_reply_to {}/{}: the letter of {written} in the archive",
                one.dossier, one.id
            ));
            Some(match &d.dossier {
                Some(dossier) if *dossier == one.dossier => one.id.clone(),
                _ => format!("{}/{}", one.dossier, one.id),
            })
        }
        [] => {
            d.gaps.push(Gap {
                key: "in_reply_to",
                why: format!("the letter of {written} (\"uw brief van\") is not in the archive — add its id when it is"),
            });
            None
        }
        _ => {
            d.gaps.push(Gap {
                key: "in_reply_to",
                why: format!(
                    "{} letters of {written} are in the archive — pick the one this answers",
                    candidates.len()
                ),
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::clean::clean;

    const LETTER: &str = "Eerste Kamer der Staten-Generaal\nAan de minister van Financiën\nDe heer A.B. Bakker\ndatum 3 maart 2026\nbetreft Vragen over de begroting\nons kenmerk 12345.01U\nGeachte heer Bakker,\nDe leden hebben kennisgenomen van uw brief van 2 februari 2026.1 Zij vragen u of dit\nklopt en ontvangen uw antwoord graag binnen vier weken na dagtekening van deze brief.\n1 Kamerstukken I 2025/26, 36999, B.\nHoogachtend,\nC.D. de Wit\nVoorzitter van de commissie voor Financiën\n";

    fn known() -> KnownLetters {
        let mut k = KnownLetters::default();
        k.add(
            NaiveDate::from_ymd_opt(2026, 2, 2).unwrap(),
            Known {
                dossier: "36999".into(),
                id: "B".into(),
                from: vec![Party {
                    name: Some("A.B. Bakker".into()),
                    role: Some("Minister van Financiën".into()),
                    organisation: None,
                }],
            },
        );
        k
    }

    #[test]
    fn every_field_comes_from_its_place_in_the_letter() {
        let d = draft(&clean(LETTER), None, &known());
        assert_eq!(d.dossier.as_deref(), Some("36999"));
        assert_eq!(d.chamber, Some(Chamber::I));
        assert_eq!(d.session.as_deref(), Some("2025/26"));
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2026, 3, 3));
        assert_eq!(d.title.as_deref(), Some("Vragen over de begroting"));
        assert_eq!(d.kenmerk.as_deref(), Some("12345.01U"));
        let to = d.to.unwrap();
        assert_eq!(to.name.as_deref(), Some("A.B. Bakker"));
        assert_eq!(to.role.as_deref(), Some("Minister van Financiën"));
        let from = d.from.unwrap();
        assert_eq!(from.name.as_deref(), Some("C.D. de Wit"));
        assert_eq!(
            from.role.as_deref(),
            Some("Voorzitter van de commissie voor Financiën")
        );
        assert_eq!(
            from.organisation.as_deref(),
            Some("Eerste Kamer der Staten-Generaal")
        );
        assert_eq!(d.in_reply_to.as_deref(), Some("B"));
        assert_eq!(
            d.reply_due.as_deref(),
            Some("binnen vier weken na dagtekening")
        );
        assert_eq!(d.kind, Kind::Question);
        assert!(d.gaps.is_empty(), "{:?}", d.gaps);
    }

    #[test]
    fn nothing_is_invented_when_the_text_lacks_it() {
        let d = draft(
            &clean(
                "Geachte heer Rijkaart,\nDe leden danken u voor uw brief van 19 november 2025.\nHoogachtend,\nI.M. Lagas\n",
            ),
            None,
            &KnownLetters::default(),
        );
        assert_eq!(d.date, None);
        assert_eq!(d.dossier, None);
        assert_eq!(d.to.as_ref().unwrap().role, None);
        let keys: Vec<&str> = d.gaps.iter().map(|g| g.key).collect();
        assert_eq!(
            keys,
            vec!["in_reply_to", "dossier", "date", "to.role", "kenmerk"]
        );
        assert!(d.incomplete());
    }

    #[test]
    fn dagtekening_may_follow_the_place() {
        let d = draft(
            &clean(
                "Geachte voorzitter,\nTekst.\nDen Haag, 16 december 2025\nMet vriendelijke groet,\nA. Jansen\n",
            ),
            Some("36521"),
            &KnownLetters::default(),
        );
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2025, 12, 16));
        assert_eq!(d.dossier.as_deref(), Some("36521"));
        assert_eq!(d.to, None, "no name in `Geachte voorzitter,`");
    }

    #[test]
    fn kinds_are_told_apart() {
        assert_eq!(
            kind_of("Hierbij stuur ik u een uitstelbericht."),
            Kind::Postponement
        );
        assert_eq!(
            kind_of("In antwoord op uw brief van 1 mei. Waarom? Daarom."),
            Kind::Answer
        );
        assert_eq!(kind_of("Wanneer komt het rapport?"), Kind::Question);
        assert_eq!(kind_of("Ter informatie."), Kind::Letter);
    }

    #[test]
    fn dutch_dates_are_read() {
        assert_eq!(
            dutch_date("Den Haag, 16 december 2025").map(|d| d.0),
            NaiveDate::from_ymd_opt(2025, 12, 16)
        );
        assert_eq!(dutch_date("31 februari 2025"), None);
    }

    fn to_of(text: &str, known: &KnownLetters) -> (Option<String>, Option<String>) {
        let d = draft(&clean(text), None, known);
        let to = d.to.unwrap_or_default();
        (to.name, to.role)
    }

    fn some(name: &str, role: &str) -> (Option<String>, Option<String>) {
        (
            (!name.is_empty()).then(|| name.to_string()),
            (!role.is_empty()).then(|| role.to_string()),
        )
    }

    #[test]
    fn a_role_wrapped_over_two_address_lines_is_joined() {
        let text = "Aan de minister van Binnenlandse Zaken en\nKoninkrijksrelaties\nDe heer J. de Vries\nPostbus 20011\nGeachte heer De Vries,\nTekst.\n";
        assert_eq!(
            to_of(text, &KnownLetters::default()),
            some(
                "J. de Vries",
                "Minister van Binnenlandse Zaken en Koninkrijksrelaties"
            )
        );
    }

    #[test]
    fn the_name_may_come_before_the_role() {
        let text = "De heer P.L. Oosterhuis\nMinister van Klimaat en Groene Groei\nPostbus 20401\nGeachte heer Oosterhuis,\nTekst.\n";
        assert_eq!(
            to_of(text, &KnownLetters::default()),
            some("P.L. Oosterhuis", "Minister van Klimaat en Groene Groei")
        );
    }

    #[test]
    fn a_salutation_that_names_the_office_gives_the_role() {
        let none = KnownLetters::default();
        assert_eq!(
            to_of("Geachte minister van Financiën,\nTekst.\n", &none),
            some("", "Minister van Financiën")
        );
        assert_eq!(
            to_of(
                "Geachte heer de minister van Justitie en Veiligheid,\nTekst.\n",
                &none
            ),
            some("", "Minister van Justitie en Veiligheid")
        );
        assert_eq!(
            draft(&clean("Geachte minister,\nTekst.\n"), None, &none).to,
            None,
            "a bare office names no portfolio"
        );
    }

    #[test]
    fn the_text_may_address_the_reader_by_role_but_a_role_merely_named_is_not_taken() {
        let none = KnownLetters::default();
        assert_eq!(
            to_of(
                "Geachte heer Rijkaart,\nDe leden vragen u als minister van Asiel en Migratie om een reactie.\n",
                &none
            ),
            some("Rijkaart", "Minister van Asiel en Migratie")
        );
        // The ministry quoted, another minister named: neither is the addressee's role.
        assert_eq!(
            to_of(
                "Geachte heer Rijkaart,\nU schrijft: ‘Het Ministerie van Asiel en Migratie werkt samen.’ Ook de minister van Financiën is betrokken.\n",
                &none
            ),
            some("Rijkaart", "")
        );
    }

    fn archive_with(name: &str, role: &str, date: (i32, u32, u32)) -> KnownLetters {
        let party = Party {
            name: Some(name.into()),
            role: Some(role.into()),
            organisation: None,
        };
        let mut k = KnownLetters::default();
        k.add_person(&party);
        k.add(
            NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
            Known {
                dossier: "36521".into(),
                id: "C".into(),
                from: vec![party],
            },
        );
        k
    }

    #[test]
    fn the_role_of_a_named_addressee_comes_from_the_letter_it_answers() {
        let known = archive_with(
            "D. Rijkaart",
            "Minister van Asiel en Migratie",
            (2025, 11, 19),
        );
        let text = "Geachte heer Rijkaart,\nDe leden danken u voor uw brief van 19 november 2025.1\n1 Kamerstukken I 2025/26, 36521, C.\nHoogachtend,\nI.M. Lagas MDR\n";
        let d = draft(&clean(text), None, &known);
        let to = d.to.clone().unwrap();
        assert_eq!(
            to.name.as_deref(),
            Some("Rijkaart"),
            "the name as the letter writes it"
        );
        assert_eq!(to.role.as_deref(), Some("Minister van Asiel en Migratie"));
        assert!(
            d.found.iter().any(|f| f.contains("the sender of 36521/C")),
            "{:?}",
            d.found
        );
        assert!(!d.gaps.iter().any(|g| g.key == "to.role"), "{:?}", d.gaps);
        // Someone else of the same archive is no match.
        let other = archive_with(
            "D. Rijkaart",
            "Minister van Asiel en Migratie",
            (2025, 11, 19),
        );
        let text = text.replace("heer Rijkaart", "mevrouw Jansen");
        assert_eq!(to_of(&text, &other), some("Jansen", ""));
    }

    #[test]
    fn without_an_answered_letter_only_a_single_known_role_is_taken() {
        let mut known = archive_with(
            "M. de Vries",
            "Staatssecretaris van Financiën",
            (2025, 3, 1),
        );
        let text = "Geachte heer De Vries,\nWanneer komt de evaluatie?\n";
        assert_eq!(
            to_of(text, &known),
            some("De Vries", "Staatssecretaris van Financiën")
        );
        known.add_person(&Party {
            name: Some("mr. M. de Vries".into()),
            role: Some("Minister van Financiën".into()),
            organisation: None,
        });
        assert_eq!(
            to_of(text, &known),
            some("De Vries", ""),
            "two roles: none is guessed"
        );
    }

    #[test]
    fn names_match_on_whole_trailing_words() {
        assert!(same_person("I.M. Lagas MDR", "Lagas"));
        assert!(same_person("mr. M. de Vries", "De Vries"));
        assert!(!same_person("A. de Wit-Jansen", "Jansen"));
        assert!(!same_person("P. Vries", "De Vries"));
    }
}
