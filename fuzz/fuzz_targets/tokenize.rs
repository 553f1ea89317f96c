//! Tokens are in order, do not overlap, lie on char boundaries, hold no
//! white space, and cover every character that is not white space.
#![no_main]

use despin::token::tokenize;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let tokens = tokenize(text);
    let mut prev_end = 0;
    for t in &tokens {
        assert!(
            t.span.start >= prev_end,
            "out of order or overlapping: {t:?}"
        );
        assert!(t.span.start < t.span.end, "empty token: {t:?}");
        assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
        prev_end = t.span.end;
    }
    let mut next = tokens.iter().peekable();
    for (i, c) in text.char_indices() {
        while next.peek().is_some_and(|t| t.span.end <= i) {
            next.next();
        }
        let inside = next.peek().is_some_and(|t| t.span.start <= i);
        assert_eq!(
            inside,
            !c.is_whitespace(),
            "char {c:?} at {i}: inside a token = {inside}"
        );
    }
});
