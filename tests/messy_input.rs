//! Real archives are messy: partial dates, many senders, odd ids, huge and tiny letters, skewed dossiers.

mod common;

use std::fmt::Write as _;

use common::{Fixture, letter, select, texts};

#[test]
fn partial_dates_show_as_such_and_sort_first_in_their_period() {
    let f = Fixture::new();
    f.write(
        "content/hist/A.md",
        &letter(
            "hist",
            "A",
            "\"1877-02\"",
            "date_not_before: 1877-02-03\ndate_not_after: 1877-02-20\n",
            "Oud.",
        ),
    );
    f.write(
        "content/hist/B.md",
        &letter("hist", "B", "1877-02-01", "", "Iets later."),
    );
    f.write(
        "content/hist/C.md",
        &letter("hist", "C", "1855", "", "Nog ouder."),
    );
    f.build().expect("builds");
    let a = f.page("/dossiers/hist/a/");
    assert_eq!(texts(&a, ".letter-meta time")[0], "februari 1877");
    assert!(texts(&a, ".letter-meta dd")[0].contains("tussen 3 februari 1877 en 20 februari 1877"));
    let dossier = f.page("/dossiers/hist/");
    let order: Vec<String> = select(&dossier, ".letter-row .letter-ref")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(order, ["hist, C", "hist, A", "hist, B"]);
    assert!(f.public().join("years/1855/index.html").is_file());
}

#[test]
fn many_correspondents_odd_ids_accents_and_no_break_spaces() {
    let f = Fixture::new();
    let senders: Vec<String> = (1..=12)
        .map(|i| format!("{{ name: \"Lid {i}\" }}"))
        .collect();
    let extra = format!("from: [{}]\n", senders.join(", "));
    let text = letter("31700 VI", "AI", "2025-03-01", "", "Veel afzenders.").replace(
        "from: { name: \"Commissie BiZa\", organisation: \"Eerste Kamer\" }\n",
        &extra,
    );
    f.write("content/31700-VI/AI.md", &text);
    f.write(
        "content/31700-VI/K_0097.md",
        &letter("31700 VI", "K_0097", "2025-03-02", "", "")
            .replace("De minister", "Ö.\u{a0}Yılmaz-Çelik"),
    );
    f.write(
        "content/31700-VI/K_0098.md",
        &letter(
            "31700 VI",
            "K_0098",
            "2025-03-03",
            "tags: [\" Asielketen\", \"asielketen \", ASIELKETEN]\n",
            "",
        ),
    );
    f.write(
        "content/31700-VI/K_0099.md",
        &letter(
            "31700 VI",
            "K_0099",
            "2025-03-04",
            "tags: [asielketen]\n",
            "",
        ),
    );
    f.build().expect("builds");
    let ai = f.page("/dossiers/31700-vi/ai/");
    let senders = select(&ai, ".party-list")
        .first()
        .map(|list| list.children().filter(|c| c.value().is_element()).count());
    assert_eq!(senders, Some(12));
    let name = f.page("/correspondents/o-yilmaz-celik/");
    assert_eq!(
        texts(&name, "h1"),
        ["Ö.\u{a0}Yılmaz-Çelik".replace('\u{a0}', " ")]
    );
    let tag = f.page("/tags/asielketen/");
    assert_eq!(select(&tag, ".letter-row").len(), 2);
    assert_eq!(
        std::fs::read_dir(f.public().join("tags")).unwrap().count(),
        2,
        "one tag page plus the index"
    );
}

#[test]
fn huge_and_nearly_empty_letters() {
    let f = Fixture::new();
    let mut huge = String::new();
    while huge.len() < 60_000 {
        let _ = write!(
            huge,
            "De leden van de commissie vragen de regering naar de stand van zaken. "
        );
    }
    f.write("content/1/A.md", &letter("1", "A", "2025-01-01", "", &huge));
    f.write("content/1/B.md", &letter("1", "B", "2025-01-02", "", ""));
    f.build().expect("builds");
    assert!(f.read("/dossiers/1/a/").len() > 60_000);
    assert!(!select(&f.page("/dossiers/1/b/"), "h1").is_empty());
}

#[test]
fn a_thousand_letter_dossier_beside_hundreds_of_small_ones() {
    let f = Fixture::new();
    for i in 0..1000 {
        let reply = if i > 0 {
            format!("in_reply_to: \"L{}\"\n", i - 1)
        } else {
            String::new()
        };
        f.write(
            &format!("content/big/L{i}.md"),
            &letter("big", &format!("L{i}"), "2025-06-01", &reply, "Tekst."),
        );
    }
    for d in 0..300 {
        f.write(
            &format!("content/{d}/A.md"),
            &letter(&d.to_string(), "A", "2024-01-01", "", ""),
        );
    }
    let report = f.build().expect("builds");
    assert_eq!(report.letters, 1300);
    let big = f.page("/dossiers/big/");
    assert_eq!(select(&big, ".letter-row").len(), 1000);
    // Natural order: L2 before L10.
    let ids: Vec<String> = select(&big, ".letter-ref")
        .iter()
        .take(11)
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(ids[2], "big, L2");
    assert_eq!(ids[10], "big, L10");
    // Long lists are paginated, so no page grows with the archive.
    assert!(f.public().join("years/2025/page/10/index.html").is_file());
    let thread = f.page("/dossiers/big/exchanges/l0/");
    assert_eq!(select(&thread, "article.thread-letter").len(), 1000);
}

#[test]
fn an_english_site_speaks_english() {
    let f = Fixture::new();
    f.write("site.toml", "title = \"Archive\"\nlanguage = \"en\"\n");
    f.write(
        "content/1/A.md",
        &letter("1", "A", "2025-11-19", "", "Dear minister,"),
    );
    f.build().expect("builds");
    let page = f.page("/dossiers/1/a/");
    assert_eq!(texts(&page, ".letter-meta time")[0], "19 November 2025");
    assert_eq!(select(&page, "html[lang=en]").len(), 1);
    assert_eq!(texts(&page, ".skip-link"), ["Skip to content"]);
}

#[test]
fn no_input_makes_it_panic() {
    let f = Fixture::new();
    let base = letter(
        "1",
        "A",
        "2025-01-10",
        "in_reply_to: [\"B\", \"2/C\"]\ntags: [x]\n",
        "Tekst met [^1].\n\n[^1]: Voetnoot.",
    );
    // Every prefix of a good letter, plus hostile scraps: none may panic.
    for (i, end) in base.char_indices().map(|(i, _)| i).enumerate().step_by(3) {
        f.write(&format!("content/p/{i}.md"), &base[..end]);
    }
    for (i, scrap) in [
        "---\n---\n",
        "---\n- a\n---\n",
        "---\ndate: 99999-99-99\n---",
        "---\nfrom: {}\nto: []\n---",
        "\u{feff}---\n...\n",
        "---\ndossier: [[[[\n---",
    ]
    .iter()
    .enumerate()
    {
        f.write(&format!("content/s/{i}.md"), scrap);
    }
    let _ = f.build();
}
