//! Markdown of arbitrary text: rendering never panics, and what comes out is inert HTML —
//! no event handler, no `style`, no `<script>`, no `javascript:` — that the sanitiser would
//! leave as it is (nothing left to remove).
#![no_main]

use libfuzzer_sys::fuzz_target;
use postkamer::render::markdown::{FootnoteLabels, render_markdown, sanitise};
use scraper::{Html, Selector};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let labels = FootnoteLabels {
        heading: "Voetnoten",
        back: "Terug",
        table: "Tabel",
    };
    let resolver =
        |d: &str, l: &str| (d == "36521" && l == "C").then(|| "dossiers/36521/c/".to_string());
    let body = render_markdown(source, "/", &resolver, &labels);
    assert_eq!(
        sanitise(&body.html),
        body.html,
        "sanitising again changed the body"
    );
    let fragment = Html::parse_fragment(&body.html);
    let all = Selector::parse("*").expect("selector");
    for el in fragment.select(&all) {
        let name = el.value().name();
        assert!(
            !matches!(
                name,
                "script" | "style" | "iframe" | "object" | "embed" | "base"
            ),
            "<{name}> in {}",
            body.html
        );
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.starts_with("on") && attr != "style",
                "{attr}= in {}",
                body.html
            );
            let v = value.trim_start().to_ascii_lowercase();
            assert!(
                !v.starts_with("javascript:")
                    && !v.starts_with("vbscript:")
                    && !v.starts_with("data:"),
                "{attr}={value} in {}",
                body.html
            );
        }
    }
});
