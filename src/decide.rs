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

/// Where the spin gate is half open, and how steeply it opens. Clean
/// documents score up to about 0.3 (a stray "stated" or "nation"), spun ones
/// from about 0.5: between the two the gate goes from shut to open, so that
/// no language-model preference, however strong, can repair ordinary words
/// in a clean document.
const GATE_MIDPOINT: f32 = 0.4;
const GATE_SLOPE: f32 = 20.0;

/// How much of an ordinary-word entry's prior a document's spin score lets
/// through: a logistic step around [`GATE_MIDPOINT`].
pub fn spin_gate(score: f32) -> f32 {
    1.0 / (1.0 + (-(score - GATE_MIDPOINT) * GATE_SLOPE).exp())
}

/// log10 handicap of an alternative original listed after the first.
const ALTERNATIVE_PENALTY: f32 = 0.3;

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
        for c in candidates.iter().filter(|c| !c.in_quote && !c.report_only) {
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
///
/// A candidate is a swap with prior probability `p`: the entry's `prior=`
/// (or its class default), scaled by the spin score for the classes that
/// need the document's help, and by the match kind. The language model's
/// preference `delta` (log10, original over spun form in context) is a
/// likelihood ratio, tempered by `lm_weight` because an n-gram model is
/// overconfident:
///
/// ```text
/// odds = p / (1 - p) * 10^(lm_weight * delta)      confidence = odds / (1 + odds)
/// ```
///
/// Without a model (`delta` = 0) the confidence is `p`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decider {
    /// Minimum confidence to apply a repair.
    pub threshold: f32,
    /// Repair inside quotations too.
    pub edit_quotes: bool,
    /// How much a log10 unit of language-model preference counts.
    pub lm_weight: f32,
    /// Default priors per class: fingerprint, unusual, ambiguous.
    pub priors: [f32; 3],
    /// Prior probability that a word with inverse-thesaurus originals, in a
    /// spun document, is a swap. Low: most words of a spun document are the
    /// author's, so the context must clearly prefer an original.
    pub thesaurus_prior: f32,
}

impl Default for Decider {
    fn default() -> Self {
        Decider {
            threshold: DEFAULT_THRESHOLD,
            edit_quotes: false,
            lm_weight: DEFAULT_LM_WEIGHT,
            priors: DEFAULT_PRIORS,
            thesaurus_prior: DEFAULT_THESAURUS_PRIOR,
        }
    }
}

/// Default [`Decider::lm_weight`].
pub const DEFAULT_LM_WEIGHT: f32 = 0.5;
/// Default [`Decider::thesaurus_prior`].
pub const DEFAULT_THESAURUS_PRIOR: f32 = 0.1;
/// Default [`Decider::priors`].
pub const DEFAULT_PRIORS: [f32; 3] = [0.98, 0.9, 0.8];

impl Decider {
    /// The prior probability that `c` is a swap, before the context.
    pub fn prior(&self, c: &Candidate, spin: &SpinScore) -> f32 {
        // The most likely explanation among the entries that matched.
        let gate = spin_gate(spin.score);
        let mut p = c
            .entry_priors
            .iter()
            .map(|&(class, prior)| {
                let (default, gated) = match class {
                    Class::Fingerprint => (self.priors[0], false),
                    Class::Unusual => (self.priors[1], true),
                    Class::Ambiguous => (self.priors[2], true),
                };
                let prior = match c.how {
                    MatchHow::Thesaurus => self.thesaurus_prior,
                    _ => prior.unwrap_or(default),
                };
                prior * if gated { gate } else { 1.0 }
            })
            .fold(0.0, f32::max);
        p *= match c.how {
            MatchHow::Exact => 1.0,
            MatchHow::Inflected => crate::detect::INFLECTED_FACTOR,
            MatchHow::Fuzzy(sim) => sim.sqrt(),
            MatchHow::Thesaurus => 1.0,
        };
        let lowercase_original = c.replacements[0]
            .chars()
            .next()
            .is_some_and(char::is_lowercase);
        if c.capitalized_mid_sentence && c.class != Class::Fingerprint && lowercase_original {
            p *= NAME_FACTOR;
        }
        if c.lm.is_empty() && c.replacements.len() > 1 {
            p *= ALTERNATIVES_FACTOR;
        }
        p.clamp(1e-4, 0.999)
    }

    /// The chosen replacement and the confidence that `c` is a swap.
    pub fn confidence(&self, c: &Candidate, spin: &SpinScore) -> (usize, f32) {
        let p = self.prior(c, spin);
        // Only what an applying entry offers can be chosen: a report-only
        // entry's original ("throughout" → "during") is suggested, never
        // made, even where another entry of the same form applies.
        let allowed = |i: usize| !c.suggest_only.get(i).copied().unwrap_or(false);
        let first = (0..c.replacements.len()).find(|&i| allowed(i)).unwrap_or(0);
        // The model picks among alternatives; the first listed (the most
        // frequent original) gets a small head start.
        let (best, delta) =
            c.lm.iter()
                .enumerate()
                .filter(|&(i, _)| allowed(i))
                .map(|(i, &d)| (i, d, d - if i == first { 0.0 } else { ALTERNATIVE_PENALTY }))
                .max_by(|a, b| a.2.total_cmp(&b.2))
                .map_or((first, 0.0), |(i, d, _)| (i, d));
        let odds = p / (1.0 - p) * 10f32.powf(self.lm_weight * delta);
        (best, odds / (1.0 + odds))
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
                let (replacement, confidence) = self.confidence(c, spin);
                let apply = confidence >= self.threshold
                    && (self.edit_quotes || !c.in_quote)
                    && !report_only(c)
                    && !c.suggest_only.get(replacement).copied().unwrap_or(false);
                Decision {
                    replacement,
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
            suggest_only: vec![false; alternatives],
            how,
            class,
            in_quote,
            capitalized_mid_sentence: false,
            sentence_start: false,
            report_only: false,
            entry_priors: vec![(class, None)],
            lm: Vec::new(),
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
    fn a_report_only_original_is_never_the_one_applied() {
        let d = Decider::default();
        let spun = SpinScore {
            score: 0.8,
            ..SpinScore::default()
        };
        // w0 from an applying entry, w1 only from a report-only one; the
        // model prefers w1 by far.
        let mut c = cand(Class::Fingerprint, MatchHow::Exact, 2, false);
        c.suggest_only = vec![false, true];
        c.lm = vec![0.5, 3.0];
        let decided = d.decide(std::slice::from_ref(&c), &spun, |c| c.report_only);
        assert_eq!((decided[0].replacement, decided[0].apply), (0, true));
        // With the report-only original listed first, the applying one is
        // still chosen, and without the model too.
        c.suggest_only = vec![true, false];
        c.lm = vec![3.0, 0.5];
        assert_eq!(d.confidence(&c, &spun).0, 1);
        c.lm.clear();
        assert_eq!(d.confidence(&c, &spun).0, 1);
        // Nothing is applied when no applying entry offers a replacement.
        c.suggest_only = vec![true, true];
        let decided = d.decide(std::slice::from_ref(&c), &spun, |c| c.report_only);
        assert!(!decided[0].apply);
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
    fn the_spin_gate_is_a_steep_step() {
        assert!(spin_gate(0.0) < 1e-3);
        assert!(spin_gate(0.25) < 0.05);
        assert!((spin_gate(0.4) - 0.5).abs() < 1e-6);
        assert!(spin_gate(0.55) > 0.95);
    }

    #[test]
    fn confidence_combines_prior_spin_and_context() {
        let d = Decider::default();
        let spun = SpinScore {
            score: 0.5,
            ..SpinScore::default()
        };
        let g = spin_gate(0.5);
        let close = |a: f32, b: f32| (a - b).abs() < 1e-4;
        let with_lm = |p: f32, delta: f32| {
            let odds = p / (1.0 - p) * 10f32.powf(DEFAULT_LM_WEIGHT * delta);
            odds / (1.0 + odds)
        };
        // Ambiguous: prior 0.8 through the gate; no model: confidence = prior.
        let mut am = cand(Class::Ambiguous, MatchHow::Exact, 1, false);
        assert!(close(d.confidence(&am, &spun).1, 0.8 * g));
        // The context preferring the original by 1 log10 unit multiplies the
        // odds by 10^0.5; preferring the spun form divides them.
        am.lm = vec![1.0];
        assert!(close(d.confidence(&am, &spun).1, with_lm(0.8 * g, 1.0)));
        am.lm = vec![-1.0];
        assert!(close(d.confidence(&am, &spun).1, with_lm(0.8 * g, -1.0)));
        // An explicit prior replaces the class default.
        am.lm = vec![0.0];
        am.entry_priors = vec![(Class::Ambiguous, Some(0.2))];
        assert!(close(d.confidence(&am, &spun).1, 0.2 * g));
        // With several entries, the likeliest counts: an ungated fingerprint
        // beats a low-prior ordinary reading.
        am.entry_priors = vec![(Class::Ambiguous, Some(0.2)), (Class::Fingerprint, None)];
        assert!(close(d.confidence(&am, &spun).1, 0.98));
        // The model picks the alternative; later ones start 0.3 behind.
        let mut alt = cand(Class::Fingerprint, MatchHow::Exact, 3, false);
        alt.lm = vec![0.5, 0.7, 1.0];
        assert_eq!(d.confidence(&alt, &spun).0, 2);
        alt.lm = vec![0.5, 0.7, 0.6];
        assert_eq!(d.confidence(&alt, &spun).0, 0);
        // Fingerprints do not need the document; match kind and names lower
        // the prior.
        let fz = cand(Class::Fingerprint, MatchHow::Fuzzy(0.81), 1, false);
        assert!(close(d.prior(&fz, &SpinScore::default()), 0.98 * 0.9));
        let mut name = cand(Class::Ambiguous, MatchHow::Exact, 1, false);
        name.capitalized_mid_sentence = true;
        assert_eq!(name.entry_priors, vec![(Class::Ambiguous, None)]);
        assert!(close(d.prior(&name, &spun), 0.8 * g * 0.5));
        name.replacements = vec!["1980s".into()];
        assert!(close(d.prior(&name, &spun), 0.8 * g));
    }
}
