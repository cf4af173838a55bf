//! Writes a draft as a letter file, and refuses to overwrite one that was edited.
//!
//! The file's front matter carries `import_hash`: a hash of the file as the
//! import wrote it (without that line). When the file on disk still has that
//! hash, nobody touched it and a new import may replace it; when it does not,
//! or it has no `import_hash` (written by hand), only `--force` replaces it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::clean::{Block, Cleaned, Item};
use super::draft::Draft;
use crate::letter::Party;

/// The key that holds the hash of the imported file.
pub const HASH_KEY: &str = "import_hash";

/// What the letter file will hold, and its attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterFile {
    /// Relative to the site root: `content/36521/brief.md`.
    pub path: PathBuf,
    pub text: String,
    /// The original file's name beside the letter, when it is kept.
    pub attachment: Option<String>,
}

/// Renders the draft and the cleaned body as a letter file with front matter.
/// `source` is the input's file name, kept beside the letter as an attachment.
pub fn letter_file(draft: &Draft, cleaned: &Cleaned, source: &str, stem: &str) -> LetterFile {
    let folder = draft
        .dossier
        .as_deref()
        .map_or_else(|| "import".to_string(), folder_name);
    let unhashed = format!("{}{}", front_matter(draft, source), markdown(cleaned));
    let text = with_hash(&unhashed);
    LetterFile {
        path: Path::new("content").join(folder).join(format!("{stem}.md")),
        text,
        attachment: Some(source.to_string()),
    }
}

/// A dossier's folder: `31700 VI` → `31700-VI`, as the example archive spells it.
fn folder_name(dossier: &str) -> String {
    dossier.split_whitespace().collect::<Vec<_>>().join("-")
}

/// A YAML string in double quotes.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn party(out: &mut String, key: &str, p: &Party) {
    let _ = writeln!(out, "{key}:");
    for (field, value) in [
        ("name", &p.name),
        ("role", &p.role),
        ("organisation", &p.organisation),
    ] {
        if let Some(v) = value {
            let _ = writeln!(out, "  {field}: {}", quoted(v));
        }
    }
}

/// The front matter: each value found, each gap as a comment where its key belongs.
pub fn front_matter(d: &Draft, source: &str) -> String {
    let mut out = String::from("---\n");
    let gap = |out: &mut String, key: &str| {
        for g in d.gaps.iter().filter(|g| g.key == key) {
            let _ = writeln!(out, "# {key}: {}", g.why);
        }
    };
    if d.incomplete() {
        out.push_str("draft: true  # imported: fill in what the comments below name, then remove this line\n");
    }
    match &d.dossier {
        Some(v) => {
            let _ = writeln!(out, "dossier: {}", quoted(v));
        }
        None => gap(&mut out, "dossier"),
    }
    if let Some(t) = &d.title {
        let _ = writeln!(out, "title: {}", quoted(t));
    }
    match d.date {
        Some(date) => {
            let _ = writeln!(out, "date: {}", date.format("%Y-%m-%d"));
        }
        None => gap(&mut out, "date"),
    }
    for (key, p) in [("from", &d.from), ("to", &d.to)] {
        match p {
            Some(p) => party(&mut out, key, p),
            None => gap(&mut out, key),
        }
    }
    gap(&mut out, "to.role");
    match &d.in_reply_to {
        Some(r) => {
            let _ = writeln!(out, "in_reply_to: {}", quoted(r));
        }
        None => gap(&mut out, "in_reply_to"),
    }
    if let Some(rule) = &d.reply_due {
        let _ = writeln!(
            out,
            "reply_due: {}  # the term the letter sets; the deadline follows the date",
            quoted(rule)
        );
    }
    let _ = writeln!(out, "kind: {}", d.kind.name());
    match &d.kenmerk {
        Some(k) => {
            let _ = writeln!(out, "kenmerk: {}", quoted(k));
        }
        None => gap(&mut out, "kenmerk"),
    }
    if let Some(c) = d.chamber {
        let _ = writeln!(out, "chamber: {}", c.roman());
    }
    if let Some(s) = &d.session {
        let _ = writeln!(out, "session: {}", quoted(s));
    }
    let _ = writeln!(out, "attachments: [{}]", quoted(source));
    let _ = writeln!(out, "source: {}", quoted(source));
    out.push_str("---\n");
    out
}

/// Characters that would make Markdown of plain text.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '<' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes a paragraph: inline marks, and a start that Markdown would read as a
/// heading, quote, list or rule (`1. `, `- `, `# `, `> `).
fn escape_paragraph(text: &str) -> String {
    let escaped = escape_inline(text);
    let first = escaped.chars().next().unwrap_or(' ');
    let digits = escaped.len()
        - escaped
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let list_number = digits > 0 && escaped[digits..].starts_with(['.', ')']);
    if matches!(first, '#' | '>' | '-' | '+' | '=' | '|' | '~') {
        format!("\\{escaped}")
    } else if list_number {
        format!("{}\\{}", &escaped[..digits], &escaped[digits..])
    } else {
        escaped
    }
}

/// Markdown references put in by cleaning (`[^1]`) survive the escaping.
fn unescape_refs(text: &str) -> String {
    let mut out = text.to_string();
    let mut from = 0;
    while let Some(i) = out[from..].find("\\[^") {
        let at = from + i;
        let Some(close) = out[at..].find("\\]") else {
            break;
        };
        let inner = &out[at + 3..at + close];
        if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
            let replacement = format!("[^{inner}]");
            out.replace_range(at..at + close + 2, &replacement);
            from = at + replacement.len();
        } else {
            from = at + 3;
        }
    }
    out
}

/// A list item as Markdown: `1. text` for a numbered one, else `- ` and the
/// printed marker (`- a) text`; a bullet itself is left out).
fn list_item(item: &Item) -> String {
    let text = unescape_refs(&escape_paragraph(&item.text));
    if item.numbered() {
        format!("{} {text}", item.marker)
    } else if item.marker.chars().any(char::is_alphanumeric) {
        format!("- {} {text}", escape_inline(&item.marker))
    } else {
        format!("- {text}")
    }
}

/// The body as Markdown: paragraphs, `##` headings, the signature as lines
/// with hard breaks, then the footnotes.
pub fn markdown(cleaned: &Cleaned) -> String {
    let mut out = String::new();
    for block in &cleaned.blocks {
        out.push('\n');
        match block {
            Block::Paragraph(p) => out.push_str(&unescape_refs(&escape_paragraph(p))),
            Block::Heading(h) => {
                out.push_str("## ");
                out.push_str(&escape_inline(h));
            }
            Block::List(items) => {
                let lines: Vec<String> = items.iter().map(list_item).collect();
                out.push_str(&lines.join("\n"));
            }
            Block::Signature(lines) => {
                let lines: Vec<String> = lines.iter().map(|l| escape_paragraph(l)).collect();
                out.push_str(&lines.join("\\\n"));
            }
        }
        out.push('\n');
    }
    if !cleaned.footnotes.is_empty() {
        out.push('\n');
        for (n, text) in &cleaned.footnotes {
            let _ = writeln!(out, "[^{n}]: {}", escape_inline(text));
        }
    }
    out
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms, which is all a
/// change detector for one's own file needs (this is no protection against tampering).
pub fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Adds `import_hash: "…"` as the last front matter line, hashing the rest.
fn with_hash(text: &str) -> String {
    let h = hash(text);
    let end = text[4..].find("\n---\n").map_or(0, |i| i + 5);
    format!("{}{HASH_KEY}: \"{h}\"\n{}", &text[..end], &text[end..])
}

/// Whether the file on disk is as the import left it: its `import_hash` matches the rest.
pub fn unedited(text: &str) -> bool {
    let prefix = format!("{HASH_KEY}: \"");
    let mut rest = String::with_capacity(text.len());
    let mut stored = None;
    for line in text.split_inclusive('\n') {
        match line.strip_prefix(prefix.as_str()) {
            Some(v) if stored.is_none() => {
                stored = Some(v.trim_end().trim_end_matches('"').to_string())
            }
            _ => rest.push_str(line),
        }
    }
    stored.is_some_and(|h| h == hash(&rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untouched_file_is_unedited_and_an_edit_shows() {
        let text = with_hash("---\ndossier: \"1\"\n---\n\nTekst.\n");
        assert!(text.contains("import_hash: \""), "{text}");
        assert!(unedited(&text));
        assert!(!unedited(&text.replace("Tekst.", "Tekst!")));
        assert!(
            !unedited("---\ndossier: \"1\"\n---\n\nTekst.\n"),
            "no hash: written by hand"
        );
    }

    #[test]
    fn markdown_marks_in_the_text_are_escaped_but_footnote_refs_stay() {
        assert_eq!(
            unescape_refs(&escape_paragraph("1. *niet* vet_[^2] en [x]")),
            "1\\. \\*niet\\* vet\\_[^2] en \\[x\\]"
        );
        assert_eq!(escape_paragraph("# geen kop"), "\\# geen kop");
    }

    #[test]
    fn list_items_become_a_markdown_list() {
        let item = |marker: &str, text: &str| Item {
            marker: marker.into(),
            text: text.into(),
        };
        let cleaned = Cleaned {
            blocks: vec![
                Block::List(vec![item("1.", "Een *vraag*.[^1]"), item("2.", "# Twee")]),
                Block::List(vec![item("a)", "Drie"), item("•", "Vier")]),
            ],
            ..Cleaned::default()
        };
        assert_eq!(
            markdown(&cleaned),
            "\n1. Een \\*vraag\\*.[^1]\n2. \\# Twee\n\n- a) Drie\n- Vier\n"
        );
    }

    #[test]
    fn yaml_strings_are_quoted_safely() {
        assert_eq!(
            quoted("a \"b\" \\ c\u{1b}"),
            "\"a \\\"b\\\" \\\\ c\\u001b\""
        );
    }
}
