//! The command line, as clap derive structs, and its mapping to the library.

use super::compress::Compression;
use clap::{Args, Parser, Subcommand, ValueEnum};
use despin::Normalization;
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
    /// Work on dictionaries: lint them, run their examples, learn entries
    /// from spun/original pairs, suggest entries from spun text.
    #[command(subcommand)]
    Dict(DictCommand),
}

#[derive(Debug, Subcommand)]
pub enum DictCommand {
    /// Check dictionary files: syntax, duplicates, conflicts, cycles,
    /// chains, redundant entries, ordinary English marked as a fingerprint,
    /// order.
    ///
    /// Prints `FILE:LINE:COL: error|warning: message` per finding. Exits 2
    /// on any error, 1 on warnings only, 0 when clean.
    Lint(DictLintArgs),
    /// Run every entry's examples (`> TEXT [=> EXPECTED]` must change,
    /// `= TEXT` must not) through a cleaner built from that file plus the
    /// built-in dictionaries.
    ///
    /// Prints `FILE:LINE: expected ... got ...` per failure. Exits 1 on any
    /// failure, 2 on error.
    Test(DictTestArgs),
    /// Learn entries from spun files and their originals (paired by file
    /// name): prints dictionary lines.
    Learn(DictLearnArgs),
    /// Suggest entries from spun text (text files, or the `text` field of
    /// `.jsonl` files): prints dictionary lines.
    Suggest(DictSuggestArgs),
}

#[derive(Debug, Args)]
pub struct DictLintArgs {
    /// Dictionary files (default: the shipped ones).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DictTestArgs {
    /// Dictionary files (default: the shipped ones).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Test each file alone, without the built-in dictionaries.
    #[arg(long)]
    pub no_default_dicts: bool,
}

#[derive(Debug, Args)]
pub struct DictLearnArgs {
    /// The spun files.
    #[arg(long, value_name = "DIR")]
    pub spun: PathBuf,

    /// Their originals, by the same file names.
    #[arg(long, value_name = "DIR")]
    pub original: PathBuf,
}

#[derive(Debug, Args)]
pub struct DictSuggestArgs {
    /// Text files, `.jsonl` files (their `text` field) or directories.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
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

    /// Compress the cleaned documents: standard output, and every file
    /// under `-o` (named with `.gz` or `.zst` in place of its input's
    /// compression extension, if any). `none` writes every file under `-o`
    /// uncompressed, its compression extension dropped. Without it,
    /// standard output is uncompressed and each file under `-o` keeps its
    /// input's compression and name. gzip output is compressed in parallel
    /// as a series of gzip members, which gzip reads as one stream.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "diff")]
    pub compress: Option<Compression>,

    /// Rewrite each input file with its cleaned text (directories
    /// recursively). Each file is written to a temporary file beside it,
    /// synced, and renamed over the original (which keeps its
    /// permissions), so an interrupted run never leaves a half-written
    /// file. Not with `-o`, `--diff`, `--compress` or standard input.
    #[arg(long, conflicts_with_all = ["output", "diff", "compress"])]
    pub in_place: bool,

    /// With `--in-place`: keep each original as NAME+SUFFIX (e.g.
    /// `--backup .orig`), replacing an older backup. Files found in a
    /// directory whose names end with SUFFIX are taken for backups and
    /// left alone, so a second run does not clean them; files named on
    /// the command line are always cleaned.
    #[arg(long, value_name = "SUFFIX", requires = "in_place")]
    pub backup: Option<String>,
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
    /// and everything else (standard input included) as text. Files ending
    /// in `.gz` or `.zst` are decompressed, and their format is that of the
    /// name without it (`dump.jsonl.gz` is JSON Lines); standard input is
    /// read as it comes.
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    pub format: Format,

    /// The string field of each JSON Lines record to clean; every other byte
    /// of the record is kept.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub field: String,

    /// Number of worker threads (default: one per core). One more thread
    /// reads ahead of them, and the main thread writes.
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

    /// No progress bar. (It is only drawn on a terminal, for runs longer
    /// than half a second.) Errors and warnings are still printed.
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// At the end, print one line to standard error: `despin: stats:
    /// documents N, spun N, edits N, verbatim N, bytes N, seconds S, MB/s R`.
    /// Documents are text documents and JSON Lines records (blank lines
    /// are not records); verbatim counts the records passed through
    /// because malformed or without the field; bytes are those of the
    /// documents done (after decompression; blank lines included); MB/s
    /// is their rate (10^6 bytes a second) from the first read to the
    /// last write. Printed also when standard output closes early.
    #[arg(long)]
    pub stats: bool,

    /// Largest document (text file, or JSON Lines record) to clean, in
    /// bytes; suffixes K, M, G (powers of 1024). A larger one is passed
    /// through unchanged, streamed, with a message (exit status 2). Memory
    /// stays below about this cap times a small factor per worker (cleaning
    /// works on a few copies of a document) plus the reader's 16 MiB budget
    /// of bytes in flight, whatever the input.
    #[arg(long, value_name = "N", default_value = "64M", value_parser = parse_size)]
    pub max_doc_bytes: u64,
}

/// The dictionary and decision options, shared by `clean`, `check` and
/// `eval`.
#[derive(Debug, Args)]
pub struct CleanerArgs {
    /// Minimum confidence (0..1) for applying a repair [default: 0.5, or
    /// `[decide] threshold` in despin.toml].
    #[arg(long, value_name = "F", value_parser = parse_threshold)]
    pub threshold: Option<f32>,

    /// Repair inside quotations too (by default they are only reported).
    #[arg(long)]
    pub edit_quotes: bool,

    /// Leave quotations alone even if despin.toml says `edit_quotes = true`.
    #[arg(long, conflicts_with = "edit_quotes")]
    pub no_edit_quotes: bool,

    /// Normalisations to apply first, comma-separated: nfc, nfkc, quotes,
    /// dashes, whitespace. NFC stays on unless `none` is listed
    /// (`none,quotes` folds quotes without NFC).
    #[arg(long, value_name = "LIST", default_value = "nfc", value_parser = parse_normalization)]
    pub normalize: Normalization,

    /// Add a dictionary file (`spun<TAB>original[<TAB>options]` per line).
    /// Repeatable; later files add alternatives.
    #[arg(long = "dict", value_name = "FILE")]
    pub dicts: Vec<PathBuf>,

    /// Do not load the built-in dictionaries (use only `--dict` files and
    /// despin.toml's `extra`).
    #[arg(long)]
    pub no_default_dicts: bool,

    /// Built-in packs to load, comma-separated (news, science). Default:
    /// news, plus science for documents that look scientific; a list turns
    /// that choice off and loads exactly these packs.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        conflicts_with = "no_default_dicts"
    )]
    pub packs: Option<Vec<String>>,

    /// Read this configuration file instead of looking for despin.toml in
    /// the current folder and its parents.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore despin.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// Decide without the language model: each repair's confidence is then
    /// its entry's prior (through the document's spin score).
    #[arg(long)]
    pub no_lm: bool,
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

/// `N`, `NK`, `NM`, `NG` (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, c)) if c.eq_ignore_ascii_case(&'k') => (&t[..i], 10),
        Some((i, c)) if c.eq_ignore_ascii_case(&'m') => (&t[..i], 20),
        Some((i, c)) if c.eq_ignore_ascii_case(&'g') => (&t[..i], 30),
        _ => (t, 0),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size (N, or N with K, M or G)"))?;
    match n.checked_shl(shift).filter(|v| v >> shift == n) {
        Some(v) if v > 0 => Ok(v),
        Some(_) => Err("must be at least 1".to_string()),
        None => Err(format!("`{s}` is too large")),
    }
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
