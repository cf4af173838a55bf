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

/// Creates `dir` with a site skeleton. Refuses to touch a folder that is not empty.
pub fn new_site(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(
            Diagnostic::error(dir, 0, 0, "the folder exists and is not empty")
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
        .map_err(|e| Diagnostic::error(dir, 0, 0, format!("cannot create the site: {e}")))
}
