//! `build` and `check`: the whole pipeline from site folder to output folder, as the stages of
//! [`crate::site`] run once.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::claims::conflicts;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::Renderer;
pub use crate::site::BuildOptions;
use crate::site::{
    Site, begin_output, check_output_place, commit_output, load_site, output_dir, write_pages,
    write_search,
};

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub letters: usize,
    pub pages: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Time spent in each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Validates everything and writes nothing.
pub fn check(options: &BuildOptions) -> Result<Diagnostics, Diagnostics> {
    check_with_report(options).map(|(diagnostics, _)| diagnostics)
}

/// Like [`check`], and also returns the completeness report of the whole
/// archive (`postkamer check --report`): per dossier the letters missing from
/// its lettering, cited letters the archive lacks, and unresolved `in_reply_to`.
pub fn check_with_report(options: &BuildOptions) -> Result<(Diagnostics, String), Diagnostics> {
    let (site, mut diagnostics) = load_site(options)?;
    let output = output_dir(options, &site.config);
    if let Err(problem) = check_output_place(options, &site.folder, &output) {
        diagnostics.push(problem);
        return Err(diagnostics);
    }
    // Rendering in memory also checks the templates against every page.
    let renderer =
        Renderer::new(&site.archive, &site.config, &site.theme).map_err(to_diagnostics)?;
    let mut failures = conflicts(&renderer, &site.static_files, &site.theme);
    let contexts = renderer.contexts();
    failures.extend(
        renderer
            .pages()
            .par_iter()
            .filter_map(|p| contexts.render(p).err())
            .collect::<Vec<_>>(),
    );
    if !failures.is_empty() {
        diagnostics.extend(dedup(failures));
        return Err(diagnostics);
    }
    Ok((diagnostics, gaps_report(&renderer)))
}

/// The gaps of every dossier as plain text, one dossier a paragraph; dossiers
/// without gaps are left out.
fn gaps_report(r: &Renderer<'_>) -> String {
    use std::fmt::Write;
    let a = r.archive;
    let name = |l: usize| format!("{}/{}", a.letters[l].letter.dossier, a.letters[l].letter.id);
    let mut out = String::new();
    let mut complete = 0;
    for (d, dossier) in a.dossiers.iter().enumerate() {
        let gaps = r.gaps(d);
        if gaps.is_empty() {
            complete += 1;
            continue;
        }
        let _ = writeln!(out, "dossier {}:", dossier.id);
        if !gaps.lettering.is_empty() {
            let runs = gaps.lettering_runs().join(", ");
            let _ = writeln!(out, "  missing from the lettering: {runs}");
        }
        for (id, by) in &gaps.cited {
            let by: Vec<String> = by.iter().map(|&l| name(l)).collect();
            let _ = writeln!(
                out,
                "  {}/{id} is cited (in {}) but not in the archive",
                dossier.id,
                by.join(", ")
            );
        }
        for (l, written) in &gaps.unresolved {
            let _ = writeln!(
                out,
                "  {} replies to `{written}`, which is not in the archive",
                name(*l)
            );
        }
    }
    let _ = writeln!(
        out,
        "{complete} of {} dossier(s) have no gaps.",
        a.dossiers.len()
    );
    out
}

fn to_diagnostics(list: Vec<Diagnostic>) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.extend(list);
    d
}

/// Template errors repeat once per page: report each once.
fn dedup(mut list: Vec<Diagnostic>) -> Vec<Diagnostic> {
    list.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    list.dedup_by(|a, b| a.path == b.path && a.message == b.message);
    list
}

/// Builds the site into its output folder. On any error the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let mut timings = Vec::new();
    let mut lap = lap_timer(&mut timings);
    let (mut site, mut diagnostics) = load_site(options)?;
    warn_if_relative(&site, &mut diagnostics);
    lap("load and link");
    let output = output_dir(options, &site.config);
    check_output_place(options, &site.folder, &output).map_err(Diagnostics::from)?;
    let sources = site.archive.take_bodies();
    let renderer = Renderer::from_sources(&site.archive, &site.config, &site.theme, sources)
        .map_err(to_diagnostics)?;
    lap("markdown");
    let clashes = conflicts(&renderer, &site.static_files, &site.theme);
    if !clashes.is_empty() {
        diagnostics.extend(clashes);
        return Err(diagnostics);
    }
    let staging = begin_output(&output)?;
    let fail = |errors: Vec<Diagnostic>, diagnostics: &mut Diagnostics| {
        diagnostics.extend(dedup(errors));
        diagnostics.clone()
    };
    let pages = write_pages(&site, &renderer, &staging, &options.progress)
        .map_err(|e| fail(e, &mut diagnostics))?;
    lap("pages and assets");
    // Taken after the pages, as `data/letters.sqlite` holds every letter's text: the text is
    // moved into the search documents, not copied, so it is in memory once either way, and
    // the renderer goes with the bodies' HTML, which no page needs any more.
    let docs = renderer.into_search_docs();
    // Run after the pages, not beside them: measured side by side it was no faster here,
    // as both compete for the same disk and cores.
    options.progress.stage("search index", 1);
    write_search(&docs, &site.config, &staging).map_err(|e| fail(e, &mut diagnostics))?;
    options.progress.inc();
    drop(docs);
    lap("search index");
    commit_output(staging, &output)?;
    lap("swap");
    drop(lap);
    Ok(BuildReport {
        diagnostics,
        letters: site.archive.letters.len(),
        pages,
        output,
        elapsed: started.elapsed(),
        timings,
    })
}

/// A site without a host in `base_url` cannot give absolute links: say so once
/// per build. Added after `--strict` took effect, as a site built for a local
/// folder or a preview is no mistake.
fn warn_if_relative(site: &Site, diagnostics: &mut Diagnostics) {
    if !site.config.has_host() {
        diagnostics.push(
            Diagnostic::warning_in(
                site.root.join("site.toml"),
                format!(
                    "`base_url` \"{}\" has no host, so permalinks, feeds and data exports will carry relative links",
                    site.config.base_url
                ),
            )
            .with_help("set base_url to the address the site will have (\"https://example.org/archief/\"), or build with --base-url"),
        );
    }
}

/// Returns a closure that records the time since its last call under a stage name.
fn lap_timer<'t>(timings: &'t mut Vec<(&'static str, Duration)>) -> impl FnMut(&'static str) + 't {
    let mut last = Instant::now();
    move |stage| {
        timings.push((stage, last.elapsed()));
        last = Instant::now();
    }
}
