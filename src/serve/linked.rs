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

use rayon::prelude::*;

use crate::archive::MissingCitations;
use crate::archive::reference::{Target, Whose, normalise_dossier};
use crate::archive::{Archive, LetterIx, LinkOptions};
use crate::diagnostic::Diagnostics;
use crate::hash::Fp;
use crate::letter::{Letter, LetterDate};
use crate::render::markdown::RenderedBody;
use crate::render::{Renderer, Templates, body_fingerprint};
use crate::site::check_attachments;
use crate::site_folder::SiteFolder;

use super::sources::{Refreshed, SourceCache, Stamps, path_key};

/// What is kept of a rendered body besides its HTML and text.
#[derive(Debug, Clone, Default)]
pub struct BodyInfo {
    /// The parse version of the letter it was rendered from; 0 when not rendered yet.
    pub version: u64,
    pub hash: u64,
    /// The [`reference_key`]s of what the body refers to, found or not.
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
    /// Each letter's link hash ([`SourceCache::link`]).
    links: Vec<u64>,
    /// Each letter's [`path_key`], and what every [`reference_key`] resolves
    /// to: the next relink matches letters by them.
    paths: Vec<u64>,
    keys: HashMap<u64, u64>,
    /// Letter index by [`path_key`], so a patch finds an edited letter without a pass over all.
    by_path: HashMap<u64, usize>,
    pub bodies: Vec<RenderedBody>,
    pub body_info: Vec<BodyInfo>,
    /// What the bodies were rendered against: base path and footnote labels.
    pub body_context: u64,
    /// Whether the rebuild from this archive succeeded: only then may it be patched.
    pub good: bool,
    /// The citations of letters the archive lacks, found in every body: what
    /// dossiers' gaps show. Kept while no letter comes or goes and no body
    /// cites anew; `None` while lent to a renderer or to be found again.
    pub missing: Option<MissingCitations>,
    /// Their fingerprint ([`Renderer::missing_fingerprint`]).
    pub missing_fp: u64,
}

/// The hash of a letter key, as bodies record their citations.
pub fn key_hash(dossier: &str, id: &str) -> u64 {
    Fp::new().add(dossier).add(id).finish()
}

/// The hash of what a reference in a letter of `dossier` looks up: a letter
/// key, or for "uw brief van …" the dossier and the date.
pub fn reference_key(dossier: &str, target: &Target) -> u64 {
    match target {
        Target::Citation { dossier, letter } => key_hash(dossier, letter),
        Target::Dated { date, .. } => Fp::new().add(&2u8).add(dossier).add(date).finish(),
    }
}

/// Every [`reference_key`] the archive can answer, with a hash of the answer:
/// a letter's URL, or the letters of a date with their senders and addressees.
/// A body must be rendered again when a key it looked up answers differently.
fn reference_answers(archive: &Archive) -> HashMap<u64, u64> {
    let mut answers: HashMap<u64, u64> = HashMap::with_capacity(archive.letters.len() * 2);
    for l in &archive.letters {
        let dossier = normalise_dossier(&l.letter.dossier);
        answers.insert(
            key_hash(&dossier, &l.letter.id),
            Fp::new().add(&l.url).finish(),
        );
        if let LetterDate::Day(date) = l.letter.date {
            let target = Target::Dated {
                whose: Whose::Either,
                date,
            };
            let mut h = Fp::new();
            h.add(&l.url);
            for &c in l.from.iter().chain(&l.to) {
                h.add(&archive.correspondents[c].slug);
            }
            h.add(&l.from.len());
            // Order-free: the letters of one date may come in any order.
            let entry = answers
                .entry(reference_key(&l.letter.dossier, &target))
                .or_insert(0);
            *entry = entry.wrapping_add(h.finish());
        }
    }
    answers
}

impl Linked {
    /// Puts new bodies into the archive when only bodies or shown fields
    /// changed, and returns the letters it changed; when anything else may
    /// have changed it changes nothing and the archive must be linked again.
    pub fn patch(
        &mut self,
        sources: &SourceCache,
        refreshed: &Refreshed,
        today: chrono::NaiveDate,
    ) -> Option<Vec<LetterIx>> {
        if !self.derived.good
            || refreshed.scanned
            || refreshed.removed > 0
            || self.archive.today != today
        {
            return None;
        }
        let by_path = &self.derived.by_path;
        let mut edits = Vec::with_capacity(refreshed.parsed.len());
        for path in &refreshed.parsed {
            let fresh = sources.letter(path);
            let (&ix, letter) = by_path.get(&path_key(path)).zip(fresh)?;
            let links_the_same = sources.link(path) == self.derived.links[ix];
            if !links_the_same || !sources.problems_of(path).is_empty() {
                return None;
            }
            // A body that now cites other letters changes their "cited in" lists: link again.
            let a = &self.archive;
            if a.lookup.cited_in(&a.letters, ix, &letter.body) != a.letters[ix].cites {
                return None;
            }
            edits.push((ix, letter, sources.version(path)));
        }
        let edited = edits.iter().map(|(ix, _, _)| *ix).collect();
        for (ix, letter, version) in edits {
            // The link hash is unchanged: only the body or what pages show differs.
            self.archive.replace_unlinked(ix, letter.clone());
            self.derived.versions[ix] = version.unwrap_or(0);
            self.derived.body_info[ix].version = 0;
        }
        Some(edited)
    }

    /// Links the parsed letters into a new archive, reusing what `previous` has.
    /// `Err` holds the problems when any is an error, with the archive kept for next time.
    pub fn relink(
        previous: Option<Linked>,
        sources: &SourceCache,
        folder: &SiteFolder,
        link: &LinkOptions,
        drafts: bool,
        strict: bool,
    ) -> (Linked, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(sources.problems().cloned());
        let Reusable {
            mut letters,
            letter_ix,
            mut kept,
            keys: old_keys,
            body_context,
        } = previous.map(Linked::into_reusable).unwrap_or_default();
        let (loaded, versions) = sources.loaded(drafts, |path, version| {
            let slot = letters.get_mut(*letter_ix.get(&path_key(path))?)?;
            match slot.take() {
                Some((v, letter)) if v == version => Some(letter),
                _ => None,
            }
        });
        let archive = Archive::link(loaded, link, &mut diagnostics);
        check_attachments(&archive, folder, &mut diagnostics);
        if strict {
            diagnostics.make_strict();
        }
        diagnostics.sort();
        let keys = reference_answers(&archive);
        let flipped: HashSet<u64> = keys
            .iter()
            .filter(|&(k, v)| old_keys.get(k) != Some(v))
            .chain(old_keys.iter().filter(|&(k, _)| !keys.contains_key(k)))
            .map(|(&k, _)| k)
            .collect();
        let paths: Vec<u64> = archive
            .letters
            .iter()
            .map(|l| path_key(&l.letter.path))
            .collect();
        let stamps: Vec<Stamps> = paths
            .iter()
            .map(|p| versions.get(p).copied().unwrap_or_default())
            .collect();
        let versions: Vec<u64> = stamps.iter().map(|s| s.version).collect();
        let links = stamps.iter().map(|s| s.link).collect();
        let n = archive.letters.len();
        let (mut bodies, mut body_info) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for (path, &version) in paths.iter().zip(&versions) {
            let k = kept.remove(path).unwrap_or_default();
            let current =
                k.info.version == version && !k.info.cited.iter().any(|c| flipped.contains(c));
            let (body, info) = if current {
                (k.body, k.info)
            } else {
                Default::default()
            };
            bodies.push(body);
            body_info.push(info);
        }
        let linked = Linked {
            archive,
            derived: Derived {
                versions,
                links,
                by_path: paths.iter().enumerate().map(|(i, &p)| (p, i)).collect(),
                paths,
                keys,
                bodies,
                body_info,
                body_context,
                good: false,
                missing: None,
                missing_fp: 0,
            },
        };
        (linked, diagnostics)
    }

    /// Takes the archive apart for [`Linked::relink`]: letters and what was derived from them, by file.
    fn into_reusable(self) -> Reusable {
        let d = self.derived;
        let n = self.archive.letters.len();
        let mut letters = Vec::with_capacity(n);
        let mut letter_ix = HashMap::with_capacity(n);
        let mut kept = HashMap::with_capacity(n);
        let derived = d.bodies.into_iter().zip(d.body_info);
        for (((archived, version), path), (body, info)) in self
            .archive
            .letters
            .into_iter()
            .zip(d.versions)
            .zip(d.paths)
            .zip(derived)
        {
            kept.insert(path, Kept { body, info });
            letter_ix.insert(path, letters.len());
            letters.push(Some((version, archived.letter)));
        }
        Reusable {
            letters,
            letter_ix,
            kept,
            keys: d.keys,
            body_context: d.body_context,
        }
    }
}

/// The parts of the last archive a relink can reuse, by [`path_key`].
#[derive(Default)]
struct Reusable {
    /// Letters with the parse version they came from, each taken at most once.
    letters: Vec<Option<(u64, Letter)>>,
    letter_ix: HashMap<u64, usize>,
    kept: HashMap<u64, Kept>,
    /// The reference answers of the last archive, to see which changed.
    keys: HashMap<u64, u64>,
    body_context: u64,
}

/// What was derived from one letter.
#[derive(Default)]
struct Kept {
    body: RenderedBody,
    info: BodyInfo,
}

impl Derived {
    /// Renders the bodies that are missing or stale (in parallel) and returns
    /// them all for the renderer, and whether each body rendered again cites
    /// what it cited before. Call with the renderer on this archive.
    pub fn render_bodies(&mut self, r: &Renderer<'_>, context: u64) -> (Vec<RenderedBody>, bool) {
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
                let letter = &r.archive.letters[ix].letter;
                let (body, cited) = r.render_source_citing(ix, &letter.body);
                let info = BodyInfo {
                    version: self.versions[ix],
                    hash: body_fingerprint(&body),
                    cited: cited
                        .iter()
                        .map(|t| reference_key(&letter.dossier, t))
                        .collect(),
                };
                (ix, body, info)
            })
            .collect();
        let mut same_cites = true;
        for (ix, body, info) in fresh {
            same_cites &= bodies.get(ix).is_some_and(|old| old.cites == body.cites);
            bodies[ix] = body;
            self.body_info[ix] = info;
        }
        (bodies, same_cites)
    }

    /// Hands the bodies, their fingerprints and the missing citations to a renderer on this archive.
    pub fn lend(&mut self, r: &mut Renderer<'_>) {
        let bodies = std::mem::take(&mut self.bodies);
        r.set_hashed_bodies(bodies, &self.body_fps(), self.missing.take());
    }

    /// Takes back what [`Derived::lend`] lent; returns the templates.
    pub fn take_back(&mut self, r: Renderer<'_>) -> Templates {
        let (templates, bodies, missing) = r.into_parts();
        self.bodies = bodies;
        self.missing = Some(missing);
        templates
    }

    /// Each body's fingerprint, indexed like the bodies.
    pub fn body_fps(&self) -> Vec<u64> {
        self.body_info.iter().map(|i| i.hash).collect()
    }
}
