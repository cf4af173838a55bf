//! Checks that output built from hostile input is inert: nothing runs, nothing restyles
//! the page, no id repeats, no spreadsheet formula. Shared by the hostile corpus and the
//! property tests.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use scraper::Html;

use super::{files, select};

/// The general checks, on everything a build wrote: pages, feeds (and sitemaps), exports.
pub fn check_output(public: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for rel in files(public) {
        let check: fn(&str) -> Vec<String> = match rel.extension().and_then(|e| e.to_str()) {
            Some("html") => page_problems,
            Some("xml") => feed_problems,
            Some("csv") => csv_problems,
            _ => continue,
        };
        let text = fs::read_to_string(public.join(&rel)).expect("read output");
        let name = rel.display();
        problems.extend(check(&text).into_iter().map(|p| format!("{name}: {p}")));
    }
    problems
}

/// What a page must not have: anything that runs, any inline style, a repeated id.
pub fn page_problems(text: &str) -> Vec<String> {
    let doc = Html::parse_document(text);
    let mut problems = inert_problems(&doc);
    let mut ids = HashSet::new();
    for el in select(&doc, "[id]") {
        let id = el.value().attr("id").unwrap_or_default();
        if !ids.insert(id) {
            problems.push(format!("id {id:?} twice"));
        }
    }
    problems
}

/// Event handlers, `style`, inline or foreign elements that run or restyle, and
/// `javascript:`-like URLs: none may be in `doc`.
pub fn inert_problems(doc: &Html) -> Vec<String> {
    let mut problems = Vec::new();
    for el in select(doc, "*") {
        let tag = el.value().name();
        if matches!(
            tag,
            "style" | "iframe" | "object" | "embed" | "frame" | "base"
        ) {
            problems.push(format!("<{tag}> element"));
        }
        if tag == "script" && el.value().attr("src").is_none() {
            // A JSON-LD block is data the browser does not run: allowed when it is all JSON
            // (content that closed the element early would leave it cut short).
            let data = el.value().attr("type") == Some("application/ld+json")
                && serde_json::from_str::<serde_json::Value>(&el.text().collect::<String>())
                    .is_ok();
            if !data {
                problems.push("inline <script>".into());
            }
        }
        for (attr, value) in el.value().attrs() {
            let lower = value.trim_start().to_ascii_lowercase();
            if attr.starts_with("on") || attr == "style" || attr == "srcdoc" {
                problems.push(format!("<{tag} {attr}={value:?}>"));
            }
            if ["javascript:", "vbscript:", "data:text/html"]
                .iter()
                .any(|s| lower.starts_with(s))
            {
                problems.push(format!("<{tag} {attr}={value:?}>"));
            }
        }
    }
    problems
}

/// Feeds carry HTML in elements marked `type="html"` (a letter's `<content>`): unescaped
/// and parsed, it must be inert too. Plain-text elements (`<summary>`) are text to a reader.
pub fn feed_problems(text: &str) -> Vec<String> {
    const OPEN: &str = " type=\"html\">";
    let mut problems = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let end = after.find("</").unwrap_or(after.len());
        if after[..end].contains('<') {
            problems.push("unescaped markup in a feed".into());
        }
        problems.extend(inert_problems(&Html::parse_fragment(&unescape_xml(
            &after[..end],
        ))));
        rest = &after[end..];
    }
    problems
}

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

pub fn csv_cells(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .flat_map(|r| {
            r.expect("valid CSV")
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A cell a spreadsheet would run as a formula (a plain number such as `-3` is a number).
pub fn is_formula(cell: &str) -> bool {
    let starts =
        cell.starts_with(['\t', '\r']) || cell.trim_start().starts_with(['=', '+', '-', '@']);
    starts && cell.parse::<f64>().is_err()
}

pub fn csv_problems(text: &str) -> Vec<String> {
    csv_cells(text)
        .into_iter()
        .filter(|c| is_formula(c))
        .map(|c| format!("formula cell {c:?}"))
        .collect()
}
