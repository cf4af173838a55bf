//! Building the index files from the letters: analysis, postings, shards, facets, letter files.

use super::codec::{Gzipper, gzip, put_id_list, put_varint};
use super::compound::Compounds;
use super::layout;
use super::shard::{
    LEVELS, Postings, TIER_GROWTH, Tail, Tier, class, encode_full_entry, encode_postings,
    encode_shard, encode_tiered_entry, impact_level,
};
use super::stem::{KeyMaker, is_stop_word, stop_words};
use super::tokenize::{MAX_TERM_CHARS, for_each_token};
use super::{IndexFile, IndexOptions, Language, SearchDoc};
use crate::hash::FastMap;
use rayon::prelude::*;
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Letters analysed in parallel per batch; batches are merged in order, which bounds memory.
const BATCH: usize = 2048;
/// Letters per parallel work item inside a batch.
const CHUNK: usize = 128;
/// Letter text kept for excerpts and phrase checks, in bytes (cut on a character boundary).
///
/// The letter records are fetched for every result shown: the full text of 100,000 synthetic
/// letters (5 KB each) gzipped to 230 MB. The first 2,500 bytes (about 350 words, a page) give
/// an excerpt for most hits; a hit further on gets the letter's opening as excerpt. The rest of
/// a longer letter goes to a block of rests ([`layout::rests`]), read only to verify a phrase.
pub const MAX_TEXT_BYTES: usize = 2500;
/// Gzip level of letter blocks, which are most of the index's bytes and build time. With the
/// zlib-rs backend level 6 took about 0.1 ms per letter; level 1 was twice as fast but 40%
/// larger (measured with `examples/search_scale.rs`).
const DOC_GZIP_LEVEL: u32 = 6;
/// Gzip level of shards, facet lists and the root (level 9 was 2% smaller and much slower).
const INDEX_GZIP_LEVEL: u32 = 6;
/// Ceiling for a single term frequency (keeps postings to one varint byte mostly).
const MAX_TF: u32 = 1 << 20;

/// The folded words of the archive with their postings, in merge order.
struct Vocabulary {
    ids: FastMap<String, u32>,
    words: Vec<String>,
    /// Per word: `varint(doc gap)`, `varint(tf << 1 | in_title)` for each letter, ascending.
    postings: Vec<WordPostings>,
    /// Indexed words per letter (stop words excluded), by letter id.
    lengths: Vec<u32>,
}

#[derive(Default)]
struct WordPostings {
    last: u32,
    count: u32,
    bytes: Vec<u8>,
}

/// One letter after analysis: word counts, local to its chunk.
struct DocTerms {
    terms: Vec<(u32, u32, bool)>,
    length: u32,
}

/// A chunk of analysed letters with its own small vocabulary.
struct ChunkTerms {
    words: Vec<String>,
    /// Per local word: a stop word (never indexed).
    stop: Vec<bool>,
    docs: Vec<DocTerms>,
}

/// Builds every file of the index. See the module documentation of `search` for the format.
pub fn build(docs: &[SearchDoc], language: Language, options: &IndexOptions) -> Vec<IndexFile> {
    let order = date_order(docs);
    let mut vocabulary = analyse(docs, &order, language);
    if language == Language::Dutch {
        add_compound_tails(&mut vocabulary, &Compounds::dutch());
    }
    let keys = KeyTable::new(&vocabulary, language);
    let mut parts = encode_keys(&vocabulary, &keys, options);
    let total = parts.iter().map(KeyParts::entry_len).sum::<usize>()
        + vocabulary.words.iter().map(|w| w.len() + 3).sum::<usize>();
    let target = shard_target_bytes(total);
    let shards = partition(&vocabulary, &keys, &parts, target);
    let shard_keys = keys_of_shards(&keys, &shards);
    let mut files = tail_files(&mut parts, &shard_keys);
    files.extend(write_shards(
        &vocabulary,
        &keys,
        &parts,
        &shards,
        &shard_keys,
    ));
    let (ref_files, ref_buckets) = super::refs::files(docs, &order, INDEX_GZIP_LEVEL);
    files.extend(ref_files);
    files.push(root_file(
        docs,
        &order,
        &vocabulary,
        &shards,
        language,
        ref_buckets,
        options.letter_block.max(1),
    ));
    files.push(dates_file(docs, &order));
    files.extend(facet_files(docs, &order));
    files.extend(letter_blocks(docs, &order, options.letter_block.max(1)));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Letter ids follow the date (then the caller's order): sorting by date is then sorting by
/// id, a date range is an id range, and a growing archive mostly appends ids, so most letter
/// files keep their names from one build to the next.
fn date_order(docs: &[SearchDoc]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (docs[i].sort_date, i));
    order
}

/// Tokenizes every letter (in parallel) and merges the postings in letter-id order.
fn analyse(docs: &[SearchDoc], order: &[usize], language: Language) -> Vocabulary {
    let mut vocabulary = Vocabulary {
        ids: FastMap::default(),
        words: Vec::new(),
        postings: Vec::new(),
        lengths: Vec::with_capacity(docs.len()),
    };
    for batch in order.chunks(BATCH) {
        let chunks: Vec<ChunkTerms> = batch
            .par_chunks(CHUNK)
            .map(|chunk| analyse_chunk(docs, chunk, language))
            .collect();
        for chunk in chunks {
            merge_chunk(&mut vocabulary, chunk);
        }
    }
    vocabulary
}

fn analyse_chunk(docs: &[SearchDoc], chunk: &[usize], language: Language) -> ChunkTerms {
    let mut local = LocalWords::new(language);
    let mut out = Vec::with_capacity(chunk.len());
    for &i in chunk {
        let mut length = 0u32;
        for (n, field) in searchable_fields(&docs[i]).into_iter().enumerate() {
            // The title is field 0.
            for_each_token(field, |t| {
                if local.count(t.term, n == 0) {
                    length = length.saturating_add(1);
                }
            });
        }
        out.push(DocTerms {
            terms: local.take_letter(),
            length,
        });
    }
    ChunkTerms {
        words: local.words,
        stop: local.stop,
        docs: out,
    }
}

/// The words of one chunk of letters, and the counts of the letter being read. Counting in a
/// vector indexed by local word id (not a map per letter) keeps the hot loop cheap.
struct LocalWords {
    language: Language,
    ids: FastMap<String, u32>,
    words: Vec<String>,
    /// Per local word: stop word?
    stop: Vec<bool>,
    /// Per local word: (count in the current letter, in its title).
    counts: Vec<(u32, bool)>,
    /// Local words seen in the current letter.
    touched: Vec<u32>,
}

impl LocalWords {
    fn new(language: Language) -> Self {
        LocalWords {
            language,
            ids: FastMap::default(),
            words: Vec::new(),
            stop: Vec::new(),
            counts: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// Counts one occurrence; false for a stop word (not indexed).
    fn count(&mut self, term: &str, title: bool) -> bool {
        let id = match self.ids.get(term) {
            Some(&id) => id as usize,
            None => {
                let id = self.words.len();
                self.ids.insert(term.to_string(), id as u32);
                self.words.push(term.to_string());
                self.stop.push(is_stop_word(self.language, term));
                self.counts.push((0, false));
                id
            }
        };
        if self.stop[id] {
            return false;
        }
        let entry = &mut self.counts[id];
        if entry.0 == 0 {
            self.touched.push(id as u32);
        }
        entry.0 = (entry.0 + 1).min(MAX_TF);
        entry.1 |= title;
        true
    }

    /// The counts of the letter just read, sorted by local word id; resets for the next.
    fn take_letter(&mut self) -> Vec<(u32, u32, bool)> {
        let mut terms: Vec<(u32, u32, bool)> = self
            .touched
            .drain(..)
            .map(|id| {
                let (tf, title) = std::mem::take(&mut self.counts[id as usize]);
                (id, tf, title)
            })
            .collect();
        terms.sort_unstable();
        terms
    }
}

/// The text fields a letter is found by: title, body, and the names around it (so
/// `36521` or a correspondent's name finds the letter too).
fn searchable_fields(doc: &SearchDoc) -> Vec<&str> {
    let mut fields = vec![doc.title.as_str(), doc.text.as_str(), doc.dossier.as_str()];
    fields.push(doc.letter.as_str());
    fields.extend(doc.from.iter().map(|p| p.name.as_str()));
    fields.extend(doc.to.iter().map(|p| p.name.as_str()));
    fields.extend(doc.tags.iter().map(|p| p.name.as_str()));
    fields
}

fn merge_chunk(vocabulary: &mut Vocabulary, chunk: ChunkTerms) {
    // Stop words never reach a letter's counts, so their slot is never read.
    let global: Vec<u32> = chunk
        .words
        .into_iter()
        .zip(chunk.stop)
        .map(|(w, stop)| if stop { u32::MAX } else { vocabulary.intern(w) })
        .collect();
    for doc in chunk.docs {
        let id = vocabulary.lengths.len() as u32;
        vocabulary.lengths.push(doc.length);
        for (local, tf, title) in doc.terms {
            vocabulary.postings[global[local as usize] as usize].push(id, tf, title);
        }
    }
}

/// Indexes every compound's tails with the compound's postings (see [`super::compound`]): a
/// letter with `noodopvanglocaties` also has `opvanglocaties` and `locaties`, as often. The
/// tails of each word are found once, in parallel; then each tail's postings are merged with
/// those of its compounds (a letter with both words counts them together).
fn add_compound_tails(vocabulary: &mut Vocabulary, compounds: &Compounds) {
    let tails: Vec<(u32, Vec<String>)> = vocabulary
        .words
        .par_iter()
        .enumerate()
        .map(|(w, word)| (w as u32, compounds.tails(word)))
        .filter(|(_, tails)| !tails.is_empty())
        .collect();
    let mut sources: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (w, tails) in tails {
        for tail in tails {
            let t = vocabulary.intern(tail);
            sources.entry(t).or_default().push(w);
        }
    }
    for (t, words) in sources {
        let mut merged = Vec::new();
        decode_word_postings(&vocabulary.postings[t as usize].bytes, &mut merged);
        for w in words {
            decode_word_postings(&vocabulary.postings[w as usize].bytes, &mut merged);
        }
        merged.sort_unstable_by_key(|p| p.0);
        vocabulary.postings[t as usize] = encode_word_postings(&combine_same_letter(merged));
    }
}

/// The inverse of [`decode_word_postings`] for postings sorted by letter id.
fn encode_word_postings(postings: &[(u32, u32, bool)]) -> WordPostings {
    let mut out = WordPostings::default();
    for &(doc, tf, title) in postings {
        out.push(doc, tf.min(MAX_TF), title);
    }
    out
}

impl WordPostings {
    /// Appends letter `doc` (above every letter so far) with its count and title flag.
    fn push(&mut self, doc: u32, tf: u32, title: bool) {
        let gap = if self.count == 0 {
            doc
        } else {
            doc - self.last
        };
        put_varint(&mut self.bytes, u64::from(gap));
        put_varint(&mut self.bytes, u64::from(tf) << 1 | u64::from(title));
        self.last = doc;
        self.count += 1;
    }
}

impl Vocabulary {
    fn intern(&mut self, word: String) -> u32 {
        if let Some(&id) = self.ids.get(&word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(word.clone(), id);
        self.words.push(word);
        self.postings.push(WordPostings::default());
        id
    }

    fn average_length(&self) -> f64 {
        let total: u64 = self.lengths.iter().map(|&l| u64::from(l)).sum();
        total as f64 / self.lengths.len().max(1) as f64
    }
}

/// The keys of every word, and the words of every key.
struct KeyTable {
    /// `of_word[w]`: key ids of word `w`.
    of_word: Vec<Vec<u32>>,
    /// `words_of[k]`: word ids with key `k`.
    words_of: Vec<Vec<u32>>,
}

impl KeyTable {
    fn new(vocabulary: &Vocabulary, language: Language) -> Self {
        let stemmed: Vec<Vec<String>> = vocabulary
            .words
            .par_iter()
            .map_init(|| KeyMaker::new(language), |maker, w| maker.keys(w))
            .collect();
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut words_of: Vec<Vec<u32>> = Vec::new();
        let mut of_word = Vec::with_capacity(stemmed.len());
        for (w, keys) in stemmed.into_iter().enumerate() {
            let mut mine = Vec::with_capacity(keys.len());
            for key in keys {
                let next = words_of.len() as u32;
                let k = *ids.entry(key).or_insert(next);
                if k == next {
                    words_of.push(Vec::new());
                }
                words_of[k as usize].push(w as u32);
                mine.push(k);
            }
            of_word.push(mine);
        }
        KeyTable { of_word, words_of }.into_classes()
    }

    /// Merges words that share a key into one class with one posting list (connected
    /// components over shared keys). With two stemmers a word has up to three keys whose
    /// posting lists are nearly the same letters (`minister` has the Porter key `minister` and
    /// the Snowball 3 key `mini`); storing each doubled the index and the bytes a common word
    /// costs. A class is capped at [`MAX_CLASS_WORDS`] words so that a chain of
    /// stems cannot merge unrelated words wholesale; keys are merged in order of first use.
    fn into_classes(self) -> KeyTable {
        let n = self.of_word.len();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        let mut size = vec![1usize; n];
        for words in &self.words_of {
            for pair in words.windows(2) {
                let (a, b) = (find(&mut parent, pair[0]), find(&mut parent, pair[1]));
                if a != b && size[a as usize] + size[b as usize] <= MAX_CLASS_WORDS {
                    let (big, small) = if size[a as usize] >= size[b as usize] {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    parent[small as usize] = big;
                    size[big as usize] += size[small as usize];
                }
            }
        }
        let mut class_of_root: HashMap<u32, u32> = HashMap::new();
        let mut words_of: Vec<Vec<u32>> = Vec::new();
        let mut of_word = Vec::with_capacity(n);
        for w in 0..n as u32 {
            let root = find(&mut parent, w);
            let next = words_of.len() as u32;
            let class = *class_of_root.entry(root).or_insert(next);
            if class == next {
                words_of.push(Vec::new());
            }
            words_of[class as usize].push(w);
            of_word.push(vec![class]);
        }
        KeyTable { of_word, words_of }
    }
}

/// Most words in one class (see [`KeyTable::into_classes`]).
const MAX_CLASS_WORDS: usize = 24;

/// Union-find root of `x`, halving paths on the way.
fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let grand = parent[parent[x as usize] as usize];
        parent[x as usize] = grand;
        x = grand;
    }
    x
}

/// A key's postings as shards and block files store them.
struct KeyParts {
    /// All postings, or the head of a tiered key (a posting blob).
    blob: Vec<u8>,
    /// A tiered key's tail (its `shard` and `key` are set when shards are written) and the
    /// gzipped block files of each tier.
    tail: Option<(Tail, Vec<Vec<Vec<u8>>>)>,
}

impl KeyParts {
    /// Bytes of the key's entry in a shard, about (for partitioning).
    fn entry_len(&self) -> usize {
        let tail = self.tail.as_ref().map_or(0, |(t, _)| {
            8 + t
                .tiers
                .iter()
                .map(|t| 6 + 2 * t.starts.len())
                .sum::<usize>()
        });
        self.blob.len() + 1 + tail
    }
}

/// The postings of every key (in parallel), tiered where they are many.
fn encode_keys(vocabulary: &Vocabulary, keys: &KeyTable, options: &IndexOptions) -> Vec<KeyParts> {
    let avg = vocabulary.average_length();
    keys.words_of
        .par_iter()
        .map(|words| key_parts(key_classes(vocabulary, words, avg), options))
        .collect()
}

/// Splits a key's postings (`(id, class)`, by id) into a head and tiers of blocks when there
/// are more than the tier threshold (see `shard` for the layout).
fn key_parts(mut classes: Vec<(u32, u8)>, options: &IndexOptions) -> KeyParts {
    let head_size = options.head_postings.max(1);
    if classes.len() <= options.tier_threshold.max(head_size) {
        return KeyParts {
            blob: encode_postings(&postings_of(&classes)),
            tail: None,
        };
    }
    let df = classes.len();
    // Rank order for the key alone: best class first, then newest.
    classes.sort_unstable_by_key(|&(id, c)| std::cmp::Reverse((c, id)));
    let (head, mut rest) = classes.split_at(head_size);
    let mut tail = Tail {
        df,
        ..Tail::default()
    };
    let mut files = Vec::new();
    let mut size = head_size * TIER_GROWTH;
    while !rest.is_empty() {
        let (tier, after) = rest.split_at(size.min(rest.len()));
        let (info, blocks) = tier_parts(tier, options.block_postings.max(1));
        tail.tiers.push(info);
        files.push(blocks);
        rest = after;
        size = size.saturating_mul(TIER_GROWTH);
    }
    KeyParts {
        blob: encode_postings(&postings_of(&by_id(head))),
        tail: Some((tail, files)),
    }
}

/// A tier from its postings in rank order: its best posting, and its id blocks gzipped.
fn tier_parts(ranked: &[(u32, u8)], block: usize) -> (Tier, Vec<Vec<u8>>) {
    let top = ranked[0];
    let sorted = by_id(ranked);
    let chunks: Vec<&[(u32, u8)]> = sorted.chunks(block).collect();
    let starts = chunks
        .iter()
        .enumerate()
        .map(|(b, c)| if b == 0 { 0 } else { c[0].0 })
        .collect();
    let blocks = chunks
        .iter()
        .map(|c| gzip(&encode_postings(&postings_of(c)), INDEX_GZIP_LEVEL))
        .collect();
    let tier = Tier {
        top_class: usize::from(top.1),
        top_id: top.0,
        starts,
    };
    (tier, blocks)
}

fn by_id(postings: &[(u32, u8)]) -> Vec<(u32, u8)> {
    let mut sorted = postings.to_vec();
    sorted.sort_unstable_by_key(|p| p.0);
    sorted
}

/// Postings of `(id, class)` pairs sorted by id.
fn postings_of(classes: &[(u32, u8)]) -> Postings {
    let mut postings = Postings {
        title: Vec::new(),
        levels: vec![Vec::new(); LEVELS],
    };
    for &(doc, c) in classes {
        let c = usize::from(c);
        if c >= LEVELS {
            postings.title.push(doc);
        }
        postings.levels[c % LEVELS].push(doc);
    }
    postings
}

/// The `(id, class)` postings of a key: the union of its words' postings, by id.
fn key_classes(vocabulary: &Vocabulary, words: &[u32], avg: f64) -> Vec<(u32, u8)> {
    let mut merged: Vec<(u32, u32, bool)> = Vec::new();
    for &w in words {
        decode_word_postings(&vocabulary.postings[w as usize].bytes, &mut merged);
    }
    if words.len() > 1 {
        merged.sort_unstable_by_key(|p| p.0);
        merged = combine_same_letter(merged);
    }
    merged
        .into_iter()
        .map(|(doc, tf, title)| {
            let level = impact_level(tf, vocabulary.lengths[doc as usize], avg);
            (doc, class(title, level) as u8)
        })
        .collect()
}

fn decode_word_postings(bytes: &[u8], out: &mut Vec<(u32, u32, bool)>) {
    let mut r = super::codec::Reader::new(bytes);
    let mut doc = 0u64;
    let mut first = true;
    while let (Some(gap), Some(tf)) = (r.varint(), r.varint()) {
        doc = if first { gap } else { doc + gap };
        first = false;
        out.push((doc as u32, (tf >> 1) as u32, tf & 1 == 1));
    }
}

/// Sums the frequencies of one letter's words that share a key (`brief` and `brieven`).
fn combine_same_letter(sorted: Vec<(u32, u32, bool)>) -> Vec<(u32, u32, bool)> {
    let mut out: Vec<(u32, u32, bool)> = Vec::with_capacity(sorted.len());
    for (doc, tf, title) in sorted {
        match out.last_mut() {
            Some(last) if last.0 == doc => {
                last.1 = last.1.saturating_add(tf);
                last.2 |= title;
            }
            _ => out.push((doc, tf, title)),
        }
    }
    out
}

/// Bytes a shard aims for before gzip, from the bytes of all shards. A query reads the root
/// (one first word per shard) and a shard, so the sum of both is least when the shard count is
/// about `sqrt(total / ROOT_ENTRY_BYTES)`: both then grow with the square root of the index.
/// With tiered postings (heads bounded) that is about 8 KB at 100,000 letters.
pub fn shard_target_bytes(total: usize) -> usize {
    ((total as f64 * ROOT_ENTRY_BYTES).sqrt() as usize).max(4096)
}

/// What one shard adds to the root file, about (a first word in JSON, before gzip).
const ROOT_ENTRY_BYTES: f64 = 8.0;

/// The words of each shard: ranges of the sorted vocabulary.
fn partition(
    vocabulary: &Vocabulary,
    keys: &KeyTable,
    parts: &[KeyParts],
    target: usize,
) -> Vec<Vec<u32>> {
    let mut sorted: Vec<u32> = (0..vocabulary.words.len() as u32).collect();
    sorted.par_sort_unstable_by(|&a, &b| {
        vocabulary.words[a as usize].cmp(&vocabulary.words[b as usize])
    });
    let mut shards = Vec::new();
    let mut current: Vec<u32> = Vec::new();
    let mut included: HashSet<u32> = HashSet::new();
    let mut size = 0usize;
    for w in sorted {
        let new_keys: Vec<u32> = keys.of_word[w as usize]
            .iter()
            .copied()
            .filter(|k| !included.contains(k))
            .collect();
        let cost = vocabulary.words[w as usize].len()
            + 3
            + new_keys
                .iter()
                .map(|&k| parts[k as usize].entry_len() + 2)
                .sum::<usize>();
        if !current.is_empty() && size + cost > target {
            shards.push(std::mem::take(&mut current));
            included.clear();
            size = 0;
        }
        for &k in &keys.of_word[w as usize] {
            if included.insert(k) {
                size += parts[k as usize].entry_len() + 2;
            }
        }
        size += vocabulary.words[w as usize].len() + 3;
        current.push(w);
    }
    if !current.is_empty() || shards.is_empty() {
        shards.push(current);
    }
    shards
}

/// The keys of each shard in the order their entries are stored: first use by its words.
fn keys_of_shards(keys: &KeyTable, shards: &[Vec<u32>]) -> Vec<Vec<u32>> {
    shards
        .iter()
        .map(|words| {
            let mut seen = HashSet::new();
            words
                .iter()
                .flat_map(|&w| keys.of_word[w as usize].iter().copied())
                .filter(|&k| seen.insert(k))
                .collect()
        })
        .collect()
}

/// The block files of every tiered key, named after the first shard that holds the key (a key
/// shared by two shards has its tail once); records that home in the key's tail.
fn tail_files(parts: &mut [KeyParts], shard_keys: &[Vec<u32>]) -> Vec<IndexFile> {
    let mut files = Vec::new();
    for (n, ks) in shard_keys.iter().enumerate() {
        for (local, &k) in ks.iter().enumerate() {
            let Some((tail, tiers)) = &mut parts[k as usize].tail else {
                continue;
            };
            // Taken by an earlier shard: that one is home.
            if tiers.is_empty() {
                continue;
            }
            tail.shard = n;
            tail.key = local;
            for (t, blocks) in tiers.drain(..).enumerate() {
                files.extend(blocks.into_iter().enumerate().map(|(b, bytes)| IndexFile {
                    path: layout::tail_block(n, local, t, b),
                    bytes,
                }));
            }
        }
    }
    files
}

fn write_shards(
    vocabulary: &Vocabulary,
    keys: &KeyTable,
    parts: &[KeyParts],
    shards: &[Vec<u32>],
    shard_keys: &[Vec<u32>],
) -> Vec<IndexFile> {
    shards
        .par_iter()
        .zip(shard_keys)
        .enumerate()
        .map(|(n, (words, ks))| {
            let local: HashMap<u32, usize> = ks.iter().enumerate().map(|(i, &k)| (k, i)).collect();
            let entries: Vec<Vec<u8>> = ks.iter().map(|&k| key_entry(&parts[k as usize])).collect();
            let words: Vec<(&str, Vec<usize>)> = words
                .iter()
                .map(|&w| {
                    let of = keys.of_word[w as usize].iter().map(|k| local[k]).collect();
                    (vocabulary.words[w as usize].as_str(), of)
                })
                .collect();
            let refs: Vec<&[u8]> = entries.iter().map(Vec::as_slice).collect();
            IndexFile {
                path: layout::shard(n),
                bytes: gzip(&encode_shard(&words, &refs), INDEX_GZIP_LEVEL),
            }
        })
        .collect()
}

/// A key's entry in a shard.
fn key_entry(parts: &KeyParts) -> Vec<u8> {
    match &parts.tail {
        Some((tail, _)) => encode_tiered_entry(tail, &parts.blob),
        None => encode_full_entry(&parts.blob),
    }
}

/// `search/index.bin`: what every query reads first.
fn root_file(
    docs: &[SearchDoc],
    order: &[usize],
    vocabulary: &Vocabulary,
    shards: &[Vec<u32>],
    language: Language,
    ref_buckets: usize,
    letter_block: usize,
) -> IndexFile {
    let firsts: Vec<&str> = shards
        .iter()
        .enumerate()
        .map(|(n, words)| match (n, words.first()) {
            (0, _) | (_, None) => "",
            (_, Some(&w)) => vocabulary.words[w as usize].as_str(),
        })
        .collect();
    let root = json!({
        "format": 2,
        "language": match language { Language::Dutch => "nl", Language::English => "en" },
        "docs": docs.len(),
        "levels": LEVELS,
        "k1": super::shard::K1,
        "maxTerm": MAX_TERM_CHARS,
        "letterBlock": letter_block,
        "stopWords": stop_words(language),
        "shards": firsts,
        "years": year_ranges(docs, order),
        "refBuckets": ref_buckets,
    });
    IndexFile {
        path: layout::ROOT.to_string(),
        bytes: gzip(root.to_string().as_bytes(), INDEX_GZIP_LEVEL),
    }
}

/// `[year, first id, end id]` for every year: letters of a year are a contiguous id range.
fn year_ranges(docs: &[SearchDoc], order: &[usize]) -> Vec<[i64; 3]> {
    let mut ranges: Vec<[i64; 3]> = Vec::new();
    for (id, &i) in order.iter().enumerate() {
        let year = i64::from(docs[i].year);
        match ranges.iter_mut().find(|r| r[0] == year) {
            Some(r) => {
                r[1] = r[1].min(id as i64);
                r[2] = r[2].max(id as i64 + 1);
            }
            None => ranges.push([year, id as i64, id as i64 + 1]),
        }
    }
    ranges.sort_unstable();
    ranges
}

/// `search/dates.bin`: each distinct sort date and its first letter id (both delta-coded),
/// read only when a date range is filtered on.
fn dates_file(docs: &[SearchDoc], order: &[usize]) -> IndexFile {
    let mut pairs: Vec<(i64, u64)> = Vec::new();
    for (id, &i) in order.iter().enumerate() {
        let date = i64::from(docs[i].sort_date);
        if pairs.last().is_none_or(|p| p.0 != date) {
            pairs.push((date, id as u64));
        }
    }
    let mut out = Vec::new();
    put_varint(&mut out, pairs.len() as u64);
    let mut previous = (0i64, 0u64);
    for (date, id) in pairs {
        put_varint(&mut out, zigzag(date - previous.0));
        put_varint(&mut out, id - previous.1);
        previous = (date, id);
    }
    IndexFile {
        path: layout::DATES.to_string(),
        bytes: gzip(&out, INDEX_GZIP_LEVEL),
    }
}

/// Maps signed to unsigned so small negative numbers stay small varints.
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// One letter list per facet value: `search/f/<facet>/<value>.bin`.
fn facet_files(docs: &[SearchDoc], order: &[usize]) -> Vec<IndexFile> {
    let mut lists: BTreeMap<(&str, &str), Vec<u32>> = BTreeMap::new();
    for (id, &i) in order.iter().enumerate() {
        let doc = &docs[i];
        let id = id as u32;
        add_to_facet(&mut lists, "dossier", &doc.dossier, id);
        add_to_facet(&mut lists, "kind", &doc.kind, id);
        add_to_facet(
            &mut lists,
            "status",
            doc.status.as_deref().unwrap_or("none"),
            id,
        );
        for p in &doc.from {
            add_to_facet(&mut lists, "sender", &p.slug, id);
        }
        for p in &doc.to {
            add_to_facet(&mut lists, "recipient", &p.slug, id);
        }
        for p in &doc.tags {
            add_to_facet(&mut lists, "tag", &p.slug, id);
        }
    }
    lists
        .into_par_iter()
        .map(|((facet, value), ids)| IndexFile {
            path: layout::facet(facet, value),
            bytes: gzip(&encode_letter_set(&ids, docs.len()), INDEX_GZIP_LEVEL),
        })
        .collect()
}

/// Adds letter `id` to the list of `facet` = `value` (once, even if named twice).
fn add_to_facet<'a>(
    lists: &mut BTreeMap<(&'static str, &'a str), Vec<u32>>,
    facet: &'static str,
    value: &'a str,
    id: u32,
) {
    let list = lists.entry((facet, value)).or_default();
    if list.last() != Some(&id) {
        list.push(id);
    }
}

/// A set of letter ids as the smaller of an id list (tag 0) and a bitmap (tag 1, bit `i % 8`
/// of byte `i / 8`).
pub fn encode_letter_set(ids: &[u32], docs: usize) -> Vec<u8> {
    let mut list = vec![0u8];
    put_id_list(&mut list, ids);
    let bitmap_len = docs.div_ceil(8) + 1;
    if list.len() <= bitmap_len {
        return list;
    }
    let mut bitmap = vec![0u8; bitmap_len];
    bitmap[0] = 1;
    for &id in ids {
        bitmap[1 + id as usize / 8] |= 1 << (id % 8);
    }
    bitmap
}

/// The letter records in blocks of `per_block` consecutive ids (`search/d/`): what a result
/// shows and the text for excerpts. For a block with letters longer than [`MAX_TEXT_BYTES`],
/// also the rests of their texts (`search/x/`, an empty text for a short letter), read only to
/// verify a quoted phrase against the whole letter; a result list never fetches them.
fn letter_blocks(docs: &[SearchDoc], order: &[usize], per_block: usize) -> Vec<IndexFile> {
    order
        .par_chunks(per_block)
        .enumerate()
        .map_init(
            || Gzipper::new(DOC_GZIP_LEVEL),
            |gz, (block, ids)| {
                let records: Vec<String> = ids.iter().map(|&i| doc_json(&docs[i])).collect();
                let mut files = vec![IndexFile {
                    path: layout::docs(block),
                    bytes: gz.gzip(format!("[{}]", records.join(",")).as_bytes()),
                }];
                let rests: Vec<&str> = ids.iter().map(|&i| rest_of(&docs[i].text)).collect();
                if rests.iter().any(|r| !r.is_empty()) {
                    files.push(IndexFile {
                        path: layout::rests(block),
                        bytes: gz.gzip(json!(rests).to_string().as_bytes()),
                    });
                }
                files
            },
        )
        .flatten()
        .collect()
}

/// What a letter file does not keep of `text`.
fn rest_of(text: &str) -> &str {
    &text[cut(text, MAX_TEXT_BYTES).len()..]
}

fn doc_json(doc: &SearchDoc) -> String {
    let names = |parties: &[super::SearchParty]| -> Vec<String> {
        parties.iter().map(|p| p.name.clone()).collect()
    };
    json!({
        "url": doc.url,
        "title": doc.title,
        "dossier": doc.dossier,
        "letter": doc.letter,
        "date": doc.date,
        "dateDisplay": doc.date_display,
        "from": names(&doc.from),
        "to": names(&doc.to),
        "kind": doc.kind,
        "status": doc.status,
        "statusText": doc.reply.text,
        "daysToReply": doc.reply.days_to_reply,
        "daysLate": doc.reply.days_late,
        "daysLeft": doc.reply.days_left,
        "text": cut(&doc.text, MAX_TEXT_BYTES),
        "cut": doc.text.len() > MAX_TEXT_BYTES,
    })
    .to_string()
}

/// `text` cut to at most `max` bytes on a character boundary.
pub fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
