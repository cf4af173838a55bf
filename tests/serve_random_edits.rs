//! `serve`'s incremental engine under long random sequences of edits (issue 13):
//! after every edit, the files the preview serves equal, byte for byte, what a
//! fresh `build` of the same folder writes. The edits (`common/edits.rs`) touch
//! letters' fields, files and bodies, dossiers, `site.toml` and the theme; the
//! engine is told what changed as the watcher tells it, now and then with a
//! full rescan instead. A few edits break the site: the rebuild must fail as
//! `build` does and keep the last good files, until the edit is undone.
//!
//! `POSTKAMER_PROPTEST_CASES` (default 6) and `POSTKAMER_PROPTEST_EDITS`
//! (default 24, the longest sequence) set how many sequences run and how long
//! they are, for long runs by hand; `POSTKAMER_PROPTEST_SHRINK` (default 100)
//! bounds the shrinking of a failure, which replays a whole sequence each time.

mod common;

use common::Fixture;
use common::edits::{self, Edit, Pick, Touched};
use common::preview::{Preview, difference, try_built};
use postkamer::serve::Changes;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// An edit and how the engine hears of it.
#[derive(Debug, Clone)]
struct Step {
    edit: Edit,
    /// Instead of the content paths, the watcher lost track and asks for a full scan.
    rescan: bool,
    /// The watcher gathers this edit and the next into one batch, as it does
    /// with saves that come close together: no rebuild in between.
    batched: bool,
}

fn env_or(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: env_or("POSTKAMER_PROPTEST_CASES", 6),
        max_shrink_iters: env_or("POSTKAMER_PROPTEST_SHRINK", 100),
        ..ProptestConfig::default()
    }
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let len = env_or("POSTKAMER_PROPTEST_EDITS", 24) as usize;
    let step = (
        edits::edit(),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.25),
    )
        .prop_map(|(edit, rescan, batched)| Step {
            edit,
            rescan,
            batched,
        });
    prop::collection::vec(step, len * 2 / 3..=len)
}

/// What the watcher reports for `touched`; a rescan stands in for the content paths.
fn changes(touched: &Touched, rescan: bool) -> Changes {
    Changes {
        config: touched.config,
        theme: touched.theme,
        site_static: touched.site_static,
        content: if rescan {
            Vec::new()
        } else {
            touched.content.clone()
        },
        rescan,
    }
}

/// Makes every edit in turn on a copy of the small site, comparing the
/// preview with a fresh build after each rebuild. A broken site is rebuilt
/// (and must fail) before its edit is undone.
fn run(steps: &[Step]) -> Result<(), String> {
    let f = edits::small_site();
    let mut preview = Preview::start(f.options());
    let mut batch = Changes::default();
    for (i, step) in steps.iter().enumerate() {
        let at = |problem: String| format!("after edit {i}, {step:?}:\n{problem}");
        let mut touched = step.edit.apply(f.root());
        let undo = touched.undo.take();
        batch.merge(changes(&touched, step.rescan));
        if undo.is_none() && step.batched && i + 1 < steps.len() {
            continue;
        }
        if let Some(undo) = undo {
            stays_broken(&f, &mut preview, std::mem::take(&mut batch)).map_err(at)?;
            batch = changes(&undo.apply(), step.rescan);
        }
        same_as_build(&f, &mut preview, std::mem::take(&mut batch)).map_err(at)?;
    }
    Ok(())
}

/// Rebuilds the preview and builds the folder afresh, side by side (they only
/// read it): both must succeed and hold the same files.
fn same_as_build(f: &Fixture, preview: &mut Preview, changes: Changes) -> Result<(), String> {
    let (outcome, built) = std::thread::scope(|s| {
        let built = s.spawn(|| try_built(f));
        let outcome = preview.try_rebuild(changes);
        (outcome, built.join().expect("build panicked"))
    });
    match (outcome, built) {
        (Ok(_), Ok(built)) => difference(&preview.files(), &built).map_or(Ok(()), Err),
        (Err(d), Ok(_)) => Err(format!("the preview failed, build did not:\n{d}")),
        (Ok(_), Err(d)) => Err(format!("build failed, the preview did not:\n{d}")),
        (Err(d), Err(_)) => Err(format!("the edit broke the site:\n{d}")),
    }
}

/// After an edit that broke the site, the rebuild fails as `build` does and
/// the preview keeps serving the last good files.
fn stays_broken(f: &Fixture, preview: &mut Preview, changes: Changes) -> Result<(), String> {
    let good = preview.files();
    if preview.try_rebuild(changes).is_ok() {
        return Err("the preview rebuilt a broken site".into());
    }
    if try_built(f).is_ok() {
        return Err("build accepted the broken site".into());
    }
    if preview.files() != good {
        return Err("the failed rebuild changed what is served".into());
    }
    Ok(())
}

/// Every kind of edit at least once, in an order that makes each count: the
/// theme shows an unknown key before it is edited, a new dossier's letter is
/// renamed (its id comes from its name), and so on. Edits come two to a
/// rebuild, and every fifth is reported as a rescan.
fn tour() -> Vec<Step> {
    use edits::{
        BodyChange as B, Breakage, DateChange as D, Field as F, NewLetter, ReplyTo as R,
        TagChange as T, ThemeFile as Th,
    };
    let p = Pick;
    let edits = vec![
        Edit::Title {
            letter: p(0),
            title: p(4),
        },
        Edit::Theme {
            file: Th::Letter,
            variant: 2,
        },
        Edit::Field {
            letter: p(0),
            field: F::Extra,
            value: 1,
        },
        Edit::Field {
            letter: p(0),
            field: F::Extra,
            value: 2,
        },
        Edit::Field {
            letter: p(1),
            field: F::Kenmerk,
            value: 1,
        },
        Edit::Field {
            letter: p(2),
            field: F::Source,
            value: 1,
        },
        Edit::Field {
            letter: p(3),
            field: F::Window,
            value: 1,
        },
        Edit::Date {
            letter: p(0),
            change: D::Year(2024),
        },
        Edit::Date {
            letter: p(1),
            change: D::Shift(-20),
        },
        Edit::Date {
            letter: p(13),
            change: D::MonthOnly,
        },
        Edit::SwapDates { a: p(2), b: p(7) },
        Edit::Reply {
            letter: p(4),
            to: R::Letter(p(8)),
        },
        Edit::Reply {
            letter: p(4),
            to: R::Missing,
        },
        Edit::Reply {
            letter: p(3),
            to: R::Nothing,
        },
        Edit::Tag {
            letter: p(5),
            change: T::Add(p(2)),
        },
        Edit::Tag {
            letter: p(0),
            change: T::Remove(p(0)),
        },
        Edit::RenameTag {
            tag: p(0),
            to: p(4),
        },
        Edit::RenameFile { letter: p(2) },
        Edit::Add(NewLetter {
            beside: None,
            answers: Some(p(3)),
            date: p(0),
            named: false,
        }),
        Edit::RenameFile { letter: p(15) },
        Edit::Add(NewLetter {
            beside: Some(p(0)),
            answers: None,
            date: p(1),
            named: true,
        }),
        Edit::Delete { letter: p(6) },
        Edit::Body {
            letter: p(0),
            change: B::Plain(p(3)),
        },
        Edit::Body {
            letter: p(1),
            change: B::Cite(p(9)),
        },
        Edit::Body {
            letter: p(6),
            change: B::Mention(p(5)),
        },
        Edit::Body {
            letter: p(12),
            change: B::Deadline,
        },
        Edit::Body {
            letter: p(1),
            change: B::DropFirst,
        },
        Edit::Draft { letter: p(8) },
        Edit::Draft { letter: p(8) },
        Edit::Attachment { letter: p(9) },
        Edit::Attachment { letter: p(9) },
        Edit::DossierTitle {
            dossier: p(0),
            title: p(5),
        },
        Edit::DossierText {
            dossier: p(1),
            text: p(2),
        },
        Edit::DossierFile { dossier: p(1) },
        Edit::DossierFile { dossier: p(2) },
        Edit::DossierChamber { dossier: p(0) },
        Edit::SiteTitle(p(2)),
        Edit::BaseUrl,
        Edit::Static { variant: 1 },
        Edit::Theme {
            file: Th::Base,
            variant: 1,
        },
        Edit::Theme {
            file: Th::Partial,
            variant: 1,
        },
        Edit::Theme {
            file: Th::Translation,
            variant: 1,
        },
        Edit::Break(Breakage::Yaml(p(3))),
        Edit::Break(Breakage::Template),
        Edit::Language,
        Edit::Static { variant: 0 },
    ];
    edits
        .into_iter()
        .enumerate()
        .map(|(i, edit)| Step {
            edit,
            rescan: i % 5 == 4,
            batched: i % 2 == 1,
        })
        .collect()
}

#[test]
fn every_kind_of_edit_keeps_the_preview_equal_to_a_fresh_build() {
    run(&tour()).unwrap_or_else(|e| panic!("{e}"));
}

/// Found by the tour: the search index carries each letter's kenmerk, but
/// serve's search fingerprint did not hash it, so an edit of the kenmerk alone
/// left the old index served (`search/r/0.bin` differed from build).
#[test]
fn a_kenmerk_edit_alone_reaches_the_search_index() {
    let steps = [Step {
        edit: Edit::Field {
            letter: Pick(1),
            field: edits::Field::Kenmerk,
            value: 1,
        },
        rescan: false,
        batched: false,
    }];
    run(&steps).unwrap_or_else(|e| panic!("{e}"));
}

/// Found by the property test (shrunk from 16 edits): a letter deleted in
/// the same batch as a template is broken. The rebuild failed on the theme
/// before it read `content/`, so the deletion was lost: once the template was
/// fixed the deleted letter was still served, and its exchange was not split.
#[test]
fn content_edits_in_a_batch_with_a_broken_template_are_not_lost() {
    let steps = [
        Step {
            edit: Edit::Delete { letter: Pick(0) },
            rescan: false,
            batched: true,
        },
        Step {
            edit: Edit::Break(edits::Breakage::Template),
            rescan: false,
            batched: false,
        },
    ];
    run(&steps).unwrap_or_else(|e| panic!("{e}"));
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_preview_equals_a_fresh_build_after_every_edit(steps in steps()) {
        run(&steps).map_err(TestCaseError::fail)?;
    }
}
