//! The incremental build behind `serve`.
//!
//! The engine keeps, between rebuilds: the parsed site settings and compiled
//! templates, every source file's parse result, every letter's rendered body,
//! and the fingerprint of every file the server holds. A rebuild parses only
//! the files that changed, links the archive again (linear, a few
//! milliseconds at 10,000 letters), reuses the bodies of unchanged letters,
//! and renders only the pages whose fingerprint changed (see
//! [`fingerprint`](super::fingerprint)). The result is a [`Delta`] for the
//! snapshot; on any error the delta is withheld and the last good build stays.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use rayon::prelude::*;

use crate::archive::{Archive, LinkOptions};
use crate::build::{BuildOptions, MANIFEST_PATH, build_date, check_attachments, page_manifest};
use crate::config::{Language, SiteConfig};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::markdown::RenderedBody;
use crate::render::theme::Theme;
use crate::render::{Page, Renderer, Templates, file_of, page_url};

use super::fingerprint::{Fingerprints, Fp, LetterHashes};
use super::snapshot::{Delta, Served};
use super::sources::SourceCache;
use super::template_deps::TemplateFps;

/// What changed on disk since the last rebuild, as the watcher saw it.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// `site.toml`: everything is rebuilt.
    pub config: bool,
    /// Something under `themes/`.
    pub theme: bool,
    /// Something under `static/`.
    pub site_static: bool,
    /// Paths under `content/` (files or folders, present or gone).
    pub content: Vec<PathBuf>,
    /// The watcher lost track: check every file.
    pub rescan: bool,
}

impl Changes {
    /// Everything, for the first build.
    pub fn everything() -> Changes {
        Changes {
            config: true,
            theme: true,
            site_static: true,
            content: Vec::new(),
            rescan: true,
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.config && !self.theme && !self.site_static && !self.rescan && self.content.is_empty()
    }

    /// Adds another batch of changes to this one.
    pub fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.theme |= other.theme;
        self.site_static |= other.site_static;
        self.rescan |= other.rescan;
        self.content.extend(other.content);
        self.content.sort();
        self.content.dedup();
    }
}

/// What a successful rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    /// The change to apply to the snapshot.
    pub delta: Delta,
    /// Site-relative URLs of the pages rendered by this rebuild.
    pub rendered: Vec<String>,
    /// Pages and files the site has in total.
    pub files: usize,
    pub letters: usize,
    /// Warnings not reported by the previous rebuild.
    pub new_warnings: Vec<Diagnostic>,
    pub base_path: String,
    pub elapsed: Duration,
    /// How long each step took, for the benchmark.
    pub phases: Vec<(&'static str, Duration)>,
}

/// How long each step of a rebuild took.
struct Phases {
    list: Vec<(&'static str, Duration)>,
    lap: Instant,
}

impl Phases {
    fn new() -> Phases {
        Phases {
            list: Vec::new(),
            lap: Instant::now(),
        }
    }

    /// Ends the current step.
    fn mark(&mut self, name: &'static str) {
        self.list.push((name, self.lap.elapsed()));
        self.lap = Instant::now();
    }
}

/// A letter's rendered body, kept while its file and the letters it cites stay the same.
struct CachedBody {
    version: u64,
    body: RenderedBody,
    hash: u64,
    cited: Vec<(String, String)>,
}

/// Settings and theme: reloaded only when `site.toml` or `themes/` change.
#[derive(Default)]
struct SiteState {
    config: Option<SiteConfig>,
    theme: Option<Theme>,
    templates: Option<Templates>,
    template_fps: TemplateFps,
}

/// The files of the last good build: output path → fingerprint.
#[derive(Default)]
struct ServedState {
    fps: HashMap<String, u64>,
    /// The fingerprint the search index was built from, and its files.
    search_fp: Option<u64>,
    search_files: Vec<String>,
    warnings: HashSet<String>,
}

/// The incremental build. Holds no global state: one per served site.
pub struct Engine {
    options: BuildOptions,
    site: SiteState,
    sources: SourceCache,
    bodies: HashMap<PathBuf, CachedBody>,
    /// What every body depends on besides its letter: base path and footnote labels.
    body_context: u64,
    /// The (dossier, id) of every letter of the last link.
    keys: HashSet<(String, String)>,
    static_files: Vec<(String, PathBuf)>,
    served: ServedState,
}

/// Something to put in the snapshot, made only when its fingerprint changed.
enum Make {
    Page(Page),
    ThemeAsset(String),
    File(PathBuf),
    Bytes(Bytes),
    Manifest,
    /// Kept from the previous build (its fingerprint is unchanged).
    Unchanged,
}

/// Every file of the new build with its fingerprint, in the order `build`
/// writes them (a later file at the same path wins, as in `build`).
#[derive(Default)]
struct Plan {
    files: HashMap<String, (u64, Make)>,
}

impl Plan {
    fn add(&mut self, path: String, fp: u64, make: Make) {
        self.files.insert(path, (fp, make));
    }
}

impl Engine {
    /// An engine for the site of `options`; nothing is read until [`Engine::rebuild`].
    pub fn new(options: BuildOptions) -> Engine {
        let sources = SourceCache::new(&options.root);
        Engine {
            options,
            site: SiteState::default(),
            sources,
            bodies: HashMap::new(),
            body_context: 0,
            keys: HashSet::new(),
            static_files: Vec::new(),
            served: ServedState::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Rebuilds what `changes` affect. `Err` holds every error; the previous
    /// build stays valid and the next rebuild compares against it.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        let started = Instant::now();
        let mut phases = Phases::new();
        self.site.refresh(&self.options, changes).map_err(one)?;
        self.refresh_content(changes);
        if changes.site_static || changes.rescan || changes.config {
            self.static_files = list_static(&self.options.root);
        }
        phases.mark("read");
        let (archive, diagnostics) = self.link(&mut phases)?;
        let (Some(config), Some(theme)) = (&self.site.config, &self.site.theme) else {
            return Err(one(Diagnostic::error(
                "site.toml",
                0,
                0,
                "the site is not loaded",
            )));
        };
        let Some(templates) = self.site.templates.take() else {
            return Err(one(Diagnostic::error(
                "themes",
                0,
                0,
                "the templates are not compiled",
            )));
        };
        let mut renderer = Renderer::with_templates(&archive, config, templates);
        let context = body_context(&renderer);
        if context != self.body_context {
            self.bodies.clear();
            self.body_context = context;
        }
        let flipped = flipped_keys(&mut self.keys, &archive);
        let (bodies, infos) = bodies_for(&mut self.bodies, &self.sources, &renderer, &flipped);
        renderer.set_bodies(bodies);
        phases.mark("bodies");
        let site_fp = site_fp(config, &renderer, &archive);
        let hashes = letter_hashes(&renderer, &infos, &self.sources);
        phases.mark("hash");
        let plan = plan(
            &renderer,
            &hashes,
            &self.site.template_fps,
            site_fp,
            &self.static_files,
            theme,
            &mut self.served,
        );
        phases.mark("plan");
        let made = make(&renderer, theme, plan, &self.served.fps);
        phases.mark("render");
        let (templates, bodies) = renderer.into_parts();
        self.site.templates = Some(templates);
        keep_bodies(&mut self.bodies, &archive, bodies, infos);
        let (delta, rendered, fps) = made.map_err(|errors| {
            let mut all = diagnostics.clone();
            all.extend(errors);
            all
        })?;
        let files = fps.len();
        self.served.fps = fps;
        let new_warnings = self.served.new_warnings(diagnostics);
        Ok(Rebuilt {
            delta,
            rendered,
            files,
            letters: archive.letters.len(),
            new_warnings,
            base_path: config.base_path(),
            elapsed: started.elapsed(),
            phases: phases.list,
        })
    }

    fn refresh_content(&mut self, changes: &Changes) {
        let needs_scan =
            changes.rescan || self.sources.is_empty() || !self.sources.refresh(&changes.content);
        if needs_scan {
            self.sources.scan();
        }
    }

    /// Links the cached letters into an archive and collects every problem.
    fn link(&self, phases: &mut Phases) -> Result<(Archive, Diagnostics), Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(self.sources.problems().cloned());
        let Some(config) = &self.site.config else {
            return Err(one(Diagnostic::error(
                "site.toml",
                0,
                0,
                "the site is not loaded",
            )));
        };
        let link = LinkOptions {
            default_chamber: config.archive.chamber,
            today: build_date(self.options.today),
        };
        let loaded = self.sources.loaded(self.options.drafts);
        phases.mark("load");
        let archive = Archive::link(loaded, &link, &mut diagnostics);
        phases.mark("link");
        check_attachments(&archive, &mut diagnostics);
        if self.options.strict {
            diagnostics.make_strict();
        }
        diagnostics.sort();
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok((archive, diagnostics))
    }
}

impl SiteState {
    /// Reloads `site.toml`, the theme and the templates when they changed or
    /// failed before. A failure leaves the part unloaded, so the next rebuild retries.
    fn refresh(&mut self, options: &BuildOptions, changes: &Changes) -> Result<(), Diagnostic> {
        if changes.config || self.config.is_none() {
            self.config = None;
            self.theme = None;
            let mut config = SiteConfig::load(&options.root)?;
            if let Some(url) = &options.base_url {
                config.base_url = url.clone();
            }
            self.config = Some(config);
        }
        if changes.theme || self.theme.is_none() || self.templates.is_none() {
            self.theme = None;
            self.templates = None;
            let Some(config) = &self.config else {
                return Ok(());
            };
            let theme = Theme::load(&options.root, &config.theme)?;
            let templates = Templates::compile(&theme, config).map_err(first_or_unknown)?;
            self.template_fps = TemplateFps::new(&theme);
            self.theme = Some(theme);
            self.templates = Some(templates);
        }
        Ok(())
    }
}

impl ServedState {
    /// Warnings that the previous rebuild did not report, and remembers them all.
    fn new_warnings(&mut self, diagnostics: Diagnostics) -> Vec<Diagnostic> {
        let mut now = HashSet::new();
        let mut fresh = Vec::new();
        for d in diagnostics {
            let text = d.to_string();
            if !self.warnings.contains(&text) {
                fresh.push(d);
            }
            now.insert(text);
        }
        self.warnings = now;
        fresh
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(d);
    all
}

fn first_or_unknown(list: Vec<Diagnostic>) -> Diagnostic {
    list.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error("themes", 0, 0, "the templates could not be compiled"))
}

/// What every body depends on besides its own letter.
fn body_context(r: &Renderer<'_>) -> u64 {
    Fp::new()
        .add(&r.config.base_path())
        .add(r.t.get("footnotes"))
        .add(r.t.get("footnote_back"))
        .finish()
}

/// Letter keys that appeared or disappeared since the last link: bodies citing
/// them gain or lose a link. Remembers the new keys.
fn flipped_keys(
    keys: &mut HashSet<(String, String)>,
    archive: &Archive,
) -> HashSet<(String, String)> {
    let now: HashSet<(String, String)> = archive
        .letters
        .iter()
        .map(|l| (l.letter.dossier.clone(), l.letter.id.clone()))
        .collect();
    let flipped = now.symmetric_difference(keys).cloned().collect();
    *keys = now;
    flipped
}

/// What is kept of a body besides its HTML and text.
struct BodyInfo {
    version: u64,
    hash: u64,
    cited: Vec<(String, String)>,
}

/// Every letter's body, indexed like the archive: reused from the cache when
/// still valid, rendered (in parallel) otherwise.
fn bodies_for(
    cache: &mut HashMap<PathBuf, CachedBody>,
    sources: &SourceCache,
    r: &Renderer<'_>,
    flipped: &HashSet<(String, String)>,
) -> (Vec<RenderedBody>, Vec<BodyInfo>) {
    let reuse: Vec<Option<CachedBody>> = r
        .archive
        .letters
        .iter()
        .map(|l| {
            let cached = cache.remove(&l.letter.path)?;
            let current = sources.version(&l.letter.path) == Some(cached.version)
                && !cached.cited.iter().any(|k| flipped.contains(k));
            current.then_some(cached)
        })
        .collect();
    // Whatever is left belongs to letters that are gone.
    cache.clear();
    reuse
        .into_par_iter()
        .enumerate()
        .map(|(ix, cached)| {
            let c = cached.unwrap_or_else(|| {
                let (body, cited) = r.render_body_citing(ix);
                let path = &r.archive.letters[ix].letter.path;
                CachedBody {
                    version: sources.version(path).unwrap_or(0),
                    hash: Fp::new().add(&body.html).add(&body.text).finish(),
                    body,
                    cited,
                }
            });
            let info = BodyInfo {
                version: c.version,
                hash: c.hash,
                cited: c.cited,
            };
            (c.body, info)
        })
        .unzip()
}

/// Puts the bodies back into the cache, keyed by their letter's file.
fn keep_bodies(
    cache: &mut HashMap<PathBuf, CachedBody>,
    archive: &Archive,
    bodies: Vec<RenderedBody>,
    infos: Vec<BodyInfo>,
) {
    for ((l, body), info) in archive.letters.iter().zip(bodies).zip(infos) {
        cache.insert(
            l.letter.path.clone(),
            CachedBody {
                version: info.version,
                body,
                hash: info.hash,
                cited: info.cited,
            },
        );
    }
}

/// The settings every page depends on: `site.toml`, the translations and the build date.
fn site_fp(config: &SiteConfig, r: &Renderer<'_>, archive: &Archive) -> u64 {
    let mut h = Fp::new();
    h.add(&format!("{config:?}"))
        .add_json(&r.t.strings)
        .add(&archive.today);
    h.finish()
}

fn letter_hashes(r: &Renderer<'_>, infos: &[BodyInfo], sources: &SourceCache) -> LetterHashes {
    let views = r.views();
    let summary = (0..r.archive.letters.len())
        .into_par_iter()
        .map(|ix| Fp::new().add_json(&views.summary(ix)).finish())
        .collect();
    LetterHashes {
        summary,
        body: infos.iter().map(|i| i.hash).collect(),
        meta: r
            .archive
            .letters
            .iter()
            .map(|l| sources.meta(&l.letter.path))
            .collect(),
    }
}

/// Lists every file of the new build with its fingerprint, in `build`'s order:
/// pages, attachments, site `static/`, theme assets, search index, page manifest.
fn plan(
    r: &Renderer<'_>,
    hashes: &LetterHashes,
    templates: &TemplateFps,
    site_fp: u64,
    static_files: &[(String, PathBuf)],
    theme: &Theme,
    served: &mut ServedState,
) -> Plan {
    let pages = r.pages();
    let urls: Vec<String> = pages.iter().map(|p| page_url(r, p)).collect();
    let mut list = Fp::new();
    for (p, url) in pages.iter().zip(&urls) {
        if p.is_html() {
            list.add(p.page_type()).add(url);
        }
    }
    let page_list = list.finish();
    let fps = Fingerprints::new(r, hashes, templates, site_fp, page_list);
    let page_fps: Vec<u64> = pages.par_iter().map(|p| fps.page(p)).collect();
    let mut plan = Plan::default();
    for ((page, url), fp) in pages.into_iter().zip(urls).zip(page_fps) {
        plan.add(file_of(&url), fp, Make::Page(page));
    }
    for l in &r.archive.letters {
        for a in &l.letter.attachments {
            let source = l.letter.dir.join(a);
            let fp = Fp::new().add(&source).finish();
            plan.add(format!("{}{a}", l.url), fp, Make::File(source));
        }
    }
    for (rel, source) in static_files {
        let fp = Fp::new().add(source).finish();
        plan.add(rel.clone(), fp, Make::File(source.clone()));
    }
    for (name, file) in theme.files_under("static/") {
        let fp = Fp::new().add(file.bytes.as_ref()).finish();
        plan.add(
            format!("assets/{name}"),
            fp,
            Make::ThemeAsset(name.to_string()),
        );
    }
    plan_search(r, hashes, served, &mut plan);
    plan.add(
        MANIFEST_PATH.to_string(),
        Fp::new().add(&page_list).finish(),
        Make::Manifest,
    );
    plan
}

/// The search index is built from every letter at once: again only when a
/// letter's summary, text or tags changed, else its previous files stay.
fn plan_search(r: &Renderer<'_>, hashes: &LetterHashes, served: &mut ServedState, plan: &mut Plan) {
    let a = r.archive;
    let mut h = Fp::new();
    h.add(&hashes.summary)
        .add(&hashes.body)
        .add(&r.config.language.code());
    for l in &a.letters {
        for &t in &l.tags {
            h.add(&a.tags[t].slug).add(&a.tags[t].name);
        }
    }
    let fp = h.finish();
    if served.search_fp == Some(fp) {
        for path in &served.search_files {
            if let Some(&old) = served.fps.get(path) {
                plan.add(path.clone(), old, Make::Unchanged);
            }
        }
        return;
    }
    let language = match r.config.language {
        Language::Nl => crate::search::Language::Dutch,
        Language::En => crate::search::Language::English,
    };
    let files = crate::search::build_index(&r.search_docs(), language);
    served.search_fp = Some(fp);
    served.search_files = files.iter().map(|f| f.path.clone()).collect();
    for f in files {
        let fp = Fp::new().add(&f.bytes).finish();
        plan.add(f.path, fp, Make::Bytes(Bytes::from(f.bytes)));
    }
}

type Made = (Delta, Vec<String>, HashMap<String, u64>);

/// Makes every planned file whose fingerprint changed; pages render in parallel.
fn make(
    r: &Renderer<'_>,
    theme: &Theme,
    plan: Plan,
    old: &HashMap<String, u64>,
) -> Result<Made, Vec<Diagnostic>> {
    let mut fps = HashMap::with_capacity(plan.files.len());
    let mut todo_pages = Vec::new();
    let mut put = Vec::new();
    for (path, (fp, what)) in plan.files {
        if old.get(&path) != Some(&fp) {
            match what {
                Make::Page(p) => todo_pages.push(p),
                Make::ThemeAsset(name) => {
                    let bytes = theme
                        .files_under("static/")
                        .find(|(n, _)| *n == name)
                        .map(|(_, f)| Bytes::from(f.bytes.to_vec()))
                        .unwrap_or_default();
                    put.push((path.clone(), Served::bytes(&path, bytes)));
                }
                Make::File(source) => put.push((path.clone(), Served::file(&path, source))),
                Make::Bytes(bytes) => put.push((path.clone(), Served::bytes(&path, bytes))),
                Make::Manifest => {
                    let json = page_manifest(r, &r.pages());
                    put.push((path.clone(), Served::bytes(&path, json)));
                }
                Make::Unchanged => {}
            }
        }
        fps.insert(path, fp);
    }
    let remove: Vec<String> = old
        .keys()
        .filter(|p| !fps.contains_key(*p))
        .cloned()
        .collect();
    todo_pages.sort_unstable();
    let results: Vec<_> = todo_pages
        .par_iter()
        .map(|p| r.render(p).map(|f| (page_url(r, p), f)))
        .collect();
    let mut errors = Vec::new();
    let mut rendered = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok((url, file)) => {
                rendered.push(url);
                let served = Served::bytes(&file.path, file.bytes);
                put.push((file.path, served));
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
        errors.dedup_by(|a, b| a.path == b.path && a.message == b.message);
        return Err(errors);
    }
    Ok((Delta { put, remove }, rendered, fps))
}

/// The site's own `static/` files: output path → source. Like `build`, every file is copied.
fn list_static(root: &Path) -> Vec<(String, PathBuf)> {
    let dir = root.join("static");
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&dir).ok()?;
            Some((
                rel.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            ))
        })
        .collect()
}
