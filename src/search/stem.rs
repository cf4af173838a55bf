//! Stemming: which index keys a folded word belongs to, and which words a query word that the
//! archive never uses may stand for.
//!
//! A word is indexed under one to three *keys*. Two words match when they share a key.
//!
//! For Dutch no single stemmer conflates the plurals readers expect. The older Snowball Dutch
//! algorithm (`rust-stemmers`, a Porter variant) keeps `toeslag`/`toeslagen` and `dag`/`dagen`
//! together but splits `brief`/`brieven` and `huis`/`huizen`; the Snowball 3 algorithm
//! (`snowstem`, Kraaij–Pohlmann based) does the reverse and also handles `motie`/`moties` and
//! `uur`/`uren`. So a Dutch word gets both stems as keys, each passed through a small
//! normalisation of the stem's end ([`normalise_dutch_stem`]: undouble a final double consonant,
//! then `v`→`f` and `z`→`s`), which lets the Porter stems of `brieven` and `huizen` meet `brief`
//! and `huis`. Two guards keep precision:
//!
//! - the Snowball 3 stem is dropped when it does not start with the word's first letter: that
//!   algorithm strips a `ge-` prefix, which would make `gemeente` match `meen` and `gezin`
//!   match `zin`;
//! - when the Porter stem only removed a final `-s` (`mens` → `men`, `kans` → `kan`), the word
//!   itself is a key too, so `mens` meets `mensen` (whose stem is `mens`).
//!
//! English words get their Snowball English (Porter 2) stem. Words containing a digit are never
//! stemmed: `2025` and `36521` stay themselves.
//!
//! Stop words (the Snowball lists, trimmed) are not indexed at all; phrases that contain them
//! are verified against the letter text instead (see the query module).

use super::Language;
use rust_stemmers::{Algorithm as PorterAlgorithm, Stemmer as PorterStemmer};
use snowstem::{Algorithm as SnowballAlgorithm, Stemmer as SnowballStemmer};

/// Computes the index keys of folded words for one language.
pub struct KeyMaker {
    language: Language,
    porter: PorterStemmer,
    snowball: Option<SnowballStemmer>,
}

impl KeyMaker {
    /// A key maker for `language`.
    pub fn new(language: Language) -> Self {
        match language {
            Language::Dutch => KeyMaker {
                language,
                porter: PorterStemmer::create(PorterAlgorithm::Dutch),
                snowball: Some(SnowballStemmer::create(SnowballAlgorithm::Dutch)),
            },
            Language::English => KeyMaker {
                language,
                porter: PorterStemmer::create(PorterAlgorithm::English),
                snowball: None,
            },
        }
    }

    /// The keys of a folded, lowercased word: one to three, sorted, without duplicates.
    pub fn keys(&self, word: &str) -> Vec<String> {
        if word.chars().any(|c| c.is_numeric()) {
            return vec![word.to_string()];
        }
        let mut keys = match self.language {
            Language::Dutch => self.dutch_keys(word),
            Language::English => vec![self.porter.stem(word).into_owned()],
        };
        keys.retain(|k| !k.is_empty());
        if keys.is_empty() {
            keys.push(word.to_string());
        }
        keys.sort();
        keys.dedup();
        keys
    }

    fn dutch_keys(&self, word: &str) -> Vec<String> {
        let porter = self.porter.stem(word);
        let mut keys = vec![normalise_dutch_stem(&porter)];
        if let Some(snowball) = &self.snowball {
            let stem = snowball.stem(word);
            if shares_first_char(&stem, word) {
                keys.push(normalise_dutch_stem(&stem));
            }
        }
        if word.strip_suffix('s') == Some(porter.as_ref()) {
            keys.push(word.to_string());
        }
        keys
    }
}

/// True when `stem` begins with the first code point of `word` (a stemmer that removed a
/// prefix fails this).
fn shares_first_char(stem: &str, word: &str) -> bool {
    stem.chars().next() == word.chars().next()
}

/// Normalises the end of a Dutch stem so that stems of singular and plural meet: a final double
/// consonant is undoubled (`gevall` → `geval`), then a final `v` becomes `f` (`briev` → `brief`)
/// and a final `z` becomes `s` (`huiz` → `huis`).
pub fn normalise_dutch_stem(stem: &str) -> String {
    let mut chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    if n >= 3 && chars[n - 1] == chars[n - 2] && is_consonant(chars[n - 1]) {
        chars.pop();
    }
    match chars.last() {
        Some('v') => {
            chars.pop();
            chars.push('f');
        }
        Some('z') => {
            chars.pop();
            chars.push('s');
        }
        _ => {}
    }
    chars.into_iter().collect()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn is_consonant(c: char) -> bool {
    c.is_ascii_lowercase() && !is_vowel(c)
}

/// Words a query word may stand for when the archive does not contain the query word itself.
///
/// The index maps the words that occur in the archive to their keys, and the browser never
/// stems (see the module documentation of `search`). A reader who types `huizen` in an archive
/// that only says `huis` would find nothing, so the query side also tries these variants:
/// singular and plural forms built by simple spelling rules. `search.js` (function
/// `variants`) implements exactly these rules. Only variants that occur in the archive are used.
pub fn variants(language: Language, word: &str) -> Vec<String> {
    if word.chars().any(|c| c.is_numeric()) || word.chars().count() < 3 {
        return Vec::new();
    }
    let mut out = match language {
        Language::Dutch => dutch_variants(word),
        Language::English => english_variants(word),
    };
    out.retain(|v| v != word && v.chars().count() >= 2);
    out.sort();
    out.dedup();
    out
}

fn dutch_variants(w: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(b) = w.strip_suffix("heden") {
        out.push(format!("{b}heid"));
    }
    if let Some(b) = w.strip_suffix("eren") {
        out.push(b.to_string());
    }
    if let Some(b) = w.strip_suffix("en") {
        push_singulars(b, &mut out);
    }
    for suffix in ["n", "s", "e"] {
        if let Some(b) = w.strip_suffix(suffix) {
            out.push(b.to_string());
        }
    }
    push_plurals(w, &mut out);
    out
}

/// Singular forms for a plural stem `b` (the plural without `-en`).
fn push_singulars(b: &str, out: &mut Vec<String>) {
    out.push(b.to_string());
    let normalised = normalise_dutch_stem(b);
    out.push(normalised.clone());
    let chars: Vec<char> = normalised.chars().collect();
    let n = chars.len();
    let open_syllable = n >= 2
        && is_consonant(chars[n - 1])
        && is_vowel(chars[n - 2])
        && (n == 2 || is_consonant(chars[n - 3]));
    if open_syllable {
        // An open syllable had a long vowel: vrag(en) -> vraag, ur(en) -> uur.
        let mut long: String = chars[..n - 1].iter().collect();
        long.push(chars[n - 2]);
        long.push(chars[n - 1]);
        out.push(long);
    }
}

/// Plural forms of a singular `w`.
fn push_plurals(w: &str, out: &mut Vec<String>) {
    for suffix in ["en", "s", "n"] {
        out.push(format!("{w}{suffix}"));
    }
    let chars: Vec<char> = w.chars().collect();
    let n = chars.len();
    let last = chars[n - 1];
    let voiced = match last {
        'f' => 'v',
        's' => 'z',
        other => other,
    };
    let long_vowel = n >= 3 && chars[n - 2] == chars[n - 3] && is_vowel(chars[n - 2]);
    let stem: String = if long_vowel {
        // vraag -> vrag(en), graaf -> grav(en)
        chars[..n - 2].iter().collect()
    } else {
        chars[..n - 1].iter().collect()
    };
    out.push(format!("{stem}{voiced}en"));
    let short_vowel = n >= 2 && is_vowel(chars[n - 2]) && (n < 3 || !is_vowel(chars[n - 3]));
    if short_vowel && is_consonant(last) {
        // bus -> bussen, brug -> bruggen
        out.push(format!("{w}{last}en"));
    }
}

fn english_variants(w: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(b) = w.strip_suffix("ies") {
        out.push(format!("{b}y"));
    }
    if let Some(b) = w.strip_suffix("es") {
        out.push(b.to_string());
    }
    if let Some(b) = w.strip_suffix('s') {
        out.push(b.to_string());
    }
    if let Some(b) = w.strip_suffix('y') {
        out.push(format!("{b}ies"));
    }
    out.push(format!("{w}s"));
    out.push(format!("{w}es"));
    out
}

/// Dutch stop words: not indexed, dropped from queries (kept inside quoted phrases, which are
/// checked against the text). The Snowball list, without words that carry meaning in
/// parliamentary letters.
pub const DUTCH_STOP_WORDS: &[&str] = &[
    "aan", "al", "als", "bij", "dan", "dat", "de", "der", "deze", "die", "dit", "door", "dus",
    "een", "en", "er", "had", "heb", "hebben", "heeft", "het", "hij", "hoe", "hun", "ik", "in",
    "is", "je", "maar", "me", "men", "met", "mij", "mijn", "na", "naar", "niet", "nog", "nu", "of",
    "om", "omdat", "ons", "ook", "op", "over", "te", "tot", "u", "uit", "uw", "van", "voor", "was",
    "wat", "werd", "wie", "wij", "worden", "wordt", "zal", "ze", "zich", "zij", "zijn", "zo",
    "zou",
];

/// English stop words, handled like [`DUTCH_STOP_WORDS`].
pub const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "her", "his", "i", "in", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their",
    "they", "this", "to", "was", "we", "were", "which", "will", "with", "you", "your",
];

/// The stop words of `language`, sorted.
pub fn stop_words(language: Language) -> &'static [&'static str] {
    match language {
        Language::Dutch => DUTCH_STOP_WORDS,
        Language::English => ENGLISH_STOP_WORDS,
    }
}

/// True when the folded `word` is a stop word of `language`.
pub fn is_stop_word(language: Language, word: &str) -> bool {
    stop_words(language).binary_search(&word).is_ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Real Dutch singular/plural (and inflection) pairs that must share a key.
    pub(crate) const DUTCH_PAIRS: &[(&str, &str)] = &[
        ("brief", "brieven"),
        ("vraag", "vragen"),
        ("toeslag", "toeslagen"),
        ("huis", "huizen"),
        ("dag", "dagen"),
        ("gemeente", "gemeenten"),
        ("wet", "wetten"),
        ("kamer", "kamers"),
        ("minister", "ministers"),
        ("motie", "moties"),
        ("commissie", "commissies"),
        ("weg", "wegen"),
        ("school", "scholen"),
        ("reis", "reizen"),
        ("prijs", "prijzen"),
        ("dief", "dieven"),
        ("graaf", "graven"),
        ("golf", "golven"),
        ("verslag", "verslagen"),
        ("jaar", "jaren"),
        ("week", "weken"),
        ("uur", "uren"),
        ("man", "mannen"),
        ("geval", "gevallen"),
        ("besluit", "besluiten"),
        ("antwoord", "antwoorden"),
        ("overleg", "overleggen"),
        ("staf", "staven"),
        ("roos", "rozen"),
        ("bus", "bussen"),
        ("mens", "mensen"),
        ("kans", "kansen"),
        ("brug", "bruggen"),
        ("advies", "adviezen"),
        ("gezin", "gezinnen"),
        ("wijziging", "wijzigingen"),
        ("ombudsman", "ombudsmannen"),
        ("toezegging", "toezeggingen"),
        ("regeling", "regelingen"),
        ("coördinatie", "coordinatie"),
    ];

    /// Words that must not meet: the guard against Snowball 3's `ge-` stripping.
    const DUTCH_APART: &[(&str, &str)] =
        &[("gemeente", "meen"), ("gezin", "zin"), ("gebied", "bied")];

    fn folded_keys(maker: &KeyMaker, word: &str) -> Vec<String> {
        let folded = crate::search::tokenize::terms(word);
        maker.keys(&folded[0])
    }

    fn share_a_key(maker: &KeyMaker, a: &str, b: &str) -> bool {
        let ka = folded_keys(maker, a);
        let kb = folded_keys(maker, b);
        ka.iter().any(|k| kb.contains(k))
    }

    #[test]
    fn dutch_pairs_share_a_key() {
        let maker = KeyMaker::new(Language::Dutch);
        let misses: Vec<_> = DUTCH_PAIRS
            .iter()
            .filter(|(a, b)| !share_a_key(&maker, a, b))
            .map(|(a, b)| (a, b, folded_keys(&maker, a), folded_keys(&maker, b)))
            .collect();
        assert!(misses.is_empty(), "pairs without a shared key: {misses:?}");
    }

    #[test]
    fn ge_prefix_stripping_does_not_merge_unrelated_words() {
        let maker = KeyMaker::new(Language::Dutch);
        for (a, b) in DUTCH_APART {
            assert!(!share_a_key(&maker, a, b), "{a} and {b} should stay apart");
        }
    }

    #[test]
    fn english_plurals_share_a_key() {
        let maker = KeyMaker::new(Language::English);
        for (a, b) in [
            ("letter", "letters"),
            ("reply", "replies"),
            ("committee", "committees"),
        ] {
            assert!(share_a_key(&maker, a, b), "{a} / {b}");
        }
    }

    #[test]
    fn numbers_are_not_stemmed() {
        let maker = KeyMaker::new(Language::Dutch);
        assert_eq!(maker.keys("36521"), vec!["36521"]);
        assert_eq!(maker.keys("01u"), vec!["01u"]);
    }

    #[test]
    fn variants_reach_the_other_form() {
        for (a, b) in DUTCH_PAIRS {
            let (a, b) = (
                &crate::search::tokenize::terms(a)[0],
                &crate::search::tokenize::terms(b)[0],
            );
            if a == b {
                continue;
            }
            let from_plural = variants(Language::Dutch, b);
            let from_singular = variants(Language::Dutch, a);
            let reached = from_plural.contains(a) || from_singular.contains(b);
            let overlaps = {
                let maker = KeyMaker::new(Language::Dutch);
                from_plural.iter().any(|v| share_a_key(&maker, v, a))
            };
            assert!(
                reached || overlaps,
                "{a} / {b}: {from_plural:?} {from_singular:?}"
            );
        }
    }

    #[test]
    fn stop_word_lists_are_sorted_for_binary_search() {
        for list in [DUTCH_STOP_WORDS, ENGLISH_STOP_WORDS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
        assert!(is_stop_word(Language::Dutch, "de"));
        assert!(!is_stop_word(Language::Dutch, "ombudsman"));
    }
}
