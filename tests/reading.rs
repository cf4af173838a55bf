//! What a reader sees of the archive's shape: the correspondents in Dutch
//! index order, threads nested by reply, letters of other dossiers marked.

mod common;

use common::{Fixture, SITE_TOML, letter, select, texts};
use scraper::{ElementRef, Selector};

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

#[test]
fn a_dossier_counts_its_own_letters_apart_from_those_of_other_dossiers() {
    let site = Fixture::example();
    site.build().expect("builds");
    let page = site.page("/dossiers/37288/");
    let counts = texts(&page, "main > p.muted");
    assert!(
        counts[0].starts_with("6 brieven in dit dossier, 5 uit 37104 ·"),
        "{counts:?}"
    );
    // Every letter of 37104 on the page is marked with its dossier, none of 37288.
    let rows = select(&page, ".thread-entry");
    assert_eq!(rows.len(), 11);
    for row in rows {
        let reference = text_of(&row, ".letter-ref");
        let marks = text_of(&row, ".thread-marks");
        if reference.starts_with("37104,") {
            assert!(row.value().classes().any(|c| c == "elsewhere"));
            assert_eq!(marks, "uit dossier 37104", "{reference}");
        } else {
            assert!(reference.starts_with("37288,"), "{reference}");
            assert_eq!(marks, "", "{reference}");
        }
    }
}

#[test]
fn threads_nest_each_letter_under_the_letter_it_answers() {
    let site = Fixture::example();
    site.build().expect("builds");
    // 37104: A asks; E postpones and B answers A; C follows up on B; D and 37288/C answer C.
    let expected = [
        ("37104, A", 1),
        ("37104, E", 2),
        ("37104, B", 2),
        ("37104, C", 3),
        ("37288, C", 4),
        ("37104, D", 4),
    ];
    for (url, scope) in [
        ("/dossiers/37104/", "section:first-of-type"),
        ("/dossiers/37104/exchanges/a/", ".thread-contents"),
    ] {
        let page = site.page(url);
        let shape: Vec<(String, usize)> = select(&page, &format!("{scope} .thread-entry"))
            .iter()
            .map(|e| (text_of(e, ".letter-ref"), list_depth(e)))
            .collect();
        let expected: Vec<(String, usize)> =
            expected.iter().map(|&(r, d)| (r.to_string(), d)).collect();
        assert_eq!(shape, expected, "{url}");
    }
    // The contents list names sender, kind and status, and links into the page.
    let page = site.page("/dossiers/37104/exchanges/a/");
    let first = &select(&page, ".thread-contents .thread-entry")[0];
    assert_eq!(
        text_of(first, ".letter-line"),
        "37104, A · Vragen · mr. drs. J.E. de Vries-Öztürk → aan E.J. Brandsema Beantwoord na 104 dagen"
    );
    assert_eq!(
        select(&page, ".thread-contents a.letter-title")[0].attr("href"),
        Some("#brief-37104-a")
    );
    // Each letter is a section of its own, opening with its metadata line; a
    // reply says which letter it answers, a letter of 37288 says so.
    let sections = select(&page, "article.thread-letter");
    assert_eq!(sections.len(), 6);
    let c = select(&page, "article#brief-37288-c")[0];
    assert_eq!(
        text_of(&c, "header .thread-marks"),
        "uit dossier 37288 · antwoord op 37104, C"
    );
    assert_eq!(
        select(&page, "article#brief-37104-a header .thread-marks").len(),
        0
    );
}

#[test]
fn nesting_stops_at_four_levels_and_deeper_letters_say_what_they_answer() {
    let site = Fixture::new();
    let ids = ["A", "B", "C", "D", "E", "F"];
    for (i, id) in ids.iter().enumerate() {
        let reply = if i == 0 {
            String::new()
        } else {
            format!("in_reply_to: \"{}\"\n", ids[i - 1])
        };
        site.write(
            &format!("content/1/{id}.md"),
            &letter("1", id, &format!("2025-01-0{}", i + 1), &reply, "Tekst."),
        );
    }
    site.build().expect("builds");
    let page = site.page("/dossiers/1/");
    let shape: Vec<(String, usize, String)> = select(&page, ".thread-entry")
        .iter()
        .map(|e| {
            (
                text_of(e, ".letter-ref"),
                list_depth(e),
                text_of(e, ".thread-marks"),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        shape,
        [
            (s("1, A"), 1, s("")),
            (s("1, B"), 2, s("")),
            (s("1, C"), 3, s("")),
            (s("1, D"), 4, s("")),
            (s("1, E"), 4, s("antwoord op 1, D")),
            (s("1, F"), 4, s("antwoord op 1, E")),
        ]
    );
}

/// The text of the first match of `css` inside `e`, whitespace collapsed; empty if none.
fn text_of(e: &ElementRef<'_>, css: &str) -> String {
    let selector = Selector::parse(css).expect("selector");
    e.select(&selector)
        .next()
        .map(|m| m.text().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many `ol.thread` lists hold the element.
fn list_depth(e: &ElementRef<'_>) -> usize {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .filter(|a| a.value().name() == "ol" && a.value().classes().any(|c| c == "thread"))
        .count()
}
