//! Behaviour of the whole index: build, then query with the Rust evaluator.

use super::oracle::{Filters, Query, Searcher, Sort, parse};
use super::*;

fn party(slug: &str, name: &str) -> SearchParty {
    SearchParty {
        slug: slug.into(),
        name: name.into(),
        url: format!("correspondents/{slug}/"),
    }
}

/// A letter dated `2020-01-01` plus `n` days (roughly), with a unique marker word `uniekN`.
fn letter(n: usize, title: &str, text: &str) -> SearchDoc {
    let year = 2015 + (n % 10) as i32;
    let month = 1 + (n % 12) as i32;
    let day = 1 + (n % 28) as i32;
    SearchDoc {
        url: format!("dossiers/{}/{}/", 36000 + n % 5, n),
        title: title.into(),
        dossier: format!("{}", 36000 + n % 5),
        letter: format!("L{n}"),
        date: format!("{year}-{month:02}-{day:02}"),
        date_display: format!("{day} {month} {year}"),
        sort_date: year * 10000 + month * 100 + day,
        year,
        from: vec![party(
            &format!("afzender-{}", n % 3),
            "Commissie voor Binnenlandse Zaken",
        )],
        to: vec![party(
            &format!("ontvanger-{}", n % 4),
            "Minister van Asiel en Migratie",
        )],
        kind: ["letter", "question", "answer"][n % 3].into(),
        tags: vec![party(&format!("tag-{}", n % 2), "Asielketen")],
        status: [Some("answered"), Some("awaiting"), Some("overdue"), None][n % 4]
            .map(String::from),
        reply: Default::default(),
        text: format!("{text} uniek{n}"),
        kenmerk: None,
    }
}

/// What a submitted (or shared) query finds: whole words.
fn search(files: &[IndexFile], text: &str) -> Vec<String> {
    letters(files, text, Filters::default(), Sort::Relevance)
}

/// What the page shows while the reader is still typing `text`: the last word is a prefix.
fn typing(files: &[IndexFile], text: &str) -> Vec<String> {
    every_page(files, text, Filters::default(), Sort::Relevance, true)
}

/// Every letter a submitted query finds, page after page.
fn letters(files: &[IndexFile], text: &str, filters: Filters, sort: Sort) -> Vec<String> {
    every_page(files, text, filters, sort, false)
}

fn every_page(
    files: &[IndexFile],
    text: &str,
    filters: Filters,
    sort: Sort,
    prefix: bool,
) -> Vec<String> {
    let mut searcher = Searcher::open(files).expect("index opens");
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let r = searcher
            .search(&Query {
                text: text.into(),
                filters: filters.clone(),
                sort,
                page,
                prefix,
            })
            .expect("query runs");
        if r.hits.is_empty() {
            break;
        }
        out.extend(r.hits.into_iter().map(|h| h.letter));
        page += 1;
    }
    out
}

/// The entries of a block file of letter records or rests, one per letter.
fn block_entries(file: &IndexFile) -> Vec<serde_json::Value> {
    let bytes = codec::gunzip(&file.bytes).expect("gzip");
    serde_json::from_slice(&bytes).expect("a JSON array")
}

/// The rest of letter `id`'s text, from its block of rests (`None` without one).
fn rest_of(files: &[IndexFile], id: usize) -> Option<String> {
    let (block, place) = layout::block_of(id, layout::LETTER_BLOCK);
    let file = files.iter().find(|f| f.path == layout::rests(block))?;
    block_entries(file)[place].as_str().map(String::from)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn every_letter_is_indexed_once_with_its_filters() {
    let docs: Vec<SearchDoc> = (0..40)
        .map(|n| letter(n, &format!("Brief {n}"), "Tekst over de opvang."))
        .collect();
    let files = build_index(&docs, Language::Dutch);
    let records: usize = files
        .iter()
        .filter(|f| f.path.starts_with(layout::DOCS))
        .map(|f| block_entries(f).len())
        .sum();
    assert_eq!(records, docs.len());
    for (n, doc) in docs.iter().enumerate() {
        assert_eq!(
            search(&files, &format!("uniek{n}")),
            vec![doc.letter.clone()]
        );
        let only_this = Filters {
            dossier: vec![doc.dossier.clone()],
            sender: vec![doc.from[0].slug.clone()],
            recipient: vec![doc.to[0].slug.clone()],
            tag: vec![doc.tags[0].slug.clone()],
            kind: vec![doc.kind.clone()],
            status: vec![doc.status.clone().unwrap_or_else(|| "none".into())],
            year: vec![doc.year],
            date_from: Some(doc.sort_date),
            date_to: Some(doc.sort_date),
        };
        let found = letters(&files, &format!("uniek{n}"), only_this, Sort::Relevance);
        assert_eq!(found, vec![doc.letter.clone()], "filters of letter {n}");
    }
    let all = letters(&files, "opvang", Filters::default(), Sort::Newest);
    assert_eq!(
        sorted(all),
        sorted(docs.iter().map(|d| d.letter.clone()).collect())
    );
}

#[test]
fn filters_combine() {
    let docs: Vec<SearchDoc> = (0..60).map(|n| letter(n, "Brief", "opvang")).collect();
    let files = build_index(&docs, Language::Dutch);
    let filters = Filters {
        dossier: vec!["36001".into(), "36002".into()],
        kind: vec!["question".into()],
        status: vec!["none".into(), "awaiting".into()],
        ..Filters::default()
    };
    let expected: Vec<String> = docs
        .iter()
        .filter(|d| d.dossier == "36001" || d.dossier == "36002")
        .filter(|d| d.kind == "question")
        .filter(|d| matches!(d.status.as_deref(), None | Some("awaiting")))
        .map(|d| d.letter.clone())
        .collect();
    assert!(!expected.is_empty());
    let found = letters(&files, "opvang", filters.clone(), Sort::Relevance);
    assert_eq!(sorted(found), sorted(expected.clone()));
    // No text: the filters alone list the letters, newest first.
    let listed = letters(&files, "", filters, Sort::Relevance);
    assert_eq!(sorted(listed.clone()), sorted(expected));
    let years = Filters {
        year: vec![2016, 2018],
        date_to: Some(20160630),
        ..Filters::default()
    };
    let in_range: Vec<String> = docs
        .iter()
        .filter(|d| d.year == 2016 && d.sort_date <= 20160630)
        .map(|d| d.letter.clone())
        .collect();
    assert_eq!(
        sorted(letters(&files, "", years, Sort::Oldest)),
        sorted(in_range)
    );
}

/// Each pair of a word in one letter and its other form in another: searching either finds
/// both letters (the keys), and in an archive with only one form, searching the other form
/// finds it (the variants).
#[test]
fn dutch_word_pairs_find_each_other() {
    let pairs = super::stem::tests::DUTCH_PAIRS;
    let mut docs = Vec::new();
    for (i, (a, b)) in pairs.iter().enumerate() {
        docs.push(letter(2 * i, "Brief", &format!("zin met {a} erin")));
        docs.push(letter(2 * i + 1, "Brief", &format!("zin met {b} erin")));
    }
    let files = build_index(&docs, Language::Dutch);
    for (i, (a, b)) in pairs.iter().enumerate() {
        let both = sorted(vec![format!("L{}", 2 * i), format!("L{}", 2 * i + 1)]);
        for word in [a, b] {
            let found = sorted(search(&files, &format!("{word} ")));
            assert!(
                both.iter().all(|l| found.contains(l)),
                "{word}: found {found:?}, expected {both:?}"
            );
        }
    }
    let singulars: Vec<SearchDoc> = pairs
        .iter()
        .enumerate()
        .map(|(i, (a, _))| letter(i, "Brief", &format!("zin met {a} erin")))
        .collect();
    let files = build_index(&singulars, Language::Dutch);
    for (i, (_, b)) in pairs.iter().enumerate() {
        let found = search(&files, &format!("{b} "));
        assert!(
            found.contains(&format!("L{i}")),
            "{b} should find L{i}: {found:?}"
        );
    }
}

#[test]
fn the_required_examples_work_in_both_directions() {
    let words = [
        ("brieven", "brief"),
        ("vragen", "vraag"),
        ("toeslag", "toeslagen"),
        ("huizen", "huis"),
        ("dagen", "dag"),
        ("gemeenten", "gemeente"),
        ("coordinatie", "coördinatie"),
    ];
    for (query, in_text) in words {
        let docs = vec![
            letter(0, "Stuk", &format!("Over de {in_text} van vorige week.")),
            letter(1, "Stuk", "Iets anders."),
        ];
        let files = build_index(&docs, Language::Dutch);
        assert_eq!(search(&files, query), vec!["L0"], "{query} finds {in_text}");
    }
}

#[test]
fn a_title_match_ranks_first() {
    let body = "ombudsman ombudsman ombudsman ombudsman ombudsman rapport";
    let docs = vec![
        letter(0, "Vragen over het jaarverslag", body),
        letter(
            1,
            "Reactie op de Nationale ombudsman",
            "Een korte brief over het verslag.",
        ),
        letter(2, "Vragen", "De ombudsman wordt genoemd."),
    ];
    let files = build_index(&docs, Language::Dutch);
    let found = search(&files, "ombudsman");
    assert_eq!(found.first().map(String::as_str), Some("L1"), "{found:?}");
    assert_eq!(found.len(), 3);
    // Among body matches, the letter that says it five times wins.
    assert_eq!(found[1], "L0");
}

#[test]
fn phrases_match_exact_word_sequences() {
    let docs = vec![
        letter(0, "Brief", "De Nationale ombudsman schreef ons."),
        letter(1, "Brief", "De ombudsman is nationale bekendheid."),
        letter(2, "Brief", "De minister voor Wonen en Ordening antwoordt."),
        letter(
            3,
            "Brief",
            "De minister antwoordt over wonen en over ordening.",
        ),
    ];
    let files = build_index(&docs, Language::Dutch);
    assert_eq!(
        sorted(search(&files, "nationale ombudsman")),
        vec!["L0", "L1"]
    );
    assert_eq!(search(&files, "\"nationale ombudsman\""), vec!["L0"]);
    assert_eq!(search(&files, "„Nationale Ombudsman”"), vec!["L0"]);
    // Stop words count inside a phrase.
    assert_eq!(search(&files, "\"wonen en ordening\""), vec!["L2"]);
    assert_eq!(sorted(search(&files, "wonen ordening")), vec!["L2", "L3"]);
}

#[test]
fn the_last_word_is_a_prefix_while_typing() {
    let docs = vec![
        letter(0, "Brief", "De ombudsman schreef."),
        letter(1, "Brief", "Over de ombudsmannen."),
        letter(2, "Brief", "Over iets anders."),
    ];
    let files = build_index(&docs, Language::Dutch);
    assert_eq!(sorted(typing(&files, "ombuds")), vec!["L0", "L1"]);
    // A trailing space ends the word: no prefix, and `ombuds` is not a word.
    assert!(typing(&files, "ombuds ").is_empty());
    // While a phrase is being typed its quote is still open: plain words with a prefix.
    assert_eq!(sorted(typing(&files, "\"ombuds")), vec!["L0", "L1"]);
    let parsed = parse("de nationale ombu", Language::Dutch, true);
    assert_eq!(parsed.prefix.as_deref(), Some("ombu"));
    assert_eq!(parsed.words, vec!["nationale", "ombu"]);
}

#[test]
fn a_submitted_query_matches_whole_words_only() {
    let docs = vec![
        letter(0, "Brief", "Een brief aan de commissie."),
        letter(1, "Verslag", "De briefwisseling met de Kinderombudsman."),
        letter(2, "Verslag", "Het kind en de brieven."),
    ];
    let files = build_index(&docs, Language::Dutch);
    // `brief` is the word and its stem class (`brieven`), never `briefwisseling`.
    assert_eq!(sorted(search(&files, "brief")), vec!["L0", "L2"]);
    assert_eq!(search(&files, "kind"), vec!["L2"]);
    assert_eq!(sorted(typing(&files, "brief")), vec!["L0", "L1", "L2"]);
    assert_eq!(parse("brief", Language::Dutch, false).prefix, None);
}

#[test]
fn sorting_by_date() {
    let docs: Vec<SearchDoc> = (0..12).map(|n| letter(n, "Brief", "opvang")).collect();
    let files = build_index(&docs, Language::Dutch);
    let mut by_date: Vec<&SearchDoc> = docs.iter().collect();
    by_date.sort_by_key(|d| d.sort_date);
    let oldest: Vec<String> = by_date.iter().map(|d| d.letter.clone()).collect();
    let newest: Vec<String> = oldest.iter().rev().cloned().collect();
    assert_eq!(
        letters(&files, "opvang", Filters::default(), Sort::Oldest),
        oldest
    );
    assert_eq!(
        letters(&files, "opvang", Filters::default(), Sort::Newest),
        newest
    );
}

#[test]
fn excerpts_mark_the_hits() {
    let text = "Inleiding. ".repeat(40)
        + "De Nationale ombudsman heeft brieven gestuurd. "
        + &"Slot. ".repeat(40);
    let docs = vec![letter(0, "Brief", &text)];
    let files = build_index(&docs, Language::Dutch);
    let mut searcher = Searcher::open(&files).expect("opens");
    let r = searcher
        .search(&Query {
            text: "ombudsman brief".into(),
            ..Query::default()
        })
        .expect("runs");
    let marked: Vec<&str> = r.hits[0]
        .excerpt
        .iter()
        .filter(|f| f.hit)
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(marked, vec!["ombudsman", "brieven"]);
    let joined: String = r.hits[0].excerpt.iter().map(|f| f.text.as_str()).collect();
    assert!(joined.starts_with("… "), "{joined}");
    assert!(joined.ends_with(" …"), "{joined}");
}

#[test]
fn the_index_is_deterministic() {
    let docs: Vec<SearchDoc> = (0..200)
        .map(|n| {
            letter(
                n,
                &format!("Vragen over toeslagen {n}"),
                "De brieven over huizen en dagen.",
            )
        })
        .collect();
    let tiny = IndexOptions {
        tier_threshold: 30,
        head_postings: 10,
        block_postings: 20,
        letter_block: 7,
    };
    let a = build_index_with(&docs, Language::Dutch, &tiny);
    let b = build_index_with(&docs, Language::Dutch, &tiny);
    assert_eq!(a, b);
    assert!(a.iter().any(|f| f.path == layout::ROOT));
    assert!(a.iter().any(|f| f.path.starts_with(layout::TAIL_BLOCKS)));
}

#[test]
fn odd_input_never_panics() {
    let odd = [
        String::new(),
        "x".repeat(60_000),
        "woord ".repeat(12_000),
        "🙂🏳️‍🌈👩‍👩‍👧 emoji 🙂".into(),
        "שלום עולם مرحبا بالعالم".into(),
        "!!! ... ,,, ;;; ---".into(),
        "\u{0}\u{feff}\u{200b}\u{301}".into(),
    ];
    let docs: Vec<SearchDoc> = odd
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let mut d = letter(n, t, t);
            d.text = t.clone();
            d
        })
        .collect();
    for language in [Language::Dutch, Language::English] {
        let files = build_index(&docs, language);
        for q in [
            "",
            "\"",
            "\"\"",
            "🙂",
            "שלום",
            "x",
            "woord",
            "!!!",
            "\"woord woord\"",
            "wo",
        ] {
            let mut searcher = Searcher::open(&files).expect("opens");
            let r = searcher.search(&Query {
                text: q.into(),
                ..Query::default()
            });
            assert!(r.is_ok(), "{q}");
        }
        assert_eq!(search(&files, "שלום"), vec!["L4"]);
    }
    assert!(
        build_index(&[], Language::Dutch)
            .iter()
            .any(|f| f.path == layout::ROOT)
    );
    let empty = build_index(&[], Language::Dutch);
    assert!(search(&empty, "iets").is_empty());
}

#[test]
fn english_archives_stem_english() {
    let docs = vec![
        letter(0, "Letter", "Replies to the committees"),
        letter(1, "Letter", "Nothing here"),
    ];
    let files = build_index(&docs, Language::English);
    assert_eq!(search(&files, "reply committee "), vec!["L0"]);
}

#[test]
fn damaged_files_give_errors_not_panics() {
    let docs = vec![letter(0, "Brief", "opvang")];
    let mut files = build_index(&docs, Language::Dutch);
    for f in &mut files {
        if f.path.starts_with(layout::SHARDS) {
            f.bytes = vec![0x1f, 0x8b, 1, 2, 3];
        }
    }
    let mut searcher = Searcher::open(&files).expect("root is fine");
    assert!(
        searcher
            .search(&Query {
                text: "opvang".into(),
                ..Query::default()
            })
            .is_err()
    );
    assert!(Searcher::open(&[]).is_err());
}

/// Letters of made-up words drawn with a skew like real text: a few words are in most letters
/// (and titles), most words in few.
fn skewed_corpus(n: usize) -> Vec<SearchDoc> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut pick = move |count: usize| -> String {
        (0..count)
            .map(|_| skewed_word((next().powi(3) * 400.0) as usize))
            .collect::<Vec<_>>()
            .join(" ")
    };
    (0..n)
        .map(|i| {
            let title = pick(3);
            let words = 20 + i % 50;
            letter(i, &title, &pick(words))
        })
        .collect()
}

/// Made-up word number `i`: three syllables, no digits (so it is stemmed like a word).
fn skewed_word(i: usize) -> String {
    const SYLLABLES: [&str; 8] = ["ka", "lo", "mi", "ner", "stu", "vo", "pa", "ri"];
    [i / 64 % 8, i / 8 % 8, i % 8]
        .iter()
        .map(|&s| SYLLABLES[s])
        .collect()
}

/// The page a query shows, its total and whether the total is an estimate, and the paths of
/// tail blocks fetched.
fn page_of(files: &[IndexFile], query: &Query) -> (Vec<u32>, usize, bool, usize) {
    let mut searcher = Searcher::open(files).expect("index opens");
    let r = searcher.search(query).expect("query runs");
    let blocks = searcher
        .files_fetched()
        .filter(|p| p.starts_with(layout::TAIL_BLOCKS))
        .count();
    (
        r.hits.iter().map(|h| h.id).collect(),
        r.total,
        r.approximate,
        blocks,
    )
}

/// Tiered postings answer every page exactly like all postings would: relevance and date
/// order, one to three words, prefixes, filters, later pages.
#[test]
fn tiered_postings_give_the_pages_of_all_postings() {
    let docs = skewed_corpus(600);
    let all = build_index_with(
        &docs,
        Language::Dutch,
        &IndexOptions {
            tier_threshold: usize::MAX,
            ..IndexOptions::default()
        },
    );
    let tiered = build_index_with(
        &docs,
        Language::Dutch,
        &IndexOptions {
            tier_threshold: 24,
            head_postings: 12,
            block_postings: 16,
            ..IndexOptions::default()
        },
    );
    assert!(!all.iter().any(|f| f.path.starts_with(layout::TAIL_BLOCKS)));
    let w = skewed_word;
    let texts = [
        w(0),
        w(1),
        w(3),
        w(40),
        w(300),
        format!("{} {}", w(0), w(1)),
        format!("{} {}", w(2), w(30)),
        format!("{} {} {}", w(0), w(1), w(2)),
        format!("{} {}", w(5), &w(9)[..4]),
        w(0)[..3].to_string(),
    ];
    let filters = [
        Filters::default(),
        Filters {
            year: vec![2017],
            ..Filters::default()
        },
        Filters {
            kind: vec!["question".into()],
            dossier: vec!["36001".into(), "36003".into()],
            ..Filters::default()
        },
        Filters {
            date_from: Some(20180301),
            date_to: Some(20190615),
            ..Filters::default()
        },
    ];
    let (mut cases, mut saved) = (0, 0);
    for text in &texts {
        for filter in &filters {
            for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
                for page in [1, 2, 5] {
                    let query = Query {
                        text: text.clone(),
                        filters: filter.clone(),
                        sort,
                        page,
                        prefix: false,
                    };
                    let full = page_of(&all, &query);
                    let part = page_of(&tiered, &query);
                    assert_eq!(part.0, full.0, "page of {query:?}");
                    assert!(!full.2);
                    if !part.2 {
                        assert_eq!(part.1, full.1, "total of {query:?}");
                    }
                    cases += 1;
                    saved += usize::from(part.2 || part.3 == 0);
                }
            }
        }
    }
    // The proofs must spare blocks often, or tiering would only add files.
    assert!(
        saved * 3 > cases,
        "only {saved} of {cases} queries spared tail blocks"
    );
    let (_, total, estimated, blocks) = page_of(
        &tiered,
        &Query {
            text: w(0),
            ..Query::default()
        },
    );
    assert_eq!(blocks, 0, "one common word needs its head only");
    assert!(!estimated);
    assert!(total > 24, "the most common word is tiered");
}

#[test]
fn phrases_are_verified_against_the_whole_text_of_long_letters() {
    let filler = "Inleiding en context van deze brief. ".repeat(120);
    assert!(filler.len() > crate::search::build::MAX_TEXT_BYTES);
    let docs = vec![
        letter(
            0,
            "Brief",
            &format!("{filler} De persoonlijke bereikbaarheid van de minister."),
        ),
        letter(
            1,
            "Brief",
            &format!("{filler} Bereikbaarheid is persoonlijke zaak."),
        ),
        letter(2, "Brief", "Over de persoonlijke bereikbaarheid."),
    ];
    let files = build_index(&docs, Language::Dutch);
    assert!(rest_of(&files, 0).is_some_and(|rest| !rest.is_empty()));
    assert_eq!(
        rest_of(&files, 2).as_deref(),
        Some(""),
        "a short letter has no rest"
    );
    assert_eq!(
        sorted(search(&files, "\"persoonlijke bereikbaarheid\"")),
        vec!["L0", "L2"]
    );
    // Reversed, the phrase is in no letter: a long letter no longer gets the benefit of the doubt.
    assert!(search(&files, "\"bereikbaarheid persoonlijke\"").is_empty());
    assert_eq!(
        sorted(search(&files, "bereikbaarheid persoonlijke")),
        vec!["L0", "L1", "L2"]
    );
}

#[test]
fn compound_tails_find_the_compound() {
    let docs = vec![
        letter(0, "Brief", "Over de noodopvanglocaties in het noorden."),
        letter(1, "Brief", "Een opvanglocatie in het zuiden."),
        letter(2, "Brief", "De nood is hoog."),
    ];
    let files = build_index(&docs, Language::Dutch);
    assert_eq!(sorted(search(&files, "opvanglocatie")), vec!["L0", "L1"]);
    assert_eq!(sorted(search(&files, "locaties")), vec!["L0", "L1"]);
    assert_eq!(search(&files, "noodopvanglocatie"), vec!["L0"]);
    // The head is what a compound names; its first part alone does not find it.
    assert_eq!(search(&files, "nood"), vec!["L2"]);
    let mut searcher = Searcher::open(&files).expect("opens");
    let r = searcher
        .search(&Query {
            text: "opvanglocatie".into(),
            ..Query::default()
        })
        .expect("runs");
    let marked: Vec<&str> = r
        .hits
        .iter()
        .flat_map(|h| h.excerpt.iter().filter(|f| f.hit).map(|f| f.text.as_str()))
        .collect();
    assert!(marked.contains(&"noodopvanglocaties"), "{marked:?}");
}

#[test]
fn or_and_minus_work_like_web_search() {
    let docs = vec![
        letter(0, "Brief", "Over de opvang van asielzoekers."),
        letter(1, "Brief", "Over de toeslagen en de opvang."),
        letter(2, "Brief", "Over de toeslagen."),
        letter(3, "Brief", "Over iets anders."),
    ];
    let files = build_index(&docs, Language::Dutch);
    assert_eq!(
        sorted(search(&files, "asielzoekers OR toeslagen")),
        vec!["L0", "L1", "L2"]
    );
    assert_eq!(search(&files, "opvang -toeslagen"), vec!["L0"]);
    assert_eq!(
        search(&files, "opvang -toeslag"),
        vec!["L0"],
        "an excluded word is stemmed"
    );
    // Lower-case `or` is a word like any other (here a stop word), not the operator.
    assert!(search(&files, "asielzoekers or toeslagen").is_empty());
    let parsed = parse(
        "a-b opvang OR asiel -brief \"de opvang\"",
        Language::Dutch,
        false,
    );
    assert_eq!(parsed.words, vec!["a", "b", "opvang"]);
    assert_eq!(parsed.alternatives[2], vec!["asiel".to_string()]);
    assert_eq!(parsed.excluded, vec!["brief"]);
}
