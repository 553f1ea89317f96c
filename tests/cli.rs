//! Integration tests for the `despin` binary. Every test uses a tiny user
//! dictionary (`--no-default-dicts --dict d.tsv`) so that expectations do
//! not depend on the shipped one.

use assert_cmd::Command;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use tempfile::TempDir;

mod common;
use common::{write, FIXED, RECORDS_IN, RECORDS_OUT, SPUN};

const DICT: &str =
    "final 12 months\tlast year\ninstructed AFP\ttold AFP\nprinciple street\tmain road\treport\n";
const CLEAN: &str = "Nothing to see here.\n";

fn fixture() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.tsv", DICT);
    dir
}

fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap()
}

/// `despin SUB --no-default-dicts --dict d.tsv`, run in `dir`.
fn despin(dir: &Path, sub: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_despin"));
    cmd.current_dir(dir)
        .arg(sub)
        .args(["--no-default-dicts", "--dict", "d.tsv"]);
    cmd
}

/// Every file under `dir`, by relative path (with `/`).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"), fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect()
}

fn json_lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn not_found(dir: &Path, rel: &str) -> String {
    fs::metadata(dir.join(rel)).unwrap_err().to_string()
}

#[test]
fn stdin_to_stdout() {
    let dir = fixture();
    despin(dir.path(), "clean")
        .write_stdin(format!("Intro.\n{SPUN}Bye."))
        .assert()
        .success()
        .stdout(format!("Intro.\n{FIXED}Bye."))
        .stderr("");
}

#[test]
fn one_file_to_stdout() {
    let dir = fixture();
    write(dir.path(), "a.txt", SPUN);
    despin(dir.path(), "clean")
        .arg("a.txt")
        .assert()
        .success()
        .stdout(FIXED)
        .stderr("");
    assert_eq!(read(dir.path(), "a.txt"), SPUN, "the input is untouched");
}

#[test]
fn several_files_or_a_directory_need_an_output_dir() {
    let dir = fixture();
    write(dir.path(), "a.txt", SPUN);
    write(dir.path(), "b.txt", SPUN);
    write(dir.path(), "in/c.txt", SPUN);
    let msg = "despin: several files or a directory need an output directory: \
               add `-o DIR` (or use `--diff` or `check`)\n";
    for args in [&["a.txt", "b.txt"][..], &["in"][..]] {
        despin(dir.path(), "clean")
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(msg);
    }
}

#[test]
fn stdin_cannot_go_to_an_output_dir() {
    let dir = fixture();
    despin(dir.path(), "clean")
        .args(["-o", "out"])
        .write_stdin(SPUN)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "despin: standard input cannot be written to an output directory: \
             drop `-o` to write it to standard output\n",
        );
}

#[test]
fn directory_to_output_dir_keeps_relative_paths() {
    let dir = fixture();
    let d = dir.path();
    write(d, "in/a.txt", SPUN);
    write(d, "in/sub/deeper/b.txt", format!("{CLEAN}{SPUN}"));
    write(d, "in/sub/c.txt", CLEAN);
    write(d, "in/.hidden.txt", SPUN);
    write(d, "in/.git/config.txt", SPUN);
    let expected = files(&[
        ("a.txt", FIXED),
        ("sub/c.txt", CLEAN),
        ("sub/deeper/b.txt", &format!("{CLEAN}{FIXED}")),
    ]);
    // The output directory is inside the input: a second run must skip it.
    for _ in 0..2 {
        despin(d, "clean")
            .args(["in", "-o", "in/out"])
            .assert()
            .success()
            .stdout("")
            .stderr("");
        assert_eq!(tree(&d.join("in/out")), expected);
    }
}

#[test]
fn file_arguments_keep_their_normal_components() {
    let dir = fixture();
    let d = dir.path();
    write(d, "work/d.tsv", DICT);
    write(d, "work/a/b.txt", SPUN);
    write(d, "data/c.txt", SPUN);
    despin(&d.join("work"), "clean")
        .args(["./a/b.txt", "../data/c.txt", "-o", "out"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert_eq!(
        tree(&d.join("work/out")),
        files(&[("a/b.txt", FIXED), ("data/c.txt", FIXED)])
    );
}

#[test]
fn an_input_is_never_overwritten() {
    let dir = fixture();
    write(dir.path(), "a.txt", SPUN);
    despin(dir.path(), "clean")
        .args(["a.txt", "-o", "."])
        .assert()
        .code(2)
        .stdout("")
        .stderr("despin: a.txt: refusing to overwrite the input ./a.txt\n");
    assert_eq!(read(dir.path(), "a.txt"), SPUN);
}

#[test]
fn jsonl_changes_only_the_field_and_keeps_bad_lines() {
    let dir = fixture();
    write(dir.path(), "r.jsonl", RECORDS_IN);
    despin(dir.path(), "clean")
        .arg("r.jsonl")
        .assert()
        .code(2)
        .stdout(RECORDS_OUT)
        .stderr(
            "despin: r.jsonl:2: invalid JSON: expected ident at line 1 column 2\n\
             despin: r.jsonl:4: no field `text`\n",
        );
}

#[test]
fn jsonl_to_output_dir_and_from_stdin() {
    let dir = fixture();
    write(dir.path(), "in/r.ndjson", RECORDS_IN);
    write(dir.path(), "in/t.txt", SPUN);
    despin(dir.path(), "clean")
        .args(["in", "-o", "out"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "despin: in/r.ndjson:2: invalid JSON: expected ident at line 1 column 2\n\
             despin: in/r.ndjson:4: no field `text`\n",
        );
    assert_eq!(
        tree(&dir.path().join("out")),
        files(&[("r.ndjson", RECORDS_OUT), ("t.txt", FIXED)])
    );
    despin(dir.path(), "clean")
        .args(["--format", "jsonl"])
        .write_stdin(RECORDS_IN)
        .assert()
        .code(2)
        .stdout(RECORDS_OUT)
        .stderr(
            "despin: -:2: invalid JSON: expected ident at line 1 column 2\n\
             despin: -:4: no field `text`\n",
        );
}

#[test]
fn jsonl_other_field() {
    let dir = fixture();
    write(
        dir.path(),
        "r.jsonl",
        concat!(
            r#"{"body": "final 12 months", "text": "final 12 months"}"#,
            "\n",
            r#"{"body": "fine", "text": "final 12 months"}"#,
            "\n",
        ),
    );
    despin(dir.path(), "clean")
        .args(["--field", "body", "r.jsonl"])
        .assert()
        .success()
        .stdout(concat!(
            r#"{"body": "last year", "text": "final 12 months"}"#,
            "\n",
            r#"{"body": "fine", "text": "final 12 months"}"#,
            "\n",
        ))
        .stderr("");
}

#[test]
fn report_lists_edits_and_suggestions() {
    let dir = fixture();
    write(
        dir.path(),
        "a.txt",
        "In August final 12 months, he took the principle street.\n",
    );
    write(
        dir.path(),
        "r.jsonl",
        "{\"text\": \"x\"}\n{\"text\": \"he instructed AFP\"}\n",
    );
    despin(dir.path(), "clean")
        .args(["--no-lm", "--report", "rep.jsonl", "a.txt"])
        .assert()
        .success()
        .stdout("In August last year, he took the principle street.\n");
    let final_12 = json!({
        "source": "a.txt", "line": 1, "column": 11, "start": 10, "end": 25,
        "from": "final 12 months", "to": "last year",
        "entry": "final 12 months → last year", "location": "d.tsv:1",
        "match": "exact", "confidence": 0.98, "kind": "repair", "applied": true,
    });
    assert_eq!(
        json_lines(&read(dir.path(), "rep.jsonl")),
        vec![final_12.clone()]
    );

    despin(dir.path(), "clean")
        .args(["--no-lm", "--report", "rep.jsonl", "--suggestions", "a.txt"])
        .assert()
        .success();
    let street = json!({
        "source": "a.txt", "line": 1, "column": 40, "start": 39, "end": 55,
        "from": "principle street", "to": "main road",
        "entry": "principle street → main road", "location": "d.tsv:3",
        "match": "exact", "confidence": 0.98, "kind": "repair", "applied": false,
    });
    assert_eq!(
        json_lines(&read(dir.path(), "rep.jsonl")),
        vec![final_12, street]
    );

    despin(dir.path(), "clean")
        .args(["--no-lm", "--report", "rep.jsonl", "r.jsonl"])
        .assert()
        .success();
    assert_eq!(
        json_lines(&read(dir.path(), "rep.jsonl")),
        vec![json!({
            "source": "r.jsonl:2", "line": 1, "column": 4, "start": 3, "end": 17,
            "from": "instructed AFP", "to": "told AFP",
            "entry": "instructed AFP → told AFP", "location": "d.tsv:2",
            "match": "exact", "confidence": 0.98, "kind": "repair", "applied": true,
        })]
    );
}

#[test]
fn without_the_model_confidence_is_the_prior() {
    let dir = fixture();
    write(dir.path(), "a.txt", "In August final 12 months.\n");
    despin(dir.path(), "clean")
        .args(["--no-lm", "--report", "rep.jsonl", "a.txt"])
        .assert()
        .success()
        .stdout("In August last year.\n");
    let rep = json_lines(&read(dir.path(), "rep.jsonl"));
    assert_eq!(rep[0]["confidence"], json!(0.98));
    // With the model, a context that prefers the original raises it.
    despin(dir.path(), "clean")
        .args(["--report", "rep.jsonl", "a.txt"])
        .assert()
        .success();
    let rep = json_lines(&read(dir.path(), "rep.jsonl"));
    let c = rep[0]["confidence"].as_f64().unwrap();
    assert!(c > 0.98 && c <= 1.0, "{c}");
}

#[test]
fn the_report_file_is_not_an_input() {
    let dir = fixture();
    write(dir.path(), "in/a.txt", SPUN);
    // The second run finds the first run's report in the input directory.
    for _ in 0..2 {
        despin(dir.path(), "clean")
            .args(["in", "-o", "out", "--report", "in/rep.jsonl"])
            .assert()
            .success()
            .stdout("")
            .stderr("");
        assert_eq!(tree(&dir.path().join("out")), files(&[("a.txt", FIXED)]));
        assert_eq!(json_lines(&read(dir.path(), "in/rep.jsonl")).len(), 2);
    }
}

#[test]
fn the_output_must_be_a_directory() {
    let dir = fixture();
    write(dir.path(), "a.txt", SPUN);
    despin(dir.path(), "clean")
        .args(["a.txt", "-o", "d.tsv"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("despin: d.tsv: the output (`-o`) is not a directory\n");
}

#[test]
fn diff_prints_changed_documents_only() {
    let dir = fixture();
    write(dir.path(), "in/a.txt", format!("Intro.\n{SPUN}Fine.\n"));
    write(dir.path(), "in/b.txt", CLEAN);
    write(
        dir.path(),
        "in/c.jsonl",
        "{\"text\": \"fine\"}\n{\"text\": \"Yes.\\nfinal 12 months\"}\n",
    );
    despin(dir.path(), "clean")
        .args(["--diff", "in", "-o", "out"])
        .assert()
        .success()
        .stdout(concat!(
            "--- in/a.txt\n",
            "2: In August [-final 12 months-]{+last year+}, he [-instructed AFP-]{+told AFP+}.\n",
            "--- in/c.jsonl:2\n",
            "2: [-final 12 months-]{+last year+}\n",
        ))
        .stderr("");
    assert!(
        !dir.path().join("out").exists(),
        "--diff writes nothing to -o"
    );
}

#[test]
fn check_prints_scores_and_exits_1_when_spun() {
    let dir = fixture();
    write(dir.path(), "spun.txt", SPUN);
    write(dir.path(), "clean.txt", CLEAN);
    write(
        dir.path(),
        "r.jsonl",
        "{\"id\": \"r1\", \"text\": \"final 12 months\"}\n{\"text\": \"fine\"}\n",
    );
    despin(dir.path(), "check")
        .arg("clean.txt")
        .assert()
        .code(0)
        .stdout("{\"source\":\"clean.txt\",\"spun\":false,\"score\":0.0,\"edits\":0}\n")
        .stderr("");
    despin(dir.path(), "check")
        .args(["spun.txt", "clean.txt", "r.jsonl"])
        .assert()
        .code(1)
        .stdout(concat!(
            "{\"source\":\"spun.txt\",\"spun\":true,\"score\":0.667,\"edits\":2}\n",
            "{\"source\":\"clean.txt\",\"spun\":false,\"score\":0.0,\"edits\":0}\n",
            "{\"source\":\"r1\",\"spun\":true,\"score\":0.5,\"edits\":1}\n",
            "{\"source\":\"r.jsonl:2\",\"spun\":false,\"score\":0.0,\"edits\":0}\n",
        ))
        .stderr("");
    // An error wins over "spun".
    let missing = not_found(dir.path(), "missing.txt");
    despin(dir.path(), "check")
        .args(["spun.txt", "missing.txt"])
        .assert()
        .code(2)
        .stdout("{\"source\":\"spun.txt\",\"spun\":true,\"score\":0.667,\"edits\":2}\n")
        .stderr(format!("despin: missing.txt: {missing}\n"));
}

#[test]
fn invalid_utf8_passes_through_with_a_warning() {
    let dir = fixture();
    let input = b"In August final 12 months \xff\xfe he instructed AFP.\nBad \xc3 here\n";
    let output = b"In August last year \xff\xfe he told AFP.\nBad \xc3 here\n";
    write(dir.path(), "bad.txt", input);
    despin(dir.path(), "clean")
        .arg("bad.txt")
        .assert()
        .success()
        .stdout(output.to_vec())
        .stderr("despin: bad.txt: warning: invalid UTF-8 at byte 26 (and 2 more)\n");
    despin(dir.path(), "clean")
        .write_stdin(&b"ok \xff final 12 months"[..])
        .assert()
        .success()
        .stdout(&b"ok \xff last year"[..])
        .stderr("despin: -: warning: invalid UTF-8 at byte 3\n");
}

#[test]
fn missing_file_is_reported_and_the_others_are_done() {
    let dir = fixture();
    write(dir.path(), "a.txt", SPUN);
    write(dir.path(), "b.txt", CLEAN);
    let missing = not_found(dir.path(), "missing.txt");
    despin(dir.path(), "clean")
        .args(["a.txt", "missing.txt", "b.txt", "-o", "out"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!("despin: missing.txt: {missing}\n"));
    assert_eq!(
        tree(&dir.path().join("out")),
        files(&[("a.txt", FIXED), ("b.txt", CLEAN)])
    );
}

#[test]
fn dictionary_errors_name_file_line_and_column() {
    let dir = fixture();
    write(dir.path(), "bad.tsv", "ok\tfine\nno tab here\n");
    write(dir.path(), "a.txt", SPUN);
    despin(dir.path(), "clean")
        .args(["--dict", "bad.tsv", "a.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("despin: bad.tsv:2:1: expected `spun<TAB>original[<TAB>options]`, found no tab\n");
    let missing = not_found(dir.path(), "nope.tsv");
    despin(dir.path(), "clean")
        .args(["--dict", "nope.tsv", "a.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!("despin: nope.tsv: {missing}\n"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = fixture();
    despin(dir.path(), "clean")
        .args(["--threshold", "2"])
        .assert()
        .code(2);
    despin(dir.path(), "clean")
        .args(["--normalize", "nfd"])
        .assert()
        .code(2);
}

/// Reads the first bytes of a large output, then closes the pipe.
fn closed_early(dir: &Path, file: &str, expected_start: &str) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_despin"))
        .current_dir(dir)
        .args(["clean", "--no-default-dicts", "--dict", "d.tsv", file])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut start = vec![0; expected_start.len()];
    stdout.read_exact(&mut start).unwrap();
    assert_eq!(String::from_utf8(start).unwrap(), expected_start);
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let dir = fixture();
    // Outputs far larger than a pipe buffer.
    write(dir.path(), "big.txt", SPUN.repeat(40_000));
    closed_early(dir.path(), "big.txt", FIXED);
    let record = "{\"text\": \"final 12 months\"}\n";
    write(dir.path(), "big.jsonl", record.repeat(40_000));
    closed_early(dir.path(), "big.jsonl", "{\"text\": \"last year\"}\n");
}

#[test]
fn stdin_file_and_jsonl_give_the_same_text() {
    let dir = fixture();
    let doc = "Un café \u{201c}final 12 months\u{201d}.\r\nIn August final 12 months,\the instructed AFP.\n\nEnd";
    let expected =
        "Un café \u{201c}final 12 months\u{201d}.\r\nIn August last year,\the told AFP.\n\nEnd";
    write(dir.path(), "doc.txt", doc);
    write(
        dir.path(),
        "doc.jsonl",
        format!("{}\n", json!({ "id": 1, "text": doc })),
    );
    let from_stdin = despin(dir.path(), "clean")
        .write_stdin(doc)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let from_file = despin(dir.path(), "clean")
        .arg("doc.txt")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let record = despin(dir.path(), "clean")
        .arg("doc.jsonl")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let record: Value = serde_json::from_slice(&record).unwrap();
    assert_eq!(String::from_utf8(from_stdin).unwrap(), expected);
    assert_eq!(String::from_utf8(from_file).unwrap(), expected);
    assert_eq!(record["text"], expected);
}

#[test]
fn thread_count_does_not_change_the_output() {
    let dir = fixture();
    let d = dir.path();
    let mut expected = BTreeMap::new();
    for i in 0..24 {
        let (input, output) = match i % 3 {
            0 => (SPUN.repeat(i + 1), FIXED.repeat(i + 1)),
            1 => (CLEAN.repeat(i), CLEAN.repeat(i)),
            _ => (format!("{CLEAN}{SPUN}"), format!("{CLEAN}{FIXED}")),
        };
        let rel = format!("d{}/f{i:02}.txt", i % 4);
        write(d, &format!("in/{rel}"), &input);
        expected.insert(rel, output.into_bytes());
    }
    let mut runs = Vec::new();
    for j in ["1", "2"] {
        let out = format!("out{j}");
        let report = format!("rep{j}.jsonl");
        despin(d, "clean")
            .args(["-j", j, "in", "-o", &out, "--report", &report])
            .assert()
            .success()
            .stdout("")
            .stderr("");
        assert_eq!(tree(&d.join(&out)), expected);
        let check = despin(d, "check")
            .args(["-j", j, "in"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        runs.push((read(d, &report), check));
    }
    assert_eq!(
        json_lines(&runs[0].0).len(),
        2 * (1 + 4 + 7 + 10 + 13 + 16 + 19 + 22) + 2 * 8
    );
    assert_eq!(String::from_utf8_lossy(&runs[0].1).lines().count(), 24);
    assert_eq!(runs[0], runs[1]);
}
