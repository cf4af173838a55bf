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
//! A *shard* (`search/t/<n>.bin`, gzip) holds a contiguous range of the sorted folded surface
//! words of the archive and the posting blobs of every key those words map to:
//!
//! ```text
//! "PKS1"
//! varint key count, then per key: varint blob length, blob
//! varint word count, then per word (sorted, front-coded):
//!     varint bytes shared with the previous word, varint suffix length, suffix (UTF-8),
//!     varint key count, that many varint key numbers (index into this shard's keys)
//! ```

use super::codec::{Reader, put_id_list, put_varint, read_id_list};

/// Magic bytes at the start of every shard.
pub const SHARD_MAGIC: &[u8; 4] = b"PKS1";

/// Number of impact levels a posting's BM25 weight is quantised to.
pub const LEVELS: usize = 8;

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

/// One word of a shard and the keys it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardWord {
    /// The folded surface word.
    pub word: String,
    /// Indexes into [`Shard::keys`].
    pub keys: Vec<usize>,
}

/// A decoded shard. Posting blobs stay encoded until a query needs them.
#[derive(Debug, Clone, Default)]
pub struct Shard {
    /// Posting blobs, see [`decode_postings`].
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

/// Encodes a shard from its words (sorted) and key blobs.
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
        let bytes = encode_shard(&words, &[&blob_a]);
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

    #[test]
    fn impact_grows_with_frequency_and_shrinks_with_length() {
        assert!(impact_level(5, 100, 100.0) > impact_level(1, 100, 100.0));
        assert!(impact_level(1, 20, 100.0) > impact_level(1, 1000, 100.0));
        assert!(impact_level(u32::MAX, 0, 0.0) < LEVELS);
    }
}
