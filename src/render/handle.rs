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

/// One value with its fingerprint, once made.
type Slot<T> = OnceLock<(T, OnceLock<u64>)>;

/// Values made on first use, one per index (a letter, a dossier), shared by
/// every page that shows them.
pub struct Leaves<T> {
    slots: Vec<Slot<T>>,
}

impl<T: Serialize> Leaves<T> {
    pub fn new(len: usize) -> Leaves<T> {
        Leaves {
            slots: (0..len).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The handle of value `ix`, made by `make` unless made before.
    pub fn get(&self, ix: usize, make: impl FnOnce() -> T) -> Handle<'_, T> {
        let (value, fp) = self.slots[ix].get_or_init(|| (make(), OnceLock::new()));
        Handle { value, fp }
    }
}

/// A value with a fingerprint known beforehand (a body hashed when it was rendered).
pub fn known<'r, T>(value: &'r T, fp: &'r OnceLock<u64>) -> Handle<'r, T> {
    Handle { value, fp }
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
