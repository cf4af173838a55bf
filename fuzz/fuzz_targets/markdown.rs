//! Markdown of arbitrary text: rendering never panics, and what comes out is inert HTML —
//! no event handler, no `style`, no `<script>`, no `javascript:` — that the sanitiser would
//! leave as it is (nothing left to remove).
#![no_main]

use libfuzzer_sys::fuzz_target;
use postkamer::archive::reference::Target;
use postkamer::render::markdown::{CitationResolver, FootnoteLabels, render_markdown, sanitise};
use scraper::{Html, Selector};

/// Knows letter C of dossier 36521 and every dated letter, so citation links are made too.
struct OneLetter;

impl CitationResolver for OneLetter {
    fn resolve(&self, target: &Target) -> Option<String> {
        match target {
            Target::Citation { dossier, letter } => {
                (dossier == "36521" && letter == "C").then(|| "dossiers/36521/c/".to_string())
            }
            Target::Dated { .. } => Some("dossiers/36521/a/".to_string()),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let labels = FootnoteLabels {
        heading: "Voetnoten",
        back: "Terug",
        table: "Tabel",
    };
    let body = render_markdown(source, "/", &OneLetter, &labels);
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
