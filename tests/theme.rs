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
