//! Issue 6, "nothing lost, nothing crashes": a catalogue of hostile
//! inputs, each with its exact outcome (output bytes, standard error, exit
//! status). Every test uses a tiny user dictionary and checks that nothing
//! panicked.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DICT: &str = "final 12 months\tlast year\n";

struct Out {
    stdout: Vec<u8>,
    stderr: String,
    code: i32,
}

/// `despin ARGS --no-default-dicts --dict d.tsv` in `dir` (which gets the
/// dictionary), with `stdin`.
fn despin(dir: &Path, args: &[&str], stdin: &[u8]) -> Out {
    fs::write(dir.join("d.tsv"), DICT).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_despin"))
        .current_dir(dir)
        .env_remove("DESPIN_BLOCK_BYTES")
        .args(args)
        .args(["--no-default-dicts", "--dict", "d.tsv", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Out {
        stdout: out.stdout,
        stderr,
        code: out.status.code().unwrap_or(-1),
    }
}

/// Cleans file `name` holding `input` to standard output.
fn clean_file(name: &str, input: &[u8]) -> Out {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), input).unwrap();
    despin(dir.path(), &["clean", name], b"")
}

fn assert_out(out: &Out, stdout: &[u8], stderr: &str, code: i32) {
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(stdout)
    );
    assert_eq!(out.stdout, stdout);
    assert_eq!(out.stderr, stderr);
    assert_eq!(out.code, code);
}

/// Every file under `dir`, relative, sorted (hidden ones included).
fn tree(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let t = e.file_type().unwrap();
        if t.is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn empty_files() {
    assert_out(&clean_file("e.txt", b""), b"", "", 0);
    assert_out(&clean_file("e.jsonl", b""), b"", "", 0);
    let dir = tempfile::tempdir().unwrap();
    assert_out(&despin(dir.path(), &["clean"], b""), b"", "", 0);
}

#[test]
fn no_trailing_newline() {
    assert_out(
        &clean_file("a.txt", b"final 12 months"),
        b"last year",
        "",
        0,
    );
    assert_out(
        &clean_file("a.jsonl", br#"{"text":"final 12 months"}"#),
        br#"{"text":"last year"}"#,
        "",
        0,
    );
}

#[test]
fn crlf_and_lone_cr_are_kept() {
    assert_out(
        &clean_file(
            "a.txt",
            b"final 12 months one\r\nfinal 12 months two\rend\r",
        ),
        b"last year one\r\nlast year two\rend\r",
        "",
        0,
    );
    assert_out(
        &clean_file(
            "a.jsonl",
            b"{\"text\":\"final 12 months\"}\r\n{\"text\":\"x\"}\r\n",
        ),
        b"{\"text\":\"last year\"}\r\n{\"text\":\"x\"}\r\n",
        "",
        0,
    );
    // Lone CRs do not end JSON Lines records: the two make one bad line.
    let input = b"{\"text\":\"final 12 months\"}\r{\"text\":\"x\"}\r";
    assert_out(
        &clean_file("a.jsonl", input),
        input,
        "despin: a.jsonl:1: invalid JSON: trailing characters at line 1 column 28\n",
        2,
    );
}

#[test]
fn utf8_bom_is_kept_and_the_first_record_still_parses() {
    assert_out(
        &clean_file("a.txt", b"\xEF\xBB\xBFfinal 12 months\n"),
        b"\xEF\xBB\xBFlast year\n",
        "",
        0,
    );
    assert_out(
        &clean_file(
            "a.jsonl",
            b"\xEF\xBB\xBF{\"text\":\"final 12 months\"}\n{\"text\":\"final 12 months\"}\n",
        ),
        b"\xEF\xBB\xBF{\"text\":\"last year\"}\n{\"text\":\"last year\"}\n",
        "",
        0,
    );
}

const UTF16: &str =
    "UTF-16 text is not supported; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)";

#[test]
fn utf16_is_refused_never_garbled() {
    let le_bom = b"\xFF\xFEf\x00i\x00n\x00e\x00\n\x00";
    let be_bom = b"\xFE\xFF\x00f\x00i\x00n\x00e\x00\n";
    let le_plain = b"f\x00i\x00n\x00a\x00l\x00 \x001\x002\x00\n\x00";
    let be_plain = b"\x00{\x00}\x00\n";
    for (name, input) in [
        ("a.txt", &le_bom[..]),
        ("b.txt", &be_bom[..]),
        ("c.txt", &le_plain[..]),
        ("d.jsonl", &le_bom[..]),
        ("e.jsonl", &be_plain[..]),
    ] {
        let message = format!("despin: {name}: {UTF16}\n");
        assert_out(&clean_file(name, input), b"", &message, 2);
    }
    // Under `-o`, no output file is made.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    fs::write(dir.path().join("in/u.txt"), le_bom).unwrap();
    fs::write(dir.path().join("in/ok.txt"), "final 12 months\n").unwrap();
    let out = despin(dir.path(), &["clean", "in", "-o", "out"], b"");
    assert_out(&out, b"", &format!("despin: in/u.txt: {UTF16}\n"), 2);
    assert_eq!(tree(&dir.path().join("out")), ["ok.txt"]);
}

#[test]
fn invalid_utf8_bytes_are_kept_in_text_and_records_pass_verbatim() {
    assert_out(
        &clean_file("a.txt", b"final 12 months \xFF\xFE ok\n"),
        b"last year \xFF\xFE ok\n",
        "despin: a.txt: warning: invalid UTF-8 at byte 16 (and 1 more)\n",
        0,
    );
    let input = b"{\"text\":\"\xFF final 12 months\"}\n{\"text\":\"final 12 months\"}\n";
    assert_out(
        &clean_file("a.jsonl", input),
        b"{\"text\":\"\xFF final 12 months\"}\n{\"text\":\"last year\"}\n",
        "despin: a.jsonl:1: invalid UTF-8 at byte 9\n",
        2,
    );
}

#[test]
fn binary_files_are_copied_unchanged_and_nul_records_pass_verbatim() {
    let bin = b"final 12 months\x00\x01\x02 final 12 months";
    assert_out(
        &clean_file("a.bin", bin),
        bin,
        "despin: a.bin: binary file (NUL byte at offset 15), copied unchanged\n",
        0,
    );
    // `check` and `--diff` skip it.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.bin"), bin).unwrap();
    let skipped = "despin: a.bin: binary file (NUL byte at offset 15), skipped\n";
    assert_out(
        &despin(dir.path(), &["check", "a.bin"], b""),
        b"",
        skipped,
        0,
    );
    assert_out(
        &despin(dir.path(), &["clean", "--diff", "a.bin"], b""),
        b"",
        skipped,
        0,
    );
    // Under `-o DIR` it is copied unchanged.
    fs::create_dir(dir.path().join("in")).unwrap();
    fs::write(dir.path().join("in/a.bin"), bin).unwrap();
    let out = despin(dir.path(), &["clean", "in", "-o", "out"], b"");
    assert_out(
        &out,
        b"",
        "despin: in/a.bin: binary file (NUL byte at offset 15), copied unchanged\n",
        0,
    );
    assert_eq!(fs::read(dir.path().join("out/a.bin")).unwrap(), bin);
    // A record with a raw NUL is invalid JSON: verbatim, with its message.
    let input = b"{\"text\":\"final 12 months\x00\"}\n{\"text\":\"final 12 months\"}\n";
    assert_out(
        &clean_file("a.jsonl", input),
        b"{\"text\":\"final 12 months\x00\"}\n{\"text\":\"last year\"}\n",
        "despin: a.jsonl:1: invalid JSON: control character (\\u0000-\\u001F) found while \
         parsing a string at line 1 column 24\n",
        2,
    );
}

/// 100 MB lines: over the default `--max-doc-bytes` (64 MiB), they are
/// streamed through unchanged; the record after one is still cleaned.
#[test]
fn hundred_megabyte_lines_pass_through_whole() {
    const N: usize = 100_000_000;
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    let mut text = b"final 12 months ".repeat(N / 16);
    text.push(b'\n');
    fs::write(dir.path().join("in/big.txt"), &text).unwrap();
    let mut record = b"{\"text\":\"".to_vec();
    record.extend(std::iter::repeat(b'a').take(N));
    record.extend_from_slice(b"\"}");
    let mut jsonl = record.clone();
    jsonl.extend_from_slice(b"\n{\"text\":\"final 12 months\"}\n");
    fs::write(dir.path().join("in/big.jsonl"), &jsonl).unwrap();
    let out = despin(dir.path(), &["clean", "in", "-o", "out"], b"");
    assert_out(
        &out,
        b"",
        &format!(
            "despin: in/big.jsonl:1: document of {} bytes exceeds --max-doc-bytes 67108864; \
             passed through unchanged\n\
             despin: in/big.txt: document of {} bytes exceeds --max-doc-bytes 67108864; \
             passed through unchanged\n",
            record.len(),
            text.len()
        ),
        2,
    );
    let got = fs::read(dir.path().join("out/big.txt")).unwrap();
    assert!(got == text, "big.txt differs");
    drop(got);
    let mut want = record;
    want.extend_from_slice(b"\n{\"text\":\"last year\"}\n");
    let got = fs::read(dir.path().join("out/big.jsonl")).unwrap();
    assert!(got == want, "big.jsonl differs");
}

#[test]
fn max_doc_bytes_passes_larger_documents_through() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.txt"), "final 12 months, final 12 months\n").unwrap();
    fs::write(
        d.join("a.jsonl"),
        "{\"text\":\"final 12 months and more\"}\n{\"text\":\"final 12 months\"}\n",
    )
    .unwrap();
    assert_out(
        &despin(d, &["clean", "--max-doc-bytes", "30", "a.txt"], b""),
        b"final 12 months, final 12 months\n",
        "despin: a.txt: document of 33 bytes exceeds --max-doc-bytes 30; passed through unchanged\n",
        2,
    );
    assert_out(
        &despin(d, &["clean", "--max-doc-bytes", "30", "a.jsonl"], b""),
        b"{\"text\":\"final 12 months and more\"}\n{\"text\":\"last year\"}\n",
        "despin: a.jsonl:1: document of 35 bytes exceeds --max-doc-bytes 30; passed through unchanged\n",
        2,
    );
    // Also when the record is longer than the reader's block.
    let mut cmd_out = {
        fs::write(d.join("d.tsv"), DICT).unwrap();
        Command::new(env!("CARGO_BIN_EXE_despin"))
            .current_dir(d)
            .env("DESPIN_BLOCK_BYTES", "8")
            .args(["clean", "--max-doc-bytes", "1k", "a.jsonl", "-q"])
            .args(["--no-default-dicts", "--dict", "d.tsv"])
            .output()
            .unwrap()
    };
    assert_eq!(
        String::from_utf8(std::mem::take(&mut cmd_out.stdout)).unwrap(),
        "{\"text\":\"last year and more\"}\n{\"text\":\"last year\"}\n"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_despin"))
        .current_dir(d)
        .env("DESPIN_BLOCK_BYTES", "8")
        .args(["clean", "--max-doc-bytes", "10", "a.jsonl", "-q"])
        .args(["--no-default-dicts", "--dict", "d.tsv"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"text\":\"final 12 months and more\"}\n{\"text\":\"final 12 months\"}\n"
    );
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "despin: a.jsonl:1: document of 35 bytes exceeds --max-doc-bytes 10; passed through unchanged\n\
         despin: a.jsonl:2: document of 26 bytes exceeds --max-doc-bytes 10; passed through unchanged\n"
    );
    let bad = despin(d, &["clean", "--max-doc-bytes", "12X", "a.txt"], b"");
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("`12X` is not a size"), "{}", bad.stderr);
}

#[test]
fn deeply_nested_and_huge_json_values() {
    // Unclosed: invalid JSON, verbatim, no stack overflow.
    let mut open = b"{\"text\":\"final 12 months\",\"a\":".to_vec();
    open.extend(std::iter::repeat(b'[').take(100_000));
    open.push(b'}');
    let out = clean_file("a.jsonl", &open);
    assert_out(
        &out,
        &[&open[..], b"\n"].concat()[..open.len()],
        "despin: a.jsonl:1: invalid JSON: expected value at line 1 column 100031\n",
        2,
    );
    // Closed: other fields are copied unparsed, the text is cleaned.
    let mut closed = b"{\"text\":\"final 12 months\",\"a\":".to_vec();
    closed.extend(std::iter::repeat(b'[').take(100_000));
    closed.extend(std::iter::repeat(b']').take(100_000));
    closed.extend_from_slice(b"}\n");
    let want = [
        &b"{\"text\":\"last year\""[..],
        &closed[b"{\"text\":\"final 12 months\"".len()..],
    ]
    .concat();
    assert_out(&clean_file("b.jsonl", &closed), &want, "", 0);
    // A 20 MB string field.
    let mut huge = b"{\"text\":\"final 12 months\",\"blob\":\"".to_vec();
    huge.extend(std::iter::repeat(b'x').take(20_000_000));
    huge.extend_from_slice(b"\"}\n");
    let want = [
        &b"{\"text\":\"last year\""[..],
        &huge[b"{\"text\":\"final 12 months\"".len()..],
    ]
    .concat();
    let out = clean_file("c.jsonl", &huge);
    assert!(out.stdout == want);
    assert_eq!((out.stderr.as_str(), out.code), ("", 0));
}

#[test]
fn fields_that_are_not_strings_and_duplicate_keys() {
    let input = b"{\"text\": 5}\n{\"text\": null, \"id\": 1}\n{\"text\":\"a\",\"text\":\"final 12 months\"}\n";
    assert_out(
        &clean_file("a.jsonl", input),
        b"{\"text\": 5}\n{\"text\": null, \"id\": 1}\n{\"text\":\"a\",\"text\":\"last year\"}\n",
        "despin: a.jsonl:1: field `text` is not a string\n\
         despin: a.jsonl:2: field `text` is not a string\n",
        2,
    );
}

#[test]
fn dictionary_files_bad_lines_huge_entries_and_regex_characters() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("bad.tsv"),
        "final 12 months\tlast year\nno tab here\n",
    )
    .unwrap();
    let out = despin(d, &["clean", "--dict", "bad.tsv"], b"final 12 months\n");
    assert_out(
        &out,
        b"",
        "despin: bad.tsv:2:1: expected `spun<TAB>original[<TAB>options]`, found no tab\n",
        2,
    );
    // A 1 MB entry is refused at once, naming the line. Accepted, it cost
    // over 12 minutes of CPU compiling the matcher (an Aho-Corasick DFA is
    // built in time quadratic in a repetitive pattern's length); see
    // `despin::dict::MAX_FORM_BYTES`.
    let huge = "word ".repeat(209_715) + "word";
    fs::write(
        d.join("big.tsv"),
        format!("final 12 months\tlast year\n{huge}\tx\n"),
    )
    .unwrap();
    let start = Instant::now();
    let out = despin(d, &["clean", "--dict", "big.tsv"], b"final 12 months\n");
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_out(
        &out,
        b"",
        "despin: big.tsv:2:1: spun form of 1048579 bytes is too long (at most 500): \
         an entry is a phrase of a few words\n",
        2,
    );
    fs::write(
        d.join("big.tsv"),
        format!("final 12 months\tlast year\nx\t{huge}\n"),
    )
    .unwrap();
    let out = despin(d, &["clean", "--dict", "big.tsv"], b"final 12 months\n");
    assert_out(
        &out,
        b"",
        "despin: big.tsv:2:3: original of 1048579 bytes is too long (at most 500): \
         an entry is a phrase of a few words\n",
        2,
    );
    // Regex metacharacters are literal: `x.y` matches only itself.
    fs::write(
        d.join("re.tsv"),
        "x.y\tdot\nx*y\tstar\nx|y\tbar\n(x)\tparen\n[x]\tbracket\n^x$\tanchor\n",
    )
    .unwrap();
    let out = despin(
        d,
        &["clean", "--dict", "re.tsv"],
        b"x.y xzy xxy xy x y xx|y\n",
    );
    assert_out(&out, b"dot xzy xxy xy x y xx|y\n", "", 0);
}

/// An entry matches its words written in a text exactly as in the entry:
/// marks inside or around a word (`c++`, `c#`, `.net`) are tokens on both
/// sides, and a decomposed accent in the entry composes as the text's does.
#[test]
fn dictionary_entries_match_as_written_in_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("p.tsv"),
        "c++\tC plus plus\nc#\tC sharp\n.net\tdotnet\nx.y\tdot\ncafe\u{301} society\tcoffee set\n",
    )
    .unwrap();
    // Lower case: a capital in mid-sentence where the entry has none marks
    // a name ("C#", "Cafe Society"), which is left alone.
    let text = "In c++, c# and .net; x.y at the cafe\u{301} society.\n";
    // Without the model every match is repaired: the keys match the text.
    let out = despin(d, &["clean", "--dict", "p.tsv", "--no-lm"], text.as_bytes());
    assert_out(
        &out,
        "In C plus plus, C sharp and dotnet; dot at the coffee set.\n".as_bytes(),
        "",
        0,
    );
    // With it, each is still an exact match; the model decides which
    // repairs read better than the spun form (`c++` is scored as the word
    // `c`: the model has no punctuation).
    let out = despin(
        d,
        &[
            "clean",
            "--dict",
            "p.tsv",
            "--report",
            "r.jsonl",
            "--suggestions",
        ],
        text.as_bytes(),
    );
    assert_eq!(out.code, 0);
    let report = fs::read_to_string(d.join("r.jsonl")).unwrap();
    let mut found: Vec<(String, String, String)> = report
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            (s("from"), s("to"), s("match"))
        })
        .collect();
    found.sort();
    // `from` is the text as cleaned: in NFC.
    let want = [
        (".net", "dotnet"),
        ("c#", "C sharp"),
        ("c++", "C plus plus"),
        ("caf\u{e9} society", "coffee set"),
        ("x.y", "dot"),
    ];
    assert_eq!(
        found,
        want.map(|(f, t)| (f.to_string(), t.to_string(), "exact".to_string()))
    );
}

#[test]
fn symlink_loops_and_unreadable_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("in/sub")).unwrap();
    fs::write(d.join("in/a.txt"), "final 12 months\n").unwrap();
    fs::write(d.join("in/z.txt"), "final 12 months\n").unwrap();
    std::os::unix::fs::symlink("..", d.join("in/sub/loop")).unwrap();
    let locked = d.join("in/m.txt");
    fs::write(&locked, "final 12 months\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // As root, mode 000 does not stop reads.
    let root = fs::read(&locked).is_ok();
    let out = despin(d, &["clean", "in", "-o", "out"], b"");
    if root {
        assert_out(&out, b"", "", 0);
        assert_eq!(tree(&d.join("out")), ["a.txt", "m.txt", "z.txt"]);
    } else {
        assert_out(
            &out,
            b"",
            "despin: in/m.txt: Permission denied (os error 13)\n",
            2,
        );
        assert_eq!(tree(&d.join("out")), ["a.txt", "z.txt"]);
    }
    // Symbolic links are not followed: the loop is never entered.
    assert_eq!(fs::read(d.join("out/z.txt")).unwrap(), b"last year\n");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn an_output_folder_inside_the_input_folder_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("in")).unwrap();
    fs::write(d.join("in/a.txt"), "final 12 months\n").unwrap();
    for _ in 0..2 {
        let out = despin(d, &["clean", "in", "-o", "in/out"], b"");
        assert_out(&out, b"", "", 0);
        assert_eq!(tree(&d.join("in")), ["a.txt", "out/a.txt"]);
    }
    assert_eq!(fs::read(d.join("in/out/a.txt")).unwrap(), b"last year\n");
    // The output folder itself as an input is refused.
    let out = despin(d, &["clean", "in/out", "-o", "in/out"], b"");
    assert_out(&out, b"", "despin: in/out: is the output directory\n", 2);
}

#[test]
fn in_place_with_and_without_backup() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("in/sub")).unwrap();
    fs::write(d.join("in/a.txt"), "final 12 months\n").unwrap();
    fs::write(d.join("in/sub/b.jsonl"), "{\"text\":\"final 12 months\"}\n").unwrap();
    fs::set_permissions(d.join("in/a.txt"), fs::Permissions::from_mode(0o640)).unwrap();
    let out = despin(d, &["clean", "--in-place", "in"], b"");
    assert_out(&out, b"", "", 0);
    assert_eq!(tree(&d.join("in")), ["a.txt", "sub/b.jsonl"]);
    assert_eq!(fs::read(d.join("in/a.txt")).unwrap(), b"last year\n");
    assert_eq!(
        fs::read(d.join("in/sub/b.jsonl")).unwrap(),
        b"{\"text\":\"last year\"}\n"
    );
    let mode = fs::metadata(d.join("in/a.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);

    fs::write(d.join("c.txt"), "final 12 months twice final 12 months\n").unwrap();
    let out = despin(
        d,
        &["clean", "--in-place", "--backup", ".orig", "c.txt"],
        b"",
    );
    assert_out(&out, b"", "", 0);
    assert_eq!(
        fs::read(d.join("c.txt")).unwrap(),
        b"last year twice last year\n"
    );
    assert_eq!(
        fs::read(d.join("c.txt.orig")).unwrap(),
        b"final 12 months twice final 12 months\n"
    );
    assert!(!tree(d).iter().any(|f| f.contains("despin-tmp")));

    let out = despin(d, &["clean", "--in-place"], b"x\n");
    assert_out(
        &out,
        b"",
        "despin: `--in-place` needs files or directories: standard input has no file to rewrite\n",
        2,
    );
    let out = despin(d, &["clean", "--in-place", "-o", "out", "c.txt"], b"");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot be used with"), "{}", out.stderr);
}

/// `--in-place --backup SUFFIX` twice over a directory: the second run
/// leaves the first run's backups alone (no `a.txt.bak.bak`); it replaces
/// each backup with the file as the second run found it. A file named
/// explicitly is cleaned whatever its name.
#[test]
fn in_place_backups_are_not_cleaned_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("in/sub")).unwrap();
    fs::write(d.join("in/a.txt"), "final 12 months\n").unwrap();
    fs::write(d.join("in/sub/b.jsonl"), "{\"text\":\"final 12 months\"}\n").unwrap();
    // Not a backup of anything, but named like one: left alone too.
    fs::write(d.join("in/notes.bak"), "final 12 months\n").unwrap();
    let run = || despin(d, &["clean", "--in-place", "--backup", ".bak", "in"], b"");
    assert_out(&run(), b"", "", 0);
    let files = [
        "a.txt",
        "a.txt.bak",
        "notes.bak",
        "sub/b.jsonl",
        "sub/b.jsonl.bak",
    ];
    assert_eq!(tree(&d.join("in")), files);
    let read = |f: &str| String::from_utf8(fs::read(d.join("in").join(f)).unwrap()).unwrap();
    assert_eq!(read("a.txt"), "last year\n");
    assert_eq!(read("a.txt.bak"), "final 12 months\n");
    assert_eq!(read("notes.bak"), "final 12 months\n");
    assert_eq!(read("sub/b.jsonl"), "{\"text\":\"last year\"}\n");
    assert_eq!(read("sub/b.jsonl.bak"), "{\"text\":\"final 12 months\"}\n");

    fs::write(d.join("in/a.txt"), "last year, final 12 months\n").unwrap();
    assert_out(&run(), b"", "", 0);
    assert_eq!(tree(&d.join("in")), files);
    assert_eq!(read("a.txt"), "last year, last year\n");
    assert_eq!(read("a.txt.bak"), "last year, final 12 months\n");
    assert_eq!(read("notes.bak"), "final 12 months\n");
    assert_eq!(read("sub/b.jsonl"), "{\"text\":\"last year\"}\n");
    assert_eq!(read("sub/b.jsonl.bak"), "{\"text\":\"last year\"}\n");

    // Named on the command line, a backup is cleaned like any file.
    let out = despin(
        d,
        &["clean", "--in-place", "--backup", ".bak", "in/notes.bak"],
        b"",
    );
    assert_out(&out, b"", "", 0);
    assert_eq!(read("notes.bak"), "last year\n");
    assert_eq!(read("notes.bak.bak"), "final 12 months\n");

    // An empty suffix would name the backup as the file: refused, and
    // nothing is touched.
    let out = despin(d, &["clean", "--in-place", "--backup", "", "in"], b"");
    assert_out(
        &out,
        b"",
        "despin: `--backup` needs a SUFFIX: an empty one names the backup as the file itself\n",
        2,
    );
    assert_eq!(read("a.txt"), "last year, last year\n");
}

/// A file that cannot be rewritten in place (here its backup name is taken
/// by a directory) is named once, in the common form, and kept as it was;
/// a text file and a JSON Lines file fail alike.
#[test]
fn in_place_errors_name_the_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.txt"), "final 12 months\n").unwrap();
    fs::write(d.join("b.jsonl"), "{\"text\":\"final 12 months\"}\n").unwrap();
    fs::create_dir(d.join("a.txt.bak")).unwrap();
    fs::create_dir(d.join("b.jsonl.bak")).unwrap();
    let out = despin(
        d,
        &[
            "clean",
            "--in-place",
            "--backup",
            ".bak",
            "a.txt",
            "b.jsonl",
        ],
        b"",
    );
    assert_out(
        &out,
        b"",
        "despin: a.txt: Is a directory (os error 21)\n\
         despin: b.jsonl: Is a directory (os error 21)\n",
        2,
    );
    assert_eq!(fs::read(d.join("a.txt")).unwrap(), b"final 12 months\n");
    assert_eq!(
        fs::read(d.join("b.jsonl")).unwrap(),
        b"{\"text\":\"final 12 months\"}\n"
    );
    assert_eq!(
        tree(d),
        ["a.txt", "b.jsonl", "d.tsv"],
        "no temporary file is left"
    );
}

/// Ctrl-C during a long run: exit 130, the message, no temporary file and
/// no partial output.
#[test]
fn sigint_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("in")).unwrap();
    fs::create_dir(d.join("out")).unwrap();
    let mut big = Vec::new();
    for i in 0..400_000 {
        writeln!(
            big,
            "{{\"id\":{i},\"text\":\"In August final 12 months, he said so.\"}}"
        )
        .unwrap();
    }
    fs::write(d.join("in/big.jsonl"), &big).unwrap();
    fs::write(d.join("d.tsv"), DICT).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_despin"))
        .current_dir(d)
        .args(["clean", "in", "-o", "out", "-q", "-j", "2"])
        .args(["--no-default-dicts", "--dict", "d.tsv"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the output is being written (the handler is installed
    // before that).
    let start = Instant::now();
    while tree(&d.join("out")).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no output started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let rest = stderr
        .strip_prefix("despin: interrupted; 0 of 1 inputs finished (")
        .and_then(|s| s.strip_suffix(" records written)\n"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(rest.parse::<u64>().unwrap() < 400_000, "{stderr}");
    assert_eq!(tree(&d.join("out")), Vec::<String>::new());
}
