//! From extracted text to a clean letter: the rules, each a small function.
//!
//! Text out of a PDF is lines, not paragraphs: words hyphenated at line ends,
//! footnotes at the foot of each page, page headers and numbers between the
//! paragraphs, link annotations repeated as bare lines, and sometimes a blank
//! line after every line. [`clean`] undoes that in order:
//!
//! 1. [`normalise`]: one kind of line end, ligatures spelt out, trailing spaces gone;
//! 2. [`split_head`]: letterhead and address block (everything before the salutation)
//!    kept apart for drafting, out of the body;
//! 3. [`take_footnotes`]: numbered lines at a page foot become footnotes;
//! 4. [`drop_link_lines`], [`drop_page_furniture`]: bare link lines, page numbers and
//!    repeated headers go;
//! 5. [`paragraphs`]: wrapped lines joined with [`join_lines`] (hyphenation undone,
//!    real and suspended hyphens kept), paragraph ends found from blank lines,
//!    short last lines and indented starts, list items, headings and the
//!    signature recognised;
//! 6. [`mark_footnotes`]: glued markers (`Kinderombudsman.1`) become `[^1]`.

use std::collections::HashSet;

/// A letter's text after cleaning, before Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cleaned {
    /// Lines before the salutation: letterhead, address block, date, subject, kenmerk.
    pub head: Vec<String>,
    /// The body in reading order.
    pub blocks: Vec<Block>,
    /// Footnote texts by number, in order.
    pub footnotes: Vec<(u32, String)>,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    /// A committee heading ("Vragen en opmerkingen van de leden van de fractie van …").
    Heading(String),
    /// Items that follow each other (`1. …`, `a) …`, `• …`).
    List(Vec<Item>),
    /// The lines under the closing (name, role, organisation), kept as lines.
    Signature(Vec<String>),
}

/// One list item: its marker as printed (`1.`, `b)`, `(iii)`, `•`) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub marker: String,
    pub text: String,
}

impl Item {
    /// Whether Markdown numbers it itself (`1.`, `2)`); other markers are kept in the text.
    pub fn numbered(&self) -> bool {
        let digits = self.marker.trim_end_matches(['.', ')']);
        digits.len() + 1 == self.marker.len() && digits.bytes().all(|b| b.is_ascii_digit())
    }
}

/// Cleans extracted text; pages are separated by form feeds (`\u{c}`) when known.
pub fn clean(text: &str) -> Cleaned {
    let lines = raise_markers(normalise(text));
    let (head, body) = split_head(lines);
    let (body, footnote_lines) = take_footnotes(body);
    let footnotes: Vec<(u32, String)> = footnote_lines
        .into_iter()
        .map(|(n, lines)| (n, join_all(&lines)))
        .collect();
    let known_text: String = footnotes.iter().map(|(_, t)| t.as_str()).collect();
    let body = drop_link_lines(body, &known_text);
    let body = drop_page_furniture(body, &head);
    let mut blocks = paragraphs(&body);
    let numbers: Vec<u32> = footnotes.iter().map(|(n, _)| *n).collect();
    mark_footnotes(&mut blocks, &numbers);
    Cleaned {
        head: head
            .into_iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.text)
            .collect(),
        blocks,
        footnotes,
    }
}

/// One line of extracted text, with the page it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub page: usize,
    /// The raw line started with a space: it may go on a printed line broken before it.
    pub continues: bool,
    /// The raw line's leading spaces (a tab counts as four): a step in starts a paragraph.
    pub indent: usize,
    /// The line's place in the extracted text, to tell blank lines that stood
    /// together from blank lines around something taken out (a footnote, a page number).
    pub number: usize,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Splits into lines: `\r\n` and `\r` become `\n`, a form feed starts a page,
/// ligatures and no-break spaces become plain letters and spaces, and each line is trimmed.
pub fn normalise(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    for (page, page_text) in text.split('\u{c}').enumerate() {
        for raw in page_text.split(['\n', '\r']) {
            let lead = &raw[..raw.len() - raw.trim_start_matches([' ', '\t', '\u{a0}']).len()];
            lines.push(Line {
                text: spell_out(raw).trim().to_string(),
                page,
                continues: !lead.is_empty(),
                indent: lead.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum(),
                number: 0,
            });
        }
    }
    // `\r\n` made an empty line between every pair: collapse what the split added.
    if text.contains("\r\n") {
        let mut out: Vec<Line> = Vec::with_capacity(lines.len() / 2);
        let mut skip_blank = false;
        for l in lines {
            if skip_blank && l.is_blank() {
                skip_blank = false;
                continue;
            }
            skip_blank = !l.is_blank();
            out.push(l);
        }
        lines = out;
    }
    for (number, line) in lines.iter_mut().enumerate() {
        line.number = number;
    }
    lines
}

/// Ligatures (`ﬁ`) as their letters, no-break and thin spaces as spaces, a soft
/// hyphen at a line end as a hyphen (it marks a word broken there).
pub fn spell_out(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            '\u{a0}' | '\u{2009}' | '\u{202f}' | '\t' => out.push(' '),
            '\u{ad}' => out.push('-'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Words that open a letter's salutation.
const SALUTATIONS: &[&str] = &[
    "geachte ",
    "zeer geachte ",
    "hooggeachte ",
    "beste ",
    "dear ",
];

/// Whether the line is a salutation: `Geachte heer Rijkaart,`.
pub fn is_salutation(line: &str) -> bool {
    let lower = line.to_lowercase();
    SALUTATIONS.iter().any(|s| lower.starts_with(s)) && line.len() < 120
}

/// Everything before the salutation is the head (letterhead, address block,
/// date, subject): it is read for the front matter and kept out of the body.
/// Without a salutation there is no head.
pub fn split_head(lines: Vec<Line>) -> (Vec<Line>, Vec<Line>) {
    match lines.iter().position(|l| is_salutation(&l.text)) {
        Some(i) => {
            let mut head = lines;
            let body = head.split_off(i);
            (head, body)
        }
        None => (Vec::new(), lines),
    }
}

/// A raised footnote marker comes out of some extractors as a line of its own
/// (`…Netbeheerautoriteit.` / `1` / ` De leden`): it is glued back to the word
/// before it, with the rest of its printed line. Only the next footnote number
/// whose footnote follows on the same page counts, so a page number stays.
pub fn raise_markers(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut next = 1;
    let mut glued = false;
    for (i, line) in lines.iter().enumerate() {
        if glued && line.continues && !line.is_blank() {
            if let Some(prev) = out.last_mut() {
                prev.text.push(' ');
                prev.text.push_str(&line.text);
            }
            glued = false;
            continue;
        }
        glued = false;
        let after_word = out.last().is_some_and(|p| {
            p.page == line.page
                && p.text
                    .ends_with(|c: char| !c.is_ascii_digit() && !c.is_whitespace())
        });
        let footnote_below = || {
            lines[i + 1..]
                .iter()
                .take_while(|l| l.page == line.page)
                .any(|l| footnote_start(&l.text, next).is_some())
        };
        if line.text == next.to_string() && after_word && footnote_below() {
            if let Some(prev) = out.last_mut() {
                prev.text.push_str(&line.text);
            }
            next += 1;
            glued = true;
            continue;
        }
        while has_marker(&line.text, next) {
            next += 1;
        }
        out.push(line.clone());
    }
    out
}

/// A footnote's number and its lines, as found at a page foot.
type FootnoteLines = (u32, Vec<String>);

/// Takes the footnotes out of the body. A footnote starts with a line `N text`
/// where N is the next footnote number and a marker N is glued to a word above
/// it (`Kinderombudsman.1`); it goes on until a blank line, a new page, the
/// next footnote, or a bare link that repeats an address the footnote already has.
pub fn take_footnotes(lines: Vec<Line>) -> (Vec<Line>, Vec<FootnoteLines>) {
    let mut body = Vec::with_capacity(lines.len());
    let mut notes: Vec<FootnoteLines> = Vec::new();
    let mut open: Option<usize> = None;
    let mut seen = String::new();
    for line in lines {
        let next = notes.last().map_or(1, |(n, _)| n + 1);
        if let Some(rest) = footnote_start(&line.text, next).filter(|_| has_marker(&seen, next)) {
            notes.push((next, vec![rest.to_string()]));
            open = Some(line.page);
            continue;
        }
        if let Some(page) = open {
            let repeated_link = is_link_line(&line.text)
                && notes.last().is_some_and(|(_, note)| {
                    join_all(note)
                        .split_whitespace()
                        .collect::<String>()
                        .contains(&line.text)
                });
            let ends =
                line.is_blank() || line.page != page || repeated_link || is_page_number(&line.text);
            if !ends {
                if let Some((_, note)) = notes.last_mut() {
                    note.push(line.text);
                }
                continue;
            }
            open = None;
        }
        seen.push_str(&line.text);
        seen.push('\n');
        body.push(line);
    }
    (body, notes)
}

/// The text of a footnote line `N text` when it is footnote `n`.
fn footnote_start(line: &str, n: u32) -> Option<&str> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || line[..digits].parse::<u32>().ok()? != n {
        return None;
    }
    let rest = line[digits..].strip_prefix(' ')?.trim_start();
    rest.chars().next().filter(|c| !c.is_lowercase())?;
    Some(rest)
}

/// Whether `text` has footnote marker `n` glued to a word: `woord.1`, `woord1`, `woord’1`.
fn has_marker(text: &str, n: u32) -> bool {
    !marker_positions(text, n).is_empty()
}

/// Byte ranges of glued markers `n` in `text`: the digits follow a lowercase
/// letter or closing punctuation and stand alone (`CO2` or `2025` are no markers).
fn marker_positions(text: &str, n: u32) -> Vec<(usize, usize)> {
    let digits = n.to_string();
    text.match_indices(digits.as_str())
        .map(|(i, d)| (i, i + d.len()))
        .filter(|&(start, end)| {
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            let glued = before.is_some_and(|c| {
                c.is_lowercase()
                    || matches!(
                        c,
                        '.' | ',' | ';' | ':' | '?' | '!' | ')' | '’' | '”' | '\'' | '"'
                    )
            });
            let alone = after.is_none_or(|c| c.is_whitespace() || matches!(c, ',' | ';' | ')'));
            glued && alone && !before_is_number(&text[..start])
        })
        .collect()
}

/// `1.2` or `3,5`: the digits after the point continue a number.
fn before_is_number(before: &str) -> bool {
    let mut chars = before.chars().rev();
    matches!(chars.next(), Some('.' | ',')) && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// A line that is only a web address: what a PDF's link annotation leaves behind.
pub fn is_link_line(line: &str) -> bool {
    (line.starts_with("https://") || line.starts_with("http://") || line.starts_with("www."))
        && !line.contains(' ')
}

/// Drops bare link lines whose address is already in the text (`known`, the
/// footnotes, or the body), and repeats of one kept bare link.
pub fn drop_link_lines(lines: Vec<Line>, known: &str) -> Vec<Line> {
    let body_text: String = lines
        .iter()
        .filter(|l| !is_link_line(&l.text))
        .map(|l| join_all(std::slice::from_ref(&l.text)))
        .collect::<Vec<_>>()
        .join(" ");
    let mut joined_known = join_all(&[known.to_string()]);
    joined_known.push(' ');
    joined_known.push_str(&body_text);
    let known_flat: String = joined_known.split_whitespace().collect();
    let mut kept = HashSet::new();
    lines
        .into_iter()
        .filter(|l| {
            if !is_link_line(&l.text) {
                return true;
            }
            !known_flat.contains(l.text.as_str()) && kept.insert(l.text.clone())
        })
        .collect()
}

/// Whether a line is a page number: `2`, `- 2 -`, `– 2 –`, `blad 2`, `pagina 2 van 3`, `2/3`.
pub fn is_page_number(line: &str) -> bool {
    let lower = line.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '-' | '–' | '—'))
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit());
    match words.as_slice() {
        [n] => number(n),
        [w, n] if matches!(*w, "blad" | "pagina" | "page" | "pag.") => number(n),
        [n, m] => number(n) && number(m),
        [w, n, v, m] => {
            matches!(*w, "blad" | "pagina" | "page")
                && number(n)
                && matches!(*v, "van" | "of")
                && number(m)
        }
        _ => false,
    }
}

/// Drops page numbers, and short lines that repeat a line of the head (a
/// letterhead or date printed again at the top of later pages).
pub fn drop_page_furniture(lines: Vec<Line>, head: &[Line]) -> Vec<Line> {
    let head_lines: HashSet<&str> = head
        .iter()
        .map(|l| l.text.as_str())
        .filter(|t| !t.is_empty() && t.len() < 80)
        .collect();
    lines
        .into_iter()
        .filter(|l| !is_page_number(&l.text) && !head_lines.contains(l.text.as_str()))
        .collect()
}

/// Words that close a letter before the signature.
const CLOSINGS: &[&str] = &[
    "hoogachtend",
    "met vriendelijke groet",
    "met vriendelijke groeten",
    "met de meeste hoogachting",
    "met hoogachting",
    "met collegiale groet",
    "yours sincerely",
    "kind regards",
];

/// Whether the line closes the letter: `Hoogachtend,`.
pub fn is_closing(line: &str) -> bool {
    let lower = line.trim_end_matches([',', '.', ' ']).to_lowercase();
    CLOSINGS.contains(&lower.as_str())
}

/// How a committee heading starts; it stands on a line of its own without a final stop.
const HEADINGS: &[&str] = &[
    "vragen en opmerkingen van de",
    "vragen van de leden",
    "opmerkingen van de leden",
    "inbreng van de leden",
    "reactie van de minister",
    "reactie van de staatssecretaris",
    "beantwoording van de vragen",
];

/// Whether the line is a committee heading (bold in the PDF).
pub fn is_heading(line: &str) -> bool {
    let lower = line.to_lowercase();
    HEADINGS.iter().any(|h| lower.starts_with(h))
        && line.len() < 200
        && !line.ends_with(['.', ',', ';', ':', '?', '!'])
}

/// Whether a line ends a sentence: `.`, `?`, `!` or `:`, perhaps followed by a
/// closing quote or bracket and a glued footnote marker.
pub fn ends_sentence(line: &str) -> bool {
    let trimmed = line.trim_end_matches(|c: char| c.is_ascii_digit());
    let trimmed = trimmed.trim_end_matches(['’', '”', '\'', '"', ')']);
    trimmed.ends_with(['.', '?', '!', ':'])
}

/// Whether blank lines separate every line (some extractors write one after
/// each line): then one blank line says nothing about paragraphs.
fn blank_after_every_line(lines: &[Line]) -> bool {
    let text_lines = lines.iter().filter(|l| !l.is_blank()).count();
    let followed = lines
        .windows(2)
        .filter(|w| !w[0].is_blank() && w[1].is_blank())
        .count();
    text_lines > 3 && followed * 10 >= text_lines * 7
}

/// The printed width of a text, in ems of a common proportional font: `m`
/// and capitals take more room than `i` or `.`, so that a line's fullness can
/// be judged from its letters.
pub fn text_width(text: &str) -> f32 {
    text.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '’' | '‘' => 0.25,
            'f' | 't' | 'r' | 'I' | '(' | ')' | '-' | ' ' | '/' => 0.33,
            'm' | 'w' | 'M' | 'W' => 0.85,
            c if c.is_uppercase() => 0.7,
            c if c.is_ascii_digit() => 0.556,
            _ => 0.55,
        })
        .sum()
}

/// The width of a full line of text (bare links left out: they may run past it).
fn full_width(lines: &[Line]) -> f32 {
    let mut widths: Vec<f32> = lines
        .iter()
        .filter(|l| !l.is_blank() && !is_link_line(&l.text))
        .map(|l| text_width(&l.text) + l.indent as f32 * 0.33)
        .collect();
    widths.sort_unstable_by(f32::total_cmp);
    widths.get(widths.len() * 19 / 20).copied().unwrap_or(0.0)
}

/// Whether the first word of `next` would have fitted at the end of `line`
/// (in a line `width` wide): then the line was not wrapped but ended, like a
/// paragraph's last line.
pub fn next_word_fits(line: &Line, next: &str, width: f32) -> bool {
    let word = next.split_whitespace().next().unwrap_or_default();
    let used = text_width(&line.text) + line.indent as f32 * 0.33;
    used + text_width(" ") + text_width(word) <= width
}

/// Roman numbers that number list items (`iii)`), up to ten.
const ROMAN: &[&str] = &["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];

/// The marker and the text of a line that starts a list item: `1. `, `2) `,
/// `a) `, `(b) `, `iv. `, `• `, `- `, `– `.
pub fn list_marker(line: &str) -> Option<(&str, &str)> {
    let (marker, rest) = line.split_once(' ')?;
    let rest = rest.trim_start();
    if rest.is_empty() {
        return None;
    }
    let bullet = matches!(marker, "•" | "·" | "▪" | "◦" | "‣" | "-" | "–" | "—" | "*");
    let inner = marker
        .strip_prefix('(')
        .and_then(|m| m.strip_suffix(')'))
        .or_else(|| marker.strip_suffix(['.', ')']));
    let numbered = inner.is_some_and(|m| {
        ((1..=2).contains(&m.len()) && m.bytes().all(|b| b.is_ascii_digit()))
            || (m.len() == 1 && m.bytes().all(|b| b.is_ascii_lowercase()))
            || ROMAN.contains(&m)
    });
    (bullet || numbered).then_some((marker, rest))
}

/// A line that is only a list marker (`1.`, `•`): some extractors put the
/// marker apart from its item's text.
fn bare_marker(line: &str) -> bool {
    !line.contains(' ') && list_marker(&format!("{line} x")).is_some()
}

/// The paragraph or list item being gathered.
#[derive(Default)]
struct Gathering {
    lines: Vec<String>,
    marker: Option<String>,
}

impl Gathering {
    fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Ends the paragraph or item: an item joins the list right before it.
    fn flush(&mut self, blocks: &mut Vec<Block>) {
        if self.lines.is_empty() {
            return;
        }
        let text = join_all(&self.lines);
        self.lines.clear();
        match self.marker.take() {
            Some(marker) => {
                let item = Item { marker, text };
                match blocks.last_mut() {
                    Some(Block::List(items)) => items.push(item),
                    _ => blocks.push(Block::List(vec![item])),
                }
            }
            None => blocks.push(Block::Paragraph(text)),
        }
    }
}

/// Groups lines into blocks. Between two lines a paragraph ends when:
/// - blank lines stood between them in the extracted text (two or more when the
///   extractor put one after every line; blank lines around a footnote or page
///   number that was taken out, or across a page turn, say nothing);
/// - the first line ends a sentence (or a colon) and the next line's first word
///   would have fitted on it, so it was not wrapped (a short last line);
/// - the next line is indented further (an indented first line), except inside a
///   list item, whose wrapped lines hang under its text;
/// - the next line starts a list item (`1.`, `a)`, `•`) after a sentence, a colon,
///   a semicolon or another item;
/// - the first line is the salutation.
///
/// Committee headings stand alone where a paragraph may end; the closing
/// stands alone and the lines after it are the signature.
pub fn paragraphs(lines: &[Line]) -> Vec<Block> {
    let every_line = blank_after_every_line(lines);
    let width = full_width(lines);
    let mut blocks = Vec::new();
    let mut current = Gathering::default();
    let mut prev: Option<&Line> = None;
    // Blank lines since the previous text line, and whether they stood together with it.
    let mut blanks = 0;
    let mut together = true;
    let mut last: Option<&Line> = None;
    // The line before was a marker alone: this line is its item's text.
    let mut marker_before = false;
    for (i, line) in lines.iter().enumerate() {
        if let Some(l) = last
            && (line.number != l.number + 1 || line.page != l.page)
        {
            together = false;
        }
        last = Some(line);
        if line.is_blank() {
            blanks += 1;
            continue;
        }
        let blank_break = together && blanks >= if every_line { 2 } else { 1 };
        let bare = bare_marker(&line.text);
        let item = list_marker(&line.text).or(bare.then_some((line.text.as_str(), "")));
        let ends = match prev {
            None => true,
            Some(_) if marker_before => false,
            Some(p) => {
                let in_item = current.marker.is_some();
                let after_sentence = ends_sentence(&p.text);
                blank_break
                    || is_salutation(&p.text)
                    || (after_sentence && next_word_fits(p, &line.text, width))
                    || (line.indent > p.indent && !in_item)
                    || (item.is_some() && (in_item || after_sentence || p.text.ends_with(';')))
            }
        };
        blanks = 0;
        together = true;
        prev = Some(line);
        marker_before = false;
        if ends {
            current.flush(&mut blocks);
        }
        if is_closing(&line.text) {
            current.flush(&mut blocks);
            blocks.push(Block::Paragraph(line.text.clone()));
            let signature: Vec<String> = lines[i + 1..]
                .iter()
                .filter(|l| !l.is_blank())
                .map(|l| l.text.clone())
                .collect();
            if !signature.is_empty() {
                blocks.push(Block::Signature(signature));
            }
            return blocks;
        }
        if current.is_empty() && is_heading(&line.text) {
            blocks.push(Block::Heading(line.text.clone()));
            continue;
        }
        match item {
            Some((marker, rest)) if current.is_empty() => {
                current.marker = Some(marker.to_string());
                if bare {
                    marker_before = true;
                } else {
                    current.lines.push(rest.to_string());
                }
            }
            _ => current.lines.push(line.text.clone()),
        }
    }
    current.flush(&mut blocks);
    blocks
}

/// Joins wrapped lines into one text with [`join_lines`].
pub fn join_all(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        out = join_lines(&out, line);
    }
    out
}

/// Small words after which a line-end hyphen is a Dutch suspended hyphen
/// (`asiel- en migratiebeleid`, `wind- of zonne-energie`): the hyphen and the space stay.
const SUSPENDED_AFTER: &[&str] = &["en", "of", "tot", "noch", "als", "and", "or"];

/// Joins a line to the text before it, undoing line-end hyphenation:
/// `kennisgeno-` + `men` → `kennisgenomen`; a hyphen before a capital or a
/// digit (`GroenLinks-PvdA`, `Jaarverslag-2024`), after a digit or capital
/// (`CO2-uitstoot`) or inside a web address stays without a space; a
/// suspended hyphen (`asiel-` + `en migratiebeleid`) stays with its space.
pub fn join_lines(before: &str, next: &str) -> String {
    if before.is_empty() {
        return next.to_string();
    }
    let Some(stem) = before.strip_suffix('-') else {
        return format!("{before} {next}");
    };
    let last_word = stem.rsplit(char::is_whitespace).next().unwrap_or_default();
    let first_word = next.split_whitespace().next().unwrap_or_default();
    let first_char = next.chars().next().unwrap_or(' ');
    let stem_end = stem.chars().next_back().unwrap_or(' ');
    let in_address = last_word.contains("://") || last_word.starts_with("www.");
    if in_address {
        return format!("{before}{next}");
    }
    if !stem_end.is_alphanumeric() {
        // A dash standing alone (`zie hieronder -`) is no hyphen.
        return format!("{before} {next}");
    }
    if stem_end.is_alphabetic() && SUSPENDED_AFTER.contains(&first_word) {
        return format!("{before} {next}");
    }
    if first_char.is_uppercase()
        || first_char.is_ascii_digit()
        || stem_end.is_ascii_digit()
        || stem_end.is_uppercase()
    {
        return format!("{before}{next}");
    }
    format!("{stem}{next}")
}

/// Replaces glued footnote markers with Markdown references, in order: marker
/// 1 first, then 2, each once; only numbers that have a footnote text.
pub fn mark_footnotes(blocks: &mut [Block], numbers: &[u32]) {
    let mut pending = numbers.iter().copied().peekable();
    let texts = blocks.iter_mut().flat_map(|block| match block {
        Block::Paragraph(text) => vec![text],
        Block::List(items) => items.iter_mut().map(|i| &mut i.text).collect(),
        Block::Heading(_) | Block::Signature(_) => Vec::new(),
    });
    for text in texts {
        while let Some(&n) = pending.peek() {
            let Some(&(start, end)) = marker_positions(text, n).first() else {
                break;
            };
            text.replace_range(start..end, &format!("[^{n}]"));
            pending.next();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        normalise(text)
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn line_end_hyphenation_is_undone() {
        assert_eq!(
            join_lines("hebben met belangstelling kennisgeno-", "men van uw brief"),
            "hebben met belangstelling kennisgenomen van uw brief"
        );
        assert_eq!(join_lines("de beantwoor-", "ding"), "de beantwoording");
    }

    #[test]
    fn hyphen_before_a_capital_stays() {
        assert_eq!(
            join_lines("de fractie van GroenLinks-", "PvdA hebben"),
            "de fractie van GroenLinks-PvdA hebben"
        );
    }

    #[test]
    fn hyphen_before_a_digit_stays() {
        assert_eq!(
            join_lines("in het Jaarverslag-", "2024 staat"),
            "in het Jaarverslag-2024 staat"
        );
    }

    #[test]
    fn hyphen_after_a_digit_or_acronym_stays() {
        assert_eq!(join_lines("de CO2-", "uitstoot"), "de CO2-uitstoot");
        assert_eq!(join_lines("de AOW-", "leeftijd"), "de AOW-leeftijd");
    }

    #[test]
    fn suspended_hyphen_keeps_its_space() {
        assert_eq!(
            join_lines("voor het asiel-", "en migratiebeleid"),
            "voor het asiel- en migratiebeleid"
        );
        assert_eq!(
            join_all(&[
                "voor de wind-".into(),
                "en zonneparken en het asiel- en migratie-".into(),
                "beleid".into()
            ]),
            "voor de wind- en zonneparken en het asiel- en migratiebeleid"
        );
    }

    #[test]
    fn hyphen_inside_a_web_address_joins_without_a_space() {
        assert_eq!(
            join_lines(
                "(via https://vng.nl/brieven/escalatie-",
                "maatschappelijke-onrust)."
            ),
            "(via https://vng.nl/brieven/escalatie-maatschappelijke-onrust)."
        );
    }

    #[test]
    fn ligatures_and_odd_spaces_are_spelt_out() {
        assert_eq!(
            spell_out("o\u{fb03}ciële\u{a0}ﬂexibele"),
            "officiële flexibele"
        );
        assert_eq!(spell_out("beantwoor\u{ad}"), "beantwoor-");
    }

    #[test]
    fn glued_marker_becomes_a_footnote_with_its_text_from_the_page_foot() {
        let text = "Geachte heer Jansen,\n\nvan de Kinderombudsman.1 De leden van de fractie hebben vragen gesteld over dit\n\nonderwerp en zijn er niet tevreden over.\n\n1 Kamerstukken I 2025/26, 36521, C.\n\nDe leden zien uit naar uw reactie.\n";
        let cleaned = clean(text);
        assert_eq!(
            cleaned.footnotes,
            vec![(1, "Kamerstukken I 2025/26, 36521, C.".to_string())]
        );
        let Block::Paragraph(p) = &cleaned.blocks[1] else {
            panic!("{:?}", cleaned.blocks)
        };
        assert!(p.starts_with("van de Kinderombudsman.[^1] De leden"), "{p}");
    }

    #[test]
    fn numbers_that_are_not_markers_stay() {
        let mut blocks = vec![Block::Paragraph(
            "de CO2-uitstoot in 2025 steeg met 1.2 procent.1 Verder".to_string(),
        )];
        mark_footnotes(&mut blocks, &[1, 2]);
        assert_eq!(
            blocks[0],
            Block::Paragraph("de CO2-uitstoot in 2025 steeg met 1.2 procent.[^1] Verder".into())
        );
    }

    #[test]
    fn footnote_continues_on_its_next_line_until_a_blank() {
        let body = lines(
            "zie de oproep.1\n1 VNG, Oproep (via\nhttps://vng.nl/a-\nb).\nhttps://vng.nl/a-b\nDe leden.",
        );
        let (rest, notes) = take_footnotes(body);
        assert_eq!(
            notes,
            vec![(
                1,
                vec![
                    "VNG, Oproep (via".into(),
                    "https://vng.nl/a-".into(),
                    "b).".into()
                ]
            )]
        );
        assert_eq!(
            texts(&rest),
            vec!["zie de oproep.1", "https://vng.nl/a-b", "De leden."]
        );
        // Numbered lines without a marker above are text, not footnotes.
        let (rest, notes) = take_footnotes(lines("1 Een lijst\n2 Twee"));
        assert!(notes.is_empty());
        assert_eq!(rest.len(), 2);
    }

    #[test]
    fn raised_marker_on_its_own_line_is_glued_back() {
        let raw = "van de Netbeheerautoriteit.\n1\n De leden\nvan de fracties.\n1 Kamerstukken I 2025/26, 37555, B.\n1\n\u{c}blad 2";
        let glued = raise_markers(normalise(raw));
        assert_eq!(
            texts(&glued),
            vec![
                "van de Netbeheerautoriteit.1 De leden",
                "van de fracties.",
                "1 Kamerstukken I 2025/26, 37555, B.",
                "1",
                "",
                "blad 2"
            ]
        );
    }

    #[test]
    fn repeated_link_lines_are_dropped() {
        let body = lines(
            "tekst\nhttps://vng.nl/a\nhttps://vng.nl/a\nhttps://example.org/b\nhttps://example.org/b\nmeer",
        );
        let kept = drop_link_lines(body, "via https://vng.nl/a).");
        assert_eq!(texts(&kept), vec!["tekst", "https://example.org/b", "meer"]);
    }

    #[test]
    fn page_numbers_and_repeated_headers_are_dropped() {
        let head = lines("Eerste Kamer der Staten-Generaal\ndatum 17 februari 2026");
        let body = lines(
            "tekst\n1\nEerste Kamer der Staten-Generaal\ndatum 17 februari 2026\nblad 2\n- 3 -\n– 4 –\npagina 2 van 4\nmeer\n2024 was een jaar",
        );
        let kept = drop_page_furniture(body, &head);
        assert_eq!(texts(&kept), vec!["tekst", "meer", "2024 was een jaar"]);
    }

    #[test]
    fn letterhead_and_address_block_stay_out_of_the_body() {
        let (head, body) = split_head(lines(
            "Eerste Kamer der Staten-Generaal\nAan de minister van Financiën\nDe heer A. Bakker\nGeachte heer Bakker,\nDe leden.",
        ));
        assert_eq!(head.len(), 3);
        assert_eq!(texts(&body), vec!["Geachte heer Bakker,", "De leden."]);
    }

    #[test]
    fn committee_headings_stand_alone() {
        let blocks = paragraphs(&lines(
            "Vragen en opmerkingen van de leden van de fractie van de SP\nDe leden van de fractie van de SP hebben een vraag over de uitvoering van het\nbeleid.",
        ));
        assert_eq!(
            blocks,
            vec![
                Block::Heading("Vragen en opmerkingen van de leden van de fractie van de SP".into()),
                Block::Paragraph(
                    "De leden van de fractie van de SP hebben een vraag over de uitvoering van het beleid."
                        .into()
                ),
            ]
        );
    }

    #[test]
    fn wrapped_lines_join_and_short_sentence_ends_break() {
        let text = "Geachte heer Jansen,\n\nDe leden hebben kennisgenomen van uw brief en stellen graag nog enkele\n\nvragen.\n\nZij vragen u wanneer het kabinet de toegezegde evaluatie naar de Kamer\n\nstuurt.\n\nHoogachtend,\n\n \n\nA. de Boer\n\nVoorzitter van de commissie\n";
        let blocks = clean(text).blocks;
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph("Geachte heer Jansen,".into()),
                Block::Paragraph("De leden hebben kennisgenomen van uw brief en stellen graag nog enkele vragen.".into()),
                Block::Paragraph("Zij vragen u wanneer het kabinet de toegezegde evaluatie naar de Kamer stuurt.".into()),
                Block::Paragraph("Hoogachtend,".into()),
                Block::Signature(vec!["A. de Boer".into(), "Voorzitter van de commissie".into()]),
            ]
        );
    }

    /// The blocks of a text as strings, items as `[marker] text` joined by ` | `.
    fn blocks_of(text: &str) -> Vec<String> {
        paragraph_texts(&paragraphs(&lines(text)))
    }

    fn paragraph_texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) | Block::Heading(p) => p.clone(),
                Block::List(items) => items
                    .iter()
                    .map(|i| format!("[{}] {}", i.marker, i.text))
                    .collect::<Vec<_>>()
                    .join(" | "),
                Block::Signature(lines) => lines.join(" / "),
            })
            .collect()
    }

    #[test]
    fn blank_after_every_line_two_blanks_are_a_break_one_is_not() {
        // As a PDF viewer copies it: a blank line after each printed line, and
        // the printed empty line between paragraphs as a line with a space.
        let text = "Het college heeft de raad op 3 maart gevraagd om een besluit over de nieuwe\n\nregeling voor\n\n \n\nde kinderopvang. Dat besluit volgt in april en wordt daarna bekendgemaakt in het\n\ngemeenteblad.\n\n \n\nDe raad is het daar niet mee eens\n\nen wil eerst een hoorzitting.\n";
        assert_eq!(
            blocks_of(text),
            vec![
                "Het college heeft de raad op 3 maart gevraagd om een besluit over de nieuwe regeling voor",
                "de kinderopvang. Dat besluit volgt in april en wordt daarna bekendgemaakt in het gemeenteblad.",
                "De raad is het daar niet mee eens en wil eerst een hoorzitting.",
            ]
        );
    }

    #[test]
    fn a_paragraph_goes_on_over_a_footnote_and_a_page_turn() {
        // The blank lines around the footnote, the page number and the header
        // of page 2 are no paragraph break: the sentence goes on.
        let text = "Gemeente Voorbeeld\n\nGeachte voorzitter,\n\nDe gemeente heeft in haar brief over de jeugdzorg gevraagd om meer geld voor de\n\nwijkteams, omdat de wachtlijsten volgens de wethouder opnieuw zijn gegroeid.1 Zij\n\nwil daarom\n\n1 Brief van de wethouder van 2 mei 2026.\n\n1\n\u{c}Gemeente Voorbeeld\n\nblad 2\n\nop korte termijn een gesprek met de staatssecretaris.\n";
        // The same letter as `pdftotext -layout` gives it: no blank between
        // lines, but blank lines around the page foot and under the header.
        let layout = "Gemeente Voorbeeld\n\nGeachte voorzitter,\nDe gemeente heeft in haar brief over de jeugdzorg gevraagd om meer geld voor de\nwijkteams, omdat de wachtlijsten volgens de wethouder opnieuw zijn gegroeid.1 Zij\nwil daarom\n\n\n1 Brief van de wethouder van 2 mei 2026.\n\n                                   1\n\u{c}                 Gemeente Voorbeeld\n                 blad 2\n\n\nop korte termijn een gesprek met de staatssecretaris.\n";
        for text in [text, layout] {
            let cleaned = clean(text);
            assert_eq!(
                paragraph_texts(&cleaned.blocks),
                vec![
                    "Geachte voorzitter,",
                    "De gemeente heeft in haar brief over de jeugdzorg gevraagd om meer geld voor de wijkteams, omdat de wachtlijsten volgens de wethouder opnieuw zijn gegroeid.[^1] Zij wil daarom op korte termijn een gesprek met de staatssecretaris.",
                ],
                "{text}"
            );
        }
    }

    #[test]
    fn a_short_last_line_ends_its_paragraph_a_full_one_does_not() {
        let text = "De provincie heeft de subsidie voor de fietspaden in het buitengebied verlaagd.\nDe gemeenten vragen u of die verlaging voor de komende jaren wordt herzien of\nblijft.\nZij willen dat graag voor de zomer weten, zodat zij hun eigen plannen kunnen\nmaken.\nOok vragen zij om overleg.\n";
        assert_eq!(
            blocks_of(text),
            vec![
                "De provincie heeft de subsidie voor de fietspaden in het buitengebied verlaagd. De gemeenten vragen u of die verlaging voor de komende jaren wordt herzien of blijft.",
                "Zij willen dat graag voor de zomer weten, zodat zij hun eigen plannen kunnen maken.",
                "Ook vragen zij om overleg.",
            ]
        );
    }

    #[test]
    fn fullness_is_judged_by_printed_width_not_by_letters_counted() {
        // Both first lines have 52 letters; the one of capitals and `m`s fills
        // the printed line, the one of `i`s and `l`s ends well before it.
        let wide = Line {
            text: "MMWM WMMW mmwm WMMW MMWM wmmw MMWM WMMW mmwm WMMW M.".into(),
            page: 0,
            continues: false,
            indent: 0,
            number: 0,
        };
        let narrow = Line {
            text: "il li ill il li ill il li ill il li ill il li ill i.".into(),
            ..wide.clone()
        };
        let width = text_width(&wide.text);
        assert_eq!(wide.text.chars().count(), narrow.text.chars().count());
        assert!(!next_word_fits(&wide, "Daarna", width));
        assert!(next_word_fits(&narrow, "Daarna", width));
    }

    #[test]
    fn an_indented_first_line_starts_a_paragraph() {
        // As `pdftotext -layout` gives a letter whose paragraphs start indented.
        let text = "    De wethouder heeft op 12 mei toegezegd dat de raad voor de zomer een voorstel\nkrijgt over de herinrichting van het stationsplein en de fietsenstalling\n    Dat voorstel is er nog niet, en de raad wil weten wanneer het komt en wat de\noorzaak van de vertraging is.\n";
        assert_eq!(
            blocks_of(text),
            vec![
                "De wethouder heeft op 12 mei toegezegd dat de raad voor de zomer een voorstel krijgt over de herinrichting van het stationsplein en de fietsenstalling",
                "Dat voorstel is er nog niet, en de raad wil weten wanneer het komt en wat de oorzaak van de vertraging is.",
            ]
        );
    }

    #[test]
    fn list_items_stand_apart_and_their_wrapped_lines_stay_with_them() {
        let text = "De leden van de fractie van de SP stellen de volgende vragen over het beleid:\n   1. Hoeveel aanvragen voor een vergunning zijn in 2025 binnen de wettelijke termijn\n      afgehandeld, en hoeveel niet?\n   2. Welke gemeenten hebben om uitstel gevraagd?\n   3. Wanneer ontvangt de Kamer de evaluatie?\nDe leden van de fractie van de PvdD sluiten zich bij deze vragen aan, en vragen ook:\n- of de termijn wordt verlengd;\n- of de leges omlaag gaan.\nZij zien uit naar uw antwoord.\n";
        assert_eq!(
            blocks_of(text),
            vec![
                "De leden van de fractie van de SP stellen de volgende vragen over het beleid:",
                "[1.] Hoeveel aanvragen voor een vergunning zijn in 2025 binnen de wettelijke termijn afgehandeld, en hoeveel niet? | [2.] Welke gemeenten hebben om uitstel gevraagd? | [3.] Wanneer ontvangt de Kamer de evaluatie?",
                "De leden van de fractie van de PvdD sluiten zich bij deze vragen aan, en vragen ook:",
                "[-] of de termijn wordt verlengd; | [-] of de leges omlaag gaan.",
                "Zij zien uit naar uw antwoord.",
            ]
        );
    }

    #[test]
    fn a_marker_on_a_line_of_its_own_goes_with_the_next_line() {
        // As lopdf gives a list printed by a browser: each marker apart.
        let text = "De leden vragen u het volgende:\n1.\nHoeveel zaken zijn blijven liggen?\n2.\nWanneer komt de evaluatie?\nZij danken u.\n";
        assert_eq!(
            blocks_of(text),
            vec![
                "De leden vragen u het volgende:",
                "[1.] Hoeveel zaken zijn blijven liggen? | [2.] Wanneer komt de evaluatie?",
                "Zij danken u.",
            ]
        );
    }

    #[test]
    fn a_dash_or_number_at_the_start_of_a_wrapped_line_is_no_list_item() {
        let text = "De minister heeft de Kamer toegezegd dat de regeling wordt herzien, maar de leden\n– en met hen de Raad van State – vinden die toezegging te vaag. In het rapport van\n3. mei staat daarover niets.\n";
        let blocks = paragraphs(&lines(text));
        assert_eq!(blocks.len(), 1, "{blocks:?}");
        assert!(matches!(&blocks[0], Block::Paragraph(p) if p.contains("leden – en met hen")));
    }

    #[test]
    fn list_markers_are_recognised() {
        for (line, marker) in [
            ("1. Eerste", "1."),
            ("12) Twaalfde", "12)"),
            ("b) Tweede", "b)"),
            ("(c) Derde", "(c)"),
            ("iv. Vierde", "iv."),
            ("• Punt", "•"),
            ("– Streep", "–"),
        ] {
            assert_eq!(list_marker(line).map(|m| m.0), Some(marker), "{line}");
        }
        for line in ["2025. Jaar", "1.2 procent", "Ik. Zelf", "1.", "-"] {
            assert_eq!(list_marker(line), None, "{line}");
        }
    }
}
