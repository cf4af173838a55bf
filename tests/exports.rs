//! Machine-readable outputs for data journalists and harvesters, read back from a built
//! fixture: schema.org JSON-LD on letter pages, each dossier's letters as JSON, the CMIF
//! file (parsed with quick-xml) and the SQLite database (opened with rusqlite).

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

/// One XML element as parsed: its name, its ancestors' names, attributes and own text.
#[derive(Debug)]
struct Element {
    name: String,
    parents: Vec<String>,
    attrs: Vec<(String, String)>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses `xml` with quick-xml, failing on anything not well-formed (mismatched tags,
/// undefined entities, bad attributes), and lists every element in document order of its end.
fn parse_xml(xml: &str) -> Vec<Element> {
    use quick_xml::events::{BytesStart, Event};
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut done = Vec::new();
    let decoder = reader.decoder();
    let open = |e: &BytesStart<'_>, stack: &Vec<Element>| Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).expect("UTF-8 name"),
        parents: stack.iter().map(|p| p.name.clone()).collect(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).expect("UTF-8 key"),
                    a.decoded_and_normalized_value(quick_xml::XmlVersion::Explicit1_0, decoder)
                        .expect("attribute value")
                        .into_owned(),
                )
            })
            .collect(),
        text: String::new(),
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let el = open(&e, &stack);
                stack.push(el);
            }
            Event::Empty(e) => done.push(open(&e, &stack)),
            Event::End(_) => done.push(stack.pop().expect("an open element")),
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.decode().expect("UTF-8 text"));
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("character reference") {
                    Some(c) => c,
                    None => match &*r.decode().expect("entity name") {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("undefined entity &{other};"),
                    },
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    done
}

#[test]
fn the_cmif_file_has_one_corresp_desc_per_letter() {
    let f = fixture();
    let xml = f.read("/data/cmif.xml");
    let elements = parse_xml(&xml);
    let root = elements.last().expect("root");
    assert_eq!(root.name, "TEI");
    assert_eq!(root.attr("xmlns"), Some("http://www.tei-c.org/ns/1.0"));
    let base = "https://archief.example/brieven/";
    let of = |name: &'static str| elements.iter().filter(move |e| e.name == name);
    assert_eq!(
        of("idno").next().map(|e| e.text.as_str()),
        Some(format!("{base}data/cmif.xml").as_str())
    );
    let descs: Vec<&Element> = of("correspDesc").collect();
    assert_eq!(descs.len(), 3, "one per letter");
    for d in &descs {
        assert_eq!(d.parents, ["TEI", "teiHeader", "profileDesc"]);
        assert_eq!(d.attr("source"), Some("#archive"));
    }
    let refs: Vec<&str> = descs.iter().filter_map(|d| d.attr("ref")).collect();
    assert_eq!(
        refs,
        [
            format!("{base}dossiers/36521/a/"),
            format!("{base}dossiers/36521/b/"),
            format!("{base}dossiers/37000/a/"),
        ]
    );
    // Letter B (the second correspDesc): sent by a body, received by a person, dated, and
    // replying to A, which comes before it in the dossier.
    let in_b = |e: &&Element| {
        let index = elements
            .iter()
            .position(|x| std::ptr::eq(x, *e))
            .unwrap_or(0);
        let a_end = elements
            .iter()
            .position(|x| std::ptr::eq(x, descs[0]))
            .unwrap_or(0);
        let b_end = elements
            .iter()
            .position(|x| std::ptr::eq(x, descs[1]))
            .unwrap_or(0);
        index > a_end && index < b_end
    };
    let sent: Vec<&Element> = of("orgName").filter(in_b).collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].text, "Ministerie van BZK & <Co>");
    assert_eq!(
        sent[0].parents.last().map(String::as_str),
        Some("correspAction")
    );
    let received: Vec<&str> = of("persName")
        .filter(in_b)
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(received, ["J. Jansen"]);
    let dates: Vec<Option<&str>> = of("date").filter(in_b).map(|e| e.attr("when")).collect();
    assert_eq!(dates, [Some("2025-12-01")]);
    let context: Vec<(Option<&str>, Option<&str>)> = of("ref")
        .filter(in_b)
        .filter(|e| e.parents.last().map(String::as_str) == Some("correspContext"))
        .map(|e| (e.attr("type"), e.attr("target")))
        .collect();
    let a_url = format!("{base}dossiers/36521/a/");
    assert_eq!(
        context,
        [
            (Some("replyTo"), Some(a_url.as_str())),
            (Some("prev"), Some(a_url.as_str()))
        ]
    );
    let actions: Vec<Option<&str>> = of("correspAction")
        .filter(in_b)
        .map(|e| e.attr("type"))
        .collect();
    assert_eq!(actions, [Some("sent"), Some("received")]);
}

#[test]
fn the_sqlite_database_opens_and_its_full_text_index_answers() {
    let f = fixture();
    let path = f.public().join("data/letters.sqlite");
    let db =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("opens");
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |row| row.get(0)).expect(sql) };
    assert_eq!(count("SELECT count(*) FROM letters"), 3);
    assert_eq!(count("SELECT count(*) FROM dossiers"), 2);
    assert_eq!(count("SELECT count(*) FROM correspondents"), 2);
    let ok: String = db
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity");
    assert_eq!(ok, "ok");
    // The full-text index finds a word of a body, and the letter it belongs to.
    let mut hits = db
        .prepare(
            "SELECT l.dossier, l.letter FROM letters_fts JOIN letters l ON l.id = letters_fts.rowid \
             WHERE letters_fts MATCH ?1 ORDER BY l.id",
        )
        .expect("query");
    let found: Vec<(String, String)> = hits
        .query_map(["gevraagd"], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("match")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(found, [("36521".to_string(), "B".to_string())]);
    // B answers A and cites it; 37000/A cites a paper the archive does not hold.
    let reply: (String, i64) = db
        .query_row(
            "SELECT a.letter, r.answers FROM replies r JOIN letters a ON a.id = r.in_reply_to \
             JOIN letters b ON b.id = r.letter WHERE b.dossier = '36521' AND b.letter = 'B'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("reply");
    assert_eq!(reply, ("A".to_string(), 1));
    let mut cites = db
        .prepare(
            "SELECT l.dossier || '/' || l.letter, c.cited IS NOT NULL, c.cited_dossier, c.cited_letter \
             FROM citations c JOIN letters l ON l.id = c.letter ORDER BY c.rowid",
        )
        .expect("citations");
    let cites: Vec<(String, bool, String, String)> = cites
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        cites,
        [
            ("36521/B".into(), true, "36521".into(), "A".into()),
            ("37000/A".into(), false, "36521".into(), "Q".into()),
        ]
    );
    let sides: Vec<(String, String)> = db
        .prepare(
            "SELECT lc.side, c.name FROM letter_correspondents lc JOIN correspondents c ON c.id = lc.correspondent \
             WHERE lc.letter = (SELECT id FROM letters WHERE dossier = '36521' AND letter = 'B')",
        )
        .expect("sides")
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        sides,
        [
            ("from".to_string(), "Ministerie van BZK & <Co>".to_string()),
            ("to".to_string(), "J. Jansen".to_string())
        ]
    );
}

#[test]
fn two_builds_of_the_same_archive_write_the_same_database() {
    let first = fixture();
    let second = fixture();
    let bytes = |f: &Fixture| std::fs::read(f.public().join("data/letters.sqlite")).expect("read");
    let a = bytes(&first);
    assert!(a.starts_with(b"SQLite format 3\0"));
    assert_eq!(a, bytes(&second));
}
