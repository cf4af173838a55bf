//! Search-query text (what a reader types, also as `?q=` in a shared URL): parsing never
//! panics in either language, typed or submitted, and what it keeps is consistent — every
//! word non-empty, one alternative group per query word, the prefix one of the words — and
//! the reference lookups and spelling variants of its words never panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postkamer::search::Language;
use postkamer::search::oracle::parse;
use postkamer::search::refs::lookups;
use postkamer::search::stem::variants;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for language in [Language::Dutch, Language::English] {
        for typing in [false, true] {
            let parsed = parse(text, language, typing);
            assert!(parsed.words.iter().all(|w| !w.is_empty()), "{parsed:?}");
            assert!(parsed.excluded.iter().all(|w| !w.is_empty()), "{parsed:?}");
            assert!(
                parsed.phrases.iter().flatten().all(|w| !w.is_empty()),
                "{parsed:?}"
            );
            assert_eq!(parsed.words.len(), parsed.alternatives.len(), "{parsed:?}");
            if let Some(prefix) = &parsed.prefix {
                assert!(typing && parsed.words.contains(prefix), "{parsed:?}");
            }
            let _ = lookups(&parsed.words);
            for word in &parsed.words {
                let _ = variants(language, word);
            }
        }
    }
});
