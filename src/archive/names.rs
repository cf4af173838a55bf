//! Correspondents in the order Dutch readers look them up: a person by
//! surname, the academic titles, initials and tussenvoegsels after it
//! (`mr. drs. J.E. de Vries-Öztürk` is `Vries-Öztürk, J.E. de`, under V),
//! a body by its name, both compared with the Unicode collation for Dutch
//! (so `Öztürk` sorts with `Oz…`, not after `Z`).
//!
//! A name is read as a person's only when it has a title or initials, the
//! way official Dutch letters write people: a name such as `Voorzitter van de
//! Tweede Kamer` keeps its own order.

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

/// Titles written before a name, lower case, without their dot.
const TITLES_BEFORE: &[&str] = &[
    "mr", "drs", "dr", "prof", "ir", "ing", "ds", "dhr", "mevr", "mw", "jhr", "jkvr", "bc", "kand",
    "lic", "em", "mgr",
];

/// Titles written after a name (`A. Jansen MSc`, `A. Jansen, PhD`).
const TITLES_AFTER: &[&str] = &[
    "msc", "ma", "bsc", "ba", "llm", "llb", "mba", "phd", "mphil", "mpa", "ra", "rc", "md", "med",
    "bed", "mres", "emba",
];

/// Tussenvoegsels: the particles between initials and surname.
const PARTICLES: &[&str] = &[
    "van", "de", "den", "der", "het", "'t", "’t", "ter", "ten", "te", "in", "'in", "op", "onder",
    "aan", "bij", "uit", "voor", "la", "le", "les", "du", "da", "di", "del", "della", "dos", "das",
    "do", "von", "zu", "zum", "zur", "vom", "d'", "l'", "'s", "’s",
];

/// A person's name taken apart for the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName<'a> {
    /// `Vries-Öztürk`
    pub surname: String,
    /// Initials or given names: `J.E.`
    pub given: String,
    /// `de`
    pub particles: String,
    /// `mr. drs.` and any after the name; the index leaves them out.
    pub titles: Vec<&'a str>,
}

impl<'a> PersonName<'a> {
    /// Reads a person's name, or `None` when the name has neither a title nor
    /// initials (a body, or a name written some other way) or no surname.
    pub fn parse(name: &'a str) -> Option<PersonName<'a>> {
        let mut tokens: Vec<&str> = name
            .split_whitespace()
            .map(|t| t.trim_end_matches(','))
            .filter(|t| !t.is_empty())
            .collect();
        let mut titles = Vec::new();
        while let Some(&t) = tokens.first()
            && is_title(t, TITLES_BEFORE)
            && tokens.len() > 1
        {
            titles.push(t);
            tokens.remove(0);
        }
        while let Some(&t) = tokens.last()
            && is_title(t, TITLES_AFTER)
            && tokens.len() > 1
        {
            titles.push(t);
            tokens.pop();
        }
        let initials = tokens.iter().take_while(|t| is_initials(t)).count();
        if titles.is_empty() && initials == 0 {
            return None;
        }
        let (given, rest) = if initials > 0 {
            tokens.split_at(initials)
        } else {
            // Written out: the given names run up to the first particle, or
            // up to the last word.
            let end = tokens
                .iter()
                .position(|t| is_particle(t))
                .unwrap_or(tokens.len().saturating_sub(1));
            tokens.split_at(end)
        };
        let particles = rest.iter().take_while(|t| is_particle(t)).count();
        let (particles, surname) = rest.split_at(particles);
        if surname.is_empty() {
            return None;
        }
        Some(PersonName {
            surname: surname.join(" "),
            given: given.join(" "),
            particles: particles.join(" "),
            titles,
        })
    }

    /// The name as an index lists it: `Vries-Öztürk, J.E. de`.
    pub fn index_form(&self) -> String {
        let rest = [self.given.as_str(), self.particles.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if rest.is_empty() {
            self.surname.clone()
        } else {
            format!("{}, {rest}", self.surname)
        }
    }
}

fn is_title(token: &str, titles: &[&str]) -> bool {
    // `prof.dr.` is two titles in one word.
    let lower = token.to_lowercase();
    let parts: Vec<&str> = lower.split('.').filter(|p| !p.is_empty()).collect();
    !parts.is_empty() && parts.iter().all(|p| titles.contains(p))
}

/// `J.`, `J.E.`, `Th.`, `Chr.`, `Ö.`, `J.-P.`: each part a capital, up to
/// three small letters and a dot.
fn is_initials(token: &str) -> bool {
    let mut parts = 0;
    for part in token.split_inclusive('.') {
        let part = part.trim_start_matches('-');
        let mut chars = part.chars();
        let ok = chars.next().is_some_and(char::is_uppercase)
            && part.ends_with('.')
            && part.chars().count() <= 5
            && chars.take_while(|&c| c != '.').all(char::is_lowercase);
        if !ok {
            return false;
        }
        parts += 1;
    }
    parts > 0
}

fn is_particle(token: &str) -> bool {
    PARTICLES.contains(&token.to_lowercase().as_str())
}

/// Compares correspondents' names for the index.
pub struct NameOrder {
    /// `None` only if the compiled collation data lacked Dutch and the root
    /// both; names are then compared by their lower-case text.
    collator: Option<CollatorBorrowed<'static>>,
}

/// A sort key: surname (or a body's name), given names, particles, then the
/// name as written, so that different names never tie.
pub type NameKey = [Vec<u8>; 4];

impl NameOrder {
    pub fn dutch() -> Self {
        // The compiled data holds Dutch (the root collation, untailored).
        let collator = Collator::try_new(locale!("nl").into(), CollatorOptions::default())
            .or_else(|_| Collator::try_new(Default::default(), CollatorOptions::default()));
        NameOrder {
            collator: collator.ok(),
        }
    }

    fn collate(&self, s: &str) -> Vec<u8> {
        match &self.collator {
            Some(collator) => {
                let mut key = Vec::new();
                let Ok(()) = collator.write_sort_key_to(s, &mut key);
                key
            }
            None => s.to_lowercase().into_bytes(),
        }
    }

    /// The key of a correspondent: `person` says the name was written as a
    /// person's (`name:`), not a body's (`organisation:` alone).
    pub fn key(&self, name: &str, person: bool) -> NameKey {
        match person.then(|| PersonName::parse(name)).flatten() {
            Some(p) => [
                self.collate(&p.surname),
                self.collate(&p.given),
                self.collate(&p.particles),
                self.collate(name),
            ],
            None => [self.collate(name), Vec::new(), Vec::new(), Vec::new()],
        }
    }
}

/// The name an index shows: `Vries-Öztürk, J.E. de` for a person, the name as
/// written otherwise.
pub fn index_name(name: &str, person: bool) -> String {
    match person.then(|| PersonName::parse(name)).flatten() {
        Some(p) => p.index_form(),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(name: &str) -> (String, String, String) {
        let p = PersonName::parse(name).unwrap();
        (p.surname, p.given, p.particles)
    }

    #[test]
    fn titles_initials_and_particles_come_apart() {
        let s = |a: &str| a.to_string();
        assert_eq!(
            parts("mr. drs. J.E. de Vries-Öztürk"),
            (s("Vries-Öztürk"), s("J.E."), s("de"))
        );
        assert_eq!(
            parts("prof. dr. A. van den Berg"),
            (s("Berg"), s("A."), s("van den"))
        );
        assert_eq!(parts("Ö. Aydın"), (s("Aydın"), s("Ö."), s("")));
        assert_eq!(parts("ir. K. 't Hart"), (s("Hart"), s("K."), s("'t")));
        assert_eq!(parts("prof.dr. Th. Smit MSc"), (s("Smit"), s("Th."), s("")));
        assert_eq!(parts("A. Jansen, PhD"), (s("Jansen"), s("A."), s("")));
        assert_eq!(parts("drs. Anna de Wit"), (s("Wit"), s("Anna"), s("de")));
        assert_eq!(parts("W.F. ten Haaf"), (s("Haaf"), s("W.F."), s("ten")));
    }

    #[test]
    fn index_form_puts_the_surname_first_and_drops_titles() {
        assert_eq!(
            index_name("mr. drs. J.E. de Vries-Öztürk", true),
            "Vries-Öztürk, J.E. de"
        );
        assert_eq!(index_name("ir. K. 't Hart", true), "Hart, K. 't");
        assert_eq!(index_name("Ö. Aydın", true), "Aydın, Ö.");
    }

    #[test]
    fn names_without_title_or_initials_and_bodies_keep_their_order() {
        for name in [
            "Voorzitter van de Tweede Kamer der Staten-Generaal",
            "Rijkaart",
            "Minister van Financiën",
        ] {
            assert_eq!(PersonName::parse(name), None, "{name}");
            assert_eq!(index_name(name, true), name);
        }
        // A body is never taken apart, whatever it looks like.
        assert_eq!(index_name("dr. A. Bos", false), "dr. A. Bos");
    }

    #[test]
    fn dutch_order_by_surname_with_accents_folded() {
        let order = NameOrder::dutch();
        let mut names = vec![
            ("mr. drs. J.E. de Vries-Öztürk", true),
            ("prof. dr. A. van den Berg", true),
            ("Ö. Aydın", true),
            ("ir. K. 't Hart", true),
            ("Eerste Kamer der Staten-Generaal", false),
            ("Z. Zwart", true),
            ("dr. P. Oosterhuis", true),
            ("B. Özdemir", true),
            ("Gemeente Hoogeveld", false),
            ("A. de Vries", true),
            ("drs. Ç. Çelik", true),
            ("mr. A. Aalders", true),
        ];
        names.sort_by_cached_key(|&(n, p)| order.key(n, p));
        let sorted: Vec<&str> = names.iter().map(|&(n, _)| n).collect();
        assert_eq!(
            sorted,
            [
                "mr. A. Aalders",
                "Ö. Aydın",
                "prof. dr. A. van den Berg",
                "drs. Ç. Çelik",
                "Eerste Kamer der Staten-Generaal",
                "Gemeente Hoogeveld",
                "ir. K. 't Hart",
                "dr. P. Oosterhuis",
                "B. Özdemir",
                "A. de Vries",
                "mr. drs. J.E. de Vries-Öztürk",
                "Z. Zwart",
            ]
        );
    }
}
