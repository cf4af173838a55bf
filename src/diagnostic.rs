//! Problems found in a site's input, each pointing at a file, and at a line and column in it
//! when the problem has a place.
//!
//! Validation never stops at the first problem: every stage pushes into a
//! [`Diagnostics`] list so a build reports everything wrong at once.

use std::fmt;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How bad a problem is. Warnings let the build go on unless `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A place in a file: 1-based line and column. A problem about a whole file has no
/// `Position` at all, so a line or column 0 cannot stand for "nowhere".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    line: NonZeroUsize,
    column: NonZeroUsize,
}

impl Position {
    /// The first character of a file: where a problem with the file's start is reported.
    pub const START: Position = Position {
        line: NonZeroUsize::MIN,
        column: NonZeroUsize::MIN,
    };

    /// The place at `line` and `column`; `None` when either is 0, which is no place.
    pub fn new(line: usize, column: usize) -> Option<Position> {
        Some(Position {
            line: NonZeroUsize::new(line)?,
            column: NonZeroUsize::new(column)?,
        })
    }

    /// The place of byte `offset` in `text`.
    pub fn in_text(text: &str, offset: usize) -> Position {
        let (line, column) = line_column(text, offset);
        Position::new(line, column).unwrap_or(Position::START)
    }

    pub fn line(self) -> usize {
        self.line.get()
    }

    pub fn column(self) -> usize {
        self.column.get()
    }
}

/// One problem in one file, with the place and a hint how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, as given to the user (relative to the site root where possible).
    pub path: PathBuf,
    /// Where in the file; `None` when the problem concerns the whole file.
    pub position: Option<Position>,
    pub message: String,
    pub help: Option<String>,
    /// The error this problem was made from, for callers that need more than its text.
    pub cause: Option<Cause>,
}

impl Diagnostic {
    /// An error at `line`:`column` (both 1-based) of `path`.
    pub fn error(
        path: impl AsRef<Path>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::error_in(path, message).at(place(line, column))
    }

    /// A warning at `line`:`column` (both 1-based) of `path`.
    pub fn warning(
        path: impl AsRef<Path>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::warning_in(path, message).at(place(line, column))
    }

    /// An error about the whole of `path` (it cannot be read, it is missing, …).
    pub fn error_in(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.as_ref().to_path_buf(),
            position: None,
            message: message.into(),
            help: None,
            cause: None,
        }
    }

    /// A warning about the whole of `path`.
    pub fn warning_in(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error_in(path, message)
        }
    }

    /// Places the problem, or takes its place away (`None`: the whole file).
    pub fn at(mut self, position: impl Into<Option<Position>>) -> Self {
        self.position = position.into();
        self
    }

    /// Adds the sentence that tells the user how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Keeps the error the problem was made from as its [`source`](std::error::Error::source).
    pub fn caused_by(mut self, error: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.cause = Some(Cause(Arc::new(error)));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The 1-based line, if the problem has a place.
    pub fn line(&self) -> Option<usize> {
        self.position.map(Position::line)
    }

    /// The 1-based column, if the problem has a place.
    pub fn column(&self) -> Option<usize> {
        self.position.map(Position::column)
    }
}

/// A place given as numbers: both must be 1-based. A 0 is a caller's mistake (a whole-file
/// problem is made with `error_in`), caught in tests and reported without a place otherwise.
fn place(line: usize, column: usize) -> Option<Position> {
    let position = Position::new(line, column);
    debug_assert!(
        position.is_some(),
        "a diagnostic at {line}:{column}: a place is 1-based; use `error_in` for a whole file"
    );
    position
}

/// The typed error behind a [`Diagnostic`], shared so the diagnostic stays cheap to clone.
/// Two causes are equal when they read the same: diagnostics compare by what they say.
#[derive(Debug, Clone)]
pub struct Cause(pub Arc<dyn std::error::Error + Send + Sync>);

impl PartialEq for Cause {
    fn eq(&self, other: &Cause) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

impl Eq for Cause {}

impl std::error::Error for Diagnostic {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_ref()
            .map(|c| c.0.as_ref() as &(dyn std::error::Error + 'static))
    }
}

impl fmt::Display for Diagnostic {
    /// The message for a terminal: control characters and bidi overrides from
    /// the input are shown escaped (`\u{1b}`), so a letter cannot recolour,
    /// retitle or reorder the terminal that prints its errors.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{label}: {}",
            printable(&self.path.display().to_string())
        )?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line(), p.column())?;
        }
        write!(f, ": {}", printable(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", printable(help))?;
        }
        Ok(())
    }
}

/// A character that must never reach output or a terminal as it is: a
/// control character other than tab and line breaks (C0, DEL, C1), a bidi
/// override or isolate (they reorder the text around them), or a
/// noncharacter XML cannot hold.
pub fn is_hostile_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}')
}

/// `text` with every hostile character (and carriage return) escaped as `\u{…}`.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| is_hostile_char(c) || c == '\r';
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Every problem found so far, in a stable order for reporting.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

/// A single problem as a list, for stages that stop at their first.
impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(more);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Turns every warning into an error (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.0 {
            d.severity = Severity::Error;
        }
    }

    /// Sorts by file, then place, so reports read top to bottom and are deterministic.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.position, &a.message).cmp(&(&b.path, b.position, &b.message))
        });
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// The 1-based line and column of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        assert_eq!(line_column("ab\ncö d", 7), (2, 4));
        assert_eq!(line_column("", 10), (1, 1));
    }

    #[test]
    fn terminal_control_sequences_from_input_are_shown_escaped() {
        let d = Diagnostic::error(
            "content/1/A\u{1b}[31m.md",
            2,
            9,
            "`letter` `A\u{1b}]0;X\u{7}B` is bad",
        )
        .with_help("not \u{202e}this\u{9b}");
        let text = d.to_string();
        assert_eq!(
            text,
            "error: content/1/A\\u{1b}[31m.md:2:9: `letter` `A\\u{1b}]0;X\\u{7}B` is bad\n  help: not \\u{202e}this\\u{9b}"
        );
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn no_position_has_a_line_or_column_0() {
        assert_eq!(Position::new(0, 0), None);
        assert_eq!(Position::new(0, 4), None);
        assert_eq!(Position::new(3, 0), None);
        let p = Position::new(3, 4).expect("a place");
        assert_eq!((p.line(), p.column()), (3, 4));
        assert_eq!((Position::START.line(), Position::START.column()), (1, 1));
        assert_eq!(
            Position::in_text("ab\ncd", 4),
            Position::new(2, 2).expect("a place")
        );
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "a place is 1-based")]
    fn a_place_at_line_0_is_a_mistake_caught_in_tests() {
        let _ = Diagnostic::error("site.toml", 0, 0, "no place");
    }

    #[test]
    fn a_whole_file_problem_has_no_place_and_shows_none() {
        let d = Diagnostic::warning_in("site.toml", "no host").with_help("set base_url");
        assert_eq!((d.position, d.line(), d.column()), (None, None, None));
        assert_eq!(
            d.to_string(),
            "warning: site.toml: no host\n  help: set base_url"
        );
    }

    #[test]
    fn whole_file_problems_sort_before_placed_ones() {
        let mut list = Diagnostics::default();
        list.push(Diagnostic::error("a.md", 2, 1, "x"));
        list.push(Diagnostic::error("a.md", 1, 5, "x"));
        list.push(Diagnostic::error_in("a.md", "x"));
        list.sort();
        let lines: Vec<Option<usize>> = list.iter().map(Diagnostic::line).collect();
        assert_eq!(lines, [None, Some(1), Some(2)]);
    }

    #[test]
    fn the_cause_is_kept_as_the_source() {
        use std::error::Error;
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let d = Diagnostic::error_in("public", "public: denied").caused_by(io);
        assert_eq!(d.to_string(), "error: public: public: denied");
        let source = d.source().expect("a source");
        let io = source
            .downcast_ref::<std::io::Error>()
            .expect("the io error");
        assert_eq!(io.kind(), std::io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn display_names_file_line_column_and_help() {
        let d = Diagnostic::error("content/1/A.md", 3, 7, "bad date").with_help("write YYYY-MM-DD");
        assert_eq!(
            d.to_string(),
            "error: content/1/A.md:3:7: bad date\n  help: write YYYY-MM-DD"
        );
    }
}
