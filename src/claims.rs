//! Who claims each output file, and the claims a build cannot honour.
//!
//! Pages, attachments, the site's `static/` files, theme assets, the page
//! manifest and the search index all write into one folder. Two of them on
//! one path would silently overwrite each other (`attachments: [index.html]`
//! replacing the letter page), a file where another needs a folder fails
//! the build with an OS error (`aliases: ["/assets/style.css"]`), and some
//! names break on the hosts a site is copied to: a segment longer than a
//! file system stores, a name Windows reserves (`CON`, `aux.txt`), or two
//! names that differ only in case. [`conflicts`] finds all of these before
//! anything is written, so `check` fails where `build` would, each problem
//! naming both sources and the place in the letter that asks for it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::archive::{Archive, LetterIx};
use crate::diagnostic::{Diagnostic, Position};
use crate::render::theme::Theme;
use crate::render::{Page, Renderer, file_of, page_url_of};
use crate::search::layout;
use crate::site::MANIFEST_PATH;

pub use crate::paths::MAX_SEGMENT;

/// What asks for an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source<'s> {
    Page(Page),
    /// A letter and the index of the attachment in its list.
    Attachment(LetterIx, usize),
    /// A file of the site's `static/`, by its path relative to `static/`.
    Static(&'s str),
    ThemeAsset,
    Manifest,
    SearchIndex,
}

/// One output file and what asks for it.
struct Claim<'s> {
    path: String,
    source: Source<'s>,
}

/// Every claim on the output, in `build`'s order.
fn claims<'s>(
    r: &Renderer<'_>,
    static_files: &'s [(String, PathBuf)],
    theme: &'s Theme,
) -> Vec<Claim<'s>> {
    let a = r.archive;
    let mut out: Vec<Claim<'s>> = r
        .pages()
        .into_iter()
        .map(|p| Claim {
            path: file_of(&page_url_of(a, &p)),
            source: Source::Page(p),
        })
        .collect();
    for (l, letter) in a.letters.iter().enumerate() {
        for (i, name) in letter.letter.attachments.iter().enumerate() {
            out.push(Claim {
                path: format!("{}{name}", letter.url),
                source: Source::Attachment(l, i),
            });
        }
    }
    out.extend(static_files.iter().map(|(rel, _)| Claim {
        path: rel.clone(),
        source: Source::Static(rel),
    }));
    out.extend(theme.files_under("static/").map(|(name, _)| Claim {
        path: format!("assets/{name}"),
        source: Source::ThemeAsset,
    }));
    out.push(Claim {
        path: MANIFEST_PATH.to_string(),
        source: Source::Manifest,
    });
    for path in [layout::ROOT, layout::DATES] {
        out.push(Claim {
            path: path.to_string(),
            source: Source::SearchIndex,
        });
    }
    out
}

/// Every claim the output cannot honour, each an error at the place that asks for it.
pub fn conflicts(
    r: &Renderer<'_>,
    static_files: &[(String, PathBuf)],
    theme: &Theme,
) -> Vec<Diagnostic> {
    let claims = claims(r, static_files, theme);
    let a = r.archive;
    let mut problems = Vec::new();
    let mut files: HashMap<&str, usize> = HashMap::with_capacity(claims.len());
    let mut folded: HashMap<String, usize> = HashMap::with_capacity(claims.len());
    let mut reported = std::collections::HashSet::new();
    for (i, claim) in claims.iter().enumerate() {
        if let Some(&first) = files.get(claim.path.as_str()) {
            problems.push(clash(a, &claims[first], claim, "claim the same URL".into()));
            continue;
        }
        files.insert(&claim.path, i);
        let lower = claim.path.to_lowercase();
        match folded.get(&lower) {
            // Names in folders spelt differently: the folders' clash is reported below.
            Some(&first) if parent(&claims[first].path) != parent(&claim.path) => {}
            Some(&first) => problems.push(clash(
                a,
                &claims[first],
                claim,
                "differ only in case: a host that ignores case keeps one of them".into(),
            )),
            None => {
                folded.insert(lower, i);
            }
        }
        if let Some(why) = unstorable(&claim.path) {
            // A letter id names its page and its exchange: report the id once.
            let problem = unstorable_problem(a, claim, &why);
            if reported.insert((problem.path.clone(), problem.position)) {
                problems.push(problem);
            }
        }
        // The index fills these folders with files named by numbers and values: nothing
        // else may put a file there.
        if claim.source != Source::SearchIndex
            && let Some(folder) = layout::FOLDERS.iter().find(|f| claim.path.starts_with(*f))
        {
            problems.push(unstorable_problem(
                a,
                claim,
                &format!("/{folder} belongs to the search index"),
            ));
        }
    }
    problems.extend(folder_clashes(a, &claims, &files, &folded));
    problems
}

/// Folders the claims need that clash: a file where another claim needs a
/// folder (whichever comes second fails), and folders, or a file and a
/// folder, whose names differ only in case (`dossiers/ABC/` and
/// `dossiers/abc/`, `static/Dossiers/` beside the generated `dossiers/`),
/// which a host that ignores case merges into one. A case clash is reported
/// once, at the shallowest folder where the spellings part.
fn folder_clashes(
    a: &Archive,
    claims: &[Claim<'_>],
    files: &HashMap<&str, usize>,
    folded_files: &HashMap<String, usize>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut folders: HashMap<&str, usize> = HashMap::new();
    let mut folded: HashMap<String, (&str, usize)> = HashMap::new();
    for (i, claim) in claims.iter().enumerate() {
        for (at, _) in claim.path.match_indices('/') {
            let folder = &claim.path[..at];
            if folders.insert(folder, i).is_some() {
                continue;
            }
            if let Some(&file) = files.get(folder) {
                let how = format!("need /{folder} as both a file and a folder");
                problems.push(clash(a, &claims[file], claim, how));
                continue;
            }
            let lower = folder.to_lowercase();
            if let Some(&file) = folded_files.get(&lower)
                && parent(&claims[file].path) == parent(folder)
            {
                let how = format!(
                    "need /{} as a file and /{folder} as a folder, names that differ only in case: a host that ignores case cannot hold both",
                    claims[file].path
                );
                problems.push(clash(a, &claims[file], claim, how));
            }
            match folded.get(&lower) {
                Some(&(spelt, first)) if parent(spelt) == parent(folder) => {
                    let how = format!(
                        "lie in the folders /{spelt}/ and /{folder}/, which differ only in case: a host that ignores case merges them"
                    );
                    problems.push(clash(a, &claims[first], claim, how));
                }
                Some(_) => {}
                None => {
                    folded.insert(lower, (folder, i));
                }
            }
        }
    }
    problems
}

/// The folder part of an output path (`""` for a file at the root).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// Why a path cannot be stored on common hosts, if it cannot.
fn unstorable(path: &str) -> Option<String> {
    for segment in path.split('/') {
        if segment.len() > MAX_SEGMENT {
            return Some(format!(
                "the name `{}…` is {} bytes long; at most {MAX_SEGMENT} fit every host",
                truncate(segment, 40),
                segment.len()
            ));
        }
        if is_reserved_on_windows(segment) {
            return Some(format!(
                "`{segment}` is a name Windows reserves for a device, and a copy of the site there breaks"
            ));
        }
        if segment.contains(['<', '>', ':', '"', '|', '?', '*', '\\'])
            || segment.ends_with(['.', ' '])
        {
            return Some(format!(
                "`{segment}` has a character Windows cannot store in a file name (< > : \" | ? * \\, or a trailing dot or space)"
            ));
        }
    }
    None
}

fn truncate(s: &str, chars: usize) -> &str {
    s.char_indices().nth(chars).map_or(s, |(i, _)| &s[..i])
}

/// `CON`, `prn`, `Aux.txt`, `nul.tar.gz`, `COM1`–`COM9`, `LPT1`–`LPT9`, in any case.
pub fn is_reserved_on_windows(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or(segment).trim_end();
    let upper = stem.to_ascii_uppercase();
    matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && matches!(upper.as_bytes()[3], b'1'..=b'9'))
}

/// The error for two claims on one path (or on a file and a folder), at the place of the second.
fn clash(a: &Archive, first: &Claim<'_>, second: &Claim<'_>, how: String) -> Diagnostic {
    // Point at the claim a user wrote down: an alias, an attachment or a static file.
    let (culprit, other) = if rank(&second.source) >= rank(&first.source) {
        (second, first)
    } else {
        (first, second)
    };
    let (file, place) = place_of(a, &culprit.source);
    Diagnostic::error_in(
        file,
        format!(
            "{} (/{}) and {} (/{}) {how}",
            describe(a, &culprit.source),
            culprit.path,
            describe(a, &other.source),
            other.path
        ),
    )
    .at(place)
    .with_help("rename one of them: no two files of the site may claim the same URL")
}

fn unstorable_problem(a: &Archive, claim: &Claim<'_>, why: &str) -> Diagnostic {
    let (file, place) = place_of(a, &claim.source);
    Diagnostic::error_in(
        file,
        format!("{} cannot be written to /{}: {why}", describe(a, &claim.source), claim.path),
    )
    .at(place)
    .with_help("choose a shorter or different name (ids, aliases and file names become folder and file names of the site)")
}

/// How directly a user asked for the claim: the higher, the likelier the one to change.
fn rank(source: &Source<'_>) -> u8 {
    match source {
        Source::Page(Page::Alias(..)) | Source::Attachment(..) => 3,
        Source::Static(_) => 2,
        Source::Page(_) => 1,
        Source::ThemeAsset | Source::Manifest | Source::SearchIndex => 0,
    }
}

/// The claim in words, for the message.
fn describe(a: &Archive, source: &Source<'_>) -> String {
    let letter = |l: LetterIx| a.letters[l].letter.path.display().to_string();
    match *source {
        Source::Page(Page::Alias(l, i)) => format!(
            "the alias `/{}/` of {}",
            a.letters[l].letter.aliases[i],
            letter(l)
        ),
        Source::Page(Page::Letter(l)) => format!("the letter page of {}", letter(l)),
        Source::Page(p) => match origin_letter(a, &p) {
            Some(l) => format!("the {} page of {}", p.page_type(), letter(l)),
            None => format!("the generated {} page", p.page_type()),
        },
        Source::Attachment(l, i) => format!(
            "the attachment `{}` of {}",
            a.letters[l].letter.attachments[i],
            letter(l)
        ),
        Source::Static(rel) => format!("static/{rel}"),
        Source::ThemeAsset => "a theme asset".to_string(),
        Source::Manifest => "the page manifest".to_string(),
        Source::SearchIndex => "the search index".to_string(),
    }
}

/// The letter whose front matter makes a page exist, if one does.
fn origin_letter(a: &Archive, page: &Page) -> Option<LetterIx> {
    match *page {
        Page::Letter(l) | Page::Alias(l, _) => Some(l),
        Page::Dossier(d) | Page::DossierFeed(d) => a.dossiers[d].letters.first().copied(),
        Page::Exchange(e) => Some(a.exchanges[e].root),
        Page::Correspondent(c, _) | Page::CorrespondentFeed(c) | Page::Statistics(c) => {
            a.correspondents[c].letters.first().copied()
        }
        Page::Tag(t, _) => a.tags[t].letters.first().copied(),
        _ => None,
    }
}

/// The file a claim comes from, and its place in it when a key of a letter makes the claim.
fn place_of(a: &Archive, source: &Source<'_>) -> (PathBuf, Option<Position>) {
    let at = |l: LetterIx, place| (a.letters[l].letter.path.clone(), place);
    match *source {
        Source::Attachment(l, _) => at(l, Some(a.letters[l].letter.attachments_place)),
        Source::Static(rel) => (Path::new("static").join(rel), None),
        Source::Page(page) => {
            let Some(l) = origin_letter(a, &page) else {
                return (PathBuf::from("content"), None);
            };
            let places = &a.letters[l].letter.places;
            let place = match page {
                Page::Alias(..) => Some(places.aliases),
                Page::Letter(_) | Page::Exchange(_) => Some(places.letter),
                Page::Dossier(_) | Page::DossierFeed(_) => Some(places.dossier),
                Page::Correspondent(c, _) | Page::CorrespondentFeed(c) | Page::Statistics(c) => {
                    if a.letters[l].from.contains(&c) {
                        Some(places.from)
                    } else {
                        Some(places.to)
                    }
                }
                Page::Tag(..) => Some(places.tags),
                _ => None,
            };
            at(l, place)
        }
        Source::ThemeAsset | Source::Manifest | Source::SearchIndex => {
            (PathBuf::from("themes"), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_device_names_are_reserved_in_any_case_and_with_any_extension() {
        for name in [
            "CON",
            "con",
            "Aux",
            "nul.txt",
            "PRN.tar.gz",
            "com1",
            "LPT9.pdf",
            "con .txt",
        ] {
            assert!(is_reserved_on_windows(name), "{name}");
        }
        for name in [
            "console",
            "com10",
            "com0",
            "lpt",
            "a.con",
            "nul-1",
            "auxiliary.pdf",
        ] {
            assert!(!is_reserved_on_windows(name), "{name}");
        }
    }

    #[test]
    fn a_path_is_stored_only_when_every_segment_fits_every_host() {
        assert_eq!(unstorable("dossiers/36521/c/index.html"), None);
        let long = format!("dossiers/{}/index.html", "x".repeat(MAX_SEGMENT + 1));
        assert!(unstorable(&long).unwrap().contains("201 bytes"));
        assert!(
            unstorable(&format!("a/{}", "é".repeat(101))).is_some(),
            "bytes, not characters"
        );
        assert!(
            unstorable("oud/aux/index.html")
                .unwrap()
                .contains("reserves")
        );
        for bad in ["a/b:c.pdf", "a/b?.txt", "a/punt./x", "a/spatie /x", "a/b|c"] {
            assert!(unstorable(bad).is_some(), "{bad}");
        }
    }
}
