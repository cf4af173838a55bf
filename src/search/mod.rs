//! The full-text search index (issue 3).
pub mod stem;
pub mod tokenize;

/// The language of the archive: chooses stemmer and stop words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Dutch (`nl`).
    Dutch,
    /// English (`en`).
    English,
}
