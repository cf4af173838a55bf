//! Watching the site for changes: `content/`, `themes/`, `static/` and `site.toml`.
//!
//! notify-debouncer-full merges the events of one file (an editor's
//! write-to-temp-then-rename save becomes one change). It emits a file once
//! that file has been quiet for [`DEBOUNCE`], so a long burst (a `git
//! checkout` of 1,000 files) arrives in several batches; [`Watcher::wait_for_changes`]
//! gathers batches until none has come for [`SETTLE`] (for [`BULK_SETTLE`]
//! once more than [`BULK`] paths changed), so the whole burst becomes one
//! rebuild while a single save still rebuilds at once.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{self, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::engine::Changes;
use crate::load::is_hidden;

/// How long one file must be quiet before its change counts.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// How often the debouncer looks for files that have become quiet: during a
/// burst it hands over a batch every tick.
const TICK: Duration = Duration::from_millis(5);
/// How long after a batch of changes the watcher waits for more before
/// rebuilding: three ticks, so the batches of one burst are never split, while
/// a single save is not held up longer than needed.
pub const SETTLE: Duration = Duration::from_millis(15);
/// Past this many changed paths a bulk operation (a `git checkout`, a copy)
/// is under way: wait for [`BULK_SETTLE`] of quiet, so a pause in it does not
/// split it into two rebuilds.
pub const BULK: usize = 8;
pub const BULK_SETTLE: Duration = Duration::from_millis(250);

/// The folders of a site that are watched, recursively.
const FOLDERS: [&str; 3] = ["content", "themes", "static"];

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot watch {path} for changes: {source}")]
pub struct WatchError {
    path: PathBuf,
    source: notify::Error,
}

/// A running file watcher on one site.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
}

impl Watcher {
    /// Starts watching the site at `root` (an absolute, canonical path).
    pub fn start(root: &Path) -> Result<Watcher, WatchError> {
        let (tx, events) = channel();
        let err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WatchError { path, source }
        };
        let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), tx).map_err(err(root))?;
        // The root itself, not recursively: for site.toml (editors replace it
        // by renaming, which a watch on the file itself would lose) and for
        // the watched folders appearing later.
        debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(err(root))?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
            events,
        };
        for folder in FOLDERS {
            let dir = root.join(folder);
            if dir.is_dir() {
                watcher
                    .debouncer
                    .watch(&dir, RecursiveMode::Recursive)
                    .map_err(err(&dir))?;
            }
        }
        Ok(watcher)
    }

    /// Blocks until something in the site changes and the burst has settled.
    /// `None` when the watcher has stopped.
    pub fn wait_for_changes(&mut self) -> Option<Changes> {
        loop {
            let mut changes = Changes::default();
            let first = self.events.recv().ok()?;
            let mut seen = self.absorb(first, &mut changes);
            loop {
                let settle = if seen > BULK { BULK_SETTLE } else { SETTLE };
                match self.events.recv_timeout(settle) {
                    Ok(more) => seen += self.absorb(more, &mut changes),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            if !changes.is_empty() {
                return Some(changes);
            }
        }
    }

    /// Changes that arrived while the last rebuild ran, without waiting for new ones.
    pub fn pending(&mut self) -> Option<Changes> {
        let first = self.events.try_recv().ok()?;
        let mut changes = Changes::default();
        let mut seen = self.absorb(first, &mut changes);
        loop {
            let settle = if seen > BULK { BULK_SETTLE } else { SETTLE };
            match self.events.recv_timeout(settle) {
                Ok(more) => seen += self.absorb(more, &mut changes),
                Err(_) => break,
            }
        }
        (!changes.is_empty()).then_some(changes)
    }

    /// Sorts a batch of events into `changes`; returns how many paths it named.
    fn absorb(&mut self, batch: DebounceEventResult, changes: &mut Changes) -> usize {
        let events = match batch {
            Ok(events) => events,
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: file watcher: {e}; checking every file");
                }
                changes.rescan = true;
                return 0;
            }
        };
        let mut paths = 0;
        for event in events {
            if event.need_rescan() {
                changes.rescan = true;
            }
            if !matters(&event.kind) {
                continue;
            }
            for path in &event.paths {
                paths += 1;
                self.classify(path, changes);
            }
        }
        paths
    }

    /// Sorts one changed path into the part of the site it belongs to.
    fn classify(&mut self, path: &Path, changes: &mut Changes) {
        let Some(part) = part_of(&self.root, path) else {
            return;
        };
        if let Part::Folder(folder) = part {
            // A watched folder was created (or replaced): watch it, and look at all of it.
            let dir = self.root.join(folder);
            if dir.is_dir() {
                let _ = self.debouncer.watch(&dir, RecursiveMode::Recursive);
            }
        }
        match part {
            Part::Config => changes.config = true,
            Part::Theme => changes.theme = true,
            Part::Static => changes.site_static = true,
            Part::Content => changes.content.push(path.to_path_buf()),
            Part::Folder("content") => changes.rescan = true,
            Part::Folder("themes") => changes.theme = true,
            Part::Folder(_) => changes.site_static = true,
        }
    }
}

/// Reading a file is no change; closing it after writing is.
fn matters(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Part {
    Config,
    Content,
    Theme,
    Static,
    /// One of the watched folders itself.
    Folder(&'static str),
}

/// Which part of the site a path is in; `None` for paths that do not matter
/// (the output folder, `.git`, hidden files and editor backups).
fn part_of(root: &Path, path: &Path) -> Option<Part> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let Some(Component::Normal(first)) = parts.next() else {
        return None;
    };
    if rel.components().any(|c| is_hidden(c.as_os_str())) {
        return None;
    }
    let first = first.to_str()?;
    let nested = parts.next().is_some();
    match (first, nested) {
        ("site.toml", false) => Some(Part::Config),
        ("content", true) => Some(Part::Content),
        ("themes", true) => Some(Part::Theme),
        ("static", true) => Some(Part::Static),
        (name, false) => FOLDERS.into_iter().find(|f| *f == name).map(Part::Folder),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_sort_into_parts_of_the_site() {
        let root = Path::new("/site");
        let part = |p: &str| part_of(root, Path::new(p));
        assert_eq!(part("/site/site.toml"), Some(Part::Config));
        assert_eq!(part("/site/content/1/A.md"), Some(Part::Content));
        assert_eq!(part("/site/themes/x/templates/a.html"), Some(Part::Theme));
        assert_eq!(part("/site/static/logo.svg"), Some(Part::Static));
        assert_eq!(part("/site/content"), Some(Part::Folder("content")));
        assert_eq!(part("/site/public/index.html"), None);
        assert_eq!(part("/site/content/1/.A.md.swp"), None);
        assert_eq!(part("/site/content/1/A.md~"), None);
        assert_eq!(part("/site/.git/index"), None);
        assert_eq!(part("/elsewhere/site.toml"), None);
    }

    #[test]
    fn reading_is_not_a_change() {
        assert!(!matters(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(matters(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(matters(&EventKind::Any));
    }
}
