//! The reference index: what *names* a letter or a correspondent, so that a query that is a
//! reference finds the thing itself first (issue 12), not the letters that mention it.
//!
//! A reference is a *form*: folded words ([`super::tokenize`]) joined by one space.
//!
//! | names | forms | matches when |
//! | --- | --- | --- |
//! | a letter by its id | `37104 b`, and for a numbered letter also `36521 nr 3` | the query's words hold the form as a run: `37104 B`, `Kamerstukken I 2025/26, 37104, B`, `kst-37104-B` |
//! | a letter by its kenmerk | `180133 01u` | the same: `180133.01U`, `kenmerk 180133.01U` |
//! | a correspondent by name | `i m lagas` | the same, or the query is a run of the name that ends with its last word: `Lagas`, `I.M. Lagas` |
//!
//! Entries are spread over [`bucket_count`] files `search/r/<n>.bin` by a hash of their
//! *key word* (the first word of a letter's form, the last word of a name), and the query
//! reads the bucket of each of its first [`MAX_LOOKUPS`] distinct words: a few hundred bytes
//! each at 100,000 letters. A bucket is JSON: `[[form, letter id], [form, url, name], …]`.
//! `search.js` (`refMatches`) mirrors [`matches`] and [`bucket_of`].

use super::SearchDoc;
use super::codec::gzip;
use super::tokenize::terms;
use std::collections::BTreeMap;

/// Most distinct query words whose buckets are read.
pub const MAX_LOOKUPS: usize = 6;
/// Entries per bucket the build aims for.
const BUCKET_ENTRIES: usize = 64;
/// Most pinned results shown.
pub const MAX_PINS: usize = 5;

/// What a reference names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// A letter, by its search id.
    Letter(u32),
    /// A page (a correspondent): URL relative to the site root and its name.
    Page {
        /// `correspondents/lagas/`.
        url: String,
        /// `I.M. Lagas`.
        name: String,
    },
}

/// One form and what it names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// Folded words joined by a space.
    pub form: String,
    /// What the form names.
    pub target: Target,
}

/// The forms of a letter (`id` is its search id) and of its correspondents.
pub fn entries_of(doc: &SearchDoc, id: u32) -> Vec<Entry> {
    let letter = |words: Vec<String>| Entry {
        form: words.join(" "),
        target: Target::Letter(id),
    };
    let mut out = Vec::new();
    let dossier = terms(&doc.dossier);
    let id_words = terms(&doc.letter);
    if !dossier.is_empty() && !id_words.is_empty() {
        out.push(letter([dossier.clone(), id_words.clone()].concat()));
        if doc.letter.bytes().all(|b| b.is_ascii_digit()) {
            out.push(letter([dossier, vec!["nr".into()], id_words].concat()));
        }
    }
    if let Some(kenmerk) = &doc.kenmerk {
        let words = terms(kenmerk);
        if !words.is_empty() {
            out.push(letter(words));
        }
    }
    for party in doc.from.iter().chain(&doc.to) {
        let words = terms(&party.name);
        if !words.is_empty() && !party.url.is_empty() {
            out.push(Entry {
                form: words.join(" "),
                target: Target::Page {
                    url: party.url.clone(),
                    name: party.name.clone(),
                },
            });
        }
    }
    out
}

/// The word an entry is filed under: the first word of a letter's form, the last of a name.
fn key_word(entry: &Entry) -> &str {
    let mut words = entry.form.split(' ');
    match entry.target {
        Target::Letter(_) => words.next().unwrap_or(""),
        Target::Page { .. } => words.next_back().unwrap_or(""),
    }
}

/// Buckets for `entries` entries: a power of two near [`BUCKET_ENTRIES`] entries each.
pub fn bucket_count(entries: usize) -> usize {
    (entries / BUCKET_ENTRIES).max(1).next_power_of_two()
}

/// The bucket of a word: FNV-1a (32 bits) of its UTF-8 bytes, modulo the bucket count.
pub fn bucket_of(word: &str, buckets: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for &b in word.as_bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % buckets.max(1)
}

/// The bucket files of every letter's entries (`order[id]` is the letter of search id `id`),
/// and the bucket count for the root file. Each distinct entry is stored once.
pub fn files(
    docs: &[SearchDoc],
    order: &[usize],
    gzip_level: u32,
) -> (Vec<super::IndexFile>, usize) {
    let mut entries: Vec<Entry> = order
        .iter()
        .enumerate()
        .flat_map(|(id, &i)| entries_of(&docs[i], id as u32))
        .collect();
    entries.sort_unstable();
    entries.dedup();
    let buckets = bucket_count(entries.len());
    let mut by_bucket: BTreeMap<usize, Vec<serde_json::Value>> = BTreeMap::new();
    for entry in &entries {
        let value = match &entry.target {
            Target::Letter(id) => serde_json::json!([entry.form, id]),
            Target::Page { url, name } => serde_json::json!([entry.form, url, name]),
        };
        by_bucket
            .entry(bucket_of(key_word(entry), buckets))
            .or_default()
            .push(value);
    }
    let files = by_bucket
        .into_iter()
        .map(|(n, values)| super::IndexFile {
            path: super::layout::bucket(n),
            bytes: gzip(
                serde_json::Value::Array(values).to_string().as_bytes(),
                gzip_level,
            ),
        })
        .collect();
    (files, buckets)
}

/// The words whose buckets a query reads: its first [`MAX_LOOKUPS`] distinct words.
pub fn lookups(query_words: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for w in query_words {
        if out.len() == MAX_LOOKUPS {
            break;
        }
        if !out.contains(&w.as_str()) {
            out.push(w);
        }
    }
    out
}

/// Whether `entry` matches a query of `query_words` (every word of the text, stop words
/// included): see the table in the module documentation.
pub fn matches(entry: &Entry, query_words: &[String]) -> bool {
    let form: Vec<&str> = entry.form.split(' ').collect();
    if contains_run(query_words, &form) {
        return true;
    }
    matches!(entry.target, Target::Page { .. })
        && !query_words.is_empty()
        && form.ends_with(&query_words.iter().map(String::as_str).collect::<Vec<_>>())
}

/// True when `run` occurs in `words` as consecutive words.
fn contains_run(words: &[String], run: &[&str]) -> bool {
    !run.is_empty()
        && words.len() >= run.len()
        && words
            .windows(run.len())
            .any(|w| w.iter().zip(run).all(|(a, b)| a == b))
}

/// Orders matches as they are shown: letters before pages, forms of more words first (a citation
/// before a bare kenmerk), then newest letter first; each target once, at most [`MAX_PINS`].
pub fn pin_order(mut found: Vec<Entry>) -> Vec<Target> {
    let key = |e: &Entry| {
        let (page, id) = match e.target {
            Target::Letter(id) => (false, id),
            Target::Page { .. } => (true, 0),
        };
        let words = e.form.split(' ').count();
        (page, std::cmp::Reverse(words), std::cmp::Reverse(id))
    };
    found.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.form.cmp(&b.form)));
    let mut out: Vec<Target> = Vec::new();
    for e in found {
        if out.len() == MAX_PINS {
            break;
        }
        if !out.contains(&e.target) {
            out.push(e.target);
        }
    }
    out
}

/// Decodes a bucket file (JSON, see the module documentation); `None` when malformed.
pub fn decode_bucket(bytes: &[u8]) -> Option<Vec<Entry>> {
    let values: Vec<serde_json::Value> = serde_json::from_slice(bytes).ok()?;
    values
        .iter()
        .map(|v| {
            let a = v.as_array()?;
            let form = a.first()?.as_str()?.to_string();
            let target = match a.len() {
                2 => Target::Letter(u32::try_from(a[1].as_u64()?).ok()?),
                3 => Target::Page {
                    url: a[1].as_str()?.to_string(),
                    name: a[2].as_str()?.to_string(),
                },
                _ => return None,
            };
            Some(Entry { form, target })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchParty;

    fn doc(dossier: &str, letter: &str, kenmerk: Option<&str>) -> SearchDoc {
        SearchDoc {
            dossier: dossier.into(),
            letter: letter.into(),
            kenmerk: kenmerk.map(String::from),
            from: vec![SearchParty {
                slug: "lagas".into(),
                name: "I.M. Lagas".into(),
                url: "correspondents/lagas/".into(),
            }],
            ..SearchDoc::default()
        }
    }

    fn found(docs: &[SearchDoc], query: &str) -> Vec<Target> {
        let words = terms(query);
        let all: Vec<Entry> = docs
            .iter()
            .enumerate()
            .flat_map(|(id, d)| entries_of(d, id as u32))
            .filter(|e| matches(e, &words))
            .collect();
        pin_order(all)
    }

    #[test]
    fn ids_kenmerken_and_citations_name_the_letter() {
        let docs = [
            doc("37104", "B", Some("180133.01U")),
            doc("36521", "3", None),
            doc("31700 VI", "C", Some("TLE/U202600318")),
        ];
        for query in [
            "37104 B",
            "Kamerstukken I 2025/26, 37104, B",
            "kst-37104-B",
            "180133.01U",
            "kenmerk 180133.01u",
        ] {
            assert_eq!(found(&docs, query)[0], Target::Letter(0), "{query}");
        }
        for query in [
            "36521 3",
            "kst-36521-3",
            "Kamerstukken II 2024/25, 36521, nr. 3",
        ] {
            assert_eq!(found(&docs, query)[0], Target::Letter(1), "{query}");
        }
        assert_eq!(found(&docs, "31700-VI-C")[0], Target::Letter(2));
        assert_eq!(found(&docs, "TLE/U202600318")[0], Target::Letter(2));
        assert!(
            found(&docs, "37104").is_empty(),
            "a dossier alone names no letter"
        );
        assert!(found(&docs, "37104 C").is_empty());
    }

    #[test]
    fn a_name_finds_its_correspondent_by_surname_or_whole() {
        let docs = [doc("1", "A", None)];
        let page = Target::Page {
            url: "correspondents/lagas/".into(),
            name: "I.M. Lagas".into(),
        };
        for query in ["Lagas", "I.M. Lagas", "m lagas", "brief van I.M. Lagas"] {
            assert_eq!(found(&docs, query), vec![page.clone()], "{query}");
        }
        assert!(
            found(&docs, "I.M.").is_empty(),
            "initials alone are no name"
        );
    }

    #[test]
    fn buckets_hold_every_entry_once_and_decode() {
        let docs: Vec<SearchDoc> = (0..300)
            .map(|n| doc("36521", &n.to_string(), Some(&format!("{n}.01U"))))
            .collect();
        let order: Vec<usize> = (0..docs.len()).collect();
        let (files, buckets) = files(&docs, &order, 6);
        assert_eq!(buckets, bucket_count(300 * 3 + 1));
        let mut all: Vec<Entry> = files
            .iter()
            .flat_map(|f| {
                decode_bucket(&crate::search::codec::gunzip(&f.bytes).expect("gzip"))
                    .expect("bucket")
            })
            .collect();
        all.sort();
        assert_eq!(
            all.len(),
            300 * 3 + 1,
            "three forms per letter, the name once"
        );
        for f in &files {
            let n: usize = f.path[crate::search::layout::REFS.len()..f.path.len() - 4]
                .parse()
                .expect("n");
            let entries = decode_bucket(&crate::search::codec::gunzip(&f.bytes).expect("gz"))
                .expect("bucket");
            assert!(entries.iter().all(|e| bucket_of(key_word(e), buckets) == n));
        }
        assert!(decode_bucket(b"[[1, 2]]").is_none());
    }
}
