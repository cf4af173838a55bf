//! One letter: front matter and body, parsed and validated.
//!
//! Parsing never stops at the first problem: [`parse_letter`] returns every
//! problem it finds in the file, each with the line and column in the `.md`
//! file itself (not in the YAML block), so a user can jump straight to it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, is_hostile_char, line_column, printable};
use crate::paths::{is_safe_url, safe_relative_path};

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
    pub line: usize,
    pub column: usize,
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

/// A place in the `.md` file, for warnings found after parsing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub column: usize,
}

/// Where the keys that name pages are written, for problems found after parsing
/// (a page name that is too long, say). A key that is not written is at 1:1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Places {
    pub dossier: Place,
    pub letter: Place,
    pub from: Place,
    pub to: Place,
    pub tags: Place,
    pub aliases: Place,
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
    pub title: Option<String>,
    pub date: LetterDate,
    pub date_place: Place,
    pub date_not_before: Option<LetterDate>,
    pub date_not_after: Option<LetterDate>,
    pub from: Vec<Party>,
    pub to: Vec<Party>,
    pub in_reply_to: Vec<LetterRef>,
    /// The deadline as given, or derived from the body (`binnen vier weken na dagtekening`).
    pub reply_due: Option<NaiveDate>,
    pub reply_due_derived: bool,
    pub kind: Kind,
    pub kenmerk: Option<String>,
    pub chamber: Option<Chamber>,
    pub session: Option<String>,
    pub tags: Vec<String>,
    pub attachments: Vec<String>,
    pub attachments_place: Place,
    pub places: Places,
    pub source: Option<String>,
    pub aliases: Vec<String>,
    pub draft: bool,
    /// Keys postkamer does not know, handed to templates as `extra`.
    pub extra: serde_json::Map<String, Value>,
    pub body: String,
    /// The line of the file on which the body starts.
    pub body_line: usize,
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

/// Front matter as YAML gave it: each value with the place it was defined.
type RawFrontMatter = BTreeMap<String, Spanned<Value>>;

/// The pieces of a file with front matter.
struct Split<'a> {
    yaml: &'a str,
    /// Line of the file on which the YAML starts (after the opening `---`).
    yaml_line: usize,
    body: &'a str,
    body_line: usize,
}

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
                Diagnostic::warning(path, place.line, place.column, format!("unknown key `{key}` in _dossier.md"))
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

fn read_front_matter<'a>(
    path: &Path,
    bytes: &'a [u8],
    problems: &mut Vec<Diagnostic>,
) -> Option<(RawFrontMatter, Split<'a>)> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = line_column(valid, valid.len());
            problems.push(
                Diagnostic::error(path, line, column, "the file is not valid UTF-8").with_help(
                    "save the file as UTF-8 (most editors offer it under 'Save with encoding')",
                ),
            );
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        problems.push(
            Diagnostic::error(path, 1, 1, "the file is empty")
                .with_help("a letter starts with front matter between two `---` lines; see `postkamer new` for an example"),
        );
        return None;
    }
    let split = split_front_matter(path, text, problems)?;
    let raw = parse_yaml(path, &split, problems)?;
    Some((raw, split))
}

fn split_front_matter<'a>(
    path: &Path,
    text: &'a str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Split<'a>> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "---" {
        problems.push(
            Diagnostic::error(path, 1, 1, "the letter has no front matter")
                .with_help("start the file with a line `---`, the keys (dossier, date, from, to, …), and another `---`"),
        );
        return None;
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(lines) {
        if matches!(l.trim_end(), "---" | "...") {
            let body_start = offset + l.len();
            return Some(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    problems.push(
        Diagnostic::error(path, 1, 1, "the front matter is not closed")
            .with_help("add a line `---` after the last front matter key, before the letter text"),
    );
    None
}

fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    // `role: Y` must stay the letter Y, and `kenmerk: 0755` its digits.
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options.with_snippet = false;
    options
}

fn parse_yaml(
    path: &Path,
    split: &Split<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawFrontMatter> {
    if split.yaml.trim().is_empty() {
        return Some(RawFrontMatter::new());
    }
    match serde_saphyr::from_str_with_options::<RawFrontMatter>(split.yaml, yaml_options()) {
        Ok(raw) => Some(raw),
        Err(e) => {
            let (line, column) = e.location().map_or((split.yaml_line, 1), |l| {
                (l.line() as usize + split.yaml_line - 1, l.column() as usize)
            });
            // The parser gives up where a stray quote ends the string, often lines
            // later: point at the quote that was left open instead.
            if let Some((open_line, open_column)) = unclosed_quote(split.yaml)
                .map(|(l, c)| (l + split.yaml_line - 1, c))
                .filter(|&(l, _)| l <= line)
            {
                problems.push(
                    Diagnostic::error(
                        path,
                        open_line,
                        open_column,
                        "invalid YAML: the quote opened here is not closed on its line",
                    )
                    .with_help("close the quote at the end of the value, like `title: \"…\"`"),
                );
                return None;
            }
            let message = yaml_message(&e);
            let help = if message.contains("mapping start") {
                "the front matter must be `key: value` lines, like `dossier: \"36521\"`"
            } else if message.contains("duplicate") {
                "each key may appear once; remove or merge the repeated key"
            } else {
                "check the YAML syntax at this place: quote values that contain `:` or start with `[`, `{`, `*`, `&`, `!`, `%` or `@`"
            };
            problems.push(
                Diagnostic::error(path, line, column, format!("invalid YAML: {message}"))
                    .with_help(help),
            );
            None
        }
    }
}

/// The place (1-based line and column in `yaml`) of a quote that opens a value
/// and runs on into a line that starts a new key: almost surely a missing
/// closing quote. A quoted value may span lines, but not over a `key:` line.
fn unclosed_quote(yaml: &str) -> Option<(usize, usize)> {
    let mut open: Option<(char, usize, usize)> = None;
    for (n, line) in yaml.lines().enumerate() {
        if let Some((_, l, c)) = open
            && starts_a_key(line)
        {
            return Some((l, c));
        }
        let mut prev = None;
        let mut chars = line.char_indices().peekable();
        while let Some((i, ch)) = chars.next() {
            match open {
                Some(('"', ..)) if ch == '\\' => {
                    chars.next();
                }
                Some((q, ..)) if ch == q => {
                    if q == '\'' && chars.peek().is_some_and(|&(_, c)| c == '\'') {
                        chars.next();
                    } else {
                        open = None;
                    }
                }
                Some(_) => {}
                None if ch == '#' && prev.is_none_or(char::is_whitespace) => break,
                None if matches!(ch, '"' | '\'')
                    && prev.is_none_or(|p| p.is_whitespace() || "[{,:-".contains(p)) =>
                {
                    open = Some((ch, n + 1, line[..i].chars().count() + 1));
                }
                None => {}
            }
            prev = Some(ch);
        }
    }
    None
}

/// `key:` at the start of a line, as a new front matter key begins.
fn starts_a_key(line: &str) -> bool {
    let Some((key, rest)) = line.split_once(':') else {
        return false;
    };
    !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (rest.is_empty() || rest.starts_with(' '))
}

/// The YAML error's own sentence, without the position (we give the file's position).
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let full = e.without_snippet().to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full,
    };
    message.replace(", set DuplicateKeyPolicy in Options if acceptable", "")
}

/// Reads typed fields from raw front matter, recording a problem for each bad one.
struct Fields<'a> {
    path: &'a Path,
    raw: &'a RawFrontMatter,
    yaml_line: usize,
    problems: &'a mut Vec<Diagnostic>,
}

impl Fields<'_> {
    fn place(&self, key: &str) -> Place {
        self.raw
            .get(key)
            .map_or(Place { line: 1, column: 1 }, |v| Place {
                line: v.referenced.line() as usize + self.yaml_line - 1,
                column: v.referenced.column() as usize,
            })
    }

    fn error(&mut self, key: &str, message: String, help: &str) {
        let p = self.place(key);
        self.problems
            .push(Diagnostic::error(self.path, p.line, p.column, message).with_help(help));
    }

    fn warn(&mut self, key: &str, message: String, help: &str) {
        let p = self.place(key);
        self.problems
            .push(Diagnostic::warning(self.path, p.line, p.column, message).with_help(help));
    }

    /// Refuses control characters, bidi overrides and over-long text in any
    /// value (and key): they would make feeds ill-formed XML, reorder names
    /// on pages, or blow one title up into every page that lists it.
    fn refuse_hostile_values(&mut self) {
        let raw = self.raw;
        for (key, value) in raw {
            let mut found = None;
            if let Some(c) = key.chars().find(|&c| is_hostile_char(c)) {
                found = Some(Hostile::Char(c));
            }
            visit_strings(&value.value, &mut |text| {
                if found.is_none() {
                    found = hostile_text(text, KNOWN_KEYS.contains(&key.as_str()));
                }
            });
            let shown = printable(key).into_owned();
            match found {
                Some(Hostile::Char(c)) => self.error(
                    key,
                    format!("`{shown}` contains the invisible control character U+{:04X}", u32::from(c)),
                    "remove it (editors show it as nothing or as a box): front matter is plain text, and a line break or tab in a name becomes a space",
                ),
                Some(Hostile::Long(chars)) => self.error(
                    key,
                    format!("`{shown}` is {chars} characters long; at most {MAX_VALUE_CHARS} fit a title, name or id"),
                    "shorten it; a long text belongs in the letter's body, below the front matter",
                ),
                None => {}
            }
        }
    }

    fn value(&self, key: &str) -> Option<&Value> {
        self.raw.get(key).map(|v| &v.value).filter(|v| !v.is_null())
    }

    fn require(&mut self, key: &str, help: &str) -> bool {
        if self.value(key).is_some() {
            return true;
        }
        self.problems.push(
            Diagnostic::error(self.path, 1, 1, format!("the front matter has no `{key}`"))
                .with_help(help.to_string()),
        );
        false
    }

    fn string(&mut self, key: &str) -> Option<String> {
        match self.value(key)? {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.error(
                    key,
                    format!("`{key}` must be text"),
                    "write it as a single quoted string",
                );
                None
            }
        }
    }

    /// Dossier and letter ids: text or a number, never with a `/`.
    fn id_string(&mut self, key: &str) -> Option<String> {
        let id = self.string(key)?;
        if id.contains(['/', '\\']) || id.chars().any(char::is_control) {
            self.error(
                key,
                format!("`{key}` `{id}` contains a slash or a control character"),
                "ids are like \"36521\", \"31700 VI\" or \"C\"; a slash separates dossier and letter only in `in_reply_to`",
            );
            return None;
        }
        Some(id)
    }

    /// A window whose start lies after its end cannot be shown or sorted.
    fn check_date_window(&mut self, letter: &Letter) {
        if let (Some(not_before), Some(not_after)) = (letter.date_not_before, letter.date_not_after)
            && not_before.start() > not_after.end()
        {
            self.error(
                "date_not_before",
                format!(
                    "`date_not_before` {} lies after `date_not_after` {}",
                    not_before.iso(),
                    not_after.iso()
                ),
                "swap the two dates, or correct the one that is wrong",
            );
        }
    }

    /// The letter id a file without `letter:` takes from its name.
    fn id_from_file_name(&mut self, path: &Path) -> Option<String> {
        let id = path.file_stem()?.to_string_lossy().trim().to_string();
        if id.chars().any(is_hostile_char) {
            self.problems.push(
                Diagnostic::error(
                    self.path,
                    1,
                    1,
                    format!(
                        "the file name `{}` holds a control character",
                        printable(&id)
                    ),
                )
                .with_help(
                    "rename the file, or give the id as `letter: \"C\"` in the front matter",
                ),
            );
            return None;
        }
        Some(id)
    }

    fn string_list(&mut self, key: &str) -> Vec<String> {
        let items = match self.value(key) {
            None => return Vec::new(),
            Some(Value::Array(items)) => items.clone(),
            Some(other) => vec![other.clone()],
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                Value::Number(n) => out.push(n.to_string()),
                Value::String(_) | Value::Null => {}
                _ => self.error(
                    key,
                    format!("`{key}` must be a list of text items"),
                    "write it like [a, b]",
                ),
            }
        }
        out
    }

    fn date(&mut self, key: &str) -> Option<LetterDate> {
        let text = match self.value(key)? {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        match LetterDate::parse(&text) {
            Ok(d) => Some(d),
            Err(why) => {
                self.error(
                    key,
                    format!("`{key}`: {why}"),
                    "write the date as YYYY-MM-DD, or YYYY-MM or YYYY when the day or month is unknown",
                );
                None
            }
        }
    }

    fn full_date(&mut self, key: &str) -> Option<NaiveDate> {
        match self.date(key)? {
            LetterDate::Day(d) => Some(d),
            _ => {
                self.error(
                    key,
                    format!("`{key}` needs a full date"),
                    "write it as YYYY-MM-DD",
                );
                None
            }
        }
    }

    fn parties(&mut self, key: &str) -> Vec<Party> {
        let items = match self.value(key) {
            None => return Vec::new(),
            Some(Value::Array(items)) => items.clone(),
            Some(other) => vec![other.clone()],
        };
        items
            .iter()
            .filter_map(|item| self.party(key, item))
            .collect()
    }

    fn party(&mut self, key: &str, item: &Value) -> Option<Party> {
        let help = "write a name, a map like { name: \"…\", role: \"…\", organisation: \"…\" }, or a list of these";
        match item {
            Value::String(s) => Some(Party {
                name: clean_name(s),
                ..Party::default()
            })
            .filter(|p| p.name.is_some()),
            Value::Object(map) => {
                let mut party = Party::default();
                for (k, v) in map {
                    let text = match v {
                        Value::String(s) => clean_name(s),
                        Value::Number(n) => Some(n.to_string()),
                        Value::Null => None,
                        _ => {
                            self.error(key, format!("`{key}.{k}` must be text"), help);
                            continue;
                        }
                    };
                    match k.as_str() {
                        "name" => party.name = text,
                        "role" => party.role = text,
                        "organisation" | "organization" => party.organisation = text,
                        other => {
                            let hint = suggest(other, &["name", "role", "organisation"])
                                .map_or(help.to_string(), |s| format!("did you mean `{s}`?"));
                            self.error(
                                key,
                                format!("`{key}` has an unknown field `{other}`"),
                                &hint,
                            );
                        }
                    }
                }
                if party.name.is_none() && party.organisation.is_none() {
                    self.error(
                        key,
                        format!("a correspondent in `{key}` has neither `name` nor `organisation`"),
                        help,
                    );
                    return None;
                }
                Some(party)
            }
            _ => {
                self.error(key, format!("`{key}` is not a correspondent"), help);
                None
            }
        }
    }

    fn letter_refs(&mut self, key: &str) -> Vec<LetterRef> {
        let place = self.place(key);
        let mut refs = Vec::new();
        for written in self.string_list(key) {
            let (dossier, letter) = match written.rsplit_once('/') {
                Some((d, l)) => (Some(d.trim().to_string()), l.trim().to_string()),
                None => (None, written.clone()),
            };
            if letter.is_empty() || dossier.as_deref() == Some("") {
                self.error(
                    key,
                    format!("`{key}` `{written}` names no letter"),
                    "write \"C\" or \"36521/C\"",
                );
                continue;
            }
            refs.push(LetterRef {
                dossier,
                letter,
                line: place.line,
                column: place.column,
            });
        }
        refs
    }

    fn kind(&mut self) -> Kind {
        let Some(text) = self.string("kind") else {
            return Kind::default();
        };
        Kind::parse(&text).unwrap_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            self.error(
                "kind",
                format!("`kind` `{text}` is not a kind of letter"),
                &format!("use one of: {}", names.join(", ")),
            );
            Kind::default()
        })
    }

    fn chamber(&mut self) -> Option<Chamber> {
        let value = self.value("chamber")?.clone();
        let chamber = Chamber::parse(&value);
        if chamber.is_none() {
            self.error(
                "chamber",
                "`chamber` must be I or II".to_string(),
                "I is the Eerste Kamer, II the Tweede Kamer",
            );
        }
        chamber
    }

    fn session(&mut self) -> Option<String> {
        let s = self.string("session")?;
        let ok = s.len() == 7
            && s.as_bytes()[4] == b'/'
            && s.bytes()
                .enumerate()
                .all(|(i, b)| i == 4 || b.is_ascii_digit());
        if !ok {
            self.error(
                "session",
                format!("`session` `{s}` is not a session year"),
                "write it like \"2025/26\"",
            );
            return None;
        }
        Some(s)
    }

    fn bool(&mut self, key: &str) -> bool {
        match self.value(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.error(
                    key,
                    format!("`{key}` must be true or false"),
                    "write `true` or `false`",
                );
                false
            }
        }
    }

    /// Paths of attachments: plain relative file names, never leaving the letter's folder.
    fn attachments(&mut self) -> Vec<String> {
        self.checked_list(
            "attachments",
            |a| safe_relative_path(a).then(|| a.to_string()),
            |a| format!("attachment `{a}` points outside the letter's folder"),
            "name a file beside the letter, like `bijlage.pdf` or `bijlagen/tabel.csv`",
        )
    }

    /// Old URL paths of the letter, without their outer slashes.
    fn aliases(&mut self) -> Vec<String> {
        self.checked_list(
            "aliases",
            |a| {
                let trimmed = a.trim_matches('/');
                let fine = !trimmed.is_empty()
                    && safe_relative_path(trimmed)
                    && !trimmed.contains(['?', '#', '"', '<', '>']);
                fine.then(|| trimmed.to_string())
            },
            |a| format!("alias `{a}` is not a path inside the site"),
            "write an old URL path such as \"/oud/brief-c/\"",
        )
    }

    /// The strings of the list under `key` as `keep` takes them; each one it
    /// refuses is reported (`problem`, `help`) and left out.
    fn checked_list(
        &mut self,
        key: &str,
        keep: impl Fn(&str) -> Option<String>,
        problem: impl Fn(&str) -> String,
        help: &str,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for value in self.string_list(key) {
            match keep(&value) {
                Some(kept) => out.push(kept),
                None => self.error(key, problem(&value), help),
            }
        }
        out
    }

    /// Only web links survive, or the name of one of the letter's attachments (the
    /// original an import kept): `javascript:` and other schemes would run or leak
    /// in a reader's browser.
    fn source(&mut self, attachments: &[String]) -> Option<String> {
        let url = self.string("source")?;
        if is_safe_url(&url) || attachments.contains(&url) {
            return Some(url);
        }
        self.warn(
            "source",
            format!("`source` `{url}` is not an http(s) link nor an attachment and is left out"),
            "give the address where the original is published, starting with https://, or the name of a file under `attachments`",
        );
        None
    }

    /// `reply_due`: a date, or the term the letter sets (`"binnen vier weken na
    /// dagtekening"`), so that the deadline follows the date once it is known.
    fn reply_due(&mut self) -> Option<ReplyDue> {
        if let Some(Value::String(s)) = self.value("reply_due")
            && !s.trim().starts_with(|c: char| c.is_ascii_digit())
        {
            let text = s.clone();
            let term = term_in_text(&text);
            if term.is_none() {
                self.error(
                    "reply_due",
                    format!("`reply_due` `{text}` is neither a date nor a term counted from the dagtekening"),
                    "write a date (2026-01-13) or a term like \"binnen vier weken na dagtekening\"",
                );
            }
            return term.map(|t| ReplyDue::Term(t.days));
        }
        self.full_date("reply_due").map(ReplyDue::Date)
    }

    /// A `draft: true` letter that lacks a required key is left out with a
    /// warning naming what it lacks, so an imported draft never fails a build.
    fn incomplete_draft(&mut self) -> bool {
        if !matches!(self.value("draft"), Some(Value::Bool(true))) {
            return false;
        }
        let missing: Vec<String> = ["dossier", "date", "from", "to"]
            .into_iter()
            .filter(|k| self.value(k).is_none())
            .map(|k| format!("`{k}`"))
            .collect();
        if missing.is_empty() {
            return false;
        }
        self.warn(
            "draft",
            format!("draft, not built: it lacks {}", missing.join(", ")),
            "fill in what it lacks (an imported draft names each gap in a comment), then remove `draft: true`",
        );
        true
    }

    fn warn_unknown_keys(&mut self) -> serde_json::Map<String, Value> {
        let mut extra = serde_json::Map::new();
        for (key, value) in self.raw {
            if KNOWN_KEYS.contains(&key.as_str()) {
                continue;
            }
            // A misspelt key would silently drop what it says (a misspelt
            // `in_reply_to` publishes an answered letter as overdue): stop the build.
            if let Some(known) = suggest(key, KNOWN_KEYS) {
                let place = self.place(key);
                self.problems.push(
                    Diagnostic::error(
                        self.path,
                        place.line,
                        place.column,
                        format!("unknown key `{key}`: did you mean `{known}`?"),
                    )
                    .with_help(format!(
                        "rename it to `{known}`; a key of your own (passed to templates as `extra`) needs a name that is not this close to one of postkamer's keys"
                    )),
                );
            }
            extra.insert(key.clone(), value.value.clone());
        }
        extra
    }

    /// A deadline before the letter was written, or an answer to nothing, would
    /// publish a false status.
    fn check_request(&mut self, letter: &Letter) {
        if let Some(due) = letter.reply_due
            && !letter.reply_due_derived
            && due < letter.date.start()
        {
            self.error(
                "reply_due",
                format!(
                    "`reply_due` {} is before the letter's own date {}",
                    due.format("%Y-%m-%d"),
                    letter.date.iso()
                ),
                "check both dates: an answer can only be due after the letter was written",
            );
        }
        if letter.kind == Kind::Answer && letter.in_reply_to.is_empty() {
            self.warn(
                "kind",
                "`kind: answer` but no `in_reply_to`: no letter is marked as answered by it".to_string(),
                "add `in_reply_to:` with the id of the letter it answers, like `in_reply_to: \"C\"`",
            );
        }
    }

    fn letter(&mut self, path: &Path, body: &str, body_line: usize) -> Option<Letter> {
        if self.incomplete_draft() {
            return None;
        }
        let mut usable = self.require(
            "dossier",
            "add `dossier: \"36521\"` with the number of the dossier the letter belongs to",
        );
        usable &= self.require(
            "date",
            "add `date: 2025-11-19`, the date the letter bears (dagtekening)",
        );
        usable &= self.require(
            "from",
            "add `from:` with the sender's name, or a map { name, role, organisation }",
        );
        usable &= self.require(
            "to",
            "add `to:` with the recipient's name, or a map { name, role, organisation }",
        );
        let extra = self.warn_unknown_keys();
        let dossier = self.id_string("dossier");
        let id = match self.value("letter") {
            Some(_) => self.id_string("letter"),
            None => self.id_from_file_name(path),
        };
        let date = self.date("date");
        let from = self.parties("from");
        let to = self.parties("to");
        for (key, parties) in [("from", &from), ("to", &to)] {
            if parties.is_empty() && self.value(key).is_some() {
                self.error(
                    key,
                    format!("`{key}` names no correspondent"),
                    "write a name or a map { name, role, organisation }",
                );
            }
        }
        let date_place = self.place("date");
        let reply_due = self.reply_due();
        let attachments = self.attachments();
        let source = self.source(&attachments);
        let mut letter = Letter {
            path: path.to_path_buf(),
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            dossier: dossier?,
            id: id.filter(|i| !i.is_empty())?,
            title: self.string("title"),
            date: date?,
            date_place: Place {
                line: date_place.line,
                column: date_place.column,
            },
            date_not_before: self.date("date_not_before"),
            date_not_after: self.date("date_not_after"),
            from,
            to,
            in_reply_to: self.letter_refs("in_reply_to"),
            reply_due: None,
            reply_due_derived: false,
            kind: self.kind(),
            kenmerk: self.string("kenmerk"),
            chamber: self.chamber(),
            session: self.session(),
            tags: self.string_list("tags"),
            attachments,
            attachments_place: self.place("attachments"),
            places: Places {
                dossier: self.place("dossier"),
                letter: self.place("letter"),
                from: self.place("from"),
                to: self.place("to"),
                tags: self.place("tags"),
                aliases: self.place("aliases"),
            },
            source,
            aliases: self.aliases(),
            draft: self.bool("draft"),
            extra,
            body: clean_body(body),
            body_line,
        };
        self.check_date_window(&letter);
        match reply_due {
            Some(ReplyDue::Date(d)) => letter.reply_due = Some(d),
            Some(ReplyDue::Term(days)) => {
                if !apply_term(&mut letter, days) {
                    self.error(
                        "reply_due",
                        "the reply term ends after the year 9999".to_string(),
                        "write the term as the letter means it, or a date YYYY-MM-DD",
                    );
                    usable = false;
                }
            }
            None => {
                if let Some(problem) = derive_deadline(&mut letter) {
                    self.problems.push(problem);
                    usable = false;
                }
            }
        }
        self.check_request(&letter);
        (usable && !letter.from.is_empty() && !letter.to.is_empty()).then_some(letter)
    }
}

/// `reply_due` as written: a date, or a term counted from the dagtekening.
enum ReplyDue {
    Date(NaiveDate),
    Term(u128),
}

/// Sets `reply_due` to the date plus a term of `days` (from the front matter's
/// `reply_due: "binnen vier weken na dagtekening"`). False when it ends past 9999.
fn apply_term(letter: &mut Letter, days: u128) -> bool {
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
fn due_after(date: NaiveDate, days: u128) -> Option<NaiveDate> {
    u64::try_from(days)
        .ok()
        .and_then(|days| date.checked_add_days(Days::new(days)))
        .filter(|due| due.year() <= 9999)
}

/// Fills `reply_due` from the body when the front matter has none and the text
/// sets a term, like the seed letter's `binnen vier weken na dagtekening`. A
/// term that ends past the year 9999 is a problem at its place in the body.
fn derive_deadline(letter: &mut Letter) -> Option<Diagnostic> {
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
fn number_word(word: &str) -> Option<u128> {
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

/// The longest single value (a title, a name, an id) a known key may hold, in characters.
pub const MAX_VALUE_CHARS: usize = 1000;

/// What is wrong with a front matter text.
enum Hostile {
    Char(char),
    Long(usize),
}

fn hostile_text(text: &str, known_key: bool) -> Option<Hostile> {
    if let Some(c) = text.chars().find(|&c| is_hostile_char(c)) {
        return Some(Hostile::Char(c));
    }
    // Counting characters is only needed when the bytes could be too many.
    if known_key && text.len() > MAX_VALUE_CHARS {
        let chars = text.chars().count();
        if chars > MAX_VALUE_CHARS {
            return Some(Hostile::Long(chars));
        }
    }
    None
}

/// Calls `f` with every string in a YAML value: keys and values, at any depth.
fn visit_strings(value: &Value, f: &mut impl FnMut(&str)) {
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|v| visit_strings(v, f)),
        Value::Object(map) => {
            for (k, v) in map {
                f(k);
                visit_strings(v, f);
            }
        }
        _ => {}
    }
}

/// A body without the characters no page, feed or export may hold: control
/// characters other than tab and line breaks, bidi overrides and isolates.
/// Dropped rather than refused: a body pasted from a PDF often carries them.
pub fn clean_body(body: &str) -> String {
    if !body.chars().any(is_hostile_char) {
        return body.to_string();
    }
    body.chars().filter(|&c| !is_hostile_char(c)).collect()
}

/// Trims and collapses runs of white space; keeps no-break spaces as written.
fn clean_name(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for word in s.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Some(out).filter(|o| !o.trim().is_empty())
}

/// The known key a misspelt key most likely meant, if any is close.
pub fn suggest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let key = key.to_lowercase();
    known
        .iter()
        .map(|k| (*k, strsim::damerau_levenshtein(&key, k)))
        .filter(|(k, d)| *d > 0 && (*d <= 2 || (*d <= 3 && k.len() > 8)))
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| k)
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
        assert_eq!((p.line, p.column), (3, 7));
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
        assert_eq!(problems[0].line, 2);
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
        assert_eq!((p[0].line, p[0].column), (2, 10));
    }

    #[test]
    fn yaml_error_of_an_unclosed_quote_names_the_line_it_opened() {
        // The stray quote of `from` closes the title: the parser gives up on line 5.
        let text = "---\ndossier: \"1\"\ntitle: \"Vragen over\ndate: 2025-01-01\nfrom: \"A\"\nto: B\n---\n";
        let (_, problems) = parse(text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (3, 8));
        assert!(problems[0].message.contains("quote opened here"));
        let single = "---\ndossier: '1\ndate: 2025-01-01\nfrom: 'A'\nto: B\n---\n";
        assert_eq!(parse(single).1[0].line, 2);
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
        assert_eq!(problems[0].line, 8);
        let (letter, problems) = parse(&GOOD.replace("in_reply_to: \"C\"", "kind: answer"));
        assert!(letter.is_some());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(!problems[0].is_error() && problems[0].message.contains("no `in_reply_to`"));
        assert_eq!((problems[0].line, problems[0].column), (8, 7));
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
        assert_eq!(problems[0].line, 8);
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
            assert_eq!((p.line, p.column), (13, 7), "{term}");
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
            assert_eq!(p.line, line - 1, "{bad}");
        }
        let text = GOOD.replace("name: \"I.M. Lagas\"", "name: \"X\\e[31m\"");
        let (_, problems) = parse(&text);
        assert_eq!(problems[0].line, 5, "{problems:?}");
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
        assert_eq!(problems[0].line, 8, "{problems:?}");
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
