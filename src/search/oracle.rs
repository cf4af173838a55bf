//! The test oracle of `search.js`: a query evaluator over the built index files that runs the
//! browser's algorithm step by step, so that ranking, phrases, variants, prefixes and filters
//! are tested in Rust (`client_tests` runs `search.js` under Node and compares it with this),
//! and so that the bytes a browser would download for a query can be measured
//! ([`Searcher::bytes_fetched`], `examples/search_scale.rs`). No page and no server answers a
//! query with it: the site's search is `search.js` alone.
//!
//! The algorithm, step by step (function names in `search.js` in brackets):
//!
//! 1. [`parse`] (`parseQuery`): text between double quotes (`"`, `“`, `”`, `„`) is a phrase
//!    (an unclosed last quote is ignored while it is being typed);
//!    every word that is not a stop word becomes a query word. Only while the reader types (or
//!    when the URL asks for it with `prefix=1`, the page's "also words starting with …" link)
//!    is the last word also a prefix: when the text ends right after it and it has at least
//!    [`MIN_PREFIX`] letters. A submitted or shared query matches whole words (and their stem
//!    class), so the counts a reader quotes are those of the words typed.
//! 0. [`super::refs`] (`pinsOf`): forms of letter ids, kenmerken, citations and names that
//!    the query's words hold name letters and correspondents shown first ("pinned").
//! 2. For each query word (`wordGroup`): read the shard whose range holds the word. If the word
//!    is there, its keys are the word's keys; if not, its spelling [`variants`] that the archive
//!    has are used (reading at most [`MAX_VARIANT_SHARDS`] more shards). A prefix word adds the
//!    keys of up to [`MAX_EXPANSIONS`] words that start with it (from at most
//!    [`MAX_PREFIX_SHARDS`] shards).
//! 3. A letter matches when it matches every query word (AND) and every filter (facet values of
//!    one facet are OR'ed, facets are AND'ed) and, with phrases, contains each phrase.
//! 4. Score: per query word, the best score among its keys (`idf × level weight`, plus
//!    [`TITLE_BONUS`] when the key is in the title), summed in query-word order. Sorted by
//!    score, then newest first; or by date. Tiered keys are read in part: [`super::tiers`]
//!    fetches tail blocks until the page asked for is proven.

use super::IndexFile;
use super::Language;
use super::codec::{Reader, gunzip, read_id_list};
use super::compound::MIN_TAIL;
use super::layout;
use super::refs;
use super::shard::{Shard, decode_block, decode_entry, decode_shard};
use super::stem::{is_stop_word, variants};
use super::tiers::{BlockRef, KeyState, Round, all_blocks, blocks_to_fetch, count, evaluate, rank};
pub use super::tiers::{Sort, TITLE_BONUS};
use super::tokenize::{Token, for_each_token};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Shortest last word that is also searched as a prefix.
pub const MIN_PREFIX: usize = 3;
/// Most words a prefix expands to.
pub const MAX_EXPANSIONS: usize = 50;
/// Most shards read for one prefix.
pub const MAX_PREFIX_SHARDS: usize = 2;
/// Most extra shards read to look up the variants of one word.
pub const MAX_VARIANT_SHARDS: usize = 2;
/// Results per page.
pub const PAGE_SIZE: usize = 10;
/// Words of letter text in an excerpt.
pub const EXCERPT_WORDS: usize = 28;
/// Words of context kept before the first hit of an excerpt.
const EXCERPT_LEAD: usize = 6;

/// What can go wrong reading an index.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SearchError {
    /// A file the index refers to is not there.
    #[error("search index file {0} is missing")]
    Missing(String),
    /// A file could not be decoded.
    #[error("search index file {0} is damaged")]
    Damaged(String),
}

/// Filters; every field empty means "no filter". Values of one field are alternatives.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Dossier numbers.
    pub dossier: Vec<String>,
    /// Sender slugs.
    pub sender: Vec<String>,
    /// Recipient slugs.
    pub recipient: Vec<String>,
    /// Tag slugs.
    pub tag: Vec<String>,
    /// Kinds.
    pub kind: Vec<String>,
    /// `answered`, `awaiting`, `overdue` or `none`.
    pub status: Vec<String>,
    /// Years.
    pub year: Vec<i32>,
    /// First `sort_date` included (`yyyymmdd`).
    pub date_from: Option<i32>,
    /// Last `sort_date` included.
    pub date_to: Option<i32>,
}

impl Filters {
    fn facets(&self) -> [(&'static str, &[String]); 6] {
        [
            ("dossier", &self.dossier),
            ("sender", &self.sender),
            ("recipient", &self.recipient),
            ("tag", &self.tag),
            ("kind", &self.kind),
            ("status", &self.status),
        ]
    }

    fn is_empty(&self) -> bool {
        self.facets().iter().all(|(_, v)| v.is_empty())
            && self.year.is_empty()
            && self.date_from.is_none()
            && self.date_to.is_none()
    }
}

/// A search as the page URL holds it.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The text typed.
    pub text: String,
    /// The filters chosen.
    pub filters: Filters,
    /// The order.
    pub sort: Sort,
    /// 1-based page.
    pub page: usize,
    /// The last word is also a prefix (while typing, or `prefix=1` in the URL).
    pub prefix: bool,
}

/// The words of a query, see step 1 of the module documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Query words (no stop words, no duplicates), in the order typed.
    pub words: Vec<String>,
    /// The last word, when it is also searched as a prefix.
    pub prefix: Option<String>,
    /// Quoted phrases, every word kept (stop words too).
    pub phrases: Vec<Vec<String>>,
    /// Per query word, the words `OR`'ed with it (`opvang OR asiel`): one group, any of them.
    pub alternatives: Vec<Vec<String>>,
    /// Words after a `-`: letters with any of them are left out.
    pub excluded: Vec<String>,
}

impl ParsedQuery {
    fn push_word(&mut self, term: &str) {
        if !self.words.iter().any(|w| w == term) {
            self.words.push(term.to_string());
            self.alternatives.push(Vec::new());
        }
    }
}

/// What separates the pieces of a query (`OR` and `-word` are whole pieces).
const SPACES: [char; 5] = [' ', '\t', '\n', '\r', '\u{a0}'];

/// The words outside quotes: `OR` between two words makes the second an alternative of the
/// first; a piece that starts with `-` excludes its words; stop words are dropped.
fn parse_plain(segment: &str, language: Language, parsed: &mut ParsedQuery) {
    let mut or_next = false;
    for piece in segment.split(SPACES).filter(|p| !p.is_empty()) {
        if piece == "OR" {
            or_next = !parsed.words.is_empty();
            continue;
        }
        let (body, excluded) = match piece.strip_prefix('-') {
            Some(rest) if !rest.is_empty() => (rest, true),
            _ => (piece, false),
        };
        for term in super::tokenize::terms(body) {
            if is_stop_word(language, &term) {
                continue;
            }
            if excluded {
                if !parsed.excluded.contains(&term) {
                    parsed.excluded.push(term);
                }
            } else if or_next {
                let last = parsed.words.len() - 1;
                if parsed.words[last] != term && !parsed.alternatives[last].contains(&term) {
                    parsed.alternatives[last].push(term);
                }
            } else {
                parsed.push_word(&term);
            }
            or_next = false;
        }
    }
}

/// Parses query text; see step 1 of the module documentation. `prefix`: the last word may be
/// a prefix (the reader is typing, or asked for it).
pub fn parse(text: &str, language: Language, prefix: bool) -> ParsedQuery {
    let mut parsed = ParsedQuery::default();
    let segments: Vec<&str> = text.split(['"', '“', '”', '„']).collect();
    let mut last_open: Option<String> = None;
    // An odd number of quotes leaves the last phrase open: the reader is still typing it, so
    // it is searched as plain words (with the prefix) until the quote closes.
    let unclosed = segments.len().is_multiple_of(2);
    for (n, segment) in segments.iter().enumerate() {
        let is_last = n + 1 == segments.len();
        let quoted = n % 2 == 1 && !(is_last && unclosed);
        let mut terms: Vec<String> = Vec::new();
        let mut reaches_end = false;
        for_each_token(segment, |t: Token<'_>| {
            terms.push(t.term.to_string());
            reaches_end = t.end == segment.len();
        });
        if quoted {
            for term in terms.iter().filter(|t| !is_stop_word(language, t)) {
                parsed.push_word(term);
            }
            if !terms.is_empty() {
                parsed.phrases.push(terms.clone());
            }
        } else {
            parse_plain(segment, language, &mut parsed);
        }
        last_open = match terms.last() {
            Some(t) if is_last && !quoted && reaches_end => Some(t.clone()),
            _ => None,
        };
    }
    // Only a query word (not an alternative or an excluded word) is completed.
    let head = last_open.filter(|w| parsed.words.last() == Some(w) && !parsed.excluded.contains(w));
    parsed.prefix = head.filter(|w| {
        prefix
            && w.chars().count() >= MIN_PREFIX
            && !is_stop_word(language, w)
            && !w.chars().any(|c| c.is_numeric())
    });
    parsed
}

/// One letter in a result list.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Letter id (date order).
    pub id: u32,
    /// Relevance score.
    pub score: f64,
    /// URL relative to the site root.
    pub url: String,
    /// Title.
    pub title: String,
    /// Dossier number.
    pub dossier: String,
    /// Letter id in its dossier.
    pub letter: String,
    /// Localised date.
    pub date_display: String,
    /// Sender names.
    pub from: Vec<String>,
    /// Recipient names.
    pub to: Vec<String>,
    /// Excerpt of the text with the hits marked.
    pub excerpt: Vec<Fragment>,
}

/// A piece of an excerpt: marked (a hit) or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// The text.
    pub text: String,
    /// True for a hit (`<mark>` in the page).
    pub hit: bool,
}

/// The answer to a query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// Number of matching letters, or an estimate when `approximate`.
    pub total: usize,
    /// True when `total` is an estimate (tails of common words not fetched, see [`super::tiers`]).
    pub approximate: bool,
    /// The letters of the requested page.
    pub hits: Vec<Hit>,
    /// Ids of the matching letters in result order as far as fetched: every match up to the
    /// requested page, all of them when the total is exact and every tail was fetched.
    pub ids: Vec<u32>,
    /// With phrases: every candidate (a letter with all the words) in rank order, before its
    /// text was checked; the browser checks them in this order until a page is full.
    pub candidates: Vec<u32>,
    /// What the query names by reference ([`super::refs`]), shown before the results.
    pub pinned: Vec<Pin>,
}

/// A letter or page that the query names (its id, kenmerk, citation or name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The letter's search id; `None` for a page (a correspondent).
    pub id: Option<u32>,
    /// URL relative to the site root.
    pub url: String,
    /// The letter's title or the correspondent's name.
    pub title: String,
}

/// The root file (`search/index.bin`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Root {
    language: String,
    docs: usize,
    shards: Vec<String>,
    years: Vec<[i64; 3]>,
    #[serde(default)]
    ref_buckets: usize,
    letter_block: usize,
}

/// A letter's record in a block of `search/d/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DocFile {
    url: String,
    title: String,
    dossier: String,
    letter: String,
    date_display: String,
    from: Vec<String>,
    to: Vec<String>,
    text: String,
    /// True when `text` is only the start of the letter.
    #[serde(default)]
    cut: bool,
}

/// What a query word stands for: its keys' postings as far as fetched, and the archive's words
/// that share a key with it (marked in excerpts).
#[derive(Default)]
struct Group {
    keys: Vec<KeyState>,
    words: BTreeSet<String>,
    prefix: Option<String>,
}

/// Reads an index the way the browser does, counting the bytes it fetches.
pub struct Searcher<'a> {
    files: HashMap<&'a str, &'a [u8]>,
    language: Language,
    root: Root,
    fetched: BTreeSet<String>,
    bytes: usize,
    shards: BTreeMap<usize, Shard>,
    /// Blocks of letter records and of rests read so far, by block number.
    doc_blocks: BTreeMap<usize, Vec<DocFile>>,
    rest_blocks: BTreeMap<usize, Vec<String>>,
}

impl<'a> Searcher<'a> {
    /// Opens an index (reads its root file).
    pub fn open(files: &'a [IndexFile]) -> Result<Self, SearchError> {
        let map = files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice()))
            .collect();
        let mut searcher = Searcher {
            files: map,
            language: Language::Dutch,
            root: Root {
                language: String::new(),
                docs: 0,
                shards: Vec::new(),
                years: Vec::new(),
                ref_buckets: 0,
                letter_block: 1,
            },
            fetched: BTreeSet::new(),
            bytes: 0,
            shards: BTreeMap::new(),
            doc_blocks: BTreeMap::new(),
            rest_blocks: BTreeMap::new(),
        };
        let path = layout::ROOT;
        let bytes = searcher.fetch(path)?;
        searcher.root =
            serde_json::from_slice(&bytes).map_err(|_| SearchError::Damaged(path.into()))?;
        searcher.language = match searcher.root.language.as_str() {
            "en" => Language::English,
            _ => Language::Dutch,
        };
        Ok(searcher)
    }

    /// Bytes downloaded so far (compressed sizes, each file once), root file included.
    pub fn bytes_fetched(&self) -> usize {
        self.bytes
    }

    /// The files downloaded so far, by path.
    pub fn files_fetched(&self) -> impl Iterator<Item = &str> {
        self.fetched.iter().map(String::as_str)
    }

    /// Forgets what was fetched, as a fresh page load would (the root is fetched again on the
    /// next query).
    pub fn forget(&mut self) {
        self.fetched.clear();
        self.shards.clear();
        self.doc_blocks.clear();
        self.rest_blocks.clear();
        self.bytes = 0;
    }

    fn fetch(&mut self, path: &str) -> Result<Vec<u8>, SearchError> {
        let bytes = *self
            .files
            .get(path)
            .ok_or_else(|| SearchError::Missing(path.into()))?;
        if self.fetched.insert(path.to_string()) {
            self.bytes += bytes.len();
        }
        gunzip(bytes).ok_or_else(|| SearchError::Damaged(path.into()))
    }

    /// Runs a query.
    pub fn search(&mut self, query: &Query) -> Result<Results, SearchError> {
        if !self.fetched.contains(layout::ROOT) {
            self.fetch(layout::ROOT)?;
        }
        let pinned = self.pins(&query.text)?;
        let parsed = parse(&query.text, self.language, query.prefix);
        let mut groups = self.groups(&parsed)?;
        let filter = self.filter(&query.filters)?;
        let filter = match self.excluded(&parsed.excluded)? {
            None => filter,
            Some(out) => {
                let mut pass = filter.unwrap_or_else(|| vec![true; self.root.docs]);
                pass.iter_mut().zip(out).for_each(|(p, o)| *p &= !o);
                Some(pass)
            }
        };
        if groups.is_empty() && query.filters.is_empty() {
            return Ok(Results {
                pinned,
                ..Results::default()
            });
        }
        let page = query.page.max(1);
        let wanted = page * PAGE_SIZE;
        let (mut ranked, mut total, approximate) = if groups.is_empty() {
            let all = filtered_letters(filter.as_deref(), self.root.docs);
            (rank(all, query.sort), None, false)
        } else {
            let round = self.prove(&mut groups, filter.as_deref(), query.sort, wanted, &parsed)?;
            let (total, approximate) = count(
                &key_lists(&groups),
                filter.as_deref(),
                self.root.docs,
                &round,
            );
            (round.ranked, Some(total), approximate)
        };
        let mut docs = BTreeMap::new();
        let mut candidates = Vec::new();
        if !parsed.phrases.is_empty() {
            candidates = ranked.iter().map(|r| r.0).collect();
            let mut kept = Vec::new();
            for (id, score) in ranked {
                let doc = self.doc(id)?;
                let rest = if doc.cut {
                    self.rest(id)?
                } else {
                    String::new()
                };
                if contains_phrases(&doc, &rest, &parsed.phrases) {
                    kept.push((id, score));
                }
                docs.insert(id, doc);
            }
            ranked = kept;
            total = None;
        }
        let mut hits = Vec::new();
        for &(id, score) in ranked.iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE) {
            let doc = match docs.remove(&id) {
                Some(doc) => doc,
                None => self.doc(id)?,
            };
            hits.push(hit(id, score, doc, &groups, &parsed.phrases));
        }
        Ok(Results {
            total: total.unwrap_or(ranked.len()),
            approximate,
            hits,
            ids: ranked.iter().map(|r| r.0).collect(),
            candidates,
            pinned,
        })
    }

    /// Step 0: what the query names by reference, read from the buckets of its words.
    fn pins(&mut self, text: &str) -> Result<Vec<Pin>, SearchError> {
        let words = super::tokenize::terms(text);
        let buckets = self.root.ref_buckets;
        if buckets == 0 {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        let mut read = BTreeSet::new();
        for word in refs::lookups(&words) {
            let n = refs::bucket_of(word, buckets);
            if !read.insert(n) {
                continue;
            }
            let path = layout::bucket(n);
            let bytes = match self.fetch(&path) {
                Ok(bytes) => bytes,
                Err(SearchError::Missing(_)) => continue,
                Err(e) => return Err(e),
            };
            let entries = refs::decode_bucket(&bytes).ok_or(SearchError::Damaged(path))?;
            found.extend(entries.into_iter().filter(|e| refs::matches(e, &words)));
        }
        let mut pins = Vec::new();
        for target in refs::pin_order(found) {
            pins.push(match target {
                refs::Target::Letter(id) => {
                    let doc = self.doc(id)?;
                    Pin {
                        id: Some(id),
                        url: doc.url,
                        title: doc.title,
                    }
                }
                refs::Target::Page { url, name } => Pin {
                    id: None,
                    url,
                    title: name,
                },
            });
        }
        Ok(pins)
    }

    /// Ranks with what is fetched, fetching tail blocks until the first `wanted` places are
    /// proven ([`super::tiers`]); with phrases, every candidate is needed, so every tail.
    fn prove(
        &mut self,
        groups: &mut [Group],
        pass: Option<&[bool]>,
        sort: Sort,
        wanted: usize,
        parsed: &ParsedQuery,
    ) -> Result<Round, SearchError> {
        let docs = self.root.docs;
        if !parsed.phrases.is_empty() {
            let blocks = all_blocks(&key_lists(groups), pass, docs);
            self.fetch_blocks(groups, &blocks)?;
        }
        loop {
            let round = evaluate(&key_lists(groups), pass, docs, sort, wanted);
            if round.proven {
                return Ok(round);
            }
            let blocks = blocks_to_fetch(&key_lists(groups), pass, docs, sort, &round);
            if blocks.is_empty() {
                return Ok(round);
            }
            self.fetch_blocks(groups, &blocks)?;
        }
    }

    /// Fetches tail blocks into the keys' known postings.
    fn fetch_blocks(
        &mut self,
        groups: &mut [Group],
        blocks: &[BlockRef],
    ) -> Result<(), SearchError> {
        let docs = self.root.docs as u32;
        for &(g, k, t, b) in blocks {
            let Some(tail) = groups[g].keys[k].tail() else {
                continue;
            };
            let path = layout::tail_block(tail.shard, tail.key, t, b);
            let range = tail.tiers[t].range(b, docs);
            let bytes = self.fetch(&path)?;
            let postings = decode_block(&bytes, range).ok_or(SearchError::Damaged(path))?;
            groups[g].keys[k].add_block(t, b, &postings);
        }
        Ok(())
    }

    /// The rest of a cut letter's text, from its block of rests.
    fn rest(&mut self, id: u32) -> Result<String, SearchError> {
        let (block, place) = layout::block_of(id as usize, self.root.letter_block.max(1));
        if !self.rest_blocks.contains_key(&block) {
            let rests = self.block(&layout::rests(block))?;
            self.rest_blocks.insert(block, rests);
        }
        let path = || SearchError::Damaged(layout::rests(block));
        self.rest_blocks[&block]
            .get(place)
            .cloned()
            .ok_or_else(path)
    }

    /// Letter `id`'s record, from its block.
    fn doc(&mut self, id: u32) -> Result<DocFile, SearchError> {
        let (block, place) = layout::block_of(id as usize, self.root.letter_block.max(1));
        if !self.doc_blocks.contains_key(&block) {
            let records = self.block(&layout::docs(block))?;
            self.doc_blocks.insert(block, records);
        }
        let path = || SearchError::Damaged(layout::docs(block));
        self.doc_blocks[&block].get(place).cloned().ok_or_else(path)
    }

    /// A block file: a JSON array, one entry per letter of the block.
    fn block<T: serde::de::DeserializeOwned>(&mut self, path: &str) -> Result<Vec<T>, SearchError> {
        let bytes = self.fetch(path)?;
        serde_json::from_slice(&bytes).map_err(|_| SearchError::Damaged(path.into()))
    }

    fn groups(&mut self, parsed: &ParsedQuery) -> Result<Vec<Group>, SearchError> {
        let mut groups = Vec::with_capacity(parsed.words.len());
        for (word, alternatives) in parsed.words.iter().zip(&parsed.alternatives) {
            let prefix = parsed.prefix.as_ref().filter(|p| *p == word);
            let mut group = self.group(word, prefix.is_some())?;
            for alternative in alternatives {
                self.add_word_or_variants(alternative, &mut group)?;
            }
            groups.push(group);
        }
        Ok(groups)
    }

    /// The letters with an excluded word (all of each key's postings, tails too), or `None`
    /// when nothing is excluded.
    fn excluded(&mut self, words: &[String]) -> Result<Option<Vec<bool>>, SearchError> {
        if words.is_empty() {
            return Ok(None);
        }
        let docs = self.root.docs;
        let mut out = vec![false; docs];
        for word in words {
            let mut group = [self.group(word, false)?];
            let blocks = all_blocks(&key_lists(&group), None, docs);
            self.fetch_blocks(&mut group, &blocks)?;
            for id in group[0].keys.iter().flat_map(KeyState::known_ids) {
                if let Some(e) = out.get_mut(id as usize) {
                    *e = true;
                }
            }
        }
        Ok(Some(out))
    }

    /// Step 2 of the module documentation.
    fn group(&mut self, word: &str, prefix: bool) -> Result<Group, SearchError> {
        let mut group = Group::default();
        let home = self.add_word_or_variants(word, &mut group)?;
        if prefix {
            self.add_completions(home, word, &mut group)?;
            group.prefix = Some(word.to_string());
        }
        Ok(group)
    }

    /// Adds the keys of `word`, or of its spelling variants when the archive lacks it; returns
    /// the word's home shard.
    fn add_word_or_variants(
        &mut self,
        word: &str,
        group: &mut Group,
    ) -> Result<usize, SearchError> {
        let home = self.shard_index(word);
        if !self.add_word(home, word, group)? {
            let mut extra = BTreeSet::new();
            for variant in variants(self.language, word) {
                let n = self.shard_index(&variant);
                if n != home && !extra.contains(&n) {
                    if extra.len() >= MAX_VARIANT_SHARDS {
                        continue;
                    }
                    extra.insert(n);
                }
                self.add_word(n, &variant, group)?;
            }
        }
        Ok(home)
    }

    /// Adds `word`'s keys from shard `n` to `group`; false when the shard lacks the word.
    fn add_word(&mut self, n: usize, word: &str, group: &mut Group) -> Result<bool, SearchError> {
        let docs = self.root.docs as u32;
        let shard = self.shard(n)?;
        let Some(w) = shard.find(word) else {
            return Ok(false);
        };
        let keys = shard.words[w].keys.clone();
        for &k in &keys {
            let entry = decode_entry(&shard.keys[k], docs)
                .ok_or_else(|| SearchError::Damaged(layout::shard(n)))?;
            group.keys.push(KeyState::new(entry, docs as usize));
        }
        for other in &shard.words {
            if other.keys.iter().any(|k| keys.contains(k)) {
                group.words.insert(other.word.clone());
            }
        }
        Ok(true)
    }

    fn add_completions(
        &mut self,
        home: usize,
        prefix: &str,
        group: &mut Group,
    ) -> Result<(), SearchError> {
        let mut taken = 0;
        let last = (home + MAX_PREFIX_SHARDS).min(self.root.shards.len());
        for n in home..last {
            if n > home && !self.root.shards[n].starts_with(prefix) {
                break;
            }
            let completions: Vec<String> = self
                .shard(n)?
                .words
                .iter()
                .filter(|w| w.word.starts_with(prefix) && w.word != prefix)
                .map(|w| w.word.clone())
                .collect();
            for word in completions {
                if taken == MAX_EXPANSIONS {
                    return Ok(());
                }
                self.add_word(n, &word, group)?;
                taken += 1;
            }
        }
        Ok(())
    }

    /// The shard whose range holds `word`: the last shard whose first word is ≤ `word`.
    fn shard_index(&self, word: &str) -> usize {
        let firsts = &self.root.shards;
        firsts
            .partition_point(|first| first.as_str() <= word)
            .saturating_sub(1)
    }

    fn shard(&mut self, n: usize) -> Result<&Shard, SearchError> {
        if !self.shards.contains_key(&n) {
            let path = layout::shard(n);
            let bytes = self.fetch(&path)?;
            let shard = decode_shard(&bytes).ok_or(SearchError::Damaged(path))?;
            self.shards.insert(n, shard);
        }
        self.shards
            .get(&n)
            .ok_or_else(|| SearchError::Missing(layout::shard(n)))
    }

    /// The letters passing the filters, or `None` when nothing is filtered.
    fn filter(&mut self, filters: &Filters) -> Result<Option<Vec<bool>>, SearchError> {
        if filters.is_empty() {
            return Ok(None);
        }
        let n = self.root.docs;
        let mut pass = vec![true; n];
        for (facet, values) in filters.facets() {
            if values.is_empty() {
                continue;
            }
            let mut any = vec![false; n];
            for value in values {
                for id in self.facet_ids(facet, value)? {
                    any[id as usize] = true;
                }
            }
            and_into(&mut pass, &any);
        }
        if !filters.year.is_empty() {
            let mut any = vec![false; n];
            for r in &self.root.years {
                if filters.year.iter().any(|&y| i64::from(y) == r[0]) {
                    let (start, end) = (r[1].max(0) as usize, (r[2].max(0) as usize).min(n));
                    any[start.min(end)..end].iter_mut().for_each(|b| *b = true);
                }
            }
            and_into(&mut pass, &any);
        }
        if filters.date_from.is_some() || filters.date_to.is_some() {
            let (start, end) = self.date_range(filters.date_from, filters.date_to)?;
            for (id, p) in pass.iter_mut().enumerate() {
                *p &= id >= start && id < end;
            }
        }
        Ok(Some(pass))
    }

    fn facet_ids(&mut self, facet: &str, value: &str) -> Result<Vec<u32>, SearchError> {
        let path = layout::facet(facet, value);
        let bytes = match self.fetch(&path) {
            Ok(bytes) => bytes,
            Err(SearchError::Missing(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        decode_letter_set(&bytes, self.root.docs).ok_or(SearchError::Damaged(path))
    }

    /// The id range `[start, end)` of letters dated between `from` and `to` (inclusive).
    fn date_range(
        &mut self,
        from: Option<i32>,
        to: Option<i32>,
    ) -> Result<(usize, usize), SearchError> {
        let path = layout::DATES;
        let bytes = self.fetch(path)?;
        let dates = decode_dates(&bytes).ok_or_else(|| SearchError::Damaged(path.into()))?;
        let first_at_or_after = |date: i64| {
            dates
                .iter()
                .find(|d| d.0 >= date)
                .map_or(self.root.docs, |d| d.1)
        };
        let start = from.map_or(0, |d| first_at_or_after(i64::from(d)));
        let end = to.map_or(self.root.docs, |d| first_at_or_after(i64::from(d) + 1));
        Ok((start, end.max(start)))
    }
}

fn and_into(pass: &mut [bool], other: &[bool]) {
    pass.iter_mut().zip(other).for_each(|(p, o)| *p &= o);
}

/// Decodes `search/dates.bin`: `(sort date, first id)` pairs.
fn decode_dates(bytes: &[u8]) -> Option<Vec<(i64, usize)>> {
    let mut r = Reader::new(bytes);
    let n = r.length(r.remaining())?;
    let mut out = Vec::with_capacity(n);
    let (mut date, mut id) = (0i64, 0u64);
    for _ in 0..n {
        let z = r.varint()?;
        date += ((z >> 1) as i64) ^ -((z & 1) as i64);
        id = id.checked_add(r.varint()?)?;
        out.push((date, usize::try_from(id).ok()?));
    }
    Some(out)
}

/// Decodes a facet value's letter set (see `build::encode_letter_set`).
pub fn decode_letter_set(bytes: &[u8], docs: usize) -> Option<Vec<u32>> {
    match bytes.split_first()? {
        (0, rest) => read_id_list(&mut Reader::new(rest), docs as u32),
        (1, bits) => Some(
            (0..docs.min(bits.len() * 8))
                .filter(|&i| bits[i / 8] & (1 << (i % 8)) != 0)
                .map(|i| i as u32)
                .collect(),
        ),
        _ => None,
    }
}

/// The keys of each query word, as [`super::tiers`] takes them.
fn key_lists(groups: &[Group]) -> Vec<&[KeyState]> {
    groups.iter().map(|g| g.keys.as_slice()).collect()
}

/// Every letter passing the filter (a query of filters only), score 0.
fn filtered_letters(pass: Option<&[bool]>, docs: usize) -> Vec<(u32, f64)> {
    (0..docs as u32)
        .filter(|&id| pass.is_none_or(|p| p.get(id as usize).copied().unwrap_or(false)))
        .map(|id| (id, 0.0))
        .collect()
}

/// Owned tokens of a text.
fn tokens(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push((t.start, t.end, t.term.to_string())));
    out
}

/// Start indexes in `tokens` where `phrase` occurs.
fn phrase_starts(tokens: &[(usize, usize, String)], phrase: &[String]) -> Vec<usize> {
    if phrase.is_empty() || tokens.len() < phrase.len() {
        return Vec::new();
    }
    (0..=tokens.len() - phrase.len())
        .filter(|&i| {
            phrase
                .iter()
                .enumerate()
                .all(|(j, w)| tokens[i + j].2 == *w)
        })
        .collect()
}

/// True when the letter's title or whole text (its letter file's text, then `rest` of a cut
/// letter) contains every phrase.
fn contains_phrases(doc: &DocFile, rest: &str, phrases: &[Vec<String>]) -> bool {
    let title = tokens(&doc.title);
    let text = tokens(&format!("{}{rest}", doc.text));
    phrases
        .iter()
        .all(|p| !phrase_starts(&title, p).is_empty() || !phrase_starts(&text, p).is_empty())
}

fn hit(id: u32, score: f64, doc: DocFile, groups: &[Group], phrases: &[Vec<String>]) -> Hit {
    let excerpt = excerpt(&doc.text, groups, phrases);
    Hit {
        id,
        score,
        url: doc.url,
        title: doc.title,
        dossier: doc.dossier,
        letter: doc.letter,
        date_display: doc.date_display,
        from: doc.from,
        to: doc.to,
        excerpt,
    }
}

/// True when `tail` may be indexed as a compound tail of `word` ([`super::compound`]): the
/// excerpt marks `noodopvanglocaties` for a search of `opvanglocatie`.
fn is_tail_of(tail: &str, word: &str) -> bool {
    tail.chars().count() >= MIN_TAIL && word.len() > tail.len() && word.ends_with(tail)
}

/// Which tokens of a text are hits: words of the query's groups, completions of its prefix,
/// compounds ending in one of its words, and every word of a phrase occurrence.
fn hit_flags(
    tokens: &[(usize, usize, String)],
    groups: &[Group],
    phrases: &[Vec<String>],
) -> Vec<bool> {
    let mut flags: Vec<bool> = tokens
        .iter()
        .map(|(_, _, term)| {
            groups.iter().any(|g| {
                g.words.contains(term)
                    || g.prefix
                        .as_ref()
                        .is_some_and(|p| term.starts_with(p.as_str()))
                    || g.words.iter().any(|w| is_tail_of(w, term))
            })
        })
        .collect();
    for p in phrases {
        for start in phrase_starts(tokens, p) {
            flags[start..start + p.len()]
                .iter_mut()
                .for_each(|f| *f = true);
        }
    }
    flags
}

/// The excerpt: the window of [`EXCERPT_WORDS`] words with the most hits (the first such
/// window), started [`EXCERPT_LEAD`] words before its first hit, with the hits marked.
pub fn excerpt_window(flags: &[bool]) -> (usize, usize) {
    let n = flags.len();
    let w = EXCERPT_WORDS.min(n);
    let mut best = (0usize, 0usize);
    let mut count = flags[..w].iter().filter(|&&f| f).count();
    best.1 = count;
    for s in 1..=n - w {
        count = count + usize::from(flags[s + w - 1]) - usize::from(flags[s - 1]);
        if count > best.1 {
            best = (s, count);
        }
    }
    let first_hit = (best.0..best.0 + w).find(|&i| flags[i]).unwrap_or(best.0);
    let start = first_hit.saturating_sub(EXCERPT_LEAD).min(n - w);
    (start, start + w)
}

fn excerpt(text: &str, groups: &[Group], phrases: &[Vec<String>]) -> Vec<Fragment> {
    let tokens = tokens(text);
    if tokens.is_empty() {
        return Vec::new();
    }
    let flags = hit_flags(&tokens, groups, phrases);
    let (start, end) = excerpt_window(&flags);
    let mut fragments = Vec::new();
    let mut at = tokens[start].0;
    if start > 0 {
        fragments.push(Fragment {
            text: "… ".into(),
            hit: false,
        });
    }
    for i in start..end {
        if flags[i] {
            let (s, e, _) = &tokens[i];
            if *s > at {
                fragments.push(Fragment {
                    text: text[at..*s].to_string(),
                    hit: false,
                });
            }
            fragments.push(Fragment {
                text: text[*s..*e].to_string(),
                hit: true,
            });
            at = *e;
        }
    }
    let stop = tokens[end - 1].1;
    if stop > at {
        fragments.push(Fragment {
            text: text[at..stop].to_string(),
            hit: false,
        });
    }
    if end < tokens.len() {
        fragments.push(Fragment {
            text: " …".into(),
            hit: false,
        });
    }
    fragments
}
