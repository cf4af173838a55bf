//! Ranking over tiered postings: which letters are proven to fill the page asked for, and
//! which tail blocks to fetch when they are not. `search.js` mirrors this exactly (function
//! names in brackets).
//!
//! A query word's keys are known in part: a tiered key's head and the tail blocks fetched so
//! far ([`KeyState`]). For a letter and a word, that gives an exact score (every key of the
//! word is known at the letter's id), nothing (known to lack the word), or an upper bound: a
//! key whose block at that id is not fetched holds at most its best tail posting. Letters of
//! no known posting at all ("unseen") are bounded the same way by every word's open tails.
//!
//! The page is *proven* when at least `wanted` letters have exact scores and every other
//! letter's bound ranks below the `wanted`-th of them; then the exact letters' order is the
//! full evaluation's order for those places (scores are summed in query-word order, and float
//! addition is monotone, so a bound summed the same way is never below the exact sum).
//! Otherwise blocks are fetched ([`blocks_to_fetch`]) and the proof is tried again; once every
//! block a filter allows is fetched, all scores are exact, so this always ends.

use super::shard::{KeyEntry, LEVELS, Postings, Tail, idf, level_weight};
use std::collections::{BTreeSet, HashMap};

/// Added per query word found in the title: a title match ranks above any body match.
pub const TITLE_BONUS: f64 = 1000.0;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (newest first among equals).
    #[default]
    Relevance,
    /// Newest letter first.
    Newest,
    /// Oldest letter first.
    Oldest,
}

/// A tail block: `(word, key, tier, block)`.
pub type BlockRef = (usize, usize, usize, usize);

/// One key of a query word: its postings known so far (letter id → class) and, for a tiered
/// key, which blocks of each tier are fetched.
#[derive(Debug, Clone)]
pub struct KeyState {
    idf: f64,
    known: HashMap<u32, u8>,
    tail: Option<Tail>,
    done: Vec<Vec<bool>>,
}

impl KeyState {
    /// The state of a key entry read from a shard (`docs`: letters in the archive).
    pub fn new(entry: KeyEntry, docs: usize) -> Self {
        let (head, tail) = match entry {
            KeyEntry::Full(p) => (p, None),
            KeyEntry::Tiered(head, tail) => (head, Some(tail)),
        };
        let df = tail.as_ref().map_or(head.df(), |t| t.df);
        let done = tail.as_ref().map_or(Vec::new(), |t| {
            t.tiers
                .iter()
                .map(|t| vec![false; t.starts.len()])
                .collect()
        });
        let mut state = KeyState {
            idf: idf(df, docs),
            known: HashMap::new(),
            tail,
            done,
        };
        state.add(&head);
        state
    }

    /// Letters containing the key (all of them, fetched or not).
    pub fn df(&self) -> usize {
        self.tail.as_ref().map_or(self.known.len(), |t| t.df)
    }

    /// Adds fetched postings.
    fn add(&mut self, p: &Postings) {
        for (level, ids) in p.levels.iter().enumerate() {
            for &id in ids {
                self.known.insert(id, level as u8);
            }
        }
        for &id in &p.title {
            if let Some(c) = self.known.get_mut(&id) {
                *c |= LEVELS as u8;
            }
        }
    }

    /// Records block `b` of tier `t` as fetched with its postings.
    pub fn add_block(&mut self, t: usize, b: usize, p: &Postings) {
        self.add(p);
        if let Some(done) = self.done.get_mut(t).and_then(|d| d.get_mut(b)) {
            *done = true;
        }
    }

    /// Letters whose posting is known (head and fetched blocks).
    pub fn known_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.known.keys().copied()
    }

    /// The key's tail, when it is tiered.
    pub fn tail(&self) -> Option<&Tail> {
        self.tail.as_ref()
    }

    /// The key's score for a letter of class `c`: its weight, plus the title bonus.
    fn score(&self, c: usize) -> f64 {
        self.idf * level_weight(c % LEVELS) + if c >= LEVELS { TITLE_BONUS } else { 0.0 }
    }

    /// The best score `id` can still have in a block not fetched: the top of the first tier
    /// whose block at `id` is missing (later tiers rank lower), or, for an id newer than that
    /// top's, the class below it (in the top's class only older letters are left); `None`
    /// when no such block may hold `id`.
    fn bound_at(&self, id: u32) -> Option<f64> {
        let (t, _) = self.missing_at(id)?;
        let tier = &self.tail.as_ref()?.tiers[t];
        match (id <= tier.top_id, tier.top_class) {
            (true, c) => Some(self.score(c)),
            (false, 0) => None,
            (false, c) => Some(self.score(c - 1)),
        }
    }

    /// The first tier whose block at `id` is not fetched, and that block.
    fn missing_at(&self, id: u32) -> Option<(usize, usize)> {
        let tail = self.tail.as_ref()?;
        (0..tail.tiers.len())
            .map(|t| (t, tail.tiers[t].block_of(id)))
            .find(|&(t, b)| !self.done[t][b])
    }

    /// Blocks of tier `t` not fetched whose range holds a letter passing the filter, oldest
    /// first.
    fn open_blocks(&self, t: usize, pass: Option<&[bool]>, docs: u32) -> Vec<usize> {
        let Some(tier) = self.tail.as_ref().and_then(|tail| tail.tiers.get(t)) else {
            return Vec::new();
        };
        (0..tier.starts.len())
            .filter(|&b| !self.done[t][b] && block_passes(tier.range(b, docs), pass))
            .collect()
    }

    /// Every tier with open blocks, best first, as `(tier, open blocks)`.
    fn open_tiers(&self, pass: Option<&[bool]>, docs: u32) -> Vec<(usize, Vec<usize>)> {
        (0..self.done.len())
            .map(|t| (t, self.open_blocks(t, pass, docs)))
            .filter(|(_, blocks)| !blocks.is_empty())
            .collect()
    }

    /// Score and id of the best posting of tier `t`.
    fn top(&self, t: usize) -> (f64, u32) {
        self.tail
            .as_ref()
            .and_then(|tail| tail.tiers.get(t))
            .map_or((0.0, 0), |tier| (self.score(tier.top_class), tier.top_id))
    }

    /// The id range of block `b` of tier `t`.
    fn range(&self, t: usize, b: usize, docs: u32) -> (u32, u32) {
        self.tail
            .as_ref()
            .map_or((0, 0), |tail| tail.tiers[t].range(b, docs))
    }
}

/// True when a letter in `[start, end)` passes the filter (`blockPasses`).
fn block_passes((start, end): (u32, u32), pass: Option<&[bool]>) -> bool {
    pass.is_none_or(|p| (start..end).any(|id| p.get(id as usize).copied().unwrap_or(false)))
}

/// What a query word says of one letter (`wordPart`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    /// Known not to contain the word.
    Absent,
    /// The word's exact score.
    Exact(f64),
    /// At most this score; `present` when a known posting proves the word is there.
    Bound { score: f64, present: bool },
}

/// The word's score for a letter, its best key's, exact or bounded (`wordPart`).
fn part(keys: &[KeyState], id: u32) -> Part {
    let (mut best, mut open) = (None::<f64>, None::<f64>);
    for key in keys {
        match key.known.get(&id) {
            Some(&c) => best = Some(max_of(best, key.score(usize::from(c)))),
            None => {
                if let Some(bound) = key.bound_at(id) {
                    open = Some(max_of(open, bound));
                }
            }
        }
    }
    match (best, open) {
        (None, None) => Part::Absent,
        // A missing key cannot beat a known score: the word's score is its best key's.
        (Some(s), None) => Part::Exact(s),
        (Some(s), Some(o)) if s >= o => Part::Exact(s),
        (known, Some(o)) => Part::Bound {
            score: max_of(known, o),
            present: known.is_some(),
        },
    }
}

fn max_of(a: Option<f64>, b: f64) -> f64 {
    a.map_or(b, |a| a.max(b))
}

/// The outcome of one try at ranking.
#[derive(Debug, Clone, Default)]
pub struct Round {
    /// Letters with exact scores that match, in result order.
    pub ranked: Vec<(u32, f64)>,
    /// True when the first `wanted` places of `ranked` are those of the full evaluation.
    pub proven: bool,
    /// Letters known to match (exact or not).
    pub certain: usize,
    /// Letters whose bound keeps the page from being proven.
    pub blocking: Vec<u32>,
}

/// Ranks what is known and checks whether the first `wanted` places are proven (`tryRank`).
pub fn evaluate(
    groups: &[&[KeyState]],
    pass: Option<&[bool]>,
    docs: usize,
    sort: Sort,
    wanted: usize,
) -> Round {
    let passes = |id: u32| pass.is_none_or(|p| p.get(id as usize).copied().unwrap_or(false));
    let candidates: BTreeSet<u32> = groups
        .iter()
        .flat_map(|keys| keys.iter().flat_map(|k| k.known.keys().copied()))
        .filter(|&id| passes(id))
        .collect();
    let mut round = Round::default();
    let mut uncertain: Vec<(u32, f64)> = Vec::new();
    for id in candidates {
        let parts: Vec<Part> = groups.iter().map(|keys| part(keys, id)).collect();
        if parts.contains(&Part::Absent) {
            continue;
        }
        let (mut total, mut exact, mut present) = (0.0, true, true);
        for p in parts {
            match p {
                Part::Exact(s) => total += s,
                Part::Bound {
                    score,
                    present: known,
                } => {
                    total += score;
                    exact = false;
                    present &= known;
                }
                Part::Absent => {}
            }
        }
        round.certain += usize::from(present);
        if exact {
            round.ranked.push((id, total));
        } else {
            uncertain.push((id, total));
        }
    }
    round.ranked = rank(std::mem::take(&mut round.ranked), sort);
    let unseen = unseen_bound(groups, pass, docs as u32, sort);
    let last = round.ranked.get(wanted.max(1) - 1).copied();
    let is_below = |u: (u32, f64)| last.is_some_and(|l| below(u, l, sort));
    round.blocking = uncertain
        .into_iter()
        .filter(|&u| !is_below(u))
        .map(|u| u.0)
        .collect();
    round.proven = round.blocking.is_empty() && unseen.is_none_or(is_below);
    round
}

/// Sorts scored letters into result order.
pub fn rank(mut scored: Vec<(u32, f64)>, sort: Sort) -> Vec<(u32, f64)> {
    match sort {
        Sort::Relevance => scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0))),
        Sort::Newest => scored.sort_by_key(|s| std::cmp::Reverse(s.0)),
        Sort::Oldest => scored.sort_by_key(|s| s.0),
    }
    scored
}

/// True when a letter bounded by `(id, score)` ranks strictly below `last`.
fn below((id, score): (u32, f64), last: (u32, f64), sort: Sort) -> bool {
    match sort {
        Sort::Relevance => score < last.1 || (score == last.1 && id < last.0),
        Sort::Newest => id < last.0,
        Sort::Oldest => id > last.0,
    }
}

/// The best rank a letter with no known posting could have, as `(id, score)`; `None` when
/// such a letter cannot match (a word whose keys are all known). By relevance: per word the
/// best top of a key's first open tier; the id breaks a tie only in a one-word query (it is
/// then the id of that top), else it is `u32::MAX`, which never wins a tie. By date: the
/// newest (oldest) id any open block of every word reaches (`unseenBound`).
fn unseen_bound(
    groups: &[&[KeyState]],
    pass: Option<&[bool]>,
    docs: u32,
    sort: Sort,
) -> Option<(u32, f64)> {
    let (mut score, mut ids, mut tie_id) = (0.0, Vec::with_capacity(groups.len()), u32::MAX);
    for keys in groups {
        let mut best: Option<(f64, u32)> = None;
        let (mut newest, mut oldest) = (None::<u32>, None::<u32>);
        for key in keys.iter() {
            let open = key.open_tiers(pass, docs);
            let Some((first, _)) = open.first() else {
                continue;
            };
            let top = key.top(*first);
            if best.is_none_or(|b| top.0 > b.0 || (top.0 == b.0 && top.1 > b.1)) {
                best = Some(top);
            }
            for (t, blocks) in &open {
                let last = key.range(*t, blocks[blocks.len() - 1], docs).1 - 1;
                let first = key.range(*t, blocks[0], docs).0;
                newest = Some(newest.map_or(last, |n| n.max(last)));
                oldest = Some(oldest.map_or(first, |o| o.min(first)));
            }
        }
        let (top_score, top_id) = best?;
        score += top_score;
        if groups.len() == 1 {
            tie_id = top_id;
        }
        ids.push(match sort {
            Sort::Oldest => oldest.unwrap_or(0),
            _ => newest.unwrap_or(0),
        });
    }
    match sort {
        Sort::Relevance => Some((tie_id, score)),
        Sort::Newest => ids.into_iter().min().map(|id| (id, score)),
        Sort::Oldest => ids.into_iter().max().map(|id| (id, score)),
    }
}

/// The blocks to fetch next (`blocksToFetch`). By relevance: when known letters block the
/// proof, the blocks that settle their scores; else every open block of one tier, the first
/// open tier of the key whose top there ranks highest (the likeliest to outrank what is
/// known). By date: per key, the next block from the newest (oldest) end of the tiers that
/// reach furthest that way.
pub fn blocks_to_fetch(
    groups: &[&[KeyState]],
    pass: Option<&[bool]>,
    docs: usize,
    sort: Sort,
    round: &Round,
) -> Vec<BlockRef> {
    let docs = docs as u32;
    if sort == Sort::Relevance && !round.blocking.is_empty() {
        return settling_blocks(groups, &round.blocking);
    }
    let mut out = Vec::new();
    let mut best: Option<(f64, BlockRef, Vec<usize>)> = None;
    for (g, keys) in groups.iter().enumerate() {
        for (k, key) in keys.iter().enumerate() {
            let open = key.open_tiers(pass, docs);
            let Some((first, blocks)) = open.first() else {
                continue;
            };
            match sort {
                Sort::Relevance => {
                    let top = key.top(*first).0;
                    if best.as_ref().is_none_or(|b| top > b.0) {
                        best = Some((top, (g, k, *first, 0), blocks.clone()));
                    }
                }
                Sort::Newest | Sort::Oldest => {
                    out.extend(next_by_date(key, &open, docs, sort).map(|(t, b)| (g, k, t, b)))
                }
            }
        }
    }
    if let Some((_, (g, k, t, _), blocks)) = best {
        out.extend(blocks.into_iter().map(|b| (g, k, t, b)));
    }
    out
}

/// For each letter, the missing block of every key that could still change its score.
fn settling_blocks(groups: &[&[KeyState]], ids: &[u32]) -> Vec<BlockRef> {
    let mut out = BTreeSet::new();
    for &id in ids {
        for (g, keys) in groups.iter().enumerate() {
            if !matches!(part(keys, id), Part::Bound { .. }) {
                continue;
            }
            for (k, key) in keys.iter().enumerate() {
                if let Some((t, b)) = key.missing_at(id).filter(|_| !key.known.contains_key(&id)) {
                    out.insert((g, k, t, b));
                }
            }
        }
    }
    out.into_iter().collect()
}

/// The newest (oldest) open block of each tier whose open blocks reach furthest that way.
fn next_by_date<'a>(
    key: &'a KeyState,
    open: &'a [(usize, Vec<usize>)],
    docs: u32,
    sort: Sort,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let edge = move |(t, blocks): &(usize, Vec<usize>)| -> (usize, u32) {
        if sort == Sort::Oldest {
            (blocks[0], u32::MAX - key.range(*t, blocks[0], docs).0)
        } else {
            let last = blocks[blocks.len() - 1];
            (last, key.range(*t, last, docs).1)
        }
    };
    let furthest = open.iter().map(|o| edge(o).1).max().unwrap_or(0);
    open.iter()
        .filter(move |o| edge(o).1 == furthest)
        .map(move |o| (o.0, edge(o).0))
}

/// Every open block of every key (`allBlocks`): phrases are checked over all candidates.
pub fn all_blocks(groups: &[&[KeyState]], pass: Option<&[bool]>, docs: usize) -> Vec<BlockRef> {
    let mut out = Vec::new();
    for (g, keys) in groups.iter().enumerate() {
        for (k, key) in keys.iter().enumerate() {
            for (t, blocks) in key.open_tiers(pass, docs as u32) {
                out.extend(blocks.into_iter().map(|b| (g, k, t, b)));
            }
        }
    }
    out
}

/// The number of results and whether it is an estimate (`countResults`). Exact when nothing
/// is open, or for one unfiltered word of one key (its df). Otherwise an estimate as if the
/// words, and the keys of one word, were independent, kept between the letters known to
/// match and the most letters a word (or the filter) allows.
pub fn count(
    groups: &[&[KeyState]],
    pass: Option<&[bool]>,
    docs: usize,
    round: &Round,
) -> (usize, bool) {
    if all_blocks(groups, pass, docs).is_empty() {
        return (round.ranked.len(), false);
    }
    if let ([[key]], None) = (groups, pass) {
        return (key.df(), false);
    }
    let allowed = pass.map_or(docs, |p| p.iter().filter(|&&b| b).count());
    let mut estimate = allowed as f64;
    let mut upper = allowed;
    for keys in groups {
        // A word's keys (stems, prefix completions) overlap: its share of the
        // letters is that of a union of independent keys, not their sum.
        let mut missed = 1.0;
        for key in keys.iter() {
            missed *= 1.0 - (key.df() as f64 / docs.max(1) as f64).min(1.0);
        }
        upper = upper.min(keys.iter().map(KeyState::df).sum());
        estimate *= 1.0 - missed;
    }
    let estimate = (estimate.floor() as usize).min(upper);
    (estimate.max(round.certain), true)
}
