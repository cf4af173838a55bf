//! Markdown to HTML: CommonMark with footnotes, tables, strikethrough, smart
//! punctuation and heading anchors; citations of letters in the archive become links.
//!
//! Raw HTML and unsafe link targets send the result through ammonia, so only
//! harmless markup survives. Letters without either (nearly all) skip the
//! sanitiser, which keeps rendering at Markdown speed.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::archive::reference::{Reference, Target, find_references, official_url};

use pulldown_cmark::{
    CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream, html,
};

/// Finds the letters a body refers to. Called once per reference found.
pub trait CitationResolver {
    /// The site-relative URL of the letter a reference names, when it is in the archive.
    fn resolve(&self, target: &Target) -> Option<String>;
}

/// Resolves nothing: every citation links to its official publication.
pub struct NoLetters;

impl CitationResolver for NoLetters {
    fn resolve(&self, _: &Target) -> Option<String> {
        None
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
    let events = join_soft_breaks(TextMergeStream::new(Parser::new_ext(source, options())));
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
        text,
    }
}

/// Joins text on both sides of a soft line break into one text with a newline,
/// which renders the same, so a citation wrapped over two lines is found whole.
fn join_soft_breaks<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::new();
    let mut pending_break = false;
    for event in events {
        match (event, out.last_mut()) {
            (Event::SoftBreak, Some(Event::Text(_))) if !pending_break => pending_break = true,
            (Event::Text(t), Some(Event::Text(prev))) if pending_break => {
                *prev = format!("{prev}\n{t}").into();
                pending_break = false;
            }
            (event, _) => {
                if std::mem::take(&mut pending_break) {
                    out.push(Event::SoftBreak);
                }
                out.push(event);
            }
        }
    }
    if pending_break {
        out.push(Event::SoftBreak);
    }
    out
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
        if text.contains('\n') {
            // Lines joined by `join_soft_breaks` read as one in plain text.
            self.text.push_str(&text.replace('\n', " "));
        } else {
            self.text.push_str(text);
        }
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

    /// Splits a text event around references to letters: a citation or dated
    /// mention of a letter in the archive links to its page, a citation of
    /// another paper to its official publication.
    fn link_citations<'a>(&self, text: CowStr<'a>) -> Vec<Event<'a>> {
        let Some(resolver) = self.resolver else {
            return vec![Event::Text(text)];
        };
        let found = find_references(&text);
        if found.is_empty() {
            return vec![Event::Text(text)];
        }
        let mut events = Vec::with_capacity(found.len() * 4 + 1);
        let mut at = 0;
        for Reference { start, end, target } in found {
            let href = match (resolver.resolve(&target), &target) {
                (Some(url), _) => format!("{}{url}", self.base_path),
                (None, Target::Citation { dossier, letter }) => official_url(dossier, letter),
                (None, Target::Dated { .. }) => continue,
            };
            let class = if href.starts_with("https://") {
                "citation official"
            } else {
                "citation"
            };
            if start > at {
                events.push(Event::Text(text[at..start].to_string().into()));
            }
            events.push(Event::Html(
                format!("<a class=\"{class}\" href=\"{}\">", html_escape(&href)).into(),
            ));
            events.push(Event::Text(text[start..end].to_string().into()));
            events.push(Event::Html("</a>".into()));
            at = end;
        }
        if at < text.len() {
            events.push(Event::Text(text[at..].to_string().into()));
        }
        events
    }
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
    use crate::archive::reference::Whose;

    fn labels() -> FootnoteLabels<'static> {
        FootnoteLabels {
            heading: "Voetnoten",
            back: "Terug naar de tekst",
            table: "Tabel",
        }
    }

    /// Knows letter C of dossier 36521 and one letter of 19 November 2025 by the addressee.
    struct OneLetter;

    impl CitationResolver for OneLetter {
        fn resolve(&self, target: &Target) -> Option<String> {
            let known = match target {
                Target::Citation { dossier, letter } => dossier == "36521" && letter == "C",
                Target::Dated { whose, date } => {
                    *whose == Whose::Addressee && date.to_string() == "2025-11-19"
                }
            };
            known.then(|| "dossiers/36521/c/".to_string())
        }
    }

    fn render(md: &str) -> RenderedBody {
        render_markdown(md, "/archief/", &OneLetter, &labels())
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
    fn citations_link_to_the_archive_or_the_official_publication() {
        let html = render(
            "Zie Kamerstukken I 2025/26, 36521, C en Kamerstukken I 2025/26, 31700 VI, AI1 en\nKamerstuk 36 521, nr. 3.",
        )
        .html;
        assert!(
            html.contains("<a class=\"citation\" href=\"/archief/dossiers/36521/c/\">Kamerstukken I 2025/26, 36521, C</a> en "),
            "{html}"
        );
        assert!(
            html.contains("<a class=\"citation official\" href=\"https://zoek.officielebekendmakingen.nl/kst-31700-VI-AI.html\">Kamerstukken I 2025/26, 31700 VI, AI</a>1 en"),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://zoek.officielebekendmakingen.nl/kst-36521-3.html\">Kamerstuk 36 521, nr. 3</a>."),
            "{html}"
        );
    }

    #[test]
    fn dated_mentions_link_only_when_resolved() {
        let html = render("Op uw brief van 19 november 2025 en de brief van 2 mei 2024.").html;
        assert!(
            html.contains("Op <a class=\"citation\" href=\"/archief/dossiers/36521/c/\">uw brief van 19 november 2025</a> en de brief van 2 mei 2024."),
            "{html}"
        );
    }

    #[test]
    fn citations_inside_links_stay_as_written() {
        let html = render("[Kamerstukken I 2025/26, 36521, C](https://example.org/)").html;
        assert_eq!(html.matches("<a ").count(), 1, "{html}");
    }

    #[test]
    fn plain_text_has_no_markup() {
        let out = render("**Geachte** heer,\n\nDe *leden*.");
        assert_eq!(out.text, "Geachte heer, De leden.");
    }
}
