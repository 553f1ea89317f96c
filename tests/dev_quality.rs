//! Quality on the development set, scored with `despin::eval` (the port of
//! the project's scorer):
//!
//! * the spun dev articles, cleaned with the built-in dictionary and default
//!   options, against their originals: total precision >= 0.95, recall >= 0.50;
//! * the two seed articles: total precision >= 0.95, recall >= 0.60;
//! * every original article comes out of the cleaner byte for byte.
//!
//! The figures are printed (run with `--nocapture` to see them). Skipped with
//! a message when `../shared` is not beside the crate.

use despin::eval::{self, Counts, Summary};
use despin::{Cleaner, Dictionary, Options};
use std::fs;
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if shared.join("data/dev").is_dir() && shared.join("seeds").is_dir() {
        Some(shared)
    } else {
        eprintln!(
            "skipped: {} (with data/dev and seeds) not found beside the crate",
            shared.display()
        );
        None
    }
}

fn cleaner() -> Cleaner {
    Cleaner::new(Dictionary::builtin(), Options::default())
}

fn read(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    eval::universal_newlines(&text).into_owned()
}

/// `*.txt` file names in `dir`, sorted.
fn txt_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    names
}

fn show(name: &str, s: &Summary) -> String {
    format!("{name}: {}", s.score_line())
}

/// Fails unless the total reaches both bars; a total with nothing changed
/// (no precision) fails too.
fn assert_quality(what: &str, total: &Counts, min_precision: f64, min_recall: f64) {
    let s = eval::summary(total);
    eprintln!("{}", show(&format!("TOTAL {what}"), &s));
    assert!(
        total.wrong_before > 0,
        "{what}: the spun text has no errors?"
    );
    let precision = s.precision.unwrap_or(0.0);
    let recall = s.recall.unwrap_or(0.0);
    assert!(
        precision >= min_precision && recall >= min_recall,
        "{what}: precision {precision} (want >= {min_precision}), recall {recall} (want >= \
         {min_recall}): {}",
        show("total", &s)
    );
}

#[test]
fn dev_set_precision_and_recall() {
    let Some(shared) = shared() else { return };
    let dev = shared.join("data/dev");
    let cleaner = cleaner();
    let names = txt_files(&dev.join("original"));
    assert!(names.len() >= 10, "dev set has {} articles", names.len());
    let mut total = Counts::default();
    for name in &names {
        let spun = read(&dev.join("spun").join(name));
        let original = read(&dev.join("original").join(name));
        let repaired = cleaner.clean(&spun).text;
        let c = eval::score_text(&spun, &repaired, &original);
        eprintln!("{}", show(name, &eval::summary(&c)));
        total += c;
    }
    assert_quality("dev", &total, 0.95, 0.50);
}

#[test]
fn seeds_precision_and_recall() {
    let Some(shared) = shared() else { return };
    let seeds = shared.join("seeds");
    let cleaner = cleaner();
    let names: Vec<String> = txt_files(&seeds)
        .into_iter()
        .filter(|n| !n.ends_with(".reference.txt"))
        .collect();
    assert_eq!(names.len(), 2, "seeds: {names:?}");
    let mut total = Counts::default();
    for name in &names {
        let spun = read(&seeds.join(name));
        let reference = read(&seeds.join(name.replace(".txt", ".reference.txt")));
        let repaired = cleaner.clean(&spun).text;
        let c = eval::score_text(&spun, &repaired, &reference);
        eprintln!("{}", show(name, &eval::summary(&c)));
        total += c;
    }
    assert_quality("seeds", &total, 0.95, 0.60);
}

#[test]
fn dev_originals_come_out_unchanged() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("data/dev/original");
    let cleaner = cleaner();
    let names = txt_files(&dir);
    assert!(!names.is_empty());
    let mut changed = Vec::new();
    for name in &names {
        let bytes = fs::read(dir.join(name)).unwrap();
        let out = cleaner.clean_bytes(&bytes);
        if out.bytes != bytes {
            let edits: Vec<String> = out
                .edits
                .iter()
                .map(|e| format!("{}:{}: {:?} -> {:?}", e.line, e.column, e.from, e.to))
                .collect();
            changed.push(format!("{name}: {}", edits.join("; ")));
        }
    }
    eprintln!(
        "dev originals: {} of {} changed by cleaning",
        changed.len(),
        names.len()
    );
    assert!(
        changed.is_empty(),
        "clean articles were changed:\n{}",
        changed.join("\n")
    );
}
