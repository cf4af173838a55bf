//! Subcommands too long to sit in `main.rs`: each parses nothing, calls the library, reports.

pub mod import;
