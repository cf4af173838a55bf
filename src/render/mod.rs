//! Rendering: Markdown bodies, then one tera template per page.
//!
//! Every page is a pure function of the linked archive ([`Renderer::render`]),
//! so pages render in parallel and `serve` can re-render just the pages an
//! edit touches.

mod data;
pub mod i18n;
pub mod markdown;
mod pages;
pub mod theme;
pub mod view;

use std::collections::HashMap;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::archive::{Archive, LetterIx};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::search::SearchDoc;

pub use pages::{Page, page_url_of as page_url};

use i18n::Translations;
use markdown::{FootnoteLabels, RenderedBody, render_markdown};
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
    base_path: String,
    base_url: String,
    bodies: Vec<RenderedBody>,
    /// Letter lookup for citations: (dossier, id) → letter.
    by_key: HashMap<(String, String), LetterIx>,
}

impl<'a> Renderer<'a> {
    /// Compiles the theme's templates and renders every letter body (in parallel).
    pub fn new(
        archive: &'a Archive,
        config: &'a SiteConfig,
        theme: &Theme,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let t = theme.translations(config.language).map_err(|d| vec![d])?;
        let tera = compile_templates(theme)?;
        let by_key = archive
            .letters
            .iter()
            .enumerate()
            .map(|(i, l)| ((l.letter.dossier.clone(), l.letter.id.clone()), i))
            .collect();
        let mut renderer = Renderer {
            archive,
            config,
            t,
            tera,
            base_path: config.base_path(),
            base_url: config.absolute_base(),
            bodies: Vec::new(),
            by_key,
        };
        // Values every page shares are converted to template values once, not per page.
        let site = tera::Value::from_serializable(&renderer.site_view());
        let strings = tera::Value::from_serializable(&renderer.t.strings);
        let global = renderer.tera.global_context();
        global.insert_value("site", site);
        global.insert_value("t", strings);
        renderer.bodies = (0..archive.letters.len())
            .into_par_iter()
            .map(|i| renderer.render_body(i))
            .collect();
        Ok(renderer)
    }

    /// Renders one letter's Markdown body to safe HTML.
    pub fn render_body(&self, ix: LetterIx) -> RenderedBody {
        let labels = FootnoteLabels {
            heading: self.t.get("footnotes"),
            back: self.t.get("footnote_back"),
            table: self.t.get("table_label"),
        };
        let resolve = |dossier: &str, id: &str| {
            self.by_key
                .get(&(dossier.to_string(), id.to_string()))
                .map(|&i| self.archive.letters[i].url.clone())
        };
        render_markdown(
            &self.archive.letters[ix].letter.body,
            &self.base_path,
            &resolve,
            &labels,
        )
    }

    /// Replaces the rendered body of letters (after an edit in `serve`).
    pub fn set_body(&mut self, ix: LetterIx, body: RenderedBody) {
        if let Some(slot) = self.bodies.get_mut(ix) {
            *slot = body;
        }
    }

    pub fn body(&self, ix: LetterIx) -> &RenderedBody {
        &self.bodies[ix]
    }

    fn views(&self) -> Views<'_> {
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
                Diagnostic::error(
                    format!("templates/{template}"),
                    0,
                    0,
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

    /// Two pages that would write one file (an alias over a real page, say):
    /// an error for each, naming the letter that asks for it.
    pub fn path_clashes(&self) -> Vec<Diagnostic> {
        let mut seen: HashMap<String, Page> = HashMap::new();
        let mut clashes = Vec::new();
        for page in self.pages() {
            let file = pages::file_of(&pages::page_url_of(self, &page));
            if let Some(first) = seen.insert(file.clone(), page) {
                let (culprit, other) = if matches!(page, Page::Alias(..)) {
                    (page, first)
                } else {
                    (first, page)
                };
                let path = match culprit {
                    Page::Alias(l, _) | Page::Letter(l) => {
                        self.archive.letters[l].letter.path.clone()
                    }
                    _ => std::path::PathBuf::from("content"),
                };
                clashes.push(
                    Diagnostic::error(
                        path,
                        1,
                        1,
                        format!(
                            "two pages would be written to /{file}: a {} and a {}",
                            culprit.page_type(),
                            other.page_type()
                        ),
                    )
                    .with_help(
                        "change the alias (or the letter id) so it does not name an existing page",
                    ),
                );
            }
        }
        clashes
    }

    /// Renders one page to its file.
    pub fn render(&self, page: &Page) -> Result<OutputFile, Diagnostic> {
        pages::render_page(self, page)
    }

    /// The letters as the search index sees them.
    pub fn search_docs(&self) -> Vec<SearchDoc> {
        data::search_docs(self)
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
                return Err(vec![Diagnostic::error(
                    &file.origin,
                    0,
                    0,
                    "template is not valid UTF-8",
                )]);
            }
        }
    }
    tera.add_raw_templates(sources).map_err(|e| {
        vec![
            Diagnostic::error(
                "themes",
                0,
                0,
                format!("template error: {}", error_chain(&e)),
            )
            .with_help("fix the template named in the message"),
        ]
    })?;
    Ok(tera)
}
