//! Front matter: the YAML block split from the body and read with each value's place.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, Position};

/// Front matter as YAML gave it: each value with the place it was defined.
pub(super) type RawFrontMatter = BTreeMap<String, Spanned<Value>>;

/// The pieces of a file with front matter.
pub(super) struct Split<'a> {
    pub(super) yaml: &'a str,
    /// Line of the file on which the YAML starts (after the opening `---`).
    pub(super) yaml_line: usize,
    pub(super) body: &'a str,
    pub(super) body_line: usize,
}

pub(super) fn read_front_matter<'a>(
    path: &Path,
    bytes: &'a [u8],
    problems: &mut Vec<Diagnostic>,
) -> Option<(RawFrontMatter, Split<'a>)> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            problems.push(
                Diagnostic::error_in(path, "the file is not valid UTF-8")
                    .at(Position::in_text(valid, valid.len()))
                    .with_help(
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

pub(super) fn split_front_matter<'a>(
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

pub(super) fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    // `role: Y` must stay the letter Y, and `kenmerk: 0755` its digits.
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options.with_snippet = false;
    options
}

pub(super) fn parse_yaml(
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
            let (line, column) = e
                .location()
                .and_then(|l| in_file(&l, split.yaml_line))
                .map_or((split.yaml_line, 1), |p| (p.line(), p.column()));
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

/// A place the YAML reader gives (1-based within the YAML block) as a place in the file;
/// `None` for the reader's "location unknown" (line 0).
pub(super) fn in_file(location: &serde_saphyr::Location, yaml_line: usize) -> Option<Position> {
    let p = Position::new(location.line() as usize, location.column() as usize)?;
    Position::new(p.line() + yaml_line - 1, p.column())
}

/// The place (1-based line and column in `yaml`) of a quote that opens a value
/// and runs on into a line that starts a new key: almost surely a missing
/// closing quote. A quoted value may span lines, but not over a `key:` line.
pub(super) fn unclosed_quote(yaml: &str) -> Option<(usize, usize)> {
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
pub(super) fn starts_a_key(line: &str) -> bool {
    let Some((key, rest)) = line.split_once(':') else {
        return false;
    };
    !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (rest.is_empty() || rest.starts_with(' '))
}

/// The YAML error's own sentence, without the position (we give the file's position).
pub(super) fn yaml_message(e: &serde_saphyr::Error) -> String {
    let full = e.without_snippet().to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full,
    };
    message.replace(", set DuplicateKeyPolicy in Options if acceptable", "")
}
