//! schema.org JSON-LD for a letter page: what search engines and reference managers read.
//!
//! A letter is a [`Message`](https://schema.org/Message): its senders and recipients (a
//! `Person` with `jobTitle` and `affiliation`, or an `Organization` when only a body is named),
//! `dateSent`, the dossier it is part of, the letters it answers and cites, its attachments.
//! Every URL is absolute (`base_url`). The JSON goes into a
//! `<script type="application/ld+json">` element, a data block the browser never runs, so a
//! strict Content-Security-Policy allows it; [`script_json`] escapes `<`, `>` and `&` so no
//! content can end the element (`</script>`) or open a comment in it.

use serde::Serialize;

use crate::archive::LetterIx;
use crate::letter::Party;

use super::Renderer;

#[derive(Serialize)]
pub struct Message<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    url: String,
    name: String,
    /// The official citation (`Kamerstukken I 2025/26, 36521, C`), else `36521, C`; the kenmerk.
    identifier: Vec<String>,
    #[serde(rename = "dateSent")]
    date_sent: String,
    #[serde(rename = "inLanguage")]
    in_language: &'static str,
    sender: Vec<Agent<'a>>,
    recipient: Vec<Agent<'a>>,
    #[serde(rename = "isPartOf")]
    is_part_of: Dossier<'a>,
    /// The letters this one replies to (schema.org has no `inReplyTo` for a `Message`; a reply
    /// is based on what it answers).
    #[serde(rename = "isBasedOn", skip_serializing_if = "Vec::is_empty")]
    is_based_on: Vec<String>,
    /// The letters of the archive this one cites.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(rename = "messageAttachment", skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment>,
    #[serde(rename = "sameAs", skip_serializing_if = "Option::is_none")]
    same_as: Option<&'a str>,
}

#[derive(Serialize)]
struct Agent<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(rename = "jobTitle", skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    affiliation: Option<Organization<'a>>,
    url: String,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Dossier<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    identifier: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct Attachment {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    url: String,
}

/// The JSON-LD of letter `ix`, ready to stand inside a `<script type="application/ld+json">`.
pub fn letter_json_ld<'r>(r: &'r Renderer<'_>, ix: LetterIx) -> ScriptJson<Message<'r>> {
    let a = r.archive;
    let l = &a.letters[ix];
    let absolute = |site_relative: &str| format!("{}{site_relative}", r.base_url);
    let letter_url = |t: &LetterIx| absolute(&a.letters[*t].url);
    let dossier = &a.dossiers[l.dossier];
    let mut identifier = vec![
        l.citation
            .clone()
            .unwrap_or_else(|| format!("{}, {}", l.letter.dossier, l.letter.id)),
    ];
    identifier.extend(l.letter.shown.kenmerk.clone());
    let message = Message {
        context: "https://schema.org",
        kind: "Message",
        id: absolute(&l.url),
        url: absolute(&l.url),
        name: r.views().title(l),
        identifier,
        date_sent: l.letter.date.iso(),
        in_language: r.config.language.code(),
        sender: parties(r, &l.letter.from, &l.from),
        recipient: parties(r, &l.letter.to, &l.to),
        is_part_of: Dossier {
            kind: "Collection",
            identifier: &dossier.id,
            name: dossier.title.as_deref(),
            url: absolute(&dossier.url),
        },
        is_based_on: l.replies_to.iter().map(letter_url).collect(),
        citation: l.cites.iter().map(letter_url).collect(),
        keywords: l.tags.iter().map(|&t| a.tags[t].name.as_str()).collect(),
        attachments: l
            .letter
            .attachments
            .iter()
            .map(|name| Attachment {
                kind: "MediaObject",
                name: name.clone(),
                url: absolute(&format!("{}{name}", l.url)),
            })
            .collect(),
        same_as: l.letter.shown.source.as_deref(),
    };
    ScriptJson(message)
}

fn parties<'a>(r: &'a Renderer<'_>, written: &'a [Party], linked: &[usize]) -> Vec<Agent<'a>> {
    written
        .iter()
        .zip(linked)
        .map(|(p, &c)| {
            agent(
                p,
                format!("{}{}", r.base_url, r.archive.correspondents[c].url),
            )
        })
        .collect()
}

/// A person with their role and body, or a body named on its own.
fn agent(p: &Party, url: String) -> Agent<'_> {
    match p.name.as_deref() {
        Some(name) => Agent {
            kind: "Person",
            name,
            job_title: p.role.as_deref(),
            affiliation: p.organisation.as_deref().map(|name| Organization {
                kind: "Organization",
                name,
            }),
            url,
        },
        None => Agent {
            kind: "Organization",
            name: p.display_name(),
            job_title: None,
            affiliation: None,
            url,
        },
    }
}

/// A value a template puts inside a `<script>` element: to the template its
/// [`script_json`] text, to the hash the value itself (encoding it is the slow part).
pub struct ScriptJson<T>(pub T);

impl<T: Serialize> Serialize for ScriptJson<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        super::handle::shown_or_inputs(s, || script_json(&self.0), &self.0)
    }
}

/// `value` as JSON that cannot end or comment inside a `<script>` element: `<`, `>` and `&`
/// become `\u003c`, `\u003e` and `\u0026` (the same string to a JSON parser), and the line
/// separators U+2028 and U+2029 are escaped as well, for readers that take JSON for JavaScript.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_element_and_parses_back() {
        let hostile = "</script><script>alert(1)</script><!-- & \u{2028}";
        let out = script_json(&serde_json::json!({ "name": hostile }));
        assert!(!out.contains(['<', '>', '&', '\u{2028}']), "{out}");
        let back: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(back["name"], hostile);
    }
}
