//! Search-query text (what a reader types, also as `?q=` in a shared URL): parsing never
//! panics in either language, and every word it keeps is non-empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postkamer::search::Language;
use postkamer::search::query::parse;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for language in [Language::Dutch, Language::English] {
        let parsed = parse(text, language);
        assert!(parsed.words.iter().all(|w| !w.is_empty()), "{parsed:?}");
        assert!(parsed.phrases.iter().flatten().all(|w| !w.is_empty()), "{parsed:?}");
    }
});
