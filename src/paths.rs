//! Paths and links taken from content: which ones stay where they are put.
//!
//! One rule for attachment names in front matter and for every path written below the output
//! folder, so a name the letter check accepts is one the writer accepts too.

/// The longest path segment (file or folder name) an output may have, in
/// bytes: common file systems store 255, and a sync tool or a zip adds to it.
pub const MAX_SEGMENT: usize = 200;

/// A relative path that stays below its folder: no `..`, no root, no drive, no backslash.
pub fn safe_relative_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains(':')
        && !p.chars().any(char::is_control)
        && p.split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
}

/// Links from front matter may only be web, mail or site-relative links.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_lowercase();
    if lower.chars().any(char::is_control) || lower.contains(['"', '<', '>', ' ']) {
        return false;
    }
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_their_folder_are_refused() {
        assert!(safe_relative_path("bijlagen/tabel.csv"));
        for bad in [
            "",
            "../etc/passwd",
            "/etc/passwd",
            "a/../../b",
            "a//b",
            "./a",
            "a\\b",
            "C:/x",
            "a\u{1b}b",
        ] {
            assert!(!safe_relative_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn only_web_mail_and_site_links_are_safe() {
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JaVaScRiPt:alert(1)"));
        assert!(!is_safe_url("//evil.example/x"));
        assert!(is_safe_url("https://example.org/a"));
        assert!(is_safe_url("mailto:griffie@example.org"));
        assert!(is_safe_url("/dossiers/36521/"));
    }
}
