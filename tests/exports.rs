//! Machine-readable outputs for data journalists and harvesters, read back from a built
//! fixture: schema.org JSON-LD on letter pages and each dossier's letters as JSON.

mod common;

use common::inert::page_problems;
use common::{Fixture, select};

const SITE: &str = "title = \"Testarchief\"\nbase_url = \"https://archief.example/brieven/\"\n\n[archive]\nchamber = \"I\"\n";

/// A request from the committee and the ministry's answer, which cites it, with hostile text
/// in the answer's title and the ministry's name; and a letter in a second dossier citing a
/// paper the archive does not hold.
fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write("site.toml", SITE);
    f.write(
        "content/36521/A.md",
        "---\ndossier: \"36521\"\nletter: \"A\"\ntitle: \"Vragen\"\ndate: 2025-11-19\nfrom: { name: \"J. Jansen\", role: \"Voorzitter\", organisation: \"Eerste Kamer\" }\nto: { organisation: \"Ministerie van BZK & <Co>\" }\nkind: question\nkenmerk: \"178923\"\ntags: [privacy]\n---\nVragen.\n",
    );
    f.write(
        "content/36521/B.md",
        "---\ndossier: \"36521\"\nletter: \"B\"\ntitle: \"Antwoord </script><script>alert(1)</script> & <!--\"\ndate: 2025-12-01\nfrom: { organisation: \"Ministerie van BZK & <Co>\" }\nto: { name: \"J. Jansen\", role: \"Voorzitter\", organisation: \"Eerste Kamer\" }\nkind: answer\nin_reply_to: A\n---\nZoals gevraagd in Kamerstukken I 2025/26, 36521, A.\n",
    );
    f.write(
        "content/37000/A.md",
        "---\ndossier: \"37000\"\nletter: \"A\"\ntitle: \"Nog een vraag\"\ndate: 2025-12-05\nfrom: { name: \"J. Jansen\", role: \"Voorzitter\", organisation: \"Eerste Kamer\" }\nto: { organisation: \"Ministerie van BZK & <Co>\" }\n---\nZie Kamerstukken I 2025/26, 36521, Q.\n",
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
    assert_eq!(b["sender"][0]["name"], "Ministerie van BZK & <Co>");
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

#[test]
fn each_dossier_has_its_letters_as_json() {
    let f = fixture();
    let json: serde_json::Value =
        serde_json::from_str(&f.read("/dossiers/36521/letters.json")).expect("JSON");
    assert_eq!(json["dossier"], "36521");
    assert_eq!(
        json["url"],
        "https://archief.example/brieven/dossiers/36521/"
    );
    let letters = json["letters"].as_array().expect("letters");
    let ids: Vec<&str> = letters
        .iter()
        .map(|l| l["letter"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["A", "B"]);
    assert_eq!(letters[1]["in_reply_to"], "36521/A");
    assert_eq!(
        letters[1]["title"],
        "Antwoord </script><script>alert(1)</script> & <!--"
    );
    // Each record is the one data/letters.json has.
    let all: serde_json::Value = serde_json::from_str(&f.read("/data/letters.json")).expect("JSON");
    let of_dossier: Vec<&serde_json::Value> = all
        .as_array()
        .expect("array")
        .iter()
        .filter(|l| l["dossier"] == "36521")
        .collect();
    assert_eq!(letters.iter().collect::<Vec<_>>(), of_dossier);
    // The dossier page links to it.
    let page = f.page("/dossiers/36521/");
    let hrefs: Vec<&str> = select(&page, "main a")
        .into_iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"/brieven/dossiers/36521/letters.json"),
        "{hrefs:?}"
    );
}
