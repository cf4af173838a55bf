//! The stages of a site, which `build`, `check` and `serve` all run: load and link the site
//! folder ([`load_site`]), check where the output goes, render and write pages, assets and
//! attachments ([`write_pages`]), and the search index ([`write_search`]). `build` strings them
//! together once; `serve` keeps caches on top of the same stages.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::archive::{Archive, LinkOptions};
use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::load;
use crate::output::{OutputError, Staging};
use crate::progress::Progress;
use crate::render::theme::Theme;
use crate::render::{Rendered, Renderer};
use crate::site_folder::{SiteFolder, resolve_existing};

/// What a build is asked to do. Built by the CLI or a test.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (holding `site.toml` and `content/`).
    pub root: PathBuf,
    /// Overrides `output_dir` of `site.toml`; relative paths are relative to `root`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// The date statuses are computed against; else `SOURCE_DATE_EPOCH`, else the clock.
    pub today: Option<NaiveDate>,
    /// Warnings fail the build.
    pub strict: bool,
    /// Include letters marked `draft: true` (preview only).
    pub drafts: bool,
    /// Where to show how far the build is (hidden by default).
    pub progress: Progress,
}

/// A site loaded and linked, ready to render.
pub struct Site {
    pub root: PathBuf,
    /// The site folder as the boundary of every read.
    pub folder: SiteFolder,
    /// The files of the site's `static/`: output path and source.
    pub static_files: Vec<(String, PathBuf)>,
    pub config: SiteConfig,
    pub archive: Archive,
    pub theme: Theme,
}

/// The date a build treats as today. `SOURCE_DATE_EPOCH` keeps builds reproducible.
pub fn build_date(given: Option<NaiveDate>) -> NaiveDate {
    given
        .or_else(|| {
            let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
                .ok()?
                .trim()
                .parse()
                .ok()?;
            chrono::DateTime::from_timestamp(secs, 0).map(|d| d.date_naive())
        })
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Loads, validates and links the site. `Err` holds every problem when any is fatal.
pub fn load_site(options: &BuildOptions) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let folder = SiteFolder::new(&options.root);
    let mut config = SiteConfig::load(&folder).map_err(Diagnostics::from)?;
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    let theme = Theme::load(&folder, &config.theme).map_err(Diagnostics::from)?;
    let mut loaded = load(&folder, &mut diagnostics, &options.progress);
    let (static_files, problems) = folder.files_below(&options.root.join("static"));
    diagnostics.extend(problems);
    if !options.drafts {
        loaded.letters.retain(|l| !l.draft);
    }
    let link = LinkOptions {
        default_chamber: config.archive.chamber,
        today: build_date(options.today),
    };
    let archive = Archive::link(loaded, &link, &mut diagnostics);
    check_attachments(&archive, &folder, &mut diagnostics);
    if options.strict {
        diagnostics.make_strict();
    }
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok((
        Site {
            root: options.root.clone(),
            folder,
            static_files,
            config,
            archive,
            theme,
        },
        diagnostics,
    ))
}

/// Every attachment a letter names must sit beside it, inside the site
/// folder. Public for `serve`, which links without `load_site`.
pub fn check_attachments(archive: &Archive, folder: &SiteFolder, diagnostics: &mut Diagnostics) {
    for l in &archive.letters {
        for a in &l.letter.attachments {
            let p = l.letter.attachments_place;
            let problem = match folder.is_file(&l.letter.dir.join(a)) {
                Ok(true) => continue,
                Ok(false) => Diagnostic::error_in(
                    &l.letter.path,
                    format!("attachment `{a}` is not beside the letter"),
                )
                .at(p)
                .with_help(
                    "put the file in the letter's folder, or correct its name under `attachments`",
                ),
                Err(e) => Diagnostic::error_in(
                    &l.letter.path,
                    format!("attachment `{a}` is not published: {e}"),
                )
                .at(p)
                .with_help(e.help()),
            };
            diagnostics.push(problem);
        }
    }
}

/// Where the site goes: `--output`, else `output_dir`, relative to the site root.
pub fn output_dir(options: &BuildOptions, config: &SiteConfig) -> PathBuf {
    let dir = options
        .output
        .clone()
        .unwrap_or_else(|| config.output_dir.clone());
    if dir.is_absolute() {
        dir
    } else {
        options.root.join(dir)
    }
}

/// The output folder may not lie where the site is read from: inside
/// `content/` the next build would read it as letters, inside `static/` or
/// `themes/` copy it into itself, and around the site folder replace it.
pub fn check_output_place(
    options: &BuildOptions,
    folder: &SiteFolder,
    output: &Path,
) -> Result<(), Diagnostic> {
    let resolved = resolve_existing(output);
    let root = resolve_existing(folder.root());
    let inside = ["content", "static", "themes"]
        .into_iter()
        .find(|part| resolved.starts_with(resolve_existing(&folder.root().join(part))));
    let why = match inside {
        Some("content") => {
            "inside content/: the next build would read its files as letters".to_string()
        }
        Some(part) => format!("inside {part}/: every build would copy the last one into itself"),
        None if root.starts_with(&resolved) => {
            "the site folder itself, or a folder around it".to_string()
        }
        None => return Ok(()),
    };
    let path = match &options.output {
        Some(_) => PathBuf::from("--output"),
        None => folder.root().join("site.toml"),
    };
    Err(Diagnostic::error_in(
        path,
        format!("the output folder {} is {why}", output.display()),
    )
    .with_help("write the site to a folder of its own beside content/, like public/ (the default)"))
}

/// Opens the output folder for writing: everything goes to a staging folder beside it until
/// [`commit_output`] swaps it in, so a failed build leaves the previous output as it was.
pub fn begin_output(output: &Path) -> Result<Staging, Diagnostics> {
    Staging::begin(output).map_err(|e| Diagnostics::from(output_problem(output, e)))
}

/// Swaps the staged output in for the previous one.
pub fn commit_output(staging: Staging, output: &Path) -> Result<(), Diagnostics> {
    staging
        .commit()
        .map_err(|e| Diagnostics::from(output_problem(output, e)))
}

/// One line of the page manifest: every HTML page with its type, for the checks in CI.
#[derive(Serialize)]
struct ManifestEntry<'a> {
    page_type: &'a str,
    url: String,
}

/// Where the page manifest goes in the output.
pub const MANIFEST_PATH: &str = "data/pages.json";

/// The page manifest: every HTML page with its type and URL, as JSON. `serve` builds it too.
pub fn page_manifest(renderer: &Renderer<'_>, pages: &[crate::render::Page]) -> Vec<u8> {
    let manifest: Vec<ManifestEntry<'_>> = pages
        .iter()
        .filter(|p| p.is_html())
        .map(|p| ManifestEntry {
            page_type: p.page_type(),
            url: crate::render::page_url_of(renderer.archive, p),
        })
        .collect();
    serde_json::to_vec(&manifest).unwrap_or_default()
}

/// An output error as a problem of the folder being written. Its text is the error's own
/// (which names the file); the error itself stays the diagnostic's source, so a caller can
/// still tell the file and the `io::ErrorKind` apart.
fn output_problem(folder: &Path, error: OutputError) -> Diagnostic {
    Diagnostic::error_in(folder, error.to_string()).caused_by(error)
}

fn output_error(staging: &Staging) -> impl Fn(OutputError) -> Diagnostic + '_ {
    |e| output_problem(staging.stage_dir(), e)
}

/// Renders and writes every page, asset and attachment, and the page manifest.
pub fn write_pages(
    site: &Site,
    renderer: &Renderer<'_>,
    staging: &Staging,
    progress: &Progress,
) -> Result<usize, Vec<Diagnostic>> {
    let pages = renderer.pages();
    let out_err = output_error(staging);
    progress.stage("writing pages", pages.len());
    let contexts = renderer.contexts();
    let mut errors: Vec<Diagnostic> = pages
        .par_iter()
        .filter_map(|page| {
            let place = |path: &str| staging.place(path).map_err(&out_err);
            let problem = match contexts.render_into(page, place) {
                Ok(Rendered::File(file)) => {
                    staging.write(&file.path, &file.bytes).err().map(&out_err)
                }
                Ok(Rendered::Written(path)) => staging.written(&path).err().map(&out_err),
                Err(d) => Some(d),
            };
            progress.inc();
            problem
        })
        .collect();
    errors.extend(copy_attachments(&site.archive, &site.folder, staging));
    errors.extend(copy_static(site, staging));
    let json = page_manifest(renderer, &pages);
    if let Err(e) = staging.write(MANIFEST_PATH, &json) {
        errors.push(out_err(e));
    }
    if errors.is_empty() {
        Ok(pages.len())
    } else {
        Err(errors)
    }
}

/// Writes the full-text search index.
pub fn write_search(
    docs: &[crate::search::SearchDoc],
    config: &SiteConfig,
    staging: &Staging,
) -> Result<(), Vec<Diagnostic>> {
    let errors: Vec<Diagnostic> = write_search_index(docs, config, staging)
        .into_iter()
        .map(output_error(staging))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn copy_attachments(archive: &Archive, folder: &SiteFolder, staging: &Staging) -> Vec<Diagnostic> {
    archive
        .letters
        .par_iter()
        .flat_map_iter(|l| l.letter.attachments.iter().map(move |a| (l, a)))
        .filter_map(|(l, a)| {
            let source = l.letter.dir.join(a);
            copy_in(folder, staging, &format!("{}{a}", l.url), &source).err()
        })
        .collect()
}

/// Copies one file of the site into the output, read through the site folder's guard.
fn copy_in(
    folder: &SiteFolder,
    staging: &Staging,
    rel: &str,
    source: &Path,
) -> Result<(), Diagnostic> {
    let bytes = folder.read(source).map_err(|e| {
        Diagnostic::error_in(folder.display(source), format!("cannot read: {e}"))
            .with_help(e.help())
    })?;
    staging.write(rel, &bytes).map_err(output_error(staging))
}

/// Theme assets go to `assets/`; the site's own `static/` files to the site root.
fn copy_static(site: &Site, staging: &Staging) -> Vec<Diagnostic> {
    let mut errors: Vec<Diagnostic> = site
        .static_files
        .par_iter()
        .filter_map(|(rel, path)| copy_in(&site.folder, staging, rel, path).err())
        .collect();
    for (name, file) in site.theme.files_under("static/") {
        if let Err(e) = staging.write(&format!("assets/{name}"), &file.bytes) {
            errors.push(output_problem(staging.stage_dir(), e));
        }
    }
    errors
}

fn write_search_index(
    docs: &[crate::search::SearchDoc],
    config: &SiteConfig,
    staging: &Staging,
) -> Vec<OutputError> {
    crate::search::build_index(docs, config.language.into())
        .par_iter()
        .filter_map(|f| staging.write(&f.path, &f.bytes).err())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use super::*;

    fn output_error_of(d: &Diagnostic) -> &OutputError {
        d.source()
            .and_then(|s| s.downcast_ref::<OutputError>())
            .expect("the output error is the source")
    }

    #[test]
    fn an_output_error_keeps_its_path_and_kind_behind_the_same_text() {
        let dir = tempfile::tempdir().unwrap();
        let foreign = dir.path().join("foreign");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("mine.txt"), "not postkamer's").unwrap();
        let d = begin_output(&foreign)
            .expect_err("a foreign folder")
            .into_vec()[0]
            .clone();
        let error = output_error_of(&d);
        assert!(matches!(error, OutputError::NotOurs { path } if path == &foreign));
        assert_eq!(
            d.to_string(),
            format!("error: {}: {error}", foreign.display())
        );

        std::fs::write(dir.path().join("file"), "x").unwrap();
        let below_a_file = dir.path().join("file/public");
        let d = begin_output(&below_a_file)
            .expect_err("no folder")
            .into_vec()[0]
            .clone();
        let OutputError::Io { path, source } = output_error_of(&d) else {
            panic!("an io error: {d}");
        };
        assert_eq!(path, &below_a_file);
        assert_eq!(source.kind(), std::io::ErrorKind::NotADirectory);
        assert!(d.position.is_none());
    }
}
