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
//! The database is built in memory and serialised. Nothing in it comes from the clock, and
//! SQLite writes the same pages for the same statements, so two builds of the same archive
//! give the same bytes.

use rusqlite::{Connection, params};

use crate::diagnostic::Diagnostic;

use super::Renderer;
use super::data::record;

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

/// The database file's bytes.
pub fn letters_sqlite(r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
    fill(r).map_err(|e| {
        Diagnostic::error_in("data/letters.sqlite", format!("SQLite: {e}")).with_help(
            "this is a bug in postkamer: please report it with the archive that causes it",
        )
    })
}

fn fill(r: &Renderer<'_>) -> rusqlite::Result<Vec<u8>> {
    let a = r.archive;
    let mut db = Connection::open_in_memory()?;
    db.execute_batch(SCHEMA)?;
    let tx = db.unchecked_transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO dossiers VALUES (?1, ?2, ?3)")?;
        for d in &a.dossiers {
            insert.execute(params![d.id, d.title, format!("{}{}", r.base_url, d.url)])?;
        }
        let mut insert = tx.prepare("INSERT INTO correspondents VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for (c, corr) in a.correspondents.iter().enumerate() {
            insert.execute(params![
                row(c),
                corr.slug,
                corr.name,
                corr.person,
                format!("{}{}", r.base_url, corr.url)
            ])?;
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
        for (ix, l) in a.letters.iter().enumerate() {
            let rec = record(r, l);
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
                r.body(ix).text,
            ])?;
        }
        for (ix, l) in a.letters.iter().enumerate() {
            let id = row(ix);
            for (side, parties, linked) in [
                ("from", &l.letter.from, &l.from),
                ("to", &l.letter.to, &l.to),
            ] {
                for (p, &c) in parties.iter().zip(linked) {
                    party.execute(params![id, row(c), side, p.role, p.organisation])?;
                }
            }
            for &t in &l.replies_to {
                reply.execute(params![id, row(t), a.letters[t].answers.contains(&ix)])?;
            }
            for &t in &l.cites {
                let cited = &a.letters[t].letter;
                cite.execute(params![id, row(t), cited.dossier, cited.id])?;
            }
            // Citations of papers the archive does not hold, each once, as the body names them.
            let mut missing: Vec<&(String, String)> = Vec::new();
            for cited in &r.body(ix).cites {
                if a.lookup.cited(&cited.0, &cited.1).is_none() && !missing.contains(&cited) {
                    missing.push(cited);
                    cite.execute(params![id, None::<i64>, cited.0, cited.1])?;
                }
            }
            for &t in &l.tags {
                tag.execute(params![id, a.tags[t].name])?;
            }
        }
    }
    tx.commit()?;
    db.execute_batch(INDEXES)?;
    db.execute_batch("INSERT INTO letters_fts(letters_fts) VALUES ('rebuild');")?;
    let data = db.serialize(rusqlite::MAIN_DB)?;
    Ok(data.to_vec())
}

/// The row id of the archive's `ix`th letter or correspondent: rowids start at 1.
fn row(ix: usize) -> i64 {
    ix as i64 + 1
}
