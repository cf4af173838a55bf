//! An editor at work on a site folder, for tests that keep a build up to date
//! incrementally and compare it with a fresh one: titles, dates, replies, tags,
//! files, bodies, dossiers, settings and templates.
//!
//! An [`Edit`] is plain data, so proptest can shrink a sequence of them; it is
//! applied to whatever the folder holds at that moment. A [`Pick`] chooses
//! among the letters (or tags, dossiers) present then, so an edit keeps a
//! meaning when shrinking drops the edits before it. Edits keep the site valid
//! (warnings aside), except [`Edit::Break`], whose [`Undo`] repairs it.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};
use postkamer::archive::reference::DUTCH_MONTHS;
use proptest::prelude::*;

/// One of the items present when the edit is applied: item `n % len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick(pub u8);

impl Pick {
    fn of<T>(self, items: &[T]) -> Option<&T> {
        (!items.is_empty()).then(|| &items[usize::from(self.0) % items.len()])
    }

    fn word(self, words: &[&'static str]) -> &'static str {
        words[usize::from(self.0) % words.len()]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Title {
        letter: Pick,
        title: Pick,
    },
    /// Front matter that links nothing, so the engine patches the letter in place.
    Field {
        letter: Pick,
        field: Field,
        value: u8,
    },
    /// `draft: true` on or off: the letter leaves the site or comes back.
    Draft {
        letter: Pick,
    },
    /// An attachment beside the letter, named under `attachments`; or both gone.
    Attachment {
        letter: Pick,
    },
    Date {
        letter: Pick,
        change: DateChange,
    },
    /// Two letters trade dates: their order in dossier, year and lists flips.
    SwapDates {
        a: Pick,
        b: Pick,
    },
    Reply {
        letter: Pick,
        to: ReplyTo,
    },
    Tag {
        letter: Pick,
        change: TagChange,
    },
    /// A tag renamed in every letter that has it.
    RenameTag {
        tag: Pick,
        to: Pick,
    },
    /// The file moves within its folder; a letter without `letter:` takes its id from the name.
    RenameFile {
        letter: Pick,
    },
    Delete {
        letter: Pick,
    },
    Add(NewLetter),
    Body {
        letter: Pick,
        change: BodyChange,
    },
    DossierTitle {
        dossier: Pick,
        title: Pick,
    },
    DossierText {
        dossier: Pick,
        text: Pick,
    },
    /// Removes a dossier's `_dossier.md`, or writes one where there is none.
    DossierFile {
        dossier: Pick,
    },
    /// The dossier's chamber, I or II: its letters' citations change.
    DossierChamber {
        dossier: Pick,
    },
    SiteTitle(Pick),
    /// Switches `site.toml` between Dutch and English.
    Language,
    /// Switches `base_url` between the root and a sub-path.
    BaseUrl,
    /// A file in `static/`, written or removed.
    Static {
        variant: u8,
    },
    /// Overrides a theme file in the site's `themes/default/`; variant 0 removes the override.
    Theme {
        file: ThemeFile,
        variant: u8,
    },
    /// Breaks the site on purpose; the returned [`Undo`] repairs it.
    Break(Breakage),
}

/// Keys the engine does not link by (value 0 removes the key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Kenmerk,
    Source,
    /// `date_not_before` and `date_not_after` around the date.
    Window,
    /// A key postkamer does not know, handed to templates as `extra`.
    Extra,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateChange {
    /// Some days later or earlier.
    Shift(i16),
    /// The same day in another year.
    Year(i32),
    /// Known to the month only, like the example's letter from 1998.
    MonthOnly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyTo {
    /// Another letter, in its dossier or (as `DOSSIER/ID`) in another one.
    Letter(Pick),
    /// A letter the archive lacks.
    Missing,
    /// Answers nothing any more.
    Nothing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagChange {
    Add(Pick),
    Remove(Pick),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLetter {
    /// The dossier of this letter, or a new dossier when `None`.
    pub beside: Option<Pick>,
    /// The letter it answers, if any.
    pub answers: Option<Pick>,
    pub date: Pick,
    /// Whether it says `letter:`, or takes its id from its file name.
    pub named: bool,
}

/// A paragraph put before the body, or the first paragraph taken out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyChange {
    Plain(Pick),
    /// An official citation of another letter.
    Cite(Pick),
    /// A citation of a letter of another letter's dossier that the archive lacks:
    /// that dossier's gaps list it.
    CiteMissing(Pick),
    /// "uw brief van 17 juni 2025": a dated mention of another letter.
    Mention(Pick),
    /// A term that sets the letter's deadline.
    Deadline,
    DropFirst,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeFile {
    Letter,
    Base,
    /// `partials/parties.html`, included by other partials.
    Partial,
    /// `i18n/nl.toml`: month names and labels.
    Translation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Breakage {
    /// Front matter that is no YAML.
    Yaml(Pick),
    /// A template that does not compile.
    Template,
}

/// What an edit changed, as a file watcher reports it.
#[derive(Debug, Default)]
pub struct Touched {
    /// Paths under `content/` written, created or removed; a new dossier's folder too.
    pub content: Vec<PathBuf>,
    /// `site.toml`.
    pub config: bool,
    /// Something under `themes/`.
    pub theme: bool,
    /// Something under `static/`.
    pub site_static: bool,
    /// Set when the edit broke the site: repairs it.
    pub undo: Option<Undo>,
}

impl Touched {
    fn content(paths: impl IntoIterator<Item = PathBuf>) -> Touched {
        Touched {
            content: paths.into_iter().collect(),
            ..Touched::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.config && !self.theme && !self.site_static
    }
}

/// A file's text before an edit broke it (`None`: it did not exist).
#[derive(Debug)]
pub struct Undo {
    path: PathBuf,
    text: Option<String>,
    theme: bool,
}

impl Undo {
    /// Puts the file back as it was.
    pub fn apply(self) -> Touched {
        match &self.text {
            Some(text) => fs::write(&self.path, text).expect("write"),
            None => fs::remove_file(&self.path).expect("remove"),
        }
        if self.theme {
            Touched {
                theme: true,
                ..Touched::default()
            }
        } else {
            Touched::content([self.path])
        }
    }
}

const TITLES: &[&str] = &[
    "Vragen over de uitvoering",
    "Antwoorden op de vragen",
    "Herziene beantwoording",
    "Rappel & verzoek om spoed",
    "Brief over <opvang> en 'toezicht'",
    "Überblick: Öztürk en Ĳsselmeer",
];
const TAGS: &[&str] = &[
    "ombudsman",
    "Asielketen",
    "nieuw-onderwerp",
    "digitale toegankelijkheid",
    "archief",
    "Begroting 2026",
];
const DATES: &[&str] = &[
    "2025-06-17",
    "2024-02-29",
    "2025-12-31",
    "2026-01-01",
    "2026-11-27",
    "1998-03-02",
];
const TEXTS: &[&str] = &[
    "Hierbij ontvangt u een aanvulling.",
    "Wij danken u voor uw brief en de bijlagen.",
    "Zie de *toelichting* en de [website](https://example.org/).",
    "Een alinea met een voetnoot.[^x]\n\n[^x]: De noot.",
];
const SITE_TITLES: &[&str] = &[
    "Voorbeeldarchief",
    "Archief van de commissie",
    "Correspondentie & co",
];
const PARTIES: &[&str] = &[
    "{ name: \"E.J. Brandsema\", role: \"Minister van Binnenlandse Zaken en Koninkrijksrelaties\" }",
    "{ name: \"mr. drs. J.E. de Vries-Öztürk\", organisation: \"Eerste Kamer der Staten-Generaal\" }",
    "{ name: \"Gemeente Hoogeveld\" }",
];

const BUILT_IN_LETTER: &str = include_str!("../../themes/default/templates/letter.html");
const BUILT_IN_BASE: &str = include_str!("../../themes/default/templates/base.html");
const BUILT_IN_PARTIES: &str = include_str!("../../themes/default/templates/partials/parties.html");
const BUILT_IN_NL: &str = include_str!("../../themes/default/i18n/nl.toml");

fn pick() -> impl Strategy<Value = Pick> {
    any::<u8>().prop_map(Pick)
}

fn date_change() -> impl Strategy<Value = DateChange> {
    prop_oneof![
        3 => (-60i16..60).prop_map(DateChange::Shift),
        2 => prop::sample::select(vec![1998, 2024, 2025, 2026]).prop_map(DateChange::Year),
        1 => Just(DateChange::MonthOnly),
    ]
}

fn reply_to() -> impl Strategy<Value = ReplyTo> {
    prop_oneof![
        3 => pick().prop_map(ReplyTo::Letter),
        1 => Just(ReplyTo::Missing),
        1 => Just(ReplyTo::Nothing),
    ]
}

fn body_change() -> impl Strategy<Value = BodyChange> {
    prop_oneof![
        2 => pick().prop_map(BodyChange::Plain),
        2 => pick().prop_map(BodyChange::Cite),
        1 => pick().prop_map(BodyChange::CiteMissing),
        1 => pick().prop_map(BodyChange::Mention),
        1 => Just(BodyChange::Deadline),
        2 => Just(BodyChange::DropFirst),
    ]
}

fn new_letter() -> impl Strategy<Value = NewLetter> {
    (
        prop::option::weighted(0.8, pick()),
        prop::option::weighted(0.5, pick()),
        pick(),
        any::<bool>(),
    )
        .prop_map(|(beside, answers, date, named)| NewLetter {
            beside,
            answers,
            date,
            named,
        })
}

fn field() -> impl Strategy<Value = Field> {
    prop::sample::select(vec![
        Field::Kenmerk,
        Field::Source,
        Field::Window,
        Field::Extra,
    ])
}

fn theme_file() -> impl Strategy<Value = ThemeFile> {
    prop::sample::select(vec![
        ThemeFile::Letter,
        ThemeFile::Base,
        ThemeFile::Partial,
        ThemeFile::Translation,
    ])
}

/// One edit, letters' own fields more often than settings and templates
/// (which re-render everything and make a step slow).
pub fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (pick(), pick()).prop_map(|(letter, title)| Edit::Title { letter, title }),
        3 => (pick(), field(), 0u8..4).prop_map(|(letter, field, value)| Edit::Field { letter, field, value }),
        1 => pick().prop_map(|letter| Edit::Draft { letter }),
        1 => pick().prop_map(|letter| Edit::Attachment { letter }),
        4 => (pick(), date_change()).prop_map(|(letter, change)| Edit::Date { letter, change }),
        2 => (pick(), pick()).prop_map(|(a, b)| Edit::SwapDates { a, b }),
        4 => (pick(), reply_to()).prop_map(|(letter, to)| Edit::Reply { letter, to }),
        3 => (pick(), pick(), any::<bool>()).prop_map(|(letter, tag, add)| Edit::Tag {
            letter,
            change: if add { TagChange::Add(tag) } else { TagChange::Remove(tag) },
        }),
        1 => (pick(), pick()).prop_map(|(tag, to)| Edit::RenameTag { tag, to }),
        2 => pick().prop_map(|letter| Edit::RenameFile { letter }),
        2 => pick().prop_map(|letter| Edit::Delete { letter }),
        3 => new_letter().prop_map(Edit::Add),
        5 => (pick(), body_change()).prop_map(|(letter, change)| Edit::Body { letter, change }),
        1 => (pick(), pick()).prop_map(|(dossier, title)| Edit::DossierTitle { dossier, title }),
        1 => (pick(), pick()).prop_map(|(dossier, text)| Edit::DossierText { dossier, text }),
        1 => pick().prop_map(|dossier| Edit::DossierFile { dossier }),
        1 => pick().prop_map(|dossier| Edit::DossierChamber { dossier }),
        1 => pick().prop_map(Edit::SiteTitle),
        1 => Just(Edit::Language),
        1 => Just(Edit::BaseUrl),
        1 => (0u8..3).prop_map(|variant| Edit::Static { variant }),
        2 => (theme_file(), 0u8..3).prop_map(|(file, variant)| Edit::Theme { file, variant }),
        1 => prop_oneof![
            4 => pick().prop_map(Breakage::Yaml),
            1 => Just(Breakage::Template),
        ]
        .prop_map(Edit::Break),
    ]
}

impl Edit {
    /// Makes the edit in the site folder at `root`.
    pub fn apply(&self, root: &Path) -> Touched {
        let site = Site::read(root);
        match self {
            Edit::Title { letter, title } => {
                site.set(*letter, "title", &quoted(title.word(TITLES)))
            }
            Edit::Field {
                letter,
                field,
                value,
            } => site.field(*letter, *field, *value),
            Edit::Draft { letter } => site.letter(*letter, |d, _| match d.get("draft") {
                Some(_) => d.remove("draft"),
                None => d.set("draft", "true"),
            }),
            Edit::Attachment { letter } => site.attachment(*letter),
            Edit::Date { letter, change } => site.change_date(*letter, change),
            Edit::SwapDates { a, b } => site.swap_dates(*a, *b),
            Edit::Reply { letter, to } => site.reply(*letter, to),
            Edit::Tag { letter, change } => site.tag(*letter, change),
            Edit::RenameTag { tag, to } => site.rename_tag(*tag, to.word(TAGS)),
            Edit::RenameFile { letter } => site.rename_file(*letter),
            Edit::Delete { letter } => site.delete(*letter),
            Edit::Add(new) => site.add(new),
            Edit::Body { letter, change } => site.body(*letter, change),
            Edit::DossierTitle { dossier, title } => {
                site.dossier_file(*dossier, |d| d.set("title", &quoted(title.word(TITLES))))
            }
            Edit::DossierText { dossier, text } => {
                site.dossier_file(*dossier, |d| d.body = format!("\n{}\n", text.word(TEXTS)))
            }
            Edit::DossierFile { dossier } => site.toggle_dossier_file(*dossier),
            Edit::DossierChamber { dossier } => site.dossier_file(*dossier, |d| {
                let chamber = if d.get("chamber").as_deref() == Some("II") {
                    "I"
                } else {
                    "II"
                };
                d.set("chamber", chamber);
            }),
            Edit::SiteTitle(title) => {
                site.site_toml(&format!("title = {}", quoted(title.word(SITE_TITLES))))
            }
            Edit::Language => site.toggle_language(),
            Edit::BaseUrl => site.toggle_base_url(),
            Edit::Static { variant } => site.static_file(*variant),
            Edit::Theme { file, variant } => site.theme(*file, *variant),
            Edit::Break(what) => site.break_it(what),
        }
    }
}

/// A letter file and what the edits need of its front matter.
#[derive(Debug, Clone)]
struct LetterFile {
    path: PathBuf,
    dossier: String,
    id: String,
    date: String,
}

impl LetterFile {
    fn read(path: PathBuf) -> LetterFile {
        let doc = Doc::read(&path);
        let stem = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        LetterFile {
            dossier: doc.get("dossier").expect("dossier"),
            id: doc.get("letter").unwrap_or(stem),
            date: doc.get("date").expect("date"),
            path,
        }
    }

    fn folder(&self) -> &Path {
        self.path.parent().expect("folder")
    }

    /// How `other` refers to this letter in `in_reply_to`.
    fn reference_from(&self, other: &LetterFile) -> String {
        if self.dossier == other.dossier {
            self.id.clone()
        } else {
            format!("{}/{}", self.dossier, self.id)
        }
    }

    fn day(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").ok()
    }
}

/// The site folder as the edits see it: its letters and dossier folders, sorted.
struct Site {
    root: PathBuf,
    letters: Vec<LetterFile>,
    folders: Vec<PathBuf>,
}

impl Site {
    fn read(root: &Path) -> Site {
        let content = root.join("content");
        let mut folders: Vec<PathBuf> = fs::read_dir(&content)
            .expect("content/")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_dir())
            .collect();
        folders.sort();
        let mut paths: Vec<PathBuf> = folders
            .iter()
            .flat_map(|f| fs::read_dir(f).expect("dossier folder"))
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .filter(|p| !p.ends_with("_dossier.md"))
            .collect();
        paths.sort();
        Site {
            root: root.to_path_buf(),
            letters: paths.into_iter().map(LetterFile::read).collect(),
            folders,
        }
    }

    /// Edits the front matter or body of one letter.
    fn letter(&self, pick: Pick, f: impl FnOnce(&mut Doc, &LetterFile)) -> Touched {
        let Some(l) = pick.of(&self.letters) else {
            return Touched::default();
        };
        let mut doc = Doc::read(&l.path);
        f(&mut doc, l);
        doc.write(&l.path);
        Touched::content([l.path.clone()])
    }

    fn set(&self, pick: Pick, key: &str, value: &str) -> Touched {
        self.letter(pick, |d, _| d.set(key, value))
    }

    fn field(&self, pick: Pick, field: Field, value: u8) -> Touched {
        self.letter(pick, |d, l| {
            let keys: &[&str] = match field {
                Field::Kenmerk => &["kenmerk"],
                Field::Source => &["source"],
                Field::Window => &["date_not_before", "date_not_after"],
                Field::Extra => &["notitie"],
            };
            if value == 0 {
                keys.iter().for_each(|k| d.remove(k));
                return;
            }
            match field {
                Field::Kenmerk => d.set("kenmerk", &quoted(&format!("K-{value}/{}", l.id))),
                Field::Source => d.set(
                    "source",
                    &quoted(&format!("https://example.org/bron/{value}")),
                ),
                Field::Window => {
                    let start = l.day().unwrap_or_else(|| first_of_month(&l.date));
                    let end = last_day(&l.date);
                    let days = 10 * i64::from(value);
                    d.set("date_not_before", &shift(start, -days).to_string());
                    d.set("date_not_after", &shift(end, days).to_string());
                }
                Field::Extra => d.set("notitie", &quoted(&format!("Notitie {value}"))),
            }
        })
    }

    /// Adds an attachment to the letter, or takes the one it has away.
    fn attachment(&self, pick: Pick) -> Touched {
        let Some(l) = pick.of(&self.letters) else {
            return Touched::default();
        };
        let mut doc = Doc::read(&l.path);
        let file = l
            .folder()
            .join(format!("bijlage-{}.txt", l.id.to_lowercase()));
        match doc.get("attachments") {
            Some(_) => {
                doc.remove("attachments");
                let _ = fs::remove_file(&file);
            }
            None => {
                fs::write(&file, format!("Bijlage bij {}.\n", l.id)).expect("write");
                doc.set(
                    "attachments",
                    &format!("[{}]", file.file_name().expect("name").to_string_lossy()),
                );
            }
        }
        doc.write(&l.path);
        Touched::content([l.path.clone(), file])
    }

    fn change_date(&self, pick: Pick, change: &DateChange) -> Touched {
        self.letter(pick, |d, l| {
            let day = l.day().unwrap_or_else(|| first_of_month(&l.date));
            let date = match change {
                DateChange::Shift(days) => shift(day, i64::from(*days)).to_string(),
                DateChange::Year(year) => same_day_in(day, *year).to_string(),
                DateChange::MonthOnly => quoted(&day.format("%Y-%m").to_string()),
            };
            d.set_date(&date);
        })
    }

    fn swap_dates(&self, a: Pick, b: Pick) -> Touched {
        let (Some(x), Some(y)) = (a.of(&self.letters), b.of(&self.letters)) else {
            return Touched::default();
        };
        for (l, date) in [(x, &y.date), (y, &x.date)] {
            let mut doc = Doc::read(&l.path);
            doc.set_date(&date_value(date));
            doc.write(&l.path);
        }
        let mut paths = vec![x.path.clone(), y.path.clone()];
        paths.dedup();
        Touched::content(paths)
    }

    fn reply(&self, pick: Pick, to: &ReplyTo) -> Touched {
        self.letter(pick, |d, l| match to {
            ReplyTo::Letter(target) => {
                let target = target.of(&self.letters).expect("a letter");
                d.set("in_reply_to", &quoted(&target.reference_from(l)));
            }
            ReplyTo::Missing => d.set("in_reply_to", "\"ZZ9\""),
            ReplyTo::Nothing => d.remove("in_reply_to"),
        })
    }

    fn tag(&self, pick: Pick, change: &TagChange) -> Touched {
        self.letter(pick, |d, _| {
            let mut tags = d.tags();
            match change {
                TagChange::Add(tag) => tags.push(tag.word(TAGS).to_string()),
                TagChange::Remove(tag) => {
                    if let Some(gone) = tag.of(&tags).cloned() {
                        tags.retain(|t| *t != gone);
                    }
                }
            }
            tags.dedup();
            d.set_tags(&tags);
        })
    }

    fn rename_tag(&self, pick: Pick, to: &str) -> Touched {
        let mut all: Vec<String> = self
            .letters
            .iter()
            .flat_map(|l| Doc::read(&l.path).tags())
            .collect();
        all.sort();
        all.dedup();
        let Some(from) = pick.of(&all) else {
            return Touched::default();
        };
        let mut touched = Vec::new();
        for l in &self.letters {
            let mut doc = Doc::read(&l.path);
            let mut tags = doc.tags();
            if !tags.contains(from) {
                continue;
            }
            for t in &mut tags {
                if t == from {
                    *t = to.to_string();
                }
            }
            tags.dedup();
            doc.set_tags(&tags);
            doc.write(&l.path);
            touched.push(l.path.clone());
        }
        Touched::content(touched)
    }

    fn rename_file(&self, pick: Pick) -> Touched {
        let Some(l) = pick.of(&self.letters) else {
            return Touched::default();
        };
        let name = self.free_id(l.folder(), &l.dossier, "R");
        let to = l.folder().join(format!("{name}.md"));
        fs::rename(&l.path, &to).expect("rename");
        Touched::content([l.path.clone(), to])
    }

    /// Deletes a letter, while the archive keeps a few.
    fn delete(&self, pick: Pick) -> Touched {
        let Some(l) = pick.of(&self.letters).filter(|_| self.letters.len() > 6) else {
            return Touched::default();
        };
        fs::remove_file(&l.path).expect("remove");
        Touched::content([l.path.clone()])
    }

    fn add(&self, new: &NewLetter) -> Touched {
        let beside = new.beside.and_then(|p| p.of(&self.letters));
        let (folder, dossier) = match beside {
            Some(l) => (l.folder().to_path_buf(), l.dossier.clone()),
            None => self.new_dossier(),
        };
        let id = self.free_id(&folder, &dossier, "N");
        let answered = new.answers.and_then(|p| p.of(&self.letters));
        let (from, to) = (
            new.date.word(PARTIES),
            PARTIES[(usize::from(new.date.0) + 1) % PARTIES.len()],
        );
        let mut front = vec![format!("dossier: {}", quoted(&dossier))];
        if new.named {
            front.push(format!("letter: {}", quoted(&id)));
        }
        front.push(format!("title: {}", quoted(&format!("Nieuwe brief {id}"))));
        let date = match answered.and_then(LetterFile::day) {
            Some(day) => shift(day, 7 + i64::from(new.date.0 % 30)),
            None => NaiveDate::parse_from_str(new.date.word(DATES), "%Y-%m-%d").expect("date"),
        };
        front.push(format!("date: {date}"));
        front.push(format!("from: {from}"));
        front.push(format!("to: {to}"));
        match answered {
            Some(a) => {
                let me = LetterFile {
                    path: PathBuf::new(),
                    dossier: dossier.clone(),
                    id: id.clone(),
                    date: String::new(),
                };
                front.push(format!("in_reply_to: {}", quoted(&a.reference_from(&me))));
                front.push("kind: answer".into());
            }
            None => {
                front.push("kind: question".into());
                front.push(format!("reply_due: {}", shift(date, 30)));
            }
        }
        front.push("tags: [nieuw-onderwerp]".into());
        let path = folder.join(format!("{id}.md"));
        let created_folder = !folder.exists();
        fs::create_dir_all(&folder).expect("mkdir");
        Doc {
            front,
            body: "\nGeachte voorzitter,\n\nTekst van de nieuwe brief.\n".into(),
        }
        .write(&path);
        let mut touched = vec![path];
        if created_folder {
            touched.insert(0, folder);
        }
        Touched::content(touched)
    }

    fn body(&self, pick: Pick, change: &BodyChange) -> Touched {
        let paragraph = match change {
            BodyChange::Plain(text) => Some(text.word(TEXTS).to_string()),
            BodyChange::Cite(other) => other
                .of(&self.letters)
                .map(|o| format!("Zie Kamerstukken I 2025/26, {}, {}.", o.dossier, o.id)),
            BodyChange::CiteMissing(other) => other
                .of(&self.letters)
                .map(|o| format!("Zie ook Kamerstukken I 2025/26, {}, ZZ.", o.dossier)),
            BodyChange::Mention(other) => {
                other.of(&self.letters).and_then(LetterFile::day).map(|d| {
                    format!(
                        "Naar aanleiding van uw brief van {} {} {} bericht ik u als volgt.",
                        d.day(),
                        DUTCH_MONTHS[d.month0() as usize],
                        d.year()
                    )
                })
            }
            BodyChange::Deadline => Some(
                "Graag ontvangen wij uw antwoord binnen vier weken na dagtekening van deze brief."
                    .into(),
            ),
            BodyChange::DropFirst => None,
        };
        self.letter(pick, |d, _| match paragraph {
            Some(p) => d.body = format!("\n{p}\n{}", d.body),
            None => d.drop_first_paragraph(),
        })
    }

    /// Edits a dossier's `_dossier.md`, written first when it has none.
    fn dossier_file(&self, pick: Pick, f: impl FnOnce(&mut Doc)) -> Touched {
        let Some(folder) = pick.of(&self.folders) else {
            return Touched::default();
        };
        let path = folder.join("_dossier.md");
        let mut doc = if path.exists() {
            Doc::read(&path)
        } else {
            dossier_doc()
        };
        f(&mut doc);
        doc.write(&path);
        Touched::content([path])
    }

    fn toggle_dossier_file(&self, pick: Pick) -> Touched {
        let Some(folder) = pick.of(&self.folders) else {
            return Touched::default();
        };
        let path = folder.join("_dossier.md");
        if path.exists() {
            fs::remove_file(&path).expect("remove");
        } else {
            dossier_doc().write(&path);
        }
        Touched::content([path])
    }

    /// Replaces the line of `site.toml` with the same key as `line`, or adds it on top.
    fn site_toml(&self, line: &str) -> Touched {
        let path = self.root.join("site.toml");
        let text = fs::read_to_string(&path).expect("site.toml");
        let key = line.split(" =").next().expect("key");
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        match lines
            .iter()
            .position(|l| l.starts_with(&format!("{key} =")))
        {
            Some(i) => lines[i] = line.to_string(),
            None => lines.insert(0, line.to_string()),
        }
        fs::write(&path, lines.join("\n") + "\n").expect("write");
        Touched {
            config: true,
            ..Touched::default()
        }
    }

    fn toggle_language(&self) -> Touched {
        let text = fs::read_to_string(self.root.join("site.toml")).expect("site.toml");
        let english = text.lines().any(|l| l == "language = \"en\"");
        self.site_toml(if english {
            "language = \"nl\""
        } else {
            "language = \"en\""
        })
    }

    fn toggle_base_url(&self) -> Touched {
        let text = fs::read_to_string(self.root.join("site.toml")).expect("site.toml");
        let root = text.lines().any(|l| l == "base_url = \"/\"");
        self.site_toml(if root {
            "base_url = \"https://example.org/archief/\""
        } else {
            "base_url = \"/\""
        })
    }

    fn static_file(&self, variant: u8) -> Touched {
        let path = self.root.join("static/robots.txt");
        if variant == 0 {
            let _ = fs::remove_file(&path);
        } else {
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(&path, format!("User-agent: *\nDisallow: /{variant}/\n")).expect("write");
        }
        Touched {
            site_static: true,
            ..Touched::default()
        }
    }

    fn theme(&self, file: ThemeFile, variant: u8) -> Touched {
        let (rel, built_in) = match file {
            ThemeFile::Letter => ("templates/letter.html", BUILT_IN_LETTER),
            ThemeFile::Base => ("templates/base.html", BUILT_IN_BASE),
            ThemeFile::Partial => ("templates/partials/parties.html", BUILT_IN_PARTIES),
            ThemeFile::Translation => ("i18n/nl.toml", BUILT_IN_NL),
        };
        let path = self.root.join("themes/default").join(rel);
        if variant == 0 {
            let _ = fs::remove_file(&path);
        } else {
            let text = match file {
                // Variant 2 shows a key postkamer does not know: its edits must reach the page.
                ThemeFile::Letter if variant == 2 => insert_after(
                    built_in,
                    "{% block content %}",
                    "{% if extra.notitie %}<p class=\"notitie\">{{ extra.notitie }}</p>{% endif %}",
                ),
                ThemeFile::Letter => insert_after(
                    built_in,
                    "{% block content %}",
                    &format!("<p>AANGEPAST {variant}</p>"),
                ),
                ThemeFile::Base => insert_after(
                    built_in,
                    "<main id=\"pk-main\" class=\"wrap\" tabindex=\"-1\">",
                    &format!("<div>BASIS {variant}</div>"),
                ),
                ThemeFile::Partial => format!("<span class=\"v\">{variant}</span>{built_in}"),
                ThemeFile::Translation => built_in
                    .replacen("\"maart\"", &format!("\"maart-{variant}\""), 1)
                    .replacen(
                        "\"Nieuwste brieven\"",
                        &format!("\"Nieuwste brieven ({variant})\""),
                        1,
                    ),
            };
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(&path, text).expect("write");
        }
        Touched {
            theme: true,
            ..Touched::default()
        }
    }

    fn break_it(&self, what: &Breakage) -> Touched {
        let (path, theme) = match what {
            Breakage::Yaml(pick) => match pick.of(&self.letters) {
                Some(l) => (l.path.clone(), false),
                None => return Touched::default(),
            },
            Breakage::Template => (self.root.join("themes/default/templates/letter.html"), true),
        };
        let text = fs::read_to_string(&path).ok();
        let broken = match (&text, theme) {
            (Some(t), false) => t.replacen("date:", "date: [", 1),
            (Some(t), true) => format!("{t}{{% if %}}"),
            (None, _) => {
                BUILT_IN_LETTER.replacen("{% block content %}", "{% block content %}{{", 1)
            }
        };
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, broken).expect("write");
        let mut touched = if theme {
            Touched {
                theme: true,
                ..Touched::default()
            }
        } else {
            Touched::content([path.clone()])
        };
        touched.undo = Some(Undo { path, text, theme });
        touched
    }

    /// An id no letter of `dossier` has, in any case, and no file in `folder` is named for.
    fn free_id(&self, folder: &Path, dossier: &str, prefix: &str) -> String {
        (1..)
            .map(|n| format!("{prefix}{n}"))
            .find(|id| {
                !folder.join(format!("{id}.md")).exists()
                    && !self
                        .letters
                        .iter()
                        .any(|l| l.dossier == dossier && l.id.eq_ignore_ascii_case(id))
            })
            .expect("a free id")
    }

    /// A dossier number and folder no letter uses yet.
    fn new_dossier(&self) -> (PathBuf, String) {
        (40001..)
            .map(|n| n.to_string())
            .find(|d| {
                !self.root.join("content").join(d).exists()
                    && !self.letters.iter().any(|l| l.dossier == *d)
            })
            .map(|d| (self.root.join("content").join(&d), d))
            .expect("a free dossier number")
    }
}

/// A Markdown source: its front matter as lines, and its body.
#[derive(Debug, Clone)]
pub struct Doc {
    pub front: Vec<String>,
    pub body: String,
}

impl Doc {
    pub fn read(path: &Path) -> Doc {
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rest = text.strip_prefix("---\n").expect("front matter");
        let (front, body) = rest.split_once("\n---\n").expect("end of front matter");
        Doc {
            front: front.lines().map(String::from).collect(),
            body: body.to_string(),
        }
    }

    pub fn write(&self, path: &Path) {
        fs::write(
            path,
            format!("---\n{}\n---\n{}", self.front.join("\n"), self.body),
        )
        .expect("write");
    }

    /// The lines of top-level `key`: its own and those indented below it.
    fn block(&self, key: &str) -> Option<std::ops::Range<usize>> {
        let start = self
            .front
            .iter()
            .position(|l| l.starts_with(&format!("{key}:")))?;
        let len = self.front[start + 1..]
            .iter()
            .take_while(|l| l.starts_with(' ') || l.starts_with('\t') || l.starts_with("- "))
            .count();
        Some(start..start + 1 + len)
    }

    /// The value of a one-line `key`, unquoted.
    pub fn get(&self, key: &str) -> Option<String> {
        let line = &self.front[self.block(key)?.start];
        let value = line[key.len() + 1..].trim();
        Some(value.trim_matches('"').to_string())
    }

    /// Sets `key` to the YAML `value`, replacing all of its lines.
    pub fn set(&mut self, key: &str, value: &str) {
        let line = format!("{key}: {value}");
        match self.block(key) {
            Some(range) => {
                self.front.splice(range, [line]);
            }
            None => self.front.push(line),
        }
    }

    /// Sets `date`, and moves `reply_due` past it when it no longer is: a
    /// deadline before the letter is an error.
    fn set_date(&mut self, value: &str) {
        self.set("date", value);
        let end = last_day(value.trim_matches('"'));
        let due = self
            .get("reply_due")
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        if due.is_some_and(|due| due <= end) {
            self.set("reply_due", &shift(end, 28).to_string());
        }
    }

    pub fn remove(&mut self, key: &str) {
        if let Some(range) = self.block(key) {
            self.front.drain(range);
        }
    }

    /// `tags: [a, b]` as a list.
    fn tags(&self) -> Vec<String> {
        self.get("tags")
            .map(|v| {
                v.trim_start_matches('[')
                    .trim_end_matches(']')
                    .split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn set_tags(&mut self, tags: &[String]) {
        if tags.is_empty() {
            self.remove("tags");
        } else {
            self.set("tags", &format!("[{}]", tags.join(", ")));
        }
    }

    /// Takes out the first paragraph when there is more than one.
    fn drop_first_paragraph(&mut self) {
        let text = self.body.trim_start_matches('\n');
        if let Some((_, rest)) = text.split_once("\n\n") {
            self.body = format!("\n{}", rest.trim_start_matches('\n'));
        }
    }
}

fn dossier_doc() -> Doc {
    Doc {
        front: vec!["title: \"Een dossier\"".into()],
        body: "\nWat dit dossier bevat.\n".into(),
    }
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

/// A date as the front matter writes it: a day bare, a month quoted (else YAML reads a number).
fn date_value(date: &str) -> String {
    if date.len() == 10 {
        date.to_string()
    } else {
        quoted(date)
    }
}

fn first_of_month(date: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&format!("{date}-01"), "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("{date}: {e}"))
}

/// The last day a date written as a day or a month can mean.
fn last_day(date: &str) -> NaiveDate {
    NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap_or_else(|_| {
        let first = first_of_month(date);
        shift(
            first
                .checked_add_months(chrono::Months::new(1))
                .expect("a date"),
            -1,
        )
    })
}

fn shift(day: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .expect("a date")
}

fn same_day_in(day: NaiveDate, year: i32) -> NaiveDate {
    day.with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, day.month(), 28))
        .expect("a date")
}

fn insert_after(text: &str, anchor: &str, extra: &str) -> String {
    assert!(text.contains(anchor), "no `{anchor}` in the template");
    text.replacen(anchor, &format!("{anchor}{extra}"), 1)
}

/// A letter of [`small_site`]: dossier, id, date, sender and addressee, more
/// front matter, body.
type SmallLetter = (
    &'static str,
    &'static str,
    &'static str,
    (&'static str, &'static str),
    &'static str,
    &'static str,
);

/// A small archive for long runs of edits: 15 short letters in 3 dossiers,
/// with reply chains (one across dossiers), a postponement, a letter known to
/// the month, tags that differ in case only, citations, a dated mention, a
/// deadline in the text, an attachment and an alias.
pub fn small_site() -> super::Fixture {
    let f = super::Fixture::new();
    f.write(
        "site.toml",
        "title = \"Klein archief\"\nbase_url = \"/\"\nlanguage = \"nl\"\n\n[archive]\nchamber = \"I\"\n",
    );
    f.write(
        "content/36521/_dossier.md",
        "---\ntitle: \"Opvang\"\n---\n\nOver de opvang.\n",
    );
    f.write(
        "content/37300-VII/_dossier.md",
        "---\ndossier: \"37300 VII\"\ntitle: \"Begroting\"\nchamber: II\n---\n\nDe begroting.\n",
    );
    f.write("content/36521/bijlage.csv", "a,b\n1,2\n");
    let (commissie, minister, gemeente) = (PARTIES[1], PARTIES[0], PARTIES[2]);
    let letters: &[SmallLetter] = &[
        (
            "36521",
            "A",
            "2025-06-17",
            (commissie, minister),
            "kind: question\nreply_due: 2025-07-15\ntags: [opvang, Asielketen]\n",
            "Graag uw antwoord.[^1]\n\n[^1]: Zie de bijlage.",
        ),
        (
            "36521",
            "B",
            "2025-07-10",
            (minister, commissie),
            "kind: postponement\nin_reply_to: \"A\"\nreply_due: 2025-10-01\ntags: [opvang]\n",
            "Het antwoord volgt later.",
        ),
        (
            "36521",
            "C",
            "2025-09-29",
            (minister, commissie),
            "kind: answer\nin_reply_to: \"A\"\ntags: [opvang, asielketen]\nattachments: [bijlage.csv]\naliases: [\"/brieven/c/\"]\n",
            "Naar aanleiding van uw brief van 17 juni 2025 bericht ik u als volgt.",
        ),
        (
            "36521",
            "D",
            "2025-11-04",
            (commissie, minister),
            "kind: question\nin_reply_to: \"C\"\ntags: [Asielketen]\n",
            "Graag ontvangen wij uw antwoord binnen vier weken na dagtekening van deze brief.",
        ),
        (
            "36521",
            "E",
            "2026-01-15",
            (minister, commissie),
            "kind: answer\nin_reply_to: \"D\"\n",
            "Zie ook Kamerstukken I 2025/26, 37300 VII, B.",
        ),
        (
            "37300 VII",
            "A",
            "2025-11-25",
            (commissie, minister),
            "kind: question\nreply_due: 2025-12-09\ntags: [begroting]\n",
            "Vragen over de begroting.",
        ),
        (
            "37300 VII",
            "B",
            "2025-12-08",
            (minister, commissie),
            "kind: answer\nin_reply_to: \"A\"\ntags: [begroting, opvang]\n",
            "Antwoorden over de begroting.",
        ),
        (
            "37300 VII",
            "C",
            "2026-06-23",
            (commissie, minister),
            "kind: question\nreply_due: 2026-09-15\n",
            "Nog een vraag, zie Kamerstukken I 2025/26, 36521, C.",
        ),
        (
            "37300 VII",
            "D",
            "2026-10-01",
            (minister, commissie),
            "kind: letter\nin_reply_to: \"36521/E\"\n",
            "Een reactie op een ander dossier.",
        ),
        (
            "37300 VII",
            "E",
            "2026-11-02",
            (gemeente, commissie),
            "kind: reminder\nin_reply_to: \"C\"\n",
            "Een herinnering.",
        ),
        (
            "38740",
            "A",
            "\"1998-03\"",
            (gemeente, commissie),
            "kind: letter\ntags: [archief]\n",
            "Een oude brief.",
        ),
        (
            "38740",
            "B",
            "2026-04-14",
            (gemeente, commissie),
            "kind: letter\nin_reply_to: \"A\"\ntags: [archief]\n",
            "Een kopie van de brief.",
        ),
        (
            "38740",
            "C",
            "2026-05-01",
            (commissie, gemeente),
            "kind: question\nreply_due: 2026-06-01\n",
            "Waar is het origineel?",
        ),
        (
            "38740",
            "D",
            "2026-05-20",
            (gemeente, commissie),
            "kind: answer\nin_reply_to: \"C\"\n",
            "In het streekarchief.",
        ),
        (
            "38740",
            "E",
            "2026-11-20",
            (commissie, gemeente),
            "kind: report\n",
            "Verslag.",
        ),
    ];
    for (dossier, id, date, (from, to), extra, body) in letters {
        let folder = dossier.replace(' ', "-");
        f.write(
            &format!("content/{folder}/{id}.md"),
            &format!("---\ndossier: \"{dossier}\"\nletter: \"{id}\"\ntitle: \"Brief {id} in {dossier}\"\ndate: {date}\nfrom: {from}\nto: {to}\n{extra}---\n\nGeachte voorzitter,\n\n{body}\n"),
        );
    }
    f
}
