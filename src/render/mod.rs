//! Rendering: Markdown bodies, then one tera template per page.
//!
//! Every page is a pure function of the linked archive ([`Renderer::render`]),
//! so pages render in parallel and `serve` can re-render just the pages an
//! edit touches.

mod calendar;
mod cmif;
mod data;
mod figures;
pub mod i18n;
mod linked_data;
pub mod markdown;
mod pages;
mod sqlite;
pub mod theme;
mod thread;
pub mod view;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::archive::{Archive, DossierGaps, DossierIx, LetterIx, MissingCitations};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::search::SearchDoc;

pub use pages::{Page, file_of, page_url_of as page_url};

use crate::archive::reference::Target;
use i18n::Translations;
use markdown::{CitationResolver, FootnoteLabels, RenderedBody, render_markdown};
use theme::Theme;
use view::{SiteView, Views};

/// One file of the output: a site-relative path and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The theme compiled for the site's language: templates and translations.
/// `serve` keeps it across rebuilds, so an edited letter recompiles nothing.
pub struct Templates {
    t: Translations,
    tera: Tera,
}

impl Templates {
    /// Loads the translations for the site's language and compiles every template.
    pub fn compile(theme: &Theme, config: &SiteConfig) -> Result<Templates, Vec<Diagnostic>> {
        let t = theme.translations(config.language).map_err(|d| vec![d])?;
        let tera = compile_templates(theme)?;
        Ok(Templates { t, tera })
    }

    pub fn translations(&self) -> &Translations {
        &self.t
    }
}

/// Templates compiled once, with everything a page needs to render.
pub struct Renderer<'a> {
    pub archive: &'a Archive,
    pub config: &'a SiteConfig,
    pub t: Translations,
    tera: Tera,
    base_path: String,
    base_url: String,
    bodies: Vec<RenderedBody>,
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
            base_path: config.base_path(),
            base_url: config.absolute_base(),
            bodies: Vec::new(),
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

    /// Gives back the compiled templates and the bodies (indexed like the archive's letters).
    pub fn into_parts(self) -> (Templates, Vec<RenderedBody>) {
        (
            Templates {
                t: self.t,
                tera: self.tera,
            },
            self.bodies,
        )
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
        let labels = FootnoteLabels {
            heading: self.t.get("footnotes"),
            back: self.t.get("footnote_back"),
            table: self.t.get("table_label"),
        };
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
        self.missing = self.archive.missing_citations(|l| &bodies[l].cites);
        self.bodies = bodies;
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
            letter_count: self.archive.letters.len(),
            today: self.archive.today.format("%Y-%m-%d").to_string(),
            today_display: self.t.day(self.archive.today),
        }
    }

    /// A context with `page_type`, `page_url` and `canonical` set; `site` and `t`
    /// (translations) are in the global context.
    fn context(&self, page_type: &str, url: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("page_type", page_type);
        ctx.insert("page_url", &format!("{}{url}", self.base_path));
        ctx.insert("canonical", &format!("{}{url}", self.base_url));
        ctx
    }

    fn render_template(&self, template: &str, ctx: &Context) -> Result<Vec<u8>, Diagnostic> {
        self.tera
            .render(template, ctx)
            .map(String::into_bytes)
            .map_err(|e| {
                Diagnostic::error_in(
                    format!("templates/{template}"),
                    format!("template error: {}", error_chain(&e)),
                )
                .with_help(
                    "fix the template, or remove the site's override to use the built-in one",
                )
            })
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        pages::all_pages(self.archive)
    }

    /// Renders one page to its file.
    pub fn render(&self, page: &Page) -> Result<OutputFile, Diagnostic> {
        pages::render_page(self, page)
    }

    /// The letters as the search index sees them.
    pub fn search_docs(&self) -> Vec<SearchDoc> {
        data::search_docs(self, |ix| self.body(ix).text.clone())
    }

    /// The search documents, moving each body's text out instead of copying it: pages need
    /// only the HTML and summary, so a build can index and write pages side by side.
    pub fn take_search_docs(&mut self) -> Vec<SearchDoc> {
        let mut texts: Vec<String> = self
            .bodies
            .iter_mut()
            .map(|b| std::mem::take(&mut b.text))
            .collect();
        data::search_docs(self, |ix| std::mem::take(&mut texts[ix]))
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

fn error_chain(e: &tera::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Compiles all templates together so inheritance and includes resolve once.
fn compile_templates(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let mut sources = Vec::new();
    for (name, file) in theme.files_under("templates/") {
        match std::str::from_utf8(&file.bytes) {
            Ok(text) => sources.push((name.to_string(), text.to_string())),
            Err(_) => {
                return Err(vec![Diagnostic::error_in(
                    &file.origin,
                    "template is not valid UTF-8",
                )]);
            }
        }
    }
    tera.add_raw_templates(sources).map_err(|e| {
        vec![
            Diagnostic::error_in("themes", format!("template error: {}", error_chain(&e)))
                .with_help("fix the template named in the message"),
        ]
    })?;
    Ok(tera)
}
