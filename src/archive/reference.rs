//! References from one letter's text to another letter: official citations
//! (`Kamerstukken I 2025/26, 36521, C`, `Kamerstuk 36 521, nr. 3`) and dated
//! mentions (`uw brief van 19 november 2025`).
//!
//! The finder is plain text scanning, shared by linking (which letters a
//! letter cites, for "cited in") and rendering (which words become links), so
//! the two always agree on what a reference is.

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::{ArchivedLetter, CorrespondentIx, DossierIx, LetterIx};
use crate::letter::LetterDate;

/// Whose letter a dated mention names, seen from the letter that mentions it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Whose {
    /// "uw brief": written by one of this letter's addressees.
    Addressee,
    /// "mijn brief": written by one of this letter's senders.
    Sender,
    /// "de brief": written by either side.
    Either,
}

/// What a reference points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// An official citation: the dossier as the archive spells it (`36521`,
    /// `31700 VI`: digit groups joined) and the letter id (`C`, `AI`, `3`).
    Citation { dossier: String, letter: String },
    /// A letter of a date between the same parties in the same dossier.
    Dated { whose: Whose, date: NaiveDate },
}

/// A reference found in text: its byte range and what it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub start: usize,
    pub end: usize,
    pub target: Target,
}

/// Every reference in `text`, in order. Whitespace inside a reference may be
/// any run of spaces, no-break spaces and line breaks (text from PDFs wraps).
pub fn find_references(text: &str) -> Vec<Reference> {
    let mut found = Vec::new();
    if text.contains("Kamerstuk") {
        let mut from = 0;
        while let Some(i) = text[from..].find("Kamerstuk") {
            let start = from + i;
            match parse_citation(text, start) {
                Some(r) => {
                    from = r.end;
                    found.push(r);
                }
                None => from = start + "Kamerstuk".len(),
            }
        }
    }
    if text.contains("rief van") {
        let before = found.len();
        let mut from = 0;
        while let Some(i) = text[from..].find("rief van") {
            let at = from + i;
            from = at + "rief van".len();
            if let Some(r) = parse_dated(text, at) {
                found.push(r);
            }
        }
        if found.len() > before {
            found.sort_by_key(|r| r.start);
        }
    }
    found
}

/// The official publication of a parliamentary paper:
/// `https://zoek.officielebekendmakingen.nl/kst-31700-VI-AI.html`.
pub fn official_url(dossier: &str, letter: &str) -> String {
    let dossier: String = dossier.split_whitespace().collect::<Vec<_>>().join("-");
    format!("https://zoek.officielebekendmakingen.nl/kst-{dossier}-{letter}.html")
}

/// A dossier number as citations are matched: digit groups joined
/// (`36 521` → `36521`), an addition kept after one space (`31700 VI`).
pub fn normalise_dossier(dossier: &str) -> String {
    let mut out = String::with_capacity(dossier.len());
    for part in dossier.split(|c: char| c.is_whitespace() || c == '-') {
        if part.is_empty() {
            continue;
        }
        let joins_digits = out.bytes().last().is_some_and(|b| b.is_ascii_digit())
            && part.bytes().all(|b| b.is_ascii_digit());
        if !out.is_empty() && !joins_digits {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// The two indexes references are resolved through, built once per link:
/// letters by `(dossier, id)` and by `(dossier, date, sender)`.
#[derive(Debug, Clone, Default)]
pub struct LetterLookup {
    by_id: HashMap<(String, String), LetterIx>,
    by_sender_date: HashMap<(DossierIx, NaiveDate, CorrespondentIx), Vec<LetterIx>>,
}

impl LetterLookup {
    /// Indexes linked letters (their correspondents known).
    pub fn new(letters: &[ArchivedLetter]) -> LetterLookup {
        let mut lookup = LetterLookup {
            by_id: HashMap::with_capacity(letters.len()),
            by_sender_date: HashMap::with_capacity(letters.len()),
        };
        for (ix, l) in letters.iter().enumerate() {
            let key = (normalise_dossier(&l.letter.dossier), l.letter.id.clone());
            lookup.by_id.entry(key).or_insert(ix);
            if let LetterDate::Day(date) = l.letter.date {
                for &c in &l.from {
                    let list = lookup
                        .by_sender_date
                        .entry((l.dossier, date, c))
                        .or_default();
                    if list.last() != Some(&ix) {
                        list.push(ix);
                    }
                }
            }
        }
        lookup
    }

    /// The letter a citation names, when it is in the archive.
    pub fn cited(&self, dossier: &str, letter: &str) -> Option<LetterIx> {
        self.by_id
            .get(&(dossier.to_string(), letter.to_string()))
            .copied()
    }

    /// The one letter a dated mention in letter `from` names: of that date, in
    /// the same dossier, written by the side `whose` says ("uw": an addressee of
    /// `from`; "mijn": a sender; "de": either, to the other side). `None` when
    /// there is no such letter or more than one.
    pub fn dated(
        &self,
        letters: &[ArchivedLetter],
        from: LetterIx,
        whose: Whose,
        date: NaiveDate,
    ) -> Option<LetterIx> {
        let l = &letters[from];
        let writers: Vec<CorrespondentIx> = match whose {
            Whose::Addressee => l.to.clone(),
            Whose::Sender => l.from.clone(),
            Whose::Either => l.from.iter().chain(&l.to).copied().collect(),
        };
        let mut found: Option<LetterIx> = None;
        for c in writers {
            for &ix in self
                .by_sender_date
                .get(&(l.dossier, date, c))
                .map_or(&[][..], Vec::as_slice)
            {
                let other = &letters[ix];
                let between = whose != Whose::Either
                    || other
                        .to
                        .iter()
                        .any(|t| l.from.contains(t) || l.to.contains(t));
                if ix == from || !between || found == Some(ix) {
                    continue;
                }
                if found.is_some() {
                    return None;
                }
                found = Some(ix);
            }
        }
        found
    }

    /// What a reference in letter `from` resolves to.
    pub fn resolve(
        &self,
        letters: &[ArchivedLetter],
        from: LetterIx,
        target: &Target,
    ) -> Option<LetterIx> {
        match target {
            Target::Citation { dossier, letter } => self.cited(dossier, letter),
            Target::Dated { whose, date } => self.dated(letters, from, *whose, *date),
        }
    }

    /// The letters `body` (of letter `from`) refers to, each once, in order of first mention.
    pub fn cited_in(
        &self,
        letters: &[ArchivedLetter],
        from: LetterIx,
        body: &str,
    ) -> Vec<LetterIx> {
        let mut out: Vec<LetterIx> = Vec::new();
        for r in find_references(body) {
            if let Some(ix) = self.resolve(letters, from, &r.target)
                && ix != from
                && !out.contains(&ix)
            {
                out.push(ix);
            }
        }
        out
    }
}

/// Fills every letter's `cites` and `cited_by`. Bodies are scanned in parallel.
pub fn link_references(letters: &mut [ArchivedLetter], lookup: &LetterLookup) {
    let cites: Vec<Vec<LetterIx>> = (0..letters.len())
        .into_par_iter()
        .map(|ix| lookup.cited_in(letters, ix, &letters[ix].letter.body))
        .collect();
    for (ix, list) in cites.iter().enumerate() {
        for &target in list {
            letters[target].cited_by.push(ix);
        }
    }
    for (l, list) in letters.iter_mut().zip(cites) {
        l.cites = list;
    }
}

/// A position in text, moved forward by what it recognises.
struct Cursor<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Cursor<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn eat(&mut self, s: &str) -> bool {
        let ok = self.rest().starts_with(s);
        if ok {
            self.pos += s.len();
        }
        ok
    }

    /// At least one space, no-break space or line break.
    fn space(&mut self) -> Option<()> {
        let len = self
            .rest()
            .find(|c: char| !is_space(c))
            .unwrap_or(self.rest().len());
        self.pos += len;
        (len > 0).then_some(())
    }

    /// A run of bytes matching `f`, at most `max` long; `None` when empty.
    fn run(&mut self, max: usize, f: impl Fn(u8) -> bool) -> Option<&'t str> {
        let rest = self.rest();
        let len = rest.bytes().take_while(|&b| f(b)).count();
        if len == 0 || len > max {
            return None;
        }
        self.pos += len;
        Some(&rest[..len])
    }

    fn next_char(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// True when no letter or digit follows: the word ended.
    fn at_word_end(&self) -> bool {
        !self.next_char().is_some_and(char::is_alphanumeric)
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\r' | '\t' | '\u{a0}' | '\u{202f}')
}

/// `Kamerstuk(ken) [I|II YYYY/YY,] DOSSIER, ID` at `start`.
fn parse_citation(text: &str, start: usize) -> Option<Reference> {
    let mut c = Cursor {
        text,
        pos: start + "Kamerstuk".len(),
    };
    c.eat("ken");
    c.space()?;
    let before_chamber = c.pos;
    if (c.eat("II") || c.eat("I")) && c.at_word_end() {
        c.space()?;
        c.run(4, |b| b.is_ascii_digit()).filter(|y| y.len() == 4)?;
        if !(c.eat("/") || c.eat("-") || c.eat("–")) {
            return None;
        }
        c.run(4, |b| b.is_ascii_digit())?;
        c.eat(",").then_some(())?;
        c.space()?;
    } else {
        c.pos = before_chamber;
    }
    let dossier = parse_dossier(&mut c)?;
    c.eat(",").then_some(())?;
    c.space()?;
    let letter = if c.eat("nr.") {
        c.space()?;
        let number = c.run(6, |b| b.is_ascii_digit())?;
        c.at_word_end().then_some(())?;
        number
    } else {
        let id = c.run(6, |b| b.is_ascii_uppercase())?;
        let end = c.pos;
        // Digits glued to a lettered id are a footnote number from a PDF (`AI1`): not part of it.
        c.run(3, |b| b.is_ascii_digit());
        c.at_word_end().then_some(())?;
        c.pos = end;
        id
    };
    Some(Reference {
        start,
        end: c.pos,
        target: Target::Citation {
            dossier,
            letter: letter.to_string(),
        },
    })
}

/// `36521`, `36 521`, `31700 VI`, `31 700-VI`: digit groups, then an optional addition.
fn parse_dossier(c: &mut Cursor<'_>) -> Option<String> {
    let mut dossier = c.run(6, |b| b.is_ascii_digit())?.to_string();
    loop {
        let save = c.pos;
        if c.space().is_some()
            && let Some(group) = c.run(3, |b| b.is_ascii_digit())
            && group.len() == 3
            && c.at_word_end()
        {
            dossier.push_str(group);
            continue;
        }
        c.pos = save;
        break;
    }
    let save = c.pos;
    if (c.space().is_some() || c.eat("-"))
        && let Some(addition) = c.run(6, |b| b.is_ascii_uppercase())
        && c.rest().starts_with(',')
    {
        dossier.push(' ');
        dossier.push_str(addition);
    } else {
        c.pos = save;
    }
    Some(dossier)
}

/// `uw|mijn|de brief van D MAAND JJJJ`, where `at` is the `rief van` of `brief van`.
fn parse_dated(text: &str, at: usize) -> Option<Reference> {
    let head = text[..at].strip_suffix(['b', 'B'])?;
    let head_trimmed = head.trim_end_matches(is_space);
    if head_trimmed.len() == head.len() {
        return None;
    }
    let (whose, word) = [
        (Whose::Addressee, "uw"),
        (Whose::Sender, "mijn"),
        (Whose::Either, "de"),
    ]
    .into_iter()
    .find(|(_, w)| {
        head_trimmed.len() >= w.len()
            && head_trimmed.is_char_boundary(head_trimmed.len() - w.len())
            && head_trimmed[head_trimmed.len() - w.len()..].eq_ignore_ascii_case(w)
    })?;
    let start = head_trimmed.len() - word.len();
    if text[..start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    let mut c = Cursor {
        text,
        pos: at + "rief van".len(),
    };
    c.space()?;
    let day: u32 = c.run(2, |b| b.is_ascii_digit())?.parse().ok()?;
    c.space()?;
    let month = c.run(9, |b| b.is_ascii_alphabetic())?;
    let month = month_number(month)?;
    c.space()?;
    let year = c.run(4, |b| b.is_ascii_digit()).filter(|y| y.len() == 4)?;
    c.at_word_end().then_some(())?;
    let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month, day)?;
    Some(Reference {
        start,
        end: c.pos,
        target: Target::Dated { whose, date },
    })
}

/// Dutch month names, lower case, January first.
pub const DUTCH_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// The month of a Dutch month name (`november` → 11), any case.
pub fn month_number(name: &str) -> Option<u32> {
    DUTCH_MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(name))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citations(text: &str) -> Vec<(String, String, &str)> {
        find_references(text)
            .into_iter()
            .filter_map(|r| match r.target {
                Target::Citation { dossier, letter } => {
                    Some((dossier, letter, &text[r.start..r.end]))
                }
                Target::Dated { .. } => None,
            })
            .collect()
    }

    fn one(text: &str) -> (String, String, &str) {
        let mut all = citations(text);
        assert_eq!(all.len(), 1, "{text}: {all:?}");
        all.remove(0)
    }

    #[test]
    fn finds_every_citation_form() {
        let c = one("zie Kamerstukken I 2025/26, 36521, C.");
        assert_eq!((c.0.as_str(), c.1.as_str()), ("36521", "C"));
        assert_eq!(c.2, "Kamerstukken I 2025/26, 36521, C");
        let c = one("(Kamerstukken II 2024/25, 36521, nr. 3)");
        assert_eq!((c.0.as_str(), c.1.as_str()), ("36521", "3"));
        assert_eq!(c.2, "Kamerstukken II 2024/25, 36521, nr. 3");
        let c = one("Kamerstuk 36 521, nr. 3, blz. 4");
        assert_eq!(
            (c.0.as_str(), c.1.as_str(), c.2),
            ("36521", "3", "Kamerstuk 36 521, nr. 3")
        );
        let c = one("Kamerstukken I 2025/26, 31700 VI, AI");
        assert_eq!((c.0.as_str(), c.1.as_str()), ("31700 VI", "AI"));
        let c = one("Kamerstukken II 2015/16, 31 700 VI, nr. 23).");
        assert_eq!((c.0.as_str(), c.1.as_str()), ("31700 VI", "23"));
    }

    #[test]
    fn a_footnote_number_glued_to_an_id_is_left_out() {
        let c = one("Kamerstukken I 2025/26, 31700 VI, AI1 en verder");
        assert_eq!(
            (c.1.as_str(), c.2),
            ("AI", "Kamerstukken I 2025/26, 31700 VI, AI")
        );
        // A word that merely starts with capitals is no id.
        assert!(citations("Kamerstukken I 2025/26, 36521, Commissie").is_empty());
    }

    #[test]
    fn two_citations_in_one_sentence_and_wrapped_lines() {
        let all = citations(
            "Zie Kamerstukken I 2025/26, 36521, C en Kamerstukken II\n2024/25, 36521, nr. 3.",
        );
        let ids: Vec<&str> = all.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(ids, ["C", "3"]);
    }

    #[test]
    fn not_citations() {
        assert!(citations("Kamerstukken I 2025, 1, C").is_empty());
        assert!(citations("de Kamerstukken van 2025").is_empty());
        assert!(citations("Kamerstukken I 2025/26, 36521").is_empty());
    }

    #[test]
    fn dated_mentions() {
        let text = "Naar aanleiding van uw brief van 19 november 2025 en Mijn brief van\n3 maart 2024, zie de brief van 1 mei 2023.";
        let found = find_references(text);
        let dated: Vec<(Whose, String, &str)> = found
            .iter()
            .filter_map(|r| match &r.target {
                Target::Dated { whose, date } => {
                    Some((*whose, date.to_string(), &text[r.start..r.end]))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            dated,
            [
                (
                    Whose::Addressee,
                    "2025-11-19".into(),
                    "uw brief van 19 november 2025"
                ),
                (
                    Whose::Sender,
                    "2024-03-03".into(),
                    "Mijn brief van\n3 maart 2024"
                ),
                (
                    Whose::Either,
                    "2023-05-01".into(),
                    "de brief van 1 mei 2023"
                ),
            ]
        );
        assert!(find_references("nieuw brief van 1 mei 2023").is_empty());
        assert!(find_references("uw brief van 31 februari 2023").is_empty());
        assert!(find_references("uw brief van vorige week").is_empty());
    }

    #[test]
    fn official_urls_join_the_addition_with_a_hyphen() {
        assert_eq!(
            official_url("31700 VI", "AI"),
            "https://zoek.officielebekendmakingen.nl/kst-31700-VI-AI.html"
        );
        assert_eq!(
            official_url("36521", "3"),
            "https://zoek.officielebekendmakingen.nl/kst-36521-3.html"
        );
        assert_eq!(normalise_dossier("36 521"), "36521");
        assert_eq!(normalise_dossier("31 700-VI"), "31700 VI");
        assert_eq!(normalise_dossier("37300 VII"), "37300 VII");
    }
}
