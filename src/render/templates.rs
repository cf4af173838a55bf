//! The theme's templates, compiled for the site's language, and what each one reaches.

use std::collections::{BTreeSet, HashMap};

use tera::Tera;

use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::hash::Fp;

use super::i18n::Translations;
use super::theme::Theme;

/// The theme compiled for the site's language: templates and translations.
/// `serve` keeps it across rebuilds, so an edited letter recompiles nothing.
pub struct Templates {
    pub(super) t: Translations,
    pub(super) tera: Tera,
    pub(super) closures: Closures,
}

/// Each template's fingerprint together with every template it pulls in
/// (`extends`, `include`, `import`), so an edited template changes the
/// fingerprint of just the pages that render with it.
pub struct Closures {
    by_name: HashMap<String, u64>,
    /// Every template at once: for a name not found.
    all: u64,
}

impl Closures {
    /// The fingerprint of template `name` and every template it reaches.
    pub fn of(&self, name: &str) -> u64 {
        self.by_name.get(name).copied().unwrap_or(self.all)
    }
}

impl Templates {
    /// Loads the translations for the site's language and compiles every template.
    pub fn compile(theme: &Theme, config: &SiteConfig) -> Result<Templates, Vec<Diagnostic>> {
        let t = theme.translations(config.language).map_err(|d| vec![d])?;
        let tera = compile_templates(theme)?;
        let sources: HashMap<&str, &[u8]> = theme
            .files_under("templates/")
            .map(|(name, f)| (name, f.bytes.as_ref()))
            .collect();
        let all = closure_fp(&sources, sources.keys().copied().collect());
        let by_name = sources
            .keys()
            .map(|&name| {
                (
                    name.to_string(),
                    closure_fp(&sources, closure_of(&sources, name)),
                )
            })
            .collect();
        Ok(Templates {
            t,
            tera,
            closures: Closures { by_name, all },
        })
    }

    pub fn translations(&self) -> &Translations {
        &self.t
    }
}

pub(super) fn error_chain(e: &tera::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Compiles all templates together so inheritance and includes resolve once.
fn compile_templates(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let mut sources = Vec::new();
    for (name, file) in theme.files_under("templates/") {
        match std::str::from_utf8(&file.bytes) {
            Ok(text) => sources.push((name.to_string(), text.to_string())),
            Err(_) => {
                return Err(vec![Diagnostic::error_in(
                    &file.origin,
                    "template is not valid UTF-8",
                )]);
            }
        }
    }
    tera.add_raw_templates(sources).map_err(|e| {
        vec![
            Diagnostic::error_in("themes", format!("template error: {}", error_chain(&e)))
                .with_help("fix the template named in the message"),
        ]
    })?;
    Ok(tera)
}

fn closure_fp(sources: &HashMap<&str, &[u8]>, names: BTreeSet<&str>) -> u64 {
    let mut fp = Fp::new();
    for name in names {
        fp.add(name).add(&sources.get(name).copied());
    }
    fp.finish()
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
}
