//! Rendering: Markdown bodies, then one tera template per page.
//!
//! Every page is a pure function of the linked archive ([`Renderer::render`]),
//! so pages render in parallel and `serve` can re-render just the pages an
//! edit touches.

mod context;
mod export;
mod figures;
mod handle;
pub mod i18n;
mod linked_data;
pub mod markdown;
mod pages;
mod route;
mod search_docs;
mod templates;
pub mod theme;
mod thread;
pub mod view;

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::Tera;

use crate::archive::{Archive, DossierGaps, DossierIx, LetterIx, MissingCitations};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::hash::{Fp, value};
use crate::search::SearchDoc;

pub use context::{Contexts, Prepared, Rendered};
pub use route::{Page, file_of, page_url_of};
pub use templates::Templates;

use crate::archive::reference::Target;
use i18n::Translations;
use markdown::{CitationResolver, FootnoteLabels, RenderedBody, render_markdown};
use templates::error_chain;
use theme::Theme;
use view::{SiteView, Views};

/// One file of the output: a site-relative path and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Templates compiled once, with everything a page needs to render.
pub struct Renderer<'a> {
    pub archive: &'a Archive,
    pub config: &'a SiteConfig,
    pub t: Translations,
    tera: Tera,
    closures: templates::Closures,
    base_path: String,
    base_url: String,
    bodies: Vec<RenderedBody>,
    /// Each body's fingerprint, once hashed (`serve` hands over the ones it knows).
    body_fps: Vec<OnceLock<u64>>,
    /// Citations of letters the archive lacks, by dossier: found in the bodies.
    missing: MissingCitations,
}

impl<'a> Renderer<'a> {
    /// Compiles the theme's templates and renders every letter body (in parallel).
    pub fn new(
        archive: &'a Archive,
        config: &'a SiteConfig,
        theme: &Theme,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let mut renderer = Renderer::prepare(archive, config, theme)?;
        let bodies = (0..archive.letters.len())
            .into_par_iter()
            .map(|i| renderer.render_body(i))
            .collect();
        renderer.set_bodies(bodies);
        Ok(renderer)
    }

    /// Like [`Renderer::new`], but renders the bodies from `sources` (taken out of the
    /// archive with [`Archive::take_bodies`]) and drops each source once rendered, so a
    /// build never holds the Markdown and the HTML of every letter at once.
    pub fn from_sources(
        archive: &'a Archive,
        config: &'a SiteConfig,
        theme: &Theme,
        sources: Vec<String>,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let mut renderer = Renderer::prepare(archive, config, theme)?;
        let bodies = sources
            .into_par_iter()
            .enumerate()
            .map(|(ix, source)| renderer.render_source(ix, &source))
            .collect();
        renderer.set_bodies(bodies);
        Ok(renderer)
    }

    /// Compiles the templates and sets what every page shares; no bodies yet.
    fn prepare(
        archive: &'a Archive,
        config: &'a SiteConfig,
        theme: &Theme,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let templates = Templates::compile(theme, config)?;
        Ok(Renderer::with_templates(archive, config, templates))
    }

    /// A renderer on templates compiled earlier, with no letter bodies yet:
    /// `serve` reuses the bodies of unchanged letters and hands them over with
    /// [`Renderer::set_bodies`] before any page is rendered.
    pub fn with_templates(
        archive: &'a Archive,
        config: &'a SiteConfig,
        templates: Templates,
    ) -> Renderer<'a> {
        let mut renderer = Renderer {
            archive,
            config,
            t: templates.t,
            tera: templates.tera,
            closures: templates.closures,
            base_path: config.base_path(),
            base_url: config.absolute_base(),
            bodies: Vec::new(),
            body_fps: Vec::new(),
            missing: MissingCitations::new(),
        };
        // Values every page shares are converted to template values once, not per page.
        let site = tera::Value::from_serializable(&renderer.site_view());
        let strings = tera::Value::from_serializable(&renderer.t.strings);
        let global = renderer.tera.global_context();
        global.insert_value("site", site);
        global.insert_value("t", strings);
        renderer
    }

    /// Gives back the compiled templates, the bodies (indexed like the
    /// archive's letters) and the citations of letters the archive lacks.
    pub fn into_parts(self) -> (Templates, Vec<RenderedBody>, MissingCitations) {
        let templates = Templates {
            t: self.t,
            tera: self.tera,
            closures: self.closures,
        };
        (templates, self.bodies, self.missing)
    }

    /// Renders one letter's Markdown body to safe HTML.
    pub fn render_body(&self, ix: LetterIx) -> RenderedBody {
        self.render_source(ix, &self.archive.letters[ix].letter.body)
    }

    /// Renders Markdown as the body of letter `ix`: footnotes, references linked.
    pub fn render_source(&self, ix: LetterIx, source: &str) -> RenderedBody {
        self.render_source_citing(ix, source).0
    }

    /// Renders Markdown as the body of letter `ix` and lists the references it
    /// looked up, found or not: `serve` renders the body again when what one of
    /// them resolves to changes.
    pub fn render_source_citing(&self, ix: LetterIx, source: &str) -> (RenderedBody, Vec<Target>) {
        let labels = self.footnote_labels();
        let resolver = LetterResolver {
            archive: self.archive,
            from: ix,
            looked_up: std::cell::RefCell::new(Vec::new()),
        };
        let mut body = render_markdown(source, &self.base_path, &resolver, &labels);
        let looked_up = resolver.looked_up.into_inner();
        body.cites = looked_up
            .iter()
            .filter_map(|target| match target {
                Target::Citation { dossier, letter } => Some((dossier.clone(), letter.clone())),
                Target::Dated { .. } => None,
            })
            .collect();
        (body, looked_up)
    }

    /// Hands over every letter's body at once, indexed like the archive's letters.
    pub fn set_bodies(&mut self, bodies: Vec<RenderedBody>) {
        self.set_hashed_bodies(bodies, &[], None);
    }

    /// Like [`Renderer::set_bodies`], with each body's [`body_fingerprint`]
    /// known, and the citations of letters the archive lacks when they are
    /// known for these bodies and this archive (finding them reads every body).
    pub fn set_hashed_bodies(
        &mut self,
        bodies: Vec<RenderedBody>,
        fps: &[u64],
        missing: Option<MissingCitations>,
    ) {
        self.missing =
            missing.unwrap_or_else(|| self.archive.missing_citations(|l| &bodies[l].cites));
        self.body_fps = (0..bodies.len())
            .map(|i| {
                fps.get(i)
                    .map_or_else(OnceLock::new, |&fp| OnceLock::from(fp))
            })
            .collect();
        self.bodies = bodies;
    }

    /// The fingerprint of the citations of letters the archive lacks, which
    /// dossiers' gaps show: made from every body, not one letter's.
    pub fn missing_fingerprint(&self) -> u64 {
        Fp::new().add(&self.missing).finish()
    }

    /// What dossier `d` is missing: skipped ids, cited letters the archive lacks,
    /// unresolved `in_reply_to`.
    pub fn gaps(&self, d: DossierIx) -> DossierGaps {
        self.archive.gaps(d, &self.missing)
    }

    pub fn body(&self, ix: LetterIx) -> &RenderedBody {
        &self.bodies[ix]
    }

    /// The borrowed views templates see; `serve` hashes them to find changed pages.
    pub fn views(&self) -> Views<'_> {
        Views {
            archive: self.archive,
            t: &self.t,
            base_path: &self.base_path,
        }
    }

    fn site_view(&self) -> SiteView<'_> {
        SiteView {
            title: &self.config.title,
            description: self.config.description.as_deref(),
            language: self.config.language.code(),
            base_path: &self.base_path,
            base_url: &self.base_url,
            extra: &self.config.extra,
            today: self.archive.today.format("%Y-%m-%d").to_string(),
            today_display: self.t.day(self.archive.today),
        }
    }

    /// Renders `template` with `context` (and the global `site` and `t`).
    fn render_value<T: Serialize>(
        &self,
        template: &str,
        context: &T,
    ) -> Result<Vec<u8>, Diagnostic> {
        let template_error = |e: tera::Error| {
            Diagnostic::error_in(
                format!("templates/{template}"),
                format!("template error: {}", error_chain(&e)),
            )
            .with_help("fix the template, or remove the site's override to use the built-in one")
        };
        let ctx = tera::Context::from_serialize(context).map_err(template_error)?;
        self.tera
            .render(template, &ctx)
            .map(String::into_bytes)
            .map_err(template_error)
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        route::all_pages(self.archive)
    }

    /// The pages' contexts, sharing the values many pages show: render and
    /// fingerprint the pages of one build through one of these.
    pub fn contexts(&self) -> Contexts<'_> {
        Contexts::new(self)
    }

    /// What every page may see besides its own context: the settings, the
    /// translations and the global template values (`site`, `t`).
    fn settings_fingerprint(&self) -> u64 {
        let mut fp = Fp::new();
        fp.add(&format!("{:?}", self.config));
        value::add(&mut fp, &self.site_view());
        value::add(&mut fp, &self.t.strings);
        fp.finish()
    }

    /// The fingerprint of a template and every template it reaches.
    fn templates_fingerprint(&self, template: &str) -> u64 {
        self.closures.of(template)
    }

    /// The letters as the search index sees them.
    pub fn search_docs(&self) -> Vec<SearchDoc> {
        search_docs::search_docs(self, |ix| self.body(ix).text.clone())
    }

    /// The search documents with empty texts: with [`Renderer::body_fingerprints`],
    /// what `serve` hashes to see whether the index must be built again.
    pub fn search_docs_without_text(&self) -> Vec<SearchDoc> {
        search_docs::search_docs(self, |_| String::new())
    }

    /// Every body's fingerprint, in archive order.
    pub fn body_fingerprints(&self) -> Vec<u64> {
        (0..self.bodies.len())
            .map(|ix| *self.body_fps[ix].get_or_init(|| body_fingerprint(&self.bodies[ix])))
            .collect()
    }

    /// What every body's HTML depends on besides its own letter and the letters
    /// it cites: the base path of links and the footnote labels.
    pub fn body_context(&self) -> u64 {
        Fp::new()
            .add(&self.base_path)
            .add(&self.footnote_labels())
            .finish()
    }

    fn footnote_labels(&self) -> FootnoteLabels<'_> {
        FootnoteLabels {
            heading: self.t.get("footnotes"),
            back: self.t.get("footnote_back"),
            table: self.t.get("table_label"),
        }
    }

    /// The search documents, each body's text moved out instead of copied, and the rest of the
    /// bodies dropped on the way: a build needs neither renderer nor HTML once the pages are
    /// written, and the HTML of every letter (615 MB at 100,000 letters) would otherwise stay
    /// beside the search index while it is built.
    pub fn into_search_docs(mut self) -> Vec<SearchDoc> {
        let bodies = std::mem::take(&mut self.bodies);
        let mut texts: Vec<String> = bodies.into_iter().map(|b| b.text).collect();
        search_docs::search_docs(&self, |ix| std::mem::take(&mut texts[ix]))
    }
}

/// Resolves the references in one letter's body through the archive, noting each.
struct LetterResolver<'a> {
    archive: &'a Archive,
    from: LetterIx,
    looked_up: std::cell::RefCell<Vec<Target>>,
}

impl CitationResolver for LetterResolver<'_> {
    fn resolve(&self, target: &Target) -> Option<String> {
        self.looked_up.borrow_mut().push(target.clone());
        let a = self.archive;
        a.lookup
            .resolve(&a.letters, self.from, target)
            .filter(|&ix| ix != self.from)
            .map(|ix| a.letters[ix].url.clone())
    }
}

/// A body's fingerprint: its HTML, text, summary and citations.
pub fn body_fingerprint(body: &RenderedBody) -> u64 {
    value::of(body)
}
