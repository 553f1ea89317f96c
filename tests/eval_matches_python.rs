//! `despin::eval` must give exactly the numbers of the project's scorer,
//! `../shared/eval/score.py`: every count and every rounded rate, per file
//! and in total. Each test writes its cases to a temporary directory, runs
//! the Python scorer on them with `--json`, scores the same files in Rust
//! and compares.
//!
//! Skipped (with a message on stderr) when `../shared` or `python3` is not
//! there.

mod common;

use common::Rng;
use despin::eval::{self, Counts, Summary};
use despin::{Cleaner, Dictionary, Options};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `../shared`, if it and `python3` are available.
fn shared() -> Option<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if !shared.join("eval/score.py").is_file() {
        eprintln!(
            "skipped: {} not found (the project's shared folder is not beside the crate)",
            shared.join("eval/score.py").display()
        );
        return None;
    }
    match Command::new("python3").arg("--version").output() {
        Ok(o) if o.status.success() => Some(shared),
        _ => {
            eprintln!("skipped: python3 is not available to run the reference scorer");
            None
        }
    }
}

/// Reads a file as `score.py` does (UTF-8, universal newlines).
fn read(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    eval::universal_newlines(&text).into_owned()
}

/// A summary as printed by `score.py --json`, numbers parsed from their
/// text so that a float compares exactly.
fn parse_summary(fields: &BTreeMap<String, Box<RawValue>>) -> Summary {
    let int = |k: &str| -> usize {
        let raw = fields
            .get(k)
            .unwrap_or_else(|| panic!("no `{k}` in {fields:?}"));
        raw.get()
            .parse()
            .unwrap_or_else(|e| panic!("`{k}` = {raw}: {e}"))
    };
    let rate = |k: &str| -> Option<f64> {
        let raw = fields
            .get(k)
            .unwrap_or_else(|| panic!("no `{k}` in {fields:?}"));
        match raw.get() {
            "null" => None,
            s => Some(s.parse().unwrap_or_else(|e| panic!("`{k}` = {s}: {e}"))),
        }
    };
    assert_eq!(fields.len(), 13, "unexpected fields: {fields:?}");
    Summary {
        counts: Counts {
            slots: int("slots"),
            wrong_before: int("wrong_before"),
            fixed: int("fixed"),
            broken: int("broken"),
            wrong_change: int("wrong_change"),
            missed: int("missed"),
            edits_before: int("edits_before"),
            edits_after: int("edits_after"),
            words: int("words"),
        },
        precision: rate("precision"),
        recall: rate("recall"),
        error_reduction: rate("error_reduction"),
        damage_per_10k: rate("damage_per_10k"),
    }
}

#[derive(serde::Deserialize)]
struct PyOutput {
    total: BTreeMap<String, Box<RawValue>>,
    files: BTreeMap<String, BTreeMap<String, Box<RawValue>>>,
}

/// Runs `score.py ARGS --json`; returns the total and the per-file summaries.
fn python(shared: &Path, args: &[&Path]) -> (Summary, BTreeMap<String, Summary>) {
    let out = Command::new("python3")
        .arg(shared.join("eval/score.py"))
        .args(args)
        .arg("--json")
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "score.py {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: PyOutput = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "score.py printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let files = parsed
        .files
        .iter()
        .map(|(k, v)| (k.clone(), parse_summary(v)))
        .collect();
    (parse_summary(&parsed.total), files)
}

/// Scores the directories in Rust as `score.py --dirs` does and compares
/// every file and the total with Python. Returns the number of files.
fn compare_dirs(shared: &Path, spun: &Path, repaired: &Path, reference: &Path) -> usize {
    let (py_total, py_files) = python(shared, &[Path::new("--dirs"), spun, repaired, reference]);
    let mut names: Vec<String> = fs::read_dir(reference)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut total = Counts::default();
    let mut compared = 0;
    for name in names {
        let base = name.replace(".reference", "");
        let s_path = spun.join(&base);
        if !s_path.exists() {
            continue;
        }
        let r_path = repaired.join(&base);
        let r_text = if r_path.exists() {
            read(&r_path)
        } else {
            String::new()
        };
        let c = eval::score_text(&read(&s_path), &r_text, &read(&reference.join(&name)));
        let py = py_files
            .get(&base)
            .unwrap_or_else(|| panic!("score.py did not score {base}"));
        assert_eq!(
            &eval::summary(&c),
            py,
            "{base}: Rust (left) and score.py (right) disagree\n spun {}\n repaired {}\n reference {}",
            s_path.display(),
            r_path.display(),
            reference.join(&name).display()
        );
        total += c;
        compared += 1;
    }
    assert_eq!(compared, py_files.len(), "both sides score the same files");
    assert_eq!(eval::summary(&total), py_total, "totals disagree");
    compared
}

/// Writes cases as `spun/`, `repaired/`, `reference/` files named
/// `NAME.txt` and compares Rust with Python on them.
fn compare_cases(shared: &Path, cases: &[(String, String, String, String)]) {
    let dir = tempfile::tempdir().unwrap();
    let sub = |s: &str| {
        let p = dir.path().join(s);
        fs::create_dir_all(&p).unwrap();
        p
    };
    let (sd, rd, fd) = (sub("spun"), sub("repaired"), sub("reference"));
    for (name, spun, repaired, reference) in cases {
        let file = format!("{name}.txt");
        fs::write(sd.join(&file), spun).unwrap();
        fs::write(rd.join(&file), repaired).unwrap();
        fs::write(fd.join(&file), reference).unwrap();
    }
    assert_eq!(compare_dirs(shared, &sd, &rd, &fd), cases.len());
}

/// Replaces each `{a|b|..}` group with the alternative `pick` chooses.
fn resolve(reference: &str, pick: fn(&[&str]) -> String) -> String {
    let mut out = String::new();
    let mut rest = reference;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("groups are closed");
        out.push_str(&rest[..open]);
        let alts: Vec<&str> = rest[open + 1..close].split('|').collect();
        out.push_str(&pick(&alts));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Applies each replacement once; every `from` must be present.
fn edit(text: &str, replacements: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (from, to) in replacements {
        assert!(out.contains(from), "`{from}` not in the text");
        out = out.replacen(from, to, 1);
    }
    out
}

/// Deterministic damage to the words of a text, paragraph breaks kept:
/// substitutions, deletions, insertions, case changes, split and joined
/// words.
fn damage(text: &str) -> String {
    let mut out = String::new();
    for (i, piece) in text.split(' ').enumerate() {
        if i > 0 && i % 31 != 24 {
            out.push(' ');
        }
        if piece.contains('\n') || piece.is_empty() {
            out.push_str(piece);
            continue;
        }
        match i % 31 {
            3 => out.push_str("the"),
            8 => {}
            13 => {
                out.push_str(piece);
                out.push_str(" very");
            }
            19 => out.push_str(&piece.to_uppercase()),
            27 => {
                let mid = piece
                    .char_indices()
                    .nth(piece.chars().count() / 2)
                    .map_or(0, |(b, _)| b);
                out.push_str(&piece[..mid]);
                out.push(' ');
                out.push_str(&piece[mid..]);
            }
            _ => out.push_str(piece),
        }
    }
    out
}

fn cleaner() -> Cleaner {
    Cleaner::new(Dictionary::builtin(), Options::default())
}

/// Partial repairs of the seeds: fixes, wrong changes, missed swaps and
/// broken words, keyed by the start of the seed's name.
const PARTIAL: &[(&str, &[(&str, &str)])] = &[
    (
        "000_",
        &[
            ("stated the motion", "said the action"),
            ("large navy offensive", "large naval offensive"),
            ("stormed again to energy", "stormed back to energy"),
            ("final 12 months", "last year"),
            ("anti-Taliban", "anti Taliban"),
            ("Ahmad Shah Massoud", "Ahmad Shah Masoud"),
            ("principle street", "principal street"),
            ("instructed AFP", "told AFP"),
            ("extremist group", "Islamist group"),
        ],
    ),
    (
        "001_",
        &[
            ("fled combating", "fled fighting"),
            ("an rebel group", "a rebel group"),
            ("residents mentioned", "residents said"),
            ("a website of", "a site of"),
            ("within the Eighties", "within the 1980s"),
            ("in the course of", "during"),
            ("Nineteen Nineties", "19 90s"),
            ("Panjshir Valley after", "Panjshir valley after"),
        ],
    ),
];

#[test]
fn seeds_match_python() {
    let Some(shared) = shared() else { return };
    let seeds = shared.join("seeds");
    let mut names: Vec<String> = fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".reference.txt"))
        .map(|n| n.trim_end_matches(".reference.txt").to_string())
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no seeds in {}", seeds.display());
    let cleaner = cleaner();
    let mut cases = Vec::new();
    for name in &names {
        let spun = read(&seeds.join(format!("{name}.txt")));
        let reference = read(&seeds.join(format!("{name}.reference.txt")));
        let first = resolve(&reference, |a| a[0].to_string());
        let last = resolve(&reference, |a| a[a.len() - 1].to_string());
        let mut case = |what: &str, spun: &str, repaired: &str, reference: &str| {
            cases.push((
                format!("{name}_{what}"),
                spun.to_string(),
                repaired.to_string(),
                reference.to_string(),
            ))
        };
        case("untouched", &spun, &spun, &reference);
        case("reference_verbatim", &spun, &reference, &reference);
        case("first_alternatives", &spun, &first, &reference);
        case("last_alternatives", &spun, &last, &reference);
        case("cleaned", &spun, &cleaner.clean(&spun).text, &reference);
        case("damaged", &spun, &damage(&spun), &reference);
        case("clean_damaged", &first, &damage(&first), &first);
        case("clean_untouched", &first, &first, &first);
        if let Some((_, repl)) = PARTIAL.iter().find(|(p, _)| name.starts_with(p)) {
            let partial = edit(&spun, repl);
            case("partial", &spun, &partial, &reference);
            // One paragraph fewer: the counts disagree, so the whole text
            // is aligned at once.
            let paras: Vec<&str> = partial.split("\n\n").collect();
            let dropped = [&paras[..2], &paras[3..]].concat().join("\n\n");
            case("partial_dropped_paragraph", &spun, &dropped, &reference);
        }
    }
    assert!(cases.len() >= 2 * 10, "both seeds have partial repairs");
    compare_cases(&shared, &cases);

    // The three-file form of the command line, once.
    let name = &names[0];
    let dir = tempfile::tempdir().unwrap();
    let spun_path = seeds.join(format!("{name}.txt"));
    let ref_path = seeds.join(format!("{name}.reference.txt"));
    let repaired = edit(&read(&spun_path), PARTIAL[0].1);
    let rep_path = dir.path().join("repaired.txt");
    fs::write(&rep_path, &repaired).unwrap();
    let (py_total, py_files) = python(&shared, &[&spun_path, &rep_path, &ref_path]);
    let rust = eval::summary(&eval::score_text(
        &read(&spun_path),
        &repaired,
        &read(&ref_path),
    ));
    assert_eq!(rust, py_total);
    assert_eq!(py_files.len(), 1);
}

#[test]
fn dev_set_matches_python() {
    let Some(shared) = shared() else { return };
    let dev = shared.join("data/dev");
    let (spun, original) = (dev.join("spun"), dev.join("original"));
    assert!(compare_dirs(&shared, &spun, &spun, &original) >= 10);
    compare_dirs(&shared, &spun, &original, &original);
    compare_dirs(&shared, &original, &original, &original);

    // The cleaner's repairs, damaged spun text, and clean text with damage
    // (the difflib fast path).
    let dir = tempfile::tempdir().unwrap();
    let cleaned = dir.path().join("cleaned");
    let damaged_spun = dir.path().join("damaged_spun");
    let damaged_clean = dir.path().join("damaged_clean");
    for d in [&cleaned, &damaged_spun, &damaged_clean] {
        fs::create_dir(d).unwrap();
    }
    let cleaner = cleaner();
    for entry in fs::read_dir(&spun).unwrap() {
        let name = entry.unwrap().file_name();
        let text = read(&spun.join(&name));
        fs::write(cleaned.join(&name), cleaner.clean(&text).text).unwrap();
        fs::write(damaged_spun.join(&name), damage(&text)).unwrap();
        fs::write(
            damaged_clean.join(&name),
            damage(&read(&original.join(&name))),
        )
        .unwrap();
    }
    compare_dirs(&shared, &spun, &cleaned, &original);
    compare_dirs(&shared, &spun, &damaged_spun, &original);
    compare_dirs(&shared, &original, &damaged_clean, &original);
}

/// Hand-made texts for the corners: Unicode classes, NFKC, quote folding,
/// underscores, `{..}` groups (empty, nested, unbalanced, at the edges),
/// paragraph splitting with odd white space, repeated tokens (alignment
/// ties), and empty texts.
#[test]
fn corner_cases_match_python() {
    let Some(shared) = shared() else { return };
    let c = |name: &str, spun: &str, repaired: &str, reference: &str| {
        (
            name.to_string(),
            spun.to_string(),
            repaired.to_string(),
            reference.to_string(),
        )
    };
    let words = |prefix: &str, n: usize| -> String {
        (1..=n)
            .map(|i| format!("{prefix}{i:03}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let fixed5 = format!("{} {}", words("r", 5), &words("w", 32)[5 * 5..]);
    let damaged1 = words("w", 128).replacen("w064", "x064", 1);
    let cases = vec![
        c(
            "unicode",
            "The \u{FB01}nal caf\u{e9} na\u{EF}ve \u{2167} \u{bd} x\u{b2} \u{201C}quoted\u{201D} it\u{2019}s",
            "The final cafe\u{301} naive VIII 1/2 x2 \"quoted\" it's",
            "The final caf\u{e9} na\u{EF}ve VIII \u{bd} x\u{b2} \"quoted\" it's",
        ),
        c(
            "scripts_and_marks",
            "\u{928}\u{92E}\u{938}\u{94D}\u{924}\u{947} \u{645}\u{631}\u{62D}\u{628}\u{627} \u{4E00}\u{4E8C} \u{2460} \u{24B6} x\u{301}y",
            "\u{928}\u{92E}\u{938}\u{94D}\u{924} \u{645}\u{631}\u{62D}\u{628}\u{627} \u{4E00} \u{2460} A xy",
            "\u{928}\u{92E}\u{938}\u{94D}\u{924}\u{93E} \u{645}\u{631}\u{62D}\u{628}\u{627} \u{4E00}\u{4E8C} 1 \u{24B6} x\u{301}y",
        ),
        c(
            "underscores_joiners",
            "snake_case _lead trail_ rock-'n'-roll end- -start it''s a--b o'clock",
            "snake case lead trail rock-'n'-roll end -start it's a-b o'clock",
            "snake_case _lead trail_ rock-n-roll end- start it's a--b o'clock",
        ),
        c(
            "groups",
            "{a|b} x y z w v",
            "a y z w",
            "{a|b} {|} x {y z|q} {{w|v}} } {",
        ),
        c("group_first_and_last", "one two", "one three", "{one|1} two {three|}"),
        c("only_empty_group", "some words", "some", "{|}"),
        c("empty_reference", "some words", "other words", ""),
        c("empty_everything", "", "", "{}"),
        c(
            "insertions_before_first_slot",
            "x y the cat sat",
            "p q r the cat sat",
            "{the|a} cat sat",
        ),
        c(
            "ties",
            "the the the cat the the",
            "the cat the cat the",
            "the the cat the cat the the",
        ),
        c(
            "paragraph_whitespace",
            "  One two.\n \t\nThree four.\n\u{1c}\nFive.\n\u{2028}\n\n\u{a0}Six seven.\n\n\n",
            "One too.\n\nThree four.\n\nFive.\n\nSix  seven.",
            "One two.\n\nThree {four|4}.\n\nFive.\n\nSix seven.",
        ),
        c(
            "paragraph_counts_differ",
            "One two.\n\nThree four.\n\nFive.",
            "One two. Three four.\n\nFive.",
            "One two.\n\nThree for.\n\nFive.",
        ),
        c(
            "crlf_read_as_lf",
            "One two.\r\n\r\nThree stated.\r\n",
            "One two.\r\n\r\nThree said.\r\n",
            "One two.\n\nThree said.\n",
        ),
        c(
            "clean_fast_path",
            "a b c d e f g a b c d e f g, the end.",
            "a c b d X f g a b c e f g, the the end!",
            "a b c d e f g a b c d e f g, the end.",
        ),
        c(
            "clean_emptied",
            "Nothing left of this text.",
            "",
            "Nothing left of this text.",
        ),
        // recall = error_reduction = 5/32 = 0.15625 exactly: Python
        // rounds the tie to even (0.1562).
        c("rounding_ties_rates", &words("w", 32), &fixed5, &words("r", 32)),
        // 1e4 * 1 / 128 = 78.125 exactly: 78.12.
        c("rounding_ties_damage", &words("w", 128), &damaged1, &words("w", 128)),
    ];
    compare_cases(&shared, &cases);
}

const VOCAB: &[&str] = &["a", "b", "c", "the", "cat", ",", ".", "x-y", "it's", "A"];
const GROUPS: &[&str] = &["{a|b}", "{a b|c}", "{|}", "{the|a}", "{b|b c|c}", "{cat|}"];

/// Random small texts over a tiny vocabulary, so that repeated tokens make
/// many alignments equally cheap: the tie-breaking of the alignment and of
/// difflib decides the counts.
fn random_case(rng: &mut Rng, i: usize) -> (String, String, String, String) {
    let len = 1 + rng.below(12);
    let mut spun: Vec<String> = (0..len).map(|_| rng.pick(VOCAB).to_string()).collect();
    if len > 4 && rng.below(3) == 0 {
        spun.insert(1 + rng.below(len - 2), "\n\n".to_string());
    }
    let mutate = |rng: &mut Rng, words: &[String], groups: bool| -> Vec<String> {
        let mut out = Vec::new();
        for w in words {
            match rng.below(10) {
                0 => {}
                1 => out.push(rng.pick(VOCAB).to_string()),
                2 => {
                    out.push(w.clone());
                    out.push(rng.pick(VOCAB).to_string());
                }
                3 if groups => out.push(rng.pick(GROUPS).to_string()),
                _ => out.push(w.clone()),
            }
        }
        out
    };
    let (reference, repaired) = match i % 4 {
        // Clean text (the fast path).
        0 => (spun.clone(), mutate(rng, &spun, false)),
        // Repaired from the reference's side or the spun side.
        1 => {
            let reference = mutate(rng, &spun, true);
            let repaired = mutate(rng, &reference, false);
            (reference, repaired)
        }
        _ => (mutate(rng, &spun, true), mutate(rng, &spun, false)),
    };
    (
        format!("random_{i:03}"),
        spun.join(" "),
        repaired.join(" "),
        reference.join(" "),
    )
}

#[test]
fn random_small_cases_match_python() {
    let Some(shared) = shared() else { return };
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let cases: Vec<_> = (0..600).map(|i| random_case(&mut rng, i)).collect();
    compare_cases(&shared, &cases);
}
