//! Exchanges: a letter that answers nothing, and every letter that
//! (transitively) replies to it, also across dossiers.

use std::collections::HashMap;

use super::{Archive, Exchange, ExchangeIx, LetterIx, slugify};

/// A letter's place in the shape of its exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadPlace {
    pub letter: LetterIx,
    /// The letter it answers in this exchange; `None` for the first letter.
    pub parent: Option<LetterIx>,
    /// 0 for the first letter, 1 for a reply to it, and so on.
    pub depth: usize,
}

impl Exchange {
    /// The exchange as a tree, depth first: each letter under the letter it
    /// answers (its first `in_reply_to`, the one its exchange follows), replies
    /// in date order. Linear in the exchange's letters; no recursion, so a
    /// chain of thousands of replies is fine.
    pub fn thread(&self, archive: &Archive) -> Vec<ThreadPlace> {
        let position: HashMap<LetterIx, usize> = self
            .letters
            .iter()
            .enumerate()
            .map(|(i, &l)| (l, i))
            .collect();
        let parent_of = |l: LetterIx| {
            archive.letters[l]
                .replies_to
                .first()
                .filter(|_| l != self.root)
                .and_then(|p| position.get(p).copied())
        };
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); self.letters.len()];
        let mut roots = Vec::new();
        for (i, &l) in self.letters.iter().enumerate() {
            match parent_of(l) {
                Some(p) => children[p].push(i),
                None => roots.push(i),
            }
        }
        let mut out = Vec::with_capacity(self.letters.len());
        let mut stack: Vec<(usize, Option<usize>, usize)> =
            roots.iter().rev().map(|&i| (i, None, 0)).collect();
        while let Some((i, parent, depth)) = stack.pop() {
            out.push(ThreadPlace {
                letter: self.letters[i],
                parent: parent.map(|p| self.letters[p]),
                depth,
            });
            stack.extend(children[i].iter().rev().map(|&c| (c, Some(i), depth + 1)));
        }
        out
    }
}

const UNSET: usize = usize::MAX;

/// Assigns every letter to the exchange of its first answered letter, and
/// lists each exchange's letters in date order. Linear: each letter's chain
/// is walked once, and the walk stops at the first letter already assigned.
pub(super) fn build_exchanges(archive: &mut Archive) {
    let n = archive.letters.len();
    let mut root_of = vec![UNSET; n];
    let mut on_path = vec![false; n];
    for start in 0..n {
        let mut path = Vec::new();
        let mut ix = start;
        let root = loop {
            if root_of[ix] != UNSET {
                break root_of[ix];
            }
            if on_path[ix] {
                // A cycle of replies: its earliest letter starts the exchange.
                break ix;
            }
            on_path[ix] = true;
            path.push(ix);
            match archive.letters[ix].replies_to.first() {
                Some(&parent) => ix = parent,
                None => break ix,
            }
        };
        for p in path {
            root_of[p] = root;
            on_path[p] = false;
        }
    }
    assign(archive, &root_of);
}

fn assign(archive: &mut Archive, root_of: &[LetterIx]) {
    let mut exchange_of_root = vec![UNSET; root_of.len()];
    let mut order: Vec<LetterIx> = (0..root_of.len()).collect();
    order.sort_by_key(|&i| (archive.letters[i].letter.date.start(), i));
    for &ix in &order {
        let root = root_of[ix];
        if exchange_of_root[root] == UNSET {
            exchange_of_root[root] = archive.exchanges.len();
            let r = &archive.letters[root];
            let url = format!(
                "{}exchanges/{}/",
                archive.dossiers[r.dossier].url,
                slugify(&r.letter.id)
            );
            archive.exchanges.push(Exchange {
                root,
                letters: Vec::new(),
                url,
                status: None,
            });
        }
        let e: ExchangeIx = exchange_of_root[root];
        archive.exchanges[e].letters.push(ix);
        archive.letters[ix].exchange = e;
    }
    for (e, exchange) in archive.exchanges.iter().enumerate() {
        for &l in &exchange.letters {
            let dossier = &mut archive.dossiers[archive.letters[l].dossier];
            if dossier.exchanges.last() != Some(&e) {
                dossier.exchanges.push(e);
            }
        }
    }
    for d in &mut archive.dossiers {
        d.exchanges.sort_unstable();
        d.exchanges.dedup();
    }
}
