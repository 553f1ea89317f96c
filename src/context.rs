//! Asks the language model which reading fits a candidate's context.
//!
//! For a candidate covering tokens `a..b` (the spun form) with originals
//! `o1, o2, ...`, the score of each original is
//!
//! ```text
//! delta(o) = log10 P(o | left, right) - log10 P(spun | left, right)
//! ```
//!
//! where the phrase probability covers every trigram that ends in the span
//! or in the two words after it, with two words of context before it. Punctuation is not in the model: commas and the like are
//! skipped, and a sentence end or start becomes `</s>` / `<s>`. A positive
//! delta means the context prefers the original.

use crate::dict::push_folded;
use crate::lm::LanguageModel;
use crate::token::{Kind, Token};

/// Looks a word up in lower case, with curly apostrophes folded.
fn word_id(lm: &LanguageModel, word: &str) -> Option<u32> {
    // Most words are already folded: look them up as they are.
    if !word
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        return lm.id(word);
    }
    let mut w = String::with_capacity(word.len());
    push_folded(&mut w, word);
    lm.id(&w)
}

fn is_sentence_end(text: &str, t: &Token) -> bool {
    t.kind == Kind::Punct && matches!(t.text(text), "." | "!" | "?")
}

/// The model id of token `j` (the caller may memoise it).
pub type IdOf<'a> = dyn Fn(usize) -> Option<u32> + 'a;

/// The two model words before token `i`, nearest last: previous words, with
/// `<s>` at a sentence start (and nothing before it).
fn left_of(
    lm: &LanguageModel,
    text: &str,
    tokens: &[Token],
    id_of: &IdOf,
    i: usize,
) -> [Option<u32>; 2] {
    let mut out = [None, None];
    let mut k = 1;
    let mut i = i;
    loop {
        if tokens[i].sentence_start {
            out[k] = lm.sentence_start();
            return out;
        }
        let prev = tokens[..i]
            .iter()
            .rposition(|t| t.kind != Kind::Punct || is_sentence_end(text, t));
        match prev {
            Some(j) if tokens[j].kind != Kind::Punct => {
                out[k] = id_of(j);
                if k == 0 {
                    return out;
                }
                k -= 1;
                i = j;
            }
            _ => {
                out[k] = lm.sentence_start();
                return out;
            }
        }
    }
}

/// The two model words after token `end - 1`, nearest first: next words,
/// with `</s>` at a sentence end or the end of the text (and nothing after).
fn right_of(
    lm: &LanguageModel,
    text: &str,
    tokens: &[Token],
    id_of: &IdOf,
    end: usize,
) -> [Option<u32>; 2] {
    let mut out = [None, None];
    let mut k = 0;
    for (j, t) in tokens.iter().enumerate().skip(end) {
        if t.kind == Kind::Punct && !is_sentence_end(text, t) {
            continue;
        }
        if is_sentence_end(text, t)
            || (t.sentence_start && k > 0)
            || (t.sentence_start && k == 0 && t.kind != Kind::Punct)
        {
            out[k] = lm.sentence_end();
            return out;
        }
        out[k] = id_of(j);
        if k == 1 {
            return out;
        }
        k += 1;
    }
    out[k] = lm.sentence_end();
    out
}

/// `delta(o)` for each replacement of the candidate at tokens `span`.
pub fn deltas(
    lm: &LanguageModel,
    text: &str,
    tokens: &[Token],
    span: std::ops::Range<usize>,
    replacements: &[String],
) -> Vec<f32> {
    let id_of = |j: usize| word_id(lm, tokens[j].text(text));
    deltas_with(lm, text, tokens, &id_of, span, replacements)
}

/// [`deltas`] with the model id of each token from `id_of`, which the
/// pipeline memoises: a word is looked up once a pass, not once for every
/// candidate whose context it is.
pub fn deltas_with(
    lm: &LanguageModel,
    text: &str,
    tokens: &[Token],
    id_of: &IdOf,
    span: std::ops::Range<usize>,
    replacements: &[String],
) -> Vec<f32> {
    let left = left_of(lm, text, tokens, id_of, span.start);
    let right = right_of(lm, text, tokens, id_of, span.end);
    let spun: Vec<Option<u32>> = span
        .filter(|&j| tokens[j].kind != Kind::Punct)
        .map(id_of)
        .collect();
    compute_deltas(lm, left, &spun, right, replacements)
}

fn compute_deltas(
    lm: &LanguageModel,
    left: [Option<u32>; 2],
    spun: &[Option<u32>],
    right: [Option<u32>; 2],
    replacements: &[String],
) -> Vec<f32> {
    let base = lm.phrase(left, spun, right);
    replacements
        .iter()
        .map(|r| {
            let words = crate::token::tokenize(r);
            let words: Vec<&str> = words
                .iter()
                .filter(|t| t.kind != Kind::Punct)
                .map(|t| t.text(r))
                .collect();
            let ids: Vec<Option<u32>> = words.iter().map(|w| word_id(lm, w)).collect();
            // The model knows no written numbers: an original such as
            // "1980s" would lose to any spun word ("Eighties") it knows.
            // Where one is unknown the model abstains.
            if words
                .iter()
                .zip(&ids)
                .any(|(w, id)| id.is_none() && w.bytes().any(|b| b.is_ascii_digit()))
            {
                return 0.0;
            }
            lm.phrase(left, &ids, right) - base
        })
        .collect()
}

/// How much more frequent `replacement` is than `spun` out of context
/// (log10 unigram difference, summed over words). Subtracting it from a
/// delta compares how well each fits its context rather than how common it
/// is: the raw model prefers "country" to "nation" everywhere.
pub fn frequency_bias(lm: &LanguageModel, spun: &str, replacement: &str) -> f32 {
    let uni = |s: &str| -> f32 {
        crate::token::tokenize(s)
            .iter()
            .filter(|t| t.kind != Kind::Punct)
            .map(|t| lm.unigram(word_id(lm, t.text(s))))
            .sum()
    };
    uni(replacement) - uni(spun)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    fn delta(text: &str, span: std::ops::Range<usize>, to: &str) -> f32 {
        let tokens = tokenize(text);
        deltas(
            LanguageModel::builtin(),
            text,
            &tokens,
            span,
            &[to.to_string()],
        )[0]
    }

    #[test]
    fn context_prefers_the_original() {
        // "stormed again to energy": tokens 0 stormed, 1 again, 2 to, 3 energy
        assert!(delta("They stormed again to energy.", 4..5, "power") > 0.5);
        assert!(delta("a large navy offensive", 2..3, "military") > 0.5);
        assert!(delta("He instructed AFP on Monday.", 1..2, "told") > 0.5);
        // The model prefers frequent words everywhere ("military" over a
        // correct "navy"), but far less than where the swap is wrong: the
        // decision weighs the delta against the document and the entry.
        assert!(
            delta("The navy said its ships", 1..2, "military")
                < delta("a large navy offensive", 2..3, "military") - 1.0
        );
    }

    #[test]
    fn an_original_with_a_number_the_model_lacks_gets_no_say() {
        // hits(0) within(1) the(2) Eighties(3) ,(4) he(5) said(6)
        let text = "hits within the Eighties, he said";
        let lm = LanguageModel::builtin();
        assert_eq!(lm.id("1980s"), None);
        assert_eq!(delta(text, 3..4, "1980s"), 0.0);
        // A word it knows is still judged.
        assert!(delta(text, 3..4, "nineties") != 0.0);
    }

    #[test]
    fn frequency_bias_is_the_unigram_difference() {
        let lm = LanguageModel::builtin();
        let b = frequency_bias(lm, "nation", "country");
        let expected = lm.unigram(lm.id("country")) - lm.unigram(lm.id("nation"));
        assert!((b - expected).abs() < 1e-6 && b > 0.0, "{b}");
        assert_eq!(frequency_bias(lm, "a number of", "a number of"), 0.0);
    }

    #[test]
    fn neighbours_skip_punctuation_and_mark_sentences() {
        let lm = LanguageModel::builtin();
        let text = "Yes, he said. Then they, too";
        let tokens = tokenize(text);
        // Yes(0) ,(1) he(2) said(3) .(4) Then(5) they(6) ,(7) too(8)
        let id_of = |j: usize| word_id(lm, tokens[j].text(text));
        let left_of = |i| left_of(lm, text, &tokens, &id_of, i);
        let right_of = |i| right_of(lm, text, &tokens, &id_of, i);
        assert_eq!(left_of(3), [lm.id("yes"), lm.id("he")]);
        assert_eq!(left_of(2), [lm.sentence_start(), lm.id("yes")]);
        assert_eq!(left_of(0), [None, lm.sentence_start()]);
        assert_eq!(left_of(5), [None, lm.sentence_start()]);
        assert_eq!(right_of(4), [lm.sentence_end(), None]);
        assert_eq!(right_of(6), [lm.id("they"), lm.id("too")]);
        assert_eq!(right_of(8), [lm.id("too"), lm.sentence_end()]);
    }
}
