//! Hashing a value through its `Serialize` implementation: what a template or
//! writer is given is exactly what is hashed, field by field, with no text in between.
//!
//! The serializer says it is not human-readable. A value that keeps its own
//! fingerprint (a page context's handle, see `render::handle`) uses that to hash
//! as its fingerprint alone, instead of walking its contents again.

use std::hash::Hash;

use serde::ser::{self, Serialize};

use super::Fp;

/// The fingerprint of `value` as serde sees it.
pub fn of<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut fp = Fp::new();
    add(&mut fp, value);
    fp.finish()
}

/// Adds `value`, as serde sees it, to a fingerprint.
pub fn add<T: Serialize + ?Sized>(fp: &mut Fp, value: &T) {
    hash(fp, value, None);
}

/// Adds `value` to a fingerprint and collects the letters its handles show
/// (each [`Letter`] met, in order, repeats kept).
pub fn add_reading<T: Serialize + ?Sized>(fp: &mut Fp, value: &T, letters: &mut Vec<u32>) {
    hash(fp, value, Some(letters));
}

fn hash<T: Serialize + ?Sized>(fp: &mut Fp, value: &T, letters: Option<&mut Vec<u32>>) {
    let mut hasher = ValueHasher {
        fp,
        letters,
        letter_next: false,
    };
    // Hashing cannot fail; a value whose `Serialize` fails also fails to render,
    // where the error is reported, so its fingerprint need not be exact.
    if value.serialize(&mut hasher).is_err() {
        hasher.fp.add(&Tag::Failed);
    }
}

/// The letter a handle's value is made from, serialised beside its
/// fingerprint: collected by [`add_reading`], never hashed, so a page's
/// fingerprint does not move when letters are numbered anew.
pub struct Letter(pub u32);

const LETTER: &str = "$postkamer::letter";

impl Serialize for Letter {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(LETTER, &self.0)
    }
}

/// Marks what kind of value comes next, so that values of different shapes
/// (`Some("")` and `""`, `[1]` and `1`) hash apart.
#[derive(Hash)]
enum Tag {
    Bool,
    Int,
    Uint,
    Float,
    Char,
    Str,
    Bytes,
    None,
    Some,
    Unit,
    Variant,
    Seq,
    Map,
    Struct,
    End,
    Failed,
}

struct ValueHasher<'h> {
    fp: &'h mut Fp,
    letters: Option<&'h mut Vec<u32>>,
    /// The next number is a [`Letter`]'s.
    letter_next: bool,
}

/// Nothing goes wrong while hashing; a value's own `Serialize` may still fail.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl ValueHasher<'_> {
    fn put<T: Hash + ?Sized>(&mut self, tag: Tag, value: &T) -> Result<(), Error> {
        self.fp.add(&tag).add(value);
        Ok(())
    }
}

/// The key under which a value that carries its own fingerprint serialises it,
/// in place of its contents (only for serializers that are not human-readable:
/// a template must see the value itself).
pub const FINGERPRINT: &str = "$postkamer::fingerprint";

impl<'a, 'h> ser::Serializer for &'a mut ValueHasher<'h> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.put(Tag::Bool, &v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.put(Tag::Int, &v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.put(Tag::Int, &v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        if std::mem::take(&mut self.letter_next) {
            if let (Some(letters), Ok(v)) = (self.letters.as_mut(), u32::try_from(v)) {
                letters.push(v);
            }
            return Ok(());
        }
        self.put(Tag::Uint, &v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.put(Tag::Uint, &v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.put(Tag::Float, &v.to_bits())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.put(Tag::Char, &v)
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.put(Tag::Str, v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.put(Tag::Bytes, v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.put(Tag::None, &())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.fp.add(&Tag::Some);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.put(Tag::Unit, &())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Error> {
        self.put(Tag::Unit, name)
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.fp.add(&Tag::Variant).add(name);
        self.put(Tag::Unit, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if name == LETTER {
            self.letter_next = true;
            return value.serialize(self);
        }
        self.fp.add(name);
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.fp.add(&Tag::Variant).add(name).add(variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Error> {
        self.fp.add(&Tag::Seq);
        Ok(self)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self, Error> {
        self.fp.add(&Tag::Seq);
        Ok(self)
    }
    fn serialize_tuple_struct(self, name: &'static str, _len: usize) -> Result<Self, Error> {
        self.fp.add(&Tag::Seq).add(name);
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.fp
            .add(&Tag::Variant)
            .add(name)
            .add(variant)
            .add(&Tag::Seq);
        Ok(self)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Error> {
        self.fp.add(&Tag::Map);
        Ok(self)
    }
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Self, Error> {
        self.fp.add(&Tag::Struct).add(name);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.fp
            .add(&Tag::Variant)
            .add(name)
            .add(variant)
            .add(&Tag::Struct);
        Ok(self)
    }
}

impl ValueHasher<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self)
    }
    fn end(&mut self) -> Result<(), Error> {
        self.put(Tag::End, &())
    }
}

impl ser::SerializeSeq for &mut ValueHasher<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        ValueHasher::end(self)
    }
}

impl ser::SerializeTuple for &mut ValueHasher<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        ValueHasher::end(self)
    }
}

impl ser::SerializeTupleStruct for &mut ValueHasher<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        ValueHasher::end(self)
    }
}

impl ser::SerializeTupleVariant for &mut ValueHasher<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        ValueHasher::end(self)
    }
}

impl ser::SerializeMap for &mut ValueHasher<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.element(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        ValueHasher::end(self)
    }
}

impl ser::SerializeStruct for &mut ValueHasher<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.fp.add(key);
        self.element(value)
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Error> {
        self.put(Tag::None, key)
    }
    fn end(self) -> Result<(), Error> {
        ValueHasher::end(self)
    }
}

impl ser::SerializeStructVariant for &mut ValueHasher<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.fp.add(key);
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        ValueHasher::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Row<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
        deadline: Option<&'a str>,
    }

    fn row<'a>(title: &'a str, tags: Vec<&'a str>, deadline: Option<&'a str>) -> u64 {
        of(&Row {
            title,
            tags,
            deadline,
        })
    }

    #[test]
    fn any_changed_field_changes_the_fingerprint() {
        let base = row("a", vec!["x"], None);
        assert_eq!(base, row("a", vec!["x"], None));
        assert_ne!(base, row("b", vec!["x"], None));
        assert_ne!(base, row("a", vec!["x", "y"], None));
        assert_ne!(base, row("a", vec![], None));
        assert_ne!(base, row("a", vec!["x"], Some("")));
    }

    #[test]
    fn values_cannot_shift_into_their_neighbours() {
        assert_ne!(of(&("ab", "c")), of(&("a", "bc")));
        assert_ne!(
            of(&(vec!["a"], vec!["b"])),
            of(&(vec!["a", "b"], Vec::<&str>::new()))
        );
        assert_ne!(of(&Some(1u8)), of(&1u8));
        assert_ne!(of(&1i64), of(&1u64));
    }

    #[test]
    fn letters_are_collected_and_not_hashed() {
        let mut letters = Vec::new();
        let mut fp = Fp::new();
        add_reading(&mut fp, &(1u8, Letter(7), vec![Letter(3)]), &mut letters);
        assert_eq!(letters, [7, 3]);
        assert_eq!(fp.finish(), of(&(1u8, Letter(8), vec![Letter(4)])));
        assert_ne!(of(&(1u8, Letter(7))), of(&(2u8, Letter(7))));
    }
}
