//! Byte-level encodings of the index: varints, delta-coded id lists, deterministic gzip and
//! file-name escaping. Every decoder returns `None` on malformed input instead of panicking.

use flate2::read::GzDecoder;
use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use std::io::Read;

/// Appends `value` as a LEB128 varint: 7 bits per byte, high bit set on all but the last.
pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A cursor over bytes written with [`put_varint`] and friends.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading at the beginning of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Reads one varint; `None` at the end of input or on an overlong encoding.
    pub fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.pos)?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    /// Reads a varint that must fit in `usize` and not exceed `limit` (guards allocations).
    pub fn length(&mut self, limit: usize) -> Option<usize> {
        let v = usize::try_from(self.varint()?).ok()?;
        (v <= limit).then_some(v)
    }

    /// Reads `n` raw bytes.
    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let slice = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(slice)
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }
}

/// Appends a sorted list of ids: its length, then the first id and the gaps between ids.
pub fn put_id_list(out: &mut Vec<u8>, ids: &[u32]) {
    put_varint(out, ids.len() as u64);
    let mut previous = 0u32;
    for (i, &id) in ids.iter().enumerate() {
        let gap = if i == 0 { id } else { id - previous };
        put_varint(out, u64::from(gap));
        previous = id;
    }
}

/// Reads a list written by [`put_id_list`]. Ids at or above `limit` make the list invalid.
pub fn read_id_list(reader: &mut Reader<'_>, limit: u32) -> Option<Vec<u32>> {
    let n = reader.length(reader.remaining())?;
    let mut ids = Vec::with_capacity(n);
    let mut previous = 0u64;
    for i in 0..n {
        let gap = reader.varint()?;
        let id = if i == 0 { gap } else { previous + gap };
        if id >= u64::from(limit) || (i > 0 && gap == 0) {
            return None;
        }
        ids.push(id as u32);
        previous = id;
    }
    Some(ids)
}

/// Gzip with a fixed header (no file name, no time stamp): the same input always gives the
/// same bytes.
pub fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    Gzipper::new(level).gzip(bytes)
}

/// A reusable gzip compressor. Setting up a deflate stream costs more than compressing a
/// small letter file, so the builder keeps one per thread and resets it between files.
pub struct Gzipper {
    deflate: Compress,
}

/// Gzip header: magic, deflate, no flags, time stamp 0, no extra flags, OS unknown.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

impl Gzipper {
    /// A compressor at `level` (0–9).
    pub fn new(level: u32) -> Self {
        Gzipper {
            deflate: Compress::new(Compression::new(level.min(9)), false),
        }
    }

    /// The gzip file of `bytes`.
    pub fn gzip(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.deflate.reset();
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        out.extend_from_slice(&GZIP_HEADER);
        let mut input = bytes;
        loop {
            if out.capacity() - out.len() < 64 {
                out.reserve(out.capacity().max(1024));
            }
            let before = self.deflate.total_in();
            let status = self
                .deflate
                .compress_vec(input, &mut out, FlushCompress::Finish);
            let consumed = (self.deflate.total_in() - before) as usize;
            input = &input[consumed.min(input.len())..];
            match status {
                Ok(Status::StreamEnd) => break,
                Ok(_) => continue,
                // Deflating into a growing Vec cannot fail; stop rather than loop.
                Err(_) => break,
            }
        }
        let mut crc = Crc::new();
        crc.update(bytes);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out
    }
}

/// Reverses [`gzip`]; returns the bytes unchanged when they are not gzip (a host may already
/// have decoded them, see `search.js`).
pub fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Some(bytes.to_vec());
    }
    let mut out = Vec::new();
    GzDecoder::new(bytes).read_to_end(&mut out).ok()?;
    Some(out)
}

/// Longest spelling [`escape_value`] gives. Escaping can triple a value's length (a dossier
/// id of 90 capitals, a name in another script), and a file name longer than a file system
/// stores (255 bytes) failed the whole build; this keeps `<value>.bin` well inside
/// [`crate::paths::MAX_SEGMENT`].
pub const MAX_VALUE_NAME: usize = 96;

/// A file-name-safe, case-insensitive-filesystem-safe spelling of a facet value: bytes
/// `a-z`, `0-9` and `-` are kept, every other byte becomes `_` and two lowercase hex digits
/// (`31700 VI` → `31700_20_56_49`). A spelling longer than [`MAX_VALUE_NAME`] is cut and
/// ends in `.` and the 16 hex digits of the value's [`fnv1a_64`] (no plain spelling has a
/// `.`, so the two kinds never meet). `search.js` (function `escapeValue`) does the same.
pub fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
    if out.is_empty() {
        out.push('_');
    }
    if out.len() > MAX_VALUE_NAME {
        // ASCII only, so any byte is a char boundary.
        out.truncate(MAX_VALUE_NAME - 17);
        out.push_str(&format!(".{:016x}", fnv1a_64(value.as_bytes())));
    }
    out
}

/// FNV-1a, 64 bits: simple enough to mirror exactly in `search.js` (`fnv64`).
pub fn fnv1a_64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let mut out = Vec::new();
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            put_varint(&mut out, v);
        }
        let mut r = Reader::new(&out);
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(r.varint(), Some(v));
        }
        assert_eq!(r.varint(), None);
    }

    #[test]
    fn id_lists_round_trip_and_reject_garbage() {
        let mut out = Vec::new();
        put_id_list(&mut out, &[3, 4, 10, 1000]);
        assert_eq!(
            read_id_list(&mut Reader::new(&out), 1001),
            Some(vec![3, 4, 10, 1000])
        );
        assert_eq!(read_id_list(&mut Reader::new(&out), 1000), None);
        assert_eq!(read_id_list(&mut Reader::new(&[0xff, 0xff]), 10), None);
    }

    #[test]
    fn gzip_is_deterministic_and_reversible() {
        let a = gzip(b"brieven brieven brieven", 6);
        assert_eq!(a, gzip(b"brieven brieven brieven", 6));
        assert_eq!(gunzip(&a).as_deref(), Some(&b"brieven brieven brieven"[..]));
        assert_eq!(gunzip(b"plain").as_deref(), Some(&b"plain"[..]));
        assert_eq!(gunzip(&[0x1f, 0x8b, 0, 0]), None);
    }

    #[test]
    fn values_escape_to_safe_names() {
        assert_eq!(escape_value("31700 VI"), "31700_20_56_49");
        assert_eq!(escape_value("asielketen"), "asielketen");
        assert_eq!(escape_value(""), "_");
    }

    #[test]
    fn long_values_get_short_distinct_names() {
        // 90 capitals escape to 270 bytes: past the 255 a file system stores.
        let a = "A".repeat(90);
        let b = format!("{}B", "A".repeat(89));
        for value in [&a, &b, &"é".repeat(500)] {
            let name = escape_value(value);
            assert_eq!(name.len(), MAX_VALUE_NAME, "{name}");
            assert!(
                format!("{name}.bin").len() <= crate::paths::MAX_SEGMENT,
                "{name}"
            );
        }
        // Same cut prefix, different values: the hash parts them.
        assert_eq!(escape_value(&a)[..79], escape_value(&b)[..79]);
        assert_ne!(escape_value(&a), escape_value(&b));
        // Up to the limit a value keeps its plain spelling, which has no dot.
        assert_eq!(
            escape_value(&"a".repeat(MAX_VALUE_NAME)),
            "a".repeat(MAX_VALUE_NAME)
        );
        assert!(escape_value(&"a".repeat(MAX_VALUE_NAME + 1)).contains('.'));
    }

    #[test]
    fn fnv1a_64_matches_the_published_vectors() {
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
