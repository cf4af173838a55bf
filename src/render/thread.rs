//! The shape of an exchange as the dossier and exchange pages show it:
//! nested lists, each letter under the letter it answers.
//!
//! Nesting stops at [`MAX_DEPTH`] levels, so a long chain of replies does not
//! squeeze a phone's screen to a sliver: deeper letters stand in the last
//! level, each saying which letter it answers.

use serde::Serialize;

use crate::archive::{DossierIx, LetterIx, ThreadPlace};

use super::Renderer;
use super::context::Contexts;
use super::handle::{Flat, Handle};
use super::view::LetterSummary;

/// Levels of nesting a page shows.
pub const MAX_DEPTH: usize = 4;

/// One letter in a thread, with the replies nested under it.
pub type ThreadNode<'a> = Flat<Handle<'a, LetterSummary<'a>>, NodeFields<'a>>;

/// What a thread shows of a letter besides its summary.
#[derive(Serialize)]
pub struct NodeFields<'a> {
    /// The id of the letter's section on its exchange page.
    pub anchor: String,
    /// The letter belongs to another dossier than the page's: the page marks it.
    pub elsewhere: bool,
    /// The letter it answers, when nesting no longer shows it.
    pub answers: Option<AnsweredLetter>,
    pub replies: Vec<ThreadNode<'a>>,
}

/// The letter a deeply nested reply answers: `37288, A` and where it stands.
#[derive(Serialize)]
pub struct AnsweredLetter {
    pub reference: String,
    pub anchor: String,
    pub url: String,
}

/// The id of a letter's section on an exchange page.
pub fn anchor_of(r: &Renderer<'_>, l: LetterIx) -> String {
    let letter = &r.archive.letters[l].letter;
    format!(
        "brief-{}-{}",
        crate::archive::slugify(&letter.dossier),
        crate::archive::slugify(&letter.id)
    )
}

impl AnsweredLetter {
    pub fn new(r: &Renderer<'_>, l: LetterIx) -> Self {
        let answered = &r.archive.letters[l];
        AnsweredLetter {
            reference: format!("{}, {}", answered.letter.dossier, answered.letter.id),
            anchor: anchor_of(r, l),
            url: r.views().url(&answered.url),
        }
    }
}

/// An exchange's thread ([`Exchange::thread`](crate::archive::Exchange::thread))
/// as nested nodes; letters outside `home` are marked.
pub fn thread_tree<'a>(
    c: &'a Contexts<'_>,
    places: &[ThreadPlace],
    home: DossierIx,
) -> Vec<ThreadNode<'a>> {
    let r = c.r;
    let a = r.archive;
    let nodes = places.iter().map(|p| {
        let node = NodeFields {
            anchor: anchor_of(r, p.letter),
            elsewhere: a.letters[p.letter].dossier != home,
            answers: p
                .parent
                .filter(|_| p.depth >= MAX_DEPTH)
                .map(|q| AnsweredLetter::new(r, q)),
            replies: Vec::new(),
        };
        (p.depth, Flat(c.summary(p.letter), node))
    });
    nest(nodes)
}

/// Turns nodes in depth-first order with their depths into nested lists,
/// at most [`MAX_DEPTH`] deep.
fn nest<T: Nested>(nodes: impl IntoIterator<Item = (usize, T)>) -> Vec<T> {
    // One open list per level; the last node of a level owns the list above it.
    let mut open: Vec<Vec<T>> = vec![Vec::new()];
    for (depth, node) in nodes {
        let level = depth.min(MAX_DEPTH - 1).min(open.len());
        while open.len() > level + 1 {
            close_level(&mut open);
        }
        if open.len() == level {
            open.push(Vec::new());
        }
        if let Some(list) = open.last_mut() {
            list.push(node);
        }
    }
    while open.len() > 1 {
        close_level(&mut open);
    }
    open.pop().unwrap_or_default()
}

fn close_level<T: Nested>(open: &mut Vec<Vec<T>>) {
    if let Some(list) = open.pop()
        && let Some(parent) = open.last_mut().and_then(|l| l.last_mut())
    {
        parent.set_replies(list);
    }
}

trait Nested {
    fn set_replies(&mut self, replies: Vec<Self>)
    where
        Self: Sized;
}

impl Nested for ThreadNode<'_> {
    fn set_replies(&mut self, replies: Vec<Self>) {
        self.1.replies = replies;
    }
}

/// How many letters of a dossier's exchanges come from elsewhere, per dossier
/// in archive order: "5 uit 37104".
pub fn letters_from_elsewhere(r: &Renderer<'_>, d: DossierIx) -> Vec<(DossierIx, usize)> {
    let a = r.archive;
    let mut counts: Vec<(DossierIx, usize)> = Vec::new();
    for &e in &a.dossiers[d].exchanges {
        for &l in &a.exchanges[e].letters {
            let other = a.letters[l].dossier;
            if other == d {
                continue;
            }
            match counts.iter_mut().find(|(x, _)| *x == other) {
                Some((_, n)) => *n += 1,
                None => counts.push((other, 1)),
            }
        }
    }
    counts.sort_unstable();
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct N(&'static str, Vec<N>);

    impl Nested for N {
        fn set_replies(&mut self, replies: Vec<Self>) {
            self.1 = replies;
        }
    }

    fn leaf(name: &'static str) -> N {
        N(name, Vec::new())
    }

    #[test]
    fn nesting_follows_depth_and_stops_at_the_last_level() {
        let nodes = [
            (0, "a"),
            (1, "b"),
            (2, "c"),
            (3, "d"),
            (4, "e"),
            (5, "f"),
            (1, "g"),
            (0, "h"),
        ];
        let tree = nest(nodes.map(|(d, n)| (d, leaf(n))));
        assert_eq!(
            tree,
            [
                N(
                    "a",
                    vec![
                        N("b", vec![N("c", vec![leaf("d"), leaf("e"), leaf("f")])]),
                        leaf("g"),
                    ]
                ),
                leaf("h"),
            ]
        );
    }
}
