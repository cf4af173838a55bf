//! `serve`: a preview server that rebuilds what an edit affects and reloads the browser.
//!
//! Three parts, each in its own file:
//! - [`engine`]: the incremental build. It keeps parse results, letter bodies
//!   and page fingerprints between rebuilds and renders only changed pages.
//! - [`watch`]: file events on `content/`, `themes/`, `static/` and
//!   `site.toml`, debounced so a burst becomes one rebuild.
//! - [`http`]: serves the last good build from memory under `base_url`'s
//!   sub-path, with live reload over server-sent events.
//! - [`search`]: the full-text index, built whole on a worker thread once
//!   the letters are quiet, so no page waits for it.
//!
//! Nothing is written to disk: `build`'s output folder is never touched.
//! A rebuild runs on its own thread; the server keeps answering from the
//! previous snapshot meanwhile, and keeps it when the rebuild fails.

pub mod engine;
pub mod http;
pub mod linked;
pub mod plan;
pub mod search;
pub mod snapshot;
pub mod sources;
pub mod ui;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::watch as channel;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::site::BuildOptions;

pub use engine::{Changes, Engine, Later, Rebuilt};
use search::{SearchJob, SearchWorker};
pub use snapshot::Snapshot;
pub use watch::Watcher;

/// What `postkamer serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    /// The address to listen on: loopback unless told otherwise.
    pub bind: IpAddr,
    /// The first port to try; the next nine are tried when it is taken. 0 lets the system choose.
    pub port: u16,
    /// Open the site in a browser once it is served.
    pub open: bool,
}

/// Why `serve` could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot use the site folder {path}: {source}")]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Watch(#[from] watch::WatchError),
    #[error("ports {first} to {last} on {ip} are all taken; pass --port with a free one")]
    PortsTaken { ip: IpAddr, first: u16, last: u16 },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Server(std::io::Error),
}

/// One error as the browser overlay shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorView {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl ErrorView {
    fn of(d: &Diagnostic) -> ErrorView {
        ErrorView {
            file: d.path.display().to_string(),
            line: d.line(),
            column: d.column(),
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

/// What the browsers are told: bumped after every rebuild they should see.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub generation: u64,
    /// Empty after a good build.
    pub errors: Arc<Vec<ErrorView>>,
    /// When this status was sent, for the benchmark.
    pub sent_at: Option<Instant>,
}

/// The last rebuild, as `/__postkamer/stats` reports it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub rebuilds: u64,
    pub failed: u64,
    pub ok: bool,
    /// Files the server holds (pages, assets, attachments).
    pub files: usize,
    pub letters: usize,
    /// Pages rendered by the last good rebuild, and their site-relative URLs.
    pub rendered_count: usize,
    pub rendered: Vec<String>,
    pub elapsed_ms: f64,
    /// Milliseconds per step of the last good rebuild (read, link, bodies, hash, plan, render).
    pub phases_ms: Vec<(&'static str, f64)>,
    /// Milliseconds spent after the reload on feeds and data files.
    pub later_ms: f64,
    pub errors: Vec<ErrorView>,
}

/// State shared by the rebuild thread and the HTTP handlers.
pub struct Shared {
    pub snapshot: RwLock<Snapshot>,
    status: channel::Sender<Status>,
    stats: Mutex<Stats>,
    /// Names this server process, so browsers reload after a restart.
    instance: String,
    /// What the overlay and the waiting page say, in the site's language.
    strings: RwLock<Arc<ui::ServeStrings>>,
}

impl Shared {
    fn new() -> Shared {
        let (status, _) = channel::channel(Status::default());
        let instance = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        Shared {
            snapshot: RwLock::new(Snapshot::new("/".into())),
            status,
            stats: Mutex::new(Stats::default()),
            instance,
            strings: RwLock::new(Arc::new(ui::ServeStrings::built_in())),
        }
    }

    /// Follows the status: every rebuild the browsers should hear of.
    pub fn subscribe(&self) -> channel::Receiver<Status> {
        self.status.subscribe()
    }

    pub fn instance(&self) -> String {
        self.instance.clone()
    }

    pub fn stats(&self) -> Stats {
        self.stats.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn stats_json(&self) -> String {
        serde_json::to_string(&self.stats()).unwrap_or_else(|_| "{}".into())
    }

    /// What serve says in the browser, in the site's language.
    pub fn strings(&self) -> Arc<ui::ServeStrings> {
        self.strings
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_else(|_| Arc::new(ui::ServeStrings::built_in()))
    }

    /// Takes the strings of the site's language once its settings and theme
    /// are read; until then (or while they are broken) the last ones stay.
    fn learn_strings(&self, strings: Option<ui::ServeStrings>) {
        if let (Some(new), Ok(mut current)) = (strings, self.strings.write())
            && **current != new
        {
            *current = Arc::new(new);
        }
    }

    /// The path part of `base_url` the site is served under.
    pub fn base_path(&self) -> String {
        self.snapshot
            .read()
            .map(|s| s.base_path.clone())
            .unwrap_or_else(|_| "/".into())
    }

    /// Applies a rebuild's outcome: the snapshot, the statistics, and the
    /// message to the browsers. Returns the lines to print.
    fn publish(&self, outcome: Result<Rebuilt, Diagnostics>) -> String {
        match outcome {
            Ok(rebuilt) => self.publish_good(rebuilt),
            Err(diagnostics) => self.publish_errors(diagnostics),
        }
    }

    fn publish_good(&self, rebuilt: Rebuilt) -> String {
        let mut report = String::new();
        for w in &rebuilt.new_warnings {
            report.push_str(&format!("{w}\n"));
        }
        report.push_str(&format!(
            "Rebuilt {} page(s) of {} letters in {} ms.\n",
            rebuilt.rendered.len(),
            rebuilt.letters,
            rebuilt.elapsed.as_millis()
        ));
        let changed = !rebuilt.delta.is_empty();
        if let Ok(mut snapshot) = self.snapshot.write() {
            snapshot.apply(rebuilt.delta, rebuilt.base_path);
        }
        if let Ok(mut stats) = self.stats.lock() {
            stats.rebuilds += 1;
            stats.ok = true;
            stats.files = rebuilt.files;
            stats.letters = rebuilt.letters;
            stats.rendered_count = rebuilt.rendered.len();
            stats.rendered = rebuilt.rendered;
            stats.elapsed_ms = rebuilt.elapsed.as_secs_f64() * 1000.0;
            stats.phases_ms = rebuilt
                .phases
                .iter()
                .map(|(name, d)| (*name, d.as_secs_f64() * 1000.0))
                .collect();
            stats.later_ms = 0.0;
            stats.errors.clear();
        }
        let had_errors = !self.status.borrow().errors.is_empty();
        if changed || had_errors {
            self.status.send_modify(|s| {
                s.generation += 1;
                s.errors = Arc::new(Vec::new());
                s.sent_at = Some(Instant::now());
            });
        }
        report
    }

    /// Serves the pages a rebuild left for later, or reports why they failed.
    /// Browsers are not told: no page they show changed. Returns the lines to print.
    fn publish_later(&self, outcome: Result<Later, Diagnostics>) -> String {
        match outcome {
            Ok(later) => {
                if let Ok(mut stats) = self.stats.lock() {
                    stats.rendered_count += later.rendered.len();
                    stats.rendered.extend(later.rendered);
                    stats.later_ms = later.elapsed.as_secs_f64() * 1000.0;
                }
                self.settle_pending(later.delta.put);
                String::new()
            }
            Err(diagnostics) => {
                // Serve the old bytes rather than keep requests waiting.
                self.settle_pending(Vec::new());
                self.publish_errors(diagnostics)
            }
        }
    }

    /// Puts in the files that were pending and lets waiting requests go.
    fn settle_pending(&self, put: Vec<(String, snapshot::Served)>) {
        if let Ok(mut snapshot) = self.snapshot.write() {
            snapshot.apply_later(put);
        }
    }

    /// Swaps in a new search index. The pages do not change, so no reload is sent.
    fn replace_search(&self, files: Vec<(String, snapshot::Served)>) {
        if let Ok(mut snapshot) = self.snapshot.write() {
            snapshot.replace_search(files);
        }
    }

    fn publish_errors(&self, diagnostics: Diagnostics) -> String {
        let errors: Vec<ErrorView> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(ErrorView::of)
            .collect();
        let report = format!(
            "{diagnostics}Rebuild failed with {} error(s); still serving the last good build.\n",
            errors.len()
        );
        if let Ok(mut stats) = self.stats.lock() {
            stats.rebuilds += 1;
            stats.failed += 1;
            stats.ok = false;
            stats.errors = errors.clone();
        }
        self.status.send_modify(|s| {
            s.generation += 1;
            s.errors = Arc::new(errors);
            s.sent_at = Some(Instant::now());
        });
        report
    }
}

/// The watcher and the rebuild thread on one site: the preview without HTTP.
pub struct Preview {
    shared: Arc<Shared>,
}

impl Preview {
    /// Watches the site, builds it once, and keeps rebuilding on changes in a
    /// thread of its own. `report` receives what to print after each rebuild.
    pub fn start(
        options: BuildOptions,
        report: impl Fn(&str) + Send + 'static,
    ) -> Result<Preview, ServeError> {
        let root = options
            .root
            .canonicalize()
            .map_err(|source| ServeError::Root {
                path: options.root.clone(),
                source,
            })?;
        // Watch before the first build, so an edit made during it is not lost.
        let mut watcher = Watcher::start(&root)?;
        let mut engine = Rebuilder::new(BuildOptions { root, ..options });
        let shared = Arc::new(Shared::new());
        let first = engine.rebuild(&Changes::everything());
        shared.learn_strings(engine.strings());
        report(&shared.publish(first));
        let search =
            SearchWorker::start(Arc::clone(&shared)).map_err(|source| ServeError::Root {
                path: PathBuf::from("."),
                source,
            })?;
        if let Some(job) = engine.search_job() {
            search.submit(job);
        }
        let for_thread = Arc::clone(&shared);
        // The thread runs as long as the process: nothing waits for it to end.
        std::thread::Builder::new()
            .name("postkamer-rebuild".into())
            .spawn(move || {
                let mut next = watcher.wait_for_changes();
                while let Some(changes) = next {
                    let outcome = engine.rebuild(&changes);
                    for_thread.learn_strings(engine.strings());
                    report(&for_thread.publish(outcome));
                    // Feeds and data files are made from every letter (seconds at 100,000
                    // letters): an edit already waiting goes first, and its rebuild takes
                    // them over.
                    next = watcher.pending();
                    if next.is_none()
                        && let Some(later) = engine.render_later()
                    {
                        report(&for_thread.publish_later(later));
                        next = watcher.pending();
                    }
                    // The search index is built whole, apart: only when no edit is waiting.
                    if next.is_none() {
                        if let Some(job) = engine.search_job() {
                            search.submit(job);
                        }
                        next = watcher.wait_for_changes();
                    }
                }
            })
            .map_err(|source| ServeError::Root {
                path: PathBuf::from("."),
                source,
            })?;
        Ok(Preview { shared })
    }

    pub fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }
}

/// The engine behind a panic guard. A panic in a rebuild is a bug, but it
/// must not end `serve`: it becomes an error the overlay shows, the engine
/// (whose state the panic may have left half-changed) starts afresh, and the
/// next change rebuilds everything.
pub struct Rebuilder {
    engine: Engine,
    options: BuildOptions,
    /// Set after a panic: the next rebuild reads everything again.
    afresh: bool,
}

impl Rebuilder {
    pub fn new(options: BuildOptions) -> Rebuilder {
        Rebuilder {
            engine: Engine::new(options.clone()),
            options,
            afresh: false,
        }
    }

    /// [`Engine::rebuild`], with a panic caught and reported.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        let changes = if std::mem::take(&mut self.afresh) {
            Changes::everything()
        } else {
            changes.clone()
        };
        self.guarded(|engine| engine.rebuild(&changes))
    }

    /// [`Engine::render_later`], with a panic caught and reported.
    pub fn render_later(&mut self) -> Option<Result<Later, Diagnostics>> {
        self.guarded(|engine| engine.render_later().transpose())
            .transpose()
    }

    /// [`Engine::strings`].
    pub fn strings(&self) -> Option<ui::ServeStrings> {
        self.engine.strings()
    }

    /// [`Engine::search_job`]; a panic leaves the old index in place.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        self.guarded(|engine| Ok(engine.search_job()))
            .ok()
            .flatten()
    }

    /// Runs one step on the engine; a panic becomes an error and a fresh engine.
    pub fn guarded<T>(
        &mut self,
        step: impl FnOnce(&mut Engine) -> Result<T, Diagnostics>,
    ) -> Result<T, Diagnostics> {
        let engine = &mut self.engine;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| step(engine))) {
            Ok(result) => result,
            Err(payload) => {
                self.engine = Engine::new(self.options.clone());
                self.afresh = true;
                let mut all = Diagnostics::default();
                all.push(panic_diagnostic(&self.options.root, payload.as_ref()));
                Err(all)
            }
        }
    }
}

/// The error a caught panic is reported as.
fn panic_diagnostic(root: &std::path::Path, payload: &(dyn std::any::Any + Send)) -> Diagnostic {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an unknown panic".into());
    Diagnostic::error_in(
        root,
        format!("the rebuild stopped on an internal error (a bug in postkamer): {what}"),
    )
    .with_help("the last good build is still served and the next change rebuilds everything; please report this with the file you changed last")
}

/// Runs `postkamer serve` until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let preview = Preview::start(options.build.clone(), |text| eprint!("{text}"))?;
    let shared = preview.shared();
    let (listener, moved) = bind(options.bind, options.port)?;
    let addr = listener.local_addr().map_err(ServeError::Server)?;
    if let Some(taken) = moved {
        println!("Port {taken} is taken; using port {} instead.", addr.port());
    }
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can see this preview",
            options.bind
        );
    }
    let url = format!("http://{addr}{}", shared.base_path());
    println!("Serving the site at {url} (press Ctrl-C to stop).");
    if options.open {
        open_browser(&url);
    }
    run_server(listener, shared)
}

/// Serves HTTP on the listener until Ctrl-C.
fn run_server(listener: TcpListener, shared: Arc<Shared>) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Server)?;
    let result = runtime.block_on(async move {
        let addr = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let own = http::OwnAddress {
            ip: addr.ip(),
            port: addr.port(),
        };
        let app = http::router(shared, own);
        tokio::select! {
            served = axum::serve(listener, app) => served,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    });
    // Open event streams would keep a graceful shutdown waiting forever.
    runtime.shutdown_timeout(Duration::from_millis(200));
    result.map_err(ServeError::Server)
}

/// Binds `port`, or the next free one of the nine after it. Returns the
/// listener and, when it moved, the port that was taken.
pub fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, Option<u16>), ServeError> {
    let last = if port == 0 { 0 } else { port.saturating_add(9) };
    for p in port..=last {
        let addr = SocketAddr::new(ip, p);
        match TcpListener::bind(addr) {
            Ok(l) => return Ok((l, (p != port).then_some(port))),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(source) => return Err(ServeError::Bind { addr, source }),
        }
    }
    Err(ServeError::PortsTaken {
        ip,
        first: port,
        last,
    })
}

/// Opens the URL in the desktop's browser when a way to do so exists; never fails.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("note: could not open a browser ({opener}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn a_taken_port_moves_to_the_next_free_one() {
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let (held, _) = bind(ip, 0).unwrap();
        let port = held.local_addr().unwrap().port();
        match bind(ip, port) {
            Ok((l, moved)) => {
                assert_eq!(moved, Some(port));
                assert_ne!(l.local_addr().unwrap().port(), port);
            }
            // The nine ports after it may be taken by others on a busy machine.
            Err(ServeError::PortsTaken { .. }) => {}
            Err(e) => panic!("{e}"),
        }
    }

    /// GETs `path` from the server on `port` with plain HTTP/1.0 and returns the body.
    fn get(port: u16, path: &str) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_panic_in_a_rebuild_is_an_error_and_the_next_change_rebuilds_everything() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"T\"\n").unwrap();
        std::fs::create_dir_all(dir.path().join("content/1")).unwrap();
        std::fs::write(
            dir.path().join("content/1/A.md"),
            "---\ndossier: \"1\"\ndate: 2026-01-05\nfrom: A\nto: B\n---\nTekst.\n",
        )
        .unwrap();
        let mut rebuilder = Rebuilder::new(BuildOptions {
            root: dir.path().to_path_buf(),
            ..BuildOptions::default()
        });
        let shared = Shared::new();
        let failed: Result<Rebuilt, Diagnostics> =
            rebuilder.guarded(|_| panic!("TimeDelta::days out of bounds"));
        let printed = shared.publish(failed);
        assert!(
            printed.contains("TimeDelta::days out of bounds"),
            "{printed}"
        );
        let overlay = shared.subscribe().borrow().errors.clone();
        assert_eq!(overlay.len(), 1);
        assert!(overlay[0].message.contains("internal error"), "{overlay:?}");
        // No change is named, yet the fresh engine reads the whole site.
        let rebuilt = rebuilder.rebuild(&Changes::default()).unwrap();
        assert_eq!(rebuilt.letters, 1);
        shared.publish(Ok(rebuilt));
        assert!(shared.subscribe().borrow().errors.is_empty());
        assert!(
            shared
                .snapshot
                .read()
                .unwrap()
                .get("dossiers/1/a/index.html")
                .is_some()
        );
    }

    #[test]
    fn a_request_for_a_file_rendered_after_the_reload_waits_for_it() {
        let shared = Arc::new(Shared::new());
        let path = "data/letters.json";
        let delta = snapshot::Delta {
            put: vec![(path.into(), snapshot::Served::bytes(path, "old"))],
            pending: vec![path.into()],
            ..snapshot::Delta::default()
        };
        shared.snapshot.write().unwrap().apply(delta, "/".into());
        let (listener, _) = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0).unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = Arc::clone(&shared);
        std::thread::spawn(move || run_server(listener, server));
        let later = Arc::clone(&shared);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            later.publish_later(Ok(Later {
                delta: snapshot::Delta {
                    put: vec![(path.into(), snapshot::Served::bytes(path, "new"))],
                    ..snapshot::Delta::default()
                },
                rendered: vec![path.into()],
                elapsed: Duration::ZERO,
            }))
        });
        assert_eq!(get(port, "/data/letters.json"), "new");
        assert_eq!(shared.stats().rendered, vec![path.to_string()]);
    }
}
