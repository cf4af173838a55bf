//! The last linked archive and everything derived from it that a rebuild can
//! reuse: each letter's parse version, rendered body and hashes.
//!
//! Two ways to the next archive:
//! - [`Linked::patch`]: when only letter bodies changed (the front matter of
//!   every edited file hashes the same, no file came or went), the archive's
//!   structure cannot have changed. The new bodies are put in place and only
//!   they are rendered; linking and hashing every letter are skipped.
//! - [`Linked::relink`]: anything else. Letters are linked again; unchanged
//!   letters are moved out of the previous archive rather than cloned, and
//!   their rendered bodies are kept unless a letter they cite came or went.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::archive::{Archive, LinkOptions};
use crate::build::check_attachments;
use crate::diagnostic::Diagnostics;
use crate::letter::Letter;
use crate::render::Renderer;
use crate::render::markdown::RenderedBody;

use super::fingerprint::{Fp, LetterHashes};
use super::sources::{Refreshed, SourceCache};

/// What is kept of a rendered body besides its HTML and text.
#[derive(Debug, Clone, Default)]
pub struct BodyInfo {
    /// The parse version of the letter it was rendered from; 0 when not rendered yet.
    pub version: u64,
    pub hash: u64,
    /// Hashes of the `(dossier, id)` keys the body cites.
    pub cited: Vec<u64>,
}

/// An archive with its letters' bodies and hashes.
pub struct Linked {
    pub archive: Archive,
    pub derived: Derived,
}

/// What is derived from an archive's letters, indexed like them.
pub struct Derived {
    /// The parse version of each letter's file.
    pub versions: Vec<u64>,
    pub bodies: Vec<RenderedBody>,
    pub body_info: Vec<BodyInfo>,
    pub hashes: LetterHashes,
    /// What the bodies were rendered against: base path and footnote labels.
    pub body_context: u64,
    /// Whether the rebuild from this archive succeeded: only then may it be patched.
    pub good: bool,
}

/// The hash of a letter key, as bodies record their citations.
pub fn key_hash(dossier: &str, id: &str) -> u64 {
    Fp::new().add(dossier).add(id).finish()
}

impl Linked {
    /// Puts new bodies into the archive when only bodies changed, and says
    /// whether it did; when anything else may have changed it changes nothing
    /// and the archive must be linked again.
    pub fn patch(
        &mut self,
        sources: &SourceCache,
        refreshed: &Refreshed,
        today: chrono::NaiveDate,
    ) -> bool {
        if !self.derived.good
            || refreshed.scanned
            || refreshed.removed > 0
            || self.archive.today != today
        {
            return false;
        }
        let by_path: HashMap<&Path, usize> = self
            .archive
            .letters
            .iter()
            .enumerate()
            .map(|(i, l)| (l.letter.path.as_path(), i))
            .collect();
        let mut edits = Vec::with_capacity(refreshed.parsed.len());
        for path in &refreshed.parsed {
            let fresh = sources.letter(path);
            let Some((&ix, letter)) = by_path.get(path.as_path()).zip(fresh) else {
                return false;
            };
            let same_front_matter = sources.meta(path) == self.derived.hashes.meta[ix];
            if !same_front_matter || !sources.problems_of(path).is_empty() {
                return false;
            }
            edits.push((ix, letter.body.clone(), sources.version(path).unwrap_or(0)));
        }
        for (ix, body, version) in edits {
            self.archive.letters[ix].letter.body = body;
            self.derived.versions[ix] = version;
            self.derived.body_info[ix].version = 0;
        }
        true
    }

    /// Links the parsed letters into a new archive, reusing what `previous` has.
    /// `Err` holds the problems when any is an error, with the archive kept for next time.
    pub fn relink(
        previous: Option<Linked>,
        sources: &SourceCache,
        link: &LinkOptions,
        drafts: bool,
        strict: bool,
    ) -> (Linked, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(sources.problems().cloned());
        let (mut letters, mut bodies, old_keys, context) = match previous {
            Some(p) => p.into_reusable(),
            None => (HashMap::new(), HashMap::new(), HashSet::new(), 0),
        };
        let (loaded, versions) = sources.loaded(drafts, &mut letters);
        let archive = Archive::link(loaded, link, &mut diagnostics);
        check_attachments(&archive, &mut diagnostics);
        if strict {
            diagnostics.make_strict();
        }
        diagnostics.sort();
        let keys: HashSet<u64> = archive
            .letters
            .iter()
            .map(|l| key_hash(&l.letter.dossier, &l.letter.id))
            .collect();
        let flipped: HashSet<u64> = keys.symmetric_difference(&old_keys).copied().collect();
        let versions: Vec<u64> = archive
            .letters
            .iter()
            .map(|l| versions.get(&l.letter.path).copied().unwrap_or(0))
            .collect();
        let mut kept_bodies = Vec::with_capacity(archive.letters.len());
        let mut body_info = Vec::with_capacity(archive.letters.len());
        for (l, &version) in archive.letters.iter().zip(&versions) {
            let (body, info) = match bodies.remove(&l.letter.path) {
                Some((body, info))
                    if info.version == version
                        && !info.cited.iter().any(|k| flipped.contains(k)) =>
                {
                    (body, info)
                }
                _ => Default::default(),
            };
            kept_bodies.push(body);
            body_info.push(info);
        }
        let linked = Linked {
            archive,
            derived: Derived {
                versions,
                bodies: kept_bodies,
                body_info,
                hashes: LetterHashes::default(),
                body_context: context,
                good: false,
            },
        };
        (linked, diagnostics)
    }

    /// Takes the archive apart for [`Linked::relink`]: letters and bodies by file.
    #[allow(clippy::type_complexity)]
    fn into_reusable(
        self,
    ) -> (
        HashMap<PathBuf, (u64, Letter)>,
        HashMap<PathBuf, (RenderedBody, BodyInfo)>,
        HashSet<u64>,
        u64,
    ) {
        let keys = self
            .archive
            .letters
            .iter()
            .map(|l| key_hash(&l.letter.dossier, &l.letter.id))
            .collect();
        let d = self.derived;
        let mut letters = HashMap::with_capacity(self.archive.letters.len());
        let mut bodies = HashMap::with_capacity(self.archive.letters.len());
        let parts = d.bodies.into_iter().zip(d.body_info);
        for ((archived, version), (body, info)) in
            self.archive.letters.into_iter().zip(d.versions).zip(parts)
        {
            let path = archived.letter.path.clone();
            bodies.insert(path.clone(), (body, info));
            letters.insert(path, (version, archived.letter));
        }
        (letters, bodies, keys, d.body_context)
    }
}

impl Derived {
    /// Renders the bodies that are missing or stale (in parallel) and returns
    /// them all for the renderer. Call with the renderer on this archive.
    pub fn render_bodies(&mut self, r: &Renderer<'_>, context: u64) -> Vec<RenderedBody> {
        if context != self.body_context {
            self.body_info.iter_mut().for_each(|i| i.version = 0);
            self.body_context = context;
        }
        let mut bodies = std::mem::take(&mut self.bodies);
        let stale: Vec<usize> = (0..bodies.len())
            .filter(|&i| {
                self.body_info[i].version == 0 || self.body_info[i].version != self.versions[i]
            })
            .collect();
        let fresh: Vec<(usize, RenderedBody, BodyInfo)> = stale
            .par_iter()
            .map(|&ix| {
                let (body, cited) = r.render_body_citing(ix);
                let info = BodyInfo {
                    version: self.versions[ix],
                    hash: Fp::new().add(&body.html).add(&body.text).finish(),
                    cited: cited.iter().map(|(d, i)| key_hash(d, i)).collect(),
                };
                (ix, body, info)
            })
            .collect();
        for (ix, body, info) in fresh {
            if let Some(h) = self.hashes.body.get_mut(ix) {
                *h = info.hash;
            }
            bodies[ix] = body;
            self.body_info[ix] = info;
        }
        bodies
    }

    /// Hashes every letter's summary and front matter (after a relink).
    pub fn hash_letters(&mut self, r: &Renderer<'_>, sources: &SourceCache) {
        let views = r.views();
        let summary = (0..r.archive.letters.len())
            .into_par_iter()
            .map(|ix| Fp::new().add_json(&views.summary(ix)).finish())
            .collect();
        self.hashes = LetterHashes {
            summary,
            body: self.body_info.iter().map(|i| i.hash).collect(),
            meta: r
                .archive
                .letters
                .iter()
                .map(|l| sources.meta(&l.letter.path))
                .collect(),
        };
    }
}
