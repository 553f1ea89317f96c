//! `Dictionary::parse` never panics, and whatever it accepts compiles and
//! cleans text (here: the input itself) without panicking.
#![no_main]

use despin::{Cleaner, Dictionary, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(dict) = Dictionary::parse("fuzz.tsv", text) {
        let sample: String = dict
            .entries
            .iter()
            .map(|e| format!("{} {} ", e.spun, e.originals.join(" ")))
            .collect();
        let cleaner = Cleaner::new(dict, Options::default());
        let out = cleaner.clean(&sample);
        for e in &out.edits {
            assert_eq!(sample.get(e.start..e.end), Some(e.from.as_str()), "{e:?}");
        }
    }
});
