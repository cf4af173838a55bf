//! `postkamer serve` end to end: the real binary on a free port, spoken to over HTTP.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Fixture;

/// Every wait in these tests gives up after this long.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `postkamer serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    stdout: Receiver<String>,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `serve` on the site and waits until it says where it serves.
    fn start(root: &std::path::Path, port: u16) -> Server {
        let mut child = common::postkamer()
            .args(["serve", "--root"])
            .arg(root)
            .args(["--port", &port.to_string(), "--today", "2026-11-28"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start postkamer serve");
        let (tx, stdout) = channel();
        let out = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let log = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if let Ok(mut l) = sink.lock() {
                    l.push_str(&line);
                    l.push('\n');
                }
            }
        });
        let mut server = Server {
            child,
            port: 0,
            stdout,
            log,
        };
        let line = server.line_containing("Serving the site at");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("a URL");
        server.port = url
            .trim_start_matches("http://127.0.0.1:")
            .split('/')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line}"));
        server
    }

    /// Waits for a line of standard output containing `text`; earlier lines are kept in the log.
    fn line_containing(&mut self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.stdout.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => self.note(&line),
                Err(_) => break,
            }
        }
        panic!("serve never printed `{text}`; its log:\n{}", self.log());
    }

    fn note(&self, line: &str) {
        if let Ok(mut l) = self.log.lock() {
            l.push_str(line);
            l.push('\n');
        }
    }

    fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    /// Fetches `path` until `check` accepts the response.
    fn poll(&self, path: &str, what: &str, check: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let r = self.get(path);
            if check(&r) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never showed {what}; last status {}; log:\n{}",
                r.status,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Opens the live-reload event stream.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .write_all(b"GET /__postkamer/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            .expect("request");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        Events {
            stream,
            seen: String::new(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A live-reload connection and everything it received so far.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// Reads until everything received since `from` contains all of `parts`; returns the new position.
    fn wait_for(&mut self, from: usize, parts: &[&str]) -> usize {
        let deadline = Instant::now() + PATIENCE;
        let mut buf = [0u8; 4096];
        while !parts.iter().all(|p| self.seen[from..].contains(p)) {
            assert!(
                Instant::now() < deadline,
                "no {parts:?} on the event stream; got:\n{}",
                &self.seen[from..]
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("the event stream closed; got:\n{}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {} // timeout: read again
            }
        }
        self.seen.len()
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// A plain HTTP/1.1 GET, sending the path exactly as given (no normalising of `..`).
fn get(port: u16, path: &str) -> Response {
    get_as(port, path, "127.0.0.1")
}

/// A GET with the given `Host` header.
fn get_as(port: u16, path: &str, host: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The example archive served under a sub-path, as on a real host.
fn site() -> Fixture {
    let f = Fixture::example();
    let toml = std::fs::read_to_string(f.root().join("site.toml")).expect("site.toml");
    f.write(
        "site.toml",
        &toml.replacen(
            "base_url = \"/\"",
            "base_url = \"https://example.org/archief/\"",
            1,
        ),
    );
    f
}

fn stats(server: &Server) -> serde_json::Value {
    let r = server.get("/__postkamer/stats");
    assert_eq!(r.status, 200);
    serde_json::from_str(&r.body).expect("stats JSON")
}

#[test]
fn serve_rebuilds_an_edited_letter_shows_errors_and_recovers() {
    let f = site();
    let server = Server::start(f.root(), free_port());
    let page = "/archief/dossiers/37104/b/";
    let r = server.get(page);
    assert_eq!(r.status, 200, "{}", server.log());
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(
        r.body.contains("/__postkamer/reload.js"),
        "serve injects live reload"
    );

    let letter = f.root().join("content/37104/B.md");
    let good = std::fs::read_to_string(&letter).expect("read");
    std::fs::write(
        &letter,
        good.replacen("Geachte", "Bewerkt-in-de-test. Geachte", 1),
    )
    .expect("write");
    server.poll(page, "the edit", |r| r.body.contains("Bewerkt-in-de-test"));
    let s = stats(&server);
    let rendered: Vec<&str> = s["rendered"]
        .as_array()
        .expect("rendered")
        .iter()
        .filter_map(|u| u.as_str())
        .collect();
    assert!(rendered.contains(&"dossiers/37104/b/"), "{rendered:?}");
    for unrelated in [
        "dossiers/38740/a/",
        "dossiers/37104/a/",
        "dossiers/",
        "correspondents/",
    ] {
        assert!(
            !rendered.contains(&unrelated),
            "{unrelated} was rendered again: {rendered:?}"
        );
    }
    assert!(
        rendered.len() < 20,
        "{} of {} files",
        rendered.len(),
        s["files"]
    );

    let mut events = server.events();
    let at = events.wait_for(0, &["event: hello"]);
    std::fs::write(
        &letter,
        good.replacen("date:", "date: 2025-13-45\nold_date:", 1),
    )
    .expect("write");
    events.wait_for(
        at,
        &["event: errors", "content/37104/B.md", "not a real date"],
    );
    let still = server.get(page);
    assert_eq!(still.status, 200);
    assert!(
        still.body.contains("Bewerkt-in-de-test"),
        "the last good page stays served"
    );
    assert_eq!(stats(&server)["ok"], false);

    let at = events.seen.len();
    std::fs::write(
        &letter,
        good.replacen("Geachte", "Hersteld-in-de-test. Geachte", 1),
    )
    .expect("write");
    events.wait_for(at, &["event: reload"]);
    server.poll(page, "the fixed letter", |r| {
        r.body.contains("Hersteld-in-de-test")
    });
    assert_eq!(stats(&server)["ok"], true);
}

#[test]
fn serve_answers_with_content_types_a_real_404_and_no_listings() {
    let f = site();
    let server = Server::start(f.root(), free_port());
    for (path, kind) in [
        ("/archief/", "text/html; charset=utf-8"),
        ("/archief/atom.xml", "application/atom+xml; charset=utf-8"),
        (
            "/archief/dossiers/37104/atom.xml",
            "application/atom+xml; charset=utf-8",
        ),
        ("/archief/sitemap.xml", "application/xml; charset=utf-8"),
        ("/archief/data/letters.json", "application/json"),
        ("/archief/data/pages.json", "application/json"),
        ("/archief/data/letters.csv", "text/csv; charset=utf-8"),
        ("/archief/assets/style.css", "text/css; charset=utf-8"),
        ("/__postkamer/reload.js", "text/javascript; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(kind), "{path}");
    }
    let feed = server.get("/archief/atom.xml");
    assert!(
        !feed.body.contains("reload.js"),
        "only HTML gets the reload script"
    );
    // The search index follows the pages: built apart once the letters are quiet.
    let index = server.poll("/archief/search/index.bin", "the search index", |r| {
        r.status == 200
    });
    assert_eq!(
        index.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(
        index.header("content-encoding"),
        None,
        "the page gunzips it itself"
    );

    let missing = server.get("/archief/geen-pagina/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<title>"), "the theme's 404 page");
    assert!(missing.body.contains("/__postkamer/reload.js"));
    assert_eq!(
        server.get("/archief/assets/").status,
        404,
        "no folder listings"
    );
    assert_eq!(
        server.get("/elders/").status,
        404,
        "nothing outside the sub-path"
    );

    let folder = server.get("/archief/dossiers/37104");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), Some("/archief/dossiers/37104/"));
    assert_eq!(server.get("/").header("location"), Some("/archief/"));
}

#[test]
fn serve_refuses_path_traversal() {
    let f = site();
    std::fs::write(f.root().join("geheim.txt"), "GEHEIM-BUITEN-DE-UITVOER").expect("write");
    let server = Server::start(f.root(), free_port());
    for path in [
        "/archief/../geheim.txt",
        "/archief/../../geheim.txt",
        "/../geheim.txt",
        "/archief/%2e%2e/geheim.txt",
        "/archief/%2E%2E/%2E%2E/geheim.txt",
        "/archief/..%2fgeheim.txt",
        "/archief/dossiers/..%2f..%2f..%2fgeheim.txt",
        "/archief/..%5cgeheim.txt",
        "/archief/%252e%252e/geheim.txt",
        "/archief/./../site.toml",
        "/archief/%2e%2e%2f%2e%2e%2fsite.toml",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/archief/../content/37104/B.md",
    ] {
        let r = server.get(path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        assert!(!r.body.contains("GEHEIM"), "{path} leaked a file");
        assert!(!r.body.contains("base_url"), "{path} leaked site.toml");
        assert!(!r.body.contains("root:"), "{path} leaked /etc/passwd");
        assert!(
            !r.body.contains("dossier: \"37104\""),
            "{path} leaked a source file"
        );
    }
}

#[test]
fn a_taken_port_moves_to_the_next_and_says_so() {
    let f = site();
    let held = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = held.local_addr().expect("addr").port();
    let server = Server::start(f.root(), port);
    assert_ne!(server.port, port);
    drop(held);
    // The note comes before the address; it was kept in the log.
    let said = server.log().contains(&format!("Port {port} is taken"));
    assert!(said, "log:\n{}", server.log());
    assert_eq!(server.get("/archief/").status, 200);
}

#[test]
fn build_output_has_no_reload_script() {
    let f = site();
    let out = f.run(&["build", "--today", "2026-11-28"]);
    common::assert_success(&out);
    for file in common::files(&f.public()) {
        let text = std::fs::read(f.public().join(&file)).expect("read");
        assert!(
            !String::from_utf8_lossy(&text).contains("__postkamer"),
            "{} has serve's script",
            file.display()
        );
    }
}

#[test]
fn a_burst_of_a_thousand_changed_files_is_one_rebuild() {
    let f = site();
    let letter = |i: usize, word: &str| {
        common::letter(
            "40000",
            &format!("L{i}"),
            "2026-03-01",
            &format!("title: \"Brief {i} {word}\"\n"),
            "Tekst.",
        )
    };
    for i in 0..1000 {
        f.write(&format!("content/40000/L{i}.md"), &letter(i, "eerst"));
    }
    let server = Server::start(f.root(), free_port());
    let before = stats(&server)["rebuilds"].as_u64().expect("rebuilds");
    // Like a `git checkout`: every file rewritten as fast as the disk allows.
    for i in 0..1000 {
        f.write(&format!("content/40000/L{i}.md"), &letter(i, "daarna"));
    }
    server.poll(
        "/archief/dossiers/40000/l999/",
        "the last file's change",
        |r| r.body.contains("Brief 999 daarna"),
    );
    std::thread::sleep(Duration::from_secs(1));
    let s = stats(&server);
    assert_eq!(s["rebuilds"].as_u64(), Some(before + 1), "{s}");
    assert!(
        server
            .get("/archief/dossiers/40000/l0/")
            .body
            .contains("Brief 0 daarna")
    );
}

/// A small site with an attachment and a static file, and a secret beside the site.
fn site_with_files() -> (Fixture, tempfile::TempDir) {
    let f = Fixture::new();
    f.write(
        "content/1/A.md",
        &common::letter(
            "1",
            "A",
            "2026-01-05",
            "attachments: [bijlage.txt]\n",
            "Tekst.",
        ),
    );
    f.write("content/1/bijlage.txt", "bijlage binnen de site");
    f.write("static/info.txt", "info binnen de site");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.txt"), "GEHEIM-BUITEN-DE-SITE").expect("write");
    (f, outside)
}

#[test]
fn serve_answers_only_requests_for_its_own_address() {
    let (f, _outside) = site_with_files();
    let server = Server::start(f.root(), free_port());
    let port = server.port;
    for path in [
        "/",
        "/__postkamer/stats",
        "/__postkamer/events",
        "/info.txt",
    ] {
        for host in [
            "evil.example".to_string(),
            format!("evil.example:{port}"),
            format!("localhost.evil.example:{port}"),
            format!("127.0.0.1:{}", port.wrapping_add(1)),
        ] {
            let r = get_as(port, path, &host);
            assert_eq!(r.status, 421, "{path} for Host {host}");
            assert!(!r.body.contains("info binnen"), "{path} for Host {host}");
            assert!(!r.body.contains("rebuilds"), "{path} for Host {host}");
        }
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".to_string(),
    ] {
        let r = get_as(port, "/info.txt", &host);
        assert_eq!(r.status, 200, "Host {host}");
        assert_eq!(r.body, "info binnen de site");
    }
}

#[test]
fn serve_never_hands_out_a_file_through_a_link_out_of_the_site() {
    let (f, outside) = site_with_files();
    let server = Server::start(f.root(), free_port());
    assert_eq!(
        server.get("/dossiers/1/a/bijlage.txt").body,
        "bijlage binnen de site"
    );
    assert_eq!(server.get("/info.txt").body, "info binnen de site");
    let secret = outside.path().join("secret.txt");
    for file in ["content/1/bijlage.txt", "static/info.txt"] {
        std::fs::remove_file(f.root().join(file)).expect("remove");
        std::os::unix::fs::symlink(&secret, f.root().join(file)).expect("symlink");
    }
    // Asked at once (before the rebuild) and after it: never the secret.
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        for path in ["/dossiers/1/a/bijlage.txt", "/info.txt"] {
            let r = server.get(path);
            assert!(!r.body.contains("GEHEIM"), "{path} leaked the secret");
            assert_ne!(r.status, 200, "{path} is served");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let stats = stats(&server);
    let errors = stats["errors"].to_string();
    assert!(errors.contains("leads outside the site folder"), "{stats}");
}

#[test]
fn serve_speaks_the_sites_language_even_before_the_first_good_build() {
    let f = Fixture::new();
    f.write(
        "site.toml",
        "title = \"Archive\"\nbase_url = \"/\"\nlanguage = \"en\"\n",
    );
    f.write(
        "content/1/A.md",
        &common::letter("1", "A", "2025-13-45", "", "Text."),
    );
    let server = Server::start(f.root(), free_port());
    let page = server.get("/");
    assert_eq!(page.status, 503, "{}", server.log());
    assert!(page.body.contains("<html lang=\"en\">"), "{}", page.body);
    assert!(
        page.body.contains("<h1>The site has errors</h1>"),
        "{}",
        page.body
    );
    let script = server.get("/__postkamer/reload.js");
    assert!(script.body.starts_with("window.__postkamerStrings = {"));
    assert!(script.body.contains("\"hide\":\"Hide\""), "{}", script.body);
    // The site switches to Dutch while still broken: serve follows.
    f.write(
        "site.toml",
        "title = \"Archief\"\nbase_url = \"/\"\nlanguage = \"nl\"\n",
    );
    server.poll("/__postkamer/reload.js", "Dutch strings", |r| {
        r.body.contains("\"hide\":\"Verbergen\"")
    });
    let page = server.get("/");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("<html lang=\"nl\">"), "{}", page.body);
    assert!(page.body.contains("De site bevat fouten"), "{}", page.body);
}
