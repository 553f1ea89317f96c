//! Inputs the fuzz targets (`fuzz/fuzz_targets/`) found failing, kept as
//! tests with the exact behaviour expected of them. Longer inputs are files
//! under `tests/fuzz/`, named after the target that found them.

use despin::token::{tokenize, Case, Kind};
use despin::{Cleaner, Dictionary, Options};
use std::path::Path;

fn input(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `tokenize` target's checks: tokens in bounds, in order, not empty,
/// on char boundaries, white space only between them, kinds and case
/// agreeing with their text.
fn check_tokens(text: &str) {
    let mut prev_end = 0;
    for t in tokenize(text) {
        assert!(t.span.end <= text.len() && t.span.start >= prev_end && !t.span.is_empty());
        assert!(text[prev_end..t.span.start]
            .chars()
            .all(char::is_whitespace));
        let s = t.text(text);
        assert!(!s.chars().any(char::is_whitespace));
        match t.kind {
            Kind::Punct => assert_eq!(s.chars().count(), 1),
            Kind::Number => assert!(s
                .split([',', '.', '-', '\'', '\u{2019}'])
                .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))),
            Kind::Word => assert!(s.chars().next().unwrap().is_alphanumeric()),
        }
        if t.kind != Kind::Punct {
            assert_eq!(t.case, Case::of(s));
        }
        prev_end = t.span.end;
    }
    assert!(text[prev_end..].chars().all(char::is_whitespace));
}

/// tokenize: "a 7-2 decision" (dev article 01) made a `Number` token with a
/// hyphen in it, which `Kind::Number`'s documentation ("digits with inner
/// `,` or `.`") did not allow. The tokenizer was right: a score or a range
/// is a number to `#num` context ("20-30 share" is "20-30 percent"); the
/// documentation and the target now say so.
#[test]
fn tokenize_number_joined_by_a_hyphen() {
    let text = String::from_utf8(input("tokenize-7-2-decision.txt")).unwrap();
    check_tokens(&text);
    let text = "In a 7-2 decision, 2001-02 and 1,000.5 and 1990's";
    check_tokens(text);
    let got: Vec<(&str, Kind)> = tokenize(text)
        .iter()
        .map(|t| (t.text(text), t.kind))
        .filter(|(_, k)| *k == Kind::Number)
        .collect();
    assert_eq!(
        got,
        vec![
            ("7-2", Kind::Number),
            ("2001-02", Kind::Number),
            ("1,000.5", Kind::Number)
        ]
    );
    let cleaner = Cleaner::new(
        Dictionary::parse("t.tsv", "share\tpercent\tclass=fingerprint left=#num\n").unwrap(),
        Options::default(),
    );
    assert_eq!(
        cleaner.clean("a 20-30 share of votes").text,
        "a 20-30 percent of votes"
    );
}
