//! Completeness: what a dossier is missing. Letters skipped in its lettering
//! (A, B, D: C is missing; 1, 2, 4: 3 is missing), letters of the dossier that
//! other letters cite but the archive does not hold, and `in_reply_to`
//! entries that name no letter.

use std::collections::{BTreeMap, HashMap};

use super::reference::normalise_dossier;
use super::{Archive, DossierIx, LetterIx, natural_cmp};

/// The gaps of one dossier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DossierGaps {
    /// Runs of ids missing from the lettering, as (first, last): `("C", "C")`, `("F", "H")`.
    pub lettering: Vec<(String, String)>,
    /// Ids of this dossier that letters cite but the archive lacks, with the citing letters.
    pub cited: Vec<(String, Vec<LetterIx>)>,
    /// Letters of this dossier whose `in_reply_to` names no letter, with what they wrote.
    pub unresolved: Vec<(LetterIx, String)>,
}

impl DossierGaps {
    pub fn is_empty(&self) -> bool {
        self.lettering.is_empty() && self.cited.is_empty() && self.unresolved.is_empty()
    }

    /// The lettering gaps as readers write them: `C`, `F–H`. The page and `check --report` agree.
    pub fn lettering_runs(&self) -> Vec<String> {
        self.lettering
            .iter()
            .map(|(first, last)| {
                if first == last {
                    first.clone()
                } else {
                    format!("{first}–{last}")
                }
            })
            .collect()
    }
}

/// A letter id's place in its lettering: `A` = 1 … `Z` = 26, `AA` = 27 (as
/// the Kamerstukken count), or a number; `None` for any other id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Letter(u64),
    Number(u64),
}

fn place_of(id: &str) -> Option<Place> {
    if !id.is_empty() && id.len() <= 6 && id.bytes().all(|b| b.is_ascii_uppercase()) {
        let n = id
            .bytes()
            .fold(0u64, |n, b| n * 26 + u64::from(b - b'A' + 1));
        return Some(Place::Letter(n));
    }
    if !id.is_empty() && id.len() <= 9 && id.bytes().all(|b| b.is_ascii_digit()) {
        return id.parse().ok().filter(|&n| n > 0).map(Place::Number);
    }
    None
}

fn letters_of(mut n: u64) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn name_of(p: Place) -> String {
    match p {
        Place::Letter(n) => letters_of(n),
        Place::Number(n) => n.to_string(),
    }
}

/// The runs of ids missing from a lettering that starts at `A` (or `1`) and
/// runs to the highest id present. Letters and numbers are counted apart;
/// other ids (`antwoord`, `K-1`) are no lettering and are left out.
pub fn lettering_gaps<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut present: Vec<Place> = ids.into_iter().filter_map(place_of).collect();
    present.sort_unstable();
    present.dedup();
    let mut runs = Vec::new();
    let mut expect = None;
    for p in present {
        let (next, first) = match (expect, p) {
            (Some(Place::Letter(n)), Place::Letter(_)) => (n, Place::Letter(n)),
            (Some(Place::Number(n)), Place::Number(_)) => (n, Place::Number(n)),
            (_, Place::Letter(_)) => (1, Place::Letter(1)),
            (_, Place::Number(_)) => (1, Place::Number(1)),
        };
        let (Place::Letter(at) | Place::Number(at)) = p;
        if at > next {
            let last = match p {
                Place::Letter(_) => Place::Letter(at - 1),
                Place::Number(_) => Place::Number(at - 1),
            };
            runs.push((name_of(first), name_of(last)));
        }
        expect = Some(match p {
            Place::Letter(_) => Place::Letter(at + 1),
            Place::Number(_) => Place::Number(at + 1),
        });
    }
    runs
}

/// For each dossier, the ids of it that letters cite but the archive lacks,
/// with the citing letters (in letter order).
pub type MissingCitations = Vec<Vec<(String, Vec<LetterIx>)>>;

impl Archive {
    /// The gaps of dossier `d`; `missing` as [`Archive::missing_citations`] gives it.
    pub fn gaps(&self, d: DossierIx, missing: &MissingCitations) -> DossierGaps {
        let dossier = &self.dossiers[d];
        let mut gaps = DossierGaps {
            lettering: lettering_gaps(
                dossier
                    .letters
                    .iter()
                    .map(|&l| self.letters[l].letter.id.as_str()),
            ),
            cited: missing.get(d).cloned().unwrap_or_default(),
            ..DossierGaps::default()
        };
        for &l in &dossier.letters {
            for written in &self.letters[l].unresolved_replies {
                gaps.unresolved.push((l, written.clone()));
            }
        }
        gaps
    }

    /// Citations of letters that are not in the archive, by the dossier they
    /// belong to (only dossiers the archive has). `cites(l)` gives the
    /// (dossier, id) pairs letter `l` cites. Linear in the citations.
    pub fn missing_citations<'c>(
        &self,
        cites: impl Fn(LetterIx) -> &'c [(String, String)],
    ) -> MissingCitations {
        // Citations spell a dossier as `normalise_dossier` does (`36 521` → `36521`).
        let dossier_of: HashMap<String, DossierIx> = self
            .dossiers
            .iter()
            .enumerate()
            .map(|(i, d)| (normalise_dossier(&d.id), i))
            .collect();
        let mut by_dossier: Vec<BTreeMap<&str, Vec<LetterIx>>> =
            vec![BTreeMap::new(); self.dossiers.len()];
        for l in 0..self.letters.len() {
            for (dossier, id) in cites(l) {
                let Some(&d) = dossier_of.get(dossier.as_str()) else {
                    continue;
                };
                // The lookup the links were made with holds every letter by its key.
                if self.lookup.cited(dossier, id).is_some() {
                    continue;
                }
                let by = by_dossier[d].entry(id.as_str()).or_default();
                if by.last() != Some(&l) {
                    by.push(l);
                }
            }
        }
        by_dossier
            .into_iter()
            .map(|ids| {
                let mut list: Vec<(String, Vec<LetterIx>)> = ids
                    .into_iter()
                    .map(|(id, by)| (id.to_string(), by))
                    .collect();
                list.sort_by(|a, b| natural_cmp(&a.0, &b.0));
                list
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{find, letter, link};
    use super::*;

    fn runs(ids: &[&str]) -> Vec<(String, String)> {
        lettering_gaps(ids.iter().copied())
    }

    fn run(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn missing_letters_and_numbers_in_the_lettering() {
        assert_eq!(runs(&["A", "B", "D"]), [run("C", "C")]);
        assert_eq!(runs(&["A", "B", "C"]), []);
        assert_eq!(runs(&["C", "D", "H"]), [run("A", "B"), run("E", "G")]);
        assert_eq!(runs(&["Y", "AB"]), [run("A", "X"), run("Z", "AA")]);
        assert_eq!(runs(&["1", "2", "4", "7"]), [run("3", "3"), run("5", "6")]);
        // Letters and numbers apart; other ids are no lettering.
        assert_eq!(
            runs(&["A", "C", "1", "3", "antwoord", "K-1"]),
            [run("B", "B"), run("2", "2")]
        );
        assert_eq!(runs(&[]), []);
        assert_eq!(letters_of(27), "AA");
        assert_eq!(place_of("AA"), Some(Place::Letter(27)));
    }

    #[test]
    fn a_dossier_reports_skipped_cited_and_unresolved_letters() {
        let (a, _) = link(vec![
            letter("1", "A", "2025-01-01", ""),
            letter("1", "B", "2025-01-02", "in_reply_to: Z"),
            letter("1", "D", "2025-01-03", ""),
            letter("2", "A", "2025-01-04", ""),
        ]);
        let cites = [
            vec![("1".to_string(), "C".to_string())],
            vec![],
            vec![("1".to_string(), "A".to_string())],
            vec![
                ("1".to_string(), "C".to_string()),
                ("1".to_string(), "F".to_string()),
                ("3".to_string(), "A".to_string()),
            ],
        ];
        // Letters are in archive order: 1/A, 1/B, 1/D, 2/A; 3 is no dossier of the archive.
        let missing = a.missing_citations(|l| &cites[l]);
        let d = a.letters[find(&a, "1", "A")].dossier;
        let gaps = a.gaps(d, &missing);
        assert_eq!(gaps.lettering, [run("C", "C")]);
        let (one_a, two_a) = (find(&a, "1", "A"), find(&a, "2", "A"));
        assert_eq!(
            gaps.cited,
            [
                ("C".to_string(), vec![one_a, two_a]),
                ("F".to_string(), vec![two_a])
            ]
        );
        assert_eq!(gaps.unresolved, [(find(&a, "1", "B"), "Z".to_string())]);
        assert!(a.gaps(a.letters[two_a].dossier, &missing).is_empty());
    }
}
