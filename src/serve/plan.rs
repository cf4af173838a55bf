//! Planning a rebuild: every file of the site with its fingerprint, then
//! making (rendering, reading) only the files whose fingerprint changed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use rayon::prelude::*;

use crate::archive::LetterIx;
use crate::diagnostic::Diagnostic;
use crate::hash::Fp;
use crate::render::theme::Theme;
use crate::render::{Contexts, Page, Renderer, file_of, page_url_of};
use crate::site::{MANIFEST_PATH, page_manifest};
use crate::site_folder::SiteFolder;

use super::snapshot::{Delta, Served};

/// A file other than a page, made only when its fingerprint changed.
enum Make {
    ThemeAsset(String),
    File(Arc<SiteFolder>, PathBuf),
    Manifest(Vec<u8>),
}

/// The pages of one archive with their URLs and output paths. Kept while the
/// archive is only patched, so a body edit allocates no URL and compares
/// fingerprints by position.
pub struct PageList {
    pages: Vec<Page>,
    urls: Vec<String>,
    paths: Vec<String>,
    /// The page manifest of these pages.
    manifest: Vec<u8>,
}

impl PageList {
    pub fn new(r: &Renderer<'_>) -> PageList {
        let pages = r.pages();
        let urls: Vec<String> = pages.iter().map(|p| page_url_of(r.archive, p)).collect();
        let paths = urls.iter().map(|u| file_of(u)).collect();
        let manifest = page_manifest(r, &pages);
        PageList {
            pages,
            urls,
            paths,
            manifest,
        }
    }
}

/// Marks a page whose output path a later file (site `static/`, say) takes, as in `build`.
const OVERRIDDEN: u64 = u64::MAX;

/// Marks a page that was planned but not rendered: no fingerprint equals it.
const UNRENDERED: u64 = u64::MAX - 1;

/// The fingerprints of what the server holds after a good build.
#[derive(Default)]
pub struct ServedFiles {
    pub pages: Option<Arc<PageList>>,
    /// Indexed like `pages`; [`OVERRIDDEN`] for a page that another file replaces.
    pub page_fps: Vec<u64>,
    /// Which of `pages` show which letters.
    pub readers: Readers,
    /// Pages of `pages` whose fingerprint may not be that of their sources:
    /// left for later and not fingerprinted since. The next plan does them.
    pub stale: Vec<usize>,
    /// Every other file: attachments, static files, theme assets, manifest.
    pub files: HashMap<String, u64>,
}

/// Which pages of a list show which letters ([`Contexts::fingerprint_reading`]).
/// When a patch changed only some letters' shown fields and bodies, only the
/// pages showing them can have changed: the rest keep their fingerprints.
#[derive(Default)]
pub struct Readers {
    /// Per page, the letters it shows, sorted; `None` until it is fingerprinted.
    of_page: Vec<Option<Box<[u32]>>>,
    /// Per letter, the pages showing it.
    of_letter: Vec<Vec<u32>>,
}

impl Readers {
    fn new(pages: usize, letters: usize) -> Readers {
        Readers {
            of_page: vec![None; pages],
            of_letter: vec![Vec::new(); letters],
        }
    }

    /// Records that `page` shows `letters` (sorted). A page keeps showing
    /// what it showed before as far as [`Readers::showing`] knows: a page
    /// planned once too often costs a hash, one planned too rarely goes stale.
    fn set(&mut self, page: usize, letters: Vec<u32>) {
        let before = self.of_page[page].take().unwrap_or_default();
        for &l in &letters {
            if before.binary_search(&l).is_err()
                && let Some(pages) = self.of_letter.get_mut(l as usize)
            {
                pages.push(page as u32);
            }
        }
        self.of_page[page] = Some(letters.into());
    }

    /// The pages that show one of `letters` or were never fingerprinted, sorted.
    fn showing(&self, letters: &[LetterIx]) -> Vec<usize> {
        let mut pages: Vec<usize> = letters
            .iter()
            .filter_map(|&l| self.of_letter.get(l))
            .flatten()
            .map(|&p| p as usize)
            .collect();
        pages.extend((0..self.of_page.len()).filter(|&p| self.of_page[p].is_none()));
        pages.sort_unstable();
        pages.dedup();
        pages
    }
}

/// Which pages a plan fingerprints.
pub enum Scope<'s> {
    /// Every page.
    All,
    /// The archive was patched: only these letters' shown fields and bodies
    /// changed, and the page list is the one served.
    Letters(&'s [LetterIx]),
}

impl ServedFiles {
    /// How many files are served.
    pub fn len(&self) -> usize {
        self.page_fps.iter().filter(|&&f| f != OVERRIDDEN).count() + self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Every file of the new build with its fingerprint.
pub struct Plan {
    list: Arc<PageList>,
    page_fps: Vec<u64>,
    readers: Readers,
    files: HashMap<String, (u64, Make)>,
}

impl Plan {
    fn add(&mut self, path: String, fp: u64, make: Make) {
        self.files.insert(path, (fp, make));
    }
}

/// What the plan is made from, besides the pages' contexts.
pub struct Inputs<'i> {
    pub static_files: &'i [(String, PathBuf)],
    /// The site folder every served source file is read through.
    pub folder: &'i Arc<SiteFolder>,
    pub theme: &'i Theme,
}

/// Marks a page whose fingerprint is left for after the reload ([`make`]'s `defer`).
const DEFERRED: u64 = u64::MAX - 2;

/// Fingerprints every file of the new build: the pages of `list`, then, in
/// `build`'s order, attachments, site `static/`, theme assets and page
/// manifest (the search index is [`super::search`]'s) (a later file at a page's path replaces the page).
/// With `defer`, feeds and data files are not fingerprinted yet: no browser
/// shows them, and the site-wide ones are made from every letter, so they are
/// left for [`fingerprint_later`] after the reload. With [`Scope::Letters`],
/// only the pages showing those letters are fingerprinted; the others keep
/// what `old` serves them with.
pub fn plan(
    c: &Contexts<'_>,
    inputs: &Inputs<'_>,
    list: Arc<PageList>,
    defer: bool,
    scope: Scope<'_>,
    old: &mut ServedFiles,
) -> Plan {
    let r = c.r;
    let same_list = old.pages.as_ref().is_some_and(|p| Arc::ptr_eq(p, &list));
    let (todo, mut page_fps, mut readers) = match scope {
        Scope::Letters(letters) if same_list && old.page_fps.len() == list.pages.len() => {
            let mut todo = old.readers.showing(letters);
            todo.append(&mut old.stale);
            todo.sort_unstable();
            todo.dedup();
            (todo, old.page_fps.clone(), std::mem::take(&mut old.readers))
        }
        _ => (
            (0..list.pages.len()).collect(),
            vec![UNRENDERED; list.pages.len()],
            Readers::new(list.pages.len(), r.archive.letters.len()),
        ),
    };
    let fps: Vec<(u64, Option<Vec<u32>>)> = todo
        .par_iter()
        .map(|&i| {
            if defer && !list.pages[i].is_html() {
                (DEFERRED, None)
            } else {
                let (fp, letters) = c.fingerprint_reading(&list.pages[i]);
                (fp, Some(letters))
            }
        })
        .collect();
    for (&i, (fp, letters)) in todo.iter().zip(fps) {
        page_fps[i] = fp;
        if let Some(letters) = letters {
            readers.set(i, letters);
        }
    }
    let mut plan = Plan {
        page_fps,
        readers,
        files: HashMap::new(),
        list,
    };
    for l in &r.archive.letters {
        for a in &l.letter.attachments {
            let source = l.letter.dir.join(a);
            let fp = Fp::new().add(&source).finish();
            let make = Make::File(Arc::clone(inputs.folder), source);
            plan.add(format!("{}{a}", l.url), fp, make);
        }
    }
    for (rel, source) in inputs.static_files {
        let fp = Fp::new().add(source).finish();
        let make = Make::File(Arc::clone(inputs.folder), source.clone());
        plan.add(rel.clone(), fp, make);
    }
    for (name, file) in inputs.theme.files_under("static/") {
        let fp = Fp::new().add(file.bytes.as_ref()).finish();
        plan.add(
            format!("assets/{name}"),
            fp,
            Make::ThemeAsset(name.to_string()),
        );
    }
    let manifest = plan.list.manifest.clone();
    let manifest_fp = Fp::new().add(&manifest).finish();
    plan.add(
        MANIFEST_PATH.to_string(),
        manifest_fp,
        Make::Manifest(manifest),
    );
    if !plan.files.is_empty() {
        for (fp, path) in plan.page_fps.iter_mut().zip(&plan.list.paths) {
            if plan.files.contains_key(path) {
                *fp = OVERRIDDEN;
            }
        }
    }
    plan
}

/// What making a plan produced.
pub struct Made {
    pub delta: Delta,
    /// Site-relative URLs of the rendered pages.
    pub rendered: Vec<String>,
    /// The fingerprints of the new build, to compare the next one with.
    pub served: ServedFiles,
    /// Changed pages left to render after the reload (indices into `served.pages`).
    pub later: Vec<usize>,
}

/// Makes every planned file whose fingerprint differs from what `old` serves;
/// pages render in parallel. Pages whose fingerprint was deferred (see
/// [`plan`]) keep the fingerprint of the bytes served for them and are left
/// for [`fingerprint_later`] ([`Made::later`]).
pub fn make(
    c: &Contexts<'_>,
    theme: &Theme,
    plan: Plan,
    old: &ServedFiles,
) -> Result<Made, Vec<Diagnostic>> {
    let Plan {
        list,
        mut page_fps,
        readers,
        files,
    } = plan;
    let previous = previous_fps(&list, old);
    let mut delta = Delta::default();
    let mut new_files = HashMap::with_capacity(files.len());
    for (path, (fp, what)) in files {
        if old.files.get(&path) != Some(&fp) {
            delta
                .put
                .push((path.clone(), make_file(theme, &path, what)));
        }
        new_files.insert(path, fp);
    }
    let mut later = Vec::new();
    let mut todo = Vec::new();
    for (i, fp) in page_fps.iter_mut().enumerate() {
        if *fp == DEFERRED {
            *fp = previous[i].unwrap_or(UNRENDERED);
            later.push(i);
        } else if *fp != OVERRIDDEN && previous[i] != Some(*fp) {
            todo.push(i);
        }
    }
    delta.remove = removed(old, &list, &page_fps, &new_files);
    let (rendered, pages) = render_pages(c, &list, &todo)?;
    delta.put.extend(pages);
    delta.pending = later.iter().map(|&i| list.paths[i].clone()).collect();
    Ok(Made {
        delta,
        rendered,
        served: ServedFiles {
            pages: Some(list),
            page_fps,
            readers,
            stale: Vec::new(),
            files: new_files,
        },
        later,
    })
}

/// Fingerprints the deferred pages `later` of the served list and renders those
/// that changed; on success their fingerprints are updated. Returns what was rendered.
pub fn fingerprint_later(
    c: &Contexts<'_>,
    served: &mut ServedFiles,
    later: &[usize],
) -> Result<Rendered, Vec<Diagnostic>> {
    let Some(list) = served.pages.clone() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let fps: Vec<(usize, u64, Vec<u32>)> = later
        .par_iter()
        .map(|&i| {
            let (fp, letters) = c.fingerprint_reading(&list.pages[i]);
            (i, fp, letters)
        })
        .collect();
    let changed: Vec<usize> = fps
        .iter()
        .filter(|&&(i, fp, _)| {
            served
                .page_fps
                .get(i)
                .is_some_and(|&old| old != fp && old != OVERRIDDEN)
        })
        .map(|&(i, _, _)| i)
        .collect();
    let rendered = render_pages(c, &list, &changed)?;
    for (i, fp, letters) in fps {
        if let Some(slot) = served.page_fps.get_mut(i).filter(|f| **f != OVERRIDDEN) {
            *slot = fp;
            served.readers.set(i, letters);
        }
    }
    Ok(rendered)
}

/// The fingerprint each page of `list` was served with: by position when the
/// list is the served one, else by output path; `None` for a new page.
fn previous_fps(list: &Arc<PageList>, old: &ServedFiles) -> Vec<Option<u64>> {
    match &old.pages {
        Some(served) if Arc::ptr_eq(served, list) => (0..list.pages.len())
            .map(|i| old.page_fps.get(i).copied())
            .collect(),
        Some(served) => {
            let by_path: HashMap<&str, u64> = served
                .paths
                .iter()
                .map(String::as_str)
                .zip(old.page_fps.iter().copied())
                .collect();
            list.paths
                .iter()
                .map(|p| by_path.get(p.as_str()).copied())
                .collect()
        }
        None => vec![None; list.pages.len()],
    }
}

/// Output paths served before that the new build no longer has.
fn removed(
    old: &ServedFiles,
    list: &PageList,
    fps: &[u64],
    files: &HashMap<String, u64>,
) -> Vec<String> {
    let served_pages = |l: &PageList, f: &[u64]| -> Vec<String> {
        l.paths
            .iter()
            .zip(f)
            .filter(|(_, fp)| **fp != OVERRIDDEN)
            .map(|(p, _)| p.clone())
            .collect()
    };
    let same_list = old
        .pages
        .as_ref()
        .is_some_and(|p| std::ptr::eq(p.as_ref(), list));
    if same_list {
        // The same pages as before: only files can have gone. A file gone
        // from a page's path uncovers the page, which is rendered and put
        // back by the same delta (puts are applied after removals).
        return old
            .files
            .keys()
            .filter(|p| !files.contains_key(*p))
            .cloned()
            .collect();
    }
    let mut before: Vec<String> = old.files.keys().cloned().collect();
    if let Some(p) = &old.pages {
        before.extend(served_pages(p, &old.page_fps));
    }
    if before.is_empty() {
        return before;
    }
    let mut now: std::collections::HashSet<&str> = files.keys().map(String::as_str).collect();
    let pages_now = served_pages(list, fps);
    now.extend(pages_now.iter().map(String::as_str));
    before
        .into_iter()
        .filter(|p| !now.contains(p.as_str()))
        .collect()
}

fn make_file(theme: &Theme, path: &str, what: Make) -> Served {
    match what {
        Make::ThemeAsset(name) => {
            let bytes = theme
                .files_under("static/")
                .find(|(n, _)| *n == name)
                .map(|(_, f)| Bytes::from(f.bytes.to_vec()))
                .unwrap_or_default();
            Served::bytes(path, bytes)
        }
        Make::File(folder, source) => Served::file(path, folder, source),
        Make::Manifest(bytes) => Served::bytes(path, bytes),
    }
}

/// Site-relative URLs of rendered pages, and the files to serve.
pub type Rendered = (Vec<String>, Vec<(String, Served)>);

/// Renders pages in parallel; every error is collected, each template error once.
pub fn render_pages(
    c: &Contexts<'_>,
    list: &PageList,
    todo: &[usize],
) -> Result<Rendered, Vec<Diagnostic>> {
    let results: Vec<_> = todo.par_iter().map(|&i| c.render(&list.pages[i])).collect();
    let mut errors = Vec::new();
    let mut urls = Vec::with_capacity(results.len());
    let mut files = Vec::with_capacity(results.len());
    for (&i, result) in todo.iter().zip(results) {
        match result {
            Ok(file) => {
                urls.push(list.urls[i].clone());
                let served = Served::bytes(&file.path, file.bytes);
                files.push((file.path, served));
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        return Ok((urls, files));
    }
    errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    errors.dedup_by(|a, b| a.path == b.path && a.message == b.message);
    Err(errors)
}
