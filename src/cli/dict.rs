//! `despin dict`: lint, test, learn and suggest dictionary entries.

use super::args::{DictCommand, DictLearnArgs, DictLintArgs, DictSuggestArgs, DictTestArgs};
use anyhow::{Context, Result};
use despin::lint::{lint, Severity};
use despin::lm::LanguageModel;
use despin::thesaurus::Thesaurus;
use despin::{learn, packs, suggest, Cleaner, Dictionary, Options};
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs one `despin dict` command.
pub fn run(command: &DictCommand) -> Result<ExitCode> {
    match command {
        DictCommand::Lint(a) => run_lint(a),
        DictCommand::Test(a) => run_test(a),
        DictCommand::Learn(a) => run_learn(a),
        DictCommand::Suggest(a) => run_suggest(a),
    }
}

/// The shipped dictionaries as `(name, text)`.
fn shipped() -> Vec<(String, String)> {
    let mut out = vec![(
        "<builtin>/news.tsv".to_string(),
        despin::dict::NEWS.to_string(),
    )];
    out.push((
        "<builtin>/science.tsv".to_string(),
        packs::SCIENCE.to_string(),
    ));
    out
}

/// `(name, text)` of each file, or the shipped dictionaries.
fn read_files(files: &[PathBuf]) -> Result<Vec<(String, String)>> {
    if files.is_empty() {
        return Ok(shipped());
    }
    files
        .iter()
        .map(|p| {
            let name = p.display().to_string();
            let text = fs::read_to_string(p).with_context(|| name.clone())?;
            Ok((name, text))
        })
        .collect()
}

fn print(out: &str) -> Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(e).context("writing to standard output")
        }
        _ => Ok(()),
    }
}

fn run_lint(args: &DictLintArgs) -> Result<ExitCode> {
    let dicts = read_files(&args.files)?;
    let findings = lint(&dicts, LanguageModel::builtin());
    let mut out = String::new();
    for f in &findings {
        let _ = writeln!(out, "{f}");
    }
    print(&out)?;
    Ok(if findings.iter().any(|f| f.severity == Severity::Error) {
        ExitCode::from(2)
    } else if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs one file's examples; returns the failures.
fn test_file(name: &str, text: &str, builtin: bool) -> Result<Vec<String>> {
    let file = Dictionary::parse(name, text)?;
    let mut dict = if builtin {
        Dictionary::builtin()
    } else {
        Dictionary::default()
    };
    let offset = dict.sources.len();
    dict.extend(file);
    let cleaner = Cleaner::new(dict, Options::default());
    let dict = cleaner.dictionary();
    let mut failures = Vec::new();
    for entry in dict.entries.iter().filter(|e| e.source >= offset) {
        let location = dict.location(entry);
        for (input, expected) in &entry.tests {
            let cleaned = cleaner.clean(input);
            match expected {
                Some(expected) if cleaned.text != *expected => failures.push(format!(
                    "{location}: expected `{expected}` got `{}`",
                    cleaned.text
                )),
                Some(_) => {}
                None if !cleaned.edits.iter().any(|e| e.location == location) => {
                    failures.push(format!(
                        "{location}: expected `{}` repaired in `{input}` got `{}`",
                        entry.spun, cleaned.text
                    ))
                }
                None => {}
            }
        }
        for input in &entry.allows {
            let cleaned = cleaner.clean(input);
            if cleaned.text != *input {
                failures.push(format!(
                    "{location}: expected `{input}` unchanged got `{}`",
                    cleaned.text
                ));
            }
        }
    }
    Ok(failures)
}

fn run_test(args: &DictTestArgs) -> Result<ExitCode> {
    let mut out = String::new();
    let mut failed = false;
    for (name, text) in read_files(&args.files)? {
        for failure in test_file(&name, &text, !args.no_default_dicts)? {
            failed = true;
            let _ = writeln!(out, "{failure}");
        }
    }
    print(&out)?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Regular files of `dir` (not recursive, hidden files skipped), by name.
fn file_names(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| dir.display().to_string())? {
        let entry = entry.with_context(|| dir.display().to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && entry.path().is_file() {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| path.display().to_string())
}

fn run_learn(args: &DictLearnArgs) -> Result<ExitCode> {
    let spun_names = file_names(&args.spun)?;
    let mut pairs = Vec::new();
    for name in file_names(&args.original)? {
        if spun_names.binary_search(&name).is_ok() {
            pairs.push((
                read(&args.spun.join(&name))?,
                read(&args.original.join(&name))?,
            ));
        }
    }
    let out: String = learn::learn(&pairs).iter().map(|l| l.to_tsv()).collect();
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The documents of a file: the whole text, or each record's `text` field
/// for JSON Lines.
fn documents(path: &Path, out: &mut Vec<String>) -> Result<()> {
    let text = read(path)?;
    let jsonl = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "ndjson")
    );
    if !jsonl {
        out.push(text);
        return Ok(());
    }
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{}:{}", path.display(), i + 1))?;
        if let Some(t) = value.get("text").and_then(|t| t.as_str()) {
            out.push(t.to_string());
        }
    }
    Ok(())
}

fn run_suggest(args: &DictSuggestArgs) -> Result<ExitCode> {
    let mut docs = Vec::new();
    for path in &args.paths {
        if path.is_dir() {
            let walk = walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walk {
                let entry = entry.with_context(|| path.display().to_string())?;
                if entry.file_type().is_file() {
                    documents(entry.path(), &mut docs)?;
                }
            }
        } else {
            documents(path, &mut docs)?;
        }
    }
    let suggestions = suggest::suggest(&docs, LanguageModel::builtin(), Thesaurus::builtin());
    let out: String = suggestions.iter().map(|s| s.to_tsv()).collect();
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}
