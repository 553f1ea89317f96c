//! The command line, as clap derive structs, and its mapping to the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use despin::decide::DEFAULT_THRESHOLD;
use despin::{Decider, Normalization, Options};
use std::path::PathBuf;

/// Find and repair machine-spun English.
#[derive(Debug, Parser)]
#[command(
    name = "despin",
    version,
    about = "Find and repair machine-spun English",
    long_about = "Find and repair machine-spun English: text an \"article spinner\" has run \
                  through a thesaurus (\"final 12 months\" for \"last year\").\n\n\
                  Exit status: 0 on success, 1 when `check` finds a spun document, 2 on error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Repair spun text and write the cleaned documents (or a diff).
    ///
    /// With no PATH, reads standard input and writes standard output. One
    /// file is written to standard output too; several files or a directory
    /// need `-o DIR`, under which each output keeps its relative path.
    Clean(CleanArgs),
    /// Score documents without changing them: one JSON line each.
    ///
    /// Prints `{"source", "spun", "score", "edits"}` per document (per
    /// record for JSON Lines). Exits 1 if any document is spun, 0 if none,
    /// 2 on error.
    Check(CheckArgs),
    /// Score despin against reference texts: clean spun files and compare
    /// them with their originals.
    ///
    /// Files are matched by name: every file of `--original DIR` (sorted)
    /// whose name is also in `--spun DIR`; a reference `NAME.reference.txt`
    /// stands for `NAME.txt`. Prints one line per file and a TOTAL in the
    /// format of the project's scorer (`score.py`), then precision, recall
    /// and damage at thresholds 0.1 to 0.9 (the current one marked `*`).
    /// With `--repaired DIR`, scores that directory's files instead of
    /// cleaning. Exits 2 on any error.
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Write the cleaned files under DIR, at their paths relative to the
    /// input directory (or the file's own relative path). Needed for
    /// several files or a directory.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Print a word diff of the changes instead of the cleaned text
    /// (`[-old-]{+new+}`, one header `--- PATH` per changed document).
    /// Nothing is written to `-o`.
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The spun files.
    #[arg(long, value_name = "DIR")]
    pub spun: PathBuf,

    /// The reference texts, by the same names (or `NAME.reference.txt` for
    /// `NAME.txt`). A reference may hold alternatives: `{insurgent|rebel}`.
    #[arg(long, value_name = "DIR")]
    pub original: PathBuf,

    /// Score these repairs (by the same names) instead of cleaning the spun
    /// files; the cleaning options are then unused.
    #[arg(long, value_name = "DIR")]
    pub repaired: Option<PathBuf>,

    /// Print one JSON object: `{"total", "files", "thresholds"}`.
    #[arg(long)]
    pub json: bool,

    /// Number of worker threads (default: one per core).
    #[arg(short = 'j', long = "threads", value_name = "N")]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub cleaner: CleanerArgs,
}

/// Options shared by `clean` and `check`.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Files or directories to read (directories recursively, hidden files
    /// skipped). None, or `-` alone, reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Input format. `auto` reads `.jsonl` and `.ndjson` files as JSON Lines
    /// and everything else (standard input included) as text.
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    pub format: Format,

    /// The string field of each JSON Lines record to clean; every other byte
    /// of the record is kept.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub field: String,

    /// Number of worker threads (default: one per core).
    #[arg(short = 'j', long = "threads", value_name = "N")]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub cleaner: CleanerArgs,

    /// Write every edit as a JSON line to FILE (`source` first, then the
    /// edit's fields and `applied`).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Also write candidates that were not applied to the report, with
    /// `"applied": false`.
    #[arg(long, requires = "report")]
    pub suggestions: bool,
}

impl CommonArgs {
    /// The cleaner options these arguments ask for.
    pub fn options(&self) -> Options {
        self.cleaner.options()
    }
}

/// The dictionary and decision options, shared by `clean`, `check` and
/// `eval`.
#[derive(Debug, Args)]
pub struct CleanerArgs {
    /// Minimum confidence (0..1) for applying a repair.
    #[arg(long, value_name = "F", default_value_t = DEFAULT_THRESHOLD, value_parser = parse_threshold)]
    pub threshold: f32,

    /// Repair inside quotations too (by default they are only reported).
    #[arg(long)]
    pub edit_quotes: bool,

    /// Normalisations to apply first, comma-separated: nfc, nfkc, quotes,
    /// dashes, whitespace. NFC stays on unless `none` is listed
    /// (`none,quotes` folds quotes without NFC).
    #[arg(long, value_name = "LIST", default_value = "nfc", value_parser = parse_normalization)]
    pub normalize: Normalization,

    /// Add a dictionary file (`spun<TAB>original[<TAB>options]` per line).
    /// Repeatable; later files add alternatives.
    #[arg(long = "dict", value_name = "FILE")]
    pub dicts: Vec<PathBuf>,

    /// Do not load the built-in dictionaries (use only `--dict` files).
    #[arg(long)]
    pub no_default_dicts: bool,

    /// Decide without the language model: each repair's confidence is then
    /// its entry's prior (through the document's spin score).
    #[arg(long)]
    pub no_lm: bool,
}

impl CleanerArgs {
    /// The cleaner options these arguments ask for.
    pub fn options(&self) -> Options {
        Options {
            normalization: self.normalize,
            decider: Decider {
                threshold: self.threshold,
                edit_quotes: self.edit_quotes,
                ..Decider::default()
            },
            use_lm: !self.no_lm,
            ..Options::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// By file extension.
    Auto,
    /// Each file (or standard input) is one document.
    Text,
    /// One JSON object per line; `--field` is cleaned.
    Jsonl,
}

fn parse_threshold(s: &str) -> Result<f32, String> {
    let t: f32 = s.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&t) {
        Ok(t)
    } else {
        Err("must be between 0 and 1".to_string())
    }
}

fn parse_normalization(s: &str) -> Result<Normalization, String> {
    let mut n = Normalization::default();
    for item in s.split(',').map(str::trim) {
        match item {
            "none" => n.nfc = false,
            "nfc" => {}
            "nfkc" => n.nfkc = true,
            "quotes" => n.fold_quotes = true,
            "dashes" => n.fold_dashes = true,
            "whitespace" => n.squeeze_whitespace = true,
            _ => {
                return Err(format!(
                    "unknown normalisation `{item}`: expected none, nfc, nfkc, quotes, dashes or whitespace"
                ))
            }
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn normalisation_lists() {
        assert_eq!(parse_normalization("nfc"), Ok(Normalization::default()));
        assert_eq!(parse_normalization("none"), Ok(Normalization::none()));
        let n = parse_normalization("none,quotes").unwrap();
        assert!(!n.nfc && n.fold_quotes);
        let n = parse_normalization("quotes, dashes,whitespace").unwrap();
        assert!(n.nfc && n.fold_quotes && n.fold_dashes && n.squeeze_whitespace);
        assert!(parse_normalization("nfd").is_err());
    }

    #[test]
    fn thresholds() {
        assert_eq!(parse_threshold("0.7"), Ok(0.7));
        assert!(parse_threshold("1.5").is_err());
        assert!(parse_threshold("NaN").is_err());
    }
}
