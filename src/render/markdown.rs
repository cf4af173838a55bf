//! Markdown to HTML: CommonMark with footnotes, tables, strikethrough, smart
//! punctuation and heading anchors; citations of letters in the archive become links.
//!
//! Raw HTML and unsafe link targets send the result through ammonia, so only
//! harmless markup survives. Letters without either (nearly all) skip the
//! sanitiser, which keeps rendering at Markdown speed.

use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{
    CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream, html,
};

/// Finds the URL (site-relative) of a cited letter: `(dossier, letter id)`.
pub trait CitationResolver {
    fn resolve(&self, dossier: &str, letter: &str) -> Option<String>;
}

impl<F: Fn(&str, &str) -> Option<String>> CitationResolver for F {
    fn resolve(&self, dossier: &str, letter: &str) -> Option<String> {
        self(dossier, letter)
    }
}

/// Labels the footnote markup needs, from the theme's translations.
pub struct FootnoteLabels<'a> {
    pub heading: &'a str,
    pub back: &'a str,
    /// Names the keyboard-focusable box a table scrolls in on a narrow screen.
    pub table: &'a str,
}

/// A rendered body: safe HTML and its plain text (for search and excerpts).
#[derive(Debug, Default, Clone)]
pub struct RenderedBody {
    pub html: String,
    pub text: String,
    /// The opening of the text, for feeds: kept when a build moves `text` to the search index.
    pub summary: String,
    /// The letters it cites, as (dossier, id), found in the archive or not.
    pub cites: Vec<(String, String)>,
}

/// Characters of text a summary keeps.
const SUMMARY_CHARS: usize = 280;

fn summary_of(text: &str) -> String {
    match text.char_indices().nth(SUMMARY_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a letter body. `base_path` prefixes citation links (`/archief/`).
pub fn render_markdown(
    source: &str,
    base_path: &str,
    resolver: &dyn CitationResolver,
    labels: &FootnoteLabels<'_>,
) -> RenderedBody {
    let mut state = State {
        base_path,
        resolver: Some(resolver),
        table_label: labels.table,
        ..State::default()
    };
    let events: Vec<Event<'_>> = TextMergeStream::new(Parser::new_ext(source, options())).collect();
    let body = state.transform(events);
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, body.into_iter());
    state.push_footnotes(&mut out, labels);
    let html = if state.needs_sanitising {
        sanitise(&out)
    } else {
        out
    };
    let text = state.text.trim().to_string();
    RenderedBody {
        html,
        summary: summary_of(&text),
        cites: Vec::new(),
        text,
    }
}

#[derive(Default)]
struct State<'r> {
    base_path: &'r str,
    resolver: Option<&'r dyn CitationResolver>,
    table_label: &'r str,
    needs_sanitising: bool,
    text: String,
    heading_ids: HashMap<String, usize>,
    /// Footnote label → number, in order of first reference.
    footnote_numbers: HashMap<String, usize>,
    footnote_refs: HashMap<usize, usize>,
    /// Rendered definitions by label, in document order.
    definitions: Vec<(String, String)>,
}

impl<'r> State<'r> {
    fn transform<'a>(&mut self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        let mut out = Vec::with_capacity(events.len());
        let mut iter = events.into_iter();
        let mut link_depth = 0usize;
        while let Some(event) = iter.next() {
            match event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let inner = self.take_definition(&mut iter);
                    let mut rendered = String::new();
                    html::push_html(&mut rendered, inner.into_iter());
                    self.definitions.push((label.to_string(), rendered));
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let (heading, rest) = self.heading(level, id, classes, attrs, &mut iter);
                    out.push(heading);
                    out.extend(rest);
                }
                // A wide table scrolls in its own box instead of widening the page (WCAG 1.4.10);
                // the box takes focus so it scrolls from the keyboard too (WCAG 2.1.1).
                Event::Start(Tag::Table(_)) => {
                    out.push(Event::Html(
                        format!(
                            "<div class=\"table-wrap\" role=\"group\" tabindex=\"0\" aria-label=\"{}\">\n",
                            html_escape(self.table_label)
                        )
                        .into(),
                    ));
                    out.push(event);
                }
                Event::End(TagEnd::Table) => {
                    out.push(event);
                    out.push(Event::Html("</div>\n".into()));
                }
                Event::FootnoteReference(label) => {
                    out.push(Event::Html(self.footnote_ref(&label).into()))
                }
                Event::Start(Tag::Link { ref dest_url, .. })
                | Event::Start(Tag::Image { ref dest_url, .. }) => {
                    if !is_safe_link(dest_url) {
                        self.needs_sanitising = true;
                    }
                    link_depth += matches!(event, Event::Start(Tag::Link { .. })) as usize;
                    out.push(event);
                }
                Event::End(TagEnd::Link) => {
                    link_depth = link_depth.saturating_sub(1);
                    out.push(event);
                }
                Event::Html(_) | Event::InlineHtml(_) => {
                    self.needs_sanitising = true;
                    out.push(event);
                }
                Event::Text(text) => {
                    self.push_text(&text);
                    if link_depth == 0 {
                        out.extend(self.link_citations(text));
                    } else {
                        out.push(Event::Text(text));
                    }
                }
                Event::Code(code) => {
                    self.push_text(&code);
                    out.push(Event::Code(code));
                }
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                    self.text.push(' ');
                    out.push(event);
                }
                other => out.push(other),
            }
        }
        out
    }

    fn push_text(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Collects the events of one footnote definition, transformed like the body.
    fn take_definition<'a>(
        &mut self,
        iter: &mut impl Iterator<Item = Event<'a>>,
    ) -> Vec<Event<'a>> {
        let mut inner = Vec::new();
        let mut depth = 0usize;
        for e in iter.by_ref() {
            match &e {
                Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
                Event::End(TagEnd::FootnoteDefinition) if depth == 0 => break,
                Event::End(TagEnd::FootnoteDefinition) => depth -= 1,
                _ => {}
            }
            inner.push(e);
        }
        self.text.push(' ');
        self.transform(inner)
    }

    fn heading<'a>(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        iter: &mut impl Iterator<Item = Event<'a>>,
    ) -> (Event<'a>, Vec<Event<'a>>) {
        let mut inner = Vec::new();
        let mut plain = String::new();
        for e in iter.by_ref() {
            if let Event::Text(t) | Event::Code(t) = &e {
                plain.push_str(t);
            }
            let end = matches!(e, Event::End(TagEnd::Heading(_)));
            inner.push(e);
            if end {
                break;
            }
        }
        let base = id.map(|i| i.to_string()).unwrap_or_else(|| {
            let s = slug::slugify(&plain);
            if s.is_empty() { "kop".to_string() } else { s }
        });
        let id = self.unique_heading_id(base);
        let transformed = self.transform(inner);
        (
            Event::Start(Tag::Heading {
                level,
                id: Some(id.into()),
                classes,
                attrs,
            }),
            transformed,
        )
    }

    /// Heading ids never collide with each other or with the `fn-` footnote ids.
    fn unique_heading_id(&mut self, base: String) -> String {
        let base = if base.starts_with("fn") {
            format!("h-{base}")
        } else {
            base
        };
        let n = self.heading_ids.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}-{n}") }
    }

    fn footnote_ref(&mut self, label: &str) -> String {
        let next = self.footnote_numbers.len() + 1;
        let number = *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert(next);
        let count = self.footnote_refs.entry(number).or_insert(0);
        *count += 1;
        let ref_id = if *count == 1 {
            format!("fnref-{number}")
        } else {
            format!("fnref-{number}-{count}")
        };
        format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{number}\" id=\"{ref_id}\">{number}</a></sup>"
        )
    }

    /// Writes the footnotes as one numbered list at the end, each with a link back.
    fn push_footnotes(&mut self, out: &mut String, labels: &FootnoteLabels<'_>) {
        if self.definitions.is_empty() {
            return;
        }
        let mut numbered: Vec<(usize, String)> = Vec::with_capacity(self.definitions.len());
        let mut unreferenced = self.footnote_numbers.len();
        for (label, html) in std::mem::take(&mut self.definitions) {
            let number = self
                .footnote_numbers
                .get(&label)
                .copied()
                .unwrap_or_else(|| {
                    unreferenced += 1;
                    unreferenced
                });
            numbered.push((number, html));
        }
        numbered.sort_by_key(|(n, _)| *n);
        let _ = write!(
            out,
            "<section class=\"footnotes\" aria-label=\"{}\">\n<ol>\n",
            html_escape(labels.heading)
        );
        for (number, html) in numbered {
            let back = if self.footnote_refs.contains_key(&number) {
                format!(
                    " <a href=\"#fnref-{number}\" class=\"footnote-back\" aria-label=\"{}\">↩</a>",
                    html_escape(labels.back)
                )
            } else {
                String::new()
            };
            let html = html.trim_end();
            let body = match html.strip_suffix("</p>") {
                Some(inner) => format!("{inner}{back}</p>"),
                None => format!("{html}{back}"),
            };
            let _ = writeln!(out, "<li id=\"fn-{number}\" value=\"{number}\">{body}</li>");
        }
        out.push_str("</ol>\n</section>\n");
    }

    /// Splits a text event around citations (`Kamerstukken I 2025/26, 36521, C`) of letters in the archive.
    fn link_citations<'a>(&self, text: CowStr<'a>) -> Vec<Event<'a>> {
        let Some(resolver) = self.resolver else {
            return vec![Event::Text(text)];
        };
        if !text.contains("Kamerstukken ") {
            return vec![Event::Text(text)];
        }
        let mut events = Vec::new();
        let mut rest: &str = &text;
        while let Some(found) = find_citation(rest) {
            let Some(url) = resolver.resolve(&found.dossier, &found.letter) else {
                events.push(Event::Text(rest[..found.end].to_string().into()));
                rest = &rest[found.end..];
                continue;
            };
            events.push(Event::Text(rest[..found.start].to_string().into()));
            let href = format!("{}{url}", self.base_path);
            events.push(Event::Html(
                format!("<a class=\"citation\" href=\"{}\">", html_escape(&href)).into(),
            ));
            events.push(Event::Text(rest[found.start..found.end].to_string().into()));
            events.push(Event::Html("</a>".into()));
            rest = &rest[found.end..];
        }
        events.push(Event::Text(rest.to_string().into()));
        events.retain(|e| !matches!(e, Event::Text(t) if t.is_empty()));
        events
    }
}

/// One citation found in text: byte range and what it cites.
#[derive(Debug, PartialEq, Eq)]
pub struct FoundCitation {
    pub start: usize,
    pub end: usize,
    pub dossier: String,
    pub letter: String,
}

/// Finds the first `Kamerstukken I|II YYYY/YY, DOSSIER, ID` (ID may be `nr. 12`).
pub fn find_citation(text: &str) -> Option<FoundCitation> {
    let mut from = 0;
    while let Some(i) = text[from..].find("Kamerstukken ") {
        let start = from + i;
        if let Some(found) = parse_citation_at(text, start) {
            return Some(found);
        }
        from = start + "Kamerstukken ".len();
    }
    None
}

fn parse_citation_at(text: &str, start: usize) -> Option<FoundCitation> {
    let rest = &text[start + "Kamerstukken ".len()..];
    let rest = rest
        .strip_prefix("II ")
        .or_else(|| rest.strip_prefix("I "))?;
    let session = rest.get(..7)?;
    let ok = session.as_bytes()[4] == b'/'
        && session
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit());
    let rest = rest.get(7..)?.strip_prefix(", ").filter(|_| ok)?;
    let comma = rest.find(", ")?;
    let dossier = &rest[..comma];
    if dossier.is_empty()
        || dossier.len() > 20
        || !dossier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ')
    {
        return None;
    }
    let after = &rest[comma + 2..];
    let (prefix_len, id_part) = match after.strip_prefix("nr. ") {
        Some(n) => (4, n),
        None => (0, after),
    };
    let id_len = id_part
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(id_part.len());
    if id_len == 0 {
        return None;
    }
    let end = text.len() - after.len() + prefix_len + id_len;
    Some(FoundCitation {
        start,
        end,
        dossier: dossier.to_string(),
        letter: id_part[..id_len].to_string(),
    })
}

/// Links a reader can follow without running anything.
fn is_safe_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            let scheme = &lower[..colon];
            // A colon after a slash, `?` or `#` is part of a path, not a scheme.
            scheme.contains(['/', '?', '#'])
                || matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
    }
}

/// Removes scripts, event handlers, iframes and `javascript:` links; keeps harmless markup.
pub fn sanitise(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["u", "section", "abbr"])
        .add_generic_attributes(["id", "lang", "title"])
        .add_tag_attributes("a", ["class", "aria-label"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("section", ["class", "aria-label"])
        .add_tag_attributes("li", ["value"])
        .add_tag_attributes("div", ["class", "role", "tabindex", "aria-label"])
        .add_tag_attributes("th", ["scope", "style"])
        .add_tag_attributes("td", ["style"])
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"));
    builder.clean(html).to_string()
}

/// Escapes text for HTML content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> FootnoteLabels<'static> {
        FootnoteLabels {
            heading: "Voetnoten",
            back: "Terug naar de tekst",
            table: "Tabel",
        }
    }

    fn render(md: &str) -> RenderedBody {
        let resolver =
            |d: &str, l: &str| (d == "36521" && l == "C").then(|| "dossiers/36521/c/".to_string());
        render_markdown(md, "/archief/", &resolver, &labels())
    }

    #[test]
    fn footnotes_get_prefixed_ids_and_back_links() {
        let out = render(
            "Tekst.[^1] Meer.[^a]\n\n[^a]: Tweede.\n[^1]: Kamerstukken I 2025/26, 36521, C.\n",
        );
        assert!(
            out.html.contains("href=\"#fn-1\" id=\"fnref-1\""),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<li id=\"fn-2\" value=\"2\"><p>Tweede."),
            "{}",
            out.html
        );
        assert!(out.html.contains("href=\"#fnref-1\""));
        assert!(out.html.contains("<a class=\"citation\" href=\"/archief/dossiers/36521/c/\">Kamerstukken I 2025/26, 36521, C</a>."), "{}", out.html);
    }

    #[test]
    fn tables_scroll_in_a_named_focusable_box() {
        let html = render("| a | b |\n| - | -: |\n| 1 | 2 |\n").html;
        assert!(
            html.starts_with(
                "<div class=\"table-wrap\" role=\"group\" tabindex=\"0\" aria-label=\"Tabel\">\n<table>"
            ),
            "{html}"
        );
        assert!(html.trim_end().ends_with("</table>\n</div>"), "{html}");
        // Raw HTML elsewhere in the letter sends the body through the sanitiser: the box survives.
        let sanitised = render("<b>x</b>\n\n| a |\n| - |\n| 1 |\n").html;
        assert!(
            sanitised.contains("<div class=\"table-wrap\" role=\"group\" tabindex=\"0\""),
            "{sanitised}"
        );
    }

    #[test]
    fn headings_get_unique_anchors() {
        let out = render("# Vragen\n\n## Vragen\n\n## Fn 1\n");
        assert!(out.html.contains("<h1 id=\"vragen\">"));
        assert!(out.html.contains("<h2 id=\"vragen-2\">"));
        assert!(out.html.contains("<h2 id=\"h-fn-1\">"), "{}", out.html);
    }

    #[test]
    fn scripts_and_javascript_links_are_removed() {
        let out = render(
            "<script>alert(1)</script><u onclick=\"x()\">onder</u> <iframe src=x></iframe><sup>2</sup>\n\n[klik](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(2)\">ook</a>",
        );
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("onclick"));
        assert!(
            !out.html.to_lowercase().contains("href=\"javascript:"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains(">klik</a>") || out.html.contains("klik"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("<iframe"));
        assert!(out.html.contains("<u>onder</u>"));
        assert!(out.html.contains("<sup>2</sup>"));
    }

    #[test]
    fn tables_strikethrough_and_smart_quotes() {
        let out = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~weg~~ \"zo\"");
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<del>weg</del>"));
        assert!(out.html.contains("“zo”"));
    }

    #[test]
    fn citations_are_found_with_numbers_and_suffixed_dossiers() {
        let c = find_citation("zie Kamerstukken II 2015/16, 31700 VI, nr. 23).").unwrap();
        assert_eq!((c.dossier.as_str(), c.letter.as_str()), ("31700 VI", "23"));
        assert!(find_citation("Kamerstukken I 2025, 1, C").is_none());
        let unresolved = render("Kamerstukken I 2024/25, 99999, A");
        assert!(!unresolved.html.contains("<a"));
    }

    #[test]
    fn plain_text_has_no_markup() {
        let out = render("**Geachte** heer,\n\nDe *leden*.");
        assert_eq!(out.text, "Geachte heer, De leden.");
    }
}
