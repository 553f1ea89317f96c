//! Tokens are in bounds, in order, do not overlap, are not empty, lie on
//! char boundaries, hold no white space, and only white space lies between
//! them (so they cover every other character). Each token's kind and case
//! agree with its text: punctuation is one character, a number is ASCII
//! digits joined by `,`, `.` or a word joiner (`-`, apostrophes), a word
//! starts with a letter or digit, and the case computed while scanning is
//! `Case::of` the token's text.
#![no_main]

use despin::token::{tokenize, Case, Kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let tokens = tokenize(text);
    let mut prev_end = 0;
    for t in &tokens {
        let (start, end) = (t.span.start, t.span.end);
        assert!(end <= text.len(), "out of bounds: {t:?}");
        assert!(start >= prev_end, "out of order or overlapping: {t:?}");
        assert!(start < end, "empty token: {t:?}");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "not on char boundaries: {t:?}"
        );
        assert!(
            text[prev_end..start].chars().all(char::is_whitespace),
            "not white space before {t:?}: {:?}",
            &text[prev_end..start]
        );
        let s = t.text(text);
        assert!(!s.chars().any(char::is_whitespace), "white space in {t:?}");
        let first = s.chars().next().unwrap();
        match t.kind {
            Kind::Punct => {
                assert_eq!(s.chars().count(), 1, "{t:?}");
                assert!(!first.is_alphanumeric(), "{t:?}");
                assert_eq!(t.case, Case::None, "{t:?}");
            }
            Kind::Number => {
                // ASCII digits, joined by single `,` `.` `-` `'` `’`
                // ("1,000", "3.5", "7-2").
                assert!(
                    s.split([',', '.', '-', '\'', '\u{2019}'])
                        .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())),
                    "{t:?} {s:?}"
                );
            }
            Kind::Word => assert!(first.is_alphanumeric(), "{t:?}"),
        }
        if t.kind != Kind::Punct {
            assert_eq!(t.case, Case::of(s), "{t:?} {s:?}");
        }
        prev_end = end;
    }
    assert!(
        text[prev_end..].chars().all(char::is_whitespace),
        "not white space after the last token: {:?}",
        &text[prev_end..]
    );
});
