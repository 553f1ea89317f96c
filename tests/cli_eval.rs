//! `despin eval`: exact output on a small fixture, and (when `../shared` and
//! `python3` are there) the same numbers as the project's scorer,
//! `../shared/eval/score.py`, on the development data.
//!
//! The fixture's own dictionary (`--no-default-dicts`) swaps invented words,
//! so that the built-in language model knows neither side of any entry and
//! has no preference: each repair's confidence is then exactly its entry's
//! `prior=` (all entries are fingerprints, which the document's spin score
//! does not gate), and every number below can be checked by hand.
//!
//! | entry | confidence |
//! | --- | --- |
//! | `vextor → quandle` | 0.95 |
//! | `zimbrak vorl → fobble grint` | 0.75 |
//! | `morlet → snid` | 0.65 |
//! | `drask → plome\|wib` (the first is taken) | 0.55 |
//! | `gorp → tash` | 0.25 |
//!
//! * `a.txt`, spun (12 words, 13 slots with the full stop), has four wrong
//!   slots: quandle, fobble, grint, wib. Its repair fixes the first three
//!   and makes a wrong change ("drask" → "plome", the original being "wib").
//! * `b.txt` is clean text (spun = original, 8 words): any change is damage.
//! * `c.txt` (4 words, 5 slots) has its reference as `c.reference.txt` (the
//!   seeds layout), which accepts `{plome|wib}`: one wrong slot.
//!
//! At a threshold t, an entry is applied when its confidence is >= t.

use assert_cmd::Command;
use serde_json::{json, Value};
use std::fs;
use std::path::Path;
use std::process::Output;
use tempfile::TempDir;

const DICT: &str = "vextor\tquandle\tprior=0.95\n\
                    zimbrak vorl\tfobble grint\tprior=0.75\n\
                    morlet\tsnid\tprior=0.65\n\
                    drask\tplome|wib\tprior=0.55\n\
                    gorp\ttash\tprior=0.25\n";

const A_SPUN: &str = "The vextor team met the zimbrak vorl near the drask on Monday.\n";
const A_ORIGINAL: &str = "The quandle team met the fobble grint near the wib on Monday.\n";
const B_CLEAN: &str = "A morlet sang near the gorp at dusk.\n";
const C_SPUN: &str = "Take the drask home.\n";
const C_REFERENCE: &str = "Take the {plome|wib} home.\n";

fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// `spun/` and `original/` with a.txt, b.txt, c.txt (c's reference as
/// `c.reference.txt`), plus files that must be ignored: an original without
/// a spun file, a spun file without an original, a subdirectory.
fn fixture() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "d.tsv", DICT);
    write(d, "spun/a.txt", A_SPUN);
    write(d, "original/a.txt", A_ORIGINAL);
    write(d, "spun/b.txt", B_CLEAN);
    write(d, "original/b.txt", B_CLEAN);
    write(d, "spun/c.txt", C_SPUN);
    write(d, "original/c.reference.txt", C_REFERENCE);
    write(d, "original/only-original.txt", "No spun twin.\n");
    write(d, "spun/only-spun.txt", "No original twin.\n");
    write(d, "original/sub/a.txt", "A subdirectory is skipped.\n");
    dir
}

/// `despin eval --no-default-dicts --dict d.tsv ARGS`, run in `dir`.
fn eval(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_despin"))
        .current_dir(dir)
        .args(["eval", "--no-default-dicts", "--dict", "d.tsv"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> &str {
    std::str::from_utf8(&o.stdout).unwrap()
}

fn stderr(o: &Output) -> &str {
    std::str::from_utf8(&o.stderr).unwrap()
}

const TABLE_HEADER: &str = "\nthreshold  precision  recall  damage_per_10k  edits\n";

/// Totals per threshold (24 words, 5 wrong slots):
///
/// * 0.1, 0.2: everything applied: a fixed 3 + wrong change 1, b broken 2,
///   c fixed 1: precision 4/7, recall 4/5, damage 2/24, 6 edits;
/// * 0.3-0.5: b keeps "gorp" (0.25): precision 4/6, damage 1/24, 5 edits;
/// * 0.6: "drask" (0.55) stays in a and c: fixed 3, broken 1, precision 3/4,
///   recall 3/5, 3 edits;
/// * 0.7: b keeps "morlet" (0.65): precision 1, no damage, 2 edits;
/// * 0.8, 0.9: only "vextor" (0.95): fixed 1, recall 1/5, 1 edit.
const TABLE_ROWS: [(&str, &str); 9] = [
    ("0.1", "   0.5714     0.8          833.33      6"),
    ("0.2", "   0.5714     0.8          833.33      6"),
    ("0.3", "   0.6667     0.8          416.67      5"),
    ("0.4", "   0.6667     0.8          416.67      5"),
    ("0.5", "   0.6667     0.8          416.67      5"),
    ("0.6", "     0.75     0.6          416.67      3"),
    ("0.7", "      1.0     0.6             0.0      2"),
    ("0.8", "      1.0     0.2             0.0      1"),
    ("0.9", "      1.0     0.2             0.0      1"),
];

/// The threshold table: [`TABLE_ROWS`] plus `extra` rows, in order, the row
/// of `current` marked with `*`. Each row is the threshold (and the mark)
/// padded to 9 columns, two spaces, then the rest.
fn table(current: &str, extra: &[(&str, &str)]) -> String {
    let mut rows = TABLE_ROWS.to_vec();
    rows.extend_from_slice(extra);
    rows.sort_by(|x, y| x.0.parse::<f64>().unwrap().total_cmp(&y.0.parse().unwrap()));
    let mut out = TABLE_HEADER.to_string();
    for (t, rest) in rows {
        let label = if t == current {
            format!("{t} *")
        } else {
            t.to_string()
        };
        out += &format!("{label:<9}  {rest}\n");
    }
    out
}

#[test]
fn text_output_is_the_scorers_then_a_threshold_table() {
    let dir = fixture();
    let o = eval(dir.path(), &["--spun", "spun", "--original", "original"]);
    assert_eq!(stderr(&o), "");
    assert_eq!(o.status.code(), Some(0));
    // Threshold 0.5: a as described; b loses "morlet" (0.65): one broken
    // word; c fixed. Edit distance to the references: 4 + 0 + 1 before,
    // 1 + 1 + 0 after.
    let table_at_default = "\nthreshold  precision  recall  damage_per_10k  edits\n\
         0.1           0.5714     0.8          833.33      6\n\
         0.2           0.5714     0.8          833.33      6\n\
         0.3           0.6667     0.8          416.67      5\n\
         0.4           0.6667     0.8          416.67      5\n\
         0.5 *         0.6667     0.8          416.67      5\n\
         0.6             0.75     0.6          416.67      3\n\
         0.7              1.0     0.6             0.0      2\n\
         0.8              1.0     0.2             0.0      1\n\
         0.9              1.0     0.2             0.0      1\n";
    let want = "a.txt: fixed 3/4 broken 0 wrong_change 1 precision 0.75 recall 0.75\n\
                b.txt: fixed 0/0 broken 1 wrong_change 0 precision 0.0 recall None\n\
                c.txt: fixed 1/1 broken 0 wrong_change 0 precision 1.0 recall 1.0\n\
                TOTAL words 24 wrong_before 5 fixed 4 broken 1 wrong_change 1 missed 0 \
                precision 0.6667 recall 0.8 error_reduction 0.6 damage_per_10k 416.67\n"
        .to_string()
        + table_at_default;
    // The helper the other tests use builds the same table.
    assert_eq!(table("0.5", &[]), table_at_default);
    assert_eq!(stdout(&o), want);
}

#[test]
fn a_chosen_threshold_scores_the_files_and_joins_the_table() {
    let dir = fixture();
    let o = eval(
        dir.path(),
        &[
            "--spun",
            "spun",
            "--original",
            "original",
            "--threshold",
            "0.62",
        ],
    );
    assert_eq!(stderr(&o), "");
    assert_eq!(o.status.code(), Some(0));
    // At 0.62, "drask" (0.55) stays: a misses wib, c is not repaired.
    let want = "a.txt: fixed 3/4 broken 0 wrong_change 0 precision 1.0 recall 0.75\n\
                b.txt: fixed 0/0 broken 1 wrong_change 0 precision 0.0 recall None\n\
                c.txt: fixed 0/1 broken 0 wrong_change 0 precision None recall 0.0\n\
                TOTAL words 24 wrong_before 5 fixed 3 broken 1 wrong_change 0 missed 2 \
                precision 0.75 recall 0.6 error_reduction 0.4 damage_per_10k 416.67\n"
        .to_string()
        + &table(
            "0.62",
            &[("0.62", "     0.75     0.6          416.67      3")],
        );
    assert_eq!(stdout(&o), want);

    // A tenth already in the table is marked, not repeated: at 0.2 the clean
    // file b loses "gorp" (0.25) too.
    let o = eval(
        dir.path(),
        &[
            "--spun",
            "spun",
            "--original",
            "original",
            "--threshold",
            "0.2",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let want = "a.txt: fixed 3/4 broken 0 wrong_change 1 precision 0.75 recall 0.75\n\
                b.txt: fixed 0/0 broken 2 wrong_change 0 precision 0.0 recall None\n\
                c.txt: fixed 1/1 broken 0 wrong_change 0 precision 1.0 recall 1.0\n\
                TOTAL words 24 wrong_before 5 fixed 4 broken 2 wrong_change 1 missed 0 \
                precision 0.5714 recall 0.8 error_reduction 0.4 damage_per_10k 833.33\n"
        .to_string()
        + &table("0.2", &[]);
    assert_eq!(stdout(&o), want);
}

#[test]
fn json_holds_the_summaries_and_the_table() {
    let dir = fixture();
    let o = eval(
        dir.path(),
        &["--spun", "spun", "--original", "original", "--json"],
    );
    assert_eq!(stderr(&o), "");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o).lines().count(), 1, "one JSON object on one line");
    let got: Value = serde_json::from_str(stdout(&o)).unwrap();
    let row = |t: f64, p: f64, r: f64, d: f64, e: u64| json!({"threshold": t, "precision": p, "recall": r, "damage_per_10k": d, "edits": e});
    let want = json!({
        "total": {
            "slots": 27, "wrong_before": 5, "fixed": 4, "broken": 1, "wrong_change": 1,
            "missed": 0, "edits_before": 5, "edits_after": 2, "words": 24,
            "precision": 0.6667, "recall": 0.8, "error_reduction": 0.6,
            "damage_per_10k": 416.67
        },
        "files": {
            "a.txt": {
                "slots": 13, "wrong_before": 4, "fixed": 3, "broken": 0, "wrong_change": 1,
                "missed": 0, "edits_before": 4, "edits_after": 1, "words": 12,
                "precision": 0.75, "recall": 0.75, "error_reduction": 0.75,
                "damage_per_10k": 0.0
            },
            "b.txt": {
                "slots": 9, "wrong_before": 0, "fixed": 0, "broken": 1, "wrong_change": 0,
                "missed": 0, "edits_before": 0, "edits_after": 1, "words": 8,
                "precision": 0.0, "recall": null, "error_reduction": null,
                "damage_per_10k": 1250.0
            },
            "c.txt": {
                "slots": 5, "wrong_before": 1, "fixed": 1, "broken": 0, "wrong_change": 0,
                "missed": 0, "edits_before": 1, "edits_after": 0, "words": 4,
                "precision": 1.0, "recall": 1.0, "error_reduction": 1.0,
                "damage_per_10k": 0.0
            }
        },
        "thresholds": [
            row(0.1, 0.5714, 0.8, 833.33, 6),
            row(0.2, 0.5714, 0.8, 833.33, 6),
            row(0.3, 0.6667, 0.8, 416.67, 5),
            row(0.4, 0.6667, 0.8, 416.67, 5),
            row(0.5, 0.6667, 0.8, 416.67, 5),
            row(0.6, 0.75, 0.6, 416.67, 3),
            row(0.7, 1.0, 0.6, 0.0, 2),
            row(0.8, 1.0, 0.2, 0.0, 1),
            row(0.9, 1.0, 0.2, 0.0, 1),
        ]
    });
    assert_eq!(got, want);
    // Files keep the text output's order.
    let text = stdout(&o);
    let (a, b, c) = (
        text.find("\"a.txt\"").unwrap(),
        text.find("\"b.txt\"").unwrap(),
        text.find("\"c.txt\"").unwrap(),
    );
    assert!(a < b && b < c, "{text}");
}

#[test]
fn seeds_layout_in_one_directory() {
    // As in ../shared/seeds: NAME.txt (spun) beside NAME.reference.txt, one
    // directory for both options. c.txt is scored once, against its
    // reference; b.txt, with no reference file, is its own reference.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "d.tsv", DICT);
    write(d, "seeds/b.txt", B_CLEAN);
    write(d, "seeds/c.txt", C_SPUN);
    write(d, "seeds/c.reference.txt", C_REFERENCE);
    let o = eval(
        d,
        &[
            "--spun",
            "seeds",
            "--original",
            "seeds",
            "--threshold",
            "0.9",
        ],
    );
    assert_eq!(stderr(&o), "");
    assert_eq!(o.status.code(), Some(0));
    // At 0.9 nothing in b or c is repaired. In the table, b (8 words) loses
    // gorp below 0.25 and morlet below 0.65; c is fixed below 0.55.
    assert_eq!(
        stdout(&o),
        "b.txt: fixed 0/0 broken 0 wrong_change 0 precision None recall None\n\
         c.txt: fixed 0/1 broken 0 wrong_change 0 precision None recall 0.0\n\
         TOTAL words 12 wrong_before 1 fixed 0 broken 0 wrong_change 0 missed 1 \
         precision None recall 0.0 error_reduction 0.0 damage_per_10k 0.0\n\
         \n\
         threshold  precision  recall  damage_per_10k  edits\n\
         0.1           0.3333     1.0         1666.67      3\n\
         0.2           0.3333     1.0         1666.67      3\n\
         0.3              0.5     1.0          833.33      2\n\
         0.4              0.5     1.0          833.33      2\n\
         0.5              0.5     1.0          833.33      2\n\
         0.6              0.0     0.0          833.33      1\n\
         0.7             None     0.0             0.0      0\n\
         0.8             None     0.0             0.0      0\n\
         0.9 *           None     0.0             0.0      0\n"
    );
}

#[test]
fn repaired_directory_is_scored_as_given() {
    let dir = fixture();
    let d = dir.path();
    // Hand-made repairs: a gets quandle right, vorl/zimbrak left, plome
    // wrong; b is damaged; c takes the other alternative.
    write(
        d,
        "repaired/a.txt",
        "The quandle team met the zimbrak vorl near the plome on Monday.\n",
    );
    write(
        d,
        "repaired/b.txt",
        "A morlet sang near the tash at dusk.\n",
    );
    write(d, "repaired/c.txt", "Take the wib home.\n");
    let args = [
        "--spun",
        "spun",
        "--original",
        "original",
        "--repaired",
        "repaired",
    ];
    let o = eval(d, &args);
    assert_eq!(stderr(&o), "");
    assert_eq!(o.status.code(), Some(0));
    // Edit distance after: 3 + 1 + 0 of 5 before.
    assert_eq!(
        stdout(&o),
        "a.txt: fixed 1/4 broken 0 wrong_change 1 precision 0.5 recall 0.25\n\
         b.txt: fixed 0/0 broken 1 wrong_change 0 precision 0.0 recall None\n\
         c.txt: fixed 1/1 broken 0 wrong_change 0 precision 1.0 recall 1.0\n\
         TOTAL words 24 wrong_before 5 fixed 2 broken 1 wrong_change 1 missed 2 \
         precision 0.5 recall 0.4 error_reduction 0.2 damage_per_10k 416.67\n"
    );

    // A missing repair is an error, and is scored as empty text (as
    // score.py scores it): c's four right slots are broken, its wrong one
    // changed (drask -> nothing), and the 5 reference tokens are deleted.
    fs::remove_file(d.join("repaired/c.txt")).unwrap();
    let o = eval(d, &args);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "despin: repaired/c.txt: No such file or directory (os error 2) (scored as empty)\n"
    );
    assert!(
        stdout(&o).ends_with(
            "c.txt: fixed 0/1 broken 4 wrong_change 1 precision 0.0 recall 0.0\n\
             TOTAL words 24 wrong_before 5 fixed 1 broken 5 wrong_change 2 missed 2 \
             precision 0.125 recall 0.2 error_reduction -0.8 damage_per_10k 2083.33\n"
        ),
        "{}",
        stdout(&o)
    );

    // JSON without cleaning has no threshold table.
    let o = eval(d, &[&args[..], &["--json"]].concat());
    let got: Value = serde_json::from_str(stdout(&o)).unwrap();
    let keys: Vec<&String> = got.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["files", "total"]);
    assert_eq!(got["total"]["broken"], 5);
}

#[test]
fn unreadable_files_are_reported_and_the_rest_scored() {
    let dir = fixture();
    let d = dir.path();
    write(d, "spun/b.txt", b"A morlet \xff sang.\n");
    let o = eval(d, &["--spun", "spun", "--original", "original"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "despin: spun/b.txt: stream did not contain valid UTF-8\n"
    );
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "a.txt: fixed 3/4 broken 0 wrong_change 1 precision 0.75 recall 0.75\n\
             c.txt: fixed 1/1 broken 0 wrong_change 0 precision 1.0 recall 1.0\n\
             TOTAL words 16 wrong_before 5 fixed 4 broken 0 wrong_change 1 missed 0 \
             precision 0.8 recall 0.8 error_reduction 0.8 damage_per_10k 0.0\n"
        ),
        "{out}"
    );
    assert!(out.contains(TABLE_HEADER), "{out}");
}

#[test]
fn missing_directories_and_no_pairs_are_errors() {
    let dir = fixture();
    let d = dir.path();
    for (spun, original, missing) in [("nope", "original", "nope"), ("spun", "nope", "nope")] {
        let o = eval(d, &["--spun", spun, "--original", original]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(stdout(&o), "");
        assert_eq!(
            stderr(&o),
            format!("despin: {missing}: No such file or directory (os error 2)\n")
        );
    }
    fs::create_dir(d.join("empty")).unwrap();
    let o = eval(d, &["--spun", "empty", "--original", "original"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        "despin: no file of original has a namesake in empty\n"
    );
}

/// `../shared`, if it and `python3` are there.
fn shared() -> Option<std::path::PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if !shared.join("eval/score.py").is_file() || !shared.join("data/dev/spun").is_dir() {
        eprintln!(
            "skipped: {} (eval/score.py and data/dev) not found beside the crate",
            shared.display()
        );
        return None;
    }
    match std::process::Command::new("python3")
        .arg("--version")
        .output()
    {
        Ok(o) if o.status.success() => Some(shared),
        _ => {
            eprintln!("skipped: python3 is not available to run the reference scorer");
            None
        }
    }
}

fn despin(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_despin"))
        .args(args)
        .output()
        .unwrap()
}

fn score_py(shared: &Path, spun: &Path, repaired: &Path, reference: &Path) -> String {
    let o = std::process::Command::new("python3")
        .arg(shared.join("eval/score.py"))
        .arg("--dirs")
        .args([spun, repaired, reference])
        .output()
        .unwrap();
    assert!(o.status.success(), "score.py failed: {}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

fn total_line(out: &str) -> &str {
    out.lines()
        .find(|l| l.starts_with("TOTAL "))
        .unwrap_or_else(|| panic!("no TOTAL line in:\n{out}"))
}

/// `despin eval` prints what `score.py --dirs` prints for `despin clean`'s
/// output, line for line; with `--repaired` on that output, exactly that.
#[test]
fn matches_score_py_on_the_dev_data() {
    let Some(shared) = shared() else { return };
    let dev = shared.join("data/dev");
    let (spun, original) = (dev.join("spun"), dev.join("original"));
    let tmp = tempfile::tempdir().unwrap();
    let repaired = tmp.path().join("repaired");
    let o = despin(&[Path::new("clean"), &spun, Path::new("-o"), &repaired]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let py = score_py(&shared, &spun, &repaired, &original);

    let o = despin(&[
        Path::new("eval"),
        Path::new("--spun"),
        &spun,
        Path::new("--original"),
        &original,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ours = stdout(&o);
    eprintln!("{ours}");
    assert_eq!(total_line(ours), total_line(&py));
    assert!(
        ours.starts_with(&py) && ours[py.len()..].starts_with(TABLE_HEADER),
        "score.py printed:\n{py}\ndespin eval printed:\n{ours}"
    );
    assert_eq!(py.lines().count(), 21, "20 files and a total:\n{py}");

    let o = despin(&[
        Path::new("eval"),
        Path::new("--spun"),
        &spun,
        Path::new("--original"),
        &original,
        Path::new("--repaired"),
        &repaired,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), py);
}

/// The seeds layout (`NAME.txt` beside `NAME.reference.txt`) scores as
/// `score.py` does with the references in a directory of their own.
#[test]
fn matches_score_py_on_the_seeds() {
    let Some(shared) = shared() else { return };
    let seeds = shared.join("seeds");
    let tmp = tempfile::tempdir().unwrap();
    let (repaired, refs) = (tmp.path().join("repaired"), tmp.path().join("refs"));
    fs::create_dir(&refs).unwrap();
    for entry in fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".reference.txt") {
            fs::copy(&path, refs.join(&name)).unwrap();
        }
    }
    assert!(fs::read_dir(&refs).unwrap().count() >= 1);
    let o = despin(&[Path::new("clean"), &seeds, Path::new("-o"), &repaired]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let py = score_py(&shared, &seeds, &repaired, &refs);

    let o = despin(&[
        Path::new("eval"),
        Path::new("--spun"),
        &seeds,
        Path::new("--original"),
        &seeds,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ours = stdout(&o);
    eprintln!("{ours}");
    assert!(
        ours.starts_with(&py) && ours[py.len()..].starts_with(TABLE_HEADER),
        "score.py printed:\n{py}\ndespin eval printed:\n{ours}"
    );
}
