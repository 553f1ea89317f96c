//! The pipeline: normalise → tokenise → detect → decide → rewrite.
//!
//! [`Cleaner`] owns the compiled dictionary and the options; it is `Sync`,
//! so one instance serves every thread. Cleaning a document allocates only
//! per-document buffers and never touches shared state.

use crate::decide::spin_gate;
use crate::decide::{Decider, SpinScore};
use crate::detect::thesaurus_candidates;
use crate::detect::{Candidate, Matcher};
use crate::dict::Dictionary;
use crate::lm::LanguageModel;
use crate::normalize::Normalization;
use crate::rewrite::{article_fixes, capitalize, transfer_case, Splice};
use crate::thesaurus::Thesaurus;
use crate::token::{tokenize_folded, Case, Folded, Kind, Token};
use std::cell::Cell;
use std::ops::Range;
use std::sync::OnceLock;

/// Options for a [`Cleaner`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Normalisation applied before anything else.
    pub normalization: Normalization,
    /// Decision policy (threshold, quotations, weights).
    pub decider: Decider,
    /// Ask the built-in language model about each candidate's context.
    pub use_lm: bool,
    /// In documents that look spun, also consider the originals the inverse
    /// thesaurus lists for words no dictionary entry covers (needs `use_lm`).
    /// Off by default: the context alone prefers idioms ("took care of" for a
    /// spun "took management of", where the original was "control"). With
    /// half the known swaps hidden from the dictionary it recovers 22% of
    /// their occurrences instead of 21% at precision 0.94 (thesaurus prior
    /// 0.03), or 28% at 0.83 (prior 0.1). It needs a channel model first.
    pub use_thesaurus: bool,
    /// Fill [`Cleaned::suggestions`]. A run that reports no suggestions
    /// turns this off: an edit record for every candidate left alone (most
    /// candidates in clean text) is work nobody reads.
    pub suggestions: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            normalization: Normalization::default(),
            decider: Decider::default(),
            use_lm: true,
            use_thesaurus: false,
            suggestions: true,
        }
    }
}

/// Why an edit was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EditKind {
    /// A dictionary repair.
    Repair,
    /// An "a"/"an" made to agree with a repair after it.
    Article,
}

/// One change made to the text (or, in [`Cleaned::suggestions`], one that
/// was considered and not made).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Edit {
    /// 1-based line of the first byte.
    pub line: usize,
    /// 1-based column, in characters, of the first byte.
    pub column: usize,
    /// Byte offset where the replaced text starts.
    pub start: usize,
    /// Byte offset where the replaced text ends.
    pub end: usize,
    /// The text as it was.
    pub from: String,
    /// The text put in its place (for a suggestion: the best alternative).
    pub to: String,
    /// Other originals the dictionary offers, best first; empty if one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// The dictionary entry, `spun → original` as written in the file.
    pub entry: String,
    /// `FILE:LINE` of the entry.
    pub location: String,
    /// How the entry matched: exact, inflected or fuzzy.
    #[serde(rename = "match")]
    pub how: crate::detect::MatchHow,
    /// Decision confidence, 0..1.
    pub confidence: f32,
    /// Repair or article agreement.
    pub kind: EditKind,
}

/// The result of cleaning one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    /// The cleaned text.
    pub text: String,
    /// Every change, in text order. Spans refer to the input text after
    /// normalisation (with the default NFC and text already in NFC, which is
    /// nearly all text, that is the input itself).
    pub edits: Vec<Edit>,
    /// Candidates found but not applied (report-only entries, low confidence,
    /// or inside quotations), in text order.
    pub suggestions: Vec<Edit>,
    /// How spun the document looks.
    pub spin: SpinScore,
}

impl Edit {
    /// The edit as the rewriter takes it: its span and the text put there.
    pub fn splice(&self) -> Splice {
        Splice {
            span: self.start..self.end,
            text: self.to.clone(),
        }
    }
}

impl Cleaned {
    /// True if the text changed.
    pub fn changed(&self) -> bool {
        !self.edits.is_empty()
    }
}

/// Like [`Cleaned`], for input that may not be valid UTF-8.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanedBytes {
    /// The cleaned bytes; invalid sequences are copied through unchanged.
    pub bytes: Vec<u8>,
    /// Changes, spans in input-byte offsets (see [`Cleaned::edits`]).
    pub edits: Vec<Edit>,
    /// Candidates not applied.
    pub suggestions: Vec<Edit>,
    /// How spun the document looks.
    pub spin: SpinScore,
    /// Byte offsets of the invalid UTF-8 sequences in the input.
    pub invalid_utf8: Vec<usize>,
}

/// A compiled dictionary plus options: cleans documents.
#[derive(Debug, Clone)]
pub struct Cleaner {
    dict: Dictionary,
    matcher: Matcher,
    options: Options,
    /// The dictionary with the science pack after it: used instead of
    /// `dict` for documents that [`crate::packs::looks_scientific`] (see
    /// `clean_normalized` for how that is decided only when it matters).
    /// Its matcher is compiled on first use (some 20 ms).
    science: Option<(Dictionary, OnceLock<Matcher>)>,
}

impl Cleaner {
    /// Compiles `dict` for use with `options`.
    pub fn new(dict: Dictionary, options: Options) -> Cleaner {
        let matcher = Matcher::new(&dict);
        Cleaner {
            dict,
            matcher,
            options,
            science: None,
        }
    }

    /// Like [`Cleaner::new`], and documents that look scientific
    /// ([`crate::packs::looks_scientific`]) are cleaned with `dict` and
    /// `science` together (the `science` pack: [`crate::packs::pack`]).
    /// Other documents see `dict` alone, so the tortured phrases of papers,
    /// some ordinary English elsewhere, never touch a news story.
    pub fn with_science(dict: Dictionary, science: Dictionary, options: Options) -> Cleaner {
        let mut combined = dict.clone();
        combined.extend(science);
        Cleaner {
            science: Some((combined, OnceLock::new())),
            ..Cleaner::new(dict, options)
        }
    }

    /// The dictionary in use for documents that do not look scientific.
    pub fn dictionary(&self) -> &Dictionary {
        &self.dict
    }

    /// The options in use.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Cleans one document.
    pub fn clean(&self, text: &str) -> Cleaned {
        let normalized = self.options.normalization.apply(text);
        let (out, edits, suggestions, spin) = self.clean_normalized(&normalized);
        Cleaned {
            text: out,
            edits,
            suggestions,
            spin,
        }
    }

    /// Cleans a document that may hold invalid UTF-8: the valid parts are
    /// cleaned as one text (so the spin score sees the whole document) and
    /// every invalid byte is copied through unchanged.
    pub fn clean_bytes(&self, input: &[u8]) -> CleanedBytes {
        if let Ok(text) = std::str::from_utf8(input) {
            let c = self.clean(text);
            return CleanedBytes {
                bytes: c.text.into_bytes(),
                edits: c.edits,
                suggestions: c.suggestions,
                spin: c.spin,
                invalid_utf8: Vec::new(),
            };
        }
        // Working text: valid chunks normalised, each invalid sequence
        // replaced by U+FFFD (a punctuation token: it stops phrases).
        let mut work = String::with_capacity(input.len() + 16);
        // (working range, input range, valid?)
        let mut segments: Vec<(Range<usize>, Range<usize>, bool)> = Vec::new();
        let mut invalid_utf8 = Vec::new();
        let mut pos = 0;
        for chunk in input.utf8_chunks() {
            let valid = self.options.normalization.apply(chunk.valid());
            let w0 = work.len();
            work.push_str(&valid);
            segments.push((w0..work.len(), pos..pos + chunk.valid().len(), true));
            pos += chunk.valid().len();
            if !chunk.invalid().is_empty() {
                invalid_utf8.push(pos);
                let w0 = work.len();
                work.push('\u{FFFD}');
                segments.push((w0..work.len(), pos..pos + chunk.invalid().len(), false));
                pos += chunk.invalid().len();
            }
        }
        let (_, edits, mut suggestions, spin) = self.clean_normalized(&work);
        // An edit may not swallow an invalid sequence (only an entry holding
        // U+FFFD could make one): such edits are dropped, not half-made.
        let touches_invalid = |e: &Edit| {
            segments
                .iter()
                .any(|(w, _, valid)| !*valid && e.start < w.end && e.end > w.start)
        };
        let mut edits: Vec<Edit> = edits.into_iter().filter(|e| !touches_invalid(e)).collect();
        // Rebuild: valid segments from the working text with the edits
        // applied, invalid ones from the input bytes.
        let mut bytes = Vec::with_capacity(input.len() + 16);
        let mut next = edits.iter().peekable();
        for (w, orig, valid) in &segments {
            if !valid {
                bytes.extend_from_slice(&input[orig.clone()]);
                continue;
            }
            let mut p = w.start;
            while let Some(e) = next.peek() {
                if e.start >= w.end {
                    break;
                }
                bytes.extend_from_slice(&work.as_bytes()[p..e.start]);
                bytes.extend_from_slice(e.to.as_bytes());
                p = e.end;
                next.next();
            }
            bytes.extend_from_slice(&work.as_bytes()[p..w.end]);
        }
        // Report spans in input offsets where the segment was not normalised
        // differently (same length): the common case.
        let to_input = |off: usize| {
            segments
                .iter()
                .find(|(w, _, _)| w.start <= off && off <= w.end)
                .map_or(off, |(w, o, _)| o.start + (off - w.start).min(o.len()))
        };
        for e in edits.iter_mut().chain(suggestions.iter_mut()) {
            e.start = to_input(e.start);
            e.end = to_input(e.end);
        }
        CleanedBytes {
            bytes,
            edits,
            suggestions,
            spin,
            invalid_utf8,
        }
    }

    /// Cleans normalised text with the dictionary it gets: with the science
    /// pack if there is one and the document
    /// [`crate::packs::looks_scientific`], else without.
    ///
    /// Most documents are not scientific and never match a key of the pack,
    /// and for those both dictionaries give the same result. So a document
    /// is cleaned with the pack first, noting whether any of its keys
    /// matched, and only then, if one did, is it asked whether it looks
    /// scientific: if not, it is cleaned again without the pack. The test
    /// reads every byte of a document's start, so this saves it for nearly
    /// every document, and the pack's matcher costs hardly more per token
    /// than the news one's.
    fn clean_normalized(&self, text: &str) -> (String, Vec<Edit>, Vec<Edit>, SpinScore) {
        let Some((combined, matcher)) = &self.science else {
            return self.passes(&self.dict, &self.matcher, text, &mut false);
        };
        // The pack's tortured phrases are exact fingerprints: no
        // approximate matching for them (it would halve the speed on
        // papers).
        let fuzzy_sources = self.dict.sources.len();
        let matcher = matcher.get_or_init(|| Matcher::with_fuzzy_sources(combined, fuzzy_sources));
        let mut touched = false;
        let with_pack = self.passes(combined, matcher, text, &mut touched);
        if touched && !crate::packs::looks_scientific(text) {
            return self.passes(&self.dict, &self.matcher, text, &mut false);
        }
        with_pack
    }

    /// Cleans normalised text to a fixed point with one dictionary: a
    /// repair can complete the context of another entry ("one of many
    /// final night" → "… last night" → "one of the last night"), so passes
    /// repeat until nothing changes (at most [`MAX_PASSES`]). That makes
    /// cleaning idempotent: clean text, including despin's own output,
    /// comes back unchanged. Edits of later passes are composed into spans
    /// of `text`. The spin score and the suggestions are the first pass's:
    /// they describe the document. `secondary` is set if a key of the
    /// matcher's secondary sources matched in any pass (see
    /// [`Matcher::find_noting`]).
    ///
    /// A later pass looks only around the previous pass's repairs (see
    /// [`context_zones`]): elsewhere the words and their contexts are the ones the
    /// first pass decided on, and the document-wide evidence has only
    /// fallen (fewer spun forms, more originals), so what was left alone
    /// stays alone. Re-reading whole documents doubled the cost of every
    /// spun one, for a second pass that nearly always found nothing.
    fn passes(
        &self,
        dict: &Dictionary,
        matcher: &Matcher,
        text: &str,
        secondary: &mut bool,
    ) -> (String, Vec<Edit>, Vec<Edit>, SpinScore) {
        let (tokens, folded) = tokenize_folded(text);
        // The first pass's spin score: later passes decide with it.
        let mut spin = None;
        let want = self.options.suggestions;
        let (mut edits, mut suggestions) = self.plan(
            dict,
            matcher,
            text,
            (&tokens, &folded),
            None,
            &mut spin,
            want,
            secondary,
        );
        let mut out = splice(text, &edits);
        let mut changed = changed_ranges(&edits);
        // The tokens of `out`, moved from the previous text's where the
        // edits allow (see [`crate::token::respliced`]); made when a later
        // pass needs them.
        let mut current: Option<(Vec<Token>, Folded)> = None;
        let mut pass = 1;
        while !changed.is_empty() && pass < MAX_PASSES {
            let current =
                current.get_or_insert_with(|| retokenize(text, (&tokens, &folded), &edits, &out));
            let zones = context_zones(&current.0, &changed);
            let (more, _) = self.plan(
                dict,
                matcher,
                &out,
                (&current.0, &current.1),
                Some(&zones),
                &mut spin,
                false,
                secondary,
            );
            if more.is_empty() {
                break;
            }
            let next = splice(&out, &more);
            changed = changed_ranges(&more);
            *current = retokenize(&out, (&current.0, &current.1), &more, &next);
            edits = compose(text, &out, edits, more);
            out = next;
            pass += 1;
        }
        let spin = spin.unwrap_or_default();
        fill_positions(text, &mut edits);
        fill_positions(text, &mut suggestions);
        (out, edits, suggestions, spin)
    }

    /// Detects and decides one pass over `text` (as `tokens`, folded): the
    /// edits to make (sorted, not overlapping; `to` is exactly the text to
    /// splice in) and the suggestions (only if `want_suggestions`).
    /// Positions (line, column) are filled in by the caller. The first
    /// pass (`zones` None) reads the whole text and sets the document's
    /// spin score in `spin`; a later one looks only at the candidates
    /// overlapping `zones` and decides them with that score. (Measured
    /// again on the repaired text, which has fewer spun forms, the score
    /// would only make a later pass more reluctant: the document is judged
    /// once, as it came in.)
    #[allow(clippy::too_many_arguments)]
    fn plan(
        &self,
        dict: &Dictionary,
        matcher: &Matcher,
        text: &str,
        (tokens, folded): (&[Token], &Folded),
        zones: Option<&[Range<usize>]>,
        spin: &mut Option<SpinScore>,
        want_suggestions: bool,
        secondary: &mut bool,
    ) -> (Vec<Edit>, Vec<Edit>) {
        let mut candidates = match zones {
            None => matcher.find_noting(dict, text, tokens, folded, secondary),
            Some(z) => matcher.find_near(dict, text, tokens, folded, z, secondary),
        };
        let spin = *spin.get_or_insert_with(|| {
            let words = tokens.iter().filter(|t| t.kind != Kind::Punct).count();
            SpinScore::of(&candidates, words)
        });
        if self.options.use_lm {
            let lm = LanguageModel::builtin();
            // The thesaurus only where the gate is open: in a clean document
            // no ordinary word is repaired, so looking is wasted work.
            if self.options.use_thesaurus && spin_gate(spin.score) >= THESAURUS_MIN_GATE {
                let mut more =
                    thesaurus_candidates(Thesaurus::builtin(), lm, text, tokens, &candidates);
                if let Some(z) = zones {
                    more.retain(|c| crate::detect::overlaps(z, &c.tokens));
                }
                candidates.extend(more);
                candidates.sort_by_key(|c| c.tokens.start);
            }
            // Model ids of the tokens, looked up once each (u32::MAX: not
            // yet, u32::MAX - 1: unknown to the model).
            let ids: Vec<Cell<u32>> = vec![Cell::new(u32::MAX); tokens.len()];
            let id_of = |j: usize| match ids[j].get() {
                u32::MAX => {
                    let id = lm.id(folded.word(j));
                    ids[j].set(id.unwrap_or(u32::MAX - 1));
                    id
                }
                id if id == u32::MAX - 1 => None,
                id => Some(id),
            };
            for c in candidates.iter_mut() {
                // A candidate this unlikely stays below any sensible
                // threshold whatever the context says (at weight 0.5 it
                // would need a 4-unit preference to reach 0.5): in a clean
                // document, where the gate is shut, the model is not asked.
                if self.options.decider.prior(c, &spin) < LM_MIN_PRIOR {
                    continue;
                }
                c.lm = crate::context::deltas_with(
                    lm,
                    text,
                    tokens,
                    &id_of,
                    c.tokens.clone(),
                    &c.replacements,
                );
                if c.how == crate::detect::MatchHow::Thesaurus {
                    // A thesaurus original must fit the context better, not
                    // merely be the commoner word.
                    let spun = &text[span_of(tokens, &c.tokens)];
                    for (d, r) in c.lm.iter_mut().zip(&c.replacements) {
                        *d -= crate::context::frequency_bias(lm, spun, r);
                    }
                }
            }
        }
        if candidates.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let decisions = self
            .options
            .decider
            .decide(&candidates, &spin, |c| c.report_only);

        let mut repairs: Vec<(Range<usize>, String)> = Vec::new();
        let mut edits = Vec::new();
        let mut suggestions = Vec::new();
        for (c, d) in candidates.iter().zip(&decisions) {
            if !d.apply && !want_suggestions {
                continue;
            }
            let span = span_of(tokens, &c.tokens);
            let from = &text[span.clone()];
            let mut to = transfer_case(from, &c.replacements[d.replacement]);
            if c.sentence_start && Case::of(from) == Case::None {
                // "5 suspected" at a sentence start becomes "Five suspected".
                to = capitalize(&to);
            }
            let to = keep_line_breaks(text, &tokens[c.tokens.clone()], &to);
            let apply = d.apply && to != from;
            if !apply && !want_suggestions {
                continue;
            }
            let edit = Self::edit(
                matcher,
                c,
                d.replacement,
                span,
                from,
                to.clone(),
                d.confidence,
            );
            if apply {
                repairs.push((c.tokens.clone(), to));
                edits.push(edit);
            } else {
                suggestions.push(edit);
            }
        }
        for (i, to) in article_fixes(text, tokens, &repairs) {
            let span = tokens[i].span.clone();
            edits.push(Edit {
                line: 0,
                column: 0,
                start: span.start,
                end: span.end,
                from: text[span].to_string(),
                to,
                alternatives: Vec::new(),
                entry: "a/an agreement".to_string(),
                location: "<builtin>".to_string(),
                how: crate::detect::MatchHow::Exact,
                confidence: 1.0,
                kind: EditKind::Article,
            });
        }
        edits.sort_by_key(|e| e.start);
        (edits, suggestions)
    }

    fn edit(
        matcher: &Matcher,
        c: &Candidate,
        chosen: usize,
        span: Range<usize>,
        from: &str,
        to: String,
        confidence: f32,
    ) -> Edit {
        // Thesaurus candidates have no dictionary entry.
        let (entry, location) = match c.entries.get(c.replacement_entry[chosen]) {
            Some(&e) => {
                let (entry, location) = matcher.label(e);
                (entry.to_string(), location.to_string())
            }
            None => (
                format!("{} → {}", from.to_lowercase(), c.replacements.join("|")),
                THESAURUS_LOCATION.to_string(),
            ),
        };
        Edit {
            line: 0,
            column: 0,
            start: span.start,
            end: span.end,
            from: from.to_string(),
            to,
            alternatives: c
                .replacements
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != chosen)
                .map(|(_, r)| r.clone())
                .collect(),
            entry,
            location,
            how: c.how,
            confidence: (confidence * 1000.0).round() / 1000.0,
            kind: EditKind::Repair,
        }
    }
}

/// The tokens and folded words of `out`, which is `text` (tokenised as
/// `old`) with `edits` applied: moved from `old` where
/// [`crate::token::respliced`] can, else tokenised afresh.
fn retokenize(
    text: &str,
    old: (&[Token], &Folded),
    edits: &[Edit],
    out: &str,
) -> (Vec<Token>, Folded) {
    let pairs: Vec<(Range<usize>, &str)> = edits
        .iter()
        .map(|e| (e.start..e.end, e.to.as_str()))
        .collect();
    let moved = crate::token::respliced(text, old, &pairs);
    debug_assert!(
        moved.as_ref().map_or(true, |m| *m == tokenize_folded(out)),
        "respliced tokens differ from the tokenizer's for {out:?}"
    );
    moved.unwrap_or_else(|| tokenize_folded(out))
}

/// Where `edits` (sorted, not overlapping, on one text) put their
/// replacements in the text they make.
fn changed_ranges(edits: &[Edit]) -> Vec<Range<usize>> {
    let mut shift: isize = 0;
    edits
        .iter()
        .map(|e| {
            let start = (e.start as isize + shift) as usize;
            shift += e.to.len() as isize - (e.end - e.start) as isize;
            start..start + e.to.len()
        })
        .collect()
}

/// Words on each side of a repair whose decisions it can change: the
/// language model reads two words of context each side, and an entry's
/// `left`/`right` conditions one token.
const ZONE_WORDS: usize = 3;

/// The token ranges (sorted, merged) that a later pass re-examines: the
/// tokens each changed byte range touches, widened by [`ZONE_WORDS`] words
/// (and the punctuation among them) on each side. A candidate outside
/// every zone has the same words and the same context as when it was last
/// decided.
fn context_zones(tokens: &[Token], changed: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut zones: Vec<Range<usize>> = Vec::with_capacity(changed.len());
    for ch in changed {
        let first = tokens.partition_point(|t| t.span.end <= ch.start);
        let end = tokens.partition_point(|t| t.span.start < ch.end).max(first);
        let (mut start, mut words) = (first, 0);
        while start > 0 && words < ZONE_WORDS {
            start -= 1;
            words += usize::from(tokens[start].kind != Kind::Punct);
        }
        let (mut stop, mut words) = (end, 0);
        while stop < tokens.len() && words < ZONE_WORDS {
            words += usize::from(tokens[stop].kind != Kind::Punct);
            stop += 1;
        }
        match zones.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(stop),
            _ => zones.push(start..stop),
        }
    }
    zones
}

fn span_of(tokens: &[Token], r: &Range<usize>) -> Range<usize> {
    tokens[r.start].span.start..tokens[r.end - 1].span.end
}

/// Candidates with a lower prior are decided without the language model.
const LM_MIN_PRIOR: f32 = 0.01;

/// Where thesaurus repairs say they come from.
const THESAURUS_LOCATION: &str = "<builtin>/thesaurus.tsv";

/// The spin gate must be at least this open for thesaurus candidates.
const THESAURUS_MIN_GATE: f32 = 0.5;

/// Most passes [`Cleaner::clean`] makes over one document.
pub const MAX_PASSES: usize = 3;

/// Applies edits (sorted, not overlapping) to `text`.
fn splice(text: &str, edits: &[Edit]) -> String {
    let splices: Vec<Splice> = edits.iter().map(Edit::splice).collect();
    crate::rewrite::splice(text, &splices)
}

/// Composes the edits `later`, made on `mid` (which is `original` with
/// `earlier` applied), into one edit list on `original`. A later edit that
/// overlaps earlier ones absorbs them: its `from` is the original text of the
/// whole region and its `to` the final text.
fn compose(original: &str, mid: &str, earlier: Vec<Edit>, later: Vec<Edit>) -> Vec<Edit> {
    // Every edit with the range it covers in `mid`. The later edits do not
    // overlap each other, so all ranges stay in `mid` coordinates.
    let mut placed: Vec<(Range<usize>, Edit)> =
        changed_ranges(&earlier).into_iter().zip(earlier).collect();
    // A `mid` offset outside every placed range, as an `original` offset.
    let to_original = |placed: &[(Range<usize>, Edit)], off: usize| -> usize {
        let shift: isize = placed
            .iter()
            .filter(|(r, _)| r.end <= off)
            .map(|(r, e)| r.len() as isize - (e.end - e.start) as isize)
            .sum();
        (off as isize - shift) as usize
    };
    for l in later {
        let (inside, mut kept): (Vec<_>, Vec<_>) = placed
            .into_iter()
            .partition(|(r, _)| r.start < l.end && l.start < r.end);
        let mid_start = inside
            .iter()
            .map(|(r, _)| r.start)
            .fold(l.start, usize::min);
        let mid_end = inside.iter().map(|(r, _)| r.end).fold(l.end, usize::max);
        // Region bounds in `original`: an absorbed edit's own bounds where it
        // bounds the region, otherwise mapped past every placed edit.
        let start = match inside.iter().find(|(r, _)| r.start == mid_start) {
            Some((_, e)) => e.start,
            None => to_original(&kept, mid_start),
        };
        let end = match inside.iter().find(|(r, _)| r.end == mid_end) {
            Some((_, e)) => e.end,
            None => {
                let before: isize = inside
                    .iter()
                    .map(|(r, e)| r.len() as isize - (e.end - e.start) as isize)
                    .sum();
                (to_original(&kept, mid_end) as isize - before) as usize
            }
        };
        let to = format!(
            "{}{}{}",
            &mid[mid_start..l.start],
            l.to,
            &mid[l.end..mid_end]
        );
        let merged = Edit {
            start,
            end,
            from: original[start..end].to_string(),
            to,
            ..l
        };
        let at = kept.partition_point(|(r, _)| r.start < mid_start);
        kept.insert(at, (mid_start..mid_end, merged));
        placed = kept;
    }
    placed.into_iter().map(|(_, e)| e).collect()
}

/// The replacement for a phrase written across a line break keeps the line
/// break: "due to\nthe" becomes "because of\nthe", not "because of the".
fn keep_line_breaks(text: &str, tokens: &[Token], to: &str) -> String {
    let gaps: Vec<&str> = tokens
        .windows(2)
        .map(|w| &text[w[0].span.end..w[1].span.start])
        .collect();
    let Some(first_break) = gaps.iter().position(|g| g.contains('\n')) else {
        return to.to_string();
    };
    let words: Vec<&str> = to.split(' ').collect();
    if words.len() < 2 {
        return to.to_string();
    }
    let mut out = String::with_capacity(to.len() + 4);
    let same_shape = gaps.len() == words.len() - 1 && gaps.iter().all(|g| !g.is_empty());
    let break_at = first_break.min(words.len() - 2);
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            if same_shape {
                out.push_str(gaps[i - 1]);
            } else if i - 1 == break_at {
                out.push_str(gaps[first_break]);
            } else {
                out.push(' ');
            }
        }
        out.push_str(w);
    }
    out
}

/// Fills in 1-based line and column (in chars) for edits sorted by start.
fn fill_positions(text: &str, edits: &mut [Edit]) {
    let mut line = 1;
    let mut line_start = 0;
    let mut pos = 0;
    // The column is counted on from the previous edit on the same line, so
    // a long paragraph (a JSON record's text is often one line) is read
    // once, not once per edit.
    let mut col_pos = 0;
    let mut column = 1;
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| edits[i].start);
    for i in order {
        let start = edits[i].start;
        for off in memchr::memchr_iter(b'\n', &text.as_bytes()[pos..start]) {
            line += 1;
            line_start = pos + off + 1;
        }
        pos = start;
        if col_pos < line_start {
            col_pos = line_start;
            column = 1;
        }
        column += text[col_pos..start].chars().count();
        col_pos = start;
        edits[i].line = line;
        edits[i].column = column;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaner(dict: &str) -> Cleaner {
        Cleaner::new(Dictionary::parse("t", dict).unwrap(), Options::default())
    }

    /// Undoing the edits (right to left) must give the input back.
    fn undo(out: &str, input: &str, edits: &[Edit]) -> String {
        let mut shift: isize = 0;
        let mut s = out.to_string();
        let mut placed = Vec::new();
        for e in edits {
            let start = (e.start as isize + shift) as usize;
            placed.push((start, start + e.to.len(), e.from.clone()));
            shift += e.to.len() as isize - (e.end - e.start) as isize;
            assert_eq!(&input[e.start..e.end], e.from);
        }
        for (a, b, from) in placed.into_iter().rev() {
            s.replace_range(a..b, &from);
        }
        s
    }

    /// Each edit as (start, end, from, to).
    fn spans(out: &Cleaned) -> Vec<(usize, usize, &str, &str)> {
        out.edits
            .iter()
            .map(|e| (e.start, e.end, e.from.as_str(), e.to.as_str()))
            .collect()
    }

    /// Each edit as (from, to).
    fn changes(out: &Cleaned) -> Vec<(&str, &str)> {
        out.edits
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str()))
            .collect()
    }

    #[test]
    fn repairs_repeat_until_nothing_changes() {
        // Pass 1 repairs "final night time"; only then does "one of many"
        // stand before "last", which its entry needs.
        let c = cleaner("final night time\tlast night\none of many\tone of the\tright=last\n");
        let input = "It was one of many final night time shows.";
        let out = c.clean(input);
        assert_eq!(out.text, "It was one of the last night shows.");
        let e = spans(&out);
        assert_eq!(
            e,
            vec![
                (7, 18, "one of many", "one of the"),
                (19, 35, "final night time", "last night")
            ]
        );
        assert_eq!(undo(&out.text, input, &out.edits), input);
        assert_eq!(c.clean(&out.text).text, out.text);
    }

    #[test]
    fn overlapping_later_edits_absorb_earlier_ones() {
        // The article fix of pass 1 ("an" -> "a") is swallowed by the
        // phrase repaired in pass 2 ("due to a" -> "because of a").
        let c = cleaner("local weather change\tclimate change\ndue to a\tbecause of a\n");
        let input = "It was due to an local weather change.";
        let out = c.clean(input);
        assert_eq!(out.text, "It was because of a climate change.");
        let e = spans(&out);
        assert_eq!(
            e,
            vec![
                (7, 16, "due to an", "because of a"),
                (17, 37, "local weather change", "climate change")
            ]
        );
        assert_eq!(undo(&out.text, input, &out.edits), input);
        assert_eq!(c.clean(&out.text).text, out.text);
    }

    #[test]
    fn line_breaks_inside_a_phrase_are_kept() {
        let c = cleaner("due to the\tbecause of the\nin opposition to\tagainst\n");
        assert_eq!(c.clean("due to\nthe rain").text, "because of\nthe rain");
        assert_eq!(c.clean("due\nto the rain").text, "because\nof the rain");
        // One word cannot hold the break: it becomes a space-less repair.
        assert_eq!(c.clean("in opposition\nto it").text, "against it");
    }

    #[test]
    fn edits_never_cover_invalid_bytes() {
        let c = cleaner("x \u{FFFD} y\tz\nfinal yr\tlast year\n");
        let out = c.clean_bytes(b"x \xff y, final yr");
        assert_eq!(out.bytes, b"x \xff y, last year");
        assert_eq!(out.invalid_utf8, vec![2]);
        let e: Vec<(usize, usize, &str)> = out
            .edits
            .iter()
            .map(|e| (e.start, e.end, e.from.as_str()))
            .collect();
        assert_eq!(e, vec![(7, 15, "final yr")]);
    }

    fn science_cleaner() -> Cleaner {
        Cleaner::with_science(
            Dictionary::parse("news", "final yr\tlast year\n").unwrap(),
            Dictionary::parse(
                "science",
                "counterfeit consciousness\tartificial intelligence\n",
            )
            .unwrap(),
            Options::default(),
        )
    }

    #[test]
    fn science_pack_applies_only_to_scientific_documents() {
        let c = science_cleaner();
        let paper = "We propose a method based on counterfeit consciousness. Results on two \
                     datasets show that the proposed model improves accuracy (Fig. 2).";
        let out = c.clean(paper);
        assert_eq!(
            out.text,
            paper.replace("counterfeit consciousness", "artificial intelligence")
        );
        assert_eq!(out.edits[0].location, "science:1");
        // A news story keeps the phrase; the news entries still apply.
        let story = "The novel, about counterfeit consciousness, sold well final yr.";
        assert_eq!(
            c.clean(story).text,
            "The novel, about counterfeit consciousness, sold well last year."
        );
        // Without the pack nothing changes in the paper.
        let plain = Cleaner::new(c.dictionary().clone(), Options::default());
        assert_eq!(plain.clean(paper).text, paper);
    }

    #[test]
    fn a_pack_key_in_a_news_story_never_applies() {
        // Documents are cleaned with the pack first and again without it
        // if one of its keys matched and they do not look scientific:
        // whether the key matched in the first pass, only after a news
        // repair made it (pass 2), as the base of an inflection, or as a
        // key the news dictionary shares.
        let c = Cleaner::with_science(
            Dictionary::parse(
                "news",
                "final yr\tlast year\tclass=fingerprint\nstated\tsaid\tclass=ambiguous\n",
            )
            .unwrap(),
            Dictionary::parse(
                "science",
                "last year sales\tprevious annum sales\tclass=fingerprint\n\
                 stated\tclaimed\n\
                 zorpify\tslow\tclass=fingerprint\n\
                 zorp widget\tfrob gadget\tclass=fingerprint\n",
            )
            .unwrap(),
            // Without the model, so that a fingerprint always applies
            // where its dictionary is in use.
            Options {
                use_lm: false,
                ..Options::default()
            },
        );
        // Each way a key can match, alone in its own story.
        for (story, cleaned) in [
            // In the first pass.
            ("They bought a zorp widget.", "They bought a zorp widget."),
            // Only once a news repair has made it.
            (
                "It sold well final yr sales.",
                "It sold well last year sales.",
            ),
            // As the base of an inflection (which needs the spin gate open:
            // three news fingerprints open it).
            (
                "They zorpified it final yr, final yr and final yr.",
                "They zorpified it last year, last year and last year.",
            ),
            // Shared with the news dictionary, where it is ambiguous and
            // so not applied in a clean story.
            ("He stated it.", "He stated it."),
        ] {
            assert!(!crate::packs::looks_scientific(story));
            assert_eq!(c.clean(story).text, cleaned, "{story}");
        }
        let out = c.clean("It sold well final yr sales, he stated. They zorpified a zorp widget.");
        assert_eq!(
            out.text,
            "It sold well last year sales, he said. They zorpified a zorp widget."
        );
        assert_eq!(
            out.edits
                .iter()
                .map(|e| (e.location.as_str(), e.line, e.column))
                .collect::<Vec<_>>(),
            [("news:1", 1, 14), ("news:2", 1, 33)]
        );
        // In a paper the pack applies, in every pass.
        let paper = "We propose a method: final yr sales show the model data accuracy, \
                     as stated. The dataset was zorpified by a zorp widget.";
        assert!(crate::packs::looks_scientific(paper));
        assert_eq!(
            c.clean(paper).text,
            "We propose a method: previous annum sales show the model data accuracy, \
             as said. The dataset was slowed by a frob gadget."
        );
    }

    #[test]
    fn science_choice_holds_for_every_pass() {
        // The input looks scientific (four cue words in six); after pass 1
        // ("model results" -> "brown fox") the text no longer does, yet
        // pass 2 still uses the science pack: "zorp" now stands before
        // "brown", as its entry needs.
        let c = Cleaner::with_science(
            Dictionary::parse("news", "").unwrap(),
            Dictionary::parse(
                "science",
                "model results\tbrown fox\nzorp\tslow\tright=brown\n",
            )
            .unwrap(),
            Options::default(),
        );
        let paper = "The zorp model results method data.";
        assert!(crate::packs::looks_scientific(paper));
        assert!(!crate::packs::looks_scientific(
            "The zorp brown fox method data."
        ));
        let out = c.clean(paper);
        assert_eq!(out.text, "The slow brown fox method data.");
        assert_eq!(c.clean(&out.text).text, out.text);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one zone is a list of one
    fn zones_reach_three_words_past_each_change() {
        let text = "a b, c d e f g h i j k";
        let (tokens, _) = tokenize_folded(text);
        // Tokens: 0 a, 1 b, 2 ",", 3 c, 4 d, 5 e, 6 f, 7 g, 8 h, 9 i,
        // 10 j, 11 k. "d" (bytes 7..8) changed: three words each side, the
        // comma counting for nothing.
        assert_eq!(context_zones(&tokens, &[7..8]), vec![0..8]);
        // Zones that meet are one; a change at the end of the text stops
        // there.
        assert_eq!(context_zones(&tokens, &[0..1, 11..12]), vec![0..10]);
        assert_eq!(context_zones(&tokens, &[21..22]), vec![8..12]);
        // An empty replacement (after "f") still has words around it.
        assert_eq!(context_zones(&tokens, &[12..12]), vec![4..10]);
    }

    #[test]
    fn changed_ranges_are_in_the_repaired_text() {
        let edit = |start: usize, end: usize, to: &str| Edit {
            line: 0,
            column: 0,
            start,
            end,
            from: String::new(),
            to: to.to_string(),
            alternatives: Vec::new(),
            entry: String::new(),
            location: String::new(),
            how: crate::detect::MatchHow::Exact,
            confidence: 1.0,
            kind: EditKind::Repair,
        };
        // "aa bb cc" -> "x bb cccc"
        let edits = [edit(0, 2, "x"), edit(6, 8, "cccc")];
        assert_eq!(changed_ranges(&edits), vec![0..1, 5..9]);
    }

    #[test]
    fn later_passes_decide_with_the_first_pass_spin_score() {
        // Pass 1 repairs "within the" (→ "in the"), which gives
        // "authorities" the context where the spun "government" shows.
        // Measured again, the repaired sentence looks far less spun and
        // the swap stayed; the document is the one that was spun.
        let cleaner = Cleaner::new(Dictionary::builtin(), Options::default());
        let out = cleaner.clean(
            "Officials instructed AFP on Monday that 22 ministers within the \
             authorities lost their jobs final 12 months.",
        );
        assert_eq!(
            out.text,
            "Officials told AFP on Monday that 22 ministers in the government lost \
             their jobs last year."
        );
        assert_eq!(
            changes(&out),
            [
                ("instructed", "told"),
                ("within the authorities", "in the government"),
                ("final 12 months", "last year"),
            ]
        );
        // And a third pass finds nothing: the output is a fixed point.
        assert_eq!(cleaner.clean(&out.text).text, out.text);
    }

    #[test]
    fn report_only_originals_are_offered_not_applied() {
        // "throughout" has two entries: "across" after "proceed" and the
        // like, and "during", report-only. The model prefers "during"
        // before "12 provinces", which it cannot read.
        let cleaner = Cleaner::new(Dictionary::builtin(), Options::default());
        let out = cleaner.clean(
            "Rebels stated the offensive would proceed throughout 12 provinces, \
             officers instructed AFP.",
        );
        assert_eq!(
            out.text,
            "Rebels said the offensive would continue across 12 provinces, \
             officials told AFP."
        );
        let throughout = out.edits.iter().find(|e| e.from == "throughout").unwrap();
        assert_eq!(throughout.to, "across");
        assert_eq!(throughout.alternatives, ["during"]);
    }

    #[test]
    fn written_numbers_are_not_vetoed_by_the_model() {
        // The model has "eighties" and no "1980s": it used to keep the
        // spun "Eighties" wherever the dictionary offered "1980s".
        let cleaner = Cleaner::new(Dictionary::builtin(), Options::default());
        let out =
            cleaner.clean("The band had a string of hits within the Eighties, he instructed AFP.");
        assert_eq!(
            out.text,
            "The band had a string of hits in the 1980s, he told AFP."
        );
        assert_eq!(
            changes(&out),
            [
                ("within the", "in the"),
                ("Eighties", "1980s"),
                ("instructed", "told")
            ]
        );
        // Unspun, the decade stays as written.
        let clean = "She grew up in the Eighties.";
        assert_eq!(cleaner.clean(clean).text, clean);
    }

    #[test]
    fn positions_are_lines_and_char_columns() {
        let c = cleaner("final yr\tlast year\n");
        let out = c.clean("é\n\nnaïve final yr");
        assert_eq!((out.edits[0].line, out.edits[0].column), (3, 7));
    }
}
