//! A letter file and a `_dossier.md` of arbitrary bytes: parsing never panics, and a letter
//! it accepts has ids without slashes or control characters (they become paths and URLs).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use postkamer::letter::{parse_dossier_info, parse_letter};

fuzz_target!(|data: &[u8]| {
    let (letter, _diagnostics) = parse_letter(Path::new("content/10001/A.md"), data);
    if let Some(letter) = letter {
        for id in [&letter.id, &letter.dossier] {
            assert!(
                !id.contains(['/', '\\']) && !id.chars().any(char::is_control),
                "unsafe id {id:?} accepted"
            );
        }
    }
    let _ = parse_dossier_info(Path::new("content/10001/_dossier.md"), "10001", data);
});
