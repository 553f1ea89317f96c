//! Learns dictionary entries from spun documents and their originals.
//!
//! Each (spun, original) pair of documents is tokenised and aligned word by
//! word, the way `difflib` does it: a longest common subsequence over the
//! lower-cased tokens (punctuation included, so it anchors the alignment),
//! where two near-identical words (`strsim::normalized_levenshtein` ≥ 0.8,
//! both at least four letters) also align, as a one-word substitution, so a
//! slightly changed word is not split into a deletion and an insertion.
//!
//! Every run of differing tokens between two aligned ones is a candidate
//! substitution. A run is kept when neither side contains punctuation and
//! each side has one to five words; a pure insertion or deletion ("with" →
//! "together with") is widened by the aligned word after it (or before it,
//! at the end of a sentence), so that both sides are non-empty. Aligned words
//! are never part of a substitution otherwise. A run of adjacent swaps
//! ("area stated" for "region said") is split into pieces when every piece
//! is known on its own: seen as a whole run elsewhere in the input, or a
//! one-word pair the inverse thesaurus allows.
//!
//! Substitutions are counted by type (lower-cased spun and original forms),
//! with the number of documents they occur in and one short example (the
//! spun text around the first occurrence, at most 80 characters).
//!
//! # Classes
//!
//! Each learned entry is classed with the built-in language model, from two
//! figures (log10 units):
//!
//! * `gap`: how much more probable the original phrase is than the spun
//!   phrase out of context (the model's phrase probability with no history);
//! * `fit`: over the occurrences, the mean of how much more the model
//!   prefers the original in its context ([`crate::context::deltas`]) minus
//!   the out-of-context `gap` (so frequency is not counted twice): how badly
//!   the spun form fits where it was put.
//!
//! The thresholds:
//!
//! * [`Class::Fingerprint`]: a spun word (letters) the model does not know
//!   ("girls's", "yr"), or `gap ≥ 4.0` (the spun form is ten thousand times
//!   rarer: "final 12 months"), or `gap + fit ≥ 6.0` (the contexts reject
//!   it outright);
//! * [`Class::Ambiguous`]: `gap < 1.5` and `gap + fit < 1.5` (the spun form
//!   is ordinary English, about as common as the original and acceptable
//!   where it stands: "a number of", "kids");
//! * [`Class::Unusual`]: everything in between.
//!
//! The thresholds were chosen on the dev articles against the classes of
//! `substitutions-observed.tsv`, weighting the costly error (an ordinary
//! form classed as a fingerprint, which would be repaired everywhere) three
//! times: 45 of the 96 learned pairs found there get the observed class,
//! and few ordinary forms become fingerprints. The model's figures separate
//! the classes only loosely ("stated" and "instructed" look alike to it), so
//! a learned class is a starting point for review, on the safe side.

use crate::context;
use crate::dict::{push_folded, Class};
use crate::lm::LanguageModel;
use crate::thesaurus::Thesaurus;
use crate::token::{tokenize, Case, Kind, Token};
use std::collections::{HashMap, HashSet};

/// Most words on either side of a learned substitution.
pub const MAX_WORDS: usize = 5;
/// Longest example, in bytes.
pub const MAX_EXAMPLE: usize = 80;
/// Similarity from which two different words align as a substitution.
pub const NEAR_MATCH: f64 = 0.8;

/// `gap` from which an entry is a fingerprint.
pub const FINGERPRINT_GAP: f32 = 4.0;
/// `gap + fit` from which an entry is a fingerprint.
pub const FINGERPRINT_CONTEXT: f32 = 6.0;
/// `gap` below which an entry may be ambiguous.
pub const AMBIGUOUS_GAP: f32 = 1.5;
/// `gap + fit` below which an entry may be ambiguous.
pub const AMBIGUOUS_CONTEXT: f32 = 1.5;

/// A substitution learned from aligned documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Learned {
    /// The spun form (lower case unless it is always capitalised).
    pub spun: String,
    /// The original form.
    pub original: String,
    /// Occurrences.
    pub count: usize,
    /// Documents it occurs in.
    pub documents: usize,
    /// How safe the entry is.
    pub class: Class,
    /// The spun text around the first occurrence.
    pub example: String,
}

impl Learned {
    /// A comment line with the counts and the example, then the entry line
    /// in dictionary format (the class only when it is not a fingerprint).
    pub fn to_tsv(&self) -> String {
        let example = self.example.replace(['\n', '\r', '\t'], " ");
        format!(
            "# {}x in {} docs, e.g. \"{}\"\n{}\t{}{}\n",
            self.count,
            self.documents,
            example,
            self.spun,
            self.original,
            class_option(self.class)
        )
    }
}

/// The options field for a class: empty for the default.
pub(crate) fn class_option(class: Class) -> &'static str {
    match class {
        Class::Fingerprint => "",
        Class::Unusual => "\tclass=unusual",
        Class::Ambiguous => "\tclass=ambiguous",
    }
}

/// One substitution found in one document: token ranges on each side.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Diff {
    pub spun: std::ops::Range<usize>,
    pub original: std::ops::Range<usize>,
    /// A one-sided change widened by an aligned word.
    pub widened: bool,
    /// The aligned word before the run, if it is a word.
    pub before: Option<String>,
    /// The aligned word after the run, if it is a word (exact match).
    pub after: Option<String>,
}

fn folded(text: &str, t: &Token) -> String {
    let mut s = String::new();
    push_folded(&mut s, t.text(text));
    s
}

fn near(a: &str, b: &str) -> bool {
    a.chars().count() >= 4
        && b.chars().count() >= 4
        && a.chars().all(char::is_alphabetic)
        && b.chars().all(char::is_alphabetic)
        && strsim::normalized_levenshtein(a, b) >= NEAR_MATCH
}

/// Aligned pairs `(i, j)` of an LCS alignment of `a` and `b`, in order,
/// with a flag telling exact matches from near matches.
fn align(a: &[String], b: &[String]) -> Vec<(usize, usize, bool)> {
    let (n, m) = (a.len(), b.len());
    // score[i][j]: best alignment of a[i..] and b[j..]; exact = 2, near = 1.
    let w = m + 1;
    let mut score = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let pair = if a[i] == b[j] {
                2
            } else if near(&a[i], &b[j]) {
                1
            } else {
                0
            };
            let mut best = score[(i + 1) * w + j].max(score[i * w + j + 1]);
            if pair > 0 {
                best = best.max(score[(i + 1) * w + j + 1] + pair);
            }
            score[i * w + j] = best;
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let pair = if a[i] == b[j] {
            2
        } else if near(&a[i], &b[j]) {
            1
        } else {
            0
        };
        if pair > 0 && score[i * w + j] == score[(i + 1) * w + j + 1] + pair {
            out.push((i, j, pair == 2));
            i += 1;
            j += 1;
        } else if score[(i + 1) * w + j] >= score[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The substitutions between two tokenised texts (token index ranges).
pub(crate) fn diffs(spun_text: &str, spun: &[Token], orig_text: &str, orig: &[Token]) -> Vec<Diff> {
    let a: Vec<String> = spun.iter().map(|t| folded(spun_text, t)).collect();
    let b: Vec<String> = orig.iter().map(|t| folded(orig_text, t)).collect();
    let mut anchors = align(&a, &b);
    // Sentinel anchor after the end.
    anchors.push((a.len(), b.len(), true));
    let mut out = Vec::new();
    let (mut pi, mut pj) = (0usize, 0usize);
    for &(i, j, exact) in &anchors {
        if i > pi || j > pj {
            let before = (pi > 0 && spun[pi - 1].kind != Kind::Punct).then(|| a[pi - 1].clone());
            let after = (exact && i < a.len() && spun[i].kind != Kind::Punct).then(|| a[i].clone());
            if let Some(d) = run(spun, orig, exact, pi..i, pj..j) {
                out.push(Diff { before, after, ..d });
            }
        }
        if !exact {
            out.push(Diff {
                spun: i..i + 1,
                original: j..j + 1,
                ..Diff::default()
            });
        }
        pi = i + 1;
        pj = j + 1;
    }
    out
}

/// The substitution for the differing tokens `s` and `o`, if it is one.
fn run(
    spun: &[Token],
    orig: &[Token],
    widen_after: bool,
    mut s: std::ops::Range<usize>,
    mut o: std::ops::Range<usize>,
) -> Option<Diff> {
    let wordy = |t: &[Token]| t.iter().all(|t| t.kind != Kind::Punct);
    if !wordy(&spun[s.clone()]) || !wordy(&orig[o.clone()]) {
        return None;
    }
    let widened = s.is_empty() || o.is_empty();
    if widened {
        // Widen by the aligned word after the run, else the one before.
        let after_ok = widen_after
            && s.end < spun.len()
            && o.end < orig.len()
            && spun[s.end].kind != Kind::Punct;
        let before_ok = s.start > 0 && o.start > 0 && spun[s.start - 1].kind != Kind::Punct;
        if after_ok {
            s.end += 1;
            o.end += 1;
        } else if before_ok {
            s.start -= 1;
            o.start -= 1;
        } else {
            return None;
        }
    }
    (s.len() <= MAX_WORDS && o.len() <= MAX_WORDS).then(|| Diff {
        spun: s,
        original: o,
        widened,
        ..Diff::default()
    })
}

/// The words of a token range, lower-cased and joined by spaces.
fn key(text: &str, tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| folded(text, t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The form to write for a token range: lower case, unless its first word
/// is capitalised away from a sentence start (a name: "Fb", "Eighties").
fn surface(text: &str, tokens: &[Token]) -> Option<String> {
    let first = tokens.first()?;
    if !first.sentence_start && matches!(first.case, Case::Title | Case::Upper | Case::Mixed) {
        Some(
            tokens
                .iter()
                .map(|t| t.text(text).to_string())
                .collect::<Vec<_>>()
                .join(" "),
        )
    } else {
        None
    }
}

/// At most [`MAX_EXAMPLE`] bytes of `text` around tokens `span`, on one line.
pub(crate) fn example(text: &str, tokens: &[Token], span: std::ops::Range<usize>) -> String {
    let line_of = |i: usize| text[..tokens[i].span.start].matches('\n').count();
    let line = line_of(span.start);
    let (mut lo, mut hi) = (span.start, span.end.max(span.start + 1));
    let len = |lo: usize, hi: usize| tokens[hi - 1].span.end - tokens[lo].span.start;
    loop {
        let mut grown = false;
        if lo > 0 && line_of(lo - 1) == line && len(lo - 1, hi) <= MAX_EXAMPLE {
            lo -= 1;
            grown = true;
        }
        if hi < tokens.len() && line_of(hi) == line && len(lo, hi + 1) <= MAX_EXAMPLE {
            hi += 1;
            grown = true;
        }
        if !grown {
            break;
        }
    }
    let s = &text[tokens[lo].span.start..tokens[hi - 1].span.end];
    if s.len() <= MAX_EXAMPLE {
        s.to_string()
    } else {
        let mut end = MAX_EXAMPLE;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s[..end].to_string()
    }
}

fn ids(lm: &LanguageModel, phrase: &str) -> Vec<Option<u32>> {
    phrase.split(' ').map(|w| lm.id(w)).collect()
}

/// log10 probability of a lower-case phrase out of context.
pub(crate) fn phrase_logprob(lm: &LanguageModel, phrase: &str) -> f32 {
    lm.phrase([None, None], &ids(lm, phrase), [None, None])
}

/// Classes a substitution from the out-of-context gap and the mean
/// in-context preference for the original (see the module documentation).
pub(crate) fn classify(lm: &LanguageModel, spun: &str, original: &str, context: f32) -> Class {
    let unknown = spun
        .split(' ')
        .any(|w| w.chars().any(char::is_alphabetic) && lm.id(w).is_none());
    if unknown {
        return Class::Fingerprint;
    }
    let gap = phrase_logprob(lm, original) - phrase_logprob(lm, spun);
    if gap >= FINGERPRINT_GAP || context >= FINGERPRINT_CONTEXT {
        Class::Fingerprint
    } else if gap < AMBIGUOUS_GAP && context < AMBIGUOUS_CONTEXT {
        Class::Ambiguous
    } else {
        Class::Unusual
    }
}

#[derive(Default)]
struct Tally {
    count: usize,
    docs: usize,
    last_doc: Option<usize>,
    example: String,
    spun_surface: Option<Option<String>>,
    orig_surface: Option<Option<String>>,
    context_sum: f32,
}

/// Merges a surface form: kept only if every occurrence agrees.
fn merge_surface(slot: &mut Option<Option<String>>, s: Option<String>) {
    match slot {
        None => *slot = Some(s),
        Some(prev) if *prev != s => *prev = None,
        _ => {}
    }
}

/// Splits a run of changed words into smaller substitutions when each
/// piece is known on its own: seen as a whole substitution somewhere in the
/// input, or a one-word pair the inverse thesaurus allows (or two near-
/// identical words). Adjacent swaps ("area stated" for "region said") then
/// come out as two entries. A piece may have an empty side only at either
/// end of the run, widened by the aligned word next to it ("together" before
/// "with" is "together with" for "with"). Returns the run itself when no
/// split into two or more known pieces exists.
fn split(d: &Diff, sw: &[String], ow: &[String], known: &dyn Fn(&str, &str) -> bool) -> Vec<Diff> {
    let (n, m) = (d.spun.len(), d.original.len());
    if d.widened || n + m <= 2 || n == 0 || m == 0 {
        return vec![d.clone()];
    }
    let joined = |w: &[String]| w.join(" ");
    let piece = |i: usize, i2: usize, j: usize, j2: usize| {
        i2 > i
            && j2 > j
            && i2 - i <= MAX_WORDS
            && j2 - j <= MAX_WORDS
            && (i2 - i, j2 - j) != (n, m)
            && known(&joined(&sw[i..i2]), &joined(&ow[j..j2]))
    };
    // The aligned words just before and after the run, if any.
    let before = d.before.as_deref();
    let after = d.after.as_deref();
    let with = |w: &[String], extra: &str, front: bool| {
        if front {
            format!("{extra} {}", joined(w)).trim().to_string()
        } else {
            format!("{} {extra}", joined(w)).trim().to_string()
        }
    };
    // best[i][j]: most pieces covering sw[..i] and ow[..j], with the start
    // of the previous cell.
    let w = m + 1;
    let mut best: Vec<Option<(usize, usize, usize)>> = vec![None; (n + 1) * w];
    best[0] = Some((0, 0, 0));
    if let Some(b) = before {
        for k in 1..n.min(MAX_WORDS) {
            if known(&with(&sw[..k], b, true), b) {
                best[k * w] = Some((1, 0, 0));
            }
        }
        for k in 1..m.min(MAX_WORDS) {
            if known(b, &with(&ow[..k], b, true)) {
                best[k] = Some((1, 0, 0));
            }
        }
    }
    for i in 0..=n {
        for j in 0..=m {
            let Some((c, _, _)) = best[i * w + j] else {
                continue;
            };
            for i2 in i + 1..=n {
                for j2 in j + 1..=m {
                    if piece(i, i2, j, j2)
                        && best[i2 * w + j2].map_or(true, |(c2, _, _)| c2 < c + 1)
                    {
                        best[i2 * w + j2] = Some((c + 1, i, j));
                    }
                }
            }
        }
    }
    // The end: the full cover, or a trailing one-sided piece.
    let mut end: Option<(usize, usize, usize)> = best[n * w + m].map(|(c, _, _)| (c, n, m));
    if let Some(a) = after {
        for i in 1..n {
            if let Some((c, _, _)) = best[i * w + m] {
                if n - i < MAX_WORDS
                    && known(&with(&sw[i..], a, false), a)
                    && end.map_or(true, |(e, _, _)| e < c + 1)
                {
                    end = Some((c + 1, i, m));
                }
            }
        }
        for j in 1..m {
            if let Some((c, _, _)) = best[n * w + j] {
                if m - j < MAX_WORDS
                    && known(a, &with(&ow[j..], a, false))
                    && end.map_or(true, |(e, _, _)| e < c + 1)
                {
                    end = Some((c + 1, n, j));
                }
            }
        }
    }
    let Some((count, mut i, mut j)) = end else {
        return vec![d.clone()];
    };
    if count < 2 {
        return vec![d.clone()];
    }
    let (s0, o0) = (d.spun.start, d.original.start);
    let mut out = Vec::new();
    if (i, j) != (n, m) {
        // Trailing one-sided piece, widened by the next aligned word.
        out.push(Diff {
            spun: s0 + i..s0 + n + 1,
            original: o0 + j..o0 + m + 1,
            ..Diff::default()
        });
    }
    while (i, j) != (0, 0) {
        let (_, pi, pj) = best[i * w + j].expect("a reachable cell");
        if pi == 0 && pj == 0 && (i == 0 || j == 0) {
            // Leading one-sided piece, widened by the previous aligned word.
            out.push(Diff {
                spun: s0 - 1..s0 + i,
                original: o0 - 1..o0 + j,
                ..Diff::default()
            });
            break;
        }
        out.push(Diff {
            spun: s0 + pi..s0 + i,
            original: o0 + pj..o0 + j,
            ..Diff::default()
        });
        i = pi;
        j = pj;
    }
    out.reverse();
    out
}

/// Learns substitutions from `(spun document, original document)` pairs,
/// sorted by count (most frequent first), then by spun form.
pub fn learn(pairs: &[(String, String)]) -> Vec<Learned> {
    let lm = LanguageModel::builtin();
    let thesaurus = Thesaurus::builtin();
    let docs: Vec<(Vec<Token>, Vec<Token>, Vec<Diff>)> = pairs
        .iter()
        .map(|(s, o)| {
            let spun = tokenize(s);
            let orig = tokenize(o);
            let d = diffs(s, &spun, o, &orig);
            (spun, orig, d)
        })
        .collect();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for ((st, ot), (spun, orig, ds)) in pairs.iter().zip(&docs) {
        for d in ds {
            seen.insert((
                key(st, &spun[d.spun.clone()]),
                key(ot, &orig[d.original.clone()]),
            ));
        }
    }
    let known = |s: &str, o: &str| {
        seen.contains(&(s.to_string(), o.to_string()))
            || (!s.contains(' ')
                && !o.contains(' ')
                && (near(s, o) || thesaurus.originals(s).iter().any(|x| x == o)))
    };
    let mut tallies: HashMap<(String, String), Tally> = HashMap::new();
    for (doc, ((spun_text, orig_text), (spun, orig, ds))) in pairs.iter().zip(&docs).enumerate() {
        for run in ds {
            let sw: Vec<String> = spun[run.spun.clone()]
                .iter()
                .map(|t| folded(spun_text, t))
                .collect();
            let ow: Vec<String> = orig[run.original.clone()]
                .iter()
                .map(|t| folded(orig_text, t))
                .collect();
            for d in split(run, &sw, &ow, &known) {
                let s = key(spun_text, &spun[d.spun.clone()]);
                let o = key(orig_text, &orig[d.original.clone()]);
                if s == o {
                    continue;
                }
                let delta = context::deltas(
                    lm,
                    spun_text,
                    spun,
                    d.spun.clone(),
                    std::slice::from_ref(&o),
                )[0];
                let t = tallies.entry((s, o)).or_default();
                t.count += 1;
                if t.last_doc != Some(doc) {
                    t.docs += 1;
                    t.last_doc = Some(doc);
                }
                if t.example.is_empty() {
                    t.example = example(spun_text, spun, d.spun.clone());
                }
                t.context_sum += delta;
                merge_surface(&mut t.spun_surface, surface(spun_text, &spun[d.spun]));
                merge_surface(&mut t.orig_surface, surface(orig_text, &orig[d.original]));
            }
        }
    }
    let mut out: Vec<Learned> = tallies
        .into_iter()
        .map(|((s, o), t)| {
            let class = classify(lm, &s, &o, t.context_sum / t.count as f32);
            Learned {
                spun: t.spun_surface.flatten().unwrap_or(s),
                original: t.orig_surface.flatten().unwrap_or(o),
                count: t.count,
                documents: t.docs,
                class,
                example: t.example,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.spun.to_lowercase().cmp(&b.spun.to_lowercase()))
            .then_with(|| a.original.cmp(&b.original))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn found(spun: &str, orig: &str) -> Vec<(String, String)> {
        let s = tokenize(spun);
        let o = tokenize(orig);
        diffs(spun, &s, orig, &o)
            .into_iter()
            .map(|d| (key(spun, &s[d.spun]), key(orig, &o[d.original])))
            .collect()
    }

    #[test]
    fn finds_minimal_substitutions() {
        assert_eq!(
            found(
                "They stormed again to energy, he instructed AFP.",
                "They stormed back to power, he told AFP."
            ),
            vec![
                ("again".into(), "back".into()),
                ("energy".into(), "power".into()),
                ("instructed".into(), "told".into())
            ]
        );
        assert_eq!(
            found("in the final 12 months", "in the last year"),
            vec![("final 12 months".into(), "last year".into())]
        );
    }

    #[test]
    fn widens_insertions_and_skips_punctuation() {
        assert_eq!(
            found("fled together with his wife", "fled with his wife"),
            vec![("together with".into(), "with".into())]
        );
        // A change that crosses punctuation is not a substitution.
        assert!(found("He left. Then", "He left, then").is_empty());
    }

    #[test]
    fn splits_adjacent_swaps_into_known_pieces() {
        let learned = learn(&pairs(&[
            ("The area stated on Monday.", "The region said on Monday."),
            ("In the area of the north.", "In the region of the north."),
            (
                "Heavy combating together with troops. He fled together with his wife.",
                "Heavy fighting with troops. He fled with his wife.",
            ),
        ]));
        let got: Vec<(&str, &str, usize)> = learned
            .iter()
            .map(|l| (l.spun.as_str(), l.original.as_str(), l.count))
            .collect();
        assert_eq!(
            got,
            vec![
                ("area", "region", 2),
                ("together with", "with", 2),
                ("combating", "fighting", 1),
                ("stated", "said", 1)
            ]
        );
    }

    #[test]
    fn near_identical_words_pair_up() {
        assert_eq!(
            found("the organisation said", "the organization said"),
            vec![("organisation".into(), "organization".into())]
        );
    }

    #[test]
    fn learns_counts_documents_examples_and_classes() {
        let learned = learn(&pairs(&[
            (
                "Rebels took management of the town in the final 12 months.",
                "Rebels took control of the town in the last year.",
            ),
            (
                "The nation took management of the port.",
                "The country took control of the port.",
            ),
        ]));
        let got: Vec<(&str, &str, usize, usize)> = learned
            .iter()
            .map(|l| (l.spun.as_str(), l.original.as_str(), l.count, l.documents))
            .collect();
        assert_eq!(
            got,
            vec![
                ("management", "control", 2, 2),
                ("final 12 months", "last year", 1, 1),
                ("nation", "country", 1, 1)
            ]
        );
        assert_eq!(
            learned[0].example,
            "Rebels took management of the town in the final 12 months."
        );
        assert_eq!(learned[1].class, Class::Fingerprint);
        assert_eq!(learned[2].class, Class::Ambiguous);
        assert_eq!(
            learned[1].to_tsv(),
            "# 1x in 1 docs, e.g. \"Rebels took management of the town in the final 12 months.\"\nfinal 12 months\tlast year\n"
        );
        assert_eq!(
            learned[2].to_tsv(),
            "# 1x in 1 docs, e.g. \"The nation took management of the port.\"\nnation\tcountry\tclass=ambiguous\n"
        );
    }

    #[test]
    fn keeps_capitalised_names_and_short_examples() {
        let long = "word ".repeat(30);
        let text = format!("{long}posted on Fb yesterday {long}");
        let orig = format!("{long}posted on Facebook yesterday {long}");
        let learned = learn(&pairs(&[(&text, &orig)]));
        assert_eq!(learned.len(), 1);
        assert_eq!(learned[0].spun, "Fb");
        assert_eq!(learned[0].original, "Facebook");
        assert!(learned[0].example.len() <= MAX_EXAMPLE);
        assert!(learned[0].example.contains("posted on Fb yesterday"));
    }
}
