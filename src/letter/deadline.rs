//! The reply deadline: `reply_due` as a date or a term, and the term a letter's text sets
//! ("binnen vier weken na dagtekening").
//!
//! What a deadline means (answered, awaited, overdue, moved by a postponement) is decided when
//! the archive links, in `archive/status.rs`; the date itself is fixed here, while parsing,
//! for two reasons. A term that ends past the year 9999 refuses the letter at its place, like
//! any other bad value. And `serve` puts an edited letter into the archive without linking when
//! its link hash is unchanged: the hash covers the derived `reply_due`, so a body edit that
//! moves the term links again, and one that does not keeps the deadline it had.

use chrono::{Datelike, Days, NaiveDate};

use crate::diagnostic::{Diagnostic, line_column};

use super::*;

/// `reply_due` as written: a date, or a term counted from the dagtekening.
pub(super) enum ReplyDue {
    Date(NaiveDate),
    Term(u128),
}

/// Sets `reply_due` to the date plus a term of `days` (from the front matter's
/// `reply_due: "binnen vier weken na dagtekening"`). False when it ends past 9999.
pub(super) fn apply_term(letter: &mut Letter, days: u128) -> bool {
    let LetterDate::Day(date) = letter.date else {
        return true;
    };
    match due_after(date, days) {
        Some(due) => {
            letter.reply_due = Some(due);
            letter.reply_due_derived = true;
            true
        }
        None => false,
    }
}

/// The date `days` after `date`, if it is before the year 10000.
pub(super) fn due_after(date: NaiveDate, days: u128) -> Option<NaiveDate> {
    u64::try_from(days)
        .ok()
        .and_then(|days| date.checked_add_days(Days::new(days)))
        .filter(|due| due.year() <= 9999)
}

/// Fills `reply_due` from the body when the front matter has none and the text
/// sets a term, like the seed letter's `binnen vier weken na dagtekening`. A
/// term that ends past the year 9999 is a problem at its place in the body.
pub(super) fn derive_deadline(letter: &mut Letter) -> Option<Diagnostic> {
    if letter.reply_due.is_some() {
        return None;
    }
    let LetterDate::Day(date) = letter.date else {
        return None;
    };
    let term = term_in_text(&letter.body)?;
    if let Some(due) = due_after(date, term.days) {
        letter.reply_due = Some(due);
        letter.reply_due_derived = true;
        return None;
    }
    let (line, column) = line_column(&letter.body, term.offset);
    let written = &letter.body[term.offset..term.end];
    Some(
        Diagnostic::error(
            &letter.path,
            letter.body_line + line - 1,
            column,
            format!("the reply term `{written}` ends after the year 9999"),
        )
        .with_help("write the term as the letter means it, or set `reply_due: YYYY-MM-DD` in the front matter"),
    )
}

/// A reply term written in a letter's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The term in days (a month counts 30); saturates rather than overflows.
    pub days: u128,
    /// Where `binnen`/`within` starts in the text, and where the unit ends.
    pub offset: usize,
    pub end: usize,
}

/// Finds "binnen <n> weken/dagen na dagtekening" (or "within <n> weeks").
pub fn term_in_text(body: &str) -> Option<Term> {
    // Most letters set no term: skip the word scan unless a keyword can be there.
    if !(body.contains("inne")
        || body.contains("INNE")
        || body.contains("ithin")
        || body.contains("ITHIN"))
    {
        return None;
    }
    let words: Vec<(usize, &str)> = body
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| (w.as_ptr() as usize - body.as_ptr() as usize, w))
        .collect();
    let lower = |i: usize| words.get(i).map(|(_, w)| w.to_lowercase());
    for (i, (offset, w)) in words.iter().enumerate() {
        if !(w.eq_ignore_ascii_case("binnen") || w.eq_ignore_ascii_case("within")) {
            continue;
        }
        let (Some(n), Some(unit)) = (lower(i + 1).and_then(|n| number_word(&n)), lower(i + 2))
        else {
            continue;
        };
        let days = match unit.as_str() {
            "week" | "weken" | "weeks" => n.saturating_mul(7),
            "dag" | "dagen" | "days" | "werkdagen" => n,
            "maand" | "maanden" | "month" | "months" => n.saturating_mul(30),
            _ => continue,
        };
        // Only a term counted from the letter's own date sets a deadline.
        let counted_from_date = (i + 3..(i + 8).min(words.len())).any(|j| {
            lower(j).is_some_and(|w| {
                matches!(w.as_str(), "dagtekening" | "date" | "datum" | "verzending")
            })
        });
        if counted_from_date {
            let (unit_at, unit_word) = words[i + 2];
            return Some(Term {
                days,
                offset: *offset,
                end: unit_at + unit_word.len(),
            });
        }
    }
    None
}

/// A count in digits (any length: too many saturates) or in words.
pub(super) fn number_word(word: &str) -> Option<u128> {
    const WORDS: &[(&str, u128)] = &[
        ("een", 1),
        ("één", 1),
        ("twee", 2),
        ("drie", 3),
        ("vier", 4),
        ("vijf", 5),
        ("zes", 6),
        ("zeven", 7),
        ("acht", 8),
        ("negen", 9),
        ("tien", 10),
        ("twaalf", 12),
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("eight", 8),
        ("ten", 10),
    ];
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return Some(word.parse().unwrap_or(u128::MAX));
    }
    WORDS.iter().find(|(w, _)| *w == word).map(|(_, n)| *n)
}
