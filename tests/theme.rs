//! The built-in theme is overridable file by file; the site's static files are copied.

mod common;

use common::{Fixture, letter, texts};

#[test]
fn a_site_template_overrides_the_built_in_one_and_the_rest_stays() {
    let f = Fixture::new();
    f.write("site.toml", "title = \"Eigen\"\ntheme = \"huisstijl\"\n");
    f.write(
        "content/1/A.md",
        &letter("1", "A", "2025-01-10", "", "Tekst."),
    );
    f.write(
        "themes/huisstijl/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Eigen 404 van {{ site.title }}</h1>{% endblock content %}",
    );
    f.write(
        "themes/huisstijl/static/extra.css",
        "body { color: black; }",
    );
    f.build().expect("builds");
    assert_eq!(texts(&f.page("/404.html"), "h1"), ["Eigen 404 van Eigen"]);
    assert!(
        !texts(&f.page("/dossiers/1/a/"), ".letter-meta").is_empty(),
        "built-in letter template lost"
    );
    assert!(f.public().join("assets/extra.css").is_file());
    assert!(f.public().join("assets/style.css").is_file());
}

#[test]
fn a_broken_template_is_an_error_naming_it() {
    let f = Fixture::new();
    f.write("site.toml", "title = \"Eigen\"\ntheme = \"kapot\"\n");
    f.write("content/1/A.md", &letter("1", "A", "2025-01-10", "", ""));
    f.write(
        "themes/kapot/templates/letter.html",
        "{% extends \"base.html\" %}{% block content %}{{ letter.title }{% endblock content %}",
    );
    let errors = f.build().expect_err("fails").into_vec();
    assert!(
        errors.iter().any(|d| d.message.contains("letter.html")),
        "{errors:?}"
    );
    assert!(!f.public().exists());
}

#[test]
fn a_missing_theme_is_an_error() {
    let f = Fixture::new();
    f.write("site.toml", "title = \"x\"\ntheme = \"bestaat-niet\"\n");
    f.write("content/1/A.md", &letter("1", "A", "2025-01-10", "", ""));
    let errors = f.build().expect_err("fails").into_vec();
    assert!(errors[0].message.contains("bestaat-niet"));
}

#[test]
fn static_files_are_copied_to_the_site_root() {
    let f = Fixture::new();
    f.write("content/1/A.md", &letter("1", "A", "2025-01-10", "", ""));
    f.write("static/favicon.ico", "icoon");
    f.write("static/docs/handleiding.txt", "lees mij");
    f.build().expect("builds");
    assert_eq!(
        std::fs::read_to_string(f.public().join("favicon.ico")).unwrap(),
        "icoon"
    );
    assert!(f.public().join("docs/handleiding.txt").is_file());
}

/// The built-in templates as (name, text), read from the repository.
fn built_in_templates() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    walkdir::WalkDir::new(&root)
        .into_iter()
        .map(|e| e.expect("read templates"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(&root).expect("under root");
            (
                name.display().to_string(),
                std::fs::read_to_string(e.path()).expect("template text"),
            )
        })
        .collect()
}

/// The tags (`{{ … }}` and `{% … %}`) of a template, trimmed, with their line.
fn template_tags(text: &str) -> Vec<(usize, &str)> {
    let mut tags = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['{']) {
        let after = &rest[start..];
        let close = match after.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            _ => {
                rest = &after[1..];
                continue;
            }
        };
        let Some(end) = after.find(close) else { break };
        let line = text[..text.len() - after.len()].matches('\n').count() + 1;
        tags.push((line, after[2..end].trim_matches(['-', ' ', '\n'])));
        rest = &after[end + 2..];
    }
    tags
}

/// Issue 9, finding 2: an aria-label built from front matter inside `| safe`. Only HTML
/// the renderer produced and sanitised may be marked safe; everything else is escaped.
#[test]
fn templates_mark_only_renderer_html_safe() {
    // `json_ld` is not HTML but JSON the renderer escaped for a script element
    // (`render::linked_data::script_json`).
    const RENDERED_HTML: &[&str] = &["body", "description", "l.body", "json_ld"];
    let mut wrong = Vec::new();
    for (name, text) in built_in_templates() {
        for (line, tag) in template_tags(&text) {
            let words: Vec<&str> = tag
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .collect();
            if words.contains(&"autoescape") {
                wrong.push(format!("{name}:{line}: autoescape switched: {tag}"));
            }
            if !words.contains(&"safe") {
                continue;
            }
            let allowed = tag.split_once('|').is_some_and(|(value, filter)| {
                filter.trim() == "safe" && RENDERED_HTML.contains(&value.trim())
            });
            if !allowed {
                wrong.push(format!("{name}:{line}: {tag}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "`| safe` on a value that is not the renderer's sanitised HTML (build the string in Rust, escaped):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_safe_scan_catches_front_matter_and_concatenation() {
    let tags = template_tags(
        "<p>{{ l.title | safe }}</p>{% set x = l.id ~ body | safe %}{{ body | safe }}",
    );
    assert_eq!(
        tags,
        [
            (1, "l.title | safe"),
            (1, "set x = l.id ~ body | safe"),
            (1, "body | safe")
        ]
    );
}

/// Ids from content are renamed when they take a theme prefix; every id the templates
/// write must have one, or a heading could take it (`## Kop {#pk-main}`).
#[test]
fn every_template_id_has_a_prefix_content_cannot_take() {
    use postkamer::render::markdown::{THEME_ID_PREFIXES, content_id};
    let mut wrong = Vec::new();
    for (name, text) in built_in_templates() {
        for (i, _) in text.match_indices(" id=\"") {
            let value = &text[i + 5..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            // `{{ l.anchor }}` and the like come from the renderer: its prefix is checked
            // where it is made; here the literal part in front of the first tag counts.
            let literal = &value[..value.find("{{").unwrap_or(value.len())];
            let covered = if literal.is_empty() {
                true
            } else {
                content_id(&format!("{literal}x")) != format!("{literal}x")
            };
            if !covered {
                wrong.push(format!("{name}: id=\"{value}\""));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "template ids without one of the prefixes {THEME_ID_PREFIXES:?}:\n{}",
        wrong.join("\n")
    );
}
