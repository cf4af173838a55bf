//! The crate's one fast hash, for in-memory maps and change detection.
//!
//! FxHash (the `rustc-hash` crate): a few instructions per word, unseeded. It is not meant
//! for adversarial keys and needs not be: the keys are the site's own content, and no output
//! depends on a map's order. SipHash, the standard hasher, took a fifth of a `serve` rebuild
//! at 10,000 letters. Hashes that are part of a file format (the search index's word buckets,
//! which the browser computes too; an imported letter's `import_hash`) are FNV-1a, fixed by
//! that format, and live with it.

pub mod value;

use std::hash::{BuildHasher, Hash, Hasher};
use std::io;

use rustc_hash::{FxBuildHasher, FxHasher};
use serde::Serialize;

/// A `HashMap` with the fast hash.
pub type FastMap<K, V> = std::collections::HashMap<K, V, FxBuildHasher>;

/// A fingerprint under construction: values are added in order and the result changes when
/// any of them does.
#[derive(Clone)]
pub struct Fp(FxHasher);

impl Fp {
    /// FxHash starts from zero and maps a zero word to zero, so a fingerprint that began with
    /// zeros would equal one without them; a nonzero first word makes every step count.
    const SEED: u64 = 0xcbf2_9ce4_8422_2325;

    pub fn new() -> Fp {
        let mut h = FxBuildHasher.build_hasher();
        h.write_u64(Self::SEED);
        Fp(h)
    }

    pub fn add<T: Hash + ?Sized>(&mut self, value: &T) -> &mut Fp {
        value.hash(&mut self.0);
        self
    }

    /// Hashes a value's JSON form: what a template sees of it.
    pub fn add_json<T: Serialize>(&mut self, value: &T) -> &mut Fp {
        // Writing into a hasher cannot fail, and a value that fails to serialise also fails to
        // render, where the error is reported.
        let _ = serde_json::to_writer(HashWriter(&mut self.0), value);
        // A terminator, so that two JSON values in a row cannot shift into each other.
        0xffu8.hash(&mut self.0);
        self
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl Default for Fp {
    fn default() -> Fp {
        Fp::new()
    }
}

struct HashWriter<'h>(&'h mut FxHasher);

impl io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_changes_with_any_value_and_its_order() {
        let ab = Fp::new().add("a").add("b").finish();
        assert_eq!(ab, Fp::new().add("a").add("b").finish());
        assert_ne!(ab, Fp::new().add("b").add("a").finish());
        assert_ne!(ab, Fp::new().add("a").add("c").finish());
        // Leading zeros count too.
        assert_ne!(Fp::new().add(&0u64).finish(), Fp::new().finish());
        assert_ne!(
            Fp::new().add(&0u64).add(&7u64).finish(),
            Fp::new().add(&7u64).finish()
        );
        // The JSON terminator keeps ["a"] + ["b"] apart from ["a","b"].
        let split = Fp::new().add_json(&["a"]).add_json(&["b"]).finish();
        assert_ne!(split, Fp::new().add_json(&["a", "b"]).finish());
    }
}
