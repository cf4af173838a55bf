//! The parse cache: every source file under `content/` with what it parsed to.
//!
//! A file is parsed again only when the watcher names it or, on a full scan,
//! when its modification time or size changed. Each parse gets a new version
//! number, so results derived from a letter (its rendered body) know when
//! they are stale.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::letter::Letter;
use crate::load::{Loaded, Parsed, SourceFile, find_sources, is_hidden, parse_source};
use crate::site_folder::SiteFolder;

/// What identifies one state of a file on disk without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}

/// One source file and its parse result.
#[derive(Debug)]
struct Entry {
    full: PathBuf,
    stamp: Option<Stamp>,
    parsed: Parsed,
    problems: Vec<Diagnostic>,
    /// Hash of everything the letter says except its body (0 for other files).
    meta: u64,
    /// Hash of what linking reads of the letter (see [`hashes`]).
    link: u64,
    version: u64,
}

/// What a [`SourceCache::scan`] or [`SourceCache::refresh`] did.
#[derive(Debug, Default)]
pub struct Refreshed {
    /// Files parsed again, by the path users see.
    pub parsed: Vec<PathBuf>,
    /// Files forgotten because they are gone.
    pub removed: usize,
    /// Whether the whole of `content/` was walked.
    pub scanned: bool,
}

/// Parse results by the path users see (`content/36521/C.md`), sorted like `load` reads them.
#[derive(Debug)]
pub struct SourceCache {
    root: PathBuf,
    site: Arc<SiteFolder>,
    files: BTreeMap<PathBuf, Entry>,
    scan_problems: Vec<Diagnostic>,
    next_version: u64,
}

impl SourceCache {
    pub fn new(site: Arc<SiteFolder>) -> SourceCache {
        SourceCache {
            root: site.root().to_path_buf(),
            site,
            files: BTreeMap::new(),
            scan_problems: Vec::new(),
            next_version: 1,
        }
    }

    /// Walks `content/` and parses every file that is new or whose stamp changed;
    /// forgets files that are gone.
    pub fn scan(&mut self) -> Refreshed {
        let mut problems = Diagnostics::default();
        let found = find_sources(&self.site, &mut problems);
        self.scan_problems = problems.into_vec();
        let mut keep: BTreeMap<PathBuf, Entry> = BTreeMap::new();
        let mut stale: Vec<SourceFile> = Vec::new();
        for file in found {
            let stamp = Stamp::of(&file.full);
            match self.files.remove(&file.display) {
                Some(e) if e.stamp.is_some() && e.stamp == stamp && e.full == file.full => {
                    keep.insert(file.display, e);
                }
                _ => stale.push(file),
            }
        }
        let removed = self.files.len();
        self.files = keep;
        Refreshed {
            parsed: self.parse_all(stale),
            removed,
            scanned: true,
        }
    }

    /// Parses again the files the watcher named (full paths under `content/`).
    /// Returns `None` when a path is a folder, and a full [`scan`](Self::scan) is needed.
    pub fn refresh(&mut self, paths: &[PathBuf]) -> Option<Refreshed> {
        let content = self.root.join("content");
        let mut stale = Vec::new();
        let mut removed = 0;
        for full in paths {
            let Ok(rel) = full.strip_prefix(&content) else {
                continue;
            };
            if rel.as_os_str().is_empty() || rel.components().any(|c| is_hidden(c.as_os_str())) {
                continue;
            }
            let display = self.display_of(full);
            match std::fs::metadata(full) {
                Ok(m) if m.is_dir() => return None,
                Ok(m) if m.is_file() => {
                    if full.extension().is_some_and(|x| x == "md") {
                        stale.push(SourceFile {
                            display,
                            full: full.clone(),
                        });
                    }
                }
                Ok(_) => {}
                Err(_) => removed += self.forget(&display),
            }
        }
        Some(Refreshed {
            parsed: self.parse_all(stale),
            removed,
            scanned: false,
        })
    }

    fn display_of(&self, full: &Path) -> PathBuf {
        full.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| full.to_path_buf())
    }

    /// Forgets a removed file, or every file under a removed folder. Returns how many.
    fn forget(&mut self, display: &Path) -> usize {
        let gone: Vec<PathBuf> = self
            .files
            .range(display.to_path_buf()..)
            .take_while(|(p, _)| p.starts_with(display))
            .map(|(p, _)| p.clone())
            .collect();
        let count = gone.len();
        for p in gone {
            self.files.remove(&p);
        }
        count
    }

    /// Parses files in parallel; returns their display paths.
    fn parse_all(&mut self, files: Vec<SourceFile>) -> Vec<PathBuf> {
        let site = &self.site;
        let parsed: Vec<(PathBuf, Entry)> = files
            .into_par_iter()
            .map(|file| {
                // The stamp is taken before reading: a write racing the read
                // leaves a stamp that no longer matches, and the next scan re-reads.
                let stamp = Stamp::of(&file.full);
                let (mut parsed, problems) = parse_source(site, &file);
                let (meta, link) = hashes(&mut parsed);
                let entry = Entry {
                    full: file.full,
                    stamp,
                    parsed,
                    problems,
                    meta,
                    link,
                    version: 0,
                };
                (file.display, entry)
            })
            .collect();
        let mut paths = Vec::with_capacity(parsed.len());
        for (display, mut entry) in parsed {
            entry.version = self.next_version;
            self.next_version += 1;
            paths.push(display.clone());
            self.files.insert(display, entry);
        }
        paths
    }

    /// Everything parsed, as `load` would return it, with each letter's parse
    /// version, front-matter hash and link hash by [`path_key`]. `reuse` may hand over
    /// the letter of a file at its current version (from the last archive):
    /// it is moved, not cloned.
    pub fn loaded(
        &self,
        drafts: bool,
        mut reuse: impl FnMut(&Path, u64) -> Option<Letter>,
    ) -> (Loaded, HashMap<u64, Stamps>) {
        let mut loaded = Loaded::default();
        let mut versions = HashMap::with_capacity(self.files.len());
        for (display, e) in &self.files {
            match &e.parsed {
                Parsed::Letter(l) if drafts || !l.draft => {
                    let letter = reuse(display, e.version).unwrap_or_else(|| (**l).clone());
                    let stamps = Stamps {
                        version: e.version,
                        link: e.link,
                    };
                    versions.insert(path_key(display), stamps);
                    loaded.letters.push(letter);
                }
                Parsed::Dossier(d) => loaded.dossier_infos.push((**d).clone()),
                _ => {}
            }
        }
        (loaded, versions)
    }

    /// The letter a file parsed to, if it is one.
    pub fn letter(&self, display: &Path) -> Option<&Letter> {
        match &self.files.get(display)?.parsed {
            Parsed::Letter(l) => Some(l),
            _ => None,
        }
    }

    /// The problems found in one file.
    pub fn problems_of(&self, display: &Path) -> &[Diagnostic] {
        self.files
            .get(display)
            .map_or(&[], |e| e.problems.as_slice())
    }

    /// Every problem found while walking and parsing, in file order.
    pub fn problems(&self) -> impl Iterator<Item = &Diagnostic> {
        self.scan_problems
            .iter()
            .chain(self.files.values().flat_map(|e| e.problems.iter()))
    }

    /// The parse version of a file: changes whenever the file is parsed again.
    pub fn version(&self, display: &Path) -> Option<u64> {
        self.files.get(display).map(|e| e.version)
    }

    /// Hash of a letter's front matter (everything but the body).
    pub fn meta(&self, display: &Path) -> u64 {
        self.files.get(display).map_or(0, |e| e.meta)
    }

    /// Hash of what linking reads of a letter (see [`hashes`]).
    pub fn link(&self, display: &Path) -> u64 {
        self.files.get(display).map_or(0, |e| e.link)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A path as a number, for maps that are rebuilt on every rebuild: hashing
/// a `Path` compares it component by component, which showed in profiles.
pub fn path_key(path: &Path) -> u64 {
    crate::hash::Fp::new()
        .add(path.as_os_str().as_encoded_bytes())
        .finish()
}

/// A letter file's parse version and hashes, as [`SourceCache::loaded`] hands them out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stamps {
    pub version: u64,
    pub link: u64,
}

/// A letter's two hashes, `(meta, link)`: `meta` of everything but the body
/// (the body is hashed once rendered); `link` of what
/// [`Archive::link`](crate::archive::Archive::link) reads, that is without
/// what only pages show ([`Shown`](crate::letter::Shown)). Two versions of a
/// letter with the same link hash link the same, so an edit of the title,
/// say, needs no new link. Both are 0 for other files.
fn hashes(parsed: &mut Parsed) -> (u64, u64) {
    let Parsed::Letter(letter) = parsed else {
        return (0, 0);
    };
    let body = std::mem::take(&mut letter.body);
    let shown = std::mem::take(&mut letter.shown);
    let linked = format!("{letter:?}");
    let hash = |text: &str| crate::hash::Fp::new().add(text).finish();
    let link = hash(&linked);
    let meta = hash(&format!("{linked}{shown:?}"));
    letter.body = body;
    letter.shown = shown;
    (meta, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(id: &str, title: &str) -> String {
        format!(
            "---\ndossier: \"1\"\nletter: \"{id}\"\ntitle: \"{title}\"\ndate: 2025-01-0{}\nfrom: A\nto: B\n---\nText {id}.\n",
            id.len()
        )
    }

    #[test]
    fn refresh_reparses_only_named_files_and_forgets_removed_folders() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("content/1");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("A.md"), letter("A", "a")).unwrap();
        std::fs::write(d.join("B.md"), letter("B", "b")).unwrap();
        let mut cache = SourceCache::new(Arc::new(SiteFolder::new(dir.path())));
        assert_eq!(cache.scan().parsed.len(), 2);
        let a = Path::new("content/1/A.md");
        let b = Path::new("content/1/B.md");
        let (va, vb) = (cache.version(a), cache.version(b));
        std::fs::write(d.join("A.md"), letter("A", "changed")).unwrap();
        let r = cache.refresh(&[d.join("A.md")]).unwrap();
        assert_eq!(r.parsed, [a]);
        assert_ne!(cache.version(a), va);
        assert_eq!(cache.version(b), vb);
        std::fs::remove_dir_all(&d).unwrap();
        assert_eq!(cache.refresh(std::slice::from_ref(&d)).unwrap().removed, 2);
        assert!(cache.is_empty());
    }

    #[test]
    fn a_new_folder_asks_for_a_scan() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/2")).unwrap();
        let mut cache = SourceCache::new(Arc::new(SiteFolder::new(dir.path())));
        cache.scan();
        assert!(cache.refresh(&[dir.path().join("content/2")]).is_none());
    }

    #[test]
    fn the_meta_hash_ignores_the_body() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("content/1");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("A.md"), letter("A", "a")).unwrap();
        let mut cache = SourceCache::new(Arc::new(SiteFolder::new(dir.path())));
        cache.scan();
        let p = Path::new("content/1/A.md");
        let before = cache.meta(p);
        std::fs::write(d.join("A.md"), letter("A", "a") + "More text.\n").unwrap();
        cache.refresh(&[d.join("A.md")]);
        assert_eq!(cache.meta(p), before);
        std::fs::write(d.join("A.md"), letter("A", "b")).unwrap();
        cache.refresh(&[d.join("A.md")]);
        assert_ne!(cache.meta(p), before);
    }

    #[test]
    fn the_link_hash_ignores_what_only_pages_show() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("content/1");
        std::fs::create_dir_all(&d).unwrap();
        let file = d.join("A.md");
        let with = |title: &str, kenmerk: &str, note: &str| {
            letter("A", title).replace(
                "from: A",
                &format!("kenmerk: \"{kenmerk}\"\nsource: \"https://example.org/{note}\"\nx_note: {note}\nfrom: A"),
            )
        };
        std::fs::write(&file, with("a", "K-1", "1")).unwrap();
        let mut cache = SourceCache::new(Arc::new(SiteFolder::new(dir.path())));
        cache.scan();
        let p = Path::new("content/1/A.md");
        let (link, meta) = (cache.link(p), cache.meta(p));
        std::fs::write(&file, with("b", "K-2", "2")).unwrap();
        cache.refresh(std::slice::from_ref(&file));
        assert_eq!(cache.link(p), link, "title, kenmerk, source and extra keys");
        assert_ne!(cache.meta(p), meta);
        let base = with("a", "K-1", "1");
        for linked in [
            base.replace("to: B", "to: C"),
            base.replace("x_note: 1", "tags: [x]"),
            base.replace("x_note: 1", "in_reply_to: \"B\""),
            base.replace("date: 2025-01-01", "date: 2025-01-02"),
        ] {
            std::fs::write(&file, &linked).unwrap();
            cache.refresh(std::slice::from_ref(&file));
            assert_ne!(cache.link(p), link, "{linked}");
        }
    }
}
