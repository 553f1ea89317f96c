//! `despin dict lint|test`, `--dict`, `--packs` and `despin.toml`.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

const SPUN: &str = "In August final 12 months, the minister blorfed a plan, he instructed AFP.\n";

fn write(dir: &Path, rel: &str, contents: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

fn despin(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_despin"));
    cmd.current_dir(dir);
    cmd
}

/// `despin clean` of `SPUN` on standard input, in `dir`, with `args`.
fn clean(dir: &Path, args: &[&str]) -> String {
    let out = despin(dir)
        .arg("clean")
        .args(args)
        .write_stdin(SPUN)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn shipped_dictionaries_lint_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = despin(dir.path()).args(["dict", "lint"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{:?}\n{stdout}",
        out.status
    );
    assert!(!stdout.contains(": error: "), "{stdout}");
    assert!(!stdout.contains("news.tsv"), "{stdout}");
}

#[test]
fn lint_reports_errors_and_warnings_with_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.tsv", "blorfed\tannounced\nno tab here\n");
    write(dir.path(), "warn.tsv", "zorp\tglob\ngleeb\tglob\n");
    write(
        dir.path(),
        "good.tsv",
        "blorfed\tannounced\n> It blorfed.\n",
    );
    despin(dir.path())
        .args(["dict", "lint", "bad.tsv"])
        .assert()
        .code(2)
        .stdout("bad.tsv:2:1: error: expected `spun<TAB>original[<TAB>options]`, found no tab\n");
    despin(dir.path())
        .args(["dict", "lint", "warn.tsv"])
        .assert()
        .code(1)
        .stdout(
            "warn.tsv:2:1: warning: out of order: `gleeb` sorts before `zorp` on line 1 \
             (keep entries sorted case-insensitively by spun form)\n",
        );
    despin(dir.path())
        .args(["dict", "lint", "good.tsv"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn a_broken_user_dictionary_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.tsv",
        "blorfed\tannounced\n> orphan? no: fine\n\n= orphan\n",
    );
    despin(dir.path())
        .args(["clean", "--no-config", "--dict", "bad.tsv"])
        .write_stdin(SPUN)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "despin: bad.tsv:4:1: example line (`= `) outside an entry: put it directly \
             after the entry it tests\n",
        );
}

#[test]
fn user_entries_from_flags_and_config_take_effect() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "dicts/x.tsv", "blorfed\tannounced\n");
    assert_eq!(
        clean(dir.path(), &[]),
        "In August last year, the minister blorfed a plan, he told AFP.\n"
    );
    assert_eq!(
        clean(dir.path(), &["--dict", "dicts/x.tsv"]),
        "In August last year, the minister announced a plan, he told AFP.\n"
    );
    // Found from a subfolder; `extra` is relative to the configuration file.
    write(
        dir.path(),
        "despin.toml",
        "[dictionaries]\nextra = [\"dicts/x.tsv\"]\n",
    );
    let sub = dir.path().join("a/b");
    fs::create_dir_all(&sub).unwrap();
    assert_eq!(
        clean(&sub, &[]),
        "In August last year, the minister announced a plan, he told AFP.\n"
    );
    assert_eq!(
        clean(&sub, &["--no-config"]),
        "In August last year, the minister blorfed a plan, he told AFP.\n"
    );
    // `--no-default-dicts` keeps the configuration's extra files.
    assert_eq!(
        clean(&sub, &["--no-default-dicts"]),
        "In August final 12 months, the minister announced a plan, he instructed AFP.\n"
    );
}

#[test]
fn config_disables_entries_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let quoted = "He wrote: \"In August final 12 months, he instructed AFP.\"\n";
    let run = |args: &[&str]| {
        let out = despin(dir.path())
            .arg("clean")
            .args(args)
            .write_stdin(quoted)
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    assert_eq!(run(&[]), quoted, "quotations are left alone by default");
    write(
        dir.path(),
        "despin.toml",
        "[dictionaries]\ndisable = [\"Instructed\"]\n\n[decide]\nedit_quotes = true\nthreshold = 0.5\n",
    );
    assert_eq!(
        run(&[]),
        "He wrote: \"In August last year, he instructed AFP.\"\n"
    );
    assert_eq!(run(&["--no-edit-quotes"]), quoted);
    // Another file, named on the command line, replaces it.
    write(dir.path(), "other.toml", "[decide]\nedit_quotes = true\n");
    assert_eq!(
        run(&["--config", "other.toml"]),
        "He wrote: \"In August last year, he told AFP.\"\n"
    );
    assert_eq!(run(&["--no-config"]), quoted);
}

#[test]
fn bad_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "despin.toml",
        "[dictionaries]\npacks = [\"poetry\"]\n",
    );
    despin(dir.path())
        .arg("clean")
        .write_stdin(SPUN)
        .assert()
        .code(2)
        .stderr(format!(
            "despin: {}: unknown pack `poetry`: expected news, science\n",
            dir.path().join("despin.toml").display()
        ));
}

#[test]
fn explicit_packs() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        clean(dir.path(), &["--packs", "science"]),
        SPUN,
        "without the news pack nothing in a news story is repaired"
    );
    assert_eq!(
        clean(dir.path(), &["--packs", "news,science"]),
        "In August last year, the minister blorfed a plan, he told AFP.\n"
    );
}

#[test]
fn dict_test_runs_the_examples() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pass.tsv",
        "# examples\nblorfed\tannounced\n> It blorfed.\n> It blorfed. => It announced.\n= Blorfing is fine.\n",
    );
    despin(dir.path())
        .args(["dict", "test", "pass.tsv"])
        .assert()
        .code(0)
        .stdout("");
    write(
        dir.path(),
        "fail.tsv",
        "blorfed\tannounced\n> It blorfed. => It said.\n= Who blorfed?\ngleeb\tglob\tcase=exact\n> A GLEEB.\n",
    );
    despin(dir.path())
        .args(["dict", "test", "pass.tsv", "fail.tsv"])
        .assert()
        .code(1)
        .stdout(
            "fail.tsv:1: expected `It said.` got `It announced.`\n\
             fail.tsv:1: expected `Who blorfed?` unchanged got `Who announced?`\n\
             fail.tsv:4: expected `gleeb` repaired in `A GLEEB.` got `A GLEEB.`\n",
        );
    despin(dir.path())
        .args(["dict", "test"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn dict_learn_pairs_files_by_name() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "s/a.txt",
        "The minister blorfed a plan on Monday.\n",
    );
    write(
        dir.path(),
        "o/a.txt",
        "The minister announced a plan on Monday.\n",
    );
    write(dir.path(), "s/unpaired.txt", "Nothing.\n");
    despin(dir.path())
        .args(["dict", "learn", "--spun", "s", "--original", "o"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("\nblorfed\tannounced\n"));
}

#[test]
fn dict_suggest_reads_text_and_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.jsonl", "{\"text\": \"Short.\"}\n");
    write(dir.path(), "t/a.txt", "Short too.\n");
    despin(dir.path())
        .args(["dict", "suggest", "d.jsonl", "t"])
        .assert()
        .code(0)
        .stdout("");
    write(dir.path(), "bad.jsonl", "{not json\n");
    despin(dir.path())
        .args(["dict", "suggest", "bad.jsonl"])
        .assert()
        .code(2);
}
