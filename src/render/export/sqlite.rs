//! `data/letters.sqlite`: the archive as a SQLite database for data journalists — open it in
//! `sqlite3`, Datasette or any SQL tool.
//!
//! Tables (rowids are the archive's own order, so they are the same in every build):
//! - `dossiers(id, title, url)`;
//! - `correspondents(id, slug, name, person, url)`: `person` is 1 when written as a person;
//! - `letters(id, dossier, letter, title, date, kind, reply_due, status, answered_on,
//!   days_to_reply, days_late, kenmerk, citation, url, source, body)`: the columns of
//!   `letters.json`, and `body`, the letter's text;
//! - `letter_correspondents(letter, correspondent, side, role, organisation)`: `side` is
//!   `from` or `to`;
//! - `replies(letter, in_reply_to, answers)`: `answers` is 1 when the reply answers the
//!   request (it comes from an addressee and is no reminder or postponement);
//! - `citations(letter, cited, cited_dossier, cited_letter)`: `cited` is the letter in the
//!   archive, or NULL for a cited paper the archive does not hold;
//! - `letter_tags(letter, tag)`;
//! - `letters_fts`: an FTS5 index of `title` and `body` over `letters` (external content), the
//!   table Datasette offers a search box for.
//!
//! `build` writes the database straight into its file in the staging folder; `check` and
//! `serve`, which hold files in memory, build it in memory and serialise it. Nothing in it comes
//! from the clock, and SQLite writes the same pages for the same statements either way, so two
//! builds of the same archive give the same bytes, and a build the same bytes as `serve`.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, params};

use serde::Serialize;

use crate::archive::LetterIx;
use crate::diagnostic::Diagnostic;

use super::super::context::Contexts;
use super::super::handle::{Handle, shown_or_inputs};
use super::super::markdown::RenderedBody;
use super::records::LetterRecord;

const SCHEMA: &str = "
CREATE TABLE dossiers (
  id TEXT PRIMARY KEY,
  title TEXT,
  url TEXT NOT NULL
);
CREATE TABLE correspondents (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  person INTEGER NOT NULL,
  url TEXT NOT NULL
);
CREATE TABLE letters (
  id INTEGER PRIMARY KEY,
  dossier TEXT NOT NULL REFERENCES dossiers(id),
  letter TEXT NOT NULL,
  title TEXT,
  date TEXT NOT NULL,
  kind TEXT NOT NULL,
  reply_due TEXT,
  status TEXT,
  answered_on TEXT,
  days_to_reply INTEGER,
  days_late INTEGER,
  kenmerk TEXT,
  citation TEXT,
  url TEXT NOT NULL,
  source TEXT,
  body TEXT NOT NULL,
  UNIQUE (dossier, letter)
);
CREATE TABLE letter_correspondents (
  letter INTEGER NOT NULL REFERENCES letters(id),
  correspondent INTEGER NOT NULL REFERENCES correspondents(id),
  side TEXT NOT NULL CHECK (side IN ('from', 'to')),
  role TEXT,
  organisation TEXT
);
CREATE TABLE replies (
  letter INTEGER NOT NULL REFERENCES letters(id),
  in_reply_to INTEGER NOT NULL REFERENCES letters(id),
  answers INTEGER NOT NULL
);
CREATE TABLE citations (
  letter INTEGER NOT NULL REFERENCES letters(id),
  cited INTEGER REFERENCES letters(id),
  cited_dossier TEXT NOT NULL,
  cited_letter TEXT NOT NULL
);
CREATE TABLE letter_tags (
  letter INTEGER NOT NULL REFERENCES letters(id),
  tag TEXT NOT NULL
);
CREATE VIRTUAL TABLE letters_fts USING fts5(title, body, content='letters', content_rowid='id');
";

/// Indexes on the linking columns, for joins in `sqlite3` or Datasette; made after the rows,
/// which is faster than keeping them up to date row by row.
const INDEXES: &str = "
CREATE INDEX letter_correspondents_letter ON letter_correspondents(letter);
CREATE INDEX letter_correspondents_correspondent ON letter_correspondents(correspondent);
CREATE INDEX replies_letter ON replies(letter);
CREATE INDEX replies_in_reply_to ON replies(in_reply_to);
CREATE INDEX citations_letter ON citations(letter);
CREATE INDEX citations_cited ON citations(cited);
CREATE INDEX letter_tags_letter ON letter_tags(letter);
CREATE INDEX letter_tags_tag ON letter_tags(tag);
";

/// What the database holds, row by row: the writer reads nothing else.
#[derive(Serialize)]
pub struct SqliteView<'r> {
    /// id, title, url.
    dossiers: Vec<(&'r str, Option<&'r str>, String)>,
    /// slug, name, person, url; the row id is the position.
    correspondents: Vec<(&'r str, &'r str, bool, String)>,
    letters: Vec<SqlLetter<'r>>,
}

/// A letter's rows: its record and text, then what links it (row ids are archive positions).
#[derive(Serialize)]
struct SqlLetter<'r> {
    record: Handle<'r, LetterRecord<'r>>,
    text: BodyText<'r>,
    /// Correspondent row, side, role, organisation.
    parties: Vec<(i64, &'static str, Option<&'r str>, Option<&'r str>)>,
    /// Letter row answered, and whether this letter answers it.
    replies: Vec<(i64, bool)>,
    /// The cited letter's row (none when the archive lacks it), its dossier and id.
    cites: Vec<(Option<i64>, &'r str, &'r str)>,
    tags: Vec<&'r str>,
}

/// A body's plain text: to the writer the text, to the hash the body's fingerprint.
struct BodyText<'r>(Handle<'r, RenderedBody>);

impl Serialize for BodyText<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        shown_or_inputs(s, || &self.0.get().text, &self.0)
    }
}

pub fn view<'r>(c: &'r Contexts<'_>) -> SqliteView<'r> {
    let r = c.r;
    let a = r.archive;
    SqliteView {
        dossiers: a
            .dossiers
            .iter()
            .map(|d| {
                (
                    d.id.as_str(),
                    d.title.as_deref(),
                    format!("{}{}", r.base_url, d.url),
                )
            })
            .collect(),
        correspondents: a
            .correspondents
            .iter()
            .map(|corr| {
                let url = format!("{}{}", r.base_url, corr.url);
                (corr.slug.as_str(), corr.name.as_str(), corr.person, url)
            })
            .collect(),
        letters: (0..a.letters.len()).map(|ix| sql_letter(c, ix)).collect(),
    }
}

fn sql_letter<'r>(c: &'r Contexts<'_>, ix: LetterIx) -> SqlLetter<'r> {
    let a = c.r.archive;
    let l = &a.letters[ix];
    let mut parties = Vec::new();
    for (side, written, linked) in [
        ("from", &l.letter.from, &l.from),
        ("to", &l.letter.to, &l.to),
    ] {
        for (p, &corr) in written.iter().zip(linked) {
            parties.push((
                row(corr),
                side,
                p.role.as_deref(),
                p.organisation.as_deref(),
            ));
        }
    }
    let mut cites: Vec<(Option<i64>, &str, &str)> = l
        .cites
        .iter()
        .map(|&t| {
            let cited = &a.letters[t].letter;
            (Some(row(t)), cited.dossier.as_str(), cited.id.as_str())
        })
        .collect();
    // Citations of papers the archive does not hold, each once, as the body names them.
    let mut missing: Vec<&(String, String)> = Vec::new();
    for cited in &c.body(ix).get().cites {
        if a.lookup.cited(&cited.0, &cited.1).is_none() && !missing.contains(&cited) {
            missing.push(cited);
            cites.push((None, cited.0.as_str(), cited.1.as_str()));
        }
    }
    SqlLetter {
        record: c.record(ix),
        text: BodyText(c.body(ix)),
        parties,
        replies: l
            .replies_to
            .iter()
            .map(|&t| (row(t), a.letters[t].answers.contains(&ix)))
            .collect(),
        cites,
        tags: l.tags.iter().map(|&t| a.tags[t].name.as_str()).collect(),
    }
}

/// The database file's bytes, built in memory.
pub fn letters_sqlite(view: &SqliteView<'_>) -> Result<Vec<u8>, Diagnostic> {
    in_memory(view).map_err(sqlite_problem)
}

/// Writes the database into a new file at `path`. At 100,000 letters it is about 1 GB (every
/// text with its full-text index): built in memory and serialised, it took three times that
/// at the build's peak.
pub fn write_letters_sqlite(view: &SqliteView<'_>, path: &Path) -> Result<(), Diagnostic> {
    in_file(view, path).map_err(sqlite_problem)
}

fn sqlite_problem(e: rusqlite::Error) -> Diagnostic {
    Diagnostic::error_in("data/letters.sqlite", format!("SQLite: {e}"))
        .with_help("this is a bug in postkamer: please report it with the archive that causes it")
}

fn in_memory(view: &SqliteView<'_>) -> rusqlite::Result<Vec<u8>> {
    // SQLite's in-memory file system, not `:memory:`: the pages it writes are those it writes
    // to a file on disk, so `serve` gives the same bytes as `build`.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI;
    let mut db = Connection::open_with_flags("file:letters.sqlite?vfs=memdb", flags)?;
    fill(&db, view)?;
    let data = db.serialize(rusqlite::MAIN_DB)?;
    Ok(data.to_vec())
}

fn in_file(view: &SqliteView<'_>, path: &Path) -> rusqlite::Result<()> {
    let db = Connection::open(path)?;
    fill(&db, view)?;
    db.close().map_err(|(_, e)| e)
}

fn fill(db: &Connection, view: &SqliteView<'_>) -> rusqlite::Result<()> {
    // No journal and no syncs: a failed build discards the staging folder, file and all.
    db.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    db.execute_batch(SCHEMA)?;
    let tx = db.unchecked_transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO dossiers VALUES (?1, ?2, ?3)")?;
        for (id, title, url) in &view.dossiers {
            insert.execute(params![id, title, url])?;
        }
        let mut insert = tx.prepare("INSERT INTO correspondents VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for (c, (slug, name, person, url)) in view.correspondents.iter().enumerate() {
            insert.execute(params![row(c), slug, name, person, url])?;
        }
        let mut letter = tx.prepare(
            "INSERT INTO letters VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?;
        let mut party =
            tx.prepare("INSERT INTO letter_correspondents VALUES (?1, ?2, ?3, ?4, ?5)")?;
        let mut reply = tx.prepare("INSERT INTO replies VALUES (?1, ?2, ?3)")?;
        let mut cite = tx.prepare("INSERT INTO citations VALUES (?1, ?2, ?3, ?4)")?;
        let mut tag = tx.prepare("INSERT INTO letter_tags VALUES (?1, ?2)")?;
        // Every letter first, then what links them: a reply or a citation may name a letter of
        // a later row. (Deferring the foreign keys instead made SQLite search the unindexed
        // child tables on every letter insert while a violation was outstanding: quadratic.)
        for (ix, l) in view.letters.iter().enumerate() {
            let rec = l.record.get();
            letter.execute(params![
                row(ix),
                rec.dossier,
                rec.letter,
                rec.title,
                rec.date,
                rec.kind,
                rec.reply_due,
                rec.status,
                rec.answered_on,
                rec.days_to_reply,
                rec.days_late,
                rec.kenmerk,
                rec.citation,
                rec.url,
                rec.source,
                l.text.0.get().text,
            ])?;
        }
        for (ix, l) in view.letters.iter().enumerate() {
            let id = row(ix);
            for (corr, side, role, organisation) in &l.parties {
                party.execute(params![id, corr, side, role, organisation])?;
            }
            for (answered, answers) in &l.replies {
                reply.execute(params![id, answered, answers])?;
            }
            for (cited, dossier, letter) in &l.cites {
                cite.execute(params![id, cited, dossier, letter])?;
            }
            for name in &l.tags {
                tag.execute(params![id, name])?;
            }
        }
    }
    tx.commit()?;
    db.execute_batch(INDEXES)?;
    db.execute_batch("INSERT INTO letters_fts(letters_fts) VALUES ('rebuild');")
}

/// The row id of the archive's `ix`th letter or correspondent: rowids start at 1.
fn row(ix: usize) -> i64 {
    ix as i64 + 1
}
