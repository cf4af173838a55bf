//! Term shards and posting lists: encoding (build side) and decoding (query side).
//!
//! A *posting blob* holds every letter of one key, grouped by impact:
//!
//! ```text
//! id list of the letters whose title contains the key
//! id list of the letters with impact level L-1   (highest first)
//! …
//! id list of the letters with impact level 0
//! ```
//!
//! Each id list is a count and delta-coded varints (see `codec`). Grouping by quantised impact
//! stores the BM25 term weight of a posting in the list it is in, so no per-posting weight
//! byte and no per-letter length table are needed, and a letter's ids within a level are still
//! sorted, so they delta-code well.
//!
//! A key with more postings than the build's tier threshold is *tiered*. Its postings are
//! ordered as they rank for the key alone: by class (title bit and level, see [`class`]), then
//! newest first. The shard keeps the first of them, the *head*; the rest, the *tail*, is cut in
//! that order into *tiers* that grow fourfold ([`TIER_GROWTH`]), and each tier, sorted by id,
//! into *blocks* of a few thousand postings, each its own file ([`tail_block_path`]). So a
//! relevance query reads tiers best first and stops once its page is proven, a date-sorted
//! query reads each tier's blocks from the newest (or oldest) end, and a filtered query only
//! the blocks whose ids the filter allows. A key entry of a shard is tagged:
//!
//! ```text
//! 0, posting blob                                   (all postings)
//! 1, varint df, varint home shard, varint home key, (where the block files are)
//!    varint tier count, per tier:
//!        varint top class, varint top id            (its best posting: the tier's bound)
//!        id list of block starts after the first    (the first block starts at 0)
//!    posting blob of the head
//! ```
//!
//! A block file (gzip) is a posting blob of the tier's postings whose ids lie in the block's
//! range `[start, next start)` (the last block ends at the letter count).
//!
//! A *shard* (`search/t/<n>.bin`, gzip) holds a contiguous range of the sorted folded surface
//! words of the archive and the tagged key entries of every key those words map to:
//!
//! ```text
//! "PKS2"
//! varint key count, then per key: varint entry length, entry
//! varint word count, then per word (sorted, front-coded):
//!     varint bytes shared with the previous word, varint suffix length, suffix (UTF-8),
//!     varint key count, that many varint key numbers (index into this shard's keys)
//! ```

use super::codec::{Reader, put_id_list, put_varint, read_id_list};

/// Magic bytes at the start of every shard.
pub const SHARD_MAGIC: &[u8; 4] = b"PKS2";

/// Number of impact levels a posting's BM25 weight is quantised to.
pub const LEVELS: usize = 8;

/// Posting classes: a title bit and a level.
pub const CLASSES: usize = 2 * LEVELS;

/// The class of a posting, `title × LEVELS + level`: for one key a higher class always scores
/// higher (the title bonus outweighs any level), so ranking a key's letters alone is ordering
/// by class, then by id (newer first).
pub fn class(title: bool, level: usize) -> usize {
    usize::from(title) * LEVELS + level
}

/// BM25 parameters.
pub const K1: f64 = 1.2;
/// BM25 length normalisation.
pub const B: f64 = 0.75;

/// The letters of one key, by impact level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postings {
    /// Letters whose title contains the key.
    pub title: Vec<u32>,
    /// `levels[l]`: letters whose weight is at level `l` (0 = lowest).
    pub levels: Vec<Vec<u32>>,
}

impl Postings {
    /// Number of letters containing the key.
    pub fn df(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
    }
}

/// The impact level of a term that occurs `tf` times in a letter of `len` indexed words when
/// letters average `avg_len` words: the BM25 term weight, scaled to `0..LEVELS`.
pub fn impact_level(tf: u32, len: u32, avg_len: f64) -> usize {
    let tf = f64::from(tf);
    let norm = 1.0 - B + B * f64::from(len) / avg_len.max(1.0);
    let weight = tf * (K1 + 1.0) / (tf + K1 * norm);
    let level = (weight / (K1 + 1.0) * LEVELS as f64).floor() as usize;
    level.min(LEVELS - 1)
}

/// The BM25 term weight a level stands for (the middle of its bucket).
pub fn level_weight(level: usize) -> f64 {
    (level as f64 + 0.5) / LEVELS as f64 * (K1 + 1.0)
}

/// BM25 inverse document frequency (the always-positive variant).
pub fn idf(df: usize, docs: usize) -> f64 {
    let (df, n) = (df as f64, docs as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Encodes postings as a blob.
pub fn encode_postings(p: &Postings) -> Vec<u8> {
    let mut out = Vec::new();
    put_id_list(&mut out, &p.title);
    for level in (0..LEVELS).rev() {
        put_id_list(&mut out, p.levels.get(level).map_or(&[][..], Vec::as_slice));
    }
    out
}

/// Decodes a blob; ids must be below `docs`.
pub fn decode_postings(blob: &[u8], docs: u32) -> Option<Postings> {
    let mut r = Reader::new(blob);
    let title = read_id_list(&mut r, docs)?;
    let mut levels = vec![Vec::new(); LEVELS];
    for level in (0..LEVELS).rev() {
        levels[level] = read_id_list(&mut r, docs)?;
    }
    Some(Postings { title, levels })
}

/// How much larger each tier of a tail is than the one before (the first is this many heads).
pub const TIER_GROWTH: usize = 4;

/// Where a tiered key's tail is and what it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tail {
    /// Letters containing the key (head and tail): the idf stays exact.
    pub df: usize,
    /// Shard that names the block files.
    pub shard: usize,
    /// Key number in that shard.
    pub key: usize,
    /// The tiers, best first.
    pub tiers: Vec<Tier>,
}

/// One tier of a tail: a run of the key's postings in rank order, stored in id blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tier {
    /// Class of the tier's best posting: every posting of this tier and the later ones has a
    /// lower class, or this class and an id at most [`Tier::top_id`].
    pub top_class: usize,
    /// Id of the tier's best posting.
    pub top_id: u32,
    /// First id of each block's range; the first is 0, the last block ends at the letter count.
    pub starts: Vec<u32>,
}

impl Tier {
    /// The id range `[start, end)` of block `b`.
    pub fn range(&self, b: usize, docs: u32) -> (u32, u32) {
        let end = self.starts.get(b + 1).copied().unwrap_or(docs);
        (self.starts[b], end)
    }

    /// The block whose range holds `id`.
    pub fn block_of(&self, id: u32) -> usize {
        self.starts.partition_point(|&s| s <= id).saturating_sub(1)
    }
}

/// A key entry of a shard: all postings, or a head and where its tail is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyEntry {
    /// Every posting of the key.
    Full(Postings),
    /// The best postings of the key; the rest is in block files.
    Tiered(Postings, Tail),
}

/// Encodes a key entry of all postings, from their blob.
pub fn encode_full_entry(blob: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(blob.len() + 1);
    out.push(0);
    out.extend_from_slice(blob);
    out
}

/// Encodes a tiered key entry from its tail and the blob of its head.
pub fn encode_tiered_entry(tail: &Tail, head_blob: &[u8]) -> Vec<u8> {
    let mut out = vec![1];
    for v in [tail.df, tail.shard, tail.key, tail.tiers.len()] {
        put_varint(&mut out, v as u64);
    }
    for tier in &tail.tiers {
        put_varint(&mut out, tier.top_class as u64);
        put_varint(&mut out, u64::from(tier.top_id));
        put_id_list(&mut out, tier.starts.get(1..).unwrap_or(&[]));
    }
    out.extend_from_slice(head_blob);
    out
}

/// Decodes a key entry; ids must be below `docs`. `None` when malformed.
pub fn decode_entry(entry: &[u8], docs: u32) -> Option<KeyEntry> {
    let (&tag, rest) = entry.split_first()?;
    if tag == 0 {
        return decode_postings(rest, docs).map(KeyEntry::Full);
    }
    if tag != 1 {
        return None;
    }
    let mut r = Reader::new(rest);
    let df = r.length(docs as usize)?;
    let shard = r.length(u32::MAX as usize)?;
    let key = r.length(u32::MAX as usize)?;
    let count = r.length(r.remaining())?;
    let mut tiers = Vec::with_capacity(count);
    for _ in 0..count {
        tiers.push(decode_tier(&mut r, docs)?);
    }
    let head = decode_postings(r.bytes(r.remaining())?, docs)?;
    if head.df() >= df || tiers.is_empty() {
        return None;
    }
    let tail = Tail {
        df,
        shard,
        key,
        tiers,
    };
    Some(KeyEntry::Tiered(head, tail))
}

fn decode_tier(r: &mut Reader<'_>, docs: u32) -> Option<Tier> {
    let top_class = r.length(CLASSES - 1)?;
    let top_id = r.length(docs.checked_sub(1)? as usize)? as u32;
    let later = read_id_list(r, docs)?;
    if later.first() == Some(&0) {
        return None;
    }
    let mut starts = vec![0];
    starts.extend(later);
    Some(Tier {
        top_class,
        top_id,
        starts,
    })
}

/// Decodes a block file (gunzipped): postings whose ids must lie in `[start, end)`.
pub fn decode_block(bytes: &[u8], (start, end): (u32, u32)) -> Option<Postings> {
    let p = decode_postings(bytes, end)?;
    let inside = |ids: &Vec<u32>| ids.first().is_none_or(|&id| id >= start);
    (inside(&p.title) && p.levels.iter().all(inside)).then_some(p)
}

/// One word of a shard and the keys it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardWord {
    /// The folded surface word.
    pub word: String,
    /// Indexes into [`Shard::keys`].
    pub keys: Vec<usize>,
}

/// A decoded shard. Key entries stay encoded until a query needs them.
#[derive(Debug, Clone, Default)]
pub struct Shard {
    /// Key entries, see [`decode_entry`].
    pub keys: Vec<Vec<u8>>,
    /// Sorted words.
    pub words: Vec<ShardWord>,
}

impl Shard {
    /// The index of `word` in [`Shard::words`], if present.
    pub fn find(&self, word: &str) -> Option<usize> {
        self.words
            .binary_search_by(|w| w.word.as_str().cmp(word))
            .ok()
    }
}

/// Encodes a shard from its words (sorted) and key entries.
pub fn encode_shard(words: &[(&str, Vec<usize>)], blobs: &[&[u8]]) -> Vec<u8> {
    let mut out = SHARD_MAGIC.to_vec();
    put_varint(&mut out, blobs.len() as u64);
    for blob in blobs {
        put_varint(&mut out, blob.len() as u64);
        out.extend_from_slice(blob);
    }
    put_varint(&mut out, words.len() as u64);
    let mut previous: &str = "";
    for (word, keys) in words {
        let shared = common_prefix_bytes(previous, word);
        put_varint(&mut out, shared as u64);
        put_varint(&mut out, (word.len() - shared) as u64);
        out.extend_from_slice(&word.as_bytes()[shared..]);
        put_varint(&mut out, keys.len() as u64);
        for &k in keys {
            put_varint(&mut out, k as u64);
        }
        previous = word;
    }
    out
}

/// Bytes shared by `a` and `b` at the start, on a character boundary.
fn common_prefix_bytes(a: &str, b: &str) -> usize {
    let mut n = 0;
    for (ca, cb) in a.chars().zip(b.chars()) {
        if ca != cb {
            break;
        }
        n += ca.len_utf8();
    }
    n
}

/// Decodes a shard (already gunzipped). `None` when the bytes are not a valid shard.
pub fn decode_shard(bytes: &[u8]) -> Option<Shard> {
    let rest = bytes.strip_prefix(SHARD_MAGIC)?;
    let mut r = Reader::new(rest);
    let key_count = r.length(r.remaining())?;
    let mut keys = Vec::with_capacity(key_count);
    for _ in 0..key_count {
        let len = r.length(r.remaining())?;
        keys.push(r.bytes(len)?.to_vec());
    }
    let word_count = r.length(r.remaining())?;
    let mut words = Vec::with_capacity(word_count);
    let mut previous = Vec::new();
    for _ in 0..word_count {
        let shared = r.length(previous.len())?;
        let suffix_len = r.length(r.remaining())?;
        previous.truncate(shared);
        previous.extend_from_slice(r.bytes(suffix_len)?);
        let word = String::from_utf8(previous.clone()).ok()?;
        let n = r.length(key_count)?;
        let mut word_keys = Vec::with_capacity(n);
        for _ in 0..n {
            let k = r.length(key_count)?;
            if k >= key_count {
                return None;
            }
            word_keys.push(k);
        }
        words.push(ShardWord {
            word,
            keys: word_keys,
        });
    }
    Some(Shard { keys, words })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip() {
        let mut p = Postings {
            title: vec![2],
            levels: vec![Vec::new(); LEVELS],
        };
        p.levels[3] = vec![1, 5, 9];
        p.levels[7] = vec![2];
        let blob = encode_postings(&p);
        assert_eq!(decode_postings(&blob, 10), Some(p.clone()));
        assert_eq!(p.df(), 4);
        assert_eq!(decode_postings(&blob, 5), None);
    }

    #[test]
    fn shards_round_trip_with_front_coding() {
        let blob_a = encode_postings(&Postings {
            title: vec![],
            levels: vec![vec![0]; LEVELS],
        });
        let words = vec![
            ("brief", vec![0]),
            ("brieven", vec![0]),
            ("coördinatie", vec![0]),
        ];
        let bytes = encode_shard(&words, &[&encode_full_entry(&blob_a)]);
        let shard = decode_shard(&bytes).expect("valid shard");
        assert_eq!(shard.words.len(), 3);
        assert_eq!(shard.words[2].word, "coördinatie");
        assert_eq!(shard.find("brieven"), Some(1));
        assert_eq!(shard.find("brie"), None);
    }

    #[test]
    fn garbage_is_rejected_not_panicking() {
        assert!(decode_shard(b"").is_none());
        assert!(decode_shard(b"PKS1\xff\xff\xff").is_none());
        assert!(decode_shard(b"PKS1\x01\x05ab").is_none());
        assert!(decode_postings(&[0xff; 12], 100).is_none());
    }

    fn tier(top_class: usize, top_id: u32, starts: Vec<u32>) -> Tier {
        Tier {
            top_class,
            top_id,
            starts,
        }
    }

    fn tail() -> Tail {
        Tail {
            df: 9,
            shard: 3,
            key: 7,
            tiers: vec![
                tier(class(true, 2), 40, vec![0, 30, 60]),
                tier(4, 80, vec![0]),
            ],
        }
    }

    #[test]
    fn key_entries_round_trip() {
        let mut head = Postings {
            title: vec![5],
            levels: vec![Vec::new(); LEVELS],
        };
        head.levels[6] = vec![5, 70];
        let entry = encode_tiered_entry(&tail(), &encode_postings(&head));
        assert_eq!(
            decode_entry(&entry, 100),
            Some(KeyEntry::Tiered(head.clone(), tail()))
        );
        let full = encode_full_entry(&encode_postings(&head));
        assert_eq!(decode_entry(&full, 100), Some(KeyEntry::Full(head)));
        let first = &tail().tiers[0];
        assert_eq!(first.range(1, 100), (30, 60));
        assert_eq!(first.range(2, 100), (60, 100));
        assert_eq!(first.block_of(59), 1);
        assert_eq!(first.block_of(60), 2);
    }

    #[test]
    fn blocks_round_trip_and_stay_in_their_range() {
        let mut p = Postings {
            title: vec![31],
            levels: vec![Vec::new(); LEVELS],
        };
        p.levels[0] = vec![30, 31, 59];
        let blob = encode_postings(&p);
        assert_eq!(decode_block(&blob, (30, 60)), Some(p));
        assert_eq!(decode_block(&blob, (31, 60)), None);
        assert_eq!(decode_block(&blob, (30, 59)), None);
    }

    #[test]
    fn damaged_entries_are_rejected_not_panicking() {
        let head = encode_postings(&Postings {
            title: vec![],
            levels: vec![vec![1]; LEVELS],
        });
        let good = encode_tiered_entry(&tail(), &head);
        for cut in 0..good.len() {
            assert_eq!(decode_entry(&good[..cut], 100), None, "cut at {cut}");
        }
        // Ids beyond the letter count, a head as big as the whole key, an unknown tag, a bad
        // class, no tier, an empty block.
        assert_eq!(decode_entry(&good, 50), None);
        let whole = Tail { df: 1, ..tail() };
        assert_eq!(decode_entry(&encode_tiered_entry(&whole, &head), 100), None);
        assert_eq!(decode_entry(&[2, 0], 100), None);
        for tiers in [
            vec![tier(CLASSES, 40, vec![0])],
            vec![],
            vec![tier(3, 40, vec![0, 0, 60])],
        ] {
            let bad = Tail { tiers, ..tail() };
            assert_eq!(decode_entry(&encode_tiered_entry(&bad, &head), 100), None);
        }
        assert_eq!(decode_block(&[0xff; 8], (0, 10)), None);
        assert_eq!(decode_entry(&[], 100), None);
    }

    #[test]
    fn impact_grows_with_frequency_and_shrinks_with_length() {
        assert!(impact_level(5, 100, 100.0) > impact_level(1, 100, 100.0));
        assert!(impact_level(1, 20, 100.0) > impact_level(1, 1000, 100.0));
        assert!(impact_level(u32::MAX, 0, 0.0) < LEVELS);
    }
}
