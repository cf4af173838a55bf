//! `postkamer import`: runs the importer over the inputs and reports each file.

use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use postkamer::import::draft::Draft;
use postkamer::import::{ImportOptions, Importer, Outcome, input_files};

use crate::ImportArgs;

/// Tallies of one run, for the closing line and the exit code.
#[derive(Default)]
struct Tally {
    written: usize,
    drafts: usize,
    unchanged: usize,
    refused: usize,
    failed: usize,
}

pub fn run(args: ImportArgs) -> ExitCode {
    let (files, missing) = input_files(&args.inputs);
    let mut tally = Tally::default();
    for path in &missing {
        eprintln!("error: {}: no such file or folder", path.display());
        tally.failed += 1;
    }
    let (mut importer, problems) = Importer::new(ImportOptions {
        root: args.root,
        dossier: args.dossier,
        dry_run: args.dry_run,
        force: args.force,
    });
    if problems.has_errors() {
        eprintln!(
            "note: {} letter(s) of the archive have errors; replies to them cannot be recognised (run `postkamer check`)",
            problems.error_count()
        );
    }
    // Hidden by indicatif when stderr is not a terminal.
    let bar = if files.len() > 1 {
        ProgressBar::new(files.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    for input in &files {
        bar.set_message(input.display().to_string());
        let outcome = importer.import(input);
        bar.suspend(|| report(input, &outcome, &mut tally));
        bar.inc(1);
    }
    bar.finish_and_clear();
    summary(&tally, args.dry_run);
    if tally.failed + tally.refused > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn report(input: &std::path::Path, outcome: &Outcome, tally: &mut Tally) {
    match outcome {
        Outcome::Written {
            file,
            draft,
            replaced,
        } => {
            tally.written += 1;
            tally.drafts += usize::from(draft.incomplete());
            let verb = if *replaced { "replaced" } else { "wrote" };
            println!("{} → {verb} {}", input.display(), file.path.display());
            details(draft);
        }
        Outcome::Planned { file, draft } => {
            tally.written += 1;
            tally.drafts += usize::from(draft.incomplete());
            println!("{} → would write {}", input.display(), file.path.display());
            details(draft);
            println!("{}", file.text);
        }
        Outcome::Unchanged { file } => {
            tally.unchanged += 1;
            println!("{} → {} is unchanged", input.display(), file.path.display());
        }
        Outcome::Refused { why, .. } => {
            tally.refused += 1;
            eprintln!("refused: {}: {why}", input.display());
        }
        Outcome::Failed(e) => {
            tally.failed += 1;
            eprintln!("error: {e}");
        }
    }
}

/// What was found where, and what was not found.
fn details(draft: &Draft) {
    for found in &draft.found {
        println!("  found: {found}");
    }
    for gap in &draft.gaps {
        println!("  not found: {}: {}", gap.key, gap.why);
    }
    if draft.incomplete() {
        println!("  written as draft: true until the missing fields are filled in");
    }
}

fn summary(t: &Tally, dry_run: bool) {
    let verb = if dry_run { "Would import" } else { "Imported" };
    println!(
        "{verb} {} letter(s) ({} draft(s) with missing fields), {} unchanged, {} refused, {} failed.",
        t.written, t.drafts, t.unchanged, t.refused, t.failed
    );
}
