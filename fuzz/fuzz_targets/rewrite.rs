//! The rewriter keeps every byte outside its edits: on any text, the
//! output is the (normalised) input with each edit's `to` put over its
//! span, and each span holds its `from`. On any bytes, `clean_bytes` does
//! not panic and copies invalid UTF-8 through unchanged.
#![no_main]

use despin::rewrite::{try_splice, Splice};
use despin::{Cleaner, Dictionary, Edit, Options};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static C: OnceLock<Cleaner> = OnceLock::new();
    C.get_or_init(|| Cleaner::new(Dictionary::builtin(), Options::default()))
}

fn invalid_parts(bytes: &[u8]) -> Vec<&[u8]> {
    bytes
        .utf8_chunks()
        .map(|c| c.invalid())
        .filter(|i| !i.is_empty())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let cleaner = cleaner();
    if let Ok(text) = std::str::from_utf8(data) {
        let normalized = cleaner.options().normalization.apply(text);
        let out = cleaner.clean(text);
        let mut rebuilt = String::new();
        let mut pos = 0;
        for e in &out.edits {
            assert!(e.start >= pos, "edits out of order: {e:?}");
            assert_eq!(
                normalized.get(e.start..e.end),
                Some(e.from.as_str()),
                "{e:?}"
            );
            rebuilt.push_str(&normalized[pos..e.start]);
            rebuilt.push_str(&e.to);
            pos = e.end;
        }
        rebuilt.push_str(&normalized[pos..]);
        assert_eq!(rebuilt, out.text);
        let splices: Vec<Splice> = out
            .edits
            .iter()
            .map(Edit::splice)
            .collect();
        assert_eq!(try_splice(&normalized, &splices).as_ref(), Ok(&out.text));
        assert_eq!(cleaner.clean_bytes(data).bytes, out.text.into_bytes());
    } else {
        let out = cleaner.clean_bytes(data);
        assert_eq!(invalid_parts(&out.bytes), invalid_parts(data));
    }
});
