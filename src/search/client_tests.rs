//! The browser client (`search.js`) must answer exactly like the Rust evaluator: these tests
//! run it under Node (`tests/search-client.cjs`) on a built index and compare. Skipped, with a
//! notice, where `node` is not installed.

use super::layout;
use super::oracle::{Filters, Query, Searcher, Sort};
use super::stem::variants;
use super::tokenize::terms;
use super::{
    IndexFile, IndexOptions, Language, SearchDoc, SearchParty, build_index, build_index_with,
};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

fn party(slug: &str, name: &str) -> SearchParty {
    SearchParty {
        slug: slug.into(),
        name: name.into(),
        url: format!("correspondents/{slug}/"),
    }
}

const TEXTS: &[&str] = &[
    "De Nationale ombudsman heeft brieven gestuurd over de toeslagen.",
    "Vragen over de coördinatie van de opvang in gemeenten en noodopvanglocaties.",
    "Het kabinet antwoordt op de vraag over huizen en dagen.",
    "Een brief over de toeslag, de Kinderombudsman en het huis.",
    "De minister van Asiel en Migratie schrijft over de asielketen.",
    "Coordinatie tussen gemeente en rijk; ΟΔΟΣ en שלום עולם.",
    "De commissie vraagt binnen vier weken na dagtekening een reactie.",
    "Ombudsmannen en ombudsvrouwen: een verslag van de dagen in Den Haag.",
];

fn corpus() -> Vec<SearchDoc> {
    // Filler that pushes the text after it beyond the letter file's kept text.
    let long = "Een lange inleiding zonder belang, woord na woord. ".repeat(60);
    (0..48)
        .map(|n| {
            let year = 2019 + (n % 6) as i32;
            let month = 1 + (n * 7 % 12) as i32;
            SearchDoc {
                url: format!("dossiers/{}/{}/", 36500 + n % 4, n),
                title: format!(
                    "{} {}",
                    ["Brief", "Vragen over toeslagen", "Antwoord", "Verslag"][n % 4],
                    n
                ),
                dossier: if n % 4 == 3 {
                    "31700 VI".into()
                } else {
                    format!("{}", 36500 + n % 4)
                },
                letter: format!("L{n}"),
                date: format!("{year}-{month:02}-01"),
                date_display: format!("1-{month}-{year}"),
                sort_date: year * 10000 + month * 100 + 1,
                year,
                from: vec![party(&format!("p{}", n % 3), "Commissie")],
                to: vec![party(&format!("q{}", n % 5), "Minister")],
                kind: ["letter", "question", "answer"][n % 3].into(),
                tags: vec![party(&format!("t{}", n % 2), "Onderwerp")],
                status: [Some("answered"), Some("awaiting"), Some("overdue"), None][n % 4]
                    .map(String::from),
                reply: Default::default(),
                // Every fifth letter is long: its phrases are verified in the rest of its text.
                text: format!(
                    "{} {}{}",
                    TEXTS[n % TEXTS.len()],
                    if n % 5 == 0 { long.as_str() } else { "" },
                    TEXTS[(n * 3 + 1) % TEXTS.len()]
                ),
                kenmerk: Some(format!("{}.01U", 180000 + n)),
            }
        })
        .collect()
}

/// Queries as (URL-level state for search.js, the same for the Rust evaluator).
fn queries() -> Vec<(Value, Query)> {
    let texts = [
        "ombudsman",
        "brieven",
        "brief",
        "toeslag",
        "huizen",
        "dagen",
        "coordinatie",
        "coördinatie",
        "ombuds",
        "ombudsman toeslagen",
        "\"nationale ombudsman\"",
        "\"asiel en migratie\"",
        "de",
        "",
        "οδος",
        "שלום",
        "gemeente",
        "vraag reactie",
        "kinderombudsman",
        "\"brief\"",
        "\"nationale ombu",
        "niets hiervan",
        "vier weken",
        "\"migratie en asiel\"",
        "opvanglocatie",
        "locaties gemeenten",
        "ombudsman OR toeslagen",
        "brief -toeslag",
        "gemeente OR coordinatie OR huizen -ombudsman",
        "-brief",
        "dagen or weken",
        "vier -\"nationale ombudsman\"",
        "\"vraagt binnen vier\"",
    ];
    let mut out = Vec::new();
    for text in texts {
        for (sort, name) in [
            (Sort::Relevance, "relevance"),
            (Sort::Newest, "newest"),
            (Sort::Oldest, "oldest"),
        ] {
            out.push((
                state(text, json!({}), name, 1),
                query(text, Filters::default(), sort, 1),
            ));
        }
    }
    let filtered = Filters {
        dossier: vec!["31700 VI".into(), "36501".into()],
        kind: vec!["question".into()],
        ..Filters::default()
    };
    out.push((
        state(
            "ombudsman",
            json!({"dossier": ["31700 VI", "36501"], "kind": ["question"]}),
            "relevance",
            1,
        ),
        query("ombudsman", filtered.clone(), Sort::Relevance, 1),
    ));
    out.push((
        state(
            "",
            json!({"dossier": ["31700 VI", "36501"], "kind": ["question"]}),
            "oldest",
            1,
        ),
        query("", filtered, Sort::Oldest, 1),
    ));
    let dated = Filters {
        year: vec![2020, 2021],
        date_from: Some(20200601),
        status: vec!["none".into(), "overdue".into()],
        sender: vec!["p1".into()],
        ..Filters::default()
    };
    out.push((
        state(
            "",
            json!({"year": [2020, 2021], "dateFrom": 20200601, "status": ["none", "overdue"], "sender": ["p1"]}),
            "newest",
            1,
        ),
        query("", dated, Sort::Newest, 1),
    ));
    // References (ids, kenmerken, citations, names) and prefixes asked for.
    for text in [
        "36501 L1",
        "kst-36502-L6",
        "Kamerstukken I 2025/26, 36500, L4",
        "180007.01U",
        "commissie",
        "brief van de Minister",
    ] {
        out.push((
            state(text, json!({}), "relevance", 1),
            query(text, Filters::default(), Sort::Relevance, 1),
        ));
    }
    for text in ["ombuds", "brief", "\"nationale ombu", "kinder"] {
        let mut s = state(text, json!({}), "relevance", 1);
        s["prefix"] = json!(true);
        let mut q = query(text, Filters::default(), Sort::Relevance, 1);
        q.prefix = true;
        out.push((s, q));
    }
    for page in 2..=4 {
        out.push((
            state("brief", json!({}), "relevance", page),
            query("brief", Filters::default(), Sort::Relevance, page),
        ));
    }
    let years = Filters {
        year: vec![2020],
        ..Filters::default()
    };
    for (sort, name) in [(Sort::Relevance, "relevance"), (Sort::Newest, "newest")] {
        out.push((
            state("ombudsman de brief", json!({"year": [2020]}), name, 1),
            query("ombudsman de brief", years.clone(), sort, 1),
        ));
    }
    out
}

fn state(q: &str, filters: Value, sort: &str, page: usize) -> Value {
    let mut f = json!({
        "dossier": [], "sender": [], "recipient": [], "tag": [], "kind": [], "status": [],
        "year": [], "dateFrom": null, "dateTo": null
    });
    if let (Some(f), Some(given)) = (f.as_object_mut(), filters.as_object()) {
        for (k, v) in given {
            f.insert(k.clone(), v.clone());
        }
    }
    json!({"q": q, "filters": f, "sort": sort, "page": page})
}

fn query(text: &str, filters: Filters, sort: Sort, page: usize) -> Query {
    Query {
        text: text.into(),
        filters,
        sort,
        page,
        prefix: false,
    }
}

fn write_site(files: &[IndexFile], dir: &Path) {
    for f in files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(path, &f.bytes).expect("write index file");
    }
}

/// Runs the client on `checks`; `None` when Node is not available.
fn run_client(dir: &Path, checks: &[Value]) -> Option<Vec<Value>> {
    let list = dir.join("checks.json");
    std::fs::write(&list, serde_json::to_vec(checks).expect("json")).expect("write checks");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search-client.cjs");
    let output = match Command::new("node")
        .arg(script)
        .arg(dir)
        .arg(&list)
        .output()
    {
        Ok(output) => output,
        Err(_) => {
            eprintln!("node not found: search.js not checked against the Rust evaluator");
            return None;
        }
    };
    assert!(
        output.status.success(),
        "search.js failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    Some(
        stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect(),
    )
}

#[test]
fn the_client_answers_like_the_rust_evaluator() {
    answers_match(&build_index(&corpus(), Language::Dutch));
}

/// Tiny tiers: most keys of the fixture get a head of three postings and blocks of three, so
/// the client's tier logic (proofs, block fetching, estimated counts) is compared too; letter
/// records and rests come in blocks of five, so a page spans several.
#[test]
fn the_client_answers_like_the_rust_evaluator_on_tiered_keys() {
    let options = IndexOptions {
        tier_threshold: 4,
        head_postings: 3,
        block_postings: 3,
        letter_block: 5,
    };
    let files = build_index_with(&corpus(), Language::Dutch, &options);
    assert!(
        files
            .iter()
            .any(|f| f.path.starts_with(layout::TAIL_BLOCKS)),
        "no tiered key"
    );
    answers_match(&files);
}

fn answers_match(files: &[IndexFile]) {
    let dir = tempfile::tempdir().expect("temp dir");
    write_site(files, dir.path());
    let cases = queries();
    let states: Vec<Value> = cases.iter().map(|c| c.0.clone()).collect();
    let Some(answers) = run_client(dir.path(), &states) else {
        return;
    };
    assert_eq!(answers.len(), cases.len());
    let mut pinned_cases = 0;
    for ((state, query), answer) in cases.iter().zip(&answers) {
        let mut searcher = Searcher::open(files).expect("opens");
        let expected = searcher.search(query).expect("runs");
        assert_eq!(
            answer["about"],
            json!(expected.approximate),
            "estimate of {state}"
        );
        if answer["atMost"] == json!(true) {
            // Phrase candidates not yet checked: the client shows an upper bound.
            let total = answer["total"].as_u64().unwrap_or(0) as usize;
            assert!(total >= expected.total, "bound of {state}");
        } else {
            assert_eq!(answer["total"], json!(expected.total), "total of {state}");
        }
        let hits: Vec<Value> = expected
            .hits
            .iter()
            .map(|h| {
                let excerpt: Vec<Value> =
                    h.excerpt.iter().map(|f| json!([f.text, f.hit])).collect();
                json!({"id": h.id, "url": h.url, "excerpt": excerpt})
            })
            .collect();
        assert_eq!(answer["hits"], json!(hits), "hits of {state}");
        let pinned: Vec<Value> = expected
            .pinned
            .iter()
            .map(|p| json!({"id": p.id, "url": p.url, "title": p.title}))
            .collect();
        assert_eq!(answer["pinned"], json!(pinned), "pinned of {state}");
        pinned_cases += usize::from(!pinned.is_empty());
    }
    // Six reference queries above name a letter or a correspondent; `brief van de Minister`
    // and `commissie` also the correspondents of many letters.
    assert!(
        pinned_cases >= 6,
        "only {pinned_cases} queries pinned anything"
    );
}

/// A dossier id that escapes past a file name's 255 bytes (90 capitals and `Ö`s) has a
/// filter file under a cut, hashed name; the client must name it exactly as the index does.
#[test]
fn the_client_finds_the_filter_file_of_a_long_dossier_id() {
    let long = format!("{}{}", "KAMERSTUK".repeat(10), "Ö".repeat(20));
    let mut docs = corpus();
    docs[47].dossier = long.clone();
    let files = build_index(&docs, Language::Dutch);
    let name = super::codec::escape_value(&long);
    assert!(
        files
            .iter()
            .any(|f| f.path == format!("search/f/dossier/{name}.bin")),
        "no filter file {name}"
    );
    let filters = Filters {
        dossier: vec![long.clone()],
        ..Filters::default()
    };
    let expected = Searcher::open(&files)
        .expect("opens")
        .search(&query("", filters, Sort::Newest, 1))
        .expect("runs");
    assert_eq!(expected.total, 1, "the Rust evaluator missed the letter");
    let dir = tempfile::tempdir().expect("temp dir");
    write_site(&files, dir.path());
    let state = state("", json!({ "dossier": [long] }), "newest", 1);
    let Some(answers) = run_client(dir.path(), &[state]) else {
        return;
    };
    assert_eq!(answers[0]["total"], json!(1), "search.js missed the letter");
    assert_eq!(answers[0]["hits"][0]["url"], json!(expected.hits[0].url));
}

#[test]
fn the_client_folds_and_varies_words_like_rust() {
    let samples = [
        "Coördinatie van de IJsselmeer-ĳs",
        "ﬁnanciën café naïef",
        "ΟΔΟΣ Σίσυφος",
        "שָׁלוֹם עולם",
        "e-mail's 2025/26 36521",
        "🙂 emoji 👩‍👩‍👧 ok",
        "Straße İstanbul",
        "coo\u{0308}rdinatie",
        "½ ⅓ x²",
        "日本語のテキスト",
        "١٢٣ مرحبا",
    ];
    let words = [
        "brieven",
        "huizen",
        "vragen",
        "dagen",
        "toeslag",
        "uren",
        "mogelijkheden",
        "kinderen",
        "replies",
    ];
    let mut checks: Vec<Value> = samples.iter().map(|s| json!({"tokens": s})).collect();
    checks.extend(
        words
            .iter()
            .map(|w| json!({"variants": w, "language": "nl"})),
    );
    checks.push(json!({"variants": "replies", "language": "en"}));
    let dir = tempfile::tempdir().expect("temp dir");
    write_site(&build_index(&[], Language::Dutch), dir.path());
    let Some(answers) = run_client(dir.path(), &checks) else {
        return;
    };
    for (sample, answer) in samples.iter().zip(&answers) {
        assert_eq!(answer["terms"], json!(terms(sample)), "tokens of {sample}");
    }
    for (word, answer) in words.iter().zip(&answers[samples.len()..]) {
        assert_eq!(
            answer["terms"],
            json!(variants(Language::Dutch, word)),
            "variants of {word}"
        );
    }
    assert_eq!(
        answers[samples.len() + words.len()]["terms"],
        json!(variants(Language::English, "replies"))
    );
}

/// `search.js` names every index file as [`layout`] does: the client spells the paths once (its
/// `paths` block), and this holds that spelling to the writer's.
#[test]
fn the_client_names_the_index_files_like_the_layout() {
    let (n, shard, key, tier, block, id) = (7, 3, 12, 2, 5, 12_345);
    let (facet, value) = ("dossier", "31700 VI/ë");
    let check = json!({"paths": {
        "n": n, "shard": shard, "key": key, "tier": tier, "block": block,
        "id": id, "perBlock": layout::LETTER_BLOCK, "facet": facet, "value": value,
    }});
    let dir = tempfile::tempdir().expect("temp dir");
    write_site(&build_index(&[], Language::Dutch), dir.path());
    let Some(answers) = run_client(dir.path(), &[check]) else {
        return;
    };
    let expected = [
        layout::ROOT.to_string(),
        layout::DATES.to_string(),
        layout::shard(n),
        layout::tail_block(shard, key, tier, block),
        layout::docs(block),
        layout::rests(block),
        layout::facet(facet, value),
        layout::bucket(n),
        {
            let (block, place) = layout::block_of(id, layout::LETTER_BLOCK);
            format!("{block}/{place}")
        },
    ];
    assert_eq!(answers[0]["paths"], json!(expected));
}

/// Renders the search form partial with Tera 2 and every UI string (Tera 2 fails on an
/// undefined key, so this also proves the key list complete).
fn render_form(language: usize, base: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes/default/templates/partials/search-form.html");
    let source = std::fs::read_to_string(path).expect("partial exists");
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_template("partials/search-form.html", &source)
        .expect("partial parses");
    let file = if language == 0 { "nl.toml" } else { "en.toml" };
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/i18n")
            .join(file),
    )
    .expect("translation file");
    let t = crate::render::i18n::Translations::parse(&text)
        .expect("translations parse")
        .strings;
    let mut context = tera::Context::new();
    context.insert("base_path", base);
    context.insert("t", &t);
    context.insert(
        "filters",
        &json!({
            "dossiers": [{"id": "36521", "title": "Jaarverslag <Nationale> ombudsman"}, {"id": "31700 VI", "title": "Justitie"}],
            "correspondents": [{"slug": "lagas", "name": "I.M. Lagas"}],
            "tags": [{"slug": "asielketen", "name": "Asielketen"}],
            "years": [2024, 2025],
            "kinds": ["letter", "question", "answer", "postponement", "reminder", "report", "memo"],
        }),
    );
    tera.render("partials/search-form.html", &context)
        .expect("partial renders")
}

#[test]
fn the_search_form_renders_in_both_languages() {
    for language in 0..2 {
        let html = render_form(language, "/archief/");
        assert!(html.contains(r#"action="/archief/search/""#), "{html}");
        assert!(html.contains(r#"data-base="/archief/""#));
        assert!(html.contains(r#"href="/archief/dossiers/""#));
        assert!(html.contains(r#"href="/archief/correspondents/""#));
        assert!(html.contains(r#"href="/archief/years/""#));
        assert!(html.contains(r#"value="31700 VI""#));
        assert!(html.contains("&lt;Nationale&gt;"), "titles are escaped");
        assert!(html.contains(r#"aria-live="polite""#));
        assert!(html.contains(">memo<"), "an unknown kind shows as itself");
    }
    assert!(render_form(0, "/").contains("Soort brief"));
    assert!(render_form(1, "/").contains("Kind of letter"));
}
