//! `data/cmif.xml`: the archive in the Correspondence Metadata Interchange Format (CMIF v1,
//! a TEI document), so that correspSearch and other harvesters can list its letters.
//!
//! One `correspDesc` per letter, in archive order, pointing at the letter's page (`@ref`):
//! - `correspAction type="sent"` with every sender and the date (`@when` as precise as the
//!   letter's date; `@notBefore`/`@notAfter` when the date is uncertain);
//! - `correspAction type="received"` with every addressee;
//! - `correspContext` with `ref`s to the letters it replies to (`type="replyTo"`), the
//!   letters that reply to it (`type="hasReply"`), and the previous and next letter of the
//!   dossier (`type="prev"`, `type="next"`).
//!
//! A person is a `persName`, a body named on its own an `orgName`. Names carry no `@ref`:
//! CMIF keeps that attribute for authority files (GND, VIAF), which the archive does not
//! know. The header names the site, its publisher (`[extra] organisation`, else the title),
//! the contact address (`[extra] contact_email`) and the licence of the metadata: CC BY 4.0,
//! which correspSearch asks for, unless `[extra] cmif_licence` gives another URL. The date
//! is the build's `--today`, so two builds of the same archive write the same bytes.

use serde::Serialize;

use crate::archive::LetterIx;
use crate::letter::{LetterDate, Party};

use super::super::Renderer;
use super::super::context::Contexts;
use super::super::handle::Handle;
use super::super::markdown::html_escape;

const CC_BY: &str = "https://creativecommons.org/licenses/by/4.0/";

/// The CMIF document: every letter's `correspDesc`, in archive order.
#[derive(Serialize)]
pub struct CmifView<'r> {
    /// The build date, ISO: the document's date.
    date: String,
    letters: Vec<Handle<'r, String>>,
}

pub fn view<'r>(c: &'r Contexts<'_>) -> CmifView<'r> {
    CmifView {
        date: c.r.archive.today.format("%Y-%m-%d").to_string(),
        letters: (0..c.r.archive.letters.len())
            .map(|l| c.cmif_letter(l))
            .collect(),
    }
}

/// The CMIF file of `view`, its header made from the settings and the build date.
pub fn write(view: &CmifView<'_>, r: &Renderer<'_>) -> Vec<u8> {
    let extra = |key: &str| r.config.extra.get(key).and_then(|v| v.as_str());
    let title = r.config.title.as_str();
    let publisher = extra("organisation").unwrap_or(title);
    let licence = extra("cmif_licence").unwrap_or(CC_BY);
    let base = r.base_url.as_str();
    let mut x = String::with_capacity(1024 + view.letters.len() * 700);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<teiHeader>\n<fileDesc>\n");
    x.push_str(&format!(
        "<titleStmt>\n<title>{}</title>\n<editor>{}",
        esc(title),
        esc(publisher)
    ));
    if let Some(email) = extra("contact_email") {
        x.push_str(&format!("<email>{}</email>", esc(email)));
    }
    x.push_str("</editor>\n</titleStmt>\n<publicationStmt>\n");
    x.push_str(&format!(
        "<publisher><ref target=\"{}\">{}</ref></publisher>\n",
        esc(base),
        esc(publisher)
    ));
    x.push_str(&format!(
        "<idno type=\"url\">{}</idno>\n<date when=\"{}\"/>\n",
        esc(&format!("{base}data/cmif.xml")),
        view.date
    ));
    let licence_name = if licence == CC_BY {
        "CC BY 4.0"
    } else {
        licence
    };
    x.push_str(&format!(
        "<availability><licence target=\"{}\">{}</licence></availability>\n</publicationStmt>\n",
        esc(licence),
        esc(licence_name)
    ));
    x.push_str(&format!(
        "<sourceDesc><bibl type=\"online\" xml:id=\"archive\">{}. <ref target=\"{}\">{}</ref></bibl></sourceDesc>\n",
        esc(title),
        esc(base),
        esc(base)
    ));
    x.push_str("</fileDesc>\n<profileDesc>\n");
    for letter in &view.letters {
        x.push_str(letter.get());
    }
    x.push_str("</profileDesc>\n</teiHeader>\n<text><body><p/></body></text>\n</TEI>\n");
    x.into_bytes()
}

/// Letter `ix`'s `correspDesc`.
pub fn corresp_desc(r: &Renderer<'_>, ix: LetterIx) -> String {
    let mut out = String::with_capacity(700);
    let x = &mut out;
    let a = r.archive;
    let l = &a.letters[ix];
    let url = |i: LetterIx| esc(&format!("{}{}", r.base_url, a.letters[i].url));
    x.push_str(&format!(
        "<correspDesc key=\"{}\" ref=\"{}\" source=\"#archive\">\n",
        esc(&format!("{} {}", l.letter.dossier, l.letter.id)),
        url(ix)
    ));
    x.push_str("<correspAction type=\"sent\">");
    names(x, &l.letter.from);
    x.push_str(&date(&l.letter));
    x.push_str("</correspAction>\n<correspAction type=\"received\">");
    names(x, &l.letter.to);
    x.push_str("</correspAction>\n");
    let context: Vec<(&str, LetterIx)> = l
        .replies_to
        .iter()
        .map(|&t| ("replyTo", t))
        .chain(l.replied_by.iter().map(|&t| ("hasReply", t)))
        .chain(l.prev.map(|t| ("prev", t)))
        .chain(l.next.map(|t| ("next", t)))
        .collect();
    if !context.is_empty() {
        x.push_str("<correspContext>");
        for (kind, t) in context {
            x.push_str(&format!("<ref type=\"{kind}\" target=\"{}\"/>", url(t)));
        }
        x.push_str("</correspContext>\n");
    }
    x.push_str("</correspDesc>\n");
    out
}

/// Each party as a `persName` (a person) or an `orgName` (a body named on its own).
fn names(x: &mut String, parties: &[Party]) {
    for p in parties {
        let tag = if p.name.is_some() {
            "persName"
        } else {
            "orgName"
        };
        x.push_str(&format!("<{tag}>{}</{tag}>", esc(p.display_name())));
    }
}

/// `<date when="2025-11-19"/>` (or `2025-11`, `2025`), or the bounds of an uncertain date.
fn date(l: &crate::letter::Letter) -> String {
    match (l.shown.date_not_before, l.shown.date_not_after) {
        (None, None) => format!("<date when=\"{}\"/>", l.date.iso()),
        (before, after) => {
            let attr = |name: &str, d: Option<LetterDate>| {
                d.map(|d| format!(" {name}=\"{}\"", d.iso()))
                    .unwrap_or_default()
            };
            format!(
                "<date{}{}/>",
                attr("notBefore", before),
                attr("notAfter", after)
            )
        }
    }
}

/// Text for XML content and attribute values: markup characters escaped as in HTML (the
/// same five, valid XML), and the control characters XML 1.0 does not allow at all (not even
/// escaped) left out.
fn esc(s: &str) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || !(c < ' ' || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    };
    if s.chars().all(allowed) {
        html_escape(s)
    } else {
        html_escape(&s.chars().filter(|&c| allowed(c)).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_characters_xml_forbids_are_left_out() {
        assert_eq!(
            esc("A & B <c> \"d\" 'e'\u{1}\u{b}\tf\u{FFFF}"),
            "A &amp; B &lt;c&gt; &quot;d&quot; &#39;e&#39;\tf"
        );
    }
}
