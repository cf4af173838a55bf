//! Where the index's files lie, relative to the site root: the one spelling of every path.
//!
//! The writer ([`super::build`], [`super::refs`]) names its files here, the test oracle
//! ([`super::oracle`]) reads them by the same names, and `claims` keeps every other file out of
//! these folders. `search.js` cannot share Rust code, so it spells the same paths once, in its
//! `paths` block, and `client_tests` checks that block against this module under Node.

use super::codec::escape_value;

/// The folder of the whole index.
pub const DIR: &str = "search/";
/// What every query reads first: letter count, stop words, shard boundaries (JSON).
pub const ROOT: &str = "search/index.bin";
/// Each distinct sort date and its first letter id, for date filters.
pub const DATES: &str = "search/dates.bin";

/// Shards of the vocabulary: `search/t/<n>.bin`.
pub const SHARDS: &str = "search/t/";
/// Blocks of tiered keys' tails: `search/p/<shard>/<key>-<tier>-<block>.bin`.
pub const TAIL_BLOCKS: &str = "search/p/";
/// Blocks of letter records, read per result shown: `search/d/<id / letters per block>.bin`.
pub const DOCS: &str = "search/d/";
/// Blocks of the rest of long letters' texts, read to verify phrases: `search/x/<block>.bin`.
pub const RESTS: &str = "search/x/";
/// Letter sets of facet values: `search/f/<facet>/<escaped value>.bin`.
pub const FACETS: &str = "search/f/";
/// Buckets of reference forms: `search/r/<n>.bin`.
pub const REFS: &str = "search/r/";

/// Every folder the index fills with files named by numbers and values.
pub const FOLDERS: [&str; 6] = [SHARDS, TAIL_BLOCKS, DOCS, RESTS, FACETS, REFS];

/// Letters per block of [`DOCS`] and [`RESTS`] unless the index options say otherwise. The
/// root file carries the number used (`letterBlock`), so the browser computes the same blocks.
///
/// A file per letter made most of the site's files. A block costs a reader its whole size for
/// each result it holds, and a page of ten results by relevance lies in ten blocks at 100,000
/// letters (letters are numbered by date; relevance scatters them): a record gzips to about
/// 600 bytes in a block, so ten blocks of 16 are about 100 KB, which keeps a common word's
/// first query under 150 KB. Blocks of 32 made it 210 KB, of 64 370 KB (docs/measured.md).
pub const LETTER_BLOCK: usize = 16;

/// Shard `n`.
pub fn shard(n: usize) -> String {
    format!("{SHARDS}{n}.bin")
}

/// Block `block` of tier `tier` of the tail of key `key` of shard `shard`.
pub fn tail_block(shard: usize, key: usize, tier: usize, block: usize) -> String {
    format!("{TAIL_BLOCKS}{shard}/{key}-{tier}-{block}.bin")
}

/// Where letter `id` lies with `per_block` letters a block: its block and its place in it.
pub fn block_of(id: usize, per_block: usize) -> (usize, usize) {
    (id / per_block, id % per_block)
}

/// Block `block` of letter records.
pub fn docs(block: usize) -> String {
    format!("{DOCS}{block}.bin")
}

/// Block `block` of the rests of long letters' texts.
pub fn rests(block: usize) -> String {
    format!("{RESTS}{block}.bin")
}

/// The letter set of one facet value, the value escaped to a safe file name.
pub fn facet(facet: &str, value: &str) -> String {
    format!("{FACETS}{facet}/{}.bin", escape_value(value))
}

/// Reference bucket `n`.
pub fn bucket(n: usize) -> String {
    format!("{REFS}{n}.bin")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_lies_in_its_folder_inside_the_index() {
        let paths = [
            (shard(3), SHARDS),
            (tail_block(1, 2, 3, 4), TAIL_BLOCKS),
            (docs(19), DOCS),
            (rests(19), RESTS),
            (facet("dossier", "31700 VI"), FACETS),
            (bucket(7), REFS),
        ];
        for (path, folder) in &paths {
            assert!(path.starts_with(folder) && path.ends_with(".bin"), "{path}");
        }
        assert!(
            FOLDERS
                .iter()
                .chain(&[ROOT, DATES])
                .all(|p| p.starts_with(DIR))
        );
        assert_eq!(docs(block_of(1234, 64).0), "search/d/19.bin");
        assert_eq!(block_of(1234, 64), (19, 18));
        assert_eq!(tail_block(1, 2, 3, 4), "search/p/1/2-3-4.bin");
        assert_eq!(
            facet("dossier", "31700 VI"),
            "search/f/dossier/31700_20_56_49.bin"
        );
    }
}
