//! Handles: the leaves of a page's context that many pages share — a letter's
//! summary or body, a dossier's row, a feed entry.
//!
//! A handle serialises as its value for a template, and as its fingerprint
//! for change detection ([`crate::hash::value`] is not human-readable). Each
//! value is made at most once per renderer and hashed at most once, however
//! many pages show it, so hashing a page's context costs a word per handle.

use std::sync::OnceLock;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::hash::value;

/// A shared value of a page's context, borrowed from the renderer's [`Leaves`].
pub struct Handle<'r, T> {
    value: &'r T,
    fp: &'r OnceLock<u64>,
    /// The letter the value is made from, when it is one letter's: what
    /// `serve` follows to find the pages an edit of that letter changes.
    letter: Option<u32>,
}

impl<T> Clone for Handle<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Handle<'_, T> {}

impl<'r, T: Serialize> Handle<'r, T> {
    pub fn get(&self) -> &'r T {
        self.value
    }

    /// The value's fingerprint, computed on first use.
    pub fn fingerprint(&self) -> u64 {
        *self.fp.get_or_init(|| value::of(self.value))
    }
}

impl<T: Serialize> Serialize for Handle<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            self.value.serialize(serializer)
        } else {
            // A map, not a number: a handle may stand where serde flattens its value
            // into the page's own fields, and only maps and structs flatten.
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(value::FINGERPRINT, &self.fingerprint())?;
            if let Some(letter) = self.letter {
                map.serialize_entry(value::FINGERPRINT, &value::Letter(letter))?;
            }
            map.end()
        }
    }
}

/// Serialises what a template is shown, made only when a template asks, or else
/// what it is made from, for the hash: for values whose making costs more than
/// hashing their inputs (a rewritten body, encoded JSON-LD) or that show one part
/// of a handle (a body's HTML or text).
pub fn shown_or_inputs<S, T, I>(
    s: S,
    shown: impl FnOnce() -> T,
    inputs: &I,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
    I: Serialize + ?Sized,
{
    if s.is_human_readable() {
        shown().serialize(s)
    } else {
        inputs.serialize(s)
    }
}

/// A value made from a handle's value (a sentence with a letter's title in
/// it): a template sees the value, the hash sees it and the handle, so a page
/// showing it shows the handle's letter.
pub struct MadeFrom<'r, T, U> {
    pub value: T,
    from: Handle<'r, U>,
}

impl<'r, T, U> MadeFrom<'r, T, U> {
    pub fn new(value: T, from: Handle<'r, U>) -> Self {
        MadeFrom { value, from }
    }
}

impl<T: Serialize, U: Serialize> Serialize for MadeFrom<'_, T, U> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        shown_or_inputs(s, || &self.value, &(&self.value, &self.from))
    }
}

/// Two values whose fields a template sees side by side, as serde's
/// `flatten` would put them, and the hash sees as a pair. Serde hands a
/// flattened value a serializer of its own that says it is human-readable
/// whatever the outer one says, so a handle under a plain `#[serde(flatten)]`
/// would be hashed by its whole value and hide the letter it shows.
pub struct Flat<A, B>(pub A, pub B);

impl<A: Serialize, B: Serialize> Serialize for Flat<A, B> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Fields<'f, A, B> {
            #[serde(flatten)]
            a: &'f A,
            #[serde(flatten)]
            b: &'f B,
        }
        if s.is_human_readable() {
            Fields {
                a: &self.0,
                b: &self.1,
            }
            .serialize(s)
        } else {
            (&self.0, &self.1).serialize(s)
        }
    }
}

/// One value with its fingerprint, once made.
type Slot<T> = OnceLock<(T, OnceLock<u64>)>;

/// Values made on first use, one per index (a letter, a dossier), shared by
/// every page that shows them.
pub struct Leaves<T> {
    slots: Vec<Slot<T>>,
    /// Whether value `ix` is made from letter `ix` alone (its maker reads no
    /// other letter's [`Shown`](crate::letter::Shown) fields or body).
    per_letter: bool,
}

impl<T: Serialize> Leaves<T> {
    /// Values made from the archive's structure, which a patch leaves as it is.
    pub fn new(len: usize) -> Leaves<T> {
        Leaves {
            slots: (0..len).map(|_| OnceLock::new()).collect(),
            per_letter: false,
        }
    }

    /// One value per letter, made from that letter.
    pub fn per_letter(len: usize) -> Leaves<T> {
        Leaves {
            per_letter: true,
            ..Leaves::new(len)
        }
    }

    /// The handle of value `ix`, made by `make` unless made before.
    pub fn get(&self, ix: usize, make: impl FnOnce() -> T) -> Handle<'_, T> {
        let (value, fp) = self.slots[ix].get_or_init(|| (make(), OnceLock::new()));
        let letter = self.per_letter.then_some(ix as u32);
        Handle { value, fp, letter }
    }
}

/// Letter `ix`'s value with a fingerprint known beforehand (a body hashed when it was rendered).
pub fn known<'r, T>(value: &'r T, fp: &'r OnceLock<u64>, ix: usize) -> Handle<'r, T> {
    Handle {
        value,
        fp,
        letter: Some(ix as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Page<'r> {
        title: &'static str,
        rows: Vec<Handle<'r, String>>,
    }

    #[test]
    fn a_handle_shows_its_value_to_templates_and_its_fingerprint_to_the_hash() {
        let leaves: Leaves<String> = Leaves::new(2);
        let a = leaves.get(0, || "een".to_string());
        let page = Page {
            title: "t",
            rows: vec![a, leaves.get(1, || "twee".to_string())],
        };
        let json = serde_json::to_value(&page).unwrap();
        assert_eq!(json["rows"][1], "twee");
        // Made once: a second maker is not called.
        assert_eq!(leaves.get(0, || unreachable!()).get(), "een");
        let other: Leaves<String> = Leaves::new(2);
        let changed = Page {
            title: "t",
            rows: vec![
                other.get(0, || "een".to_string()),
                other.get(1, || "drie".to_string()),
            ],
        };
        assert_ne!(value::of(&page), value::of(&changed));
        let same: Leaves<String> = Leaves::new(2);
        let again = Page {
            title: "t",
            rows: vec![
                same.get(0, || "een".to_string()),
                same.get(1, || "twee".to_string()),
            ],
        };
        assert_eq!(value::of(&page), value::of(&again));
    }
}
