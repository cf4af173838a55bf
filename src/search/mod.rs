//! The full-text search index (issue 3). Interface only until the index lands.

/// One letter as the search index sees it.
pub struct SearchDoc {
    pub url: String,
    pub title: String,
    pub dossier: String,
    pub letter: String,
    pub date: String,
    pub date_display: String,
    pub sort_date: i32,
    pub year: i32,
    pub from: Vec<SearchParty>,
    pub to: Vec<SearchParty>,
    pub kind: String,
    pub tags: Vec<SearchParty>,
    pub status: Option<String>,
    pub text: String,
}

pub struct SearchParty {
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Copy)]
pub enum Language {
    Dutch,
    English,
}

pub struct IndexFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub fn build_index(_docs: &[SearchDoc], _language: Language) -> Vec<IndexFile> {
    Vec::new()
}
