//! What a reader sees of the archive's shape: the correspondents in Dutch
//! index order, threads nested by reply, letters of other dossiers marked.

mod common;

use common::{Fixture, SITE_TOML, texts};

/// A letter from `from` (a person's name) to a body.
fn letter_from(dossier: &str, id: &str, date: &str, from: &str) -> String {
    format!(
        "---\ndossier: \"{dossier}\"\nletter: \"{id}\"\ndate: {date}\nfrom: {{ name: \"{from}\" }}\nto: {{ organisation: \"Eerste Kamer der Staten-Generaal\" }}\n---\nTekst.\n"
    )
}

#[test]
fn correspondents_are_listed_by_surname_in_dutch_order() {
    let site = Fixture::new();
    site.write("site.toml", SITE_TOML);
    let names = [
        "mr. drs. J.E. de Vries-Öztürk",
        "prof. dr. A. van den Berg",
        "Ö. Aydın",
        "ir. K. 't Hart",
        "B. Zijlstra",
        "dr. P. Oosterhuis",
        "Voorzitter van de Tweede Kamer",
    ];
    for (i, name) in names.iter().enumerate() {
        let id = char::from(b'A' + i as u8).to_string();
        site.write(
            &format!("content/1/{id}.md"),
            &letter_from("1", &id, &format!("2025-01-{:02}", i + 1), name),
        );
    }
    site.build().expect("builds");
    let index = site.page("/correspondents/");
    assert_eq!(
        texts(&index, ".name-list li a"),
        [
            "Aydın, Ö.",
            "Berg, A. van den",
            "Eerste Kamer der Staten-Generaal",
            "Hart, K. 't",
            "Oosterhuis, P.",
            "Voorzitter van de Tweede Kamer",
            "Vries-Öztürk, J.E. de",
            "Zijlstra, B.",
        ]
    );
    // The person's own page keeps the name as written, titles and all.
    let page = site.page("/correspondents/mr-drs-j-e-de-vries-ozturk/");
    assert_eq!(texts(&page, "h1"), ["mr. drs. J.E. de Vries-Öztürk"]);
}
