//! postkamer: a static site generator for public correspondence archives.
//!
//! Data flows one way: `site.toml` and `content/` are loaded ([`load`]),
//! linked into an [`archive::Archive`], rendered page by page ([`render`]) and
//! written atomically ([`output`]). The library knows nothing of the command line.

pub mod archive;
pub mod build;
pub mod claims;
pub mod config;
pub mod diagnostic;
pub mod hash;
pub mod import;
pub mod letter;
pub mod load;
pub mod output;
pub mod paths;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod site_folder;

pub use build::{BuildOptions, BuildReport, build, check, check_with_report};
