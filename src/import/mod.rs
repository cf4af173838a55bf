//! `postkamer import`: from the PDFs (or extracted text) people have to letters
//! with drafted front matter in `content/<dossier>/`.
//!
//! Each file goes through four rooms: [`extract`] (PDF or text to text),
//! [`clean`] (lines to paragraphs, footnotes, no page furniture), [`draft`]
//! (front matter read from the text and the archive, never invented) and
//! [`write`] (the letter file, with a hash that protects later edits). One
//! file's failure never stops the others.

pub mod clean;
pub mod draft;
pub mod extract;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::archive::slugify;
use crate::diagnostic::Diagnostics;
use crate::letter::LetterDate;
use crate::site_folder::{ReadError, SiteFolder};
use draft::{Draft, Known, KnownLetters};
use extract::{ExtractError, InputKind};
use write::LetterFile;

/// What an import is asked to do.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The site folder; letters go to its `content/`.
    pub root: PathBuf,
    /// `--dossier`: the dossier of every imported letter, over any citation.
    pub dossier: Option<String>,
    /// Print the drafts, write nothing.
    pub dry_run: bool,
    /// Replace letters that were edited after an earlier import.
    pub force: bool,
}

/// What happened to one input file.
#[derive(Debug)]
pub enum Outcome {
    /// The letter was written (`replaced`: over an earlier, unedited import or with `--force`).
    Written {
        file: LetterFile,
        draft: Box<Draft>,
        replaced: bool,
    },
    /// The same import again: the letter on disk is already this draft.
    Unchanged { file: LetterFile },
    /// `--dry-run`: the draft, not written.
    Planned { file: LetterFile, draft: Box<Draft> },
    /// A letter is in the way and was edited after import (or never imported).
    Refused { file: LetterFile, why: String },
    /// The input could not be read.
    Failed(ExtractError),
}

/// The input files named on the command line: files as given, folders walked
/// for `.pdf` and `.txt` files (sorted). Paths that do not exist are returned apart.
pub fn input_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(
                walkdir::WalkDir::new(path)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file() && InputKind::of(e.path()).is_some())
                    .map(walkdir::DirEntry::into_path),
            );
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            missing.push(path.clone());
        }
    }
    (files, missing)
}

/// Imports files one by one into a site, knowing the letters already in it.
pub struct Importer {
    options: ImportOptions,
    /// The site, as the boundary of what the import reads and writes.
    site: SiteFolder,
    known: KnownLetters,
    /// Letter files written in this run, with the input that made each.
    claimed: HashMap<PathBuf, PathBuf>,
}

impl Importer {
    /// Loads the site's letters (through the project's loader) to resolve
    /// "uw brief van …"; problems in them are returned, not fatal here.
    pub fn new(options: ImportOptions) -> (Importer, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let mut known = KnownLetters::default();
        let site = SiteFolder::new(&options.root);
        if options.root.join("content").is_dir() {
            let loaded = crate::load::load(
                &site,
                &mut diagnostics,
                &crate::progress::Progress::hidden(),
            );
            for letter in loaded.letters {
                for party in letter.from.iter().chain(&letter.to) {
                    known.add_person(party);
                }
                if let LetterDate::Day(date) = letter.date {
                    known.add(
                        date,
                        Known {
                            dossier: letter.dossier,
                            id: letter.id,
                            from: letter.from,
                        },
                    );
                }
            }
        }
        let importer = Importer {
            options,
            site,
            known,
            claimed: HashMap::new(),
        };
        (importer, diagnostics)
    }

    /// Imports one file.
    pub fn import(&mut self, input: &Path) -> Outcome {
        let text = match extract::read_text(input) {
            Ok(t) => t,
            Err(e) => return Outcome::Failed(e),
        };
        let cleaned = clean::clean(&text);
        let draft = draft::draft(&cleaned, self.options.dossier.as_deref(), &self.known);
        let stem = input
            .file_stem()
            .map(|s| slugify(&s.to_string_lossy()))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "brief".to_string());
        let attachment = format!(
            "{stem}.{}",
            input
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default()
        );
        let file = write::letter_file(&draft, &cleaned, &attachment, &stem);
        if self.options.dry_run {
            return Outcome::Planned {
                file,
                draft: Box::new(draft),
            };
        }
        self.place(input, file, draft)
    }

    /// Writes the letter and its original unless an edited letter is in the way.
    fn place(&mut self, input: &Path, file: LetterFile, draft: Draft) -> Outcome {
        let target = self.options.root.join(&file.path);
        if let Some(first) = self.claimed.get(&file.path) {
            let why = format!(
                "{} already imported {} in this run; rename one of the two inputs",
                first.display(),
                file.path.display()
            );
            return Outcome::Refused { file, why };
        }
        let existing = match self.site.read(&target) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(ReadError::Outside) => {
                let why = outside(&file.path);
                return Outcome::Refused { file, why };
            }
            Err(ReadError::Io(_)) => None,
        };
        if existing.as_deref() == Some(file.text.as_str()) {
            self.claimed.insert(file.path.clone(), input.to_path_buf());
            return Outcome::Unchanged { file };
        }
        let replaced = existing.is_some();
        if let Some(text) = &existing
            && !self.options.force
            && !write::unedited(text)
        {
            let why = format!(
                "{} was edited after its import (or written by hand) and is left as it is; use --force to replace it",
                file.path.display()
            );
            return Outcome::Refused { file, why };
        }
        match write_files(&self.site, input, &target, &file) {
            Ok(()) => {}
            Err(ReadError::Outside) => {
                let why = outside(&file.path);
                return Outcome::Refused { file, why };
            }
            Err(ReadError::Io(source)) => {
                return Outcome::Failed(ExtractError::Read {
                    path: target,
                    source,
                });
            }
        }
        self.claimed.insert(file.path.clone(), input.to_path_buf());
        Outcome::Written {
            file,
            draft: Box::new(draft),
            replaced,
        }
    }
}

/// Why a letter whose place leads out of the site is not written.
fn outside(letter: &Path) -> String {
    format!(
        "{} leads outside the site folder (a symbolic link on the way); nothing was written — make its folder a plain folder inside the site",
        letter.display()
    )
}

/// Copies the original beside the letter, then writes the letter, both
/// through the site-folder guard (never outside the site, never half a file).
fn write_files(
    site: &SiteFolder,
    input: &Path,
    target: &Path,
    file: &LetterFile,
) -> Result<(), ReadError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    if let Some(name) = &file.attachment {
        let copy = dir.join(name);
        let same = std::fs::canonicalize(&copy).ok() == std::fs::canonicalize(input).ok();
        if !same {
            site.write(&copy, &std::fs::read(input)?)?;
        }
    }
    site.write(target, file.text.as_bytes())
}
