//! `new`: a fresh site folder with `site.toml` and one example letter.

use std::fs;
use std::path::Path;

use crate::diagnostic::Diagnostic;

const SITE_TOML: &str = r#"title = "Mijn correspondentiearchief"
base_url = "/"
language = "nl"

[archive]
chamber = "I"
"#;

const EXAMPLE_LETTER: &str = r#"---
dossier: "10001"
letter: "A"
title: "Vragen over de termijnen van het loket"
date: 2026-01-12
kind: question
from:
  name: "A. Voorbeeld"
  role: "Voorzitter van de vaste commissie voor Binnenlandse Zaken"
  organisation: "Eerste Kamer der Staten-Generaal"
to: { name: "B. Voorbeeld", role: "Minister van Binnenlandse Zaken en Koninkrijksrelaties" }
tags: [voorbeeld]
---

Geachte heer Voorbeeld,

De leden van de commissie hebben enkele vragen over de termijnen van het loket.[^1]

De commissie ontvangt uw antwoord graag binnen vier weken na dagtekening van deze brief.

Hoogachtend,

A. Voorbeeld  
Voorzitter van de vaste commissie voor Binnenlandse Zaken

[^1]: Dit is een voorbeeldbrief; vervang hem door uw eigen brieven.
"#;

/// What to do after `new`, for the terminal. It names the installed command
/// and the form that works from a source checkout without installing, and
/// says why `public/index.html` opened from disk looks broken.
pub fn next_steps(dir: &Path) -> String {
    let dir = dir.display();
    format!(
        "Created {dir}.\n\
         \n\
         Look at it while you edit (rebuilds and reloads on every save):\n  \
         postkamer serve --root {dir}\n\
         Build it for publishing (writes {dir}/public/):\n  \
         postkamer build --root {dir}\n\
         \n\
         The built pages link from the site's root (base_url in site.toml), so\n\
         public/index.html opened from disk shows no styles and broken links:\n\
         look at the site with `postkamer serve`, or put public/ on a web server.\n\
         \n\
         No `postkamer` command? Install it from the postkamer source folder with\n  \
         cargo install --path .\n\
         or run it from there without installing: `cargo run --release -- serve --root {dir}`.\n"
    )
}

/// Creates `dir` with a site skeleton. Refuses to touch a folder that is not empty.
pub fn new_site(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(
            Diagnostic::error_in(dir, "the folder exists and is not empty")
                .with_help("choose a new folder name; postkamer new never overwrites files"),
        );
    }
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, text)
    };
    write("site.toml", SITE_TOML)
        .and_then(|_| write("content/10001/A.md", EXAMPLE_LETTER))
        .and_then(|_| write("static/.keep", ""))
        .map_err(|e| Diagnostic::error_in(dir, format!("cannot create the site: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_steps_name_install_serve_and_build_for_the_folder() {
        let text = next_steps(Path::new("mijn-archief"));
        for part in [
            "postkamer serve --root mijn-archief",
            "postkamer build --root mijn-archief",
            "cargo install --path .",
            "cargo run --release -- serve --root mijn-archief",
            "public/index.html opened from disk",
        ] {
            assert!(text.contains(part), "{part} missing from:\n{text}");
        }
    }
}
