//! Stage 4: decide which candidates to apply.
//!
//! A spinner swaps a large share of a document's words, so a spun document
//! is full of evidence: fingerprints that clean English never contains
//! ("final 12 months"), unusual forms ("within the"), and ordinary words
//! a spinner prefers ("stated", "nation"). Clean text has at most a stray
//! one. The decision therefore has two levels:
//!
//! 1. a per-document spin score in 0..1 from the density of that evidence;
//! 2. a per-candidate confidence from the entry's class, how it was matched,
//!    how many originals compete, and the spin score.
//!
//! A fingerprint is applied anywhere; an unusual form needs some spin
//! evidence; an ordinary-English form needs a clearly spun document. This is
//! the seam where the context model of issue 3 plugs in: it adjusts each
//! candidate's confidence from its left and right context.

use crate::detect::{Candidate, MatchHow};
use crate::dict::Class;

/// Weight of each class as evidence that a document is spun.
const WEIGHT_FINGERPRINT: f32 = 1.0;
const WEIGHT_UNUSUAL: f32 = 0.4;
const WEIGHT_AMBIGUOUS: f32 = 0.1;
/// Evidence per 100 words at which the spin score reaches 0.5.
const HALF_SCORE_DENSITY: f32 = 1.0;
/// Confidence factor when the entry offers several originals and nothing in
/// the context chooses between them: the first (most frequent) is taken.
const ALTERNATIVES_FACTOR: f32 = 0.9;

/// Confidence factor for a non-fingerprint candidate capitalised in
/// mid-sentence: names ("Evening Standard", "Energy Ministry") are rarely
/// what a spinner swapped, and a wrong repair there is conspicuous.
const NAME_FACTOR: f32 = 0.5;

/// The default confidence threshold for applying a repair.
pub const DEFAULT_THRESHOLD: f32 = 0.5;
/// Spin score above which `check` calls a document spun.
pub const SPUN_SCORE: f32 = 0.5;

/// How spun a document looks, and why.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct SpinScore {
    /// 0 (clean) to 1 (certainly spun).
    pub score: f32,
    /// Fingerprint candidates outside quotations.
    pub fingerprints: usize,
    /// Unusual-form candidates outside quotations.
    pub unusual: usize,
    /// Ordinary-English candidates outside quotations.
    pub ambiguous: usize,
    /// Words in the document.
    pub words: usize,
}

impl SpinScore {
    /// Scores a document from its candidates. Quotations are left out: they
    /// are usually copied verbatim, so they say little about the spinner.
    pub fn of(candidates: &[Candidate], words: usize) -> SpinScore {
        let mut s = SpinScore {
            words,
            ..SpinScore::default()
        };
        for c in candidates.iter().filter(|c| !c.in_quote) {
            match c.class {
                Class::Fingerprint => s.fingerprints += 1,
                Class::Unusual => s.unusual += 1,
                Class::Ambiguous => s.ambiguous += 1,
            }
        }
        let evidence = WEIGHT_FINGERPRINT * s.fingerprints as f32
            + WEIGHT_UNUSUAL * s.unusual as f32
            + WEIGHT_AMBIGUOUS * s.ambiguous as f32;
        // Short texts get a floor of 100 words so that one fingerprint in a
        // headline does not make the headline "certainly spun".
        let density = 100.0 * evidence / (words.max(100) as f32);
        s.score = density / (density + HALF_SCORE_DENSITY);
        s
    }

    /// True when the document counts as spun.
    pub fn is_spun(&self) -> bool {
        self.score >= SPUN_SCORE
    }
}

/// What to do with one candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// Which replacement of the candidate was chosen.
    pub replacement: usize,
    /// 0..1.
    pub confidence: f32,
    /// Apply the repair (as opposed to only reporting it).
    pub apply: bool,
}

/// The decision policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decider {
    /// Minimum confidence to apply a repair.
    pub threshold: f32,
    /// Repair inside quotations too.
    pub edit_quotes: bool,
}

impl Default for Decider {
    fn default() -> Self {
        Decider {
            threshold: DEFAULT_THRESHOLD,
            edit_quotes: false,
        }
    }
}

impl Decider {
    /// Confidence that `c` is a spinner's swap, given the document score.
    pub fn confidence(&self, c: &Candidate, spin: &SpinScore) -> f32 {
        let base = match c.class {
            Class::Fingerprint => 0.99,
            Class::Unusual => 0.2 + 0.8 * spin.score,
            Class::Ambiguous => 0.05 + 0.9 * spin.score,
        };
        let how = match c.how {
            MatchHow::Exact => 1.0,
            MatchHow::Inflected => crate::detect::INFLECTED_FACTOR,
            MatchHow::Fuzzy(sim) => sim.sqrt(),
        };
        let alternatives = if c.replacements.len() > 1 {
            ALTERNATIVES_FACTOR
        } else {
            1.0
        };
        let lowercase_original = c.replacements[0]
            .chars()
            .next()
            .is_some_and(char::is_lowercase);
        let name =
            if c.capitalized_mid_sentence && c.class != Class::Fingerprint && lowercase_original {
                NAME_FACTOR
            } else {
                1.0
            };
        base * how * alternatives * name
    }

    /// Decides every candidate. `report_only(c)` tells whether all of the
    /// candidate's entries are report-only.
    pub fn decide(
        &self,
        candidates: &[Candidate],
        spin: &SpinScore,
        report_only: impl Fn(&Candidate) -> bool,
    ) -> Vec<Decision> {
        candidates
            .iter()
            .map(|c| {
                let confidence = self.confidence(c, spin);
                let apply = confidence >= self.threshold
                    && (self.edit_quotes || !c.in_quote)
                    && !report_only(c);
                Decision {
                    replacement: 0,
                    confidence,
                    apply,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(class: Class, how: MatchHow, alternatives: usize, in_quote: bool) -> Candidate {
        Candidate {
            tokens: 0..1,
            entries: vec![0],
            replacements: (0..alternatives).map(|i| format!("w{i}")).collect(),
            replacement_entry: vec![0; alternatives],
            how,
            class,
            in_quote,
            capitalized_mid_sentence: false,
            sentence_start: false,
        }
    }

    #[test]
    fn spin_score_grows_with_evidence_density() {
        let f = cand(Class::Fingerprint, MatchHow::Exact, 1, false);
        let a = cand(Class::Ambiguous, MatchHow::Exact, 1, false);
        let q = cand(Class::Fingerprint, MatchHow::Exact, 1, true);
        assert_eq!(SpinScore::of(&[], 300).score, 0.0);
        // One fingerprint in 100 words: density 1, score 0.5.
        assert_eq!(SpinScore::of(std::slice::from_ref(&f), 100).score, 0.5);
        // Short texts are scored as if they had 100 words.
        assert_eq!(SpinScore::of(std::slice::from_ref(&f), 10).score, 0.5);
        // Quotations do not count.
        assert_eq!(SpinScore::of(&[q], 100).score, 0.0);
        let many = vec![f.clone(), f.clone(), f, a.clone(), a];
        let s = SpinScore::of(&many, 100);
        assert_eq!((s.fingerprints, s.ambiguous, s.words), (3, 2, 100));
        assert!((s.score - 3.2 / 4.2).abs() < 1e-6);
        assert!(s.is_spun());
    }

    #[test]
    fn classes_need_increasing_evidence() {
        let d = Decider::default();
        let clean = SpinScore::default();
        let spun = SpinScore {
            score: 0.8,
            ..SpinScore::default()
        };
        let apply =
            |c: &Candidate, s: &SpinScore| d.decide(std::slice::from_ref(c), s, |_| false)[0].apply;
        let fp = cand(Class::Fingerprint, MatchHow::Exact, 1, false);
        let un = cand(Class::Unusual, MatchHow::Exact, 1, false);
        let am = cand(Class::Ambiguous, MatchHow::Exact, 1, false);
        assert!(apply(&fp, &clean));
        assert!(!apply(&un, &clean) && apply(&un, &spun));
        assert!(!apply(&am, &clean) && apply(&am, &spun));
        // Quotations are left alone unless asked.
        let quoted = cand(Class::Fingerprint, MatchHow::Exact, 1, true);
        assert!(!apply(&quoted, &spun));
        let d2 = Decider {
            edit_quotes: true,
            ..d
        };
        assert!(d2.decide(&[quoted], &spun, |_| false)[0].apply);
        // Report-only never applies.
        assert!(!d.decide(&[fp], &spun, |_| true)[0].apply);
    }

    #[test]
    fn confidence_factors() {
        let d = Decider::default();
        let s = SpinScore::default();
        let c = |how, n| d.confidence(&cand(Class::Fingerprint, how, n, false), &s);
        assert_eq!(c(MatchHow::Exact, 1), 0.99);
        assert!((c(MatchHow::Exact, 2) - 0.891).abs() < 1e-6);
        assert!((c(MatchHow::Inflected, 1) - 0.9405).abs() < 1e-6);
        assert!((c(MatchHow::Fuzzy(0.81), 1) - 0.891).abs() < 1e-6);
        let spun = SpinScore {
            score: 1.0,
            ..SpinScore::default()
        };
        let mut name = cand(Class::Ambiguous, MatchHow::Exact, 1, false);
        name.capitalized_mid_sentence = true;
        assert!((d.confidence(&name, &spun) - 0.475).abs() < 1e-6);
        name.class = Class::Fingerprint;
        assert_eq!(d.confidence(&name, &spun), 0.99);
        // "the Eighties" -> "the 1980s": not a name problem.
        name.class = Class::Ambiguous;
        name.replacements = vec!["1980s".into()];
        assert!((d.confidence(&name, &spun) - 0.95).abs() < 1e-6);
    }
}
