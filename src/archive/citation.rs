//! Official citations: `Kamerstukken I 2025/26, 36521, C`.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::letter::{Chamber, LetterDate};

/// The parliamentary session (vergaderjaar) a date falls in: a session starts
/// on the third Tuesday of September (Prinsjesdag).
pub fn session_of(date: NaiveDate) -> String {
    let start = third_tuesday_of_september(date.year());
    let first = if date >= start {
        date.year()
    } else {
        date.year() - 1
    };
    format!("{first}/{:02}", (first + 1).rem_euclid(100))
}

fn third_tuesday_of_september(year: i32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or_default();
    let to_tuesday =
        (7 + Weekday::Tue.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    first
        .checked_add_days(Days::new(u64::from(to_tuesday) + 14))
        .unwrap_or(first)
}

/// The session of a letter: given, or derived from a full date. A date known
/// only to the month or year may straddle two sessions, so it gives none.
pub fn letter_session(given: Option<&str>, date: LetterDate) -> Option<String> {
    match (given, date) {
        (Some(s), _) => Some(s.to_string()),
        (None, LetterDate::Day(d)) => Some(session_of(d)),
        (None, LetterDate::Month { year, month }) if month != 9 => {
            NaiveDate::from_ymd_opt(year, month, 1).map(session_of)
        }
        _ => None,
    }
}

/// The citation of a letter in the Kamerstukken, when chamber and session are known.
/// Numbered papers are cited as `nr. 12`, lettered ones by their letter.
pub fn citation(chamber: Chamber, session: &str, dossier: &str, letter: &str) -> String {
    let number = if letter.bytes().all(|b| b.is_ascii_digit()) {
        format!("nr. {letter}")
    } else {
        letter.to_string()
    };
    format!(
        "Kamerstukken {} {session}, {dossier}, {number}",
        chamber.roman()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn session_starts_on_prinsjesdag() {
        // Prinsjesdag 2025 was 16 September.
        assert_eq!(session_of(d(2025, 9, 15)), "2024/25");
        assert_eq!(session_of(d(2025, 9, 16)), "2025/26");
        assert_eq!(session_of(d(2025, 12, 16)), "2025/26");
        assert_eq!(session_of(d(1999, 10, 1)), "1999/00");
    }

    #[test]
    fn citation_matches_the_seed_letter() {
        assert_eq!(
            citation(Chamber::I, "2025/26", "36521", "C"),
            "Kamerstukken I 2025/26, 36521, C"
        );
        assert_eq!(
            citation(Chamber::II, "2024/25", "31700 VI", "12"),
            "Kamerstukken II 2024/25, 31700 VI, nr. 12"
        );
    }
}
