//! References between letters: every citation form linked to the letter's
//! page or its official publication, dated mentions, and "cited in".

mod common;

use common::{Fixture, select};

/// A letter between two named parties.
fn letter(id: &str, date: &str, from: &str, to: &str, body: &str) -> String {
    format!(
        "---\ndossier: \"36521\"\nletter: \"{id}\"\ndate: {date}\nfrom: {{ name: \"{from}\" }}\nto: {{ name: \"{to}\" }}\n---\n{body}\n"
    )
}

fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/36521/A.md",
        &letter("A", "2025-11-19", "Minister", "Commissie", "Brief A."),
    );
    f.write(
        "content/36521/B.md",
        &letter("B", "2025-11-19", "Minister", "Commissie", "Brief B."),
    );
    f.write(
        "content/36521/C.md",
        &letter("C", "2025-11-25", "Minister", "Commissie", "Brief C."),
    );
    f.write(
        "content/36521/D.md",
        &letter(
            "D",
            "2025-12-01",
            "Commissie",
            "Minister",
            "Zie Kamerstukken I 2025/26, 36521, C en Kamerstukken II 2024/25, 36521, nr. 3.[^1] \
             Ook Kamerstuk 36 521, nr. 3 en Kamerstukken I\n2025/26, 31700 VI, AI1 gaan hierover.\n\n\
             Naar aanleiding van uw brief van 25 november 2025 en uw brief van 19 november 2025.\n\n\
             [^1]: Kamerstukken I 2025/26, 36521, A.",
        ),
    );
    f
}

fn links(f: &Fixture, url: &str) -> Vec<(String, String)> {
    let page = f.page(url);
    select(&page, ".letter-body a.citation")
        .into_iter()
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_citation_form_links_to_the_archive_or_the_official_publication() {
    let f = fixture();
    f.build().expect("build");
    let found = links(&f, "dossiers/36521/d/");
    let expect = [
        ("Kamerstukken I 2025/26, 36521, C", "/dossiers/36521/c/"),
        (
            "Kamerstukken II 2024/25, 36521, nr. 3",
            "https://zoek.officielebekendmakingen.nl/kst-36521-3.html",
        ),
        (
            "Kamerstuk 36 521, nr. 3",
            "https://zoek.officielebekendmakingen.nl/kst-36521-3.html",
        ),
        (
            "Kamerstukken I\n2025/26, 31700 VI, AI",
            "https://zoek.officielebekendmakingen.nl/kst-31700-VI-AI.html",
        ),
        ("uw brief van 25 november 2025", "/dossiers/36521/c/"),
        ("Kamerstukken I 2025/26, 36521, A", "/dossiers/36521/a/"),
    ];
    let expect: Vec<(String, String)> = expect
        .iter()
        .map(|(t, h)| (t.to_string(), h.to_string()))
        .collect();
    assert_eq!(found, expect);
    // The glued footnote number stays outside the link; the ambiguous date is not linked.
    let html = f.read("dossiers/36521/d/");
    assert!(html.contains("31700 VI, AI</a>1 gaan"), "{html}");
    assert!(html.contains("en uw brief van 19 november 2025."), "{html}");
}

#[test]
fn a_cited_letter_lists_the_letters_that_cite_it() {
    let f = fixture();
    f.build().expect("build");
    let c = f.page("dossiers/36521/c/");
    let cited_in: Vec<_> = select(&c, ".cited-by a")
        .into_iter()
        .map(|a| a.value().attr("href").unwrap_or_default().to_string())
        .collect();
    assert_eq!(cited_in, ["/dossiers/36521/d/"]);
    assert_eq!(
        select(&c, ".cited-by h2")[0].text().collect::<String>(),
        "Aangehaald in"
    );
    let a = f.page("dossiers/36521/a/");
    assert_eq!(select(&a, ".cited-by a").len(), 1, "cited from a footnote");
    let b = f.page("dossiers/36521/b/");
    assert!(
        select(&b, ".cited-by").is_empty(),
        "an ambiguous date cites nothing"
    );
}

#[test]
fn the_example_archive_shows_every_kind_of_reference() {
    let f = Fixture::example();
    f.build().expect("build");
    let hrefs: Vec<String> = links(&f, "dossiers/37300-vii/b/")
        .into_iter()
        .map(|(_, href)| href)
        .collect();
    for expected in [
        "https://zoek.officielebekendmakingen.nl/kst-37300-VII-2.html",
        "https://zoek.officielebekendmakingen.nl/kst-36600-VII-AI.html",
        "https://zoek.officielebekendmakingen.nl/kst-38015-5.html",
        "/dossiers/38015/a/",
        "/dossiers/37300-vii/a/",
    ] {
        assert!(
            hrefs.iter().any(|h| h == expected),
            "{expected} in {hrefs:?}"
        );
    }
    // "uw brief van 14 november 2024" in 38015/B names the state secretary's letter A.
    let b = links(&f, "dossiers/38015/b/");
    assert!(
        b.contains(&(
            "uw brief van 14 november 2024".into(),
            "/dossiers/38015/a/".into()
        )),
        "{b:?}"
    );
    let a = f.page("dossiers/38015/a/");
    let cited_in: Vec<_> = select(&a, ".cited-by a")
        .into_iter()
        .map(|a| a.value().attr("href").unwrap_or_default().to_string())
        .collect();
    assert!(
        cited_in.contains(&"/dossiers/37300-vii/b/".to_string()),
        "{cited_in:?}"
    );
    assert!(
        cited_in.contains(&"/dossiers/38015/b/".to_string()),
        "{cited_in:?}"
    );
}

#[test]
fn a_letter_page_offers_its_citation_and_absolute_permalink_to_copy() {
    let f = fixture();
    let report = postkamer::build(&postkamer::BuildOptions {
        base_url: Some("https://archief.example/brieven/".into()),
        ..f.options()
    })
    .expect("build");
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("base_url")),
        "{}",
        report.diagnostics
    );
    let page = f.page("dossiers/36521/d/");
    let text = |css: &str| select(&page, css)[0].text().collect::<String>();
    assert_eq!(
        text(".cite-this #pk-cite-text"),
        "Kamerstukken I 2025/26, 36521, D"
    );
    assert_eq!(
        text(".cite-this #pk-cite-url"),
        "https://archief.example/brieven/dossiers/36521/d/"
    );
    // Buttons wait hidden for the script; the script is a file of the theme, not inline.
    let buttons = select(&page, ".cite-this button[data-copy][hidden]");
    assert_eq!(buttons.len(), 2);
    let scripts: Vec<_> = select(&page, "script")
        .into_iter()
        .filter(|s| s.value().attr("type") != Some("application/ld+json"))
        .map(|s| s.value().attr("src").unwrap_or("INLINE").to_string())
        .collect();
    assert_eq!(scripts, ["/brieven/assets/cite.js"]);
    assert!(f.public().join("assets/cite.js").is_file());
    assert_eq!(select(&page, ".copy-status[aria-live=polite]").len(), 1);
}

#[test]
fn a_base_url_without_host_is_warned_about_once() {
    let f = fixture();
    let report = f.build().expect("build");
    let warnings: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("has no host"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", report.diagnostics);
    // --strict still builds: a site for a local folder is no mistake.
    postkamer::build(&postkamer::BuildOptions {
        strict: true,
        ..f.options()
    })
    .expect("strict build");
}
