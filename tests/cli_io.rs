//! The command line's input and output: compressed files, `--compress`,
//! `--stats`, JSON Lines records that straddle the reader's blocks
//! (`DESPIN_BLOCK_BYTES`), order under threads. Every test uses a tiny
//! user dictionary (`--no-default-dicts --dict d.tsv`).

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use tempfile::TempDir;

mod common;
use common::{write, FIXED, RECORDS_IN, RECORDS_OUT, SPUN};

const DICT: &str = "final 12 months\tlast year\ninstructed AFP\ttold AFP\n";

const RECORDS_ERR: &str = "despin: r.jsonl:2: invalid JSON: expected ident at line 1 column 2\n\
                           despin: r.jsonl:4: no field `text`\n";

fn fixture() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.tsv", DICT);
    dir
}

/// `despin SUB --no-default-dicts --dict d.tsv`, run in `dir`.
fn despin(dir: &Path, sub: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_despin"));
    cmd.current_dir(dir)
        .env_remove("DESPIN_BLOCK_BYTES")
        .arg(sub)
        .args(["--no-default-dicts", "--dict", "d.tsv"]);
    cmd
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

fn unzstd(data: &[u8]) -> Vec<u8> {
    zstd::decode_all(data).unwrap()
}

fn stdout_of(cmd: &mut Command) -> Vec<u8> {
    cmd.output().unwrap().stdout
}

#[test]
fn compressed_inputs_clean_like_the_plain_file() {
    let dir = fixture();
    let d = dir.path();
    write(d, "r.jsonl", RECORDS_IN);
    write(d, "r.jsonl.gz", gzip(RECORDS_IN.as_bytes()));
    write(d, "r.jsonl.zst", zstd(RECORDS_IN.as_bytes()));
    write(d, "r.ndjson.GZ", gzip(RECORDS_IN.as_bytes()));
    for (file, name) in [
        ("r.jsonl", "r.jsonl"),
        ("r.jsonl.gz", "r.jsonl.gz"),
        ("r.jsonl.zst", "r.jsonl.zst"),
        ("r.ndjson.GZ", "r.ndjson.GZ"),
    ] {
        despin(d, "clean")
            .arg(file)
            .assert()
            .code(2)
            .stdout(RECORDS_OUT)
            .stderr(RECORDS_ERR.replace("r.jsonl", name));
    }
    // Text, and several gzip members read as one stream (as gzip does).
    let mut two = gzip(b"In August final 12 months, ");
    two.extend(gzip(b"he instructed AFP.\n"));
    write(d, "a.txt.gz", two);
    write(d, "b.txt.zst", zstd(SPUN.as_bytes()));
    for file in ["a.txt.gz", "b.txt.zst"] {
        despin(d, "clean")
            .arg(file)
            .assert()
            .success()
            .stdout(FIXED)
            .stderr("");
    }
    // A `.gz` that is not JSON Lines underneath is text (where quoted
    // strings are left alone, and nothing is malformed).
    write(d, "r.txt.gz", gzip(RECORDS_IN.as_bytes()));
    despin(d, "clean")
        .arg("r.txt.gz")
        .assert()
        .success()
        .stdout(RECORDS_IN)
        .stderr("");
}

#[test]
fn outputs_keep_their_input_compression() {
    let dir = fixture();
    let d = dir.path();
    write(d, "in/r.jsonl.gz", gzip(RECORDS_IN.as_bytes()));
    write(d, "in/a.txt.zst", zstd(SPUN.as_bytes()));
    write(d, "in/b.txt", SPUN);
    despin(d, "clean")
        .args(["in", "-o", "out"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(RECORDS_ERR.replace("r.jsonl", "in/r.jsonl.gz"));
    let out = d.join("out");
    assert_eq!(
        gunzip(&fs::read(out.join("r.jsonl.gz")).unwrap()),
        RECORDS_OUT.as_bytes()
    );
    assert_eq!(
        unzstd(&fs::read(out.join("a.txt.zst")).unwrap()),
        FIXED.as_bytes()
    );
    assert_eq!(fs::read_to_string(out.join("b.txt")).unwrap(), FIXED);
    assert_eq!(fs::read_dir(&out).unwrap().count(), 3);
}

#[test]
fn compress_forces_the_output_compression() {
    let dir = fixture();
    let d = dir.path();
    write(d, "r.jsonl", RECORDS_IN);
    write(d, "in/r.jsonl.gz", gzip(RECORDS_IN.as_bytes()));
    write(d, "in/a.txt", SPUN);
    // Standard output.
    let gz = stdout_of(despin(d, "clean").args(["--compress", "gz", "r.jsonl"]));
    assert_eq!(gunzip(&gz), RECORDS_OUT.as_bytes());
    let zst = stdout_of(despin(d, "clean").args(["--compress", "zst", "in/r.jsonl.gz"]));
    assert_eq!(unzstd(&zst), RECORDS_OUT.as_bytes());
    let plain = stdout_of(despin(d, "clean").args(["--compress", "none", "in/r.jsonl.gz"]));
    assert_eq!(plain, RECORDS_OUT.as_bytes());
    let text = stdout_of(
        despin(d, "clean")
            .args(["--compress", "zst"])
            .write_stdin(SPUN),
    );
    assert_eq!(unzstd(&text), FIXED.as_bytes());
    // Files under -o are renamed.
    despin(d, "clean")
        .args(["--compress", "zst", "in", "-o", "zst"])
        .assert()
        .code(2)
        .stdout("");
    assert_eq!(
        unzstd(&fs::read(d.join("zst/r.jsonl.zst")).unwrap()),
        RECORDS_OUT.as_bytes()
    );
    assert_eq!(
        unzstd(&fs::read(d.join("zst/a.txt.zst")).unwrap()),
        FIXED.as_bytes()
    );
    assert_eq!(fs::read_dir(d.join("zst")).unwrap().count(), 2);
    despin(d, "clean")
        .args(["--compress", "none", "in", "-o", "plain"])
        .assert()
        .code(2)
        .stdout("");
    assert_eq!(
        fs::read_to_string(d.join("plain/r.jsonl")).unwrap(),
        RECORDS_OUT
    );
    assert_eq!(fs::read_to_string(d.join("plain/a.txt")).unwrap(), FIXED);
    assert_eq!(fs::read_dir(d.join("plain")).unwrap().count(), 2);
    // An empty input still makes a whole (empty) compressed stream.
    write(d, "empty/e.jsonl", "");
    write(d, "empty/t.txt", "");
    for c in ["gz", "zst"] {
        despin(d, "clean")
            .args(["--compress", c, "empty", "-o", &format!("empty-{c}")])
            .assert()
            .success();
        for name in ["e.jsonl", "t.txt"] {
            let packed = fs::read(d.join(format!("empty-{c}/{name}.{c}"))).unwrap();
            assert!(!packed.is_empty());
            let unpacked = if c == "gz" {
                gunzip(&packed)
            } else {
                unzstd(&packed)
            };
            assert_eq!(unpacked, b"");
        }
        let packed = stdout_of(despin(d, "clean").args(["--compress", c, "empty/e.jsonl"]));
        let unpacked = if c == "gz" {
            gunzip(&packed)
        } else {
            unzstd(&packed)
        };
        assert!(!packed.is_empty() && unpacked.is_empty());
    }
    // A diff is never compressed.
    despin(d, "clean")
        .args(["--compress", "gz", "--diff", "r.jsonl"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn corrupt_compressed_inputs_are_errors() {
    let dir = fixture();
    let d = dir.path();
    write(d, "bad.jsonl.gz", "not gzip at all\n");
    write(d, "bad.txt.zst", "not zstd\n");
    write(d, "ok.txt", SPUN);
    despin(d, "clean")
        .args(["bad.jsonl.gz", "bad.txt.zst", "ok.txt", "-o", "out"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "despin: bad.jsonl.gz: gzip: invalid gzip header\n\
             despin: bad.txt.zst: zstd: Unknown frame descriptor\n",
        );
    assert_eq!(fs::read_to_string(d.join("out/ok.txt")).unwrap(), FIXED);
    // Cut short: the records before the cut come out, then the error.
    let whole = gzip(
        format!("{}\n", r#"{"text": "final 12 months"}"#)
            .repeat(2000)
            .as_bytes(),
    );
    write(d, "cut.jsonl.gz", &whole[..whole.len() / 2]);
    let out = despin(d, "clean").arg("cut.jsonl.gz").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("{\"text\": \"last year\"}\n"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.ends_with("despin: cut.jsonl.gz: gzip: incomplete deflate stream\n"),
        "{stderr}"
    );
}

/// Asserts that `stderr` is `before`, then `despin: stats: ...` with
/// these counts and bytes, and any time and rate.
fn assert_stats(stderr: &[u8], before: &str, counts: [u64; 4], bytes: usize) {
    let stderr = String::from_utf8_lossy(stderr);
    let rest = stderr
        .strip_prefix(before)
        .unwrap_or_else(|| panic!("{stderr}"));
    let [documents, spun, edits, verbatim] = counts;
    let pattern = format!(
        "^despin: stats: documents {documents}, spun {spun}, edits {edits}, \
         verbatim {verbatim}, bytes {bytes}, seconds [0-9]+\\.[0-9]{{2}}, MB/s [0-9]+\\.[0-9]\n$"
    );
    assert!(
        predicate::str::is_match(pattern).unwrap().eval(rest),
        "{stderr}"
    );
}

#[test]
fn stats_count_documents_spun_edits_and_verbatim_records() {
    let dir = fixture();
    let d = dir.path();
    write(d, "r.jsonl", RECORDS_IN);
    write(d, "r.jsonl.gz", gzip(RECORDS_IN.as_bytes()));
    let n = RECORDS_IN.len();
    // Five lines: two malformed (verbatim), three cleaned of which two spun
    // with one edit each.
    let out = despin(d, "clean")
        .args(["--stats", "r.jsonl"])
        .assert()
        .code(2)
        .stdout(RECORDS_OUT);
    assert_stats(&out.get_output().stderr, RECORDS_ERR, [5, 2, 2, 2], n);
    // Bytes are those of the documents, decompressed; --quiet keeps them.
    let out = despin(d, "check")
        .args(["--stats", "-q", "r.jsonl.gz"])
        .assert()
        .code(2);
    let errors = RECORDS_ERR.replace("r.jsonl", "r.jsonl.gz");
    assert_stats(&out.get_output().stderr, &errors, [5, 2, 2, 2], n);
    // Text documents, and blank lines (not records).
    write(d, "in/a.txt", SPUN);
    write(d, "in/b.txt", "Fine.\n");
    write(d, "in/c.jsonl", "\n{\"text\": \"fine\"}\n  \n");
    let out = despin(d, "clean")
        .args(["--stats", "in", "-o", "out"])
        .assert()
        .success()
        .stdout("");
    assert_stats(
        &out.get_output().stderr,
        "",
        [3, 1, 2, 0],
        SPUN.len() + 6 + 21,
    );
}

#[test]
fn quiet_and_piped_stderr_show_no_progress() {
    let dir = fixture();
    write(dir.path(), "a.txt", SPUN);
    for args in [
        &["a.txt"][..],
        &["-q", "a.txt"][..],
        &["--quiet", "a.txt"][..],
    ] {
        despin(dir.path(), "clean")
            .args(args)
            .assert()
            .success()
            .stdout(FIXED)
            .stderr("");
    }
}

/// Records of many lengths (some far longer than the blocks), blank and
/// malformed lines, CRLF endings and no final newline.
fn straddling_records() -> (String, String, String) {
    let (mut input, mut output, mut errors) = (String::new(), String::new(), String::new());
    for i in 0..300 {
        let filler = "x".repeat((i * 37) % 700);
        let end = if i % 7 == 3 { "\r\n" } else { "\n" };
        match i % 50 {
            10 => {
                input += "{\"text\": oops}\n";
                output += "{\"text\": oops}\n";
                errors += &format!(
                    "despin: r.jsonl:{}: invalid JSON: expected value at line 1 column 10\n",
                    i + 1
                );
            }
            20 => {
                input += " \n";
                output += " \n";
            }
            _ => {
                input +=
                    &format!("{{\"id\": {i}, \"text\": \"{filler} final 12 months {i}\"}}{end}");
                output += &format!("{{\"id\": {i}, \"text\": \"{filler} last year {i}\"}}{end}");
            }
        }
    }
    input += r#"{"id": "last", "text": "final 12 months"}"#;
    output += r#"{"id": "last", "text": "last year"}"#;
    (input, output, errors)
}

#[test]
fn records_straddling_blocks_come_out_whole_and_in_order() {
    let dir = fixture();
    let d = dir.path();
    let (input, output, errors) = straddling_records();
    write(d, "r.jsonl", &input);
    write(d, "r.jsonl.gz", gzip(input.as_bytes()));
    for block in ["1", "2", "7", "64", "700", "4096", "1000000"] {
        for j in ["1", "2"] {
            for file in ["r.jsonl", "r.jsonl.gz"] {
                despin(d, "clean")
                    .env("DESPIN_BLOCK_BYTES", block)
                    .args(["-j", j, file])
                    .assert()
                    .code(2)
                    .stdout(output.clone())
                    .stderr(errors.replace("r.jsonl", file));
            }
        }
    }
    // From standard input too.
    despin(d, "clean")
        .env("DESPIN_BLOCK_BYTES", "100")
        .args(["--format", "jsonl"])
        .write_stdin(input.clone())
        .assert()
        .code(2)
        .stdout(output)
        .stderr(errors.replace("r.jsonl", "-"));
}

#[test]
fn one_record_longer_than_many_blocks() {
    let dir = fixture();
    let d = dir.path();
    let long = "word ".repeat(200_000);
    let input = format!(
        "{{\"text\": \"a\"}}\n{{\"text\": \"{long}final 12 months\"}}\n{{\"text\": \"b\"}}"
    );
    let output =
        format!("{{\"text\": \"a\"}}\n{{\"text\": \"{long}last year\"}}\n{{\"text\": \"b\"}}");
    write(d, "r.jsonl", &input);
    for block in ["16", "4096"] {
        despin(d, "clean")
            .env("DESPIN_BLOCK_BYTES", block)
            .arg("r.jsonl")
            .assert()
            .success()
            .stdout(output.clone())
            .stderr("");
    }
}

#[test]
fn thread_count_changes_neither_records_nor_order() {
    let dir = fixture();
    let d = dir.path();
    let mut input = String::new();
    for i in 0..20_000 {
        let text = match i % 3 {
            0 => "final 12 months",
            1 => "fine",
            _ => "he instructed AFP",
        };
        input += &format!("{{\"id\": {i}, \"text\": \"{text}\"}}\n");
    }
    write(d, "r.jsonl", &input);
    let mut runs = Vec::new();
    for j in ["1", "2"] {
        let clean = despin(d, "clean")
            .env("DESPIN_BLOCK_BYTES", "4096")
            .args(["-j", j, "r.jsonl", "--report", &format!("rep{j}.jsonl")])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let check = despin(d, "check")
            .env("DESPIN_BLOCK_BYTES", "4096")
            .args(["-j", j, "r.jsonl"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let report = fs::read_to_string(d.join(format!("rep{j}.jsonl"))).unwrap();
        runs.push((clean, check, report));
    }
    assert_eq!(runs[0], runs[1]);
    let (clean, check, report) = &runs[0];
    let clean = String::from_utf8(clean.clone()).unwrap();
    assert_eq!(
        clean,
        input
            .replace("final 12 months", "last year")
            .replace("instructed AFP", "told AFP")
    );
    let ids: Vec<String> = String::from_utf8(check.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["source"].to_string())
        .collect();
    let expected: Vec<String> = (0..20_000).map(|i: i32| format!("\"{i}\"")).collect();
    assert_eq!(ids, expected);
    assert_eq!(report.lines().count(), 20_000 / 3 * 2 + 1);
}

/// A file for `--in-place`: its name, its compressed bytes, its cleaned
/// text and how to decompress it.
type InPlaceCase<'a> = (&'a str, Vec<u8>, &'a [u8], fn(&[u8]) -> Vec<u8>);

/// `--in-place` on compressed files: each stays compressed in its own
/// format, holds the cleaned text, and its backup is the original's
/// compressed bytes, untouched. Also when records span the reader's
/// blocks and gzip is written in pieces, and when a text over
/// `--max-doc-bytes` passes through in pieces.
#[test]
fn in_place_keeps_each_file_compressed_as_it_was() {
    let dir = fixture();
    let d = dir.path();
    let (input, output, errors) = straddling_records();
    let mut two = gzip(b"In August final 12 months, ");
    two.extend(gzip(b"he instructed AFP.\n"));
    let files: [InPlaceCase; 5] = [
        (
            "in/r.jsonl.gz",
            gzip(RECORDS_IN.as_bytes()),
            RECORDS_OUT.as_bytes(),
            gunzip,
        ),
        (
            "in/r.jsonl.zst",
            zstd(RECORDS_IN.as_bytes()),
            RECORDS_OUT.as_bytes(),
            unzstd,
        ),
        ("in/s/a.txt.gz", two, FIXED.as_bytes(), gunzip),
        (
            "in/s/b.txt.zst",
            zstd(SPUN.as_bytes()),
            FIXED.as_bytes(),
            unzstd,
        ),
        (
            "in/s/long.jsonl.gz",
            gzip(input.as_bytes()),
            output.as_bytes(),
            gunzip,
        ),
    ];
    for (block, backup) in [("1000000", None), ("64", Some(".orig"))] {
        for (name, original, _, _) in &files {
            write(d, name, original);
        }
        let mut cmd = despin(d, "clean");
        cmd.env("DESPIN_BLOCK_BYTES", block)
            .args(["--in-place", "in"]);
        if let Some(suffix) = backup {
            cmd.args(["--backup", suffix]);
        }
        let stderr = RECORDS_ERR.replace("r.jsonl", "in/r.jsonl.gz")
            + &RECORDS_ERR.replace("r.jsonl", "in/r.jsonl.zst")
            + &errors.replace("r.jsonl", "in/s/long.jsonl.gz");
        cmd.assert().code(2).stdout("").stderr(stderr);
        for (name, original, cleaned, decompress) in &files {
            let got = fs::read(d.join(name)).unwrap();
            let magic: &[u8] = if name.ends_with(".gz") {
                b"\x1f\x8b"
            } else {
                b"\x28\xb5\x2f\xfd"
            };
            assert!(got.starts_with(magic), "{name} is not compressed as it was");
            assert_eq!(decompress(&got), *cleaned, "{name}");
            if let Some(suffix) = backup {
                assert_eq!(
                    fs::read(d.join(format!("{name}{suffix}"))).unwrap(),
                    *original
                );
            }
        }
        let mut names: Vec<String> = walkdir::WalkDir::new(d.join("in"))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(d).unwrap().display().to_string())
            .collect();
        names.sort();
        let mut want: Vec<String> = files.iter().map(|f| f.0.to_string()).collect();
        if let Some(suffix) = backup {
            want.extend(files.iter().map(|f| format!("{}{suffix}", f.0)));
        }
        want.sort();
        assert_eq!(names, want);
    }
    // A text over `--max-doc-bytes` is copied through in pieces: still
    // the same gzip content, and an error.
    let big = SPUN.repeat(100);
    write(d, "big.txt.gz", gzip(big.as_bytes()));
    despin(d, "clean")
        .env("DESPIN_BLOCK_BYTES", "64")
        .args(["--in-place", "--max-doc-bytes", "1k", "big.txt.gz"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "despin: big.txt.gz: document of {} bytes exceeds --max-doc-bytes 1024; \
             passed through unchanged\n",
            big.len()
        ));
    assert_eq!(
        gunzip(&fs::read(d.join("big.txt.gz")).unwrap()),
        big.as_bytes()
    );
}
