//! One letter: front matter and body, parsed and validated.
//!
//! This file holds the domain words (letter, party, date, kind, chamber, dossier description)
//! and the two entry points; the rooms below do the work: `front_matter` splits the YAML
//! block from the body and reads it with each value's place, `fields` validates every key
//! into typed values, and `deadline` fills in `reply_due` from a term.
//!
//! Parsing never stops at the first problem: [`parse_letter`] returns every
//! problem it finds in the file, each with the line and column in the `.md`
//! file itself (not in the YAML block), so a user can jump straight to it.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Position};

mod deadline;
mod fields;
mod front_matter;

use deadline::*;
pub use deadline::{Term, term_in_text};
use fields::*;
pub use fields::{MAX_VALUE_CHARS, clean_body, suggest};
use front_matter::*;

/// The chamber of the States General a dossier belongs to, used in citations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Chamber {
    I,
    II,
}

impl Chamber {
    fn parse(value: &Value) -> Option<Chamber> {
        match value {
            Value::String(s) => match s.trim() {
                "I" | "i" | "1" => Some(Chamber::I),
                "II" | "ii" | "2" => Some(Chamber::II),
                _ => None,
            },
            Value::Number(n) => match n.as_u64() {
                Some(1) => Some(Chamber::I),
                Some(2) => Some(Chamber::II),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn roman(self) -> &'static str {
        match self {
            Chamber::I => "I",
            Chamber::II => "II",
        }
    }
}

/// What a letter does in an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Letter,
    Question,
    Answer,
    Postponement,
    Reminder,
    Report,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Letter,
        Kind::Question,
        Kind::Answer,
        Kind::Postponement,
        Kind::Reminder,
        Kind::Report,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Letter => "letter",
            Kind::Question => "question",
            Kind::Answer => "answer",
            Kind::Postponement => "postponement",
            Kind::Reminder => "reminder",
            Kind::Report => "report",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == s.trim().to_lowercase())
    }

    /// Whether a letter of this kind asks for an answer by itself.
    pub fn requests_reply(self) -> bool {
        matches!(self, Kind::Question | Kind::Reminder)
    }
}

/// A sender or recipient as written in one letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Party {
    pub name: Option<String>,
    pub role: Option<String>,
    pub organisation: Option<String>,
}

impl Party {
    /// The name a page shows: the person, else the body.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or(self.organisation.as_deref())
            .unwrap_or_default()
    }
}

/// The dagtekening, possibly only to the month or year (`1877-02`, `1855`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterDate {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
    Year(i32),
}

impl LetterDate {
    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<LetterDate, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize| -> Option<u32> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let shape = || format!("`{text}` is not a date in the form YYYY-MM-DD, YYYY-MM or YYYY");
        match parts.as_slice() {
            [y] => number(y, 4)
                .map(|y| LetterDate::Year(y as i32))
                .ok_or_else(shape),
            [y, m] => {
                let (y, m) = (
                    number(y, 4).ok_or_else(shape)?,
                    number(m, 2).ok_or_else(shape)?,
                );
                if !(1..=12).contains(&m) {
                    return Err(format!("`{text}` has no month {m}"));
                }
                Ok(LetterDate::Month {
                    year: y as i32,
                    month: m,
                })
            }
            [y, m, d] => {
                let (y, m, d) = (
                    number(y, 4).ok_or_else(shape)?,
                    number(m, 2).ok_or_else(shape)?,
                    number(d, 2).ok_or_else(shape)?,
                );
                NaiveDate::from_ymd_opt(y as i32, m, d)
                    .map(LetterDate::Day)
                    .ok_or_else(|| format!("`{text}` is not a real date"))
            }
            _ => Err(shape()),
        }
    }

    /// The first day of the period: partial dates sort at the start of it.
    pub fn start(self) -> NaiveDate {
        match self {
            LetterDate::Day(d) => d,
            LetterDate::Month { year, month } => {
                NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default()
            }
            LetterDate::Year(year) => NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        }
    }

    /// The last day of the period.
    pub fn end(self) -> NaiveDate {
        match self {
            LetterDate::Day(d) => d,
            LetterDate::Month { year, month } => {
                let (ny, nm) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1)
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(self.start())
            }
            LetterDate::Year(year) => NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
        }
    }

    /// The date when known to the day.
    pub fn day(self) -> Option<NaiveDate> {
        match self {
            LetterDate::Day(d) => Some(d),
            _ => None,
        }
    }

    pub fn year(self) -> i32 {
        self.start().year()
    }

    /// As written: `2025-12-16`, `1877-02`, `1855`.
    pub fn iso(self) -> String {
        match self {
            LetterDate::Day(d) => d.format("%Y-%m-%d").to_string(),
            LetterDate::Month { year, month } => format!("{year:04}-{month:02}"),
            LetterDate::Year(year) => format!("{year:04}"),
        }
    }
}

/// A reference to another letter: `C` (same dossier) or `36521/C`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRef {
    pub dossier: Option<String>,
    pub letter: String,
    /// Where it is written.
    pub place: Position,
}

impl LetterRef {
    /// As the user wrote it, for messages.
    pub fn written(&self) -> String {
        match &self.dossier {
            Some(d) => format!("{d}/{}", self.letter),
            None => self.letter.clone(),
        }
    }
}

/// Where the keys that name pages are written, for problems found after parsing
/// (a page name that is too long, say). A key that is not written is at 1:1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Places {
    pub dossier: Position,
    pub letter: Position,
    pub from: Position,
    pub to: Position,
    pub tags: Position,
    pub aliases: Position,
}

/// Every letter and dossier description of a site, parsed, before linking.
#[derive(Debug, Default)]
pub struct Loaded {
    pub letters: Vec<Letter>,
    pub dossier_infos: Vec<DossierInfo>,
}

/// One parsed, validated letter. Pure data: linking happens in `archive`.
#[derive(Debug, Clone)]
pub struct Letter {
    /// The file as shown to users, e.g. `content/36521/C.md`.
    pub path: PathBuf,
    /// The folder of the file, for attachments.
    pub dir: PathBuf,
    pub dossier: String,
    pub id: String,
    pub date: LetterDate,
    pub date_place: Position,
    pub from: Vec<Party>,
    pub to: Vec<Party>,
    pub in_reply_to: Vec<LetterRef>,
    /// The deadline as given, or derived from the body (`binnen vier weken na dagtekening`).
    pub reply_due: Option<NaiveDate>,
    pub reply_due_derived: bool,
    pub kind: Kind,
    pub chamber: Option<Chamber>,
    pub session: Option<String>,
    pub tags: Vec<String>,
    pub attachments: Vec<String>,
    pub attachments_place: Position,
    pub places: Places,
    pub aliases: Vec<String>,
    pub draft: bool,
    /// What only pages show.
    pub shown: Shown,
    pub body: String,
    /// The line of the file on which the body starts.
    pub body_line: usize,
}

/// What only pages, feeds and exports show of a letter. Linking never reads
/// these fields (`tests/architecture.rs` fails when `archive` names `shown`),
/// so an edit of them leaves every link as it was and `serve` patches the
/// archive instead of linking it again. A field that linking reads belongs
/// in [`Letter`] itself.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub title: Option<String>,
    pub kenmerk: Option<String>,
    pub source: Option<String>,
    /// An uncertain date's window.
    pub date_not_before: Option<LetterDate>,
    pub date_not_after: Option<LetterDate>,
    /// Keys postkamer does not know, handed to templates as `extra`.
    pub extra: serde_json::Map<String, Value>,
}

/// `_dossier.md`: a dossier's own title and description.
#[derive(Debug, Clone)]
pub struct DossierInfo {
    pub path: PathBuf,
    pub dossier: Option<String>,
    pub folder: String,
    pub title: Option<String>,
    pub chamber: Option<Chamber>,
    pub body: String,
    pub body_line: usize,
}

const KNOWN_KEYS: &[&str] = &[
    "dossier",
    "letter",
    "title",
    "date",
    "date_not_before",
    "date_not_after",
    "from",
    "to",
    "in_reply_to",
    "reply_due",
    "kind",
    "kenmerk",
    "chamber",
    "session",
    "tags",
    "attachments",
    "source",
    "aliases",
    "draft",
    "import_hash",
];

/// Parses one letter file. Returns the letter when it is usable, and every problem found.
pub fn parse_letter(path: &Path, bytes: &[u8]) -> (Option<Letter>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let Some((raw, split)) = read_front_matter(path, bytes, &mut problems) else {
        return (None, problems);
    };
    let mut fields = Fields {
        path,
        raw: &raw,
        yaml_line: split.yaml_line,
        problems: &mut problems,
    };
    fields.refuse_hostile_values();
    let letter = fields.letter(path, split.body, split.body_line);
    let fatal = problems.iter().any(Diagnostic::is_error);
    (if fatal { None } else { letter }, problems)
}

/// Parses `_dossier.md`.
pub fn parse_dossier_info(
    path: &Path,
    folder: &str,
    bytes: &[u8],
) -> (Option<DossierInfo>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let Some((raw, split)) = read_front_matter(path, bytes, &mut problems) else {
        return (None, problems);
    };
    let mut fields = Fields {
        path,
        raw: &raw,
        yaml_line: split.yaml_line,
        problems: &mut problems,
    };
    fields.refuse_hostile_values();
    for key in raw.keys() {
        if !["dossier", "title", "chamber", "description"].contains(&key.as_str()) {
            let place = fields.place(key);
            fields.problems.push(
                Diagnostic::warning_in(path, format!("unknown key `{key}` in _dossier.md")).at(place)
                    .with_help("a _dossier.md knows `dossier`, `title` and `chamber`; the text below the front matter is the description"),
            );
        }
    }
    let info = DossierInfo {
        path: path.to_path_buf(),
        dossier: fields.id_string("dossier"),
        folder: folder.to_string(),
        title: fields.string("title"),
        chamber: fields.chamber(),
        body: clean_body(split.body),
        body_line: split.body_line,
    };
    let fatal = problems.iter().any(Diagnostic::is_error);
    (if fatal { None } else { Some(info) }, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<Letter>, Vec<Diagnostic>) {
        parse_letter(Path::new("content/36521/D.md"), text.as_bytes())
    }

    const GOOD: &str = "---\ndossier: \"36521\"\ndate: 2025-12-16\nfrom:\n  name: \"I.M. Lagas\"\n  role: Voorzitter\nto: { name: Rijkaart, role: Y }\nin_reply_to: \"C\"\n---\nGeachte heer Rijkaart,\n";

    #[test]
    fn good_letter_parses_with_id_from_file_name() {
        let (letter, problems) = parse(GOOD);
        assert!(problems.is_empty(), "{problems:?}");
        let letter = letter.unwrap();
        assert_eq!(letter.id, "D");
        assert_eq!(letter.dossier, "36521");
        assert_eq!(letter.to[0].role.as_deref(), Some("Y"));
        assert_eq!(letter.in_reply_to[0].letter, "C");
        assert_eq!(letter.body_line, 10);
    }

    #[test]
    fn missing_required_keys_are_all_reported() {
        let (letter, problems) = parse("---\ntitle: x\n---\n");
        assert!(letter.is_none());
        let messages: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        for key in ["dossier", "date", "from", "to"] {
            assert!(
                messages.iter().any(|m| m.contains(&format!("`{key}`"))),
                "{messages:?}"
            );
        }
    }

    #[test]
    fn impossible_date_points_at_its_line() {
        let (_, problems) = parse(&GOOD.replace("2025-12-16", "2025-02-30"));
        let p = problems
            .iter()
            .find(|p| p.message.contains("not a real date"))
            .unwrap();
        assert_eq!(p.position, Position::new(3, 7));
    }

    #[test]
    fn partial_dates_sort_at_the_start_of_their_period() {
        let d = LetterDate::parse("1877-02").unwrap();
        assert_eq!(d.start(), NaiveDate::from_ymd_opt(1877, 2, 1).unwrap());
        assert_eq!(d.end(), NaiveDate::from_ymd_opt(1877, 2, 28).unwrap());
        assert_eq!(LetterDate::parse("1855").unwrap().iso(), "1855");
        assert!(LetterDate::parse("1855-13").is_err());
        assert!(LetterDate::parse("16-12-2025").is_err());
    }

    #[test]
    fn yaml_errors_point_into_the_md_file() {
        let (_, problems) = parse("---\ndossier: \"36521\ndate: 2025-12-16\n---\n");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line(), Some(2));
        assert!(
            problems[0].message.starts_with("invalid YAML"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn front_matter_must_be_present_and_closed() {
        assert!(
            parse("Geachte heer,\n").1[0]
                .message
                .contains("no front matter")
        );
        assert!(
            parse("---\ndossier: 1\n").1[0]
                .message
                .contains("not closed")
        );
        assert!(parse("  \n").1[0].message.contains("empty"));
        let (_, p) = parse_letter(Path::new("x.md"), b"---\ndossier: \xff\n---\n");
        assert_eq!(p[0].position, Position::new(2, 10));
    }

    #[test]
    fn yaml_error_of_an_unclosed_quote_names_the_line_it_opened() {
        // The stray quote of `from` closes the title: the parser gives up on line 5.
        let text = "---\ndossier: \"1\"\ntitle: \"Vragen over\ndate: 2025-01-01\nfrom: \"A\"\nto: B\n---\n";
        let (_, problems) = parse(text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].position, Position::new(3, 8));
        assert!(problems[0].message.contains("quote opened here"));
        let single = "---\ndossier: '1\ndate: 2025-01-01\nfrom: 'A'\nto: B\n---\n";
        assert_eq!(parse(single).1[0].line(), Some(2));
        // Quotes inside words, comments and escaped quotes open nothing.
        assert_eq!(
            unclosed_quote(
                "title: Minister's brief\nnote: \"a \\\" b\" # it's\nx: 'it''s'\ndate: 1\n"
            ),
            None
        );
        // A quoted value may run over lines when no key follows.
        assert_eq!(
            unclosed_quote("title: \"Een lange\n  titel\"\ndate: 1\n"),
            None
        );
    }

    #[test]
    fn a_deadline_before_the_letter_is_an_error_and_an_answer_to_nothing_a_warning() {
        let (letter, problems) =
            parse(&GOOD.replace("in_reply_to: \"C\"", "reply_due: 2025-12-01"));
        assert!(letter.is_none());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].is_error() && problems[0].message.contains("before the letter's own date")
        );
        assert_eq!(problems[0].line(), Some(8));
        let (letter, problems) = parse(&GOOD.replace("in_reply_to: \"C\"", "kind: answer"));
        assert!(letter.is_some());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(!problems[0].is_error() && problems[0].message.contains("no `in_reply_to`"));
        assert_eq!(problems[0].position, Position::new(8, 7));
    }

    #[test]
    fn misspelt_key_is_an_error_with_a_suggestion() {
        for (wrong, right) in [
            ("in_reply_too", "in_reply_to"),
            ("reply_duee", "reply_due"),
            ("kind_", "kind"),
        ] {
            let (letter, problems) = parse(&GOOD.replace("in_reply_to", wrong));
            assert!(letter.is_none(), "{wrong}");
            assert!(problems[0].is_error());
            assert!(
                problems[0]
                    .message
                    .contains(&format!("did you mean `{right}`")),
                "{problems:?}"
            );
        }
        let (letter, problems) = parse(&GOOD.replace("in_reply_to", "in_reply_too"));
        assert!(letter.is_none());
        assert!(
            problems[0].message.contains("did you mean `in_reply_to`"),
            "{problems:?}"
        );
        assert_eq!(problems[0].line(), Some(8));
    }

    #[test]
    fn deadline_is_derived_from_the_seed_wording() {
        let text = GOOD.to_string()
            + "ontvangen deze graag binnen vier weken na dagtekening van deze brief.";
        let letter = parse(&text).0.unwrap();
        assert_eq!(letter.reply_due, NaiveDate::from_ymd_opt(2026, 1, 13));
        assert!(letter.reply_due_derived);
        assert_eq!(term_in_text("binnen twee weken"), None);
        let term = term_in_text("Graag Binnen 3 Dagen na DAGTEKENING.").unwrap();
        assert_eq!((term.days, term.offset, term.end), (3, 6, 20));
    }

    #[test]
    fn a_term_past_any_real_date_is_an_error_at_its_place() {
        for term in [
            "binnen 999999999999 weken na dagtekening",
            "binnen 100000000 dagen na dagtekening",
            "binnen 99999999999999999999999999999999999999999999 maanden na dagtekening",
            "within 3000000 days of the date",
        ] {
            let (letter, problems) = parse(&format!("{GOOD}\nTekst.\nGraag {term}."));
            assert!(letter.is_none(), "{term}");
            assert_eq!(problems.len(), 1, "{term}: {problems:?}");
            let p = &problems[0];
            assert_eq!(p.position, Position::new(13, 7), "{term}");
            assert!(
                p.message.contains("ends after the year 9999"),
                "{}",
                p.message
            );
            assert!(p.help.as_deref().unwrap_or("").contains("reply_due"));
        }
    }

    #[test]
    fn unsafe_paths_and_urls_are_refused() {
        let (letter, problems) = parse(&GOOD.replace(
            "in_reply_to: \"C\"",
            "source: \"javascript:alert(1)\"\nattachments: [\"../x\"]",
        ));
        assert!(letter.is_none());
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn control_characters_and_bidi_overrides_in_front_matter_are_refused_at_their_key() {
        for (line, bad) in [
            ("title: \"t\\0\"", 10),
            ("title: \"A\\e]0;X\\aB\"", 10),
            ("kenmerk: \"x\\u202Ey\"", 10),
            ("tags: [\"ok\", \"a\\x9bb\"]", 10),
            ("extra_key: { nested: \"\\e[31m\" }", 10),
        ]
        .map(|(b, l)| (l, b))
        {
            let text = GOOD.replace("in_reply_to: \"C\"", &format!("in_reply_to: \"C\"\n{bad}"));
            let (letter, problems) = parse(&text);
            assert!(letter.is_none(), "{bad}");
            let p = problems
                .iter()
                .find(|p| p.message.contains("invisible control character"))
                .unwrap_or_else(|| panic!("{bad}: {problems:?}"));
            assert_eq!(p.line(), Some(line - 1), "{bad}");
        }
        let text = GOOD.replace("name: \"I.M. Lagas\"", "name: \"X\\e[31m\"");
        let (_, problems) = parse(&text);
        assert_eq!(problems[0].line(), Some(5), "{problems:?}");
    }

    #[test]
    fn a_title_longer_than_a_thousand_characters_is_refused() {
        let title = "a".repeat(MAX_VALUE_CHARS + 1);
        let (letter, problems) =
            parse(&GOOD.replace("in_reply_to: \"C\"", &format!("title: \"{title}\"")));
        assert!(letter.is_none());
        assert!(
            problems[0].message.contains("1001 characters long"),
            "{problems:?}"
        );
        let fits = "é".repeat(MAX_VALUE_CHARS);
        let (letter, _) = parse(&GOOD.replace("in_reply_to: \"C\"", &format!("title: \"{fits}\"")));
        assert!(letter.is_some(), "characters, not bytes");
    }

    #[test]
    fn bodies_lose_control_characters_and_bidi_overrides_but_keep_tabs_and_lines() {
        assert_eq!(
            clean_body("a\tb\r\nc\0d\u{1b}[31me\u{202e}f\u{7f}"),
            "a\tb\r\ncd[31mef"
        );
        let letter = parse(&format!("{GOOD}x\u{1b}y\u{2066}z\n")).0.unwrap();
        assert!(letter.body.ends_with("xyz\n"));
    }

    #[test]
    fn a_date_window_that_ends_before_it_starts_is_refused() {
        let text = GOOD.replace(
            "in_reply_to: \"C\"",
            "date_not_before: 1892-04-30\ndate_not_after: 1891-10-07",
        );
        let (letter, problems) = parse(&text);
        assert!(letter.is_none());
        assert_eq!(problems[0].line(), Some(8), "{problems:?}");
        assert!(problems[0].message.contains("lies after `date_not_after`"));
        let fine = GOOD.replace(
            "in_reply_to: \"C\"",
            "date_not_before: 1891-10\ndate_not_after: 1891-10-07",
        );
        assert!(parse(&fine).0.is_some());
    }

    #[test]
    fn correspondents_take_every_form() {
        let text = GOOD.replace(
            "to: { name: Rijkaart, role: Y }",
            "to: [\"A. de Vries\", { organisation: \"Regierungsrat Zürich\" }, { name: \"Ö.\u{a0}Yılmaz\" }]",
        );
        let letter = parse(&text).0.unwrap();
        assert_eq!(letter.to.len(), 3);
        assert_eq!(letter.to[1].display_name(), "Regierungsrat Zürich");
        assert_eq!(letter.to[2].display_name(), "Ö.\u{a0}Yılmaz");
    }
}
