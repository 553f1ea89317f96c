//! Issue 6: every JSON Lines record comes out, in order. 10,000 seeded
//! random records, about 1% malformed (invalid JSON, no field, a field that
//! is not a string, invalid UTF-8, a raw NUL), cleaned with `-j 1` and
//! `-j 2` (and small reader blocks, so records straddle blocks).

mod common;

use common::Rng;
use std::fs;
use std::process::Command;

const DICT: &str = "final 12 months\tlast year\ninstructed AFP\ttold AFP\n";

const WORDS: &[&str] = &[
    "final 12 months",
    "instructed AFP",
    "the",
    "minister",
    "é",
    "\\u00e9",
    "\\\"quoted\\\"",
    "said",
    "on",
    "Monday",
    "\\n",
    "😀",
];

/// The records (each without its `\n`), and which are malformed.
fn records(n: usize) -> (Vec<Vec<u8>>, Vec<bool>) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut lines = Vec::new();
    let mut bad = Vec::new();
    for id in 0..n {
        let mut text = String::new();
        for _ in 0..rng.below(12) {
            text += rng.pick(WORDS);
            text.push(' ');
        }
        let good = format!("{{\"id\":{id},\"text\":\"{text}\",\"n\":1.50}}");
        let (line, malformed) = if rng.below(100) == 0 {
            let line = match rng.below(5) {
                0 => format!("{{\"id\":{id},\"text\":\"{text}\"").into_bytes(),
                1 => format!("{{\"id\":{id},\"body\":\"{text}\"}}").into_bytes(),
                2 => format!("{{\"id\":{id},\"text\":[\"{text}\"]}}").into_bytes(),
                3 => {
                    let mut l = format!("{{\"id\":{id},\"text\":\"{text}").into_bytes();
                    l.extend_from_slice(b"\xC3\x28\"}");
                    l
                }
                _ => {
                    let mut l = format!("{{\"id\":{id},\"text\":\"{text}").into_bytes();
                    l.extend_from_slice(b"\x00\"}");
                    l
                }
            };
            (line, true)
        } else {
            (good.into_bytes(), false)
        };
        lines.push(line);
        bad.push(malformed);
    }
    (lines, bad)
}

fn run(dir: &std::path::Path, threads: &str, block: &str) -> (Vec<u8>, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_despin"))
        .current_dir(dir)
        .env("DESPIN_BLOCK_BYTES", block)
        .args(["clean", "--format", "jsonl", "-q", "-j", threads, "r.jsonl"])
        .args(["--no-default-dicts", "--dict", "d.tsv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.stdout, stderr, out.status.code().unwrap())
}

#[test]
fn every_record_comes_out_in_order() {
    const N: usize = 10_000;
    let (lines, bad) = records(N);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("d.tsv"), DICT).unwrap();
    let input: Vec<u8> = lines
        .iter()
        .flat_map(|l| [&l[..], b"\n"].concat())
        .collect();
    fs::write(dir.path().join("r.jsonl"), &input).unwrap();
    let malformed = bad.iter().filter(|&&b| b).count();
    assert!((50..200).contains(&malformed), "{malformed} malformed");

    let (one, err_one, code_one) = run(dir.path(), "1", "4194304");
    let (two, err_two, code_two) = run(dir.path(), "2", "4096");
    assert_eq!(code_one, 2);
    assert_eq!(code_two, 2);
    assert!(one == two, "-j 1 and -j 2 outputs differ");
    assert_eq!(err_one, err_two);

    let out: Vec<&[u8]> = one
        .strip_suffix(b"\n")
        .unwrap()
        .split(|&b| b == b'\n')
        .collect();
    assert_eq!(out.len(), N);
    let mut changed = 0;
    for (i, (got, want)) in out.iter().zip(&lines).enumerate() {
        if bad[i] {
            assert_eq!(got, &&want[..], "line {}", i + 1);
            continue;
        }
        // Good records keep their id, in order.
        let v: serde_json::Value = serde_json::from_slice(got).unwrap();
        assert_eq!(v["id"], i as u64);
        assert_eq!(v["n"].to_string(), "1.5");
        let text = v["text"].as_str().unwrap();
        assert!(!text.contains("final 12 months") && !text.contains("instructed AFP"));
        changed += usize::from(got != &&want[..]);
    }
    assert!(changed > N / 2, "{changed} records changed");
    // One message per malformed line, naming it, in order.
    let located: Vec<String> = err_one
        .lines()
        .map(|l| {
            let l = l.strip_prefix("despin: ").unwrap_or_else(|| panic!("{l}"));
            let mut parts = l.splitn(3, ':');
            format!("{}:{}", parts.next().unwrap(), parts.next().unwrap())
        })
        .collect();
    let want: Vec<String> = (0..N)
        .filter(|&i| bad[i])
        .map(|i| format!("r.jsonl:{}", i + 1))
        .collect();
    assert_eq!(located, want);
    eprintln!("{N} records, {malformed} malformed, {changed} changed");
}
