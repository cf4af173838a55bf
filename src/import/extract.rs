//! Reads an input file as text: a `.txt` as it is, a `.pdf` through `lopdf`.
//!
//! lopdf was chosen after measuring it against pdf-extract 0.12, pdf_oxide 0.3
//! and poppler's `pdftotext -layout` on the fixtures of `tests/import/` (the
//! table is in docs/import.md): after cleaning its text gives the expected
//! letters, it needs no system library, bounds the memory a hostile page can
//! take, and was the fastest. Its one weakness there, printed lines cut where
//! the font changes, is undone by [`rejoin_split_lines`]. Pages are separated
//! by a form feed, as `pdftotext` does.

use std::path::{Path, PathBuf};

/// Why a file gave no text. Each names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{}: cannot read: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: is not a PDF (it starts with {start:?}); save the letter as PDF, or as a .txt file", .path.display())]
    NotPdf { path: PathBuf, start: String },
    #[error("{}: the PDF is encrypted with a password; open it with the password and save an unprotected copy", .path.display())]
    Encrypted { path: PathBuf },
    #[error("{}: the PDF is damaged and cannot be read ({why}); download or export it again", .path.display())]
    Damaged { path: PathBuf, why: String },
    #[error("{}: the PDF has no text layer (a scan?); run text recognition on it first, e.g. `ocrmypdf in.pdf out.pdf`", .path.display())]
    NoText { path: PathBuf },
    #[error("{}: the text is not UTF-8; save it as UTF-8", .path.display())]
    NotUtf8 { path: PathBuf },
    #[error("{}: postkamer imports .pdf and .txt files; this one is skipped", .path.display())]
    Unsupported { path: PathBuf },
}

/// The kinds of file `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Pdf,
    Text,
}

impl InputKind {
    /// The kind by the file name's extension, if it is one `import` reads.
    pub fn of(path: &Path) -> Option<InputKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => Some(InputKind::Pdf),
            "txt" => Some(InputKind::Text),
            _ => None,
        }
    }
}

/// Reads the text of one input file, pages separated by form feeds.
pub fn read_text(path: &Path) -> Result<String, ExtractError> {
    let kind = InputKind::of(path).ok_or_else(|| ExtractError::Unsupported {
        path: path.to_path_buf(),
    })?;
    let bytes = std::fs::read(path).map_err(|source| ExtractError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    match kind {
        InputKind::Text => text_of(path, bytes),
        InputKind::Pdf => pdf_text(path, &bytes),
    }
}

fn text_of(path: &Path, bytes: Vec<u8>) -> Result<String, ExtractError> {
    let text = String::from_utf8(bytes).map_err(|_| ExtractError::NotUtf8 {
        path: path.to_path_buf(),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// The PDF header may follow up to 1024 bytes of other data (PDF 1.7, 7.5.2).
fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// A complete PDF ends with `%%EOF`, perhaps followed by a line end or some padding.
fn ends_like_pdf(bytes: &[u8]) -> bool {
    bytes[bytes.len().saturating_sub(1024)..]
        .windows(5)
        .any(|w| w == b"%%EOF")
}

/// Extracts the text of a PDF. A document protected only against editing (an
/// empty user password) opens as any other.
pub fn pdf_text(path: &Path, bytes: &[u8]) -> Result<String, ExtractError> {
    if !looks_like_pdf(bytes) {
        let start: String = String::from_utf8_lossy(&bytes[..bytes.len().min(16)])
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        return Err(ExtractError::NotPdf {
            path: path.to_path_buf(),
            start: start.trim().to_string(),
        });
    }
    let damaged = |why: String| ExtractError::Damaged {
        path: path.to_path_buf(),
        why,
    };
    // lopdf reads around a cut-off file and would give part of the letter.
    if !ends_like_pdf(bytes) {
        return Err(damaged(
            "it is cut off: the end-of-file marker %%EOF is missing".to_string(),
        ));
    }
    let document = match lopdf::Document::load_mem(bytes) {
        Ok(d) => d,
        Err(e) if is_password_error(&e) => {
            return Err(ExtractError::Encrypted {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(damaged(e.to_string())),
    };
    if document.is_encrypted() {
        return Err(ExtractError::Encrypted {
            path: path.to_path_buf(),
        });
    }
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(damaged("it has no pages".to_string()));
    }
    let mut text = String::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            text.push('\u{c}');
        }
        let page_text = document
            .extract_text(&[*page])
            .map_err(|e| damaged(format!("page {page}: {e}")))?;
        text.push_str(&rejoin_split_lines(&page_text));
    }
    if text.chars().all(|c| c.is_whitespace()) {
        return Err(ExtractError::NoText {
            path: path.to_path_buf(),
        });
    }
    Ok(text)
}

/// lopdf ends a line at the end of every text object, and a PDF starts a new
/// one where the font changes (an italic title, a bold word, a link, a list
/// number): the printed line comes out in pieces. A piece that ends with a
/// space, or one that starts with a space, goes on the same printed line, so
/// the pieces are joined again — except after a lone number, which is a raised
/// footnote marker that the cleaning glues back to its word.
pub fn rejoin_split_lines(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut last_line_start = 0;
    for (i, line) in page.split('\n').enumerate() {
        if i > 0 {
            let previous = &out[last_line_start..];
            let marker = !previous.is_empty() && previous.bytes().all(|b| b.is_ascii_digit());
            let goes_on = previous.ends_with(' ')
                || (line.starts_with(' ') && !line.trim().is_empty() && !marker);
            if goes_on && !previous.trim().is_empty() {
                if !previous.ends_with(' ') && !line.starts_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push('\n');
                last_line_start = out.len();
            }
        }
        out.push_str(line);
    }
    out
}

fn is_password_error(e: &lopdf::Error) -> bool {
    let text = e.to_string().to_lowercase();
    matches!(e, lopdf::Error::Decryption(_))
        || text.contains("password")
        || text.contains("decrypt")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/import")
            .join(name)
    }

    #[test]
    fn letter_pdf_gives_its_text_page_by_page() {
        let text = read_text(&fixture("letter.pdf")).unwrap();
        assert_eq!(text.matches('\u{c}').count(), 1, "two pages");
        assert!(text.contains("Geachte heer Oosterhuis,"), "{text}");
        assert!(text.contains("zorginstellingen, sinds de o"), "{text}");
    }

    #[test]
    fn pieces_of_one_printed_line_are_joined_again() {
        let pieces = "kennisgenomen van het rapport \nBouwstenen voor de rechtspraak\n en\nvan uw brief.\n1. \nHoeveel zaken?\nNetbeheerautoriteit.\n1\n De leden\n";
        assert_eq!(
            rejoin_split_lines(pieces),
            "kennisgenomen van het rapport Bouwstenen voor de rechtspraak en\nvan uw brief.\n1. Hoeveel zaken?\nNetbeheerautoriteit.\n1\n De leden\n"
        );
    }

    #[test]
    fn scan_without_text_layer_is_refused() {
        let e = read_text(&fixture("scan.pdf")).unwrap_err();
        assert!(matches!(e, ExtractError::NoText { .. }), "{e}");
        assert!(e.to_string().contains("scan.pdf"));
    }

    #[test]
    fn encrypted_pdf_is_refused() {
        let e = read_text(&fixture("encrypted.pdf")).unwrap_err();
        assert!(matches!(e, ExtractError::Encrypted { .. }), "{e}");
    }

    #[test]
    fn damaged_pdf_is_refused() {
        let e = read_text(&fixture("damaged.pdf")).unwrap_err();
        assert!(matches!(e, ExtractError::Damaged { .. }), "{e}");
        assert!(e.to_string().contains("damaged.pdf"));
    }

    #[test]
    fn html_named_pdf_is_refused() {
        let e = read_text(&fixture("not-a-pdf.pdf")).unwrap_err();
        assert!(matches!(e, ExtractError::NotPdf { .. }), "{e}");
        assert!(e.to_string().contains("<!doctype html>"), "{e}");
    }
}
