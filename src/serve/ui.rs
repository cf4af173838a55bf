//! What `serve` itself says in the browser — the error overlay of
//! `reload.js` and the page shown before the first good build — in the site's
//! language, from the theme's translation files like every other UI string.

use serde::Serialize;

use crate::config::Language;
use crate::render::i18n::Translations;
use crate::render::theme::Theme;

/// The strings of the overlay and of the waiting page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServeStrings {
    pub lang: &'static str,
    /// `postkamer: de site heeft 1 fout`
    pub errors_one: String,
    /// `postkamer: de site heeft {n} fouten`
    pub errors_many: String,
    pub errors_intro: String,
    pub help: String,
    pub hide: String,
    pub unbuilt_title: String,
    pub unbuilt_text: String,
}

impl ServeStrings {
    pub fn new(t: &Translations, language: Language) -> Self {
        ServeStrings::from_lookup(language, |key| t.get(key).to_string())
    }

    /// The built-in theme's strings in the default language: what serve says
    /// while the site's own `site.toml` or theme cannot be read.
    pub fn built_in() -> Self {
        let language = Language::default();
        match Theme::built_in().translations(language) {
            Ok(t) => ServeStrings::new(&t, language),
            // Cannot happen with the embedded theme; then the keys show, as
            // for any missing translation.
            Err(_) => ServeStrings::from_lookup(language, str::to_string),
        }
    }

    fn from_lookup(language: Language, get: impl Fn(&str) -> String) -> Self {
        ServeStrings {
            lang: language.code(),
            errors_one: get("serve_errors_one"),
            errors_many: get("serve_errors_many"),
            errors_intro: get("serve_errors_intro"),
            help: get("serve_help"),
            hide: get("serve_hide"),
            unbuilt_title: get("serve_unbuilt_title"),
            unbuilt_text: get("serve_unbuilt_text"),
        }
    }

    /// `reload.js` with these strings set before it as `window.__postkamerStrings`.
    pub fn script(&self, reload_js: &str) -> String {
        let json = serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string());
        format!("window.__postkamerStrings = {json};\n{reload_js}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_strings_are_dutch_and_english_comes_from_its_file() {
        let nl = ServeStrings::built_in();
        assert_eq!(nl.lang, "nl");
        assert_eq!(nl.hide, "Verbergen");
        let en = Theme::built_in()
            .translations(Language::En)
            .map(|t| ServeStrings::new(&t, Language::En))
            .unwrap();
        assert_eq!(en.hide, "Hide");
        for s in [&nl, &en] {
            assert!(s.errors_many.contains("{n}"), "{s:?}");
            assert!(!s.unbuilt_text.starts_with("serve_"), "{s:?}");
        }
    }

    #[test]
    fn the_script_sets_the_strings_as_json_before_the_overlay_code() {
        let script = ServeStrings::built_in().script("/* overlay */");
        let (first, rest) = script.split_once('\n').unwrap();
        let json = first
            .strip_prefix("window.__postkamerStrings = ")
            .and_then(|j| j.strip_suffix(';'))
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(value["hide"], "Verbergen");
        assert_eq!(rest, "/* overlay */");
    }
}
