//! Dutch compounds (issue 12): `noodopvanglocatie` is an *opvanglocatie* and a *locatie*, so a
//! search for either must find it.
//!
//! **The rule.** A word is split into known parts — words of at least [`MIN_PART`] letters from
//! the OpenTaal word list (Debian's `wdutch`, derived by `scripts/derive-compound-parts` into
//! `data/nl-compound-parts.txt.gz`), with an optional linking `s`, `e`, `en` or `er` between two
//! parts (`kabinet·s·reactie`, `kind·er·ombudsman`). Every *tail* of a split — the word from a
//! part boundary to its end — of at least [`MIN_TAIL`] letters is indexed too, with the
//! letter's counts of the whole word: `noodopvanglocaties` also counts as `opvanglocaties` and
//! `locaties`. Dutch compounds put the head last, so a tail names what the thing is; the first
//! parts (`nood`) are not indexed on their own, and tails shorter than five letters are left
//! out (`minister` would otherwise be found by `ster`, `onderzoek` by `zoek`).
//!
//! The split is applied at build time only (the browser needs no word list); a query word is
//! looked up as typed and finds the tails like any other word.

use std::collections::HashSet;
use std::io::Read;

/// Shortest part.
pub const MIN_PART: usize = 4;
/// Longest part (longer words in the list are compounds anyway).
const MAX_PART: usize = 24;
/// Shortest tail indexed.
pub const MIN_TAIL: usize = 5;
/// Letters that may link two parts.
const LINKS: [&str; 4] = ["s", "e", "en", "er"];
/// Most tails indexed per word.
const MAX_TAILS: usize = 4;

/// The derived word list (see the module documentation).
const PARTS: &[u8] = include_bytes!("data/nl-compound-parts.txt.gz");

/// Splits Dutch compounds with a list of known parts.
pub struct Compounds {
    parts: HashSet<String>,
}

impl Compounds {
    /// The Dutch parts list bundled with postkamer.
    pub fn dutch() -> Self {
        let mut text = String::new();
        // The list is part of the binary and tested below: it always decodes.
        let _ = flate2::read::GzDecoder::new(PARTS).read_to_string(&mut text);
        Compounds::from_words(text.lines())
    }

    /// A splitter knowing only `words` (tests).
    pub fn from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        Compounds {
            parts: words.into_iter().map(str::to_string).collect(),
        }
    }

    /// The tails of a folded word, longest first: empty when it is no compound of known parts.
    pub fn tails(&self, word: &str) -> Vec<String> {
        let n = word.len();
        if n < MIN_PART + MIN_TAIL || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return Vec::new();
        }
        let heads = self.reachable_from_start(word);
        let ends = self.completable_to_end(word);
        (1..=n - MIN_TAIL)
            .filter(|&i| heads[i] && ends[i])
            .take(MAX_TAILS)
            .map(|i| word[i..].to_string())
            .collect()
    }

    fn is_part(&self, word: &str, i: usize, j: usize) -> bool {
        j - i >= MIN_PART && j - i <= MAX_PART && self.parts.contains(&word[i..j])
    }

    /// `out[i]`: `word[..i]` is one or more parts, each followed by an optional link.
    fn reachable_from_start(&self, word: &str) -> Vec<bool> {
        let n = word.len();
        let mut reach = vec![false; n + 1];
        reach[0] = true;
        for i in 0..n {
            if !reach[i] {
                continue;
            }
            for j in i + MIN_PART..=(i + MAX_PART).min(n) {
                if !self.is_part(word, i, j) {
                    continue;
                }
                reach[j] = true;
                for link in LINKS {
                    if word[j..].starts_with(link) {
                        reach[j + link.len()] = true;
                    }
                }
            }
        }
        reach[0] = false;
        reach
    }

    /// `out[i]`: `word[i..]` is one or more parts with optional links between them.
    fn completable_to_end(&self, word: &str) -> Vec<bool> {
        let n = word.len();
        let mut ok = vec![false; n + 1];
        ok[n] = true;
        for i in (0..n).rev() {
            ok[i] = (i + MIN_PART..=(i + MAX_PART).min(n)).any(|j| {
                self.is_part(word, i, j)
                    && (j == n
                        || ok[j]
                        || LINKS.iter().any(|l| {
                            word[j..].starts_with(l) && j + l.len() < n && ok[j + l.len()]
                        }))
            });
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_of_compounds_are_found_with_the_bundled_list() {
        let c = Compounds::dutch();
        assert!(c.parts.len() > 100_000, "the list decodes");
        assert_eq!(
            c.tails("noodopvanglocatie"),
            vec!["opvanglocatie", "locatie"]
        );
        assert_eq!(
            c.tails("noodopvanglocaties"),
            vec!["opvanglocaties", "locaties"]
        );
        assert!(c.tails("kabinetsreactie").contains(&"reactie".to_string()));
        assert!(
            c.tails("kinderombudsman")
                .contains(&"ombudsman".to_string())
        );
    }

    #[test]
    fn short_tails_and_plain_words_stay_whole() {
        let c = Compounds::dutch();
        for word in [
            "minister",
            "onderzoek",
            "brief",
            "bereikbaarheid",
            "coördinatie",
        ] {
            assert_eq!(c.tails(word), Vec::<String>::new(), "{word}");
        }
    }

    #[test]
    fn links_join_parts_but_never_end_a_word() {
        let c = Compounds::from_words(["kabinet", "reactie", "vrede"]);
        assert_eq!(c.tails("kabinetsreactie"), vec!["reactie"]);
        assert_eq!(c.tails("kabinetreactie"), vec!["reactie"]);
        assert!(c.tails("kabinets").is_empty());
        assert!(
            c.tails("reactievredes").is_empty(),
            "a trailing link is no part"
        );
    }
}
