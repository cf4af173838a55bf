//! `site.toml`: the site's title, address, language, theme and archive defaults.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Position, is_hostile_char};
use crate::letter::Chamber;
use crate::site_folder::{ReadError, SiteFolder};

/// The UI language of the built site. Every label comes from the theme's translation file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }
}

/// Defaults for letters that do not say otherwise.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveDefaults {
    /// `I` (Eerste Kamer) or `II` (Tweede Kamer): used for citations.
    pub chamber: Option<Chamber>,
    /// How many letters the home page lists.
    pub recent: Option<usize>,
}

impl ArchiveDefaults {
    /// How many letters the home page lists: `recent`, else 15.
    pub fn recent_count(&self) -> usize {
        self.recent.unwrap_or(15)
    }
}

/// The parsed `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default)]
    pub language: Language,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    #[serde(default)]
    pub archive: ArchiveDefaults,
    /// Free-form values handed to templates as `config.extra`.
    #[serde(default)]
    pub extra: toml::Table,
}

fn default_base_url() -> String {
    "/".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}

impl SiteConfig {
    /// Reads and validates the site's `site.toml`, through the site folder's
    /// guard like every other file of the site: a `site.toml` linked from
    /// outside the site is refused, not read.
    pub fn load(site: &SiteFolder) -> Result<SiteConfig, Diagnostic> {
        let path = site.root().join("site.toml");
        let bytes = site.read(&path).map_err(|e| {
            let help = match e {
                ReadError::Outside => e.help(),
                ReadError::Io(_) => {
                    "run `postkamer new DIR` to create a site, or pass --root to point at one"
                }
            };
            Diagnostic::error_in(&path, format!("cannot read site.toml: {e}")).with_help(help)
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = Position::in_text(
                &String::from_utf8_lossy(e.as_bytes()),
                e.utf8_error().valid_up_to(),
            );
            Diagnostic::error_in(&path, "site.toml is not valid UTF-8")
                .at(at)
                .with_help("save site.toml as UTF-8")
        })?;
        Self::parse(&text, &path)
    }

    /// Parses `site.toml` text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<SiteConfig, Diagnostic> {
        let config: SiteConfig = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| Position::in_text(text, s.start));
            Diagnostic::error_in(path, e.message().to_string())
                .at(at)
                .with_help("see the site.toml reference in the README for the keys postkamer knows")
        })?;
        config.validate(text, path)?;
        Ok(config)
    }

    fn validate(&self, text: &str, path: &Path) -> Result<(), Diagnostic> {
        let at_key = |key: &str| {
            text.find(&format!("{key} ="))
                .or_else(|| text.find(&format!("{key}=")))
                .map(|o| Position::in_text(text, o))
        };
        if self.title.trim().is_empty() {
            return Err(Diagnostic::error_in(path, "`title` is empty")
                .at(at_key("title"))
                .with_help("give the archive a title"));
        }
        let texts = [
            ("title", Some(&self.title)),
            ("description", self.description.as_ref()),
            ("base_url", Some(&self.base_url)),
        ];
        for (key, text) in texts {
            if let Some(c) = text.and_then(|t| t.chars().find(|&c| is_hostile_char(c))) {
                return Err(Diagnostic::error_in(
                    path,
                    format!(
                        "`{key}` contains the invisible control character U+{:04X}",
                        u32::from(c)
                    ),
                )
                .at(at_key(key))
                .with_help("remove it: feeds and pages cannot hold it"));
            }
        }
        if self.base_url.contains(['?', '#', '"', '<', '>', ' ']) {
            return Err(
                Diagnostic::error_in(path, "`base_url` is not a plain URL or path")
                    .at(at_key("base_url"))
                    .with_help("write it like \"https://example.org/archief/\" or \"/archief/\""),
            );
        }
        if self.theme.contains(['/', '\\']) || self.theme.starts_with('.') {
            return Err(
                Diagnostic::error_in(path, "`theme` must be a folder name in themes/")
                    .at(at_key("theme")),
            );
        }
        Ok(())
    }

    /// The path part of `base_url`, always starting and ending with `/`: every
    /// internal link starts with it, so the site works under a sub-path.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }

    /// Whether `base_url` names a host (`https://example.org/…`): without one,
    /// permalinks, feeds and data exports can only carry site-relative links.
    pub fn has_host(&self) -> bool {
        self.base_url
            .trim()
            .split_once("://")
            .is_some_and(|(scheme, rest)| {
                !scheme.is_empty() && !rest.starts_with('/') && !rest.is_empty()
            })
    }

    /// `base_url` as an absolute URL ending in `/` when it has a host; feeds and
    /// the sitemap need absolute links and fall back to the path otherwise.
    pub fn absolute_base(&self) -> String {
        let mut url = self.base_url.trim().to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        url
    }
}

/// `https://host/a/b` → `/a/b/`; `/` → `/`; `archief` → `/archief/`.
pub fn base_path_of(base_url: &str) -> String {
    let url = base_url.trim();
    let after_scheme = match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            rest.find('/').map_or("", |j| &rest[j..])
        }
        None => url,
    };
    let trimmed = after_scheme.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_url_with_a_host_has_one() {
        let with = |url: &str| SiteConfig {
            base_url: url.into(),
            ..toml::from_str("title = \"t\"").unwrap()
        };
        assert!(with("https://example.org/archief/").has_host());
        assert!(with("http://localhost:1111").has_host());
        for url in ["/", "/archief/", "archief", "file:///srv/site/", ""] {
            assert!(!with(url).has_host(), "{url}");
        }
    }

    #[test]
    fn base_path_keeps_the_sub_path() {
        assert_eq!(base_path_of("https://example.org/archief/"), "/archief/");
        assert_eq!(base_path_of("https://example.org"), "/");
        assert_eq!(base_path_of("/a/b"), "/a/b/");
        assert_eq!(base_path_of(""), "/");
    }

    #[test]
    fn unknown_key_is_an_error_that_names_it() {
        let err = SiteConfig::parse("title = \"x\"\ntitel = \"y\"\n", Path::new("site.toml"))
            .unwrap_err();
        assert!(err.message.contains("titel"), "{}", err.message);
        assert_eq!(err.line(), Some(2));
    }

    #[test]
    fn control_characters_in_the_title_are_refused() {
        let err =
            SiteConfig::parse("title = \"A\\u001b[31mB\"\n", Path::new("site.toml")).unwrap_err();
        assert!(err.message.contains("U+001B"), "{}", err.message);
        assert_eq!(err.line(), Some(1));
    }

    /// A site folder whose `site.toml` is a link to `target` (relative to the temp folder).
    fn linked_site_toml(target: &str) -> (tempfile::TempDir, SiteFolder) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("config")).unwrap();
        let valid = "title = \"Gelinkt\"\n";
        std::fs::write(dir.path().join("outside.toml"), valid).unwrap();
        std::fs::write(root.join("config/site.toml"), valid).unwrap();
        std::os::unix::fs::symlink(dir.path().join(target), root.join("site.toml")).unwrap();
        let site = SiteFolder::new(&root);
        (dir, site)
    }

    #[test]
    fn a_site_toml_linked_from_outside_the_site_is_refused() {
        let (_dir, site) = linked_site_toml("outside.toml");
        let err = SiteConfig::load(&site).unwrap_err();
        assert!(
            err.message.contains("outside the site folder"),
            "{}",
            err.message
        );
        assert!(err.help.as_deref().unwrap_or("").contains("copy the file"));
    }

    #[test]
    fn a_site_toml_linked_inside_the_site_is_read() {
        let (_dir, site) = linked_site_toml("site/config/site.toml");
        assert_eq!(SiteConfig::load(&site).unwrap().title, "Gelinkt");
    }

    #[test]
    fn a_site_toml_that_is_not_utf8_is_an_error_at_its_place() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), b"title = \"x\"\n# \xff\n").unwrap();
        let err = SiteConfig::load(&SiteFolder::new(dir.path())).unwrap_err();
        assert_eq!(err.position, Position::new(2, 3), "{}", err.message);
    }

    #[test]
    fn defaults_are_dutch_and_public() {
        let c = SiteConfig::parse(
            "title = \"x\"\n[archive]\nchamber = \"I\"\n",
            Path::new("site.toml"),
        )
        .unwrap();
        assert_eq!(c.language, Language::Nl);
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.archive.chamber, Some(Chamber::I));
    }
}
