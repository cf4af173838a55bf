//! Folding and word splitting, shared by the index builder and the query side.
//!
//! The browser client (`search.js`, function `tokens`) implements exactly the same rules, so a
//! query word folds to the same term the index stores. The rules are defined per code point of
//! the original text, which makes them easy to mirror in JavaScript and gives every term a span
//! in the original (needed to mark hits in excerpts):
//!
//! 1. Decompose the code point with Unicode compatibility decomposition (NFKD: `ĳ` → `ij`,
//!    `ö` → `o` + diaeresis, `ﬁ` → `fi`).
//! 2. Lowercase every resulting code point (full mapping; `ς` is then mapped to `σ`).
//! 3. Drop combining marks (General Category M): this folds diacritics, so `coördinatie`
//!    and `coordinatie` are one term.
//! 4. A remaining alphanumeric code point (Unicode `Alphabetic` or `Number`) extends the current
//!    word; anything else ends it.
//!
//! Words are cut to [`MAX_TERM_CHARS`] code points so a 60,000-letter "word" cannot bloat the
//! index; the cut is applied identically on both sides.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// The longest term kept, in code points. Longer words are truncated to this length.
pub const MAX_TERM_CHARS: usize = 48;

/// A word found in a text: its byte span in the original text and its folded form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// Byte offset of the first code point of the word in the original text.
    pub start: usize,
    /// Byte offset just past the last code point of the word (trailing marks included).
    pub end: usize,
    /// The folded, lowercased word, at most [`MAX_TERM_CHARS`] code points.
    pub term: &'a str,
}

/// Calls `emit` for every word of `text`, in order. The term borrowed by each [`Token`] lives
/// in a buffer reused between words, which keeps the indexing loop free of allocations.
pub fn for_each_token(text: &str, mut emit: impl FnMut(Token<'_>)) {
    let bytes = text.as_bytes();
    let mut word = Word::default();
    let mut i = 0;
    while i < bytes.len() {
        if word.chars == 0
            && let Some(end) = ascii_word_end(bytes, i)
        {
            word.emit_ascii(text, i, end, &mut emit);
            i = end;
            continue;
        }
        // Not at the start of a plain ASCII word: one code point at a time.
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let after = i + c.len_utf8();
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase(), i, after);
            } else {
                word.flush(&mut emit);
            }
        } else {
            decompose_compatible(c, |d| {
                for l in d.to_lowercase() {
                    fold_code_point(l, i, after, &mut word, &mut emit);
                }
            });
        }
        i = after;
    }
    word.flush(&mut emit);
}

/// The end of the ASCII letters and digits starting at `start`, when they form a whole word
/// (followed by ASCII punctuation, space or the end of the text); `None` otherwise. The fast
/// path for the common case: most words of a Dutch or English letter are plain ASCII.
fn ascii_word_end(bytes: &[u8], start: usize) -> Option<usize> {
    let run = bytes[start..]
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len() - start);
    let end = start + run;
    (run > 0 && bytes.get(end).is_none_or(|b| b.is_ascii())).then_some(end)
}

/// Folds and tokenizes `text` into owned terms (convenience for queries and tests).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.term.to_string()));
    out
}

/// Step 3 and 4 of the module rules for one lowercased code point.
fn fold_code_point(
    l: char,
    offset: usize,
    after: usize,
    word: &mut Word,
    emit: &mut impl FnMut(Token<'_>),
) {
    if is_combining_mark(l) {
        word.extend_to(after);
    } else if l.is_alphanumeric() {
        let l = if l == 'ς' { 'σ' } else { l };
        word.push(l, offset, after);
    } else {
        word.flush(emit);
    }
}

/// The word being assembled: folded text, code point count and span.
#[derive(Default)]
struct Word {
    term: String,
    chars: usize,
    start: usize,
    end: usize,
}

impl Word {
    fn push(&mut self, c: char, offset: usize, after: usize) {
        if self.chars == 0 {
            self.start = offset;
        }
        if self.chars < MAX_TERM_CHARS {
            self.term.push(c);
        }
        self.chars += 1;
        self.end = after;
    }

    /// A combining mark belongs to the word it follows: the span grows, the term does not.
    fn extend_to(&mut self, after: usize) {
        if self.chars > 0 {
            self.end = after;
        }
    }

    /// Emits the plain ASCII word `text[start..end]` at once (the word must be empty).
    fn emit_ascii(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        emit: &mut impl FnMut(Token<'_>),
    ) {
        self.term.clear();
        self.term
            .push_str(&text[start..end.min(start + MAX_TERM_CHARS)]);
        self.term.make_ascii_lowercase();
        emit(Token {
            start,
            end,
            term: &self.term,
        });
        self.term.clear();
    }

    fn flush(&mut self, emit: &mut impl FnMut(Token<'_>)) {
        if self.chars > 0 {
            emit(Token {
                start: self.start,
                end: self.end,
                term: &self.term,
            });
            self.term.clear();
            self.chars = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_and_case() {
        assert_eq!(terms("Coördinatie"), vec!["coordinatie"]);
        assert_eq!(terms("coordinatie"), vec!["coordinatie"]);
        assert_eq!(terms("CAFÉ  naïef"), vec!["cafe", "naief"]);
        assert_eq!(terms("ĳsselmeer"), vec!["ijsselmeer"]);
    }

    #[test]
    fn decomposed_input_folds_like_composed_input() {
        let decomposed = "coo\u{0308}rdinatie";
        assert_eq!(terms(decomposed), vec!["coordinatie"]);
        let mut spans = Vec::new();
        for_each_token(decomposed, |t| spans.push((t.start, t.end)));
        assert_eq!(spans, vec![(0, decomposed.len())]);
    }

    #[test]
    fn splits_on_punctuation_and_keeps_numbers() {
        assert_eq!(
            terms("Kamerstukken I 2025/26, 36521, C; e-mail's"),
            vec![
                "kamerstukken",
                "i",
                "2025",
                "26",
                "36521",
                "c",
                "e",
                "mail",
                "s"
            ]
        );
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = "De Nationale ombudsman — «coördinatie»";
        let mut words = Vec::new();
        for_each_token(text, |t| words.push(text[t.start..t.end].to_string()));
        assert_eq!(words, vec!["De", "Nationale", "ombudsman", "coördinatie"]);
    }

    #[test]
    fn truncates_very_long_words() {
        let long = "a".repeat(60_000);
        let got = terms(&long);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].chars().count(), MAX_TERM_CHARS);
    }

    #[test]
    fn odd_input_gives_sensible_terms() {
        assert!(terms("").is_empty());
        assert!(terms("!!! ... ??? — 🙂🙂").is_empty());
        assert_eq!(terms("שלום עולם"), vec!["שלום", "עולם"]);
        assert_eq!(terms("ΟΔΟΣ"), vec!["οδοσ"]);
        assert_eq!(terms("ﬁnanciën"), vec!["financien"]);
    }
}
