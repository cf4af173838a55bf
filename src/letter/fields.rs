//! The field validator: typed values from raw front matter, a problem at its place for each
//! bad one, and the rules for text that must not reach a page.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Position, is_hostile_char, printable};
use crate::paths::{is_safe_url, safe_relative_path};

use super::*;

/// Reads typed fields from raw front matter, recording a problem for each bad one.
pub(super) struct Fields<'a> {
    pub(super) path: &'a Path,
    pub(super) raw: &'a RawFrontMatter,
    pub(super) yaml_line: usize,
    pub(super) problems: &'a mut Vec<Diagnostic>,
}

impl Fields<'_> {
    /// Where `key`'s value is written; the file's start for a key that is not (or a value the
    /// YAML reader could not place).
    pub(super) fn place(&self, key: &str) -> Position {
        self.raw
            .get(key)
            .and_then(|v| in_file(&v.referenced, self.yaml_line))
            .unwrap_or(Position::START)
    }

    pub(super) fn error(&mut self, key: &str, message: String, help: &str) {
        let p = self.place(key);
        self.problems.push(
            Diagnostic::error_in(self.path, message)
                .at(p)
                .with_help(help),
        );
    }

    pub(super) fn warn(&mut self, key: &str, message: String, help: &str) {
        let p = self.place(key);
        self.problems.push(
            Diagnostic::warning_in(self.path, message)
                .at(p)
                .with_help(help),
        );
    }

    /// Refuses control characters, bidi overrides and over-long text in any
    /// value (and key): they would make feeds ill-formed XML, reorder names
    /// on pages, or blow one title up into every page that lists it.
    pub(super) fn refuse_hostile_values(&mut self) {
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

    pub(super) fn value(&self, key: &str) -> Option<&Value> {
        self.raw.get(key).map(|v| &v.value).filter(|v| !v.is_null())
    }

    pub(super) fn require(&mut self, key: &str, help: &str) -> bool {
        if self.value(key).is_some() {
            return true;
        }
        self.problems.push(
            Diagnostic::error(self.path, 1, 1, format!("the front matter has no `{key}`"))
                .with_help(help.to_string()),
        );
        false
    }

    pub(super) fn string(&mut self, key: &str) -> Option<String> {
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
    pub(super) fn id_string(&mut self, key: &str) -> Option<String> {
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
    pub(super) fn check_date_window(&mut self, letter: &Letter) {
        if let (Some(not_before), Some(not_after)) =
            (letter.shown.date_not_before, letter.shown.date_not_after)
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
    pub(super) fn id_from_file_name(&mut self, path: &Path) -> Option<String> {
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

    pub(super) fn string_list(&mut self, key: &str) -> Vec<String> {
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

    pub(super) fn date(&mut self, key: &str) -> Option<LetterDate> {
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

    pub(super) fn full_date(&mut self, key: &str) -> Option<NaiveDate> {
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

    pub(super) fn parties(&mut self, key: &str) -> Vec<Party> {
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

    pub(super) fn party(&mut self, key: &str, item: &Value) -> Option<Party> {
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

    pub(super) fn letter_refs(&mut self, key: &str) -> Vec<LetterRef> {
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
                place,
            });
        }
        refs
    }

    pub(super) fn kind(&mut self) -> Kind {
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

    pub(super) fn chamber(&mut self) -> Option<Chamber> {
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

    pub(super) fn session(&mut self) -> Option<String> {
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

    pub(super) fn bool(&mut self, key: &str) -> bool {
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
    pub(super) fn attachments(&mut self) -> Vec<String> {
        self.checked_list(
            "attachments",
            |a| safe_relative_path(a).then(|| a.to_string()),
            |a| format!("attachment `{a}` points outside the letter's folder"),
            "name a file beside the letter, like `bijlage.pdf` or `bijlagen/tabel.csv`",
        )
    }

    /// Old URL paths of the letter, without their outer slashes.
    pub(super) fn aliases(&mut self) -> Vec<String> {
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
    pub(super) fn checked_list(
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
    pub(super) fn source(&mut self, attachments: &[String]) -> Option<String> {
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
    pub(super) fn reply_due(&mut self) -> Option<ReplyDue> {
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
    pub(super) fn incomplete_draft(&mut self) -> bool {
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

    pub(super) fn warn_unknown_keys(&mut self) -> serde_json::Map<String, Value> {
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
                    Diagnostic::error_in(
                        self.path,
                        format!("unknown key `{key}`: did you mean `{known}`?"),
                    )
                    .at(place)
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
    pub(super) fn check_request(&mut self, letter: &Letter) {
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

    pub(super) fn letter(&mut self, path: &Path, body: &str, body_line: usize) -> Option<Letter> {
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
            date: date?,
            date_place,
            from,
            to,
            in_reply_to: self.letter_refs("in_reply_to"),
            reply_due: None,
            reply_due_derived: false,
            kind: self.kind(),
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
            aliases: self.aliases(),
            draft: self.bool("draft"),
            shown: Shown {
                title: self.string("title"),
                kenmerk: self.string("kenmerk"),
                source,
                date_not_before: self.date("date_not_before"),
                date_not_after: self.date("date_not_after"),
                extra,
            },
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

/// The longest single value (a title, a name, an id) a known key may hold, in characters.
pub const MAX_VALUE_CHARS: usize = 1000;

/// What is wrong with a front matter text.
pub(super) enum Hostile {
    Char(char),
    Long(usize),
}

pub(super) fn hostile_text(text: &str, known_key: bool) -> Option<Hostile> {
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
pub(super) fn visit_strings(value: &Value, f: &mut impl FnMut(&str)) {
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
pub(super) fn clean_name(s: &str) -> Option<String> {
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
