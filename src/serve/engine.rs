//! The incremental build behind `serve`.
//!
//! The engine keeps, between rebuilds: the parsed site settings and compiled
//! templates, every source file's parse result, the last linked archive with
//! every letter's rendered body and hashes ([`Linked`]), and the fingerprint
//! of every file the server holds. A rebuild parses only the files that
//! changed; when only letter bodies changed it patches the archive in place,
//! else it links it again (reusing unchanged letters and bodies); then it
//! renders only the pages whose fingerprint changed: the hash of the very
//! context the page's template is given ([`Contexts`](crate::render::Contexts)). The result is a [`Delta`] for the
//! snapshot; on any error the delta is withheld and the last good build stays.
//! The search index, built from every letter at once, is built apart
//! ([`Engine::search_job`]), after the browsers have been told to reload.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::archive::{LetterIx, LinkOptions};
use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::theme::Theme;
use crate::render::{Renderer, Templates};
use crate::site::{BuildOptions, build_date};
use crate::site_folder::SiteFolder;

use super::linked::Linked;
use super::plan::{Inputs, PageList, Rendered, Scope, ServedFiles, fingerprint_later, make, plan};
use super::search::{SearchJob, search_fp};
use super::snapshot::Delta;
use super::sources::{Refreshed, SourceCache};

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
    /// Whether only letter bodies changed, so the archive was patched instead of linked again.
    pub patched: bool,
    pub elapsed: Duration,
    /// How long each step took, for the benchmark.
    pub phases: Vec<(&'static str, Duration)>,
}

/// The pages a rebuild left for [`Engine::render_later`].
#[derive(Debug)]
pub struct Later {
    /// Puts the pages in and ends their pending state.
    pub delta: Delta,
    /// Site-relative URLs of the pages rendered.
    pub rendered: Vec<String>,
    pub elapsed: Duration,
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

/// Settings and theme: reloaded only when `site.toml` or `themes/` change.
#[derive(Default)]
struct SiteState {
    config: Option<SiteConfig>,
    theme: Option<Theme>,
    templates: Option<Templates>,
}

/// The files of the last good build and their fingerprints.
#[derive(Default)]
struct ServedState {
    files: ServedFiles,
    /// The fingerprint of the last search index handed out.
    search_fp: Option<u64>,
    /// Warnings reported so far, so each is printed once.
    warnings: HashSet<String>,
}

/// The incremental build. Holds no global state: one per served site.
pub struct Engine {
    options: BuildOptions,
    site: SiteState,
    /// The site folder, the boundary of every file read and served.
    folder: Arc<SiteFolder>,
    sources: SourceCache,
    static_files: Vec<(String, PathBuf)>,
    /// Links out of the site and unreadable entries met in `static/`.
    static_problems: Vec<Diagnostic>,
    served: ServedState,
    linked: Option<Linked>,
    /// Changed pages of the last rebuild not rendered yet (indices into the served page list).
    later: Vec<usize>,
}

impl Engine {
    /// What serve says in the browser, in the language of the site's
    /// settings and theme as last read; `None` before they could be read.
    pub fn strings(&self) -> Option<super::ui::ServeStrings> {
        let (Some(config), Some(templates)) = (&self.site.config, &self.site.templates) else {
            return None;
        };
        Some(super::ui::ServeStrings::new(
            templates.translations(),
            config.language,
        ))
    }

    /// An engine for the site of `options`; nothing is read until [`Engine::rebuild`].
    pub fn new(options: BuildOptions) -> Engine {
        let folder = Arc::new(SiteFolder::new(&options.root));
        let sources = SourceCache::new(Arc::clone(&folder));
        Engine {
            options,
            site: SiteState::default(),
            folder,
            sources,
            static_files: Vec::new(),
            static_problems: Vec::new(),
            served: ServedState::default(),
            linked: None,
            later: Vec::new(),
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
        self.forget_later();
        // Content and static files first: the watcher names each change once,
        // so a broken `site.toml` or template must not make the engine miss
        // them. The next rebuild reloads the site, so it links again from the
        // parse cache and needs no `refreshed`.
        let refreshed = self.refresh_content(changes);
        let static_listed = changes.site_static || changes.rescan || changes.config;
        if static_listed {
            (self.static_files, self.static_problems) =
                self.folder.files_below(&self.options.root.join("static"));
        }
        let site_reloaded = self
            .site
            .refresh(&self.options, &self.folder, changes)
            .map_err(Diagnostics::from)?;
        phases.mark("read");
        let (mut linked, mut diagnostics, edited) = self.next_archive(site_reloaded, &refreshed);
        let patched = edited.is_some();
        diagnostics.extend(self.static_problems.iter().cloned());
        phases.mark(if patched { "patch" } else { "link" });
        if diagnostics.has_errors() {
            self.linked = Some(linked);
            return Err(diagnostics);
        }
        let (Some(config), Some(theme), Some(templates)) = (
            &self.site.config,
            &self.site.theme,
            self.site.templates.take(),
        ) else {
            self.linked = Some(linked);
            return Err(Diagnostics::from(Diagnostic::error_in(
                "site.toml",
                "the site is not loaded",
            )));
        };
        let Linked { archive, derived } = &mut linked;
        let mut renderer = Renderer::with_templates(archive, config, templates);
        let (bodies, same_cites) = derived.render_bodies(&renderer, renderer.body_context());
        // Letters the bodies cite but the archive lacks: unchanged by a patch
        // that cites nothing anew; else found again from every body.
        let missing = derived.missing.take().filter(|_| patched && same_cites);
        let kept = missing.is_some();
        renderer.set_hashed_bodies(bodies, &derived.body_fps(), missing);
        // Kept, they are the ones last hashed; found anew, they may have moved.
        let same_missing = kept || {
            let fp = renderer.missing_fingerprint();
            std::mem::replace(&mut derived.missing_fp, fp) == fp
        };
        phases.mark("bodies");
        // Two files at one path fail `build`; they fail here too. Only a new
        // link or a change in static/ can add a claim.
        let clashes = if patched && !static_listed {
            Vec::new()
        } else {
            crate::claims::conflicts(&renderer, &self.static_files, theme)
        };
        let made = if clashes.is_empty() {
            let inputs = Inputs {
                static_files: &self.static_files,
                folder: &self.folder,
                theme,
            };
            // A patched archive has the pages of the last good build: reuse their list.
            let list = match &self.served.files.pages {
                Some(list) if patched => Arc::clone(list),
                _ => Arc::new(PageList::new(&renderer)),
            };
            // The first build and a settings or theme change render everything
            // at once, so a template error in a feed shows before any reload.
            let defer = !site_reloaded && self.served.files.pages.is_some();
            // A patch changed only the shown fields and bodies of the edited
            // letters: only the pages showing them need a new fingerprint,
            // unless the letters the bodies cite but the archive lacks changed.
            let scope = match &edited {
                Some(letters) if !static_listed && same_missing => Scope::Letters(letters),
                _ => Scope::All,
            };
            let contexts = renderer.contexts();
            let plan = plan(
                &contexts,
                &inputs,
                list,
                defer,
                scope,
                &mut self.served.files,
            );
            phases.mark("plan");
            make(&contexts, theme, plan, &self.served.files)
        } else {
            Err(clashes)
        };
        phases.mark("render");
        self.site.templates = Some(derived.take_back(renderer));
        derived.good = made.is_ok();
        let letters = archive.letters.len();
        let base_path = config.base_path();
        self.linked = Some(linked);
        let made = made.map_err(|errors| {
            let mut all = diagnostics.clone();
            all.extend(errors);
            all
        })?;
        self.served.files = made.served;
        self.later = made.later;
        let new_warnings = if patched {
            Vec::new()
        } else {
            self.served.new_warnings(diagnostics)
        };
        Ok(Rebuilt {
            delta: made.delta,
            rendered: made.rendered,
            files: self.served.files.len(),
            letters,
            new_warnings,
            base_path,
            patched,
            elapsed: started.elapsed(),
            phases: phases.list,
        })
    }

    /// Fingerprints the pages the last rebuild left for later (feeds and data
    /// files) and renders those that changed, once the browsers have been told
    /// to reload. On an error the served bytes and their fingerprints stay, so
    /// the next rebuild tries again.
    pub fn render_later(&mut self) -> Option<Result<Later, Diagnostics>> {
        if self.later.is_empty() {
            return None;
        }
        let started = Instant::now();
        let result = self.render_served(&self.later.clone());
        Some(match result {
            Some(Ok((rendered, put))) => {
                self.later.clear();
                Ok(Later {
                    delta: Delta {
                        put,
                        ..Delta::default()
                    },
                    rendered,
                    elapsed: started.elapsed(),
                })
            }
            Some(Err(errors)) => {
                self.forget_later();
                let mut all = Diagnostics::default();
                all.extend(errors);
                Err(all)
            }
            // Nothing to render with: the next rebuild renders the pages, and
            // the empty delta ends their pending state meanwhile.
            None => {
                self.forget_later();
                Ok(Later {
                    delta: Delta::default(),
                    rendered: Vec::new(),
                    elapsed: started.elapsed(),
                })
            }
        })
    }

    /// Fingerprints pages of the served list with the last good archive and
    /// renders those that changed; `None` when there is no archive.
    fn render_served(&mut self, pages: &[usize]) -> Option<Result<Rendered, Vec<Diagnostic>>> {
        let Linked { archive, derived } = self.linked.as_mut()?;
        let config = self.site.config.as_ref()?;
        let templates = self.site.templates.take()?;
        let mut renderer = Renderer::with_templates(archive, config, templates);
        derived.lend(&mut renderer);
        let result = fingerprint_later(&renderer.contexts(), &mut self.served.files, pages);
        self.site.templates = Some(derived.take_back(renderer));
        Some(result)
    }

    /// Drops the pages left for later: their fingerprints are still those of
    /// the bytes served, so the next rebuild compares against what is there.
    fn forget_later(&mut self) {
        self.served.files.stale.append(&mut self.later);
    }

    /// The search index to build for the last good build, when what it is
    /// built from changed since the last one handed out. Build it apart:
    /// [`SearchJob::build`] takes seconds on a large archive.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        let Linked { archive, derived } = self.linked.as_mut().filter(|l| l.derived.good)?;
        let config = self.site.config.as_ref()?;
        let templates = self.site.templates.take()?;
        let mut renderer = Renderer::with_templates(archive, config, templates);
        derived.lend(&mut renderer);
        let fp = search_fp(&renderer);
        let mut job = None;
        if self.served.search_fp != Some(fp) {
            job = Some(SearchJob::new(&renderer));
            self.served.search_fp = Some(fp);
        }
        self.site.templates = Some(derived.take_back(renderer));
        job
    }

    fn refresh_content(&mut self, changes: &Changes) -> Refreshed {
        if changes.rescan || self.sources.is_empty() {
            return self.sources.scan();
        }
        match self.sources.refresh(&changes.content) {
            Some(refreshed) => refreshed,
            None => self.sources.scan(),
        }
    }

    /// The archive for this rebuild: the last one with new bodies when only
    /// bodies changed, else a new link. Returns it, the problems found, and
    /// when it was patched, the letters edited.
    fn next_archive(
        &mut self,
        site_reloaded: bool,
        refreshed: &Refreshed,
    ) -> (Linked, Diagnostics, Option<Vec<LetterIx>>) {
        let today = build_date(self.options.today);
        let mut previous = self.linked.take();
        if let Some(last) = previous.as_mut()
            && !site_reloaded
            && let Some(edited) = last.patch(&self.sources, refreshed, today)
            && let Some(patched) = previous.take()
        {
            return (patched, Diagnostics::default(), Some(edited));
        }
        let default_chamber = self.site.config.as_ref().and_then(|c| c.archive.chamber);
        let link = LinkOptions {
            default_chamber,
            today,
        };
        let (linked, diagnostics) = Linked::relink(
            previous,
            &self.sources,
            &self.folder,
            &link,
            self.options.drafts,
            self.options.strict,
        );
        (linked, diagnostics, None)
    }
}

impl SiteState {
    /// Reloads `site.toml`, the theme and the templates when they changed or
    /// failed before. A failure leaves the part unloaded, so the next rebuild
    /// retries. Returns whether anything was reloaded.
    fn refresh(
        &mut self,
        options: &BuildOptions,
        folder: &SiteFolder,
        changes: &Changes,
    ) -> Result<bool, Diagnostic> {
        let mut reloaded = false;
        if changes.config || self.config.is_none() {
            reloaded = true;
            self.config = None;
            self.theme = None;
            let mut config = SiteConfig::load(folder)?;
            if let Some(url) = &options.base_url {
                config.base_url = url.clone();
            }
            self.config = Some(config);
        }
        if changes.theme || self.theme.is_none() || self.templates.is_none() {
            reloaded = true;
            self.theme = None;
            self.templates = None;
            let Some(config) = &self.config else {
                return Ok(reloaded);
            };
            let theme = Theme::load(folder, &config.theme)?;
            let templates = Templates::compile(&theme, config).map_err(first_or_unknown)?;
            self.theme = Some(theme);
            self.templates = Some(templates);
        }
        Ok(reloaded)
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

fn first_or_unknown(list: Vec<Diagnostic>) -> Diagnostic {
    list.into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error_in("themes", "the templates could not be compiled"))
}
