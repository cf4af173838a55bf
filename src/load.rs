//! Walks `content/` and parses every letter in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::letter::{DossierInfo, Letter, parse_dossier_info, parse_letter};
use crate::progress::Progress;

/// Everything read from `content/`, before linking.
#[derive(Debug, Default)]
pub struct Loaded {
    pub letters: Vec<Letter>,
    pub dossier_infos: Vec<DossierInfo>,
}

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
pub fn find_sources(root: &Path, diagnostics: &mut Diagnostics) -> Vec<SourceFile> {
    let content = root.join("content");
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(root.join("content"), 0, 0, "there is no content/ folder").with_help(
                "put the letters in content/<dossier>/<letter>.md, or run `postkamer new DIR`",
            ),
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                let full = e.path().to_path_buf();
                let display = full
                    .strip_prefix(root)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| full.clone());
                files.push(SourceFile { display, full });
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content.clone());
                diagnostics.push(Diagnostic::error(path, 0, 0, format!("cannot read: {e}")));
            }
        }
    }
    files
}

/// Every file below `dir`, sorted, with its path relative to `dir` written with `/`.
/// A missing folder has no files.
pub fn files_below(dir: &Path) -> impl Iterator<Item = (String, PathBuf)> + '_ {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(move |e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, e.into_path()))
        })
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
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
pub fn parse_source(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let bytes = match std::fs::read(&file.full) {
        Ok(b) => b,
        Err(e) => {
            return (
                Parsed::Failed,
                vec![Diagnostic::error(
                    &file.display,
                    0,
                    0,
                    format!("cannot read: {e}"),
                )],
            );
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
pub fn load(root: &Path, diagnostics: &mut Diagnostics, progress: &Progress) -> Loaded {
    let files = find_sources(root, diagnostics);
    progress.stage("reading letters", files.len());
    let parsed: Vec<(Parsed, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let parsed = parse_source(file);
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
