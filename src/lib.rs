//! postkamer: a static site generator for public correspondence archives.
pub mod search;
