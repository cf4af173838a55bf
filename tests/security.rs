//! Content from many hands comes out inert: HTML, JSON, CSV and feeds escape it.

mod common;

use common::{Fixture, select};

const EVIL: &str = "---
dossier: \"1\"
letter: \"A\"
title: \"<script>alert('titel')</script> Brief\"
date: 2025-01-10
from: { name: \"<img src=x onerror=alert(1)>Jansen\", role: \"\\\"><script>alert(2)</script>\" }
to: { name: \"Minister\" }
tags: [\"<b onmouseover=alert(3)>tag</b>\"]
source: \"javascript:alert(4)\"
---
Geachte heer,

<script>alert('body')</script>
<a href=\"javascript:alert(5)\">klik</a> [ook](javascript:alert(6)) <iframe src=\"https://evil.example\"></iframe>
<p onclick=\"alert(7)\">tekst</p> <sup>1</sup> <u>onderstreept</u>
";

fn built() -> Fixture {
    let f = Fixture::new();
    f.write("content/1/A.md", EVIL);
    let report = f.build().expect("builds with warnings");
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`source`")),
        "unsafe source not reported"
    );
    f
}

fn assert_inert(html: &str, page: &str) {
    let doc = scraper::Html::parse_document(html);
    let (data, scripts): (Vec<_>, Vec<_>) = select(&doc, "script")
        .into_iter()
        .partition(|s| s.value().attr("type") == Some("application/ld+json"));
    let scripts: Vec<_> = scripts.iter().map(|s| s.inner_html()).collect();
    assert!(
        scripts.iter().all(|s| !s.contains("alert")),
        "{page}: script element from content: {scripts:?}"
    );
    // The JSON-LD carries the hostile title as data: whole JSON, no `<` to end the element.
    for block in data {
        let text: String = block.text().collect();
        assert!(!text.contains('<'), "{page}: `<` in JSON-LD: {text}");
        let json: serde_json::Value = serde_json::from_str(&text).expect("JSON-LD parses");
        assert_eq!(
            json["name"], "<script>alert('titel')</script> Brief",
            "{page}"
        );
    }
    for el in select(&doc, "*") {
        for (name, value) in el.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "{page}: event handler {name}={value}"
            );
            assert!(
                !value.trim_start().to_lowercase().starts_with("javascript:"),
                "{page}: {name}={value}"
            );
        }
    }
    assert!(select(&doc, "iframe").is_empty(), "{page}: iframe survived");
}

#[test]
fn pages_escape_titles_names_tags_and_sanitise_bodies() {
    let f = built();
    for url in [
        "/dossiers/1/a/",
        "/",
        "/dossiers/1/",
        "/dossiers/1/exchanges/a/",
        "/tags/",
        "/correspondents/",
        "/years/2025/",
    ] {
        assert_inert(&f.read(url), url);
    }
    let letter = f.read("/dossiers/1/a/");
    assert!(
        letter.contains("&lt;script&gt;alert("),
        "title not escaped as text"
    );
    assert!(
        letter.contains("<u>onderstreept</u>") && letter.contains("<sup>1</sup>"),
        "harmless markup lost"
    );
    let doc = scraper::Html::parse_document(&letter);
    assert!(
        select(&doc, ".source").is_empty(),
        "a javascript: source link was rendered"
    );
}

#[test]
fn feeds_and_data_escape_content() {
    let f = built();
    let feed = f.read("/atom.xml");
    assert!(!feed.contains("<script"), "raw script in the feed");
    assert!(!feed.contains("<img"), "raw markup in the feed");
    let json: serde_json::Value =
        serde_json::from_str(&f.read("/data/letters.json")).expect("valid JSON");
    assert_eq!(json[0]["title"], "<script>alert('titel')</script> Brief");
    let csv = f.read("/data/letters.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.records().count(), 1);
}

#[test]
fn ids_and_aliases_cannot_write_outside_the_output() {
    let f = Fixture::new();
    f.write(
        "content/1/A.md",
        "---\ndossier: \"../../x\"\ndate: 2025-01-10\nfrom: a\nto: b\naliases: [\"../../../etc/x\"]\n---\n",
    );
    assert!(f.build().is_err());
    assert!(!f.root().join("x").exists() && !f.public().exists());
}
