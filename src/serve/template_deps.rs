//! Which templates a page depends on, so an edited template re-renders only
//! the pages that use it (through `extends`, `include` or `import`).

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use crate::render::Page;
use crate::render::theme::Theme;

/// The fingerprint of each template together with everything it pulls in.
#[derive(Debug, Default)]
pub struct TemplateFps {
    by_name: HashMap<String, TemplateFp>,
    /// Every template at once: for a page whose template is unknown.
    all: TemplateFp,
}

/// One template's closure.
#[derive(Debug, Default, Clone, Copy)]
pub struct TemplateFp {
    pub hash: u64,
    /// Whether the template (or one it uses) shows `site.letter_count`, which
    /// changes whenever a letter is added or removed.
    pub uses_letter_count: bool,
}

impl TemplateFps {
    pub fn new(theme: &Theme) -> TemplateFps {
        let sources: HashMap<&str, &[u8]> = theme
            .files_under("templates/")
            .map(|(name, f)| (name, f.bytes.as_ref()))
            .collect();
        let all = closure_fp(&sources, sources.keys().copied().collect());
        let by_name = sources
            .keys()
            .map(|&name| {
                let closure = closure_of(&sources, name);
                (name.to_string(), closure_fp(&sources, closure))
            })
            .collect();
        TemplateFps { by_name, all }
    }

    /// The fingerprint of a page's template, or of all templates when the page's is unknown.
    pub fn of_page(&self, page: &Page) -> Option<TemplateFp> {
        let name = template_of(page)?;
        Some(self.by_name.get(&name).copied().unwrap_or(self.all))
    }
}

/// The template a page renders with. Every HTML page uses the template named
/// after its page type (`letter` → `letter.html`); data exports use none.
pub fn template_of(page: &Page) -> Option<String> {
    match page {
        Page::SiteFeed | Page::DossierFeed(_) | Page::CorrespondentFeed(_) | Page::OpenFeed => {
            Some("atom.xml".into())
        }
        Page::Sitemap(_) => Some("sitemap.xml".into()),
        Page::LettersJson
        | Page::LettersCsv
        | Page::LettersSqlite
        | Page::Cmif
        | Page::DossierJson(_) => None,
        Page::Deadlines | Page::DossierDeadlines(_) | Page::CorrespondentDeadlines(_) => None,
        _ => Some(format!("{}.html", page.page_type())),
    }
}

fn closure_fp(sources: &HashMap<&str, &[u8]>, names: BTreeSet<&str>) -> TemplateFp {
    let mut hasher = std::hash::DefaultHasher::new();
    let mut uses_letter_count = false;
    for name in names {
        name.hash(&mut hasher);
        if let Some(text) = sources.get(name) {
            text.hash(&mut hasher);
            uses_letter_count |= contains(text, b"letter_count");
        }
    }
    TemplateFp {
        hash: hasher.finish(),
        uses_letter_count,
    }
}

/// The template and every template it reaches. A name that is not a plain
/// string (`include some_variable`) could be any template: then all are in.
fn closure_of<'s>(sources: &HashMap<&'s str, &'s [u8]>, start: &'s str) -> BTreeSet<&'s str> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![start];
    while let Some(name) = todo.pop() {
        if !seen.insert(name) {
            continue;
        }
        let Some(text) = sources.get(name) else {
            continue;
        };
        match references(&String::from_utf8_lossy(text)) {
            Some(names) => todo.extend(
                names
                    .iter()
                    .filter_map(|n| sources.get_key_value(n.as_str()).map(|(k, _)| *k)),
            ),
            None => return sources.keys().copied().collect(),
        }
    }
    seen
}

/// Template names in `{% extends "x" %}`, `{% include "x" %}` and
/// `{% import "x" as m %}` tags; `None` when a name is computed at render time.
fn references(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        rest = &rest[start + 2..];
        let end = rest.find("%}").unwrap_or(rest.len());
        let tag = rest[..end].trim_start_matches(['-', '+', '~']).trim();
        rest = &rest[end..];
        let Some(args) = ["extends", "include", "import"]
            .iter()
            .find_map(|k| tag.strip_prefix(k))
        else {
            continue;
        };
        if !args.starts_with(char::is_whitespace) && !args.starts_with(['"', '\'', '[']) {
            continue; // `includes_x` or similar: not one of ours
        }
        let args = args.trim_start();
        let names = quoted_names(args)?;
        out.extend(names);
    }
    Some(out)
}

/// `"a"` or `["a", 'b']` at the start of `args`; `None` for anything else.
fn quoted_names(args: &str) -> Option<Vec<String>> {
    let list = args.strip_prefix('[');
    let mut rest = list.unwrap_or(args);
    let mut names = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', ',', '\n', '\t', '\r']);
        let quote = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))?;
        let inner = &rest[1..];
        let close = inner.find(quote)?;
        names.push(inner[..close].to_string());
        rest = &inner[close + 1..];
        if list.is_none() || rest.trim_start().starts_with(']') {
            return Some(names);
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_extends_include_and_import() {
        let text = r#"{% extends "base.html" %}{%- include 'partials/a.html' -%}
            {% import "macros.html" as m %}{% include ["x.html", "y.html"] %}{% if included %}{% endif %}"#;
        assert_eq!(
            references(text).unwrap(),
            [
                "base.html",
                "partials/a.html",
                "macros.html",
                "x.html",
                "y.html"
            ]
        );
    }

    #[test]
    fn a_computed_name_depends_on_everything() {
        assert!(references("{% include name %}").is_none());
    }

    #[test]
    fn the_closure_follows_includes_of_includes() {
        let sources: HashMap<&str, &[u8]> = [
            ("letter.html", br#"{% extends "base.html" %}"# as &[u8]),
            ("base.html", br#"{% include "p/row.html" %}"#),
            ("p/row.html", b"row"),
            ("home.html", b"home"),
        ]
        .into_iter()
        .collect();
        let c = closure_of(&sources, "letter.html");
        assert_eq!(
            c.into_iter().collect::<Vec<_>>(),
            ["base.html", "letter.html", "p/row.html"]
        );
    }

    #[test]
    fn every_page_type_of_the_default_theme_has_its_template() {
        let theme = Theme::load(
            &crate::site_folder::SiteFolder::new(std::path::Path::new("/nonexistent")),
            "default",
        )
        .unwrap();
        let fps = TemplateFps::new(&theme);
        let pages = [
            Page::Home,
            Page::Dossiers,
            Page::Dossier(0),
            Page::Letter(0),
            Page::Exchange(0),
            Page::Correspondents,
            Page::Correspondent(0, 1),
            Page::Statistics(0),
            Page::Tags,
            Page::Tag(0, 1),
            Page::Years,
            Page::Year(0, 1),
            Page::Search,
            Page::Open,
            Page::OpenFeed,
            Page::NotFound,
            Page::Accessibility,
            Page::Alias(0, 0),
            Page::SiteFeed,
            Page::Sitemap(0),
        ];
        for p in pages {
            let name = template_of(&p).unwrap();
            assert!(fps.by_name.contains_key(&name), "{name}");
        }
        let letter = fps.of_page(&Page::Letter(0)).unwrap();
        let home = fps.of_page(&Page::Home).unwrap();
        assert_ne!(letter.hash, home.hash);
        assert!(home.uses_letter_count && !letter.uses_letter_count);
    }
}
