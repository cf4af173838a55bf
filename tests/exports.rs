//! Machine-readable outputs for data journalists and harvesters: schema.org JSON-LD on
//! letter pages, parsed back from the built HTML.

mod common;

use common::inert::page_problems;
use common::{Fixture, select};

const SITE: &str = "title = \"Testarchief\"\nbase_url = \"https://archief.example/brieven/\"\n\n[archive]\nchamber = \"I\"\n";

/// A request from the committee and the minister's answer, which cites it; hostile text in
/// the answer's title.
fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write("site.toml", SITE);
    f.write(
        "content/36521/A.md",
        "---\ndossier: \"36521\"\nletter: \"A\"\ntitle: \"Vragen\"\ndate: 2025-11-19\nfrom: { name: \"J. Jansen\", role: \"Voorzitter\", organisation: \"Eerste Kamer\" }\nto: { organisation: \"Ministerie van BZK\" }\nkind: question\nkenmerk: \"178923\"\ntags: [privacy]\n---\nVragen.\n",
    );
    f.write(
        "content/36521/B.md",
        "---\ndossier: \"36521\"\nletter: \"B\"\ntitle: \"Antwoord </script><script>alert(1)</script> & <!--\"\ndate: 2025-12-01\nfrom: { organisation: \"Ministerie van BZK\" }\nto: { name: \"J. Jansen\", role: \"Voorzitter\", organisation: \"Eerste Kamer\" }\nkind: answer\nin_reply_to: A\n---\nZoals gevraagd in Kamerstukken I 2025/26, 36521, A.\n",
    );
    f.build().expect("build");
    f
}

fn json_ld(f: &Fixture, url: &str) -> serde_json::Value {
    let page = f.page(url);
    let blocks = select(&page, "script[type=\"application/ld+json\"]");
    assert_eq!(blocks.len(), 1, "{url}: one JSON-LD block");
    let text: String = blocks[0].text().collect();
    assert!(
        !text.contains(['<', '>']),
        "{url}: unescaped markup in JSON-LD: {text}"
    );
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{url}: JSON-LD does not parse: {e}\n{text}"))
}

#[test]
fn a_letter_page_describes_the_letter_as_schema_org_json_ld() {
    let f = fixture();
    let b = json_ld(&f, "/dossiers/36521/b/");
    let base = "https://archief.example/brieven/";
    assert_eq!(b["@context"], "https://schema.org");
    assert_eq!(b["@type"], "Message");
    assert_eq!(b["url"], format!("{base}dossiers/36521/b/"));
    assert_eq!(b["@id"], b["url"]);
    assert_eq!(
        b["name"],
        "Antwoord </script><script>alert(1)</script> & <!--"
    );
    assert_eq!(b["dateSent"], "2025-12-01");
    assert_eq!(b["identifier"][0], "Kamerstukken I 2025/26, 36521, B");
    assert_eq!(b["sender"][0]["@type"], "Organization");
    assert_eq!(b["sender"][0]["name"], "Ministerie van BZK");
    let jansen = &b["recipient"][0];
    assert_eq!(jansen["@type"], "Person");
    assert_eq!(jansen["name"], "J. Jansen");
    assert_eq!(jansen["jobTitle"], "Voorzitter");
    assert_eq!(jansen["affiliation"]["name"], "Eerste Kamer");
    assert_eq!(jansen["url"], format!("{base}correspondents/j-jansen/"));
    assert_eq!(b["isPartOf"]["identifier"], "36521");
    assert_eq!(b["isPartOf"]["url"], format!("{base}dossiers/36521/"));
    let a_url = format!("{base}dossiers/36521/a/");
    assert_eq!(b["isBasedOn"], serde_json::json!([a_url]));
    assert_eq!(b["citation"], serde_json::json!([a_url]));
    assert_eq!(b["inLanguage"], "nl");

    let a = json_ld(&f, "/dossiers/36521/a/");
    assert_eq!(
        a["identifier"],
        serde_json::json!(["Kamerstukken I 2025/26, 36521, A", "178923"])
    );
    assert_eq!(a["keywords"], serde_json::json!(["privacy"]));
    assert!(
        a.get("isBasedOn").is_none() && a.get("citation").is_none(),
        "{a}"
    );
}

#[test]
fn hostile_text_in_json_ld_stays_data() {
    let f = fixture();
    let html = f.read("/dossiers/36521/b/");
    assert_eq!(page_problems(&html), Vec::<String>::new());
    let page = f.page("/dossiers/36521/b/");
    // Only the data block and the theme's script file: nothing from the title runs.
    let scripts: Vec<_> = select(&page, "script")
        .into_iter()
        .map(|s| {
            s.value()
                .attr("src")
                .or(s.value().attr("type"))
                .unwrap_or("INLINE")
                .to_string()
        })
        .collect();
    assert_eq!(scripts, ["application/ld+json", "/brieven/assets/cite.js"]);
}
