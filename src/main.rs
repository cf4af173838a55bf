//! The `postkamer` command line: parses arguments, calls the library, reports.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

mod cmd;

use postkamer::diagnostic::Diagnostics;
use postkamer::progress::Progress;
use postkamer::serve::{ServeOptions, serve};
use postkamer::{BuildOptions, build, check_with_report};

/// Static site generator for public correspondence archives.
#[derive(Parser)]
#[command(name = "postkamer", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: public/).
    Build(BuildArgs),
    /// Validate every letter and template; write nothing.
    Check(CheckArgs),
    /// Build the site in memory, serve it, and rebuild and reload on every change.
    Serve(ServeArgs),
    /// Turn letters as PDF or text into Markdown letters with drafted front matter.
    Import(ImportArgs),
    /// Create a new site folder with site.toml and one example letter.
    New {
        /// The folder to create.
        dir: PathBuf,
    },
}

#[derive(Args)]
struct CommonArgs {
    /// The site folder, holding site.toml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// The date statuses are computed against (YYYY-MM-DD); default SOURCE_DATE_EPOCH, else today.
    #[arg(long, value_parser = parse_date)]
    today: Option<NaiveDate>,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output folder (default: output_dir from site.toml, relative to --root).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Public address of the site, may carry a sub-path: https://example.org/archief/
    #[arg(long)]
    base_url: Option<String>,
    /// Include letters marked draft: true.
    #[arg(long)]
    drafts: bool,
    /// Print the time each stage took.
    #[arg(long)]
    timings: bool,
    /// No progress bar and no summary line; problems are still reported.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Also print what each dossier is missing: letters skipped in its lettering,
    /// cited letters the archive lacks, and `in_reply_to` that names no letter.
    #[arg(long)]
    report: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The port to listen on; when it is taken, the next free one of the nine after it.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on. Anything but loopback shows the preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Open the site in the browser.
    #[arg(long)]
    open: bool,
    /// Include letters marked draft: true.
    #[arg(long)]
    drafts: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The letters: .pdf or .txt files, or folders holding them.
    #[arg(required = true, value_name = "FILE.pdf|FILE.txt|FOLDER")]
    pub inputs: Vec<PathBuf>,
    /// The site folder; letters are written to its content/<dossier>/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The dossier of every imported letter (else read from the citations in the text).
    #[arg(long, value_name = "N")]
    pub dossier: Option<String>,
    /// Print each draft and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace letters that were edited after an earlier import.
    #[arg(long)]
    pub force: bool,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date: write YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Build(BuildArgs {
        common: CommonArgs {
            root: ".".into(),
            strict: false,
            today: None,
        },
        output: None,
        base_url: None,
        drafts: false,
        timings: false,
        quiet: false,
    })) {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
        Command::Serve(args) => run_serve(args),
        Command::Import(args) => cmd::import::run(args),
        Command::New { dir } => match postkamer::scaffold::new_site(&dir) {
            Ok(()) => {
                print!("{}", postkamer::scaffold::next_steps(&dir));
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprintln!("{d}");
                ExitCode::FAILURE
            }
        },
    }
}

fn options(common: CommonArgs) -> BuildOptions {
    BuildOptions {
        root: common.root,
        today: common.today,
        strict: common.strict,
        ..BuildOptions::default()
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let timings = args.timings;
    let quiet = args.quiet;
    let options = BuildOptions {
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        progress: if quiet {
            Progress::hidden()
        } else {
            Progress::on_terminal()
        },
        ..options(args.common)
    };
    let result = build(&options);
    options.progress.finish();
    match result {
        Ok(report) => {
            eprint!("{}", report.diagnostics);
            if quiet {
                return ExitCode::SUCCESS;
            }
            println!(
                "Built {} letters into {} pages in {} ({:.2} s).",
                report.letters,
                report.pages,
                report.output.display(),
                report.elapsed.as_secs_f64()
            );
            if timings {
                for (stage, took) in &report.timings {
                    println!("  {stage}: {:.3} s", took.as_secs_f64());
                }
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(
            &diagnostics,
            "Build failed; the previous output is untouched.",
        ),
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    match check_with_report(&options(args.common)) {
        Ok((diagnostics, report)) => {
            eprint!("{diagnostics}");
            if args.report {
                print!("{report}");
            }
            println!(
                "Check passed with {} warning(s).",
                diagnostics.warning_count()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics, "Check failed."),
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let options = ServeOptions {
        build: BuildOptions {
            drafts: args.drafts,
            ..options(args.common)
        },
        bind: args.bind,
        port: args.port,
        open: args.open,
    };
    match serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn fail(diagnostics: &Diagnostics, what: &str) -> ExitCode {
    eprint!("{diagnostics}");
    eprintln!(
        "{what} {} error(s), {} warning(s).",
        diagnostics.error_count(),
        diagnostics.warning_count()
    );
    ExitCode::FAILURE
}
