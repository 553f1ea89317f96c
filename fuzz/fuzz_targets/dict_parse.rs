//! `Dictionary::parse` never panics and agrees with `parse_lenient` (the
//! first error, or every entry); errors point inside the text; each entry
//! is well formed. Whatever parses lints, compiles and cleans text (its own
//! spun forms and originals, and its examples) without panicking, and the
//! cleaner's edits hold their `from`. Lint reports every parse error.
#![no_main]

use despin::dict::match_key;
use despin::lint::lint;
use despin::lm::LanguageModel;
use despin::{Cleaner, Dictionary, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (lenient, errors) = Dictionary::parse_lenient("fuzz.tsv", text);
    let strict = Dictionary::parse("fuzz.tsv", text);
    match &strict {
        Ok(d) => {
            assert!(errors.is_empty());
            assert_eq!(d.entries, lenient.entries);
        }
        Err(e) => assert_eq!(Some(e), errors.first()),
    }
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = body.lines().collect();
    for e in &errors {
        assert!(e.line >= 1 && e.line <= lines.len(), "{e}");
        let chars = lines[e.line - 1].chars().count();
        assert!(e.column >= 1 && e.column <= chars + 1, "{e}");
    }
    let mut prev_line = 0;
    for e in &lenient.entries {
        assert!(e.line > prev_line && e.line <= lines.len(), "{e:?}");
        prev_line = e.line;
        assert_eq!(match_key(&e.spun), (e.key.clone(), e.len), "{e:?}");
        assert!(e.len >= 1 && !e.originals.is_empty(), "{e:?}");
        assert!(e.originals.iter().all(|o| !o.is_empty()), "{e:?}");
    }

    let findings = lint(
        &[("fuzz.tsv".to_string(), text.to_string())],
        LanguageModel::builtin(),
    );
    for e in &errors {
        assert!(
            findings
                .iter()
                .any(|f| f.line == e.line && f.column == e.column && f.message == e.message),
            "lint misses {e}"
        );
    }

    if let Ok(dict) = strict {
        let mut samples: Vec<String> = vec![dict
            .entries
            .iter()
            .map(|e| format!("{} {} ", e.spun, e.originals.join(" ")))
            .collect()];
        for e in &dict.entries {
            samples.extend(e.tests.iter().map(|(t, _)| t.clone()));
            samples.extend(e.allows.iter().cloned());
        }
        let cleaner = Cleaner::new(dict, Options::default());
        for sample in &samples {
            let out = cleaner.clean(sample);
            let normalized = cleaner.options().normalization.apply(sample);
            for e in &out.edits {
                assert_eq!(
                    normalized.get(e.start..e.end),
                    Some(e.from.as_str()),
                    "{e:?}"
                );
            }
        }
    }
});
