//! The inverse thesaurus: for a word, the originals a thesaurus-driven
//! spinner could have replaced by it.
//!
//! A spinner looks a word up in a thesaurus and writes one of its synonyms,
//! with no regard for sense: "military" becomes "navy", "power" becomes
//! "energy". Turned around, the thesaurus says which originals could lie
//! behind a word; the language model and the document then decide whether
//! one did. The table (`models/thesaurus.tsv`, from the public-domain Moby
//! thesaurus by `models/build.py`) keeps, for each word, up to twelve head
//! words more frequent than it, most frequent first: spinners trade common
//! words for rarer ones, never the reverse.
//!
//! Inflected words are looked up by their base, and the inflection is
//! carried back to each original: "stated" is "state" plus a past, "state"
//! stands for "say", so "stated" may stand for "said".

use crate::morph::{self, Suffix};
use std::sync::OnceLock;

static TSV: &str = include_str!("../models/thesaurus.tsv");

/// Word → originals, borrowed from the embedded table.
#[derive(Debug, Default)]
pub struct Thesaurus {
    map: crate::fxhash::FxHashMap<&'static str, Vec<&'static str>>,
}

impl Thesaurus {
    /// The table shipped in the binary, indexed on first use.
    pub fn builtin() -> &'static Thesaurus {
        static T: OnceLock<Thesaurus> = OnceLock::new();
        T.get_or_init(|| Thesaurus::parse(TSV))
    }

    /// Reads `word<TAB>original|original...` lines; `#` starts a comment.
    /// Malformed lines are skipped (the file is generated, not hand-edited).
    pub fn parse(text: &'static str) -> Thesaurus {
        let map = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(w, o)| (w, o.split('|').filter(|o| !o.is_empty()).collect()))
            .collect();
        Thesaurus { map }
    }

    /// The originals listed for a lower-case word, as written.
    pub fn direct(&self, word: &str) -> &[&'static str] {
        self.map.get(word).map_or(&[], Vec::as_slice)
    }

    /// The originals a lower-case word may stand for: those of the word
    /// itself, then those of its base with the word's inflection carried
    /// over. Duplicates and the word itself are dropped.
    pub fn originals(&self, word: &str) -> Vec<String> {
        let mut out: Vec<String> = self.direct(word).iter().map(|o| o.to_string()).collect();
        for (base, suffix) in morph::strip(word) {
            for o in self.direct(&base) {
                if let Some(inflected) = morph::inflect(o, suffix) {
                    out.push(inflected);
                }
            }
        }
        if let Some(base) = irregular_base(word) {
            for o in self.direct(base) {
                if let Some(inflected) = morph::inflect(o, Suffix::Ed) {
                    out.push(inflected);
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|o| o != word && seen.insert(o.clone()));
        out
    }
}

/// The base of an irregular past form ("told" → "tell"), if it is one.
fn irregular_base(word: &str) -> Option<&'static str> {
    morph::irregular_past_base(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_originals_for_words_and_their_inflections() {
        let t = Thesaurus::builtin();
        assert!(t.direct("navy").contains(&"military"));
        assert!(t.direct("energy").contains(&"power"));
        let stated = t.originals("stated");
        assert!(stated.contains(&"said".to_string()), "{stated:?}");
        assert!(t.originals("zzzz").is_empty());
    }

    #[test]
    fn parses_lines_and_skips_comments() {
        let t = Thesaurus::parse("# c\nnavy\tmilitary|service\nbad line\n");
        assert_eq!(t.direct("navy"), &["military", "service"]);
        assert!(t.direct("bad line").is_empty());
        assert_eq!(t.originals("navies"), vec!["militaries", "services"]);
    }
}
