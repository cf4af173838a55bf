//! `serve`'s engine driven as the server drives it, and what a fresh `build`
//! writes, to compare the two byte for byte.

use std::collections::BTreeMap;
use std::fs;

use postkamer::BuildOptions;
use postkamer::diagnostic::Diagnostics;
use postkamer::output::MARKER;
use postkamer::serve::snapshot::Body;
use postkamer::serve::{Changes, Engine, Rebuilt, Snapshot};

use super::Fixture;

/// An engine with the snapshot it keeps up to date, as the server holds them.
pub struct Preview {
    pub engine: Engine,
    pub snapshot: Snapshot,
}

impl Preview {
    pub fn start(options: BuildOptions) -> Preview {
        let mut p = Preview {
            engine: Engine::new(options),
            snapshot: Snapshot::new("/".into()),
        };
        p.rebuild(Changes::everything());
        p
    }

    /// Rebuilds, renders what was left for later and builds the search index; panics on an error.
    pub fn rebuild(&mut self, changes: Changes) -> Rebuilt {
        self.try_rebuild(changes)
            .unwrap_or_else(|d| panic!("rebuild failed:\n{d}"))
    }

    /// One turn of the server's rebuild thread: the rebuild (whose delta is
    /// applied only when it succeeded), then the pages left for later and the
    /// search index.
    pub fn try_rebuild(&mut self, changes: Changes) -> Result<Rebuilt, Diagnostics> {
        let outcome = self.engine.rebuild(&changes);
        let mut outcome = outcome.map(|mut rebuilt| {
            let delta = std::mem::take(&mut rebuilt.delta);
            self.snapshot.apply(delta, rebuilt.base_path.clone());
            rebuilt
        });
        if let Some(later) = self.engine.render_later() {
            let later = later.unwrap_or_else(|d| panic!("rendering feeds failed:\n{d}"));
            self.snapshot.apply_later(later.delta.put);
            if let Ok(rebuilt) = &mut outcome {
                rebuilt.rendered.extend(later.rendered);
            }
        }
        if let Some(job) = self.engine.search_job() {
            self.snapshot.replace_search(job.build());
        }
        outcome
    }

    pub fn content(&mut self, fixture: &Fixture, rels: &[&str]) -> Rebuilt {
        self.rebuild(Changes {
            content: rels.iter().map(|r| fixture.root().join(r)).collect(),
            ..Changes::default()
        })
    }

    /// Every file served, by output path.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        self.snapshot
            .paths()
            .map(|p| {
                let bytes = match &self.snapshot.get(p).expect("listed").body {
                    Body::Bytes(b) => b.to_vec(),
                    Body::File(_, f) => fs::read(f).unwrap_or_else(|e| panic!("{p}: {e}")),
                };
                (p.to_string(), bytes)
            })
            .collect()
    }
}

/// Every file a fresh `build` writes, by output path.
pub fn built(f: &Fixture) -> BTreeMap<String, Vec<u8>> {
    try_built(f).unwrap_or_else(|d| panic!("build failed:\n{d}"))
}

/// Every file a fresh `build` writes, or why it failed.
pub fn try_built(f: &Fixture) -> Result<BTreeMap<String, Vec<u8>>, Diagnostics> {
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    postkamer::build(&BuildOptions {
        output: Some(public.clone()),
        ..f.options()
    })?;
    Ok(super::files(&public)
        .into_iter()
        .filter(|p| p.as_os_str() != MARKER)
        .map(|p| {
            let bytes = fs::read(public.join(&p)).expect("read");
            (p.to_string_lossy().into_owned(), bytes)
        })
        .collect())
}

/// How `served` differs from `built`: files only one has, or the first
/// differing line of the first file that differs.
pub fn difference(
    served: &BTreeMap<String, Vec<u8>>,
    built: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    let only_served: Vec<_> = served.keys().filter(|k| !built.contains_key(*k)).collect();
    let only_built: Vec<_> = built.keys().filter(|k| !served.contains_key(*k)).collect();
    if !only_served.is_empty() || !only_built.is_empty() {
        return Some(format!(
            "only served {only_served:?}, only built {only_built:?}"
        ));
    }
    let (path, bytes) = built
        .iter()
        .find(|(path, bytes)| served[*path] != **bytes)?;
    let a = String::from_utf8_lossy(&served[path]);
    let b = String::from_utf8_lossy(bytes);
    let line = a
        .lines()
        .zip(b.lines())
        .find(|(x, y)| x != y)
        .map(|(x, y)| format!("served: {x}\n built: {y}"))
        .unwrap_or_default();
    Some(format!("{path} differs from build\n{line}"))
}

pub fn assert_same_as_build(preview: &Preview, f: &Fixture, after: &str) {
    if let Some(d) = difference(&preview.files(), &built(f)) {
        panic!("after {after}: {d}");
    }
}
