//! `despin eval`: clean spun files and score them against their originals
//! with [`despin::eval`] (the port of the project's scorer, `score.py`), so
//! that whoever changes a dictionary or a threshold sees what it did.
//!
//! The text output repeats `score.py`'s own (one line per file, then a
//! TOTAL line, numbers printed as Python prints them), so that the two can be
//! compared line for line; then a table of precision, recall and damage over
//! thresholds. `--json` prints the same as one JSON object.

use super::args::EvalArgs;
use super::config::Setup;
use anyhow::{bail, Context, Result};
use despin::decide::DEFAULT_THRESHOLD;
use despin::eval::{self, py_opt, Counts, Summary};
use rayon::prelude::*;
use serde::{Serialize, Serializer};
use std::collections::HashSet;
use std::fmt::{self, Write as _};
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// The thresholds of the table, in tenths (the current one is added).
const TABLE_TENTHS: std::ops::RangeInclusive<u8> = 1..=9;

/// What `score.py --dirs` strips from a reference's name to find its spun
/// and repaired files (`NAME.reference.txt` → `NAME.txt`).
const REFERENCE_MARK: &str = ".reference";

/// One scored document.
struct Doc {
    /// The spun file's name (and the repaired file's).
    name: String,
    /// The spun text as read: what `despin clean` would be given.
    spun: String,
    /// The reference, universal newlines applied.
    reference: String,
    /// With `--repaired`: that file's text, universal newlines applied.
    repaired: Option<String>,
}

/// The scores at one threshold.
struct Run {
    /// Per document, in order.
    counts: Vec<Counts>,
    /// Edits despin made (repairs and a/an agreements), over all documents.
    edits: usize,
}

/// One row of the threshold table.
#[derive(Serialize)]
struct Row {
    threshold: f32,
    precision: Option<f64>,
    recall: Option<f64>,
    damage_per_10k: Option<f64>,
    edits: usize,
}

/// Per-file summaries as a JSON object, in file order.
struct Files<'a>(&'a [(String, Summary)]);

impl Serialize for Files<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(name, summary)| (name, summary)))
    }
}

#[derive(Serialize)]
struct Report<'a> {
    total: Summary,
    files: Files<'a>,
    /// Absent with `--repaired` (nothing is cleaned, so no thresholds).
    #[serde(skip_serializing_if = "Option::is_none")]
    thresholds: Option<Vec<Row>>,
}

/// Errors are reported as they come and the run goes on; any makes exit 2.
#[derive(Default)]
struct Errors(bool);

impl Errors {
    fn report(&mut self, name: impl fmt::Display, e: impl fmt::Display) {
        let _ = writeln!(io::stderr(), "despin: {name}: {e}");
        self.0 = true;
    }
}

/// Runs `despin eval`. `dictionary` is called only when cleaning.
pub fn run(args: &EvalArgs, dictionary: impl FnOnce() -> Result<Setup>) -> Result<ExitCode> {
    let dict = match &args.repaired {
        Some(_) => None,
        None => Some(dictionary()?),
    };
    for dir in [Some(&args.spun), args.repaired.as_ref()]
        .into_iter()
        .flatten()
    {
        fs::read_dir(dir).with_context(|| dir.display().to_string())?;
    }
    let mut errors = Errors::default();
    let docs = read_docs(args, &mut errors)?;
    if docs.is_empty() && !errors.0 {
        bail!(
            "no file of {} has a namesake in {}",
            args.original.display(),
            args.spun.display()
        );
    }

    let current = dict
        .as_ref()
        .map_or(DEFAULT_THRESHOLD, |s| s.options.decider.threshold);
    let (main, table) = match &dict {
        None => {
            let counts = docs
                .par_iter()
                .map(|d| {
                    let repaired = d.repaired.as_deref().unwrap_or_default();
                    eval::score_text(&eval::universal_newlines(&d.spun), repaired, &d.reference)
                })
                .collect();
            (Run { counts, edits: 0 }, None)
        }
        Some(dict) => {
            let mut thresholds: Vec<f32> = TABLE_TENTHS.map(|t| f32::from(t) / 10.0).collect();
            if !thresholds.contains(&current) {
                thresholds.push(current);
                thresholds.sort_by(f32::total_cmp);
            }
            let mut runs: Vec<(f32, Run)> = thresholds
                .par_iter()
                .map(|&t| (t, clean_and_score(dict, t, &docs)))
                .collect();
            let table: Vec<Row> = runs
                .iter()
                .map(|(t, run)| {
                    let s = eval::summary(&run.counts.iter().copied().sum());
                    Row {
                        threshold: *t,
                        precision: s.precision,
                        recall: s.recall,
                        damage_per_10k: s.damage_per_10k,
                        edits: run.edits,
                    }
                })
                .collect();
            let at = runs.iter().position(|(t, _)| *t == current);
            let main = runs.swap_remove(at.expect("the current threshold is in the table"));
            (main.1, Some(table))
        }
    };

    let files: Vec<(String, Summary)> = docs
        .iter()
        .zip(&main.counts)
        .map(|(d, c)| (d.name.clone(), eval::summary(c)))
        .collect();
    let total = eval::summary(&main.counts.iter().copied().sum());
    let out = if args.json {
        let report = Report {
            total,
            files: Files(&files),
            thresholds: table,
        };
        let mut s = serde_json::to_string(&report).context("rendering JSON")?;
        s.push('\n');
        s
    } else {
        render_text(&files, &total, table.as_deref(), current)
    };
    match io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            return Err(e).context("writing to standard output")
        }
        _ => {}
    }
    Ok(if errors.0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Cleans every document at threshold `t` and scores it (in parallel; the
/// counts in document order).
fn clean_and_score(setup: &Setup, t: f32, docs: &[Doc]) -> Run {
    let mut options = setup.options;
    options.decider.threshold = t;
    let cleaner = setup.cleaner(options);
    let scored: Vec<(Counts, usize)> = docs
        .par_iter()
        .map(|d| {
            let cleaned = cleaner.clean(&d.spun);
            let counts = eval::score_text(
                &eval::universal_newlines(&d.spun),
                &eval::universal_newlines(&cleaned.text),
                &d.reference,
            );
            (counts, cleaned.edits.len())
        })
        .collect();
    Run {
        edits: scored.iter().map(|s| s.1).sum(),
        counts: scored.into_iter().map(|s| s.0).collect(),
    }
}

/// The documents, as `score.py --dirs` pairs them: each file of the
/// original directory, in name order, whose name less `.reference` is a
/// file of the spun directory. One difference: a plain `NAME.txt` beside a
/// `NAME.reference.txt` is the spun text of the seeds layout, not a second
/// reference, and is skipped. Subdirectories are skipped. Unreadable files
/// are reported and skipped; with `--repaired`, a missing or unreadable
/// repair is reported and scored as empty (as `score.py` scores a missing
/// one).
fn read_docs(args: &EvalArgs, errors: &mut Errors) -> Result<Vec<Doc>> {
    let original = &args.original;
    let mut names = Vec::new();
    for entry in fs::read_dir(original).with_context(|| original.display().to_string())? {
        let entry = entry.with_context(|| original.display().to_string())?;
        match entry.file_name().into_string() {
            Ok(name) => names.push(name),
            Err(name) => errors.report(
                original.join(name).display(),
                "the file name is not valid UTF-8",
            ),
        }
    }
    names.sort();
    let shadowed: HashSet<String> = names
        .iter()
        .filter(|n| n.contains(REFERENCE_MARK))
        .map(|n| n.replace(REFERENCE_MARK, ""))
        .collect();
    let mut docs = Vec::new();
    for name in &names {
        let base = name.replace(REFERENCE_MARK, "");
        let ref_path = original.join(name);
        let spun_path = args.spun.join(&base);
        if (base == *name && shadowed.contains(name)) || ref_path.is_dir() || !spun_path.exists() {
            continue;
        }
        let (spun, reference) = match (read(&spun_path), read(&ref_path)) {
            (Ok(s), Ok(r)) => (s, eval::universal_newlines(&r).into_owned()),
            (s, r) => {
                for (path, e) in [(&spun_path, s.err()), (&ref_path, r.err())] {
                    if let Some(e) = e {
                        errors.report(path.display(), e);
                    }
                }
                continue;
            }
        };
        let repaired = args.repaired.as_ref().map(|dir| {
            let path = dir.join(&base);
            match read(&path) {
                Ok(text) => eval::universal_newlines(&text).into_owned(),
                Err(e) => {
                    errors.report(path.display(), format_args!("{e} (scored as empty)"));
                    String::new()
                }
            }
        });
        docs.push(Doc {
            name: base,
            spun,
            reference,
            repaired,
        });
    }
    Ok(docs)
}

fn read(path: &Path) -> io::Result<String> {
    fs::read_to_string(path)
}

/// `score.py`'s text output, then the threshold table (when there is one).
fn render_text(
    files: &[(String, Summary)],
    total: &Summary,
    table: Option<&[Row]>,
    current: f32,
) -> String {
    let mut out = String::new();
    for (name, s) in files {
        let c = &s.counts;
        let _ = writeln!(
            out,
            "{name}: fixed {}/{} broken {} wrong_change {} precision {} recall {}",
            c.fixed,
            c.wrong_before,
            c.broken,
            c.wrong_change,
            py_opt(s.precision),
            py_opt(s.recall)
        );
    }
    let _ = writeln!(out, "TOTAL {}", total.score_line());
    if let Some(rows) = table {
        out.push_str("\nthreshold  precision  recall  damage_per_10k  edits\n");
        for row in rows {
            let mark = if row.threshold == current { " *" } else { "" };
            let _ = writeln!(
                out,
                "{:<9}  {:>9}  {:>6}  {:>14}  {:>5}",
                format!("{}{mark}", row.threshold),
                py_opt(row.precision),
                py_opt(row.recall),
                py_opt(row.damage_per_10k),
                row.edits
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(fixed: usize, wrong_before: usize, broken: usize, words: usize) -> Summary {
        eval::summary(&Counts {
            fixed,
            wrong_before,
            broken,
            missed: wrong_before - fixed,
            words,
            slots: words,
            edits_before: wrong_before,
            edits_after: wrong_before - fixed + broken,
            ..Counts::default()
        })
    }

    #[test]
    fn text_rows_and_table() {
        let files = vec![
            ("a.txt".to_string(), summary(2, 3, 1, 10)),
            ("b.txt".to_string(), summary(0, 0, 0, 4)),
        ];
        let total = summary(2, 3, 1, 14);
        let row = |threshold, edits| Row {
            threshold,
            precision: Some(0.6667),
            recall: None,
            damage_per_10k: Some(714.29),
            edits,
        };
        let table = [row(0.5, 3), row(0.55, 12345)];
        assert_eq!(
            render_text(&files, &total, Some(&table), 0.55),
            "a.txt: fixed 2/3 broken 1 wrong_change 0 precision 0.6667 recall 0.6667\n\
             b.txt: fixed 0/0 broken 0 wrong_change 0 precision None recall None\n\
             TOTAL words 14 wrong_before 3 fixed 2 broken 1 wrong_change 0 missed 1 \
             precision 0.6667 recall 0.6667 error_reduction 0.3333 damage_per_10k 714.29\n\
             \n\
             threshold  precision  recall  damage_per_10k  edits\n\
             0.5           0.6667    None          714.29      3\n\
             0.55 *        0.6667    None          714.29  12345\n"
        );
        assert!(!render_text(&files, &total, None, 0.5).contains("threshold"));
    }
}
