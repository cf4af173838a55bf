//! The search index in `serve`: built from every letter at once (1.3 s of CPU
//! at 10,000 letters), so it never holds up a page. After a good rebuild the
//! engine hands out a [`SearchJob`] when the index inputs changed; a worker
//! thread keeps only the newest, builds it on one core once no newer job has
//! come for [`QUIET`], and swaps the files into the snapshot. The search page
//! reads the new index on its next query.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::render::Renderer;
use crate::search::SearchDoc;

use super::Shared;
use super::fingerprint::{Fp, LetterHashes};
use super::snapshot::Served;

/// Everything needed to build one search index, detached from the archive.
pub struct SearchJob {
    docs: Vec<SearchDoc>,
    language: crate::search::Language,
}

impl SearchJob {
    /// The job for the archive `r` renders, with its bodies set.
    pub fn new(r: &Renderer<'_>) -> SearchJob {
        SearchJob {
            docs: r.search_docs(),
            language: r.config.language.into(),
        }
    }

    /// Builds the index: its files by output path.
    pub fn build(self) -> Vec<(String, Served)> {
        crate::search::build_index(&self.docs, self.language)
            .into_iter()
            .map(|f| {
                let served = Served::bytes(&f.path, f.bytes);
                (f.path, served)
            })
            .collect()
    }
}

/// What the search index is built from: every letter's summary, text, tags
/// and kenmerk (searchable, but in no summary).
pub fn search_fp(r: &Renderer<'_>, hashes: &LetterHashes) -> u64 {
    let a = r.archive;
    let mut h = Fp::new();
    h.add(&hashes.summary)
        .add(&hashes.body)
        .add(r.config.language.code());
    for l in &a.letters {
        for &t in &l.tags {
            h.add(&a.tags[t].slug).add(&a.tags[t].name);
        }
        h.add(&l.letter.kenmerk);
    }
    h.finish()
}

/// How long the index inputs must stay the same before the index is built:
/// while someone saves every few seconds the worker waits, so it neither
/// takes a core from page rebuilds nor holds several jobs at once.
pub const QUIET: Duration = Duration::from_millis(1000);

/// The job waiting for the worker: at most one, the newest.
#[derive(Default)]
struct Slot {
    job: Option<SearchJob>,
    /// Bumped by every submit, so the worker sees a newer job arrive.
    submitted: u64,
    stop: bool,
}

type Shelf = Arc<(Mutex<Slot>, Condvar)>;

/// A thread that builds the search index once its inputs have been quiet for [`QUIET`].
pub struct SearchWorker {
    shelf: Shelf,
}

impl SearchWorker {
    /// Starts the worker; it stops when the worker is dropped.
    pub fn start(shared: Arc<Shared>) -> std::io::Result<SearchWorker> {
        let shelf: Shelf = Arc::default();
        let for_thread = Arc::clone(&shelf);
        std::thread::Builder::new()
            .name("postkamer-search".into())
            .spawn(move || run(&for_thread, &shared))?;
        Ok(SearchWorker { shelf })
    }

    /// Puts a job on the shelf; a job still waiting there is dropped.
    pub fn submit(&self, job: SearchJob) {
        let (lock, ready) = &*self.shelf;
        if let Ok(mut slot) = lock.lock() {
            slot.job = Some(job);
            slot.submitted += 1;
            ready.notify_one();
        }
    }
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        let (lock, ready) = &*self.shelf;
        if let Ok(mut slot) = lock.lock() {
            slot.stop = true;
            ready.notify_one();
        }
    }
}

fn run(shelf: &Shelf, shared: &Shared) {
    // One thread: the other core stays free for page rebuilds.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
    while let Some(job) = next_quiet_job(shelf) {
        let build = || match &pool {
            Some(pool) => pool.install(|| job.build()),
            None => job.build(),
        };
        // A panic (a bug) keeps the old index rather than end the worker.
        if let Ok(files) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(build)) {
            shared.replace_search(files);
        }
    }
}

/// Waits for a job and then for [`QUIET`] without a newer one; `None` to stop.
fn next_quiet_job(shelf: &Shelf) -> Option<SearchJob> {
    let (lock, ready) = &**shelf;
    let mut slot = lock.lock().ok()?;
    loop {
        while slot.job.is_none() && !slot.stop {
            slot = ready.wait(slot).ok()?;
        }
        if slot.stop {
            return None;
        }
        let seen = slot.submitted;
        let (later, _) = ready.wait_timeout(slot, QUIET).ok()?;
        slot = later;
        if slot.stop {
            return None;
        }
        if slot.submitted == seen {
            return slot.job.take();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(letters: usize) -> SearchJob {
        let doc = |i: usize| SearchDoc {
            url: format!("dossiers/1/l{i}/"),
            title: format!("Brief {i}"),
            dossier: "1".into(),
            letter: format!("L{i}"),
            date: "2025-01-01".into(),
            date_display: "1 januari 2025".into(),
            sort_date: 20250101,
            year: 2025,
            from: Vec::new(),
            to: Vec::new(),
            kind: "letter".into(),
            tags: Vec::new(),
            status: None,
            reply: Default::default(),
            text: "tekst".into(),
            kenmerk: None,
        };
        SearchJob {
            docs: (0..letters).map(doc).collect(),
            language: crate::search::Language::Dutch,
        }
    }

    #[test]
    fn only_the_newest_job_is_built_once_the_inputs_are_quiet() {
        let shelf: Shelf = Arc::default();
        let worker = SearchWorker {
            shelf: Arc::clone(&shelf),
        };
        worker.submit(job(1));
        worker.submit(job(2));
        let started = std::time::Instant::now();
        let next = next_quiet_job(&shelf).expect("a job");
        assert_eq!(next.docs.len(), 2);
        assert!(started.elapsed() >= QUIET);
        drop(worker);
        assert!(next_quiet_job(&shelf).is_none(), "a dropped worker stops");
    }
}
