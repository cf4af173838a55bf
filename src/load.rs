//! Walks `content/` and parses every letter in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
pub use crate::letter::Loaded;
use crate::letter::{DossierInfo, Letter, parse_dossier_info, parse_letter};
use crate::progress::Progress;
use crate::site_folder::SiteFolder;

/// The name of the file that describes a dossier.
pub const DOSSIER_FILE: &str = "_dossier.md";

/// A source file found under `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// As shown to the user: relative to the site root (`content/36521/C.md`).
    pub display: PathBuf,
    pub full: PathBuf,
}

/// Lists the Markdown files under `content/`, sorted, so every build sees them in one order.
pub fn find_sources(site: &SiteFolder, diagnostics: &mut Diagnostics) -> Vec<SourceFile> {
    let root = site.root();
    let content = root.join("content");
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error_in(root.join("content"), "there is no content/ folder").with_help(
                "put the letters in content/<dossier>/<letter>.md, or run `postkamer new DIR`",
            ),
        );
        return Vec::new();
    }
    let is_letter = |p: &Path| p.extension().is_some_and(|x| x == "md");
    let (found, problems) = site.walk(&content, is_hidden, is_letter);
    diagnostics.extend(problems);
    found
        .into_iter()
        .map(|full| SourceFile {
            display: site.display(&full),
            full,
        })
        .collect()
}

/// Hidden files and editor backups, which are never sources.
pub fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') || n.ends_with('~'))
}

/// One file's parse result, for caching by `serve`.
#[derive(Debug, Clone)]
pub enum Parsed {
    Letter(Box<Letter>),
    Dossier(Box<DossierInfo>),
    Failed,
}

/// Reads and parses one source file.
pub fn parse_source(site: &SiteFolder, file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let bytes = match site.read(&file.full) {
        Ok(b) => b,
        Err(e) => {
            let problem = Diagnostic::error_in(&file.display, format!("cannot read: {e}"))
                .with_help(e.help());
            return (Parsed::Failed, vec![problem]);
        }
    };
    let is_dossier_file = file.full.file_name().is_some_and(|n| n == DOSSIER_FILE);
    if is_dossier_file {
        let folder = file
            .full
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (info, problems) = parse_dossier_info(&file.display, &folder, &bytes);
        (
            info.map_or(Parsed::Failed, |i| Parsed::Dossier(Box::new(i))),
            problems,
        )
    } else {
        let (letter, problems) = parse_letter(&file.display, &bytes);
        let parsed = letter.map_or(Parsed::Failed, |mut l| {
            l.dir = file
                .full
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            Parsed::Letter(Box::new(l))
        });
        (parsed, problems)
    }
}

/// Reads and parses every source file in parallel, collecting every problem.
pub fn load(site: &SiteFolder, diagnostics: &mut Diagnostics, progress: &Progress) -> Loaded {
    let files = find_sources(site, diagnostics);
    progress.stage("reading letters", files.len());
    let parsed: Vec<(Parsed, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let parsed = parse_source(site, file);
            progress.inc();
            parsed
        })
        .collect();
    let mut loaded = Loaded::default();
    for (item, problems) in parsed {
        diagnostics.extend(problems);
        match item {
            Parsed::Letter(l) => loaded.letters.push(*l),
            Parsed::Dossier(d) => loaded.dossier_infos.push(*d),
            Parsed::Failed => {}
        }
    }
    loaded
}
