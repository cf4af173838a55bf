//! Every page as a typed value: what it is made from, before any template runs.
//!
//! [`Contexts::prepare`] builds a page's [`Prepared`] value: the template or
//! writer that makes its bytes and the context it is given. Rendering hands
//! that value to the template; [`Contexts::fingerprint`] hashes the very same
//! value, so a page's fingerprint changes whenever anything it shows does, and
//! nothing needs to list what a page shows a second time. Values many pages
//! share (a letter's summary, a dossier's row) are [handles](super::handle):
//! made once per renderer, hashed once.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;

use crate::archive::{DossierIx, LetterIx};
use crate::diagnostic::Diagnostic;
use crate::hash::{Fp, value};

use super::export::{self, Data, FeedEntry, LetterRecord};
use super::handle::{Flat, Handle, Leaves, MadeFrom, known};
use super::pages::{self, DossierRow, View};
use super::route::{Page, file_of, page_url_of};
use super::view::{LetterOwn, LetterSummary, Views};
use super::{OutputFile, Renderer};

/// What one page is made from: a template and its context, or a writer and its data.
#[derive(Serialize)]
pub enum Prepared<'r> {
    Template {
        template: &'static str,
        context: Box<Templated<'r>>,
    },
    Data(Data<'r>),
}

/// What only a letter's page shows of it ([`Contexts::own`]).
pub type Own<'c, 'r> = MadeFrom<'c, LetterOwn<'r>, LetterSummary<'r>>;

/// A page rendered for the output folder ([`Contexts::render_into`]).
pub enum Rendered {
    /// Its file, for the caller to write.
    File(OutputFile),
    /// Written already, at the place the caller gave for this output path.
    Written(String),
}

/// A template's context: the page's own values with its type and address.
pub type Templated<'r> = Flat<Address, View<'r>>;

/// A page's type and address, beside its own values in its template's context.
#[derive(Serialize)]
pub struct Address {
    pub page_type: &'static str,
    pub page_url: String,
    pub canonical: String,
}

/// Builds the pages of one renderer, sharing the values many pages show.
pub struct Contexts<'r> {
    pub r: &'r Renderer<'r>,
    summaries: Leaves<LetterSummary<'r>>,
    titles: Leaves<String>,
    rows: Leaves<DossierRow<'r>>,
    entries: Leaves<FeedEntry<'r>>,
    records: Leaves<LetterRecord<'r>>,
    /// Each letter's fragment of the CMIF file and its calendar event (when it has a deadline).
    cmif: Leaves<String>,
    events: Leaves<Option<String>>,
    settings: OnceLock<u64>,
}

impl<'r> Contexts<'r> {
    pub fn new(r: &'r Renderer<'r>) -> Contexts<'r> {
        let letters = r.archive.letters.len();
        Contexts {
            r,
            summaries: Leaves::per_letter(letters),
            titles: Leaves::per_letter(letters),
            rows: Leaves::new(r.archive.dossiers.len()),
            entries: Leaves::per_letter(letters),
            records: Leaves::per_letter(letters),
            cmif: Leaves::per_letter(letters),
            events: Leaves::per_letter(letters),
            settings: OnceLock::new(),
        }
    }

    pub fn views(&self) -> Views<'r> {
        self.r.views()
    }

    /// The summary every list shows of letter `ix`.
    pub fn summary(&self, ix: LetterIx) -> Handle<'_, LetterSummary<'_>> {
        self.summaries.get(ix, || self.views().summary(ix))
    }

    /// The title letter `ix` shows: its own, or "Brief C" in the site's language.
    pub fn title(&self, ix: LetterIx) -> Handle<'_, String> {
        self.titles
            .get(ix, || self.views().title(&self.r.archive.letters[ix]))
    }

    /// What only letter `ix`'s own page shows of it, with the letter's summary
    /// handle: one page shows it, so it is made for that page and not kept.
    pub fn own(&self, ix: LetterIx) -> Own<'_, '_> {
        MadeFrom::new(LetterOwn::new(self.r, ix), self.summary(ix))
    }

    pub fn summaries(&self, ixs: &[LetterIx]) -> Vec<Handle<'_, LetterSummary<'_>>> {
        ixs.iter().map(|&ix| self.summary(ix)).collect()
    }

    /// A dossier as the lists show it.
    pub fn row(&self, d: DossierIx) -> Handle<'_, DossierRow<'_>> {
        self.rows.get(d, || pages::dossier_row(self.r, d))
    }

    /// Letter `ix` as a feed entry, without its full text.
    pub fn entry(&self, ix: LetterIx) -> Handle<'_, FeedEntry<'_>> {
        self.entries.get(ix, || export::feed_entry(self, ix))
    }

    /// Letter `ix` as the data exports show it.
    pub fn record(&self, ix: LetterIx) -> Handle<'_, LetterRecord<'_>> {
        self.records
            .get(ix, || export::record(self.r, &self.r.archive.letters[ix]))
    }

    pub fn cmif_letter(&self, ix: LetterIx) -> Handle<'_, String> {
        self.cmif.get(ix, || export::corresp_desc(self.r, ix))
    }

    pub fn event(&self, ix: LetterIx) -> Handle<'_, Option<String>> {
        self.events.get(ix, || export::event(self.r, ix))
    }

    /// Letter `ix`'s rendered body (HTML, text and summary): hashed once, when rendered.
    pub fn body(&self, ix: LetterIx) -> Handle<'r, super::markdown::RenderedBody> {
        known(self.r.body(ix), &self.r.body_fps[ix], ix)
    }

    /// What page `page` is made from.
    pub fn prepare(&self, page: &Page) -> Prepared<'_> {
        self.prepare_at(page, &page_url_of(self.r.archive, page))
    }

    /// What page `page`, whose URL is `url`, is made from.
    fn prepare_at(&self, page: &Page, url: &str) -> Prepared<'_> {
        match export::prepare(self, page, url) {
            Some(prepared) => prepared,
            None => {
                let (template, view) = pages::view(self, page);
                Prepared::Template {
                    template,
                    context: Box::new(self.templated(page.page_type(), url, view)),
                }
            }
        }
    }

    /// A template's context: `page_type`, `page_url` and `canonical` with the
    /// page's own values; `site` and `t` (translations) are in the global context.
    pub fn templated<'c>(
        &'c self,
        page_type: &'static str,
        url: &str,
        view: View<'c>,
    ) -> Templated<'c> {
        let address = Address {
            page_type,
            page_url: format!("{}{url}", self.r.base_path),
            canonical: format!("{}{url}", self.r.base_url),
        };
        Flat(address, view)
    }

    /// Renders one page to its file.
    pub fn render(&self, page: &Page) -> Result<OutputFile, Diagnostic> {
        let url = page_url_of(self.r.archive, page);
        let bytes = self.bytes_of(self.prepare_at(page, &url))?;
        Ok(OutputFile {
            path: file_of(&url),
            bytes,
        })
    }

    /// Renders one page for the output folder, like [`Contexts::render`], except that a file
    /// too large to hold in memory (the SQLite database) is written straight into the new file
    /// `place` gives for its output path.
    pub fn render_into(
        &self,
        page: &Page,
        place: impl FnOnce(&str) -> Result<PathBuf, Diagnostic>,
    ) -> Result<Rendered, Diagnostic> {
        let url = page_url_of(self.r.archive, page);
        let path = file_of(&url);
        match self.prepare_at(page, &url) {
            Prepared::Data(data) if data.too_large_to_hold() => {
                data.write_file(self.r, &place(&path)?)?;
                Ok(Rendered::Written(path))
            }
            prepared => Ok(Rendered::File(OutputFile {
                bytes: self.bytes_of(prepared)?,
                path,
            })),
        }
    }

    fn bytes_of(&self, prepared: Prepared<'_>) -> Result<Vec<u8>, Diagnostic> {
        match prepared {
            Prepared::Template { template, context } => self.r.render_value(template, &context),
            Prepared::Data(data) => data.write(self.r),
        }
    }

    /// The page's fingerprint: its prepared value, the templates it renders
    /// with, and the settings every page sees (two renderers give a page the
    /// same fingerprint only if they would render the same bytes); with the
    /// letters it shows, each once, sorted:
    /// those whose handles are in its value. The page shows nothing else of
    /// a letter's [`Shown`](crate::letter::Shown) fields or body, so when only
    /// those change (`serve`'s patch), a page none of whose letters changed
    /// keeps its fingerprint.
    pub fn fingerprint_reading(&self, page: &Page) -> (u64, Vec<u32>) {
        let prepared = self.prepare(page);
        let mut fp = Fp::new();
        fp.add(&self.settings_fingerprint());
        if let Prepared::Template { template, .. } = &prepared {
            fp.add(&self.r.templates_fingerprint(template));
        }
        let mut letters = Vec::new();
        value::add_reading(&mut fp, &prepared, &mut letters);
        letters.sort_unstable();
        letters.dedup();
        (fp.finish(), letters)
    }

    /// What every page may see besides its own value: the settings, the
    /// translations and the template globals (`site`, `t`).
    fn settings_fingerprint(&self) -> u64 {
        *self.settings.get_or_init(|| self.r.settings_fingerprint())
    }
}
