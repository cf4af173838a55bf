//! The search index in `serve`: built from every letter at once (1.7 s of CPU
//! at 10,000 letters), so it never holds up a page. After a good rebuild the
//! engine hands out a [`SearchJob`] when the index inputs changed; a worker
//! thread builds it on one core while pages keep being rebuilt on the other,
//! skips jobs that a newer one has overtaken, and swaps the files into the
//! snapshot. The search page reads the new index on its next query.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::config::Language;
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
        let language = match r.config.language {
            Language::Nl => crate::search::Language::Dutch,
            Language::En => crate::search::Language::English,
        };
        SearchJob {
            docs: r.search_docs(),
            language,
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

/// What the search index is built from: every letter's summary, text and tags.
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
    }
    h.finish()
}

/// A thread that builds search indexes, newest job first.
pub struct SearchWorker {
    jobs: Sender<SearchJob>,
}

impl SearchWorker {
    /// Starts the worker; it stops when the worker is dropped.
    pub fn start(shared: Arc<Shared>) -> std::io::Result<SearchWorker> {
        let (jobs, rx) = channel();
        std::thread::Builder::new()
            .name("postkamer-search".into())
            .spawn(move || run(&rx, &shared))?;
        Ok(SearchWorker { jobs })
    }

    /// Queues a job; an older job still waiting is dropped.
    pub fn submit(&self, job: SearchJob) {
        let _ = self.jobs.send(job);
    }
}

fn run(jobs: &Receiver<SearchJob>, shared: &Shared) {
    // One thread: the other core stays free for page rebuilds.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let files = match &pool {
            Some(pool) => pool.install(|| job.build()),
            None => job.build(),
        };
        shared.replace_search(files);
    }
}
