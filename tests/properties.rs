//! Property tests (issue 9, "prove it"): Markdown and front matter built from hostile
//! pieces never panic, give well-formed HTML, and let nothing executable through.
//! `PROPTEST_CASES` raises the number of cases (CI runs the defaults below).

mod common;

use postkamer::archive::reference::Target;
use postkamer::letter::parse_letter;
use postkamer::render::markdown::{
    CONTENT_ID_PREFIX, CitationResolver, FootnoteLabels, THEME_ID_PREFIXES, render_markdown,
    sanitise,
};
use proptest::prelude::*;
use scraper::Html;

use common::Fixture;
use common::inert::{check_output, inert_problems};

/// Pieces an attacker would try, mixed with arbitrary text by the strategies below.
const HOSTILE: &[&str] = &[
    "## Kop {autofocus tabindex=0 onfocus=alert(document.domain)}\n",
    "# T {#pk-main .skip-link style=color:red}\n",
    "### x {#search-q onclick=\"alert(1)\"}\n",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><style>body{display:none}</style></svg>",
    "<a href=\"javascript:alert(1)\">a</a>",
    "<a href=\" JaVaScRiPt:alert(1)\">a</a>",
    "<a href=\"java&#x09;script:alert(1)\">a</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">a</a>",
    "[x](javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "![x](javascript:alert(1))",
    "<td style=\"position:fixed;top:0;left:0;width:100vw;height:100vh\">x</td>",
    "<p style=\"background:url(https://evil.example/t.png)\" class=\"skip-link\">p</p>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<object data=x></object><embed src=x>",
    "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(2)\">b</button></form>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<div id=\"pk-main\" tabindex=\"0\" role=\"dialog\">d</div>",
    "| a | b |\n|:-|-:|\n| 1 | 2 |\n",
    "Tekst.[^1]\n\n[^1]: Noot <b onmouseover=alert(1)>b</b>.\n",
    "Kamerstukken I 2025/26, 36521, C",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```\n",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "\u{202e}gnp.exe",
    "\0",
];

fn labels() -> FootnoteLabels<'static> {
    FootnoteLabels {
        heading: "Voetnoten",
        back: "Terug",
        table: "Tabel",
    }
}

/// Markdown: hostile pieces and arbitrary text in any order and mix.
fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(HOSTILE).prop_map(str::to_string),
        1 => "\\PC{0,40}",
        1 => "[#*_`<>\\[\\](){}|:=\"'!\\-\\n ]{0,20}",
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.join("\n"))
}

/// Problems of a rendered body: parse errors, anything executable, a theme id taken.
fn body_problems(html: &str) -> Vec<String> {
    let fragment = Html::parse_fragment(html);
    let mut problems: Vec<String> = fragment
        .errors
        .iter()
        .map(|e| format!("parse error: {e}"))
        .collect();
    problems.extend(inert_problems(&fragment));
    for el in common::select(&fragment, "[id]") {
        let id = el
            .value()
            .attr("id")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if THEME_ID_PREFIXES.iter().any(|p| id.starts_with(p)) {
            problems.push(format!(
                "id {id:?} takes a theme id (no {CONTENT_ID_PREFIX} prefix)"
            ));
        }
    }
    for el in common::select(&fragment, "[class]") {
        let class = el.value().attr("class").unwrap_or_default();
        if class.contains("skip-link") || class.contains("visually-hidden") {
            problems.push(format!("theme class {class:?}"));
        }
    }
    problems
}

/// Knows letter C of dossier 36521; every other citation links to its official publication.
struct OneLetter;

impl CitationResolver for OneLetter {
    fn resolve(&self, target: &Target) -> Option<String> {
        matches!(target, Target::Citation { dossier, letter } if dossier == "36521" && letter == "C")
            .then(|| "dossiers/36521/c/".to_string())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn markdown_renders_to_inert_well_formed_html(source in markdown()) {
        let body = render_markdown(&source, "/", &OneLetter, &labels());
        let problems = body_problems(&body.html);
        prop_assert!(problems.is_empty(), "{problems:?}\nsource: {source:?}\nhtml: {}", body.html);
        // Nothing is left for the sanitiser to remove: a second pass changes nothing.
        prop_assert_eq!(sanitise(&body.html), body.html.clone());
    }

    #[test]
    fn arbitrary_bytes_as_a_letter_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut file = b"---\ndossier: \"1\"\n".to_vec();
        file.extend(&bytes);
        let _ = parse_letter(std::path::Path::new("content/1/A.md"), &file);
        let _ = parse_letter(std::path::Path::new("content/1/A.md"), &bytes);
    }
}

/// A front-matter value: hostile pieces, quotes and YAML syntax, arbitrary text.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => proptest::sample::select(HOSTILE).prop_map(str::to_string),
        1 => proptest::sample::select(&["=1+1", "+SUM(A1)", "@SUM(1)", "\t=1+1", "-2+3", "x\"><img src=x onerror=alert(1)>"][..]).prop_map(str::to_string),
        1 => "\\PC{0,30}",
    ]
}

/// A letter whose every text field carries a hostile value, as a YAML double-quoted string.
fn letter() -> impl Strategy<Value = (String, String)> {
    (value(), value(), value(), value(), value(), value(), markdown()).prop_map(
        |(id, title, from, role, tag, kenmerk, body)| {
            let q = |s: &str| serde_json::to_string(s).expect("a JSON string is YAML");
            let front = format!(
                "---\ndossier: \"1\"\nletter: {}\ntitle: {}\ndate: 2025-01-10\nfrom: {{ name: {}, role: {} }}\nto: \"Minister\"\ntags: [{}]\nkenmerk: {}\n---\n",
                q(&id), q(&title), q(&from), q(&role), q(&tag), q(&kenmerk)
            );
            (front, body)
        },
    )
}

proptest! {
    // Each case builds a whole site: fewer cases, each checking every page, feed and export.
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn hostile_letters_build_to_inert_sites(letters in proptest::collection::vec(letter(), 1..4)) {
        let f = Fixture::new();
        for (n, (front, body)) in letters.iter().enumerate() {
            f.write(&format!("content/1/L{n}.md"), &format!("{front}{body}\n"));
        }
        // Refusing a letter is fine (it names the problem); what is built must be inert.
        if f.build().is_ok() {
            let problems = check_output(&f.public());
            prop_assert!(problems.is_empty(), "{problems:#?}\nletters: {letters:#?}");
        }
    }
}
