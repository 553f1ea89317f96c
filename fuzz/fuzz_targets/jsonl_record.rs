//! `clean_record` never panics; a line it cannot clean comes back verbatim
//! with a reason, and a line it cleans is still JSON whose field holds the
//! cleaned text (and is byte-identical when the text did not change).
#![no_main]

use despin::jsonl::{clean_record, Outcome};
use despin::{Cleaner, Dictionary, Options};
use libfuzzer_sys::fuzz_target;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static C: OnceLock<Cleaner> = OnceLock::new();
    C.get_or_init(|| Cleaner::new(Dictionary::builtin(), Options::default()))
}

fuzz_target!(|line: &[u8]| {
    let r = clean_record(cleaner(), line, "text");
    match &r.outcome {
        Outcome::Verbatim(_) => assert_eq!(r.line, line, "an error must leave the line verbatim"),
        Outcome::Cleaned { value, cleaned } => {
            let body = r.line.strip_suffix(b"\r").unwrap_or(&r.line);
            // Values kept raw: a number too large for f64 is still JSON. With
            // duplicate keys the last one wins, as in `clean_record`.
            let fields: BTreeMap<String, Box<RawValue>> =
                serde_json::from_slice(body).expect("the written line is a JSON object");
            let text: String = serde_json::from_str(fields["text"].get()).expect("a string");
            assert_eq!(text, cleaned.text);
            if cleaned.text == *value {
                assert_eq!(r.line, line, "an unchanged field leaves the line verbatim");
            }
        }
    }
});
