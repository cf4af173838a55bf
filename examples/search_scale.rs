//! Measures the search index at scale: size, build time, peak memory, and the bytes a browser
//! downloads for typical first queries.
//!
//! ```text
//! python3 /work/shared/bench/gen_corpus.py 100000 --out /tmp/corpus100k
//! cargo run --release --example search_scale -- /tmp/corpus100k
//! ```
//!
//! With `--site DIR` it also writes a demo site under the sub-path `/archief/` (index files,
//! `search.js`, `search.css` and a bare `search/index.html` around the form partial), to try
//! the client in a browser: `python3 -m http.server -d DIR`, then open
//! `http://localhost:8000/archief/search/?q=ombudsman`.
//!
//! The corpus is the generator's `content/<dossier>/<letter>.md` files; only the front matter
//! keys the index needs are read, with a line-based reader good enough for that output. The
//! generator has no reply status, so one is derived from the letter id (a quarter each of
//! answered, awaiting, overdue and none).

use postkamer::search::query::{Filters, Query, Searcher, Sort};
use postkamer::search::{IndexFile, Language, SearchDoc, SearchParty, build_index};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1) else {
        eprintln!("usage: search_scale <corpus dir written by gen_corpus.py> [--site DIR]");
        std::process::exit(2);
    };
    let site = args
        .iter()
        .position(|a| a == "--site")
        .and_then(|i| args.get(i + 1));
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
    let dossier = docs.get(docs.len() / 2).map(|d| d.dossier.clone());
    let queries = [
        ("one word", "asielaanvraag", Filters::default()),
        ("one common word", "minister", Filters::default()),
        ("two words", "toeslag kinderopvang", Filters::default()),
        ("two common words", "commissie brief", Filters::default()),
        ("prefix while typing", "ombuds", Filters::default()),
        (
            "word + kind + year",
            "ombudsman",
            Filters {
                kind: vec!["question".into()],
                year: vec![2024],
                ..Filters::default()
            },
        ),
        (
            "word + dossier",
            "opvang",
            Filters {
                dossier: dossier.into_iter().collect(),
                ..Filters::default()
            },
        ),
        ("phrase", "\"nationale ombudsman\"", Filters::default()),
    ];
    for (label, text, filters) in queries {
        measure(&files, label, text, filters, script.1);
    }
    if let Some(site) = site
        && let Err(e) = write_demo_site(Path::new(site), &files, &docs)
    {
        eprintln!("demo site not written: {e}");
    }
}

/// Writes the index and a bare search page under `<dir>/archief/`.
fn write_demo_site(dir: &Path, files: &[IndexFile], docs: &[SearchDoc]) -> std::io::Result<()> {
    let root = dir.join("archief");
    for f in files {
        let path = root.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &f.bytes)?;
    }
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for name in ["search.js", "search.css"] {
        std::fs::copy(theme.join("static").join(name), root.join(name))?;
    }
    let partial = std::fs::read_to_string(theme.join("templates/partials/search-form.html"))?;
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html"]);
    let to_io = |e: tera::Error| std::io::Error::other(e.to_string());
    tera.add_raw_template("form.html", &partial)
        .map_err(to_io)?;
    let t: serde_json::Map<String, serde_json::Value> = postkamer::search::strings::UI_STRINGS
        .iter()
        .map(|s| (s.0.to_string(), serde_json::Value::from(s.1)))
        .collect();
    let mut dossiers: Vec<&str> = docs.iter().map(|d| d.dossier.as_str()).collect();
    dossiers.sort_unstable();
    dossiers.dedup();
    let mut years: Vec<i32> = docs.iter().map(|d| d.year).collect();
    years.sort_unstable();
    years.dedup();
    let mut context = tera::Context::new();
    context.insert("base_path", "/archief/");
    context.insert("t", &t);
    context.insert(
        "filters",
        &serde_json::json!({
            "dossiers": dossiers.iter().map(|d| serde_json::json!({"id": d, "title": "Dossier"})).collect::<Vec<_>>(),
            "correspondents": [],
            "tags": [],
            "years": years,
            "kinds": ["letter", "question", "answer", "report"],
        }),
    );
    let form = tera.render("form.html", &context).map_err(to_io)?;
    let page = format!(
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Zoeken</title></head><body><main><h1>Zoeken</h1>{form}</main></body></html>"
    );
    std::fs::create_dir_all(root.join("search"))?;
    std::fs::write(root.join("search/index.html"), page)
}

fn measure(files: &[IndexFile], label: &str, text: &str, filters: Filters, script: usize) {
    let Ok(mut searcher) = Searcher::open(files) else {
        println!("{label}: index does not open");
        return;
    };
    let started = Instant::now();
    let query = Query {
        text: text.into(),
        filters,
        sort: Sort::Relevance,
        page: 1,
    };
    match searcher.search(&query) {
        Ok(results) => println!(
            "{label:22} {text:24} {:>6} results, {:>7} bytes fetched ({:>7} with script), {:.0} ms",
            results.total,
            searcher.bytes_fetched(),
            searcher.bytes_fetched() + script,
            started.elapsed().as_secs_f64() * 1000.0
        ),
        Err(e) => println!("{label}: {e}"),
    }
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
        ("all", "search/"),
        ("shards", "search/t/"),
        ("facets", "search/f/"),
        ("letter files", "search/d/"),
        ("root", "search/index.bin"),
        ("dates", "search/dates.bin"),
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
    let mut unique_bytes = 0usize;
    for f in files.iter().filter(|f| f.path.starts_with("search/t/")) {
        let Some(bytes) = gunzip(&f.bytes) else {
            continue;
        };
        raw += bytes.len();
        let Some(shard) = decode_shard(&bytes) else {
            continue;
        };
        words += shard.words.len();
        keys += shard.keys.len();
        for k in &shard.keys {
            blob_bytes += k.len();
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

fn load(dir: &Path) -> Vec<SearchDoc> {
    let mut paths = Vec::new();
    collect_markdown(&dir.join("content"), &mut paths);
    paths.sort();
    paths
        .iter()
        .enumerate()
        .filter_map(|(n, p)| {
            let text = std::fs::read_to_string(p).ok()?;
            parse_letter(&text, n)
        })
        .collect()
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_markdown(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

fn parse_letter(source: &str, n: usize) -> Option<SearchDoc> {
    let rest = source.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    let (front, body) = (&rest[..end], &rest[end + 5..]);
    let field = |key: &str| -> String {
        front
            .lines()
            .find_map(|l| l.strip_prefix(key).and_then(|v| v.strip_prefix(':')))
            .map(|v| v.trim().trim_matches('"').to_string())
            .unwrap_or_default()
    };
    let date = field("date");
    let mut parts = date.split('-').map(|p| p.parse::<i32>().unwrap_or(1));
    let (year, month, day) = (
        parts.next().unwrap_or(1900),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    let dossier = field("dossier");
    let letter = field("letter");
    Some(SearchDoc {
        url: format!("dossiers/{}/{}/", dossier, letter.to_lowercase()),
        title: field("title"),
        dossier,
        letter,
        date_display: date.clone(),
        date,
        sort_date: year * 10000 + month * 100 + day,
        year,
        from: party(&field("from")),
        to: party(&field("to")),
        kind: field("kind"),
        tags: field("tags")
            .trim_matches(['[', ']'])
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| SearchParty {
                slug: t.into(),
                name: t.into(),
            })
            .collect(),
        status: match n % 4 {
            0 => Some("answered"),
            1 => Some("awaiting"),
            2 => Some("overdue"),
            _ => None,
        }
        .map(String::from),
        text: body.replace(['#', '*'], ""),
    })
}

/// `{ name: "…", role: "…" }` → one party named by `name`, slugged.
fn party(value: &str) -> Vec<SearchParty> {
    let name = value
        .split("name: \"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap_or(value)
        .to_string();
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    vec![SearchParty { slug, name }]
}
