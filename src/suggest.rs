//! Proposes dictionary entries from a dump of (probably spun) documents
//! alone, with no originals to compare with.
//!
//! A spinner is consistent: it writes its favourite synonym wherever the
//! original stood, so that synonym turns up far more often than clean
//! English would have it, and in contexts that fit the original better.
//! For every word (and every two- or three-word phrase) seen at least
//! [`MIN_COUNT`] times for which the inverse thesaurus lists originals
//! ([`Thesaurus::originals`]), two figures are computed, in log10 units:
//!
//! * `over = log10((count + ½) / (N · P_lm(form) + ½))`, where `N` is the
//!   number of words in the dump and `P_lm` the model's out-of-context
//!   probability of the form: how over-represented it is;
//! * `fit(o)`, for each original `o`: the mean over the occurrences (the
//!   first [`MAX_CONTEXTS`]) of the in-context preference for `o`
//!   ([`crate::context::deltas`]) minus the out-of-context preference
//!   ([`crate::context::frequency_bias`]). The raw model prefers frequent
//!   words everywhere, and originals are always the more frequent; `fit`
//!   keeps only what the contexts add: how much better `o` fits where the
//!   form was put than its frequency alone explains.
//!
//! The best original is the one with the highest `fit`, and
//!
//! ```text
//! score = min(over, 2) + 2 · fit
//! ```
//!
//! (over-representation is capped so that topic words, frequent in one
//! dump for reasons of their own, cannot win on it alone). A suggestion
//! needs `fit ≥` [`MIN_FIT`] and `over > 0`; suggestions come best first.

use crate::context;
use crate::dict::push_folded;
use crate::learn::{class_option, classify, example, phrase_logprob};
use crate::lm::LanguageModel;
use crate::morph;
use crate::thesaurus::Thesaurus;
use crate::token::{tokenize, Kind, Token};
use std::collections::HashMap;

/// Fewest occurrences for a suggestion.
pub const MIN_COUNT: usize = 3;
/// Most occurrences whose contexts are scored per form.
pub const MAX_CONTEXTS: usize = 40;
/// Smallest mean context preference for the original.
pub const MIN_FIT: f32 = 0.3;
/// Cap on the over-representation term.
pub const MAX_OVER: f32 = 2.0;
/// Weight of the context term.
pub const FIT_WEIGHT: f32 = 2.0;

/// A proposed dictionary entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The suspected spun form (lower case).
    pub spun: String,
    /// The original it most likely replaced.
    pub original: String,
    /// Occurrences in the dump.
    pub count: usize,
    /// `min(over, 2) + 2 · fit`.
    pub score: f32,
    /// Counts, the expected count, the context preference and one context.
    pub evidence: String,
}

impl Suggestion {
    /// A comment line with the count, score and evidence, then the entry
    /// line in dictionary format. Suggested entries are guesses, so they
    /// are never written as fingerprints: `class=unusual`, or
    /// `class=ambiguous` for ordinary English.
    pub fn to_tsv(&self) -> String {
        format!(
            "# {}x, score {:.2}: {}\n{}\t{}{}\n",
            self.count,
            self.score,
            self.evidence.replace(['\n', '\r', '\t'], " "),
            self.spun,
            self.original,
            class_option(self.class())
        )
    }

    /// The class [`crate::learn`] would give, with the context preference
    /// taken at its lower bound from the score (`fit ≥ (score − 2) / 2`),
    /// capped at `unusual`.
    fn class(&self) -> crate::Class {
        let lm = LanguageModel::builtin();
        let gap = phrase_logprob(lm, &self.original) - phrase_logprob(lm, &self.spun);
        let fit = ((self.score - MAX_OVER) / FIT_WEIGHT).max(0.0);
        match classify(lm, &self.spun, &self.original, gap + fit) {
            crate::Class::Ambiguous => crate::Class::Ambiguous,
            _ => crate::Class::Unusual,
        }
    }
}

/// True when one word is an inflection of the other.
fn same_lemma(a: &str, b: &str) -> bool {
    let base_of = |w: &str, base: &str| {
        morph::strip(w).iter().any(|(s, _)| s == base)
            || morph::irregular_past_base(w) == Some(base)
    };
    base_of(a, b) || base_of(b, a)
}

/// Where a form occurs: document and token range.
type Occurrence = (usize, std::ops::Range<usize>);

/// Ranks the forms of `documents` that may stand for a more frequent
/// original (see the module documentation).
pub fn suggest(documents: &[String], lm: &LanguageModel, thesaurus: &Thesaurus) -> Vec<Suggestion> {
    let tokenized: Vec<Vec<Token>> = documents.iter().map(|d| tokenize(d)).collect();
    let mut words = 0usize;
    let mut occurrences: HashMap<String, (usize, Vec<Occurrence>)> = HashMap::new();
    let mut w = String::new();
    for (d, (text, tokens)) in documents.iter().zip(&tokenized).enumerate() {
        for i in 0..tokens.len() {
            if tokens[i].kind != Kind::Word {
                continue;
            }
            words += 1;
            w.clear();
            for n in 0..3 {
                let Some(t) = tokens.get(i + n) else { break };
                if t.kind != Kind::Word || (n > 0 && t.sentence_start) {
                    break;
                }
                if n > 0 {
                    w.push(' ');
                }
                push_folded(&mut w, t.text(text));
                let e = occurrences.entry(w.clone()).or_default();
                e.0 += 1;
                if e.1.len() < MAX_CONTEXTS {
                    e.1.push((d, i..i + n + 1));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (form, (count, occ)) in occurrences {
        if count < MIN_COUNT {
            continue;
        }
        let mut originals: Vec<String> = if form.contains(' ') {
            thesaurus
                .direct(&form)
                .iter()
                .map(|o| o.to_string())
                .collect()
        } else {
            thesaurus.originals(&form)
        };
        // Another inflection of the form itself is no original ("limits").
        originals.retain(|o| !same_lemma(&form, o));
        if originals.is_empty() {
            continue;
        }
        let expected = words as f32 * 10f32.powf(phrase_logprob(lm, &form));
        let over = ((count as f32 + 0.5) / (expected + 0.5)).log10();
        if over <= 0.0 {
            continue;
        }
        let mut sums = vec![0.0f32; originals.len()];
        for (d, span) in &occ {
            let ds = context::deltas(lm, &documents[*d], &tokenized[*d], span.clone(), &originals);
            for (s, x) in sums.iter_mut().zip(ds) {
                *s += x;
            }
        }
        let best = originals
            .iter()
            .zip(&sums)
            .map(|(o, s)| {
                (
                    o,
                    s / occ.len() as f32 - context::frequency_bias(lm, &form, o),
                )
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)));
        let Some((original, fit)) = best else {
            continue;
        };
        if fit < MIN_FIT {
            continue;
        }
        let score = over.min(MAX_OVER) + FIT_WEIGHT * fit;
        let (d, span) = &occ[0];
        let context = example(&documents[*d], &tokenized[*d], span.clone());
        out.push(Suggestion {
            evidence: format!(
                "{count} seen, {expected:.1} expected; context prefers \"{original}\" by {fit:+.2}, e.g. \"{context}\""
            ),
            spun: form,
            original: original.clone(),
            count,
            score,
        });
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.spun.cmp(&b.spun))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposes_systematic_swaps_and_leaves_plain_words() {
        let t = Thesaurus::parse("navy\tmilitary|service\nsaid\tstated\n");
        let docs: Vec<String> = [
            "The navy offensive began at dawn, the army said.",
            "A navy offensive in the north was launched, he said.",
            "Navy commanders said the navy offensive would go on.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let s = suggest(&docs, LanguageModel::builtin(), &t);
        let forms: Vec<(&str, &str, usize)> = s
            .iter()
            .map(|s| (s.spun.as_str(), s.original.as_str(), s.count))
            .collect();
        // "said" is listed but the contexts want it: no suggestion.
        assert_eq!(forms, vec![("navy", "military", 4)]);
        assert!(s[0].score > 1.0, "{}", s[0].score);
        assert!(
            s[0].evidence
                .starts_with("4 seen, 0.0 expected; context prefers \"military\" by +"),
            "{}",
            s[0].evidence
        );
        assert!(s[0]
            .evidence
            .ends_with("e.g. \"The navy offensive began at dawn, the army said.\""));
        let tsv = s[0].to_tsv();
        assert!(tsv.starts_with("# 4x, score "), "{tsv}");
        assert!(tsv.ends_with("\nnavy\tmilitary\tclass=unusual\n"), "{tsv}");
    }

    #[test]
    fn an_inflection_is_not_an_original() {
        assert!(same_lemma("limits", "limit"));
        assert!(same_lemma("told", "tell"));
        assert!(!same_lemma("navy", "military"));
    }

    #[test]
    fn needs_three_occurrences() {
        let t = Thesaurus::parse("navy\tmilitary\n");
        let docs = vec!["The navy offensive. A navy offensive.".to_string()];
        assert!(suggest(&docs, LanguageModel::builtin(), &t).is_empty());
    }
}
