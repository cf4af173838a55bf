//! Data flows one way: letter ← load ← archive ← search ← render ← site ← build, serve and the
//! command line, with the output folder reached only through `site`. This test reads every
//! module's code (tests left out) and fails when a module imports from one above it, uses
//! the search oracle that only tests may use, or when linking reads what only pages show.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Modules by layer, lowest first. A module may import from its own layer's helpers only where
/// [`SIDEWAYS`] allows, and from any layer below.
const LAYERS: &[&[&str]] = &[
    // Leaves: no domain knowledge.
    &["diagnostic", "hash", "paths", "progress"],
    // Reading the site folder and writing the output folder.
    &["site_folder", "output"],
    &["letter"],
    &["config", "load"],
    &["archive"],
    &["search"],
    &["render"],
    &["site"],
    &["claims"],
    &["build", "serve", "import", "scaffold"],
];

/// Imports within one layer that are allowed.
const SIDEWAYS: &[(&str, &str)] = &[];

/// Modules that only these may import.
const GUARDED: &[(&str, &[&str])] = &[("output", &["site"])];

/// Fields that modules must not read, with those modules: `Letter::shown` holds what only
/// pages show, and `serve` leaves it out of the hash that decides whether to link again.
const UNREAD: &[(&str, &[&str])] = &[(".shown", &["archive", "load", "config"])];

/// What `serve`'s patch changes of a letter: its shown fields and its body. A page shows
/// them only through the handles made of one letter, or values made beside one of that
/// letter (`render/handle.rs`, `MadeFrom`): the handles in
/// its value are how `serve` knows which pages an edit of that letter can change. So
/// only the files that make those handles (or the search index, no page) read them.
const LETTER_READS: &[&str] = &[".shown", "views().title(", "views.title(", "r.body("];
const LETTER_MAKERS: &[&str] = &[
    "render/view.rs",
    "render/context.rs",
    "render/linked_data.rs",
    "render/search_docs.rs",
    "render/mod.rs",
    "render/export/records.rs",
    "render/export/cmif.rs",
];

/// Inner modules that only tests, examples and benches may use: the search oracle mirrors
/// `search.js` to check it, so nothing the site builds or serves may come to rely on it.
const TEST_ONLY: &[&str] = &["oracle"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// `src/render/pages.rs` → `render`; `src/build.rs` → `build`.
fn module_of(file: &Path, src: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    first
        .unwrap_or_default()
        .trim_end_matches(".rs")
        .to_string()
}

/// The code of a file without its test module (kept at the end of a file by convention),
/// without comments.
fn code_of(text: &str) -> String {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top modules a file's code names as `crate::<module>`.
fn imports(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    // `use crate::{a, b}` names several at once.
    for (at, _) in code.match_indices("crate::{") {
        let rest = &code[at + "crate::{".len()..];
        let list = &rest[..rest.find('}').unwrap_or(rest.len())];
        for part in list.split(',') {
            let name: String = part
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every import against the flow, as "file: module -> imported".
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        // The binary (main.rs and its cmd/ modules) sits on top of the library, and its
        // `crate::` is the binary's own root.
        let binary = file.strip_prefix(src).is_ok_and(|r| r.starts_with("cmd"));
        if binary || name == "lib.rs" || name == "main.rs" || name.ends_with("tests.rs") {
            continue;
        }
        let module = module_of(&file, src);
        let Some(own) = layer_of(&module) else {
            found.push(format!(
                "{}: module `{module}` has no layer",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("a source file is readable");
        let code = code_of(&text);
        for (field, modules) in UNREAD {
            if modules.contains(&module.as_str()) && code.contains(field) {
                found.push(format!("{}: {module} reads `{field}`", file.display()));
            }
        }
        let rel = file.strip_prefix(src).unwrap_or(&file).to_string_lossy();
        if module == "render" && !LETTER_MAKERS.iter().any(|m| rel == *m) {
            for read in LETTER_READS.iter().filter(|r| code.contains(**r)) {
                found.push(format!(
                    "{}: reads `{read}` outside a handle",
                    file.display()
                ));
            }
        }
        let stem = file.file_stem().unwrap_or_default().to_string_lossy();
        for inner in TEST_ONLY.iter().filter(|m| **m != stem) {
            if code.contains(&format!("{inner}::")) {
                found.push(format!("{}: uses the test-only `{inner}`", file.display()));
            }
        }
        for target in imports(&code) {
            if target == module {
                continue;
            }
            let Some(theirs) = layer_of(&target) else {
                found.push(format!("{}: `{target}` has no layer", file.display()));
                continue;
            };
            let sideways = theirs == own && SIDEWAYS.contains(&(module.as_str(), target.as_str()));
            let guarded = GUARDED
                .iter()
                .any(|(g, who)| *g == target && !who.contains(&module.as_str()));
            if (theirs >= own && !sideways) || guarded {
                found.push(format!("{}: {module} -> {target}", file.display()));
            }
        }
    }
    found
}

#[test]
fn every_import_follows_the_one_way_flow() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "imports against the flow:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_an_import_against_the_flow() {
    let dir = std::env::temp_dir().join(format!("pk-arch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("archive")).expect("a temporary folder");
    std::fs::write(
        dir.join("archive/mod.rs"),
        "use crate::letter::Letter;\nuse crate::{render::Renderer, load};\nfn f(l: &Letter) -> bool { l.shown.title.is_some() }\n#[cfg(test)]\nmod tests { use crate::serve; }\n",
    )
    .expect("a fixture file");
    std::fs::write(dir.join("build.rs"), "use crate::output::Staging;\n").expect("a fixture file");
    let found = violations(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].ends_with("archive reads `.shown`"), "{found:?}");
    assert!(found[1].ends_with("archive -> render"), "{found:?}");
    assert!(found[2].ends_with("build -> output"), "{found:?}");
}

#[test]
fn the_check_sees_code_that_uses_the_search_oracle() {
    let dir = std::env::temp_dir().join(format!("pk-arch-oracle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("search")).expect("a temporary folder");
    std::fs::write(
        dir.join("search/oracle.rs"),
        "pub fn parse() {}\nfn own() { oracle::parse() }\n",
    )
    .expect("a fixture file");
    std::fs::write(dir.join("search/tests.rs"), "use super::oracle::parse;\n")
        .expect("a fixture file");
    std::fs::write(
        dir.join("search/mod.rs"),
        "pub mod oracle;\n#[cfg(test)]\nmod t { use super::oracle::parse; }\n",
    )
    .expect("a fixture file");
    std::fs::write(dir.join("site.rs"), "use crate::search::oracle::parse;\n")
        .expect("a fixture file");
    let found = violations(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with("uses the test-only `oracle`"),
        "{found:?}"
    );
}

#[test]
fn the_check_sees_a_page_reading_a_letter_around_its_handles() {
    let dir = std::env::temp_dir().join(format!("pk-arch-reads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("render")).expect("a temporary folder");
    let page = "fn title(c: &Contexts, l: &ArchivedLetter) -> String { c.views().title(l) }\n";
    std::fs::write(dir.join("render/pages.rs"), page).expect("a fixture file");
    std::fs::write(dir.join("render/view.rs"), page).expect("a fixture file");
    let found = violations(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with("pages.rs: reads `views().title(` outside a handle"),
        "{found:?}"
    );
}
