//! Exchanges: a letter that answers nothing, and every letter that
//! (transitively) replies to it, also across dossiers.

use super::{Archive, Exchange, ExchangeIx, LetterIx, slugify};

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
