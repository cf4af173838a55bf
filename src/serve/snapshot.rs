//! What the preview server hands out: the last good build, held in memory.
//!
//! Pages and theme assets are kept as bytes; attachments and the site's
//! `static/` files are named by their source path and read on request, so a
//! large PDF costs no memory. A failed rebuild never touches the snapshot: the
//! last good pages stay served until the input is fixed.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;

use crate::site_folder::SiteFolder;

/// The body of one served file.
#[derive(Debug, Clone)]
pub enum Body {
    /// Rendered or embedded bytes.
    Bytes(Bytes),
    /// A source file, read through its site folder when asked for (attachments, `static/`).
    File(Arc<SiteFolder>, PathBuf),
}

/// One file of the site as the server hands it out.
#[derive(Debug, Clone)]
pub struct Served {
    pub body: Body,
    pub content_type: &'static str,
}

impl Served {
    /// Bytes with the content type their output path implies.
    pub fn bytes(path: &str, bytes: impl Into<Bytes>) -> Served {
        Served {
            body: Body::Bytes(bytes.into()),
            content_type: content_type(path),
        }
    }

    /// A source file with the content type its output path implies.
    pub fn file(path: &str, folder: Arc<SiteFolder>, source: PathBuf) -> Served {
        Served {
            body: Body::File(folder, source),
            content_type: content_type(path),
        }
    }

    pub fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }
}

/// What one rebuild changes in the snapshot.
#[derive(Debug, Default)]
pub struct Delta {
    /// New or changed files by output path (`dossiers/36521/c/index.html`).
    pub put: Vec<(String, Served)>,
    /// Output paths that no longer exist.
    pub remove: Vec<String>,
    /// Output paths whose new bytes come with a later delta: requests for
    /// them wait for it rather than get the old bytes.
    pub pending: Vec<String>,
}

impl Delta {
    pub fn is_empty(&self) -> bool {
        self.put.is_empty() && self.remove.is_empty() && self.pending.is_empty()
    }
}

/// The site as served: output path → file, plus the sub-path it lives under.
#[derive(Debug)]
pub struct Snapshot {
    files: HashMap<String, Served>,
    /// The path part of `base_url`, starting and ending with `/`.
    pub base_path: String,
    /// Whether any build has succeeded yet; before that every page is an error page.
    pub built: bool,
    /// The files of the current search index, replaced as a whole.
    search: Vec<String>,
    /// Paths the last delta left pending (see [`Delta::pending`]).
    pending: HashSet<String>,
}

impl Snapshot {
    pub fn new(base_path: String) -> Snapshot {
        Snapshot {
            files: HashMap::new(),
            base_path,
            built: false,
            search: Vec::new(),
            pending: HashSet::new(),
        }
    }

    /// Looks up a site-relative output path (`index.html`, `atom.xml`).
    pub fn get(&self, path: &str) -> Option<&Served> {
        self.files.get(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every output path, for tests that compare the snapshot with `build`.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Swaps in a new search index: its files go in, the old index's other files go.
    pub fn replace_search(&mut self, files: Vec<(String, Served)>) {
        let new: std::collections::HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        for old in &self.search {
            if !new.contains(old.as_str()) {
                self.files.remove(old);
            }
        }
        self.search = files.iter().map(|(p, _)| p.clone()).collect();
        self.files.extend(files);
    }

    /// Whether `path`'s bytes are still to come from a later delta.
    pub fn is_pending(&self, path: &str) -> bool {
        self.pending.contains(path)
    }

    /// Puts in the files a rebuild left pending (none when rendering them
    /// failed: the old bytes stay) and ends their pending state.
    pub fn apply_later(&mut self, put: Vec<(String, Served)>) {
        self.files.extend(put);
        self.pending.clear();
    }

    /// Applies a successful rebuild. What it leaves pending replaces what was.
    pub fn apply(&mut self, delta: Delta, base_path: String) {
        for path in delta.remove {
            self.files.remove(&path);
        }
        self.files.extend(delta.put);
        self.pending = delta.pending.into_iter().collect();
        self.base_path = base_path;
        self.built = true;
    }
}

/// The content type of an output file, from its extension. Text types say
/// UTF-8, which is what postkamer writes; unknown types are served as bytes.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "atom.xml" {
        return "application/atom+xml; charset=utf-8";
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "xsl" => "application/xslt+xml",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "sqlite" => "application/vnd.sqlite3",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "gz" => "application/gzip",
        "zip" => "application/zip",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_data_and_calendars_get_their_own_types() {
        assert_eq!(
            content_type("atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("dossiers/1/atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("data/letters.json"), "application/json");
        assert_eq!(content_type("agenda.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("data/letters.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("search/index.bin"), "application/octet-stream");
        assert_eq!(content_type("no-extension"), "application/octet-stream");
    }

    #[test]
    fn a_delta_replaces_and_removes() {
        let mut s = Snapshot::new("/".into());
        s.apply(
            Delta {
                put: vec![
                    ("a.html".into(), Served::bytes("a.html", "1")),
                    ("b.html".into(), Served::bytes("b.html", "1")),
                ],
                remove: vec![],
                pending: vec!["a.html".into()],
            },
            "/".into(),
        );
        assert!(s.is_pending("a.html") && !s.is_pending("b.html"));
        s.apply(
            Delta {
                put: vec![("a.html".into(), Served::bytes("a.html", "2"))],
                remove: vec!["b.html".into()],
                pending: vec![],
            },
            "/x/".into(),
        );
        assert!(
            !s.is_pending("a.html"),
            "the next delta ends what was pending"
        );
        assert!(s.get("b.html").is_none());
        assert!(matches!(&s.get("a.html").unwrap().body, Body::Bytes(b) if b.as_ref() == b"2"));
        assert_eq!(s.base_path, "/x/");
    }
}
