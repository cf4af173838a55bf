//! The letters as the search index sees them.

use crate::archive::LetterIx;
use crate::search::{ReplyTiming, SearchDoc, SearchParty};

use super::Renderer;
use super::view::status_text;

/// The letters as the search index sees them, in archive order.
pub fn search_docs(
    r: &Renderer<'_>,
    mut text_of: impl FnMut(LetterIx) -> String,
) -> Vec<SearchDoc> {
    let a = r.archive;
    let party = |c: usize| SearchParty {
        slug: a.correspondents[c].slug.clone(),
        name: a.correspondents[c].name.clone(),
        url: a.correspondents[c].url.clone(),
    };
    a.letters
        .iter()
        .enumerate()
        .map(|(ix, l)| {
            let start = l.letter.date.start();
            SearchDoc {
                url: l.url.clone(),
                title: r.views().title(l),
                dossier: l.letter.dossier.clone(),
                letter: l.letter.id.clone(),
                date: l.letter.date.iso(),
                date_display: r.t.date(l.letter.date),
                sort_date: start
                    .format("%Y%m%d")
                    .to_string()
                    .parse()
                    .unwrap_or_default(),
                year: l.letter.date.year(),
                from: l.from.iter().map(|&c| party(c)).collect(),
                to: l.to.iter().map(|&c| party(c)).collect(),
                kind: l.letter.kind.name().to_string(),
                tags: l
                    .tags
                    .iter()
                    .map(|&t| SearchParty {
                        slug: a.tags[t].slug.clone(),
                        name: a.tags[t].name.clone(),
                        url: a.tags[t].url.clone(),
                    })
                    .collect(),
                status: l.status.map(|s| s.name().to_string()),
                reply: ReplyTiming {
                    text: l.status.map(|s| status_text(&r.t, s, &l.timing)),
                    days_to_reply: l.timing.days_to_reply,
                    days_late: l.timing.days_late,
                    days_left: l.timing.days_left,
                },
                text: text_of(ix),
                kenmerk: l.letter.shown.kenmerk.clone(),
            }
        })
        .collect()
}
