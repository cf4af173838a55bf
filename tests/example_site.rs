//! The bundled example archive builds, links resolve, and the linked model shows on the pages.

mod common;

use common::{Fixture, broken_links, select, texts};

#[test]
fn every_internal_link_and_fragment_of_the_example_resolves() {
    let site = Fixture::example();
    site.build().expect("example builds");
    let broken = broken_links(&site.public(), "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn links_resolve_under_a_sub_path_base_url() {
    let site = Fixture::example();
    let options = postkamer::BuildOptions {
        base_url: Some("https://example.org/archief/".into()),
        ..site.options()
    };
    postkamer::build(&options).expect("builds");
    let broken = broken_links(&site.public(), "/archief/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let home = site.read("/");
    assert!(home.contains("href=\"/archief/dossiers/\""));
    assert!(
        !home.contains("href=\"/dossiers/"),
        "a link escaped the sub-path"
    );
    assert!(
        site.read("/atom.xml")
            .contains("https://example.org/archief/dossiers/")
    );
}

#[test]
fn replies_link_both_ways() {
    let site = Fixture::example();
    site.build().expect("builds");
    let b = site.page("/dossiers/37104/b/");
    let hrefs: Vec<String> = select(&b, ".reply-links a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(
        hrefs.contains(&"/dossiers/37104/a/".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"/dossiers/37104/c/".to_string()),
        "{hrefs:?}"
    );
    let c = site.page("/dossiers/37104/c/");
    let hrefs: Vec<String> = select(&c, ".reply-links a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(hrefs.contains(&"/dossiers/37104/b/".to_string()));
    assert!(
        hrefs.contains(&"/dossiers/37288/c/".to_string()),
        "cross-dossier answer missing: {hrefs:?}"
    );
}

#[test]
fn exchanges_follow_replies_across_dossiers() {
    let site = Fixture::example();
    site.build().expect("builds");
    let thread = site.page("/dossiers/37104/exchanges/a/");
    let ids: Vec<String> = select(&thread, "article.thread-letter")
        .iter()
        .filter_map(|a| a.value().attr("id").map(str::to_string))
        .collect();
    // Questions, postponement, answer, follow-up, the cross-dossier answer and the answer, in date order.
    assert_eq!(
        ids,
        [
            "brief-37104-a",
            "brief-37104-e",
            "brief-37104-b",
            "brief-37104-c",
            "brief-37288-c",
            "brief-37104-d"
        ]
    );
    // The other dossier lists the exchange too.
    let other = site.page("/dossiers/37288/");
    assert!(select(&other, "a[href='/dossiers/37104/exchanges/a/']").len() == 1);
}

#[test]
fn one_correspondent_page_for_one_person_across_dossiers() {
    let site = Fixture::example();
    site.build().expect("builds");
    let page = site.page("/correspondents/e-j-brandsema/");
    let dossiers = texts(&page, "main section h2");
    assert!(dossiers.len() >= 3, "{dossiers:?}");
    let index = site.page("/correspondents/");
    let names = texts(&index, ".name-list li a");
    assert_eq!(
        names
            .iter()
            .filter(|n| n.as_str() == "Brandsema, E.J.")
            .count(),
        1
    );
}

#[test]
fn letter_page_shows_citation_footnotes_and_overdue_status() {
    let site = Fixture::example();
    site.build().expect("builds");
    let d = site.page("/dossiers/37104/d/");
    assert_eq!(
        texts(&d, ".letter-meta cite"),
        ["Kamerstukken I 2025/26, 37104, D"]
    );
    assert!(!select(&d, ".footnotes li#fn-1").is_empty());
    assert!(
        !select(&d, "a.citation[href='/dossiers/37104/c/']").is_empty(),
        "citation in the body not linked"
    );
    let overdue = site.page("/dossiers/37300-vii/c/");
    assert_eq!(
        texts(&overdue, ".letter-header .letter-status"),
        ["Antwoord 74 dagen te laat · antwoord gevraagd voor 15 september 2026"]
    );
    // Answered 33 days after its deadline; the committee's own reminder is no answer.
    let late = site.page("/dossiers/38015/b/");
    assert_eq!(
        texts(&late, ".letter-header .status"),
        ["Beantwoord na 75 dagen, 33 dagen na de termijn"]
    );
    let reply_links = texts(&late, ".reply-links h2, .reply-links li a");
    let answered = reply_links.iter().position(|t| t == "Beantwoord door");
    let others = reply_links.iter().position(|t| t == "Andere reacties");
    assert!(answered < others, "{reply_links:?}");
    assert!(
        reply_links[others.unwrap()..][1].starts_with("Rappel"),
        "{reply_links:?}"
    );
    let home = site.page("/");
    assert!(
        texts(&home, ".overdue .letter-title")
            .iter()
            .any(|t| t.contains("aanvullende"))
            || !select(&home, ".overdue a[href='/dossiers/37300-vii/c/']").is_empty()
    );
}

#[test]
fn attachments_are_copied_beside_the_letter() {
    let site = Fixture::example();
    site.build().expect("builds");
    let b = site.page("/dossiers/37104/b/");
    let links: Vec<String> = select(&b, ".attachments a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(links.len(), 1);
    assert!(
        site.public()
            .join(links[0].trim_start_matches('/'))
            .is_file()
    );
}

#[test]
fn feeds_and_data_exports_list_the_letters() {
    let site = Fixture::example();
    let report = site.build().expect("builds");
    let json: serde_json::Value =
        serde_json::from_str(&site.read("/data/letters.json")).expect("valid json");
    assert_eq!(json.as_array().map(Vec::len), Some(report.letters));
    let csv = site.read("/data/letters.csv");
    assert_eq!(csv.lines().count(), report.letters + 1);
    let feed = site.read("/dossiers/37104/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 5);
    assert!(
        site.read("/sitemap.xml")
            .contains("<loc>/dossiers/37104/c/</loc>")
    );
}
