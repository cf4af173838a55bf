//! postkamer: a static site generator for public correspondence archives.
pub mod archive;
pub mod config;
pub mod diagnostic;
pub mod letter;
pub mod load;
pub mod search;
