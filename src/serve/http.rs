//! The HTTP side of `serve`: the snapshot under `base_url`'s sub-path, live
//! reload over server-sent events, and rebuild statistics.
//!
//! Only files in the snapshot can be served: a request path is decoded,
//! checked (no `.` or `..` segments, no backslashes or control characters,
//! encoded or not) and then looked up in a map, never joined onto a folder.
//! A folder without `index.html` is a 404, never a listing. The endpoints of
//! `serve` itself live at the server root under `/__postkamer/`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;

use super::snapshot::{self, Served};
use super::ui::ServeStrings;
use super::{Shared, Status};

/// Where `serve`'s own endpoints live; no site page can be there.
pub const PREFIX: &str = "/__postkamer/";
/// The tag injected before `</body>` of every HTML page `serve` hands out (and never by `build`).
pub const RELOAD_TAG: &str = "<script src=\"/__postkamer/reload.js\"></script>";
const RELOAD_JS: &str = include_str!("reload.js");

/// The server's routes on the shared preview state, answering only requests
/// whose `Host` names the server's own address (see [`OwnAddress`]).
pub fn router(shared: Arc<Shared>, own: OwnAddress) -> Router {
    Router::new()
        .route("/__postkamer/events", get(events))
        .route("/__postkamer/reload.js", get(reload_js))
        .route("/__postkamer/stats", get(stats))
        .fallback(site_file)
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(own, check_host))
}

/// The address `serve` listens on, for the `Host` check.
///
/// A page on another site can make a browser send requests to the preview
/// by pointing its own name at 127.0.0.1 (DNS rebinding); the browser then
/// sends that name as `Host`. So only the server's own names are answered:
/// `localhost`, the loopback addresses and the bound address, with the bound
/// port when a port is given. Bound to every interface (`0.0.0.0`, `::`),
/// any address literal is accepted, as no rebinding can produce one.
#[derive(Debug, Clone, Copy)]
pub struct OwnAddress {
    pub ip: std::net::IpAddr,
    pub port: u16,
}

impl OwnAddress {
    /// Whether a `Host` header value names this server.
    pub fn accepts(&self, host: &str) -> bool {
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((ip, after)) => (ip, after.strip_prefix(':')),
                None => return false,
            },
            None => match host.rsplit_once(':') {
                Some((name, port)) => (name, Some(port)),
                None => (host, None),
            },
        };
        if port.is_some_and(|p| p.parse::<u16>() != Ok(self.port)) {
            return false;
        }
        let name = name.strip_suffix('.').unwrap_or(name);
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match name.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.ip || self.ip.is_unspecified(),
            Err(_) => false,
        }
    }
}

/// Refuses a request whose `Host` (or HTTP/2 authority) is not the server's own.
async fn check_host(
    State(own): State<OwnAddress>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if host.is_some_and(|h| own.accepts(h)) {
        return next.run(request).await;
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "postkamer serve answers only requests for its own address, like http://localhost:{}/\n",
            own.port
        ),
    )
        .into_response()
}

/// A request path that may not be served.
#[derive(Debug, PartialEq, Eq)]
pub struct BadPath;

/// Decodes a request path and rejects every way out of the site: `..` or `.`
/// segments (also percent-encoded), backslashes, NUL and other control characters.
pub fn decode_path(raw: &str) -> Result<String, BadPath> {
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(raw).collect();
    let path = String::from_utf8(bytes).map_err(|_| BadPath)?;
    if !path.starts_with('/') || path.contains('\\') || path.chars().any(char::is_control) {
        return Err(BadPath);
    }
    if path.split('/').any(|s| s == ".." || s == ".") {
        return Err(BadPath);
    }
    Ok(path)
}

/// Serves one file of the site, the 404 page, or a redirect to a folder's slash.
async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    }
    let Ok(path) = decode_path(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad path\n");
    };
    let mut found = lookup(&shared, &path, uri.path());
    // Feeds and data files are rendered just after the reload is sent; a
    // request for one in that moment waits for the new bytes (2 s at most).
    for _ in 0..PENDING_POLLS {
        if !matches!(found, Found::Pending(_)) {
            break;
        }
        tokio::time::sleep(PENDING_POLL).await;
        found = lookup(&shared, &path, uri.path());
    }
    match found {
        Found::File(served) | Found::Pending(served) => respond(StatusCode::OK, served).await,
        Found::Redirect(to) => redirect(&to),
        Found::Missing(page) => match page {
            Some(served) => respond(StatusCode::NOT_FOUND, served).await,
            None => plain(StatusCode::NOT_FOUND, "not found\n"),
        },
        Found::NotBuilt => error_page(&shared.strings()),
    }
}

/// How often and how long a request for a pending file waits for it.
const PENDING_POLL: std::time::Duration = std::time::Duration::from_millis(5);
const PENDING_POLLS: usize = 400;

enum Found {
    File(Served),
    /// A file whose new bytes are being rendered; holds the old ones.
    Pending(Served),
    Redirect(String),
    Missing(Option<Served>),
    NotBuilt,
}

/// Finds a decoded path in the snapshot. Holds the lock only while looking.
fn lookup(shared: &Shared, path: &str, raw: &str) -> Found {
    let Ok(snapshot) = shared.snapshot.read() else {
        return Found::NotBuilt;
    };
    if !snapshot.built {
        return Found::NotBuilt;
    }
    let base = snapshot.base_path.as_str();
    let not_found = || Found::Missing(snapshot.get("404.html").cloned());
    let Some(rel) = path.strip_prefix(base) else {
        // `/archief` and `/` lead to the site's root.
        let bare = base.trim_end_matches('/');
        return if path == bare || path == "/" {
            Found::Redirect(base.to_string())
        } else {
            not_found()
        };
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(served) = snapshot.get(&key) {
        if snapshot.is_pending(&key) {
            return Found::Pending(served.clone());
        }
        return Found::File(served.clone());
    }
    if !rel.is_empty()
        && !rel.ends_with('/')
        && snapshot.get(&format!("{rel}/index.html")).is_some()
    {
        return Found::Redirect(format!("{raw}/"));
    }
    not_found()
}

async fn respond(status: StatusCode, served: Served) -> Response {
    let bytes = match served.body {
        snapshot::Body::Bytes(b) => b,
        // Read through the site folder: a file swapped for a link out of the
        // site since the rebuild is refused here too.
        snapshot::Body::File(folder, path) => {
            match tokio::task::spawn_blocking(move || folder.read(&path)).await {
                Ok(Ok(b)) => Bytes::from(b),
                _ => return plain(StatusCode::NOT_FOUND, "not found\n"),
            }
        }
    };
    let bytes = if served.content_type.starts_with("text/html") {
        Bytes::from(inject_reload(&bytes))
    } else {
        bytes
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(served.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Adds the live-reload script before the last `</body>`, or at the end.
pub fn inject_reload(html: &[u8]) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + RELOAD_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(RELOAD_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

fn redirect(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::PERMANENT_REDIRECT;
            r.headers_mut().insert(header::LOCATION, location);
            r
        }
        Err(_) => plain(StatusCode::BAD_REQUEST, "bad path\n"),
    }
}

/// Text for HTML, escaped as templates escape it.
fn escape_html(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Before the first good build there is no page: say so, and let the overlay list the errors.
fn error_page(strings: &ServeStrings) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><h1>{title}</h1><p>{text}</p>{RELOAD_TAG}</body></html>",
        lang = strings.lang,
        title = escape_html(&strings.unbuilt_title),
        text = escape_html(&strings.unbuilt_text),
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// The overlay script, with the strings of the site's language before it.
async fn reload_js(State(shared): State<Arc<Shared>>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        shared.strings().script(RELOAD_JS),
    )
        .into_response()
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    let json = shared.stats_json();
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        json,
    )
        .into_response()
}

/// Server-sent events: `hello` (the server instance) on connect, then
/// `reload` after every good rebuild that changed something and `errors`
/// (a JSON list) after every failed one. A client that connects while the
/// site is broken gets `errors` at once.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut rx = shared.subscribe();
    let mut first = vec![Event::default().event("hello").data(shared.instance())];
    let now = rx.borrow_and_update().clone();
    if !now.errors.is_empty() {
        first.push(status_event(&now));
    }
    first.reverse();
    let stream = futures_util::stream::unfold((rx, first), |(mut rx, mut pending)| async move {
        if let Some(e) = pending.pop() {
            return Some((Ok(e), (rx, pending)));
        }
        rx.changed().await.ok()?;
        let status = rx.borrow_and_update().clone();
        Some((Ok(status_event(&status)), (rx, pending)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn status_event(status: &Status) -> Event {
    if status.errors.is_empty() {
        Event::default()
            .event("reload")
            .data(status.generation.to_string())
    } else {
        let json = serde_json::to_string(&*status.errors).unwrap_or_else(|_| "[]".into());
        Event::default().event("errors").data(json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_encoded_or_not() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a/..%2f..%2fsite.toml",
            "/a%5c..%5cx",
            "/a/%00",
            "/./x",
            "/%ff",
        ] {
            assert_eq!(decode_path(bad), Err(BadPath), "{bad}");
        }
        assert_eq!(decode_path("/a%20b/c.pdf").unwrap(), "/a b/c.pdf");
        assert_eq!(decode_path("/%252e%252e/").unwrap(), "/%2e%2e/");
        assert_eq!(decode_path("/a..b/").unwrap(), "/a..b/");
    }

    #[test]
    fn only_the_servers_own_address_is_answered() {
        let loopback = OwnAddress {
            ip: "127.0.0.1".parse().unwrap(),
            port: 1111,
        };
        for good in [
            "localhost:1111",
            "LocalHost:1111",
            "localhost",
            "localhost.:1111",
            "127.0.0.1:1111",
            "127.0.0.1",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(loopback.accepts(good), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost:1112",
            "127.0.0.1:80",
            "localhost.evil.example:1111",
            "192.168.1.5:1111",
            "[::1",
            "[::1]:x",
            "",
        ] {
            assert!(!loopback.accepts(bad), "{bad}");
        }
        let lan = OwnAddress {
            ip: "192.168.1.5".parse().unwrap(),
            port: 8000,
        };
        assert!(lan.accepts("192.168.1.5:8000"));
        assert!(!lan.accepts("10.0.0.1:8000"));
        assert!(!lan.accepts("evil.example:8000"));
        let everywhere = OwnAddress {
            ip: "0.0.0.0".parse().unwrap(),
            port: 8000,
        };
        assert!(everywhere.accepts("10.0.0.1:8000"));
        assert!(everywhere.accepts("[fe80::1]:8000"));
        assert!(!everywhere.accepts("evil.example:8000"));
    }

    #[test]
    fn the_reload_script_goes_before_the_last_body_end() {
        let out = inject_reload(b"<body><p>x</p></BODY>\n</html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<body><p>x</p>{RELOAD_TAG}</BODY>\n</html>")
        );
        let out = inject_reload(b"<p>no body end</p>");
        assert!(String::from_utf8(out).unwrap().ends_with(RELOAD_TAG));
    }
}
