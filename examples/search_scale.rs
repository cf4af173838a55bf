//! Measures the search index at scale: size, build time, peak memory, and the bytes a browser
//! downloads for typical first queries.
//!
//! ```text
//! cargo run --release --example gen_corpus -- 100000 /tmp/corpus100k
//! cargo run --release --example search_scale -- /tmp/corpus100k [--letter-blocks 16,32,64]
//! ```
//!
//! With `--letter-blocks`, the index is built again with each number of letters per block of
//! letter records, and the file counts and first queries are reported for each.
//!
//! The letters go through the real pipeline (load, link, render), so the documents, statuses
//! included, are the ones `postkamer build` indexes. A `site.toml` is written when missing.

use postkamer::search::layout;
use postkamer::search::oracle::{Filters, Query, Searcher, Sort};
use postkamer::search::{IndexFile, IndexOptions, Language, SearchDoc, build_index};
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1) else {
        eprintln!(
            "usage: search_scale <corpus dir written by the gen_corpus example> [--letter-blocks N,N,...]"
        );
        std::process::exit(2);
    };
    let letter_blocks: Vec<usize> = match args.get(2).map(String::as_str) {
        Some("--letter-blocks") => args
            .get(3)
            .map(|list| list.split(',').filter_map(|n| n.parse().ok()).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let docs = load(Path::new(&dir));
    println!("letters: {}", docs.len());
    let rss_before = status_kb("VmRSS");
    let (started, cpu_before) = (Instant::now(), cpu_seconds());
    let files = build_index(&docs, Language::Dutch);
    let elapsed = started.elapsed();
    let hwm = status_kb("VmHWM");
    println!(
        "build: {:.2} s wall, {:.2} s CPU (all threads)",
        elapsed.as_secs_f64(),
        cpu_seconds() - cpu_before
    );
    println!(
        "memory: RSS before build {} MB, peak {} MB, build added at most {} MB",
        rss_before / 1024,
        hwm / 1024,
        hwm.saturating_sub(rss_before) / 1024
    );
    report_sizes(&files);
    report_shards(&files);
    let script = script_bytes();
    println!(
        "search.js: {} bytes, {} gzipped (counted gzipped below)",
        script.0, script.1
    );
    run_queries(&docs, &files, layout::LETTER_BLOCK, script.1);
    for per_block in letter_blocks {
        let options = IndexOptions {
            letter_block: per_block,
            ..IndexOptions::default()
        };
        let files = postkamer::search::build_index_with(&docs, Language::Dutch, &options);
        println!("\n{per_block} letters per block:");
        report_sizes(&files);
        run_queries(&docs, &files, per_block, script.1);
    }
}

/// The first queries of a reader, each on a fresh page.
fn run_queries(docs: &[SearchDoc], files: &[IndexFile], per_block: usize, script: usize) {
    let dossier = docs.get(docs.len() / 2).map(|d| d.dossier.clone());
    let kind_year = Filters {
        kind: vec!["question".into()],
        year: vec![2024],
        ..Filters::default()
    };
    let year = Filters {
        year: vec![2024],
        ..Filters::default()
    };
    let in_dossier = Filters {
        dossier: dossier.into_iter().collect(),
        ..Filters::default()
    };
    let none = Filters::default;
    let (relevance, newest) = (Sort::Relevance, Sort::Newest);
    let queries = [
        ("one word", "asielaanvraag", none(), relevance),
        ("one common word", "minister", none(), relevance),
        ("common word, newest", "minister", none(), newest),
        ("common word, oldest", "minister", none(), Sort::Oldest),
        ("two words", "toeslag kinderopvang", none(), relevance),
        ("two common words", "commissie brief", none(), relevance),
        ("two common, newest", "commissie brief", none(), newest),
        ("prefix while typing", "ombuds", none(), relevance),
        ("word + kind + year", "ombudsman", kind_year, relevance),
        ("word + dossier", "opvang", in_dossier.clone(), relevance),
        ("common word + year", "minister", year, relevance),
        ("common word + dossier", "minister", in_dossier, relevance),
        (
            "phrase, every candidate",
            "\"nationale ombudsman\"",
            none(),
            relevance,
        ),
    ];
    for (label, text, filters, sort) in queries {
        // Only a query being typed reads its last word as a prefix, as in the browser.
        let prefix = label.contains("while typing");
        measure(files, per_block, label, text, filters, sort, prefix, script);
    }
}

#[allow(clippy::too_many_arguments)]
fn measure(
    files: &[IndexFile],
    per_block: usize,
    label: &str,
    text: &str,
    filters: Filters,
    sort: Sort,
    prefix: bool,
    script: usize,
) {
    let Ok(mut searcher) = Searcher::open(files) else {
        println!("{label}: index does not open");
        return;
    };
    let started = Instant::now();
    let query = Query {
        text: text.into(),
        filters,
        sort,
        page: 1,
        prefix,
    };
    let size: std::collections::HashMap<&str, usize> = files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.len()))
        .collect();
    let results = match searcher.search(&query) {
        Ok(results) => results,
        Err(e) => return println!("{label}: {e}"),
    };
    let letter_blocks: Vec<&str> = searcher
        .files_fetched()
        .filter(|p| p.starts_with(layout::DOCS))
        .collect();
    let letter_bytes: usize = letter_blocks.iter().map(|p| size[p]).sum();
    println!(
        "{label:24} {text:24} {}{:>6} results, {:>7} bytes fetched ({:>7} with script, {:>3} tail blocks, {:>2} letter blocks of {:>6} bytes), {:.0} ms",
        if results.approximate { "~" } else { " " },
        results.total,
        searcher.bytes_fetched(),
        searcher.bytes_fetched() + script,
        searcher
            .files_fetched()
            .filter(|p| p.starts_with(layout::TAIL_BLOCKS))
            .count(),
        letter_blocks.len(),
        letter_bytes,
        started.elapsed().as_secs_f64() * 1000.0
    );
    if label.starts_with("phrase") {
        browser_phrase(files, &searcher, &results, &size, per_block);
    }
}

/// What the browser fetches for a phrase: the evaluator checks every candidate's text; the
/// browser checks candidates in rank order, ten at a time (at most 60), until a page is full,
/// fetching the letter block of each and the block of rests of each long one.
fn browser_phrase(
    files: &[IndexFile],
    searcher: &Searcher,
    results: &postkamer::search::oracle::Results,
    size: &std::collections::HashMap<&str, usize>,
    per_block: usize,
) {
    use postkamer::search::codec::gunzip;
    let index: usize = searcher
        .files_fetched()
        .filter(|p| !p.starts_with(layout::DOCS) && !p.starts_with(layout::RESTS))
        .map(|p| size[p])
        .sum();
    let kept: std::collections::HashSet<u32> = results.ids.iter().copied().collect();
    let rests_of = |block: usize| -> Vec<String> {
        let path = layout::rests(block);
        let file = files.iter().find(|f| f.path == path);
        file.and_then(|f| gunzip(&f.bytes))
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    };
    let mut fetched = std::collections::BTreeSet::new();
    let (mut found, mut checked, mut batches) = (0, 0, 0);
    for batch in results.candidates.chunks(10).take(6) {
        if found >= 10 {
            break;
        }
        batches += 1;
        for &id in batch {
            let (block, place) = layout::block_of(id as usize, per_block);
            fetched.insert(layout::docs(block));
            if rests_of(block).get(place).is_some_and(|r| !r.is_empty()) {
                fetched.insert(layout::rests(block));
            }
            found += usize::from(kept.contains(&id));
            checked += 1;
        }
    }
    let letters: usize = fetched.iter().map(|p| size[p.as_str()]).sum();
    println!(
        "{:24} in the browser: index files {index} bytes, then {batches} batches ({checked} candidates): {} blocks, {letters} bytes",
        "",
        fetched.len()
    );
}

fn report_sizes(files: &[IndexFile]) {
    let sum = |prefix: &str| -> (usize, usize) {
        let selected: Vec<&IndexFile> = files
            .iter()
            .filter(|f| f.path.starts_with(prefix))
            .collect();
        (selected.len(), selected.iter().map(|f| f.bytes.len()).sum())
    };
    for (name, prefix) in [
        ("all", layout::DIR),
        ("shards", layout::SHARDS),
        ("tail blocks", layout::TAIL_BLOCKS),
        ("facets", layout::FACETS),
        ("letter blocks", layout::DOCS),
        ("rest blocks", layout::RESTS),
        ("references", layout::REFS),
        ("root", layout::ROOT),
        ("dates", layout::DATES),
    ] {
        let (n, bytes) = sum(prefix);
        println!("{name:13} {n:>7} files {:>10.1} KB", bytes as f64 / 1024.0);
    }
}

/// Words, keys and posting bytes in the shards; keys shared by words of two shards are
/// stored in both, which the "duplicated" figure measures.
fn report_shards(files: &[IndexFile]) {
    use postkamer::search::codec::gunzip;
    use postkamer::search::shard::decode_shard;
    let (mut words, mut keys, mut blob_bytes, mut raw) = (0usize, 0usize, 0usize, 0usize);
    let mut seen = std::collections::HashSet::new();
    let (mut unique_bytes, mut largest, mut largest_shard) = (0usize, 0usize, 0usize);
    for f in files.iter().filter(|f| f.path.starts_with(layout::SHARDS)) {
        let Some(bytes) = gunzip(&f.bytes) else {
            continue;
        };
        raw += bytes.len();
        largest_shard = largest_shard.max(f.bytes.len());
        let Some(shard) = decode_shard(&bytes) else {
            continue;
        };
        words += shard.words.len();
        keys += shard.keys.len();
        for k in &shard.keys {
            blob_bytes += k.len();
            largest = largest.max(k.len());
            if seen.insert(k.clone()) {
                unique_bytes += k.len();
            }
        }
    }
    println!(
        "shards: {words} words, {keys} keys, {:.1} MB before gzip, postings {:.1} MB of which {:.1} MB duplicated",
        raw as f64 / 1e6,
        blob_bytes as f64 / 1e6,
        (blob_bytes - unique_bytes) as f64 / 1e6
    );
    println!(
        "largest key entry (a head when tiered) {largest} bytes before gzip, largest shard {largest_shard} bytes gzipped"
    );
}

/// Raw and gzipped size of the client script, when the example runs from the repository.
fn script_bytes() -> (usize, usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let raw = std::fs::read(path).unwrap_or_default();
    let gz = postkamer::search::codec::gzip(&raw, 9);
    (raw.len(), gz.len())
}

/// User plus system CPU time of this process so far, from `/proc/self/stat` (clock ticks
/// assumed to be 100 per second, as on Linux x86-64).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// A value from `/proc/self/status` in kB (0 where unavailable).
fn status_kb(key: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
/// The search documents of a site folder, through the real pipeline.
fn load(dir: &Path) -> Vec<SearchDoc> {
    if !dir.join("site.toml").is_file() {
        let toml = "title = \"Search benchmark\"\n[archive]\nchamber = \"I\"\n";
        std::fs::write(dir.join("site.toml"), toml).expect("write site.toml");
    }
    let options = postkamer::BuildOptions {
        root: dir.to_path_buf(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 28),
        ..postkamer::BuildOptions::default()
    };
    let (site, _) = postkamer::site::load_site(&options).expect("the corpus loads");
    let renderer = postkamer::render::Renderer::new(&site.archive, &site.config, &site.theme)
        .expect("the theme compiles");
    renderer.search_docs()
}
