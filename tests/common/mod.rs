//! Helpers for the integration tests: fixture sites in temp folders, builds, HTML parsing.
#![allow(dead_code)]

pub mod edits;
pub mod inert;
pub mod preview;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use postkamer::diagnostic::Diagnostics;
use postkamer::{BuildOptions, BuildReport};
use scraper::{Html, Selector};

/// A site folder in a temp dir, removed when dropped.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub const SITE_TOML: &str =
    "title = \"Testarchief\"\nbase_url = \"/\"\n\n[archive]\nchamber = \"I\"\n";

/// A letter with the required keys; `extra` lines are added to the front matter.
pub fn letter(dossier: &str, id: &str, date: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ndossier: \"{dossier}\"\nletter: \"{id}\"\ndate: {date}\nfrom: {{ name: \"Commissie BiZa\", organisation: \"Eerste Kamer\" }}\nto: {{ name: \"De minister\" }}\n{extra}---\n{body}\n"
    )
}

/// Writes letter `dossier`/`id`, titled "Brief {dossier} {id}", from `parties.0` to
/// `parties.1` (YAML flow maps), with extra front matter lines.
pub fn write_letter(
    f: &Fixture,
    dossier: &str,
    id: &str,
    date: &str,
    parties: (&str, &str),
    extra: &str,
) {
    let (from, to) = parties;
    f.write(
        &format!("content/{dossier}/{id}.md"),
        &format!(
            "---\ndossier: \"{dossier}\"\nletter: \"{id}\"\ntitle: \"Brief {dossier} {id}\"\ndate: {date}\nfrom: {from}\nto: {to}\n{extra}---\nTekst.\n"
        ),
    );
}

impl Fixture {
    pub fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        f.write("site.toml", SITE_TOML);
        f
    }

    /// A copy of the bundled example archive.
    pub fn example() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("content"), &f.root().join("content"));
        fs::copy(repo.join("site.toml"), f.root().join("site.toml")).expect("copy site.toml");
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 28),
            ..BuildOptions::default()
        }
    }

    pub fn build(&self) -> Result<BuildReport, Diagnostics> {
        postkamer::build(&self.options())
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn page(&self, url: &str) -> Html {
        Html::parse_document(&self.read(url))
    }

    /// The text of an output file; `url` like `/dossiers/1/a/` or `/atom.xml`.
    pub fn read(&self, url: &str) -> String {
        let rel = url.trim_start_matches('/');
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        fs::read_to_string(self.public().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    /// Runs the real binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        postkamer()
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run postkamer")
    }
}

/// The real binary, to be given arguments and run.
pub fn postkamer() -> Command {
    Command::new(env!("CARGO_BIN_EXE_postkamer"))
}

/// Asserts that a run of the binary succeeded, showing what it printed when not.
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    html.select(&selector).collect()
}

pub fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).expect("prefix").to_path_buf())
        .collect();
    out.sort();
    out
}

/// Checks every internal `href`/`src` of every HTML page in `public` (served under `base_path`):
/// the target file exists and, with a `#fragment`, has an element with that id. Returns the broken ones.
pub fn broken_links(public: &Path, base_path: &str) -> Vec<String> {
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let pages: Vec<PathBuf> = files(public)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    let any = Selector::parse("[id]").expect("selector");
    let links = Selector::parse("a[href], link[href], script[src], img[src], form[action]")
        .expect("selector");
    let mut parsed = Vec::new();
    for page in &pages {
        let html = Html::parse_document(&fs::read_to_string(public.join(page)).expect("read"));
        ids.insert(
            page.clone(),
            html.select(&any)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect(),
        );
        parsed.push((page.clone(), html));
    }
    let mut broken = Vec::new();
    for (page, html) in &parsed {
        for el in html.select(&links) {
            let v = el.value();
            let Some(target) = v.attr("href").or(v.attr("src")).or(v.attr("action")) else {
                continue;
            };
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            let (path, fragment) = target
                .split_once('#')
                .map_or((target, None), |(p, f)| (p, Some(f)));
            let file = if path.is_empty() {
                page.clone()
            } else {
                let Some(rel) = path.strip_prefix(base_path) else {
                    broken.push(format!(
                        "{}: {target} is outside {base_path}",
                        page.display()
                    ));
                    continue;
                };
                let rel = rel.split('?').next().unwrap_or_default();
                PathBuf::from(if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel.to_string()
                })
            };
            if !public.join(&file).is_file() {
                broken.push(format!(
                    "{}: {target} (no file {})",
                    page.display(),
                    file.display()
                ));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty())
                && !ids.get(&file).is_some_and(|set| set.contains(fragment))
            {
                broken.push(format!("{}: {target} (no id {fragment})", page.display()));
            }
        }
    }
    broken
}
