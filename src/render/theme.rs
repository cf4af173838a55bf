//! The theme: templates, translations and assets. The default theme is
//! embedded in the binary; a site overrides it file by file from
//! `themes/<name>/` (templates/, i18n/, static/).

use std::borrow::Cow;
use std::path::PathBuf;

use rust_embed::RustEmbed;

use crate::config::Language;
use crate::diagnostic::Diagnostic;
use crate::site_folder::SiteFolder;

use super::i18n::Translations;

#[derive(RustEmbed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// A file of the theme and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path inside the theme: `templates/letter.html`.
    pub name: String,
    pub origin: PathBuf,
    pub bytes: Cow<'static, [u8]>,
}

/// The resolved theme: default files with the site's overrides laid over them.
#[derive(Debug, Clone)]
pub struct Theme {
    files: Vec<ThemeFile>,
}

impl Theme {
    /// Loads the embedded default theme and the site's `themes/<name>/` over it.
    pub fn load(site: &SiteFolder, name: &str) -> Result<Theme, Diagnostic> {
        let root = site.root();
        let mut files = Theme::built_in().files;
        let dir = root.join("themes").join(name);
        if name != "default" && !dir.is_dir() {
            return Err(Diagnostic::error_in(root.join("site.toml"), format!("theme `{name}` not found in themes/"))
                .with_help("create themes/<name>/templates/ with the templates to override, or set theme = \"default\""));
        }
        let (found, problems) = site.files_below(&dir);
        if let Some(first) = problems.into_iter().next() {
            return Err(first);
        }
        for (rel, path) in found {
            let display = site.display(&path);
            let bytes = site.read(&path).map_err(|e| {
                Diagnostic::error_in(&display, format!("cannot read theme file: {e}"))
                    .with_help(e.help())
            })?;
            let file = ThemeFile {
                name: rel.clone(),
                origin: display,
                bytes: Cow::Owned(bytes),
            };
            match files.iter_mut().find(|f| f.name == rel) {
                Some(existing) => *existing = file,
                None => files.push(file),
            }
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Theme { files })
    }

    /// The default theme as embedded in the binary, with no site's overrides.
    pub fn built_in() -> Theme {
        let files = DefaultTheme::iter()
            .filter_map(|n| {
                DefaultTheme::get(&n).map(|f| ThemeFile {
                    origin: PathBuf::from(format!("(built-in theme)/{n}")),
                    name: n.to_string(),
                    bytes: f.data,
                })
            })
            .collect();
        Theme { files }
    }

    /// Files under a folder of the theme (`templates/`, `static/`), paths relative to it.
    pub fn files_under<'a>(
        &'a self,
        folder: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a ThemeFile)> + 'a {
        self.files
            .iter()
            .filter_map(move |f| f.name.strip_prefix(folder).map(|rest| (rest, f)))
    }

    /// The translations for the site's language.
    pub fn translations(&self, language: Language) -> Result<Translations, Diagnostic> {
        let name = format!("i18n/{}.toml", language.code());
        let file = self.files.iter().find(|f| f.name == name).ok_or_else(|| {
            Diagnostic::error_in(&name, "the theme has no translation file for this language")
        })?;
        let text = String::from_utf8_lossy(&file.bytes);
        Translations::parse(&text)
            .map_err(|e| Diagnostic::error_in(&file.origin, format!("bad translation file: {e}")))
    }
}
