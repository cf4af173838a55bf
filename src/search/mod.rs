//! The full-text search index (issue 3): a static index that any static host can serve, under
//! any URL sub-path, read by `themes/default/static/search.js`.
//!
//! # Design
//!
//! **Letter ids follow the date.** Letters are numbered by `sort_date` (then the caller's
//! order). Sorting results by date is sorting ids, a year or a date range is an id range, and a
//! growing archive mostly appends ids, so existing letter blocks keep their contents.
//!
//! **The browser folds, it never stems.** Shards are keyed by the *folded surface word* (as the
//! reader types it, see [`tokenize`]); each word in a shard lists its stem *keys* and the shard
//! carries those keys' postings ([`shard`]). So the browser only needs the tokenizer (twenty
//! lines, mirrored exactly in `search.js`), not two Dutch stemmers and an English one: smaller
//! and exactly the index's own stemming. The cost is that a word the archive never uses has no
//! entry: for that case the client tries a few spelling variants (`huizen` → `huis`,
//! [`stem::variants`]) and uses those the archive has. Surface keying also makes *prefix
//! search* cheap: shards are ranges of the sorted vocabulary, so the completions of the word
//! being typed lie in one shard (or its neighbour).
//!
//! **Postings are grouped by impact.** A key's letters are stored in one id list per quantised
//! BM25 weight (8 levels), plus a list of letters whose title has the key ([`shard`]). The
//! weight is computed at build time with the letter's length, so the browser needs no length
//! table; ids are delta-coded varints, and everything is gzipped.
//!
//! **Common words are tiered, so a query's bytes stay bounded as the archive grows.** A key
//! with more postings than [`IndexOptions::tier_threshold`] keeps only a *head* in its shard:
//! its [`IndexOptions::head_postings`] best postings for the key alone (title and level
//! first, then newest), with the exact df (so idf and counts stay exact) and a directory of
//! its *tail*. The tail is the rest in the same order, cut into tiers that grow fourfold, each
//! tier stored as id-ordered block files of [`IndexOptions::block_postings`] postings
//! ([`shard`]). A tier's best posting bounds every later posting, so the evaluator knows, for
//! any letter, its exact score or a ceiling; [`tiers`] ranks with what is fetched and fetches
//! more only while the page asked for is not *proven* (every letter not known exactly ranks
//! below the page's last letter). Relevance reads tiers best first; newest/oldest reads each
//! tier's blocks from that end (ids follow the date); a filter skips blocks holding no letter
//! it allows; a phrase, which must check every candidate, reads every block. The page is then
//! always the one the full postings give (a test compares both on many queries). The total is
//! exact when everything was read or for a single unfiltered key (its df); otherwise the
//! browser shows "about N", an estimate as if the words were independent, kept between the
//! letters known to match and the smallest word (or filter). At 100,000 letters a head is at
//! most 3.7 KB before gzip where a common word's full postings were 80 KB gzipped, and since
//! shards hold heads, they are sized from the index (`build::shard_target_bytes`).
//!
//! **Phrases are checked against the whole letter text.** No positions are stored: a quoted
//! phrase is first an AND of its words (like any query), then each candidate letter's text
//! (title and body) is tokenized and searched for the exact word sequence. Quoting one word
//! thus means "this exact word, not its stem". The text is the letter file's (its first
//! [`build::MAX_TEXT_BYTES`]) followed, for a longer letter, by the rest of it from its block
//! of rests (`search/x/`, [`layout::rests`]), which only a phrase query reads. The Rust
//! oracle ([`oracle`]) checks every candidate; the browser checks candidates in rank order
//! until a page is full, and shows the count as "at most N" until all were checked. Stop words
//! are never indexed (they would be the biggest posting lists) but still count inside a quoted
//! phrase.
//!
//! **References are looked up apart.** A query that is a letter id, a kenmerk, a citation or
//! a correspondent's name names one thing; ranking words cannot put that thing first (the
//! letters that *cite* B outrank B). [`refs`] files every such form under a hash of one of its
//! words, and the query reads the few buckets of its own words and shows what they name first.
//!
//! **Filters are letter sets fetched per value.** Each facet value (dossier, sender, recipient,
//! tag, kind, reply status) has a letter list or bitmap, whichever is smaller; year and date
//! filters are id ranges from the root file and `dates.bin`.
//!
//! # Files (all paths relative to the site root, all gzip with a fixed header)
//!
//! [`layout`] spells every path below; writer, oracle and `search.js` use its names.
//!
//! | path | read | content |
//! | --- | --- | --- |
//! | `search/index.bin` | every query | JSON: letter count, stop words, first word of each shard, id range of each year, reference bucket count, letters per block |
//! | `search/t/<n>.bin` | per query word | a shard, see [`shard`] |
//! | `search/p/<n>/<key>-<tier>-<block>.bin` | when a page is not proven from heads | a block of a tiered key's tail: postings of one tier in one id range ([`shard`]) |
//! | `search/f/<facet>/<value>.bin` | per filter value | tag byte 0 + id list, or 1 + bitmap ([`build::encode_letter_set`]); value escaped by [`codec::escape_value`], a long one cut and hashed to at most [`codec::MAX_VALUE_NAME`] bytes |
//! | `search/dates.bin` | date range filters | distinct sort dates and their first letter id |
//! | `search/r/<n>.bin` | per query word (at most [`refs::MAX_LOOKUPS`]) | JSON: reference forms (letter ids, kenmerken, names) filed by a hash of their key word ([`refs`]) |
//! | `search/d/<id/B>.bin` | per block holding a result shown | JSON array, one record per letter of the block (B = `letterBlock` of the root, [`layout::LETTER_BLOCK`]): url, title, dossier, letter, dates, names, kind, status, status in words and days (`statusText`, `daysToReply`, `daysLate`, `daysLeft`), text (first [`build::MAX_TEXT_BYTES`]), `cut` |
//! | `search/x/<id/B>.bin` | per block holding a phrase candidate that is `cut` | JSON array of strings, one per letter of the block: the rest of its text (empty when not `cut`); written only for blocks with a `cut` letter |
//!
//! **Letters come in blocks.** A file per letter made 118,000 files at 100,000 letters. Records
//! and rests of B consecutive letters share a file, which the browser fetches once and keeps.
//! A page's results are seldom far apart: ids follow the date and equal scores go to the newer
//! letter, so a common word's first page lies in a few blocks at the newest end.
//!
//! The browser recognises gzip by its magic bytes and decompresses with
//! `DecompressionStream('gzip')`; a host that already decoded the file (because it served it
//! with `Content-Encoding: gzip`) is handled too.
//!
//! # Ranking
//!
//! Score = Σ over query words of the word's best key score, where a key scores
//! `idf(key) × weight(level)` plus 1000 when the letter's title has the key, so a letter whose
//! title matches ranks first. Ties go to the newer letter. Scores are summed in query-word
//! order (the same float operations in Rust and in the browser, and in a bound).

pub mod build;
pub mod codec;
pub mod compound;
pub mod layout;
pub mod oracle;
pub mod refs;
pub mod shard;
pub mod stem;
pub mod tiers;
pub mod tokenize;

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod tests;

/// One letter as the search index sees it. Built by the renderer from the archive.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SearchDoc {
    /// Relative to the site root, no leading slash: `dossiers/36521/d/`.
    pub url: String,
    /// The letter's title.
    pub title: String,
    /// `36521` or `31700 VI`.
    pub dossier: String,
    /// The letter id in its dossier: `D`.
    pub letter: String,
    /// ISO as written: `2025-12-16`, or partial `1877-02`, `1855`.
    pub date: String,
    /// Localized: `16 december 2025`.
    pub date_display: String,
    /// `yyyymmdd`; partial dates sort at the start of their period.
    pub sort_date: i32,
    /// The year of the letter.
    pub year: i32,
    /// Senders.
    pub from: Vec<SearchParty>,
    /// Recipients.
    pub to: Vec<SearchParty>,
    /// `letter` | `question` | `answer` | `postponement` | `reminder` | `report`.
    pub kind: String,
    /// Tags: slug and display name.
    pub tags: Vec<SearchParty>,
    /// `answered` | `awaiting` | `overdue`, or none.
    pub status: Option<String>,
    /// The status in days, for result rows.
    pub reply: ReplyTiming,
    /// Plain text of the body (markup stripped by the caller).
    pub text: String,
    /// The letter's reference number (`180133.01U`), found first by [`refs`].
    pub kenmerk: Option<String>,
}

/// A request's status in words and days ("Antwoord 77 dagen te laat"), as of the build date.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReplyTiming {
    pub text: Option<String>,
    pub days_to_reply: Option<i64>,
    pub days_late: Option<i64>,
    pub days_left: Option<i64>,
}

/// A correspondent or tag: its slug (used in URLs and filters) and display name.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SearchParty {
    /// URL-safe identifier.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Its page, relative to the site root (`correspondents/lagas/`); a correspondent's name
    /// finds this page first ([`refs`]).
    pub url: String,
}

/// The language of the archive: chooses stemmer and stop words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Dutch (`nl`).
    Dutch,
    /// English (`en`).
    English,
}

impl From<crate::config::Language> for Language {
    /// The site's language decides the index's.
    fn from(site: crate::config::Language) -> Language {
        match site {
            crate::config::Language::Nl => Language::Dutch,
            crate::config::Language::En => Language::English,
        }
    }
}

/// A file of the index, path relative to the site root (e.g. `search/t/3.bin`), bytes
/// deterministic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// How postings are tiered (see *Tiered postings* above).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// A key with more postings than this is tiered.
    pub tier_threshold: usize,
    /// Postings kept in a tiered key's head.
    pub head_postings: usize,
    /// Tail postings per block file.
    pub block_postings: usize,
    /// Letters per block of letter records and of long texts' rests ([`layout::LETTER_BLOCK`]).
    pub letter_block: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            tier_threshold: 2000,
            head_postings: 1000,
            block_postings: 2000,
            letter_block: layout::LETTER_BLOCK,
        }
    }
}

/// Builds the whole index. Deterministic: the same docs give byte-identical files (gzip
/// headers carry no time stamp, and nothing depends on hash-map iteration order).
pub fn build_index(docs: &[SearchDoc], language: Language) -> Vec<IndexFile> {
    build_index_with(docs, language, &IndexOptions::default())
}

/// [`build_index`] with explicit tiering (tests force tiny thresholds).
pub fn build_index_with(
    docs: &[SearchDoc],
    language: Language,
    options: &IndexOptions,
) -> Vec<IndexFile> {
    build::build(docs, language, options)
}
